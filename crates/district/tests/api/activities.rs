//! Activities (#4) over HTTP: activity reports pushed idempotently and read within each
//! scope, photos that arrive later, major-activity pre-reports answered by the street/town
//! with the answer reaching the phone, flags for the reviewer, list filters and chart
//! counts, and summary periods with who reported and who is late.

use chrono::{Duration, Utc};
use wenming_core::activity::summary::{Period, ReportStatus};
use wenming_core::activity::views::{
    ActivityDetail, ActivityFlag, ActivityList, ActivityStats, NewSummaryPeriod, PeriodStatus,
    PreReportFeed, PreReportList, SummaryDetail, SummaryPeriod, SummaryPeriodList,
};
use wenming_core::activity::{
    ActivityReport, ContentArea, MajorKind, Organizer, PreReport, PreReportDecision,
    PreReportState, Reporter, Verdict,
};
use wenming_core::protocol::{Outcome, Role};
use wenming_core::{fixtures, Envelope, RecordId, StationCode};
use wenming_district::filings::{beijing_minute, beijing_today};

use crate::helpers::*;

fn station(code: &str) -> StationCode {
    StationCode::parse(code).unwrap()
}

/// A report of `code` that passes every check, organized by an unfiled group.
fn report(code: &str) -> ActivityReport {
    let mut r = fixtures::activity_report(&station(code));
    r.organizers = vec![Organizer::Group {
        name: "广场舞队".into(),
    }];
    r
}

/// The record carrying `r`, written an hour after the activity ended.
fn wrap(r: &ActivityReport) -> Envelope {
    Envelope::wrap(new_id(), r.ends_at + Duration::hours(1), r)
}

fn pre_report(code: &str) -> PreReport {
    let mut p = fixtures::pre_report(&station(code));
    p.organizers = vec![Organizer::Group {
        name: "复兴社区文艺队".into(),
    }];
    p
}

/// The record carrying `p`, written five days before the activity.
fn announce(p: &PreReport) -> Envelope {
    Envelope::wrap(new_id(), p.starts_at - Duration::days(5), p)
}

fn answer(pre: &Envelope, verdict: Verdict) -> Envelope {
    let body = PreReportDecision {
        pre_report: pre.id,
        verdict,
    };
    Envelope::wrap(new_id(), at(0), &body)
}

impl TestApp {
    async fn one(&self, token: &str, record: &Envelope) -> Outcome {
        self.push(token, std::slice::from_ref(record))
            .await
            .remove(0)
    }

    async fn person(&self, role: Role, scope: &str, name: &str) -> String {
        let issued = wenming_district::enrollment::issue(
            &*self.store,
            role,
            &wenming_core::DivisionCode::parse(scope).unwrap(),
            &wenming_core::PersonName::parse(name).unwrap(),
            Utc::now(),
        )
        .await
        .unwrap();
        let response = self.post_enroll(&issued.code.to_string()).await;
        response
            .json::<wenming_core::protocol::EnrollResponse>()
            .await
            .unwrap()
            .token
    }
}

#[tokio::test]
async fn a_report_is_accepted_once_and_its_photos_are_listed_as_not_yet_arrived() {
    let app = spawn_app().await;
    let volunteer = app.volunteer().await;
    let r = report(FUXING);
    let e = wrap(&r);
    assert_eq!(
        app.push(&volunteer, std::slice::from_ref(&e)).await,
        accepted(1)
    );
    assert_eq!(
        app.push(&volunteer, std::slice::from_ref(&e)).await,
        vec![Outcome::Duplicate]
    );

    let admin = app.admin().await;
    let list: ActivityList = app.read(&admin, "/api/v1/activities").await;
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0].id, e.id);
    assert_eq!(list.items[0].station_name(), "复兴社区新时代文明实践站");

    let detail: ActivityDetail = app
        .read(&volunteer, &format!("/api/v1/activities/{}", e.id))
        .await;
    assert_eq!(detail.report, r);
    assert_eq!(detail.place.town_name, "凤山街道");
    assert_eq!(detail.reported_by, "张三");
    assert_eq!(detail.written_at, e.device_time);
    let hashes: Vec<_> = detail.photos.iter().map(|p| p.hash.clone()).collect();
    assert_eq!(hashes, r.photos, "the photos in the report's order");
    assert!(detail.photos.iter().all(|p| !p.arrived));
    assert_eq!(detail.flags, [ActivityFlag::PhotosMissing]);
    assert_eq!(detail.pre_report, None);
}

