//! Widgets of the activity screens, plain functions of their arguments: the photo section of
//! a report, a position in words, a pre-report's facts, a report's flags, a sync badge, and
//! the chart of activities by content area and month (inline SVG, no chart library).

use wenming_core::activity::ContentArea;
use wenming_core::photo::PhotoHash;
use yew::prelude::*;

use crate::activity::wire::{Flag, PlainStats, PreView};
use crate::components::choice::error;
use crate::photo::widgets::PhotoPicker;
use crate::store::SyncState;
use crate::time;

/// The photos of a report, as hashes in the user's order (the first is the cover): the shared photo picker (downscaled on the phone, kept by SHA-256,
/// uploaded after the report), handing `onchange` the new list of hashes.
pub fn photo_section(
    photos: &[String],
    onchange: Callback<Vec<String>>,
    err: Option<AttrValue>,
) -> Html {
    let hashes: Vec<PhotoHash> = photos
        .iter()
        .filter_map(|h| PhotoHash::parse(h).ok())
        .collect();
    let onchange = Callback::from(move |list: Vec<PhotoHash>| {
        onchange.emit(list.iter().map(|h| h.to_string()).collect())
    });
    html! {
        <div class={classes!("field", "photos", err.is_some().then_some("invalid"))} data-testid="act-photos">
            <label>{ "活动照片（1–9 张，第一张为封面）" }</label>
            <PhotoPicker photos={hashes} {onchange} />
            { error(&err) }
        </div>
    }
}

/// "已定位：北纬 29.32512°，东经 107.76003°（精度约 15 米）".
pub fn geo_text([lat, lon, accuracy]: [f64; 3]) -> String {
    let deg = |v: f64| {
        let micro = (v.abs() * 100_000.0).round() as u64;
        format!("{}.{:05}°", micro / 100_000, micro % 100_000)
    };
    let ns = if lat >= 0.0 { "北纬" } else { "南纬" };
    let ew = if lon >= 0.0 { "东经" } else { "西经" };
    format!(
        "已定位：{ns} {}，{ew} {}（精度约 {} 米）",
        deg(lat),
        deg(lon),
        accuracy.round() as u64
    )
}

/// A record's sync state as a badge.
pub fn sync_badge(sync: &SyncState, testid: &'static str) -> Html {
    html! {
        <span class={classes!("badge", sync.as_str())} data-testid={testid} data-state={sync.as_str()}>
            { sync.label_zh() }
        </span>
    }
}

/// A pre-report's state and the street/town's answer, in words.
pub fn pre_state_line(p: &PreView) -> Html {
    let answer = p.decision.as_ref().map(|d| {
        let reason = d
            .verdict
            .reason
            .clone()
            .map(|r| format!("，理由：{r}"))
            .unwrap_or_default();
        format!("{} {}{}", d.person, time::format_local(d.at), reason)
    });
    html! {
        <p class="meta">
            <strong data-testid="pre-report-state" data-state={p.state.as_str()}>{ p.state.name_zh() }</strong>
            if let Some(a) = answer {
                <span data-testid="pre-report-answer">{ format!("（{a}）") }</span>
            }
        </p>
    }
}

/// A pre-report's facts.
pub fn pre_report_facts(p: &PreView) -> Html {
    let r = &p.pre_report;
    let organizers: Vec<&str> = r.organizers.iter().map(|o| o.name.as_str()).collect();
    let rows = [
        ("类别", r.kind.name_zh().to_owned()),
        (
            "实践站",
            format!("{}（{}{}）", p.station_name, p.town_name, p.village_name),
        ),
        (
            "时间",
            format!(
                "{} 至 {}",
                time::format_local(r.starts_at),
                time::format_local(r.ends_at)
            ),
        ),
        ("地点", r.place.clone()),
        ("主办方", organizers.join("、")),
        ("预计人数", format!("{} 人", r.expected_attendance)),
        ("安全措施", r.safety_measures.clone()),
        ("联系人", format!("{} {}", r.contact.name, r.contact.phone)),
        (
            "报告人",
            format!(
                "{}（{}）",
                p.submitted_by,
                time::format_local(p.submitted_at)
            ),
        ),
    ];
    html! {
        <table class="form-table facts">
            { for rows.into_iter().map(|(k, v)| html! { <tr><th>{ k }</th><td>{ v }</td></tr> }) }
        </table>
    }
}

