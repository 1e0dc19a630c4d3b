//! argon2's working memory (19 MiB a hash), handed from one hash to the next while more are queued.
//!
//! Allocated for each hash, the memory goes back to the system when the hash ends and the next one
//! faults it in again page by page: ~4,900 page faults, each zeroing 4 KiB, per sign-in, which cost
//! a login storm ~5 % of its throughput. Kept only while another hash waits: the hash that ends a
//! burst drops what is kept, so a server between sign-ins holds none of it (idle memory matters
//! more than the first login's page faults).

use std::sync::Mutex;

use argon2::Block;

/// Buffers kept for the hashes waiting; at most one per hashing slot.
pub struct Memory {
    kept: Mutex<Vec<Vec<Block>>>,
    most: usize,
}

impl Memory {
    pub fn new(most: usize) -> Self {
        Self { kept: Mutex::new(Vec::new()), most }
    }

    /// A buffer kept by an earlier hash, or an empty one the hash grows to what it needs.
    pub fn take(&self) -> Vec<Block> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).pop().unwrap_or_default()
    }

    /// Keeps `buffer` for the next hash when `more_waiting`; otherwise the burst is over and every
    /// kept buffer is dropped (outside the lock: giving 19 MiB back to the system takes a while).
    pub fn give_back(&self, buffer: Vec<Block>, more_waiting: bool) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let dropped = if !more_waiting {
            let mut all = std::mem::take(&mut *kept);
            all.push(buffer);
            all
        } else if kept.len() < self.most {
            kept.push(buffer);
            Vec::new()
        } else {
            vec![buffer]
        };
        drop(kept);
        drop(dropped);
    }

    /// How many buffers are kept now.
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// The first `blocks` of `buffer`, grown when it is shorter.
pub fn at_least(buffer: &mut Vec<Block>, blocks: usize) -> &mut [Block] {
    if buffer.len() < blocks {
        *buffer = vec![Block::new(); blocks];
    }
    &mut buffer[..blocks]
}
