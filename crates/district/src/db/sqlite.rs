//! The SQLite backend: one file, WAL, `synchronous=NORMAL`, and every write in one
//! `BEGIN IMMEDIATE` transaction. Filings live in `sqlite/filings.rs`, activities in
//! `sqlite/activities.rs`, photos in `sqlite/photos.rs`.

mod activities;
mod filings;
mod photos;
mod volunteers;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, Transaction};
use wenming_core::division::station_name;
use wenming_core::filing::archive::{Archive, OrganizationList};
use wenming_core::protocol::{Change, Outcome, RefItem, Role};
use wenming_core::{DivisionCode, Envelope, Level, Phone, RecordId, StationCode};

use super::{ActivityQuery, PreReportPage, PreReportQuery};
use wenming_core::volunteer::pass::Geofence;
use wenming_core::volunteer::views::{
    ActivitySignupList, ExchangeItemList, RegistrationOutcome, ServiceRecordView, SignupView,
    VolunteerActivityList, VolunteerMatch,
};

use super::{
    Device, Division, Error, FeedPage, ImportReport, LedgerPage, LedgerQuery, LedgerRow,
    NewEnrollment, OrganizationQuery, PullPage, PushContext, Redemption, Station, Store,
    VolunteerFile,
};
use crate::batch::{self, timestamp, CheckInState, Context, Effect, Known, Opened, VolunteerRules};
use crate::divisions::DivisionSet;
use crate::filings::Sight;
use wenming_core::activity::views::{
    ActivityDetail, ActivityList, ActivityStats, AttachedPhoto, NewSummaryPeriod, PeriodStatus,
    PreReportList, PreReportView, SummaryDetail, SummaryPeriod,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Writers queue on SQLite's one write lock; IMMEDIATE takes it up front, so a transaction
/// that reads before it writes never fails to upgrade when another one committed meanwhile.
const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub async fn open(path: &Path) -> Result<Self, Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL loses at most the last commits on power loss, never
            // consistency; the phones keep every record until it is acknowledged anyway.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, Error> {
        Ok(self.pool.begin_with(BEGIN_WRITE).await?)
    }
}

fn level_str(level: Level) -> &'static str {
    match level {
        Level::District => "district",
        Level::Town => "town",
        Level::Village => "village",
    }
}

fn parse_level(s: &str) -> Result<Level, Error> {
    match s {
        "district" => Ok(Level::District),
        "town" => Ok(Level::Town),
        "village" => Ok(Level::Village),
        other => Err(Error::Corrupt(format!("division level {other:?}"))),
    }
}

fn parse_time(s: &str) -> Result<DateTime<Utc>, Error> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Corrupt(format!("time {s:?}")))
}

fn parse_role(s: &str) -> Result<Role, Error> {
    Role::parse(s).ok_or_else(|| Error::Corrupt(format!("role {s:?}")))
}

fn parse_code(s: &str) -> Result<DivisionCode, Error> {
    DivisionCode::parse(s).map_err(|_| Error::Corrupt(format!("division code {s:?}")))
}

fn parse_record_id(s: &str) -> Result<RecordId, Error> {
    RecordId::parse(s).map_err(|_| Error::Corrupt(format!("record id {s:?}")))
}

/// A JSON array of strings, for `IN (SELECT value FROM json_each(?))`: one statement looks
/// up a whole batch instead of one round trip per record.
fn json_list<I: IntoIterator<Item = String>>(items: I) -> String {
    serde_json::Value::Array(items.into_iter().map(serde_json::Value::String).collect()).to_string()
}

/// Inserts or renames one division and reports whether the phones must hear of it.
async fn upsert_division(
    tx: &mut Transaction<'static, Sqlite>,
    code: &DivisionCode,
    level: Level,
    name: &str,
    parent: Option<&DivisionCode>,
) -> Result<bool, Error> {
    let stored: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT name, parent FROM divisions WHERE code = ?")
            .bind(code.as_str())
            .fetch_optional(&mut **tx)
            .await?;
    let parent = parent.map(DivisionCode::as_str);
    match stored {
        Some((n, p)) if n == name && p.as_deref() == parent => Ok(false),
        _ => {
            sqlx::query(
                "INSERT INTO divisions (code, level, name, parent) VALUES (?, ?, ?, ?)
                 ON CONFLICT (code) DO UPDATE SET level = excluded.level,
                     name = excluded.name, parent = excluded.parent",
            )
            .bind(code.as_str())
            .bind(level_str(level))
            .bind(name)
            .bind(parent)
            .execute(&mut **tx)
            .await?;
            Ok(true)
        }
    }
}

