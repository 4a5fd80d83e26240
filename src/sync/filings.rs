//! The filings feed in a sync cycle: after reference data, the applications this device
//! may see are pulled page by page, each page stored with its cursor in one transaction.

use std::rc::Rc;

use wenming_core::protocol::Role;

use super::cycle::Failure;
use super::SyncEvent;
use crate::api;
use crate::store::Store;

/// Whether a role has anything to do with filings.
pub fn concerns(role: Role) -> bool {
    !matches!(role, Role::Volunteer | Role::StationAdmin)
}

/// Pulls the feed until the server has no more; tells the UI if anything changed.
pub(crate) async fn pull(
    store: &Store,
    token: &str,
    notify: &dyn Fn(SyncEvent),
) -> Result<(), Failure> {
    let mut cursor = store.filing_cursor().await?;
    let mut changed = false;
    loop {
        let page = api::filings::feed(token, cursor).await?;
        store.apply_filing_page(&page).await?;
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
        notify(SyncEvent::Filings(Rc::new(store.applications().await?)));
    }
    Ok(())
}
