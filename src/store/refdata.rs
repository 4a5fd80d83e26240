//! Reference data pulled from the district server (towns, villages, stations), kept for
//! the offline station picker, and the pull cursor written with each page.

use rexie::TransactionMode;
use wasm_bindgen::JsValue;
use wenming_core::protocol::{PullResponse, RefItem};
use wenming_core::{DivisionCode, StationCode};

use super::js::{from_js, to_js};
use super::meta::CURSOR;
use super::{write_all, Store, StoreError, META, REFDATA};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Town {
    pub code: DivisionCode,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Station {
    pub code: StationCode,
    pub name: String,
    pub town: DivisionCode,
}

/// What the pickers offer, in code order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefData {
    pub towns: Vec<Town>,
    pub stations: Vec<Station>,
}

impl RefData {
    pub fn station(&self, code: &str) -> Option<&Station> {
        self.stations.iter().find(|s| s.code.as_str() == code)
    }

    pub fn town_name(&self, code: &DivisionCode) -> Option<&str> {
        self.towns
            .iter()
            .find(|t| &t.code == code)
            .map(|t| t.name.as_str())
    }
}

/// One key per entity and code: a station's code is also its village's.
fn key(item: &RefItem) -> String {
    match item {
        RefItem::Town { code, .. } => format!("town:{code}"),
        RefItem::Village { code, .. } => format!("village:{code}"),
        RefItem::Station { code, .. } => format!("station:{code}"),
    }
}

impl Store {
    /// Stores one pulled page and the cursor after it, in one transaction: a page is
    /// either applied and passed, or fetched again.
    pub async fn apply_pull_page(&self, page: &PullResponse) -> Result<(), StoreError> {
        let items = page
            .changes
            .iter()
            .map(|c| Ok((to_js(&c.item)?, Some(JsValue::from_str(&key(&c.item))))))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let cursor = to_js(&page.next_cursor)?;
        let tx = self.tx(&[REFDATA, META], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            if !items.is_empty() {
                tx.store(REFDATA)?.put_all(items.into_iter()).await?;
            }
            tx.store(META)?
                .put(&cursor, Some(&JsValue::from_str(CURSOR)))
                .await?;
            Ok(())
        })
        .await
    }

    pub async fn refdata(&self) -> Result<RefData, StoreError> {
        let tx = self.tx(&[REFDATA], TransactionMode::ReadOnly)?;
        let values = tx.store(REFDATA)?.get_all(None, None).await?;
        let mut data = RefData::default();
        for value in &values {
            // An entity this build does not know is skipped, not an error.
            match from_js::<RefItem>(value) {
                Ok(RefItem::Town { code, name }) => data.towns.push(Town { code, name }),
                Ok(RefItem::Station {
                    code, name, town, ..
                }) => data.stations.push(Station { code, name, town }),
                _ => {}
            }
        }
        // Keys are "entity:code" with codes of one length: already in code order.
        Ok(data)
    }
}
