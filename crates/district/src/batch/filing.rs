//! The filing records of a push, decided without I/O: `filing_submit` (a version of an
//! application) and `filing_decision` (a reviewer's decision on a version).
//!
//! The server re-validates every submission with core's rules and applies core's state
//! machine; what it adds is who may act on what (role and scope), which organization an
//! application may be for, and that **the first decision received on a version wins**: at
//! most one decision per version and level, a later one is refused with a reason that says
//! who decided what, and when.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use wenming_core::filing::archive::OrganizationState;
use wenming_core::filing::form::{FilingDecision, FilingSubmission};
use wenming_core::filing::people::check_roster;
use wenming_core::filing::{transition, Actor, ApplicationKind, Decision, FilingState};
use wenming_core::{DivisionCode, Level, RecordId};

use super::Context;
use crate::filings::{beijing_minute, beijing_today, review_level};

pub const REASON_NOT_LEADER: &str = "只有社区社会组织负责人可以提交备案申请";
pub const REASON_OUTSIDE_VILLAGE: &str = "只能为本村（社区）的组织提交备案申请";
pub const REASON_UNKNOWN_VILLAGE: &str = "所选社区/村不在本区";
pub const REASON_ORGANIZATION_EXISTS: &str = "该组织已提交过备案申请，不能重复备案";
pub const REASON_NO_ORGANIZATION: &str = "找不到该组织";
pub const REASON_NOT_FILED: &str = "该组织尚未备案，不能申请变更备案或终止";
pub const REASON_TERMINATED: &str = "该组织已注销";
pub const REASON_OPEN_APPLICATION: &str = "该组织已有一份申请正在办理，请办结后再提交";
pub const REASON_APPLICATION_MISMATCH: &str = "该申请属于另一组织或另一种申请，不能这样重新提交";
pub const REASON_VOTE_REQUIRED: &str = "终止申请须附全体成员会议的表决结果";
pub const REASON_VOTE_UNEXPECTED: &str = "只有终止申请需要附表决结果";
pub const REASON_NOT_REVIEWER: &str = "本机的角色不能审核备案申请";
pub const REASON_NO_ACCESS: &str = "无权处理该申请";
pub const REASON_FOREIGN_VERSION: &str = "所审核的版本不属于该申请";
pub const REASON_STALE_VERSION: &str = "申请人已提交新的版本，请按新版本审核";

/// An organization as a push needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationFacts {
    pub village: DivisionCode,
    /// Whether it holds a certificate.
    pub filed: bool,
    pub terminated: bool,
    /// An application of it that is not final yet, if any.
    pub open_application: Option<RecordId>,
}

/// An application as a push needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationFacts {
    pub organization: RecordId,
    /// The organization's village, which decides who may review it.
    pub village: DivisionCode,
    pub kind: ApplicationKind,
    pub state: FilingState,
    /// The current version.
    pub version: RecordId,
}

/// A decision already taken on a version, at a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastDecision {
    pub person: String,
    pub at: DateTime<Utc>,
    pub decision: Decision,
}

/// What the store must look up for the filing records of a batch.
#[derive(Debug, Default)]
pub struct FilingLookups {
    /// Villages named by forms: are they divisions of this district?
    pub villages: HashSet<DivisionCode>,
    pub organizations: HashSet<RecordId>,
    pub applications: HashSet<RecordId>,
    /// Versions named by decisions: which application are they of, who decided on them?
    pub versions: HashSet<RecordId>,
}

impl FilingLookups {
    pub fn submission(&mut self, s: &FilingSubmission) {
        self.villages.insert(s.form.village.clone());
        self.organizations.insert(s.organization);
        self.applications.insert(s.application);
    }

    pub fn decision(&mut self, d: &FilingDecision) {
        self.applications.insert(d.application);
        self.versions.insert(d.version);
    }

    pub fn is_empty(&self) -> bool {
        self.villages.is_empty()
            && self.organizations.is_empty()
            && self.applications.is_empty()
            && self.versions.is_empty()
    }
}

/// What the store answered to the [`FilingLookups`]; the decisions below keep it up to date
/// as the batch goes, so later records see earlier ones.
#[derive(Debug, Default)]
pub struct FilingKnown {
    pub villages: HashSet<DivisionCode>,
    pub organizations: HashMap<RecordId, OrganizationFacts>,
    pub applications: HashMap<RecordId, ApplicationFacts>,
    /// Version → its application.
    pub versions: HashMap<RecordId, RecordId>,
    pub decided: HashMap<(RecordId, Level), PastDecision>,
}

