//! Pieces the screens share: the frame around them, the error banner, the form parts, the route
//! guard, the window title, the time format, the hooks that run commands (`action`: on demand;
//! `answer`: on first render), and remote mode's sync (header, leave warning, waiting changes).

pub mod action;
pub mod announcer;
pub mod answer;
mod error_banner;
pub mod form;
mod frame;
mod guard;
mod modal;
pub mod shortcuts;
mod sync_status;
pub mod time;
mod title;
mod waiting_changes;

pub use error_banner::ErrorBanner;
pub use frame::{screen_loading, Frame};
pub use guard::use_screen_for;
pub use modal::Modal;
pub use sync_status::{LeaveWarning, SyncIndicator};
pub use title::use_screen_title;
pub use waiting_changes::WaitingChangesNotice;
