//! Photos in SQLite: uploads under way as chunks (`photo_uploads`, `photo_chunks`), whole
//! checked photos (`photos`), and which photos of filing versions have arrived.

use std::collections::HashMap;

use sqlx::sqlite::SqlitePool;
use sqlx::{Sqlite, Transaction};
use wenming_core::photo::{AttachedPhoto, ImageType, PhotoHash, UploadStatus};

use super::json_list;
use crate::db::{Device, Error, Photo};
use crate::photos::{plan, verify, Chunk, Partial, Refusal};

type Tx = Transaction<'static, Sqlite>;

fn to_u64(n: i64, what: &str) -> Result<u64, Error> {
    u64::try_from(n).map_err(|_| Error::Corrupt(format!("{what} {n}")))
}

fn to_i64(n: u64) -> i64 {
    // Sizes are bounded by MAX_PHOTO_BYTES long before this matters.
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn parse_hash(s: &str) -> Result<PhotoHash, Error> {
    PhotoHash::parse(s).map_err(|_| Error::Corrupt(format!("photo hash {s:?}")))
}

async fn stored_size<'e, E>(db: E, hash: &PhotoHash) -> Result<Option<u64>, Error>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let size: Option<i64> = sqlx::query_scalar("SELECT size FROM photos WHERE hash = ?")
        .bind(hash.as_str())
        .fetch_optional(db)
        .await?;
    size.map(|s| to_u64(s, "photo size")).transpose()
}

async fn partial<'e, E>(db: E, hash: &PhotoHash) -> Result<Option<Partial>, Error>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT size, received FROM photo_uploads WHERE hash = ?")
            .bind(hash.as_str())
            .fetch_optional(db)
            .await?;
    row.map(|(size, received)| {
        Ok(Partial {
            size: to_u64(size, "upload size")?,
            received: to_u64(received, "upload received")?,
        })
    })
    .transpose()
}

fn complete(hash: &PhotoHash, size: u64) -> UploadStatus {
    UploadStatus {
        hash: hash.clone(),
        size: Some(size),
        received: size,
        complete: true,
    }
}

fn under_way(hash: &PhotoHash, p: Option<Partial>) -> UploadStatus {
    UploadStatus {
        hash: hash.clone(),
        size: p.map(|p| p.size),
        received: p.map_or(0, |p| p.received),
        complete: false,
    }
}

pub(super) async fn status(pool: &SqlitePool, hash: &PhotoHash) -> Result<UploadStatus, Error> {
    if let Some(size) = stored_size(pool, hash).await? {
        return Ok(complete(hash, size));
    }
    Ok(under_way(hash, partial(pool, hash).await?))
}

async fn drop_upload(tx: &mut Tx, hash: &PhotoHash) -> Result<(), Error> {
    // The chunks go with it (ON DELETE CASCADE).
    sqlx::query("DELETE FROM photo_uploads WHERE hash = ?")
        .bind(hash.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) async fn put_chunk(
    tx: &mut Tx,
    device: &Device,
    chunk: &Chunk<'_>,
    now: &str,
) -> Result<Result<UploadStatus, Refusal>, Error> {
    let hash = chunk.hash;
    if let Some(size) = stored_size(&mut **tx, hash).await? {
        return Ok(Ok(complete(hash, size)));
    }
    let stored = partial(&mut **tx, hash).await?;
    let plan = match plan(chunk, stored) {
        Ok(plan) => plan,
        Err(refusal) => return Ok(Err(refusal)),
    };
    if plan.restart {
        drop_upload(tx, hash).await?;
    }
    let received = chunk.offset + chunk.bytes.len() as u64;
    sqlx::query(
        "INSERT INTO photo_uploads (hash, size, received, device_id, started_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (hash) DO UPDATE SET received = excluded.received,
             device_id = excluded.device_id, updated_at = excluded.updated_at",
    )
    .bind(hash.as_str())
    .bind(to_i64(chunk.size))
    .bind(to_i64(received))
    .bind(device.id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO photo_chunks (hash, start, bytes) VALUES (?, ?, ?)")
        .bind(hash.as_str())
        .bind(to_i64(chunk.offset))
        .bind(chunk.bytes)
        .execute(&mut **tx)
        .await?;
    if !plan.last {
        return Ok(Ok(under_way(
            hash,
            Some(Partial {
                size: chunk.size,
                received,
            }),
        )));
    }

    let parts: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT bytes FROM photo_chunks WHERE hash = ? ORDER BY start")
            .bind(hash.as_str())
            .fetch_all(&mut **tx)
            .await?;
    let bytes = parts.concat();
    drop_upload(tx, hash).await?;
    let mime = match verify(hash, &bytes) {
        Ok(mime) => mime,
        // The dropped upload is committed with the refusal: the next try starts over.
        Err(refusal) => return Ok(Err(refusal)),
    };
    sqlx::query(
        "INSERT INTO photos (hash, mime, size, bytes, stored_at, uploaded_by)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(hash.as_str())
    .bind(mime.mime())
    .bind(to_i64(bytes.len() as u64))
    .bind(&bytes)
    .bind(now)
    .bind(device.id)
    .execute(&mut **tx)
    .await?;
    Ok(Ok(complete(hash, bytes.len() as u64)))
}

pub(super) async fn photo(pool: &SqlitePool, hash: &PhotoHash) -> Result<Option<Photo>, Error> {
    let row: Option<(String, Vec<u8>)> =
        sqlx::query_as("SELECT mime, bytes FROM photos WHERE hash = ?")
            .bind(hash.as_str())
            .fetch_optional(pool)
            .await?;
    row.map(|(mime, bytes)| {
        let mime = ImageType::from_mime(&mime)
            .ok_or_else(|| Error::Corrupt(format!("photo type {mime:?}")))?;
        Ok(Photo { mime, bytes })
    })
    .transpose()
}

/// Records the photos of a filing version, in their order.
pub(super) async fn attach_to_version(
    tx: &mut Tx,
    version: &str,
    photos: &[PhotoHash],
) -> Result<(), Error> {
    for (position, hash) in photos.iter().enumerate() {
        sqlx::query("INSERT INTO filing_photos (version, position, hash) VALUES (?, ?, ?)")
            .bind(version)
            .bind(position as i64)
            .bind(hash.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The photos of each of `versions` that has any, in order, each with whether it arrived.
pub(super) async fn of_versions<I: IntoIterator<Item = String>>(
    pool: &SqlitePool,
    versions: I,
) -> Result<HashMap<String, Vec<AttachedPhoto>>, Error> {
    let rows: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT fp.version, fp.hash, p.hash IS NOT NULL
         FROM filing_photos fp LEFT JOIN photos p ON p.hash = fp.hash
         WHERE fp.version IN (SELECT value FROM json_each(?))
         ORDER BY fp.version, fp.position",
    )
    .bind(json_list(versions))
    .fetch_all(pool)
    .await?;
    let mut by_version: HashMap<String, Vec<AttachedPhoto>> = HashMap::new();
    for (version, hash, arrived) in rows {
        by_version.entry(version).or_default().push(AttachedPhoto {
            hash: parse_hash(&hash)?,
            arrived,
        });
    }
    Ok(by_version)
}
