//! The markup writer makes the elements `html!` makes: the same picture written both ways,
//! mounted in headless Chromium, gives the same tags, attributes and text, and its listeners
//! answer.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use async_lanes::app::markup::Markup;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq)]
struct Props {
    written: bool,
    clicks: Callback<MouseEvent>,
}

/// A stat, an optional note, a list and a button: `html!`'s way or the writer's.
#[component]
fn Picture(props: &Props) -> Html {
    let (value, note) = (String::from("2.5"), None::<&'static str>);
    if !props.written {
        return html! {
            <div class="al-stat" data-value={value.clone()}>
                <dt>{ "Mean wait" }</dt>
                if let Some(note) = note { <dd>{ note }</dd> }
                <ul aria-hidden="true">{ for ["A", "B"].iter().map(|s| html! { <li>{ *s }</li> }) }</ul>
                <button type="button" onclick={props.clicks.clone()}>{ format!("{value} s") }</button>
            </div>
        };
    }
    let mut m = Markup::new();
    m.open("div", &["class", "data-value"]);
    m.attr("al-stat");
    m.attr(value.clone());
    m.open("dt", &[]);
    m.text("Mean wait");
    m.close();
    m.open("", &[]);
    if let Some(note) = note {
        m.open("dd", &[]);
        m.text(note);
        m.close();
    }
    m.close_list();
    m.open("ul", &["aria-hidden"]);
    m.attr("true");
    for s in ["A", "B"] {
        m.open("li", &[]);
        m.text(s);
        m.close();
    }
    m.close();
    m.open("button", &["type"]);
    m.attr("button");
    m.onclick(props.clicks.clone());
    m.say(format!("{value} s"));
    m.close();
    m.close();
    m.finish()
}

fn mount(written: bool, clicks: Callback<MouseEvent>) -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Picture>::with_root_and_props(root.clone(), Props { written, clicks }).render();
    root
}

/// An element as a comparable text: its tag, its attributes in name order, its text and its
/// children's, in order (the order of attributes in the markup is not part of the page).
fn shape(node: &web_sys::Node) -> String {
    let Some(el) = node.dyn_ref::<web_sys::Element>() else {
        return format!("{:?}", node.text_content().unwrap_or_default());
    };
    let mut attrs: Vec<String> = el
        .get_attribute_names()
        .iter()
        .map(|n| {
            let n = n.as_string().unwrap();
            format!("{n}={:?}", el.get_attribute(&n).unwrap_or_default())
        })
        .collect();
    attrs.sort();
    let children = el.child_nodes();
    let kids: Vec<String> = (0..children.length())
        .filter_map(|i| children.item(i))
        .map(|c| shape(&c))
        .collect();
    format!(
        "<{} {}>[{}]",
        el.tag_name(),
        attrs.join(" "),
        kids.join(",")
    )
}

#[wasm_bindgen_test]
async fn the_writer_makes_the_elements_html_makes() {
    let count = Rc::new(Cell::new(0));
    let clicks = {
        let count = Rc::clone(&count);
        Callback::from(move |_: MouseEvent| count.set(count.get() + 1))
    };
    let by_macro = mount(false, clicks.clone());
    let by_writer = mount(true, clicks);
    gloo_timers::future::TimeoutFuture::new(50).await;
    let expected = shape(&by_macro);
    assert!(expected.contains("data-value=\"2.5\""), "{expected}");
    assert_eq!(shape(&by_writer), expected);
    let button = by_writer.query_selector("button").unwrap().unwrap();
    button.unchecked_into::<web_sys::HtmlElement>().click();
    assert_eq!(count.get(), 1, "the writer's listener answers a click");
}

/// Form fields: a text input, a checked radio button, a textarea and a select, `html!`'s way or
/// the writer's. Their values and checked states are properties, not attributes.
#[component]
fn Fields(props: &Props) -> Html {
    let text = String::from("0, 1.5");
    if !props.written {
        return html! {
            <form>
                <input type="text" inputmode="decimal" value={text.clone()} />
                <input type="radio" name="kind" value="iframe" checked=true />
                <textarea class="al-copied-text" readonly=true rows="1" value={text} />
                <select>
                    <option value="" selected={false}>{ "nobody" }</option>
                    { for [1, 2].iter().map(|i| html! {
                        <option value={i.to_string()} selected={*i == 2}>{ format!("#{i}") }</option>
                    }) }
                </select>
            </form>
        };
    }
    let mut m = Markup::new();
    m.open("form", &[]);
    m.open("input", &["type", "inputmode"]);
    m.attr("text");
    m.attr("decimal");
    m.value_prop(text.clone());
    m.close();
    m.open("input", &["type", "name"]);
    m.attr("radio");
    m.attr("kind");
    m.value_prop("iframe");
    m.checked(true);
    m.close();
    m.open("textarea", &["class", "readonly", "rows"]);
    m.attr("al-copied-text");
    m.attr("readonly");
    m.attr("1");
    m.value_prop(text);
    m.close();
    m.open("select", &[]);
    m.open("option", &["value", "selected"]);
    m.attr("");
    m.attr(None::<&'static str>);
    m.text("nobody");
    m.close();
    m.open("", &[]);
    for i in [1, 2] {
        m.open("option", &["value", "selected"]);
        m.attr(i.to_string());
        m.attr((i == 2).then_some("selected"));
        m.say(format!("#{i}"));
        m.close();
    }
    m.close_list();
    m.close();
    m.close();
    m.finish()
}

/// The fields' shapes, and what a reader sees in them: each input's value and checked state, the
/// textarea's value, the select's value.
fn fields_of(root: &web_sys::Element) -> String {
    let inputs = root.query_selector_all("input").unwrap();
    let seen: Vec<String> = (0..inputs.length())
        .map(|i| {
            let input: web_sys::HtmlInputElement = inputs.item(i).unwrap().unchecked_into();
            format!("{:?} {}", input.value(), input.checked())
        })
        .collect();
    let area: web_sys::HtmlTextAreaElement = root
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let select: web_sys::HtmlSelectElement = root
        .query_selector("select")
        .unwrap()
        .unwrap()
        .unchecked_into();
    format!(
        "{} | {} | {:?} | {:?}",
        shape(root),
        seen.join(", "),
        area.value(),
        select.value()
    )
}

#[wasm_bindgen_test]
async fn the_writer_makes_the_form_fields_html_makes() {
    let document = web_sys::window().unwrap().document().unwrap();
    let mut roots = Vec::new();
    for written in [false, true] {
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let props = Props {
            written,
            clicks: Callback::noop(),
        };
        yew::Renderer::<Fields>::with_root_and_props(root.clone(), props).render();
        roots.push(root);
    }
    gloo_timers::future::TimeoutFuture::new(50).await;
    let expected = fields_of(&roots[0]);
    assert!(
        expected.contains("\"iframe\" true") && expected.ends_with("\"0, 1.5\" | \"2\""),
        "{expected}"
    );
    assert_eq!(fields_of(&roots[1]), expected);
}
