-- Specific licences: issued by an authority to one holder for named dealings (an OFAC specific
-- licence, an EU competent authority's authorisation, an OFSI licence). The decision engine
-- applies them like the general licences of the programme files.
-- Keep in step with migrations/sqlite/0004_licences.sql: same table, columns and indexes.
-- A revoked licence stays, with the time and reason of its revocation: decisions taken while it
-- was valid must remain explainable.
CREATE TABLE specific_licences (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,   -- the authority's number
    jurisdiction      TEXT NOT NULL,          -- us, eu or uk
    holder            TEXT NOT NULL,          -- the licensee, as named in the licence
    parties           TEXT NOT NULL,          -- JSON array: entity ids or names it authorises dealings with
    programmes        TEXT NOT NULL,          -- JSON array of programme ids; [] for all of the jurisdiction
    amount_cap        TEXT,                   -- exact decimal, as written
    currency          TEXT,                   -- ISO 4217, with amount_cap
    valid_from        TEXT NOT NULL,          -- a day (2021-06-05) or a local time with its zone
    valid_until       TEXT,                   -- inclusive; NULL for no expiry
    conditions        TEXT NOT NULL,          -- JSON array of conditions, printed with decisions
    created_at        TIMESTAMPTZ NOT NULL,
    revoked_at        TIMESTAMPTZ,            -- NULL while valid
    revocation_reason TEXT
);
