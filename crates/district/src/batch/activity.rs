//! The activity records of a push, decided without I/O: `activity_report`, `pre_report`,
//! `pre_report_decision` and `summary_report`.
//!
//! Every body passes core's `check()` (the phone's own rules) again; what the server adds is
//! who may report for which station or organization (role and scope), that linked records
//! exist where they should, that **the first answer to a pre-report wins** (a later one is
//! refused saying who answered what, and when), and one summary per reporter and period.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use wenming_core::activity::summary::Period;
use wenming_core::activity::{
    joined, ActivityReport, Organizer, PreReport, PreReportDecision, Reporter, SummaryReport,
    Verdict,
};
use wenming_core::protocol::{Rejection, Role};
use wenming_core::{DivisionCode, Envelope, Kind, RecordId, StationCode};

use super::{Context, REASON_NO_STATION};
use crate::filings::beijing_minute;

pub const REASON_ROLE_REPORT: &str = "本机的角色不能填报活动";
pub const REASON_OUTSIDE_STATION: &str = "只能为本村（社区）的实践站填报";
pub const REASON_NO_PRE_REPORT: &str = "找不到所关联的重大活动报告，或它不属于本实践站";
pub const REASON_NOT_TOWN: &str = "只有街道/乡镇可以答复重大活动报告";
pub const REASON_NO_ACCESS: &str = "无权处理该报告";
pub const REASON_NO_PERIOD: &str = "找不到该统计期";
pub const REASON_STATION_SUMMARY: &str = "实践站的总结报告由本站管理员填报";
pub const REASON_ORGANIZATION_SUMMARY: &str = "组织的总结报告由本村（社区）已备案组织的负责人填报";

/// An activity record the server understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivityBody {
    Report(Box<ActivityReport>),
    PreReport(Box<PreReport>),
    Decision(PreReportDecision),
    Summary(Box<SummaryReport>),
}

/// Reads an envelope of one of the activity kinds; `None` for any other kind.
pub fn open(e: &Envelope) -> Option<Result<ActivityBody, Rejection>> {
    Some(match e.kind {
        Kind::ActivityReport => e
            .open::<ActivityReport>()
            .map(|b| ActivityBody::Report(Box::new(b))),
        Kind::PreReport => e
            .open::<PreReport>()
            .map(|b| ActivityBody::PreReport(Box::new(b))),
        Kind::PreReportDecision => e.open::<PreReportDecision>().map(ActivityBody::Decision),
        Kind::SummaryReport => e
            .open::<SummaryReport>()
            .map(|b| ActivityBody::Summary(Box::new(b))),
        _ => return None,
    })
}

/// What the store must look up for the activity records of a batch.
#[derive(Debug, Default)]
pub struct ActivityLookups {
    /// Organizations named as organizers or reporters: where, and are they filed?
    pub organizations: HashSet<RecordId>,
    /// Pre-reports linked or answered: of which station, answered by whom?
    pub pre_reports: HashSet<RecordId>,
    pub periods: HashSet<RecordId>,
    /// (period, reporter) of summaries: reported already?
    pub summaries: HashSet<(RecordId, Reporter)>,
}

impl ActivityLookups {
    /// Notes what `body` depends on; stations go to the batch's shared station lookup.
    pub fn add(&mut self, body: &ActivityBody, stations: &mut HashSet<StationCode>) {
        match body {
            ActivityBody::Report(r) => {
                stations.insert(r.station.clone());
                self.organizations.extend(r.organizations());
                self.pre_reports.extend(r.pre_report);
            }
            ActivityBody::PreReport(p) => {
                stations.insert(p.station.clone());
                self.organizations
                    .extend(p.organizers.iter().filter_map(Organizer::organization));
            }
            ActivityBody::Decision(d) => {
                self.pre_reports.insert(d.pre_report);
            }
            ActivityBody::Summary(s) => {
                match &s.reporter {
                    Reporter::Station { code } => {
                        stations.insert(code.clone());
                    }
                    Reporter::Organization { id } => {
                        self.organizations.insert(*id);
                    }
                }
                self.periods.insert(s.period);
                self.summaries.insert((s.period, s.reporter.clone()));
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.organizations.is_empty()
            && self.pre_reports.is_empty()
            && self.periods.is_empty()
            && self.summaries.is_empty()
    }
}

/// An organization as an activity record needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationFacts {
    pub village: DivisionCode,
    /// Holds a certificate and is not terminated.
    pub filed: bool,
}

/// A pre-report as a push needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreReportFacts {
    pub station: StationCode,
    pub answer: Option<PastAnswer>,
}

