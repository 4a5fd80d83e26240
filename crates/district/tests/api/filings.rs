//! Filing (备案) over HTTP, the whole procedure: submit, 初审, 审核, 公示, 已备案 with a
//! certificate; 退回修改 and resubmission; 不予备案; change filing; termination; and
//! submissions the server refuses.

use chrono::{Datelike, Duration, Utc};
use wenming_core::filing::archive::OrganizationState;
use wenming_core::filing::charter::Section;
use wenming_core::filing::{ApplicationKind, Decision, FilingState};
use wenming_core::protocol::{Outcome, Role};
use wenming_core::Level;
use wenming_district::db::OrganizationQuery;
use wenming_district::filings::{beijing, beijing_today, Sight, SERVER_PERSON};

use crate::filing_kit::*;
use crate::helpers::*;

/// The certificate number the sweep gives the `n`-th filing, the clock `days` ahead.
fn certificate(n: u32, days: i64) -> String {
    let year = beijing(Utc::now() + Duration::days(days)).year();
    format!("500156-{year}-{n:04}")
}

#[tokio::test]
async fn a_filing_goes_through_both_reviews_and_the_notice_to_a_certificate() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let s = submission(FUXING, 24);
    let v1 = submit(&s);
    assert_eq!(app.push_one(&chain.leader, &v1).await, Outcome::Accepted);

    let view = app.view(&chain.leader, s.application).await;
    assert_eq!(view.state, FilingState::PendingPreliminary);
    assert_eq!((view.version, view.organization), (v1.id, s.organization));
    assert_eq!(view.submission, s);
    assert_eq!(view.trail.len(), 1);
    assert_eq!(view.trail[0].role, Some(Role::OrgLeader));
    assert_eq!(view.trail[0].person, "张秀英");
    assert_eq!(view.trail[0].decision, None);

    let pass = decide(&v1, Decision::PassPreliminary);
    assert_eq!(app.push_one(&chain.village, &pass).await, Outcome::Accepted);
    let view = app.view(&chain.town, s.application).await;
    assert_eq!(view.state, FilingState::PendingReview);

    let approve = decide(&v1, Decision::Approve);
    assert_eq!(app.push_one(&chain.town, &approve).await, Outcome::Accepted);
    let view = app.view(&chain.leader, s.application).await;
    let FilingState::PublicNotice { until } = view.state else {
        panic!("not on notice: {:?}", view.state)
    };
    assert_eq!(until - view.trail[2].at, Duration::days(7));
    assert_eq!(view.certificate, None);

    // A day short of the end, the notice goes on.
    app.advance_days(6).await;
    let view = app.view(&chain.leader, s.application).await;
    assert!(matches!(view.state, FilingState::PublicNotice { .. }));

    app.advance_days(2).await;
    let feed = app.feed(&chain.leader, "").await;
    assert!(
        feed.server_time > until,
        "the feed answers by the filing clock"
    );
    let view = app.view(&chain.leader, s.application).await;
    assert_eq!(view.state, FilingState::Filed);
    let number = certificate(1, 8);
    assert_eq!(
        view.certificate.as_ref().map(ToString::to_string),
        Some(number.clone())
    );
    let roles: Vec<_> = view.trail.iter().map(|t| t.role).collect();
    assert_eq!(
        roles,
        [
            Some(Role::OrgLeader),
            Some(Role::VillageReviewer),
            Some(Role::TownReviewer),
            None
        ]
    );
    let last = &view.trail[3];
    assert_eq!(last.person, SERVER_PERSON);
    assert_eq!(last.decision, Some(Decision::EndNotice));
    assert!(view.trail.iter().all(|t| t.version == v1.id));

    let archive = app.archive(&chain.town, s.organization).await;
    let org = &archive.organization;
    assert_eq!(org.state, OrganizationState::Filed);
    assert_eq!(org.name, "复兴社区夕阳红志愿服务队");
    assert_eq!(org.village_name, "复兴社区居民委员会");
    assert_eq!(org.town_name, "凤山街道");
    assert_eq!(
        org.certificate.as_ref().map(ToString::to_string),
        Some(number)
    );
    assert_eq!(org.filed_on, Some(beijing_today(last.at)));
    assert_eq!(archive.filed_version, Some(v1.id));
    assert_eq!(archive.applications.len(), 1);
    assert_eq!(archive.applications[0].versions.len(), 1);
    assert_eq!(archive.applications[0].versions[0].submission, s);
    assert_eq!(archive.applications[0].trail, view.trail);

    let list = app.organizations(&chain.town, "").await;
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0].state, OrganizationState::Filed);
    assert_eq!(list.items[0].application.state, FilingState::Filed);
}

