//! Activities (#4) in SQLite: the facts a push decides activity records by, their writes,
//! and the reads — activity list, detail and chart counts, the pre-report feed and list,
//! summary periods and who has reported. Every read is filtered by the asking device's
//! scope in SQL (`GLOB scope || '*'`; codes are digits only, so they hold no wildcard).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{de::DeserializeOwned, Serialize};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Row, Sqlite, Transaction};
use wenming_core::activity::summary::{Period, Reporter, SummaryFigures};
use wenming_core::activity::views::{
    ActivityDetail, ActivityFlag, ActivityItem, ActivityList, ActivityStats, AttachedPhoto,
    DecisionView, MonthCount, NewSummaryPeriod, PeriodStatus, Place, PreReportFeedItem,
    PreReportList, PreReportView, ReporterStatus, StatusCounts, SummaryDetail, SummaryPeriod,
};
use wenming_core::activity::{
    beijing_date, ActivityReport, ContentArea, PreReport, PreReportState, SummaryReport, Verdict,
};
use wenming_core::photo::PhotoHash;
use wenming_core::{DivisionCode, RecordId, StationCode};

use super::{json_list, parse_code, parse_record_id, parse_time};
use crate::batch::activity::{OrganizationFacts, PastAnswer, PastSummary, PreReportFacts};
use crate::batch::{timestamp, ActivityEffect, ActivityKnown, ActivityLookups};
use crate::db::{ActivityQuery, Device, Error, PreReportPage, PreReportQuery};

type Tx = Transaction<'static, Sqlite>;

/// Whether the bytes of photo `ap.hash` have arrived: a whole photo is in `photos` (a
/// partial upload never is).
const PHOTO_ARRIVED: &str = "EXISTS (SELECT 1 FROM photos p WHERE p.hash = ap.hash)";

fn to_json<T: Serialize>(v: &T) -> Result<String, Error> {
    serde_json::to_string(v).map_err(|e| Error::Corrupt(format!("cannot serialize: {e}")))
}

fn from_json<T: DeserializeOwned>(s: &str, what: &str) -> Result<T, Error> {
    serde_json::from_str(s).map_err(|e| Error::Corrupt(format!("{what}: {e}")))
}

/// A unit enum's serde name: how such values are stored.
fn enum_str<T: Serialize>(v: &T) -> Result<String, Error> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(Error::Corrupt(
            "a unit enum did not serialize to a name".into(),
        )),
    }
}

fn parse_station(s: &str) -> Result<StationCode, Error> {
    StationCode::parse(s).map_err(|_| Error::Corrupt(format!("station {s:?}")))
}

fn parse_day(s: &str) -> Result<NaiveDate, Error> {
    s.parse().map_err(|_| Error::Corrupt(format!("day {s:?}")))
}

fn seq_of(seq: i64) -> Result<u64, Error> {
    u64::try_from(seq).map_err(|_| Error::Corrupt(format!("seq {seq}")))
}

fn reporter_key(r: &Reporter) -> (&'static str, String) {
    match r {
        Reporter::Station { code } => ("station", code.as_str().to_owned()),
        Reporter::Organization { id } => ("organization", id.to_string()),
    }
}

fn parse_reporter(kind: &str, value: &str) -> Result<Reporter, Error> {
    match kind {
        "station" => Ok(Reporter::Station {
            code: parse_station(value)?,
        }),
        "organization" => Ok(Reporter::Organization {
            id: parse_record_id(value)?,
        }),
        other => Err(Error::Corrupt(format!("reporter kind {other:?}"))),
    }
}

// ---------------------------------------------------------------------------------------
// Push

