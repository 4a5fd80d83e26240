//! The wire cost of check-ins: a batch the size the phone sends, gzip-compressed as the
//! browser's CompressionStream does, must stay within 60 bytes a pushed record. A visit
//! is two records (签到 and 签退, hours apart); the figure per visit is printed too.
//! This is a size budget on deterministic data, not a timing.

use std::io::Write;

use chrono::{TimeZone, Utc};
use wenming_core::protocol::{IdGenerator, PushRequest, PUSH_BATCH_RECORDS};
use wenming_core::{CheckIn, CheckOut, Envelope, PersonName, Phone, StationCode};

/// A small deterministic generator (SplitMix64), so the batch is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes8(&mut self) -> [u8; 8] {
        self.next().to_le_bytes()
    }
}

/// A station day as it really goes: a station's volunteers (a few dozen people) check in
/// through the day and out some hours later; the phone pushes in outbox order, which is
/// the order things happened.
fn station_day(check_ins: usize, rng: &mut Rng) -> Vec<Envelope> {
    let surnames = ["张", "王", "李", "刘", "陈", "杨", "黄", "赵", "周", "吴"];
    let given = [
        "秀英", "桂兰", "建国", "志强", "玉梅", "德华", "明", "丽", "军", "芳",
    ];
    let volunteers: Vec<(PersonName, Phone)> = (0..40u64)
        .map(|i| {
            let name = format!(
                "{}{}",
                surnames[(i % 10) as usize],
                given[(i / 4 % 10) as usize]
            );
            let phone = format!("13{:09}", rng.next() % 1_000_000_000);
            (
                PersonName::parse(&name).unwrap(),
                Phone::parse(&phone).unwrap(),
            )
        })
        .collect();
    let stations = ["500156001001", "500156001002", "500156001003"];
    let start = Utc.with_ymd_and_hms(2026, 11, 22, 0, 30, 0).unwrap();
    // (when, which check-in, whether it is the check-out)
    let mut events: Vec<(chrono::DateTime<Utc>, usize, bool)> = Vec::new();
    for i in 0..check_ins {
        let came = start
            + chrono::Duration::milliseconds(i as i64 * 37_000 + (rng.next() % 30_000) as i64);
        let left =
            came + chrono::Duration::milliseconds(5_400_000 + (rng.next() % 7_200_000) as i64);
        events.push((came, i, false));
        events.push((left, i, true));
    }
    events.sort();
    let mut ids = IdGenerator::default();
    let mut check_in_ids = vec![None; check_ins];
    events
        .into_iter()
        .map(|(at, i, is_out)| {
            let id = ids.next(at.timestamp_millis() as u64, rng.bytes8());
            if is_out {
                let check_in = check_in_ids[i].expect("check-in comes first");
                Envelope::wrap(id, at, &CheckOut::of(check_in))
            } else {
                check_in_ids[i] = Some(id);
                let (name, phone) = &volunteers[(rng.next() % volunteers.len() as u64) as usize];
                let body = CheckIn {
                    station: StationCode::parse(stations[i % stations.len()]).unwrap(),
                    volunteer_name: name.clone(),
                    phone: phone.clone(),
                    pass: None,
                    position: None,
                    clock_offset_ms: None,
                };
                Envelope::wrap(id, at, &body)
            }
        })
        .collect()
}

#[test]
fn a_pushed_record_costs_at_most_60_bytes_on_the_wire() {
    let mut rng = Rng(2026);
    let check_ins = PUSH_BATCH_RECORDS / 2;
    let records = station_day(check_ins, &mut rng);
    let json = serde_json::to_vec(&PushRequest { records }).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&json).unwrap();
    let compressed = gz.finish().unwrap();
    let per_record = compressed.len() as f64 / (check_ins * 2) as f64;
    let per_visit = compressed.len() as f64 / check_ins as f64;
    println!(
        "{check_ins} visits, {} records: {} bytes JSON, {} bytes gzip: {per_record:.1} bytes a record, {per_visit:.1} bytes a visit (in + out)",
        check_ins * 2,
        json.len(),
        compressed.len()
    );
    assert!(per_record <= 60.0, "{per_record:.1} bytes a record");
}