#[tokio::test]
async fn a_filing_returned_by_the_village_and_by_the_town_is_resubmitted_and_keeps_every_version() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let s1 = submission(FUXING, 5);
    let v1 = submit(&s1);
    app.push_one(&chain.leader, &v1).await;
    let back = decide(&v1, ret("请写明活动场所的门牌号"));
    assert_eq!(app.push_one(&chain.village, &back).await, Outcome::Accepted);
    let view = app.view(&chain.leader, s1.application).await;
    assert_eq!(
        view.state,
        FilingState::Returned {
            by: Level::Village,
            reason: "请写明活动场所的门牌号".into()
        }
    );
    let list = app.organizations(&chain.leader, "").await;
    assert_eq!(list.items[0].state, OrganizationState::Returned);

    // The leader edits and sends the same application again: a new version.
    let mut s2 = s1.clone();
    s2.form.venue = "复兴社区党群服务中心（凤山街道复兴路 12 号）".into();
    let v2 = submit(&s2);
    assert_eq!(app.push_one(&chain.leader, &v2).await, Outcome::Accepted);
    assert_eq!(
        app.view(&chain.village, s1.application).await.version,
        v2.id
    );
    app.push_one(&chain.village, &decide(&v2, Decision::PassPreliminary))
        .await;
    let back = decide(&v2, ret("经费来源请写明具体渠道"));
    assert_eq!(app.push_one(&chain.town, &back).await, Outcome::Accepted);
    let view = app.view(&chain.leader, s1.application).await;
    assert!(matches!(
        view.state,
        FilingState::Returned {
            by: Level::Town,
            ..
        }
    ));

    let mut s3 = s2.clone();
    s3.form.funding = "成员自愿捐赠，街道公益创投资助".into();
    s3.form.name = "复兴社区夕阳红志愿服务队".into();
    let v3 = submit(&s3);
    assert_eq!(app.push_one(&chain.leader, &v3).await, Outcome::Accepted);
    app.push_one(&chain.village, &decide(&v3, Decision::PassPreliminary))
        .await;
    app.push_one(&chain.town, &decide(&v3, Decision::Approve))
        .await;

    // Sending again while on notice is out of turn.
    let v4 = submit(&s3);
    assert_eq!(
        app.push_one(&chain.leader, &v4).await,
        rejected("当前状态为“公示中”，不能提交")
    );

    let archive = app.archive(&chain.village, s1.organization).await;
    assert_eq!(archive.organization.name, "复兴社区夕阳红志愿服务队");
    let application = &archive.applications[0];
    let versions: Vec<_> = application.versions.iter().map(|v| v.id).collect();
    assert_eq!(versions, [v1.id, v2.id, v3.id]);
    assert_eq!(application.versions[0].submission.form.venue, s1.form.venue);
    assert_eq!(application.versions[1].submission.form.venue, s2.form.venue);
    assert_eq!(application.versions[2].submission, s3);
    assert_eq!(application.version, v3.id);
    let steps: Vec<_> = application
        .trail
        .iter()
        .map(|t| t.decision.as_ref().map_or("提交", Decision::action_zh))
        .collect();
    assert_eq!(
        steps,
        [
            "提交",
            "退回修改",
            "提交",
            "初审通过",
            "退回修改",
            "提交",
            "初审通过",
            "审核通过"
        ]
    );
}

#[tokio::test]
async fn a_refusal_is_final_and_needs_a_reason() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let s = submission(FUXING, 5);
    let v1 = submit(&s);
    app.push_one(&chain.leader, &v1).await;
    app.push_one(&chain.village, &decide(&v1, Decision::PassPreliminary))
        .await;
    let no_reason = decide(&v1, Decision::Refuse { reason: " ".into() });
    assert_eq!(
        app.push_one(&chain.town, &no_reason).await,
        rejected("请写明理由")
    );
    let refuse = decide(
        &v1,
        Decision::Refuse {
            reason: "活动内容不属于社区社会组织".into(),
        },
    );
    assert_eq!(app.push_one(&chain.town, &refuse).await, Outcome::Accepted);
    let view = app.view(&chain.leader, s.application).await;
    assert_eq!(
        view.state,
        FilingState::Refused {
            reason: "活动内容不属于社区社会组织".into()
        }
    );

    assert_eq!(
        app.push_one(&chain.leader, &submit(&s)).await,
        rejected("当前状态为“不予备案”，不能提交")
    );
    let again = follow_up(&s, ApplicationKind::Initial);
    assert_eq!(
        app.push_one(&chain.leader, &submit(&again)).await,
        rejected("该组织已提交过备案申请，不能重复备案")
    );
    let change = follow_up(&s, ApplicationKind::Change);
    assert_eq!(
        app.push_one(&chain.leader, &submit(&change)).await,
        rejected("该组织尚未备案，不能申请变更备案或终止")
    );
    let list = app.organizations(&chain.town, "?state=refused").await;
    assert_eq!(list.total, 1);
    assert_eq!(
        app.archive(&chain.town, s.organization)
            .await
            .applications
            .len(),
        1
    );
}

