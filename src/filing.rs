//! The app's side of filing (备案): the district's filing records as the app reads and
//! keeps them (`wire`), the leader's drafts and how they become a submission (`draft`),
//! the pasted roster import (`roster`), and what the screens derive from all of it.
//!
//! Invariants: nothing here touches storage or the network; validation is core's
//! (`FilingForm::check`, `Charter::check`, `check_roster`, `TerminationVote::check`,
//! `transition`), the app only parses the user's text into core's types first.

pub mod draft;
pub mod roster;
pub mod wire;

use std::rc::Rc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use wasm_bindgen::JsValue;
use wenming_core::filing::ApplicationKind;
use wenming_core::RecordId;

pub use draft::{Draft, FieldErrors, MyDecision};
pub use wire::{AppView, PlainDecision, State, StateTag, Submission};

use crate::store::{IdSet, OutboxView, SyncState};

/// The snake_case name serde gives a unit variant (`culture_sports`): the value of
/// selects and `data-` attributes, as core spells it on the wire.
pub fn tag<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v)
        .map(|s| s.trim_matches('"').to_owned())
        .unwrap_or_default()
}

/// The variant of `all` whose [`tag`] is `s`.
pub fn from_tag<T: Copy + Serialize>(all: &[T], s: &str) -> Option<T> {
    all.iter().copied().find(|v| tag(v) == s)
}

/// The phone's local date at `t` (in China, Beijing time, as the district's dates are).
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    let d = js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .unwrap_or_else(|| t.date_naive())
}

/// Today, on the phone's clock.
pub fn today() -> NaiveDate {
    local_date(crate::time::now())
}

pub fn kind_zh(kind: ApplicationKind) -> &'static str {
    match kind {
        ApplicationKind::Initial => "备案",
        ApplicationKind::Change => "变更备案",
        ApplicationKind::Termination => "终止",
    }
}

/// Everything about filings the phone holds: the district's applications (from the
/// feed), the leader's drafts, and the reviewer's own decisions.
#[derive(Debug, Clone, Default)]
pub struct Filings {
    /// Newest change first.
    pub apps: Rc<Vec<AppView>>,
    pub drafts: Rc<Vec<Draft>>,
    /// Oldest first.
    pub decisions: Rc<Vec<MyDecision>>,
}

/// Every change makes new lists: comparing the lists' addresses is enough, and spares the
/// download the code of comparing applications field by field.
impl PartialEq for Filings {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.apps, &other.apps)
            && Rc::ptr_eq(&self.drafts, &other.drafts)
            && Rc::ptr_eq(&self.decisions, &other.decisions)
    }
}

impl Filings {
    pub fn new(mut apps: Vec<AppView>, drafts: Vec<Draft>, decisions: Vec<MyDecision>) -> Self {
        newest_first(&mut apps);
        Filings {
            apps: Rc::new(apps),
            drafts: Rc::new(drafts),
            decisions: Rc::new(decisions),
        }
    }

    pub fn set_apps(&mut self, apps: Rc<Vec<AppView>>) {
        let mut apps = (*apps).clone();
        newest_first(&mut apps);
        self.apps = Rc::new(apps);
    }

    pub fn app(&self, id: &RecordId) -> Option<&AppView> {
        self.apps.iter().find(|a| &a.id == id)
    }

    pub fn draft(&self, id: &RecordId) -> Option<&Draft> {
        self.drafts.iter().find(|d| &d.application == id)
    }

    /// Puts a draft in place of the one of its application, or adds it.
    pub fn put_draft(&mut self, draft: Draft) {
        let drafts = Rc::make_mut(&mut self.drafts);
        match drafts
            .iter_mut()
            .find(|d| d.application == draft.application)
        {
            Some(old) => *old = draft,
            None => drafts.push(draft),
        }
    }

    pub fn add_decision(&mut self, decision: MyDecision) {
        Rc::make_mut(&mut self.decisions).push(decision);
    }

    /// The newest of this phone's decisions on a version.
    pub fn my_decision(&self, version: &RecordId) -> Option<&MyDecision> {
        self.decisions.iter().rev().find(|d| &d.version == version)
    }
}