/// Reads what the activity records of a batch depend on.
pub(super) async fn known(tx: &mut Tx, l: &ActivityLookups) -> Result<ActivityKnown, Error> {
    let mut k = ActivityKnown::default();
    if !l.organizations.is_empty() {
        let rows: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT id, village, certificate IS NOT NULL AND state = 'filed' FROM organizations
             WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(json_list(l.organizations.iter().map(RecordId::to_string)))
        .fetch_all(&mut **tx)
        .await?;
        for (id, village, filed) in rows {
            let facts = OrganizationFacts {
                village: parse_code(&village)?,
                filed,
            };
            k.organizations.insert(parse_record_id(&id)?, facts);
        }
    }
    if !l.pre_reports.is_empty() {
        let rows = sqlx::query(
            "SELECT id, station, verdict, decided_by, decided_at FROM pre_reports
             WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(json_list(l.pre_reports.iter().map(RecordId::to_string)))
        .fetch_all(&mut **tx)
        .await?;
        for r in &rows {
            let id: String = r.try_get("id")?;
            let station: String = r.try_get("station")?;
            let verdict: Option<String> = r.try_get("verdict")?;
            let person: Option<String> = r.try_get("decided_by")?;
            let at: Option<String> = r.try_get("decided_at")?;
            let answer = match (verdict, person, at) {
                (Some(v), Some(person), Some(at)) => Some(PastAnswer {
                    person,
                    at: parse_time(&at)?,
                    verdict: from_json(&v, "verdict")?,
                }),
                _ => None,
            };
            let facts = PreReportFacts {
                station: parse_station(&station)?,
                answer,
            };
            k.pre_reports.insert(parse_record_id(&id)?, facts);
        }
    }
    if !l.periods.is_empty() {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT id, from_day, to_day, deadline FROM summary_periods
             WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(json_list(l.periods.iter().map(RecordId::to_string)))
        .fetch_all(&mut **tx)
        .await?;
        for (id, from, to, deadline) in rows {
            let period = Period {
                from: parse_day(&from)?,
                to: parse_day(&to)?,
                deadline: parse_day(&deadline)?,
            };
            k.periods.insert(parse_record_id(&id)?, period);
        }
    }
    for (period, reporter) in &l.summaries {
        let (kind, value) = reporter_key(reporter);
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT person, submitted_at FROM summary_reports
             WHERE period = ? AND reporter_kind = ? AND reporter = ?",
        )
        .bind(period.to_string())
        .bind(kind)
        .bind(value)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some((person, at)) = row {
            let past = PastSummary {
                person,
                at: parse_time(&at)?,
            };
            k.summaries.insert((*period, reporter.clone()), past);
        }
    }
    Ok(k)
}

