//! The reads of activities (#4), each limited to the asking device's scope: activity
//! reports (list with filters, detail with photos and flags, counts for a chart), major-
//! activity pre-reports (the feed that brings the street/town's answer to the phone, and a
//! list for reviewers), summary periods (the district admin creates them) and who has
//! reported. A record outside the scope reads exactly like one that does not exist.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use wenming_core::activity::views::{
    ActivityDetail, ActivityList, ActivityStats, NewSummaryPeriod, PeriodStatus, PreReportFeed,
    PreReportList, PreReportView, SummaryDetail, SummaryPeriod, SummaryPeriodList,
};
use wenming_core::activity::{ContentArea, PreReportState};
use wenming_core::protocol::Role;
use wenming_core::{DivisionCode, Level, RecordId, StationCode};

use super::auth::Authenticated;
use super::{AppState, Error};
use crate::db::{ActivityQuery, PreReportQuery};
use crate::filings;

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/activities", get(list))
        .route("/activities/stats", get(stats))
        .route("/activities/{id}", get(detail))
        .route("/pre-reports", get(pre_reports))
        .route("/pre-reports/feed", get(pre_report_feed))
        .route("/pre-reports/{id}", get(pre_report))
        .route("/summary-periods", get(periods).post(create_period))
        .route("/summary-periods/{id}/status", get(status))
        .route("/summary-reports/{id}", get(summary))
}

fn page_limit(limit: Option<u32>) -> Result<u32, Error> {
    match limit {
        None => Ok(DEFAULT_PAGE),
        Some(0) => Err(Error::BadRequest("limit 应为正整数".to_owned())),
        Some(n) => Ok(n.min(MAX_PAGE)),
    }
}

/// An optional query value: absent and empty are the same.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn code(v: &Option<String>, name: &str, level: Level) -> Result<Option<DivisionCode>, Error> {
    given(v)
        .map(|s| DivisionCode::parse_level(s, level))
        .transpose()
        .map_err(|e| Error::BadRequest(format!("{name}：{e}")))
}

fn day(v: &Option<String>, name: &str) -> Result<Option<NaiveDate>, Error> {
    given(v)
        .map(|s| s.parse::<NaiveDate>())
        .transpose()
        .map_err(|_| Error::BadRequest(format!("{name} 应为日期，如 2026-11-22")))
}

fn record_id(id: &str) -> Result<RecordId, Error> {
    RecordId::parse(id).map_err(|_| Error::NoSuchRecord)
}

#[derive(Debug, Deserialize)]
struct ActivityParams {
    town: Option<String>,
    village: Option<String>,
    station: Option<String>,
    area: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<u32>,
    #[serde(default)]
    offset: u32,
}

fn activity_query(
    device_scope: &DivisionCode,
    params: Result<Query<ActivityParams>, QueryRejection>,
) -> Result<ActivityQuery, Error> {
    let Query(p) =
        params.map_err(|_| Error::BadRequest("limit 和 offset 应为非负整数".to_owned()))?;
    let area = given(&p.area)
        .map(|s| {
            ContentArea::parse(s).ok_or_else(|| {
                let names: Vec<_> = ContentArea::ALL.iter().map(|a| a.as_str()).collect();
                Error::BadRequest(format!("area 应为 {} 之一", names.join("、")))
            })
        })
        .transpose()?;
    let station = given(&p.station)
        .map(StationCode::parse)
        .transpose()
        .map_err(|e| Error::BadRequest(format!("station：{e}")))?;
    Ok(ActivityQuery {
        scope: device_scope.clone(),
        town: code(&p.town, "town", Level::Town)?,
        village: code(&p.village, "village", Level::Village)?,
        station,
        area,
        from: day(&p.from, "from")?,
        to: day(&p.to, "to")?,
        limit: page_limit(p.limit)?,
        offset: p.offset,
    })
}

/// `GET /api/v1/activities?town=&village=&station=&area=&from=&to=&limit=&offset=`
async fn list(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    params: Result<Query<ActivityParams>, QueryRejection>,
) -> Result<Json<ActivityList>, Error> {
    let query = activity_query(&device.scope, params)?;
    Ok(Json(state.store.activities(&query).await?))
}

/// `GET /api/v1/activities/stats?…` (the list's filters): counts by area and month.
async fn stats(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    params: Result<Query<ActivityParams>, QueryRejection>,
) -> Result<Json<ActivityStats>, Error> {
    let query = activity_query(&device.scope, params)?;
    Ok(Json(state.store.activity_stats(&query).await?))
}

