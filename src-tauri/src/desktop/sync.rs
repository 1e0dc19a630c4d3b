//! The facade's side of sync: which replica the signed-in account uses, starting and stopping its
//! engine with the session, and the commands the header and the sign-in screen call.

use std::sync::Arc;
use std::time::Duration;

use authdesk_contract::desktop::{CommandError, ErrorKind, ServerChoice, SyncStatus, WaitingChanges};
use authdesk_i18n::FluentArgs;
use uuid::Uuid;

use super::Desktop;
use crate::sync::{self, Engine, Owner, Replica};
use crate::{words, Result, Session};

/// How long `watch_sync` waits for news before answering anyway.
const WATCH_FOR: Duration = Duration::from_secs(25);
/// How long signing out waits for the waiting changes to reach the server.
const LAST_PUSH_FOR: Duration = Duration::from_secs(10);

/// What happens to the replica when its account signs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leftover {
    Remove,
    /// Kept while it holds changes the server has not had, for the account's next sign-in.
    KeepIfWaiting,
}

fn blocking_failed(e: impl std::fmt::Display) -> CommandError {
    CommandError::local(format!("Cannot reach the copy of your tasks on this computer: {e}"))
}

impl Desktop {
    /// The signed-in account's replica when on a remote server, its sync loop running; `None`
    /// in embedded mode or when nobody is signed in.
    pub(crate) async fn replica(&self) -> Result<Option<Arc<Replica>>> {
        let Some(session) = self.keeper().load() else { return Ok(None) };
        let ServerChoice::Remote { url } = &session.server else { return Ok(None) };
        if self.sync.has_no_feed(url) {
            return Ok(None);
        }
        if let Some(running) = self.sync.replica_of(url, session.user_id) {
            return Ok(Some(running));
        }
        // Opening waits for a sign-out (or refresh) in progress, then looks again: a replica is
        // never reopened for a session being ended.
        let _turn = self.sessions.turn().await;
        let Some(session) = self.keeper().load() else { return Ok(None) };
        let ServerChoice::Remote { url } = &session.server else { return Ok(None) };
        if self.current().await.0 != session.server {
            return Ok(None);
        }
        if let Some(running) = self.sync.replica_of(url, session.user_id) {
            return Ok(Some(running));
        }
        let owner = Owner { server: url.clone(), user_id: session.user_id, email: session.email.clone() };
        let dir = self.sync.dir().to_owned();
        let opened =
            tokio::task::spawn_blocking(move || Replica::open(&dir, owner)).await.map_err(blocking_failed)??;
        let opened = Arc::new(opened);
        self.sync.board().set_waiting(opened.waiting().await?);
        let engine = Engine::new(opened, self.caller().await, Arc::clone(self.sync.board()));
        Ok(Some(self.sync.start(engine)))
    }

    /// After a change here: the header counts it and a pass starts.
    pub(crate) async fn changed_here(&self, replica: &Arc<Replica>) -> Result<()> {
        self.sync.board().set_waiting(replica.waiting().await?);
        self.sync.kick();
        Ok(())
    }

    /// Sends what waits before a sign-out; [`ErrorKind::ChangesWaiting`] if some cannot be sent.
    pub(crate) async fn send_waiting_before_sign_out(&self) -> Result<()> {
        let Some(replica) = self.replica().await? else { return Ok(()) };
        if replica.waiting().await? > 0 {
            // Offline or not, the answer comes within the wait; what it says is in the count.
            let _ = tokio::time::timeout(LAST_PUSH_FOR, self.sync.pass(&replica)).await;
        }
        match replica.waiting().await? {
            0 => Ok(()),
            n => {
                let mut args = FluentArgs::new();
                args.set("count", n);
                args.set("server", replica.owner().server.clone());
                let words = words::catalog(self.language());
                Err(CommandError::new(ErrorKind::ChangesWaiting, words.text("sign-out-changes-waiting", Some(&args))))
            }
        }
    }

