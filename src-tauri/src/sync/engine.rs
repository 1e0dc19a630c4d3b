//! The sync engine: a pass over one account's [`Replica`] through the authenticated caller, and
//! the loop that runs passes. A pass pushes the outbox in order, each entry once confirmed (client
//! ids make a create safe to repeat; an edit names the version it was made on, so a copy of it
//! delayed on the network cannot undo a later one), then pulls the change feed from its cursor.
//! The conflict rule (README): per field, the change that reaches the server last wins; a delete
//! wins over an edit. It knows nothing of the app around it: the header hears how passes go on
//! its [`StatusBoard`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use authdesk_contract::desktop::{CommandError, ErrorKind, SyncState};
use authdesk_contract::{
    CreateTaskRequest, ErrorCode, ImportRequest, ImportTask, UpdateTaskRequest, FEED_PAGE_DEFAULT,
};

use super::bell::Bell;
use super::listen::{listen, StopOnDrop};
use super::replica::{OutboxEntry, Queued, Replica};
use super::status::StatusBoard;
use super::{SyncOptions, Syncer};
use crate::client::Updated;
use crate::session::Authed;
use crate::Result;

/// A feed that claims more pages than this in one pass is not believed (it would never end).
const MAX_PAGES: usize = 10_000;
/// Imported tasks sent in one request (the server takes up to 10,000 in 4 MiB).
const IMPORT_BATCH: usize = 1_000;
/// Edits of a task that keeps changing under us are tried this often per pass.
const MAX_STALE_RETRIES: usize = 5;

/// Syncs one replica with the server its caller calls.
pub struct Engine {
    replica: Arc<Replica>,
    caller: Authed,
    board: Arc<StatusBoard>,
    /// The server answered that it has no change feed (older versions, the original design).
    no_feed: AtomicBool,
}

/// Runs passes of `engine` until the loop is stopped (or its [`Syncer`] is gone), the server
/// refuses the session, or it turns out to have no feed: at once (launch, sign-in), after each
/// change or Retry (`kick`), every `options.poll` while synced, and with backoff while the server
/// does not answer.
pub(super) async fn run(engine: Arc<Engine>, bell: Arc<Bell>, options: SyncOptions, syncer: Weak<Syncer>) {
    let _listening = options
        .live
        .then(|| StopOnDrop(tokio::spawn(listen(Arc::clone(&engine), Arc::clone(&bell), options)).abort_handle()));
    run_passes(&engine, &bell, options, syncer).await;
    bell.stopped();
}

async fn run_passes(engine: &Arc<Engine>, bell: &Bell, options: SyncOptions, syncer: Weak<Syncer>) {
    let mut failures = 0;
    loop {
        bell.starting_pass();
        let outcome = engine.pass().await;
        let Some(sync) = syncer.upgrade() else { return };
        if engine.has_no_feed() {
            // Online only from now on; what was queued went out before the feed was asked for.
            sync.found_no_feed(engine);
            sync.forget(engine);
            engine.board.set_state(SyncState::Local, 0);
            let _pass = engine.replica.turn().await;
            if matches!(engine.replica.waiting().await, Ok(0)) {
                let _ = engine.replica.remove_files();
            }
            return;
        }
        let wait = match outcome {
            Ok(()) => {
                failures = 0;
                options.poll
            }
            // Signed out (refused refresh): the outbox stays for this account's next sign-in.
            Err(e) if e.is_unauthorized() => {
                sync.forget(engine);
                return;
            }
            Err(e) => {
                failures += 1;
                let retry_after = e.retry_after.map(Duration::from_secs).unwrap_or_default();
                options.backoff(failures).max(retry_after)
            }
        };
        drop(sync);
        bell.wait(wait).await;
    }
}

impl Engine {
    pub fn new(replica: Arc<Replica>, caller: Authed, board: Arc<StatusBoard>) -> Self {
        Self { replica, caller, board, no_feed: AtomicBool::new(false) }
    }

    pub fn replica(&self) -> &Arc<Replica> {
        &self.replica
    }

    pub(super) fn caller(&self) -> &Authed {
        &self.caller
    }

    /// Whether the server turned out to have no change feed: the replica is of no use then.
    pub fn has_no_feed(&self) -> bool {
        self.no_feed.load(Ordering::Acquire)
    }

    fn no_sync(&self) -> CommandError {
        CommandError::local(format!("{} does not offer sync", self.replica.owner().server))
    }

