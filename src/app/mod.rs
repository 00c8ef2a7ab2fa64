//! The browser app: Yew components that draw what the simulation core computed. Compiled for
//! wasm32 only; it never computes a number the reader sees, it asks `crate::sim`.

mod controls;
mod hooks;
mod legend;
pub mod markup;
mod scene;
mod scenes;
mod setup;
mod share;
mod stats;
mod timeline;

use yew::prelude::*;

use crate::app::hooks::use_resize_messages;
use crate::app::markup::{el, list, when, Markup};
use crate::view::change::Change;
use crate::view::config::PageConfig;
use crate::view::embed::end_stat;
use crate::view::scenes::SceneId;

/// Mounts the app: on the page's `#al-root` element (the app's own page, configured by the
/// query string), and on every `[data-async-lanes]` element (an inline widget in someone else's
/// page, configured by the attribute's value, with the same keys as the URL).
pub fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    if let Some(root) = document.get_element_by_id("al-root") {
        let query = window.location().search().unwrap_or_default();
        root.set_inner_html("");
        let props = AppProps {
            query: query.into(),
            owns_page: true,
        };
        yew::Renderer::<App>::with_root_and_props(root, props).render();
    }
    for el in elements(&document, "[data-async-lanes]") {
        let query = el.get_attribute("data-async-lanes").unwrap_or_default();
        el.set_inner_html("");
        let props = AppProps {
            query: query.into(),
            owns_page: false,
        };
        yew::Renderer::<App>::with_root_and_props(el, props).render();
    }
    // An article's own words can carry the simulation's numbers: an element with
    // `data-async-lanes-stat="last-wait-s"` and `data-async-lanes-of="scene=blocking&students=20"`
    // shows that number at the end of that run (its text until then is the fallback).
    for el in elements(&document, "[data-async-lanes-stat]") {
        let key = el
            .get_attribute("data-async-lanes-stat")
            .unwrap_or_default();
        let query = el.get_attribute("data-async-lanes-of").unwrap_or_default();
        if let Some(text) = end_stat(&query, &key) {
            el.set_text_content(Some(&text));
        }
    }
}

/// The elements of `document` matching `selector`.
fn elements(document: &web_sys::Document, selector: &str) -> Vec<web_sys::Element> {
    let Ok(list) = document.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The configuration, as a URL query (`scene=async&students=20`).
    #[prop_or_default]
    pub query: AttrValue,
    /// Whether the app is the page (it then owns the URL and the keys).
    #[prop_or(true)]
    pub owns_page: bool,
}

/// The whole app: header, scene tabs, notices, then the scene.
#[component]
pub fn App(props: &AppProps) -> Html {
    // The query is read when the app mounts; from then on the state is the app's: the setup and
    // the notices about the query, with the app's element and its id for the page's patterns,
    // which stay for the app's life. One state: each state's type adds its own code to the wasm.
    let state = use_state(|| {
        let (config, errors) = PageConfig::parse(&props.query);
        let notices = errors.iter().map(|e| config.notice(e)).collect::<Vec<_>>();
        (config, notices, NodeRef::default(), next_uid())
    });
    let (config, notices, app_ref, uid) = &*state;
    let on_change = {
        let state = state.clone();
        Callback::from(move |change: Change| {
            let (config, notices, app_ref, uid) = &*state;
            let cleared = matches!(change, Change::Scene(_));
            // A refused change leaves the setup as it was; the form says why beside itself.
            let next = config.apply(change).ok();
            if next.is_some() || cleared {
                let notices = if cleared { Vec::new() } else { notices.clone() };
                let config = next.unwrap_or_else(|| config.clone());
                state.set((config, notices, app_ref.clone(), uid.clone()));
            }
        })
    };
    // An iframe (`embed=1`) or an inline widget shows the scene alone, without the site's chrome.
    let parts = config.chrome.parts();
    let compact = config.embed || !props.owns_page || parts.title_link;
    use_resize_messages(app_ref.clone(), config.embed && props.owns_page);
    let mut m = Markup::new();
    el!(m, "div", class = if compact { "al-app al-compact" } else { "al-app" }; {
        m.node_ref(app_ref.clone());
        match compact {
            true => m.node(Html::default()),
            false => el!(m, "header", class = "al-header"; {
                el!(m, "h1", class = "al-title"; { m.text("Async Lanes") });
                el!(m, "p", class = "al-subtitle"; { m.text("The Life of a Backend Request, part 2: blocking and async I/O") });
            }),
        }
        if compact {
            el!(m, "h2", class = "al-widget-title"; {
                m.say(format!("Async Lanes: {}", config.scene.label()));
                when!(m, parts.title_link, {
                    el!(m, "a", class = "al-full-link", href = share::full_version(config), target = "_blank",
                        rel = "noopener"; { m.text("Open the full version") });
                });
            });
        } else {
            el!(m, "nav", class = "al-tabs", "aria-label" = "Scenes"; {
                list!(m, {
                    for &scene in SceneId::ALL.iter() {
                        el!(m, "button", class = "al-tab", "aria-current" = (scene == config.scene).then_some("page"); {
                            m.send(&on_change, Change::Scene(scene));
                            m.text(scene.label());
                        });
                    }
                });
            });
        }
        when!(m, !notices.is_empty(), {
            el!(m, "div", class = "al-notices", role = "alert"; {
                list!(m, {
                    for n in notices.iter() {
                        el!(m, "p", class = "al-notice"; { m.say(format!("async-lanes: {n}")) });
                    }
                });
            });
        });
        when!(m, parts.lede, {
            el!(m, "p", class = "al-section"; { m.say(format!("From the article: {}", config.scene.section())) });
        });
        m.node(html! {
            <scene::Scene key={config.scene.slug()} config={config.clone()} on_change={on_change.clone()}
                owns_page={props.owns_page} uid={format!("{}-{}", uid, config.scene.slug())} />
        });
    });
    m.finish()
}

pub use crate::view::run::SharedTrace;

/// A prefix unique on the page, for ids inside one app instance.
fn next_uid() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("al{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
