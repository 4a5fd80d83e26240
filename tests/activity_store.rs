//! Activities on the phone's IndexedDB, in a real browser: a draft saved as typed survives
//! closing and reopening the database; a sent report and its outbox entry are written
//! together or not at all; the upgrade from the filing version keeps what was there; the
//! pre-report feed is stored page by page with its cursor, later views replacing earlier.

use chrono::{DateTime, Duration, Utc};
use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wenming::activity::{local_input, Mine, OrganizerInput, VolunteerInput, What};
use wenming::api::filings::FeedPage;
use wenming::store::{IdSet, Sealed, Store, SyncState};
use wenming_core::activity::views::{DecisionView, Place, PreReportView};
use wenming_core::activity::{
    ActivityReport, Contact, MajorKind, Organizer, PreReport, PreReportState, Verdict,
};
use wenming_core::{DivisionCode, Envelope, Kind, PersonName, Phone, RecordId, StationCode};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{at, fresh, name, T0};

const STATION: &str = "500156001001";

fn id(n: u64) -> RecordId {
    RecordId::new(T0 + n, [n as u8; 10])
}

/// A complete activity report as typed, two hours before `now`.
fn report_draft(now: DateTime<Utc>) -> Mine {
    let mut m = Mine::new(id(1), What::Report);
    for (k, v) in [
        ("station", STATION.to_owned()),
        ("title", "重阳节敬老文艺汇演".to_owned()),
        ("area", "culture".to_owned()),
        ("campaign", "neighbourly_care".to_owned()),
        ("starts_at", local_input(now - Duration::hours(3))),
        ("ends_at", local_input(now - Duration::hours(1))),
        ("place", "复兴社区文化广场".to_owned()),
        ("participants", "120".to_owned()),
        (
            "other_organizers",
            "复兴社区居委会\n夕阳红舞蹈队".to_owned(),
        ),
        (
            "summary",
            "演出节目 12 个，为 80 岁以上老人送上慰问品。".to_owned(),
        ),
        ("results", "老人们很开心，邻里关系更融洽。".to_owned()),
    ] {
        m.input.set(k, v);
    }
    m.groups = vec!["elderly".to_owned(), "empty_nest_elderly".to_owned()];
    m.volunteers = vec![
        VolunteerInput {
            name: "王桂兰".to_owned(),
            check_in: Some(id(7).to_string()),
            minutes: "120".to_owned(),
        },
        VolunteerInput {
            name: "李四".to_owned(),
            check_in: None,
            minutes: "90".to_owned(),
        },
    ];
    m.photos = vec!["ab".repeat(32), "cd".repeat(32)];
    m.position = Some([29.325_12, 107.760_03, 15.5]);
    m
}

#[wasm_bindgen_test]
async fn a_draft_survives_closing_and_reopening_the_database() {
    let (store, name) = fresh("draft").await;
    let mut m = report_draft(at(T0));
    m.organizers = vec![OrganizerInput {
        id: Some(id(4).to_string()),
        name: "复兴社区志愿服务队".to_owned(),
    }];
    store.save_mine(&m).await.unwrap();
    // Typing on: each input is one more put of the whole draft.
    m.input
        .set("title", "重阳节敬老文艺汇演（第二场）".to_owned());
    store.save_mine(&m).await.unwrap();
    store.close();

    let store = Store::open(&name).await.unwrap();

    let acts = store.acts().await.unwrap();
    assert_eq!(*acts.mine, vec![m.clone()]);
    assert_eq!(
        acts.mine[0].input.get("title"),
        "重阳节敬老文艺汇演（第二场）"
    );
    assert_eq!(acts.mine[0].position, Some([29.325_12, 107.760_03, 15.5]));
    assert_eq!(acts.mine[0].sent, None);
    assert_eq!(store.outbox_batch(10).await.unwrap(), vec![]);
}

#[wasm_bindgen_test]
async fn a_sent_report_is_saved_with_its_outbox_entry_and_reads_as_core_reads_it() {
    let (store, _) = fresh("sent").await;
    let now = wenming::time::now();
    let mut m = report_draft(now);
    let report = m.report(now).expect("a complete report");
    assert_eq!(report.organizers.len(), 2);
    assert_eq!(report.volunteer_minutes(), 210);
    let envelope = Sealed::activity_report(m.id, now, &report).unwrap();
    m.sent = Some(envelope.device_time);

    store.save_mine_sent(&m, &envelope).await.unwrap();

    assert_eq!(*store.acts().await.unwrap().mine, vec![m.clone()]);
    let batch = store.outbox_batch(10).await.unwrap();
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].entry.record_id, m.id);
    assert_eq!(batch[0].entry.kind, Kind::ActivityReport);
    let sent: Envelope = serde_json::from_str(&batch[0].entry.envelope).unwrap();
    let core: ActivityReport = sent.open().unwrap();
    assert_eq!(core, report);
    assert_eq!(core.check(sent.device_time), vec![]);
    let view = store.outbox_view().await.unwrap();
    assert_eq!(m.sync(&view, &IdSet::default()), Some(SyncState::Pending));
}

#[wasm_bindgen_test]
async fn a_report_whose_outbox_entry_cannot_be_stored_leaves_the_draft_as_it_was() {
    let (store, _) = fresh("sent-fails").await;
    let before = report_draft(at(T0));
    store.save_mine(&before).await.unwrap();
    let mut after = before.clone();
    after.sent = Some(at(T0 + 5));
    let value = js_sys::JSON::parse(&serde_json::to_string(&after).unwrap()).unwrap();
    // A function cannot be structured-cloned: the outbox write throws after the record's.
    let entry = js_sys::Object::new();
    js_sys::Reflect::set(
        &entry,
        &JsValue::from_str("envelope"),
        &js_sys::Function::new_no_args("return 1"),
    )
    .unwrap();

    let result = store.put_with_outbox("acts", &value, &entry).await;

    assert!(result.is_err(), "the save must fail");
    assert_eq!(*store.acts().await.unwrap().mine, vec![before]);
    assert_eq!(store.outbox_batch(10).await.unwrap(), vec![]);
}

