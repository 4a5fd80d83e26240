//! The phone's side of sync, as pure decisions: when to try again, and what a push answer
//! means for the outbox. The app's sync engine performs them against IndexedDB and HTTP.

use std::collections::HashMap;
use std::time::Duration;

use crate::protocol::{Outcome, PushResponse, RecordId};

/// Exponential backoff with jitter, so that a village's phones coming back online together
/// do not all knock at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_secs(5),
            max: Duration::from_secs(300),
        }
    }
}

impl Backoff {
    /// The wait before try number `attempt` (0 for the first retry). `jitter` is a random
    /// number in `[0, 1)` from the caller; the wait lies in `[cap/2, cap)`.
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(20));
        let cap = self.base.saturating_mul(factor).min(self.max);
        let jitter = jitter.clamp(0.0, 1.0);
        cap / 2 + cap.mul_f64(jitter / 2.0)
    }
}

/// What the phone does with its outbox after a push was answered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settlement {
    /// Stored now, or stored before: either way the server has them once.
    pub stored: usize,
    /// Refused, with the reason to show; the record stays on the phone.
    pub rejected: Vec<(RecordId, String)>,
}

/// A push answer that does not match what was sent: the outbox must stay as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettleError {
    #[error("server answered {answered} results for {sent} records")]
    CountMismatch { sent: usize, answered: usize },
    #[error("server answered for record {0} that was not sent, or twice")]
    Unexpected(RecordId),
}

/// Checks that the answer speaks of exactly the records sent, each once, and sorts them.
/// Only a settled batch may leave the outbox; anything else is retried whole, which is safe
/// because the server answers a record it already has with `duplicate`.
pub fn settle(sent: &[RecordId], response: &PushResponse) -> Result<Settlement, SettleError> {
    if sent.len() != response.results.len() {
        return Err(SettleError::CountMismatch {
            sent: sent.len(),
            answered: response.results.len(),
        });
    }
    let mut unanswered: HashMap<RecordId, ()> = sent.iter().map(|id| (*id, ())).collect();
    let mut settlement = Settlement::default();
    for result in &response.results {
        if unanswered.remove(&result.id).is_none() {
            return Err(SettleError::Unexpected(result.id));
        }
        match &result.outcome {
            Outcome::Accepted | Outcome::Duplicate => settlement.stored += 1,
            Outcome::Rejected { reason } => settlement.rejected.push((result.id, reason.clone())),
        }
    }
    Ok(settlement)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::PushResult;
    use chrono::{TimeZone, Utc};

    fn id(n: u8) -> RecordId {
        RecordId::new(1_763_779_200_000 + u64::from(n), [n; 10])
    }

    fn response(results: Vec<(RecordId, Outcome)>) -> PushResponse {
        PushResponse {
            results: results
                .into_iter()
                .map(|(id, outcome)| PushResult { id, outcome })
                .collect(),
            server_time: Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap(),
        }
    }

    #[test]
    fn backoff_doubles_up_to_its_cap_and_stays_within_the_jitter_band() {
        let b = Backoff::default();
        assert_eq!(b.delay(0, 0.0), Duration::from_millis(2_500));
        assert_eq!(b.delay(1, 0.0), Duration::from_secs(5));
        assert_eq!(b.delay(30, 0.0), Duration::from_secs(150));
        for attempt in 0..40 {
            for jitter in [0.0, 0.3, 0.999, 7.0, -1.0] {
                let d = b.delay(attempt, jitter);
                assert!(d <= b.max && d >= b.base / 2, "{attempt} {jitter} {d:?}");
            }
        }
    }

    #[test]
    fn accepted_and_duplicate_both_count_as_stored() {
        let sent = [id(1), id(2), id(3)];
        let s = settle(
            &sent,
            &response(vec![
                (id(1), Outcome::Accepted),
                (id(2), Outcome::Duplicate),
                (
                    id(3),
                    Outcome::Rejected {
                        reason: "实践站不存在".into(),
                    },
                ),
            ]),
        )
        .unwrap();
        assert_eq!(s.stored, 2);
        assert_eq!(s.rejected, vec![(id(3), "实践站不存在".to_owned())]);
    }

    #[test]
    fn an_answer_missing_a_record_settles_nothing() {
        let sent = [id(1), id(2)];
        let err = settle(&sent, &response(vec![(id(1), Outcome::Accepted)])).unwrap_err();
        assert_eq!(
            err,
            SettleError::CountMismatch {
                sent: 2,
                answered: 1
            }
        );
    }

    #[test]
    fn an_answer_about_another_record_settles_nothing() {
        let sent = [id(1), id(2)];
        let answer = response(vec![(id(1), Outcome::Accepted), (id(1), Outcome::Accepted)]);
        assert_eq!(settle(&sent, &answer), Err(SettleError::Unexpected(id(1))));
        let answer = response(vec![(id(1), Outcome::Accepted), (id(9), Outcome::Accepted)]);
        assert_eq!(settle(&sent, &answer), Err(SettleError::Unexpected(id(9))));
    }
}
