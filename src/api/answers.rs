//! The push and pull answers as the app decodes them: plain structs, turned into core's
//! types at once. Core's types flatten an internally tagged enum into each result, which
//! serde decodes through a buffer of every value, several kB of the download; these hold
//! the same JSON without it, and the tests below hold them to core's golden files.

use serde::de::Error as _;
use serde::Deserialize;
use wenming_core::protocol::{Change, Outcome, PullResponse, PushResponse, PushResult};
use wenming_core::RecordId;

use crate::store::PlainItem;
use crate::time::rfc3339::Stamp;

#[derive(Deserialize)]
pub(super) struct PushAnswer {
    results: Vec<ResultAnswer>,
    server_time: Stamp,
}

#[derive(Deserialize)]
struct ResultAnswer {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    id: RecordId,
    status: Status,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Accepted,
    Duplicate,
    Rejected,
}

impl PushAnswer {
    pub(super) fn into_core(self) -> Result<PushResponse, crate::decode::Error> {
        let results = self
            .results
            .into_iter()
            .map(|r| {
                let outcome = match (r.status, r.reason) {
                    (Status::Accepted, _) => Outcome::Accepted,
                    (Status::Duplicate, _) => Outcome::Duplicate,
                    (Status::Rejected, Some(reason)) => Outcome::Rejected { reason },
                    (Status::Rejected, None) => {
                        return Err(crate::decode::Error::missing_field("reason"))
                    }
                };
                Ok(PushResult { id: r.id, outcome })
            })
            .collect::<Result<_, crate::decode::Error>>()?;
        Ok(PushResponse {
            results,
            server_time: self.server_time.0,
        })
    }
}

#[derive(Deserialize)]
pub(super) struct PullAnswer {
    /// Each change is a `seq` beside the fields of its item.
    changes: Vec<PlainItem>,
    next_cursor: u64,
    more: bool,
    server_time: Stamp,
}

impl PullAnswer {
    pub(super) fn into_core(self) -> Result<PullResponse, crate::decode::Error> {
        let changes = self
            .changes
            .into_iter()
            .map(|item| {
                Ok(Change {
                    seq: item.seq,
                    item: item.try_into().map_err(crate::decode::Error::custom)?,
                })
            })
            .collect::<Result<_, crate::decode::Error>>()?;
        Ok(PullResponse {
            changes,
            next_cursor: self.next_cursor,
            more: self.more,
            server_time: self.server_time.0,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;
    use wasm_bindgen_test::*;

    use super::*;

    fn core<T: DeserializeOwned>(json: &str) -> T {
        serde_json::from_str(json).expect("core decodes the answer")
    }

    /// As `api::push` reads an answer.
    fn push(json: &str) -> Result<PushResponse, String> {
        let answer: PushAnswer = super::super::decode(json).map_err(|e| e.to_string())?;
        answer.into_core().map_err(|e| e.to_string())
    }

    /// As `api::pull` reads an answer.
    fn pull(json: &str) -> Result<PullResponse, String> {
        let answer: PullAnswer = super::super::decode(json).map_err(|e| e.to_string())?;
        answer.into_core().map_err(|e| e.to_string())
    }

    #[wasm_bindgen_test]
    fn the_golden_push_answer_decodes_as_core_decodes_it() {
        let json = include_str!("../../crates/core/tests/golden/push_response.json");
        assert_eq!(push(json).unwrap(), core::<PushResponse>(json));
    }

    #[wasm_bindgen_test]
    fn the_golden_pull_answer_decodes_as_core_decodes_it() {
        let json = include_str!("../../crates/core/tests/golden/pull_response.json");
        assert_eq!(pull(json).unwrap(), core::<PullResponse>(json));
    }

    #[wasm_bindgen_test]
    fn answers_core_refuses_are_refused() {
        let t = r#""server_time":"2026-11-22T03:04:06Z""#;
        let id = r#""id":"019aa9a1-6c3b-7d2e-9f10-2b3c4d5e6f70""#;
        for json in [
            format!(r#"{{"results":[{{{id},"status":"rejected"}}],{t}}}"#),
            format!(r#"{{"results":[{{{id},"status":"lost"}}],{t}}}"#),
            format!(r#"{{"results":[{{{id}}}],{t}}}"#),
        ] {
            assert!(
                serde_json::from_str::<PushResponse>(&json).is_err(),
                "{json}"
            );
            assert!(push(&json).is_err(), "{json}");
        }
        let page = |change: &str| {
            format!(r#"{{"changes":[{{"seq":1,{change}}}],"next_cursor":1,"more":false,{t}}}"#)
        };
        for change in [
            r#""entity":"hamlet","code":"500156001","name":"x""#,
            r#""entity":"town","code":"50015600","name":"x""#,
            r#""entity":"village","code":"500156001001","name":"x""#,
            r#""entity":"station","code":"500156001","name":"x","village":"500156001001","town":"500156001""#,
            r#""entity":"station","code":"500156001001","name":"x","town":"500156001""#,
        ] {
            let json = page(change);
            assert!(
                serde_json::from_str::<PullResponse>(&json).is_err(),
                "{json}"
            );
            assert!(pull(&json).is_err(), "{json}");
        }
    }

    #[wasm_bindgen_test]
    fn extra_fields_are_ignored_as_core_ignores_them() {
        let json = r#"{"results":[{"id":"019aa9a1-6c3b-7d2e-9f10-2b3c4d5e6f70","status":"accepted","reason":"x","note":1}],"server_time":"2026-11-22T03:04:06Z","v":2}"#;
        assert_eq!(push(json).unwrap(), core::<PushResponse>(json));
        let json = r#"{"changes":[{"seq":1,"entity":"town","code":"500156001","name":"凤山街道","town":"500156","extra":[1]}],"next_cursor":1,"more":true,"server_time":"2026-11-22T03:04:06Z"}"#;
        assert_eq!(pull(json).unwrap(), core::<PullResponse>(json));
    }
}
