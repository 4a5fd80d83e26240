//! The time bank (时间银行) and service points (服务积分): an append-only ledger per
//! volunteer, the district's points rule, exchange items with stock, and the records that
//! spend points (兑换). Integrity records (诚信记载) are listed here too: they are the
//! other half of a volunteer's account.
//!
//! [`Ledger::apply`] is the one gate every entry passes, on the server: it refuses an
//! entry that would make the balance negative, an entry id seen before (so an exchange
//! submitted twice counts once), a second earning for one service record, and reversals
//! that take back more than the entry they reverse. Corrections are only ever reversing
//! entries; nothing is edited or deleted.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::division::StationCode;
use crate::person::Phone;
use crate::protocol::{Kind, RecordBody, RecordId};

/// How points are rounded from hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    Down,
    Nearest,
    Up,
}

impl Rounding {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "down" => Some(Rounding::Down),
            "nearest" => Some(Rounding::Nearest),
            "up" => Some(Rounding::Up),
            _ => None,
        }
    }
}

/// The district's rule: points per hour of approved service, and how fractions round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsRule {
    pub points_per_hour: u32,
    pub rounding: Rounding,
}

impl Default for PointsRule {
    fn default() -> Self {
        PointsRule {
            points_per_hour: 10,
            rounding: Rounding::Down,
        }
    }
}

impl PointsRule {
    /// The points `minutes` of service earn.
    pub fn points(&self, minutes: u32) -> i64 {
        let numerator = i64::from(minutes) * i64::from(self.points_per_hour);
        match self.rounding {
            Rounding::Down => numerator / 60,
            Rounding::Nearest => (numerator + 30) / 60,
            Rounding::Up => (numerator + 59) / 60,
        }
    }
}

/// Why an entry moves points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cause {
    /// Approved hours of a service record (the entry's id is the approval's).
    Earn {
        service_record: RecordId,
        minutes: u32,
    },
    /// Points spent on an item (the entry's id is the exchange's).
    Exchange { item: RecordId, quantity: u32 },
    /// Takes back (part of) an earlier entry, which is never changed itself.
    Reversal { of: RecordId, reason: String },
}

/// One entry of a volunteer's ledger: signed points, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The record that made it: an approval, an exchange, a revocation.
    pub id: RecordId,
    pub points: i64,
    pub cause: Cause,
}

/// Why an entry was refused; the texts are shown to the user as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("积分余额不足：现有 {balance} 分，需要 {needed} 分")]
    Insufficient { balance: i64, needed: i64 },
    #[error("这条记录已经记过账")]
    AlreadyCounted,
    #[error("该服务记录的积分已经发放")]
    AlreadyEarned,
    #[error("找不到要冲正的记账")]
    NoSuchEntry,
    #[error("冲正记录不能再冲正")]
    ReversalOfReversal,
    #[error("冲正的积分超过原记账")]
    ReversalTooLarge,
    #[error("记账的积分方向不对")]
    WrongSign,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Booked {
    points: i64,
    /// How much of it reversals took back so far (same sign as `points`).
    reversed: i64,
    is_reversal: bool,
}

/// A volunteer's ledger as its entries made it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    balance: i64,
    entries: HashMap<RecordId, Booked>,
    earned: HashSet<RecordId>,
}

impl Ledger {
    /// The ledger of stored entries, in the order they were booked.
    pub fn from_entries<'a>(
        entries: impl IntoIterator<Item = &'a Entry>,
    ) -> Result<Self, (RecordId, LedgerError)> {
        let mut l = Ledger::default();
        for e in entries {
            l.apply(e).map_err(|err| (e.id, err))?;
        }
        Ok(l)
    }

    pub fn balance(&self) -> i64 {
        self.balance
    }

    /// Whether an entry with this id was booked.
    pub fn contains(&self, id: &RecordId) -> bool {
        self.entries.contains_key(id)
    }

    /// What a reversal of `id` may still take back (signed like the entry).
    pub fn reversible(&self, id: &RecordId) -> Option<i64> {
        self.entries
            .get(id)
            .filter(|b| !b.is_reversal)
            .map(|b| b.points - b.reversed)
    }

    /// Books `e`, or refuses it and changes nothing.
    pub fn apply(&mut self, e: &Entry) -> Result<(), LedgerError> {
        if self.entries.contains_key(&e.id) {
            return Err(LedgerError::AlreadyCounted);
        }
        let mut reverses = None;
        match &e.cause {
            Cause::Earn { service_record, .. } => {
                if e.points < 0 {
                    return Err(LedgerError::WrongSign);
                }
                if self.earned.contains(service_record) {
                    return Err(LedgerError::AlreadyEarned);
                }
            }
            Cause::Exchange { .. } => {
                if e.points > 0 {
                    return Err(LedgerError::WrongSign);
                }
            }
            Cause::Reversal { of, .. } => {
                let target = self.entries.get(of).ok_or(LedgerError::NoSuchEntry)?;
                if target.is_reversal {
                    return Err(LedgerError::ReversalOfReversal);
                }
                let left = target.points - target.reversed;
                // A reversal has the opposite sign and takes back at most what is left.
                if e.points == 0 || e.points.signum() == target.points.signum() {
                    return Err(LedgerError::WrongSign);
                }
                if e.points.abs() > left.abs() {
                    return Err(LedgerError::ReversalTooLarge);
                }
                reverses = Some(*of);
            }
        }
        let balance = self.balance + e.points;
        if balance < 0 {
            return Err(LedgerError::Insufficient {
                balance: self.balance,
                needed: -e.points,
            });
        }
        self.balance = balance;
        if let Some(of) = reverses {
            if let Some(target) = self.entries.get_mut(&of) {
                target.reversed -= e.points;
            }
        }
        if let Cause::Earn { service_record, .. } = &e.cause {
            self.earned.insert(*service_record);
        }
        self.entries.insert(
            e.id,
            Booked {
                points: e.points,
                reversed: 0,
                is_reversal: reverses.is_some(),
            },
        );
        Ok(())
    }

    /// The reversal that revoking the earning `of` books: all of it if the balance allows,
    /// else as much as the balance holds (points already spent stay spent; the revocation
    /// itself is on the integrity record either way). `None` if nothing is left to take.
    pub fn revocation(&self, id: RecordId, of: RecordId, reason: &str) -> Option<Entry> {
        let left = self.reversible(&of)?;
        let take = left.min(self.balance);
        (take > 0).then(|| Entry {
            id,
            points: -take,
            cause: Cause::Reversal {
                of,
                reason: reason.to_owned(),
            },
        })
    }
}