/// An accepted `filing_submit`.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmitEffect<'a> {
    pub submission: &'a FilingSubmission,
    pub new_organization: bool,
    pub new_application: bool,
    /// The application's state after the submission (待初审).
    pub state: FilingState,
    /// For a first filing, the organization's standing, which follows the application.
    pub organization_state: Option<OrganizationState>,
}

/// An accepted `filing_decision`.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionEffect<'a> {
    pub decision: &'a FilingDecision,
    pub organization: RecordId,
    pub village: DivisionCode,
    pub state: FilingState,
    pub organization_state: Option<OrganizationState>,
}

/// Every rule of core a submission must pass, all reported at once, joined with "；".
pub fn check_submission(s: &FilingSubmission, today: NaiveDate) -> Result<(), String> {
    let mut problems: Vec<String> = s
        .form
        .check(today, s.roster.len())
        .into_iter()
        .map(|e| e.message)
        .collect();
    if let Err(e) = s.charter.check() {
        problems.push(e.to_string());
    }
    let year = u16::try_from(today.year()).unwrap_or(u16::MAX);
    if let Err(e) = check_roster(&s.roster, year) {
        problems.push(e.to_string());
    }
    if let Err(e) = wenming_core::photo::check_photos(&s.photos) {
        problems.push(e.to_string());
    }
    match (s.kind, &s.termination) {
        (ApplicationKind::Termination, None) => problems.push(REASON_VOTE_REQUIRED.to_owned()),
        (ApplicationKind::Termination, Some(vote)) => {
            if let Err(e) = vote.check(today) {
                problems.push(e.to_string());
            }
        }
        (_, Some(_)) => problems.push(REASON_VOTE_UNEXPECTED.to_owned()),
        (_, None) => {}
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("；"))
    }
}

/// Decides a `filing_submit` whose record id is `version`.
pub fn submit<'a>(
    known: &mut FilingKnown,
    ctx: &Context<'_>,
    version: RecordId,
    s: &'a FilingSubmission,
) -> Result<SubmitEffect<'a>, String> {
    if ctx.role != wenming_core::protocol::Role::OrgLeader {
        return Err(REASON_NOT_LEADER.to_owned());
    }
    if !ctx.scope.contains(&s.form.village) {
        return Err(REASON_OUTSIDE_VILLAGE.to_owned());
    }
    if !known.villages.contains(&s.form.village) {
        return Err(REASON_UNKNOWN_VILLAGE.to_owned());
    }
    check_submission(s, beijing_today(ctx.now))?;

    let stored = known.organizations.get(&s.organization);
    // An organization outside the device's scope is answered as if it did not exist.
    let organization = stored.filter(|o| ctx.scope.contains(&o.village));
    let (state_before, new_application) = match known.applications.get(&s.application) {
        None => {
            match (s.kind, organization) {
                (ApplicationKind::Initial, _) if stored.is_some() => {
                    return Err(REASON_ORGANIZATION_EXISTS.to_owned())
                }
                (ApplicationKind::Initial, _) => {}
                (_, None) => return Err(REASON_NO_ORGANIZATION.to_owned()),
                (_, Some(o)) if o.terminated => return Err(REASON_TERMINATED.to_owned()),
                (_, Some(o)) if !o.filed => return Err(REASON_NOT_FILED.to_owned()),
                (_, Some(o)) if o.open_application.is_some() => {
                    return Err(REASON_OPEN_APPLICATION.to_owned())
                }
                (_, Some(_)) => {}
            }
            (FilingState::Draft, true)
        }
        Some(a) => {
            if organization.is_none() {
                return Err(REASON_NO_ORGANIZATION.to_owned());
            }
            if a.organization != s.organization || a.kind != s.kind {
                return Err(REASON_APPLICATION_MISMATCH.to_owned());
            }
            (a.state.clone(), false)
        }
    };
    let new_organization = organization.is_none();
    let state = transition(
        s.kind,
        &state_before,
        &Decision::Submit,
        Actor::Applicant,
        ctx.now,
        ctx.notice_days,
    )
    .map_err(|e| e.to_string())?;

    known
        .organizations
        .entry(s.organization)
        .and_modify(|o| o.open_application = Some(s.application))
        .or_insert_with(|| OrganizationFacts {
            village: s.form.village.clone(),
            filed: false,
            terminated: false,
            open_application: Some(s.application),
        });
    known.applications.insert(
        s.application,
        ApplicationFacts {
            organization: s.organization,
            village: s.form.village.clone(),
            kind: s.kind,
            state: state.clone(),
            version,
        },
    );
    known.versions.insert(version, s.application);
    Ok(SubmitEffect {
        submission: s,
        new_organization,
        new_application,
        organization_state: (s.kind == ApplicationKind::Initial)
            .then(|| OrganizationState::of_initial(&state)),
        state,
    })
}

