//! The volunteer reads (#5) and the station settings: the district key, station passes
//! for printing, geofences, what became of a phone's registrations and sign-ups, a
//! volunteer's account and certificate, published activities, exchange items, and the
//! hours waiting for a station admin. Every record that changes something travels through
//! `/push`; only the geofence, a setting an admin makes online, is set here.
//!
//! Scope is enforced here: a volunteer's account is read by the phones that registered
//! them and by station admins, reviewers and the district above the village they first
//! registered in; anyone else is answered exactly as for a volunteer that does not exist.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Deserialize;
use wenming_core::protocol::Role;
use wenming_core::volunteer::pass::{pass_link, DistrictKey, Geofence, StationPass};
use wenming_core::volunteer::service::hours_text;
use wenming_core::volunteer::views::{
    ActivitySignupList, Certificate, CertificateLine, ExchangeItemList, PendingHours,
    RegistrationList, Review, SignupList, StationGeofence, StationPassSheet, VolunteerAccount,
    VolunteerActivityList, VolunteerMatch,
};
use wenming_core::{Phone, RecordId, StationCode};

use super::auth::Authenticated;
use super::{AppState, Error};
use crate::db::{Device, Station};
use crate::enrollment::random;
use crate::filings::beijing_today;

/// The longest a printed pass may be valid.
pub const MAX_PASS_DAYS: i64 = 31;
pub const DEFAULT_PENDING_PAGE: u32 = 200;
pub const MAX_PENDING_PAGE: u32 = 1_000;
/// The largest geofence a station may have.
pub const MAX_GEOFENCE_M: u32 = 5_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/district-key", get(district_key_route))
        .route("/stations/{code}/pass", get(station_pass))
        .route(
            "/stations/{code}/geofence",
            get(get_geofence).put(put_geofence).delete(delete_geofence),
        )
        .route("/registrations", get(registrations))
        .route("/signups", get(signups))
        .route("/volunteers", get(find_volunteer))
        .route("/volunteers/{id}", get(account))
        .route("/volunteers/{id}/certificate", get(certificate))
        .route("/volunteer-activities", get(activities))
        .route("/volunteer-activities/{id}/signups", get(activity_signups))
        .route("/exchange-items", get(exchange_items))
        .route("/hours/pending", get(pending_hours))
}

/// The district's public key, made on first use; the secret stays in the database.
pub async fn district_key(state: &AppState) -> Result<DistrictKey, Error> {
    Ok(DistrictKey::from_secret(&secret(state).await?))
}

async fn secret(state: &AppState) -> Result<[u8; 32], Error> {
    let fresh = random::<32>().map_err(|e| Error::Internal(e.into()))?;
    Ok(state.store.district_secret(fresh).await?)
}

async fn district_key_route(
    State(state): State<AppState>,
    Authenticated(_): Authenticated,
) -> Result<Json<DistrictKey>, Error> {
    Ok(Json(district_key(&state).await?))
}

fn parse_station(code: &str) -> Result<StationCode, Error> {
    StationCode::parse(code).map_err(|_| Error::NoSuchStation)
}

/// A station the device may manage: its admin, or a reviewer or the district above it.
async fn managed_station(
    state: &AppState,
    device: &Device,
    code: &str,
    roles: &[Role],
    refusal: &str,
) -> Result<Station, Error> {
    let code = parse_station(code)?;
    let station = state
        .store
        .station(&code)
        .await?
        .ok_or(Error::NoSuchStation)?;
    if !roles.contains(&device.role) || !device.scope.contains(code.village()) {
        return Err(Error::Forbidden(refusal.to_owned()));
    }
    Ok(station)
}

const PASS_ROLES: [Role; 4] = [
    Role::StationAdmin,
    Role::VillageReviewer,
    Role::TownReviewer,
    Role::DistrictAdmin,
];
const REFUSE_PASS: &str = "只有本站管理员或辖区审核人员可以生成签到码";
const GEOFENCE_ROLES: [Role; 2] = [Role::StationAdmin, Role::DistrictAdmin];
const REFUSE_GEOFENCE: &str = "只有本站管理员或区级管理员可以设置站点范围";

