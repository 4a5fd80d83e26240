//! What a push does to the ledger and to filings, decided without I/O: every store backend
//! asks for the same facts, then applies the same plan inside its one transaction.
//!
//! The flow is `open` (read each envelope) → [`Opened::lookups`] (the stored facts the batch
//! depends on) → [`decide`] (an outcome per record, and the writes for those accepted).

pub mod activity;
pub mod filing;
pub mod volunteer;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};
use wenming_core::checkin::{service_duration, CheckOutError};
use wenming_core::filing::form::{FilingDecision, FilingSubmission};
use wenming_core::protocol::{Outcome, Rejection, Role};
use wenming_core::{CheckIn, CheckOut, DivisionCode, Envelope, Kind, RecordId, StationCode};

pub use activity::{ActivityBody, ActivityEffect, ActivityKnown, ActivityLookups};
pub use filing::{DecisionEffect, FilingKnown, FilingLookups, SubmitEffect};
pub use volunteer::{VolunteerKnown, VolunteerLookups, VolunteerRules};
use wenming_core::volunteer::{
    Exchange, ExchangeItem, HoursApproval, HoursRevocation, NoShow, Registration, Signup,
    VolunteerActivity,
};

/// SHA-256 of a record's content: two envelopes with one id and different hashes are a
/// conflict, not a retry.
pub type BodyHash = [u8; 32];

pub const REASON_ID_CONFLICT: &str = "记录编号冲突";
pub const REASON_NO_STATION: &str = "实践站不存在";
pub const REASON_NO_CHECK_IN: &str = "找不到对应的签到记录";

/// A record body the server understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    CheckIn(CheckIn),
    CheckOut(CheckOut),
    FilingSubmit(Box<FilingSubmission>),
    FilingDecision(FilingDecision),
    Activity(ActivityBody),
    Registration(Registration),
    VolunteerActivity(VolunteerActivity),
    Signup(Signup),
    NoShow(NoShow),
    HoursApproval(HoursApproval),
    HoursRevocation(HoursRevocation),
    ExchangeItem(ExchangeItem),
    Exchange(Exchange),
}

/// One envelope as read: its canonical form, its hash, and its body or why it is unreadable.
#[derive(Debug, Clone)]
pub struct Opened<'a> {
    pub envelope: &'a Envelope,
    /// The body as canonical JSON (object keys sorted), which is what the log stores.
    pub canonical_body: String,
    pub hash: BodyHash,
    pub body: Result<Body, Rejection>,
}

impl<'a> Opened<'a> {
    pub fn new(envelope: &'a Envelope) -> Self {
        let canonical_body = canonical_json(&envelope.body);
        let hash = content_hash(envelope, &canonical_body);
        let body = match envelope.kind {
            Kind::CheckIn => envelope.open::<CheckIn>().map(Body::CheckIn),
            Kind::CheckOut => envelope.open::<CheckOut>().map(Body::CheckOut),
            Kind::FilingSubmit => envelope
                .open::<FilingSubmission>()
                .map(|s| Body::FilingSubmit(Box::new(s))),
            Kind::FilingDecision => envelope.open::<FilingDecision>().map(Body::FilingDecision),
            Kind::ActivityReport
            | Kind::PreReport
            | Kind::PreReportDecision
            | Kind::SummaryReport => activity::open(envelope)
                .unwrap_or(Err(Rejection::UnknownKind))
                .map(Body::Activity),
            Kind::Registration => envelope.open().map(Body::Registration),
            Kind::VolunteerActivity => envelope.open().map(Body::VolunteerActivity),
            Kind::Signup => envelope.open().map(Body::Signup),
            Kind::NoShow => envelope.open().map(Body::NoShow),
            Kind::HoursApproval => envelope.open().map(Body::HoursApproval),
            Kind::HoursRevocation => envelope.open().map(Body::HoursRevocation),
            Kind::ExchangeItem => envelope.open().map(Body::ExchangeItem),
            Kind::Exchange => envelope.open().map(Body::Exchange),
            Kind::Unknown => Err(Rejection::UnknownKind),
        };
        Opened {
            envelope,
            canonical_body,
            hash,
            body,
        }
    }

