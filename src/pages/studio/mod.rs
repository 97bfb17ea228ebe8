//! `/preview`: the theme studio. Designers edit a theme and see the real
//! page components in any state, in a desktop and a 360 px frame, with the
//! contrast report the live page acts on. The URL is the whole state, so a
//! preview can be shared; "Copy JSON" gives the create-request fields.
//! No service is needed: every piece of data is built-in sample data.

pub mod sample;

use crate::api::ApiError;
use crate::components::account_choice::PayState;
use crate::components::account_form::FormState;
use crate::components::message::MessagePage;
use crate::i18n::{tr, use_lang};
use crate::location::{use_navigate, use_url};
use crate::pages::checkout::CheckoutFlow;
use crate::pages::connect::ConnectFlow;
use crate::pages::not_found::NotFound;
use druo_core::color::HexColor;
use druo_core::dto::AccountSubtype;
use druo_core::form::Field;
use druo_core::i18n::{fill, preview_state_msg, Msg};
use druo_core::studio::{Kind, PreviewState, StudioState};
use druo_core::Lang;
use leptos::html;
use leptos::prelude::*;
use sample::Preview;

/// A form filled as the state shows it.
fn preview_form(state: PreviewState) -> FormState {
    let form = FormState::new();
    if let Some(i) = sample::institutions()
        .institutions
        .into_iter()
        .find(|i| i.name == "Banco de Bogotá")
    {
        form.choose_institution(i);
    }
    form.subtype.set(Some(AccountSubtype::Savings));
    match state {
        PreviewState::FormErrors => {
            form.number.set("12a4".into());
            form.confirm.set("999".into());
            form.touched
                .update(|t| t.extend([Field::Number, Field::Confirm, Field::Authorization]));
        }
        _ => {
            form.number.set("0012345678".into());
            form.confirm.set("0012345678".into());
            form.authorized.set(state != PreviewState::Form);
        }
    }
    form
}

/// One frame's content: the live components, in the chosen state.
fn frame(s: &StudioState, wide: bool) -> AnyView {
    let preview = Preview {
        state: s.state,
        account: sample::account(s.state),
        payment: sample::payment(),
        wide,
    };
    match (s.state, s.kind) {
        (PreviewState::NotFound, _) => view! { <NotFound/> }.into_any(),
        (PreviewState::ServiceError, _) => {
            view! { <MessagePage title=Msg::ServiceErrorTitle body=Msg::ServiceErrorBody/> }
                .into_any()
        }
        (_, Kind::Connect) => {
            let institutions =
                LocalResource::new(|| async { Ok::<_, ApiError>(sample::institutions()) });
            view! {
                <ConnectFlow
                    link=sample::connect_link(s)
                    institutions
                    form=preview_form(s.state)
                    slug="sample".to_string()
                    preview=Some(preview)
                />
            }
            .into_any()
        }
        (_, Kind::Checkout) => {
            let institutions =
                LocalResource::new(|| async { Ok::<_, ApiError>(sample::institutions()) });
            let accounts = LocalResource::new(|| async { Ok::<_, ApiError>(sample::accounts()) });
            view! {
                <CheckoutFlow
                    link=sample::checkout_link(s)
                    accounts
                    institutions
                    form=preview_form(s.state)
                    pay=PayState::new()
                    slug="sample".to_string()
                    preview=Some(preview)
                />
            }
            .into_any()
        }
    }
}

