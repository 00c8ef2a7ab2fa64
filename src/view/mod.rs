//! The page's model, apart from the page: what every moment of a trace means ([`phase`]), a model
//! per scene (what its picture shows at `t`), playback, URL state, scene definitions and number
//! formatting. Pure Rust with no web imports, so it is tested natively; `crate::app` draws it and
//! computes nothing of its own.

pub mod axis;
pub mod change;
pub mod chrome;
pub mod config;
pub mod embed;
pub mod follow;
pub mod format;
pub mod formula;
pub mod handler_code;
pub mod histogram;
pub mod inside;
pub mod load;
pub mod look;
pub mod page;
pub mod phase;
pub mod playback;
pub mod playground;
pub mod race;
pub mod race_drawing;
pub mod race_fix;
pub mod run;
pub mod scene_model;
pub mod scenes;
pub mod series;
pub mod steps;
pub mod story;
pub mod timeline;
pub mod workers;
pub mod workers_canvas;
