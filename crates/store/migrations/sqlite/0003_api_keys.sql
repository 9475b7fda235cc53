-- API keys of `interdict serve`: who may call the HTTP API, in which role.
-- Keep in step with migrations/postgres/0003_api_keys.sql: same table, columns and indexes.
-- Only the SHA-256 of a key is stored; the key itself is shown once, when it is created.
CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,          -- what the key is for ("payments gateway")
    role       TEXT NOT NULL,          -- screening, analyst, approver or admin
    prefix     TEXT NOT NULL,          -- the first characters of the key, to recognise it
    key_sha256 TEXT NOT NULL UNIQUE,   -- hex SHA-256 of the whole key
    created_at TEXT NOT NULL,          -- RFC 3339, UTC
    revoked_at TEXT                    -- RFC 3339, UTC; NULL while the key is valid
);
