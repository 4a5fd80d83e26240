//! `GET /api/v1/checkins`: each device sees the check-ins of its own scope only.

use wenming_core::protocol::Role;

use crate::helpers::*;

/// Two check-ins at 复兴社区 and one at 芙蓉中路社区.
async fn with_check_ins(app: &TestApp) {
    let token = app.volunteer().await;
    let batch = [
        check_in(FUXING, 0),
        check_in(FUXING, 10),
        check_in(FURONG_ZHONGLU, 20),
    ];
    assert_eq!(app.push(&token, &batch).await, accepted(3));
}

#[tokio::test]
async fn a_volunteer_of_another_village_sees_none_of_this_villages_check_ins() {
    let app = spawn_app().await;
    with_check_ins(&app).await;
    let neighbour = app.token(Role::Volunteer, YOUFANG).await;
    let ledger = app.ledger(&neighbour, "").await;
    assert_eq!(ledger.total, 0);
    assert!(ledger.items.is_empty());
    // Asking for the station by name does not get round the scope.
    let ledger = app.ledger(&neighbour, &format!("?station={FUXING}")).await;
    assert_eq!(ledger.total, 0);
}

#[tokio::test]
async fn a_volunteer_sees_the_village_check_ins_with_phones_masked() {
    let app = spawn_app().await;
    with_check_ins(&app).await;
    let volunteer = app.volunteer().await;
    let ledger = app.ledger(&volunteer, "").await;
    assert_eq!(ledger.total, 2);
    assert!(ledger.items.iter().all(|e| e.station.as_str() == FUXING));
    assert!(ledger.items.iter().all(|e| e.phone == "139****5678"));
    // Newest first.
    assert_eq!(ledger.items[0].checked_in_at, at(10));
}

#[tokio::test]
async fn a_town_sees_its_villages_and_the_district_sees_all_in_full() {
    let app = spawn_app().await;
    with_check_ins(&app).await;
    let furong = app.token(Role::TownReviewer, FURONG).await;
    assert_eq!(app.ledger(&furong, "").await.total, 1);
    let fengshan = app.token(Role::TownReviewer, FENGSHAN).await;
    assert_eq!(app.ledger(&fengshan, "").await.total, 2);

    let admin = app.admin().await;
    let all = app.ledger(&admin, "").await;
    assert_eq!(all.total, 3);
    assert!(all.items.iter().all(|e| e.phone == "13912345678"));
    let one_station = app
        .ledger(&admin, &format!("?station={FURONG_ZHONGLU}"))
        .await;
    assert_eq!(one_station.total, 1);
    assert_eq!(
        one_station.items[0].station_name,
        "芙蓉中路社区新时代文明实践站"
    );
}

#[tokio::test]
async fn the_ledger_pages_with_limit_and_offset_and_counts_all() {
    let app = spawn_app().await;
    with_check_ins(&app).await;
    let admin = app.admin().await;
    let page = app.ledger(&admin, "?limit=2&offset=2").await;
    assert_eq!(page.total, 3);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].checked_in_at, at(0));
    let response = app.get(&admin, "/api/v1/checkins?station=5001").await;
    assert_error(response, 400, "bad_request").await;
}
