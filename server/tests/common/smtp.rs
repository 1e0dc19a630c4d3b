//! A real SMTP server on loopback: Python's aiosmtpd (from the tests' venv) delivering every mail
//! to a Maildir the test reads. It runs as long as the value lives, and is killed with it.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::ChildGuard;

/// How long the sink may take to start, and a mail to arrive.
const DEADLINE: Duration = Duration::from_secs(20);

pub struct SmtpSink {
    /// What the server is configured with (`AUTHDESK_SMTP_URL`).
    pub url: String,
    maildir: tempfile::TempDir,
    _child: ChildGuard,
}

/// The interpreter whose venv has aiosmtpd (`AUTHDESK_TEST_PYTHON`, set by the test command).
fn python() -> String {
    std::env::var("AUTHDESK_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

impl SmtpSink {
    pub fn start() -> Self {
        let maildir = tempfile::tempdir().expect("temp dir");
        // A free port, released just before aiosmtpd binds it (it cannot report a port 0 choice).
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = ChildGuard::spawn(
            Command::new(python())
                .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
                .arg(maildir.path().join("mail"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit()),
        );
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < DEADLINE,
                "aiosmtpd did not listen within {DEADLINE:?} (is it in the venv? run scripts/test.sh)"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { url: format!("smtp://127.0.0.1:{port}"), maildir, _child: child }
    }

    fn new_dir(&self) -> PathBuf {
        self.maildir.path().join("mail").join("new")
    }

    /// Every mail delivered so far, raw.
    pub fn mails(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.new_dir()) else { return Vec::new() };
        let mut mails: Vec<(std::time::SystemTime, String)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, std::fs::read_to_string(e.path()).ok()?)))
            .collect();
        mails.sort();
        mails.into_iter().map(|(_, text)| text).collect()
    }

    /// The mails delivered to `to` so far, oldest first.
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        let header = format!("To: {to}");
        self.mails().into_iter().filter(|m| m.lines().any(|l| l.eq_ignore_ascii_case(&header))).collect()
    }

    /// Waits for the `n`th mail to `to` (1-based) and returns it.
    pub async fn nth_mail_to(&self, to: &str, n: usize) -> String {
        let started = Instant::now();
        loop {
            if let Some(mail) = self.mails_to(to).into_iter().nth(n - 1) {
                return mail;
            }
            assert!(started.elapsed() < DEADLINE, "no mail #{n} to {to} within {DEADLINE:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The reset code in a mail: the 8 digits after "Your reset code: ".
#[track_caller]
pub fn reset_code(mail: &str) -> String {
    let start = mail.find("Your reset code: ").unwrap_or_else(|| panic!("no reset code in {mail}")) + 17;
    let code: String = mail[start..].chars().take(8).collect();
    assert!(code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit()), "{code:?} in {mail}");
    code
}
