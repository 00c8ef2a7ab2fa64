//! Async Lanes: an interactive explanation of blocking and async I/O. The simulation core lives in
//! [`sim`] (pure, native and wasm alike); [`view`] is the page's model (pure too); [`app`] draws
//! it in the browser.

// The trace's types are for the core and the page model only (clippy.toml).
#[allow(clippy::disallowed_types, clippy::disallowed_methods)]
pub mod sim;
#[allow(clippy::disallowed_types, clippy::disallowed_methods)]
pub mod view;

// The page's allocator (see the module for why it is not the toolchain's).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod heap;

#[cfg(target_arch = "wasm32")]
pub mod app;
