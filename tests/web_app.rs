//! Browser component tests: the root component mounts in headless Chromium, shows its header as a
//! page and its compact title as a widget, and shows the core's own numbers.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app
#![cfg(target_arch = "wasm32")]

use async_lanes::app::{App, AppProps};
use async_lanes::sim::{simulate, Scenario};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `App` into a fresh element and returns that element.
fn mount_app(query: &str, owns_page: bool) -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let props = AppProps {
        query: query.to_string().into(),
        owns_page,
    };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    root
}

/// Lets Yew's scheduler run the first render and its effects.
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(50).await;
}

fn text_of(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .text_content()
        .unwrap()
}

fn stat(root: &web_sys::Element, key: &str) -> f64 {
    root.query_selector(&format!(".al-stats [data-stat=\"{key}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no stat {key}"))
        .get_attribute("data-value")
        .unwrap()
        .parse()
        .unwrap()
}

#[wasm_bindgen_test]
async fn root_component_mounts_and_shows_its_header() {
    let root = mount_app("", true);
    settle().await;
    assert_eq!(text_of(&root, "h1.al-title"), "Async Lanes");
    assert!(text_of(&root, ".al-header").contains("The Life of a Backend Request"));
}

#[wasm_bindgen_test]
async fn a_widget_shows_its_scene_without_the_site_header() {
    let root = mount_app("scene=async&students=20", false);
    settle().await;
    assert!(root.query_selector(".al-header").unwrap().is_none());
    assert_eq!(text_of(&root, ".al-widget-title"), "Async Lanes: Async");
}

#[wasm_bindgen_test]
async fn the_stats_at_the_end_are_the_cores_numbers() {
    let root = mount_app("scene=blocking&t=end", false);
    settle().await;
    let metrics = simulate(&Scenario::default()).unwrap().metrics;
    assert_eq!(stat(&root, "completed"), f64::from(metrics.completed));
    assert_eq!(
        stat(&root, "last-wait-s"),
        metrics.latency.max.as_secs_f64()
    );
    assert_eq!(stat(&root, "mean-wait-s"), metrics.latency.mean_s);
    assert_eq!(stat(&root, "last-wait-s"), 200.0);
}