/// One line of the leader's 我的组织: an application as the district has it, or as this
/// phone has it when the district does not know the latest version yet.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaderRow<'a> {
    pub id: RecordId,
    pub kind: ApplicationKind,
    pub name: String,
    pub state: State,
    /// The sync state of a version this phone sent that the feed does not show yet.
    pub sync: Option<SyncState>,
    pub app: Option<&'a AppView>,
    /// 退回修改, refused by the server, or never sent: the leader may edit and send it.
    pub editable: bool,
}

impl Filings {
    /// The leader's applications: drafts the district does not know yet first, then the
    /// feed's, newest first.
    pub fn leader_rows(&self, outbox: &OutboxView, in_flight: &IdSet) -> Vec<LeaderRow<'_>> {
        let unknown = self.drafts.iter().rev().filter(|d| {
            self.app(&d.application).is_none()
                && (d.sent.is_some()
                    || !d.form.get("name").trim().is_empty()
                    || !d.roster.is_empty())
        });
        let mut rows: Vec<LeaderRow<'_>> = unknown
            .map(|d| row(d.application, Some(d), None, outbox, in_flight))
            .collect();
        rows.extend(
            self.apps
                .iter()
                .map(|a| row(a.id, self.draft(&a.id), Some(a), outbox, in_flight)),
        );
        rows
    }

    /// The application whose facts are on file for a live organization: its newest filed
    /// filing or change filing. `None` once it is terminated, or before it is filed.
    pub fn on_file(&self, organization: &RecordId) -> Option<&AppView> {
        let mine = || self.apps.iter().filter(|a| &a.organization == organization);
        if mine().any(|a| a.state.state == StateTag::Terminated) {
            return None;
        }
        mine()
            .filter(|a| a.state.state == StateTag::Filed && a.kind != ApplicationKind::Termination)
            .max_by_key(|a| a.id)
    }

    /// Whether an organization has an application under way (or a draft of one): a
    /// change or termination must wait for it.
    pub fn busy(&self, organization: &RecordId) -> bool {
        let open_app = self
            .apps
            .iter()
            .any(|a| &a.organization == organization && !is_final(a.state.state));
        let open_draft = self.drafts.iter().any(|d| {
            &d.organization == organization
                && self
                    .app(&d.application)
                    .is_none_or(|a| !is_final(a.state.state))
                && (d.sent.is_some() || d.open)
        });
        open_app || open_draft
    }
}

fn newest_first(apps: &mut [AppView]) {
    apps.sort_unstable_by_key(|a| std::cmp::Reverse(a.updated_at));
}

pub fn is_final(state: StateTag) -> bool {
    matches!(
        state,
        StateTag::Refused | StateTag::Filed | StateTag::Terminated
    )
}

fn row<'a>(
    id: RecordId,
    draft: Option<&'a Draft>,
    app: Option<&'a AppView>,
    outbox: &OutboxView,
    in_flight: &IdSet,
) -> LeaderRow<'a> {
    let unseen = draft.and_then(|d| d.sent.as_ref()).filter(|s| {
        app.is_none_or(|a| a.version != s.version && a.trail.iter().all(|t| t.version != s.version))
    });
    let feed_state = || app.map_or(State::of(StateTag::Draft), |a| a.state.clone());
    let (state, sync, editable) = match unseen {
        Some(sent) => {
            let sync = outbox.state_of(&sent.version, in_flight);
            if matches!(sync, SyncState::Rejected(_)) {
                (feed_state(), Some(sync), true)
            } else {
                (State::of(StateTag::PendingPreliminary), Some(sync), false)
            }
        }
        None => {
            let state = feed_state();
            let editable = matches!(state.state, StateTag::Returned | StateTag::Draft);
            (state, None, editable)
        }
    };
    let name = app
        .map(|a| a.submission.form.name.clone())
        .or_else(|| draft.map(|d| d.form.get("name").trim().to_owned()))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "（未填写名称）".to_owned());
    LeaderRow {
        id,
        kind: app.map_or_else(
            || draft.map_or(ApplicationKind::Initial, |d| d.kind),
            |a| a.kind,
        ),
        name,
        state,
        sync,
        app,
        editable,
    }
}
