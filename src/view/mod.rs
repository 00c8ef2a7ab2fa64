//! The page's model, apart from the page: playback, URL state, scene definitions and number
//! formatting. Pure Rust with no web imports, so it is tested natively; `crate::app` draws it.

pub mod config;
pub mod format;
pub mod formula;
pub mod handler_code;
pub mod inside;
pub mod playback;
pub mod race;
pub mod scenes;
pub mod timeline;
pub mod workers;
