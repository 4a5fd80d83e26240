//! The sync protocol, version 1: what the phone and the district endpoint say to each other.
//!
//! Every type here is on the wire. Their JSON form is frozen by the golden files under
//! `crates/core/tests/golden/`; changing it must be a deliberate act (`UPDATE_GOLDEN=1`).

use std::fmt;

use chrono::{DateTime, Timelike, Utc};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use uuid::Uuid;

use crate::division::{DivisionCode, StationCode};

/// Where the API lives on the district endpoint.
pub const API_BASE: &str = "/api/v1";
/// The most records one push may carry; more is answered 413.
pub const MAX_BATCH_RECORDS: usize = 5_000;
/// The most bytes a push body may have once decompressed; more is answered 413.
pub const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;
/// How many records the phone puts in one push: few requests, bounded memory.
pub const PUSH_BATCH_RECORDS: usize = 2_000;
/// The largest page of changes a pull returns, and the default.
pub const MAX_PULL_PAGE: u32 = 1_000;
pub const DEFAULT_PULL_PAGE: u32 = 500;

/// The identity of a record, made on the phone when the record is first saved: a UUIDv7,
/// so ids sort by creation time and never collide between devices.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "Uuid", into = "Uuid")]
pub struct RecordId(Uuid);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("记录编号应为 UUIDv7")]
pub struct NotV7;

impl RecordId {
    /// Builds an id from the creation time and 10 random bytes (the caller's randomness).
    pub fn new(unix_ms: u64, random: [u8; 10]) -> Self {
        RecordId(uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid())
    }

    pub fn parse(s: &str) -> Result<Self, NotV7> {
        Uuid::parse_str(s).map_err(|_| NotV7)?.try_into()
    }

    pub fn as_uuid(&self) -> &Uuid {
        &self.0
    }

    /// Milliseconds since the Unix epoch at which the id was made.
    pub fn unix_ms(&self) -> u64 {
        let b = self.0.as_bytes();
        u64::from_be_bytes([0, 0, b[0], b[1], b[2], b[3], b[4], b[5]])
    }
}

/// Makes the ids of one device: UUIDv7 with a counter in the 12 `rand_a` bits (RFC 9562,
/// method 1). Ids made by one device are strictly increasing even within a millisecond or
/// when the clock steps back, and the counter, mostly zero, compresses to almost nothing,
/// which keeps a pushed check-in small; the 62 random bits of `rand_b` keep ids of
/// different devices apart.
#[derive(Debug, Clone, Default)]
pub struct IdGenerator {
    last_ms: u64,
    counter: u16,
}

impl IdGenerator {
    const MAX_COUNTER: u16 = 0x0FFF;

    /// The next id at `unix_ms`, with the caller's 8 random bytes.
    pub fn next(&mut self, unix_ms: u64, random: [u8; 8]) -> RecordId {
        if unix_ms > self.last_ms {
            self.last_ms = unix_ms;
            self.counter = 0;
        } else if self.counter < Self::MAX_COUNTER {
            self.counter += 1;
        } else {
            self.last_ms += 1;
            self.counter = 0;
        }
        let [c0, c1] = self.counter.to_be_bytes();
        let [r0, r1, r2, r3, r4, r5, r6, r7] = random;
        RecordId::new(self.last_ms, [c0, c1, r0, r1, r2, r3, r4, r5, r6, r7])
    }
}

impl TryFrom<Uuid> for RecordId {
    type Error = NotV7;
    fn try_from(u: Uuid) -> Result<Self, NotV7> {
        if u.get_version_num() == 7 {
            Ok(RecordId(u))
        } else {
            Err(NotV7)
        }
    }
}

impl From<RecordId> for Uuid {
    fn from(id: RecordId) -> Uuid {
        id.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({})", self.0)
    }
}

