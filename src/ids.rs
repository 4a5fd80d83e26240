//! Record ids of this device: core's `IdGenerator` (strictly increasing UUIDv7), fed with
//! the browser's clock and `crypto.getRandomValues`.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use wenming_core::protocol::IdGenerator;
use wenming_core::RecordId;

use crate::{browser, time};

thread_local! {
    static IDS: RefCell<IdGenerator> = RefCell::new(IdGenerator::default());
}

/// A new id and the moment it was made.
pub fn next() -> (RecordId, DateTime<Utc>) {
    let ms = time::now_ms();
    let at = DateTime::from_timestamp_millis(ms as i64).unwrap_or_default();
    let id = IDS.with(|ids| ids.borrow_mut().next(ms as u64, browser::random_bytes()));
    (id, at)
}

/// Makes later ids sort after `newest`, the newest id already stored, even if the clock
/// has stepped back since it was made.
pub fn follow(newest: RecordId) {
    IDS.with(|ids| {
        ids.borrow_mut()
            .next(newest.unix_ms(), browser::random_bytes());
    });
}

/// An id as every id the app reads is written: the hyphenated form of its UUID (hex digits
/// of either case). `None` for anything else, or an id that is not a UUIDv7. uuid's own
/// parser also takes the braced, URN and simple forms, which no id here is ever in; this
/// one costs the download a fraction of its code.
pub fn parse(s: &str) -> Option<RecordId> {
    let b = s.as_bytes();
    if b.len() != 36 {
        return None;
    }
    let mut bytes = [0u8; 16];
    let mut digits = b
        .iter()
        .enumerate()
        .filter(|&(i, _)| !matches!(i, 8 | 13 | 18 | 23));
    for byte in bytes.iter_mut() {
        let mut value = 0;
        for _ in 0..2 {
            let (_, c) = digits.next()?;
            value = value * 16 + (*c as char).to_digit(16)? as u8;
        }
        *byte = value;
    }
    if [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return None;
    }
    RecordId::try_from(uuid::Uuid::from_bytes(bytes)).ok()
}

/// For `#[serde(deserialize_with = "crate::ids::deserialize")]` on id fields the app reads.
pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<RecordId, D::Error> {
    let s = <String as serde::Deserialize>::deserialize(d)?;
    parse(&s).ok_or_else(|| serde::de::Error::custom("记录编号应为 UUIDv7"))
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    #[wasm_bindgen_test]
    fn hyphenated_ids_parse_as_core_parses_them() {
        let id = RecordId::new(1_763_779_200_123, [0xab; 10]).to_string();
        for s in [
            id.clone(),
            id.to_uppercase(),
            "019aa9a1-6c3b-7d2e-9f10-2b3c4d5e6f70".to_owned(),
            "67e55044-10b1-426f-9247-bb680e5fe0c8".to_owned(),
            "019aa9a1-6c3b-7d2e-9f10-2b3c4d5e6f7".to_owned(),
            "019aa9a1-6c3b-7d2e-9f10-2b3c4d5e6f7g".to_owned(),
            "019aa9a1+6c3b-7d2e-9f10-2b3c4d5e6f70".to_owned(),
            "019aa9a16c3b-7d2e-9f10-2b3c4d5e6f70-".to_owned(),
            "019aa9a1-6c3b-7d2e-9f10-2b3c4d5e6f7é".to_owned(),
            String::new(),
        ] {
            assert_eq!(parse(&s), RecordId::parse(&s).ok(), "{s}");
        }
    }

    #[wasm_bindgen_test]
    fn other_uuid_forms_are_refused() {
        let id = RecordId::new(1_763_779_200_123, [0xab; 10]);
        let simple = id.as_uuid().simple().to_string();
        assert_eq!(RecordId::parse(&simple), Ok(id));
        assert_eq!(parse(&simple), None);
        assert_eq!(parse(&format!("{{{id}}}")), None);
    }
}
