//! Filing on the phone's IndexedDB, in a real browser: the upgrade from the first version
//! of the database keeps every record and outbox entry; a submission and its outbox entry
//! are written together or not at all; a draft survives closing and reopening; a roster of
//! 300 members saves and loads; the filings feed is stored page by page with its cursor.

use std::rc::Rc;

use chrono::NaiveDate;
use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wenming::api::filings::FeedPage;
use wenming::filing::draft::Sent;
use wenming::filing::roster::parse_lines;
use wenming::filing::wire::DecisionTag;
use wenming::filing::{Draft, MyDecision, PlainDecision};
use wenming::store::{IdSet, Record, Sealed, Store, SyncState};
use wenming_core::filing::form::FilingDecision;
use wenming_core::filing::people::Member;
use wenming_core::{
    CheckIn, DivisionCode, Envelope, Kind, PersonName, Phone, RecordId, StationCode,
};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{at, fresh, name, T0};

fn id(n: u64) -> RecordId {
    RecordId::new(T0 + n, [n as u8; 10])
}

/// `n` members, as pasted from a spreadsheet.
fn roster(n: usize) -> Vec<Member> {
    let lines: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "张秀英,{},{},139{:08},{},成员",
                if i % 2 == 0 { "女" } else { "男" },
                1940 + i % 60,
                i,
                if i % 7 == 0 { "中共党员" } else { "群众" }
            )
        })
        .collect();
    let (members, errors) = parse_lines(&lines.join("\n"), 2026);
    assert!(errors.is_empty(), "{errors:?}");
    members
}

/// A complete draft, ready to be built into a submission.
fn draft(members: usize) -> Draft {
    let village = DivisionCode::parse("500156001001").unwrap();
    let mut d = Draft::new(id(1), id(2), &village);
    for (key, value) in [
        ("name", "复兴社区夕阳红志愿服务队"),
        ("category", "volunteer"),
        ("founded_on", "2025-03-05"),
        ("venue", "复兴社区党群服务中心"),
        ("leader_name", "张秀英"),
        ("leader_gender", "female"),
        ("leader_phone", "13812345678"),
        ("leader_political", "party_member"),
        ("contact_name", "李建国"),
        ("contact_phone", "13923456789"),
        ("activities", "探访空巢老人"),
        ("funding", "成员自愿捐赠"),
        ("sponsor_name", "张秀英"),
    ] {
        d.form.set(key, value.to_owned());
    }
    d.roster = Rc::new(roster(members));
    d
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

#[wasm_bindgen_test]
async fn the_upgrade_from_the_first_version_keeps_records_outbox_and_settings() {
    let name = name("upgrade");
    // The database exactly as the first version of the app made it.
    let v1 = Rexie::builder(&name)
        .version(1)
        .add_object_store(ObjectStore::new("records").key_path("id"))
        .add_object_store(ObjectStore::new("outbox").auto_increment(true))
        .add_object_store(ObjectStore::new("rejects").key_path("record_id"))
        .add_object_store(ObjectStore::new("refdata"))
        .add_object_store(ObjectStore::new("meta"))
        .build()
        .await
        .unwrap();
    let check_in = CheckIn {
        station: StationCode::parse("500156001001").unwrap(),
        volunteer_name: PersonName::parse("李四").unwrap(),
        phone: Phone::parse("13912345678").unwrap(),
        pass: None,
        position: None,
        clock_offset_ms: None,
    };
    let envelope = Envelope::wrap(id(5), at(T0), &check_in);
    let record = Record {
        id: envelope.id,
        station: check_in.station.clone(),
        station_name: "双河村新时代文明实践站".to_owned(),
        volunteer_name: check_in.volunteer_name.clone(),
        phone: check_in.phone.clone(),
        checked_in_at: envelope.device_time,
        checked_out_at: None,
    };
    let json = |v: String| js_sys::JSON::parse(&v).unwrap();
    let entry = format!(
        r#"{{"record_id":"{0}","envelope_id":"{0}","kind":"check_in","envelope":{1}}}"#,
        envelope.id,
        serde_json::to_string(&serde_json::to_string(&envelope).unwrap()).unwrap()
    );
    let tx = v1
        .transaction(
            &["records", "outbox", "meta", "rejects"],
            TransactionMode::ReadWrite,
        )
        .unwrap();
    tx.store("records")
        .unwrap()
        .add(&json(serde_json::to_string(&record).unwrap()), None)
        .await
        .unwrap();
    tx.store("outbox")
        .unwrap()
        .add(&json(entry), None)
        .await
        .unwrap();
    tx.store("meta")
        .unwrap()
        .put(&JsValue::from(41), Some(&JsValue::from_str("cursor")))
        .await
        .unwrap();
    tx.store("rejects")
        .unwrap()
        .put(
            &json(format!(
                r#"{{"record_id":"{}","reason":"实践站不存在"}}"#,
                id(9)
            )),
            None,
        )
        .await
        .unwrap();
    tx.done().await.unwrap();
    v1.close();

    let store = Store::open(&name).await.expect("the upgrade");

    assert_eq!(store.records().await.unwrap(), vec![record]);
    let batch = store.outbox_batch(10).await.unwrap();
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].entry.envelope_id, envelope.id);
    assert_eq!(batch[0].entry.kind, Kind::CheckIn);
    assert_eq!(store.sync_meta().await.unwrap().cursor, 41);
    let view = store.outbox_view().await.unwrap();
    assert_eq!(
        view.state_of(&id(9), &IdSet::default()),
        SyncState::Rejected("实践站不存在".to_owned())
    );
    // And the new stores work.
    let d = draft(3);
    store.save_draft(&d).await.unwrap();
    assert_eq!(*store.filings().await.unwrap().drafts, vec![d]);
    assert_eq!(store.filing_cursor().await.unwrap(), 0);
}