/// Who did something already, and when: the first answer to a pre-report, or the summary
/// of a reporter for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastAnswer {
    pub person: String,
    pub at: DateTime<Utc>,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastSummary {
    pub person: String,
    pub at: DateTime<Utc>,
}

/// What the store answered to the [`ActivityLookups`]; kept up to date as the batch goes,
/// so a pre-report and the report linking it may travel together.
#[derive(Debug, Default)]
pub struct ActivityKnown {
    pub organizations: HashMap<RecordId, OrganizationFacts>,
    pub pre_reports: HashMap<RecordId, PreReportFacts>,
    pub periods: HashMap<RecordId, Period>,
    pub summaries: HashMap<(RecordId, Reporter), PastSummary>,
}

/// What an accepted activity record writes.
#[derive(Debug, Clone, PartialEq)]
pub enum ActivityEffect<'a> {
    Report(&'a ActivityReport),
    PreReport(&'a PreReport),
    Decision {
        decision: &'a PreReportDecision,
        /// For the feed's change: the pre-report's station.
        station: StationCode,
    },
    Summary {
        summary: &'a SummaryReport,
        /// The reporter's village, which decides who may see the summary.
        village: DivisionCode,
    },
}

/// Decides one activity record with id `id`, made at `e.device_time`.
pub fn decide<'a>(
    known: &mut ActivityKnown,
    stations: &HashSet<StationCode>,
    ctx: &Context<'_>,
    e: &Envelope,
    body: &'a ActivityBody,
) -> Result<ActivityEffect<'a>, String> {
    match body {
        ActivityBody::Report(r) => {
            may_report(ctx, stations, &r.station)?;
            problems(r.check(e.device_time))?;
            organizers(known, &r.station, &r.organizers)?;
            if let Some(p) = r.pre_report {
                match known.pre_reports.get(&p) {
                    Some(facts) if facts.station == r.station => {}
                    _ => return Err(REASON_NO_PRE_REPORT.to_owned()),
                }
            }
            Ok(ActivityEffect::Report(r))
        }
        ActivityBody::PreReport(p) => {
            may_report(ctx, stations, &p.station)?;
            problems(p.check(e.device_time))?;
            organizers(known, &p.station, &p.organizers)?;
            known.pre_reports.insert(
                e.id,
                PreReportFacts {
                    station: p.station.clone(),
                    answer: None,
                },
            );
            Ok(ActivityEffect::PreReport(p))
        }
        ActivityBody::Decision(d) => {
            if ctx.role != Role::TownReviewer {
                return Err(REASON_NOT_TOWN.to_owned());
            }
            // Unknown and outside the scope read the same: the answer tells nothing.
            let facts = known
                .pre_reports
                .get_mut(&d.pre_report)
                .filter(|f| ctx.scope.contains(f.station.village()))
                .ok_or_else(|| REASON_NO_ACCESS.to_owned())?;
            if let Some(first) = &facts.answer {
                return Err(first_wins(first));
            }
            problems(d.check())?;
            facts.answer = Some(PastAnswer {
                person: ctx.person.to_owned(),
                at: ctx.now,
                verdict: d.verdict.clone(),
            });
            Ok(ActivityEffect::Decision {
                decision: d,
                station: facts.station.clone(),
            })
        }
        ActivityBody::Summary(s) => {
            if !known.periods.contains_key(&s.period) {
                return Err(REASON_NO_PERIOD.to_owned());
            }
            let village = match &s.reporter {
                Reporter::Station { code } => {
                    if ctx.role != Role::StationAdmin || !ctx.scope.contains(code.village()) {
                        return Err(REASON_STATION_SUMMARY.to_owned());
                    }
                    if !stations.contains(code) {
                        return Err(REASON_NO_STATION.to_owned());
                    }
                    code.village().clone()
                }
                Reporter::Organization { id } => match known.organizations.get(id) {
                    Some(o)
                        if ctx.role == Role::OrgLeader
                            && o.filed
                            && ctx.scope.contains(&o.village) =>
                    {
                        o.village.clone()
                    }
                    _ => return Err(REASON_ORGANIZATION_SUMMARY.to_owned()),
                },
            };
            let key = (s.period, s.reporter.clone());
            if let Some(first) = known.summaries.get(&key) {
                return Err(format!(
                    "本期总结报告已由{}于 {} 报送，不能重复报送",
                    first.person,
                    beijing_minute(first.at)
                ));
            }
            problems(s.check())?;
            known.summaries.insert(
                key,
                PastSummary {
                    person: ctx.person.to_owned(),
                    at: ctx.now,
                },
            );
            Ok(ActivityEffect::Summary {
                summary: s,
                village,
            })
        }
    }
}

