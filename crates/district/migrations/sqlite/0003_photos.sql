-- Photos (#3 filings, #4 activity reports): named by the SHA-256 of their bytes, uploaded
-- apart from the records that refer to them, in chunks that resume after a cut. Times as
-- in 0001 (fixed-width RFC 3339).

-- Whole photos only, each checked against its hash and its magic bytes: a row here means
-- the photo has arrived. Records refer to photos by hash before they arrive, so nothing
-- references this table with a foreign key; LEFT JOIN photos (hash) to know what arrived.
CREATE TABLE photos (
    hash        TEXT PRIMARY KEY NOT NULL CHECK (length(hash) = 64),
    mime        TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
    size        INTEGER NOT NULL CHECK (size = length(bytes)),
    bytes       BLOB NOT NULL,
    stored_at   TEXT NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES devices (id)
) STRICT;

-- An upload under way: never a photo until its last chunk is checked.
CREATE TABLE photo_uploads (
    hash        TEXT PRIMARY KEY NOT NULL CHECK (length(hash) = 64),
    size        INTEGER NOT NULL,
    received    INTEGER NOT NULL CHECK (received BETWEEN 0 AND size),
    device_id   INTEGER NOT NULL REFERENCES devices (id),
    started_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- The chunks of an upload under way, in the order of their offsets.
CREATE TABLE photo_chunks (
    hash   TEXT NOT NULL REFERENCES photo_uploads (hash) ON DELETE CASCADE,
    start  INTEGER NOT NULL,      -- the offset of its first byte in the photo
    bytes  BLOB NOT NULL,
    PRIMARY KEY (hash, start)
) STRICT;

-- The photos of each submitted filing version, in the order the leader attached them.
CREATE TABLE filing_photos (
    version  TEXT NOT NULL REFERENCES filing_versions (id),
    position INTEGER NOT NULL,
    hash     TEXT NOT NULL,
    PRIMARY KEY (version, position)
) STRICT;

CREATE INDEX filing_photos_by_hash ON filing_photos (hash);
