//! The volunteers' part of a sync cycle (#5, the volunteers' app): the district key when
//! the phone has none (enrolled before passes), then what became of this phone's
//! registrations and sign-ups, each registered volunteer's account and the published
//! activities, each kept as the district's text in `vol_cache` for the screens to show
//! offline. A failed read leaves the answer kept before.

use super::cycle::Failure;
use crate::api::{self, ApiError};
use crate::store::Store;
use crate::time;
use crate::volunteer::{self, Kept, J};

pub(crate) async fn refresh(store: &Store, token: &str) -> Result<(), Failure> {
    if store.district_key().await?.is_none() {
        let key = api::volunteer::district_key(token).await?;
        store.save_district_key(&key).await?;
    }
    let registrations = keep(store, token, "/registrations", volunteer::REGISTRATIONS).await?;
    let outcomes = js_sys::JSON::parse(&registrations)
        .map(J)
        .map_err(|e| ApiError::Decode(e.into()))?;
    let mut seen: Vec<String> = Vec::new();
    for o in outcomes.list("items") {
        let v = o.s("volunteer");
        if !seen.contains(&v) {
            let path = format!("/volunteers/{v}");
            keep(store, token, &path, &volunteer::account_key(&v)).await?;
            seen.push(v);
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