#[derive(Debug, Deserialize)]
struct PassParams {
    days: Option<i64>,
    /// Where the volunteers' app is served (the admin's app sends its own origin): the QR
    /// code then holds a link that opens the app with the pass, which any camera app or
    /// WeChat's scanner can follow. Without it, the QR code holds the bare pass.
    base: Option<String>,
}

async fn station_pass(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(code): Path<String>,
    params: Result<Query<PassParams>, QueryRejection>,
) -> Result<Json<StationPassSheet>, Error> {
    let Query(params) =
        params.map_err(|_| Error::BadRequest(format!("days 应为 1 至 {MAX_PASS_DAYS} 的整数")))?;
    let validity = match params.days {
        None => state.volunteer_rules.pass_validity,
        Some(d) if (1..=MAX_PASS_DAYS).contains(&d) => Duration::days(d),
        Some(_) => {
            return Err(Error::BadRequest(format!(
                "days 应为 1 至 {MAX_PASS_DAYS} 的整数"
            )))
        }
    };
    let station = managed_station(&state, &device, &code, &PASS_ROLES, REFUSE_PASS).await?;
    let secret = secret(&state).await?;
    let now = Utc::now();
    // Whole seconds, a minute back: a phone whose clock is a little behind can use a pass
    // the moment it is printed.
    let not_before = DateTime::from_timestamp(now.timestamp() - 60, 0).unwrap_or(now);
    let pass = StationPass {
        station: station.code.clone(),
        not_before,
        not_after: not_before + validity,
        key_id: String::new(),
        geofence: station.geofence,
    };
    let text = pass.sign(&secret);
    let qr_text = match params.base.as_deref() {
        None => text.clone(),
        Some(base) => pass_link(base, &text).ok_or_else(|| {
            Error::BadRequest("base 应为本系统的网址，如 https://wl.example.cn".to_owned())
        })?,
    };
    let key = DistrictKey::from_secret(&secret);
    let qr = QrCode::with_error_correction_level(qr_text.as_bytes(), EcLevel::M)
        .map_err(|e| Error::Internal(Box::new(e)))?;
    let qr_svg = qr
        .render::<svg::Color<'_>>()
        .min_dimensions(480, 480)
        .quiet_zone(true)
        .build();
    Ok(Json(StationPassSheet {
        station: station.code,
        station_name: station.name,
        pass: text,
        not_before: pass.not_before,
        not_after: pass.not_after,
        key_id: key.key_id,
        qr_text,
        qr_svg,
    }))
}

async fn get_geofence(
    State(state): State<AppState>,
    Authenticated(_): Authenticated,
    Path(code): Path<String>,
) -> Result<Json<StationGeofence>, Error> {
    let code = parse_station(&code)?;
    let station = state
        .store
        .station(&code)
        .await?
        .ok_or(Error::NoSuchStation)?;
    Ok(Json(StationGeofence {
        station: station.code,
        geofence: station.geofence,
    }))
}

async fn set_geofence(
    state: &AppState,
    device: &Device,
    code: &str,
    geofence: Option<Geofence>,
) -> Result<Json<StationGeofence>, Error> {
    let station = managed_station(state, device, code, &GEOFENCE_ROLES, REFUSE_GEOFENCE).await?;
    if let Some(g) = &geofence {
        let ok = (-90_000_000..=90_000_000).contains(&g.lat_e6)
            && (-180_000_000..=180_000_000).contains(&g.lon_e6)
            && (1..=MAX_GEOFENCE_M).contains(&g.radius_m);
        if !ok {
            return Err(Error::BadRequest(format!(
                "站点范围有误：纬度、经度以百万分之一度计，半径应在 1 至 {MAX_GEOFENCE_M} 米之间"
            )));
        }
    }
    state
        .store
        .set_geofence(&station.code, geofence, &device.person, Utc::now())
        .await?;
    Ok(Json(StationGeofence {
        station: station.code,
        geofence,
    }))
}

