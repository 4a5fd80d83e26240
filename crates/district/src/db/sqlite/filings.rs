//! Filing (备案) in SQLite: the facts a push decides by, the writes of accepted filing
//! records, the end of notice periods, the filings feed, the organization list and the
//! archive. Every read is filtered by what the asking device may see, in SQL.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{de::DeserializeOwned, Serialize};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Row, Sqlite, Transaction};
use wenming_core::filing::archive::{
    ApplicationBrief, Archive, ArchivedApplication, ArchivedVersion, OrganizationList,
    OrganizationState, OrganizationSummary,
};
use wenming_core::filing::feed::{ApplicationView, FeedItem, TrailEntry};
use wenming_core::filing::form::FilingSubmission;
use wenming_core::filing::{ApplicationKind, CertificateNumber, Decision, FilingState};
use wenming_core::{DivisionCode, RecordId};

use super::{json_list, parse_code, parse_record_id, parse_role, parse_time};
use crate::batch::filing::{ApplicationFacts, OrganizationFacts, PastDecision};
use crate::batch::{timestamp, DecisionEffect, FilingKnown, FilingLookups, SubmitEffect};
use crate::db::{Device, Error, FeedPage, OrganizationQuery};
use crate::filings::{self, beijing_today, end_notice, review_level, NoticeEnd, Sight};

type Tx = Transaction<'static, Sqlite>;

const CLOCK_OFFSET: &str = "clock_offset_seconds";

fn to_json<T: Serialize>(v: &T) -> Result<String, Error> {
    serde_json::to_string(v).map_err(|e| Error::Corrupt(format!("cannot serialize: {e}")))
}

fn from_json<T: DeserializeOwned>(s: &str, what: &str) -> Result<T, Error> {
    serde_json::from_str(s).map_err(|e| Error::Corrupt(format!("{what}: {e}")))
}

/// A unit enum's serde name ("volunteer", "initial"): how such values are stored.
fn enum_str<T: Serialize>(v: &T) -> Result<String, Error> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(Error::Corrupt(
            "a unit enum did not serialize to a name".into(),
        )),
    }
}

fn parse_enum<T: DeserializeOwned>(s: &str, what: &str) -> Result<T, Error> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| Error::Corrupt(format!("{what} {s:?}")))
}

fn parse_certificate(s: &str) -> Result<CertificateNumber, Error> {
    CertificateNumber::parse(s).map_err(|_| Error::Corrupt(format!("certificate {s:?}")))
}

fn parse_organization_state(s: &str) -> Result<OrganizationState, Error> {
    OrganizationState::parse(s).ok_or_else(|| Error::Corrupt(format!("organization state {s:?}")))
}

/// The two parameters every visibility filter binds: the scope whose villages may be seen,
/// and the device whose own submissions may be seen.
fn sight_binds(sight: &Sight) -> (Option<String>, Option<i64>) {
    match sight {
        Sight::Scope(scope) => (Some(scope.as_str().to_owned()), None),
        Sight::OwnSubmissions(device) => (None, Some(*device)),
        Sight::Nothing => (None, None),
    }
}

/// Whether organization `o` may be seen, given `?1` (scope or NULL) and `?2` (device or
/// NULL). GLOB is safe: division codes are digits only.
const VISIBLE: &str = "((?1 IS NOT NULL AND o.village GLOB ?1 || '*')
    OR (?2 IS NOT NULL AND EXISTS (SELECT 1 FROM filing_versions v
                                   WHERE v.organization = o.id AND v.device_id = ?2)))";

// ---------------------------------------------------------------------------------------
// Push

