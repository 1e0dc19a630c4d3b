//! Remote mode, offline first: the signed-in account's tasks live in a [`Replica`] on this
//! computer, every change is applied there at once and queued, and an [`Engine`] per account
//! pushes the queue in order and pulls the server's changes, in a loop: after each change, at
//! launch, on a timer with backoff while the server does not answer, and when the user asks
//! (Retry). The [`Syncer`] runs the signed-in account's loop; the [`StatusBoard`] tells the header.
//! Embedded mode has none of this: its server is on this computer.

mod bell;
mod engine;
mod listen;
mod replica;
mod status;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use authdesk_contract::desktop::{CommandError, SyncState};

use bell::Bell;
pub use engine::Engine;
pub use replica::{discard, waiting_in, OutboxEntry, Owner, Replica};
pub use status::StatusBoard;

use crate::Result;

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
    /// Hold the server's live change stream open and pull as soon as it says (the poll stays
    /// as the fallback).
    pub live: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(30),
            min_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(15),
            live: true,
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
    pub(super) fn backoff(&self, failures: u32) -> Duration {
        let doubled = self.min_backoff.saturating_mul(1 << failures.saturating_sub(1).min(16));
        let wait = doubled.min(self.max_backoff);
        wait.mul_f64(1.0 - rand::random::<f64>() / 5.0)
    }
}

/// One account's running sync: its engine, the bell that starts a pass early, and the loop.
struct Running {
    engine: Arc<Engine>,
    bell: Arc<Bell>,
    task: tokio::task::AbortHandle,
}

/// The desktop's sync: the loop of the signed-in account, and what the header is told.
pub struct Syncer {
    dir: PathBuf,
    options: SyncOptions,
    board: Arc<StatusBoard>,
    running: Mutex<Option<Running>>,
    /// Servers without the change feed (older versions, the original design): used online only,
    /// as before remote mode had a replica.
    no_feed: Mutex<HashSet<String>>,
}

impl Syncer {
    pub fn new(data_dir: &std::path::Path, options: SyncOptions) -> Arc<Self> {
        Arc::new(Self {
            dir: data_dir.join(REPLICAS_DIR),
            options,
            board: Arc::default(),
            running: Mutex::new(None),
            no_feed: Mutex::new(HashSet::new()),
        })
    }

    /// Where the replicas are kept.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    pub fn board(&self) -> &Arc<StatusBoard> {
        &self.board
    }

    fn running(&self) -> std::sync::MutexGuard<'_, Option<Running>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn has_no_feed(&self, server: &str) -> bool {
        self.no_feed.lock().unwrap_or_else(PoisonError::into_inner).contains(server)
    }

    fn found_no_feed(&self, engine: &Engine) {
        let server = engine.replica().owner().server.clone();
        self.no_feed.lock().unwrap_or_else(PoisonError::into_inner).insert(server);
    }

    /// The running replica of `owner`, if its loop runs.
    pub fn replica_of(&self, server: &str, user_id: uuid::Uuid) -> Option<Arc<Replica>> {
        self.running()
            .as_ref()
            .map(|r| r.engine.replica())
            .filter(|r| r.owner().server == server && r.owner().user_id == user_id)
            .map(Arc::clone)
    }

    /// Starts the loop of `engine` (stopping another account's), unless one runs for its
    /// replica's owner already; answers the replica in use.
    pub fn start(self: &Arc<Self>, engine: Engine) -> Arc<Replica> {
        let mut running = self.running();
        if let Some(current) = running.as_ref() {
            if current.engine.replica().owner() == engine.replica().owner() {
                return Arc::clone(current.engine.replica());
            }
            current.task.abort();
        }
        // Said before the loop can say anything, so a screen never reads a previous account's
        // "signed out" meanwhile, nor this one's first pass overwritten.
        self.board.publish(|s| s.state = SyncState::Syncing);
        let (engine, bell) = (Arc::new(engine), Arc::new(Bell::default()));
        let task =
            tokio::spawn(engine::run(Arc::clone(&engine), Arc::clone(&bell), self.options, Arc::downgrade(self)))
                .abort_handle();
        let replica = Arc::clone(engine.replica());
        *running = Some(Running { engine, bell, task });
        replica
    }

    /// A pass over `replica` now, if its loop runs (a sign-out's last push, a first fill, tests).
    pub async fn pass(&self, replica: &Arc<Replica>) -> Result<()> {
        let engine = self
            .running()
            .as_ref()
            .filter(|r| Arc::ptr_eq(r.engine.replica(), replica))
            .map(|r| Arc::clone(&r.engine))
            .ok_or_else(|| CommandError::local("Sync stopped meanwhile"))?;
        let result = engine.pass().await;
        if engine.has_no_feed() {
            self.found_no_feed(&engine);
        }
        result
    }

    /// The loop of `engine` ended by itself (the session was refused, or there is no feed).
    fn forget(&self, engine: &Arc<Engine>) {
        let mut running = self.running();
        if running.as_ref().is_some_and(|r| Arc::ptr_eq(&r.engine, engine)) {
            *running = None;
        }
    }

    /// Stops the loop (a pass in flight is dropped; the outbox is only changed once the server
    /// answered) and answers its replica.
    pub fn stop(&self) -> Option<Arc<Replica>> {
        let stopped = self.running().take().map(|r| {
            r.task.abort();
            Arc::clone(r.engine.replica())
        });
        self.board.reset();
        stopped
    }

    /// Starts a pass now (or right after the one running).
    pub fn kick(&self) {
        if let Some(running) = self.running().as_ref() {
            running.bell.ring();
        }
    }

    /// Resolves once the loop has nothing left to do (no pass running or asked for), or at once
    /// when no loop runs. Callers put their own deadline on it.
    pub async fn settled(&self) {
        let bell = self.running().as_ref().map(|r| Arc::clone(&r.bell));
        if let Some(bell) = bell {
            bell.idle().await;
        }
    }
}

/// The loop ends with the app that ran it.
impl Drop for Syncer {
    fn drop(&mut self) {
        if let Some(running) = self.running().take() {
            running.task.abort();
        }
    }
}
