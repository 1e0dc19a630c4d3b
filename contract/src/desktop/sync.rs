//! Remote mode's sync, as the shell tells the UI: whether this computer's copy of the tasks agrees
//! with the server, how many changes made here wait for it, and whether a close was held back
//! because of them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the header shows. `revision` grows with every change of this value, so the UI can ask
/// for the next one (`watch_sync`) without polling.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncStatus {
    pub revision: u64,
    /// Grows whenever the tasks changed from elsewhere (another device, a reload): the task
    /// screens read them again.
    pub tasks_revision: u64,
    pub state: SyncState,
    /// Changes made on this computer that the server has not confirmed yet.
    pub waiting: u32,
    pub last_synced_at: Option<DateTime<Utc>>,
    /// A close of the window was held back once because changes wait: the UI asks what to do.
    pub leave_warning: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncState {
    /// Embedded server, or nobody signed in: nothing to sync.
    #[default]
    Local,
    Synced,
    Syncing,
    /// The server does not answer; the shell tries again by itself, sooner after a change.
    Offline,
    /// The server refused or failed; the shell tries again by itself, `Retry` at once.
    Failed {
        message: String,
    },
    /// The server refused the session (a refresh was refused): the UI goes back to sign in. The
    /// waiting changes are kept for when this account signs in again.
    SignedOut,
}

impl SyncStatus {
    /// The header's words: "Synced", "Syncing…", "Offline — 3 changes waiting", or the failure.
    /// Empty when there is nothing to sync.
    pub fn label(&self) -> String {
        let waiting = match self.waiting {
            0 => String::new(),
            1 => " — 1 change waiting".to_owned(),
            n => format!(" — {n} changes waiting"),
        };
        match &self.state {
            SyncState::Local | SyncState::SignedOut => String::new(),
            SyncState::Synced => "Synced".to_owned(),
            SyncState::Syncing => format!("Syncing…{waiting}"),
            SyncState::Offline => format!("Offline{waiting}"),
            SyncState::Failed { message } => format!("Not synced: {message}{waiting}"),
        }
    }

    /// Whether the header offers Retry.
    pub fn can_retry(&self) -> bool {
        matches!(self.state, SyncState::Offline | SyncState::Failed { .. })
    }
}

/// Changes an account made on this computer that are still waiting for its server, kept while
/// nobody is signed in to it (the sign-in screen offers to send them or to discard them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingChanges {
    pub user_id: Uuid,
    pub email: String,
    pub waiting: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(state: SyncState, waiting: u32) -> SyncStatus {
        SyncStatus { state, waiting, ..SyncStatus::default() }
    }

    #[test]
    fn the_header_counts_what_waits() {
        assert_eq!(status(SyncState::Local, 0).label(), "");
        assert_eq!(status(SyncState::Synced, 0).label(), "Synced");
        assert_eq!(status(SyncState::Syncing, 2).label(), "Syncing… — 2 changes waiting");
        assert_eq!(status(SyncState::Offline, 0).label(), "Offline");
        assert_eq!(status(SyncState::Offline, 1).label(), "Offline — 1 change waiting");
        assert_eq!(status(SyncState::Offline, 3).label(), "Offline — 3 changes waiting");
        let failed = status(SyncState::Failed { message: "Server error".into() }, 0);
        assert_eq!(failed.label(), "Not synced: Server error");
        assert!(failed.can_retry() && !status(SyncState::Synced, 0).can_retry());
    }
}
