//! How the screens show a moment: "2026-11-25 14:03 UTC".

use chrono::{DateTime, Utc};

pub fn human_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}
