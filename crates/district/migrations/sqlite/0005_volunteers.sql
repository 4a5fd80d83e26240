-- Volunteers (#5): registrations merged by mobile number, service records, activities and
-- sign-ups, the points ledger, exchange items, integrity records, station geofences.
-- Times as in 0001 (fixed-width RFC 3339). The district's Ed25519 secret key is kept in
-- `settings` ('district_signing_key', hex) and never leaves the server.

-- One volunteer per mobile number; the id is the first registration accepted for it.
CREATE TABLE volunteers (
    id         TEXT PRIMARY KEY NOT NULL REFERENCES envelopes (id),
    phone      TEXT NOT NULL UNIQUE,
    profile    TEXT NOT NULL,   -- core's Volunteer (every registration merged) as JSON
    scope      TEXT NOT NULL REFERENCES divisions (code),  -- of the first registering device
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Every registration, and the volunteer it was merged into: how the phones are told.
CREATE TABLE registrations (
    id          TEXT PRIMARY KEY NOT NULL REFERENCES envelopes (id),
    volunteer   TEXT NOT NULL REFERENCES volunteers (id),
    device_id   INTEGER NOT NULL REFERENCES devices (id),
    received_at TEXT NOT NULL
) STRICT;

CREATE INDEX registrations_by_device ON registrations (device_id, id);
CREATE INDEX registrations_by_volunteer ON registrations (volunteer);

-- A station's optional geofence.
CREATE TABLE station_geofences (
    station  TEXT PRIMARY KEY NOT NULL REFERENCES stations (code),
    lat_e6   INTEGER NOT NULL CHECK (lat_e6 BETWEEN -90000000 AND 90000000),
    lon_e6   INTEGER NOT NULL CHECK (lon_e6 BETWEEN -180000000 AND 180000000),
    radius_m INTEGER NOT NULL CHECK (radius_m > 0),
    set_by   TEXT NOT NULL,
    set_at   TEXT NOT NULL
) STRICT;

-- One service record per check-in (its id), with corrected times, hours, flags, review.
CREATE TABLE service_records (
    id              TEXT PRIMARY KEY NOT NULL REFERENCES checkins (id),
    station         TEXT NOT NULL REFERENCES stations (code),
    phone           TEXT NOT NULL,
    volunteer_name  TEXT NOT NULL,
    checked_in_at   TEXT NOT NULL,     -- the phone's time plus its clock offset
    checked_out_at  TEXT,              -- the check-out, or an automatic close
    checked_out     INTEGER NOT NULL DEFAULT 0 CHECK (checked_out IN (0, 1)),
    elapsed_ms      INTEGER,           -- by the phone's monotonic clock
    minutes         INTEGER NOT NULL DEFAULT 0,
    flags           TEXT NOT NULL DEFAULT '[]',  -- core's ServiceFlag list as JSON
    pass_problem    TEXT,
    lat_e6          INTEGER,
    lon_e6          INTEGER,
    accuracy_m      INTEGER,
    inside_geofence INTEGER,
    review          TEXT NOT NULL DEFAULT 'pending'
                        CHECK (review IN ('pending', 'approved', 'revoked')),
    review_record   TEXT REFERENCES envelopes (id),
    reviewed_by     TEXT,
    reviewed_at     TEXT,
    approved_minutes INTEGER,
    revoke_reason   TEXT
) STRICT;

CREATE INDEX service_records_by_phone ON service_records (phone, checked_in_at);
CREATE INDEX service_records_by_station ON service_records (station, review, checked_in_at);

-- Check-ins stored before this migration become typed service records.
INSERT INTO service_records (id, station, phone, volunteer_name, checked_in_at,
                             checked_out_at, checked_out, flags)
SELECT id, station, phone, volunteer_name, checked_in_at, checked_out_at,
       checked_out_at IS NOT NULL, '["typed"]'
FROM checkins;
UPDATE service_records SET minutes = max(0, CAST(
    (julianday(checked_out_at) - julianday(checked_in_at)) * 1440 AS INTEGER))
WHERE checked_out_at IS NOT NULL;

-- Activities published for volunteers; the id is the record's.
CREATE TABLE volunteer_activities (
    id           TEXT PRIMARY KEY NOT NULL REFERENCES envelopes (id),
    station      TEXT NOT NULL REFERENCES stations (code),
    body         TEXT NOT NULL,   -- core's VolunteerActivity as JSON
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    capacity     INTEGER NOT NULL CHECK (capacity > 0),
    published_by TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

CREATE INDEX volunteer_activities_by_end ON volunteer_activities (ends_at);

-- Sign-ups, decided in order of receipt; one per volunteer and activity.
CREATE TABLE signups (
    id          TEXT PRIMARY KEY NOT NULL REFERENCES envelopes (id),
    activity    TEXT NOT NULL REFERENCES volunteer_activities (id),
    volunteer   TEXT NOT NULL REFERENCES volunteers (id),
    status      TEXT NOT NULL CHECK (status IN ('accepted', 'waitlisted')),
    position    INTEGER,          -- on the waiting list, when decided
    device_id   INTEGER NOT NULL REFERENCES devices (id),
    received_at TEXT NOT NULL,
    no_show     TEXT REFERENCES envelopes (id),
    UNIQUE (activity, volunteer)
) STRICT;

CREATE INDEX signups_by_device ON signups (device_id, id);
CREATE INDEX signups_by_volunteer ON signups (volunteer);

-- Items a station offers for points; `stock` is what is left.
CREATE TABLE exchange_items (
    id         TEXT PRIMARY KEY NOT NULL REFERENCES envelopes (id),
    station    TEXT NOT NULL REFERENCES stations (code),
    name       TEXT NOT NULL,
    points     INTEGER NOT NULL CHECK (points > 0),
    stock      INTEGER NOT NULL CHECK (stock >= 0),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX exchange_items_by_station ON exchange_items (station);

-- The points ledger, append-only: core's Ledger decides every entry; the constraints
-- below hold the same line should a bug slip past it.
CREATE TABLE ledger_entries (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE REFERENCES envelopes (id),  -- counted once
    volunteer      TEXT NOT NULL REFERENCES volunteers (id),
    points         INTEGER NOT NULL,
    cause          TEXT NOT NULL,   -- core's Cause as JSON
    service_record TEXT UNIQUE REFERENCES service_records (id),  -- earnings only: once each
    balance        INTEGER NOT NULL CHECK (balance >= 0),        -- after this entry
    at             TEXT NOT NULL
) STRICT;

CREATE INDEX ledger_entries_by_volunteer ON ledger_entries (volunteer, seq);

CREATE TRIGGER ledger_entries_are_not_updated BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;

CREATE TRIGGER ledger_entries_are_not_deleted BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;

-- Integrity records (诚信记载): no-shows and revoked hours, each with its reason.
CREATE TABLE integrity_records (
    id        TEXT PRIMARY KEY NOT NULL REFERENCES envelopes (id),
    volunteer TEXT NOT NULL REFERENCES volunteers (id),
    kind      TEXT NOT NULL CHECK (kind IN ('no_show', 'revoked_hours')),
    reason    TEXT NOT NULL,
    about     TEXT NOT NULL,   -- the sign-up or the service record
    station   TEXT NOT NULL REFERENCES stations (code),
    by_person TEXT NOT NULL,
    at        TEXT NOT NULL
) STRICT;

CREATE INDEX integrity_records_by_volunteer ON integrity_records (volunteer, at);