async fn upsert_station(
    tx: &mut Transaction<'static, Sqlite>,
    code: &StationCode,
    name: &str,
) -> Result<bool, Error> {
    let stored: Option<String> = sqlx::query_scalar("SELECT name FROM stations WHERE code = ?")
        .bind(code.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    if stored.as_deref() == Some(name) {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO stations (code, name) VALUES (?, ?)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name",
    )
    .bind(code.as_str())
    .bind(name)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

async fn append_change(
    tx: &mut Transaction<'static, Sqlite>,
    item: &RefItem,
    now: &str,
) -> Result<(), Error> {
    let entity = match item {
        RefItem::Town { .. } => "town",
        RefItem::Village { .. } => "village",
        RefItem::Station { .. } => "station",
    };
    let body = serde_json::to_string(item).map_err(|e| Error::Corrupt(e.to_string()))?;
    sqlx::query("INSERT INTO changes (entity, body, scope, created_at) VALUES (?, ?, NULL, ?)")
        .bind(entity)
        .bind(body)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait]
impl Store for SqliteStore {
    async fn import_divisions(
        &self,
        set: &DivisionSet,
        now: DateTime<Utc>,
    ) -> Result<ImportReport, Error> {
        let now = timestamp(now);
        let mut tx = self.begin_write().await?;
        let mut report = ImportReport::default();
        let d = set.district();
        // The district itself is not reference data for the phones (they get it from /me).
        upsert_division(&mut tx, &d.code, Level::District, &d.name, None).await?;
        for t in set.towns() {
            report.towns += 1;
            if upsert_division(&mut tx, &t.code, Level::Town, &t.name, Some(&d.code)).await? {
                let item = RefItem::Town {
                    code: t.code.clone(),
                    name: t.name.clone(),
                };
                append_change(&mut tx, &item, &now).await?;
                report.changes += 1;
            }
        }
        for v in set.villages() {
            report.villages += 1;
            let town = v
                .code
                .parent()
                .ok_or_else(|| Error::Corrupt(format!("village {} has no town", v.code)))?;
            if upsert_division(&mut tx, &v.code, Level::Village, &v.name, Some(&town)).await? {
                let item = RefItem::Village {
                    code: v.code.clone(),
                    name: v.name.clone(),
                    town: town.clone(),
                };
                append_change(&mut tx, &item, &now).await?;
                report.changes += 1;
            }
            report.stations += 1;
            let station = StationCode::parse(v.code.as_str())
                .map_err(|_| Error::Corrupt(format!("village code {}", v.code)))?;
            let name = station_name(&v.name);
            if upsert_station(&mut tx, &station, &name).await? {
                let item = RefItem::Station {
                    code: station,
                    name,
                    village: v.code.clone(),
                    town,
                };
                append_change(&mut tx, &item, &now).await?;
                report.changes += 1;
            }
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn division(&self, code: &DivisionCode) -> Result<Option<Division>, Error> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT level, name FROM divisions WHERE code = ?")
                .bind(code.as_str())
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(level, name)| {
            Ok(Division {
                code: code.clone(),
                level: parse_level(&level)?,
                name,
            })
        })
        .transpose()
    }

    async fn create_enrollment(&self, e: &NewEnrollment) -> Result<(), Error> {
        sqlx::query(
            "INSERT INTO enrollments (code_hash, person, role, scope, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&e.code_hash)
        .bind(e.person.as_str())
        .bind(e.role.as_str())
        .bind(e.scope.as_str())
        .bind(timestamp(e.created_at))
        .bind(timestamp(e.expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn redeem_enrollment(
        &self,
        code_hash: &str,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Redemption, Error> {
        // The write lock is held from the first read, so of two phones using one code at the
        // same moment the second sees it used.
        let mut tx = self.begin_write().await?;
        let row: Option<(String, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT person, role, scope, expires_at, used_at FROM enrollments WHERE code_hash = ?",
        )
        .bind(code_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((person, role, scope, expires_at, used_at)) = row else {
            return Ok(Redemption::Unknown);
        };
        if used_at.is_some() {
            return Ok(Redemption::AlreadyUsed);
        }
        if parse_time(&expires_at)? <= now {
            return Ok(Redemption::Expired);
        }
        let now = timestamp(now);
        let used = sqlx::query(
            "UPDATE enrollments SET used_at = ? WHERE code_hash = ? AND used_at IS NULL",
        )
        .bind(&now)
        .bind(code_hash)
        .execute(&mut *tx)
        .await?;
        if used.rows_affected() != 1 {
            return Ok(Redemption::AlreadyUsed);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO devices (token_hash, person, role, scope, enrollment, created_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(token_hash)
        .bind(&person)
        .bind(&role)
        .bind(&scope)
        .bind(code_hash)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Redemption::Enrolled(Device {
            id,
            person,
            role: parse_role(&role)?,
            scope: parse_code(&scope)?,
        }))
    }

    async fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>, Error> {
        let row: Option<(i64, String, String, String)> =
            sqlx::query_as("SELECT id, person, role, scope FROM devices WHERE token_hash = ?")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(id, person, role, scope)| {
            Ok(Device {
                id,
                person,
                role: parse_role(&role)?,
                scope: parse_code(&scope)?,
            })
        })
        .transpose()
    }

    async fn push(
        &self,
        device: &Device,
        records: &[Envelope],
        ctx: PushContext,
    ) -> Result<Vec<Outcome>, Error> {
        let opened: Vec<Opened<'_>> = records.iter().map(Opened::new).collect();
        let lookups = Opened::lookups(&opened);
        let received_at = timestamp(ctx.received_at);
        let filing_now = timestamp(ctx.filing_now);

        let mut tx = self.begin_write().await?;
        let mut known = Known::default();

        let ids = json_list(lookups.ids.iter().map(RecordId::to_string));
        let rows = sqlx::query(
            "SELECT id, body_hash FROM envelopes WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await?;
        for row in rows {
            let id = parse_record_id(row.try_get("id")?)?;
            let hash: Vec<u8> = row.try_get("body_hash")?;
            let hash = hash
                .try_into()
                .map_err(|_| Error::Corrupt(format!("body hash of {id}")))?;
            known.envelopes.insert(id, hash);
        }

        if !lookups.stations.is_empty() {
            let codes = json_list(lookups.stations.iter().map(|s| s.as_str().to_owned()));
            let rows: Vec<String> = sqlx::query_scalar(
                "SELECT code FROM stations WHERE code IN (SELECT value FROM json_each(?))",
            )
            .bind(&codes)
            .fetch_all(&mut *tx)
            .await?;
            for code in rows {
                let code = StationCode::parse(&code)
                    .map_err(|_| Error::Corrupt(format!("station code {code:?}")))?;
                known.stations.insert(code);
            }
        }

        if !lookups.check_ins.is_empty() {
            let ids = json_list(lookups.check_ins.iter().map(RecordId::to_string));
            let rows: Vec<(String, String, bool)> = sqlx::query_as(
                "SELECT id, checked_in_at, checked_out_at IS NOT NULL FROM checkins
                 WHERE id IN (SELECT value FROM json_each(?))",
            )
            .bind(&ids)
            .fetch_all(&mut *tx)
            .await?;
            let mut check_ins = HashMap::with_capacity(rows.len());
            for (id, at, checked_out) in rows {
                let state = CheckInState {
                    at: parse_time(&at)?,
                    checked_out,
                };
                check_ins.insert(parse_record_id(&id)?, state);
            }
            known.check_ins = check_ins;
        }

        if !lookups.filings.is_empty() {
            // Notices that have passed end first, so that a change filed the minute the
            // organization's notice ended finds it filed even before the next sweep.
            filings::end_notices(&mut tx, ctx.filing_now).await?;
            known.filings = filings::known(&mut tx, &lookups.filings).await?;
        }
        if !lookups.activities.is_empty() {
            known.activities = activities::known(&mut tx, &lookups.activities).await?;
        }

        known.volunteers = volunteers::known(&mut tx, &lookups.volunteers, device).await?;

        let decide = Context {
            person: &device.person,
            role: device.role,
            scope: &device.scope,
            now: ctx.filing_now,
            notice_days: ctx.notice_days,
            received_at: ctx.received_at,
            volunteer_rules: &ctx.volunteer_rules,
        };
        let plan = batch::decide(&opened, known, &decide);
        // The same few SQL texts every time: sqlx prepares each once per connection and
        // reuses it, and nothing reaches the disk until the one commit.
        for w in &plan.writes {
            let e = w.envelope;
            let id = e.id.to_string();
            let device_time = timestamp(e.device_time);
            sqlx::query(
                "INSERT INTO envelopes
                 (id, kind, schema_version, device_time, body, body_hash, device_id, received_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&id)
            .bind(e.kind.as_str())
            .bind(i64::from(e.schema_version))
            .bind(&device_time)
            .bind(w.canonical_body)
            .bind(&w.hash[..])
            .bind(device.id)
            .bind(&received_at)
            .execute(&mut *tx)
            .await?;
            match &w.effect {
                Effect::CheckIn(check_in, _) => {
                    sqlx::query(
                        "INSERT INTO checkins
                         (id, station, volunteer_name, phone, checked_in_at, device_id)
                         VALUES (?, ?, ?, ?, ?, ?)",
                    )
                    .bind(&id)
                    .bind(check_in.station.as_str())
                    .bind(check_in.volunteer_name.as_str())
                    .bind(check_in.phone.as_str())
                    .bind(&device_time)
                    .bind(device.id)
                    .execute(&mut *tx)
                    .await?;
                }
                Effect::CheckOut { check_in, .. } => {
                    sqlx::query(
                        "UPDATE checkins SET checked_out_at = ?, check_out_id = ? WHERE id = ?",
                    )
                    .bind(&device_time)
                    .bind(&id)
                    .bind(check_in.to_string())
                    .execute(&mut *tx)
                    .await?;
                }
                Effect::FilingSubmit(effect) => {
                    filings::submit(&mut tx, device, &id, w.canonical_body, effect, &filing_now)
                        .await?;
                }
                Effect::FilingDecision(effect) => {
                    filings::decide(&mut tx, device, &id, effect, &filing_now).await?;
                }
                Effect::Activity(effect) => {
                    activities::write(&mut tx, device, &id, effect, &received_at, &filing_now)
                        .await?;
                }
                _ => {}
            }
            volunteers::apply(&mut tx, device, &id, &w.effect, &received_at).await?;
        }
        tx.commit().await?;
        Ok(plan.outcomes)
    }

    async fn pull(&self, scope: &DivisionCode, cursor: u64, limit: u32) -> Result<PullPage, Error> {
        // A change scoped to a division reaches the devices inside it and those above it.
        // Filing steps share the sequence but travel in the filings feed, not here.
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT seq, body FROM changes
             WHERE seq > ?1 AND entity IN ('town', 'village', 'station')
               AND (scope IS NULL OR ?2 GLOB scope || '*' OR scope GLOB ?2 || '*')
             ORDER BY seq LIMIT ?3",
        )
        .bind(i64::try_from(cursor).unwrap_or(i64::MAX))
        .bind(scope.as_str())
        .bind(i64::from(limit) + 1)
        .fetch_all(&self.pool)
        .await?;
        let more = rows.len() > limit as usize;
        let changes = rows
            .into_iter()
            .take(limit as usize)
            .map(|(seq, body)| {
                let item: RefItem = serde_json::from_str(&body)
                    .map_err(|e| Error::Corrupt(format!("change {seq}: {e}")))?;
                let seq = u64::try_from(seq).map_err(|_| Error::Corrupt(format!("seq {seq}")))?;
                Ok(Change { seq, item })
            })
            .collect::<Result<_, Error>>()?;
        Ok(PullPage { changes, more })
    }

    async fn checkins(&self, q: &LedgerQuery) -> Result<LedgerPage, Error> {
        // GLOB, unlike LIKE, is case-sensitive and so can use the index on station; codes are
        // digits only, so they hold no wildcard.
        let station = q.station.as_ref().map(StationCode::as_str);
        let total: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM checkins c
             WHERE c.station GLOB ?1 || '*' AND (?2 IS NULL OR c.station = ?2)",
        )
        .bind(q.scope.as_str())
        .bind(station)
        .fetch_one(&self.pool)
        .await?;
        let rows = sqlx::query(
            "SELECT c.id, c.station, s.name AS station_name, c.volunteer_name, c.phone,
                    c.checked_in_at, c.checked_out_at
             FROM checkins c JOIN stations s ON s.code = c.station
             WHERE c.station GLOB ?1 || '*' AND (?2 IS NULL OR c.station = ?2)
             ORDER BY c.checked_in_at DESC, c.id DESC
             LIMIT ?3 OFFSET ?4",
        )
        .bind(q.scope.as_str())
        .bind(station)
        .bind(i64::from(q.limit))
        .bind(i64::from(q.offset))
        .fetch_all(&self.pool)
        .await?;
        let rows = rows
            .iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let station: String = r.try_get("station")?;
                let phone: String = r.try_get("phone")?;
                let checked_in_at: String = r.try_get("checked_in_at")?;
                let checked_out_at: Option<String> = r.try_get("checked_out_at")?;
                Ok(LedgerRow {
                    id: parse_record_id(&id)?,
                    station: StationCode::parse(&station)
                        .map_err(|_| Error::Corrupt(format!("station {station:?}")))?,
                    station_name: r.try_get("station_name")?,
                    volunteer_name: r.try_get("volunteer_name")?,
                    phone: Phone::parse(&phone)
                        .map_err(|_| Error::Corrupt(format!("phone of check-in {id}")))?,
                    checked_in_at: parse_time(&checked_in_at)?,
                    checked_out_at: checked_out_at.as_deref().map(parse_time).transpose()?,
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(LedgerPage {
            total: u64::try_from(total).unwrap_or(0),
            rows,
        })
    }

    async fn clock_offset(&self) -> Result<TimeDelta, Error> {
        filings::clock_offset(&self.pool).await
    }

    async fn advance_clock(&self, by: TimeDelta) -> Result<TimeDelta, Error> {
        let mut tx = self.begin_write().await?;
        let offset = filings::advance_clock(&mut tx, by).await?;
        tx.commit().await?;
        Ok(offset)
    }

    async fn end_notices(&self, now: DateTime<Utc>) -> Result<usize, Error> {
        if !filings::notices_due(&self.pool, &timestamp(now)).await? {
            return Ok(0);
        }
        // Under the write lock the due list is read again: of two sweeps at once, the
        // second finds nothing left, so no notice ends twice and no number is drawn twice.
        let mut tx = self.begin_write().await?;
        let ended = filings::end_notices(&mut tx, now).await?;
        tx.commit().await?;
        Ok(ended)
    }

    async fn filing_feed(&self, sight: &Sight, cursor: u64, limit: u32) -> Result<FeedPage, Error> {
        filings::feed(&self.pool, sight, cursor, limit).await
    }

    async fn organizations(&self, query: &OrganizationQuery) -> Result<OrganizationList, Error> {
        filings::organizations(&self.pool, query).await
    }

    async fn archive(
        &self,
        sight: &Sight,
        id: &RecordId,
        now: DateTime<Utc>,
    ) -> Result<Option<Archive>, Error> {
        filings::archive(&self.pool, sight, id, now).await
    }

    async fn activities(&self, query: &ActivityQuery) -> Result<ActivityList, Error> {
        activities::list(&self.pool, query).await
    }

    async fn activity(
        &self,
        scope: &DivisionCode,
        id: &RecordId,
    ) -> Result<Option<ActivityDetail>, Error> {
        activities::detail(&self.pool, scope, id).await
    }

    async fn activity_stats(&self, query: &ActivityQuery) -> Result<ActivityStats, Error> {
        activities::stats(&self.pool, query).await
    }

    async fn activity_photos(
        &self,
        ids: &[RecordId],
    ) -> Result<HashMap<RecordId, Vec<AttachedPhoto>>, Error> {
        activities::photos(&self.pool, ids).await
    }

    async fn pre_report_feed(
        &self,
        scope: &DivisionCode,
        cursor: u64,
        limit: u32,
    ) -> Result<PreReportPage, Error> {
        activities::pre_report_feed(&self.pool, scope, cursor, limit).await
    }

    async fn pre_reports(&self, query: &PreReportQuery) -> Result<PreReportList, Error> {
        activities::pre_reports(&self.pool, query).await
    }

    async fn pre_report(
        &self,
        scope: &DivisionCode,
        id: &RecordId,
    ) -> Result<Option<PreReportView>, Error> {
        activities::pre_report(&self.pool, scope, id).await
    }

    async fn create_summary_period(
        &self,
        id: RecordId,
        period: &NewSummaryPeriod,
        created_by: &str,
        now: DateTime<Utc>,
    ) -> Result<SummaryPeriod, Error> {
        activities::create_period(&self.pool, id, period, created_by, now).await
    }

    async fn summary_periods(&self) -> Result<Vec<SummaryPeriod>, Error> {
        activities::periods(&self.pool).await
    }

    async fn summary_status(
        &self,
        scope: &DivisionCode,
        period: &RecordId,
        now: DateTime<Utc>,
    ) -> Result<Option<PeriodStatus>, Error> {
        activities::status(&self.pool, scope, period, now).await
    }

    async fn summary_report(
        &self,
        scope: &DivisionCode,
        id: &RecordId,
    ) -> Result<Option<SummaryDetail>, Error> {
        activities::summary(&self.pool, scope, id).await
    }

    async fn photo_upload(
        &self,
        hash: &wenming_core::photo::PhotoHash,
    ) -> Result<wenming_core::photo::UploadStatus, Error> {
        photos::status(&self.pool, hash).await
    }

    async fn put_photo_chunk(
        &self,
        device: &Device,
        chunk: &crate::photos::Chunk<'_>,
        now: DateTime<Utc>,
    ) -> Result<Result<wenming_core::photo::UploadStatus, crate::photos::Refusal>, Error> {
        let mut tx = self.begin_write().await?;
        let outcome = photos::put_chunk(&mut tx, device, chunk, &batch::timestamp(now)).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn photo(
        &self,
        hash: &wenming_core::photo::PhotoHash,
    ) -> Result<Option<super::Photo>, Error> {
        photos::photo(&self.pool, hash).await
    }

    async fn district_secret(&self, fresh: [u8; 32]) -> Result<[u8; 32], Error> {
        volunteers::district_secret(&self.pool, fresh).await
    }

    async fn station(&self, code: &StationCode) -> Result<Option<Station>, Error> {
        volunteers::station(&self.pool, code).await
    }

    async fn set_geofence(
        &self,
        code: &StationCode,
        geofence: Option<Geofence>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, Error> {
        let mut tx = self.begin_write().await?;
        let done = volunteers::set_geofence(&mut tx, code, geofence, by, now).await?;
        tx.commit().await?;
        Ok(done)
    }

    async fn registrations_of_device(
        &self,
        device: i64,
    ) -> Result<Vec<RegistrationOutcome>, Error> {
        volunteers::registrations_of_device(&self.pool, device).await
    }

    async fn signups_of_device(&self, device: i64) -> Result<Vec<SignupView>, Error> {
        volunteers::signups_of_device(&self.pool, device).await
    }

    async fn volunteer_file(
        &self,
        id: &RecordId,
        now: DateTime<Utc>,
        rules: &VolunteerRules,
    ) -> Result<Option<VolunteerFile>, Error> {
        volunteers::volunteer_file(&self.pool, id, now, rules).await
    }

    async fn volunteer_activities(
        &self,
        now: DateTime<Utc>,
        station: Option<&StationCode>,
    ) -> Result<VolunteerActivityList, Error> {
        volunteers::activities(&self.pool, now, station).await
    }

    async fn exchange_items(
        &self,
        scope: &DivisionCode,
        station: Option<&StationCode>,
    ) -> Result<ExchangeItemList, Error> {
        volunteers::exchange_items(&self.pool, scope, station).await
    }

    async fn activity_signups(
        &self,
        activity: &RecordId,
    ) -> Result<Option<(StationCode, ActivitySignupList)>, Error> {
        volunteers::activity_signups(&self.pool, activity).await
    }

    async fn volunteer_by_phone(
        &self,
        phone: &Phone,
    ) -> Result<Option<(VolunteerMatch, DivisionCode)>, Error> {
        volunteers::volunteer_by_phone(&self.pool, phone).await
    }

    async fn pending_hours(
        &self,
        scope: &DivisionCode,
        now: DateTime<Utc>,
        rules: &VolunteerRules,
        limit: u32,
    ) -> Result<Vec<ServiceRecordView>, Error> {
        volunteers::pending_hours(&self.pool, scope, now, rules, limit).await
    }
}
