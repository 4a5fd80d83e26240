//! Storage behind the district endpoint: one [`Store`] trait, so that a PostgreSQL backend
//! can stand beside the SQLite one without the HTTP layer knowing.

pub mod sqlite;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use wenming_core::activity::views::{
    ActivityDetail, ActivityList, ActivityStats, AttachedPhoto, NewSummaryPeriod, PeriodStatus,
    PreReportFeedItem, PreReportList, PreReportView, SummaryDetail, SummaryPeriod,
};
use wenming_core::activity::{ContentArea, PreReportState};
use wenming_core::filing::archive::{Archive, OrganizationList, OrganizationState};
use wenming_core::filing::feed::FeedItem;
use wenming_core::protocol::{Change, Outcome, Role};
use wenming_core::{DivisionCode, Envelope, Level, PersonName, Phone, RecordId, StationCode};

use crate::batch::VolunteerRules;
use crate::divisions::DivisionSet;
use crate::filings::Sight;
use crate::photos::{Chunk, Refusal};
use wenming_core::photo::{ImageType, PhotoHash, UploadStatus};
use wenming_core::volunteer::pass::Geofence;
use wenming_core::volunteer::views::{
    ActivitySignupList, ExchangeItemList, RegistrationOutcome, ServiceRecordView, SignupView,
    VolunteerAccount, VolunteerActivityList, VolunteerMatch,
};

/// A storage failure. None of these is the user's doing: the HTTP layer logs them and
/// answers 500.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database error")]
    Sqlx(#[from] sqlx::Error),
    #[error("database migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database folder {path}")]
    CreateDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A stored value that this build cannot read back: a bug, or a hand-edited database.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// Opens (creating it if needed) the SQLite database at `path` and runs the migrations.
pub async fn open(path: &Path) -> Result<Arc<dyn Store>, Error> {
    Ok(Arc::new(sqlite::SqliteStore::open(path).await?))
}

/// A division as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    pub code: DivisionCode,
    pub level: Level,
    pub name: String,
}

/// How many divisions an import saw, and how many changes it appended for the phones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub towns: usize,
    pub villages: usize,
    pub stations: usize,
    /// New or renamed towns, villages and stations; 0 when re-importing the same data.
    pub changes: usize,
}

/// A one-time enrollment code about to be stored; the code itself is never stored.
#[derive(Debug, Clone)]
pub struct NewEnrollment {
    pub code_hash: String,
    pub person: PersonName,
    pub role: Role,
    pub scope: DivisionCode,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// An enrolled phone: who it acts for, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: i64,
    pub person: String,
    pub role: Role,
    pub scope: DivisionCode,
}

/// What became of an attempt to use an enrollment code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redemption {
    Enrolled(Device),
    Unknown,
    AlreadyUsed,
    Expired,
}

/// One page of changes for a device.
#[derive(Debug, Clone, PartialEq)]
pub struct PullPage {
    pub changes: Vec<Change>,
    pub more: bool,
}

/// Which check-ins a ledger request asks for; `scope` is the asking device's.
#[derive(Debug, Clone)]
pub struct LedgerQuery {
    pub scope: DivisionCode,
    pub station: Option<StationCode>,
    pub limit: u32,
    pub offset: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    pub id: RecordId,
    pub station: StationCode,
    pub station_name: String,
    pub volunteer_name: String,
    pub phone: Phone,
    pub checked_in_at: DateTime<Utc>,
    pub checked_out_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerPage {
    /// All matching check-ins, not only this page's.
    pub total: u64,
    pub rows: Vec<LedgerRow>,
}

/// The clocks and settings a push decides by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushContext {
    /// Real time: when the records arrived.
    pub received_at: DateTime<Utc>,
    /// The filing clock (real time plus the test offset): trail times and notice periods.
    pub filing_now: DateTime<Utc>,
    /// How long a public notice lasts, in days.
    pub notice_days: i64,
    /// Visits, points and passes (#5).
    pub volunteer_rules: VolunteerRules,
}

/// A station as the volunteer reads need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Station {
    pub code: StationCode,
    pub name: String,
    pub geofence: Option<Geofence>,
}

/// A volunteer's account, with the facts that decide who may read it.
#[derive(Debug, Clone, PartialEq)]
pub struct VolunteerFile {
    pub account: VolunteerAccount,
    /// The village of the device that sent the first registration.
    pub village: DivisionCode,
    /// The devices that sent a registration of this volunteer.
    pub devices: Vec<i64>,
}

/// One page of the filings feed for a device.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    pub more: bool,
}

/// Which organizations a list request asks for; `sight` is the asking device's.
#[derive(Debug, Clone)]
pub struct OrganizationQuery {
    pub sight: Sight,
    pub state: Option<OrganizationState>,
    pub village: Option<DivisionCode>,
    pub limit: u32,
    pub offset: u32,
}

