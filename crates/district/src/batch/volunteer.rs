//! The volunteer records of a push (#5), decided without I/O: registrations merged by
//! mobile number, service records built from check-ins and check-outs (pass verified
//! again, geofence, clock flags, overlaps refused), activities and sign-ups in order of
//! receipt, no-shows, approval and revocation of hours, exchange items and exchanges.
//!
//! Core holds the rules (`wenming_core::volunteer`); this module adds who may act on
//! what (role and scope) and keeps the facts up to date as the batch goes, so that later
//! records of a batch see earlier ones. The store runs the whole batch under SQLite's
//! write lock, so concurrent pushes are decided one after another, in order of receipt.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, Utc};
use wenming_core::protocol::Role;
use wenming_core::volunteer::ledger::{exchange_entry, Cause, Entry, Ledger, LedgerError};
use wenming_core::volunteer::pass::{DistrictKey, Geofence, Position, StationPass};
use wenming_core::volunteer::service::{
    check_reason, corrected, place_check_in, place_check_out, time_flags, visit_minutes,
    ServiceFlag, ServiceRules, Span, VisitState, VisitTimes,
};
use wenming_core::volunteer::signup::{decide_signup, SignupStatus};
use wenming_core::volunteer::{
    Exchange, ExchangeItem, HoursApproval, HoursRevocation, NoShow, PointsRule, Registration,
    Signup, Volunteer, VolunteerActivity,
};
use wenming_core::{CheckIn, CheckOut, DivisionCode, Envelope, Phone, RecordId, StationCode};

use crate::filings::beijing_minute;

pub const REASON_NOT_REGISTERED: &str = "该手机号尚未注册为志愿者，请先注册登记";
pub const REASON_NO_ACTIVITY: &str = "找不到该活动";
pub const REASON_ACTIVITY_STARTED: &str = "活动已开始，不能再报名";
pub const REASON_ACTIVITY_OVER: &str = "活动结束时间已过，不能发布";
pub const REASON_SIGNED_UP: &str = "已报名该活动，不必重复报名";
pub const REASON_NO_SIGNUP: &str = "找不到该报名记录";
pub const REASON_NO_SHOW_TWICE: &str = "已记录过该次爽约";
pub const REASON_WAITLISTED_NO_SHOW: &str = "候补人员未获报名，不计爽约";
pub const REASON_NOT_STATION_ADMIN: &str = "只有实践站管理员或区级管理员可以进行此操作";
pub const REASON_OUTSIDE_STATION: &str = "只能管理本站（本辖区）的事务";
pub const REASON_NO_STATION: &str = "实践站不存在";
pub const REASON_NO_SERVICE_RECORD: &str = "找不到该服务记录";
pub const REASON_STILL_OPEN: &str = "志愿者尚未签退，暂不能审核时长";
pub const REASON_REVOKED: &str = "该服务记录的时长已撤销";
pub const REASON_NO_ITEM: &str = "找不到该兑换物品";
pub const REASON_MINUTES: &str = "核定时长应在 0 至 1440 分钟之间";
pub const REASON_REVIEWED_CHECK_OUT: &str = "该服务记录已审核，不能再签退";

/// The district's settings for volunteers: visits, points, and how long a pass lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VolunteerRules {
    pub service: ServiceRules,
    pub points: PointsRule,
    pub pass_validity: Duration,
}

impl Default for VolunteerRules {
    fn default() -> Self {
        VolunteerRules {
            service: ServiceRules::default(),
            points: PointsRule::default(),
            pass_validity: Duration::days(1),
        }
    }
}

/// Where a service record stands with the station, as a push needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewFacts {
    Pending,
    Approved {
        by: String,
        at: DateTime<Utc>,
        /// The approval record, which is the earning entry's id.
        entry: RecordId,
    },
    Revoked,
}

