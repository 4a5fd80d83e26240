//! Volunteers (#5; seed 004 第六条, DOMAIN.md §3): registration (注册登记), check-in at a
//! station with a signed pass (签到/签退), service records (服务记录), activity publishing
//! and sign-up (活动发布/报名), the time bank and points (时间银行, 服务积分) with exchange
//! (兑换), and integrity records (诚信记载).
//!
//! The record bodies the phones and station admins push, the pure rules the server decides
//! by, and the read views are all here, so the phone and the server share them.

pub mod ledger;
pub mod pass;
pub mod registration;
pub mod service;
pub mod signup;
pub mod views;

pub use ledger::{Exchange, ExchangeItem, Ledger, PointsRule, Rounding};
pub use pass::{DistrictKey, Geofence, Position, StationPass};
pub use registration::{Registration, Volunteer};
pub use service::{HoursApproval, HoursRevocation, ServiceFlag, ServiceRules};
pub use signup::{NoShow, Signup, SignupStatus, VolunteerActivity};
