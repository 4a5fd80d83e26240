//! Volunteers (#5) over HTTP: registrations merged by mobile number, check-ins with signed
//! passes, service records and their flags, sign-ups under concurrent pushes, hours
//! approval, exchanges, integrity records and the certificate.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use futures::future::join_all;
use serde_json::json;
use wenming_core::filing::people::Gender;
use wenming_core::protocol::{EnrollResponse, Outcome, Role};
use wenming_core::volunteer::ledger::{Cause, IntegrityKind};
use wenming_core::volunteer::service::ServiceFlag;
use wenming_core::volunteer::views::{
    ActivitySignup, ActivitySignupList, Certificate, ExchangeItemList, PendingHours,
    RegistrationList, Review, ServiceRecordView, SignupList, StationGeofence, StationPassSheet,
    VolunteerAccount, VolunteerActivityList, VolunteerMatch,
};
use wenming_core::volunteer::{
    DistrictKey, Exchange, ExchangeItem, HoursApproval, HoursRevocation, NoShow, Registration,
    Signup, SignupStatus, StationPass, VolunteerActivity,
};
use wenming_core::{CheckIn, CheckOut, Envelope, PersonName, Phone, RecordId, StationCode};

use crate::helpers::*;

const WANG: &str = "13812345678";

fn phone(p: &str) -> Phone {
    Phone::parse(p).unwrap()
}

fn registration(p: &str, year: u16, skills: &[&str]) -> Envelope {
    let body = Registration {
        name: PersonName::parse("王桂兰").unwrap(),
        phone: phone(p),
        gender: Gender::Female,
        birth_year: year,
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        organizations: vec![],
    };
    Envelope::wrap(new_id(), Utc::now(), &body)
}

fn visit_in(p: &str, at: DateTime<Utc>, pass: Option<String>) -> Envelope {
    let body = CheckIn {
        station: StationCode::parse(FUXING).unwrap(),
        volunteer_name: PersonName::parse("王桂兰").unwrap(),
        phone: phone(p),
        pass,
        position: None,
        clock_offset_ms: None,
    };
    Envelope::wrap(new_id(), at, &body)
}

fn visit_out(of: &Envelope, at: DateTime<Utc>) -> Envelope {
    Envelope::wrap(new_id(), at, &CheckOut::of(of.id))
}

fn record<B: wenming_core::protocol::RecordBody>(body: &B) -> Envelope {
    Envelope::wrap(new_id(), Utc::now(), body)
}

fn approve(visit: &Envelope, minutes: Option<u32>) -> Envelope {
    record(&HoursApproval {
        service_record: visit.id,
        minutes,
    })
}

fn activity(capacity: u32) -> Envelope {
    let start = Utc::now() + Duration::days(2);
    record(&VolunteerActivity {
        title: "重阳节探访空巢老人".into(),
        station: StationCode::parse(FUXING).unwrap(),
        starts_at: start,
        ends_at: start + Duration::hours(3),
        volunteers_needed: capacity,
        skills_wanted: vec!["理发".into()],
        description: String::new(),
    })
}

fn signup(activity: &Envelope, p: &str) -> Envelope {
    record(&Signup {
        activity: activity.id,
        phone: phone(p),
    })
}

impl TestApp {
    async fn account(&self, token: &str, volunteer: RecordId) -> VolunteerAccount {
        self.read(token, &format!("/api/v1/volunteers/{volunteer}"))
            .await
    }

    async fn pending(&self, token: &str) -> Vec<ServiceRecordView> {
        self.read::<PendingHours>(token, "/api/v1/hours/pending")
            .await
            .items
    }

    /// Registers `p` from a kiosk of 复兴社区 and returns the volunteer's id.
    async fn registered(&self, kiosk: &str, p: &str) -> RecordId {
        let r = registration(p, 1962, &[]);
        assert_eq!(
            self.push(kiosk, std::slice::from_ref(&r)).await,
            accepted(1)
        );
        let list: RegistrationList = self.read(kiosk, "/api/v1/registrations").await;
        list.items
            .iter()
            .find(|o| o.registration == r.id)
            .unwrap()
            .volunteer
    }