/// "该报告已由赵立新于 11月22日 10:05 作出“同意”，您的决定未生效"
pub fn first_wins(first: &PastAnswer) -> String {
    format!(
        "该报告已由{}于 {} 作出“{}”，您的决定未生效",
        first.person,
        beijing_minute(first.at),
        first.verdict.name_zh()
    )
}

/// Volunteers, station administrators and organization leaders report for the stations of
/// their own village; reviewers and the district read, they do not report.
fn may_report(
    ctx: &Context<'_>,
    stations: &HashSet<StationCode>,
    station: &StationCode,
) -> Result<(), String> {
    if !matches!(
        ctx.role,
        Role::Volunteer | Role::StationAdmin | Role::OrgLeader
    ) {
        return Err(REASON_ROLE_REPORT.to_owned());
    }
    if !ctx.scope.contains(station.village()) {
        return Err(REASON_OUTSIDE_STATION.to_owned());
    }
    if !stations.contains(station) {
        return Err(REASON_NO_STATION.to_owned());
    }
    Ok(())
}

/// A filed organizer must be a filed organization of the station's street/town; unknown
/// and elsewhere read the same.
fn organizers(
    known: &ActivityKnown,
    station: &StationCode,
    organizers: &[Organizer],
) -> Result<(), String> {
    let town = station.village().parent();
    for o in organizers {
        if let Organizer::Organization { id, name } = o {
            let ok = known
                .organizations
                .get(id)
                .is_some_and(|f| f.filed && town.as_ref().is_some_and(|t| t.contains(&f.village)));
            if !ok {
                return Err(format!(
                    "组织单位“{}”不是本街道/乡镇已备案的组织，请重新选择或按其他团体填写",
                    name.trim()
                ));
            }
        }
    }
    Ok(())
}

