//! Pieces the screens share: the frame around them, the error banner, the form parts, the route
//! guard and the time format.

pub mod action;
mod error_banner;
pub mod form;
mod frame;
mod guard;
pub mod time;

pub use error_banner::ErrorBanner;
pub use frame::Frame;
pub use guard::use_screen_for;
