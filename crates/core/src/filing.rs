//! Filing (备案) of community social organizations: the review chain as a state machine,
//! and the certificate number the street/town issues.
//!
//! The procedure follows seed 004 第二条 and 第三条 (see DOMAIN.md §1): sponsors submit the
//! charter and filing form to the residents'/villagers' committee for preliminary review
//! (初审); the street office or town government reviews (审核), posts a public notice
//! (公示) and issues the filing certificate (备案证书). A change of filed facts is filed
//! again (变更备案); termination (终止) goes up the same chain after the members' vote.

pub mod archive;
pub mod charter;
pub mod feed;
pub mod form;
pub mod people;

use std::fmt;

use chrono::{DateTime, Datelike, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::division::{DivisionCode, Level};

/// The categories of community social organizations (000 三; 002 二、一、1; 004 第七条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    LifeService,
    Charity,
    MutualAid,
    CultureSports,
    RuralTechnical,
    CommunityAffairs,
    Volunteer,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::LifeService,
        Category::Charity,
        Category::MutualAid,
        Category::CultureSports,
        Category::RuralTechnical,
        Category::CommunityAffairs,
        Category::Volunteer,
    ];

    pub fn name_zh(self) -> &'static str {
        match self {
            Category::LifeService => "生活服务类",
            Category::Charity => "公益慈善类",
            Category::MutualAid => "居民互助类",
            Category::CultureSports => "文体活动类",
            Category::RuralTechnical => "农村生产技术服务类",
            Category::CommunityAffairs => "社区事务类",
            Category::Volunteer => "志愿服务类",
        }
    }
}

/// What an application asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    /// 备案: a new organization.
    Initial,
    /// 变更备案: filed facts change; the certificate stays.
    Change,
    /// 终止: the organization ends, after its members' meeting voted so.
    Termination,
}

/// Where an application stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FilingState {
    /// 草稿: on the applicant's phone only.
    Draft,
    /// 待初审: with the residents'/villagers' committee.
    PendingPreliminary,
    /// 退回修改: sent back to the applicant, by the committee or the street/town.
    Returned { by: Level, reason: String },
    /// 待审核: preliminary review passed (初审通过), with the street/town.
    PendingReview,
    /// 不予备案: refused by the street/town. Final for this application.
    Refused { reason: String },
    /// 公示中: approved, on public notice until the given moment.
    PublicNotice { until: DateTime<Utc> },
    /// 已备案 (or, for a change filing, 变更已备案): the certificate is issued or kept.
    Filed,
    /// 已注销: a termination went through.
    Terminated,
}

impl FilingState {
    pub fn name_zh(&self) -> &'static str {
        match self {
            FilingState::Draft => "草稿",
            FilingState::PendingPreliminary => "待初审",
            FilingState::Returned { .. } => "退回修改",
            FilingState::PendingReview => "待审核",
            FilingState::Refused { .. } => "不予备案",
            FilingState::PublicNotice { .. } => "公示中",
            FilingState::Filed => "已备案",
            FilingState::Terminated => "已注销",
        }
    }

    /// Whether nothing can happen to this application any more.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            FilingState::Refused { .. } | FilingState::Filed | FilingState::Terminated
        )
    }
}

/// What someone does to an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Decision {
    /// The applicant sends it (again) to the committee.
    Submit,
    /// 初审通过: the committee forwards it to the street/town.
    PassPreliminary,
    /// 退回修改: the committee or the street/town sends it back.
    Return { reason: String },
    /// 审核通过: the street/town approves; the public notice begins.
    Approve,
    /// 不予备案 (or, for a termination, 不予批准).
    Refuse { reason: String },
    /// The notice period has passed without the street/town withdrawing its approval.
    EndNotice,
}

/// Who acts: the applicant, or a reviewer at a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Applicant,
    Reviewer(Level),
    /// The server's clock, which ends notice periods.
    Clock,
}

/// Why a decision cannot be taken; shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("当前状态为“{state}”，不能{action}")]
    NotNow {
        state: &'static str,
        action: &'static str,
    },
    #[error("只有{0}可以{1}")]
    WrongActor(&'static str, &'static str),
    #[error("请写明理由")]
    ReasonRequired,
    #[error("公示期到 {0} 才结束")]
    NoticeNotOver(DateTime<Utc>),
}

/// The default length of the public notice, in days; the district may set another.
pub const DEFAULT_NOTICE_DAYS: i64 = 7;

