//! Child processes and runtimes a test must never wait on forever: killed, or abandoned, when the
//! test ends.

use std::future::Future;
use std::io::Read;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs a test story on a runtime of its own that, when the story ends (or fails), is abandoned
/// rather than waited for: a password hash computed by mistake would keep a `#[tokio::test]`
/// waiting for days on its blocking pool, instead of failing.
pub fn run_abandoning_blocking_work(story: impl Future<Output = ()>) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(4).enable_all().build().unwrap();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runtime.block_on(story)));
    runtime.shutdown_background();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// A child process that is killed (and reaped) when dropped, whatever happened to the test.
pub struct ChildGuard {
    child: Option<Child>,
}

impl ChildGuard {
    pub fn spawn(cmd: &mut Command) -> Self {
        let child = cmd.spawn().unwrap_or_else(|e| panic!("spawning {cmd:?}: {e}"));
        Self { child: Some(child) }
    }

    pub fn child(&mut self) -> &mut Child {
        self.child.as_mut().expect("the child is only taken on drop")
    }

    pub fn id(&self) -> u32 {
        self.child.as_ref().expect("the child is only taken on drop").id()
    }

    /// Waits for the exit, at most `deadline`; past it the child is killed and the test fails.
    #[track_caller]
    pub fn wait_within(&mut self, deadline: Duration) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child().try_wait().expect("waiting for the child") {
                return status;
            }
            if started.elapsed() > deadline {
                let _ = self.child().kill();
                let _ = self.child().wait();
                panic!("the child process did not exit within {deadline:?}; killed");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            if let Ok(None) = child.try_wait() {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
    }
}

/// Like [`Command::output`], but the process must finish within `deadline` (or it is killed and
/// the test fails), and so must the reading of its output: a process it left running (a server
/// it started) may hold the pipes open for ever, and what arrived by the deadline is what counts.
#[track_caller]
pub fn output_within(cmd: &mut Command, deadline: Duration) -> Output {
    let started = Instant::now();
    let mut guard = ChildGuard::spawn(cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()));
    let stdout = Drain::start(guard.child().stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>));
    let stderr = Drain::start(guard.child().stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>));
    let status = guard.wait_within(deadline);
    // The pipes close when the last holder exits; give them until the deadline, at least a moment.
    let until = (started + deadline).max(Instant::now() + Duration::from_secs(2));
    Output { status, stdout: stdout.finish(until), stderr: stderr.finish(until) }
}

/// A pipe read on a thread of its own (a chatty child never blocks on a full pipe), into a buffer
/// that can be taken at a deadline whether or not the pipe has closed.
struct Drain {
    bytes: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    done: std::sync::mpsc::Receiver<()>,
}

impl Drain {
    fn start(stream: Option<Box<dyn Read + Send>>) -> Self {
        let bytes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (finished, done) = std::sync::mpsc::channel();
        let sink = bytes.clone();
        std::thread::spawn(move || {
            if let Some(mut stream) = stream {
                let mut chunk = [0u8; 8192];
                while let Ok(n @ 1..) = stream.read(&mut chunk) {
                    sink.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(&chunk[..n]);
                }
            }
            let _ = finished.send(());
        });
        Self { bytes, done }
    }

    /// What was read, once the pipe closed or at `until`, whichever comes first.
    fn finish(self, until: Instant) -> Vec<u8> {
        let _ = self.done.recv_timeout(until.saturating_duration_since(Instant::now()));
        std::mem::take(&mut *self.bytes.lock().unwrap_or_else(|p| p.into_inner()))
    }
}