/// A service record as a push needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFacts {
    pub phone: Phone,
    pub station: StationCode,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    pub checked_out: bool,
    pub minutes: u32,
    pub flags: Vec<ServiceFlag>,
    pub review: ReviewFacts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityFacts {
    pub station: StationCode,
    pub starts_at: DateTime<Utc>,
    pub capacity: u32,
    pub accepted: u32,
    pub waitlisted: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupFacts {
    pub volunteer: RecordId,
    pub station: StationCode,
    pub status: SignupStatus,
    pub no_show: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub station: StationCode,
    pub points: u32,
    pub stock: u32,
}

/// What the store must look up for the volunteer records of a batch.
#[derive(Debug, Default)]
pub struct VolunteerLookups {
    /// Mobile numbers of registrations, check-ins, sign-ups and exchanges.
    pub phones: HashSet<Phone>,
    /// Service records named by check-outs, approvals and revocations (their phones
    /// join `phones` once read).
    pub service_records: HashSet<RecordId>,
    /// Stations of check-ins (geofences) and of published activities and items.
    pub stations: HashSet<StationCode>,
    pub activities: HashSet<RecordId>,
    pub signups: HashSet<RecordId>,
    pub items: HashSet<RecordId>,
    /// Whether a check-in carries a pass, so the district key is needed.
    pub passes: bool,
}

impl VolunteerLookups {
    pub fn is_empty(&self) -> bool {
        self.phones.is_empty()
            && self.service_records.is_empty()
            && self.stations.is_empty()
            && self.activities.is_empty()
            && self.signups.is_empty()
            && self.items.is_empty()
    }
}

/// What the store answered; the decisions keep it up to date as the batch goes.
#[derive(Debug, Default)]
pub struct VolunteerKnown {
    pub volunteers: HashMap<Phone, Volunteer>,
    /// Every visit of each looked-up mobile number.
    pub spans: HashMap<Phone, Vec<Span>>,
    pub service_records: HashMap<RecordId, ServiceFacts>,
    /// Stations that exist, with their geofence if they have one.
    pub stations: HashMap<StationCode, Option<Geofence>>,
    pub key: Option<DistrictKey>,
    /// When the pushing device was enrolled.
    pub enrolled_at: Option<DateTime<Utc>>,
    pub activities: HashMap<RecordId, ActivityFacts>,
    /// (activity, volunteer) pairs signed up.
    pub signed_up: HashSet<(RecordId, RecordId)>,
    pub signups: HashMap<RecordId, SignupFacts>,
    pub items: HashMap<RecordId, ItemFacts>,
    /// The ledgers of the volunteers looked up, by volunteer id.
    pub ledgers: HashMap<RecordId, Ledger>,
}

/// Who pushes, and when the batch arrived.
#[derive(Debug, Clone, Copy)]
pub struct VolunteerContext<'a> {
    pub person: &'a str,
    pub role: Role,
    pub scope: &'a DivisionCode,
    pub received_at: DateTime<Utc>,
    pub rules: &'a VolunteerRules,
}

impl VolunteerContext<'_> {
    /// A station admin or the district, acting inside its scope.
    fn manages(&self, station: &StationCode) -> Result<(), String> {
        if !matches!(self.role, Role::StationAdmin | Role::DistrictAdmin) {
            return Err(REASON_NOT_STATION_ADMIN.to_owned());
        }
        if !self.scope.contains(station.village()) {
            return Err(REASON_OUTSIDE_STATION.to_owned());
        }
        Ok(())
    }
}

/// An accepted registration: the volunteer as it now stands.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistrationEffect {
    pub volunteer: Volunteer,
    pub new_volunteer: bool,
}

/// The service record a check-in opens.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIn {
    pub phone: Phone,
    pub start: DateTime<Utc>,
    /// Closed at once by a later visit of the same person (an automatic close).
    pub end: Option<DateTime<Utc>>,
    pub flags: Vec<ServiceFlag>,
    pub pass_problem: Option<String>,
    pub position: Option<Position>,
    pub inside_geofence: Option<bool>,
    /// An open visit of the same person this check-in closes automatically, and when.
    pub closes: Option<(RecordId, DateTime<Utc>)>,
}

/// The service record a check-out closes.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceOut {
    pub end: DateTime<Utc>,
    pub elapsed_ms: Option<u64>,
    pub minutes: u32,
    pub flags: Vec<ServiceFlag>,
}