async fn put_geofence(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(code): Path<String>,
    body: Result<Json<Geofence>, JsonRejection>,
) -> Result<Json<StationGeofence>, Error> {
    let Json(geofence) = body.map_err(|_| {
        Error::BadRequest(
            "请求格式有误，应为 {\"lat_e6\": 纬度×10⁶, \"lon_e6\": 经度×10⁶, \"radius_m\": 半径（米）}"
                .to_owned(),
        )
    })?;
    set_geofence(&state, &device, &code, Some(geofence)).await
}

async fn delete_geofence(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(code): Path<String>,
) -> Result<Json<StationGeofence>, Error> {
    set_geofence(&state, &device, &code, None).await
}

async fn registrations(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
) -> Result<Json<RegistrationList>, Error> {
    let items = state.store.registrations_of_device(device.id).await?;
    Ok(Json(RegistrationList { items }))
}

async fn signups(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
) -> Result<Json<SignupList>, Error> {
    let items = state.store.signups_of_device(device.id).await?;
    Ok(Json(SignupList { items }))
}

/// The roles that oversee the volunteers registered inside their scope.
fn oversees(device: &Device, village: &wenming_core::DivisionCode) -> bool {
    matches!(
        device.role,
        Role::StationAdmin | Role::VillageReviewer | Role::TownReviewer | Role::DistrictAdmin
    ) && device.scope.contains(village)
}

#[derive(Debug, Deserialize)]
struct PhoneParams {
    phone: Option<String>,
}

/// A station admin finds a volunteer by mobile number: only one registered inside the
/// device's scope; any other number reads as unknown.
async fn find_volunteer(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    params: Result<Query<PhoneParams>, QueryRejection>,
) -> Result<Json<VolunteerMatch>, Error> {
    let bad = || Error::BadRequest("phone 应为 11 位手机号".to_owned());
    let Query(params) = params.map_err(|_| bad())?;
    let phone = Phone::parse(params.phone.as_deref().unwrap_or_default().trim())
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    match state.store.volunteer_by_phone(&phone).await? {
        Some((found, village)) if oversees(&device, &village) => Ok(Json(found)),
        _ => Err(Error::NoSuchVolunteer),
    }
}

