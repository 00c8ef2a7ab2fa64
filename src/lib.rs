//! Async Lanes: an interactive explanation of blocking and async I/O. The simulation core lives in
//! [`sim`] (pure, native and wasm alike); [`view`] is the page's model (pure too); [`app`] draws
//! it in the browser.

pub mod sim;
pub mod view;

// The page's allocator (see the module for why it is not the toolchain's).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod heap;

#[cfg(target_arch = "wasm32")]
pub mod app;
