//! Small helpers for SQL text that both dialects accept.
//!
//! Both drivers take `$1, $2 …` placeholders (SQLite reads `$NNN` as the NNN-th parameter), so
//! statements are written once with them. Not so for statements with thousands of parameters:
//! SQLite resolves each `$NNN` by a linear search of the names seen so far, which made a
//! 32,000-parameter insert take seconds; its bulk statements use anonymous `?` instead, and
//! lists of ids are bound as one parameter (`json_each` on SQLite, `ANY` or
//! `json_array_elements_text` on PostgreSQL).

use crate::Backend;

/// Rows per statement of the SQLite bulk inserts of an import. The statement for a full chunk
/// is compiled once per connection (sqlx keeps it) and run again for every full chunk; only
/// the last, shorter chunk is compiled on its own. Measured (callgrind, SDN import): compiling
/// a fresh 8,000-row statement for every chunk was 3.5 % of the import's instructions; with
/// 512 rows, the statement journal (each statement must be undoable on its own, so every page
/// it first touches is copied) cost 1.2 %.
pub(crate) const SQLITE_INSERT_ROWS: usize = 2_048;

/// `(?,?),(?,?)`: `rows` tuples of `columns` anonymous placeholders, for SQLite bulk inserts
/// (the statement must have no other placeholders).
pub(crate) fn sqlite_value_tuples(rows: usize, columns: usize) -> String {
    let mut tuple = String::with_capacity(columns * 2 + 1);
    tuple.push('(');
    for c in 0..columns {
        if c > 0 {
            tuple.push(',');
        }
        tuple.push('?');
    }
    tuple.push(')');
    let mut out = String::with_capacity(rows * (tuple.len() + 1));
    for r in 0..rows {
        if r > 0 {
            out.push(',');
        }
        out.push_str(&tuple);
    }
    out
}

/// A subquery yielding the elements of a JSON array bound as parameter `$n` (a string, so
/// that one binding serves both backends), cast to `pg_type` on PostgreSQL. For `IN (…)` over
/// lists of any length without one placeholder per element.
pub(crate) fn json_elements(backend: Backend, n: usize, pg_type: &str) -> String {
    match backend {
        Backend::Sqlite => format!("SELECT value FROM json_each(${n})"),
        Backend::Postgres => format!("SELECT (json_array_elements_text(${n}::json))::{pg_type}"),
    }
}

/// A list as the JSON array [`json_elements`] expects.
pub(crate) fn json_list<T: serde::Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_consecutively() {
        assert_eq!(sqlite_value_tuples(2, 3), "(?,?,?),(?,?,?)");
        assert_eq!(json_list(&[1, 2]), "[1,2]");
        assert!(json_elements(Backend::Postgres, 2, "bigint").contains("$2::json"));
    }
}
