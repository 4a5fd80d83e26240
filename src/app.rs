//! The root component and the app's state: a pure `Reducible` that components change only
//! by dispatching an [`Action`], and the context that hands pages the store and the sync
//! engine.

use std::rc::Rc;

use chrono::{DateTime, Utc};
use wenming_core::protocol::{DeviceInfo, Role};
use wenming_core::RecordId;
use yew::prelude::*;

#[cfg(feature = "work")]
use crate::activity::{Acts, Mine};
use crate::browser;
use crate::components::sync_status::{sync_strip, SyncStripProps};
use crate::components::tab_bar::{tab_bar, TabBarProps};
use crate::filing::{Draft, Filings, MyDecision};
#[cfg(feature = "work")]
use crate::pages::activity::ActivityPage;
use crate::pages::archive::OrgsPage;
#[cfg(feature = "work")]
use crate::pages::dashboard::DashboardPage;
use crate::pages::filing::FilingPage;
#[cfg(feature = "work")]
use crate::pages::pre_review::PreReviewPage;
use crate::pages::review::ReviewPage;
#[cfg(feature = "work")]
use crate::pages::station::StationPage;
use crate::pages::{checkin::CheckInPage, enroll::EnrollPage, records::RecordsPage};
use crate::pages::{me::MePage, signup::SignupPage};
use crate::store::{
    IdSet, OutboxView, Record, RefData, Session, Store, StoreError, SyncMeta, DB_NAME,
};
use crate::sync::{Sync, SyncEvent};

/// The screens of the home view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    CheckIn,
    Records,
    /// 备案: the organization leader's filings.
    Filing,
    /// 审核: the reviewers' applications.
    Review,
    /// 组织: the organizations in the device's scope, and their archives.
    Orgs,
    /// 活动: the station staff's activity reports, pre-reports and summaries.
    Activity,
    /// 报备: the town reviewer's answers to major-activity pre-reports.
    PreReview,
    /// 活动 for reviewers and the district: the activities of the scope, their chart, and
    /// (district) the summary periods.
    Dashboard,
    /// 站务: the station's pass, hours to review, exchange, activities' sign-ups, and a
    /// volunteer's account and certificate (#5).
    Station,
    /// 报名 (volunteers' app): published activities and sign-ups.
    Signup,
    /// 我的 (volunteers' app): registration, points, hours, the time bank.
    Me,
}

/// Whether this build is the workbench (工作台, at `/work/`: filing, review, station
/// work) or the volunteers' app (at `/`: check-in and records). Each is a build of its
/// own, so a volunteer's phone never downloads the filing and review screens.
pub const WORKBENCH: bool = cfg!(feature = "work");

/// Where the app of a role lives.
pub fn home_path(role: Role) -> &'static str {
    if role == Role::Volunteer {
        "/"
    } else {
        "/work/"
    }
}

/// Whether a role is served by this build.
pub fn belongs_here(role: Role) -> bool {
    (role == Role::Volunteer) != WORKBENCH
}

impl Tab {
    /// The tabs of a role, the first shown first.
    pub fn of(role: Option<Role>) -> &'static [Tab] {
        if !WORKBENCH {
            return &[Tab::CheckIn, Tab::Signup, Tab::Me, Tab::Records];
        }
        match role {
            Some(Role::OrgLeader) => &[Tab::Filing, Tab::Activity, Tab::Orgs],
            Some(Role::VillageReviewer) => &[Tab::Review, Tab::Dashboard, Tab::Orgs],
            Some(Role::TownReviewer) => &[Tab::Review, Tab::PreReview, Tab::Dashboard, Tab::Orgs],
            Some(Role::DistrictAdmin) => &[Tab::Orgs, Tab::Dashboard, Tab::Station],
            Some(Role::StationAdmin) => &[Tab::CheckIn, Tab::Records, Tab::Activity, Tab::Station],
            _ => &[Tab::CheckIn, Tab::Records],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// The database is being opened.
    Opening,
    /// The database cannot be opened: nothing works, and the reason is shown.
    Broken(String),
    /// The device is not enrolled, or is being enrolled again.
    Enroll,
    Home,
    /// The device's role is served by the other build: the page moves there.
    Elsewhere(&'static str),
}

/// Everything the screens show.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub phase: Phase,
    pub tab: Tab,
    pub device: Option<DeviceInfo>,
    pub refdata: Rc<RefData>,
    /// Newest first.
    pub records: Rc<Vec<Record>>,
    pub outbox: Rc<OutboxView>,
    pub in_flight: Rc<IdSet>,
    pub filings: Filings,
    /// Activities (#4): the workbench's only, so the volunteers' build carries none of
    /// their code, not even the glue that drops them.
    #[cfg(feature = "work")]
    pub acts: Acts,
    pub online: bool,
    pub syncing: bool,
    pub last_sync: Option<DateTime<Utc>>,
    pub clock_offset_ms: Option<i64>,
    pub sync_error: Option<String>,
    pub unauthorized: bool,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            phase: Phase::Opening,
            tab: Tab::CheckIn,
            device: None,
            refdata: Rc::default(),
            records: Rc::default(),
            outbox: Rc::default(),
            in_flight: Rc::default(),
            filings: Filings::default(),
            #[cfg(feature = "work")]
            acts: Acts::default(),
            online: true,
            syncing: false,
            last_sync: None,
            clock_offset_ms: None,
            sync_error: None,
            unauthorized: false,
        }
    }
}