impl Decision {
    /// The decision as the trail and the buttons name it (初审通过, 退回修改, …).
    pub fn action_zh(&self) -> &'static str {
        match self {
            Decision::Submit => "提交",
            Decision::PassPreliminary => "初审通过",
            Decision::Return { .. } => "退回修改",
            Decision::Approve => "审核通过",
            Decision::Refuse { .. } => "不予备案",
            Decision::EndNotice => "结束公示",
        }
    }

    /// Who may take this decision.
    fn allowed(&self, actor: Actor) -> Result<(), TransitionError> {
        let ok = match self {
            Decision::Submit => actor == Actor::Applicant,
            Decision::PassPreliminary => actor == Actor::Reviewer(Level::Village),
            Decision::Return { .. } => matches!(
                actor,
                Actor::Reviewer(Level::Village) | Actor::Reviewer(Level::Town)
            ),
            Decision::Approve | Decision::Refuse { .. } => actor == Actor::Reviewer(Level::Town),
            Decision::EndNotice => actor == Actor::Clock,
        };
        if ok {
            return Ok(());
        }
        let who = match self {
            Decision::Submit => "申请人",
            Decision::PassPreliminary => "村（居）委会",
            Decision::Return { .. } => "审核人",
            Decision::Approve | Decision::Refuse { .. } => "街道办事处（乡镇人民政府）",
            Decision::EndNotice => "系统",
        };
        Err(TransitionError::WrongActor(who, self.action_zh()))
    }
}

/// The one place that says which decision may follow which state. Every other move is
/// refused with a message that says why.
pub fn transition(
    kind: ApplicationKind,
    state: &FilingState,
    decision: &Decision,
    actor: Actor,
    now: DateTime<Utc>,
    notice_days: i64,
) -> Result<FilingState, TransitionError> {
    decision.allowed(actor)?;
    if let Decision::Return { reason } | Decision::Refuse { reason } = decision {
        if reason.trim().is_empty() {
            return Err(TransitionError::ReasonRequired);
        }
    }
    use FilingState as S;
    let next = match (state, decision) {
        (S::Draft | S::Returned { .. }, Decision::Submit) => S::PendingPreliminary,
        (S::PendingPreliminary, Decision::PassPreliminary) => S::PendingReview,
        (S::PendingPreliminary | S::PendingReview, Decision::Return { reason }) => S::Returned {
            by: match actor {
                Actor::Reviewer(level) => level,
                _ => Level::Village,
            },
            reason: reason.trim().to_owned(),
        },
        (S::PendingReview, Decision::Approve) => S::PublicNotice {
            until: now + Duration::days(notice_days.max(0)),
        },
        (S::PendingReview, Decision::Refuse { reason }) => S::Refused {
            reason: reason.trim().to_owned(),
        },
        (S::PublicNotice { until }, Decision::EndNotice) => {
            if now < *until {
                return Err(TransitionError::NoticeNotOver(*until));
            }
            match kind {
                ApplicationKind::Initial | ApplicationKind::Change => S::Filed,
                ApplicationKind::Termination => S::Terminated,
            }
        }
        _ => {
            return Err(TransitionError::NotNow {
                state: state.name_zh(),
                action: decision.action_zh(),
            })
        }
    };
    Ok(next)
}

/// A filing certificate number: the district's code, the year, and a sequence the
/// district server hands out once and never again. Shown as `500156-2026-0007`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CertificateNumber {
    district: DivisionCode,
    year: u16,
    seq: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("备案证书编号应形如 500156-2026-0001")]
pub struct BadCertificateNumber;

impl CertificateNumber {
    pub fn new(district: &DivisionCode, issued: DateTime<Utc>, seq: u32) -> Self {
        CertificateNumber {
            district: district.district(),
            year: u16::try_from(issued.year()).unwrap_or(0),
            seq,
        }
    }

    pub fn parse(s: &str) -> Result<Self, BadCertificateNumber> {
        let mut parts = s.trim().split('-');
        let (Some(d), Some(y), Some(n), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(BadCertificateNumber);
        };
        let district =
            DivisionCode::parse_level(d, Level::District).map_err(|_| BadCertificateNumber)?;
        let digits = |s: &str, len: usize| s.len() >= len && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || y.len() != 4 || !digits(n, 4) {
            return Err(BadCertificateNumber);
        }
        Ok(CertificateNumber {
            district,
            year: y.parse().map_err(|_| BadCertificateNumber)?,
            seq: n.parse().map_err(|_| BadCertificateNumber)?,
        })
    }

