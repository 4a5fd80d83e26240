//! The bottom tab bar: 签到 and 我的记录, or a filing role's 备案, 审核 and 组织.

use yew::prelude::*;

use crate::app::Tab;

#[derive(PartialEq)]
pub struct TabBarProps {
    pub active: Tab,
    /// The role's tabs (`Tab::of`).
    pub tabs: &'static [Tab],
    pub onselect: Callback<Tab>,
}

/// A plain function, not a component: re-rendering two buttons with the home screen costs
/// less than a component's machinery in the download.
pub fn tab_bar(props: &TabBarProps) -> Html {
    let tab = |tab: Tab| {
        let (label, testid) = match tab {
            Tab::CheckIn => ("签到", "tab-checkin"),
            Tab::Records => ("记录", "tab-records"),
            Tab::Signup => ("报名", "tab-signup"),
            Tab::Me => ("我的", "tab-me"),
            Tab::Filing => ("备案", "tab-filing"),
            Tab::Review => ("审核", "tab-review"),
            Tab::Orgs => ("组织", "tab-orgs"),
            Tab::Activity | Tab::Dashboard => ("活动", "tab-activity"),
            Tab::PreReview => ("报备", "tab-pre-review"),
            Tab::Station => ("站务", "tab-station"),
        };
        let onselect = props.onselect.clone();
        let active = props.active == tab;
        html! {
            <button
                type="button"
                class={classes!("tab", active.then_some("active"))}
                aria-current={active.then_some("page")}
                data-testid={testid}
                onclick={Callback::from(move |_| onselect.emit(tab))}
            >
                { label }
            </button>
        }
    };
    html! {
        <nav class="tabbar" aria-label="主菜单">
            { for props.tabs.iter().map(|t| tab(*t)) }
        </nav>
    }
}
