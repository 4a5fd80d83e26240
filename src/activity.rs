//! The app's side of activities (#4), for the workbench: this phone's own activity records
//! — activity reports, major-activity pre-reports, summary reports, and a town reviewer's
//! answers to pre-reports — kept as typed ([`Mine`], a draft until it is sent), how each
//! becomes core's record body, and the district's answers as the app reads them (`wire`).
//!
//! Invariants: nothing here touches storage or the network; validation is core's
//! (`ActivityReport::check`, `PreReport::check`, `PreReportDecision::check`,
//! `SummaryReport::check`), the app only parses the user's text into core's types first,
//! and shows every problem beside its field.

pub mod wire;

use std::rc::Rc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use wenming_core::activity::summary::Period;
use wenming_core::activity::{
    ActivityReport, Campaign, Contact, ContentArea, GeoPoint, GroupServed, MajorKind, Organizer,
    PreReport, PreReportState, Reporter, ServedVolunteer, SummaryFigures, SummaryReport,
};
use wenming_core::photo::PhotoHash;
use wenming_core::{PersonName, Phone, RecordId, StationCode};

use crate::filing::{from_tag, FieldErrors};
use crate::store::{IdSet, OutboxView, SyncState};
use crate::time::rfc3339;
use wire::PreView;

/// What one of this phone's activity records is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// 活动报告.
    Report,
    /// 重大活动报告.
    PreReport,
    /// A town reviewer's 同意 / 不同意 on a pre-report.
    Decision,
    /// 总结报告.
    Summary,
}

/// The fields of a form as typed: keys and values alternating in one list of strings,
/// which is stored and read back as such (the decoder of a list of strings is in the app
/// already, a struct of fields per form would be a decoder each).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Inputs(Vec<String>);

impl Inputs {
    pub fn get(&self, key: &str) -> &str {
        self.0
            .chunks(2)
            .find(|kv| kv[0] == key)
            .and_then(|kv| kv.get(1))
            .map_or("", String::as_str)
    }

    pub fn set(&mut self, key: &str, value: String) {
        match self.0.chunks_mut(2).find(|kv| kv[0] == key) {
            Some(kv) if kv.len() == 2 => kv[1] = value,
            _ => {
                if self.0.len() % 2 == 1 {
                    self.0.pop();
                }
                self.0.push(key.to_owned());
                self.0.push(value);
            }
        }
    }
}

/// An organizer as picked: a filed organization (with its id) or a group by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizerInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
}

/// A volunteer who served, as picked from a check-in of the day or typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerInput {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in: Option<String>,
    pub minutes: String,
}

/// One of this phone's activity records, as typed: saved on every input while it is a
/// draft, and kept after it was sent (with `sent`), so that the list shows it with its sync
/// state and the summary counts it. Its id is the id of its envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mine {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub what: What,
    pub input: Inputs,
    #[serde(default)]
    pub organizers: Vec<OrganizerInput>,
    /// Tags of [`GroupServed`].
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub volunteers: Vec<VolunteerInput>,
    /// The photos' hashes, in the user's order (the first is the cover).
    #[serde(default)]
    pub photos: Vec<String>,
    /// `[lat, lon, accuracy_m]` as the browser's geolocation gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<[f64; 3]>,
    /// When it was queued for the district; `None` while it is a draft.
    #[serde(default, with = "rfc3339::option")]
    pub sent: Option<DateTime<Utc>>,
}

impl Mine {
    pub fn new(id: RecordId, what: What) -> Mine {
        Mine {
            id,
            what,
            input: Inputs::default(),
            organizers: Vec::new(),
            groups: Vec::new(),
            volunteers: Vec::new(),
            photos: Vec::new(),
            position: None,
            sent: None,
        }
    }

    /// The sync state of a sent record; `None` for a draft.
    pub fn sync(&self, outbox: &OutboxView, in_flight: &IdSet) -> Option<SyncState> {
        self.sent.map(|_| outbox.state_of(&self.id, in_flight))
    }

    /// The title the list shows.
    pub fn title(&self) -> String {
        let t = self.input.get("title").trim();
        if t.is_empty() {
            "（未填写活动名称）".to_owned()
        } else {
            t.to_owned()
        }
    }