/// A ledger entry to book, with the balance after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub volunteer: RecordId,
    pub entry: Entry,
    pub balance: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalEffect {
    pub service_record: RecordId,
    pub minutes: u32,
    pub booking: Booking,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RevocationEffect {
    pub service_record: RecordId,
    pub volunteer: RecordId,
    pub station: StationCode,
    pub reason: String,
    /// The reversal of the earning, if there was one and anything is left to take back.
    pub booking: Option<Booking>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SignupEffect {
    pub volunteer: RecordId,
    pub status: SignupStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoShowEffect {
    pub volunteer: RecordId,
    pub station: StationCode,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeEffect {
    pub booking: Booking,
    pub item: RecordId,
    pub quantity: u32,
}

fn volunteer_of<'k>(known: &'k VolunteerKnown, phone: &Phone) -> Result<&'k Volunteer, String> {
    known
        .volunteers
        .get(phone)
        .ok_or_else(|| REASON_NOT_REGISTERED.to_owned())
}

fn book(known: &mut VolunteerKnown, volunteer: RecordId, entry: Entry) -> Result<Booking, String> {
    let ledger = known.ledgers.entry(volunteer).or_default();
    ledger.apply(&entry).map_err(|e| match e {
        LedgerError::Insufficient { .. } => e.to_string(),
        other => format!("积分记账未通过：{other}"),
    })?;
    Ok(Booking {
        volunteer,
        entry,
        balance: ledger.balance(),
    })
}

pub fn registration(
    known: &mut VolunteerKnown,
    ctx: &VolunteerContext<'_>,
    id: RecordId,
    r: &Registration,
) -> Result<RegistrationEffect, String> {
    let year = crate::filings::beijing_today(ctx.received_at).year();
    r.check(year).map_err(|e| e.to_string())?;
    let (volunteer, new_volunteer) = match known.volunteers.get_mut(&r.phone) {
        Some(v) => {
            v.merge(id, r);
            (v.clone(), false)
        }
        None => {
            let v = Volunteer::new(id, r);
            known.volunteers.insert(r.phone.clone(), v.clone());
            known.ledgers.entry(v.id).or_default();
            (v, true)
        }
    };
    Ok(RegistrationEffect {
        volunteer,
        new_volunteer,
    })
}

pub fn check_in(
    known: &mut VolunteerKnown,
    ctx: &VolunteerContext<'_>,
    envelope: &Envelope,
    c: &CheckIn,
) -> Result<ServiceIn, String> {
    let rules = &ctx.rules.service;
    let start = corrected(envelope.device_time, c.clock_offset_ms);
    let mut flags = Vec::new();
    let mut pass_problem = None;
    match (&c.pass, &known.key) {
        (None, _) => flags.push(ServiceFlag::Typed),
        // Verified at the moment of the check-in, not of the push: a phone may sync days
        // later with a pass that was valid when it was scanned.
        (Some(text), Some(key)) => {
            if let Err(e) = StationPass::verify_for(text, key, &c.station, start) {
                flags.push(ServiceFlag::PassRefused);
                pass_problem = Some(e.to_string());
            }
        }
        (Some(_), None) => {
            flags.push(ServiceFlag::PassRefused);
            pass_problem = Some(wenming_core::volunteer::pass::PassError::WrongKey.to_string());
        }
    }
    let fence = known.stations.get(&c.station).copied().flatten();
    let inside_geofence = match (fence, &c.position) {
        (Some(f), Some(p)) => Some(f.contains(p)),
        _ => None,
    };
    if inside_geofence == Some(false) {
        flags.push(ServiceFlag::OutsideGeofence);
    }
    if let Some(enrolled_at) = known.enrolled_at {
        let times = VisitTimes {
            checked_in_at: start,
            checked_out_at: None,
            elapsed_ms: None,
        };
        flags.extend(time_flags(&times, ctx.received_at, enrolled_at, rules));
    }
    flags.sort();
    flags.dedup();
    let spans = known.spans.entry(c.phone.clone()).or_default();
    let placement = place_check_in(spans, start, rules).map_err(|e| e.to_string())?;
    if let Some((other, end)) = placement.closes {
        if let Some(s) = spans.iter_mut().find(|s| s.id == other) {
            s.end = Some(end);
        }
        if let Some(f) = known.service_records.get_mut(&other) {
            f.end = Some(end);
        }
    }
    spans.push(Span {
        id: envelope.id,
        start,
        end: placement.closed_at,
        checked_out: false,
    });
    known.service_records.insert(
        envelope.id,
        ServiceFacts {
            phone: c.phone.clone(),
            station: c.station.clone(),
            start,
            end: placement.closed_at,
            checked_out: false,
            minutes: 0,
            flags: flags.clone(),
            review: ReviewFacts::Pending,
        },
    );
    Ok(ServiceIn {
        phone: c.phone.clone(),
        start,
        end: placement.closed_at,
        flags,
        pass_problem,
        position: c.position,
        inside_geofence,
        closes: placement.closes,
    })
}

/// Decides the service-record side of a check-out the ledger of check-ins accepted.
/// `None` for a check-in without a service record (none should be: the migration made
/// one for every earlier check-in).
pub fn check_out(
    known: &mut VolunteerKnown,
    ctx: &VolunteerContext<'_>,
    envelope: &Envelope,
    c: &CheckOut,
) -> Result<Option<ServiceOut>, String> {
    let Some(facts) = known.service_records.get(&c.check_in) else {
        return Ok(None);
    };
    if facts.review != ReviewFacts::Pending {
        return Err(REASON_REVIEWED_CHECK_OUT.to_owned());
    }
    let end = corrected(envelope.device_time, c.clock_offset_ms);
    let phone = facts.phone.clone();
    let start = facts.start;
    let spans = known.spans.entry(phone).or_default();
    place_check_out(spans, c.check_in, end).map_err(|e| e.to_string())?;
    let times = VisitTimes {
        checked_in_at: start,
        checked_out_at: Some(end),
        elapsed_ms: c.elapsed_ms,
    };
    let mut flags = facts.flags.clone();
    if let Some(enrolled_at) = known.enrolled_at {
        flags.extend(time_flags(
            &times,
            ctx.received_at,
            enrolled_at,
            &ctx.rules.service,
        ));
    }
    flags.sort();
    flags.dedup();
    let minutes = visit_minutes(start, end, c.elapsed_ms);
    if let Some(s) = spans.iter_mut().find(|s| s.id == c.check_in) {
        s.end = Some(end);
        s.checked_out = true;
    }
    if let Some(f) = known.service_records.get_mut(&c.check_in) {
        f.end = Some(end);
        f.checked_out = true;
        f.minutes = minutes;
        f.flags = flags.clone();
    }
    Ok(Some(ServiceOut {
        end,
        elapsed_ms: c.elapsed_ms,
        minutes,
        flags,
    }))
}

pub fn activity(
    known: &mut VolunteerKnown,
    ctx: &VolunteerContext<'_>,
    id: RecordId,
    a: &VolunteerActivity,
) -> Result<(), String> {
    ctx.manages(&a.station)?;
    if !known.stations.contains_key(&a.station) {
        return Err(REASON_NO_STATION.to_owned());
    }
    a.check()?;
    if a.ends_at <= ctx.received_at {
        return Err(REASON_ACTIVITY_OVER.to_owned());
    }
    known.activities.insert(
        id,
        ActivityFacts {
            station: a.station.clone(),
            starts_at: a.starts_at,
            capacity: a.volunteers_needed,
            accepted: 0,
            waitlisted: 0,
        },
    );
    Ok(())
}

pub fn signup(
    known: &mut VolunteerKnown,
    ctx: &VolunteerContext<'_>,
    id: RecordId,
    s: &Signup,
) -> Result<SignupEffect, String> {
    let volunteer = volunteer_of(known, &s.phone)?.id;
    let activity = known
        .activities
        .get_mut(&s.activity)
        .ok_or_else(|| REASON_NO_ACTIVITY.to_owned())?;
    if ctx.received_at >= activity.starts_at {
        return Err(REASON_ACTIVITY_STARTED.to_owned());
    }
    if !known.signed_up.insert((s.activity, volunteer)) {
        return Err(REASON_SIGNED_UP.to_owned());
    }
    let status = decide_signup(activity.accepted, activity.waitlisted, activity.capacity);
    match status {
        SignupStatus::Accepted => activity.accepted += 1,
        SignupStatus::Waitlisted { .. } => activity.waitlisted += 1,
    }
    known.signups.insert(
        id,
        SignupFacts {
            volunteer,
            station: activity.station.clone(),
            status,
            no_show: false,
        },
    );
    Ok(SignupEffect { volunteer, status })
}

pub fn no_show(
    known: &mut VolunteerKnown,
    ctx: &VolunteerContext<'_>,
    n: &NoShow,
) -> Result<NoShowEffect, String> {
    let reason = check_reason(&n.reason)?.to_owned();
    let signup = known
        .signups
        .get_mut(&n.signup)
        .ok_or_else(|| REASON_NO_SIGNUP.to_owned())?;
    ctx.manages(&signup.station)?;
    if signup.status != SignupStatus::Accepted {
        return Err(REASON_WAITLISTED_NO_SHOW.to_owned());
    }
    if signup.no_show {
        return Err(REASON_NO_SHOW_TWICE.to_owned());
    }
    signup.no_show = true;
    Ok(NoShowEffect {
        volunteer: signup.volunteer,
        station: signup.station.clone(),
        reason,
    })
}

fn reviewed(review: &ReviewFacts) -> Option<String> {
    match review {
        ReviewFacts::Pending => None,
        ReviewFacts::Approved { by, at, .. } => Some(format!(
            "该服务记录已由{by}于 {} 审核通过，不再重复审核",
            beijing_minute(*at)
        )),
        ReviewFacts::Revoked => Some(REASON_REVOKED.to_owned()),
    }
}

pub fn approval(
    known: &mut VolunteerKnown,
    ctx: &VolunteerContext<'_>,
    id: RecordId,
    a: &HoursApproval,
) -> Result<ApprovalEffect, String> {
    let facts = known
        .service_records
        .get(&a.service_record)
        .ok_or_else(|| REASON_NO_SERVICE_RECORD.to_owned())?;
    ctx.manages(&facts.station)?;
    if let Some(reason) = reviewed(&facts.review) {
        return Err(reason);
    }
    let span = Span {
        id: a.service_record,
        start: facts.start,
        end: facts.end,
        checked_out: facts.checked_out,
    };
    if span.state(ctx.received_at, &ctx.rules.service) == VisitState::Open {
        return Err(REASON_STILL_OPEN.to_owned());
    }
    let minutes = match a.minutes {
        Some(m) if m > 24 * 60 => return Err(REASON_MINUTES.to_owned()),
        Some(m) => m,
        None if facts.checked_out => facts.minutes,
        None => 0,
    };
    let volunteer = volunteer_of(known, &facts.phone)?.id;
    let entry = Entry {
        id,
        points: ctx.rules.points.points(minutes),
        cause: Cause::Earn {
            service_record: a.service_record,
            minutes,
        },
    };
    let booking = book(known, volunteer, entry)?;
    if let Some(f) = known.service_records.get_mut(&a.service_record) {
        f.review = ReviewFacts::Approved {
            by: ctx.person.to_owned(),
            at: ctx.received_at,
            entry: id,
        };
    }
    Ok(ApprovalEffect {
        service_record: a.service_record,
        minutes,
        booking,
    })
}

pub fn revocation(
    known: &mut VolunteerKnown,
    ctx: &VolunteerContext<'_>,
    id: RecordId,
    r: &HoursRevocation,
) -> Result<RevocationEffect, String> {
    let reason = check_reason(&r.reason)?.to_owned();
    let facts = known
        .service_records
        .get(&r.service_record)
        .ok_or_else(|| REASON_NO_SERVICE_RECORD.to_owned())?;
    ctx.manages(&facts.station)?;
    let earned = match &facts.review {
        ReviewFacts::Revoked => return Err(REASON_REVOKED.to_owned()),
        ReviewFacts::Approved { entry, .. } => Some(*entry),
        ReviewFacts::Pending => None,
    };
    let station = facts.station.clone();
    let volunteer = volunteer_of(known, &facts.phone)?.id;
    let reversal = earned.and_then(|of| {
        known
            .ledgers
            .get(&volunteer)
            .and_then(|l| l.revocation(id, of, &reason))
    });
    let booking = reversal.map(|e| book(known, volunteer, e)).transpose()?;
    if let Some(f) = known.service_records.get_mut(&r.service_record) {
        f.review = ReviewFacts::Revoked;
    }
    Ok(RevocationEffect {
        service_record: r.service_record,
        volunteer,
        station,
        reason,
        booking,
    })
}

pub fn item(
    known: &mut VolunteerKnown,
    ctx: &VolunteerContext<'_>,
    id: RecordId,
    i: &ExchangeItem,
) -> Result<(), String> {
    ctx.manages(&i.station)?;
    if !known.stations.contains_key(&i.station) {
        return Err(REASON_NO_STATION.to_owned());
    }
    i.check()?;
    known.items.insert(
        id,
        ItemFacts {
            station: i.station.clone(),
            points: i.points,
            stock: i.stock,
        },
    );
    Ok(())
}

pub fn exchange(
    known: &mut VolunteerKnown,
    ctx: &VolunteerContext<'_>,
    id: RecordId,
    x: &Exchange,
) -> Result<ExchangeEffect, String> {
    let item = known
        .items
        .get(&x.item)
        .ok_or_else(|| REASON_NO_ITEM.to_owned())?;
    ctx.manages(&item.station)?;
    let volunteer = volunteer_of(known, &x.phone)?.id;
    let entry = exchange_entry(id, x, item.points, item.stock)?;
    let booking = book(known, volunteer, entry)?;
    if let Some(item) = known.items.get_mut(&x.item) {
        item.stock -= x.quantity;
    }
    Ok(ExchangeEffect {
        booking,
        item: x.item,
        quantity: x.quantity,
    })
}
