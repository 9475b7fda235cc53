-- List versions, content-addressed entity records and version membership.
-- Keep in step with migrations/postgres/0001_list_versions.sql: same tables, columns and indexes.

-- One row per import of a source.
CREATE TABLE list_versions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset        TEXT    NOT NULL,
    format         TEXT    NOT NULL,
    published      TEXT,             -- ISO date read from the file, if it has one
    effective_date TEXT    NOT NULL, -- published, else the import date: what as-of queries use
    imported_at    TEXT    NOT NULL, -- RFC 3339 timestamp, UTC
    sha256         TEXT    NOT NULL,
    entity_count   INTEGER NOT NULL,
    files          TEXT    NOT NULL  -- JSON array of file names
);
CREATE INDEX list_versions_dataset_effective ON list_versions (dataset, effective_date, id);

-- Each distinct entity content is stored once; `hash` is Entity::content_hash().
CREATE TABLE entity_records (
    id        INTEGER PRIMARY KEY,
    hash      TEXT NOT NULL UNIQUE,
    entity_id TEXT NOT NULL,
    schema    TEXT NOT NULL,
    body      TEXT NOT NULL          -- JSON of the Entity, provenance included
);
CREATE INDEX entity_records_entity_id ON entity_records (entity_id);

-- Which records make up which version (one per entity id, enforced by the importer).
CREATE TABLE version_entities (
    version_id INTEGER NOT NULL REFERENCES list_versions (id),
    record_id  INTEGER NOT NULL REFERENCES entity_records (id),
    PRIMARY KEY (version_id, record_id)
) WITHOUT ROWID;
CREATE INDEX version_entities_record ON version_entities (record_id, version_id);

-- Entity-typed property values of each record (sanction.entity, ownership.owner …), so that
-- the entities pointing at an id are found without reading every body.
CREATE TABLE entity_references (
    target_id TEXT    NOT NULL,
    record_id INTEGER NOT NULL REFERENCES entity_records (id),
    property  TEXT    NOT NULL,
    PRIMARY KEY (target_id, record_id, property)
) WITHOUT ROWID;
