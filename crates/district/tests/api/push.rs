//! `POST /api/v1/push`: batches applied whole, idempotently, record by record.

use std::io::Write;
use std::time::Instant;

use serde_json::json;
use wenming_core::protocol::{Kind, Outcome, MAX_BATCH_BYTES, MAX_BATCH_RECORDS};

use crate::helpers::*;

#[tokio::test]
async fn a_batch_is_accepted_and_lands_in_the_ledger() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let batch: Vec<_> = (0..3).map(|i| check_in(FUXING, i)).collect();
    assert_eq!(app.push(&token, &batch).await, accepted(3));

    let admin = app.admin().await;
    let ledger = app.ledger(&admin, "").await;
    assert_eq!(ledger.total, 3);
    let first = ledger.items.iter().find(|e| e.id == batch[0].id).unwrap();
    assert_eq!(first.station.as_str(), FUXING);
    assert_eq!(first.station_name, "复兴社区新时代文明实践站");
    assert_eq!(first.volunteer_name, "李四");
    assert_eq!(first.phone, "13912345678");
    assert_eq!(first.checked_in_at, at(0));
    assert_eq!(first.checked_out_at, None);
}

#[tokio::test]
async fn the_same_batch_again_is_all_duplicate_and_stores_nothing_more() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let batch: Vec<_> = (0..5).map(|i| check_in(FUXING, i)).collect();
    assert_eq!(app.push(&token, &batch).await, accepted(5));
    assert_eq!(app.push(&token, &batch).await, vec![Outcome::Duplicate; 5]);
    assert_eq!(app.checkin_count().await, 5);
}

#[tokio::test]
async fn a_check_out_in_a_later_batch_closes_the_check_in() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let visit = check_in(FUXING, 0);
    assert_eq!(
        app.push(&token, std::slice::from_ref(&visit)).await,
        accepted(1)
    );
    let leave = check_out(&visit, 95);
    assert_eq!(
        app.push(&token, std::slice::from_ref(&leave)).await,
        accepted(1)
    );

    let admin = app.admin().await;
    let ledger = app.ledger(&admin, "").await;
    assert_eq!(ledger.total, 1);
    assert_eq!(ledger.items[0].checked_out_at, Some(at(95)));

    // A second check-out of the same visit, and one before it began, are refused.
    let again = check_out(&visit, 100);
    let early = check_out(&visit, -5);
    assert_eq!(
        app.push(&token, &[again, early, leave]).await,
        vec![
            rejected("这条签到已经签退"),
            rejected("这条签到已经签退"),
            Outcome::Duplicate,
        ]
    );
}

#[tokio::test]
async fn a_check_out_before_its_check_in_or_of_no_check_in_is_rejected() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let visit = check_in(FUXING, 30);
    let stray = check_in(FUXING, 0);
    assert_eq!(
        app.push(
            &token,
            &[visit.clone(), check_out(&visit, 10), check_out(&stray, 40)]
        )
        .await,
        vec![
            Outcome::Accepted,
            rejected("签退时间早于签到时间，请检查手机时间"),
            rejected("找不到对应的签到记录"),
        ]
    );
}

#[tokio::test]
async fn bad_records_are_rejected_one_by_one_while_the_rest_is_accepted() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let good = check_in(FUXING, 0);
    let mut bad_phone = check_in(FUXING, 1);
    bad_phone.body["phone"] = json!("12345");
    let unknown_station = check_in("500156001099", 2);
    let mut unknown_kind = check_in(FUXING, 3);
    unknown_kind.kind = Kind::Unknown;
    let mut newer_schema = check_in(FUXING, 4);
    newer_schema.schema_version = 9;
    let also_good = check_in(YOUFANG, 5);

    // The unknown kind goes over the wire as a kind this build has never heard of.
    let mut records = serde_json::to_value([
        &good,
        &bad_phone,
        &unknown_station,
        &unknown_kind,
        &newer_schema,
        &also_good,
    ])
    .unwrap();
    records[3]["kind"] = json!("time_bank_exchange");
    let response = app.post_push(&token, &json!({ "records": records })).await;
    assert_eq!(response.status(), 200);
    let answer: wenming_core::protocol::PushResponse = response.json().await.unwrap();
    let outcomes: Vec<_> = answer.results.into_iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        vec![
            Outcome::Accepted,
            rejected("记录内容有误：手机号码应为 11 位数字"),
            rejected("实践站不存在"),
            rejected("不支持的记录类型，请更新应用"),
            rejected("记录格式版本 9 不受支持，请更新应用"),
            Outcome::Accepted,
        ]
    );
    assert_eq!(app.checkin_count().await, 2);
}

