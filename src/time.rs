//! Time on the phone: the clock comes from `Date.now()` (chrono's clock does not run in
//! wasm32-unknown-unknown), local time from the browser's time-zone offset.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(now_ms() as i64).unwrap_or_default()
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The local wall-clock time of `t`, as a UTC-labelled value to format.
fn local(t: DateTime<Utc>) -> DateTime<Utc> {
    let date = js_sys::Date::new(&(t.timestamp_millis() as f64).into());
    // getTimezoneOffset is UTC minus local, in minutes, for that moment.
    t - Duration::minutes(date.get_timezone_offset() as i64)
}

/// "11月22日 09:05", with the year when it is not this year's.
pub fn format_local(t: DateTime<Utc>) -> String {
    let l = local(t);
    let this_year = local(now()).year();
    let date = if l.year() == this_year {
        format!("{}月{}日", l.month(), l.day())
    } else {
        format!("{}年{}月{}日", l.year(), l.month(), l.day())
    };
    format!("{date} {:02}:{:02}", l.hour(), l.minute())
}

/// "09:05", for times of today.
pub fn format_clock(t: DateTime<Utc>) -> String {
    let l = local(t);
    format!("{:02}:{:02}", l.hour(), l.minute())
}

/// Times in JSON as chrono's serde writes them ("2026-11-22T01:02:03Z", the fraction of
/// the second in 3, 6 or 9 digits when there is one), written and read here: chrono's
/// general formatter and parser cost the download several kB for this one format.
/// Use with `#[serde(with = "crate::time::rfc3339")]`, or [`rfc3339::Stamp`].
pub mod rfc3339 {
    use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
    use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

    /// `t` as chrono's `Serialize` writes it.
    pub fn write(t: &DateTime<Utc>) -> String {
        fn push(out: &mut String, n: u32, width: u32) {
            for k in (0..width).rev() {
                out.push(char::from(b'0' + (n / 10u32.pow(k) % 10) as u8));
            }
        }
        let year = t.year();
        let mut out = if (0..=9999).contains(&year) {
            let mut out = String::with_capacity(30);
            push(&mut out, year as u32, 4);
            out
        } else {
            // Outside the RFC's years chrono writes a sign; so does this.
            format!("{year:+05}")
        };
        let (mut second, mut nano) = (t.second(), t.nanosecond());
        if nano >= 1_000_000_000 {
            // A leap second.
            second += 1;
            nano -= 1_000_000_000;
        }
        for (sep, n) in [
            ('-', t.month()),
            ('-', t.day()),
            ('T', t.hour()),
            (':', t.minute()),
            (':', second),
        ] {
            out.push(sep);
            push(&mut out, n, 2);
        }
        if nano != 0 {
            out.push('.');
            if nano % 1_000_000 == 0 {
                push(&mut out, nano / 1_000_000, 3);
            } else if nano % 1_000 == 0 {
                push(&mut out, nano / 1_000, 6);
            } else {
                push(&mut out, nano, 9);
            }
        }
        out.push('Z');
        out
    }

    /// An RFC 3339 time (`T`, `t` or a space between date and time; any digits of
    /// fraction; `Z`, `z` or `±hh:mm`), as UTC. `None` if it is not one, or no real time.
    pub fn parse(s: &str) -> Option<DateTime<Utc>> {
        let b = s.as_bytes();
        let num = |from: usize, len: usize| -> Option<u32> {
            let part = b.get(from..from + len)?;
            part.iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        let at = |i: usize, options: &[u8]| b.get(i).is_some_and(|c| options.contains(c));
        if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt ") && at(13, b":") && at(16, b":")) {
            return None;
        }
        let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
        let (hour, minute, mut second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
        let mut i = 19;
        let mut nano = 0u32;
        if at(i, b".") {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                if i - start < 9 {
                    nano = nano * 10 + u32::from(b[i] - b'0');
                }
                i += 1;
            }
            if i == start {
                return None;
            }
            nano *= 10u32.pow(9u32.saturating_sub((i - start) as u32));
        }
        let offset_minutes = match b.get(i)? {
            b'Z' | b'z' if i + 1 == b.len() => 0,
            sign @ (b'+' | b'-') if i + 6 == b.len() && at(i + 3, b":") => {
                let minutes = i64::from(num(i + 1, 2)? * 60 + num(i + 4, 2)?);
                if *sign == b'-' {
                    -minutes
                } else {
                    minutes
                }
            }
            _ => return None,
        };
        if second == 60 {
            // A leap second, as chrono keeps it.
            second = 59;
            nano += 1_000_000_000;
        }
        let local = NaiveDate::from_ymd_opt(year as i32, month, day)?
            .and_hms_nano_opt(hour, minute, second, nano)?
            .and_utc();
        local.checked_sub_signed(Duration::minutes(offset_minutes))
    }

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&write(t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(deserializer)?;
        parse(&s).ok_or_else(|| de::Error::custom("not an RFC 3339 time"))
    }

