//! Enrollment codes and device tokens.

use chrono::{Duration, Utc};
use wenming_core::protocol::{DeviceInfo, EnrollResponse, Role};

use crate::helpers::*;

#[tokio::test]
async fn requests_without_a_token_are_unauthorized() {
    let app = spawn_app().await;
    for path in ["/api/v1/me", "/api/v1/pull", "/api/v1/checkins"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_error(response, 401, "unauthorized").await;
    }
    let response = app
        .client
        .post(app.url("/api/v1/push"))
        .body(r#"{"records":[]}"#)
        .send()
        .await
        .unwrap();
    assert_error(response, 401, "unauthorized").await;
}

#[tokio::test]
async fn an_unknown_token_is_unauthorized() {
    let app = spawn_app().await;
    app.volunteer().await;
    let response = app.get(&"ab".repeat(32), "/api/v1/me").await;
    assert_error(response, 401, "unauthorized").await;
    let response = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    assert_error(response, 401, "unauthorized").await;
}

#[tokio::test]
async fn a_good_code_enrolls_a_device_that_knows_who_it_is() {
    let app = spawn_app().await;
    let code = app.issue_code(Role::Volunteer, FUXING).await;
    // People type codes loosely: lowercase, spaces instead of dashes.
    let typed = code.to_string().to_lowercase().replace('-', " ");
    let response = app.post_enroll(&typed).await;
    assert_eq!(response.status(), 200);
    let enrolled: EnrollResponse = response.json().await.unwrap();
    assert_eq!(enrolled.token.len(), 64);
    assert_eq!(enrolled.device.role, Role::Volunteer);
    assert_eq!(enrolled.device.scope.as_str(), FUXING);
    assert_eq!(enrolled.device.scope_name, "复兴社区居民委员会");
    assert_eq!(enrolled.device.district.as_str(), DISTRICT);
    assert_eq!(enrolled.device.district_name, "武隆区");

    let response = app.get(&enrolled.token, "/api/v1/me").await;
    assert_eq!(response.status(), 200);
    let me: DeviceInfo = response.json().await.unwrap();
    assert_eq!(me, enrolled.device);
}

#[tokio::test]
async fn a_code_works_once_and_the_second_use_fails() {
    let app = spawn_app().await;
    let code = app.issue_code(Role::Volunteer, FUXING).await.to_string();
    assert_eq!(app.post_enroll(&code).await.status(), 200);
    let message = assert_error(app.post_enroll(&code).await, 410, "code_used").await;
    assert!(message.contains("已被使用"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_phones_using_one_code_at_once_only_one_wins() {
    let app = spawn_app().await;
    let code = app.issue_code(Role::Volunteer, FUXING).await.to_string();
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let request = app
            .client
            .post(app.url("/api/v1/enroll"))
            .json(&serde_json::json!({ "code": code }));
        attempts.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = attempts.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 410),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let app = spawn_app().await;
    let code = app
        .issue_code_at(Role::Volunteer, FUXING, Utc::now() - Duration::days(8))
        .await;
    let message = assert_error(
        app.post_enroll(&code.to_string()).await,
        410,
        "code_expired",
    )
    .await;
    assert!(message.contains("过期"), "{message}");
}

#[tokio::test]
async fn malformed_and_unknown_codes_are_bad_requests() {
    let app = spawn_app().await;
    assert_error(app.post_enroll("1234").await, 400, "bad_code").await;
    assert_error(
        app.post_enroll("0000-0000-0000-0000").await,
        400,
        "unknown_code",
    )
    .await;
    let response = app
        .client
        .post(app.url("/api/v1/enroll"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_error(response, 400, "bad_request").await;
}

#[tokio::test]
async fn codes_are_only_issued_for_a_scope_of_the_roles_level() {
    let app = spawn_app().await;
    let store = &*app.store;
    let name = wenming_core::PersonName::parse("张三").unwrap();
    let town = wenming_core::DivisionCode::parse(FENGSHAN).unwrap();
    let err = wenming_district::enrollment::issue(store, Role::Volunteer, &town, &name, Utc::now())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("village"), "{err}");
    let unknown = wenming_core::DivisionCode::parse("500156001999").unwrap();
    let err =
        wenming_district::enrollment::issue(store, Role::Volunteer, &unknown, &name, Utc::now())
            .await
            .unwrap_err();
    assert!(
        err.to_string().contains("not an imported division"),
        "{err}"
    );
}
