-- What `interdict sync` last fetched successfully from each URL: the HTTP validators for the
-- next conditional GET, and the SHA-256 of the body. Written only after a successful import,
-- so a failed download or a bad file is fetched again next time.
CREATE TABLE sync_state (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    sha256        TEXT NOT NULL,
    synced_at     TEXT NOT NULL
);
