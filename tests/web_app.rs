//! Browser component tests: the root component mounts in headless Chromium and shows its header.
#![cfg(target_arch = "wasm32")]

use async_lanes::app::{App, AppProps};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `App` into a fresh element and returns that element.
fn mount_app() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let props = AppProps {
        query: "scene=async".into(),
        owns_page: false,
    };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    root
}

/// Lets Yew's scheduler run the first render.
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(50).await;
}

#[wasm_bindgen_test]
async fn root_component_mounts_and_shows_its_header() {
    let root = mount_app();
    settle().await;
    let title = root
        .query_selector("h1.al-title")
        .unwrap()
        .expect("an h1 title");
    assert_eq!(title.text_content().unwrap(), "Async Lanes");
    let header = root.query_selector(".al-header").unwrap().unwrap();
    assert!(header
        .text_content()
        .unwrap()
        .contains("The Life of a Backend Request"));
}
