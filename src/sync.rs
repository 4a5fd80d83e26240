//! The sync engine: pushes the outbox and pulls reference data, the filings feed and the
//! pre-report feed, one cycle at a time.
//!
//! Invariants: at most one cycle runs in a tab (a trigger during a cycle runs one more
//! cycle after it); the engine never deletes an outbox entry the server has not answered
//! for (see `cycle`); after a 401 it stops until the device is enrolled again.
//!
//! Triggers: start-up, the window's `online` event, every save, the 立即同步 button, a
//! backoff timer after a failure, and a pull every minute while idle and online.

mod cycle;
#[cfg(feature = "work")]
mod filings;
pub mod gzip;
#[cfg(feature = "work")]
mod photos;
#[cfg(feature = "work")]
mod pre_reports;
#[cfg(not(feature = "work"))]
mod volunteers;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use chrono::{DateTime, Utc};
use gloo_events::EventListener;
use gloo_timers::callback::{Interval, Timeout};
use wenming_core::sync::Backoff;

use crate::browser;
use crate::store::{IdSet, OutboxView, RefData, Store};
use cycle::{Done, Failure};

/// How often reference data is pulled while nothing else happens.
const PULL_EVERY_MS: u32 = 60_000;

/// What the engine tells the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncEvent {
    Online(bool),
    Started,
    /// The records of the batch being pushed (empty once answered).
    InFlight(Rc<IdSet>),
    /// The outbox and rejects after a batch was settled.
    Outbox(Rc<OutboxView>),
    RefData(Rc<RefData>),
    /// The filings feed brought changes: every application on the phone now.
    Filings(Rc<Vec<crate::filing::AppView>>),
    /// The pre-report feed brought changes: every pre-report on the phone now.
    #[cfg(feature = "work")]
    PreReports(Vec<crate::activity::wire::PreView>),
    Finished {
        at: DateTime<Utc>,
        clock_offset_ms: Option<i64>,
    },
    /// The cycle stopped; it is tried again by itself.
    Failed(String),
    /// The device token was refused: the device must be enrolled again.
    Unauthorized,
}

/// A handle on the engine; clones share it.
#[derive(Clone)]
pub struct Sync(Rc<Engine>);

impl PartialEq for Sync {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

struct Engine {
    store: Store,
    notify: Box<dyn Fn(SyncEvent)>,
    running: Cell<bool>,
    again: Cell<bool>,
    halted: Cell<bool>,
    attempt: Cell<u32>,
    backoff: Backoff,
    retry: RefCell<Option<Timeout>>,
    listeners: RefCell<Vec<EventListener>>,
    interval: RefCell<Option<Interval>>,
}

impl Sync {
    /// Starts the engine: listens to the network, pulls periodically, and runs a first
    /// cycle now.
    pub fn start(store: Store, notify: impl Fn(SyncEvent) + 'static) -> Sync {
        let sync = Sync(Rc::new(Engine {
            store,
            notify: Box::new(notify),
            running: Cell::new(false),
            again: Cell::new(false),
            halted: Cell::new(false),
            attempt: Cell::new(0),
            backoff: Backoff::default(),
            retry: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            interval: RefCell::new(None),
        }));
        if let Some(window) = web_sys::window() {
            let weak = Rc::downgrade(&sync.0);
            let online = EventListener::new(&window, "online", move |_| {
                if let Some(sync) = upgrade(&weak) {
                    (sync.0.notify)(SyncEvent::Online(true));
                    sync.now();
                }
            });
            let weak = Rc::downgrade(&sync.0);
            let offline = EventListener::new(&window, "offline", move |_| {
                if let Some(sync) = upgrade(&weak) {
                    (sync.0.notify)(SyncEvent::Online(false));
                }
            });
            sync.0.listeners.replace(vec![online, offline]);
        }
        let weak = Rc::downgrade(&sync.0);
        let interval = Interval::new(PULL_EVERY_MS, move || {
            if let Some(sync) = upgrade(&weak) {
                let idle = !sync.0.running.get() && sync.0.retry.borrow().is_none();
                if idle && browser::is_online() {
                    sync.trigger();
                }
            }
        });
        sync.0.interval.replace(Some(interval));
        (sync.0.notify)(SyncEvent::Online(browser::is_online()));
        sync.trigger();
        sync
    }

    /// Runs a cycle soon: now if none is running, else right after the running one.
    pub fn trigger(&self) {
        let engine = &self.0;
        if engine.halted.get() {
            return;
        }
        if engine.running.get() {
            engine.again.set(true);
            return;
        }
        engine.running.set(true);
        engine.retry.replace(None);
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move { this.run().await });
    }

    /// Runs a cycle at once, forgetting any backoff: the network is back, or the user
    /// asked.
    pub fn now(&self) {
        self.0.attempt.set(0);
        self.trigger();
    }

    /// Lets the engine run again after the device was enrolled anew.
    pub fn resume(&self) {
        self.0.halted.set(false);
        self.now();
    }

    async fn run(&self) {
        let engine = &self.0;
        loop {
            engine.again.set(false);
            match cycle::run(&engine.store, &*engine.notify).await {
                Ok(Done::Synced | Done::NotEnrolled) => {
                    engine.attempt.set(0);
                    if !engine.again.get() {
                        break;
                    }
                }
                Err(Failure::Unauthorized) => {
                    engine.halted.set(true);
                    (engine.notify)(SyncEvent::Unauthorized);
                    break;
                }
                Err(Failure::Retry(message)) => {
                    (engine.notify)(SyncEvent::Failed(message));
                    self.schedule_retry();
                    break;
                }
            }
        }
        engine.running.set(false);
    }

    fn schedule_retry(&self) {
        let engine = &self.0;
        let attempt = engine.attempt.get();
        engine.attempt.set(attempt.saturating_add(1));
        let delay = engine.backoff.delay(attempt, browser::random_unit());
        let weak = Rc::downgrade(&self.0);
        let timer = Timeout::new(
            delay.as_millis().min(u128::from(u32::MAX)) as u32,
            move || {
                if let Some(sync) = upgrade(&weak) {
                    sync.0.retry.replace(None);
                    sync.trigger();
                }
            },
        );
        engine.retry.replace(Some(timer));
    }
}

fn upgrade(weak: &Weak<Engine>) -> Option<Sync> {
    weak.upgrade().map(Sync)
}

/// Pulls reference data now, outside the engine: right after enrollment, so that the
/// station picker is filled before the home screen shows. A failure is left to the engine.
pub async fn pull_reference_data(store: &Store, token: &str) -> Option<RefData> {
    cycle::pull_all(store, token, &|_| {}).await.ok()?;
    store.refdata().await.ok()
}
