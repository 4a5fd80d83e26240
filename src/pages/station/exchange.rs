//! 积分兑换: the station's items with what is left of each (kept, so the list shows
//! offline), a new item (名称, 积分, 库存), and an exchange — the volunteer's mobile number,
//! the item, how many. An exchange counts once however often 兑换 is tapped: its record id
//! is made when the form opens, the button is disabled while it saves, and the store writes
//! nothing for an id it holds. Not enough points or stock is the district's to say; its
//! reason shows under 我的兑换 (被退回).

use std::rc::Rc;

use wenming_core::volunteer::{Exchange as ExchangeBody, ExchangeItem};
use wenming_core::{Phone, RecordId};
use yew::prelude::*;

use super::{fetch_text_kept, kept_note, my_list, read_kept, station_of, text_field};
use crate::components::choice::{field, Kind, Spec};
use crate::hooks::use_app;
use crate::ids;
use crate::station::wire::{Account, ItemList};
use crate::station::{kind, save, seal, Mine};

/// Which form is open, with the id minted when it opened.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Form {
    Item(RecordId),
    Exchange(RecordId),
}

/// The balance of a volunteer looked up on this phone (志愿者查询), if it was.
async fn known_balance(app: &crate::app::AppContext, phone: &str) -> Option<i64> {
    let text: String = app
        .store
        .cache_get(&format!("account:{phone}"))
        .await
        .ok()
        .flatten()?;
    crate::api::station::read::<Account>(&text)
        .ok()
        .map(|a| a.balance)
}

