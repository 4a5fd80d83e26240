//! The member roster (成员花名册) editor: a plain list of members (several hundred stay
//! quick: one row is one `<li>`, and one click handler serves every row's buttons), one
//! row editor for adding or changing a member, and the 批量导入 box for pasted lines.

use std::rc::Rc;

use wenming_core::filing::people::{Member, PoliticalStatus};
use yew::prelude::*;

use crate::components::choice::{error, field, Kind, Spec};
use crate::filing::roster::{line_of, member, parse_lines};

/// The row editor's cells: (test id, label, kind), in the import format's order.
const CELLS: [(&str, &str, Kind); 6] = [
    ("member-name", "姓名", Kind::Text),
    ("member-gender", "性别", Kind::Select),
    ("member-birth", "出生年份", Kind::Numeric),
    ("member-phone", "手机号码（可不填）", Kind::Tel),
    ("member-political", "政治面貌", Kind::Select),
    ("member-role", "职务", Kind::Text),
];

#[derive(Properties)]
pub struct RosterEditorProps {
    pub members: Rc<Vec<Member>>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Bounds birth years, as core does.
    pub this_year: u16,
    /// Made anew by every render of the form, doing the same each time: it does not count
    /// as a change, so that typing in the form does not render several hundred members.
    pub onchange: Callback<Rc<Vec<Member>>>,
}

impl PartialEq for RosterEditorProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.members, &other.members)
            && self.error == other.error
            && self.this_year == other.this_year
    }
}

/// The row editor: which member (none: a new one) and the six cells as typed.
#[derive(Clone, PartialEq, Default)]
struct Row {
    index: Option<usize>,
    cells: [String; 6],
    error: Option<String>,
}

