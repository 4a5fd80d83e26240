//! The volunteers' part of a sync cycle (#5, the volunteers' app): the district key when
//! the phone has none (enrolled before passes), then what became of this phone's
//! registrations and sign-ups, each registered volunteer's account and the published
//! activities, each kept as the district's text in `vol_cache` for the screens to show
//! offline. A failed read leaves the answer kept before.

use super::cycle::Failure;
use crate::api::{self, ApiError};
use crate::store::Store;
use crate::time;
use crate::volunteer::{self, Kept, List, Outcome};

pub(crate) async fn refresh(store: &Store, token: &str) -> Result<(), Failure> {
    if store.district_key().await?.is_none() {
        let key = api::volunteer::district_key(token).await?;
        store.save_district_key(&key).await?;
    }
    let registrations = keep(store, token, "/registrations", volunteer::REGISTRATIONS).await?;
    let outcomes: List<Outcome> =
        crate::decode::from_json(&registrations).map_err(ApiError::Decode)?;
    let mut seen: Vec<&str> = Vec::new();
    for o in &outcomes.items {
        if !seen.contains(&o.volunteer.as_str()) {
            seen.push(o.volunteer.as_str());
            let path = format!("/volunteers/{}", o.volunteer);
            keep(store, token, &path, &volunteer::account_key(&o.volunteer)).await?;
        }
    }
    keep(store, token, "/signups", volunteer::SIGNUPS).await?;
    keep(store, token, "/volunteer-activities", volunteer::ACTIVITIES).await?;
    Ok(())
}

/// Fetches `path` and keeps its text under `name`; returns the text.
async fn keep(store: &Store, token: &str, path: &str, name: &str) -> Result<String, Failure> {
    let text = api::volunteer::text(token, path).await?;
    let kept = Kept {
        at: time::rfc3339::Stamp(time::now()),
        text,
    };
    store.cache_put(name, &kept).await?;
    Ok(kept.text)
}
