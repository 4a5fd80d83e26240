//! Filings decided at the same time: two reviewers on one version (the first received
//! wins, the other is told who decided what), and many approvals and sweeps at once
//! (certificate numbers stay unique and without gaps).

use std::collections::BTreeSet;

use chrono::{Datelike, Utc};
use futures::future::join_all;
use wenming_core::filing::archive::OrganizationState;
use wenming_core::filing::{Decision, FilingState};
use wenming_core::protocol::{Outcome, Role};
use wenming_district::filings::{beijing, beijing_minute};

use crate::filing_kit::*;
use crate::helpers::*;

#[tokio::test]
async fn of_two_reviewers_deciding_one_version_the_first_wins_and_the_second_is_told() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let colleague = app.token_of(Role::VillageReviewer, FUXING, "李强").await;
    let s = submission(FUXING, 5);
    let v1 = submit(&s);
    app.push_one(&chain.leader, &v1).await;

    // Both decided offline on 待初审; 王芳's phone synced first.
    let pass = decide(&v1, Decision::PassPreliminary);
    let back = decide(&v1, ret("缺少成员大会纪要"));
    assert_eq!(app.push_one(&chain.village, &pass).await, Outcome::Accepted);
    let view = app.view(&chain.village, s.application).await;
    let when = beijing_minute(view.trail[1].at);
    let told = rejected(&format!(
        "该申请已由王芳于 {when} 作出“初审通过”，您的决定未生效"
    ));
    assert_eq!(app.push_one(&colleague, &back).await, told);
    // The phone keeps the record and tries again later: the same answer, nothing stored.
    assert_eq!(app.push_one(&colleague, &back).await, told);
    let view = app.view(&chain.village, s.application).await;
    assert_eq!(view.state, FilingState::PendingReview);
    assert_eq!(view.trail.len(), 2);

    let deputy = app.token_of(Role::TownReviewer, FENGSHAN, "陈静").await;
    let approve = decide(&v1, Decision::Approve);
    let refuse = decide(
        &v1,
        Decision::Refuse {
            reason: "名称与已备案组织重复".into(),
        },
    );
    let (a, b) = tokio::join!(
        app.push_one(&chain.town, &approve),
        app.push_one(&deputy, &refuse)
    );
    let view = app.view(&chain.town, s.application).await;
    let first = &view.trail[2];
    let when = beijing_minute(first.at);
    match (a, b) {
        (Outcome::Accepted, Outcome::Rejected { reason }) => {
            assert_eq!(first.person, "赵立新");
            assert_eq!(
                reason,
                format!("该申请已由赵立新于 {when} 作出“审核通过”，您的决定未生效")
            );
        }
        (Outcome::Rejected { reason }, Outcome::Accepted) => {
            assert_eq!(first.person, "陈静");
            assert_eq!(
                reason,
                format!("该申请已由陈静于 {when} 作出“不予备案”，您的决定未生效")
            );
        }
        other => panic!("exactly one decision must win: {other:?}"),
    }
    assert_eq!(view.trail.len(), 3);
}

#[tokio::test]
async fn certificate_numbers_are_unique_and_sequential_under_concurrent_approvals() {
    let app = spawn_app().await;
    let villages = [FUXING, YOUFANG, ZHONGSHAN, FURONG_ZHONGLU];
    let mut chains = Vec::new();
    for village in villages {
        chains.push(app.chain(village).await);
    }
    let mut versions = Vec::new();
    for (i, chain) in chains.iter().enumerate() {
        let batch: Vec<_> = (0..5)
            .map(|_| submit(&submission(villages[i], 3)))
            .collect();
        assert_eq!(app.push(&chain.leader, &batch).await, accepted(5));
        let passes: Vec<_> = batch
            .iter()
            .map(|v| decide(v, Decision::PassPreliminary))
            .collect();
        assert_eq!(app.push(&chain.village, &passes).await, accepted(5));
        versions.extend(batch.into_iter().map(|v| (i, v)));
    }

    // Twenty approvals, each its own request, all at once.
    let approvals = versions.iter().map(|(i, v)| {
        let token = chains[*i].town.clone();
        let approve = decide(v, Decision::Approve);
        let app = &app;
        async move { app.push_one(&token, &approve).await }
    });
    let outcomes = join_all(approvals).await;
    assert_eq!(outcomes, accepted(20));

    app.advance_days(8).await;
    // Many sweeps at once: the periodic one and every reader's.
    let admin = app.admin().await;
    let sweeps = (0..6).map(|_| {
        let (app, admin) = (&app, &admin);
        async move { app.feed(admin, "?limit=200").await.applications.len() }
    });
    let direct = (0..3).map(|_| async { wenming_district::filings::sweep(&*app.store).await });
    let (seen, swept) = tokio::join!(join_all(sweeps), join_all(direct));
    assert!(seen.iter().all(|n| *n == 20));
    assert!(swept.iter().all(Result::is_ok));

    let list = app.organizations(&admin, "?limit=100").await;
    assert_eq!(list.total, 20);
    assert!(list
        .items
        .iter()
        .all(|o| o.state == OrganizationState::Filed));
    let numbers: BTreeSet<String> = list
        .items
        .iter()
        .map(|o| o.certificate.as_ref().unwrap().to_string())
        .collect();
    let year = beijing(Utc::now() + chrono::Duration::days(8)).year();
    let expected: BTreeSet<String> = (1..=20).map(|n| format!("500156-{year}-{n:04}")).collect();
    assert_eq!(numbers, expected);

    // Nothing is left to end, and nothing is numbered again.
    assert!(wenming_district::filings::sweep(&*app.store).await.is_ok());
    let again = app.organizations(&admin, "?limit=100").await;
    assert_eq!(again, list);
}
