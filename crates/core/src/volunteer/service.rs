//! Service records (服务记录): a visit made of a check-in and its check-out, its hours, the
//! rules that keep one person's visits from overlapping, the automatic close of a
//! forgotten check-out, and the flags for times a phone's clock makes impossible. Also
//! the station admin's records about a visit: approval of its hours, and revocation.
//!
//! Phones' clocks are wrong. A check-in carries the phone's time (the envelope's), the
//! offset to server time learned at the last sync, and a check-out the elapsed time by
//! the monotonic clock; the server corrects the times with the offset, counts hours from
//! the monotonic clock when it has it, and flags what cannot be true instead of trusting
//! it or throwing it away.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::protocol::{Kind, RecordBody, RecordId};

/// How a district handles visits; the server's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceRules {
    /// A visit without a check-out is closed automatically this long after it began
    /// (flagged, no hours until an admin sets them); a longer visit is flagged too long.
    pub auto_close_after: Duration,
    /// How far a time may lie in the future, or before enrollment, before it is flagged:
    /// the offset learned at the last sync is itself a little stale.
    pub clock_tolerance: Duration,
}

impl Default for ServiceRules {
    fn default() -> Self {
        ServiceRules {
            auto_close_after: Duration::hours(12),
            clock_tolerance: Duration::minutes(5),
        }
    }
}

/// When the monotonic elapsed time and the wall clock differ by more than this, someone
/// changed the phone's clock during the visit.
pub const CLOCKS_DISAGREE_AFTER: Duration = Duration::minutes(10);

/// What a station admin should look at before approving a visit's hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceFlag {
    /// The station code was typed, not scanned from a pass.
    Typed,
    /// A pass came with the check-in but did not verify (see the record's `pass_problem`).
    PassRefused,
    /// The phone told its position and it was outside the station's geofence.
    OutsideGeofence,
    /// No check-out came: the visit was closed automatically, without hours.
    AutoClosed,
    /// A time lies after the moment the server received it.
    InFuture,
    /// Longer than the district's limit for one visit.
    TooLong,
    /// Before the phone was enrolled.
    BeforeEnrollment,
    /// The monotonic clock and the wall clock disagree: the phone's clock was changed.
    ClocksDisagree,
}

impl ServiceFlag {
    pub fn name_zh(self) -> &'static str {
        match self {
            ServiceFlag::Typed => "手动输入站点，未扫码验证",
            ServiceFlag::PassRefused => "签到码验证未通过",
            ServiceFlag::OutsideGeofence => "签到位置不在站点范围内",
            ServiceFlag::AutoClosed => "未签退，已自动结束",
            ServiceFlag::InFuture => "时间晚于服务器收到的时间",
            ServiceFlag::TooLong => "服务时长超过上限",
            ServiceFlag::BeforeEnrollment => "时间早于本机登记",
            ServiceFlag::ClocksDisagree => "服务期间手机时间被修改",
        }
    }
}

/// The phone's time corrected by the offset it learned at its last sync.
pub fn corrected(device_time: DateTime<Utc>, clock_offset_ms: Option<i64>) -> DateTime<Utc> {
    device_time + Duration::milliseconds(clock_offset_ms.unwrap_or(0))
}

/// The minutes of a visit: by the monotonic clock when the phone had it, else by the
/// (corrected) times; never negative.
pub fn visit_minutes(
    checked_in_at: DateTime<Utc>,
    checked_out_at: DateTime<Utc>,
    elapsed_ms: Option<u64>,
) -> u32 {
    let d = match elapsed_ms {
        Some(ms) => Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX / 2)),
        None => checked_out_at - checked_in_at,
    };
    u32::try_from(d.num_minutes().max(0)).unwrap_or(u32::MAX)
}

/// Hours as volunteers read them: "2.5", "1", "0.25" (two decimals at most).
pub fn hours_text(minutes: u32) -> String {
    let hundredths = (u64::from(minutes) * 100 + 30) / 60;
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// The times of a visit, corrected, as the server judges them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitTimes {
    pub checked_in_at: DateTime<Utc>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub elapsed_ms: Option<u64>,
}

