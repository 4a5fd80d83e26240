//! `GET /api/v1/pull`: reference data in pages that follow the server's cursor.

use std::collections::HashSet;

use wenming_core::protocol::{PullResponse, RefItem};

use crate::helpers::*;

async fn pull(app: &TestApp, token: &str, query: &str) -> PullResponse {
    let response = app.get(token, &format!("/api/v1/pull{query}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn pages_follow_the_cursor_with_nothing_twice_and_nothing_missed() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let mut cursor = 0;
    let mut seen = HashSet::new();
    let mut pages = 0;
    loop {
        let page = pull(&app, &token, &format!("?cursor={cursor}&limit=3")).await;
        pages += 1;
        assert!(page.changes.len() <= 3);
        for change in &page.changes {
            assert!(change.seq > cursor, "in order, after the cursor");
            assert!(seen.insert(change.seq), "seq {} twice", change.seq);
        }
        if let Some(last) = page.changes.last() {
            assert_eq!(page.next_cursor, last.seq);
        }
        cursor = page.next_cursor;
        if !page.more {
            break;
        }
        assert!(pages < 100, "the walk must end");
    }
    assert_eq!(seen.len(), SAMPLE_CHANGES);
    assert_eq!(pages, SAMPLE_CHANGES.div_ceil(3));

    // Past the end: an empty page that keeps the cursor.
    let page = pull(&app, &token, &format!("?cursor={cursor}")).await;
    assert!(page.changes.is_empty());
    assert_eq!(page.next_cursor, cursor);
    assert!(!page.more);
}

#[tokio::test]
async fn the_first_page_carries_towns_villages_and_named_stations() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let page = pull(&app, &token, "").await;
    assert_eq!(page.changes.len(), SAMPLE_CHANGES);
    assert!(!page.more);
    let items: Vec<_> = page.changes.into_iter().map(|c| c.item).collect();
    assert!(items.iter().any(|i| matches!(i,
        RefItem::Town { code, name } if code.as_str() == FENGSHAN && name == "凤山街道")));
    assert!(items.iter().any(|i| matches!(i,
        RefItem::Station { code, name, village, town }
            if code.as_str() == FUXING && name == "复兴社区新时代文明实践站"
            && village.as_str() == FUXING && town.as_str() == FENGSHAN)));
}

#[tokio::test]
async fn bad_cursors_and_limits_are_bad_requests() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    for query in [
        "?cursor=-1",
        "?cursor=abc",
        "?limit=0",
        "?limit=-3",
        "?limit=x",
    ] {
        let response = app.get(&token, &format!("/api/v1/pull{query}")).await;
        assert_error(response, 400, "bad_request").await;
    }
}

#[tokio::test]
async fn re_importing_the_same_divisions_appends_no_change() {
    let app = spawn_app().await;
    let report = wenming_district::divisions::import(&*app.store, &sample_divisions())
        .await
        .unwrap();
    assert_eq!(report.changes, 0);
    assert_eq!((report.towns, report.villages, report.stations), (2, 4, 4));
    let token = app.volunteer().await;
    assert_eq!(pull(&app, &token, "").await.changes.len(), SAMPLE_CHANGES);
}

#[tokio::test]
async fn api_answers_are_compressed_when_the_phone_accepts_it() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let response = app
        .client
        .get(app.url("/api/v1/pull"))
        .bearer_auth(&token)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert_eq!(response.headers()["cache-control"], "no-store");
}