#[wasm_bindgen_test]
async fn the_upgrade_from_the_filing_version_keeps_the_outbox_and_adds_the_activity_stores() {
    let name = name("upgrade");
    let v2 = Rexie::builder(&name)
        .version(2)
        .add_object_store(ObjectStore::new("records").key_path("id"))
        .add_object_store(ObjectStore::new("outbox").auto_increment(true))
        .add_object_store(ObjectStore::new("rejects").key_path("record_id"))
        .add_object_store(ObjectStore::new("refdata"))
        .add_object_store(ObjectStore::new("meta"))
        .add_object_store(ObjectStore::new("drafts").key_path("application"))
        .add_object_store(ObjectStore::new("applications").key_path("id"))
        .add_object_store(ObjectStore::new("decisions").key_path("id"))
        .build()
        .await
        .unwrap();
    let entry = format!(
        r#"{{"record_id":"{0}","envelope_id":"{0}","kind":"check_in","envelope":"{{}}"}}"#,
        id(2)
    );
    let tx = v2
        .transaction(&["outbox", "meta"], TransactionMode::ReadWrite)
        .unwrap();
    tx.store("outbox")
        .unwrap()
        .add(&js_sys::JSON::parse(&entry).unwrap(), None)
        .await
        .unwrap();
    tx.store("meta")
        .unwrap()
        .put(
            &JsValue::from(17),
            Some(&JsValue::from_str("filing_cursor")),
        )
        .await
        .unwrap();
    tx.done().await.unwrap();
    v2.close();

    let store = Store::open(&name).await.expect("the upgrade");

    let batch = store.outbox_batch(10).await.unwrap();
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].entry.record_id, id(2));
    assert_eq!(store.filing_cursor().await.unwrap(), 17);
    assert_eq!(store.pre_report_cursor().await.unwrap(), 0);
    let m = report_draft(at(T0));
    store.save_mine(&m).await.unwrap();
    assert_eq!(*store.acts().await.unwrap().mine, vec![m]);
}

fn pre_view(n: u64, state: PreReportState, starts: DateTime<Utc>) -> PreReportView {
    let t = at(T0);
    PreReportView {
        id: id(n),
        place: Place {
            station: StationCode::parse(STATION).unwrap(),
            station_name: "复兴社区新时代文明实践站".into(),
            village_name: "复兴社区".into(),
            town: DivisionCode::parse("500156001").unwrap(),
            town_name: "凤山街道".into(),
        },
        pre_report: PreReport {
            station: StationCode::parse(STATION).unwrap(),
            kind: MajorKind::Gathering,
            title: format!("坝坝宴 {n}"),
            organizers: vec![Organizer::Group {
                name: "复兴社区居委会".into(),
            }],
            starts_at: starts,
            ends_at: starts + Duration::hours(3),
            place: "复兴社区广场".into(),
            expected_attendance: 200,
            safety_measures: "安全员 4 名".into(),
            contact: Contact {
                name: PersonName::parse("李建国").unwrap(),
                phone: Phone::parse("13812345678").unwrap(),
            },
        },
        state,
        decision: (state == PreReportState::Approved).then(|| DecisionView {
            verdict: Verdict::Approve,
            person: "赵立新".into(),
            at: t,
        }),
        submitted_by: "李建国".into(),
        submitted_at: t,
        updated_at: t,
    }
}

fn feed_text(items: &[(u64, PreReportView)], next: u64, more: bool) -> String {
    let items: Vec<_> = items
        .iter()
        .map(|(seq, p)| serde_json::json!({"seq": seq, "pre_report": p}))
        .collect();
    serde_json::json!({
        "pre_reports": items,
        "next_cursor": next,
        "more": more,
        "server_time": "2026-11-22T03:04:05Z",
    })
    .to_string()
}

#[wasm_bindgen_test]
async fn the_pre_report_feed_is_stored_with_its_cursor_and_an_answer_replaces_the_pending_view() {
    let (store, _) = fresh("feed").await;
    let later = at(T0) + Duration::days(9);
    let sooner = at(T0) + Duration::days(2);
    let page = FeedPage::parse_items(
        &feed_text(
            &[
                (3, pre_view(1, PreReportState::Pending, later)),
                (4, pre_view(2, PreReportState::Pending, sooner)),
            ],
            4,
            true,
        ),
        "pre_reports",
        "pre_report",
    )
    .unwrap();
    store.apply_pre_report_page(&page).await.unwrap();
    assert_eq!(store.pre_report_cursor().await.unwrap(), 4);

    let answered = FeedPage::parse_items(
        &feed_text(
            &[(9, pre_view(1, PreReportState::Approved, later))],
            9,
            false,
        ),
        "pre_reports",
        "pre_report",
    )
    .unwrap();
    store.apply_pre_report_page(&answered).await.unwrap();

    assert_eq!(store.pre_report_cursor().await.unwrap(), 9);
    let acts = store.acts().await.unwrap();
    // Soonest activity first, each pre-report once, in its latest form.
    let shown: Vec<_> = acts
        .pre_reports
        .iter()
        .map(|p| (p.id, p.state, p.decision.as_ref().map(|d| d.person.clone())))
        .collect();
    assert_eq!(
        shown,
        vec![
            (id(2), PreReportState::Pending, None),
            (id(1), PreReportState::Approved, Some("赵立新".to_owned())),
        ]
    );
    assert_eq!(acts.approved(STATION).len(), 1);
}
