//! The volunteers' app (#5) in a real browser: station passes signed by core and checked
//! with WebCrypto's Ed25519 (valid, tampered, expired, of another key), the district key
//! and registrations and sign-ups saved offline surviving a reopen, and the district's
//! answers kept as text and read back as the screens read them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, TimeZone, Utc};
use wasm_bindgen_test::*;
use wenming::pass::{b64url, check, parse, Checked};
use wenming::store::{Saved, Sealed, Store};
use wenming::volunteer::{self as vol, Kept, Mine};
use wenming_core::filing::people::Gender;
use wenming_core::volunteer::pass::{DistrictKey, Geofence, PassError, StationPass};
use wenming_core::volunteer::{Registration, Signup};
use wenming_core::{PersonName, Phone, RecordId, StationCode};

wasm_bindgen_test_configure!(run_in_browser);

const SECRET: [u8; 32] = [7; 32];

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
}

fn signed(secret: &[u8; 32]) -> String {
    StationPass {
        station: StationCode::parse("500156001001").unwrap(),
        not_before: t0(),
        not_after: t0() + Duration::days(1),
        key_id: String::new(),
        geofence: None,
    }
    .sign(secret)
}

#[wasm_bindgen_test]
async fn a_pass_core_signed_is_checked_by_webcrypto_as_core_checks_it() {
    let key = DistrictKey::from_secret(&SECRET);
    let text = signed(&SECRET);
    let at = t0() + Duration::hours(2);
    match check(&text, &key, at).await {
        Ok(Checked::Valid(pass)) => {
            assert_eq!(pass, StationPass::verify(&text, &key, at).unwrap());
            assert_eq!(pass.station.as_str(), "500156001001");
        }
        other => panic!("a valid pass must verify in the browser: {other:?}"),
    }

    // One character of the signature changed: the pass names this key, so it was altered.
    let (head, sig) = text.rsplit_once('.').unwrap();
    let mut sig: Vec<char> = sig.chars().collect();
    sig[10] = if sig[10] == 'A' { 'B' } else { 'A' };
    let tampered = format!("{head}.{}", sig.into_iter().collect::<String>());
    let expired = t0() + Duration::days(2);
    let other = signed(&[9; 32]);
    for (text, at, why) in [
        (tampered.as_str(), at, PassError::Tampered),
        (text.as_str(), expired, PassError::Expired),
        (
            text.as_str(),
            t0() - Duration::seconds(1),
            PassError::NotYetValid,
        ),
        (other.as_str(), at, PassError::WrongKey),
        ("500156001001", at, PassError::BadFormat),
    ] {
        assert_eq!(check(text, &key, at).await, Err(why.clone()), "{text}");
        assert_eq!(StationPass::verify(text, &key, at), Err(why));
    }
    assert_eq!(
        PassError::Expired.to_string(),
        "签到码已过期，请向实践站管理员索取新码"
    );
}

#[wasm_bindgen_test]
fn the_apps_base64url_reads_passes_as_cores_base64_does() {
    // Real passes, with and without a geofence, of several keys, and keys themselves.
    let mut texts = Vec::new();
    for (n, secret) in [[7u8; 32], [9; 32], [200; 32]].iter().enumerate() {
        let mut pass = StationPass {
            station: StationCode::parse("500156001001").unwrap(),
            not_before: t0(),
            not_after: t0() + Duration::days(n as i64 + 1),
            key_id: String::new(),
            geofence: None,
        };
        texts.push(pass.sign(secret));
        pass.geofence = Some(Geofence {
            lat_e6: 29_123_456,
            lon_e6: -106_654_321 + n as i32,
            radius_m: 150,
        });
        texts.push(pass.sign(secret));
        texts.push(DistrictKey::from_secret(secret).public_key);
    }
    // And what a scanner or a typo makes of them: padding, the other alphabet, spaces,
    // a character dropped or added (lengths 4n+1, unused bits set), a bad character.
    let mut variants = Vec::new();
    for t in &texts {
        variants.push(format!("{t}="));
        variants.push(format!("{t}=="));
        variants.push(t.replace('-', "+").replace('_', "/"));
        variants.push(format!(" {t}\n"));
        variants.push(t.replacen('.', ". ", 2));
        for cut in 1..5 {
            variants.push(t[..t.len() - cut].to_owned());
        }
        for extra in ["A", "B", "Q", "g", "_", "AA", "AB", "AAA", "AAB", "!"] {
            variants.push(format!("{t}{extra}"));
        }
    }
    texts.extend(variants);
    texts.extend(
        [
            "",
            "A",
            "AA",
            "AB",
            "AAA",
            "AAE",
            "WM1..",
            "WM1.AA.AA",
            "WM1.QQ.QQ",
        ]
        .map(String::from),
    );
    for t in &texts {
        assert_eq!(parse(t), StationPass::parse(t), "{t:?}");
        for part in t.split('.') {
            assert_eq!(b64url(part), URL_SAFE_NO_PAD.decode(part).ok(), "{part:?}");
        }
    }
    // The real passes are read, not refused.
    assert!(texts[..9].iter().step_by(3).all(|t| parse(t).is_ok()));
}

