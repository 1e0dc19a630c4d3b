//! A PostgreSQL cluster of a test's own — initdb in a temp dir, a free port, trust auth — for what
//! the shared server cannot be put through: a restart. As root it runs as the `postgres` user
//! (initdb refuses root), as `scripts/with-postgres.sh` does. The server's binaries come from
//! `AUTHDESK_PG_BIN`, else the PATH, else Debian's layout: the release workflow's Windows and macOS
//! jobs set `AUTHDESK_PG_BIN` to the runner's PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::process::output_within;

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
}

#[cfg(unix)]
fn is_root() -> bool {
    output_within(Command::new("id").arg("-u"), Duration::from_secs(10)).stdout.trim_ascii() == b"0"
}

/// On Windows pg_ctl itself drops an administrator's rights (a restricted token).
#[cfg(not(unix))]
fn is_root() -> bool {
    false
}

/// `tool` as the file it is on this system (`initdb.exe` on Windows).
fn executable(tool: &str) -> String {
    format!("{tool}{}", std::env::consts::EXE_SUFFIX)
}

/// `AUTHDESK_PG_BIN`, else the folder on the PATH holding `initdb`, else the newest server in
/// Debian's layout (whose `initdb` is not on the PATH).
fn server_binaries() -> PathBuf {
    if let Ok(dir) = std::env::var("AUTHDESK_PG_BIN") {
        return dir.into();
    }
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|dir| dir.join(executable("initdb")).is_file());
    if let Some(dir) = on_path {
        return dir;
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort_by_key(|p| p.parent().and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok()).unwrap_or(0));
    found
        .pop()
        .expect("no PostgreSQL server binaries (initdb) on the PATH or under /usr/lib/postgresql; set AUTHDESK_PG_BIN")
}

impl Cluster {
    pub fn start() -> Self {
        Self::start_with(false)
    }

    /// A cluster offering TLS with a self-signed certificate naming 127.0.0.1 (see [`Cluster::ca`]),
    /// so `sslmode=verify-full` can be tested against it whatever server the other tests use.
    pub fn start_with_tls() -> Self {
        Self::start_with(true)
    }

    /// The certificate a TLS cluster presents, to trust as its root.
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("server.crt")
    }

    fn start_with(tls: bool) -> Self {
        let bin = server_binaries();
        let dir = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        if is_root() {
            let uid = output_within(Command::new("id").args(["-u", "postgres"]), Duration::from_secs(10));
            let uid: u32 = String::from_utf8_lossy(&uid.stdout).trim().parse().expect("a postgres user");
            std::os::unix::fs::chown(dir.path(), Some(uid), None).unwrap();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cluster = Self { dir, bin, port };
        let data = cluster.data();
        cluster.run("initdb", &["-D", &data, "-U", "postgres", "--auth=trust"]);
        let log = cluster.dir.path().join("log").display().to_string();
        let mut options = format!("-p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100");
        // Its Unix socket in its own folder, not in /var/run/postgresql beside the shared server's.
        if cfg!(unix) {
            options.push_str(&format!(" -k {}", cluster.dir.path().display()));
        }
        if tls {
            // CA:FALSE: rustls refuses a CA certificate as the server's own.
            let (key, crt) = (cluster.dir.path().join("server.key"), cluster.ca());
            let (key, crt) = (key.display().to_string(), crt.display().to_string());
            cluster.run_as_owner(
                "openssl",
                &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"],
                &[
                    "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-addext",
                    "basicConstraints=critical,CA:FALSE",
                ],
                &["-keyout", &key, "-out", &crt],
            );
            // PostgreSQL refuses a key others can read (on Unix; Windows has no such check).
            if cfg!(unix) {
                cluster.run_as_owner("chmod", &["600", &key], &[], &[]);
            }
            options.push_str(&format!(" -c ssl=on -c ssl_cert_file={crt} -c ssl_key_file={key}"));
        }
        cluster.run("pg_ctl", &["-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options, "start"]);
        cluster
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// `tool` from the server's binaries, run as the cluster's owner.
    fn command(&self, tool: &str) -> Command {
        let program = self.bin.join(executable(tool));
        if is_root() {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(&program);
            cmd
        } else {
            Command::new(&program)
        }
    }

    /// `program` (from the PATH) with the argument groups given, as the cluster's owner.
    fn run_as_owner(&self, program: &str, a: &[&str], b: &[&str], c: &[&str]) {
        let mut cmd = if is_root() {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--", program]);
            cmd
        } else {
            Command::new(program)
        };
        cmd.args(a).args(b).args(c).current_dir(Path::new("/"));
        let out = output_within(&mut cmd, Duration::from_secs(60));
        assert!(out.status.success(), "{program} failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = output_within(self.command(tool).args(args).current_dir(Path::new("/")), Duration::from_secs(90));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `postgres://postgres@127.0.0.1:<port>/postgres`.
    pub fn url(&self) -> String {
        format!("postgresql://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// A fast restart, as an operator's `systemctl restart postgresql` does it: every connection
    /// is cut, the server is down for a moment, then takes connections again.
    pub fn restart(&self) {
        // With its log file again: without one the new server would write to (and hold open) the
        // pipe this test reads pg_ctl's output from.
        let log = self.dir.path().join("log").display().to_string();
        self.run("pg_ctl", &["-D", &self.data(), "-l", &log, "-m", "fast", "-w", "-t", "60", "restart"]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = output_within(
            self.command("pg_ctl").args(["-D", &data, "-m", "immediate", "stop"]),
            Duration::from_secs(60),
        );
    }
}
