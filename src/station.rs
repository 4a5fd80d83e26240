//! The station admin's volunteer work (#5, the workbench): the records this phone makes —
//! hours approved (核定) or revoked (撤销), exchange items, exchanges (兑换), published
//! activities and no-shows (爽约) — each saved with its outbox entry by `Store::save_vol`
//! and kept in `vol` as a [`Mine`], whose sync state the screens derive from the outbox
//! and the rejects; and the district's answers, kept as their text in `vol_cache` so the
//! screens show the last one offline. `wire.rs` reads the answers.

pub mod wire;

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use serde::{Deserialize, Serialize};
use wenming_core::protocol::RecordBody;
use wenming_core::RecordId;

use crate::app::AppContext;
use crate::store::{Saved, Sealed, SyncState};
use crate::time::rfc3339;

/// What a [`Mine`] is.
pub mod kind {
    pub const APPROVAL: &str = "hours_approval";
    pub const REVOCATION: &str = "hours_revocation";
    pub const ITEM: &str = "exchange_item";
    pub const EXCHANGE: &str = "exchange";
    pub const ACTIVITY: &str = "volunteer_activity";
    pub const NO_SHOW: &str = "no_show";
}

/// One record this phone made, as the screens list it: what it is about and a line of
/// text saying what it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mine {
    #[serde(
        serialize_with = "crate::station::write_id",
        deserialize_with = "crate::ids::deserialize"
    )]
    pub id: RecordId,
    /// One of [`kind`]; the field's name keeps these apart from the volunteers' app's
    /// records in the same store.
    pub station_kind: String,
    /// The visit, item, or sign-up it is about; empty for new items and activities.
    pub about: String,
    pub text: String,
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
}

pub(crate) fn write_id<S: serde::Serializer>(id: &RecordId, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(id)
}

impl Mine {
    pub fn sync(&self, app: &AppContext) -> SyncState {
        app.state.outbox.state_of(&self.id, &app.state.in_flight)
    }
}

/// Saves a record minted earlier (when its form opened): the record and its outbox entry
/// together, once; a second tap finds the id saved and writes nothing. Then sync starts.
pub async fn save<B: RecordBody + Serialize>(
    app: &AppContext,
    id: RecordId,
    body: &B,
    station_kind: &str,
    about: String,
    text: String,
) -> Result<(Mine, Saved), String> {
    let at = crate::time::now();
    let envelope = Sealed::of(id, at, body).map_err(|e| e.message_zh())?;
    let mine = Mine {
        id,
        station_kind: station_kind.to_owned(),
        about,
        text,
        at,
    };
    let saved = app
        .store
        .save_vol(id, &mine, envelope)
        .await
        .map_err(|e| e.message_zh())?;
    if saved == Saved::New {
        app.state.dispatch(crate::app::Action::Queued(id));
        app.sync.trigger();
    }
    Ok((mine, saved))
}

/// This phone's records, newest first.
pub async fn mine(app: &AppContext) -> Vec<Mine> {
    let mut all: Vec<Mine> = app.store.vol_records().await.unwrap_or_default();
    all.sort_by_key(|m| std::cmp::Reverse(m.id));
    all
}

/// The device's token, or the message to show.
pub async fn token(app: &AppContext) -> Result<String, String> {
    match app.store.session().await {
        Ok(Some(s)) => Ok(s.token),
        Ok(None) => Err("本机尚未注册".to_owned()),
        Err(e) => Err(e.message_zh()),
    }
}

/// "2026年11月22日 09:05" in Beijing time (UTC+8, no summer time), whatever the phone's
/// zone: what a station prints is read in Beijing.
pub fn beijing(t: DateTime<Utc>) -> String {
    let b = t + Duration::hours(8);
    format!(
        "{}年{}月{}日 {:02}:{:02}",
        b.year(),
        b.month(),
        b.day(),
        b.hour(),
        b.minute()
    )
}

/// Minutes as the certificate and the lists show them: "1 小时 30 分".
pub fn minutes_zh(m: u32) -> String {
    match (m / 60, m % 60) {
        (0, m) => format!("{m} 分钟"),
        (h, 0) => format!("{h} 小时"),
        (h, m) => format!("{h} 小时 {m} 分"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use wasm_bindgen_test::*;

    use super::*;

    #[wasm_bindgen_test]
    fn beijing_time_is_eight_hours_ahead_across_midnight() {
        let t = Utc.with_ymd_and_hms(2026, 11, 21, 17, 5, 0).unwrap();
        assert_eq!(beijing(t), "2026年11月22日 01:05");
    }

    #[wasm_bindgen_test]
    fn minutes_read_as_hours_and_minutes() {
        assert_eq!(minutes_zh(45), "45 分钟");
        assert_eq!(minutes_zh(120), "2 小时");
        assert_eq!(minutes_zh(90), "1 小时 30 分");
    }

    #[wasm_bindgen_test]
    fn a_record_of_mine_reads_back_as_written() {
        let mine = Mine {
            id: RecordId::new(1_763_779_200_000, [4; 10]),
            station_kind: kind::EXCHANGE.to_owned(),
            about: "019aa9a1-0000-7000-8000-000000000010".to_owned(),
            text: "洗衣液 ×1".to_owned(),
            at: Utc.with_ymd_and_hms(2026, 11, 22, 1, 0, 0).unwrap(),
        };
        let json = serde_json::to_string(&mine).unwrap();
        assert_eq!(crate::decode::from_json::<Mine>(&json).unwrap(), mine);
    }
}
