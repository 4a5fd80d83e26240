//! The IndexedDB store against a real browser database: atomic saves, persistence across
//! reopening, settling pushed batches, and the sync states derived from the outbox.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wenming::store::{IdSet, Record, RecordWrite, Reject, Store, SyncState};
use wenming_core::protocol::{Change, PullResponse, RefItem};
use wenming_core::{CheckIn, CheckOut, Envelope, Kind, PersonName, Phone, RecordId, StationCode};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{at, fresh, T0};

/// The `n`th check-in of a test, with its envelope.
fn check_in(n: u8) -> (Record, Envelope) {
    let ms = T0 + u64::from(n) * 1_000;
    let id = RecordId::new(ms, [n; 10]);
    let body = CheckIn {
        station: StationCode::parse("500156001001").unwrap(),
        volunteer_name: PersonName::parse("李四").unwrap(),
        phone: Phone::parse("13912345678").unwrap(),
        pass: None,
        position: None,
        clock_offset_ms: None,
    };
    let envelope = Envelope::wrap(id, at(ms), &body);
    let record = Record {
        id,
        station: body.station,
        station_name: "双河村新时代文明实践站".to_owned(),
        volunteer_name: body.volunteer_name,
        phone: body.phone,
        checked_in_at: envelope.device_time,
        checked_out_at: None,
    };
    (record, envelope)
}

fn ids(records: &[Record]) -> Vec<RecordId> {
    records.iter().map(|r| r.id).collect()
}

#[wasm_bindgen_test]
async fn a_saved_check_in_has_its_record_and_its_outbox_entry() {
    let (store, _) = fresh("save").await;
    let (record, envelope) = check_in(1);
    store.save_check_in(&record, &envelope).await.unwrap();

    assert_eq!(store.records().await.unwrap(), vec![record.clone()]);
    let batch = store.outbox_batch(10).await.unwrap();
    assert_eq!(batch.len(), 1);
    let entry = &batch[0].entry;
    assert_eq!(entry.record_id, record.id);
    assert_eq!(entry.envelope_id, envelope.id);
    assert_eq!(entry.kind, Kind::CheckIn);
    let stored: Envelope = serde_json::from_str(&entry.envelope).unwrap();
    assert_eq!(stored, envelope);
    let view = store.outbox_view().await.unwrap();
    assert_eq!(
        view.state_of(&record.id, &IdSet::default()),
        SyncState::Pending
    );
}

#[wasm_bindgen_test]
async fn a_save_whose_outbox_entry_cannot_be_stored_leaves_neither() {
    let (store, _) = fresh("clone-fails").await;
    let (record, _) = check_in(1);
    let record = js_sys::JSON::parse(&serde_json::to_string(&record).unwrap()).unwrap();
    // A function cannot be structured-cloned: the second write of the transaction throws
    // after the record was put.
    let entry = js_sys::Object::new();
    js_sys::Reflect::set(
        &entry,
        &JsValue::from_str("envelope"),
        &js_sys::Function::new_no_args("return 1"),
    )
    .unwrap();

    let result = store
        .write_record_and_outbox(&record, &entry, RecordWrite::Insert)
        .await;

    assert!(result.is_err(), "the save must fail");
    assert_eq!(store.records().await.unwrap(), vec![]);
    assert_eq!(store.outbox_batch(10).await.unwrap(), vec![]);
}

#[wasm_bindgen_test]
async fn saving_the_same_check_in_twice_stores_it_once() {
    let (store, _) = fresh("twice").await;
    let (record, envelope) = check_in(1);
    store.save_check_in(&record, &envelope).await.unwrap();

    let again = store.save_check_in(&record, &envelope).await;

    assert!(again.is_err(), "a second insert of the same id must fail");
    assert_eq!(store.records().await.unwrap().len(), 1);
    assert_eq!(store.outbox_batch(10).await.unwrap().len(), 1);
}

#[wasm_bindgen_test]
async fn records_and_outbox_survive_closing_and_reopening_the_database() {
    let (store, name) = fresh("reopen").await;
    let (first, e1) = check_in(1);
    let (second, e2) = check_in(2);
    store.save_check_in(&first, &e1).await.unwrap();
    store.save_check_in(&second, &e2).await.unwrap();
    store.close();

    let store = Store::open(&name).await.unwrap();

    assert_eq!(store.records().await.unwrap(), vec![second, first]);
    let batch = store.outbox_batch(10).await.unwrap();
    let sent: Vec<RecordId> = batch.iter().map(|q| q.entry.envelope_id).collect();
    assert_eq!(sent, vec![e1.id, e2.id]);
}

#[wasm_bindgen_test]
async fn a_check_out_updates_the_record_and_queues_its_own_envelope() {
    let (store, _) = fresh("check-out").await;
    let (record, e1) = check_in(1);
    store.save_check_in(&record, &e1).await.unwrap();
    let out_id = RecordId::new(T0 + 3_600_000, [9; 10]);
    let e2 = Envelope::wrap(out_id, at(T0 + 3_600_000), &CheckOut::of(record.id));
    let mut out = record.clone();
    out.checked_out_at = Some(e2.device_time);

    store.save_check_out(&out, &e2).await.unwrap();

    assert_eq!(store.records().await.unwrap(), vec![out]);
    let batch = store.outbox_batch(10).await.unwrap();
    let kinds: Vec<(Kind, RecordId)> = batch
        .iter()
        .map(|q| (q.entry.kind, q.entry.record_id))
        .collect();
    assert_eq!(
        kinds,
        vec![(Kind::CheckIn, record.id), (Kind::CheckOut, record.id)]
    );
}