    /// After `session` ended: its replica (`stopped`, if its loop was running) goes, or stays
    /// while it holds waiting changes when `leftover` says so.
    pub(crate) async fn dispose_replica(
        &self,
        stopped: Option<Arc<Replica>>,
        session: &Session,
        leftover: Leftover,
    ) -> Result<()> {
        let ServerChoice::Remote { url } = &session.server else { return Ok(()) };
        match stopped {
            Some(replica) => {
                // The loop was aborted at an await: a pass in flight lets go first.
                let _pass = replica.turn().await;
                if leftover == Leftover::KeepIfWaiting && replica.waiting().await? > 0 {
                    return Ok(());
                }
                replica.remove_files()
            }
            // Its loop had ended (a refused session): the file is all there is.
            None if leftover == Leftover::Remove => {
                let (dir, url, user_id) = (self.sync.dir().to_owned(), url.clone(), session.user_id);
                tokio::task::spawn_blocking(move || sync::discard(&dir, &url, user_id))
                    .await
                    .map_err(blocking_failed)?
            }
            None => Ok(()),
        }
    }

    /// The sync status once its revision differs from `seen` (at once without one), or as it is
    /// after a while: the header's long poll.
    pub async fn watch_sync(&self, seen: Option<u64>) -> SyncStatus {
        let mut news = self.sync.board().subscribe();
        if seen.is_some_and(|seen| seen == news.borrow().revision) {
            let _ = tokio::time::timeout(WATCH_FOR, news.changed()).await;
        }
        let status = news.borrow().clone();
        status
    }

    /// Runs a pass now and answers how it went (tests; the app's loop runs its own).
    pub async fn sync_once(&self) -> Result<()> {
        match self.replica().await? {
            Some(replica) => self.sync.pass(&replica).await,
            None => Ok(()),
        }
    }

    /// Resolves once the sync loop has nothing left to do: no pass running or asked for (tests
    /// order themselves after the loop this way; callers put their own deadline on it).
    pub async fn sync_settled(&self) {
        self.sync.settled().await;
    }

    pub fn sync_status(&self) -> SyncStatus {
        self.sync.board().status()
    }

    /// Starts a pass now (Retry, or the network came back).
    pub async fn sync_now(&self) -> Result<()> {
        self.replica().await?;
        self.sync.kick();
        Ok(())
    }

    /// Accounts of the current remote server with changes waiting on this computer, while
    /// nobody is signed in to them.
    pub async fn list_waiting_changes(&self) -> Result<Vec<WaitingChanges>> {
        let ServerChoice::Remote { url } = self.settings().await else { return Ok(Vec::new()) };
        let signed_in = self.keeper().load().map(|s| s.user_id);
        let dir = self.sync.dir().to_owned();
        let found =
            tokio::task::spawn_blocking(move || sync::waiting_in(&dir, &url)).await.map_err(blocking_failed)??;
        Ok(found.into_iter().filter(|w| Some(w.user_id) != signed_in).collect())
    }

    /// Drops the waiting changes (and the copy of the tasks) of an account not signed in here.
    pub async fn discard_waiting_changes(&self, user_id: Uuid) -> Result<()> {
        let ServerChoice::Remote { url } = self.settings().await else { return Ok(()) };
        if self.keeper().load().is_some_and(|s| s.user_id == user_id) {
            return Err(CommandError::rejected("This account is signed in: sign out to discard its changes"));
        }
        let dir = self.sync.dir().to_owned();
        tokio::task::spawn_blocking(move || sync::discard(&dir, &url, user_id)).await.map_err(blocking_failed)?
    }

    /// Whether a close of the window should be held back to warn that changes wait (once).
    pub fn hold_close(&self) -> bool {
        self.sync.board().hold_close()
    }

    /// The user answered the leave warning; `true` means close now.
    pub fn answer_leave_warning(&self, leave: bool) -> bool {
        self.sync.board().leave_warning_answered();
        leave
    }
}
