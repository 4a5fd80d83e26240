//! A submitted version of an application as reviewers and the archive read it (the filing
//! form, the charter, the roster, a termination's vote), its trail of decisions, and the
//! filing certificate (备案证书) laid out for an A4 page.

use yew::prelude::*;

use crate::filing::kind_zh;
use crate::filing::wire::{date, day_zh, Submission, Trail};
use crate::time;

/// The filing form (备案表), charter and roster of one version; `area` is
/// "凤山街道复兴社区". Plain functions here, not components (see `choice`).
pub fn submission_view(s: &Submission, area: &str) -> Html {
    let f = &s.form;
    let leader = &f.leader;
    let party = if leader.political_status.is_party_member() {
        "是"
    } else {
        "否"
    };
    let sponsor = match f.sponsor.kind {
        crate::filing::wire::SponsorKind::Person => "发起人",
        crate::filing::wire::SponsorKind::Unit => "发起单位",
    };
    let rows: [(&str, String); 12] = [
        ("申请事项", kind_zh(s.kind).to_owned()),
        ("组织名称", f.name.clone()),
        ("组织类别", f.category.name_zh().to_owned()),
        ("成立日期", date::write(&f.founded_on)),
        ("所在地区", area.to_owned()),
        ("活动场所", f.venue.clone()),
        (
            "负责人",
            format!(
                "{}（{}，{}，{}，党员：{party}）",
                leader.name,
                leader.gender.name_zh(),
                leader.phone,
                leader.political_status.name_zh()
            ),
        ),
        ("联系人", format!("{} {}", f.contact.name, f.contact.phone)),
        ("成员人数", f.member_count.to_string()),
        ("活动内容", f.activities.clone()),
        ("经费来源", f.funding.clone()),
        (sponsor, f.sponsor.name.clone()),
    ];
    let vote = s.termination.as_ref().map(|v| {
        html! {
            <>
                <h3>{ "全体成员会议表决" }</h3>
                <p>{ format!("{} 召开，出席 {} 人，赞成 {} 票，反对 {} 票。",
                    day_zh(&v.held_on), v.present, v.in_favour, v.against) }</p>
            </>
        }
    });
    html! {
        <div class="submission">
            <table class="form-table">
                { for rows.iter().map(|(k, v)| html! { <tr><th>{ *k }</th><td>{ v.clone() }</td></tr> }) }
            </table>
            { for vote }
            <h3>{ "章程" }</h3>
            { for s.charter.clauses.iter().enumerate().map(|(i, c)| html! {
                <div class="clause">
                    <h4>{ format!("第{}章 {}", zh_number(i + 1), c.section.title_zh()) }</h4>
                    <p>{ c.text.clone() }</p>
                </div>
            }) }
            <details class="roster-table" open=true>
                <summary>{ format!("成员花名册（{} 人）", s.roster.len()) }</summary>
                <table>
                    <tr><th>{ "序号" }</th><th>{ "姓名" }</th><th>{ "性别" }</th><th>{ "出生年份" }</th>
                        <th>{ "手机" }</th><th>{ "政治面貌" }</th><th>{ "职务" }</th></tr>
                    { for s.roster.iter().enumerate().map(|(i, m)| html! {
                        <tr>
                            <td>{ i + 1 }</td><td>{ m.name.as_str() }</td><td>{ m.gender.name_zh() }</td>
                            <td>{ m.birth_year }</td>
                            <td>{ m.phone.as_ref().map_or("", |p| p.as_str()) }</td>
                            <td>{ m.political_status.name_zh() }</td><td>{ m.role.clone() }</td>
                        </tr>
                    }) }
                </table>
            </details>
        </div>
    }
}

/// 一 to 十九: enough for chapter numbers.
fn zh_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        _ => format!("十{}", DIGITS[n % 10]),
    }
}

/// Every step of an application, oldest first: who, when, what, with what comment.
pub fn trail_list(trail: &[Trail]) -> Html {
    html! {
        <ol class="trail">
            { for trail.iter().map(|t| {
                let what = t.decision.as_ref().map_or("提交", |d| d.to_core().action_zh());
                let role = t.role.map(|r| format!("（{}）", r.name_zh())).unwrap_or_default();
                let comment = t.decision.as_ref().and_then(|d| d.reason.clone())
                    .map(|r| format!("：{r}")).unwrap_or_default();
                html! {
                    <li>
                        <span class="when">{ time::format_local(t.at) }</span>
                        { format!(" {}{role} {what}{comment} → {}", t.person, t.state.state.name_zh()) }
                    </li>
                }
            }) }
        </ol>
    }
}

/// What the certificate says.
pub struct CertificateProps {
    pub name: String,
    pub category: &'static str,
    pub area: String,
    pub leader: String,
    pub number: String,
    /// "凤山街道办事处"
    pub issuer: String,
    /// "2026年11月29日"
    pub date: String,
}

/// The filing certificate (社区社会组织备案证书), one A4 page when printed.
pub fn certificate(props: &CertificateProps) -> Html {
    let line =
        |k: &str, v: &str| html! { <tr><th>{ k.to_owned() }</th><td>{ v.to_owned() }</td></tr> };
    html! {
        <div class="certificate" data-testid="certificate-view">
            <h1>{ "社区社会组织备案证书" }</h1>
            <p class="cert-number">{ "证书编号：" }{ props.number.clone() }</p>
            <table>
                { line("组织名称", &props.name) }
                { line("组织类别", props.category) }
                { line("活动地域", &props.area) }
                { line("负责人", &props.leader) }
            </table>
            <p class="cert-text">{ "经审核，准予备案。" }</p>
            <p class="cert-issuer">{ props.issuer.clone() }</p>
            <p class="cert-date">{ props.date.clone() }</p>
        </div>
    }
}