/// What the database held at start-up.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub session: Option<Session>,
    pub records: Vec<Record>,
    pub outbox: OutboxView,
    pub refdata: RefData,
    pub meta: SyncMeta,
    pub filings: Filings,
    #[cfg(feature = "work")]
    pub acts: Acts,
    /// The page was opened with an enrollment link.
    pub enroll_link: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Loaded(Box<Loaded>),
    Broken(String),
    /// Show the enrollment page (to enroll the device again).
    Reenroll,
    /// Back home from the enrollment page without enrolling.
    CancelEnroll,
    Enrolled {
        device: DeviceInfo,
        refdata: Option<RefData>,
    },
    Tab(Tab),
    /// A record was saved with a new outbox entry: a check-in, or a check-out.
    Saved(Record),
    /// A filing draft as it is now (not queued).
    Draft(Box<Draft>),
    /// An envelope of this record id was queued (a filing submission).
    Queued(RecordId),
    /// A reviewer's decision was saved with its outbox entry.
    Decided(MyDecision),
    /// One of this phone's activity records as it is now: a draft, or sent (then its
    /// outbox entry was saved with it).
    #[cfg(feature = "work")]
    Mine(Box<Mine>),
    /// Activities as the database holds them now (after a draft was deleted).
    #[cfg(feature = "work")]
    ActsReloaded(Box<Acts>),
    Sync(SyncEvent),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Loaded(loaded) => {
                let Loaded {
                    session,
                    records,
                    outbox,
                    refdata,
                    meta,
                    filings,
                    #[cfg(feature = "work")]
                    acts,
                    enroll_link,
                } = *loaded;
                s.phase = if session.is_some() && !enroll_link {
                    Phase::Home
                } else {
                    Phase::Enroll
                };
                if let Some(session) = &session {
                    if !belongs_here(session.device.role) && s.phase == Phase::Home {
                        s.phase = Phase::Elsewhere(home_path(session.device.role));
                    }
                }
                s.device = session.map(|s| s.device);
                s.tab = Tab::of(s.device.as_ref().map(|d| d.role))[0];
                s.filings = filings;
                #[cfg(feature = "work")]
                {
                    s.acts = acts;
                }
                s.records = Rc::new(records);
                s.outbox = Rc::new(outbox);
                s.refdata = Rc::new(refdata);
                s.last_sync = meta.last_sync;
                s.clock_offset_ms = meta.clock_offset_ms;
            }
            Action::Broken(message) => s.phase = Phase::Broken(message),
            Action::Reenroll => s.phase = Phase::Enroll,
            Action::CancelEnroll => {
                if s.device.is_some() {
                    s.phase = Phase::Home;
                }
            }
            Action::Enrolled { device, refdata } => {
                let tabs = Tab::of(Some(device.role));
                if !tabs.contains(&s.tab) {
                    s.tab = tabs[0];
                }
                if let Some(refdata) = refdata {
                    s.refdata = Rc::new(refdata);
                }
                s.unauthorized = false;
                s.sync_error = None;
                s.phase = if belongs_here(device.role) {
                    Phase::Home
                } else {
                    Phase::Elsewhere(home_path(device.role))
                };
                s.device = Some(device);
            }
            Action::Tab(tab) => s.tab = tab,
            Action::Saved(record) => {
                Rc::make_mut(&mut s.outbox).pending.insert(record.id);
                let records = Rc::make_mut(&mut s.records);
                match records.iter_mut().find(|r| r.id == record.id) {
                    Some(old) => *old = record,
                    None => {
                        let at = records.partition_point(|r| r.id > record.id);
                        records.insert(at, record);
                    }
                }
            }
            Action::Draft(draft) if WORKBENCH => s.filings.put_draft(*draft),
            Action::Queued(id) => Rc::make_mut(&mut s.outbox).pending.insert(id),
            Action::Decided(decision) if WORKBENCH => {
                Rc::make_mut(&mut s.outbox).pending.insert(decision.id);
                s.filings.add_decision(decision);
            }
            #[cfg(feature = "work")]
            Action::Mine(mine) => {
                if mine.sent.is_some() {
                    Rc::make_mut(&mut s.outbox).pending.insert(mine.id);
                }
                s.acts.put(*mine);
            }
            #[cfg(feature = "work")]
            Action::ActsReloaded(acts) => s.acts = *acts,
            // Only the workbench's screens send these.
            Action::Draft(_) | Action::Decided(_) => {}
            Action::Sync(event) => match event {
                SyncEvent::Online(online) => s.online = online,
                SyncEvent::Started => s.syncing = true,
                SyncEvent::InFlight(ids) => s.in_flight = ids,
                SyncEvent::Outbox(view) => s.outbox = view,
                SyncEvent::RefData(refdata) => s.refdata = refdata,
                SyncEvent::Filings(apps) if WORKBENCH => s.filings.set_apps(apps),
                SyncEvent::Filings(_) => {}
                #[cfg(feature = "work")]
                SyncEvent::PreReports(pre) => s.acts.set_pre_reports(pre),
                SyncEvent::Finished {
                    at,
                    clock_offset_ms,
                } => {
                    s.syncing = false;
                    s.online = true;
                    s.last_sync = Some(at);
                    s.clock_offset_ms = clock_offset_ms.or(s.clock_offset_ms);
                    s.sync_error = None;
                }
                SyncEvent::Failed(message) => {
                    s.syncing = false;
                    s.sync_error = Some(message);
                }
                SyncEvent::Unauthorized => {
                    s.syncing = false;
                    s.unauthorized = true;
                    s.sync_error = Some("设备授权已失效，请重新注册".to_owned());
                }
            },
        }
        Rc::new(s)
    }
}