/// A report's flags in plain Chinese.
pub fn flags_list(flags: &[Flag]) -> Html {
    if flags.is_empty() {
        return html! {};
    }
    html! {
        <ul class="flags">
            { for flags.iter().map(|f| html! { <li class="flag" data-testid="act-flag">{ f.name_zh() }</li> }) }
        </ul>
    }
}

/// The colour of a content area in the chart.
fn colour(area: ContentArea) -> &'static str {
    match area {
        ContentArea::Theory => "#c0392b",
        ContentArea::Civility => "#d68910",
        ContentArea::Culture => "#1e8449",
        ContentArea::Services => "#2471a3",
        ContentArea::Governance => "#7d3c98",
        ContentArea::Platforms => "#5d6d7e",
    }
}

/// Activities by month, each bar stacked by content area, with its legend and the table of
/// the same figures under it.
pub fn chart(stats: &PlainStats) -> Html {
    let months = stats.months.len();
    if months == 0 {
        return html! { <p class="hint" data-testid="act-chart-empty">{ "所选范围内没有活动。" }</p> };
    }
    let total = |m: usize| {
        stats
            .series
            .iter()
            .map(|s| s.activities.get(m).copied().unwrap_or(0))
            .sum::<u64>()
    };
    let max = (0..months).map(total).max().unwrap_or(0).max(1);
    let (width, height, base) = (320u64, 180u64, 160u64);
    let slot = width / months as u64;
    let bar = (slot * 2 / 3).max(2);
    let mut rects = Vec::new();
    for m in 0..months {
        let mut y = base;
        let x = m as u64 * slot + (slot - bar) / 2;
        for s in &stats.series {
            let n = s.activities.get(m).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let h = (n * (base - 10) / max).max(1);
            y -= h;
            rects.push(html! {
                <rect x={x.to_string()} y={y.to_string()} width={bar.to_string()} height={h.to_string()}
                    fill={colour(s.area)} data-area={s.area.as_str()} data-month={stats.months[m].clone()}>
                    <title>{ format!("{} {}：{} 场", stats.months[m], s.area.name_zh(), n) }</title>
                </rect>
            });
        }
    }
    // Month labels: every one when few, else about six.
    let step = months.div_ceil(6);
    let labels = (0..months).step_by(step).map(|m| {
        let x = m as u64 * slot + slot / 2;
        let label = stats.months[m].get(2..).unwrap_or(&stats.months[m]).to_owned();
        html! { <text x={x.to_string()} y="176" text-anchor="middle" font-size="11">{ label }</text> }
    });
    html! {
        <figure class="chart" data-testid="act-chart">
            <svg viewBox={format!("0 0 {width} {height}")} role="img"
                aria-label={format!("按月份和领域统计的活动场次，共 {} 场", stats.total_activities)}>
                <line x1="0" y1={base.to_string()} x2={width.to_string()} y2={base.to_string()} stroke="#999" />
                { for rects }
                { for labels }
            </svg>
            <figcaption>
                <p>{ format!("共 {} 场活动，{} 人次参与（最高一个月 {} 场）", stats.total_activities, stats.total_participants, max) }</p>
                <ul class="legend">
                    { for ContentArea::ALL.iter().map(|a| html! {
                        <li><span class="swatch" style={format!("background:{}", colour(*a))}></span>{ a.name_zh() }</li>
                    }) }
                </ul>
            </figcaption>
            <div class="table-scroll">
                <table class="form-table stats-table" data-testid="act-stats-table">
                    <tr>
                        <th>{ "月份" }</th>
                        { for ContentArea::ALL.iter().map(|a| html! { <th>{ a.name_zh() }</th> }) }
                        <th>{ "合计" }</th>
                    </tr>
                    { for (0..months).map(|m| html! {
                        <tr>
                            <td>{ stats.months[m].clone() }</td>
                            { for stats.series.iter().map(|s| html! { <td>{ s.activities.get(m).copied().unwrap_or(0) }</td> }) }
                            <td>{ total(m) }</td>
                        </tr>
                    }) }
                </table>
            </div>
        </figure>
    }
}
