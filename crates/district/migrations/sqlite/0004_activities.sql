-- Activities at practice stations (#4): major-activity pre-reports and the street/town's
-- answer, activity reports with the photos they name, summary periods and the summaries
-- reported for them. Times as in 0001 (fixed-width RFC 3339); days are Beijing dates
-- ("2026-11-21"). Record bodies stay in `envelopes`; these tables project what is queried.

-- A major activity announced beforehand (重大活动报告); its id is the pre_report record's.
CREATE TABLE pre_reports (
    id              TEXT PRIMARY KEY NOT NULL REFERENCES envelopes (id),
    station         TEXT NOT NULL REFERENCES stations (code),
    town            TEXT NOT NULL REFERENCES divisions (code),
    kind            TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'refused')),
    -- The first answer received; later ones are rejected and never stored here.
    decision        TEXT REFERENCES envelopes (id),
    verdict         TEXT,           -- core's Verdict as JSON
    decided_by      TEXT,
    decided_at      TEXT,
    device_id       INTEGER NOT NULL REFERENCES devices (id),
    person          TEXT NOT NULL,
    submitted_at    TEXT NOT NULL,
    seq             INTEGER NOT NULL,   -- changes.seq of its latest step: the pre-report feed
    updated_at      TEXT NOT NULL,
    CHECK ((state = 'pending') = (decision IS NULL))
) STRICT;

CREATE UNIQUE INDEX pre_reports_by_seq ON pre_reports (seq);
CREATE INDEX pre_reports_by_station ON pre_reports (station, state, starts_at);

-- One activity report; its id is the activity_report record's.
CREATE TABLE activities (
    id           TEXT PRIMARY KEY NOT NULL REFERENCES envelopes (id),
    station      TEXT NOT NULL REFERENCES stations (code),
    town         TEXT NOT NULL REFERENCES divisions (code),
    area         TEXT NOT NULL,
    major        TEXT,
    pre_report   TEXT REFERENCES pre_reports (id),
    starts_at    TEXT NOT NULL,
    start_day    TEXT NOT NULL,     -- Beijing date of starts_at: filters, months, periods
    participants INTEGER NOT NULL CHECK (participants > 0),
    device_id    INTEGER NOT NULL REFERENCES devices (id),
    person       TEXT NOT NULL,
    received_at  TEXT NOT NULL
) STRICT;

CREATE INDEX activities_by_station ON activities (station, start_day);
CREATE INDEX activities_by_day ON activities (start_day);

-- The photos a report names, in its order. The bytes arrive on their own (the photos
-- table of 0003); a photo is "arrived" when that table holds its hash.
CREATE TABLE activity_photos (
    activity TEXT NOT NULL REFERENCES activities (id),
    position INTEGER NOT NULL,
    hash     TEXT NOT NULL,
    PRIMARY KEY (activity, position)
) STRICT;

CREATE INDEX activity_photos_by_hash ON activity_photos (hash);

-- The filed organizations an activity names among its organizers: an organization's
-- summary figures come from these.
CREATE TABLE activity_organizers (
    activity     TEXT NOT NULL REFERENCES activities (id),
    organization TEXT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (activity, organization)
) STRICT;

CREATE INDEX activity_organizers_by_organization ON activity_organizers (organization);

-- A reporting period the district sets (统计期), with its deadline day (报送截止日期).
CREATE TABLE summary_periods (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL,
    deadline   TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (from_day <= to_day AND to_day <= deadline)
) STRICT;

-- A summary reported for a period: one per reporter (a station or an organization).
CREATE TABLE summary_reports (
    id            TEXT PRIMARY KEY NOT NULL REFERENCES envelopes (id),
    period        TEXT NOT NULL REFERENCES summary_periods (id),
    reporter_kind TEXT NOT NULL CHECK (reporter_kind IN ('station', 'organization')),
    reporter      TEXT NOT NULL,    -- the station code or the organization id
    village       TEXT NOT NULL REFERENCES divisions (code),
    device_id     INTEGER NOT NULL REFERENCES devices (id),
    person        TEXT NOT NULL,
    submitted_at  TEXT NOT NULL,    -- by the filing clock: what lateness is judged by
    UNIQUE (period, reporter_kind, reporter)
) STRICT;