trait StationName {
    fn station_name(&self) -> &str;
}

impl StationName for wenming_core::activity::views::ActivityItem {
    fn station_name(&self) -> &str {
        &self.place.station_name
    }
}

#[tokio::test]
async fn an_invalid_report_is_rejected_with_its_reasons_and_nothing_of_it_is_stored() {
    let app = spawn_app().await;
    let volunteer = app.volunteer().await;
    let good = wrap(&report(FUXING));
    let mut bad = report(FUXING);
    bad.ends_at = bad.starts_at - Duration::minutes(30);
    bad.photos.clear();
    bad.summary = " ".into();
    let bad = wrap(&bad);
    assert_eq!(
        app.push(&volunteer, &[good.clone(), bad.clone()]).await,
        vec![
            Outcome::Accepted,
            rejected("结束时间应晚于开始时间；请填写开展情况；请至少附 1 张活动照片")
        ]
    );
    let admin = app.admin().await;
    let list: ActivityList = app.read(&admin, "/api/v1/activities").await;
    assert_eq!(list.total, 1);
    let response = app
        .get(&admin, &format!("/api/v1/activities/{}", bad.id))
        .await;
    assert_error(response, 404, "not_found").await;
    // A body that does not even parse is one rejected record too.
    let mut garbled = good.clone();
    garbled.id = new_id();
    garbled.body["participants"] = serde_json::json!(-3);
    let outcome = app.one(&volunteer, &garbled).await;
    assert!(
        matches!(&outcome, Outcome::Rejected { reason } if reason.starts_with("记录内容有误")),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn devices_report_only_for_their_own_stations_and_outsiders_learn_nothing() {
    let app = spawn_app().await;
    let here = app.volunteer().await;
    let neighbour = app.token(Role::Volunteer, YOUFANG).await;
    let e = wrap(&report(FUXING));
    assert_eq!(
        app.one(&neighbour, &e).await,
        rejected("只能为本村（社区）的实践站填报")
    );
    let town = app.token(Role::TownReviewer, FENGSHAN).await;
    assert_eq!(app.one(&town, &e).await, rejected("本机的角色不能填报活动"));
    assert_eq!(app.one(&here, &e).await, Outcome::Accepted);

    let other_town = app.token(Role::TownReviewer, FURONG).await;
    let hidden = app
        .get(&other_town, &format!("/api/v1/activities/{}", e.id))
        .await;
    let hidden = assert_error(hidden, 404, "not_found").await;
    let unknown = app
        .get(&other_town, &format!("/api/v1/activities/{}", new_id()))
        .await;
    assert_eq!(assert_error(unknown, 404, "not_found").await, hidden);
    let list: ActivityList = app.read(&other_town, "/api/v1/activities").await;
    assert_eq!(list.total, 0);
    // Naming a station outside the scope does not get round it.
    let list: ActivityList = app
        .read(&other_town, &format!("/api/v1/activities?station={FUXING}"))
        .await;
    assert_eq!(list.total, 0);
    let list: ActivityList = app.read(&town, "/api/v1/activities").await;
    assert_eq!(list.total, 1);
    let list: ActivityList = app.read(&neighbour, "/api/v1/activities").await;
    assert_eq!(list.total, 0);

    // The other town can neither see nor answer a pre-report of this one.
    let admin = app.token(Role::StationAdmin, FUXING).await;
    let pre = announce(&pre_report(FUXING));
    assert_eq!(app.one(&admin, &pre).await, Outcome::Accepted);
    assert_eq!(
        app.one(&other_town, &answer(&pre, Verdict::Approve)).await,
        rejected("无权处理该报告")
    );
    let ghost = answer(&announce(&pre_report(FUXING)), Verdict::Approve);
    assert_eq!(
        app.one(&other_town, &ghost).await,
        rejected("无权处理该报告")
    );
    let response = app
        .get(&other_town, &format!("/api/v1/pre-reports/{}", pre.id))
        .await;
    assert_eq!(assert_error(response, 404, "not_found").await, hidden);
    let feed: PreReportFeed = app.read(&other_town, "/api/v1/pre-reports/feed").await;
    assert!(feed.pre_reports.is_empty());
}

#[tokio::test]
async fn a_pre_report_is_approved_by_its_town_and_the_answer_reaches_the_phone() {
    let app = spawn_app().await;
    let admin = app.person(Role::StationAdmin, FUXING, "李建国").await;
    let town = app.person(Role::TownReviewer, FENGSHAN, "赵立新").await;
    let p = pre_report(FUXING);
    let pre = announce(&p);
    assert_eq!(app.one(&admin, &pre).await, Outcome::Accepted);

    let feed: PreReportFeed = app.read(&admin, "/api/v1/pre-reports/feed").await;
    assert_eq!(feed.pre_reports.len(), 1);
    let mine = &feed.pre_reports[0].pre_report;
    assert_eq!((mine.id, mine.state), (pre.id, PreReportState::Pending));
    assert_eq!(mine.pre_report, p);
    assert_eq!(mine.submitted_by, "李建国");
    let cursor = feed.next_cursor;

    let pending: PreReportList = app.read(&town, "/api/v1/pre-reports?state=pending").await;
    assert_eq!(pending.total, 1);
    assert_eq!(
        pending.items[0].place.station_name,
        "复兴社区新时代文明实践站"
    );
    assert_eq!(
        app.one(&town, &answer(&pre, Verdict::Approve)).await,
        Outcome::Accepted
    );

    // The phone asks for what changed since it last looked, and hears the answer.
    let feed: PreReportFeed = app
        .read(&admin, &format!("/api/v1/pre-reports/feed?cursor={cursor}"))
        .await;
    assert_eq!(feed.pre_reports.len(), 1);
    let answered = &feed.pre_reports[0].pre_report;
    assert_eq!(answered.state, PreReportState::Approved);
    let decision = answered.decision.as_ref().unwrap();
    assert_eq!(
        (decision.person.as_str(), &decision.verdict),
        ("赵立新", &Verdict::Approve)
    );
    let idle: PreReportFeed = app
        .read(
            &admin,
            &format!("/api/v1/pre-reports/feed?cursor={}", feed.next_cursor),
        )
        .await;
    assert!(idle.pre_reports.is_empty());

    // A second answer, from another reviewer of the same town, names the first.
    let colleague = app.person(Role::TownReviewer, FENGSHAN, "孙红").await;
    let refuse = Verdict::Refuse {
        reason: "与镇上活动冲突".into(),
    };
    assert_eq!(
        app.one(&colleague, &answer(&pre, refuse)).await,
        rejected(&format!(
            "该报告已由赵立新于 {} 作出“同意”，您的决定未生效",
            beijing_minute(decision.at)
        ))
    );
    let approved: PreReportList = app.read(&town, "/api/v1/pre-reports?state=approved").await;
    assert_eq!(approved.total, 1);
    let pending: PreReportList = app.read(&town, "/api/v1/pre-reports?state=pending").await;
    assert_eq!(pending.total, 0);
    // Refusing needs a reason; the village cannot answer at all.
    let other = announce(&pre_report(FUXING));
    app.one(&admin, &other).await;
    let no_reason = answer(&other, Verdict::Refuse { reason: " ".into() });
    assert_eq!(
        app.one(&town, &no_reason).await,
        rejected("不同意时请写明理由")
    );
    let village = app.token(Role::VillageReviewer, FUXING).await;
    assert_eq!(
        app.one(&village, &answer(&other, Verdict::Approve)).await,
        rejected("只有街道/乡镇可以答复重大活动报告")
    );
    // Pre-report steps never reach the reference-data pull.
    let pull: wenming_core::protocol::PullResponse =
        app.read(&admin, "/api/v1/pull?limit=1000").await;
    assert_eq!(pull.changes.len(), SAMPLE_CHANGES);
}

#[tokio::test]
async fn a_major_activity_without_an_approved_pre_report_is_flagged() {
    let app = spawn_app().await;
    let admin = app.token(Role::StationAdmin, FUXING).await;
    let town = app.token(Role::TownReviewer, FENGSHAN).await;
    let p = pre_report(FUXING);
    let pre = announce(&p);
    let mut held = report(FUXING);
    held.major = Some(MajorKind::Performance);
    held.starts_at = p.starts_at;
    held.ends_at = p.ends_at;
    let unannounced = wrap(&held);
    held.pre_report = Some(pre.id);
    let announced = wrap(&held);
    // A pre-report and the report linking it may travel in one batch.
    assert_eq!(
        app.push(
            &admin,
            &[unannounced.clone(), pre.clone(), announced.clone()]
        )
        .await,
        accepted(3)
    );
    let flags = |d: &ActivityDetail| d.flags.clone();
    let detail: ActivityDetail = app
        .read(&town, &format!("/api/v1/activities/{}", unannounced.id))
        .await;
    assert_eq!(
        flags(&detail),
        [ActivityFlag::NoPreReport, ActivityFlag::PhotosMissing]
    );
    assert_eq!(ActivityFlag::NoPreReport.name_zh(), "重大活动未事先报告");
    let detail: ActivityDetail = app
        .read(&town, &format!("/api/v1/activities/{}", announced.id))
        .await;
    assert_eq!(
        flags(&detail),
        [ActivityFlag::PreReportPending, ActivityFlag::PhotosMissing]
    );

    app.one(&town, &answer(&pre, Verdict::Approve)).await;
    let detail: ActivityDetail = app
        .read(&town, &format!("/api/v1/activities/{}", announced.id))
        .await;
    assert_eq!(flags(&detail), [ActivityFlag::PhotosMissing]);
    let linked = detail.pre_report.unwrap();
    assert_eq!(
        (linked.id, linked.state),
        (pre.id, PreReportState::Approved)
    );
    let list: ActivityList = app.read(&town, "/api/v1/activities").await;
    let by_id = |id: RecordId| {
        list.items
            .iter()
            .find(|i| i.id == id)
            .unwrap()
            .flags
            .clone()
    };
    assert!(by_id(unannounced.id).contains(&ActivityFlag::NoPreReport));
    assert!(!by_id(announced.id).contains(&ActivityFlag::PreReportPending));

    // A link to a pre-report that does not exist is refused.
    held.pre_report = Some(new_id());
    assert_eq!(
        app.one(&admin, &wrap(&held)).await,
        rejected("找不到所关联的重大活动报告，或它不属于本实践站")
    );
}

#[tokio::test]
async fn the_list_filters_and_the_chart_counts_by_area_and_month_within_the_scope() {
    let app = spawn_app().await;
    let fuxing = app.token(Role::StationAdmin, FUXING).await;
    let youfang = app.token(Role::StationAdmin, YOUFANG).await;
    let zhonglu = app.token(Role::StationAdmin, FURONG_ZHONGLU).await;
    let a = report(FUXING);
    let mut b = report(YOUFANG);
    b.area = ContentArea::Services;
    b.participants = 20;
    let mut c = report(FURONG_ZHONGLU);
    c.area = ContentArea::Governance;
    c.participants = 7;
    c.starts_at -= Duration::days(31);
    c.ends_at -= Duration::days(31);
    app.push(&fuxing, &[wrap(&a), wrap(&a)]).await;
    app.one(&youfang, &wrap(&b)).await;
    app.one(&zhonglu, &wrap(&c)).await;

    let admin = app.admin().await;
    let total = |q: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            app.read::<ActivityList>(&admin, &format!("/api/v1/activities{q}"))
                .await
                .total
        }
    };
    assert_eq!(total("").await, 4);
    assert_eq!(total("?town=500156001").await, 3);
    assert_eq!(total("?village=500156001002").await, 1);
    assert_eq!(total("?station=500156001001").await, 2);
    assert_eq!(total("?area=governance").await, 1);
    assert_eq!(total("?from=2026-11-01").await, 3);
    assert_eq!(total("?to=2026-10-31").await, 1);
    assert_eq!(
        total("?from=2026-11-21&to=2026-11-21&area=services").await,
        1
    );
    let page: ActivityList = app
        .read(&admin, "/api/v1/activities?limit=3&offset=3")
        .await;
    assert_eq!((page.total, page.items.len()), (4, 1));
    assert_eq!(
        page.items[0].place.station.as_str(),
        FURONG_ZHONGLU,
        "newest first"
    );

    let stats: ActivityStats = app.read(&admin, "/api/v1/activities/stats").await;
    assert_eq!(stats.months, ["2026-10", "2026-11"]);
    let series = |s: &ActivityStats, area: ContentArea| {
        let x = s.series.iter().find(|x| x.area == area).unwrap();
        (x.activities.clone(), x.participants.clone())
    };
    assert_eq!(
        series(&stats, ContentArea::Culture),
        (vec![0, 2], vec![0, 170])
    );
    assert_eq!(
        series(&stats, ContentArea::Services),
        (vec![0, 1], vec![0, 20])
    );
    assert_eq!(
        series(&stats, ContentArea::Governance),
        (vec![1, 0], vec![7, 0])
    );
    assert_eq!((stats.total_activities, stats.total_participants), (4, 197));

    let town = app.token(Role::TownReviewer, FENGSHAN).await;
    let stats: ActivityStats = app.read(&town, "/api/v1/activities/stats").await;
    assert_eq!(stats.months, ["2026-11"]);
    assert_eq!(stats.total_activities, 3);
    let stats: ActivityStats = app
        .read(
            &town,
            "/api/v1/activities/stats?area=services&from=2026-09-01",
        )
        .await;
    assert_eq!(stats.months, ["2026-09", "2026-10", "2026-11"]);
    assert_eq!(series(&stats, ContentArea::Services).0, [0, 0, 1]);

    for bad in [
        "?area=sports",
        "?town=500156001001",
        "?from=22/11/2026",
        "?limit=0",
    ] {
        let response = app.get(&admin, &format!("/api/v1/activities{bad}")).await;
        assert_error(response, 400, "bad_request").await;
    }
}