/// Reads what the filing records of a batch depend on.
pub(super) async fn known(tx: &mut Tx, l: &FilingLookups) -> Result<FilingKnown, Error> {
    let mut k = FilingKnown::default();
    if l.is_empty() {
        return Ok(k);
    }
    let villages: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM divisions
         WHERE level = 'village' AND code IN (SELECT value FROM json_each(?))",
    )
    .bind(json_list(l.villages.iter().map(|v| v.as_str().to_owned())))
    .fetch_all(&mut **tx)
    .await?;
    for v in villages {
        k.villages.insert(parse_code(&v)?);
    }

    let rows: Vec<(String, String, bool, bool, Option<String>)> = sqlx::query_as(
        "SELECT o.id, o.village, o.certificate IS NOT NULL, o.state = 'terminated',
                (SELECT a.id FROM applications a
                 WHERE a.organization = o.id
                   AND a.stage NOT IN ('refused', 'filed', 'terminated') LIMIT 1)
         FROM organizations o WHERE o.id IN (SELECT value FROM json_each(?))",
    )
    .bind(json_list(l.organizations.iter().map(RecordId::to_string)))
    .fetch_all(&mut **tx)
    .await?;
    for (id, village, filed, terminated, open) in rows {
        let facts = OrganizationFacts {
            village: parse_code(&village)?,
            filed,
            terminated,
            open_application: open.as_deref().map(parse_record_id).transpose()?,
        };
        k.organizations.insert(parse_record_id(&id)?, facts);
    }

    let rows: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT a.id, a.organization, o.village, a.kind, a.state, a.version
         FROM applications a JOIN organizations o ON o.id = a.organization
         WHERE a.id IN (SELECT value FROM json_each(?))",
    )
    .bind(json_list(l.applications.iter().map(RecordId::to_string)))
    .fetch_all(&mut **tx)
    .await?;
    for (id, organization, village, kind, state, version) in rows {
        let facts = ApplicationFacts {
            organization: parse_record_id(&organization)?,
            village: parse_code(&village)?,
            kind: parse_enum(&kind, "application kind")?,
            state: from_json(&state, "application state")?,
            version: parse_record_id(&version)?,
        };
        k.applications.insert(parse_record_id(&id)?, facts);
    }

    if !l.versions.is_empty() {
        let versions = json_list(l.versions.iter().map(RecordId::to_string));
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, application FROM filing_versions
             WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(&versions)
        .fetch_all(&mut **tx)
        .await?;
        for (id, application) in rows {
            k.versions
                .insert(parse_record_id(&id)?, parse_record_id(&application)?);
        }
        let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT version, role, person, at, decision FROM filing_trail
             WHERE version IN (SELECT value FROM json_each(?))
               AND role IS NOT NULL AND decision IS NOT NULL
             ORDER BY id",
        )
        .bind(&versions)
        .fetch_all(&mut **tx)
        .await?;
        for (version, role, person, at, decision) in rows {
            let Some(level) = review_level(parse_role(&role)?) else {
                continue;
            };
            let past = PastDecision {
                person,
                at: parse_time(&at)?,
                decision: from_json(&decision, "trail decision")?,
            };
            k.decided
                .entry((parse_record_id(&version)?, level))
                .or_insert(past);
        }
    }
    Ok(k)
}

