//! A markup writer: the elements `html!` would make, written by calls to a few shared functions.
//! `html!` builds each element inline, field by field, so every element of every picture costs
//! the wasm its own copy of that code (about 45 bytes gzip each); here an element is a call to
//! open it, one per attribute value, and one to close it. The elements made are the ones `html!`
//! makes: the same tags, attributes, text and listeners, and for inputs and textareas the value
//! and checked state as properties (`value_prop`, `checked`), as `html!` sets them. A run of
//! children whose number varies (`list!`, `when!`) is gathered in a list of its own, so the
//! siblings after it keep their places and yew matches them alike from one frame to the next.
//!
//! ```ignore
//! let mut m = Markup::new();
//! el!(m, "dd", "data-stat" = key, class = "al-stat-value"; {
//!     m.say(shown);                       // children: text, nodes, more elements
//!     m.onclick(callback);                // and listeners
//! });
//! list!(m, { for s in stats { el!(m, "dt"; { m.text(s.label) }); } });
//! when!(m, shown, { el!(m, "p"; { m.text("Only now") }); });
//! m.finish()
//! ```

use std::rc::Rc;

use yew::virtual_dom::{
    AttrValue, AttributeOrProperty, Attributes, Key, Listener, Listeners, VList, VTag, VText,
};
use yew::{Callback, Event, Html, InputEvent, MouseEvent, NodeRef};

use crate::view::change::Change;

/// `el!(m, "tag", key = value, "data-key" = value; { children })`: the element `tag` with
/// those attributes (a value is a `&'static str`, a `String` or an `Option` of them, `None`
/// leaving the attribute out), then what the block writes inside it. Attribute names that are
/// not Rust names are written as strings.
macro_rules! el {
    // A fixed class first, the commonest case, takes one call with the opening.
    ($m:ident, $tag:literal, class = $c:literal $(, $k:tt = $v:expr)* $(; $body:block)?) => {{
        $m.open_class($tag, &["class", $($crate::app::markup::key!($k)),*], $c);
        $($m.attr($v);)*
        $($body)?
        $m.close();
    }};
    ($m:ident, $tag:literal $(, $k:tt = $v:expr)* $(; $body:block)?) => {{
        $m.open($tag, &[$($crate::app::markup::key!($k)),*]);
        $($m.attr($v);)*
        $($body)?
        $m.close();
    }};
}

/// What `body` writes (a loop's elements), gathered in one list of its own: however many there
/// are, the siblings after it keep their places.
macro_rules! list {
    ($m:ident, $body:block) => {{
        $m.open("", &[]);
        $body
        $m.close_list();
    }};
}

/// What `body` writes when `show`, else an empty list, so that the siblings after it keep their
/// places either way.
macro_rules! when {
    ($m:ident, $show:expr, $body:block) => {{
        $m.open("", &[]);
        if $show $body
        $m.close_list();
    }};
}

macro_rules! key {
    ($k:ident) => {
        stringify!($k)
    };
    ($k:literal) => {
        $k
    };
}

pub(crate) use {el, key, list, when};

/// An attribute's value as the writer takes it: a `&'static str`, a `String`, an `AttrValue`, or
/// an `Option` of them (`None` leaves the attribute out). Each kind goes to a function of its
/// own, so a value costs its element one call.
pub trait IntoAttr {
    fn put(self, m: &mut Markup);
}

impl IntoAttr for &'static str {
    #[inline(always)]
    fn put(self, m: &mut Markup) {
        m.fixed(self);
    }
}

impl IntoAttr for String {
    #[inline(always)]
    fn put(self, m: &mut Markup) {
        m.made(self);
    }
}

impl IntoAttr for AttrValue {
    #[inline(always)]
    fn put(self, m: &mut Markup) {
        m.value(Some(self));
    }
}

impl<T: IntoAttr> IntoAttr for Option<T> {
    #[inline(always)]
    fn put(self, m: &mut Markup) {
        match self {
            Some(v) => v.put(m),
            None => m.value(None),
        }
    }
}

/// An element being written.
struct Frame {
    tag: &'static str,
    keys: &'static [&'static str],
    values: Vec<Option<AttributeOrProperty>>,
    listeners: Vec<Option<Rc<dyn Listener>>>,
    children: Vec<Html>,
    node_ref: NodeRef,
    key: Option<Key>,
    /// An input's or a textarea's value, and an input's checked state: properties, as `html!`
    /// sets them, not attributes.
    value: Option<AttrValue>,
    checked: Option<bool>,
}

/// Elements being written, innermost last; the first frame gathers what is written at the top.
pub struct Markup(Vec<Frame>);

impl Default for Markup {
    fn default() -> Self {
        Markup::new()
    }
}

impl Markup {
    #[inline(never)]
    pub fn new() -> Self {
        let mut m = Markup(Vec::new());
        m.open("", &[]);
        m
    }

    /// Opens the element `tag` (a list when empty) whose attributes are `keys`: their values
    /// follow, in order.
    #[inline(never)]
    pub fn open(&mut self, tag: &'static str, keys: &'static [&'static str]) {
        self.0.push(Frame {
            tag,
            keys,
            values: Vec::with_capacity(keys.len()),
            listeners: Vec::new(),
            children: Vec::new(),
            node_ref: NodeRef::default(),
            key: None,
            value: None,
            checked: None,
        });
    }

    /// Opens the element `tag` whose first attribute is `class`, of the value `class`.
    #[inline(never)]
    pub fn open_class(
        &mut self,
        tag: &'static str,
        keys: &'static [&'static str],
        class: &'static str,
    ) {
        self.open(tag, keys);
        self.fixed(class);
    }

