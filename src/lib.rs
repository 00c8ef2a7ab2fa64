//! Async Lanes: an interactive explanation of blocking and async I/O. The simulation core lives in
//! [`sim`] (pure, native and wasm alike); [`view`] is the page's model (pure too); [`app`] draws
//! it in the browser.

pub mod sim;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod app;
