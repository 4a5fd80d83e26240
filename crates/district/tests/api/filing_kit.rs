//! What the filing tests share: submissions built from core's types, the records that
//! carry them, the people of the review chain, and readers of the feed, list and archive.

use chrono::{Duration, NaiveDate};
use wenming_core::filing::archive::{Archive, OrganizationList};
use wenming_core::filing::feed::{ApplicationView, FilingFeed};
use wenming_core::filing::form::{FilingDecision, FilingSubmission, TerminationVote};
use wenming_core::filing::{ApplicationKind, Decision};
use wenming_core::protocol::{EnrollResponse, Outcome, Role};
use wenming_core::{DivisionCode, Envelope, PersonName, RecordId};
use wenming_district::enrollment;

use crate::helpers::*;

fn code(s: &str) -> DivisionCode {
    DivisionCode::parse(s).unwrap()
}

/// A filing of a new volunteer team in `village`, with `members` on the roster.
pub fn submission(village: &str, members: usize) -> FilingSubmission {
    wenming_core::fixtures::filing_submission(
        new_id(),
        new_id(),
        ApplicationKind::Initial,
        &code(village),
        members,
    )
}

pub fn follow_up(of: &FilingSubmission, kind: ApplicationKind) -> FilingSubmission {
    FilingSubmission {
        application: new_id(),
        kind,
        termination: (kind == ApplicationKind::Termination).then(|| TerminationVote {
            held_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            present: 20,
            in_favour: 15,
            against: 3,
        }),
        ..of.clone()
    }
}

/// The record that carries a submission: its id is the version's.
pub fn submit(s: &FilingSubmission) -> Envelope {
    Envelope::wrap(new_id(), at(0), s)
}

pub fn decide(version: &Envelope, decision: Decision) -> Envelope {
    let s: FilingSubmission = serde_json::from_value(version.body.clone()).unwrap();
    let body = FilingDecision {
        application: s.application,
        version: version.id,
        decision,
    };
    Envelope::wrap(new_id(), at(1), &body)
}

pub fn ret(reason: &str) -> Decision {
    Decision::Return {
        reason: reason.into(),
    }
}

/// The people of one village's review chain, each on their own phone.
pub struct Chain {
    pub leader: String,
    pub village: String,
    pub town: String,
}

impl TestApp {
    /// Enrolls a device for a named person and returns its token.
    pub async fn token_of(&self, role: Role, scope: &str, person: &str) -> String {
        let issued = enrollment::issue(
            &*self.store,
            role,
            &code(scope),
            &PersonName::parse(person).unwrap(),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let response = self.post_enroll(&issued.code.to_string()).await;
        assert_eq!(response.status(), 200);
        response.json::<EnrollResponse>().await.unwrap().token
    }

    pub async fn chain(&self, village: &str) -> Chain {
        Chain {
            leader: self.token_of(Role::OrgLeader, village, "张秀英").await,
            village: self.token_of(Role::VillageReviewer, village, "王芳").await,
            town: self
                .token_of(Role::TownReviewer, &village[..9], "赵立新")
                .await,
        }
    }

    /// Pushes one record and returns its outcome.
    pub async fn push_one(&self, token: &str, record: &Envelope) -> Outcome {
        self.push(token, std::slice::from_ref(record))
            .await
            .remove(0)
    }

    pub async fn feed(&self, token: &str, query: &str) -> FilingFeed {
        let response = self.get(token, &format!("/api/v1/filings{query}")).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// The one application `token` sees in the whole feed with this id.
    pub async fn view(&self, token: &str, application: RecordId) -> ApplicationView {
        let feed = self.feed(token, "?limit=200").await;
        assert!(!feed.more);
        let mut found: Vec<_> = feed
            .applications
            .into_iter()
            .filter(|i| i.application.id == application)
            .collect();
        assert_eq!(found.len(), 1, "the feed gives each application once");
        found.remove(0).application
    }

    pub async fn archive(&self, token: &str, organization: RecordId) -> Archive {
        let response = self
            .get(token, &format!("/api/v1/organizations/{organization}"))
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub async fn organizations(&self, token: &str, query: &str) -> OrganizationList {
        let response = self
            .get(token, &format!("/api/v1/organizations{query}"))
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Moves the filing clock as `district advance-clock` does.
    pub async fn advance_days(&self, days: i64) {
        self.store
            .advance_clock(Duration::days(days))
            .await
            .unwrap();
    }

    /// Submits, passes and approves `s` through `chain`, then lets the notice pass; returns
    /// the version's record.
    pub async fn file(&self, chain: &Chain, s: &FilingSubmission) -> Envelope {
        let version = submit(s);
        assert_eq!(
            self.push_one(&chain.leader, &version).await,
            Outcome::Accepted
        );
        let pass = decide(&version, Decision::PassPreliminary);
        assert_eq!(
            self.push_one(&chain.village, &pass).await,
            Outcome::Accepted
        );
        let approve = decide(&version, Decision::Approve);
        assert_eq!(
            self.push_one(&chain.town, &approve).await,
            Outcome::Accepted
        );
        self.advance_days(8).await;
        version
    }
}
