//! What the header shows of sync — the state, the changes waiting, when it last synced, the
//! tasks' revision — as a channel the UI long-polls, and the warning shown once when the window is
//! closed with changes waiting.

use std::sync::atomic::{AtomicBool, Ordering};

use authdesk_contract::desktop::{SyncState, SyncStatus};
use chrono::Utc;
use tokio::sync::watch;

#[derive(Default)]
pub struct StatusBoard {
    status: watch::Sender<SyncStatus>,
    /// The leave warning is shown once per run of the app.
    leave_warned: AtomicBool,
}

impl StatusBoard {
    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    pub fn subscribe(&self) -> watch::Receiver<SyncStatus> {
        self.status.subscribe()
    }

    /// Changes the status and bumps its revision.
    pub fn publish(&self, change: impl FnOnce(&mut SyncStatus)) {
        self.status.send_modify(|status| {
            change(status);
            status.revision += 1;
        });
    }

    pub fn set_waiting(&self, waiting: u32) {
        self.publish(|s| s.waiting = waiting);
    }

    pub fn set_state(&self, state: SyncState, waiting: u32) {
        self.publish(|s| {
            if state == SyncState::Synced {
                s.last_synced_at = Some(Utc::now());
            }
            s.state = state;
            s.waiting = waiting;
        });
    }

    pub fn tasks_changed(&self) {
        self.publish(|s| s.tasks_revision += 1);
    }

    /// Back to nothing running, keeping the revisions (a screen waiting on them sees the change).
    pub fn reset(&self) {
        self.publish(|s| {
            *s = SyncStatus { revision: s.revision, tasks_revision: s.tasks_revision, ..Default::default() }
        });
    }

    /// Whether to hold a close of the window back: changes wait and the user was not warned yet.
    pub fn hold_close(&self) -> bool {
        if self.status.borrow().waiting == 0 || self.leave_warned.swap(true, Ordering::SeqCst) {
            return false;
        }
        self.publish(|s| s.leave_warning = true);
        true
    }

    pub fn leave_warning_answered(&self) {
        self.publish(|s| s.leave_warning = false);
    }
}