    /// For `Option<DateTime<Utc>>` fields.
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(
            t: &Option<DateTime<Utc>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            t.map(Stamp).serialize(serializer)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            Ok(Option::<Stamp>::deserialize(deserializer)?.map(|s| s.0))
        }
    }

    /// A time that is (de)serialized in this format by itself.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Stamp(pub DateTime<Utc>);

    impl Serialize for Stamp {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(&self.0, serializer)
        }
    }

    impl<'de> Deserialize<'de> for Stamp {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer).map(Stamp)
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use wasm_bindgen_test::*;

    use super::*;

    fn chrono_json(t: &DateTime<Utc>) -> String {
        let json = serde_json::to_string(t).unwrap();
        json.trim_matches('"').to_owned()
    }

    #[wasm_bindgen_test]
    fn times_are_written_as_chrono_writes_them() {
        let t = Utc.with_ymd_and_hms(2026, 11, 22, 1, 2, 3).unwrap();
        let times = [
            t,
            t + Duration::milliseconds(789),
            t + Duration::microseconds(1),
            t + Duration::nanoseconds(120_000_000),
            t + Duration::nanoseconds(5),
            Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(-1, 1, 1, 0, 0, 0).unwrap(),
            t.with_nanosecond(1_500_000_000).unwrap(),
        ];
        for t in times {
            assert_eq!(rfc3339::write(&t), chrono_json(&t));
            assert_eq!(
                serde_json::to_string(&rfc3339::Stamp(t)).unwrap(),
                serde_json::to_string(&t).unwrap()
            );
        }
    }

    #[wasm_bindgen_test]
    fn times_are_read_as_chrono_reads_them() {
        for s in [
            "2026-11-22T01:02:03Z",
            "2026-11-22T03:04:06.789Z",
            "2026-11-22T03:04:06.000001Z",
            "2026-11-22T03:04:06.123456789Z",
            "2026-11-22T03:04:06.1234567891Z",
            "2026-11-22t03:04:06.5z",
            "2026-11-22 03:04:06Z",
            "2026-11-22T09:04:06+08:00",
            "2026-11-21T20:04:06-07:00",
            "2026-12-31T23:59:60Z",
            "2024-02-29T00:00:00Z",
        ] {
            let chrono: DateTime<Utc> = serde_json::from_str(&format!("\"{s}\"")).unwrap();
            assert_eq!(rfc3339::parse(s), Some(chrono), "{s}");
        }
        for s in [
            "",
            "2026-11-22",
            "2026-11-22T01:02:03",
            "2026-11-22T01:02:03.Z",
            "2026-13-22T01:02:03Z",
            "2025-02-29T01:02:03Z",
            "2026-11-22T24:02:03Z",
            "2026-11-22T01:02:03Zx",
            "2026-11-22T01:02:03+0800x",
            "２０２６-11-22T01:02:03Z",
        ] {
            let chrono = serde_json::from_str::<DateTime<Utc>>(&format!("\"{s}\""));
            assert!(chrono.is_err(), "chrono reads {s}");
            assert_eq!(rfc3339::parse(s), None, "{s}");
        }
    }

    #[wasm_bindgen_test]
    fn stamps_round_trip() {
        let t = now();
        // Written as the store writes (serde_json), read as it reads (crate::decode).
        let json = serde_json::to_string(&rfc3339::Stamp(t)).unwrap();
        let back: rfc3339::Stamp = crate::decode::from_json(&json).unwrap();
        assert_eq!(back.0, t);
    }
}