#[function_component(Exchange)]
pub fn exchange() -> Html {
    let app = use_app();
    let items = use_state(|| None::<Result<(Rc<ItemList>, bool), String>>);
    let mine = use_state(Vec::<Mine>::new);
    let form = use_state(|| None::<Form>);
    let (name, points, stock) = (
        use_state(String::new),
        use_state(String::new),
        use_state(String::new),
    );
    let (phone, item, quantity) = (
        use_state(String::new),
        use_state(String::new),
        use_state(|| "1".to_owned()),
    );
    let balance = use_state(|| None::<i64>);
    let error = use_state(|| None::<String>);
    let done = use_state(|| None::<String>);
    let saving = use_state(|| false);
    let busy = use_mut_ref(|| false);
    let last_sync = app.as_ref().and_then(|a| a.state.last_sync);
    let pending_count = app.as_ref().map_or(0, |a| a.state.outbox.pending.len());
    {
        let (app, items, mine) = (app.clone(), items.clone(), mine.clone());
        use_effect_with((last_sync, pending_count), move |_| {
            if let Some(app) = app {
                wasm_bindgen_futures::spawn_local(async move {
                    mine.set(crate::station::mine(&app).await);
                    let Some(station) = super::station_of(&app) else {
                        return items.set(Some(Err("请先填写站点编号".to_owned())));
                    };
                    let path = format!("/exchange-items?station={station}");
                    let got = read_kept::<ItemList>(
                        fetch_text_kept(&app, &format!("items:{station}"), &path).await,
                    );
                    items.set(Some(got.map(|(l, fresh)| (Rc::new(l), fresh))));
                });
            }
        });
    }
    {
        // The balance, when this phone looked the volunteer up.
        let (app, balance) = (app.clone(), balance.clone());
        use_effect_with((*phone).clone(), move |phone| {
            let phone = phone.trim().to_owned();
            if let (Some(app), true) = (app, phone.len() == 11) {
                wasm_bindgen_futures::spawn_local(async move {
                    balance.set(known_balance(&app, &phone).await);
                });
            } else {
                balance.set(None);
            }
        });
    }
    let Some(app) = app else { return html! {} };
    let item_list: Option<Rc<ItemList>> = match &*items {
        Some(Ok((l, _))) => Some(l.clone()),
        _ => None,
    };

    let open = |f: fn(RecordId) -> Form| {
        let (form, error, done, quantity) =
            (form.clone(), error.clone(), done.clone(), quantity.clone());
        Callback::from(move |_| {
            error.set(None);
            done.set(None);
            quantity.set("1".to_owned());
            // The id of the record to be: made now, when the form opens, not at the tap.
            let (id, _) = ids::next();
            form.set(Some(f(id)));
        })
    };
    let onclose = {
        let form = form.clone();
        Callback::from(move |_| form.set(None))
    };

    let onsave_item = {
        let (app, form, name, points, stock, error, done, busy, mine) = (
            app.clone(),
            form.clone(),
            name.clone(),
            points.clone(),
            stock.clone(),
            error.clone(),
            done.clone(),
            busy.clone(),
            mine.clone(),
        );
        Callback::from(move |_| {
            let Some(Form::Item(id)) = *form else { return };
            let Some(station) = station_of(&app) else {
                return error.set(Some("请先填写站点编号".to_owned()));
            };
            let (Ok(p), Ok(s)) = (points.trim().parse::<u32>(), stock.trim().parse::<u32>()) else {
                return error.set(Some("积分和库存请填写整数".to_owned()));
            };
            let body = ExchangeItem {
                station,
                name: name.trim().to_owned(),
                points: p,
                stock: s,
            };
            if let Err(m) = body.check() {
                return error.set(Some(m));
            }
            if busy.replace(true) {
                return;
            }
            let (app, form, error, done, busy, mine, name) = (
                app.clone(),
                form.clone(),
                error.clone(),
                done.clone(),
                busy.clone(),
                mine.clone(),
                name.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let text = format!(
                    "新增兑换物品：{}（{} 积分，库存 {}）",
                    body.name, body.points, body.stock
                );
                match save(&app, seal(id, &body), kind::ITEM, String::new(), text).await {
                    Ok(_) => {
                        form.set(None);
                        name.set(String::new());
                        done.set(Some("物品已保存，联网后自动提交".to_owned()));
                        mine.set(crate::station::mine(&app).await);
                    }
                    Err(m) => error.set(Some(m)),
                }
                *busy.borrow_mut() = false;
            });
        })
    };

    let onexchange = {
        let (app, form, phone, item, quantity, error, done, busy, saving, mine, items) = (
            app.clone(),
            form.clone(),
            phone.clone(),
            item.clone(),
            quantity.clone(),
            error.clone(),
            done.clone(),
            busy.clone(),
            saving.clone(),
            mine.clone(),
            item_list.clone(),
        );
        Callback::from(move |_| {
            let Some(Form::Exchange(id)) = *form else {
                return;
            };
            // A second tap while the first saves does nothing.
            if *busy.borrow() {
                return;
            }
            let mobile = match Phone::parse(&phone) {
                Ok(p) => p,
                Err(e) => return error.set(Some(e.to_string())),
            };
            let chosen = items
                .as_ref()
                .and_then(|l| l.items.iter().find(|i| i.id.to_string() == *item).cloned());
            let Some(chosen) = chosen else {
                return error.set(Some("请选择兑换的物品".to_owned()));
            };
            let n = match quantity.trim().parse::<u32>() {
                Ok(n) if (1..=99).contains(&n) => n,
                _ => return error.set(Some("数量应为 1 至 99".to_owned())),
            };
            busy.replace(true);
            saving.set(true);
            let body = ExchangeBody {
                item: chosen.id,
                phone: mobile,
                quantity: n,
            };
            let (app, form, error, done, busy, saving, mine) = (
                app.clone(),
                form.clone(),
                error.clone(),
                done.clone(),
                busy.clone(),
                saving.clone(),
                mine.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let text = format!(
                    "{} 兑换 {} ×{}（{} 积分）",
                    body.phone.masked(),
                    chosen.name,
                    n,
                    chosen.points * n
                );
                match save(
                    &app,
                    seal(id, &body),
                    kind::EXCHANGE,
                    chosen.id.to_string(),
                    text,
                )
                .await
                {
                    Ok(_) => {
                        form.set(None);
                        done.set(Some(
                            "兑换已记录，联网后自动提交；积分不足或库存不足时会被退回".to_owned(),
                        ));
                        mine.set(crate::station::mine(&app).await);
                    }
                    Err(m) => error.set(Some(m)),
                }
                *busy.borrow_mut() = false;
                saving.set(false);
            });
        })
    };

    let list = match &*items {
        None => html! { <p class="hint">{ "正在读取…" }</p> },
        Some(Err(m)) => html! { <p class="error" role="alert">{ m.clone() }</p> },
        Some(Ok((l, fresh))) => html! {
            <>
                { kept_note(*fresh) }
                if l.items.is_empty() {
                    <p class="hint">{ "本站还没有兑换物品。" }</p>
                }
                <ul class="cards">
                    { for l.items.iter().map(|i| html! {
                        <li class="card" data-testid="ex-item" data-id={i.id.to_string()}>
                            <div class="card-main">
                                <p class="name">{ i.name.clone() }</p>
                                <p class="meta">{ format!("{} 积分 · ", i.points) }
                                    <span data-testid="ex-stock">{ format!("剩余 {}", i.stock) }</span>
                                </p>
                            </div>
                        </li>
                    }) }
                </ul>
            </>
        },
    };

    let form_html = match *form {
        Some(Form::Item(_)) => html! {
            <div class="confirm" data-testid="ex-item-form">
                { text_field(Kind::Text, "物品名称", "ex-item-name", &name, None) }
                { text_field(Kind::Numeric, "所需积分", "ex-item-points", &points, None) }
                { text_field(Kind::Numeric, "库存数量", "ex-item-stock", &stock, None) }
                if let Some(e) = &*error { <p class="error" role="alert" data-testid="field-error">{ e.clone() }</p> }
                <div class="buttons">
                    <button type="button" class="primary" data-testid="ex-item-save" onclick={onsave_item}>{ "保存物品" }</button>
                    <button type="button" class="secondary" onclick={onclose.clone()}>{ "取消" }</button>
                </div>
            </div>
        },
        Some(Form::Exchange(_)) => {
            let options = item_list
                .as_ref()
                .map(|l| {
                    l.items
                        .iter()
                        .map(|i| {
                            (
                                AttrValue::from(i.id.to_string()),
                                AttrValue::from(format!(
                                    "{}（{} 积分，剩 {}）",
                                    i.name, i.points, i.stock
                                )),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let setitem = {
                let item = item.clone();
                Callback::from(move |v: String| item.set(v))
            };
            html! {
                <div class="confirm" data-testid="ex-form">
                    { text_field(Kind::Tel, "志愿者手机号", "ex-phone", &phone, None) }
                    if let Some(b) = *balance {
                        <p class="meta" data-testid="ex-balance">{ format!("当前积分：{b}（上次查询时）") }</p>
                    }
                    { field(Spec::select("兑换物品", "ex-item-choice", (*item).clone(), options, setitem)) }
                    { text_field(Kind::Numeric, "数量", "ex-quantity", &quantity, None) }
                    if let Some(e) = &*error { <p class="error" role="alert" data-testid="field-error">{ e.clone() }</p> }
                    <div class="buttons">
                        <button type="button" class="primary" data-testid="ex-submit" disabled={*saving} onclick={onexchange}>
                            { if *saving { "正在保存…" } else { "兑换" } }
                        </button>
                        <button type="button" class="secondary" onclick={onclose}>{ "取消" }</button>
                    </div>
                </div>
            }
        }
        None => html! {
            <div class="buttons">
                <button type="button" class="primary" data-testid="ex-open" onclick={open(Form::Exchange)}>{ "积分兑换" }</button>
                <button type="button" class="secondary" data-testid="ex-item-open" onclick={open(Form::Item)}>{ "新增物品" }</button>
            </div>
        },
    };

    html! {
        <div class="exchange">
            <h2>{ "积分兑换" }</h2>
            if let Some(d) = &*done { <p class="banner" role="status" data-testid="ex-done">{ d.clone() }</p> }
            { form_html }
            <h2>{ "兑换物品" }</h2>
            { list }
            <h2>{ "我的兑换与物品" }</h2>
            { my_list(&app, &mine, &[kind::EXCHANGE, kind::ITEM], "my-exchange") }
        </div>
    }
}
