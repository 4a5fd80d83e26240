//! Who sees and decides which filings: reviewers within their scope only, applicants their
//! own; the filings feed, the organization list and the archive are all filtered on the
//! server, and a refusal or a 404 tells nothing about what lies outside.

use wenming_core::filing::archive::OrganizationState;
use wenming_core::filing::{Decision, FilingState};
use wenming_core::protocol::{Outcome, Role};

use crate::filing_kit::*;
use crate::helpers::*;

#[tokio::test]
async fn a_reviewer_of_another_village_or_town_is_refused_and_learns_nothing() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let s = submission(FUXING, 5);
    let v1 = submit(&s);
    app.push_one(&chain.leader, &v1).await;

    let neighbour = app.token(Role::VillageReviewer, YOUFANG).await;
    let other_town = app.token(Role::TownReviewer, FURONG).await;
    let pass = decide(&v1, Decision::PassPreliminary);
    assert_eq!(
        app.push_one(&neighbour, &pass).await,
        rejected("无权处理该申请")
    );
    // An application that does not exist reads the same.
    let mut made_up = submission(FUXING, 5);
    made_up.application = new_id();
    let ghost = decide(&submit(&made_up), Decision::PassPreliminary);
    assert_eq!(
        app.push_one(&neighbour, &ghost).await,
        rejected("无权处理该申请")
    );

    for outsider in [&neighbour, &other_town] {
        let response = app
            .get(
                outsider,
                &format!("/api/v1/organizations/{}", s.organization),
            )
            .await;
        let hidden = assert_error(response, 404, "not_found").await;
        let response = app
            .get(outsider, &format!("/api/v1/organizations/{}", new_id()))
            .await;
        assert_eq!(assert_error(response, 404, "not_found").await, hidden);
        let feed = app.feed(outsider, "").await;
        assert!(feed.applications.is_empty());
        assert_eq!(app.organizations(outsider, "").await.total, 0);
    }

    assert_eq!(app.push_one(&chain.village, &pass).await, Outcome::Accepted);
    let approve = decide(&v1, Decision::Approve);
    assert_eq!(
        app.push_one(&other_town, &approve).await,
        rejected("无权处理该申请")
    );
    let view = app.view(&chain.town, s.application).await;
    assert_eq!(view.state, FilingState::PendingReview);
    assert_eq!(view.trail.len(), 2);
}

#[tokio::test]
async fn only_leaders_submit_within_their_village_and_only_reviewers_decide() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let volunteer = app.volunteer().await;
    let s = submission(FUXING, 5);
    let v1 = submit(&s);
    assert_eq!(
        app.push_one(&volunteer, &v1).await,
        rejected("只有社区社会组织负责人可以提交备案申请")
    );
    let elsewhere = app.token(Role::OrgLeader, YOUFANG).await;
    assert_eq!(
        app.push_one(&elsewhere, &v1).await,
        rejected("只能为本村（社区）的组织提交备案申请")
    );
    assert_eq!(app.push_one(&chain.leader, &v1).await, Outcome::Accepted);
    let admin = app.admin().await;
    assert_eq!(
        app.push_one(&admin, &decide(&v1, Decision::PassPreliminary))
            .await,
        rejected("本机的角色不能审核备案申请")
    );
    // The town may not skip the village's preliminary review.
    assert_eq!(
        app.push_one(&chain.town, &decide(&v1, Decision::Approve))
            .await,
        rejected("当前状态为“待初审”，不能审核通过")
    );
    // Nor the village approve in its place.
    assert_eq!(
        app.push_one(&chain.village, &decide(&v1, Decision::Approve))
            .await,
        rejected("只有街道办事处（乡镇人民政府）可以审核通过")
    );
}

#[tokio::test]
async fn the_feed_shows_an_application_to_its_applicant_and_to_reviewers_in_scope_only() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let s = submission(FUXING, 5);
    app.push_one(&chain.leader, &submit(&s)).await;

    let sees = |n: usize| {
        move |feed: &wenming_core::filing::feed::FilingFeed| {
            assert_eq!(feed.applications.len(), n, "{feed:?}");
        }
    };
    let other_leader = app.token(Role::OrgLeader, FUXING).await;
    let volunteer = app.volunteer().await;
    let station_admin = app.token(Role::StationAdmin, FUXING).await;
    let town = app.token(Role::TownReviewer, FENGSHAN).await;
    let admin = app.admin().await;
    let neighbour = app.token(Role::VillageReviewer, YOUFANG).await;
    let other_town = app.token(Role::TownReviewer, FURONG).await;
    for token in [&chain.leader, &chain.village, &town, &admin] {
        sees(1)(&app.feed(token, "").await);
    }
    for token in [
        &other_leader,
        &volunteer,
        &station_admin,
        &neighbour,
        &other_town,
    ] {
        sees(0)(&app.feed(token, "").await);
        assert_eq!(app.organizations(token, "").await.total, 0);
    }
}