/// The sign-ups of an activity, for the admin of its station and the district; anyone
/// else is answered as for an activity that does not exist.
async fn activity_signups(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ActivitySignupList>, Error> {
    let id = RecordId::parse(&id).map_err(|_| Error::NoSuchRecord)?;
    match state.store.activity_signups(&id).await? {
        Some((station, list))
            if matches!(device.role, Role::StationAdmin | Role::DistrictAdmin)
                && device.scope.contains(station.village()) =>
        {
            Ok(Json(list))
        }
        _ => Err(Error::NoSuchRecord),
    }
}

/// The account of a volunteer this device may read; else the same 404 as for none.
async fn readable_account(
    state: &AppState,
    device: &Device,
    id: &str,
) -> Result<VolunteerAccount, Error> {
    let id = RecordId::parse(id).map_err(|_| Error::NoSuchVolunteer)?;
    let file = state
        .store
        .volunteer_file(&id, Utc::now(), &state.volunteer_rules)
        .await?
        .ok_or(Error::NoSuchVolunteer)?;
    let registered_here = file.devices.contains(&device.id);
    if registered_here || oversees(device, &file.village) {
        Ok(file.account)
    } else {
        Err(Error::NoSuchVolunteer)
    }
}

async fn account(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<VolunteerAccount>, Error> {
    Ok(Json(readable_account(&state, &device, &id).await?))
}

#[derive(Debug, Deserialize)]
struct PeriodParams {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

async fn certificate(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(id): Path<String>,
    params: Result<Query<PeriodParams>, QueryRejection>,
) -> Result<Json<Certificate>, Error> {
    let bad = || Error::BadRequest("from 和 to 应为日期，如 2026-01-01".to_owned());
    let Query(params) = params.map_err(|_| bad())?;
    let now = Utc::now();
    let today = beijing_today(now);
    let to = params.to.unwrap_or(today);
    let from = match params.from {
        Some(d) => d,
        None => NaiveDate::from_ymd_opt(to.year(), 1, 1).ok_or_else(bad)?,
    };
    if from > to {
        return Err(Error::BadRequest("开始日期不能晚于结束日期".to_owned()));
    }
    let account = readable_account(&state, &device, &id).await?;
    let mut lines: Vec<(DateTime<Utc>, CertificateLine)> = account
        .service_records
        .iter()
        .filter_map(|r| match r.review {
            Review::Approved { minutes, .. } => {
                let date = beijing_today(r.checked_in_at);
                (from <= date && date <= to).then(|| {
                    let line = CertificateLine {
                        date,
                        station_name: r.station_name.clone(),
                        minutes,
                    };
                    (r.checked_in_at, line)
                })
            }
            _ => None,
        })
        .collect();
    lines.sort_by_key(|(at, _)| *at);
    let lines: Vec<CertificateLine> = lines.into_iter().map(|(_, l)| l).collect();
    let total_minutes = lines.iter().map(|l| l.minutes).sum();
    let district = device.scope.district();
    let district_name = state
        .store
        .division(&district)
        .await?
        .map(|d| d.name)
        .unwrap_or_default();
    let v = account.volunteer;
    Ok(Json(Certificate {
        volunteer: v.id,
        name: v.name.to_string(),
        gender: v.gender,
        birth_year: v.birth_year,
        phone: v.phone.masked(),
        district_name,
        from,
        to,
        lines,
        total_minutes,
        total_hours: hours_text(total_minutes),
        issued_at: now,
    }))
}

#[derive(Debug, Deserialize)]
struct StationParams {
    station: Option<String>,
}

fn station_param(
    params: Result<Query<StationParams>, QueryRejection>,
) -> Result<Option<StationCode>, Error> {
    let Query(params) = params.map_err(|_| Error::BadRequest("station 应为站点编号".into()))?;
    params
        .station
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(StationCode::parse)
        .transpose()
        .map_err(|e| Error::BadRequest(e.to_string()))
}

/// Every device of the district sees every activity: volunteers serve in neighbouring
/// villages too.
async fn activities(
    State(state): State<AppState>,
    Authenticated(_): Authenticated,
    params: Result<Query<StationParams>, QueryRejection>,
) -> Result<Json<VolunteerActivityList>, Error> {
    let station = station_param(params)?;
    Ok(Json(
        state
            .store
            .volunteer_activities(Utc::now(), station.as_ref())
            .await?,
    ))
}

/// Items of the stations of the district (volunteers exchange wherever they serve).
async fn exchange_items(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    params: Result<Query<StationParams>, QueryRejection>,
) -> Result<Json<ExchangeItemList>, Error> {
    let station = station_param(params)?;
    Ok(Json(
        state
            .store
            .exchange_items(&device.scope.district(), station.as_ref())
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
struct PendingParams {
    limit: Option<u32>,
}

async fn pending_hours(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    params: Result<Query<PendingParams>, QueryRejection>,
) -> Result<Json<PendingHours>, Error> {
    let Query(params) = params.map_err(|_| Error::BadRequest("limit 应为正整数".into()))?;
    if !matches!(device.role, Role::StationAdmin | Role::DistrictAdmin) {
        return Err(Error::Forbidden(
            "只有实践站管理员或区级管理员可以审核服务时长".to_owned(),
        ));
    }
    let limit = params
        .limit
        .unwrap_or(DEFAULT_PENDING_PAGE)
        .clamp(1, MAX_PENDING_PAGE);
    let items = state
        .store
        .pending_hours(&device.scope, Utc::now(), &state.volunteer_rules, limit)
        .await?;
    Ok(Json(PendingHours { items }))
}