/// Which activities a list or a chart asks for; `scope` is the asking device's, and the
/// filters only narrow it. Days are Beijing dates, both ends included.
#[derive(Debug, Clone)]
pub struct ActivityQuery {
    pub scope: DivisionCode,
    pub town: Option<DivisionCode>,
    pub village: Option<DivisionCode>,
    pub station: Option<StationCode>,
    pub area: Option<ContentArea>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: u32,
    pub offset: u32,
}

/// Which pre-reports a list asks for; `scope` is the asking device's.
#[derive(Debug, Clone)]
pub struct PreReportQuery {
    pub scope: DivisionCode,
    pub state: Option<PreReportState>,
    pub station: Option<StationCode>,
    pub limit: u32,
    pub offset: u32,
}

/// One page of the pre-report feed for a device.
#[derive(Debug, Clone, PartialEq)]
pub struct PreReportPage {
    pub items: Vec<PreReportFeedItem>,
    pub more: bool,
}

/// A whole photo, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub mime: ImageType,
    pub bytes: Vec<u8>,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Upserts the district, its towns and villages and a station per village, appending a
    /// change for each new or renamed one, all in one transaction.
    async fn import_divisions(
        &self,
        set: &DivisionSet,
        now: DateTime<Utc>,
    ) -> Result<ImportReport, Error>;

    async fn division(&self, code: &DivisionCode) -> Result<Option<Division>, Error>;

    async fn create_enrollment(&self, enrollment: &NewEnrollment) -> Result<(), Error>;

    /// Uses the code (at most once, however many try at the same time) and creates the
    /// device holding `token_hash`.
    async fn redeem_enrollment(
        &self,
        code_hash: &str,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Redemption, Error>;

    async fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>, Error>;

    /// Applies a batch in one transaction, in order, idempotently: one outcome per record.
    async fn push(
        &self,
        device: &Device,
        records: &[Envelope],
        ctx: PushContext,
    ) -> Result<Vec<Outcome>, Error>;

    /// Changes after `cursor` that the scope may see, at most `limit`.
    async fn pull(&self, scope: &DivisionCode, cursor: u64, limit: u32) -> Result<PullPage, Error>;

    async fn checkins(&self, query: &LedgerQuery) -> Result<LedgerPage, Error>;

    /// How far the filing clock is ahead of real time (zero but in test deployments).
    async fn clock_offset(&self) -> Result<Duration, Error>;

    /// Moves the filing clock forward by `by`; returns the new offset.
    async fn advance_clock(&self, by: Duration) -> Result<Duration, Error>;

    /// Ends every public notice whose period has passed by `now`, in one transaction:
    /// certificates for first filings (numbered from the district's yearly sequence), the
    /// new facts on file for change filings, deregistration for terminations. Returns how
    /// many ended.
    async fn end_notices(&self, now: DateTime<Utc>) -> Result<usize, Error>;

    /// Applications changed after `cursor` that `sight` may see, each once in its latest
    /// form, in the order of their latest change, at most `limit`.
    async fn filing_feed(&self, sight: &Sight, cursor: u64, limit: u32) -> Result<FeedPage, Error>;

    async fn organizations(&self, query: &OrganizationQuery) -> Result<OrganizationList, Error>;

    /// The archive of an organization `sight` may see; `None` when it does not exist or
    /// may not be seen, which the caller must not tell apart.
    async fn archive(
        &self,
        sight: &Sight,
        id: &RecordId,
        now: DateTime<Utc>,
    ) -> Result<Option<Archive>, Error>;

    // --- Activities (#4) -------------------------------------------------------------

    /// Activity reports inside `query.scope` matching its filters, newest first.
    async fn activities(&self, query: &ActivityQuery) -> Result<ActivityList, Error>;

    /// One activity report inside `scope`, with its photos, its pre-report and its flags;
    /// `None` when it does not exist or lies outside, which the caller must not tell apart.
    async fn activity(
        &self,
        scope: &DivisionCode,
        id: &RecordId,
    ) -> Result<Option<ActivityDetail>, Error>;

    /// Activities and participants by content area and Beijing month, for a chart; the
    /// query's paging is ignored.
    async fn activity_stats(&self, query: &ActivityQuery) -> Result<ActivityStats, Error>;

    /// The photos each activity names, in its order, each with whether its bytes have
    /// arrived: the one place that knows where photo bytes are kept.
    async fn activity_photos(
        &self,
        activities: &[RecordId],
    ) -> Result<HashMap<RecordId, Vec<AttachedPhoto>>, Error>;

    /// Pre-reports of stations inside `scope` submitted or answered after `cursor`, each
    /// once in its latest form, in the order of their latest step, at most `limit`.
    async fn pre_report_feed(
        &self,
        scope: &DivisionCode,
        cursor: u64,
        limit: u32,
    ) -> Result<PreReportPage, Error>;

    /// Pre-reports inside `query.scope`, soonest activity first.
    async fn pre_reports(&self, query: &PreReportQuery) -> Result<PreReportList, Error>;

    async fn pre_report(
        &self,
        scope: &DivisionCode,
        id: &RecordId,
    ) -> Result<Option<PreReportView>, Error>;

    /// Stores a summary period the district set (the caller has checked it).
    async fn create_summary_period(
        &self,
        id: RecordId,
        period: &NewSummaryPeriod,
        created_by: &str,
        now: DateTime<Utc>,
    ) -> Result<SummaryPeriod, Error>;

    /// Every summary period, newest first.
    async fn summary_periods(&self) -> Result<Vec<SummaryPeriod>, Error>;

    /// Every station inside `scope`, and every organization inside it that reported, with
    /// where it stands at `now`; `None` when the period does not exist.
    async fn summary_status(
        &self,
        scope: &DivisionCode,
        period: &RecordId,
        now: DateTime<Utc>,
    ) -> Result<Option<PeriodStatus>, Error>;

    /// A summary reported inside `scope`, with the figures the district's own activity
    /// reports give; `None` when it does not exist or lies outside.
    async fn summary_report(
        &self,
        scope: &DivisionCode,
        id: &RecordId,
    ) -> Result<Option<SummaryDetail>, Error>;

    // --- Photos ------------------------------------------------------------------------

    /// Where the upload of `hash` stands: complete, part received, or not begun.
    async fn photo_upload(&self, hash: &PhotoHash) -> Result<UploadStatus, Error>;

    /// Stores one chunk of an upload by `device` in one transaction (see
    /// [`crate::photos::plan`]); the last chunk stores the checked photo and drops the
    /// chunks in the same transaction. A photo already complete stores nothing. A refused
    /// last chunk drops the whole upload, so the next try starts over.
    async fn put_photo_chunk(
        &self,
        device: &Device,
        chunk: &Chunk<'_>,
        now: DateTime<Utc>,
    ) -> Result<Result<UploadStatus, Refusal>, Error>;

    async fn photo(&self, hash: &PhotoHash) -> Result<Option<Photo>, Error>;
    // Volunteers (#5), in `db/sqlite/volunteers.rs`.

    /// The district's Ed25519 secret key: the stored one, or `fresh` stored now if there
    /// is none yet (of two callers at once, both get the one stored first).
    async fn district_secret(&self, fresh: [u8; 32]) -> Result<[u8; 32], Error>;

    async fn station(&self, code: &StationCode) -> Result<Option<Station>, Error>;

    /// Sets or clears a station's geofence; `false` if there is no such station.
    async fn set_geofence(
        &self,
        code: &StationCode,
        geofence: Option<Geofence>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, Error>;

    /// What became of the registrations a device sent, newest first.
    async fn registrations_of_device(&self, device: i64)
        -> Result<Vec<RegistrationOutcome>, Error>;

    /// The sign-ups a device sent, newest first, with their outcomes.
    async fn signups_of_device(&self, device: i64) -> Result<Vec<SignupView>, Error>;

    /// A volunteer's whole account as of `now`.
    async fn volunteer_file(
        &self,
        id: &RecordId,
        now: DateTime<Utc>,
        rules: &VolunteerRules,
    ) -> Result<Option<VolunteerFile>, Error>;

    /// Published activities not over by `now`, soonest first, optionally of one station.
    async fn volunteer_activities(
        &self,
        now: DateTime<Utc>,
        station: Option<&StationCode>,
    ) -> Result<VolunteerActivityList, Error>;

    /// Items on offer at the stations inside `scope` (or at one station).
    async fn exchange_items(
        &self,
        scope: &DivisionCode,
        station: Option<&StationCode>,
    ) -> Result<ExchangeItemList, Error>;

    /// The sign-ups of a published activity in order of receipt, with its station; `None`
    /// if there is no such activity.
    async fn activity_signups(
        &self,
        activity: &RecordId,
    ) -> Result<Option<(StationCode, ActivitySignupList)>, Error>;

    /// The volunteer of a mobile number, with the village of the device that first
    /// registered them.
    async fn volunteer_by_phone(
        &self,
        phone: &Phone,
    ) -> Result<Option<(VolunteerMatch, DivisionCode)>, Error>;

    /// Visits at stations inside `scope` not yet reviewed and no longer open at `now`,
    /// oldest first, at most `limit`.
    async fn pending_hours(
        &self,
        scope: &DivisionCode,
        now: DateTime<Utc>,
        rules: &VolunteerRules,
        limit: u32,
    ) -> Result<Vec<ServiceRecordView>, Error>;
}