/// Decides a `filing_decision`.
pub fn decide<'a>(
    known: &mut FilingKnown,
    ctx: &Context<'_>,
    d: &'a FilingDecision,
) -> Result<DecisionEffect<'a>, String> {
    let level = review_level(ctx.role).ok_or_else(|| REASON_NOT_REVIEWER.to_owned())?;
    // Unknown and outside the scope read the same: the answer tells nothing about it.
    let application = known
        .applications
        .get(&d.application)
        .filter(|a| ctx.scope.contains(&a.village))
        .ok_or_else(|| REASON_NO_ACCESS.to_owned())?;
    if known.versions.get(&d.version) != Some(&d.application) {
        return Err(REASON_FOREIGN_VERSION.to_owned());
    }
    if let Some(first) = known.decided.get(&(d.version, level)) {
        return Err(first_wins(first));
    }
    if d.version != application.version {
        return Err(REASON_STALE_VERSION.to_owned());
    }
    let state = transition(
        application.kind,
        &application.state,
        &d.decision,
        Actor::Reviewer(level),
        ctx.now,
        ctx.notice_days,
    )
    .map_err(|e| e.to_string())?;

    let kind = application.kind;
    let organization = application.organization;
    let village = application.village.clone();
    if let Some(a) = known.applications.get_mut(&d.application) {
        a.state = state.clone();
    }
    if state.is_final() {
        if let Some(o) = known.organizations.get_mut(&organization) {
            o.open_application = None;
        }
    }
    known.decided.insert(
        (d.version, level),
        PastDecision {
            person: ctx.person.to_owned(),
            at: ctx.now,
            decision: d.decision.clone(),
        },
    );
    Ok(DecisionEffect {
        decision: d,
        organization,
        village,
        organization_state: (kind == ApplicationKind::Initial)
            .then(|| OrganizationState::of_initial(&state)),
        state,
    })
}