    /// The station chosen; a placeholder (and the error) when none is, so that core
    /// still checks the rest.
    fn station(&self, e: &mut FieldErrors) -> Option<StationCode> {
        StationCode::parse(self.input.get("station"))
            .map_err(|_| e.add("station", "请选择活动所在的实践站".to_owned()))
            .ok()
            .or_else(|| StationCode::parse("000000000000").ok())
    }

    /// The filed organizations picked, then the groups typed one per line.
    fn organizers(&self) -> Vec<Organizer> {
        let picked = self.organizers.iter().filter_map(|o| {
            let id = o.id.as_deref().and_then(crate::ids::parse)?;
            Some(Organizer::Organization {
                id,
                name: o.name.trim().to_owned(),
            })
        });
        let typed = self
            .input
            .get("other_organizers")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|name| Organizer::Group {
                name: name.to_owned(),
            });
        picked.chain(typed).collect()
    }

    fn times(&self, e: &mut FieldErrors) -> (DateTime<Utc>, DateTime<Utc>) {
        let mut time = |key: &'static str, what: &str| {
            parse_local(self.input.get(key)).unwrap_or_else(|| {
                e.add(key, format!("请填写{what}"));
                DateTime::<Utc>::MIN_UTC
            })
        };
        let starts = time("starts_at", "开始时间");
        let ends = time("ends_at", "结束时间");
        (starts, ends)
    }

    /// The activity report this draft makes at `now`, or every problem with it.
    pub fn report(&self, now: DateTime<Utc>) -> Result<ActivityReport, FieldErrors> {
        let mut e = FieldErrors::default();
        let i = &self.input;
        let Some(station) = self.station(&mut e) else {
            return Err(e);
        };
        let organizers = self.organizers();
        let area = ContentArea::parse(i.get("area")).unwrap_or_else(|| {
            e.add("area", "请选择活动领域".to_owned());
            ContentArea::Theory
        });
        let (starts_at, ends_at) = self.times(&mut e);
        let participants = count(i.get("participants"), "participants", &mut e);
        let volunteers = self
            .volunteers
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.name.trim().is_empty() || !v.minutes.trim().is_empty())
            .filter_map(|(n, v)| {
                let name = PersonName::parse(v.name.trim())
                    .map_err(|err| {
                        e.add("volunteers", format!("第 {} 位志愿者的姓名：{err}", n + 1))
                    })
                    .ok()?;
                let Some(minutes) = digits(&v.minutes) else {
                    e.add(
                        "volunteers",
                        format!("第 {} 位志愿者（{name}）的服务时长请填写分钟数", n + 1),
                    );
                    return None;
                };
                Some(ServedVolunteer {
                    name,
                    check_in: v.check_in.as_deref().and_then(crate::ids::parse),
                    minutes,
                })
            })
            .collect();
        let photos = self
            .photos
            .iter()
            .filter_map(|h| {
                PhotoHash::parse(h)
                    .map_err(|err| e.add("photos", err.to_string()))
                    .ok()
            })
            .collect();
        let report = ActivityReport {
            station,
            organizers,
            title: i.get("title").trim().to_owned(),
            area,
            campaign: from_tag(&Campaign::ALL, i.get("campaign")),
            major: from_tag(&MajorKind::ALL, i.get("major")),
            pre_report: crate::ids::parse(i.get("pre_report")),
            starts_at,
            ends_at,
            place: i.get("place").trim().to_owned(),
            participants,
            groups: self
                .groups
                .iter()
                .filter_map(|g| from_tag(&GroupServed::ALL, g))
                .collect(),
            volunteers,
            summary: i.get("summary").trim().to_owned(),
            results: i.get("results").trim().to_owned(),
            photos,
            position: self.position.map(|[lat, lon, accuracy_m]| GeoPoint {
                lat,
                lon,
                accuracy_m,
            }),
        };
        finish(&mut e, report.check(now));
        if e.is_empty() {
            Ok(report)
        } else {
            Err(e)
        }
    }

    /// The major-activity pre-report this draft makes at `now`, or every problem with it.
    pub fn pre_report(&self, now: DateTime<Utc>) -> Result<PreReport, FieldErrors> {
        let mut e = FieldErrors::default();
        let i = &self.input;
        let Some(station) = self.station(&mut e) else {
            return Err(e);
        };
        let kind = from_tag(&MajorKind::ALL, i.get("kind")).unwrap_or_else(|| {
            e.add("kind", "请选择重大活动类别".to_owned());
            MajorKind::Festival
        });
        let organizers = self.organizers();
        let (starts_at, ends_at) = self.times(&mut e);
        let expected_attendance =
            count(i.get("expected_attendance"), "expected_attendance", &mut e);
        let name = PersonName::parse(i.get("contact_name").trim())
            .map_err(|err| e.add("contact_name", err.to_string()))
            .ok()
            .or_else(|| PersonName::parse("某").ok());
        let phone = Phone::parse(i.get("contact_phone").trim())
            .map_err(|err| e.add("contact_phone", err.to_string()))
            .ok()
            .or_else(|| Phone::parse("13900000000").ok());
        let (Some(name), Some(phone)) = (name, phone) else {
            return Err(e);
        };
        let pre = PreReport {
            station,
            kind,
            title: i.get("title").trim().to_owned(),
            organizers,
            starts_at,
            ends_at,
            place: i.get("place").trim().to_owned(),
            expected_attendance,
            safety_measures: i.get("safety_measures").trim().to_owned(),
            contact: Contact { name, phone },
        };
        finish(&mut e, pre.check(now));
        if e.is_empty() {
            Ok(pre)
        } else {
            Err(e)
        }
    }

    /// The summary report of `period` (id `period_id`) this draft makes, with the figures of
    /// the station's activity reports on this phone, or every problem with it.
    pub fn summary(
        &self,
        period_id: RecordId,
        period: &Period,
        reports: &[ActivityReport],
    ) -> Result<SummaryReport, FieldErrors> {
        let mut e = FieldErrors::default();
        let Some(code) = self.station(&mut e) else {
            return Err(e);
        };
        let reporter = Reporter::Station { code };
        let i = &self.input;
        let report = SummaryReport {
            period: period_id,
            figures: SummaryFigures::compute(&reporter, period, reports),
            reporter,
            work: i.get("work").trim().to_owned(),
            progress: i.get("progress").trim().to_owned(),
            problems: i.get("problems").trim().to_owned(),
            suggestions: i.get("suggestions").trim().to_owned(),
        };
        finish(&mut e, report.check());
        if e.is_empty() {
            Ok(report)
        } else {
            Err(e)
        }
    }
}