/// Appends the change that puts an application into the filings feed, and returns its seq.
async fn append_change(
    tx: &mut Tx,
    application: &str,
    village: &DivisionCode,
    now: &str,
) -> Result<i64, Error> {
    let body = serde_json::json!({ "application": application }).to_string();
    Ok(sqlx::query_scalar(
        "INSERT INTO changes (entity, body, scope, created_at)
         VALUES ('application', ?, ?, ?) RETURNING seq",
    )
    .bind(body)
    .bind(village.as_str())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// One row of the trail.
struct Step<'a> {
    application: &'a str,
    version: &'a str,
    record: Option<&'a str>,
    at: &'a str,
    person: &'a str,
    role: Option<&'a str>,
    decision: Option<String>,
    state: &'a str,
}

async fn append_step(tx: &mut Tx, s: Step<'_>) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO filing_trail
         (application, version, record, at, person, role, decision, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(s.application)
    .bind(s.version)
    .bind(s.record)
    .bind(s.at)
    .bind(s.person)
    .bind(s.role)
    .bind(s.decision)
    .bind(s.state)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores an accepted `filing_submit` whose envelope `version` is already in the log.
pub(super) async fn submit(
    tx: &mut Tx,
    device: &Device,
    version: &str,
    body: &str,
    effect: &SubmitEffect<'_>,
    now: &str,
) -> Result<(), Error> {
    let s = effect.submission;
    let form = &s.form;
    let organization = s.organization.to_string();
    let application = s.application.to_string();
    let category = enum_str(&form.category)?;
    match effect.organization_state {
        Some(org_state) if effect.new_organization => {
            sqlx::query(
                "INSERT INTO organizations
                 (id, village, town, name, category, state, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )
            .bind(&organization)
            .bind(form.village.as_str())
            .bind(form.town.as_str())
            .bind(form.name.trim())
            .bind(&category)
            .bind(org_state.as_str())
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        // A first filing not yet filed: the organization reads as its latest version.
        Some(org_state) => {
            sqlx::query(
                "UPDATE organizations SET village = ?1, town = ?2, name = ?3, category = ?4,
                     state = ?5, updated_at = ?6
                 WHERE id = ?7",
            )
            .bind(form.village.as_str())
            .bind(form.town.as_str())
            .bind(form.name.trim())
            .bind(&category)
            .bind(org_state.as_str())
            .bind(now)
            .bind(&organization)
            .execute(&mut **tx)
            .await?;
        }
        // A change or termination alters nothing on file until its notice ends.
        None => {
            sqlx::query("UPDATE organizations SET updated_at = ? WHERE id = ?")
                .bind(now)
                .bind(&organization)
                .execute(&mut **tx)
                .await?;
        }
    }
    let seq = append_change(tx, &application, &form.village, now).await?;
    let state = to_json(&effect.state)?;
    if effect.new_application {
        sqlx::query(
            "INSERT INTO applications
             (id, organization, kind, state, version, notice_until, seq, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?7)",
        )
        .bind(&application)
        .bind(&organization)
        .bind(enum_str(&s.kind)?)
        .bind(&state)
        .bind(version)
        .bind(seq)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query(
            "UPDATE applications SET state = ?1, version = ?2, notice_until = NULL, seq = ?3,
                 updated_at = ?4
             WHERE id = ?5",
        )
        .bind(&state)
        .bind(version)
        .bind(seq)
        .bind(now)
        .bind(&application)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO filing_versions
         (id, application, organization, body, device_id, person, submitted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(version)
    .bind(&application)
    .bind(&organization)
    .bind(body)
    .bind(device.id)
    .bind(&device.person)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    super::photos::attach_to_version(tx, version, &s.photos).await?;
    append_step(
        tx,
        Step {
            application: &application,
            version,
            record: Some(version),
            at: now,
            person: &device.person,
            role: Some(device.role.as_str()),
            decision: None,
            state: &state,
        },
    )
    .await
}

/// Stores an accepted `filing_decision` whose envelope `record` is already in the log.
pub(super) async fn decide(
    tx: &mut Tx,
    device: &Device,
    record: &str,
    effect: &DecisionEffect<'_>,
    now: &str,
) -> Result<(), Error> {
    let d = effect.decision;
    let application = d.application.to_string();
    let organization = effect.organization.to_string();
    let seq = append_change(tx, &application, &effect.village, now).await?;
    let state = to_json(&effect.state)?;
    let notice_until = match &effect.state {
        FilingState::PublicNotice { until } => Some(timestamp(*until)),
        _ => None,
    };
    sqlx::query(
        "UPDATE applications SET state = ?1, notice_until = ?2, seq = ?3, updated_at = ?4
         WHERE id = ?5",
    )
    .bind(&state)
    .bind(notice_until)
    .bind(seq)
    .bind(now)
    .bind(&application)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE organizations SET state = coalesce(?1, state), updated_at = ?2 WHERE id = ?3",
    )
    .bind(effect.organization_state.map(OrganizationState::as_str))
    .bind(now)
    .bind(&organization)
    .execute(&mut **tx)
    .await?;
    append_step(
        tx,
        Step {
            application: &application,
            version: &d.version.to_string(),
            record: Some(record),
            at: now,
            person: &device.person,
            role: Some(device.role.as_str()),
            decision: Some(to_json(&d.decision)?),
            state: &state,
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------
// The end of notice periods

/// Whether any notice period has passed by `now`: a read, so that the sweep before every
/// feed and archive read takes the write lock only when there is something to do.
pub(super) async fn notices_due(pool: &SqlitePool, now: &str) -> Result<bool, Error> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM applications
                        WHERE notice_until IS NOT NULL AND notice_until <= ?)",
    )
    .bind(now)
    .fetch_one(pool)
    .await?)
}

pub(super) async fn end_notices(tx: &mut Tx, now: DateTime<Utc>) -> Result<usize, Error> {
    let at = timestamp(now);
    let due: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT a.id, a.kind, a.state, a.version, a.organization, o.village
         FROM applications a JOIN organizations o ON o.id = a.organization
         WHERE a.notice_until IS NOT NULL AND a.notice_until <= ?
         ORDER BY a.notice_until, a.id",
    )
    .bind(&at)
    .fetch_all(&mut **tx)
    .await?;
    for (application, kind, state, version, organization, village) in &due {
        let kind: ApplicationKind = parse_enum(kind, "application kind")?;
        let state: FilingState = from_json(state, "application state")?;
        let village = parse_code(village)?;
        let (next, end) = end_notice(kind, &state, now)
            .map_err(|e| Error::Corrupt(format!("application {application}: {e}")))?;
        let next = to_json(&next)?;
        let seq = append_change(tx, application, &village, &at).await?;
        sqlx::query(
            "UPDATE applications SET state = ?1, notice_until = NULL, seq = ?2, updated_at = ?3
             WHERE id = ?4",
        )
        .bind(&next)
        .bind(seq)
        .bind(&at)
        .bind(application)
        .execute(&mut **tx)
        .await?;
        match end {
            NoticeEnd::Filed => {
                let district = village.district();
                let year = i64::from(filings::certificate(&village, now, 0).year());
                let seq: i64 = sqlx::query_scalar(
                    "INSERT INTO certificate_sequences (district, year, last) VALUES (?, ?, 1)
                     ON CONFLICT (district, year) DO UPDATE SET last = last + 1
                     RETURNING last",
                )
                .bind(district.as_str())
                .bind(year)
                .fetch_one(&mut **tx)
                .await?;
                let seq = u32::try_from(seq)
                    .map_err(|_| Error::Corrupt(format!("certificate sequence {seq}")))?;
                let certificate = filings::certificate(&village, now, seq);
                sqlx::query(
                    "UPDATE organizations SET state = 'filed', certificate = ?1, filed_on = ?2,
                         filed_version = ?3, updated_at = ?4
                     WHERE id = ?5",
                )
                .bind(certificate.to_string())
                .bind(beijing_today(now).to_string())
                .bind(version)
                .bind(&at)
                .bind(organization)
                .execute(&mut **tx)
                .await?;
            }
            NoticeEnd::ChangeFiled => {
                sqlx::query(
                    "UPDATE organizations SET
                         name = (SELECT json_extract(body, '$.form.name')
                                 FROM filing_versions WHERE id = ?1),
                         category = (SELECT json_extract(body, '$.form.category')
                                     FROM filing_versions WHERE id = ?1),
                         filed_version = ?1, updated_at = ?2
                     WHERE id = ?3",
                )
                .bind(version)
                .bind(&at)
                .bind(organization)
                .execute(&mut **tx)
                .await?;
            }
            NoticeEnd::Terminated => {
                sqlx::query(
                    "UPDATE organizations SET state = 'terminated', updated_at = ? WHERE id = ?",
                )
                .bind(&at)
                .bind(organization)
                .execute(&mut **tx)
                .await?;
            }
        }
        append_step(
            tx,
            Step {
                application,
                version,
                record: None,
                at: &at,
                person: filings::SERVER_PERSON,
                role: None,
                decision: Some(to_json(&Decision::EndNotice)?),
                state: &next,
            },
        )
        .await?;
    }
    Ok(due.len())
}

// ---------------------------------------------------------------------------------------
// The clock

pub(super) async fn clock_offset(pool: &SqlitePool) -> Result<Duration, Error> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(CLOCK_OFFSET)
        .fetch_optional(pool)
        .await?;
    parse_offset(value.as_deref())
}

fn parse_offset(value: Option<&str>) -> Result<Duration, Error> {
    match value {
        None => Ok(Duration::zero()),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .and_then(Duration::try_seconds)
            .ok_or_else(|| Error::Corrupt(format!("clock offset {v:?}"))),
    }
}

pub(super) async fn advance_clock(tx: &mut Tx, by: Duration) -> Result<Duration, Error> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(CLOCK_OFFSET)
        .fetch_optional(&mut **tx)
        .await?;
    let offset = parse_offset(value.as_deref())?
        .checked_add(&by)
        .ok_or_else(|| Error::Corrupt("clock offset out of range".into()))?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = ?2",
    )
    .bind(CLOCK_OFFSET)
    .bind(offset.num_seconds().to_string())
    .execute(&mut **tx)
    .await?;
    Ok(offset)
}

// ---------------------------------------------------------------------------------------
// Reads

fn trail_entry(r: &SqliteRow) -> Result<(String, TrailEntry), Error> {
    let application: String = r.try_get("application")?;
    let at: String = r.try_get("at")?;
    let role: Option<String> = r.try_get("role")?;
    let version: String = r.try_get("version")?;
    let decision: Option<String> = r.try_get("decision")?;
    let state: String = r.try_get("state")?;
    let entry = TrailEntry {
        at: parse_time(&at)?,
        person: r.try_get("person")?,
        role: role.as_deref().map(parse_role).transpose()?,
        version: parse_record_id(&version)?,
        decision: decision
            .as_deref()
            .map(|d| from_json(d, "trail decision"))
            .transpose()?,
        state: from_json(&state, "trail state")?,
    };
    Ok((application, entry))
}

const TRAIL_COLUMNS: &str = "t.application, t.at, t.person, t.role, t.version, t.decision, t.state";

pub(super) async fn feed(
    pool: &SqlitePool,
    sight: &Sight,
    cursor: u64,
    limit: u32,
) -> Result<FeedPage, Error> {
    let (scope, device) = sight_binds(sight);
    let page: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT a.seq, a.id FROM applications a JOIN organizations o ON o.id = a.organization
         WHERE a.seq > ?3 AND {VISIBLE}
         ORDER BY a.seq LIMIT ?4"
    ))
    .bind(scope)
    .bind(device)
    .bind(i64::try_from(cursor).unwrap_or(i64::MAX))
    .bind(i64::from(limit) + 1)
    .fetch_all(pool)
    .await?;
    let more = page.len() > limit as usize;
    let page = &page[..page.len().min(limit as usize)];
    if page.is_empty() {
        return Ok(FeedPage {
            items: Vec::new(),
            more,
        });
    }
    let ids = json_list(page.iter().map(|(_, id)| id.clone()));
    let rows = sqlx::query(
        "SELECT a.id, a.organization, a.kind, a.state, a.version, a.updated_at,
                o.certificate, v.body
         FROM applications a
         JOIN organizations o ON o.id = a.organization
         JOIN filing_versions v ON v.id = a.version
         WHERE a.id IN (SELECT value FROM json_each(?))",
    )
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    let mut views = HashMap::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get("id")?;
        let organization: String = r.try_get("organization")?;
        let kind: String = r.try_get("kind")?;
        let state: String = r.try_get("state")?;
        let version: String = r.try_get("version")?;
        let updated_at: String = r.try_get("updated_at")?;
        let certificate: Option<String> = r.try_get("certificate")?;
        let body: String = r.try_get("body")?;
        let view = ApplicationView {
            id: parse_record_id(&id)?,
            organization: parse_record_id(&organization)?,
            kind: parse_enum(&kind, "application kind")?,
            state: from_json(&state, "application state")?,
            version: parse_record_id(&version)?,
            submission: from_json(&body, "version body")?,
            certificate: certificate.as_deref().map(parse_certificate).transpose()?,
            trail: Vec::new(),
            updated_at: parse_time(&updated_at)?,
            photos: Vec::new(),
        };
        views.insert(id, view);
    }
    let mut photos =
        super::photos::of_versions(pool, views.values().map(|v| v.version.to_string())).await?;
    for view in views.values_mut() {
        view.photos = photos.remove(&view.version.to_string()).unwrap_or_default();
    }
    let trail = sqlx::query(&format!(
        "SELECT {TRAIL_COLUMNS} FROM filing_trail t
         WHERE t.application IN (SELECT value FROM json_each(?)) ORDER BY t.id"
    ))
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    for r in &trail {
        let (application, entry) = trail_entry(r)?;
        if let Some(view) = views.get_mut(&application) {
            view.trail.push(entry);
        }
    }
    let items = page
        .iter()
        .map(|(seq, id)| {
            let application = views
                .remove(id)
                .ok_or_else(|| Error::Corrupt(format!("application {id} vanished")))?;
            let seq = u64::try_from(*seq).map_err(|_| Error::Corrupt(format!("seq {seq}")))?;
            Ok(FeedItem { seq, application })
        })
        .collect::<Result<_, Error>>()?;
    Ok(FeedPage { items, more })
}

