//! The activity report (活动报告): filled at or after an activity, usually offline, with
//! 1–9 photos named by their hashes so the text syncs while the photos wait.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{
    Campaign, ContentArea, GeoPoint, GroupServed, MajorKind, Organizer, Problems, ServedVolunteer,
    MAX_PLACE_CHARS, MAX_TITLE_CHARS,
};
use crate::division::StationCode;
use crate::filing::form::FieldError;
use crate::photo::PhotoHash;
use crate::protocol::{Kind, RecordBody, RecordId};

/// `activity_report`: one activity at a station. The record is immutable once queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityReport {
    pub station: StationCode,
    pub organizers: Vec<Organizer>,
    pub title: String,
    pub area: ContentArea,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<Campaign>,
    /// Set when the activity is of a kind that must be reported beforehand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major: Option<MajorKind>,
    /// The `pre_report` record this activity was announced by, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_report: Option<RecordId>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub participants: u32,
    /// Groups served; empty for an activity open to all residents.
    #[serde(default)]
    pub groups: Vec<GroupServed>,
    #[serde(default)]
    pub volunteers: Vec<ServedVolunteer>,
    /// 开展情况.
    pub summary: String,
    /// 成效.
    pub results: String,
    /// In the order the user arranged them; the first is the cover.
    pub photos: Vec<PhotoHash>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<GeoPoint>,
}

impl RecordBody for ActivityReport {
    const KIND: Kind = Kind::ActivityReport;
    const SCHEMA_VERSION: u16 = 1;
}

impl ActivityReport {
    pub const MIN_PHOTOS: usize = 1;
    pub const MAX_PHOTOS: usize = 9;
    pub const MAX_PARTICIPANTS: u32 = 100_000;
    pub const MAX_VOLUNTEERS: usize = 500;
    pub const MAX_SUMMARY_CHARS: usize = 2_000;
    pub const MAX_RESULTS_CHARS: usize = 1_000;

    /// Every rule the phone and the server both apply, all reported at once. `written_at`
    /// is when the report was made (the phone's clock; the envelope's `device_time`).
    pub fn check(&self, written_at: DateTime<Utc>) -> Vec<FieldError> {
        let mut p = Problems::default();
        p.organizers(&self.organizers);
        let title = self.title.trim().chars().count();
        if title < 2 {
            p.fail("title", "请填写活动名称（至少 2 个字）");
        } else if title > MAX_TITLE_CHARS {
            p.fail("title", format!("活动名称不能超过 {MAX_TITLE_CHARS} 个字"));
        }
        if self.pre_report.is_some() && self.major.is_none() {
            p.fail("major", "关联了重大活动报告的活动，请选择重大活动类别");
        }
        p.times(self.starts_at, self.ends_at);
        // A minute of slack for a phone whose clock runs a little behind the watch.
        if self.starts_at > written_at + Duration::minutes(1) {
            p.fail("starts_at", "活动尚未开始，不能填写活动报告");
        }
        p.text("place", &self.place, "活动地点", MAX_PLACE_CHARS);
        if self.participants == 0 {
            p.fail("participants", "请填写参与人数（至少 1 人）");
        } else if self.participants > Self::MAX_PARTICIPANTS {
            p.fail(
                "participants",
                format!("参与人数不能超过 {}", Self::MAX_PARTICIPANTS),
            );
        }
        let mut groups = self.groups.clone();
        groups.sort_unstable();
        if groups.windows(2).any(|w| w[0] == w[1]) {
            p.fail("groups", "服务对象有重复，请删去重复的一项");
        }
        self.check_volunteers(&mut p);
        p.text(
            "summary",
            &self.summary,
            "开展情况",
            Self::MAX_SUMMARY_CHARS,
        );
        p.text("results", &self.results, "成效", Self::MAX_RESULTS_CHARS);
        match self.photos.len() {
            0 => p.fail("photos", "请至少附 1 张活动照片"),
            n if n > Self::MAX_PHOTOS => p.fail(
                "photos",
                format!(
                    "活动照片最多 {} 张，请删去 {} 张",
                    Self::MAX_PHOTOS,
                    n - Self::MAX_PHOTOS
                ),
            ),
            _ => {
                let mut hashes: Vec<_> = self.photos.iter().collect();
                hashes.sort_unstable();
                if hashes.windows(2).any(|w| w[0] == w[1]) {
                    p.fail("photos", "同一张照片附了两次，请删去重复的一张");
                }
            }
        }
        if let Some(Err(message)) = self.position.map(|g| g.check()) {
            p.fail("position", message);
        }
        p.done()
    }

