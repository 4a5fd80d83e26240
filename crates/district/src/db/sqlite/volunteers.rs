//! Volunteers (#5) in SQLite: the facts a push decides by, the writes of accepted
//! volunteer records, the district key, station geofences, and the reads (accounts,
//! registrations, sign-ups, activities, exchange items, pending hours).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Serialize};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Row, Sqlite, Transaction};
use wenming_core::volunteer::ledger::{Cause, Entry, IntegrityKind, Ledger};
use wenming_core::volunteer::pass::{DistrictKey, Geofence, Position};
use wenming_core::volunteer::service::{ServiceFlag, Span, VisitState};
use wenming_core::volunteer::signup::SignupStatus;
use wenming_core::volunteer::views::{
    ActivitySignup, ActivitySignupList, ExchangeItemList, ExchangeItemView, IntegrityRecord,
    LedgerLine, RegistrationOutcome, Review, ServiceRecordView, SignupView, VolunteerAccount,
    VolunteerActivityList, VolunteerActivityView, VolunteerMatch,
};
use wenming_core::volunteer::{ExchangeItem, Volunteer, VolunteerActivity};
use wenming_core::{DivisionCode, Phone, RecordId, StationCode};

use super::{json_list, parse_code, parse_record_id, parse_time};
use crate::batch::volunteer::{
    ActivityFacts, Booking, ItemFacts, ReviewFacts, ServiceFacts, SignupFacts, VolunteerKnown,
    VolunteerLookups,
};
use crate::batch::{timestamp, Effect, VolunteerRules};
use crate::db::{Device, Error, Station, VolunteerFile};

type Tx = Transaction<'static, Sqlite>;

/// id, kind, reason, about, station, station name, by, at.
type IntegrityRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

const SIGNING_KEY: &str = "district_signing_key";

fn to_json<T: Serialize>(v: &T) -> Result<String, Error> {
    serde_json::to_string(v).map_err(|e| Error::Corrupt(format!("cannot serialize: {e}")))
}

fn from_json<T: DeserializeOwned>(s: &str, what: &str) -> Result<T, Error> {
    serde_json::from_str(s).map_err(|e| Error::Corrupt(format!("{what}: {e}")))
}

fn parse_station(s: &str) -> Result<StationCode, Error> {
    StationCode::parse(s).map_err(|_| Error::Corrupt(format!("station code {s:?}")))
}