#[tokio::test]
async fn a_change_filing_keeps_the_certificate_and_the_archive_shows_both_versions() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let s = submission(FUXING, 5);
    let v1 = app.file(&chain, &s).await;
    let filed = app.archive(&chain.leader, s.organization).await;
    let number = filed.organization.certificate.clone().unwrap();

    let mut change = follow_up(&s, ApplicationKind::Change);
    change.form.name = "复兴社区夕阳红志愿服务总队".into();
    change.form.venue = "复兴社区新时代文明实践站".into();
    let v2 = submit(&change);
    assert_eq!(app.push_one(&chain.leader, &v2).await, Outcome::Accepted);

    // Under review, the filed facts stand.
    let list = app.organizations(&chain.village, "").await;
    let line = &list.items[0];
    assert_eq!(line.state, OrganizationState::Filed);
    assert_eq!(line.name, "复兴社区夕阳红志愿服务队");
    assert_eq!(line.application.kind, ApplicationKind::Change);
    assert_eq!(line.application.state, FilingState::PendingPreliminary);

    // One application at a time.
    let another = follow_up(&s, ApplicationKind::Change);
    assert_eq!(
        app.push_one(&chain.leader, &submit(&another)).await,
        rejected("该组织已有一份申请正在办理，请办结后再提交")
    );

    app.push_one(&chain.village, &decide(&v2, Decision::PassPreliminary))
        .await;
    app.push_one(&chain.town, &decide(&v2, Decision::Approve))
        .await;
    app.advance_days(8).await;

    let archive = app.archive(&chain.leader, s.organization).await;
    let org = &archive.organization;
    assert_eq!(org.state, OrganizationState::Filed);
    assert_eq!(org.name, "复兴社区夕阳红志愿服务总队");
    assert_eq!(org.certificate, Some(number.clone()));
    assert_eq!(org.filed_on, filed.organization.filed_on);
    assert_eq!(archive.filed_version, Some(v2.id));
    let kinds: Vec<_> = archive.applications.iter().map(|a| a.kind).collect();
    assert_eq!(kinds, [ApplicationKind::Initial, ApplicationKind::Change]);
    assert_eq!(archive.applications[0].versions[0].id, v1.id);
    assert_eq!(archive.applications[1].versions[0].submission, change);
    assert_eq!(archive.applications[1].state, FilingState::Filed);
    let view = app.view(&chain.leader, change.application).await;
    assert_eq!(view.certificate, Some(number));
}

#[tokio::test]
async fn a_termination_with_its_vote_ends_in_deregistration() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let s = submission(FUXING, 5);
    app.file(&chain, &s).await;

    let end = follow_up(&s, ApplicationKind::Termination);
    let v = submit(&end);
    assert_eq!(app.push_one(&chain.leader, &v).await, Outcome::Accepted);
    app.push_one(&chain.village, &decide(&v, Decision::PassPreliminary))
        .await;
    app.push_one(&chain.town, &decide(&v, Decision::Approve))
        .await;
    let list = app.organizations(&chain.town, "?state=terminated").await;
    assert_eq!(list.total, 0, "not before the notice ends");
    app.advance_days(8).await;

    let list = app.organizations(&chain.town, "?state=terminated").await;
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0].application.state, FilingState::Terminated);
    let archive = app.archive(&chain.town, s.organization).await;
    assert_eq!(
        archive.applications[1].versions[0].submission.termination,
        end.termination
    );
    assert!(archive.organization.certificate.is_some());

    let change = follow_up(&s, ApplicationKind::Change);
    assert_eq!(
        app.push_one(&chain.leader, &submit(&change)).await,
        rejected("该组织已注销")
    );
}

