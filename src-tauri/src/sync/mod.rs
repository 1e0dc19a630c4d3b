//! Remote mode, offline first: the signed-in account's tasks live in a [`Replica`] on this
//! computer, every change is applied there at once and queued, and a loop per account pushes the
//! queue in order and pulls the server's changes: after each change, at launch, on a timer with
//! backoff while the server does not answer, and when the user asks (Retry). Embedded mode has
//! none of this: its server is on this computer.

mod desktop;
mod engine;
mod replica;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use authdesk_contract::desktop::{SyncState, SyncStatus};
use chrono::Utc;
use tokio::sync::{watch, Notify};

pub(crate) use desktop::Leftover;
pub use replica::{Change, Owner, Replica};

use crate::Desktop;

/// The folder, in the data directory, holding one replica per server and account.
pub const REPLICAS_DIR: &str = "replicas";

/// How the sync loop paces itself.
#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    /// How often a synced app asks for changes made elsewhere.
    pub poll: Duration,
    /// The wait after a failed pass; it doubles with each failure up to `max_backoff`.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(30),
            min_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(15),
        }
    }
}

impl SyncOptions {
    /// The defaults, with `AUTHDESK_SYNC_RETRY_MAX_SECONDS` (1–3600) as the longest wait between
    /// retries while offline (the end-to-end tests shorten it).
    pub fn from_env() -> Self {
        let mut options = Self::default();
        if let Some(seconds) = std::env::var("AUTHDESK_SYNC_RETRY_MAX_SECONDS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|s| (1..=3600).contains(s))
        {
            options.max_backoff = Duration::from_secs(seconds);
            options.min_backoff = options.min_backoff.min(options.max_backoff);
        }
        options
    }

    /// The wait after the `failures`-th failed pass in a row: doubling, capped, with up to a
    /// fifth taken off at random so that many apps coming back together do not arrive at once.
    fn backoff(&self, failures: u32) -> Duration {
        let doubled = self.min_backoff.saturating_mul(1 << failures.saturating_sub(1).min(16));
        let wait = doubled.min(self.max_backoff);
        wait.mul_f64(1.0 - rand::random::<f64>() / 5.0)
    }
}

/// One account's running sync: its replica, the bell that starts a pass early, and the loop.
struct Running {
    replica: Arc<Replica>,
    kick: Arc<Notify>,
    task: tokio::task::AbortHandle,
}

/// The desktop's sync: the status the header shows and the loop of the signed-in account.
pub(crate) struct Syncer {
    dir: PathBuf,
    options: SyncOptions,
    status: watch::Sender<SyncStatus>,
    running: Mutex<Option<Running>>,
    /// The leave warning is shown once per run of the app.
    leave_warned: AtomicBool,
    /// Servers without the change feed (older versions, the original design): used online only,
    /// as before remote mode had a replica.
    no_feed: Mutex<HashSet<String>>,
}

impl Syncer {
    pub fn new(data_dir: &std::path::Path, options: SyncOptions) -> Self {
        Self {
            dir: data_dir.join(REPLICAS_DIR),
            options,
            status: watch::Sender::new(SyncStatus::default()),
            running: Mutex::new(None),
            leave_warned: AtomicBool::new(false),
            no_feed: Mutex::new(HashSet::new()),
        }
    }

    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    fn running(&self) -> std::sync::MutexGuard<'_, Option<Running>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn has_no_feed(&self, server: &str) -> bool {
        self.no_feed.lock().unwrap_or_else(PoisonError::into_inner).contains(server)
    }

    fn found_no_feed(&self, server: &str) {
        self.no_feed.lock().unwrap_or_else(PoisonError::into_inner).insert(server.to_owned());
    }

    /// The running replica of `owner`, if its loop runs.
    pub fn replica_of(&self, server: &str, user_id: uuid::Uuid) -> Option<Arc<Replica>> {
        self.running()
            .as_ref()
            .filter(|r| r.replica.owner().server == server && r.replica.owner().user_id == user_id)
            .map(|r| Arc::clone(&r.replica))
    }

    /// Starts the loop for `replica` (stopping another account's), unless one runs for its
    /// owner already; answers the replica in use.
    pub fn start(&self, desktop: Weak<Desktop>, replica: Arc<Replica>) -> Arc<Replica> {
        let mut running = self.running();
        if let Some(current) = running.as_ref() {
            if current.replica.owner() == replica.owner() {
                return Arc::clone(&current.replica);
            }
            current.task.abort();
        }
        // Said before the loop can say anything, so a screen never reads a previous account's
        // "signed out" meanwhile, nor this one's first pass overwritten.
        self.publish(|s| s.state = SyncState::Syncing);
        let kick = Arc::new(Notify::new());
        let task =
            tokio::spawn(engine::run(desktop, Arc::clone(&replica), Arc::clone(&kick), self.options)).abort_handle();
        *running = Some(Running { replica: Arc::clone(&replica), kick, task });
        replica
    }

    /// The loop of `replica` ended by itself (the session was refused).
    fn forget(&self, replica: &Arc<Replica>) {
        let mut running = self.running();
        if running.as_ref().is_some_and(|r| Arc::ptr_eq(&r.replica, replica)) {
            *running = None;
        }
    }

    /// Stops the loop (a pass in flight is dropped; the outbox is only changed once the server
    /// answered) and answers its replica.
    pub fn stop(&self) -> Option<Arc<Replica>> {
        let stopped = self.running().take().map(|r| {
            r.task.abort();
            r.replica
        });
        self.publish(|s| {
            *s = SyncStatus { revision: s.revision, tasks_revision: s.tasks_revision, ..Default::default() }
        });
        stopped
    }

    /// Starts a pass now (or right after the one running).
    pub fn kick(&self) {
        if let Some(running) = self.running().as_ref() {
            running.kick.notify_one();
        }
    }

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
