-- Filing (备案) of community social organizations: organizations, their applications, every
-- submitted version, and the trail of every step. Times as in 0001 (fixed-width RFC 3339).

-- One community social organization; its id is the one the phone made with its first draft.
CREATE TABLE organizations (
    id            TEXT PRIMARY KEY NOT NULL,
    village       TEXT NOT NULL REFERENCES divisions (code),
    town          TEXT NOT NULL REFERENCES divisions (code),
    -- The filed name and category once filed; before that, those of the latest version.
    name          TEXT NOT NULL,
    category      TEXT NOT NULL,
    -- Until filed, the state of the first application; then 'filed', and 'terminated'.
    state         TEXT NOT NULL CHECK (state IN ('pending_preliminary', 'returned',
                      'pending_review', 'public_notice', 'refused', 'filed', 'terminated')),
    certificate   TEXT UNIQUE,      -- 500156-2026-0001, issued once, never reused
    filed_on      TEXT,             -- the day (Beijing time) the certificate was issued
    filed_version TEXT,             -- the filing_versions row whose facts are on file
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE INDEX organizations_by_village ON organizations (village, updated_at);

-- One application: a filing, a change filing or a termination.
CREATE TABLE applications (
    id           TEXT PRIMARY KEY NOT NULL,
    organization TEXT NOT NULL REFERENCES organizations (id),
    kind         TEXT NOT NULL CHECK (kind IN ('initial', 'change', 'termination')),
    state        TEXT NOT NULL,     -- core's FilingState as JSON
    stage        TEXT GENERATED ALWAYS AS (json_extract(state, '$.state')) VIRTUAL,
    -- The current version, which reviewers decide upon.
    version      TEXT NOT NULL REFERENCES filing_versions (id) DEFERRABLE INITIALLY DEFERRED,
    notice_until TEXT,              -- set while on public notice, for the sweep
    seq          INTEGER NOT NULL,  -- changes.seq of its latest step: the filings feed
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

CREATE INDEX applications_by_organization ON applications (organization, stage);
CREATE UNIQUE INDEX applications_by_seq ON applications (seq);
CREATE INDEX applications_in_notice ON applications (notice_until)
    WHERE notice_until IS NOT NULL;

-- Every submitted version; its id is the filing_submit record's.
CREATE TABLE filing_versions (
    id           TEXT PRIMARY KEY NOT NULL REFERENCES envelopes (id),
    application  TEXT NOT NULL REFERENCES applications (id),
    organization TEXT NOT NULL REFERENCES organizations (id),
    body         TEXT NOT NULL,     -- the FilingSubmission as canonical JSON
    device_id    INTEGER NOT NULL REFERENCES devices (id),
    person       TEXT NOT NULL,
    submitted_at TEXT NOT NULL
) STRICT;

CREATE INDEX filing_versions_by_application ON filing_versions (application);
CREATE INDEX filing_versions_by_submitter ON filing_versions (organization, device_id);

-- The archive's trail: who did what, when, to which version, and what it led to.
CREATE TABLE filing_trail (
    id          INTEGER PRIMARY KEY,
    application TEXT NOT NULL REFERENCES applications (id),
    version     TEXT NOT NULL REFERENCES filing_versions (id),
    record      TEXT REFERENCES envelopes (id),  -- NULL for the server's own steps
    at          TEXT NOT NULL,
    person      TEXT NOT NULL,
    role        TEXT,               -- NULL for the server's own steps
    decision    TEXT,               -- core's Decision as JSON; NULL for a submission
    state       TEXT NOT NULL       -- the FilingState the step led to, as JSON
) STRICT;

CREATE INDEX filing_trail_by_application ON filing_trail (application, id);
CREATE INDEX filing_trail_by_version ON filing_trail (version);

-- Certificate numbers: the last sequence handed out per district and year.
CREATE TABLE certificate_sequences (
    district TEXT NOT NULL,
    year     INTEGER NOT NULL,
    last     INTEGER NOT NULL,
    PRIMARY KEY (district, year)
) STRICT;

-- Server settings; 'clock_offset_seconds' moves the filing clock (test deployments only).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