async fn fresh(test: &str) -> (Store, String) {
    let name = format!("test-{test}-{}", js_sys::Date::now());
    let store = Store::open(&name).await.expect("open the test database");
    (store, name)
}

#[wasm_bindgen_test]
async fn registrations_sign_ups_and_the_key_saved_offline_survive_a_reopen() {
    let (store, name) = fresh("vol-app").await;
    let at = t0();
    let reg_id = RecordId::new(1_763_779_200_000, [1; 10]);
    let registration = Registration {
        name: PersonName::parse("王桂兰").unwrap(),
        phone: Phone::parse("13812345678").unwrap(),
        gender: Gender::Female,
        birth_year: 1962,
        skills: vec!["理发".into()],
        organizations: Vec::new(),
    };
    let reg = Mine {
        id: reg_id.to_string(),
        what: "王桂兰".into(),
        phone: "13812345678".into(),
        activity: String::new(),
    };
    let sealed = Sealed::of(reg_id, at, &registration).unwrap();
    assert_eq!(
        store.save_vol(reg_id, &reg, sealed.clone()).await.unwrap(),
        Saved::New
    );
    assert_eq!(
        store.save_vol(reg_id, &reg, sealed).await.unwrap(),
        Saved::Already
    );
    let signup_id = RecordId::new(1_763_779_200_001, [2; 10]);
    let activity = RecordId::new(1_763_779_100_000, [3; 10]);
    let signup = Mine {
        id: signup_id.to_string(),
        what: "重阳节探访空巢老人".into(),
        phone: "13812345678".into(),
        activity: activity.to_string(),
    };
    let body = Signup {
        activity,
        phone: Phone::parse("13812345678").unwrap(),
    };
    store
        .save_vol(
            signup_id,
            &signup,
            Sealed::of(signup_id, at, &body).unwrap(),
        )
        .await
        .unwrap();
    let key = DistrictKey::from_secret(&SECRET);
    store.save_district_key(&key).await.unwrap();
    store.close();

    let store = Store::open(&name).await.unwrap();
    let mut kept: Vec<Mine> = store.vol_records().await.unwrap();
    kept.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(kept, vec![reg, signup]);
    assert_eq!(store.district_key().await.unwrap(), Some(key));
    let batch = store.outbox_batch(10).await.unwrap();
    assert_eq!(batch.len(), 2, "one outbox entry each");
    assert!(batch[0]
        .entry
        .envelope
        .contains("\"kind\":\"registration\""));
    assert!(batch[1].entry.envelope.contains("\"kind\":\"signup\""));
}

#[wasm_bindgen_test]
async fn the_districts_answers_are_kept_as_text_and_read_as_the_screens_read_them() {
    let (store, name) = fresh("vol-kept").await;
    for (key, json) in [
        (
            vol::REGISTRATIONS,
            include_str!("../crates/core/tests/golden/registration_list.json"),
        ),
        (
            "volunteer:019aa9a1-0000-7000-8000-000000000001",
            include_str!("../crates/core/tests/golden/volunteer_account.json"),
        ),
    ] {
        let kept = Kept {
            at: wenming::time::rfc3339::Stamp(t0()),
            text: json.to_owned(),
        };
        store.cache_put(key, &kept).await.unwrap();
    }
    store.close();
    let store = Store::open(&name).await.unwrap();
    let (list, at) = vol::read(&store, vol::REGISTRATIONS)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(at.0, t0());
    let outcome = &list.list("items")[0];
    assert!(outcome.is("merged"));
    assert_eq!(outcome.get("profile").s("name"), "王桂兰");
    let (account, _) = vol::read(&store, &vol::account_key(&outcome.s("volunteer")))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.n("approved_minutes"), 90);
    let record = &account.list("service_records")[0];
    assert_eq!(record.get("review").n("points"), 15);
    assert_eq!(
        record
            .strings("flags")
            .iter()
            .map(|f| vol::flag_zh(f))
            .collect::<Vec<_>>(),
        vec!["服务期间手机时间被修改"]
    );
    let ledger = account.list("ledger");
    assert_eq!(ledger[1].get("cause").s("reason"), "核实当天未到岗");
    assert_eq!(ledger[1].n("balance"), 0);
    let integrity = &account.list("integrity")[0];
    assert_eq!(vol::integrity_zh(&integrity.s("kind")), "报名未到");
    assert_eq!(vol::outcome_zh(&account.list("signups")[0]), "候补第 2 位");
    assert_eq!(account.list("no_such_field"), Vec::new());
}