/// The flags the times of a visit earn: in the future (after `received_at`), before the
/// phone was enrolled, too long, or clocks that disagree.
pub fn time_flags(
    v: &VisitTimes,
    received_at: DateTime<Utc>,
    enrolled_at: DateTime<Utc>,
    rules: &ServiceRules,
) -> Vec<ServiceFlag> {
    let mut flags = Vec::new();
    let latest = v.checked_out_at.unwrap_or(v.checked_in_at);
    if v.checked_in_at.max(latest) > received_at + rules.clock_tolerance {
        flags.push(ServiceFlag::InFuture);
    }
    if v.checked_in_at < enrolled_at - rules.clock_tolerance {
        flags.push(ServiceFlag::BeforeEnrollment);
    }
    if let Some(out) = v.checked_out_at {
        let minutes = visit_minutes(v.checked_in_at, out, v.elapsed_ms);
        if i64::from(minutes) > rules.auto_close_after.num_minutes() {
            flags.push(ServiceFlag::TooLong);
        }
        if let Some(ms) = v.elapsed_ms {
            let wall = out - v.checked_in_at;
            let mono = Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX / 2));
            if (wall - mono).abs() > CLOCKS_DISAGREE_AFTER {
                flags.push(ServiceFlag::ClocksDisagree);
            }
        }
    }
    flags
}

/// Where a visit stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum VisitState {
    /// Still at the station.
    Open,
    /// Checked out.
    Closed,
    /// No check-out: closed at `auto_closed_at` (the limit, or the person's next
    /// check-in).
    AutoClosed { auto_closed_at: DateTime<Utc> },
}

/// A visit of one person, as the overlap rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub id: RecordId,
    pub start: DateTime<Utc>,
    /// The check-out, or the automatic close; `None` while open.
    pub end: Option<DateTime<Utc>>,
    /// Whether `end` is a real check-out (not an automatic close).
    pub checked_out: bool,
}

impl Span {
    /// The state at `now`: open visits close themselves after the limit.
    pub fn state(&self, now: DateTime<Utc>, rules: &ServiceRules) -> VisitState {
        match self.end {
            Some(_) if self.checked_out => VisitState::Closed,
            Some(at) => VisitState::AutoClosed { auto_closed_at: at },
            None if now - self.start >= rules.auto_close_after => VisitState::AutoClosed {
                auto_closed_at: self.start + rules.auto_close_after,
            },
            None => VisitState::Open,
        }
    }
}

/// A visit that would overlap another of the same person; the text is shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("与本人 {from}–{to} 的服务记录时间重叠")]
pub struct Overlap {
    pub with: RecordId,
    pub from: String,
    pub to: String,
}

fn overlap(s: &Span, end: DateTime<Utc>) -> Overlap {
    Overlap {
        with: s.id,
        from: beijing_minute(s.start),
        to: beijing_minute(end),
    }
}

/// "11月22日 09:00", Beijing time (UTC+8), as villages read times.
pub fn beijing_minute(t: DateTime<Utc>) -> String {
    (t + Duration::hours(8))
        .format("%-m月%-d日 %H:%M")
        .to_string()
}

/// What a new check-in at `t` does to the person's other visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckInPlacement {
    /// An open visit begun before `t` that this check-in ends (the person forgot to check
    /// out), and when: at `t`, or at its limit if that came first.
    pub closes: Option<(RecordId, DateTime<Utc>)>,
    /// A visit of the person begins after `t` within the limit: this one is closed
    /// automatically when it does (a check-in that reached the server late).
    pub closed_at: Option<DateTime<Utc>>,
}

