//! Reference data pulled from the district server (towns, villages, stations), kept for
//! the offline station picker, and the pull cursor written with each page.

use rexie::TransactionMode;
use serde::{Deserialize, Serialize};
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
    pub villages: Vec<Village>,
    pub stations: Vec<Station>,
}

/// A village or community (社区/村), for the filing form's picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Village {
    pub code: DivisionCode,
    pub name: String,
    pub town: DivisionCode,
}

impl RefData {
    pub fn station(&self, code: &str) -> Option<&Station> {
        self.stations.iter().find(|s| s.code.as_str() == code)
    }

    pub fn village(&self, code: &str) -> Option<&Village> {
        self.villages.iter().find(|v| v.code.as_str() == code)
    }

    pub fn town_name(&self, code: &DivisionCode) -> Option<&str> {
        self.towns
            .iter()
            .find(|t| &t.code == code)
            .map(|t| t.name.as_str())
    }
}

/// The kinds of [`RefItem`], as its JSON tag names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Entity {
    Town,
    Village,
    Station,
}

/// A [`RefItem`] as plain data, with the same JSON as core's internally tagged enum (how
/// items are stored, and, with `seq`, a pull answer's change). A plain struct decodes
/// without serde's buffering of tagged and flattened values, which costs the download
/// several kB, and one struct for both is one decoder less; the codes are checked when it
/// becomes a `RefItem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PlainItem {
    /// A pull answer's sequence number of the change; not stored.
    #[serde(default, skip_serializing)]
    pub seq: u64,
    pub entity: Entity,
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town: Option<String>,
}

impl From<&RefItem> for PlainItem {
    fn from(item: &RefItem) -> Self {
        let (entity, code, name, village, town) = match item {
            RefItem::Town { code, name } => (Entity::Town, code.as_str(), name, None, None),
            RefItem::Village { code, name, town } => {
                (Entity::Village, code.as_str(), name, None, Some(town))
            }
            RefItem::Station {
                code,
                name,
                village,
                town,
            } => (
                Entity::Station,
                code.as_str(),
                name,
                Some(village),
                Some(town),
            ),
        };
        PlainItem {
            seq: 0,
            entity,
            code: code.to_owned(),
            name: name.clone(),
            village: village.map(|v| v.as_str().to_owned()),
            town: town.map(|t| t.as_str().to_owned()),
        }
    }
}

impl TryFrom<PlainItem> for RefItem {
    /// What is wrong or missing, as core's decoding would say it.
    type Error = String;

    fn try_from(p: PlainItem) -> Result<Self, String> {
        fn code(s: String) -> Result<DivisionCode, String> {
            DivisionCode::try_from(s).map_err(|e| e.to_string())
        }
        fn required(v: Option<String>, field: &str) -> Result<String, String> {
            v.ok_or_else(|| format!("missing field `{field}`"))
        }
        let name = p.name;
        Ok(match p.entity {
            Entity::Town => RefItem::Town {
                code: code(p.code)?,
                name,
            },
            Entity::Village => RefItem::Village {
                code: code(p.code)?,
                name,
                town: code(required(p.town, "town")?)?,
            },
            Entity::Station => RefItem::Station {
                code: StationCode::try_from(p.code).map_err(|e| e.to_string())?,
                name,
                village: code(required(p.village, "village")?)?,
                town: code(required(p.town, "town")?)?,
            },
        })
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
            .map(|c| {
                let value = to_js(&PlainItem::from(&c.item))?;
                Ok((value, Some(JsValue::from_str(&key(&c.item)))))
            })
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
            let item = from_js::<PlainItem>(value)
                .ok()
                .and_then(|p| RefItem::try_from(p).ok());
            match item {
                Some(RefItem::Town { code, name }) => data.towns.push(Town { code, name }),
                Some(RefItem::Village { code, name, town }) => {
                    data.villages.push(Village { code, name, town })
                }
                Some(RefItem::Station {
                    code, name, town, ..
                }) => data.stations.push(Station { code, name, town }),
                None => {}
            }
        }
        // Keys are "entity:code" with codes of one length: already in code order.
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    fn golden_items() -> Vec<RefItem> {
        let json = include_str!("../../crates/core/tests/golden/pull_response.json");
        let page: PullResponse = serde_json::from_str(json).expect("the golden page");
        page.changes.into_iter().map(|c| c.item).collect()
    }

    #[wasm_bindgen_test]
    fn items_are_stored_as_core_writes_them_and_read_back() {
        for item in golden_items() {
            let core_json = serde_json::to_string(&item).unwrap();
            let plain_json = serde_json::to_string(&PlainItem::from(&item)).unwrap();
            assert_eq!(plain_json, core_json);
            let stored = js_sys::JSON::parse(&core_json).unwrap();
            let plain: PlainItem = from_js(&stored).unwrap();
            assert_eq!(RefItem::try_from(plain), Ok(item));
        }
    }
}