/// The organizations `?1`/`?2` may see, filtered by state `?3`, village `?4` and id `?7`,
/// newest first, `?5` from `?6` on; each with its latest application.
const SUMMARIES: &str = "
    SELECT o.id, o.village, vd.name AS village_name, o.town, td.name AS town_name, o.name,
           o.category, o.state, o.certificate, o.filed_on, o.filed_version, o.updated_at,
           la.id AS application, la.kind, la.state AS application_state
    FROM organizations o
    JOIN divisions vd ON vd.code = o.village
    JOIN divisions td ON td.code = o.town
    JOIN applications la ON la.id = (SELECT a.id FROM applications a
                                     WHERE a.organization = o.id
                                     ORDER BY a.created_at DESC, a.id DESC LIMIT 1)";

const FILTERS: &str = "(?3 IS NULL OR o.state = ?3) AND (?4 IS NULL OR o.village = ?4)
    AND (?7 IS NULL OR o.id = ?7)";

fn summary(r: &SqliteRow) -> Result<(OrganizationSummary, Option<RecordId>), Error> {
    let id: String = r.try_get("id")?;
    let village: String = r.try_get("village")?;
    let town: String = r.try_get("town")?;
    let category: String = r.try_get("category")?;
    let state: String = r.try_get("state")?;
    let certificate: Option<String> = r.try_get("certificate")?;
    let filed_on: Option<String> = r.try_get("filed_on")?;
    let filed_version: Option<String> = r.try_get("filed_version")?;
    let updated_at: String = r.try_get("updated_at")?;
    let application: String = r.try_get("application")?;
    let kind: String = r.try_get("kind")?;
    let application_state: String = r.try_get("application_state")?;
    let summary = OrganizationSummary {
        id: parse_record_id(&id)?,
        name: r.try_get("name")?,
        category: parse_enum(&category, "category")?,
        village: parse_code(&village)?,
        village_name: r.try_get("village_name")?,
        town: parse_code(&town)?,
        town_name: r.try_get("town_name")?,
        state: parse_organization_state(&state)?,
        certificate: certificate.as_deref().map(parse_certificate).transpose()?,
        filed_on: filed_on
            .as_deref()
            .map(|d| {
                d.parse::<NaiveDate>()
                    .map_err(|_| Error::Corrupt(format!("filed_on {d:?}")))
            })
            .transpose()?,
        application: ApplicationBrief {
            id: parse_record_id(&application)?,
            kind: parse_enum(&kind, "application kind")?,
            state: from_json(&application_state, "application state")?,
        },
        updated_at: parse_time(&updated_at)?,
    };
    let filed_version = filed_version.as_deref().map(parse_record_id).transpose()?;
    Ok((summary, filed_version))
}