/// Places a check-in at `t` among the person's visits: refused inside a visit that was
/// checked out; ends an open visit begun before it.
pub fn place_check_in(
    spans: &[Span],
    t: DateTime<Utc>,
    rules: &ServiceRules,
) -> Result<CheckInPlacement, Overlap> {
    let mut placement = CheckInPlacement {
        closes: None,
        closed_at: None,
    };
    for s in spans {
        match s.end {
            Some(end) if s.start <= t && t < end && s.checked_out => return Err(overlap(s, end)),
            // An automatic close at or after `t`: the visit ends at `t` now.
            Some(end) if s.start < t && t < end => {
                placement.closes = Some((s.id, t));
            }
            None if s.start < t => {
                let end = t.min(s.start + rules.auto_close_after);
                if placement.closes.is_none_or(|(_, e)| e < end) {
                    placement.closes = Some((s.id, end));
                }
            }
            _ if s.start == t => return Err(overlap(s, s.end.unwrap_or(t))),
            _ if s.start > t && s.start - t < rules.auto_close_after => {
                placement.closed_at = Some(placement.closed_at.map_or(s.start, |c| c.min(s.start)));
            }
            _ => {}
        }
    }
    Ok(placement)
}

/// Checks a check-out of `visit` at `u`: no other visit of the person may begin between
/// the check-in and `u`.
pub fn place_check_out(spans: &[Span], visit: RecordId, u: DateTime<Utc>) -> Result<(), Overlap> {
    let Some(me) = spans.iter().find(|s| s.id == visit) else {
        return Ok(());
    };
    match spans
        .iter()
        .filter(|s| s.id != visit && me.start <= s.start && s.start < u)
        .min_by_key(|s| s.start)
    {
        Some(s) => Err(overlap(s, s.end.unwrap_or(s.start))),
        None => Ok(()),
    }
}

/// A station admin approves the hours of a visit; the points follow from the district's
/// rule. `minutes` overrides the computed time (for a visit closed automatically, or one
/// the admin corrects).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursApproval {
    pub service_record: RecordId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
}

impl RecordBody for HoursApproval {
    const KIND: Kind = Kind::HoursApproval;
    const SCHEMA_VERSION: u16 = 1;
}

/// A station admin revokes the hours of a visit (撤销时长): an integrity record with the
/// reason, and the points taken back by a reversing entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursRevocation {
    pub service_record: RecordId,
    pub reason: String,
}

impl RecordBody for HoursRevocation {
    const KIND: Kind = Kind::HoursRevocation;
    const SCHEMA_VERSION: u16 = 1;
}

/// The longest reason a station admin may write.
pub const MAX_REASON_CHARS: usize = 200;