#[tokio::test]
async fn the_feed_gives_each_application_once_in_its_latest_form_in_pages() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let filings: Vec<_> = (0..3).map(|_| submission(FUXING, 3)).collect();
    let versions: Vec<_> = filings.iter().map(submit).collect();
    assert_eq!(app.push(&chain.leader, &versions).await, accepted(3));
    let pass = decide(&versions[0], Decision::PassPreliminary);
    app.push_one(&chain.village, &pass).await;

    let first = app.feed(&chain.village, "?limit=2").await;
    assert!(first.more);
    let ids: Vec<_> = first
        .applications
        .iter()
        .map(|i| i.application.id)
        .collect();
    assert_eq!(ids, [filings[1].application, filings[2].application]);
    assert_eq!(first.next_cursor, first.applications[1].seq);
    let second = app
        .feed(
            &chain.village,
            &format!("?cursor={}&limit=2", first.next_cursor),
        )
        .await;
    assert!(!second.more);
    assert_eq!(second.applications.len(), 1);
    let latest = &second.applications[0].application;
    assert_eq!(latest.id, filings[0].application);
    assert_eq!(latest.state, FilingState::PendingReview);
    assert_eq!(latest.trail.len(), 2);

    let cursor = second.next_cursor;
    let idle = app.feed(&chain.village, &format!("?cursor={cursor}")).await;
    assert!(idle.applications.is_empty());
    assert_eq!(idle.next_cursor, cursor);

    // A later step brings the application back, once, after the cursor.
    app.push_one(&chain.town, &decide(&versions[0], Decision::Approve))
        .await;
    let later = app.feed(&chain.leader, &format!("?cursor={cursor}")).await;
    assert_eq!(later.applications.len(), 1);
    assert!(matches!(
        later.applications[0].application.state,
        FilingState::PublicNotice { .. }
    ));

    let response = app.get(&chain.leader, "/api/v1/filings?limit=0").await;
    assert_error(response, 400, "bad_request").await;
    // Filing steps share the server's sequence but never reach the reference-data pull.
    let response = app.get(&chain.village, "/api/v1/pull?limit=1000").await;
    let pull: wenming_core::protocol::PullResponse = response.json().await.unwrap();
    assert_eq!(pull.changes.len(), SAMPLE_CHANGES);
}

#[tokio::test]
async fn the_organization_list_filters_by_state_and_village_within_each_scope() {
    let app = spawn_app().await;
    let fuxing = app.chain(FUXING).await;
    let youfang = app.token(Role::OrgLeader, YOUFANG).await;
    let zhonglu = app.token(Role::OrgLeader, FURONG_ZHONGLU).await;
    let a = submit(&submission(FUXING, 3));
    let b = submit(&submission(FUXING, 3));
    app.push(&fuxing.leader, &[a.clone(), b]).await;
    app.push_one(&youfang, &submit(&submission(YOUFANG, 3)))
        .await;
    app.push_one(&zhonglu, &submit(&submission(FURONG_ZHONGLU, 3)))
        .await;
    app.push_one(&fuxing.village, &decide(&a, Decision::PassPreliminary))
        .await;

    let admin = app.admin().await;
    assert_eq!(app.organizations(&admin, "").await.total, 4);
    assert_eq!(app.organizations(&fuxing.town, "").await.total, 3);
    assert_eq!(app.organizations(&fuxing.village, "").await.total, 2);
    assert_eq!(app.organizations(&fuxing.leader, "").await.total, 2);
    assert_eq!(app.organizations(&youfang, "").await.total, 1);

    let by_village = app
        .organizations(&fuxing.town, &format!("?village={YOUFANG}"))
        .await;
    assert_eq!(by_village.total, 1);
    assert_eq!(by_village.items[0].village_name, "油坊社区居民委员会");
    // Naming a village outside the scope does not get round it.
    let outside = app
        .organizations(&fuxing.town, &format!("?village={FURONG_ZHONGLU}"))
        .await;
    assert_eq!(outside.total, 0);

    let waiting = app.organizations(&admin, "?state=pending_review").await;
    assert_eq!(waiting.total, 1);
    assert_eq!(waiting.items[0].state, OrganizationState::PendingReview);
    assert_eq!(waiting.items[0].state.name_zh(), "待审核");
    let page = app.organizations(&admin, "?limit=3&offset=3").await;
    assert_eq!((page.total, page.items.len()), (4, 1));

    for bad in ["?state=approved", "?village=500156001", "?limit=x"] {
        let response = app
            .get(&admin, &format!("/api/v1/organizations{bad}"))
            .await;
        assert_error(response, 400, "bad_request").await;
    }
}
