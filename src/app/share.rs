//! "Copy link to this moment" and "Copy embed code": the state as a URL (the same one the address
//! bar holds) and as an iframe snippet, copied to the clipboard and shown for copying by hand;
//! "Download trace" and "Download CSV": the run as a file (`view::embed::Download`).

use yew::prelude::*;

use wasm_bindgen::JsCast;

use crate::app::SharedTrace;
use crate::view::config::{Moment, PageConfig};
use crate::view::embed::{iframe_snippet, Download};
use crate::view::scenes::SceneId;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub config: PageConfig,
    /// The moment the link names (the end, or a time).
    pub moment: Moment,
    /// The speed the reader chose, if any.
    pub speed: Option<f64>,
    /// The scene on the page, measured for the iframe's first height.
    pub scene: NodeRef,
}

/// The address of the app itself: this page's for the app's own page, the folder of the loader
/// script for a widget inside someone else's page.
fn app_address() -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let loader = window
        .document()
        .and_then(|d| d.query_selector("script[src$='boot.js']").ok().flatten())
        .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlScriptElement>(el).ok())
        .map(|s| s.src());
    let page_is_app = window
        .document()
        .and_then(|d| d.get_element_by_id("al-root"))
        .is_some();
    match loader {
        Some(src) if !page_is_app => src.trim_end_matches("boot.js").to_string(),
        _ => {
            let location = window.location();
            format!(
                "{}{}",
                location.origin().unwrap_or_default(),
                location.pathname().unwrap_or_default()
            )
        }
    }
}

#[component]
pub fn Share(props: &ShareProps) -> Html {
    let shown = use_state(|| None::<(&'static str, String)>);
    let moment = props.moment;
    let page = PageConfig {
        speed: props.speed,
        embed: false,
        ..props.config.clone()
    };
    let copy = |what: &'static str| {
        let shown = shown.clone();
        let page = page.clone();
        let scene = props.scene.clone();
        Callback::from(move |_: MouseEvent| {
            let base = app_address();
            // The scene as it stands, plus the compact title an iframe shows above it.
            let height = scene
                .cast::<web_sys::Element>()
                .map_or(900.0, |el| el.get_bounding_client_rect().height() + 64.0);
            let text = match what {
                "link" => format!("{base}?{}", page.to_query(Some(moment))),
                _ => {
                    let embed = PageConfig {
                        embed: true,
                        ..page.clone()
                    };
                    iframe_snippet(
                        &format!("{base}?{}", embed.to_query(Some(moment))),
                        &format!("Async Lanes: {}", page.scene.label()),
                        height,
                    )
                }
            };
            // The clipboard exists only on secure pages and may refuse (no permission): the
            // text stays on screen to copy by hand either way.
            if let Some(navigator) = web_sys::window().map(|w| w.navigator()) {
                let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
                    .is_ok_and(|c| !c.is_undefined() && !c.is_null());
                if has_clipboard {
                    let promise = navigator.clipboard().write_text(&text);
                    // Awaited so that a refusal is handled here rather than reported as an
                    // uncaught rejection.
                    yew::platform::spawn_local(async move {
                        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                    });
                }
            }
            shown.set(Some((what, text)));
        })
    };
    html! {
        <>
            <button class="al-btn al-btn-text" onclick={copy("link")}>{ "Copy link to this moment" }</button>
            <button class="al-btn al-btn-text" onclick={copy("embed")}>{ "Copy embed code" }</button>
            if let Some((what, text)) = (*shown).clone() {
                <label class="al-copied">
                    <span>{ if what == "link" { "Link copied:" } else { "Embed code copied:" } }</span>
                    <textarea class="al-copied-text" readonly=true rows={if what == "link" { "1" } else { "9" }} value={text} />
                </label>
            }
        </>
    }
}

/// "Download trace" and "Download CSV": the run on screen, saved as a file.
pub fn downloads(trace: &SharedTrace, scene: SceneId) -> Html {
    let button = |kind: Download| {
        let trace = trace.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let (name, media, text) = kind.file(scene, &trace);
            save(&name, media, &text);
        });
        html! { <button class="al-btn al-btn-text" data-download={kind.slug()} {onclick}>{ kind.label() }</button> }
    };
    html! { <>{ button(Download::Perfetto) }{ button(Download::Csv) }</> }
}

/// Saves `text` as a file called `name`: a link to a blob of it, clicked, then let go.
fn save(name: &str, media: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(link) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
