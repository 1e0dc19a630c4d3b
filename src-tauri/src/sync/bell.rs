//! The bell that starts a sync pass early (a change, Retry), and whether the loop has anything
//! left to do: a pass running or asked for. Waiting for "nothing left" is how a caller orders
//! itself after the loop (the sync tests) without guessing how long a pass takes.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{watch, Notify};

pub struct Bell {
    notify: Notify,
    /// Rings so far, and those a pass has started for; changed together with `idle`.
    rings: Mutex<(u64, u64)>,
    idle: watch::Sender<bool>,
}

impl Default for Bell {
    fn default() -> Self {
        Self { notify: Notify::new(), rings: Mutex::new((0, 0)), idle: watch::Sender::new(false) }
    }
}

impl Bell {
    fn rings(&self) -> std::sync::MutexGuard<'_, (u64, u64)> {
        self.rings.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Asks for a pass now, or right after the one running.
    pub fn ring(&self) {
        let mut rings = self.rings();
        rings.0 += 1;
        self.idle.send_replace(false);
        drop(rings);
        self.notify.notify_one();
    }

    /// The loop starts a pass: it answers every ring so far.
    pub fn starting_pass(&self) {
        let mut rings = self.rings();
        rings.1 = rings.0;
        self.idle.send_replace(false);
    }

    /// The loop waits for a ring, or `timeout`; idle meanwhile unless rung since its last pass.
    pub async fn wait(&self, timeout: Duration) {
        {
            let rings = self.rings();
            if rings.0 == rings.1 {
                self.idle.send_replace(true);
            }
        }
        tokio::select! {
            _ = self.notify.notified() => {}
            _ = tokio::time::sleep(timeout) => {}
        }
    }

    /// The loop has ended: nothing will run.
    pub fn stopped(&self) {
        self.idle.send_replace(true);
    }

    /// Resolves once no pass runs and none is asked for.
    pub async fn idle(&self) {
        let mut idle = self.idle.subscribe();
        // The sender lives in `self`: this cannot fail while it is borrowed.
        let _ = idle.wait_for(|idle| *idle).await;
    }
}