/// What a record is. A kind this build does not know (sent by a newer phone) parses as
/// `Unknown`, so that one record is rejected and not the whole batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A volunteer arrives at a station (签到).
    CheckIn,
    /// The same volunteer leaves (签退); refers to its check-in.
    CheckOut,
    /// A version of a filing application sent for review (备案, 变更备案, 终止).
    FilingSubmit,
    /// A reviewer's decision on a version.
    FilingDecision,
    /// An activity at a station (活动报告).
    ActivityReport,
    /// A major activity announced to the street/town beforehand (重大活动报告).
    PreReport,
    /// The street/town's answer to a pre-report (同意 / 不同意).
    PreReportDecision,
    /// A station's or an organization's summary for a period (总结报告).
    SummaryReport,
    /// A volunteer registers (注册登记); merged by mobile number on the server.
    Registration,
    /// A station or the district publishes a volunteer activity (活动发布).
    VolunteerActivity,
    /// A volunteer signs up for a published activity (报名).
    Signup,
    /// A station admin records that a signed-up volunteer did not come.
    NoShow,
    /// A station admin approves the hours of a service record.
    HoursApproval,
    /// A station admin revokes the hours of a service record, with a reason.
    HoursRevocation,
    /// A station offers an item for points, with its stock.
    ExchangeItem,
    /// A volunteer's points are exchanged for an item (兑换).
    Exchange,
    #[serde(other)]
    Unknown,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CheckIn => "check_in",
            Kind::CheckOut => "check_out",
            Kind::FilingSubmit => "filing_submit",
            Kind::FilingDecision => "filing_decision",
            Kind::ActivityReport => "activity_report",
            Kind::PreReport => "pre_report",
            Kind::PreReportDecision => "pre_report_decision",
            Kind::SummaryReport => "summary_report",
            Kind::Registration => "registration",
            Kind::VolunteerActivity => "volunteer_activity",
            Kind::Signup => "signup",
            Kind::NoShow => "no_show",
            Kind::HoursApproval => "hours_approval",
            Kind::HoursRevocation => "hours_revocation",
            Kind::ExchangeItem => "exchange_item",
            Kind::Exchange => "exchange",
            Kind::Unknown => "unknown",
        }
    }
}

/// A record body that travels in an envelope.
pub trait RecordBody: Serialize + DeserializeOwned {
    const KIND: Kind;
    /// The schema version this build writes and reads.
    const SCHEMA_VERSION: u16;
}

/// One record as it travels: its identity and metadata, and its body as JSON.
///
/// The body stays JSON here so that the server can answer a body it cannot read with a
/// per-record rejection instead of refusing the whole batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub id: RecordId,
    pub kind: Kind,
    pub schema_version: u16,
    /// The phone's clock when the record was made; for check-ins, the moment of the event.
    pub device_time: DateTime<Utc>,
    pub body: serde_json::Value,
}

/// Why the server refused one record of a batch; the text is shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("不支持的记录类型，请更新应用")]
    UnknownKind,
    #[error("记录格式版本 {0} 不受支持，请更新应用")]
    UnsupportedSchema(u16),
    #[error("记录内容有误：{0}")]
    InvalidBody(String),
    #[error("{0}")]
    Refused(String),
}

impl Envelope {
    /// Wraps a body. `device_time` is kept to the whole second: the id already carries the
    /// millisecond, and every digit costs bytes on a rural network.
    pub fn wrap<B: RecordBody>(id: RecordId, device_time: DateTime<Utc>, body: &B) -> Self {
        Envelope {
            id,
            kind: B::KIND,
            schema_version: B::SCHEMA_VERSION,
            device_time: device_time.with_nanosecond(0).unwrap_or(device_time),
            // A body is plain data (strings, numbers, nested structs): it always serializes.
            body: serde_json::to_value(body).unwrap_or(serde_json::Value::Null),
        }
    }

    /// Reads the body as `B`, checking kind and schema version; every field is validated
    /// by the body's own types.
    pub fn open<B: RecordBody>(&self) -> Result<B, Rejection> {
        if self.kind != B::KIND {
            return Err(Rejection::UnknownKind);
        }
        if self.schema_version != B::SCHEMA_VERSION {
            return Err(Rejection::UnsupportedSchema(self.schema_version));
        }
        B::deserialize(&self.body).map_err(|e| Rejection::InvalidBody(e.to_string()))
    }
}

/// `POST /api/v1/push`: records from the phone's outbox, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub records: Vec<Envelope>,
}

/// The answer to a push: one result per record, in the order sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
    pub server_time: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    pub id: RecordId,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored now.
    Accepted,
    /// Stored before (an earlier push whose answer was lost, or another tab): not stored again.
    Duplicate,
    /// Not stored; the phone keeps the record and shows the reason.
    Rejected { reason: String },
}

/// `GET /api/v1/pull?cursor=N&limit=M`: reference data and server-side changes after the
/// cursor, in the order the server made them. The cursor is the server's, never a clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// Pass this back as `cursor` for the next page.
    pub next_cursor: u64,
    /// Whether more changes wait after this page.
    pub more: bool,
    pub server_time: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub seq: u64,
    #[serde(flatten)]
    pub item: RefItem,
}

/// Reference data the phone keeps for offline use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "entity", rename_all = "snake_case")]
pub enum RefItem {
    Town {
        code: DivisionCode,
        name: String,
    },
    Village {
        code: DivisionCode,
        name: String,
        town: DivisionCode,
    },
    Station {
        code: StationCode,
        name: String,
        village: DivisionCode,
        town: DivisionCode,
    },
}