#[wasm_bindgen_test]
async fn a_submission_is_saved_with_its_outbox_entry() {
    let (store, _) = fresh("submit").await;
    let mut d = draft(24);
    let submission = d.build(today(), "凤山街道复兴社区").expect("a valid draft");
    assert_eq!(submission.form.member_count, 24);
    let version = id(3);
    let envelope = Sealed::filing_submit(version, at(T0 + 3), &submission).unwrap();
    d.sent = Some(Sent {
        version,
        at: envelope.device_time,
    });
    d.open = false;

    store.save_submission(&d, &envelope).await.unwrap();

    let filings = store.filings().await.unwrap();
    assert_eq!(*filings.drafts, vec![d]);
    let batch = store.outbox_batch(10).await.unwrap();
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].entry.record_id, version);
    assert_eq!(batch[0].entry.kind, Kind::FilingSubmit);
    let sent: Envelope = serde_json::from_str(&batch[0].entry.envelope).unwrap();
    let core: wenming_core::filing::form::FilingSubmission = sent.open().unwrap();
    assert_eq!(core.roster.len(), 24);
    assert_eq!(core.form, submission.form.to_core());
    assert_eq!(
        store
            .outbox_view()
            .await
            .unwrap()
            .state_of(&version, &IdSet::default()),
        SyncState::Pending
    );
}

#[wasm_bindgen_test]
async fn a_submission_whose_outbox_entry_cannot_be_stored_leaves_the_draft_as_it_was() {
    let (store, _) = fresh("submit-fails").await;
    let before = draft(2);
    store.save_draft(&before).await.unwrap();
    let mut after = before.clone();
    after.sent = Some(Sent {
        version: id(3),
        at: at(T0),
    });
    let value = js_sys::JSON::parse(&serde_json::to_string(&after).unwrap()).unwrap();
    // A function cannot be structured-cloned: the outbox write throws after the draft's.
    let entry = js_sys::Object::new();
    js_sys::Reflect::set(
        &entry,
        &JsValue::from_str("envelope"),
        &js_sys::Function::new_no_args("return 1"),
    )
    .unwrap();

    let result = store.put_with_outbox("drafts", &value, &entry).await;

    assert!(result.is_err(), "the save must fail");
    assert_eq!(*store.filings().await.unwrap().drafts, vec![before]);
    assert_eq!(store.outbox_batch(10).await.unwrap(), vec![]);
}

#[wasm_bindgen_test]
async fn a_draft_survives_closing_and_reopening_the_database() {
    let (store, name) = fresh("draft").await;
    let mut d = draft(5);
    d.form.set("venue", "复兴路 12 号".to_owned());
    d.set_clause(7, "本组织坚持中国共产党的领导。".to_owned());
    d.vote.set("present", "20".to_owned());
    store.save_draft(&d).await.unwrap();
    store.close();

    let store = Store::open(&name).await.unwrap();

    let drafts = store.filings().await.unwrap().drafts;
    assert_eq!(*drafts, vec![d.clone()]);
    assert_eq!(drafts[0].clause(7, ""), "本组织坚持中国共产党的领导。");
    assert!(drafts[0].open);
}