    /// A closed two-hour visit of `p` that ended an hour ago.
    async fn visit(&self, kiosk: &str, p: &str) -> Envelope {
        let start = Utc::now() - Duration::hours(3);
        let visit = visit_in(p, start, None);
        let out = visit_out(&visit, start + Duration::hours(2));
        assert_eq!(self.push(kiosk, &[visit.clone(), out]).await, accepted(2));
        visit
    }
}

fn find(records: &[ServiceRecordView], id: RecordId) -> &ServiceRecordView {
    records.iter().find(|r| r.id == id).unwrap()
}

#[tokio::test]
async fn two_phones_registering_one_mobile_make_one_volunteer_and_both_are_told() {
    let app = spawn_app().await;
    let own = app.volunteer().await;
    let shared = app.token(Role::Volunteer, YOUFANG).await;
    let first = registration(WANG, 1962, &["理发"]);
    let second = registration(WANG, 1963, &["测血压"]);
    assert_eq!(
        app.push(&own, std::slice::from_ref(&first)).await,
        accepted(1)
    );
    assert_eq!(
        app.push(&shared, std::slice::from_ref(&second)).await,
        accepted(1)
    );

    let mine: RegistrationList = app.read(&own, "/api/v1/registrations").await;
    let theirs: RegistrationList = app.read(&shared, "/api/v1/registrations").await;
    assert_eq!(mine.items.len(), 1);
    assert_eq!(theirs.items.len(), 1);
    for (told, sent) in [(&mine.items[0], &first), (&theirs.items[0], &second)] {
        assert_eq!(told.registration, sent.id);
        assert_eq!(
            told.volunteer, first.id,
            "one volunteer, named by the first"
        );
        assert!(told.merged);
        assert_eq!(told.profile.registrations, vec![first.id, second.id]);
        assert_eq!(told.profile.skills, vec!["测血压", "理发"]);
        assert_eq!(
            told.profile.birth_year, 1963,
            "the newest registration's facts"
        );
    }
    // Both phones read the account; a phone of another village does not learn it exists.
    assert_eq!(
        app.account(&own, first.id).await.volunteer.phone,
        phone(WANG)
    );
    assert_eq!(app.account(&shared, first.id).await.volunteer.id, first.id);
    let stranger = app.token(Role::Volunteer, ZHONGSHAN).await;
    let response = app
        .get(&stranger, &format!("/api/v1/volunteers/{}", first.id))
        .await;
    assert_error(response, 404, "not_found").await;
    // A registration that cannot be true is refused with the reason.
    let old = registration("13900000009", 1900, &[]);
    let Outcome::Rejected { reason } = &app.push(&own, &[old]).await[0] else {
        panic!("a birth year of 1900 was accepted")
    };
    assert!(reason.starts_with("出生年份应在"), "{reason}");
}