/// The roles a device can be enrolled with; each acts within a scope of one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A volunteer, or a station's shared phone: check-ins at stations.
    Volunteer,
    /// A station's administrator.
    StationAdmin,
    /// The leader or sponsor of a community social organization: files it (备案).
    OrgLeader,
    /// The residents'/villagers' committee: preliminary review.
    VillageReviewer,
    /// The street office / town government: review and approval.
    TownReviewer,
    /// The district civil-affairs bureau and civilization office: ledgers and dashboards.
    DistrictAdmin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Volunteer,
        Role::StationAdmin,
        Role::OrgLeader,
        Role::VillageReviewer,
        Role::TownReviewer,
        Role::DistrictAdmin,
    ];

    pub fn scope_level(self) -> crate::division::Level {
        use crate::division::Level;
        match self {
            Role::Volunteer | Role::StationAdmin | Role::OrgLeader | Role::VillageReviewer => {
                Level::Village
            }
            Role::TownReviewer => Level::Town,
            Role::DistrictAdmin => Level::District,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Volunteer => "volunteer",
            Role::StationAdmin => "station_admin",
            Role::OrgLeader => "org_leader",
            Role::VillageReviewer => "village_reviewer",
            Role::TownReviewer => "town_reviewer",
            Role::DistrictAdmin => "district_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Volunteer => "志愿者",
            Role::StationAdmin => "实践站管理员",
            Role::OrgLeader => "社区社会组织负责人",
            Role::VillageReviewer => "村（社区）初审",
            Role::TownReviewer => "街道/乡镇审核",
            Role::DistrictAdmin => "区级管理",
        }
    }
}

/// `POST /api/v1/enroll` (no token needed): trade a one-time enrollment code for a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    /// The bearer token for every later call; the server keeps only its hash.
    pub token: String,
    pub device: DeviceInfo,
    /// The district's public key, with which the phone verifies station passes offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district_key: Option<crate::volunteer::pass::DistrictKey>,
}

/// Who a device acts for; `GET /api/v1/me` answers it too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub person: String,
    pub role: Role,
    pub scope: DivisionCode,
    pub scope_name: String,
    pub district: DivisionCode,
    pub district_name: String,
}

/// The body of every 4xx and 5xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable machine-readable code, such as `unauthorized` or `malformed_batch`.
    pub error: String,
    /// What went wrong, in Chinese, for the user.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_are_v7_and_carry_their_time() {
        let id = RecordId::new(1_763_779_200_123, [7; 10]);
        assert_eq!(id.as_uuid().get_version_num(), 7);
        assert_eq!(id.unix_ms(), 1_763_779_200_123);
        assert_eq!(RecordId::parse(&id.to_string()), Ok(id));
    }

    #[test]
    fn ids_of_other_uuid_versions_are_rejected() {
        assert_eq!(
            RecordId::parse("67e55044-10b1-426f-9247-bb680e5fe0c8"),
            Err(NotV7)
        );
        assert_eq!(RecordId::parse("not-a-uuid"), Err(NotV7));
    }

    #[test]
    fn ids_sort_by_creation_time() {
        let a = RecordId::new(1_000, [255; 10]);
        let b = RecordId::new(1_001, [0; 10]);
        assert!(a < b);
    }

    #[test]
    fn a_device_makes_increasing_ids_even_when_its_clock_steps_back() {
        let mut ids = IdGenerator::default();
        let a = ids.next(5_000, [9; 8]);
        let b = ids.next(5_000, [1; 8]);
        let c = ids.next(4_000, [0; 8]);
        let d = ids.next(6_000, [0; 8]);
        assert!(a < b && b < c && c < d, "{a} {b} {c} {d}");
        assert_eq!(c.unix_ms(), 5_000);
        assert_eq!(d.unix_ms(), 6_000);
        assert!([a, b, c, d]
            .iter()
            .all(|id| id.as_uuid().get_version_num() == 7));
    }

    #[test]
    fn a_full_counter_moves_on_to_the_next_millisecond() {
        let mut ids = IdGenerator::default();
        let mut last = ids.next(1, [0; 8]);
        for _ in 0..=IdGenerator::MAX_COUNTER {
            let id = ids.next(1, [0; 8]);
            assert!(id > last);
            last = id;
        }
        assert_eq!(last.unix_ms(), 2);
    }

    #[test]
    fn an_unknown_kind_parses_so_only_that_record_is_refused() {
        let k: Kind = serde_json::from_str("\"time_bank_exchange\"").unwrap();
        assert_eq!(k, Kind::Unknown);
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