/// "该申请已由王芳于 11月22日 10:05 作出“初审通过”，您的决定未生效"
pub fn first_wins(first: &PastDecision) -> String {
    format!(
        "该申请已由{}于 {} 作出“{}”，您的决定未生效",
        first.person,
        beijing_minute(first.at),
        first.decision.action_zh()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use wenming_core::protocol::Role;

    const FUXING: &str = "500156001001";
    const FURONG_ZHONGLU: &str = "500156002001";

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 2, 5, 0).unwrap()
    }

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    fn id(n: u64) -> RecordId {
        RecordId::new(1_763_802_000_000 + n, [n as u8; 10])
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

    fn submission(kind: ApplicationKind, org: u64, app: u64) -> FilingSubmission {
        wenming_core::fixtures::filing_submission(id(org), id(app), kind, &code(FUXING), 3)
    }

    fn known() -> FilingKnown {
        FilingKnown {
            villages: [code(FUXING), code(FURONG_ZHONGLU)].into(),
            ..FilingKnown::default()
        }
    }

    fn decision(app: u64, version: u64, decision: Decision) -> FilingDecision {
        FilingDecision {
            application: id(app),
            version: id(version),
            decision,
        }
    }

    #[test]
    fn a_leader_files_a_new_organization_and_the_village_passes_it() {
        let village = code(FUXING);
        let mut k = known();
        let s = submission(ApplicationKind::Initial, 1, 2);
        let leader = ctx(Role::OrgLeader, &village, "张秀英");
        let effect = submit(&mut k, &leader, id(3), &s).unwrap();
        assert!(effect.new_organization && effect.new_application);
        assert_eq!(effect.state, FilingState::PendingPreliminary);

        let reviewer = ctx(Role::VillageReviewer, &village, "王芳");
        let d = decision(2, 3, Decision::PassPreliminary);
        let effect = decide(&mut k, &reviewer, &d).unwrap();
        assert_eq!(effect.state, FilingState::PendingReview);
        assert_eq!(
            effect.organization_state,
            Some(OrganizationState::PendingReview)
        );
    }

    #[test]
    fn the_second_decision_on_a_version_at_one_level_is_refused_naming_the_first() {
        let village = code(FUXING);
        let mut k = known();
        let s = submission(ApplicationKind::Initial, 1, 2);
        submit(&mut k, &ctx(Role::OrgLeader, &village, "张秀英"), id(3), &s).unwrap();
        let first = decision(2, 3, Decision::PassPreliminary);
        decide(
            &mut k,
            &ctx(Role::VillageReviewer, &village, "王芳"),
            &first,
        )
        .unwrap();
        // Core would let a village return an application waiting for the town; the
        // second village reviewer decided on what they saw, 待初审, so it is refused.
        let second = decision(
            2,
            3,
            Decision::Return {
                reason: "缺少会议纪要".into(),
            },
        );
        let later = Context {
            now: now() + Duration::minutes(30),
            ..ctx(Role::VillageReviewer, &village, "李强")
        };
        assert_eq!(
            decide(&mut k, &later, &second).unwrap_err(),
            "该申请已由王芳于 11月22日 10:05 作出“初审通过”，您的决定未生效"
        );
    }

    #[test]
    fn a_reviewer_outside_the_scope_learns_nothing() {
        let village = code(FUXING);
        let mut k = known();
        let s = submission(ApplicationKind::Initial, 1, 2);
        submit(&mut k, &ctx(Role::OrgLeader, &village, "张秀英"), id(3), &s).unwrap();
        let other = code("500156002");
        let d = decision(2, 3, Decision::PassPreliminary);
        assert_eq!(
            decide(&mut k, &ctx(Role::TownReviewer, &other, "赵"), &d).unwrap_err(),
            REASON_NO_ACCESS
        );
        let unknown = decision(9, 3, Decision::PassPreliminary);
        assert_eq!(
            decide(
                &mut k,
                &ctx(Role::VillageReviewer, &village, "王"),
                &unknown
            )
            .unwrap_err(),
            REASON_NO_ACCESS
        );
    }

    #[test]
    fn a_change_needs_a_filed_organization_without_another_open_application() {
        let village = code(FUXING);
        let leader = ctx(Role::OrgLeader, &village, "张秀英");
        let mut k = known();
        let change = submission(ApplicationKind::Change, 1, 5);
        assert_eq!(
            submit(&mut k, &leader, id(6), &change).unwrap_err(),
            REASON_NO_ORGANIZATION
        );
        let mut facts = OrganizationFacts {
            village: village.clone(),
            filed: false,
            terminated: false,
            open_application: Some(id(2)),
        };
        k.organizations.insert(id(1), facts.clone());
        assert_eq!(
            submit(&mut k, &leader, id(6), &change).unwrap_err(),
            REASON_NOT_FILED
        );
        facts.filed = true;
        k.organizations.insert(id(1), facts.clone());
        assert_eq!(
            submit(&mut k, &leader, id(6), &change).unwrap_err(),
            REASON_OPEN_APPLICATION
        );
        facts.open_application = None;
        k.organizations.insert(id(1), facts.clone());
        assert!(submit(&mut k, &leader, id(6), &change).is_ok());
        // The change is open now: a termination in the same batch waits for it.
        let end = submission(ApplicationKind::Termination, 1, 7);
        assert_eq!(
            submit(&mut k, &leader, id(8), &end).unwrap_err(),
            REASON_OPEN_APPLICATION
        );
    }

    #[test]
    fn every_problem_of_a_submission_is_reported_at_once() {
        let mut s = submission(ApplicationKind::Termination, 1, 2);
        s.form.venue = " ".into();
        s.form.member_count = 4;
        s.charter.clauses.pop();
        if let Some(vote) = &mut s.termination {
            vote.in_favour = 1;
        }
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(
            check_submission(&s, today).unwrap_err(),
            "请填写活动场所；成员人数 4 与花名册的 3 人不符；章程缺少“党的建设”一节；\
             赞成票未过出席人数的半数，表决未通过"
        );
    }

    #[test]
    fn only_leaders_submit_and_only_reviewers_decide() {
        let village = code(FUXING);
        let mut k = known();
        let s = submission(ApplicationKind::Initial, 1, 2);
        let volunteer = ctx(Role::Volunteer, &village, "李四");
        assert_eq!(
            submit(&mut k, &volunteer, id(3), &s).unwrap_err(),
            REASON_NOT_LEADER
        );
        let d = decision(2, 3, Decision::Approve);
        assert_eq!(
            decide(&mut k, &volunteer, &d).unwrap_err(),
            REASON_NOT_REVIEWER
        );
        let elsewhere = code(FURONG_ZHONGLU);
        assert_eq!(
            submit(&mut k, &ctx(Role::OrgLeader, &elsewhere, "张"), id(3), &s).unwrap_err(),
            REASON_OUTSIDE_VILLAGE
        );
    }
}
