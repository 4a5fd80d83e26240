//! Filing (备案) on the district side, apart from a push: the filing clock (real time plus
//! an offset that test deployments move), who may read which organizations, how a notice
//! period ends, and the sweep that ends them.
//!
//! Everything here but [`sweep`] and [`sweep_every`] is pure; the store applies it.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, DurationRound, NaiveDate, NaiveDateTime, Utc};
use wenming_core::filing::archive::OrganizationState;
use wenming_core::filing::{
    transition, Actor, ApplicationKind, CertificateNumber, Decision, FilingState, TransitionError,
};
use wenming_core::protocol::Role;
use wenming_core::{DivisionCode, Level};

use crate::db::{self, Device, Store};

/// Who the trail names for the server's own steps (the end of a notice period).
pub const SERVER_PERSON: &str = "系统";

/// How often `serve` ends the notice periods that have passed.
pub const SWEEP_EVERY: StdDuration = StdDuration::from_secs(30);

/// Villages and towns keep Beijing time (UTC+8, no daylight saving): dates on forms, in
/// certificate numbers and in messages are Beijing dates.
pub fn beijing(t: DateTime<Utc>) -> NaiveDateTime {
    (t + Duration::hours(8)).naive_utc()
}

pub fn beijing_today(t: DateTime<Utc>) -> NaiveDate {
    beijing(t).date()
}

/// "11月22日 10:05", Beijing time.
pub fn beijing_minute(t: DateTime<Utc>) -> String {
    beijing(t).format("%-m月%-d日 %H:%M").to_string()
}

/// The level a role reviews at, if it reviews at all.
pub fn review_level(role: Role) -> Option<Level> {
    match role {
        Role::VillageReviewer => Some(Level::Village),
        Role::TownReviewer => Some(Level::Town),
        _ => None,
    }
}

/// Which organizations a device may read (feed, list, archive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sight {
    /// Reviewers and the district: every organization of a village inside the scope.
    Scope(DivisionCode),
    /// An organization's leader: the organizations this device submitted a version for.
    OwnSubmissions(i64),
    /// Volunteers and station administrators have no business with filings.
    Nothing,
}

pub fn sight(device: &Device) -> Sight {
    match device.role {
        Role::VillageReviewer | Role::TownReviewer | Role::DistrictAdmin => {
            Sight::Scope(device.scope.clone())
        }
        Role::OrgLeader => Sight::OwnSubmissions(device.id),
        Role::Volunteer | Role::StationAdmin => Sight::Nothing,
    }
}

/// What the end of a notice period does to the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeEnd {
    /// A first filing: the certificate is issued now.
    Filed,
    /// A change filing: the version's facts go on file; the certificate stays.
    ChangeFiled,
    /// A termination: the organization is deregistered (已注销).
    Terminated,
}

/// Ends a notice period by the clock: the next state and what it means for the organization.
pub fn end_notice(
    kind: ApplicationKind,
    state: &FilingState,
    now: DateTime<Utc>,
) -> Result<(FilingState, NoticeEnd), TransitionError> {
    // The notice length only matters when a notice begins; ending one ignores it.
    let next = transition(kind, state, &Decision::EndNotice, Actor::Clock, now, 0)?;
    let end = match kind {
        ApplicationKind::Initial => NoticeEnd::Filed,
        ApplicationKind::Change => NoticeEnd::ChangeFiled,
        ApplicationKind::Termination => NoticeEnd::Terminated,
    };
    Ok((next, end))
}

impl NoticeEnd {
    pub fn organization_state(&self) -> OrganizationState {
        match self {
            NoticeEnd::Filed | NoticeEnd::ChangeFiled => OrganizationState::Filed,
            NoticeEnd::Terminated => OrganizationState::Terminated,
        }
    }
}

/// The certificate number for the `seq`-th certificate of the district in the Beijing year
/// of `now`, and that year (the key of the sequence).
pub fn certificate(village: &DivisionCode, now: DateTime<Utc>, seq: u32) -> CertificateNumber {
    // `CertificateNumber::new` takes the year of the moment it is given; handing it the
    // Beijing wall time makes a certificate issued on 1 January at 02:00 Beijing time
    // carry the new year, as the paper does.
    CertificateNumber::new(village, beijing(now).and_utc(), seq)
}

/// The filing clock: real time moved by the offset kept in the store.
pub async fn now(store: &dyn Store) -> Result<DateTime<Utc>, db::Error> {
    Ok(clock(Utc::now(), store.clock_offset().await?))
}

/// The filing clock at real time `real`, to the microsecond as times are stored, so that a
/// notice's end in a state reads the same as the trail's times beside it.
pub fn clock(real: DateTime<Utc>, offset: Duration) -> DateTime<Utc> {
    let t = real + offset;
    t.duration_round(Duration::microseconds(1)).unwrap_or(t)
}

/// Ends every notice period that has passed by the filing clock, and returns the clock's
/// time it swept at (reads answer with it as their `server_time`).
pub async fn sweep(store: &dyn Store) -> Result<DateTime<Utc>, db::Error> {
    let now = now(store).await?;
    let ended = store.end_notices(now).await?;
    if ended > 0 {
        tracing::info!(ended, "notice periods ended");
    }
    Ok(now)
}

/// Sweeps every `period` until the process stops; a failed sweep is logged and retried at
/// the next tick (the reads sweep before answering anyway).
pub async fn sweep_every(store: std::sync::Arc<dyn Store>, period: StdDuration) {
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(e) = sweep(&*store).await {
            tracing::error!(error = ?e, "sweeping notice periods failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn times_are_shown_and_dated_in_beijing_time() {
        assert_eq!(beijing_minute(utc(2026, 11, 22, 2, 5)), "11月22日 10:05");
        assert_eq!(
            beijing_today(utc(2026, 11, 21, 17, 0)),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        );
    }

    #[test]
    fn a_certificate_issued_on_new_years_morning_in_beijing_carries_the_new_year() {
        let village = DivisionCode::parse("500156001001").unwrap();
        let n = certificate(&village, utc(2026, 12, 31, 18, 0), 1);
        assert_eq!(n.to_string(), "500156-2027-0001");
    }

    #[test]
    fn a_notice_ends_by_the_kind_of_application() {
        let until = utc(2026, 11, 29, 2, 0);
        let s = FilingState::PublicNotice { until };
        assert_eq!(
            end_notice(ApplicationKind::Termination, &s, until),
            Ok((FilingState::Terminated, NoticeEnd::Terminated))
        );
        assert_eq!(
            end_notice(ApplicationKind::Change, &s, until),
            Ok((FilingState::Filed, NoticeEnd::ChangeFiled))
        );
        assert!(end_notice(ApplicationKind::Initial, &s, until - Duration::seconds(1)).is_err());
    }

    #[test]
    fn reviewers_and_the_district_read_by_scope_and_leaders_their_own() {
        let device = |role, scope: &str| Device {
            id: 7,
            person: "王芳".into(),
            role,
            scope: DivisionCode::parse(scope).unwrap(),
        };
        assert_eq!(
            sight(&device(Role::TownReviewer, "500156001")),
            Sight::Scope(DivisionCode::parse("500156001").unwrap())
        );
        assert_eq!(
            sight(&device(Role::OrgLeader, "500156001001")),
            Sight::OwnSubmissions(7)
        );
        assert_eq!(
            sight(&device(Role::Volunteer, "500156001001")),
            Sight::Nothing
        );
    }
}