#[tokio::test]
async fn a_check_in_with_a_valid_pass_is_verified_and_a_tampered_or_expired_one_is_flagged() {
    let app = spawn_app().await;
    let code = app.issue_code(Role::Volunteer, FUXING).await;
    let enrolled: EnrollResponse = app
        .post_enroll(&code.to_string())
        .await
        .json()
        .await
        .unwrap();
    let key = enrolled
        .district_key
        .expect("the enrollment answer carries the district key");
    let kiosk = enrolled.token;
    let again: DistrictKey = app.read(&kiosk, "/api/v1/district-key").await;
    assert_eq!(again, key, "one key, made once");

    let admin = app.token(Role::StationAdmin, FUXING).await;
    let fence = json!({"lat_e6": 29_325_146, "lon_e6": 107_760_331, "radius_m": 150});
    let response = app
        .client
        .put(app.url(&format!("/api/v1/stations/{FUXING}/geofence")))
        .bearer_auth(&admin)
        .json(&fence)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let set: StationGeofence = response.json().await.unwrap();
    assert_eq!(set.geofence.unwrap().radius_m, 150);

    let sheet: StationPassSheet = app
        .read(&admin, &format!("/api/v1/stations/{FUXING}/pass"))
        .await;
    assert!(sheet.qr_svg.contains("<svg"), "an SVG to print");
    assert_eq!(
        sheet.qr_text, sheet.pass,
        "without a base, the QR code holds the pass"
    );
    // With the app's origin, the QR code holds a link that opens the app with the pass.
    let linked: StationPassSheet = app
        .read(
            &admin,
            &format!("/api/v1/stations/{FUXING}/pass?base=https://wl.example.cn"),
        )
        .await;
    assert_eq!(
        linked.qr_text,
        format!("https://wl.example.cn/?pass={}", linked.pass)
    );
    let bad = app
        .get(
            &admin,
            &format!("/api/v1/stations/{FUXING}/pass?base=javascript:alert(1)"),
        )
        .await;
    assert_eq!(bad.status(), 400);
    assert_eq!(sheet.station_name, "复兴社区新时代文明实践站");
    assert_eq!(sheet.not_after - sheet.not_before, Duration::days(1));
    // The phone verifies it offline with the key from its enrollment.
    let pass = StationPass::verify(&sheet.pass, &key, Utc::now()).unwrap();
    assert_eq!(pass.geofence.unwrap().radius_m, 150);

    // A pass the district signed, but whose window has passed.
    let secret = app.store.district_secret([0; 32]).await.unwrap();
    let expired = StationPass {
        not_before: Utc::now() - Duration::days(3),
        not_after: Utc::now() - Duration::days(2),
        ..pass.clone()
    }
    .sign(&secret);
    let tampered = sheet.pass.replacen("WM1.", "WM1.A", 1);
    let now = Utc::now();
    let mut verified = visit_in(WANG, now, Some(sheet.pass.clone()));
    verified.body["position"] =
        json!({"lat_e6": 29_325_201, "lon_e6": 107_760_298, "accuracy_m": 12});
    let mut outside = visit_in("13900000002", now, Some(sheet.pass.clone()));
    outside.body["position"] =
        json!({"lat_e6": 29_345_000, "lon_e6": 107_760_298, "accuracy_m": 12});
    let forged = visit_in("13900000003", now, Some(tampered));
    let stale = visit_in("13900000004", now, Some(expired));
    let typed = visit_in("13900000005", now, None);
    let visits = [verified, outside, forged, stale, typed];
    let outs: Vec<_> = visits
        .iter()
        .map(|v| visit_out(v, now + Duration::minutes(2)))
        .collect();
    // Flagged, not refused: the volunteer did come, and the station admin decides.
    assert_eq!(app.push(&kiosk, &visits).await, accepted(5));
    assert_eq!(app.push(&kiosk, &outs).await, accepted(5));

    let pending = app.pending(&admin).await;
    assert_eq!(pending.len(), 5);
    let ok = find(&pending, visits[0].id);
    assert_eq!(ok.flags, vec![], "scanned, verified, inside the fence");
    assert_eq!(ok.inside_geofence, Some(true));
    assert_eq!(ok.minutes, 2);
    let out = find(&pending, visits[1].id);
    assert_eq!(out.flags, vec![ServiceFlag::OutsideGeofence]);
    assert_eq!(out.inside_geofence, Some(false));
    let forged = find(&pending, visits[2].id);
    assert_eq!(forged.flags, vec![ServiceFlag::PassRefused]);
    assert!(forged.pass_problem.is_some());
    let stale = find(&pending, visits[3].id);
    assert_eq!(stale.flags, vec![ServiceFlag::PassRefused]);
    assert_eq!(
        stale.pass_problem.as_deref(),
        Some("签到码已过期，请向实践站管理员索取新码")
    );
    assert_eq!(find(&pending, visits[4].id).flags, vec![ServiceFlag::Typed]);
}