    /// What the store must look up for a batch, gathered once so that it can ask in bulk.
    pub fn lookups(batch: &[Opened<'_>]) -> Lookups {
        let mut l = Lookups::default();
        for o in batch {
            l.ids.push(o.envelope.id);
            let v = &mut l.volunteers;
            match &o.body {
                Ok(Body::CheckIn(c)) => {
                    l.stations.insert(c.station.clone());
                    v.phones.insert(c.phone.clone());
                    v.stations.insert(c.station.clone());
                    v.passes |= c.pass.is_some();
                }
                Ok(Body::CheckOut(c)) => {
                    l.check_ins.insert(c.check_in);
                    v.service_records.insert(c.check_in);
                }
                Ok(Body::FilingSubmit(s)) => l.filings.submission(s),
                Ok(Body::FilingDecision(d)) => l.filings.decision(d),
                Ok(Body::Activity(b)) => l.activities.add(b, &mut l.stations),
                Ok(Body::Registration(r)) => {
                    v.phones.insert(r.phone.clone());
                }
                Ok(Body::VolunteerActivity(a)) => {
                    v.stations.insert(a.station.clone());
                }
                Ok(Body::Signup(s)) => {
                    v.phones.insert(s.phone.clone());
                    v.activities.insert(s.activity);
                }
                Ok(Body::NoShow(n)) => {
                    v.signups.insert(n.signup);
                }
                Ok(Body::HoursApproval(a)) => {
                    v.service_records.insert(a.service_record);
                }
                Ok(Body::HoursRevocation(r)) => {
                    v.service_records.insert(r.service_record);
                }
                Ok(Body::ExchangeItem(i)) => {
                    v.stations.insert(i.station.clone());
                }
                Ok(Body::Exchange(x)) => {
                    v.phones.insert(x.phone.clone());
                    v.items.insert(x.item);
                }
                Err(_) => {}
            }
        }
        l
    }
}

/// The stored facts a batch depends on.
#[derive(Debug, Default)]
pub struct Lookups {
    /// Every record id in the batch: which ones are stored already?
    pub ids: Vec<RecordId>,
    /// Stations named by check-ins and activity records: which ones exist?
    pub stations: HashSet<StationCode>,
    /// Check-ins named by check-outs: when were they, and are they closed?
    pub check_ins: HashSet<RecordId>,
    pub filings: FilingLookups,
    pub activities: ActivityLookups,
    pub volunteers: VolunteerLookups,
}

/// What the store answered to the [`Lookups`].
#[derive(Debug, Default)]
pub struct Known {
    pub envelopes: HashMap<RecordId, BodyHash>,
    pub stations: HashSet<StationCode>,
    pub check_ins: HashMap<RecordId, CheckInState>,
    pub filings: FilingKnown,
    pub activities: ActivityKnown,
    pub volunteers: VolunteerKnown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckInState {
    pub at: DateTime<Utc>,
    pub checked_out: bool,
}

/// Who pushes, and the filing clock: what the decisions depend on besides the records.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub person: &'a str,
    pub role: Role,
    pub scope: &'a DivisionCode,
    /// The filing clock (see `filings::now`).
    pub now: DateTime<Utc>,
    /// How long a public notice lasts.
    pub notice_days: i64,
    /// Real time: when the records arrived (sign-ups are decided in this order).
    pub received_at: DateTime<Utc>,
    pub volunteer_rules: &'a VolunteerRules,
}

impl<'a> Context<'a> {
    fn volunteer(&self) -> volunteer::VolunteerContext<'a> {
        volunteer::VolunteerContext {
            person: self.person,
            role: self.role,
            scope: self.scope,
            received_at: self.received_at,
            rules: self.volunteer_rules,
        }
    }
}