/// Adds core's problems to the parse errors; a field that did not parse keeps its own.
fn finish(e: &mut FieldErrors, core: Vec<wenming_core::filing::form::FieldError>) {
    for p in core {
        e.add(p.field, p.message);
    }
}

/// A whole number typed (digits only).
pub fn digits(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
}

/// A count field: empty is 0 (core names it missing), anything else must be digits.
fn count(s: &str, key: &'static str, e: &mut FieldErrors) -> u32 {
    if s.trim().is_empty() {
        return 0;
    }
    digits(s).unwrap_or_else(|| {
        e.add(key, "请填写整数".to_owned());
        0
    })
}

/// A `datetime-local` value ("2026-11-22T09:30") on the phone's clock.
pub fn parse_local(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 16 || b[4] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    // The browser reads a date-time without a zone as local time, as the input meant it.
    let ms = js_sys::Date::new(&JsValue::from_str(s)).get_time();
    if ms.is_nan() {
        return None;
    }
    DateTime::from_timestamp_millis(ms as i64)
}

/// `t` as a `datetime-local` value on the phone's clock.
pub fn local_input(t: DateTime<Utc>) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// Everything about activities the phone holds: its own records, and the pre-reports of
/// its scope from the feed (with the street/town's answers).
#[derive(Debug, Clone, Default)]
pub struct Acts {
    /// Oldest first (by id).
    pub mine: Rc<Vec<Mine>>,
    /// Soonest activity first.
    pub pre_reports: Rc<Vec<PreView>>,
}