fn parse_phone(s: &str) -> Result<Phone, Error> {
    Phone::parse(s).map_err(|_| Error::Corrupt("a stored mobile number".into()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex32(s: &str) -> Result<[u8; 32], Error> {
    let bad = || Error::Corrupt("the district signing key".into());
    if s.len() != 64 || !s.is_ascii() {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(out)
}

fn u32_of(v: i64, what: &str) -> Result<u32, Error> {
    u32::try_from(v).map_err(|_| Error::Corrupt(format!("{what} {v}")))
}

// ---------------------------------------------------------------------------------------
// The district key and stations

pub(super) async fn district_secret(pool: &SqlitePool, fresh: [u8; 32]) -> Result<[u8; 32], Error> {
    let stored: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(SIGNING_KEY)
        .fetch_optional(pool)
        .await?;
    if let Some(s) = stored {
        return unhex32(&s);
    }
    // Of two first callers, the second's insert is ignored and both read the first's key.
    sqlx::query("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)")
        .bind(SIGNING_KEY)
        .bind(hex(&fresh))
        .execute(pool)
        .await?;
    let stored: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(SIGNING_KEY)
        .fetch_one(pool)
        .await?;
    unhex32(&stored)
}

async fn stored_key(tx: &mut Tx) -> Result<Option<DistrictKey>, Error> {
    let stored: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(SIGNING_KEY)
        .fetch_optional(&mut **tx)
        .await?;
    stored
        .map(|s| Ok(DistrictKey::from_secret(&unhex32(&s)?)))
        .transpose()
}

fn geofence_of(r: &SqliteRow) -> Result<Option<Geofence>, Error> {
    let lat: Option<i64> = r.try_get("lat_e6")?;
    let lon: Option<i64> = r.try_get("lon_e6")?;
    let radius: Option<i64> = r.try_get("radius_m")?;
    match (lat, lon, radius) {
        (Some(lat), Some(lon), Some(radius)) => Ok(Some(Geofence {
            lat_e6: i32::try_from(lat).map_err(|_| Error::Corrupt("geofence".into()))?,
            lon_e6: i32::try_from(lon).map_err(|_| Error::Corrupt("geofence".into()))?,
            radius_m: u32_of(radius, "geofence radius")?,
        })),
        _ => Ok(None),
    }
}

pub(super) async fn station(
    pool: &SqlitePool,
    code: &StationCode,
) -> Result<Option<Station>, Error> {
    let row = sqlx::query(
        "SELECT s.name, g.lat_e6, g.lon_e6, g.radius_m FROM stations s
         LEFT JOIN station_geofences g ON g.station = s.code WHERE s.code = ?",
    )
    .bind(code.as_str())
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(Station {
            code: code.clone(),
            name: r.try_get("name")?,
            geofence: geofence_of(&r)?,
        })
    })
    .transpose()
}

pub(super) async fn set_geofence(
    tx: &mut Tx,
    code: &StationCode,
    geofence: Option<Geofence>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM stations WHERE code = ?")
        .bind(code.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_none() {
        return Ok(false);
    }
    match geofence {
        None => {
            sqlx::query("DELETE FROM station_geofences WHERE station = ?")
                .bind(code.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Some(g) => {
            sqlx::query(
                "INSERT INTO station_geofences (station, lat_e6, lon_e6, radius_m, set_by, set_at)
                 VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (station) DO UPDATE SET lat_e6 = excluded.lat_e6,
                     lon_e6 = excluded.lon_e6, radius_m = excluded.radius_m,
                     set_by = excluded.set_by, set_at = excluded.set_at",
            )
            .bind(code.as_str())
            .bind(g.lat_e6)
            .bind(g.lon_e6)
            .bind(i64::from(g.radius_m))
            .bind(by)
            .bind(timestamp(now))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(true)
}

// ---------------------------------------------------------------------------------------
// Push

fn review_facts(r: &SqliteRow) -> Result<ReviewFacts, Error> {
    let review: String = r.try_get("review")?;
    match review.as_str() {
        "pending" => Ok(ReviewFacts::Pending),
        "revoked" => Ok(ReviewFacts::Revoked),
        "approved" => {
            let by: Option<String> = r.try_get("reviewed_by")?;
            let at: Option<String> = r.try_get("reviewed_at")?;
            let entry: Option<String> = r.try_get("review_record")?;
            match (by, at, entry) {
                (Some(by), Some(at), Some(entry)) => Ok(ReviewFacts::Approved {
                    by,
                    at: parse_time(&at)?,
                    entry: parse_record_id(&entry)?,
                }),
                _ => Err(Error::Corrupt("an approval without its facts".into())),
            }
        }
        other => Err(Error::Corrupt(format!("review {other:?}"))),
    }
}

fn flags_of(r: &SqliteRow) -> Result<Vec<ServiceFlag>, Error> {
    let flags: String = r.try_get("flags")?;
    from_json(&flags, "service flags")
}

/// Reads what the volunteer records of a batch depend on.
pub(super) async fn known(
    tx: &mut Tx,
    l: &VolunteerLookups,
    device: &Device,
) -> Result<VolunteerKnown, Error> {
    let mut k = VolunteerKnown::default();
    if l.is_empty() {
        return Ok(k);
    }
    let enrolled: String = sqlx::query_scalar("SELECT created_at FROM devices WHERE id = ?")
        .bind(device.id)
        .fetch_one(&mut **tx)
        .await?;
    k.enrolled_at = Some(parse_time(&enrolled)?);
    if l.passes {
        k.key = stored_key(tx).await?;
    }

    let mut phones: HashSet<Phone> = l.phones.clone();
    if !l.service_records.is_empty() {
        let rows = sqlx::query(
            "SELECT id, phone, station, checked_in_at, checked_out_at, checked_out, minutes,
                    flags, review, reviewed_by, reviewed_at, review_record
             FROM service_records WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(json_list(l.service_records.iter().map(RecordId::to_string)))
        .fetch_all(&mut **tx)
        .await?;
        for r in rows {
            let id: String = r.try_get("id")?;
            let phone = parse_phone(r.try_get("phone")?)?;
            let end: Option<String> = r.try_get("checked_out_at")?;
            let facts = ServiceFacts {
                phone: phone.clone(),
                station: parse_station(r.try_get("station")?)?,
                start: parse_time(r.try_get("checked_in_at")?)?,
                end: end.as_deref().map(parse_time).transpose()?,
                checked_out: r.try_get("checked_out")?,
                minutes: u32_of(r.try_get("minutes")?, "minutes")?,
                flags: flags_of(&r)?,
                review: review_facts(&r)?,
            };
            phones.insert(phone);
            k.service_records.insert(parse_record_id(&id)?, facts);
        }
    }

    if !phones.is_empty() {
        let list = json_list(phones.iter().map(|p| p.as_str().to_owned()));
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT phone, profile FROM volunteers WHERE phone IN (SELECT value FROM json_each(?))",
        )
        .bind(&list)
        .fetch_all(&mut **tx)
        .await?;
        for (phone, profile) in rows {
            let v: Volunteer = from_json(&profile, "volunteer profile")?;
            k.volunteers.insert(parse_phone(&phone)?, v);
        }
        let rows: Vec<(String, String, String, Option<String>, bool)> = sqlx::query_as(
            "SELECT id, phone, checked_in_at, checked_out_at, checked_out FROM service_records
             WHERE phone IN (SELECT value FROM json_each(?)) ORDER BY checked_in_at",
        )
        .bind(&list)
        .fetch_all(&mut **tx)
        .await?;
        for (id, phone, start, end, checked_out) in rows {
            k.spans.entry(parse_phone(&phone)?).or_default().push(Span {
                id: parse_record_id(&id)?,
                start: parse_time(&start)?,
                end: end.as_deref().map(parse_time).transpose()?,
                checked_out,
            });
        }
    }

    if !k.volunteers.is_empty() {
        let ids = json_list(k.volunteers.values().map(|v| v.id.to_string()));
        let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
            "SELECT volunteer, id, points, cause FROM ledger_entries
             WHERE volunteer IN (SELECT value FROM json_each(?)) ORDER BY seq",
        )
        .bind(&ids)
        .fetch_all(&mut **tx)
        .await?;
        let mut entries: HashMap<RecordId, Vec<Entry>> = HashMap::new();
        for (volunteer, id, points, cause) in rows {
            entries
                .entry(parse_record_id(&volunteer)?)
                .or_default()
                .push(Entry {
                    id: parse_record_id(&id)?,
                    points,
                    cause: from_json(&cause, "ledger cause")?,
                });
        }
        for v in k.volunteers.values() {
            let stored = entries.remove(&v.id).unwrap_or_default();
            let ledger = Ledger::from_entries(&stored)
                .map_err(|(id, e)| Error::Corrupt(format!("ledger entry {id}: {e}")))?;
            k.ledgers.insert(v.id, ledger);
        }
    }

    if !l.stations.is_empty() {
        let rows = sqlx::query(
            "SELECT s.code, g.lat_e6, g.lon_e6, g.radius_m FROM stations s
             LEFT JOIN station_geofences g ON g.station = s.code
             WHERE s.code IN (SELECT value FROM json_each(?))",
        )
        .bind(json_list(l.stations.iter().map(|s| s.as_str().to_owned())))
        .fetch_all(&mut **tx)
        .await?;
        for r in rows {
            k.stations
                .insert(parse_station(r.try_get("code")?)?, geofence_of(&r)?);
        }
    }

    if !l.activities.is_empty() {
        let list = json_list(l.activities.iter().map(RecordId::to_string));
        let rows: Vec<(String, String, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT a.id, a.station, a.starts_at, a.capacity,
                    (SELECT count(*) FROM signups s WHERE s.activity = a.id AND s.status = 'accepted'),
                    (SELECT count(*) FROM signups s WHERE s.activity = a.id AND s.status = 'waitlisted')
             FROM volunteer_activities a WHERE a.id IN (SELECT value FROM json_each(?))",
        )
        .bind(&list)
        .fetch_all(&mut **tx)
        .await?;
        for (id, station, starts_at, capacity, accepted, waitlisted) in rows {
            k.activities.insert(
                parse_record_id(&id)?,
                ActivityFacts {
                    station: parse_station(&station)?,
                    starts_at: parse_time(&starts_at)?,
                    capacity: u32_of(capacity, "capacity")?,
                    accepted: u32_of(accepted, "count")?,
                    waitlisted: u32_of(waitlisted, "count")?,
                },
            );
        }
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT activity, volunteer FROM signups
             WHERE activity IN (SELECT value FROM json_each(?))",
        )
        .bind(&list)
        .fetch_all(&mut **tx)
        .await?;
        for (activity, volunteer) in rows {
            k.signed_up
                .insert((parse_record_id(&activity)?, parse_record_id(&volunteer)?));
        }
    }

    if !l.signups.is_empty() {
        let rows: Vec<(String, String, String, String, Option<i64>, bool)> = sqlx::query_as(
            "SELECT s.id, s.volunteer, a.station, s.status, s.position, s.no_show IS NOT NULL
             FROM signups s JOIN volunteer_activities a ON a.id = s.activity
             WHERE s.id IN (SELECT value FROM json_each(?))",
        )
        .bind(json_list(l.signups.iter().map(RecordId::to_string)))
        .fetch_all(&mut **tx)
        .await?;
        for (id, volunteer, station, status, position, no_show) in rows {
            k.signups.insert(
                parse_record_id(&id)?,
                SignupFacts {
                    volunteer: parse_record_id(&volunteer)?,
                    station: parse_station(&station)?,
                    status: signup_status(&status, position)?,
                    no_show,
                },
            );
        }
    }

    if !l.items.is_empty() {
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT id, station, points, stock FROM exchange_items
             WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(json_list(l.items.iter().map(RecordId::to_string)))
        .fetch_all(&mut **tx)
        .await?;
        for (id, station, points, stock) in rows {
            k.items.insert(
                parse_record_id(&id)?,
                ItemFacts {
                    station: parse_station(&station)?,
                    points: u32_of(points, "points")?,
                    stock: u32_of(stock, "stock")?,
                },
            );
        }
    }
    Ok(k)
}

fn signup_status(status: &str, position: Option<i64>) -> Result<SignupStatus, Error> {
    match (status, position) {
        ("accepted", _) => Ok(SignupStatus::Accepted),
        ("waitlisted", Some(p)) => Ok(SignupStatus::Waitlisted {
            position: u32_of(p, "position")?,
        }),
        _ => Err(Error::Corrupt(format!("sign-up status {status:?}"))),
    }
}

async fn book(tx: &mut Tx, b: &Booking, now: &str) -> Result<(), Error> {
    let service_record = match &b.entry.cause {
        Cause::Earn { service_record, .. } => Some(service_record.to_string()),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO ledger_entries (id, volunteer, points, cause, service_record, balance, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(b.entry.id.to_string())
    .bind(b.volunteer.to_string())
    .bind(b.entry.points)
    .bind(to_json(&b.entry.cause)?)
    .bind(service_record)
    .bind(b.balance)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn integrity(
    tx: &mut Tx,
    id: &str,
    volunteer: &RecordId,
    kind: IntegrityKind,
    reason: &str,
    about: &RecordId,
    station: &StationCode,
    by: &str,
    now: &str,
) -> Result<(), Error> {
    let kind = match kind {
        IntegrityKind::NoShow => "no_show",
        IntegrityKind::RevokedHours => "revoked_hours",
    };
    sqlx::query(
        "INSERT INTO integrity_records (id, volunteer, kind, reason, about, station, by_person, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(volunteer.to_string())
    .bind(kind)
    .bind(reason)
    .bind(about.to_string())
    .bind(station.as_str())
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes what an accepted volunteer record (or the service side of a check-in or
/// check-out) changes; other effects are not this module's and do nothing here.
pub(super) async fn apply(
    tx: &mut Tx,
    device: &Device,
    id: &str,
    effect: &Effect<'_>,
    now: &str,
) -> Result<(), Error> {
    match effect {
        Effect::CheckIn(c, s) => {
            sqlx::query(
                "INSERT INTO service_records
                 (id, station, phone, volunteer_name, checked_in_at, checked_out_at, flags,
                  pass_problem, lat_e6, lon_e6, accuracy_m, inside_geofence)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(c.station.as_str())
            .bind(s.phone.as_str())
            .bind(c.volunteer_name.as_str())
            .bind(timestamp(s.start))
            .bind(s.end.map(timestamp))
            .bind(to_json(&s.flags)?)
            .bind(&s.pass_problem)
            .bind(s.position.map(|p| p.lat_e6))
            .bind(s.position.map(|p| p.lon_e6))
            .bind(s.position.map(|p| i64::from(p.accuracy_m)))
            .bind(s.inside_geofence)
            .execute(&mut **tx)
            .await?;
            if let Some((other, end)) = &s.closes {
                sqlx::query(
                    "UPDATE service_records SET checked_out_at = ? WHERE id = ? AND checked_out = 0",
                )
                .bind(timestamp(*end))
                .bind(other.to_string())
                .execute(&mut **tx)
                .await?;
            }
        }
        Effect::CheckOut {
            check_in,
            service: Some(s),
        } => {
            sqlx::query(
                "UPDATE service_records SET checked_out_at = ?, checked_out = 1, elapsed_ms = ?,
                     minutes = ?, flags = ? WHERE id = ?",
            )
            .bind(timestamp(s.end))
            .bind(s.elapsed_ms.map(|ms| i64::try_from(ms).unwrap_or(i64::MAX)))
            .bind(i64::from(s.minutes))
            .bind(to_json(&s.flags)?)
            .bind(check_in.to_string())
            .execute(&mut **tx)
            .await?;
        }
        Effect::Registration(e) => {
            let profile = to_json(&e.volunteer)?;
            if e.new_volunteer {
                sqlx::query(
                    "INSERT INTO volunteers (id, phone, profile, scope, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?)",
                )
                .bind(e.volunteer.id.to_string())
                .bind(e.volunteer.phone.as_str())
                .bind(&profile)
                .bind(device.scope.as_str())
                .bind(now)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            } else {
                sqlx::query("UPDATE volunteers SET profile = ?, updated_at = ? WHERE id = ?")
                    .bind(&profile)
                    .bind(now)
                    .bind(e.volunteer.id.to_string())
                    .execute(&mut **tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO registrations (id, volunteer, device_id, received_at)
                 VALUES (?, ?, ?, ?)",
            )
            .bind(id)
            .bind(e.volunteer.id.to_string())
            .bind(device.id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        Effect::VolunteerActivity(a) => {
            sqlx::query(
                "INSERT INTO volunteer_activities
                 (id, station, body, starts_at, ends_at, capacity, published_by, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(a.station.as_str())
            .bind(to_json(a)?)
            .bind(timestamp(a.starts_at))
            .bind(timestamp(a.ends_at))
            .bind(i64::from(a.volunteers_needed))
            .bind(&device.person)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        Effect::Signup(s, e) => {
            let (status, position) = match e.status {
                SignupStatus::Accepted => ("accepted", None),
                SignupStatus::Waitlisted { position } => ("waitlisted", Some(i64::from(position))),
            };
            sqlx::query(
                "INSERT INTO signups (id, activity, volunteer, status, position, device_id, received_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(s.activity.to_string())
            .bind(e.volunteer.to_string())
            .bind(status)
            .bind(position)
            .bind(device.id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        Effect::NoShow(n, e) => {
            sqlx::query("UPDATE signups SET no_show = ? WHERE id = ?")
                .bind(id)
                .bind(n.signup.to_string())
                .execute(&mut **tx)
                .await?;
            integrity(
                tx,
                id,
                &e.volunteer,
                IntegrityKind::NoShow,
                &e.reason,
                &n.signup,
                &e.station,
                &device.person,
                now,
            )
            .await?;
        }
        Effect::HoursApproval(e) => {
            sqlx::query(
                "UPDATE service_records SET review = 'approved', review_record = ?,
                     reviewed_by = ?, reviewed_at = ?, approved_minutes = ?
                 WHERE id = ? AND review = 'pending'",
            )
            .bind(id)
            .bind(&device.person)
            .bind(now)
            .bind(i64::from(e.minutes))
            .bind(e.service_record.to_string())
            .execute(&mut **tx)
            .await?;
            book(tx, &e.booking, now).await?;
        }
        Effect::HoursRevocation(e) => {
            sqlx::query(
                "UPDATE service_records SET review = 'revoked', review_record = ?,
                     reviewed_by = ?, reviewed_at = ?, revoke_reason = ?
                 WHERE id = ?",
            )
            .bind(id)
            .bind(&device.person)
            .bind(now)
            .bind(&e.reason)
            .bind(e.service_record.to_string())
            .execute(&mut **tx)
            .await?;
            integrity(
                tx,
                id,
                &e.volunteer,
                IntegrityKind::RevokedHours,
                &e.reason,
                &e.service_record,
                &e.station,
                &device.person,
                now,
            )
            .await?;
            if let Some(b) = &e.booking {
                book(tx, b, now).await?;
            }
        }
        Effect::ExchangeItem(i) => {
            sqlx::query(
                "INSERT INTO exchange_items (id, station, name, points, stock, created_by, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(i.station.as_str())
            .bind(i.name.trim())
            .bind(i64::from(i.points))
            .bind(i64::from(i.stock))
            .bind(&device.person)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        Effect::Exchange(e) => {
            sqlx::query("UPDATE exchange_items SET stock = stock - ? WHERE id = ?")
                .bind(i64::from(e.quantity))
                .bind(e.item.to_string())
                .execute(&mut **tx)
                .await?;
            book(tx, &e.booking, now).await?;
        }
        Effect::CheckOut { service: None, .. }
        | Effect::FilingSubmit(_)
        | Effect::FilingDecision(_)
        | Effect::Activity(_) => {}
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Reads

const SERVICE_COLUMNS: &str = "r.id, r.station, st.name AS station_name, r.phone,
    r.volunteer_name, r.checked_in_at, r.checked_out_at, r.checked_out, r.minutes, r.flags,
    r.pass_problem, r.lat_e6, r.lon_e6, r.accuracy_m, r.inside_geofence, r.review,
    r.review_record, r.reviewed_by, r.reviewed_at, r.approved_minutes, r.revoke_reason,
    v.id AS volunteer, (SELECT e.points FROM ledger_entries e WHERE e.id = r.review_record)
    AS points";

const SERVICE_FROM: &str = "FROM service_records r JOIN stations st ON st.code = r.station
    LEFT JOIN volunteers v ON v.phone = r.phone";

fn service_view(
    r: &SqliteRow,
    now: DateTime<Utc>,
    rules: &VolunteerRules,
) -> Result<ServiceRecordView, Error> {
    let id = parse_record_id(r.try_get("id")?)?;
    let start = parse_time(r.try_get("checked_in_at")?)?;
    let end: Option<String> = r.try_get("checked_out_at")?;
    let end = end.as_deref().map(parse_time).transpose()?;
    let checked_out: bool = r.try_get("checked_out")?;
    let span = Span {
        id,
        start,
        end,
        checked_out,
    };
    let state = span.state(now, &rules.service);
    let mut flags = flags_of(r)?;
    if matches!(state, VisitState::AutoClosed { .. }) {
        flags.push(ServiceFlag::AutoClosed);
        flags.sort();
        flags.dedup();
    }
    let position = match (
        r.try_get::<Option<i64>, _>("lat_e6")?,
        r.try_get::<Option<i64>, _>("lon_e6")?,
        r.try_get::<Option<i64>, _>("accuracy_m")?,
    ) {
        (Some(lat), Some(lon), Some(acc)) => Some(Position {
            lat_e6: i32::try_from(lat).map_err(|_| Error::Corrupt("position".into()))?,
            lon_e6: i32::try_from(lon).map_err(|_| Error::Corrupt("position".into()))?,
            accuracy_m: u32_of(acc, "accuracy")?,
        }),
        _ => None,
    };
    let review: String = r.try_get("review")?;
    let by: Option<String> = r.try_get("reviewed_by")?;
    let at: Option<String> = r.try_get("reviewed_at")?;
    let review = match (review.as_str(), by, at) {
        ("pending", _, _) => Review::Pending,
        ("approved", Some(by), Some(at)) => Review::Approved {
            by,
            at: parse_time(&at)?,
            minutes: u32_of(
                r.try_get::<Option<i64>, _>("approved_minutes")?
                    .unwrap_or(0),
                "minutes",
            )?,
            points: r.try_get::<Option<i64>, _>("points")?.unwrap_or(0),
        },
        ("revoked", Some(by), Some(at)) => Review::Revoked {
            by,
            at: parse_time(&at)?,
            reason: r
                .try_get::<Option<String>, _>("revoke_reason")?
                .unwrap_or_default(),
        },
        (other, _, _) => return Err(Error::Corrupt(format!("review {other:?}"))),
    };
    let volunteer: Option<String> = r.try_get("volunteer")?;
    Ok(ServiceRecordView {
        id,
        volunteer: volunteer.as_deref().map(parse_record_id).transpose()?,
        volunteer_name: r.try_get("volunteer_name")?,
        station: parse_station(r.try_get("station")?)?,
        station_name: r.try_get("station_name")?,
        checked_in_at: start,
        checked_out_at: if checked_out { end } else { None },
        state,
        minutes: if checked_out {
            u32_of(r.try_get("minutes")?, "minutes")?
        } else {
            0
        },
        flags,
        pass_problem: r.try_get("pass_problem")?,
        position,
        inside_geofence: r.try_get("inside_geofence")?,
        review,
    })
}

const SIGNUP_SELECT: &str = "SELECT s.id, s.activity, s.volunteer, s.status, s.position,
    s.no_show IS NOT NULL AS no_show, a.body, st.name AS station_name
    FROM signups s JOIN volunteer_activities a ON a.id = s.activity
    JOIN stations st ON st.code = a.station";

fn signup_view(r: &SqliteRow) -> Result<SignupView, Error> {
    let activity: VolunteerActivity = from_json(r.try_get("body")?, "activity")?;
    let status: String = r.try_get("status")?;
    Ok(SignupView {
        id: parse_record_id(r.try_get("id")?)?,
        activity: parse_record_id(r.try_get("activity")?)?,
        title: activity.title,
        station_name: r.try_get("station_name")?,
        starts_at: activity.starts_at,
        volunteer: parse_record_id(r.try_get("volunteer")?)?,
        status: signup_status(&status, r.try_get("position")?)?,
        no_show: r.try_get("no_show")?,
    })
}

pub(super) async fn registrations_of_device(
    pool: &SqlitePool,
    device: i64,
) -> Result<Vec<RegistrationOutcome>, Error> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT r.id, r.volunteer, v.profile FROM registrations r
         JOIN volunteers v ON v.id = r.volunteer
         WHERE r.device_id = ? ORDER BY r.id DESC LIMIT 1000",
    )
    .bind(device)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(id, volunteer, profile)| {
            let profile: Volunteer = from_json(&profile, "volunteer profile")?;
            Ok(RegistrationOutcome {
                registration: parse_record_id(&id)?,
                volunteer: parse_record_id(&volunteer)?,
                merged: profile.registrations.len() > 1,
                profile,
            })
        })
        .collect()
}

pub(super) async fn signups_of_device(
    pool: &SqlitePool,
    device: i64,
) -> Result<Vec<SignupView>, Error> {
    let rows = sqlx::query(&format!(
        "{SIGNUP_SELECT} WHERE s.device_id = ? ORDER BY s.id DESC LIMIT 1000"
    ))
    .bind(device)
    .fetch_all(pool)
    .await?;
    rows.iter().map(signup_view).collect()
}

/// id, volunteer, status, position, no-show, profile, phone.
type SignupRow = (String, String, String, Option<i64>, bool, String, String);

pub(super) async fn activity_signups(
    pool: &SqlitePool,
    activity: &RecordId,
) -> Result<Option<(StationCode, ActivitySignupList)>, Error> {
    let id_text = activity.to_string();
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT station, body FROM volunteer_activities WHERE id = ?")
            .bind(&id_text)
            .fetch_optional(pool)
            .await?;
    let Some((station, body)) = row else {
        return Ok(None);
    };
    let body: VolunteerActivity = from_json(&body, "activity")?;
    let rows: Vec<SignupRow> = sqlx::query_as(
        "SELECT s.id, s.volunteer, s.status, s.position, s.no_show IS NOT NULL,
                    v.profile, v.phone
             FROM signups s JOIN volunteers v ON v.id = s.volunteer
             WHERE s.activity = ? ORDER BY s.received_at, s.id LIMIT 2000",
    )
    .bind(&id_text)
    .fetch_all(pool)
    .await?;
    let items = rows
        .into_iter()
        .map(
            |(id, volunteer, status, position, no_show, profile, phone)| {
                let profile: Volunteer = from_json(&profile, "volunteer profile")?;
                Ok(ActivitySignup {
                    id: parse_record_id(&id)?,
                    volunteer: parse_record_id(&volunteer)?,
                    volunteer_name: profile.name.to_string(),
                    phone: parse_phone(&phone)?.masked(),
                    status: signup_status(&status, position)?,
                    no_show,
                })
            },
        )
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Some((
        parse_station(&station)?,
        ActivitySignupList {
            activity: *activity,
            title: body.title,
            items,
        },
    )))
}

pub(super) async fn volunteer_by_phone(
    pool: &SqlitePool,
    phone: &Phone,
) -> Result<Option<(VolunteerMatch, DivisionCode)>, Error> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT id, profile, scope FROM volunteers WHERE phone = ?")
            .bind(phone.as_str())
            .fetch_optional(pool)
            .await?;
    let Some((id, profile, scope)) = row else {
        return Ok(None);
    };
    let profile: Volunteer = from_json(&profile, "volunteer profile")?;
    Ok(Some((
        VolunteerMatch {
            id: parse_record_id(&id)?,
            name: profile.name.to_string(),
        },
        parse_code(&scope)?,
    )))
}

pub(super) async fn volunteer_file(
    pool: &SqlitePool,
    id: &RecordId,
    now: DateTime<Utc>,
    rules: &VolunteerRules,
) -> Result<Option<VolunteerFile>, Error> {
    let id_text = id.to_string();
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT profile, scope, phone FROM volunteers WHERE id = ?")
            .bind(&id_text)
            .fetch_optional(pool)
            .await?;
    let Some((profile, scope, phone)) = row else {
        return Ok(None);
    };
    let volunteer: Volunteer = from_json(&profile, "volunteer profile")?;
    let devices: Vec<i64> =
        sqlx::query_scalar("SELECT DISTINCT device_id FROM registrations WHERE volunteer = ?")
            .bind(&id_text)
            .fetch_all(pool)
            .await?;
    let rows = sqlx::query(&format!(
        "SELECT {SERVICE_COLUMNS} {SERVICE_FROM} WHERE r.phone = ?
         ORDER BY r.checked_in_at DESC LIMIT 1000"
    ))
    .bind(&phone)
    .fetch_all(pool)
    .await?;
    let service_records = rows
        .iter()
        .map(|r| service_view(r, now, rules))
        .collect::<Result<Vec<_>, Error>>()?;
    let approved_minutes = service_records
        .iter()
        .map(|r| match r.review {
            Review::Approved { minutes, .. } => minutes,
            _ => 0,
        })
        .sum();
    let rows: Vec<(String, i64, String, i64, String)> = sqlx::query_as(
        "SELECT id, points, cause, balance, at FROM ledger_entries
         WHERE volunteer = ? ORDER BY seq",
    )
    .bind(&id_text)
    .fetch_all(pool)
    .await?;
    let ledger = rows
        .into_iter()
        .map(|(entry, points, cause, balance, at)| {
            Ok(LedgerLine {
                entry: Entry {
                    id: parse_record_id(&entry)?,
                    points,
                    cause: from_json(&cause, "ledger cause")?,
                },
                at: parse_time(&at)?,
                balance,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let balance = ledger.last().map_or(0, |l| l.balance);
    let rows: Vec<IntegrityRow> = sqlx::query_as(
        "SELECT i.id, i.kind, i.reason, i.about, i.station, st.name, i.by_person, i.at
             FROM integrity_records i JOIN stations st ON st.code = i.station
             WHERE i.volunteer = ? ORDER BY i.at DESC",
    )
    .bind(&id_text)
    .fetch_all(pool)
    .await?;
    let integrity = rows
        .into_iter()
        .map(|(id, kind, reason, about, station, station_name, by, at)| {
            Ok(IntegrityRecord {
                id: parse_record_id(&id)?,
                kind: match kind.as_str() {
                    "no_show" => IntegrityKind::NoShow,
                    "revoked_hours" => IntegrityKind::RevokedHours,
                    other => return Err(Error::Corrupt(format!("integrity kind {other:?}"))),
                },
                reason,
                about: parse_record_id(&about)?,
                station: parse_station(&station)?,
                station_name,
                by,
                at: parse_time(&at)?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let rows = sqlx::query(&format!(
        "{SIGNUP_SELECT} WHERE s.volunteer = ? ORDER BY a.starts_at DESC"
    ))
    .bind(&id_text)
    .fetch_all(pool)
    .await?;
    let signups = rows
        .iter()
        .map(signup_view)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(VolunteerFile {
        account: VolunteerAccount {
            volunteer,
            balance,
            approved_minutes,
            service_records,
            ledger,
            integrity,
            signups,
        },
        village: parse_code(&scope)?,
        devices,
    }))
}

pub(super) async fn activities(
    pool: &SqlitePool,
    now: DateTime<Utc>,
    station: Option<&StationCode>,
) -> Result<VolunteerActivityList, Error> {
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT a.id, a.body, st.name,
                (SELECT count(*) FROM signups s WHERE s.activity = a.id AND s.status = 'accepted'),
                (SELECT count(*) FROM signups s WHERE s.activity = a.id AND s.status = 'waitlisted')
         FROM volunteer_activities a JOIN stations st ON st.code = a.station
         WHERE a.ends_at > ?1 AND (?2 IS NULL OR a.station = ?2)
         ORDER BY a.starts_at, a.id LIMIT 500",
    )
    .bind(timestamp(now))
    .bind(station.map(StationCode::as_str))
    .fetch_all(pool)
    .await?;
    let items = rows
        .into_iter()
        .map(|(id, body, station_name, accepted, waitlisted)| {
            Ok(VolunteerActivityView {
                id: parse_record_id(&id)?,
                activity: from_json(&body, "activity")?,
                station_name,
                accepted: u32_of(accepted, "count")?,
                waitlisted: u32_of(waitlisted, "count")?,
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(VolunteerActivityList { items })
}

pub(super) async fn exchange_items(
    pool: &SqlitePool,
    scope: &DivisionCode,
    station: Option<&StationCode>,
) -> Result<ExchangeItemList, Error> {
    let rows: Vec<(String, String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT i.id, i.station, i.name, i.points, i.stock, st.name
         FROM exchange_items i JOIN stations st ON st.code = i.station
         WHERE i.station GLOB ?1 || '*' AND (?2 IS NULL OR i.station = ?2)
         ORDER BY i.station, i.name LIMIT 1000",
    )
    .bind(scope.as_str())
    .bind(station.map(StationCode::as_str))
    .fetch_all(pool)
    .await?;
    let items = rows
        .into_iter()
        .map(|(id, station, name, points, stock, station_name)| {
            Ok(ExchangeItemView {
                id: parse_record_id(&id)?,
                item: ExchangeItem {
                    station: parse_station(&station)?,
                    name,
                    points: u32_of(points, "points")?,
                    stock: u32_of(stock, "stock")?,
                },
                station_name,
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(ExchangeItemList { items })
}

pub(super) async fn pending_hours(
    pool: &SqlitePool,
    scope: &DivisionCode,
    now: DateTime<Utc>,
    rules: &VolunteerRules,
    limit: u32,
) -> Result<Vec<ServiceRecordView>, Error> {
    let closed_before = timestamp(now - rules.service.auto_close_after);
    let rows = sqlx::query(&format!(
        "SELECT {SERVICE_COLUMNS} {SERVICE_FROM}
         WHERE r.station GLOB ?1 || '*' AND r.review = 'pending'
           AND (r.checked_out_at IS NOT NULL OR r.checked_in_at <= ?2)
         ORDER BY r.checked_in_at, r.id LIMIT ?3"
    ))
    .bind(scope.as_str())
    .bind(closed_before)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| service_view(r, now, rules)).collect()
}