/// What pages get from the app: its state, the database, the sync engine.
#[derive(Clone, PartialEq)]
pub struct AppContext {
    pub state: UseReducerHandle<AppState>,
    pub store: Store,
    pub sync: Sync,
}

async fn load(store: &Store) -> Result<Loaded, StoreError> {
    // Only the workbench files and reviews. A `cfg`, not `if WORKBENCH`: an await in a dead
    // branch still leaves its state in the future's state machine, and its code in the build.
    #[cfg(feature = "work")]
    let filings = store.filings().await?;
    #[cfg(not(feature = "work"))]
    let filings = Filings::default();
    #[cfg(feature = "work")]
    let acts = store.acts().await?;
    Ok(Loaded {
        session: store.session().await?,
        records: store.records().await?,
        outbox: store.outbox_view().await?,
        refdata: store.refdata().await?,
        meta: store.sync_meta().await?,
        filings,
        #[cfg(feature = "work")]
        acts,
        enroll_link: browser::enroll_code_in_url().is_some(),
    })
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let services = use_state(|| None::<(Store, Sync)>);
    {
        let dispatcher = state.dispatcher();
        let services = services.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let opened = match Store::open(DB_NAME).await {
                    Ok(store) => load(&store).await.map(|loaded| (store, loaded)),
                    Err(e) => Err(e),
                };
                match opened {
                    Ok((store, loaded)) => {
                        if let Some(newest) = loaded.records.first() {
                            crate::ids::follow(newest.id);
                        }
                        dispatcher.dispatch(Action::Loaded(Box::new(loaded)));
                        let to_app = dispatcher.clone();
                        let sync = Sync::start(store.clone(), move |event| {
                            to_app.dispatch(Action::Sync(event))
                        });
                        services.set(Some((store, sync)));
                    }
                    Err(e) => dispatcher.dispatch(Action::Broken(e.message_zh())),
                }
            });
        });
    }

    let Some((store, sync)) = (*services).clone() else {
        return match &state.phase {
            Phase::Broken(message) => broken(message),
            _ => html! { <div class="boot">{ "正在打开“文明实践”…" }</div> },
        };
    };
    let context = AppContext {
        state: state.clone(),
        store,
        sync,
    };
    let body = match &state.phase {
        Phase::Opening => html! { <div class="boot">{ "正在打开“文明实践”…" }</div> },
        Phase::Broken(message) => broken(message),
        Phase::Enroll => html! { <EnrollPage /> },
        Phase::Home => home(&state),
        Phase::Elsewhere(path) => elsewhere(path),
    };
    html! {
        <ContextProvider<AppContext> context={context}>
            { body }
        </ContextProvider<AppContext>>
    }
}

