//! The one integration test binary of interdict (as in rust-analyzer): end-to-end tests that run
//! the real `interdict` binary on the real list files, against the database that
//! `INTERDICT_TEST_DATABASE` selects (SQLite by default, PostgreSQL in CI's second run).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod decisions;
mod lists;
mod matching;
mod ownership;
mod screen;
mod server;
mod support;