pub(super) async fn organizations(
    pool: &SqlitePool,
    q: &OrganizationQuery,
) -> Result<OrganizationList, Error> {
    let (scope, device) = sight_binds(&q.sight);
    let state = q.state.map(OrganizationState::as_str);
    let village = q.village.as_ref().map(DivisionCode::as_str);
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM organizations o WHERE {VISIBLE} AND {FILTERS}"
    ))
    .bind(&scope)
    .bind(device)
    .bind(state)
    .bind(village)
    .bind(None::<i64>)
    .bind(None::<i64>)
    .bind(None::<String>)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query(&format!(
        "{SUMMARIES} WHERE {VISIBLE} AND {FILTERS}
         ORDER BY o.updated_at DESC, o.id DESC LIMIT ?5 OFFSET ?6"
    ))
    .bind(&scope)
    .bind(device)
    .bind(state)
    .bind(village)
    .bind(i64::from(q.limit))
    .bind(i64::from(q.offset))
    .bind(None::<String>)
    .fetch_all(pool)
    .await?;
    let items = rows
        .iter()
        .map(|r| summary(r).map(|(s, _)| s))
        .collect::<Result<_, Error>>()?;
    Ok(OrganizationList {
        total: u64::try_from(total).unwrap_or(0),
        items,
    })
}