#[tokio::test]
async fn the_district_sets_a_period_one_station_reports_and_another_is_late() {
    let app = spawn_app().await;
    let today = beijing_today(Utc::now());
    let new = NewSummaryPeriod {
        name: "本季度".into(),
        period: Period {
            from: today - Duration::days(60),
            to: today,
            deadline: today + Duration::days(2),
        },
    };
    let fuxing = app.person(Role::StationAdmin, FUXING, "李建国").await;
    let post = |token: String, body: serde_json::Value| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/summary-periods"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let body = serde_json::to_value(&new).unwrap();
    let refused = post(fuxing.clone(), body.clone()).await;
    assert_eq!(
        assert_error(refused, 403, "forbidden").await,
        "只有区级管理可以设置统计期"
    );
    let admin = app.admin().await;
    let mut backwards = body.clone();
    backwards["deadline"] = serde_json::json!((today - Duration::days(1)).to_string());
    assert_error(post(admin.clone(), backwards).await, 400, "bad_request").await;
    let created = post(admin.clone(), body).await;
    assert_eq!(created.status(), 200);
    let period: SummaryPeriod = created.json().await.unwrap();
    assert_eq!(
        (period.name.as_str(), period.period),
        ("本季度", new.period)
    );

    let listed: SummaryPeriodList = app.read(&fuxing, "/api/v1/summary-periods").await;
    assert_eq!(listed.periods, std::slice::from_ref(&period));

    // The station reports its activities of the period, and a summary with their figures.
    let mut r = report(FUXING);
    r.starts_at = Utc::now() - Duration::days(1);
    r.ends_at = r.starts_at + Duration::hours(2);
    let activity = wrap(&r);
    app.one(&fuxing, &activity).await;
    let me = Reporter::Station {
        code: station(FUXING),
    };
    let summary = fixtures::summary_report(period.id, me.clone(), std::slice::from_ref(&r));
    let sent = Envelope::wrap(new_id(), Utc::now(), &summary);
    assert_eq!(app.one(&fuxing, &sent).await, Outcome::Accepted);
    let again = Envelope::wrap(new_id(), Utc::now(), &summary);
    let outcome = app.one(&fuxing, &again).await;
    assert!(
        matches!(&outcome, Outcome::Rejected { reason } if reason.starts_with("本期总结报告已由李建国于")),
        "{outcome:?}"
    );

    let status: PeriodStatus = app
        .read(
            &admin,
            &format!("/api/v1/summary-periods/{}/status", period.id),
        )
        .await;
    let of = |s: &PeriodStatus, code: &str| {
        s.reporters
            .iter()
            .find(|x| {
                x.reporter
                    == Reporter::Station {
                        code: station(code),
                    }
            })
            .map(|x| x.status)
            .unwrap()
    };
    assert_eq!(status.reporters.len(), 4);
    assert_eq!(of(&status, FUXING), ReportStatus::Reported);
    assert_eq!(of(&status, YOUFANG), ReportStatus::NotYet);
    assert_eq!((status.counts.reported, status.counts.not_yet), (1, 3));

    // The deadline passes by the server's clock.
    app.store.advance_clock(Duration::days(3)).await.unwrap();
    let town = app.token(Role::TownReviewer, FENGSHAN).await;
    let status: PeriodStatus = app
        .read(
            &town,
            &format!("/api/v1/summary-periods/{}/status", period.id),
        )
        .await;
    assert_eq!(status.reporters.len(), 3, "the town's stations only");
    assert_eq!(of(&status, FUXING), ReportStatus::Reported);
    assert_eq!(of(&status, YOUFANG), ReportStatus::Late);
    assert_eq!(of(&status, ZHONGSHAN), ReportStatus::Late);
    assert_eq!((status.counts.reported, status.counts.late), (1, 2));
    let mine = status.reporters.iter().find(|x| x.reporter == me).unwrap();
    assert_eq!(mine.report, Some(sent.id));
    assert_eq!(mine.reported_by.as_deref(), Some("李建国"));
    assert_eq!(mine.name, "复兴社区新时代文明实践站");

    // A station reporting now is late.
    let youfang = app.token(Role::StationAdmin, YOUFANG).await;
    let theirs = fixtures::summary_report(
        period.id,
        Reporter::Station {
            code: station(YOUFANG),
        },
        &[],
    );
    app.one(&youfang, &Envelope::wrap(new_id(), Utc::now(), &theirs))
        .await;
    let status: PeriodStatus = app
        .read(
            &town,
            &format!("/api/v1/summary-periods/{}/status", period.id),
        )
        .await;
    assert_eq!(of(&status, YOUFANG), ReportStatus::ReportedLate);

    // The district reads the summary beside the figures of its own records.
    let detail: SummaryDetail = app
        .read(&admin, &format!("/api/v1/summary-reports/{}", sent.id))
        .await;
    assert_eq!(detail.report, summary);
    assert_eq!(detail.recorded, summary.figures);
    assert_eq!(detail.recorded.activities, 1);
    assert_eq!(detail.status, ReportStatus::Reported);
    let other_town = app.token(Role::TownReviewer, FURONG).await;
    let response = app
        .get(&other_town, &format!("/api/v1/summary-reports/{}", sent.id))
        .await;
    assert_error(response, 404, "not_found").await;
    let response = app
        .get(
            &admin,
            &format!("/api/v1/summary-periods/{}/status", new_id()),
        )
        .await;
    assert_error(response, 404, "not_found").await;
}
