//! Async Lanes: an interactive explanation of blocking and async I/O. The simulation core lives in
//! [`sim`] (pure, native and wasm alike); the browser front end builds on it.

pub mod sim;

#[cfg(target_arch = "wasm32")]
pub mod app;
