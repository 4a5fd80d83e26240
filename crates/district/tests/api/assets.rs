//! The app's static files: precompressed twins, cache headers, and `/api` kept apart.

use crate::helpers::*;

async fn get(app: &TestApp, path: &str, accept_encoding: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("accept-encoding", accept_encoding)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_hashed_asset_is_immutable_and_served_from_its_brotli_twin() {
    let app = spawn_app().await;
    let response = get(&app, &format!("/{WASM}"), "br, gzip").await;
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(headers["content-type"], "application/wasm");
    assert_eq!(&response.bytes().await.unwrap()[..], WASM_BR);

    let response = get(&app, &format!("/{WASM}"), "gzip").await;
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn index_html_and_the_service_worker_must_be_revalidated() {
    let app = spawn_app().await;
    for path in ["/", "/index.html", "/sw.js", "/manifest.webmanifest"] {
        let response = get(&app, path, "identity").await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
    }
    let response = get(&app, "/", "identity").await;
    assert_eq!(response.text().await.unwrap(), INDEX_HTML);
    let response = get(&app, "/manifest.webmanifest", "identity").await;
    assert_eq!(
        response.headers()["content-type"],
        "application/manifest+json"
    );
}

#[tokio::test]
async fn an_app_route_gets_the_app_but_a_missing_file_is_not_found() {
    let app = spawn_app().await;
    let response = get(&app, "/checkin", "identity").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert_eq!(response.text().await.unwrap(), INDEX_HTML);

    let response = get(&app, "/wenming-0000000000000000_bg.wasm", "br").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn the_workbench_answers_its_own_routes_and_the_volunteers_app_the_rest() {
    let app = spawn_app().await;
    for path in ["/work/", "/work/review", "/work/orgs/123"] {
        let response = get(&app, path, "identity").await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(response.text().await.unwrap(), WORKBENCH_HTML, "{path}");
    }
    for path in ["/", "/records", "/workshop"] {
        let response = get(&app, path, "identity").await;
        assert_eq!(response.text().await.unwrap(), INDEX_HTML, "{path}");
    }
    let response = get(&app, "/work/wenming-0000000000000000_bg.wasm", "br").await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s_and_never_cached() {
    let app = spawn_app().await;
    for path in ["/api/nope", "/api/v1/nope", "/api", "/api/v2/push"] {
        let response = get(&app, path, "identity").await;
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        assert_error(response, 404, "not_found").await;
    }
}

#[tokio::test]
async fn a_known_endpoint_called_with_the_wrong_method_is_a_json_405() {
    let app = spawn_app().await;
    let response = get(&app, "/api/v1/push", "identity").await;
    assert_error(response, 405, "method_not_allowed").await;
}
