//! The interdict HTTP API: the only crate that knows HTTP and the yente wire shapes.
//!
//! `interdict serve` runs a [`Server`]. It answers:
//! - **yente-compatible screening** (`POST /match/{dataset}`, `GET /search/{dataset}`,
//!   `GET /entities/{id}`, `GET /catalog`, `GET /algorithms`, `GET /healthz`, `GET /readyz`),
//!   with yente 5.5's parameters, defaults and response shapes, so that clients written for
//!   OpenSanctions' yente (nomenklatura's enricher, yente's own examples) work unchanged;
//! - **interdict's own API** (`/v1/…`): list versions and diffs, entity history and
//!   provenance, the full explanation of a match, the snapshot in force, and the operations
//!   (reindex, sync, import through the API);
//! - **operations**: Prometheus `/metrics`, the OpenAPI 3.1 document `/openapi.json`
//!   generated from the handlers themselves, and an API explorer at `/docs` served from
//!   assets inside the binary (no CDN).
//!
//! Security ([`auth`]): API keys with roles (screening, analyst, approver, admin), stored as
//! SHA-256 hashes, compared in constant time, accepted as `Authorization: ApiKey <key>`,
//! `Authorization: Bearer <key>` or `X-API-Key`; `401` without a valid key, `403` for a role
//! without the right. An explicit open mode exists for local demonstrations only. Request
//! bodies and request times are limited; every client mistake is a `4xx` whose JSON `detail`
//! names the parameter or field at fault ([`error`], [`params`]).
//!
//! Screening answers from an immutable [`interdict_snapshot::Snapshot`]. The server polls
//! the store for new list versions; when one lands (an `interdict import` or `sync` by another
//! process, or an import through this API), a new snapshot is built beside the one in force
//! and swapped in atomically. Requests in flight finish on the snapshot they started with;
//! no request is dropped or answered from a half-built index. `/readyz` is `503` until the
//! first snapshot is installed.
//!
//! Invariants:
//! - Only this crate knows HTTP, JSON wire shapes and yente's conventions. Domain types are
//!   converted into the serialisable types of [`wire`], never serialised directly.
//! - A request is answered from one snapshot, start to finish.
//! - No client input can cause a `500`: inputs are validated into `4xx` before any work.
//!
//! What this crate does not do: parse list files or match names (it calls the lists, store,
//! matching and snapshot crates), or parse the command line (the `interdict` binary does).

pub mod app;
pub mod auth;
pub mod bundle;
pub mod convert;
pub mod datasets;
pub mod decisions;
pub mod error;
pub mod metrics;
pub mod native;
pub mod ownership;
pub mod params;
pub mod wire;
pub mod yente;

pub use app::{AppState, Server, ServerConfig, ServerError, router, shutdown_signal};
pub use auth::{AuthMode, Role};