/// A reason as given: trimmed, not empty, not too long.
pub fn check_reason(reason: &str) -> Result<&str, String> {
    let r = reason.trim();
    if r.is_empty() {
        Err("请填写原因".to_owned())
    } else if r.chars().count() > MAX_REASON_CHARS {
        Err(format!("原因不超过 {MAX_REASON_CHARS} 个字"))
    } else {
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 1, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn id(n: u64) -> RecordId {
        RecordId::new(1_763_802_000_000 + n, [n as u8; 10])
    }

    fn span(n: u64, start: i64, end: Option<i64>, checked_out: bool) -> Span {
        Span {
            id: id(n),
            start: at(start),
            end: end.map(at),
            checked_out,
        }
    }

    #[test]
    fn hours_come_from_the_monotonic_clock_when_there_is_one() {
        assert_eq!(visit_minutes(at(0), at(90), None), 90);
        // The phone's clock was set back an hour during the visit.
        assert_eq!(visit_minutes(at(0), at(30), Some(90 * 60_000)), 90);
        assert_eq!(visit_minutes(at(30), at(0), None), 0);
        assert_eq!(hours_text(90), "1.5");
        assert_eq!(hours_text(120), "2");
        assert_eq!(hours_text(15), "0.25");
        assert_eq!(hours_text(20), "0.33");
    }

    #[test]
    fn times_are_corrected_by_the_offset_learned_at_the_last_sync() {
        assert_eq!(corrected(at(0), Some(-5 * 60_000)), at(-5));
        assert_eq!(corrected(at(0), None), at(0));
    }

    #[test]
    fn impossible_times_are_flagged() {
        let rules = ServiceRules::default();
        let received = at(600);
        let enrolled = at(-60);
        let flags = |i: i64, o: Option<i64>, e: Option<u64>| {
            let v = VisitTimes {
                checked_in_at: at(i),
                checked_out_at: o.map(at),
                elapsed_ms: e,
            };
            time_flags(&v, received, enrolled, &rules)
        };
        assert_eq!(flags(0, Some(90), None), vec![]);
        assert_eq!(flags(0, Some(604), None), vec![]);
        assert_eq!(flags(0, Some(606), None), vec![ServiceFlag::InFuture]);
        assert_eq!(flags(700, None, None), vec![ServiceFlag::InFuture]);
        assert_eq!(
            flags(-66, Some(0), None),
            vec![ServiceFlag::BeforeEnrollment]
        );
        assert_eq!(
            flags(-2000, Some(0), None),
            vec![ServiceFlag::BeforeEnrollment, ServiceFlag::TooLong]
        );
        assert_eq!(
            flags(0, Some(30), Some(90 * 60_000)),
            vec![ServiceFlag::ClocksDisagree]
        );
        assert_eq!(flags(0, Some(92), Some(90 * 60_000)), vec![]);
    }

    #[test]
    fn a_forgotten_check_out_closes_itself_after_the_limit() {
        let rules = ServiceRules::default();
        let open = span(1, 0, None, false);
        assert_eq!(open.state(at(60), &rules), VisitState::Open);
        assert_eq!(
            open.state(at(12 * 60), &rules),
            VisitState::AutoClosed {
                auto_closed_at: at(12 * 60)
            }
        );
        assert_eq!(
            span(1, 0, Some(30), true).state(at(9999), &rules),
            VisitState::Closed
        );
    }

    #[test]
    fn a_check_in_inside_a_checked_out_visit_is_refused() {
        let rules = ServiceRules::default();
        let spans = [span(1, 0, Some(90), true)];
        let err = place_check_in(&spans, at(30), &rules).unwrap_err();
        assert_eq!(err.with, id(1));
        assert_eq!(
            err.to_string(),
            "与本人 11月22日 09:00–11月22日 10:30 的服务记录时间重叠"
        );
        assert!(place_check_in(&spans, at(90), &rules).is_ok());
        assert!(place_check_in(&spans, at(0), &rules).is_err());
    }

    #[test]
    fn a_check_in_ends_an_open_visit_begun_before_it() {
        let rules = ServiceRules::default();
        let spans = [span(1, 0, None, false)];
        assert_eq!(
            place_check_in(&spans, at(240), &rules),
            Ok(CheckInPlacement {
                closes: Some((id(1), at(240))),
                closed_at: None,
            })
        );
        // The next day: the open visit had closed itself at its limit.
        assert_eq!(
            place_check_in(&spans, at(24 * 60), &rules).unwrap().closes,
            Some((id(1), at(12 * 60)))
        );
        // A check-in that arrives late, before a later visit: closed when that one began.
        assert_eq!(
            place_check_in(&spans, at(-60), &rules).unwrap().closed_at,
            Some(at(0))
        );
    }

    #[test]
    fn a_check_out_past_the_next_visit_is_refused() {
        // Visit 1 was closed automatically when visit 2 began at 120.
        let spans = [span(1, 0, Some(120), false), span(2, 120, None, false)];
        assert!(place_check_out(&spans, id(1), at(100)).is_ok());
        let err = place_check_out(&spans, id(1), at(150)).unwrap_err();
        assert_eq!(err.with, id(2));
        assert!(place_check_out(&spans, id(2), at(150)).is_ok());
    }

    #[test]
    fn reasons_must_be_given() {
        assert_eq!(check_reason("  "), Err("请填写原因".to_owned()));
        assert_eq!(check_reason(" 未到岗 "), Ok("未到岗"));
        assert!(check_reason(&"长".repeat(201)).is_err());
    }
}