/// A record to store, in batch order, and what it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Write<'a> {
    pub envelope: &'a Envelope,
    pub canonical_body: &'a str,
    pub hash: BodyHash,
    pub effect: Effect<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect<'a> {
    CheckIn(&'a CheckIn, volunteer::ServiceIn),
    CheckOut {
        check_in: RecordId,
        service: Option<volunteer::ServiceOut>,
    },
    FilingSubmit(SubmitEffect<'a>),
    FilingDecision(DecisionEffect<'a>),
    Activity(ActivityEffect<'a>),
    Registration(volunteer::RegistrationEffect),
    VolunteerActivity(&'a VolunteerActivity),
    Signup(&'a Signup, volunteer::SignupEffect),
    NoShow(&'a NoShow, volunteer::NoShowEffect),
    HoursApproval(volunteer::ApprovalEffect),
    HoursRevocation(volunteer::RevocationEffect),
    ExchangeItem(&'a ExchangeItem),
    Exchange(volunteer::ExchangeEffect),
}

#[derive(Debug)]
pub struct Plan<'a> {
    /// One per record, in the order sent.
    pub outcomes: Vec<Outcome>,
    pub writes: Vec<Write<'a>>,
}

/// Decides each record in order. Earlier records of the batch count as stored for later
/// ones, so a check-in and its check-out may travel together.
pub fn decide<'a>(batch: &'a [Opened<'a>], mut known: Known, ctx: &Context<'_>) -> Plan<'a> {
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut writes = Vec::with_capacity(batch.len());
    let vctx = ctx.volunteer();
    for o in batch {
        let id = o.envelope.id;
        if let Some(stored) = known.envelopes.get(&id) {
            outcomes.push(if *stored == o.hash {
                Outcome::Duplicate
            } else {
                rejected(REASON_ID_CONFLICT)
            });
            continue;
        }
        let effect = match &o.body {
            Err(rejection) => Err(rejection.to_string()),
            Ok(Body::CheckIn(c)) if !known.stations.contains(&c.station) => {
                Err(REASON_NO_STATION.to_owned())
            }
            Ok(Body::CheckIn(c)) => {
                match volunteer::check_in(&mut known.volunteers, &vctx, o.envelope, c) {
                    Err(reason) => Err(reason),
                    Ok(service) => {
                        known.check_ins.insert(
                            id,
                            CheckInState {
                                at: o.envelope.device_time,
                                checked_out: false,
                            },
                        );
                        Ok(Effect::CheckIn(c, service))
                    }
                }
            }
            Ok(Body::CheckOut(c)) => match known.check_ins.get_mut(&c.check_in) {
                None => Err(REASON_NO_CHECK_IN.to_owned()),
                Some(state) if state.checked_out => Err(CheckOutError::AlreadyOut.to_string()),
                Some(state) => match service_duration(state.at, o.envelope.device_time) {
                    Err(e) => Err(e.to_string()),
                    Ok(_) => {
                        match volunteer::check_out(&mut known.volunteers, &vctx, o.envelope, c) {
                            Err(reason) => Err(reason),
                            Ok(service) => {
                                state.checked_out = true;
                                Ok(Effect::CheckOut {
                                    check_in: c.check_in,
                                    service,
                                })
                            }
                        }
                    }
                },
            },
            Ok(Body::FilingSubmit(s)) => {
                filing::submit(&mut known.filings, ctx, id, s).map(Effect::FilingSubmit)
            }
            Ok(Body::FilingDecision(d)) => {
                filing::decide(&mut known.filings, ctx, d).map(Effect::FilingDecision)
            }
            Ok(Body::Activity(b)) => {
                activity::decide(&mut known.activities, &known.stations, ctx, o.envelope, b)
                    .map(Effect::Activity)
            }
            Ok(Body::Registration(r)) => {
                volunteer::registration(&mut known.volunteers, &vctx, id, r)
                    .map(Effect::Registration)
            }
            Ok(Body::VolunteerActivity(a)) => {
                volunteer::activity(&mut known.volunteers, &vctx, id, a)
                    .map(|()| Effect::VolunteerActivity(a))
            }
            Ok(Body::Signup(s)) => {
                volunteer::signup(&mut known.volunteers, &vctx, id, s).map(|e| Effect::Signup(s, e))
            }
            Ok(Body::NoShow(n)) => {
                volunteer::no_show(&mut known.volunteers, &vctx, n).map(|e| Effect::NoShow(n, e))
            }
            Ok(Body::HoursApproval(a)) => {
                volunteer::approval(&mut known.volunteers, &vctx, id, a).map(Effect::HoursApproval)
            }
            Ok(Body::HoursRevocation(r)) => {
                volunteer::revocation(&mut known.volunteers, &vctx, id, r)
                    .map(Effect::HoursRevocation)
            }
            Ok(Body::ExchangeItem(i)) => volunteer::item(&mut known.volunteers, &vctx, id, i)
                .map(|()| Effect::ExchangeItem(i)),
            Ok(Body::Exchange(x)) => {
                volunteer::exchange(&mut known.volunteers, &vctx, id, x).map(Effect::Exchange)
            }
        };
        match effect {
            Ok(effect) => {
                known.envelopes.insert(id, o.hash);
                writes.push(Write {
                    envelope: o.envelope,
                    canonical_body: &o.canonical_body,
                    hash: o.hash,
                    effect,
                });
                outcomes.push(Outcome::Accepted);
            }
            Err(reason) => outcomes.push(Outcome::Rejected { reason }),
        }
    }
    Plan { outcomes, writes }
}

fn rejected(reason: &str) -> Outcome {
    Outcome::Rejected {
        reason: reason.to_owned(),
    }
}

/// How every stored time is written: fixed width, so text order is time order.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The hash covers everything the phone decided about the record, not only its body, so a
/// resend with another time under the same id is caught as a conflict.
fn content_hash(e: &Envelope, canonical_body: &str) -> BodyHash {
    let mut h = Sha256::new();
    h.update(e.kind.as_str().as_bytes());
    h.update([0]);
    h.update(e.schema_version.to_be_bytes());
    h.update(timestamp(e.device_time).as_bytes());
    h.update([0]);
    h.update(canonical_body.as_bytes());
    h.finalize().into()
}

/// JSON with object keys sorted at every depth. Written out here rather than relying on
/// serde_json's map order, which a feature enabled anywhere in the build could change, and
/// stored hashes must not.
pub fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        Value::String(s) => write_string(s, out),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
    }
}

fn write_string(s: &str, out: &mut String) {
    // Serializing a string to JSON cannot fail; the fallback only keeps this total.
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, minute, 0).unwrap()
    }

    fn id(n: u8) -> RecordId {
        RecordId::new(1_763_802_000_000 + u64::from(n), [n; 10])
    }

    fn check_in(n: u8, minute: u32, station: &str) -> Envelope {
        Envelope {
            id: id(n),
            kind: Kind::CheckIn,
            schema_version: 1,
            device_time: at(minute),
            body: json!({"station": station, "volunteer_name": "李四", "phone": "13912345678"}),
        }
    }

    fn check_out(n: u8, minute: u32, of: u8) -> Envelope {
        Envelope {
            id: id(n),
            kind: Kind::CheckOut,
            schema_version: 1,
            device_time: at(minute),
            body: json!({"check_in": id(of).to_string()}),
        }
    }

    const STATION: &str = "500156001001";

    fn known_station() -> Known {
        Known {
            stations: [StationCode::parse(STATION).unwrap()].into(),
            ..Known::default()
        }
    }

    fn check(records: &[Envelope], known: Known, expected: &[&str]) {
        let opened: Vec<_> = records.iter().map(Opened::new).collect();
        let scope = DivisionCode::parse(STATION).unwrap();
        let ctx = Context {
            person: "李四",
            role: Role::Volunteer,
            scope: &scope,
            now: at(0),
            notice_days: 7,
            received_at: at(0),
            volunteer_rules: &VolunteerRules::default(),
        };
        let plan = decide(&opened, known, &ctx);
        let got: Vec<String> = plan
            .outcomes
            .iter()
            .map(|o| match o {
                Outcome::Accepted => "accepted".to_owned(),
                Outcome::Duplicate => "duplicate".to_owned(),
                Outcome::Rejected { reason } => reason.clone(),
            })
            .collect();
        assert_eq!(got, expected);
        let accepted = expected.iter().filter(|e| **e == "accepted").count();
        assert_eq!(plan.writes.len(), accepted);
    }

    #[test]
    fn a_check_in_and_its_check_out_may_travel_in_one_batch() {
        check(
            &[check_in(1, 0, STATION), check_out(2, 30, 1)],
            known_station(),
            &["accepted", "accepted"],
        );
    }

    #[test]
    fn a_record_sent_twice_in_one_batch_is_stored_once() {
        check(
            &[check_in(1, 0, STATION), check_in(1, 0, STATION)],
            known_station(),
            &["accepted", "duplicate"],
        );
    }

    #[test]
    fn a_stored_id_with_other_content_is_a_conflict() {
        let stored = Opened::new(&check_in(1, 0, STATION)).hash;
        let mut known = known_station();
        known.envelopes.insert(id(1), stored);
        check(
            &[check_in(1, 0, STATION), check_in(1, 5, STATION)],
            known,
            &["duplicate", REASON_ID_CONFLICT],
        );
    }

    #[test]
    fn check_outs_that_do_not_fit_their_check_in_are_refused() {
        check(
            &[
                check_out(9, 10, 1),
                check_in(1, 30, STATION),
                check_out(2, 10, 1),
                check_out(3, 40, 1),
                check_out(4, 50, 1),
            ],
            known_station(),
            &[
                REASON_NO_CHECK_IN,
                "accepted",
                "签退时间早于签到时间，请检查手机时间",
                "accepted",
                "这条签到已经签退",
            ],
        );
    }

    #[test]
    fn unreadable_records_are_refused_with_the_reason() {
        let mut unknown = check_in(2, 0, STATION);
        unknown.kind = Kind::Unknown;
        let mut newer = check_in(3, 0, STATION);
        newer.schema_version = 2;
        check(
            &[check_in(1, 0, "500156001009"), unknown, newer],
            known_station(),
            &[
                REASON_NO_STATION,
                "不支持的记录类型，请更新应用",
                "记录格式版本 2 不受支持，请更新应用",
            ],
        );
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let v = json!({"b": [1, {"z": null, "a": "引号\""}], "a": true});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":true,"b":[1,{"a":"引号\"","z":null}]}"#
        );
    }
}
