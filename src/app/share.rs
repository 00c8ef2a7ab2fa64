//! "Copy link to this moment" and "Copy embed code": the state as a URL (the same one the address
//! bar holds) and as an iframe snippet, copied to the clipboard and shown for copying by hand;
//! "Download trace" and "Download CSV": the run as a file (`view::embed::Download`).

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use wasm_bindgen::{JsCast, JsValue};

use crate::app::markup::{el, list, Markup};
use crate::app::scenes::Held;
use crate::app::SharedTrace;
use crate::view::chrome::Chrome;
use crate::view::config::{Moment, PageConfig};
use crate::view::embed::{self, Download, EmbedChoice, EmbedKind};
use crate::view::scenes::SceneId;

/// What "Copy link" and "Copy embed code" share: the page, the moment the link names (the end,
/// or a time), the speed the reader chose (if any), and the scene on the page, measured for the
/// iframe's first height.
pub struct ShareProps<'a> {
    pub config: &'a PageConfig,
    pub moment: Moment,
    pub speed: Option<f64>,
    pub scene: &'a NodeRef,
}

/// The address of the app itself: this page's for the app's own page, the folder of the loader
/// script for a widget inside someone else's page.
pub fn app_address() -> String {
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
        Some(src) if !page_is_app => src.strip_suffix("boot.js").unwrap_or(&src).to_string(),
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

/// The app's page showing `config` with everything around it.
pub fn full_version(config: &PageConfig) -> String {
    embed::full_version(config, embed::folder(&app_address()))
}

/// Puts `text` on the clipboard where the page may; it is on screen to copy by hand either way.
fn to_clipboard(text: &str) {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return;
    };
    // The clipboard exists only on secure pages and may refuse (no permission).
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if has_clipboard {
        // A refusal is caught here rather than reported as an uncaught rejection; the handler
        // is handed to the browser to free. A handler rather than awaiting the promise in a
        // task, which alone brought the wasm's futures machinery along (about 950 bytes gzip).
        let ignore = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
        let _ = navigator.clipboard().write_text(text).catch(&ignore);
        let _ = ignore.into_js_value();
    }
}

/// What was copied last: the link, or the embed code as chosen (with the iframe's first height).
/// The scene's hook holds it beside the very text copied, which the box shows.
#[derive(Clone, PartialEq)]
pub enum Copied {
    Link,
    /// The choice, the heights of the scene and its picture when it was asked for, and the
    /// moment on screen then (the box shows what was copied, while the clock moves on).
    Embed(EmbedChoice, (f64, f64), Moment),
}