#[tokio::test]
async fn a_stored_id_sent_with_other_content_is_a_conflict() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let visit = check_in(FUXING, 0);
    app.push(&token, std::slice::from_ref(&visit)).await;
    let mut forged = visit.clone();
    forged.body["volunteer_name"] = json!("王五");
    assert_eq!(
        app.push(&token, &[forged]).await,
        vec![rejected("记录编号冲突")]
    );
    let admin = app.admin().await;
    assert_eq!(app.ledger(&admin, "").await.items[0].volunteer_name, "李四");
}

#[tokio::test]
async fn malformed_json_is_a_bad_request_and_nothing_is_stored() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let good = serde_json::to_string(&check_in(FUXING, 0)).unwrap();
    let bodies = [
        format!(r#"{{"records":[{good},"#),
        r#"{"recs":[]}"#.to_owned(),
        // An id that is not a UUIDv7 breaks the envelope, so the whole batch.
        format!(
            r#"{{"records":[{good},{}]}}"#,
            good.replace(&good[7..43], "67e55044-10b1-426f-9247-bb680e5fe0c8")
        ),
    ];
    for body in bodies {
        let response = app.post_push_bytes(&token, body.into(), false).await;
        assert_error(response, 400, "malformed_batch").await;
    }
    assert_eq!(app.checkin_count().await, 0);
}

#[tokio::test]
async fn a_batch_of_too_many_records_is_refused_whole() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let records: Vec<_> = (0..=MAX_BATCH_RECORDS as i64)
        .map(|i| check_in(FUXING, i))
        .collect();
    let response = app.post_push(&token, &json!({ "records": records })).await;
    assert_error(response, 413, "batch_too_large").await;
    assert_eq!(app.checkin_count().await, 0);
}

#[tokio::test]
async fn a_body_too_big_once_decompressed_is_refused() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    // Valid JSON padded with spaces: small as gzip, over the limit once inflated.
    let mut body = String::from(r#"{"records":["#);
    body.push_str(&serde_json::to_string(&check_in(FUXING, 0)).unwrap());
    body.push_str(&" ".repeat(MAX_BATCH_BYTES));
    body.push_str("]}");
    let compressed = gzip(body.as_bytes());
    assert!(compressed.len() < MAX_BATCH_BYTES / 100);
    let response = app.post_push_bytes(&token, compressed, true).await;
    assert_error(response, 413, "batch_too_large").await;
    assert_eq!(app.checkin_count().await, 0);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn a_gzip_compressed_push_works() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let batch: Vec<_> = (0..50).map(|i| check_in(FUXING, i)).collect();
    let body = serde_json::to_vec(&json!({ "records": batch })).unwrap();
    let response = app.post_push_bytes(&token, gzip(&body), true).await;
    assert_eq!(response.status(), 200);
    let answer: wenming_core::protocol::PushResponse = response.json().await.unwrap();
    assert!(answer
        .results
        .iter()
        .all(|r| r.outcome == Outcome::Accepted));
    assert_eq!(app.checkin_count().await, 50);
}

#[tokio::test]
async fn ten_thousand_check_ins_in_five_pushes_are_all_stored() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let stations = [FUXING, YOUFANG, ZHONGSHAN, FURONG_ZHONGLU];
    let batches: Vec<Vec<_>> = (0..5)
        .map(|b| {
            (0..2_000)
                .map(|i| check_in(stations[i % 4], (b * 2_000 + i) as i64))
                .collect()
        })
        .collect();
    let bodies: Vec<_> = batches
        .iter()
        .map(|b| serde_json::to_vec(&json!({ "records": b })).unwrap())
        .collect();
    let started = Instant::now();
    for body in bodies {
        let response = app.post_push_bytes(&token, body, false).await;
        assert_eq!(response.status(), 200);
    }
    // A figure to read, not a timing to assert: the debug build on a shared machine says
    // little about speed (about 0.4 s when idle).
    eprintln!("10,000 check-ins in 5 pushes: {:?}", started.elapsed());
    assert_eq!(app.checkin_count().await, 10_000);
}