/// `GET /api/v1/activities/{id}`
async fn detail(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ActivityDetail>, Error> {
    let id = record_id(&id)?;
    state
        .store
        .activity(&device.scope, &id)
        .await?
        .map(Json)
        .ok_or(Error::NoSuchRecord)
}

#[derive(Debug, Deserialize)]
struct FeedParams {
    #[serde(default)]
    cursor: u64,
    limit: Option<u32>,
}

/// `GET /api/v1/pre-reports/feed?cursor=&limit=`: how the answer reaches the phone.
async fn pre_report_feed(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    params: Result<Query<FeedParams>, QueryRejection>,
) -> Result<Json<PreReportFeed>, Error> {
    let Query(params) = params
        .map_err(|_| Error::BadRequest("cursor 应为非负整数，limit 应为正整数".to_owned()))?;
    let limit = page_limit(params.limit)?;
    let page = state
        .store
        .pre_report_feed(&device.scope, params.cursor, limit)
        .await?;
    let next_cursor = page.items.last().map_or(params.cursor, |i| i.seq);
    Ok(Json(PreReportFeed {
        pre_reports: page.items,
        next_cursor,
        more: page.more,
        server_time: filings::now(&*state.store).await?,
    }))
}

#[derive(Debug, Deserialize)]
struct PreReportParams {
    state: Option<String>,
    station: Option<String>,
    limit: Option<u32>,
    #[serde(default)]
    offset: u32,
}

/// `GET /api/v1/pre-reports?state=pending|approved|refused&station=&limit=&offset=`
async fn pre_reports(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    params: Result<Query<PreReportParams>, QueryRejection>,
) -> Result<Json<PreReportList>, Error> {
    let Query(p) =
        params.map_err(|_| Error::BadRequest("limit 和 offset 应为非负整数".to_owned()))?;
    let wanted = given(&p.state)
        .map(|s| {
            PreReportState::parse(s).ok_or_else(|| {
                Error::BadRequest("state 应为 pending、approved、refused 之一".to_owned())
            })
        })
        .transpose()?;
    let station = given(&p.station)
        .map(StationCode::parse)
        .transpose()
        .map_err(|e| Error::BadRequest(format!("station：{e}")))?;
    let list = state
        .store
        .pre_reports(&PreReportQuery {
            scope: device.scope.clone(),
            state: wanted,
            station,
            limit: page_limit(p.limit)?,
            offset: p.offset,
        })
        .await?;
    Ok(Json(list))
}

/// `GET /api/v1/pre-reports/{id}`
async fn pre_report(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<PreReportView>, Error> {
    let id = record_id(&id)?;
    state
        .store
        .pre_report(&device.scope, &id)
        .await?
        .map(Json)
        .ok_or(Error::NoSuchRecord)
}

/// `GET /api/v1/summary-periods`: every device of the district may read them.
async fn periods(
    State(state): State<AppState>,
    Authenticated(_device): Authenticated,
) -> Result<Json<SummaryPeriodList>, Error> {
    Ok(Json(SummaryPeriodList {
        periods: state.store.summary_periods().await?,
        server_time: filings::now(&*state.store).await?,
    }))
}

/// `POST /api/v1/summary-periods` `{name, from, to, deadline}`: the district admin only.
async fn create_period(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    body: Result<Json<NewSummaryPeriod>, JsonRejection>,
) -> Result<Json<SummaryPeriod>, Error> {
    if device.role != Role::DistrictAdmin {
        return Err(Error::Forbidden("只有区级管理可以设置统计期".to_owned()));
    }
    let Json(new) = body.map_err(|_| {
        Error::BadRequest("请提供 name、from、to、deadline（日期如 2026-11-30）".to_owned())
    })?;
    if let Some(problem) = new.check() {
        return Err(Error::BadRequest(problem));
    }
    let mut random = [0u8; 10];
    getrandom::fill(&mut random).map_err(|e| Error::Internal(e.to_string().into()))?;
    // To the microsecond, as times are stored, so the answer reads as the list will.
    let now = filings::clock(Utc::now(), chrono::Duration::zero());
    let ms = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    let period = state
        .store
        .create_summary_period(RecordId::new(ms, random), &new, &device.person, now)
        .await?;
    Ok(Json(period))
}

/// `GET /api/v1/summary-periods/{id}/status`: reported, not yet, or late, by the filing
/// clock (which `district advance-clock` moves in test deployments).
async fn status(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<PeriodStatus>, Error> {
    let id = record_id(&id)?;
    let now = filings::now(&*state.store).await?;
    state
        .store
        .summary_status(&device.scope, &id, now)
        .await?
        .map(Json)
        .ok_or(Error::NoSuchRecord)
}

/// `GET /api/v1/summary-reports/{id}`: the summary with the district's own figures.
async fn summary(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<SummaryDetail>, Error> {
    let id = record_id(&id)?;
    state
        .store
        .summary_report(&device.scope, &id)
        .await?
        .map(Json)
        .ok_or(Error::NoSuchRecord)
}
