//! What one instance lets its TCP clients hold: how long a request head may take to arrive, and
//! how many connections may be open at once.

use std::time::Duration;

/// A request head (or, on an idle keep-alive connection, the next one) arrives within this or
/// the connection is closed.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// File descriptors kept for what is not a client: the database pool, SQLite's files, logs.
const RESERVED_DESCRIPTORS: u64 = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    pub header_read_timeout: Duration,
    /// Open connections beyond this are closed as soon as they are accepted.
    pub max_connections: usize,
}

impl ConnectionLimits {
    /// 512 connections a core, between 1,024 and 16,384 (a 2-core host: 1,024), and never more
    /// than the process's file descriptors allow once [`RESERVED_DESCRIPTORS`] are set aside, so the
    /// cap is reached before `accept` starts failing.
    pub fn for_host(cores: usize, descriptors: Option<u64>) -> Self {
        let mut max = (cores * 512).clamp(1024, 16_384);
        if let Some(descriptors) = descriptors {
            let room = descriptors.saturating_sub(RESERVED_DESCRIPTORS).max(64);
            max = max.min(usize::try_from(room).unwrap_or(usize::MAX));
        }
        Self { header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT, max_connections: max }
    }
}

impl Default for ConnectionLimits {
    /// For this host's cores, the descriptor limit unknown (the binary passes it; see `main.rs`).
    fn default() -> Self {
        Self::for_host(std::thread::available_parallelism().map_or(2, |n| n.get()), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_scales_with_cores_and_fits_the_descriptors() {
        assert_eq!(ConnectionLimits::for_host(2, None).max_connections, 1024);
        assert_eq!(ConnectionLimits::for_host(8, None).max_connections, 4096);
        assert_eq!(ConnectionLimits::for_host(64, None).max_connections, 16_384);
        assert_eq!(ConnectionLimits::for_host(2, Some(1024)).max_connections, 896);
        assert_eq!(ConnectionLimits::for_host(8, Some(1 << 20)).max_connections, 4096);
        assert_eq!(ConnectionLimits::for_host(2, Some(100)).max_connections, 64);
    }
}
