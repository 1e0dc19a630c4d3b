//! The `authdesk-server` binary as its own process: started with a deadline, its log collected
//! line by line, stopped gracefully (SIGTERM) or killed (SIGKILL).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::ChildGuard;

pub const BIN: &str = env!("CARGO_BIN_EXE_authdesk-server");
/// Far above what any of these commands needs, even on a loaded machine.
pub const DEADLINE: Duration = Duration::from_secs(60);

pub fn server_command(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_remove("BETTER_AUTH_SECRET")
        .env_remove("DATABASE_URL")
        .env_remove("ACCESS_TOKEN_EXPIRE_MINUTES")
        .env_remove("AUTHDESK_LOGIN_RATE_LIMIT")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1");
    cmd
}

/// A running `serve` whose output is collected line by line.
pub struct Served {
    child: ChildGuard,
    lines: mpsc::Receiver<String>,
    pub log: Vec<String>,
    pub addr: String,
}

impl Served {
    pub fn start(mut cmd: Command) -> Self {
        let mut child = ChildGuard::spawn(
            cmd.args(["serve", "--bind", "127.0.0.1:0"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped()),
        );
        let (tx, lines) = mpsc::channel();
        for stream in [
            Box::new(child.child().stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.child().stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut served = Self { child, lines, log: Vec::new(), addr: String::new() };
        let line =
            served.wait_for("listening").unwrap_or_else(|| panic!("server did not start:\n{}", served.log.join("\n")));
        served.addr = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(json) => json["fields"]["addr"].as_str().unwrap().to_owned(),
            Err(_) => line.split("addr=").nth(1).unwrap().split_whitespace().next().unwrap().to_owned(),
        };
        served
    }

    /// The first line containing `needle`, if one comes within [`DEADLINE`].
    pub fn wait_for(&mut self, needle: &str) -> Option<String> {
        let started = std::time::Instant::now();
        while let Ok(line) = self.lines.recv_timeout(DEADLINE.saturating_sub(started.elapsed())) {
            self.log.push(line.clone());
            if line.contains(needle) {
                return Some(line);
            }
        }
        None
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sends SIGTERM and returns the exit status and everything logged.
    #[cfg(unix)]
    pub fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let kill = super::output_within(Command::new("kill").args(["-TERM", &self.child.id().to_string()]), DEADLINE);
        assert!(kill.status.success(), "kill -TERM: {}", String::from_utf8_lossy(&kill.stderr));
        let status = self.child.wait_within(DEADLINE);
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
            self.log.push(line);
        }
        (status, self.log.join("\n"))
    }
}

impl Served {
    /// Kills the process at once (SIGKILL: no shutdown, no flush), and waits for it to be gone.
    pub fn kill(mut self) {
        let _ = self.child.child().kill();
        self.child.wait_within(DEADLINE);
    }
}
