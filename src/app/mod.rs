//! The browser app: Yew components that draw what the simulation core computed. Compiled for
//! wasm32 only; it never computes a number the reader sees, it asks `crate::sim`.

use yew::prelude::*;

/// Mounts the app on the page's `#al-root` element (or on `<body>` when the host page has none).
pub fn start() {
    let document = web_sys::window().and_then(|w| w.document());
    let root = document.as_ref().and_then(|d| d.get_element_by_id("al-root"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

/// The whole page: header, scene, controls and stats strip.
#[component]
pub fn App() -> Html {
    html! {
        <div class="al-app">
            <header class="al-header">
                <h1 class="al-title">{ "Async Lanes" }</h1>
                <p class="al-subtitle">
                    { "The Life of a Backend Request, part 2: blocking and async I/O" }
                </p>
            </header>
            <main class="al-main">
                <section class="al-scene" aria-label="Scene">
                    <p class="al-lede">
                        { "One server registers students: validate the form, save to the database, send an email. " }
                        { "Watch what a worker does while it waits." }
                    </p>
                </section>
                <section class="al-controls" aria-label="Playback"></section>
                <section class="al-stats" aria-label="Numbers"></section>
            </main>
        </div>
    }
}
