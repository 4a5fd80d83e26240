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
use wenming_core::volunteer::VolunteerActivity;
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

/// The envelope of a record body, as core writes it.
pub fn seal<B: RecordBody + Serialize>(id: RecordId, body: &B) -> Result<Sealed, String> {
    Sealed::of(id, crate::time::now(), body).map_err(|e| e.message_zh())
}

/// Core's `VolunteerActivity` as core writes it (fields sorted, as the envelope's JSON
/// value keeps them), its times through `time::rfc3339`: chrono's own serializer would
/// bring its general formatter into the download.
#[derive(Serialize)]
struct ActivityWire<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(with = "rfc3339")]
    ends_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    skills_wanted: &'a [String],
    #[serde(with = "rfc3339")]
    starts_at: DateTime<Utc>,
    station: &'a str,
    title: &'a str,
    volunteers_needed: u32,
}

/// The envelope of a published activity.
pub fn seal_activity(id: RecordId, a: &VolunteerActivity) -> Result<Sealed, String> {
    let wire = ActivityWire {
        description: &a.description,
        ends_at: a.ends_at,
        skills_wanted: &a.skills_wanted,
        starts_at: a.starts_at,
        station: a.station.as_str(),
        title: &a.title,
        volunteers_needed: a.volunteers_needed,
    };
    Sealed::new::<VolunteerActivity, _>(id, crate::time::now(), &wire).map_err(|e| e.message_zh())
}

/// Saves a record minted earlier (when its form opened) with its envelope: together,
/// once; a second tap finds the id saved and writes nothing. Then sync starts.
pub async fn save(
    app: &AppContext,
    envelope: Result<Sealed, String>,
    station_kind: &str,
    about: String,
    text: String,
) -> Result<Saved, String> {
    let envelope = envelope?;
    let id = envelope.id;
    let mine = Mine {
        id,
        station_kind: station_kind.to_owned(),
        about,
        text,
        at: envelope.device_time,
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
    Ok(saved)
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
    fn an_activity_is_sealed_as_core_writes_it() {
        use wenming_core::{Envelope, StationCode};
        let start = Utc.with_ymd_and_hms(2026, 11, 28, 1, 0, 0).unwrap();
        for (skills, description) in [(vec!["理发".to_owned()], "为老人理发"), (vec![], "")]
        {
            let a = VolunteerActivity {
                title: "重阳节探访空巢老人".into(),
                station: StationCode::parse("500156001001").unwrap(),
                starts_at: start,
                ends_at: start + Duration::hours(3),
                volunteers_needed: 10,
                skills_wanted: skills,
                description: description.into(),
            };
            let id = RecordId::new(1_763_779_200_000, [5; 10]);
            let sealed = seal_activity(id, &a).unwrap();
            let core = Envelope::wrap(id, sealed.device_time, &a);
            assert_eq!(sealed.json, serde_json::to_string(&core).unwrap());
            let opened: Envelope = serde_json::from_str(&sealed.json).unwrap();
            assert_eq!(opened.open::<VolunteerActivity>().unwrap(), a);
        }
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
