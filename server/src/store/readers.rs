//! SQLite's reader threads: each owns one connection and runs the reads sent to it, one at a time.
//!
//! Reads used to go through the runtime's blocking pool, a connection taken from a shared list for
//! each: under load a quarter of the server's time went to putting pool threads to sleep and waking
//! them (BENCHMARKS.md). These threads wait on one channel, which spins briefly before it sleeps,
//! so a thread that just answered picks up the next read without a wake-up. Reads stay off the
//! async runtime: a slow disk stalls a reader, never the requests that do not read.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};
use rusqlite::Connection;

use super::{StoreError, StoreResult};

/// A read: runs on a reader's connection and sends its own answer.
type Job = Box<dyn FnOnce(&mut Connection) + Send>;

pub struct Readers {
    jobs: Sender<Job>,
    busy: Arc<AtomicUsize>,
    count: usize,
}

impl Readers {
    /// Starts a thread for each connection; `reconnect` opens a replacement. They stop when this is
    /// dropped.
    pub fn start<R>(connections: Vec<Connection>, reconnect: R) -> StoreResult<Self>
    where
        R: Fn() -> StoreResult<Connection> + Clone + Send + 'static,
    {
        let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
        let busy = Arc::new(AtomicUsize::new(0));
        let count = connections.len();
        for (n, conn) in connections.into_iter().enumerate() {
            let (queue, busy, reconnect) = (queue.clone(), busy.clone(), reconnect.clone());
            std::thread::Builder::new()
                .name(format!("sqlite-reader-{n}"))
                .spawn(move || serve(conn, &queue, &busy, reconnect))
                .map_err(|e| StoreError::Unavailable(format!("cannot start a database reader: {e}")))?;
        }
        Ok(Self { jobs, busy, count })
    }

    /// Runs `read` on a reader's connection. A caller that stops waiting (its request timed out)
    /// costs the readers nothing once they reach its read.
    pub async fn run<T: Send + 'static>(
        &self,
        read: impl FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |conn| {
            if !answer.is_closed() {
                let _ = answer.send(read(conn));
            }
        });
        self.jobs.send(job).map_err(|_| StoreError::Unavailable("the database readers have stopped".into()))?;
        answered.await.map_err(|_| StoreError::Other("a database read failed".into()))?
    }

    /// The connections, those running a read, and the reads waiting for one.
    pub fn state(&self) -> (usize, usize, usize) {
        (self.count, self.busy.load(Ordering::Relaxed), self.jobs.len())
    }
}

/// One reader's loop, until the channel closes. A read that panicked may have left its statement
/// midway: the connection is replaced (when a new one opens; else kept).
fn serve(
    mut conn: Connection,
    queue: &Receiver<Job>,
    busy: &AtomicUsize,
    reconnect: impl Fn() -> StoreResult<Connection>,
) {
    while let Ok(job) = queue.recv() {
        busy.fetch_add(1, Ordering::Relaxed);
        let outcome = catch_unwind(AssertUnwindSafe(|| job(&mut conn)));
        busy.fetch_sub(1, Ordering::Relaxed);
        if outcome.is_err() {
            if let Ok(fresh) = reconnect() {
                conn = fresh;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> StoreResult<Connection> {
        Connection::open_in_memory().map_err(|e| StoreError::Other(e.to_string()))
    }

    #[tokio::test]
    async fn a_read_that_panics_answers_an_error_and_the_reader_goes_on() {
        let readers = Readers::start(vec![memory().unwrap()], memory).unwrap();
        let one = |conn: &mut Connection| {
            conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)).map_err(|_| StoreError::Gone)
        };
        assert_eq!(readers.run(one).await.unwrap(), 1);
        let failed = readers.run(|_: &mut Connection| -> StoreResult<()> { panic!("a mapping bug") }).await;
        assert!(matches!(failed, Err(StoreError::Other(_))), "{failed:?}");
        assert_eq!(readers.run(one).await.unwrap(), 1);
        // A reader counts itself idle just after it answers: wait for that, within a deadline.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while readers.state() != (1, 0, 0) && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        assert_eq!(readers.state(), (1, 0, 0));
    }

    /// Polls `read` once: enough to send it to the readers.
    async fn sent<F: std::future::Future>(read: &mut std::pin::Pin<Box<F>>) {
        std::future::poll_fn(|cx| {
            let _ = read.as_mut().poll(cx);
            std::task::Poll::Ready(())
        })
        .await;
    }

    #[tokio::test]
    async fn a_read_nobody_waits_for_any_more_is_not_run() {
        let readers = Readers::start(vec![memory().unwrap()], memory).unwrap();
        let (hold, held) = std::sync::mpsc::channel::<()>();
        let (ran, runs) = std::sync::mpsc::channel::<&str>();
        // The one reader is busy until `hold` is dropped; the second read queues behind it, and
        // its caller gives up.
        let mut blocking = Box::pin(readers.run(move |_| {
            let _ = held.recv();
            Ok(())
        }));
        sent(&mut blocking).await;
        let ran_too = ran.clone();
        let mut abandoned = Box::pin(readers.run(move |_| {
            let _ = ran_too.send("abandoned");
            Ok(())
        }));
        sent(&mut abandoned).await;
        drop(abandoned);
        drop(hold);
        blocking.await.unwrap();
        let later = move |_: &mut Connection| {
            let _ = ran.send("later");
            Ok(())
        };
        readers.run(later).await.unwrap();
        assert_eq!(runs.try_iter().collect::<Vec<_>>(), ["later"]);
    }
}
