//! How the screens show a moment: in the user's time zone, as their language writes it.

pub use crate::i18n::intl::format_time as human_time;