#[tokio::test]
async fn passes_and_geofences_are_for_the_stations_own_people() {
    let app = spawn_app().await;
    let volunteer = app.volunteer().await;
    let neighbour = app.token(Role::StationAdmin, YOUFANG).await;
    for token in [&volunteer, &neighbour] {
        let response = app
            .get(token, &format!("/api/v1/stations/{FUXING}/pass"))
            .await;
        assert_error(response, 403, "forbidden").await;
    }
    let response = app
        .client
        .put(app.url(&format!("/api/v1/stations/{FUXING}/geofence")))
        .bearer_auth(&neighbour)
        .json(&json!({"lat_e6": 0, "lon_e6": 0, "radius_m": 100}))
        .send()
        .await
        .unwrap();
    assert_error(response, 403, "forbidden").await;
    let town = app.token(Role::TownReviewer, FENGSHAN).await;
    let sheet: StationPassSheet = app
        .read(&town, &format!("/api/v1/stations/{FUXING}/pass?days=7"))
        .await;
    assert_eq!(sheet.not_after - sheet.not_before, Duration::days(7));
    let response = app.get(&town, "/api/v1/stations/500156001099/pass").await;
    assert_error(response, 404, "not_found").await;
}

#[tokio::test]
async fn overlapping_service_records_are_refused() {
    let app = spawn_app().await;
    let kiosk = app.volunteer().await;
    let t0 = Utc::now() - Duration::hours(6);
    let first = visit_in(WANG, t0, None);
    let inside = visit_in(WANG, t0 + Duration::minutes(30), None);
    let after = visit_in(WANG, t0 + Duration::minutes(90), None);
    let outcomes = app
        .push(
            &kiosk,
            &[
                first.clone(),
                visit_out(&first, t0 + Duration::minutes(60)),
                inside,
                after.clone(),
            ],
        )
        .await;
    assert_eq!(outcomes[..2], accepted(2));
    let Outcome::Rejected { reason } = &outcomes[2] else {
        panic!("an overlapping check-in was accepted")
    };
    assert!(
        reason.starts_with("与本人") && reason.ends_with("的服务记录时间重叠"),
        "{reason}"
    );
    assert_eq!(outcomes[3], Outcome::Accepted);

    // A forgotten check-out: the next check-in closes the visit, and a late check-out
    // past that moment is refused.
    let next = visit_in(WANG, t0 + Duration::minutes(150), None);
    assert_eq!(
        app.push(&kiosk, std::slice::from_ref(&next)).await,
        accepted(1)
    );
    let late = visit_out(&after, t0 + Duration::minutes(160));
    let Outcome::Rejected { reason } = &app.push(&kiosk, &[late]).await[0] else {
        panic!("a check-out overlapping the next visit was accepted")
    };
    assert!(reason.contains("时间重叠"), "{reason}");
    let admin = app.token(Role::StationAdmin, FUXING).await;
    let pending = app.pending(&admin).await;
    let closed = find(&pending, after.id);
    assert!(closed.flags.contains(&ServiceFlag::AutoClosed));
    assert_eq!(closed.minutes, 0, "no hours until an admin sets them");
}