/// The two buttons, and the panel of what they copied last (the text `copied`, the scene's
/// state, and what it was, kept in `held`: a state of its own type would cost the wasm its own
/// copy of Yew's state code). A function, not a component: each component type costs the wasm
/// its own copy of Yew's machinery.
pub fn share(props: ShareProps, copied: &UseStateHandle<String>, held: &Rc<RefCell<Held>>) -> Html {
    let mut page = props.config.clone();
    (page.speed, page.embed) = (props.speed, false);
    let page = Rc::new(page);
    // The app's address is read from the page when something is copied, not on every frame (it
    // searches the document).
    let folder = || embed::folder(&app_address()).to_string();
    let moment = props.moment;
    let (link_words, names_moment) = embed::link_button(page.scene);
    let link = {
        let page = Rc::clone(&page);
        move || {
            format!(
                "{}?{}",
                folder(),
                page.to_query(names_moment.then_some(moment))
            )
        }
    };
    let first = EmbedChoice::first(page.chrome);
    // Each choice copies again, and the box shows the text copied: what the clipboard has.
    let copy = {
        let (copied, held) = (copied.clone(), held.clone());
        move |c: Copied| {
            let text = match &c {
                Copied::Link => link(),
                Copied::Embed(choice, (scene, picture), at) => {
                    let height = embed::first_height(choice.chrome, *scene, *picture);
                    embed::snippet(&page, *choice, &folder(), *at, height)
                }
            };
            to_clipboard(&text);
            held.borrow_mut().copied = Some(c);
            copied.set(text);
        }
    };
    let on_link = {
        let copy = copy.clone();
        Callback::from(move |_: MouseEvent| copy(Copied::Link))
    };
    let on_embed = {
        let copy = copy.clone();
        let scene = props.scene.clone();
        Callback::from(move |_: MouseEvent| {
            // Measured when asked, not on every frame.
            let scene = scene.cast::<web_sys::Element>();
            let picture = scene
                .as_ref()
                .and_then(|s| s.query_selector(".al-picture").ok().flatten());
            let h = |el: Option<web_sys::Element>| {
                el.map_or(900.0, |e| e.get_bounding_client_rect().height())
            };
            copy(Copied::Embed(first, (h(scene), h(picture)), moment));
        })
    };
    let mut m = Markup::new();
    el!(m, "button", class = "al-btn al-btn-text"; {
        m.onclick(on_link);
        m.text(link_words);
    });
    el!(m, "button", class = "al-btn al-btn-text"; {
        m.onclick(on_embed);
        m.text("Copy embed code");
    });
    let last = held.borrow().copied.clone();
    match last.map(|c| (c, (**copied).clone())) {
        None => m.node(Html::default()),
        Some((Copied::Link, text)) => el!(m, "label", class = "al-copied"; {
            el!(m, "span"; { m.text("Link copied:") });
            el!(m, "textarea", class = "al-copied-text", readonly = "readonly", rows = "1"; { m.value_prop(text) });
        }),
        Some((Copied::Embed(choice, h, at), text)) => {
            let rechoose = |f: fn(&mut EmbedChoice, &web_sys::HtmlInputElement)| {
                let copy = copy.clone();
                Callback::from(move |e: Event| {
                    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                    let mut next = choice;
                    f(&mut next, &input);
                    copy(Copied::Embed(next, h, moment));
                })
            };
            let on_chrome = {
                let copy = copy.clone();
                Callback::from(move |e: Event| {
                    let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                    let chrome = Chrome::from_slug(&select.value()).unwrap_or_default();
                    copy(Copied::Embed(EmbedChoice { chrome, ..choice }, h, moment));
                })
            };
            el!(m, "div", class = "al-copied al-embed", role = "group", "aria-label" = "Embed code"; {
                el!(m, "div", class = "al-embed-choices"; {
                    for (k, label) in [(EmbedKind::Iframe, "An iframe"), (EmbedKind::Inline, "In the page itself")] {
                        el!(m, "label", class = "al-embed-option"; {
                            el!(m, "input", "type" = "radio", name = "al-embed-kind"; {
                                m.checked(choice.kind == k);
                                m.value_prop(if k == EmbedKind::Iframe { "iframe" } else { "inline" });
                                m.onchange(rechoose(|c, i| c.kind = if i.value() == "iframe" { EmbedKind::Iframe } else { EmbedKind::Inline }));
                            });
                            m.text(label);
                        });
                    }
                    el!(m, "label", class = "al-field"; {
                        el!(m, "span"; { m.text("Around the picture") });
                        el!(m, "select"; {
                            m.onchange(on_chrome);
                            list!(m, {
                                for &c in Chrome::ALL.iter() {
                                    el!(m, "option", value = c.slug(), selected = (c == choice.chrome).then_some("selected"); {
                                        m.text(c.label());
                                    });
                                }
                            });
                        });
                    });
                    el!(m, "label", class = "al-embed-option"; {
                        el!(m, "input", "type" = "checkbox"; {
                            m.checked(choice.this_moment);
                            m.onchange(rechoose(|c, i| c.this_moment = i.checked()));
                        });
                        m.say(embed::moment_words(if choice.this_moment { at } else { props.moment }));
                    });
                });
                el!(m, "label", class = "al-copied-label"; {
                    el!(m, "span"; { m.text("Embed code copied:") });
                    el!(m, "textarea", class = "al-copied-text", readonly = "readonly", rows = "5"; { m.value_prop(text) });
                });
            });
        }
    }
    m.finish()
}

/// "Download trace" and "Download CSV": the run on screen, saved as a file.
pub fn downloads(trace: &SharedTrace, scene: SceneId) -> Html {
    let mut m = Markup::new();
    for kind in [Download::Perfetto, Download::Csv] {
        let trace = trace.clone();
        el!(m, "button", class = "al-btn al-btn-text", "data-download" = kind.slug(); {
            m.onclick(Callback::from(move |_: MouseEvent| {
                let (name, media, text) = kind.file(scene, &trace);
                save(&name, media, &text);
            }));
            m.text(kind.label());
        });
    }
    m.finish()
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