#[function_component(RosterEditor)]
pub fn roster_editor(props: &RosterEditorProps) -> Html {
    let import = use_state(String::new);
    let report = use_state(|| None::<(usize, Vec<String>)>);
    let row = use_state(|| None::<Row>);
    let members = &props.members;

    let onimport = {
        let (import, report) = (import.clone(), report.clone());
        let (members, onchange, year) = (members.clone(), props.onchange.clone(), props.this_year);
        Callback::from(move |_| {
            let (good, bad) = parse_lines(&import, year);
            let lines: Vec<&str> = import.lines().collect();
            let left: Vec<&str> = bad
                .iter()
                .filter_map(|e| lines.get(e.line - 1).copied())
                .collect();
            report.set(Some((good.len(), bad.iter().map(|e| e.text()).collect())));
            import.set(left.join("\n"));
            if !good.is_empty() {
                let mut all = (*members).clone();
                all.extend(good);
                onchange.emit(Rc::new(all));
            }
        })
    };

    let onlist = {
        let (row, members, onchange) = (row.clone(), members.clone(), props.onchange.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(target) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            let Ok(Some(button)) = target.closest("button[data-i]") else {
                return;
            };
            let Some(i) = button
                .get_attribute("data-i")
                .and_then(|i| i.parse::<usize>().ok())
            else {
                return;
            };
            let Some(m) = members.get(i) else { return };
            if button.get_attribute("data-op").as_deref() == Some("del") {
                let sure = web_sys::window()
                    .and_then(|w| {
                        w.confirm_with_message(&format!("从花名册删除 {}？", m.name))
                            .ok()
                    })
                    .unwrap_or(false);
                if sure {
                    let mut all = (*members).clone();
                    all.remove(i);
                    onchange.emit(Rc::new(all));
                }
            } else {
                row.set(Some(Row {
                    index: Some(i),
                    cells: line_of(m),
                    error: None,
                }));
            }
        })
    };

    let editor = (*row).clone().map(|r| {
        let set = |i: usize| {
            let row = row.clone();
            let r = r.clone();
            Callback::from(move |v: String| {
                let mut r = r.clone();
                r.cells[i] = v;
                row.set(Some(r));
            })
        };
        let onsave = {
            let (row, r) = (row.clone(), r.clone());
            let (members, onchange, year) =
                (members.clone(), props.onchange.clone(), props.this_year);
            Callback::from(move |_| {
                let cells: Vec<&str> = r.cells.iter().map(String::as_str).collect();
                match member(&cells, Some(year)) {
                    Ok(m) => {
                        let mut all = (*members).clone();
                        match r.index.filter(|i| *i < all.len()) {
                            Some(i) => all[i] = m,
                            None => all.push(m),
                        }
                        onchange.emit(Rc::new(all));
                        row.set(None);
                    }
                    Err(message) => {
                        let mut r = r.clone();
                        r.error = Some(message);
                        row.set(Some(r));
                    }
                }
            })
        };
        let oncancel = {
            let row = row.clone();
            Callback::from(move |_| row.set(None))
        };
        html! {
            <div class="row-editor">
                <h3>{ if r.index.is_some() { "修改成员" } else { "添加成员" } }</h3>
                { for CELLS.iter().enumerate().map(|(i, (testid, label, kind))| {
                    let spec = Spec::new(*kind, *label, testid, r.cells[i].clone(), set(i));
                    field(match i {
                        1 => Spec { options: ["男", "女"].map(|g| (g.into(), g.into())).to_vec(), ..spec },
                        4 => Spec {
                            options: PoliticalStatus::ALL
                                .iter()
                                .map(|s| (s.name_zh().into(), s.name_zh().into()))
                                .collect(),
                            ..spec
                        }
                        .placeholder(""),
                        _ => spec,
                    })
                }) }
                { error(&r.error.clone().map(AttrValue::from)) }
                <div class="buttons">
                    <button type="button" class="primary" data-testid="member-save" onclick={onsave}>{ "保存成员" }</button>
                    <button type="button" class="secondary" onclick={oncancel}>{ "取消" }</button>
                </div>
            </div>
        }
    });
    let onadd = {
        let row = row.clone();
        Callback::from(move |_| {
            row.set(Some(Row {
                cells: [
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    "群众".to_owned(),
                    "成员".to_owned(),
                ],
                ..Row::default()
            }))
        })
    };
    let setimport = {
        let import = import.clone();
        Callback::from(move |v: String| import.set(v))
    };

    html! {
        <section class={classes!("roster", props.error.is_some().then_some("invalid"))}>
            <h2>
                { "成员花名册（" }<span data-testid="roster-count">{ members.len() }</span>{ " 人）" }
            </h2>
            { error(&props.error) }
            <ul class="members" onclick={onlist}>
                { for members.iter().enumerate().map(|(i, m)| member_row(i, m)) }
            </ul>
            { editor.unwrap_or_else(|| html! {
                <button type="button" class="secondary" data-testid="member-add" onclick={onadd}>
                    { "＋ 添加成员" }
                </button>
            }) }
            // Open while there is something to import, or lines left to correct.
            <details class="import" open={members.is_empty() || !import.is_empty()}>
                <summary>{ "批量导入" }</summary>
                { field(Spec {
                    rows: 6,
                    placeholder: "张秀英,女,1958,13812345678,中共党员,负责人",
                    ..Spec::new(Kind::Area, "每行一人：姓名,性别,出生年份,手机,政治面貌,职务（可从表格复制粘贴）",
                        "roster-import", (*import).clone(), setimport)
                }) }
                <button type="button" class="secondary" data-testid="roster-import-submit"
                    onclick={onimport}>{ "导入" }</button>
            </details>
            if let Some((count, bad)) = &*report {
                <div class="import-report" role="status" data-testid="roster-import-report">
                    <p>{ format!("已导入 {count} 人。") }</p>
                    if !bad.is_empty() {
                        <p class="error">{ format!("以下 {} 行未导入，已留在“批量导入”框中，请改正后再导入：", bad.len()) }</p>
                        <ul>{ for bad.iter().map(|b| html! { <li>{ b.clone() }</li> }) }</ul>
                    }
                </div>
            }
        </section>
    }
}

fn member_row(i: usize, m: &Member) -> Html {
    let phone = m.phone.as_ref().map_or("", |p| p.as_str());
    html! {
        <li>
            <span class="m-main">
                <b>{ m.name.as_str() }</b>
                { format!(" {} · {} · {} · {} {phone}", m.gender.name_zh(), m.birth_year,
                    m.political_status.name_zh(), m.role) }
            </span>
            <button type="button" class="small" data-i={i.to_string()} data-op="edit">{ "修改" }</button>
            <button type="button" class="small" data-i={i.to_string()} data-op="del">{ "删除" }</button>
        </li>
    }
}