    fn top(&mut self) -> &mut Frame {
        self.0.last_mut().expect("an element is open")
    }

    /// The next attribute's value.
    #[inline(always)]
    pub fn attr(&mut self, value: impl IntoAttr) {
        value.put(self);
    }

    #[inline(never)]
    fn fixed(&mut self, value: &'static str) {
        self.value(Some(AttrValue::Static(value)));
    }

    #[inline(never)]
    fn made(&mut self, value: String) {
        self.value(Some(AttrValue::from(value)));
    }

    #[inline(never)]
    fn value(&mut self, value: Option<AttrValue>) {
        self.top()
            .values
            .push(value.map(AttributeOrProperty::Attribute));
    }

    /// A click listener on the open element.
    #[inline(never)]
    pub fn onclick(&mut self, callback: Callback<MouseEvent>) {
        self.on(Rc::new(yew::html::onclick::Wrapper::new(callback)));
    }

    /// A click on the open element sends `change` to `to`. Every button that makes a change
    /// shares this one closure: each closure written at its own button is a type of its own,
    /// with its own code in the wasm.
    #[inline(never)]
    pub fn send(&mut self, to: &Callback<Change>, change: Change) {
        self.onclick(to.reform(move |_: MouseEvent| change.clone()));
    }

    /// A listener on the open element, as `yew::html::<event>::Wrapper::new(callback)` makes it.
    #[inline(never)]
    pub fn on(&mut self, listener: Rc<dyn Listener>) {
        self.top().listeners.push(Some(listener));
    }

    /// A change listener on the open element.
    #[inline(never)]
    pub fn onchange(&mut self, callback: Callback<Event>) {
        self.on(Rc::new(yew::html::onchange::Wrapper::new(callback)));
    }

    /// A toggle listener on the open element (a `<details>` opened or closed).
    #[inline(never)]
    pub fn ontoggle(&mut self, callback: Callback<Event>) {
        self.on(Rc::new(yew::html::ontoggle::Wrapper::new(callback)));
    }

    /// An input listener on the open element.
    #[inline(never)]
    pub fn oninput(&mut self, callback: Callback<InputEvent>) {
        self.on(Rc::new(yew::html::oninput::Wrapper::new(callback)));
    }

    /// The open input's or textarea's value, set as the property (what the reader sees), as
    /// `html!` sets it.
    pub fn value_prop(&mut self, value: impl Into<AttrValue>) {
        self.top().value = Some(value.into());
    }

    /// Whether the open input (a radio button, a checkbox) is checked, set as the property.
    pub fn checked(&mut self, checked: bool) {
        self.top().checked = Some(checked);
    }

    /// The open element's `ref`.
    pub fn node_ref(&mut self, node_ref: NodeRef) {
        self.top().node_ref = node_ref;
    }

    /// The open element's `key`, which yew matches from one frame to the next.
    pub fn key(&mut self, key: impl Into<Key>) {
        self.top().key = Some(key.into());
    }

    /// A node made elsewhere, as the next child.
    #[inline(never)]
    pub fn node(&mut self, node: Html) {
        self.top().children.push(node);
    }

    /// A fixed text.
    #[inline(never)]
    pub fn text(&mut self, text: &'static str) {
        self.node(Html::VText(VText::new(AttrValue::Static(text))));
    }

    /// A text made at run time.
    #[inline(never)]
    pub fn say(&mut self, text: String) {
        self.node(Html::VText(VText::new(AttrValue::from(text))));
    }

    /// Closes the open element.
    #[inline(never)]
    pub fn close(&mut self) {
        let f = self.0.pop().expect("an element is open");
        let attributes = match f.keys.len() {
            0 => Attributes::default(),
            _ => Attributes::Dynamic {
                keys: f.keys,
                values: f.values.into_boxed_slice(),
            },
        };
        let listeners = match f.listeners.len() {
            0 => Listeners::None,
            _ => Listeners::Pending(f.listeners.into_boxed_slice()),
        };
        let tag = match f.tag {
            "input" => {
                VTag::__new_input(f.value, f.checked, f.node_ref, f.key, attributes, listeners)
            }
            "textarea" => {
                VTag::__new_textarea(f.value, None, f.node_ref, f.key, attributes, listeners)
            }
            _ => VTag::__new_other(
                AttrValue::Static(f.tag),
                f.node_ref,
                f.key,
                attributes,
                listeners,
                as_list(f.children),
            ),
        };
        self.node(Html::VTag(Rc::new(tag)));
    }

    /// Closes the open list.
    #[inline(never)]
    pub fn close_list(&mut self) {
        let f = self.0.pop().expect("a list is open");
        self.node(as_list(f.children));
    }

    /// What was written at the top.
    #[inline(never)]
    pub fn finish(mut self) -> Html {
        as_list(self.0.pop().map(|f| f.children).unwrap_or_default())
    }
}

fn as_list(children: Vec<Html>) -> Html {
    match children.len() {
        0 => Html::default(),
        _ => Html::VList(Rc::new(VList::with_children(children, None))),
    }
}