    /// One pass, the header told how it goes. A refused session ends in [`SyncState::SignedOut`]
    /// with the outbox kept for the next sign-in.
    pub async fn pass(&self) -> Result<()> {
        let replica = &self.replica;
        let _one_at_a_time = replica.turn().await;
        if self.has_no_feed() {
            return Err(self.no_sync());
        }
        self.board.set_state(SyncState::Syncing, replica.waiting().await?);
        let result = async {
            let refused = self.push().await?;
            self.pull().await?;
            Ok::<_, CommandError>(refused)
        }
        .await;
        // The header is told how the pass ended whatever happens next.
        let waiting = replica.waiting().await.unwrap_or(self.board.status().waiting);
        let (state, result) = match result {
            Ok(None) => (SyncState::Synced, Ok(())),
            // Dropped from the outbox, so that the changes after it can go; said once.
            Ok(Some(message)) => {
                (SyncState::Failed { message: format!("the server refused a change: {message}") }, Ok(()))
            }
            Err(e) if self.has_no_feed() => (SyncState::Local, Err(e)),
            Err(e) if e.is_unauthorized() => (SyncState::SignedOut, Err(e)),
            Err(e) if e.kind == ErrorKind::Unreachable => (SyncState::Offline, Err(e)),
            Err(e) => (SyncState::Failed { message: e.message.clone() }, Err(e)),
        };
        self.board.set_state(state, waiting);
        result
    }

    /// Sends the outbox in order. Answers the server's reason when it refused a change outright
    /// (that change is dropped: sending it again would be refused again).
    async fn push(&self) -> Result<Option<String>> {
        let replica = &self.replica;
        let mut refused = None;
        while let Some(queued) = replica.next_change().await? {
            if matches!(queued.entry, OutboxEntry::Create { imported: true, .. }) {
                if let Some(message) = self.push_imports().await? {
                    refused = Some(message);
                }
                self.board.set_waiting(replica.waiting().await?);
                continue;
            }
            let outcome = match &queued.entry {
                OutboxEntry::Create { title, completed, .. } => self.push_create(&queued, title, *completed).await,
                OutboxEntry::Update { patch, .. } => self.push_update(&queued, patch.clone()).await,
                OutboxEntry::Delete => self.push_delete(&queued).await,
            };
            match outcome {
                Ok(()) => {}
                Err(e) if e.kind == ErrorKind::Rejected => {
                    replica.confirm(queued.seq, None).await?;
                    refused = Some(e.message);
                }
                Err(e) => return Err(e),
            }
            self.board.set_waiting(replica.waiting().await?);
        }
        Ok(refused)
    }

    /// The imported creations at the outbox's head, in one import (their ids make it safe to
    /// send again). A server older than imports takes them one by one as plain creations.
    async fn push_imports(&self) -> Result<Option<String>> {
        let replica = &self.replica;
        let head = replica.head_imports(IMPORT_BATCH).await?;
        let tasks: Vec<ImportTask> = head
            .iter()
            .filter_map(|q| match &q.entry {
                OutboxEntry::Create { title, completed, at, .. } => Some(ImportTask {
                    id: Some(q.task_id),
                    title: title.clone(),
                    completed: Some(*completed),
                    created_at: Some(*at),
                }),
                _ => None,
            })
            .collect();
        let req = ImportRequest { tasks };
        let imported = self
            .caller
            .call(|client, token| {
                let req = req.clone();
                async move { client.import_tasks(&token, &req).await }
            })
            .await;
        match imported {
            Ok(result) => {
                replica.confirm_all(head.iter().map(|q| q.seq).collect()).await?;
                let refused = result.conflicts.len();
                Ok((refused > 0).then(|| format!("{refused} imported tasks have ids already used on the server")))
            }
            // No import route (its router's 404/405, with or without a code).
            Err(e) if matches!(e.status, Some(404 | 405)) => {
                for queued in &head {
                    if let OutboxEntry::Create { title, completed, .. } = &queued.entry {
                        self.push_create(queued, title, *completed).await?;
                    }
                }
                Ok(None)
            }
            // Refused outright (sending it again would be refused again): dropped, and said.
            Err(e) if e.kind == ErrorKind::Rejected => {
                replica.confirm_all(head.iter().map(|q| q.seq).collect()).await?;
                Ok(Some(e.message))
            }
            Err(e) => Err(e),
        }
    }