#[wasm_bindgen_test]
async fn a_roster_of_300_members_saves_and_loads_quickly() {
    let (store, name) = fresh("roster").await;
    let d = draft(300);
    let start = js_sys::Date::now();
    store.save_draft(&d).await.unwrap();
    let saved = js_sys::Date::now() - start;
    store.close();
    let store = Store::open(&name).await.unwrap();
    let start = js_sys::Date::now();
    let drafts = store.filings().await.unwrap().drafts;
    let loaded = js_sys::Date::now() - start;
    console_log!("300 members: saved in {saved} ms, loaded in {loaded} ms");
    assert_eq!(drafts[0].roster.len(), 300);
    assert_eq!(drafts[0], d);
    assert!(d.build(today(), "凤山街道复兴社区").is_ok());
}

#[wasm_bindgen_test]
async fn a_decision_is_saved_with_its_outbox_entry_and_a_refusal_shows_its_reason() {
    let (store, _) = fresh("decision").await;
    let decision = PlainDecision {
        kind: DecisionTag::Return,
        reason: Some("活动场所请写明门牌号".to_owned()),
    };
    let body = FilingDecision {
        application: id(2),
        version: id(3),
        decision: decision.to_core(),
    };
    let envelope = Sealed::filing_decision(id(4), at(T0 + 4), &body).unwrap();
    let mine = MyDecision {
        id: id(4),
        application: id(2),
        version: id(3),
        decision,
        at: envelope.device_time,
    };

    store.save_decision(&mine, &envelope).await.unwrap();

    assert_eq!(*store.filings().await.unwrap().decisions, vec![mine]);
    let batch = store.outbox_batch(10).await.unwrap();
    assert_eq!(batch[0].entry.kind, Kind::FilingDecision);
    let sent: Envelope = serde_json::from_str(&batch[0].entry.envelope).unwrap();
    assert_eq!(sent, Envelope::wrap(id(4), at(T0 + 4), &body));
    let reason = "该申请已由王芳于 11月22日 10:05 作出“初审通过”，您的决定未生效";
    store
        .settle_batch(
            batch[0].key,
            batch[0].key,
            &[wenming::store::Reject {
                record_id: id(4),
                reason: reason.to_owned(),
            }],
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .outbox_view()
            .await
            .unwrap()
            .state_of(&id(4), &IdSet::default()),
        SyncState::Rejected(reason.to_owned())
    );
}

#[wasm_bindgen_test]
async fn feed_pages_are_stored_with_their_cursor_and_later_views_replace_earlier_ones() {
    let (store, _) = fresh("feed").await;
    let d = draft(3);
    let submission = d.build(today(), "凤山街道复兴社区").unwrap();
    let view = |state: &str, seq: u64| {
        format!(
            r#"{{"seq":{seq},"application":{{"id":"{}","organization":"{}","kind":"initial","state":{state},"version":"{}","submission":{},"trail":[],"updated_at":"2026-11-22T01:02:0{seq}Z"}}}}"#,
            id(2),
            id(1),
            id(3),
            serde_json::to_string(&submission).unwrap()
        )
    };
    let page = |items: Vec<String>, next: u64, more: bool| -> FeedPage {
        let json = format!(
            r#"{{"applications":[{}],"next_cursor":{next},"more":{more},"server_time":"2026-11-22T01:02:03Z"}}"#,
            items.join(",")
        );
        FeedPage::parse(&json).expect("a feed page")
    };

    store
        .apply_filing_page(&page(
            vec![view(r#"{"state":"pending_preliminary"}"#, 1)],
            1,
            true,
        ))
        .await
        .unwrap();
    store
        .apply_filing_page(&page(
            vec![view(
                r#"{"state":"returned","by":"village","reason":"请写明门牌号"}"#,
                2,
            )],
            2,
            false,
        ))
        .await
        .unwrap();

    assert_eq!(store.filing_cursor().await.unwrap(), 2);
    let apps = store.applications().await.unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].state.label_zh(), "退回修改（请写明门牌号）");
    assert_eq!(apps[0].submission, submission);
}