/// An item a station offers for points, with the stock it has; its id is the record's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeItem {
    pub station: StationCode,
    pub name: String,
    /// The price of one, in points.
    pub points: u32,
    pub stock: u32,
}

impl RecordBody for ExchangeItem {
    const KIND: Kind = Kind::ExchangeItem;
    const SCHEMA_VERSION: u16 = 1;
}

impl ExchangeItem {
    pub fn check(&self) -> Result<(), String> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 30 {
            return Err("物品名称应为 1 至 30 个字".to_owned());
        }
        if self.points == 0 {
            return Err("兑换所需积分应大于 0".to_owned());
        }
        Ok(())
    }
}

/// A volunteer's points spent on an item, at the station that offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    pub item: RecordId,
    pub phone: Phone,
    pub quantity: u32,
}

impl RecordBody for Exchange {
    const KIND: Kind = Kind::Exchange;
    const SCHEMA_VERSION: u16 = 1;
}

/// The entry an exchange books, or why it cannot: no quantity, not enough stock.
pub fn exchange_entry(
    id: RecordId,
    exchange: &Exchange,
    price: u32,
    stock: u32,
) -> Result<Entry, String> {
    if exchange.quantity == 0 {
        return Err("兑换数量应大于 0".to_owned());
    }
    if exchange.quantity > stock {
        return Err(format!("库存不足：仅剩 {stock} 件"));
    }
    Ok(Entry {
        id,
        points: -(i64::from(price) * i64::from(exchange.quantity)),
        cause: Cause::Exchange {
            item: exchange.item,
            quantity: exchange.quantity,
        },
    })
}

/// What an integrity record (诚信记载) is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntegrityKind {
    /// Signed up and did not come (爽约).
    NoShow,
    /// Hours revoked by the station (撤销时长).
    RevokedHours,
}