pub(super) async fn archive(
    pool: &SqlitePool,
    sight: &Sight,
    id: &RecordId,
    now: DateTime<Utc>,
) -> Result<Option<Archive>, Error> {
    let (scope, device) = sight_binds(sight);
    let id = id.to_string();
    let row = sqlx::query(&format!(
        "{SUMMARIES} WHERE {VISIBLE} AND {FILTERS} LIMIT ?5 OFFSET ?6"
    ))
    .bind(&scope)
    .bind(device)
    .bind(None::<String>)
    .bind(None::<String>)
    .bind(1_i64)
    .bind(0_i64)
    .bind(&id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let (organization, filed_version) = summary(&row)?;

    let rows = sqlx::query(
        "SELECT id, kind, state, version, created_at, updated_at FROM applications
         WHERE organization = ? ORDER BY created_at, id",
    )
    .bind(&id)
    .fetch_all(pool)
    .await?;
    let mut applications = Vec::with_capacity(rows.len());
    let mut index = HashMap::with_capacity(rows.len());
    for r in &rows {
        let app_id: String = r.try_get("id")?;
        let kind: String = r.try_get("kind")?;
        let state: String = r.try_get("state")?;
        let version: String = r.try_get("version")?;
        let created_at: String = r.try_get("created_at")?;
        let updated_at: String = r.try_get("updated_at")?;
        index.insert(app_id.clone(), applications.len());
        applications.push(ArchivedApplication {
            id: parse_record_id(&app_id)?,
            kind: parse_enum(&kind, "application kind")?,
            state: from_json(&state, "application state")?,
            version: parse_record_id(&version)?,
            created_at: parse_time(&created_at)?,
            updated_at: parse_time(&updated_at)?,
            versions: Vec::new(),
            trail: Vec::new(),
        });
    }

    let rows = sqlx::query(
        "SELECT id, application, body, person, submitted_at FROM filing_versions
         WHERE organization = ? ORDER BY submitted_at, id",
    )
    .bind(&id)
    .fetch_all(pool)
    .await?;
    let mut photos = super::photos::of_versions(
        pool,
        rows.iter()
            .map(|r| r.try_get::<String, _>("id"))
            .collect::<Result<Vec<_>, _>>()?,
    )
    .await?;
    for r in &rows {
        let version: String = r.try_get("id")?;
        let application: String = r.try_get("application")?;
        let body: String = r.try_get("body")?;
        let submitted_at: String = r.try_get("submitted_at")?;
        let submission: FilingSubmission = from_json(&body, "version body")?;
        let archived = ArchivedVersion {
            id: parse_record_id(&version)?,
            submitted_at: parse_time(&submitted_at)?,
            person: r.try_get("person")?,
            submission,
            photos: photos.remove(&version).unwrap_or_default(),
        };
        let slot = index
            .get(&application)
            .and_then(|i| applications.get_mut(*i))
            .ok_or_else(|| Error::Corrupt(format!("version {version} has no application")))?;
        slot.versions.push(archived);
    }

    let rows = sqlx::query(&format!(
        "SELECT {TRAIL_COLUMNS} FROM filing_trail t
         JOIN applications a ON a.id = t.application
         WHERE a.organization = ? ORDER BY t.id"
    ))
    .bind(&id)
    .fetch_all(pool)
    .await?;
    for r in &rows {
        let (application, entry) = trail_entry(r)?;
        if let Some(slot) = index
            .get(&application)
            .and_then(|i| applications.get_mut(*i))
        {
            slot.trail.push(entry);
        }
    }
    Ok(Some(Archive {
        organization,
        filed_version,
        applications,
        server_time: now,
    }))
}
