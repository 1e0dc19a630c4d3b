//! `RateLimit`: at most so many attempts per window, as the settings spell it (`5/minute`).

use std::time::Duration;

use super::ConfigError;

/// At most `max` attempts per `window` from one client (enforced in `crate::rate_limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub window: Duration,
}

impl RateLimit {
    /// Parses `5/minute`, `10/second`, `100/hour`, `1000/day`, `10/15minutes` (also
    /// `5 per minute`), or `off` (`None`).
    pub fn parse(raw: &str) -> Result<Option<Self>, ConfigError> {
        let invalid = || ConfigError::InvalidRateLimit(raw.to_owned());
        let s = raw.trim().to_ascii_lowercase();
        if matches!(s.as_str(), "off" | "none" | "disabled" | "0") {
            return Ok(None);
        }
        let (count, unit) = s.split_once('/').or_else(|| s.split_once(" per ")).ok_or_else(invalid)?;
        let max: u32 = count.trim().parse().map_err(|_| invalid())?;
        let unit = unit.trim();
        let digits = unit.find(|c: char| !c.is_ascii_digit()).unwrap_or(unit.len());
        let multiplier: u64 = if digits == 0 { 1 } else { unit[..digits].parse().map_err(|_| invalid())? };
        let secs = match unit[digits..].trim().trim_end_matches('s') {
            "second" | "sec" => 1,
            "minute" | "min" => 60,
            "hour" => 3600,
            "day" => 86_400,
            _ => return Err(invalid()),
        };
        if max == 0 || multiplier == 0 || secs * multiplier > 86_400 {
            return Err(invalid());
        }
        Ok(Some(Self { max, window: Duration::from_secs(secs * multiplier) }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_parse() {
        assert_eq!(RateLimit::parse("5/minute"), Ok(Some(RateLimit { max: 5, window: Duration::from_secs(60) })));
        assert_eq!(
            RateLimit::parse("100 per hour"),
            Ok(Some(RateLimit { max: 100, window: Duration::from_secs(3600) }))
        );
        assert_eq!(RateLimit::parse("OFF"), Ok(None));
        assert_eq!(RateLimit::parse("10/15minutes"), Ok(Some(RateLimit { max: 10, window: Duration::from_secs(900) })));
        assert_eq!(
            RateLimit::parse("10 per 15 min"),
            Ok(Some(RateLimit { max: 10, window: Duration::from_secs(900) }))
        );
        assert!(RateLimit::parse("5/fortnight").is_err());
        assert!(RateLimit::parse("5/2days").is_err(), "windows are at most a day");
        assert!(RateLimit::parse("many").is_err());
    }
}
