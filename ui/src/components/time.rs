//! How the screens show a moment: "2026-11-25 14:03 UTC".

use chrono::{DateTime, Datelike, Timelike, Utc};

/// Written out by hand: chrono's `format` brings its whole strftime machinery into the wasm.
pub fn human_time(t: DateTime<Utc>) -> String {
    format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", t.year(), t.month(), t.day(), t.hour(), t.minute())
}