/// The theme studio.
#[component]
pub fn StudioPage() -> impl IntoView {
    let lang = use_lang();
    let url = use_url();
    let navigate = use_navigate();
    // The URL is the single source of truth.
    let state = Memo::new(move |_| {
        url.with(|u| StudioState::from_query(u.query.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
    });
    Effect::new(move |_| lang.set(state.with(|s| s.lang)));
    let update = move |f: &dyn Fn(&mut StudioState)| {
        let mut s = state.get_untracked();
        f(&mut s);
        // The current path: `/preview` from link-server, `/preview/` from
        // a plain static server of dist/.
        let path = url.with_untracked(|u| u.path.clone());
        navigate(&format!("{path}?{}", s.to_query()), true);
    };
    let update = StoredValue::new_local(update);
    let set = move |f: &dyn Fn(&mut StudioState)| update.with_value(|u| u(f));

    // What re-mounts the frames: everything but the colours, which are
    // only CSS variables and change in place.
    let content = Memo::new(move |_| {
        state.with(|s| {
            let mut c = s.clone();
            c.colors.clear();
            c
        })
    });
    let resolved = Memo::new(move |_| state.with(|s| s.resolved()));
    let desktop = NodeRef::<html::Div>::new();
    let phone = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        let r = resolved.get();
        for node in [desktop.get(), phone.get()].into_iter().flatten() {
            let style = web_sys::HtmlElement::style(&node);
            for (var, color) in &r.vars {
                let _ = style.set_property(var, &color.to_string());
            }
        }
    });

    let json = Memo::new(move |_| {
        state.with(|s| serde_json::to_string_pretty(&s.request_body()).unwrap_or_default())
    });
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let text = json.get_untracked();
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&text);
        copied.set(true);
    };
    let endpoint = move || match state.with(|s| s.kind) {
        Kind::Connect => "POST /connect/link/create",
        Kind::Checkout => "POST /checkout/link/create",
    };

    let color_fields = move || {
        let kind = state.with(|s| s.kind);
        kind.slots()
            .iter()
            .map(|slot| {
                let field = slot.field;
                let text = move || state.with(|s| s.color(field));
                let invalid = move || {
                    let t = text();
                    !t.is_empty() && HexColor::parse(&t).is_none()
                };
                let picker_value = move || HexColor::parse(&text()).unwrap_or(slot.default).to_string();
                let id = format!("color-{field}");
                let err_id = format!("color-{field}-error");
                view! {
                    <div class="studio-color">
                        <label for=id.clone()>{field}</label>
                        <div class="studio-color-inputs">
                            <input
                                type="color"
                                aria-label=field
                                prop:value=picker_value
                                on:input=move |ev| { let v = event_target_value(&ev); set(&|s| s.set_color(field, &v)); }
                            />
                            <input
                                id=id
                                type="text"
                                class="text-input"
                                placeholder=slot.default.to_string()
                                spellcheck="false"
                                aria-invalid=move || invalid().to_string()
                                aria-describedby=err_id.clone()
                                prop:value=text
                                on:input=move |ev| { let v = event_target_value(&ev); set(&|s| s.set_color(field, &v)); }
                            />
                        </div>
                        <p class="field-error" id=err_id aria-live="polite">
                            {move || invalid().then(|| tr(Msg::StudioInvalidHex)())}
                        </p>
                    </div>
                }
            })
            .collect_view()
    };

    let text_field = move |label: Msg,
                           get: fn(&StudioState) -> String,
                           put: fn(&mut StudioState, String)| {
        view! {
            <label class="field-label">
                {tr(label)}
                <input
                    type="text"
                    class="text-input"
                    prop:value=move || state.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); set(&|s| put(s, v.clone())); }
                />
            </label>
        }
    };

    view! {
        <div class="studio">
            <header class="brand-bar wide"><span class="brand">"DRUO"</span><h1 class="studio-title">{tr(Msg::StudioTitle)}</h1></header>
            <div class="studio-body">
                <section class="studio-panel" aria-label=tr(Msg::StudioPanel)>
                    <fieldset>
                        <legend class="field-label">{tr(Msg::StudioKind)}</legend>
                        {[(Kind::Connect, Msg::StudioConnect), (Kind::Checkout, Msg::StudioCheckout)].into_iter().map(|(k, m)| view! {
                            <label class="choice">
                                <input type="radio" name="kind" value=k.code()
                                    prop:checked=move || state.with(|s| s.kind == k)
                                    on:change=move |_| set(&|s| s.kind = k)/>
                                <span>{tr(m)}</span>
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <label class="field-label" for="studio-lang">{tr(Msg::LanguageLabel)}</label>
                    <select id="studio-lang" class="text-input"
                        on:change=move |ev| { let v = event_target_value(&ev); set(&|s| s.lang = Lang::parse(&v).unwrap_or_default()); }>
                        {Lang::ALL.into_iter().map(|l| view! {
                            <option value=l.code() selected=move || state.with(|s| s.lang == l)>{Msg::LanguageName.text(l)}</option>
                        }).collect_view()}
                    </select>
                    <label class="field-label" for="studio-state">{tr(Msg::StudioState)}</label>
                    <select id="studio-state" class="text-input"
                        on:change=move |ev| { let v = event_target_value(&ev); set(&|s| s.state = PreviewState::parse(&v).unwrap_or(PreviewState::Intro)); }>
                        {PreviewState::ALL.into_iter().map(|p| view! {
                            <option value=p.code() selected=move || state.with(|s| s.state == p)>{tr(preview_state_msg(p))}</option>
                        }).collect_view()}
                    </select>
                    <h2 class="subheading">{tr(Msg::StudioColors)}</h2>
                    {color_fields}
                    <h2 class="subheading">{tr(Msg::StudioTexts)}</h2>
                    {move || match state.with(|s| s.kind) {
                        Kind::Connect => view! {
                            {text_field(Msg::StudioIntroEn, |s| s.intro_en.clone(), |s, v| s.intro_en = v)}
                            {text_field(Msg::StudioIntroEs, |s| s.intro_es.clone(), |s, v| s.intro_es = v)}
                        }.into_any(),
                        Kind::Checkout => view! {
                            {text_field(Msg::StudioLinkName, |s| s.link_name.clone(), |s, v| s.link_name = v)}
                            {text_field(Msg::StudioLinkDescription, |s| s.link_description.clone(), |s, v| s.link_description = v)}
                            {text_field(Msg::AmountLabel, |s| s.amount.clone(), |s, v| s.amount = v)}
                            {text_field(Msg::StudioTxDescription, |s| s.description.clone(), |s, v| s.description = v)}
                            {text_field(Msg::StatementLabel, |s| s.statement_descriptor.clone(), |s, v| s.statement_descriptor = v)}
                        }.into_any(),
                    }}
                    <p class="hint">{tr(Msg::StudioShareHint)}</p>
                    <h2 class="subheading">"JSON"</h2>
                    <p class="hint">{move || fill(Msg::StudioJsonHint.text(lang.get()), &[("endpoint", endpoint())])}</p>
                    <pre id="studio-json" class="studio-json">{move || json.get()}</pre>
                    <button class="primary" on:click=copy>
                        {move || if copied.get() { tr(Msg::StudioCopied)() } else { tr(Msg::StudioCopyJson)() }}
                    </button>
                </section>
                <section class="studio-preview">
                    <h2 class="subheading">{tr(Msg::StudioContrast)}</h2>
                    <table class="contrast">
                        <tbody>
                            {move || resolved.get().checks.into_iter().map(|c| view! {
                                <tr class:fail=!c.passes>
                                    <td>{format!("{} / {}", c.fg, c.bg)}</td>
                                    <td>{format!("{:.2}:1", c.ratio)}</td>
                                    <td>{format!("≥ {}:1", c.min)}</td>
                                    <td>{tr(if c.passes { Msg::StudioPass } else { Msg::StudioFail })}</td>
                                    <td>{c.adjusted.map(|(var, color)| move || fill(Msg::StudioAdjusted.text(lang.get()), &[("var", var), ("color", &color.to_string())]))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <div class="studio-frames">
                        <figure class="preview-frame desktop">
                            <figcaption>{tr(Msg::StudioDesktop)}</figcaption>
                            <div class="preview-viewport" node_ref=desktop>{move || frame(&content.get(), true)}</div>
                        </figure>
                        <figure class="preview-frame phone">
                            <figcaption>{tr(Msg::StudioPhone)}</figcaption>
                            <div class="preview-viewport" node_ref=phone>{move || frame(&content.get(), false)}</div>
                        </figure>
                    </div>
                </section>
            </div>
        </div>
    }
}