    fn check_volunteers(&self, p: &mut Problems) {
        if self.volunteers.len() > Self::MAX_VOLUNTEERS {
            p.fail(
                "volunteers",
                format!("服务志愿者最多 {} 人", Self::MAX_VOLUNTEERS),
            );
            return;
        }
        let day = 24 * 60;
        if let Some((i, v)) = self
            .volunteers
            .iter()
            .enumerate()
            .find(|(_, v)| v.minutes == 0 || v.minutes > day)
        {
            p.fail(
                "volunteers",
                format!(
                    "第 {} 位志愿者（{}）的服务时长应在 1 分钟到 24 小时之间",
                    i + 1,
                    v.name
                ),
            );
        }
        let mut check_ins: Vec<_> = self.volunteers.iter().filter_map(|v| v.check_in).collect();
        check_ins.sort_unstable();
        if check_ins.windows(2).any(|w| w[0] == w[1]) {
            p.fail("volunteers", "同一条签到记录选了两次，请删去重复的志愿者");
        }
    }

    /// The filed organizations among the organizers.
    pub fn organizations(&self) -> impl Iterator<Item = RecordId> + '_ {
        self.organizers.iter().filter_map(Organizer::organization)
    }

    /// Minutes all volunteers served at this activity.
    pub fn volunteer_minutes(&self) -> u64 {
        self.volunteers.iter().map(|v| u64::from(v.minutes)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::joined;
    use crate::fixtures;

    fn report() -> ActivityReport {
        fixtures::activity_report(&StationCode::parse(fixtures::FUXING).unwrap())
    }

    fn written() -> DateTime<Utc> {
        report().ends_at + Duration::hours(1)
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_report_passes() {
        assert_eq!(report().check(written()), vec![]);
    }

    #[test]
    fn a_report_ending_before_it_starts_is_refused() {
        let mut r = report();
        r.ends_at = r.starts_at - Duration::minutes(5);
        let errors = r.check(written());
        assert_eq!(fields(&errors), ["ends_at"]);
        assert_eq!(errors[0].message, "结束时间应晚于开始时间");
        r.ends_at = r.starts_at + Duration::days(8);
        assert!(r
            .check(r.ends_at)
            .iter()
            .any(|e| e.message.contains("7 天")));
    }

    #[test]
    fn an_activity_not_yet_begun_cannot_be_reported() {
        let r = report();
        let errors = r.check(r.starts_at - Duration::hours(2));
        assert_eq!(errors[0].message, "活动尚未开始，不能填写活动报告");
        // Filled in at the activity itself is fine.
        assert_eq!(r.check(r.starts_at + Duration::minutes(10)), vec![]);
    }

    #[test]
    fn a_report_needs_one_to_nine_distinct_photos() {
        let mut r = report();
        r.photos.clear();
        assert_eq!(joined(&r.check(written())), "请至少附 1 张活动照片");
        r.photos = (0..11).map(fixtures::photo).collect();
        assert_eq!(
            joined(&r.check(written())),
            "活动照片最多 9 张，请删去 2 张"
        );
        r.photos = vec![fixtures::photo(1), fixtures::photo(1)];
        assert_eq!(
            joined(&r.check(written())),
            "同一张照片附了两次，请删去重复的一张"
        );
        r.photos = (0..9).map(fixtures::photo).collect();
        assert_eq!(r.check(written()), vec![]);
    }

    #[test]
    fn every_missing_text_and_count_is_reported_at_once() {
        let mut r = report();
        r.organizers.clear();
        r.title = "会".into();
        r.place = "  ".into();
        r.participants = 0;
        r.summary = String::new();
        r.results = "好".repeat(1_001);
        let errors = r.check(written());
        assert_eq!(
            fields(&errors),
            [
                "organizers",
                "title",
                "place",
                "participants",
                "summary",
                "results"
            ]
        );
        assert_eq!(
            joined(&errors),
            "请填写组织单位（已备案组织或其他团体）；请填写活动名称（至少 2 个字）；\
             请填写活动地点；请填写参与人数（至少 1 人）；请填写开展情况；成效不能超过 1000 个字"
        );
    }

    #[test]
    fn campaign_groups_volunteers_and_position_are_optional() {
        let mut r = report();
        r.campaign = None;
        r.groups.clear();
        r.volunteers.clear();
        r.position = None;
        assert_eq!(r.check(written()), vec![]);
    }

    #[test]
    fn volunteers_need_a_sane_service_time_and_distinct_check_ins() {
        let mut r = report();
        r.volunteers[0].minutes = 0;
        assert!(joined(&r.check(written())).starts_with("第 1 位志愿者（张秀英）的服务时长"));
        let mut r = report();
        let again = r.volunteers[0].clone();
        r.volunteers.push(again);
        assert_eq!(
            joined(&r.check(written())),
            "同一条签到记录选了两次，请删去重复的志愿者"
        );
    }

    #[test]
    fn a_linked_pre_report_needs_a_major_kind_and_duplicates_are_refused() {
        let mut r = report();
        r.pre_report = Some(RecordId::new(1, [1; 10]));
        r.major = None;
        r.groups = vec![GroupServed::Elderly, GroupServed::Elderly];
        assert_eq!(fields(&r.check(written())), ["major", "groups"]);
    }

    #[test]
    fn a_bad_position_is_named() {
        let mut r = report();
        r.position = Some(GeoPoint {
            lat: 29.3,
            lon: 200.0,
            accuracy_m: 10.0,
        });
        assert_eq!(fields(&r.check(written())), ["position"]);
    }
}
