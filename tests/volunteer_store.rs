//! The volunteer stores (#5) against a real browser database: a record saved with its
//! outbox entry, the same id saved twice (a double tap) kept once with one entry, both
//! surviving a reopen, and the district's answers cached by name.

use serde::{Deserialize, Serialize};
use wasm_bindgen_test::*;
use wenming::store::{Saved, Sealed, Store};
use wenming_core::volunteer::Exchange;
use wenming_core::{Phone, RecordId};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{at, fresh, T0};

/// What a screen keeps of an exchange it made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct MyExchange {
    id: RecordId,
    exchange: Exchange,
}

fn exchange(n: u8) -> (MyExchange, Sealed) {
    let id = RecordId::new(T0 + u64::from(n), [n; 10]);
    let exchange = Exchange {
        item: RecordId::new(T0 - 1_000, [9; 10]),
        phone: Phone::parse("13912345678").unwrap(),
        quantity: 1,
    };
    let sealed = Sealed::of(id, at(T0), &exchange).unwrap();
    (MyExchange { id, exchange }, sealed)
}

#[wasm_bindgen_test]
async fn the_same_record_saved_twice_is_kept_once_with_one_outbox_entry() {
    let (store, name) = fresh("vol-twice").await;
    let (mine, sealed) = exchange(1);
    let first = store
        .save_vol(mine.id, &mine, sealed.clone())
        .await
        .unwrap();
    let second = store.save_vol(mine.id, &mine, sealed).await.unwrap();
    assert_eq!((first, second), (Saved::New, Saved::Already));
    let (other, other_sealed) = exchange(2);
    store
        .save_vol(other.id, &other, other_sealed)
        .await
        .unwrap();

    store.close();
    let store = Store::open(&name).await.unwrap();
    let mut kept: Vec<MyExchange> = store.vol_records().await.unwrap();
    kept.sort_by_key(|m| m.id);
    assert_eq!(kept, vec![mine.clone(), other.clone()]);
    let batch = store.outbox_batch(100).await.unwrap();
    let ids: Vec<RecordId> = batch.iter().map(|q| q.entry.record_id).collect();
    assert_eq!(ids, vec![mine.id, other.id], "one outbox entry per record");
    assert!(batch[0].entry.envelope.contains("\"kind\":\"exchange\""));
}

#[wasm_bindgen_test]
async fn an_answer_is_cached_by_name_and_replaced() {
    let (store, name) = fresh("vol-cache").await;
    assert_eq!(store.cache_get::<Vec<u32>>("items").await.unwrap(), None);
    store.cache_put("items", &vec![1u32, 2]).await.unwrap();
    store.cache_put("items", &vec![3u32]).await.unwrap();
    store.cache_put("account", &vec![7u32]).await.unwrap();
    store.close();
    let store = Store::open(&name).await.unwrap();
    assert_eq!(
        store.cache_get::<Vec<u32>>("items").await.unwrap(),
        Some(vec![3])
    );
    assert_eq!(
        store.cache_get::<Vec<u32>>("account").await.unwrap(),
        Some(vec![7])
    );
}