#[wasm_bindgen_test]
async fn settling_a_batch_removes_exactly_its_range_and_keeps_rejected_records() {
    let (store, _) = fresh("settle").await;
    let saved: Vec<(Record, Envelope)> = (1..=3).map(check_in).collect();
    for (record, envelope) in &saved {
        store.save_check_in(record, envelope).await.unwrap();
    }
    let batch = store.outbox_batch(2).await.unwrap();
    assert_eq!(batch.len(), 2);
    // Saved while the batch was out: it must stay in the outbox.
    let (late, late_envelope) = check_in(4);
    store.save_check_in(&late, &late_envelope).await.unwrap();

    let rejects = [Reject {
        record_id: saved[1].0.id,
        reason: "实践站不存在".to_owned(),
    }];
    store
        .settle_batch(batch[0].key, batch[1].key, &rejects)
        .await
        .unwrap();

    let left: Vec<RecordId> = store
        .outbox_batch(10)
        .await
        .unwrap()
        .iter()
        .map(|q| q.entry.record_id)
        .collect();
    assert_eq!(left, vec![saved[2].0.id, late.id]);
    let records = store.records().await.unwrap();
    assert_eq!(
        ids(&records),
        vec![late.id, saved[2].0.id, saved[1].0.id, saved[0].0.id],
        "a rejected record stays on the phone"
    );
    let view = store.outbox_view().await.unwrap();
    let in_flight: IdSet = [saved[2].0.id].into_iter().collect();
    assert_eq!(view.state_of(&saved[0].0.id, &in_flight), SyncState::Synced);
    assert_eq!(
        view.state_of(&saved[1].0.id, &in_flight),
        SyncState::Rejected("实践站不存在".to_owned())
    );
    assert_eq!(
        view.state_of(&saved[2].0.id, &in_flight),
        SyncState::Syncing
    );
    assert_eq!(view.state_of(&late.id, &in_flight), SyncState::Pending);
}

#[wasm_bindgen_test]
async fn a_pulled_page_and_its_cursor_are_stored_together() {
    let (store, _) = fresh("pull").await;
    let town = wenming_core::DivisionCode::parse("500156001").unwrap();
    let page = PullResponse {
        changes: vec![
            Change {
                seq: 1,
                item: RefItem::Town {
                    code: town.clone(),
                    name: "凤山街道".to_owned(),
                },
            },
            Change {
                seq: 2,
                item: RefItem::Village {
                    code: wenming_core::DivisionCode::parse("500156001001").unwrap(),
                    name: "双河村村民委员会".to_owned(),
                    town: town.clone(),
                },
            },
            Change {
                seq: 3,
                item: RefItem::Station {
                    code: StationCode::parse("500156001001").unwrap(),
                    name: "双河村新时代文明实践站".to_owned(),
                    village: wenming_core::DivisionCode::parse("500156001001").unwrap(),
                    town: town.clone(),
                },
            },
        ],
        next_cursor: 3,
        more: false,
        server_time: at(T0),
    };

    store.apply_pull_page(&page).await.unwrap();

    let data = store.refdata().await.unwrap();
    assert_eq!(data.town_name(&town), Some("凤山街道"));
    let station = data.station("500156001001").expect("the station");
    assert_eq!(station.name, "双河村新时代文明实践站");
    assert_eq!(data.stations.len(), 1);
    assert_eq!(store.sync_meta().await.unwrap().cursor, 3);
}

/// The same kind of transaction (a record and an outbox entry in one readwrite transaction)
/// written in plain JavaScript: the browser's own floor, to read the app's figure against.
#[wasm_bindgen(inline_js = r#"
export async function raw_saves(n) {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open('bench-raw-' + Date.now(), 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore('records', { keyPath: 'id' });
      r.result.createObjectStore('outbox', { autoIncrement: true });
    };
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await new Promise((ok, fail) => {
      const tx = db.transaction(['records', 'outbox'], 'readwrite');
      tx.objectStore('records').put({ id: 'r' + i, station: '500156001001', volunteer_name: '李四',
        phone: '13912345678', checked_in_at: new Date().toISOString() });
      tx.objectStore('outbox').add({ record_id: 'r' + i, envelope: 'x'.repeat(200) });
      tx.oncomplete = ok;
      tx.onerror = () => fail(tx.error);
    });
    times.push(performance.now() - start);
  }
  db.close();
  return Float64Array.from(times);
}
"#)]
extern "C" {
    async fn raw_saves(n: u32) -> JsValue;
}

/// A benchmark, not a timing assertion: it prints how long a save takes in this browser
/// (the target is 2 ms at the 95th percentile), next to the same transaction in plain
/// JavaScript, and checks only that every save landed.
#[wasm_bindgen_test]
async fn a_hundred_saves_report_their_speed_and_all_land() {
    let (store, _) = fresh("speed").await;
    let clock = web_sys::window().unwrap().performance().unwrap();
    let mut times = Vec::new();
    for n in 0..100u8 {
        let (record, envelope) = check_in(n);
        let start = clock.now();
        store.save_check_in(&record, &envelope).await.unwrap();
        times.push(clock.now() - start);
    }
    times.sort_by(f64::total_cmp);
    let p95 = times[94];
    console_log!("save p95: {p95:.2} ms, median {:.2} ms", times[50]);
    let mut raw = js_sys::Float64Array::new(&raw_saves(100).await).to_vec();
    raw.sort_by(f64::total_cmp);
    console_log!(
        "the same transaction in plain JavaScript: p95 {:.2} ms, median {:.2} ms",
        raw[94],
        raw[50]
    );
    assert_eq!(store.records().await.unwrap().len(), 100);
    assert_eq!(store.outbox_view().await.unwrap().pending.len(), 100);
}