    pub fn seq(&self) -> u32 {
        self.seq
    }

    pub fn year(&self) -> u16 {
        self.year
    }
}

impl fmt::Display for CertificateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{:04}", self.district, self.year, self.seq)
    }
}

impl TryFrom<String> for CertificateNumber {
    type Error = BadCertificateNumber;
    fn try_from(s: String) -> Result<Self, BadCertificateNumber> {
        Self::parse(&s)
    }
}

impl From<CertificateNumber> for String {
    fn from(c: CertificateNumber) -> String {
        c.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const VILLAGE: Actor = Actor::Reviewer(Level::Village);
    const TOWN: Actor = Actor::Reviewer(Level::Town);

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 2, 0, 0).unwrap()
    }

    fn step(
        kind: ApplicationKind,
        state: &FilingState,
        d: Decision,
        actor: Actor,
        at: DateTime<Utc>,
    ) -> Result<FilingState, TransitionError> {
        transition(kind, state, &d, actor, at, DEFAULT_NOTICE_DAYS)
    }

    fn ret(reason: &str) -> Decision {
        Decision::Return {
            reason: reason.into(),
        }
    }

    /// Walks a path of (decision, actor, days after now) and returns every state.
    fn walk(kind: ApplicationKind, path: &[(Decision, Actor, i64)]) -> Vec<FilingState> {
        let mut state = FilingState::Draft;
        let mut seen = vec![state.clone()];
        for (d, actor, days) in path {
            state = step(
                kind,
                &state,
                d.clone(),
                *actor,
                now() + Duration::days(*days),
            )
            .unwrap_or_else(|e| panic!("{d:?} by {actor:?} from {state:?}: {e}"));
            seen.push(state.clone());
        }
        seen
    }

    #[test]
    fn a_filing_goes_from_draft_to_filed_through_both_reviews_and_the_notice() {
        let states = walk(
            ApplicationKind::Initial,
            &[
                (Decision::Submit, Actor::Applicant, 0),
                (Decision::PassPreliminary, VILLAGE, 1),
                (Decision::Approve, TOWN, 2),
                (Decision::EndNotice, Actor::Clock, 9),
            ],
        );
        let names: Vec<_> = states.iter().map(FilingState::name_zh).collect();
        assert_eq!(names, ["草稿", "待初审", "待审核", "公示中", "已备案"]);
        assert_eq!(
            states[3],
            FilingState::PublicNotice {
                until: now() + Duration::days(9)
            }
        );
    }

    #[test]
    fn a_returned_filing_is_resubmitted_and_goes_on() {
        let states = walk(
            ApplicationKind::Initial,
            &[
                (Decision::Submit, Actor::Applicant, 0),
                (ret("章程缺少党建条款"), VILLAGE, 0),
                (Decision::Submit, Actor::Applicant, 1),
                (Decision::PassPreliminary, VILLAGE, 1),
                (ret("活动场所不明确"), TOWN, 2),
                (Decision::Submit, Actor::Applicant, 3),
                (Decision::PassPreliminary, VILLAGE, 3),
                (Decision::Approve, TOWN, 4),
                (Decision::EndNotice, Actor::Clock, 11),
            ],
        );
        assert_eq!(
            states[2],
            FilingState::Returned {
                by: Level::Village,
                reason: "章程缺少党建条款".into()
            }
        );
        assert!(matches!(
            states[5],
            FilingState::Returned {
                by: Level::Town,
                ..
            }
        ));
        assert_eq!(states.last(), Some(&FilingState::Filed));
    }

    #[test]
    fn a_termination_ends_in_deregistration() {
        let states = walk(
            ApplicationKind::Termination,
            &[
                (Decision::Submit, Actor::Applicant, 0),
                (Decision::PassPreliminary, VILLAGE, 0),
                (Decision::Approve, TOWN, 0),
                (Decision::EndNotice, Actor::Clock, 7),
            ],
        );
        assert_eq!(states.last(), Some(&FilingState::Terminated));
    }

    #[test]
    fn the_town_may_refuse_and_that_is_final() {
        let refused = walk(
            ApplicationKind::Initial,
            &[
                (Decision::Submit, Actor::Applicant, 0),
                (Decision::PassPreliminary, VILLAGE, 0),
                (
                    Decision::Refuse {
                        reason: "不属于社区社会组织".into(),
                    },
                    TOWN,
                    0,
                ),
            ],
        )
        .pop()
        .unwrap();
        assert!(refused.is_final());
        let err = step(
            ApplicationKind::Initial,
            &refused,
            Decision::Submit,
            Actor::Applicant,
            now(),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "当前状态为“不予备案”，不能提交");
    }

    #[test]
    fn every_decision_out_of_turn_is_refused() {
        let states = [
            FilingState::Draft,
            FilingState::PendingPreliminary,
            FilingState::Returned {
                by: Level::Village,
                reason: "x".into(),
            },
            FilingState::PendingReview,
            FilingState::Refused { reason: "x".into() },
            FilingState::PublicNotice { until: now() },
            FilingState::Filed,
            FilingState::Terminated,
        ];
        let moves = [
            (Decision::Submit, Actor::Applicant),
            (Decision::PassPreliminary, VILLAGE),
            (ret("x"), VILLAGE),
            (ret("x"), TOWN),
            (Decision::Approve, TOWN),
            (Decision::Refuse { reason: "x".into() }, TOWN),
            (Decision::EndNotice, Actor::Clock),
        ];
        let legal = |s: &FilingState, d: &Decision| {
            matches!(
                (s, d),
                (
                    FilingState::Draft | FilingState::Returned { .. },
                    Decision::Submit
                ) | (FilingState::PendingPreliminary, Decision::PassPreliminary)
                    | (
                        FilingState::PendingPreliminary | FilingState::PendingReview,
                        Decision::Return { .. }
                    )
                    | (
                        FilingState::PendingReview,
                        Decision::Approve | Decision::Refuse { .. }
                    )
                    | (FilingState::PublicNotice { .. }, Decision::EndNotice)
            )
        };
        for kind in [
            ApplicationKind::Initial,
            ApplicationKind::Change,
            ApplicationKind::Termination,
        ] {
            for s in &states {
                for (d, actor) in &moves {
                    let result = step(kind, s, d.clone(), *actor, now());
                    assert_eq!(result.is_ok(), legal(s, d), "{kind:?} {s:?} {d:?}");
                }
            }
        }
    }

    #[test]
    fn only_the_right_level_may_decide() {
        let s = FilingState::PendingPreliminary;
        let err = step(
            ApplicationKind::Initial,
            &s,
            Decision::PassPreliminary,
            TOWN,
            now(),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "只有村（居）委会可以初审通过");
        let s = FilingState::PendingReview;
        for actor in [VILLAGE, Actor::Applicant, Actor::Clock] {
            assert!(step(
                ApplicationKind::Initial,
                &s,
                Decision::Approve,
                actor,
                now()
            )
            .is_err());
        }
        let s = FilingState::Draft;
        assert!(step(
            ApplicationKind::Initial,
            &s,
            Decision::Submit,
            VILLAGE,
            now()
        )
        .is_err());
    }

    #[test]
    fn returning_or_refusing_needs_a_reason() {
        let s = FilingState::PendingReview;
        assert_eq!(
            step(ApplicationKind::Initial, &s, ret("  "), TOWN, now()),
            Err(TransitionError::ReasonRequired)
        );
    }

    #[test]
    fn the_notice_cannot_end_early() {
        let until = now() + Duration::days(7);
        let s = FilingState::PublicNotice { until };
        assert_eq!(
            step(
                ApplicationKind::Initial,
                &s,
                Decision::EndNotice,
                Actor::Clock,
                now()
            ),
            Err(TransitionError::NoticeNotOver(until))
        );
        assert_eq!(
            step(
                ApplicationKind::Change,
                &s,
                Decision::EndNotice,
                Actor::Clock,
                until
            ),
            Ok(FilingState::Filed)
        );
    }

    #[test]
    fn certificate_numbers_read_and_print_the_same() {
        let district = DivisionCode::parse("500156001001").unwrap();
        let n = CertificateNumber::new(&district, now(), 7);
        assert_eq!(n.to_string(), "500156-2026-0007");
        assert_eq!(CertificateNumber::parse("500156-2026-0007"), Ok(n));
        assert_eq!(
            CertificateNumber::parse("500156-2026-12345").unwrap().seq(),
            12_345
        );
        for bad in [
            "",
            "500156-2026",
            "5001-2026-0001",
            "500156-26-0001",
            "500156-2026-7",
        ] {
            assert_eq!(
                CertificateNumber::parse(bad),
                Err(BadCertificateNumber),
                "{bad}"
            );
        }
    }
}