#[tokio::test]
async fn impossible_times_are_flagged_and_a_known_clock_offset_is_corrected() {
    let app = spawn_app().await;
    let kiosk = app.volunteer().await;
    let now = Utc::now();
    let future = visit_in("13900000001", now + Duration::hours(2), None);
    // A phone two hours fast, which learned so at its last sync: a visit from now to three
    // minutes on (the phone was just enrolled), by its own clock two hours later.
    let fast = now + Duration::hours(2);
    let mut corrected = visit_in("13900000002", fast, None);
    corrected.body["clock_offset_ms"] = json!(-2 * 3_600_000);
    let ancient = visit_in("13900000003", now - Duration::days(3), None);
    let records = [
        future.clone(),
        visit_out(&future, now + Duration::hours(3)),
        corrected.clone(),
        // The phone still has the monotonic clock of the visit: 3 minutes.
        Envelope {
            body: json!({"check_in": corrected.id, "elapsed_ms": 180_000, "clock_offset_ms": -7_200_000}),
            ..visit_out(&corrected, fast + Duration::minutes(3))
        },
        ancient.clone(),
        visit_out(&ancient, now - Duration::days(3) + Duration::hours(13)),
    ];
    // Flagged, not refused: the record stays, the admin sees why it is doubtful.
    assert_eq!(app.push(&kiosk, &records).await, accepted(6));
    let admin = app.token(Role::StationAdmin, FUXING).await;
    let pending = app.pending(&admin).await;
    assert_eq!(
        find(&pending, future.id).flags,
        vec![ServiceFlag::Typed, ServiceFlag::InFuture]
    );
    let fixed = find(&pending, corrected.id);
    assert_eq!(fixed.flags, vec![ServiceFlag::Typed]);
    assert_eq!(fixed.minutes, 3);
    assert!((fixed.checked_in_at - now).num_seconds().abs() <= 2);
    assert_eq!(
        find(&pending, ancient.id).flags,
        vec![
            ServiceFlag::Typed,
            ServiceFlag::TooLong,
            ServiceFlag::BeforeEnrollment
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_ups_pushed_at_once_fill_the_capacity_and_the_rest_wait_in_order() {
    let app = spawn_app().await;
    let admin = app.token(Role::StationAdmin, FUXING).await;
    let kiosk = app.volunteer().await;
    let published = activity(3);
    assert_eq!(
        app.push(&admin, std::slice::from_ref(&published)).await,
        accepted(1)
    );
    let phones: Vec<String> = (1..=8).map(|i| format!("139000000{i:02}")).collect();
    let registrations: Vec<_> = phones
        .iter()
        .map(|p| registration(p, 1980, &["理发"]))
        .collect();
    assert_eq!(app.push(&kiosk, &registrations).await, accepted(8));

    // Eight phones sign up at the same moment, each with its own push.
    let mut devices = Vec::new();
    for _ in &phones {
        devices.push(app.token(Role::Volunteer, FUXING).await);
    }
    let app = &app;
    let pushes = phones.iter().zip(&devices).map(|(p, token)| {
        let record = signup(&published, p);
        async move { app.push(token, &[record]).await }
    });
    let outcomes = join_all(pushes).await;
    assert!(outcomes.iter().all(|o| o == &accepted(1)));

    let mut statuses = Vec::new();
    for token in &devices {
        let list: SignupList = app.read(token, "/api/v1/signups").await;
        assert_eq!(list.items.len(), 1);
        statuses.push(list.items[0].status);
    }
    let accepted_count = statuses
        .iter()
        .filter(|s| **s == SignupStatus::Accepted)
        .count();
    assert_eq!(accepted_count, 3, "{statuses:?}");
    let mut positions: Vec<u32> = statuses
        .iter()
        .filter_map(|s| match s {
            SignupStatus::Waitlisted { position } => Some(*position),
            SignupStatus::Accepted => None,
        })
        .collect();
    positions.sort_unstable();
    assert_eq!(positions, vec![1, 2, 3, 4, 5]);
    let list: VolunteerActivityList = app.read(&kiosk, "/api/v1/volunteer-activities").await;
    assert_eq!((list.items[0].accepted, list.items[0].waitlisted), (3, 5));

    // Later ones join the end of the list; one volunteer signs up once.
    let late = app
        .push(
            &kiosk,
            &[
                signup(&published, &phones[0]),
                signup(&published, "13900000099"),
            ],
        )
        .await;
    assert_eq!(
        late,
        vec![
            rejected("已报名该活动，不必重复报名"),
            rejected("该手机号尚未注册为志愿者，请先注册登记"),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn approving_hours_books_one_entry_even_when_pushed_twice_or_by_two_admins() {
    let app = spawn_app().await;
    let kiosk = app.volunteer().await;
    let volunteer = app.registered(&kiosk, WANG).await;
    let visit = app.visit(&kiosk, WANG).await;
    let liu = app.token_of(Role::StationAdmin, FUXING, "刘站长").await;
    let chen = app.token_of(Role::StationAdmin, FUXING, "陈站长").await;
    assert_eq!(app.pending(&liu).await.len(), 1);

    let by_liu = approve(&visit, None);
    let by_chen = approve(&visit, Some(30));
    let (a, b) = tokio::join!(
        app.push(&liu, std::slice::from_ref(&by_liu)),
        app.push(&chen, std::slice::from_ref(&by_chen))
    );
    let winners = [&a[0], &b[0]]
        .iter()
        .filter(|o| ***o == Outcome::Accepted)
        .count();
    assert_eq!(winners, 1, "{a:?} {b:?}");
    let loser = if a[0] == Outcome::Accepted {
        &b[0]
    } else {
        &a[0]
    };
    let Outcome::Rejected { reason } = loser else {
        panic!("{loser:?}")
    };
    assert!(reason.contains("审核通过，不再重复审核"), "{reason}");
    // The winner's phone did not hear the answer and pushes again.
    let winner = if a[0] == Outcome::Accepted {
        (&liu, &by_liu)
    } else {
        (&chen, &by_chen)
    };
    assert_eq!(
        app.push(winner.0, std::slice::from_ref(winner.1)).await,
        vec![Outcome::Duplicate]
    );

    let account = app.account(&kiosk, volunteer).await;
    assert_eq!(account.ledger.len(), 1);
    let expected = if winner.1.id == by_liu.id {
        (120, 20)
    } else {
        (30, 5)
    };
    let Cause::Earn {
        service_record,
        minutes,
    } = &account.ledger[0].entry.cause
    else {
        panic!("not an earning")
    };
    assert_eq!((*service_record, *minutes), (visit.id, expected.0));
    assert_eq!(account.balance, expected.1);
    assert_eq!(account.approved_minutes, expected.0);
    assert!(app.pending(&liu).await.is_empty());
}

#[tokio::test]
async fn an_exchange_counts_once_and_never_takes_the_balance_below_zero() {
    let app = spawn_app().await;
    let kiosk = app.volunteer().await;
    let admin = app.token(Role::StationAdmin, FUXING).await;
    let volunteer = app.registered(&kiosk, WANG).await;
    let visit = app.visit(&kiosk, WANG).await;
    assert_eq!(
        app.push(&admin, &[approve(&visit, None)]).await,
        accepted(1)
    );
    let item = record(&ExchangeItem {
        station: StationCode::parse(FUXING).unwrap(),
        name: "洗衣液".into(),
        points: 15,
        stock: 2,
    });
    assert_eq!(
        app.push(&admin, std::slice::from_ref(&item)).await,
        accepted(1)
    );

    let exchange = |quantity| {
        record(&Exchange {
            item: item.id,
            phone: phone(WANG),
            quantity,
        })
    };
    let once = exchange(1);
    assert_eq!(
        app.push(&admin, std::slice::from_ref(&once)).await,
        accepted(1)
    );
    assert_eq!(
        app.push(&admin, std::slice::from_ref(&once)).await,
        vec![Outcome::Duplicate]
    );
    assert_eq!(
        app.push(&admin, &[exchange(1)]).await,
        vec![rejected("积分余额不足：现有 5 分，需要 15 分")]
    );
    assert_eq!(
        app.push(&admin, &[exchange(5)]).await,
        vec![rejected("库存不足：仅剩 1 件")]
    );
    let items: ExchangeItemList = app.read(&kiosk, "/api/v1/exchange-items").await;
    assert_eq!(items.items[0].item.stock, 1, "stock went down once");
    let account = app.account(&kiosk, volunteer).await;
    assert_eq!(account.balance, 5);
    assert_eq!(account.ledger.len(), 2);
    assert_eq!(account.ledger[1].entry.points, -15);
    // A volunteer's phone cannot spend points at the counter.
    let Outcome::Rejected { reason } = &app.push(&kiosk, &[exchange(1)]).await[0] else {
        panic!("a volunteer's phone made an exchange")
    };
    assert_eq!(reason, "只有实践站管理员或区级管理员可以进行此操作");
}

#[tokio::test]
async fn no_shows_and_revoked_hours_are_integrity_records_the_volunteer_sees() {
    let app = spawn_app().await;
    let kiosk = app.volunteer().await;
    let admin = app.token_of(Role::StationAdmin, FUXING, "刘站长").await;
    let volunteer = app.registered(&kiosk, WANG).await;
    let published = activity(5);
    let signed = signup(&published, WANG);
    assert_eq!(
        app.push(&admin, std::slice::from_ref(&published)).await,
        accepted(1)
    );
    assert_eq!(
        app.push(&kiosk, std::slice::from_ref(&signed)).await,
        accepted(1)
    );
    let no_show = record(&NoShow {
        signup: signed.id,
        reason: "未请假未到岗".into(),
    });
    assert_eq!(
        app.push(&admin, std::slice::from_ref(&no_show)).await,
        accepted(1)
    );
    let again = record(&NoShow {
        signup: signed.id,
        reason: "重复".into(),
    });
    assert_eq!(
        app.push(&admin, &[again]).await,
        vec![rejected("已记录过该次爽约")]
    );

    let visit = app.visit(&kiosk, WANG).await;
    assert_eq!(
        app.push(&admin, &[approve(&visit, None)]).await,
        accepted(1)
    );
    let revoke = record(&HoursRevocation {
        service_record: visit.id,
        reason: "核实当天未到岗".into(),
    });
    assert_eq!(
        app.push(&admin, std::slice::from_ref(&revoke)).await,
        accepted(1)
    );

    let account = app.account(&kiosk, volunteer).await;
    assert_eq!(account.integrity.len(), 2);
    let kinds: Vec<_> = account
        .integrity
        .iter()
        .map(|i| (i.kind, i.reason.as_str(), i.by.as_str()))
        .collect();
    assert!(kinds.contains(&(IntegrityKind::NoShow, "未请假未到岗", "刘站长")));
    assert!(kinds.contains(&(IntegrityKind::RevokedHours, "核实当天未到岗", "刘站长")));
    assert!(account.signups[0].no_show);
    // The earning stands; a reversing entry takes it back.
    assert_eq!(account.ledger.len(), 2);
    assert_eq!(account.ledger[1].entry.points, -20);
    assert_eq!(account.balance, 0);
    assert_eq!(account.approved_minutes, 0);
    assert!(matches!(
        account.service_records[0].review,
        Review::Revoked { .. }
    ));
}

#[tokio::test]
async fn the_certificate_totals_the_approved_hours_of_the_period() {
    let app = spawn_app().await;
    let kiosk = app.volunteer().await;
    let admin = app.token(Role::StationAdmin, FUXING).await;
    let volunteer = app.registered(&kiosk, WANG).await;
    let t0 = Utc::now() - Duration::days(1);
    let visits: Vec<_> = (0..3)
        .map(|i| visit_in(WANG, t0 + Duration::hours(3 * i), None))
        .collect();
    let mut records = Vec::new();
    for v in &visits {
        records.push(v.clone());
        records.push(visit_out(v, v.device_time + Duration::hours(2)));
    }
    assert_eq!(app.push(&kiosk, &records).await, accepted(6));
    let approvals = [approve(&visits[0], Some(90)), approve(&visits[1], Some(45))];
    assert_eq!(app.push(&admin, &approvals).await, accepted(2));

    let today = wenming_district::filings::beijing_today(Utc::now());
    let from = today - Duration::days(7);
    let path = format!("/api/v1/volunteers/{volunteer}/certificate?from={from}&to={today}");
    let certificate: Certificate = app.read(&kiosk, &path).await;
    assert_eq!(
        certificate.lines.len(),
        2,
        "the pending visit does not count"
    );
    assert_eq!(certificate.total_minutes, 135);
    assert_eq!(certificate.total_hours, "2.25");
    assert_eq!(certificate.lines[0].minutes, 90);
    assert_eq!(certificate.phone, "138****5678");
    assert_eq!(certificate.district_name, "武隆区");
    let before = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let path = format!("/api/v1/volunteers/{volunteer}/certificate?from={before}&to={before}");
    let empty: Certificate = app.read(&kiosk, &path).await;
    assert_eq!((empty.lines.len(), empty.total_minutes), (0, 0));
    let stranger = app.token(Role::Volunteer, FURONG_ZHONGLU).await;
    let response = app
        .get(
            &stranger,
            &format!("/api/v1/volunteers/{volunteer}/certificate"),
        )
        .await;
    assert_error(response, 404, "not_found").await;
}

#[tokio::test]
async fn a_station_admin_reads_the_signups_of_its_activity_and_outsiders_get_404() {
    let app = spawn_app().await;
    let kiosk = app.volunteer().await;
    let admin = app.token(Role::StationAdmin, FUXING).await;
    let wang = app.registered(&kiosk, WANG).await;
    let li = app.registered(&kiosk, "13900000002").await;
    let published = activity(1);
    assert_eq!(
        app.push(&admin, std::slice::from_ref(&published)).await,
        accepted(1)
    );
    let first = signup(&published, WANG);
    let second = signup(&published, "13900000002");
    assert_eq!(
        app.push(&kiosk, &[first.clone(), second.clone()]).await,
        accepted(2)
    );
    let no_show = record(&NoShow {
        signup: first.id,
        reason: "未请假未到岗".into(),
    });
    assert_eq!(app.push(&admin, &[no_show]).await, accepted(1));

    let path = format!("/api/v1/volunteer-activities/{}/signups", published.id);
    let list: ActivitySignupList = app.read(&admin, &path).await;
    assert_eq!(
        list,
        ActivitySignupList {
            activity: published.id,
            title: "重阳节探访空巢老人".into(),
            items: vec![
                ActivitySignup {
                    id: first.id,
                    volunteer: wang,
                    volunteer_name: "王桂兰".into(),
                    phone: "138****5678".into(),
                    status: SignupStatus::Accepted,
                    no_show: true,
                },
                ActivitySignup {
                    id: second.id,
                    volunteer: li,
                    volunteer_name: "王桂兰".into(),
                    phone: "139****0002".into(),
                    status: SignupStatus::Waitlisted { position: 1 },
                    no_show: false,
                },
            ],
        },
        "in order of receipt, with who and the outcome"
    );
    // The answer is the frozen wire type: its JSON has the golden file's shape.
    let text = app.get(&admin, &path).await.text().await.unwrap();
    let golden: serde_json::Value = serde_json::from_str(include_str!(
        "../../../core/tests/golden/activity_signups.json"
    ))
    .unwrap();
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v["items"][0].as_object().unwrap().keys().cloned().collect()
    };
    assert_eq!(keys(&answer), keys(&golden));

    // The district reads it too.
    let district: ActivitySignupList = app.read(&app.admin().await, &path).await;
    assert_eq!(district.items.len(), 2);
    // The admin of another station, a reviewer, a volunteer: as for no such activity.
    for token in [
        app.token(Role::StationAdmin, YOUFANG).await,
        app.token(Role::TownReviewer, FENGSHAN).await,
        kiosk.clone(),
    ] {
        assert_error(app.get(&token, &path).await, 404, "not_found").await;
    }
    let missing = format!("/api/v1/volunteer-activities/{}/signups", new_id());
    assert_error(app.get(&admin, &missing).await, 404, "not_found").await;
    assert_error(
        app.get(&admin, "/api/v1/volunteer-activities/nonsense/signups")
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_station_admin_finds_a_volunteer_of_its_scope_by_mobile_number() {
    let app = spawn_app().await;
    let kiosk = app.volunteer().await;
    let wang = app.registered(&kiosk, WANG).await;
    let path = format!("/api/v1/volunteers?phone={WANG}");
    let admin = app.token(Role::StationAdmin, FUXING).await;
    let found: VolunteerMatch = app.read(&admin, &path).await;
    assert_eq!(
        found,
        VolunteerMatch {
            id: wang,
            name: "王桂兰".into()
        }
    );
    let town: VolunteerMatch = app
        .read(&app.token(Role::TownReviewer, FENGSHAN).await, &path)
        .await;
    assert_eq!(town.id, wang);
    let district: VolunteerMatch = app.read(&app.admin().await, &path).await;
    assert_eq!(district.id, wang);
    // Outside the scope, or not an overseer: the same 404 as an unknown number.
    for token in [
        app.token(Role::StationAdmin, YOUFANG).await,
        app.token(Role::TownReviewer, FURONG).await,
        kiosk.clone(),
    ] {
        assert_error(app.get(&token, &path).await, 404, "not_found").await;
    }
    let unknown = app
        .get(&admin, "/api/v1/volunteers?phone=13900000001")
        .await;
    assert_error(unknown, 404, "not_found").await;
    let message = assert_error(
        app.get(&admin, "/api/v1/volunteers?phone=12345").await,
        400,
        "bad_request",
    )
    .await;
    assert!(message.contains("手机号"), "{message}");
}