fn problems(p: Vec<wenming_core::filing::form::FieldError>) -> Result<(), String> {
    if p.is_empty() {
        Ok(())
    } else {
        Err(joined(&p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate, TimeZone};
    use wenming_core::activity::PreReportState;
    use wenming_core::fixtures;

    const FUXING: &str = "500156001001";
    const YOUFANG: &str = "500156001002";

    fn station(s: &str) -> StationCode {
        StationCode::parse(s).unwrap()
    }

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 2, 5, 0).unwrap()
    }

    fn ctx<'a>(role: Role, scope: &'a DivisionCode, person: &'a str) -> Context<'a> {
        Context {
            person,
            role,
            scope,
            now: now(),
            notice_days: 7,
            received_at: now(),
            // A test's few bytes, leaked so the context can borrow them for any lifetime.
            volunteer_rules: Box::leak(Box::default()),
        }
    }

    fn id(n: u64) -> RecordId {
        RecordId::new(1_763_802_000_000 + n, [n as u8; 10])
    }

    fn envelope<B: wenming_core::protocol::RecordBody>(n: u64, b: &B) -> Envelope {
        Envelope::wrap(id(n), now(), b)
    }

    fn stations() -> HashSet<StationCode> {
        [station(FUXING), station(YOUFANG)].into()
    }

    fn known() -> ActivityKnown {
        let org = fixtures::organizer().organization().unwrap();
        ActivityKnown {
            organizations: [(
                org,
                OrganizationFacts {
                    village: code(FUXING),
                    filed: true,
                },
            )]
            .into(),
            ..ActivityKnown::default()
        }
    }

    fn run(k: &mut ActivityKnown, c: &Context<'_>, e: &Envelope) -> Result<&'static str, String> {
        let body = open(e).unwrap().map_err(|r| r.to_string())?;
        let body: &'static ActivityBody = Box::leak(Box::new(body));
        decide(k, &stations(), c, e, body).map(|effect| match effect {
            ActivityEffect::Report(_) => "report",
            ActivityEffect::PreReport(_) => "pre_report",
            ActivityEffect::Decision { .. } => "decision",
            ActivityEffect::Summary { .. } => "summary",
        })
    }

    #[test]
    fn a_volunteer_reports_for_the_station_of_their_village_only() {
        let village = code(FUXING);
        let volunteer = ctx(Role::Volunteer, &village, "李四");
        let mut k = known();
        let here = envelope(1, &fixtures::activity_report(&station(FUXING)));
        assert_eq!(run(&mut k, &volunteer, &here), Ok("report"));
        let there = envelope(2, &fixtures::activity_report(&station(YOUFANG)));
        assert_eq!(
            run(&mut k, &volunteer, &there).unwrap_err(),
            REASON_OUTSIDE_STATION
        );
        let town = code("500156001");
        let reviewer = ctx(Role::TownReviewer, &town, "赵立新");
        assert_eq!(
            run(&mut k, &reviewer, &here).unwrap_err(),
            REASON_ROLE_REPORT
        );
    }

    #[test]
    fn an_organizer_must_be_filed_in_the_stations_town() {
        let village = code(FUXING);
        let admin = ctx(Role::StationAdmin, &village, "李四");
        let mut k = known();
        let e = envelope(1, &fixtures::activity_report(&station(FUXING)));
        let org = fixtures::organizer().organization().unwrap();
        k.organizations.get_mut(&org).unwrap().filed = false;
        assert_eq!(
            run(&mut k, &admin, &e).unwrap_err(),
            "组织单位“复兴社区夕阳红志愿服务队”不是本街道/乡镇已备案的组织，\
             请重新选择或按其他团体填写"
        );
        k.organizations.get_mut(&org).unwrap().filed = true;
        k.organizations.get_mut(&org).unwrap().village = code("500156002001");
        assert!(run(&mut k, &admin, &e).is_err());
    }

    #[test]
    fn a_pre_report_and_the_report_linking_it_may_travel_together() {
        let village = code(FUXING);
        let admin = ctx(Role::StationAdmin, &village, "李四");
        let mut k = known();
        let p = fixtures::pre_report(&station(FUXING));
        let pre = Envelope::wrap(id(1), p.starts_at - Duration::days(5), &p);
        assert_eq!(run(&mut k, &admin, &pre), Ok("pre_report"));
        let mut r = fixtures::activity_report(&station(FUXING));
        r.major = Some(p.kind);
        r.pre_report = Some(pre.id);
        r.starts_at = p.starts_at;
        r.ends_at = p.ends_at;
        let report = Envelope::wrap(id(2), p.ends_at, &r);
        assert_eq!(run(&mut k, &admin, &report), Ok("report"));
        r.pre_report = Some(id(9));
        let dangling = Envelope::wrap(id(3), p.ends_at, &r);
        assert_eq!(
            run(&mut k, &admin, &dangling).unwrap_err(),
            REASON_NO_PRE_REPORT
        );
    }

    #[test]
    fn the_first_answer_to_a_pre_report_wins_and_only_its_town_answers() {
        let mut k = known();
        k.pre_reports.insert(
            id(1),
            PreReportFacts {
                station: station(FUXING),
                answer: None,
            },
        );
        let d = |n, verdict| {
            envelope(
                n,
                &PreReportDecision {
                    pre_report: id(1),
                    verdict,
                },
            )
        };
        let other = code("500156002");
        assert_eq!(
            run(
                &mut k,
                &ctx(Role::TownReviewer, &other, "钱"),
                &d(2, Verdict::Approve)
            )
            .unwrap_err(),
            REASON_NO_ACCESS
        );
        let village = code(FUXING);
        assert_eq!(
            run(
                &mut k,
                &ctx(Role::VillageReviewer, &village, "王"),
                &d(2, Verdict::Approve)
            )
            .unwrap_err(),
            REASON_NOT_TOWN
        );
        let town = code("500156001");
        assert_eq!(
            run(
                &mut k,
                &ctx(Role::TownReviewer, &town, "赵立新"),
                &d(3, Verdict::Approve)
            ),
            Ok("decision")
        );
        let later = Context {
            now: now() + Duration::hours(1),
            ..ctx(Role::TownReviewer, &town, "孙")
        };
        let refuse = Verdict::Refuse {
            reason: "场地太小".into(),
        };
        assert_eq!(
            run(&mut k, &later, &d(4, refuse)).unwrap_err(),
            "该报告已由赵立新于 11月22日 10:05 作出“同意”，您的决定未生效"
        );
        assert_eq!(
            k.pre_reports[&id(1)]
                .answer
                .as_ref()
                .map(|a| a.verdict.state()),
            Some(PreReportState::Approved)
        );
    }

    #[test]
    fn one_summary_per_reporter_and_period_from_the_right_role() {
        let mut k = known();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        k.periods.insert(
            id(7),
            Period {
                from: d(10, 1),
                to: d(12, 31),
                deadline: d(12, 31),
            },
        );
        let here = Reporter::Station {
            code: station(FUXING),
        };
        let s = fixtures::summary_report(id(7), here, &[]);
        let village = code(FUXING);
        assert_eq!(
            run(
                &mut k,
                &ctx(Role::Volunteer, &village, "李四"),
                &envelope(1, &s)
            )
            .unwrap_err(),
            REASON_STATION_SUMMARY
        );
        let admin = ctx(Role::StationAdmin, &village, "李建国");
        assert_eq!(run(&mut k, &admin, &envelope(2, &s)), Ok("summary"));
        assert_eq!(
            run(&mut k, &admin, &envelope(3, &s)).unwrap_err(),
            "本期总结报告已由李建国于 11月22日 10:05 报送，不能重复报送"
        );
        let mut unknown = s.clone();
        unknown.period = id(8);
        assert_eq!(
            run(&mut k, &admin, &envelope(4, &unknown)).unwrap_err(),
            REASON_NO_PERIOD
        );
        let org = fixtures::organizer().organization().unwrap();
        let by_org = fixtures::summary_report(id(7), Reporter::Organization { id: org }, &[]);
        assert_eq!(
            run(&mut k, &admin, &envelope(5, &by_org)).unwrap_err(),
            REASON_ORGANIZATION_SUMMARY
        );
        let leader = ctx(Role::OrgLeader, &village, "张秀英");
        assert_eq!(run(&mut k, &leader, &envelope(6, &by_org)), Ok("summary"));
    }
}