/// Every change makes new lists: comparing their addresses is enough.
impl PartialEq for Acts {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.mine, &other.mine) && Rc::ptr_eq(&self.pre_reports, &other.pre_reports)
    }
}

impl Acts {
    pub fn new(mut mine: Vec<Mine>, pre_reports: Vec<PreView>) -> Acts {
        mine.sort_unstable_by_key(|m| m.id);
        let mut acts = Acts {
            mine: Rc::new(mine),
            pre_reports: Rc::default(),
        };
        acts.set_pre_reports(pre_reports);
        acts
    }

    pub fn set_pre_reports(&mut self, mut pre_reports: Vec<PreView>) {
        pre_reports.sort_unstable_by_key(|p| p.pre_report.starts_at);
        self.pre_reports = Rc::new(pre_reports);
    }

    /// Puts a record in place of the one with its id, or adds it.
    pub fn put(&mut self, m: Mine) {
        let mine = Rc::make_mut(&mut self.mine);
        match mine.binary_search_by_key(&m.id, |x| x.id) {
            Ok(at) => mine[at] = m,
            Err(at) => mine.insert(at, m),
        }
    }

    pub fn pre_report(&self, id: &RecordId) -> Option<&PreView> {
        self.pre_reports.iter().find(|p| &p.id == id)
    }

    /// This phone's newest answer to a pre-report, if any.
    pub fn my_decision(&self, pre_report: &RecordId) -> Option<&Mine> {
        let id = pre_report.to_string();
        self.mine
            .iter()
            .rev()
            .find(|m| m.what == What::Decision && m.input.get("pre_report") == id)
    }

    /// The pre-reports an activity report may link to: approved ones of the station.
    pub fn approved(&self, station: &str) -> Vec<&PreView> {
        self.pre_reports
            .iter()
            .filter(|p| p.state == PreReportState::Approved && p.station == station)
            .collect()
    }

    /// The activity reports this phone sent (refused ones excluded), as core's bodies.
    pub fn sent_reports(&self, outbox: &OutboxView) -> Vec<ActivityReport> {
        self.mine
            .iter()
            .filter(|m| m.what == What::Report)
            .filter_map(|m| {
                let at = m.sent?;
                let refused = matches!(
                    outbox.state_of(&m.id, &IdSet::default()),
                    SyncState::Rejected(_)
                );
                (!refused).then(|| m.report(at).ok()).flatten()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    #[wasm_bindgen_test]
    fn inputs_keep_each_key_once() {
        let mut i = Inputs::default();
        i.set("title", "广场舞".into());
        i.set("place", "文化室".into());
        i.set("title", "广场舞比赛".into());
        assert_eq!(i.get("title"), "广场舞比赛");
        assert_eq!(i.get("place"), "文化室");
        assert_eq!(i.get("other"), "");
        assert_eq!(i.0.len(), 4);
    }

    #[wasm_bindgen_test]
    fn digits_are_whole_numbers_only() {
        assert_eq!(digits(" 120 "), Some(120));
        assert_eq!(digits("1.5"), None);
        assert_eq!(digits(""), None);
        assert_eq!(digits("１２"), None);
    }

    #[wasm_bindgen_test]
    fn a_local_time_reads_back_as_typed() {
        let t = parse_local("2026-11-22T09:30").unwrap();
        assert_eq!(local_input(t), "2026-11-22T09:30");
        assert_eq!(parse_local("2026-11-22"), None);
    }

    #[wasm_bindgen_test]
    fn an_empty_report_names_every_missing_field_in_chinese() {
        let m = Mine::new(RecordId::new(1, [1; 10]), What::Report);
        let e = m.report(crate::time::now()).unwrap_err();
        for key in [
            "station",
            "organizers",
            "area",
            "starts_at",
            "title",
            "place",
            "participants",
            "summary",
            "results",
            "photos",
        ] {
            assert!(e.get(key).is_some(), "{key}: {e:?}");
        }
        assert_eq!(e.get("photos"), Some("请至少附 1 张活动照片"));
    }
}
