//! Task events: after a task write commits, the owner's new change counter, to whoever listens on
//! this instance (the live change stream, `GET /api/tasks/events`). On SQLite (one process) they
//! are handed over in memory; on PostgreSQL every instance writes `NOTIFY` in the write's own
//! transaction (delivered at commit, to every instance) and each instance listens on a connection
//! of its own, opened when the first listener comes and closed with the store.

use std::sync::{Arc, OnceLock};

use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;
use uuid::Uuid;

/// The PostgreSQL channel task writes notify.
pub const CHANNEL: &str = "authdesk_tasks";
/// Events kept for a listener that is behind; one further behind misses some (and is told so).
const BACKLOG: usize = 1024;

/// An owner's change counter after a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskEvent {
    pub owner: Uuid,
    pub version: i64,
}

impl TaskEvent {
    /// `<owner>:<version>`, as a notification carries it.
    pub fn payload(self) -> String {
        format!("{}:{}", self.owner, self.version)
    }

    pub fn parse(payload: &str) -> Option<Self> {
        let (owner, version) = payload.split_once(':')?;
        Some(Self { owner: owner.parse().ok()?, version: version.parse().ok()? })
    }
}

/// The listening task, stopped when the last handle on the events goes.
struct Listener(JoinHandle<()>);

impl Drop for Listener {
    fn drop(&mut self) {
        self.0.abort();
    }
}

struct Shared {
    sender: broadcast::Sender<TaskEvent>,
    listener: OnceLock<Listener>,
    /// Whether the listening task is listening now (PostgreSQL): a stream answered before it is
    /// would miss a write made right after.
    listening: watch::Sender<bool>,
}

/// Cheap to clone; one per store.
#[derive(Clone)]
pub struct TaskEvents(Arc<Shared>);

impl TaskEvents {
    pub fn new() -> Self {
        Self(Arc::new(Shared {
            sender: broadcast::channel(BACKLOG).0,
            listener: OnceLock::new(),
            listening: watch::channel(false).0,
        }))
    }

    /// Hands `event` to this instance's listeners.
    pub fn publish(&self, event: TaskEvent) {
        // No listener is no error.
        let _ = self.0.sender.send(event);
    }

    /// A receiver of every event from now on; `start` runs once, with a sender of events and of
    /// whether it listens, to start the instance's listening task (PostgreSQL's). The task holds
    /// those senders only, never these events: it stops when they go.
    pub fn subscribe(
        &self,
        start: impl FnOnce(broadcast::Sender<TaskEvent>, watch::Sender<bool>) -> Option<JoinHandle<()>>,
    ) -> broadcast::Receiver<TaskEvent> {
        let receiver = self.0.sender.subscribe();
        if self.0.listener.get().is_none() {
            if let Some(task) = start(self.0.sender.clone(), self.0.listening.clone()) {
                // Started twice by two first listeners at once: the one not kept is dropped, so
                // stopped.
                let _ = self.0.listener.set(Listener(task));
            }
        }
        receiver
    }
}

impl TaskEvents {
    /// Waits (at most `patience`) until the listening task listens; at once when there is none.
    pub async fn listening(&self, patience: std::time::Duration) {
        if self.0.listener.get().is_none() {
            return;
        }
        let mut listening = self.0.listening.subscribe();
        let _ = tokio::time::timeout(patience, listening.wait_for(|now| *now)).await;
    }
}

impl Default for TaskEvents {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_junk_is_ignored() {
        let event = TaskEvent { owner: Uuid::new_v4(), version: 42 };
        assert_eq!(TaskEvent::parse(&event.payload()), Some(event));
        assert_eq!(TaskEvent::parse("nope"), None);
        assert_eq!(TaskEvent::parse("x:1"), None);
    }
}
