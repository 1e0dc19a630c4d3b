//! Live across devices: while a loop runs, the server's event stream (`GET /api/tasks/events`) is
//! held open and each event rings the loop's bell, so a change made on another device is pulled
//! at once instead of at the next poll. The stream carries no data; when it cannot be held (the
//! server has none, a proxy buffers it, the network drops) it is opened again with backoff, and
//! the poll goes on meanwhile.

use std::sync::Arc;
use std::time::Duration;

use super::bell::Bell;
use super::{Engine, SyncOptions};

/// Silence allowed on the stream; the server sends a comment every 15 s.
const IDLE: Duration = Duration::from_secs(45);

pub(super) async fn listen(engine: Arc<Engine>, bell: Arc<Bell>, options: SyncOptions) {
    let mut failures = 0u32;
    let mut opened_before = false;
    loop {
        let opened = engine.caller().call(|client, token| async move { client.task_events(&token).await }).await;
        let mut retry_after = Duration::ZERO;
        match opened {
            Ok(mut events) => {
                // Whatever was written while the stream was down.
                if opened_before {
                    bell.ring();
                }
                opened_before = true;
                let mut heard = false;
                while let Ok(true) = events.next(IDLE).await {
                    heard = true;
                    bell.ring();
                }
                failures = if heard { 1 } else { failures + 1 };
            }
            // The session is over (the pass loop ends too), or the server has no stream: the poll
            // alone, as before live updates.
            Err(e) if e.is_unauthorized() || matches!(e.status, Some(404 | 405)) => return,
            Err(e) => {
                failures += 1;
                retry_after = e.retry_after.map(Duration::from_secs).unwrap_or_default();
            }
        }
        tokio::time::sleep(options.backoff(failures).max(retry_after)).await;
    }
}

/// Stops the listener when the loop that started it ends (or is aborted).
pub(super) struct StopOnDrop(pub tokio::task::AbortHandle);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