/// Appends the change that puts a pre-report into the feed, and returns its seq.
async fn append_change(
    tx: &mut Tx,
    id: &str,
    station: &StationCode,
    now: &str,
) -> Result<i64, Error> {
    let body = serde_json::json!({ "pre_report": id }).to_string();
    Ok(sqlx::query_scalar(
        "INSERT INTO changes (entity, body, scope, created_at)
         VALUES ('pre_report', ?, ?, ?) RETURNING seq",
    )
    .bind(body)
    .bind(station.as_str())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// Stores an accepted activity record whose envelope `id` is already in the log.
pub(super) async fn write(
    tx: &mut Tx,
    device: &Device,
    id: &str,
    effect: &ActivityEffect<'_>,
    received_at: &str,
    now: &str,
) -> Result<(), Error> {
    match effect {
        ActivityEffect::Report(r) => {
            let town = r
                .station
                .village()
                .parent()
                .ok_or_else(|| Error::Corrupt(format!("station {} has no town", r.station)))?;
            sqlx::query(
                "INSERT INTO activities
                 (id, station, town, area, major, pre_report, starts_at, start_day,
                  participants, device_id, person, received_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(r.station.as_str())
            .bind(town.as_str())
            .bind(r.area.as_str())
            .bind(r.major.as_ref().map(enum_str).transpose()?)
            .bind(r.pre_report.map(|p| p.to_string()))
            .bind(timestamp(r.starts_at))
            .bind(beijing_date(r.starts_at).to_string())
            .bind(i64::from(r.participants))
            .bind(device.id)
            .bind(&device.person)
            .bind(received_at)
            .execute(&mut **tx)
            .await?;
            for (position, hash) in r.photos.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO activity_photos (activity, position, hash) VALUES (?, ?, ?)",
                )
                .bind(id)
                .bind(position as i64)
                .bind(hash.as_str())
                .execute(&mut **tx)
                .await?;
            }
            for organization in r.organizations() {
                sqlx::query(
                    "INSERT OR IGNORE INTO activity_organizers (activity, organization)
                     VALUES (?, ?)",
                )
                .bind(id)
                .bind(organization.to_string())
                .execute(&mut **tx)
                .await?;
            }
        }
        ActivityEffect::PreReport(p) => {
            let town = p
                .station
                .village()
                .parent()
                .ok_or_else(|| Error::Corrupt(format!("station {} has no town", p.station)))?;
            let seq = append_change(tx, id, &p.station, now).await?;
            sqlx::query(
                "INSERT INTO pre_reports
                 (id, station, town, kind, starts_at, state, device_id, person, submitted_at,
                  seq, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7, ?8, ?9, ?8)",
            )
            .bind(id)
            .bind(p.station.as_str())
            .bind(town.as_str())
            .bind(enum_str(&p.kind)?)
            .bind(timestamp(p.starts_at))
            .bind(device.id)
            .bind(&device.person)
            .bind(now)
            .bind(seq)
            .execute(&mut **tx)
            .await?;
        }
        ActivityEffect::Decision { decision, station } => {
            let pre_report = decision.pre_report.to_string();
            let seq = append_change(tx, &pre_report, station, now).await?;
            sqlx::query(
                "UPDATE pre_reports SET state = ?1, decision = ?2, verdict = ?3, decided_by = ?4,
                     decided_at = ?5, seq = ?6, updated_at = ?5
                 WHERE id = ?7 AND decision IS NULL",
            )
            .bind(decision.verdict.state().as_str())
            .bind(id)
            .bind(to_json(&decision.verdict)?)
            .bind(&device.person)
            .bind(now)
            .bind(seq)
            .bind(&pre_report)
            .execute(&mut **tx)
            .await?;
        }
        ActivityEffect::Summary { summary, village } => {
            let (kind, reporter) = reporter_key(&summary.reporter);
            sqlx::query(
                "INSERT INTO summary_reports
                 (id, period, reporter_kind, reporter, village, device_id, person, submitted_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(summary.period.to_string())
            .bind(kind)
            .bind(reporter)
            .bind(village.as_str())
            .bind(device.id)
            .bind(&device.person)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Photos

pub(super) async fn photos(
    pool: &SqlitePool,
    activities: &[RecordId],
) -> Result<HashMap<RecordId, Vec<AttachedPhoto>>, Error> {
    let rows: Vec<(String, String, bool)> = sqlx::query_as(&format!(
        "SELECT ap.activity, ap.hash, {PHOTO_ARRIVED} FROM activity_photos ap
         WHERE ap.activity IN (SELECT value FROM json_each(?))
         ORDER BY ap.activity, ap.position"
    ))
    .bind(json_list(activities.iter().map(RecordId::to_string)))
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<RecordId, Vec<AttachedPhoto>> = HashMap::new();
    for (activity, hash, arrived) in rows {
        let hash =
            PhotoHash::parse(&hash).map_err(|_| Error::Corrupt(format!("photo hash {hash:?}")))?;
        out.entry(parse_record_id(&activity)?)
            .or_default()
            .push(AttachedPhoto { hash, arrived });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Activities

/// The names of a station's place, for rows that select `station`, `station_name`,
/// `village_name`, `town` and `town_name`.
fn place(r: &SqliteRow) -> Result<Place, Error> {
    let station: String = r.try_get("station")?;
    let town: String = r.try_get("town")?;
    Ok(Place {
        station: parse_station(&station)?,
        station_name: r.try_get("station_name")?,
        village_name: r.try_get("village_name")?,
        town: parse_code(&town)?,
        town_name: r.try_get("town_name")?,
    })
}

const PLACE_JOINS: &str = "JOIN stations s ON s.code = x.station
    JOIN divisions vd ON vd.code = x.station
    JOIN divisions td ON td.code = x.town";

const PLACE_COLUMNS: &str =
    "x.station, s.name AS station_name, vd.name AS village_name, x.town, td.name AS town_name";

/// `?1` scope, `?2` town, `?3` village, `?4` station, `?5` area, `?6` from, `?7` to.
const ACTIVITY_FILTERS: &str = "x.station GLOB ?1 || '*'
    AND (?2 IS NULL OR x.town = ?2) AND (?3 IS NULL OR x.station = ?3)
    AND (?4 IS NULL OR x.station = ?4) AND (?5 IS NULL OR x.area = ?5)
    AND (?6 IS NULL OR x.start_day >= ?6) AND (?7 IS NULL OR x.start_day <= ?7)";

/// Binds `?1`–`?7` of [`ACTIVITY_FILTERS`]; a macro, as `query` and `query_as` differ in type.
macro_rules! bind_filters {
    ($q:expr, $f:expr) => {{
        let f: &ActivityQuery = $f;
        $q.bind(f.scope.as_str())
            .bind(f.town.as_ref().map(DivisionCode::as_str))
            .bind(f.village.as_ref().map(DivisionCode::as_str))
            .bind(f.station.as_ref().map(StationCode::as_str))
            .bind(f.area.map(ContentArea::as_str))
            .bind(f.from.map(|d| d.to_string()))
            .bind(f.to.map(|d| d.to_string()))
    }};
}

pub(super) async fn list(pool: &SqlitePool, q: &ActivityQuery) -> Result<ActivityList, Error> {
    let total_sql = format!("SELECT count(*) FROM activities x WHERE {ACTIVITY_FILTERS}");
    let total: i64 = bind_filters!(sqlx::query_scalar(&total_sql), q)
        .fetch_one(pool)
        .await?;
    let sql = format!(
        "SELECT x.id, {PLACE_COLUMNS}, e.body, x.person, x.received_at, p.state AS pre_state
         FROM activities x JOIN envelopes e ON e.id = x.id {PLACE_JOINS}
         LEFT JOIN pre_reports p ON p.id = x.pre_report
         WHERE {ACTIVITY_FILTERS}
         ORDER BY x.starts_at DESC, x.id DESC LIMIT ?8 OFFSET ?9"
    );
    let rows: Vec<SqliteRow> = bind_filters!(sqlx::query(&sql), q)
        .bind(i64::from(q.limit))
        .bind(i64::from(q.offset))
        .fetch_all(pool)
        .await?;
    let ids = rows
        .iter()
        .map(|r| parse_record_id(r.try_get("id")?))
        .collect::<Result<Vec<_>, Error>>()?;
    let mut photos = photos(pool, &ids).await?;
    let items = rows
        .iter()
        .zip(ids)
        .map(|(r, id)| {
            let body: String = r.try_get("body")?;
            let report: ActivityReport = from_json(&body, "activity report")?;
            let pre_state: Option<String> = r.try_get("pre_state")?;
            let received_at: String = r.try_get("received_at")?;
            let photos = photos.remove(&id).unwrap_or_default();
            Ok(ActivityItem {
                id,
                place: place(r)?,
                flags: ActivityFlag::of(report.major, pre_state_of(pre_state)?, &photos),
                title: report.title,
                area: report.area,
                campaign: report.campaign,
                major: report.major,
                starts_at: report.starts_at,
                ends_at: report.ends_at,
                participants: report.participants,
                photos,
                reported_by: r.try_get("person")?,
                received_at: parse_time(&received_at)?,
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(ActivityList {
        total: u64::try_from(total).unwrap_or(0),
        items,
    })
}

fn pre_state_of(s: Option<String>) -> Result<Option<PreReportState>, Error> {
    s.map(|s| {
        PreReportState::parse(&s).ok_or_else(|| Error::Corrupt(format!("pre-report state {s:?}")))
    })
    .transpose()
}

pub(super) async fn detail(
    pool: &SqlitePool,
    scope: &DivisionCode,
    id: &RecordId,
) -> Result<Option<ActivityDetail>, Error> {
    let row = sqlx::query(&format!(
        "SELECT x.id, {PLACE_COLUMNS}, e.body, e.device_time, x.person, x.received_at
         FROM activities x JOIN envelopes e ON e.id = x.id {PLACE_JOINS}
         WHERE x.id = ?1 AND x.station GLOB ?2 || '*'"
    ))
    .bind(id.to_string())
    .bind(scope.as_str())
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let body: String = r.try_get("body")?;
    let report: ActivityReport = from_json(&body, "activity report")?;
    let photos = photos(pool, std::slice::from_ref(id))
        .await?
        .remove(id)
        .unwrap_or_default();
    // The pre-report is read within the activity's own station, which lies in the scope.
    let pre_report = match report.pre_report {
        Some(p) => pre_report(pool, report.station.village(), &p).await?,
        None => None,
    };
    let device_time: String = r.try_get("device_time")?;
    let received_at: String = r.try_get("received_at")?;
    Ok(Some(ActivityDetail {
        id: *id,
        place: place(&r)?,
        flags: ActivityFlag::of(report.major, pre_report.as_ref().map(|p| p.state), &photos),
        report,
        photos,
        pre_report,
        reported_by: r.try_get("person")?,
        written_at: parse_time(&device_time)?,
        received_at: parse_time(&received_at)?,
    }))
}

pub(super) async fn stats(pool: &SqlitePool, q: &ActivityQuery) -> Result<ActivityStats, Error> {
    let sql = format!(
        "SELECT substr(x.start_day, 1, 7) AS month, x.area, count(*), sum(x.participants)
         FROM activities x WHERE {ACTIVITY_FILTERS}
         GROUP BY month, x.area"
    );
    let rows: Vec<(String, String, i64, i64)> = bind_filters!(sqlx::query_as(&sql), q)
        .fetch_all(pool)
        .await?;
    let counts = rows
        .into_iter()
        .map(|(month, area, n, participants)| {
            let day = parse_day(&format!("{month}-01"))?;
            Ok(MonthCount {
                month: (day.year(), day.month()),
                area: ContentArea::parse(&area)
                    .ok_or_else(|| Error::Corrupt(format!("content area {area:?}")))?,
                activities: u64::try_from(n).unwrap_or(0),
                participants: u64::try_from(participants).unwrap_or(0),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(ActivityStats::from_counts(&counts, q.from, q.to))
}

// ---------------------------------------------------------------------------------------
// Pre-reports

const PRE_REPORT_SELECT: &str = "SELECT x.id, x.seq, x.state, x.verdict, x.decided_by,
        x.decided_at, x.person, x.submitted_at, x.updated_at, e.body,
        x.station, s.name AS station_name, vd.name AS village_name, x.town, td.name AS town_name
    FROM pre_reports x JOIN envelopes e ON e.id = x.id
    JOIN stations s ON s.code = x.station
    JOIN divisions vd ON vd.code = x.station
    JOIN divisions td ON td.code = x.town";

fn pre_report_view(r: &SqliteRow) -> Result<PreReportView, Error> {
    let id: String = r.try_get("id")?;
    let state: String = r.try_get("state")?;
    let verdict: Option<String> = r.try_get("verdict")?;
    let decided_by: Option<String> = r.try_get("decided_by")?;
    let decided_at: Option<String> = r.try_get("decided_at")?;
    let submitted_at: String = r.try_get("submitted_at")?;
    let updated_at: String = r.try_get("updated_at")?;
    let body: String = r.try_get("body")?;
    let decision = match (verdict, decided_by, decided_at) {
        (Some(v), Some(person), Some(at)) => Some(DecisionView {
            verdict: from_json::<Verdict>(&v, "verdict")?,
            person,
            at: parse_time(&at)?,
        }),
        _ => None,
    };
    Ok(PreReportView {
        id: parse_record_id(&id)?,
        place: place(r)?,
        pre_report: from_json::<PreReport>(&body, "pre-report")?,
        state: pre_state_of(Some(state))?.unwrap_or(PreReportState::Pending),
        decision,
        submitted_by: r.try_get("person")?,
        submitted_at: parse_time(&submitted_at)?,
        updated_at: parse_time(&updated_at)?,
    })
}

pub(super) async fn pre_report(
    pool: &SqlitePool,
    scope: &DivisionCode,
    id: &RecordId,
) -> Result<Option<PreReportView>, Error> {
    let row = sqlx::query(&format!(
        "{PRE_REPORT_SELECT} WHERE x.id = ?1 AND x.station GLOB ?2 || '*'"
    ))
    .bind(id.to_string())
    .bind(scope.as_str())
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(pre_report_view).transpose()
}

pub(super) async fn pre_report_feed(
    pool: &SqlitePool,
    scope: &DivisionCode,
    cursor: u64,
    limit: u32,
) -> Result<PreReportPage, Error> {
    let rows = sqlx::query(&format!(
        "{PRE_REPORT_SELECT} WHERE x.seq > ?1 AND x.station GLOB ?2 || '*'
         ORDER BY x.seq LIMIT ?3"
    ))
    .bind(i64::try_from(cursor).unwrap_or(i64::MAX))
    .bind(scope.as_str())
    .bind(i64::from(limit) + 1)
    .fetch_all(pool)
    .await?;
    let more = rows.len() > limit as usize;
    let items = rows
        .iter()
        .take(limit as usize)
        .map(|r| {
            Ok(PreReportFeedItem {
                seq: seq_of(r.try_get("seq")?)?,
                pre_report: pre_report_view(r)?,
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(PreReportPage { items, more })
}

pub(super) async fn pre_reports(
    pool: &SqlitePool,
    q: &PreReportQuery,
) -> Result<PreReportList, Error> {
    const FILTERS: &str = "x.station GLOB ?1 || '*' AND (?2 IS NULL OR x.state = ?2)
        AND (?3 IS NULL OR x.station = ?3)";
    let state = q.state.map(PreReportState::as_str);
    let station = q.station.as_ref().map(StationCode::as_str);
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM pre_reports x WHERE {FILTERS}"
    ))
    .bind(q.scope.as_str())
    .bind(state)
    .bind(station)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query(&format!(
        "{PRE_REPORT_SELECT} WHERE {FILTERS} ORDER BY x.starts_at, x.id LIMIT ?4 OFFSET ?5"
    ))
    .bind(q.scope.as_str())
    .bind(state)
    .bind(station)
    .bind(i64::from(q.limit))
    .bind(i64::from(q.offset))
    .fetch_all(pool)
    .await?;
    Ok(PreReportList {
        total: u64::try_from(total).unwrap_or(0),
        items: rows.iter().map(pre_report_view).collect::<Result<_, _>>()?,
    })
}

// ---------------------------------------------------------------------------------------
// Summary periods and summaries

fn period_row(r: &SqliteRow) -> Result<SummaryPeriod, Error> {
    let id: String = r.try_get("id")?;
    let from: String = r.try_get("from_day")?;
    let to: String = r.try_get("to_day")?;
    let deadline: String = r.try_get("deadline")?;
    let created_at: String = r.try_get("created_at")?;
    let period = Period {
        from: parse_day(&from)?,
        to: parse_day(&to)?,
        deadline: parse_day(&deadline)?,
    };
    Ok(SummaryPeriod {
        id: parse_record_id(&id)?,
        name: r.try_get("name")?,
        due_at: period.due_at(),
        period,
        created_at: parse_time(&created_at)?,
    })
}

const PERIOD_SELECT: &str =
    "SELECT id, name, from_day, to_day, deadline, created_at FROM summary_periods";

pub(super) async fn create_period(
    pool: &SqlitePool,
    id: RecordId,
    p: &NewSummaryPeriod,
    created_by: &str,
    now: DateTime<Utc>,
) -> Result<SummaryPeriod, Error> {
    let period = SummaryPeriod {
        id,
        name: p.name.trim().to_owned(),
        period: p.period,
        due_at: p.period.due_at(),
        created_at: now,
    };
    sqlx::query(
        "INSERT INTO summary_periods (id, name, from_day, to_day, deadline, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(&period.name)
    .bind(p.period.from.to_string())
    .bind(p.period.to.to_string())
    .bind(p.period.deadline.to_string())
    .bind(created_by)
    .bind(timestamp(now))
    .execute(pool)
    .await?;
    Ok(period)
}

pub(super) async fn periods(pool: &SqlitePool) -> Result<Vec<SummaryPeriod>, Error> {
    let rows = sqlx::query(&format!(
        "{PERIOD_SELECT} ORDER BY created_at DESC, id DESC"
    ))
    .fetch_all(pool)
    .await?;
    rows.iter().map(period_row).collect()
}

async fn period(pool: &SqlitePool, id: &RecordId) -> Result<Option<SummaryPeriod>, Error> {
    let row = sqlx::query(&format!("{PERIOD_SELECT} WHERE id = ?"))
        .bind(id.to_string())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(period_row).transpose()
}

pub(super) async fn status(
    pool: &SqlitePool,
    scope: &DivisionCode,
    period_id: &RecordId,
    now: DateTime<Utc>,
) -> Result<Option<PeriodStatus>, Error> {
    let Some(p) = period(pool, period_id).await? else {
        return Ok(None);
    };
    // Every station of the scope, and every organization of it that reported, each with
    // its summary if there is one.
    let rows = sqlx::query(
        "SELECT 'station' AS kind, st.code AS reporter, st.name, st.code AS village,
                vd.name AS village_name, vd.parent AS town, td.name AS town_name,
                r.id AS report, r.person, r.submitted_at
         FROM stations st
         JOIN divisions vd ON vd.code = st.code
         JOIN divisions td ON td.code = vd.parent
         LEFT JOIN summary_reports r
             ON r.period = ?1 AND r.reporter_kind = 'station' AND r.reporter = st.code
         WHERE st.code GLOB ?2 || '*'
         UNION ALL
         SELECT 'organization', o.id, o.name, o.village, vd.name, o.town, td.name,
                r.id, r.person, r.submitted_at
         FROM summary_reports r
         JOIN organizations o ON o.id = r.reporter
         JOIN divisions vd ON vd.code = o.village
         JOIN divisions td ON td.code = o.town
         WHERE r.period = ?1 AND r.reporter_kind = 'organization' AND r.village GLOB ?2 || '*'
         ORDER BY 1 DESC, 4, 3",
    )
    .bind(period_id.to_string())
    .bind(scope.as_str())
    .fetch_all(pool)
    .await?;
    let mut counts = StatusCounts::default();
    let reporters = rows
        .iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            let reporter: String = r.try_get("reporter")?;
            let village: String = r.try_get("village")?;
            let town: String = r.try_get("town")?;
            let report: Option<String> = r.try_get("report")?;
            let submitted_at: Option<String> = r.try_get("submitted_at")?;
            let reported_at = submitted_at.as_deref().map(parse_time).transpose()?;
            let status = p.period.status(reported_at, now);
            counts.add(status);
            Ok(ReporterStatus {
                reporter: parse_reporter(&kind, &reporter)?,
                name: r.try_get("name")?,
                village: parse_code(&village)?,
                village_name: r.try_get("village_name")?,
                town: parse_code(&town)?,
                town_name: r.try_get("town_name")?,
                status,
                report: report.as_deref().map(parse_record_id).transpose()?,
                reported_at,
                reported_by: r.try_get("person")?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Some(PeriodStatus {
        period: p,
        counts,
        reporters,
        server_time: now,
    }))
}

pub(super) async fn summary(
    pool: &SqlitePool,
    scope: &DivisionCode,
    id: &RecordId,
) -> Result<Option<SummaryDetail>, Error> {
    let row: Option<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT r.period, e.body, r.person, r.submitted_at,
                CASE r.reporter_kind
                    WHEN 'station' THEN (SELECT name FROM stations WHERE code = r.reporter)
                    ELSE (SELECT name FROM organizations WHERE id = r.reporter) END
         FROM summary_reports r JOIN envelopes e ON e.id = r.id
         WHERE r.id = ?1 AND r.village GLOB ?2 || '*'",
    )
    .bind(id.to_string())
    .bind(scope.as_str())
    .fetch_optional(pool)
    .await?;
    let Some((period_id, body, person, submitted_at, name)) = row else {
        return Ok(None);
    };
    let p = period(pool, &parse_record_id(&period_id)?)
        .await?
        .ok_or_else(|| Error::Corrupt(format!("summary {id} without its period")))?;
    let report: SummaryReport = from_json(&body, "summary report")?;
    let (from, to) = (p.period.from.to_string(), p.period.to.to_string());
    let bodies: Vec<String> = match &report.reporter {
        Reporter::Station { code } => {
            sqlx::query_scalar(
                "SELECT e.body FROM activities a JOIN envelopes e ON e.id = a.id
                 WHERE a.station = ? AND a.start_day BETWEEN ? AND ?",
            )
            .bind(code.as_str())
            .bind(&from)
            .bind(&to)
            .fetch_all(pool)
            .await?
        }
        Reporter::Organization { id } => {
            sqlx::query_scalar(
                "SELECT e.body FROM activity_organizers o
                 JOIN activities a ON a.id = o.activity JOIN envelopes e ON e.id = a.id
                 WHERE o.organization = ? AND a.start_day BETWEEN ? AND ?",
            )
            .bind(id.to_string())
            .bind(&from)
            .bind(&to)
            .fetch_all(pool)
            .await?
        }
    };
    let reports = bodies
        .iter()
        .map(|b| from_json::<ActivityReport>(b, "activity report"))
        .collect::<Result<Vec<_>, Error>>()?;
    let reported_at = parse_time(&submitted_at)?;
    Ok(Some(SummaryDetail {
        id: *id,
        name,
        status: p.period.status(Some(reported_at), reported_at),
        recorded: SummaryFigures::compute(&report.reporter, &p.period, &reports),
        period: p,
        report,
        reported_by: person,
        reported_at,
    }))
}