    async fn push_create(&self, queued: &Queued, title: &str, completed: bool) -> Result<()> {
        let replica = &self.replica;
        let req = CreateTaskRequest { id: Some(queued.task_id), title: title.to_owned(), completed: Some(completed) };
        let created = self
            .caller
            .call(|client, token| {
                let req = req.clone();
                async move { client.create_task(&token, &req).await }
            })
            .await;
        match created {
            Ok(task) => replica.confirm(queued.seq, Some(task)).await,
            // The id is taken by this very task: created by an earlier try whose answer was lost,
            // and changed or deleted since (the feed brings that). A fresh random id (122 bits)
            // is never someone else's.
            Err(e) if e.is(ErrorCode::Conflict) => replica.confirm(queued.seq, None).await,
            Err(e) => Err(e),
        }
    }

    /// An edit, made on the version of the server's copy it was made over: if the task changed
    /// meanwhile (412), the edit is made again on the current version, unless the task already
    /// reads as the edit says (this edit arrived before, its answer lost).
    async fn push_update(&self, queued: &Queued, changes: UpdateTaskRequest) -> Result<()> {
        let (replica, id) = (&self.replica, queued.task_id);
        for _ in 0..MAX_STALE_RETRIES {
            let if_match = replica.server_version(id).await?;
            let updated = self
                .caller
                .call(|client, token| {
                    let changes = changes.clone();
                    async move { client.update_task_if(&token, id, &changes, if_match).await }
                })
                .await;
            match updated {
                Ok(Updated::Done(task)) => return replica.confirm(queued.seq, Some(task)).await,
                Ok(Updated::Stale(current)) => {
                    let already = changes.is_applied_to(&current);
                    replica.keep_server_copy(current).await?;
                    if already {
                        return replica.confirm(queued.seq, None).await;
                    }
                }
                // Deleted on the server: a delete wins over an edit.
                Err(e) if e.is(ErrorCode::NotFound) => return replica.confirm_deleted(queued.seq, id).await,
                Err(e) => return Err(e),
            }
        }
        Err(CommandError::new(ErrorKind::Server, "A task kept changing on the server; trying again soon"))
    }

    async fn push_delete(&self, queued: &Queued) -> Result<()> {
        let (replica, id) = (&self.replica, queued.task_id);
        match self.caller.call(|client, token| async move { client.delete_task(&token, id).await }).await {
            // 404: deleted already (by an earlier try, or elsewhere).
            Ok(()) => replica.confirm_deleted(queued.seq, id).await,
            Err(e) if e.is(ErrorCode::NotFound) => replica.confirm_deleted(queued.seq, id).await,
            Err(e) => Err(e),
        }
    }

    /// Reads the feed from the replica's cursor to its end; a cursor too old (410) reloads it all.
    async fn pull(&self) -> Result<()> {
        let replica = &self.replica;
        let mut changed = false;
        for _ in 0..MAX_PAGES {
            let cursor = replica.cursor().await?;
            let first = cursor.is_none();
            match self.changes_since(cursor).await {
                // A server without the feed (older versions, the original design) answers its
                // first request with a 4xx of its router: it is used online only.
                Err(e) if first && e.kind == ErrorKind::Rejected && matches!(e.status, Some(400 | 404 | 405 | 422)) => {
                    self.no_feed.store(true, Ordering::Release);
                    return Err(self.no_sync());
                }
                Ok(page) => {
                    changed |= replica.apply_changes(page.changes, page.cursor).await?;
                    if !page.has_more {
                        break;
                    }
                }
                Err(e) if e.is(ErrorCode::CursorExpired) => {
                    self.reload().await?;
                    changed = true;
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        if changed {
            self.board.tasks_changed();
        }
        Ok(())
    }

    /// Everything from the feed's beginning, page by page into the replica, then the server's copy
    /// replaced in one transaction (the outbox stays, applied on top as always). However long
    /// the feed (or a hostile server's), memory holds one page.
    async fn reload(&self) -> Result<()> {
        self.replica.begin_reload().await?;
        let mut cursor = None;
        for _ in 0..MAX_PAGES {
            let page = self.changes_since(cursor.take()).await?;
            self.replica.stage_reload_page(page.changes).await?;
            cursor = Some(page.cursor);
            if !page.has_more {
                break;
            }
        }
        self.replica.finish_reload(cursor.unwrap_or_default()).await
    }

    async fn changes_since(&self, cursor: Option<String>) -> Result<authdesk_contract::TaskChangesPage> {
        self.caller
            .call(|client, token| {
                let cursor = cursor.clone();
                async move { client.task_changes(&token, cursor.as_deref(), FEED_PAGE_DEFAULT).await }
            })
            .await
    }
}