impl IntegrityKind {
    pub fn name_zh(self) -> &'static str {
        match self {
            IntegrityKind::NoShow => "报名未到",
            IntegrityKind::RevokedHours => "撤销服务时长",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(n: u64) -> RecordId {
        RecordId::new(1_763_802_000_000 + n, [n as u8; 10])
    }

    fn earn(n: u64, record: u64, points: i64) -> Entry {
        Entry {
            id: id(n),
            points,
            cause: Cause::Earn {
                service_record: id(10_000 + record),
                minutes: 60,
            },
        }
    }

    fn spend(n: u64, points: i64) -> Entry {
        Entry {
            id: id(n),
            points: -points,
            cause: Cause::Exchange {
                item: id(20_000),
                quantity: 1,
            },
        }
    }

    fn reverse(n: u64, of: u64, points: i64) -> Entry {
        Entry {
            id: id(n),
            points,
            cause: Cause::Reversal {
                of: id(of),
                reason: "核实未到岗".into(),
            },
        }
    }

    #[test]
    fn the_rule_turns_minutes_into_points_with_its_rounding() {
        let rule = |rounding| PointsRule {
            points_per_hour: 10,
            rounding,
        };
        assert_eq!(rule(Rounding::Down).points(95), 15);
        assert_eq!(rule(Rounding::Nearest).points(95), 16);
        assert_eq!(rule(Rounding::Up).points(91), 16);
        assert_eq!(rule(Rounding::Up).points(90), 15);
        assert_eq!(rule(Rounding::Down).points(0), 0);
    }

    #[test]
    fn spending_more_than_the_balance_is_refused_and_changes_nothing() {
        let mut l = Ledger::default();
        l.apply(&earn(1, 1, 30)).unwrap();
        let before = l.clone();
        assert_eq!(
            l.apply(&spend(2, 31)),
            Err(LedgerError::Insufficient {
                balance: 30,
                needed: 31
            })
        );
        assert_eq!(l, before);
        assert_eq!(
            LedgerError::Insufficient {
                balance: 30,
                needed: 31
            }
            .to_string(),
            "积分余额不足：现有 30 分，需要 31 分"
        );
        l.apply(&spend(2, 30)).unwrap();
        assert_eq!(l.balance(), 0);
    }

    #[test]
    fn an_exchange_or_an_earning_counts_once() {
        let mut l = Ledger::default();
        l.apply(&earn(1, 1, 30)).unwrap();
        assert_eq!(l.apply(&earn(1, 1, 30)), Err(LedgerError::AlreadyCounted));
        assert_eq!(l.apply(&earn(2, 1, 30)), Err(LedgerError::AlreadyEarned));
        l.apply(&spend(3, 10)).unwrap();
        assert_eq!(l.apply(&spend(3, 10)), Err(LedgerError::AlreadyCounted));
        assert_eq!(l.balance(), 20);
    }

    #[test]
    fn reversals_take_back_at_most_what_is_left_and_are_final() {
        let mut l = Ledger::default();
        l.apply(&earn(1, 1, 30)).unwrap();
        l.apply(&spend(2, 25)).unwrap();
        // Revoking the hours can take back only the 5 points not yet spent.
        let r = l.revocation(id(3), id(1), "核实未到岗").unwrap();
        assert_eq!(r.points, -5);
        l.apply(&r).unwrap();
        assert_eq!(l.balance(), 0);
        assert_eq!(l.reversible(&id(1)), Some(25));
        assert_eq!(l.revocation(id(4), id(1), "x"), None);
        assert_eq!(
            l.apply(&reverse(5, 3, 5)),
            Err(LedgerError::ReversalOfReversal)
        );
        assert_eq!(l.apply(&reverse(5, 9, -1)), Err(LedgerError::NoSuchEntry));
        // Refunding the exchange gives the points back, once.
        l.apply(&reverse(6, 2, 25)).unwrap();
        assert_eq!(
            l.apply(&reverse(7, 2, 1)),
            Err(LedgerError::ReversalTooLarge)
        );
        assert_eq!(l.balance(), 25);
    }

    #[test]
    fn an_exchange_is_priced_and_limited_by_stock() {
        let x = Exchange {
            item: id(20_000),
            phone: Phone::parse("13912345678").unwrap(),
            quantity: 2,
        };
        assert_eq!(exchange_entry(id(1), &x, 15, 5).unwrap().points, -30);
        assert_eq!(
            exchange_entry(id(1), &x, 15, 1),
            Err("库存不足：仅剩 1 件".into())
        );
    }

    /// Any entry at all: earnings, spendings and reversals, with ids and targets drawn
    /// from a small pool so that repeats and references to earlier entries happen often.
    fn any_entry() -> impl Strategy<Value = Entry> {
        let n = 0u64..12;
        prop_oneof![
            (n.clone(), 0u64..6, -5i64..60).prop_map(|(n, r, p)| earn(n, r, p)),
            (n.clone(), -5i64..60).prop_map(|(n, p)| spend(n, p)),
            (n.clone(), 0u64..12, -60i64..60).prop_map(|(n, of, p)| reverse(n, of, p)),
        ]
    }

    proptest! {
        /// No sequence of entries makes a balance negative, counts an entry id (so an
        /// exchange) twice, earns twice for a service record, or reverses more than was
        /// booked; and the balance is the sum of what was accepted.
        #[test]
        fn no_sequence_breaks_the_ledger(entries in proptest::collection::vec(any_entry(), 0..60)) {
            let mut l = Ledger::default();
            let mut accepted: Vec<Entry> = Vec::new();
            for e in &entries {
                let before = l.clone();
                match l.apply(e) {
                    Ok(()) => accepted.push(e.clone()),
                    Err(_) => prop_assert_eq!(&l, &before, "a refused entry changed the ledger"),
                }
                prop_assert!(l.balance() >= 0);
            }
            prop_assert_eq!(l.balance(), accepted.iter().map(|e| e.points).sum::<i64>());
            let ids: HashSet<_> = accepted.iter().map(|e| e.id).collect();
            prop_assert_eq!(ids.len(), accepted.len(), "an id was counted twice");
            let mut earned = HashSet::new();
            for e in &accepted {
                if let Cause::Earn { service_record, .. } = &e.cause {
                    prop_assert!(earned.insert(*service_record), "earned twice");
                }
            }
            for e in &accepted {
                if let Cause::Reversal { .. } = e.cause { continue; }
                let back: i64 = accepted
                    .iter()
                    .filter(|r| matches!(&r.cause, Cause::Reversal { of, .. } if *of == e.id))
                    .map(|r| -r.points)
                    .sum();
                prop_assert!(back.abs() <= e.points.abs() && (back == 0 || back.signum() == e.points.signum()));
            }
            // The stored entries read back into the same ledger.
            prop_assert_eq!(Ledger::from_entries(&accepted), Ok(l));
        }
    }
}
