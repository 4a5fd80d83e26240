-- The district endpoint's tables. Times are RFC 3339 UTC text with microseconds
-- ("2026-11-22T09:00:00.000000Z"): fixed width, so they sort as text.

-- The administrative divisions of the one district this endpoint serves.
CREATE TABLE divisions (
    code   TEXT PRIMARY KEY NOT NULL,
    level  TEXT NOT NULL CHECK (level IN ('district', 'town', 'village')),
    name   TEXT NOT NULL,
    parent TEXT REFERENCES divisions (code)
) STRICT;

-- One New Era Civilization Practice station per village; its code is the village's.
CREATE TABLE stations (
    code TEXT PRIMARY KEY NOT NULL REFERENCES divisions (code),
    name TEXT NOT NULL
) STRICT;

-- Reference data and server-side changes, in the order the server made them; phones pull
-- them by seq. AUTOINCREMENT so that a seq is never reused, even after a delete.
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    entity     TEXT NOT NULL,
    body       TEXT NOT NULL,   -- the RefItem as JSON
    scope      TEXT,            -- NULL: everyone in the district
    created_at TEXT NOT NULL
) STRICT;

-- One-time enrollment codes; only the SHA-256 of the code is kept.
CREATE TABLE enrollments (
    code_hash  TEXT PRIMARY KEY NOT NULL,
    person     TEXT NOT NULL,
    role       TEXT NOT NULL,
    scope      TEXT NOT NULL REFERENCES divisions (code),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;

-- Enrolled phones; only the SHA-256 of the bearer token is kept.
CREATE TABLE devices (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    person     TEXT NOT NULL,
    role       TEXT NOT NULL,
    scope      TEXT NOT NULL REFERENCES divisions (code),
    enrollment TEXT NOT NULL REFERENCES enrollments (code_hash),
    created_at TEXT NOT NULL
) STRICT;

-- The raw log of every record accepted from a phone, exactly once per record id.
CREATE TABLE envelopes (
    id             TEXT PRIMARY KEY NOT NULL,
    kind           TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    device_time    TEXT NOT NULL,
    body           TEXT NOT NULL,   -- canonical JSON (keys sorted)
    body_hash      BLOB NOT NULL,   -- SHA-256 of kind, version, time and canonical body
    device_id      INTEGER NOT NULL REFERENCES devices (id),
    received_at    TEXT NOT NULL
) STRICT;

-- The check-in ledger, projected from the envelopes.
CREATE TABLE checkins (
    id             TEXT PRIMARY KEY NOT NULL REFERENCES envelopes (id),
    station        TEXT NOT NULL REFERENCES stations (code),
    volunteer_name TEXT NOT NULL,
    phone          TEXT NOT NULL,
    checked_in_at  TEXT NOT NULL,
    checked_out_at TEXT,
    check_out_id   TEXT REFERENCES envelopes (id),
    device_id      INTEGER NOT NULL REFERENCES devices (id)
) STRICT;

CREATE INDEX checkins_by_station ON checkins (station, checked_in_at);