fn broken(message: &str) -> Html {
    let reload = Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    html! {
        <div class="broken" role="alert">
            <h1>{ "无法打开手机存储" }</h1>
            <p>{ message.to_owned() }</p>
            <p>{ "已保存的记录仍在手机上。请关闭其他打开“文明实践”的页面后重试；如果使用的是无痕模式，请改用普通模式。" }</p>
            <button class="primary" onclick={reload}>{ "重试" }</button>
        </div>
    }
}

/// The device belongs to the other build (a reviewer who opened the volunteers' app, or
/// the other way round): go there, with a link should the browser not follow.
fn elsewhere(path: &'static str) -> Html {
    // Once: this page renders again as sync events arrive, and each new navigation would
    // abort the one under way.
    static MOVING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !MOVING.swap(true, std::sync::atomic::Ordering::Relaxed) {
        if let Some(w) = web_sys::window() {
            let _ = w.location().replace(path);
        }
    }
    let name = if path == "/" {
        "志愿服务"
    } else {
        "工作台"
    };
    html! {
        <div class="boot">
            <p>{ format!("正在打开“{name}”…") }</p>
            <a class="button primary" href={path}>{ format!("打开“{name}”") }</a>
        </div>
    }
}

fn home(state: &UseReducerHandle<AppState>) -> Html {
    let ontab = {
        let dispatcher = state.dispatcher();
        Callback::from(move |tab| dispatcher.dispatch(Action::Tab(tab)))
    };
    let onreenroll = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_| dispatcher.dispatch(Action::Reenroll))
    };
    let who = state.device.as_ref().map(|d| {
        html! {
            <p class="who">
                <span>{ d.person.clone() }</span>
                <span>{ d.role.name_zh() }</span>
                <span>{ d.scope_name.clone() }</span>
            </p>
        }
    });
    html! {
        <div class="home" data-testid="home">
            <header class="topbar">
                <h1>{ if WORKBENCH { "文明实践 · 工作台" } else { "文明实践" } }</h1>
                { for who }
            </header>
            { sync_strip(&SyncStripProps {
                online: state.online,
                pending: state.outbox.pending.len(),
                syncing: state.syncing,
                last_sync: state.last_sync,
            }) }
            if state.unauthorized {
                <div class="banner error" role="alert">
                    <p>{ "设备授权已失效，请重新注册。手机上的记录都还在，注册后会自动上传。" }</p>
                    <button class="secondary" onclick={onreenroll}>{ "重新注册" }</button>
                </div>
            }
            <main class="page">
                {
                    match state.tab {
                        Tab::CheckIn => html! { <CheckInPage /> },
                        Tab::Records => html! { <RecordsPage /> },
                        Tab::Filing if WORKBENCH => html! { <FilingPage /> },
                        Tab::Review if WORKBENCH => html! { <ReviewPage /> },
                        Tab::Orgs if WORKBENCH => html! { <OrgsPage /> },
                        #[cfg(feature = "work")]
                        Tab::Activity => html! { <ActivityPage /> },
                        #[cfg(feature = "work")]
                        Tab::PreReview => html! { <PreReviewPage /> },
                        #[cfg(feature = "work")]
                        Tab::Dashboard => html! { <DashboardPage /> },
                        #[cfg(feature = "work")]
                        Tab::Station => html! { <StationPage /> },
                        #[cfg(not(feature = "work"))]
                        Tab::Activity | Tab::PreReview | Tab::Dashboard | Tab::Station => Html::default(),
                        Tab::Signup if !WORKBENCH => html! { <SignupPage /> },
                        Tab::Me if !WORKBENCH => html! { <MePage /> },
                        Tab::Filing | Tab::Review | Tab::Orgs | Tab::Signup | Tab::Me => Html::default(),
                    }
                }
            </main>
            { tab_bar(&TabBarProps {
                active: state.tab,
                tabs: Tab::of(state.device.as_ref().map(|d| d.role)),
                onselect: ontab,
            }) }
        </div>
    }
}