#[tokio::test]
async fn a_vote_that_did_not_carry_and_a_form_with_errors_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let s = submission(FUXING, 5);
    app.file(&chain, &s).await;
    let before = app.feed(&chain.leader, "").await;

    let mut lost = follow_up(&s, ApplicationKind::Termination);
    if let Some(vote) = &mut lost.termination {
        vote.in_favour = 10;
        vote.against = 9;
    }
    let mut no_vote = follow_up(&s, ApplicationKind::Termination);
    no_vote.termination = None;
    let mut sloppy = submission(FUXING, 3);
    sloppy.form.venue = "  ".into();
    sloppy.form.member_count = 5;
    let mut no_party = submission(FUXING, 3);
    no_party
        .charter
        .clauses
        .retain(|c| c.section != Section::PartyBuilding);
    let mut future = submission(FUXING, 3);
    future.form.founded_on = beijing_today(before.server_time) + Duration::days(2);

    let records = [&lost, &no_vote, &sloppy, &no_party, &future].map(submit);
    assert_eq!(
        app.push(&chain.leader, &records).await,
        vec![
            rejected("赞成票未过出席人数的半数，表决未通过"),
            rejected("终止申请须附全体成员会议的表决结果"),
            rejected("请填写活动场所；成员人数 5 与花名册的 3 人不符"),
            rejected("章程缺少“党的建设”一节"),
            rejected("成立日期不能晚于今天"),
        ]
    );
    let after = app.feed(&chain.leader, "").await;
    assert_eq!(after.applications, before.applications);
    assert_eq!(after.next_cursor, before.next_cursor);
    for org in [sloppy.organization, no_party.organization] {
        let response = app
            .get(&chain.leader, &format!("/api/v1/organizations/{org}"))
            .await;
        assert_error(response, 404, "not_found").await;
    }
    assert_eq!(
        app.archive(&chain.town, s.organization)
            .await
            .applications
            .len(),
        1
    );
}

#[tokio::test]
async fn a_roster_of_two_hundred_members_is_accepted_whole() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let s = submission(FUXING, 200);
    assert_eq!(
        app.push_one(&chain.leader, &submit(&s)).await,
        Outcome::Accepted
    );
    let archive = app.archive(&chain.village, s.organization).await;
    let stored = &archive.applications[0].versions[0].submission;
    assert_eq!(stored.roster.len(), 200);
    assert_eq!(stored.roster, s.roster);
}

#[tokio::test]
async fn the_same_push_twice_is_a_duplicate_and_the_trail_has_each_step_once() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let s = submission(FUXING, 5);
    let v1 = submit(&s);
    assert_eq!(
        app.push(&chain.leader, std::slice::from_ref(&v1)).await,
        accepted(1)
    );
    assert_eq!(
        app.push(&chain.leader, std::slice::from_ref(&v1)).await,
        vec![Outcome::Duplicate]
    );
    let pass = decide(&v1, Decision::PassPreliminary);
    // A batch that carries the same decision twice, then the whole batch again.
    assert_eq!(
        app.push(&chain.village, &[pass.clone(), pass.clone()])
            .await,
        vec![Outcome::Accepted, Outcome::Duplicate]
    );
    assert_eq!(
        app.push(&chain.village, std::slice::from_ref(&pass)).await,
        vec![Outcome::Duplicate]
    );
    let archive = app.archive(&chain.village, s.organization).await;
    assert_eq!(archive.applications[0].trail.len(), 2);
    assert_eq!(archive.applications[0].versions.len(), 1);
}

#[tokio::test]
async fn the_periodic_sweep_ends_notices_without_anyone_reading() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let s = submission(FUXING, 3);
    app.file(&chain, &s).await;
    let sweeper = tokio::spawn(wenming_district::filings::sweep_every(
        app.store.clone(),
        std::time::Duration::from_millis(20),
    ));
    let query = OrganizationQuery {
        sight: Sight::Scope(wenming_core::DivisionCode::parse(FUXING).unwrap()),
        state: Some(OrganizationState::Filed),
        village: None,
        limit: 10,
        offset: 0,
    };
    let mut filed = 0;
    for _ in 0..250 {
        // Straight from the store: no read through HTTP, so no sweep but the periodic one.
        filed = app.store.organizations(&query).await.unwrap().total;
        if filed == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    sweeper.abort();
    assert_eq!(filed, 1);
}
