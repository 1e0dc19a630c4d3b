//! A sliding-window limiter keyed by client address: at most `max` attempts in any `window`.
//!
//! A sliding log (rather than a fixed window) means a burst straddling a minute boundary cannot get
//! twice the allowance, and `retry_after` is exact: the moment the oldest attempt leaves the window.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::RateLimit;

/// Above this many tracked clients, idle entries are swept so memory stays bounded.
const SWEEP_THRESHOLD: usize = 10_000;

pub struct RateLimiter<K> {
    limit: RateLimit,
    attempts: Mutex<HashMap<K, VecDeque<Instant>>>,
}

impl<K: Eq + Hash + Clone> RateLimiter<K> {
    pub fn new(limit: RateLimit) -> Self {
        Self { limit, attempts: Mutex::new(HashMap::new()) }
    }

    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Records an attempt by `key`, or refuses it with the time until one is allowed again.
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let window = self.limit.window;
        let mut attempts = self.attempts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if attempts.len() > SWEEP_THRESHOLD {
            attempts.retain(|_, log| log.back().is_some_and(|last| now.duration_since(*last) < window));
        }
        let log = attempts.entry(key.clone()).or_default();
        while log.front().is_some_and(|first| now.duration_since(*first) >= window) {
            log.pop_front();
        }
        if log.len() >= self.limit.max as usize {
            let oldest = *log.front().expect("a full log is not empty");
            return Err(window - now.duration_since(oldest));
        }
        log.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_max_per_window_then_refuses_until_the_oldest_expires() {
        let limiter = RateLimiter::new(RateLimit { max: 3, window: Duration::from_secs(60) });
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(limiter.check_at(&"a", t0 + Duration::from_secs(i)).is_ok());
        }
        assert_eq!(limiter.check_at(&"a", t0 + Duration::from_secs(10)), Err(Duration::from_secs(50)));
        // Another client is unaffected.
        assert!(limiter.check_at(&"b", t0 + Duration::from_secs(10)).is_ok());
        // Once the first attempt leaves the window, exactly one more is allowed.
        assert!(limiter.check_at(&"a", t0 + Duration::from_secs(60)).is_ok());
        assert_eq!(limiter.check_at(&"a", t0 + Duration::from_secs(60)), Err(Duration::from_secs(1)));
    }
}
