//! The `district` binary itself: the listening line, `enroll --json`, graceful stop.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::helpers::*;

fn district(db: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_district"));
    c.arg("--db").arg(db).env_remove("DISTRICT_DB");
    c
}

#[tokio::test]
async fn the_binary_enrolls_serves_on_the_bound_port_and_stops_on_sigterm() {
    // A database the library made, so that the binary finds divisions in it.
    let app = spawn_app().await;
    let db = app.dir.path().join("data").join("district.db");

    let out = district(&db)
        .args([
            "enroll",
            "--role",
            "volunteer",
            "--scope",
            FUXING,
            "--name",
            "李四",
        ])
        .args(["--base-url", "http://192.0.2.1:8080", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    let code = printed["code"].as_str().unwrap().to_owned();
    assert_eq!(
        printed["link"],
        format!("http://192.0.2.1:8080/?enroll={code}")
    );

    let out = district(&db)
        .args([
            "enroll",
            "--role",
            "district_admin",
            "--scope",
            FUXING,
            "--name",
            "李四",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("district"));

    let mut server = district(&db)
        .args(["serve", "--addr", "127.0.0.1:0", "--static-dir"])
        .arg(app.dir.path().join("dist"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(!base.ends_with(":0"), "{base}");

    let response = app
        .client
        .post(format!("{base}/api/v1/enroll"))
        .json(&serde_json::json!({ "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = server.wait().unwrap();
    assert!(status.success(), "graceful stop exits 0, got {status}");
}

#[tokio::test]
async fn advance_clock_moves_the_filing_clock_of_a_running_server() {
    use crate::filing_kit::*;
    use wenming_core::filing::{Decision, FilingState};

    let app = spawn_app().await;
    let db = app.dir.path().join("data").join("district.db");
    let chain = app.chain(FUXING).await;
    let s = submission(FUXING, 3);
    let v = submit(&s);
    app.push_one(&chain.leader, &v).await;
    app.push_one(&chain.village, &decide(&v, Decision::PassPreliminary))
        .await;
    app.push_one(&chain.town, &decide(&v, Decision::Approve))
        .await;

    let out = district(&db)
        .args(["advance-clock", "--days", "7", "--hours", "1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("filing clock: 169 h ahead"), "{stdout}");

    // The server running on the same database reads the new clock at once.
    let view = app.view(&chain.leader, s.application).await;
    assert_eq!(view.state, FilingState::Filed);
    assert!(view.certificate.is_some());
}
