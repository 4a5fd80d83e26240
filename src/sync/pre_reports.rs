//! The pre-report feed in a sync cycle (the workbench): after reference data, the
//! pre-reports of the device's scope are pulled page by page, each page stored with its
//! cursor in one transaction. This is how the street/town's 同意 / 不同意 reaches the phone
//! that sent the pre-report, and how a town reviewer's phone learns what waits for it.

use wenming_core::protocol::Role;

use super::cycle::Failure;
use super::SyncEvent;
use crate::api;
use crate::store::Store;

/// Whether a role sends or answers pre-reports.
pub fn concerns(role: Role) -> bool {
    matches!(
        role,
        Role::StationAdmin | Role::OrgLeader | Role::TownReviewer
    )
}

/// Pulls the feed until the server has no more; tells the UI if anything changed.
pub(crate) async fn pull(
    store: &Store,
    token: &str,
    notify: &dyn Fn(SyncEvent),
) -> Result<(), Failure> {
    let mut cursor = store.pre_report_cursor().await?;
    let mut changed = false;
    loop {
        let page = api::activity::pre_report_feed(token, cursor).await?;
        store.apply_pre_report_page(&page).await?;
        changed |= !page.items.is_empty();
        if !page.more {
            break;
        }
        if page.next_cursor <= cursor {
            return Err(Failure::Retry("服务器的数据页码有误，稍后重试".to_owned()));
        }
        cursor = page.next_cursor;
    }
    if changed {
        notify(SyncEvent::PreReports(store.pre_reports().await?));
    }
    Ok(())
}
