//! Timestamps on the wire exactly as chrono writes them (RFC 3339 in UTC with `Z`, and 0, 3, 6 or
//! 9 fraction digits, whichever shows the time exactly), but in one piece: chrono's own
//! `Serialize` goes through `collect_str`, which has serde_json escape-check every fragment it
//! writes, a few percent of a `GET /api/tasks` with two timestamps per task (BENCHMARKS.md).
//! Anything outside the common case (a year before 0 or after 9999, a leap second) is left to
//! chrono. Reading is chrono's, unchanged.

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Serialize, Serializer};

/// `at` as chrono's `Serialize` writes it (`#[serde(serialize_with = …)]`).
pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    let mut text = Text { buf: [0; 32], len: 0 };
    if text.rfc3339(at) {
        // Only ASCII digits and separators were written.
        serializer.serialize_str(std::str::from_utf8(&text.buf[..text.len]).unwrap_or_default())
    } else {
        at.serialize(serializer)
    }
}

/// At most `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`, 30 bytes.
struct Text {
    buf: [u8; 32],
    len: usize,
}

impl Text {
    fn byte(&mut self, b: u8) {
        self.buf[self.len] = b;
        self.len += 1;
    }

    /// `n` in exactly `width` digits, zero-padded.
    fn digits(&mut self, mut n: u32, width: usize) {
        for i in (0..width).rev() {
            self.buf[self.len + i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        self.len += width;
    }

    /// Writes `at`; `false` (nothing usable written) outside the common case.
    fn rfc3339(&mut self, at: &DateTime<Utc>) -> bool {
        let (year, nano) = (at.year(), at.nanosecond());
        if !(0..=9999).contains(&year) || nano >= 1_000_000_000 {
            return false;
        }
        self.digits(year as u32, 4);
        self.byte(b'-');
        self.digits(at.month(), 2);
        self.byte(b'-');
        self.digits(at.day(), 2);
        self.byte(b'T');
        self.digits(at.hour(), 2);
        self.byte(b':');
        self.digits(at.minute(), 2);
        self.byte(b':');
        self.digits(at.second(), 2);
        if nano != 0 {
            self.byte(b'.');
            if nano % 1_000_000 == 0 {
                self.digits(nano / 1_000_000, 3);
            } else if nano % 1_000 == 0 {
                self.digits(nano / 1_000, 6);
            } else {
                self.digits(nano, 9);
            }
        }
        self.byte(b'Z');
        true
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};

    use super::*;

    #[derive(Serialize)]
    struct Ours(#[serde(serialize_with = "serialize")] DateTime<Utc>);

    fn at(year: i32, month: u32, day: u32, h: u32, m: u32, s: u32, nano: u32) -> DateTime<Utc> {
        let naive = NaiveDate::from_ymd_opt(year, month, day).unwrap().and_hms_nano_opt(h, m, s, nano).unwrap();
        Utc.from_utc_datetime(&naive)
    }

    #[test]
    fn written_exactly_as_chrono_writes_it() {
        let mut cases = vec![
            at(2026, 12, 6, 11, 3, 14, 476_322_000),
            at(2026, 1, 2, 3, 4, 5, 0),
            at(2026, 1, 2, 3, 4, 5, 7_000_000),
            at(2026, 1, 2, 3, 4, 5, 7_000),
            at(2026, 1, 2, 3, 4, 5, 7),
            at(2026, 1, 2, 3, 4, 5, 999_999_999),
            at(0, 1, 1, 0, 0, 0, 0),
            at(9999, 12, 31, 23, 59, 59, 100_000_000),
            // Chrono's to write: out-of-range years, a leap second.
            at(-1, 1, 1, 0, 0, 0, 0),
            at(10_000, 1, 1, 0, 0, 0, 0),
            at(2016, 12, 31, 23, 59, 59, 1_500_000_000),
        ];
        for nano in (0..1_000_000_000).step_by(7_919_999) {
            cases.push(at(1999, 7, 31, 12, 30, 45, nano));
        }
        for case in cases {
            let chrono = serde_json::to_string(&case).unwrap();
            assert_eq!(serde_json::to_string(&Ours(case)).unwrap(), chrono, "{case:?}");
        }
    }
}
