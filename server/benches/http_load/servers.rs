//! Server processes for the bench: the binaries under test on their databases, and the ceiling.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc};

use serde_json::{json, Value};

use crate::load::{client, Endpoint};
use crate::{LISTEN_DEADLINE, PASSWORD, ROLE_ENV, SECRET, TASKS_ENV};

/// A server process; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `command` and waits (at most [`LISTEN_DEADLINE`]) for it to print `addr=<host:port>`, on
/// stdout or stderr (where the server logs; older binaries logged to stdout).
fn start(mut command: Command, what: &str) -> Server {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap_or_else(|e| {
        panic!("cannot start {what}: {e}");
    });
    let streams: [Box<dyn std::io::Read + Send>; 2] =
        [Box::new(child.stdout.take().unwrap()), Box::new(child.stderr.take().unwrap())];
    // From here on a panic kills the process.
    let mut server = Server { child, base: String::new() };
    let (found, addr) = mpsc::channel();
    // Each reads the address, then keeps draining its pipe (passing stderr on) so the process
    // never blocks on a full pipe.
    for (n, stream) in streams.into_iter().enumerate() {
        let found = found.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if n == 1 {
                    eprintln!("{line}");
                }
                if let Some(addr) = line.split("addr=").nth(1).and_then(|rest| rest.split_whitespace().next()) {
                    let _ = found.send(addr.to_owned());
                }
            }
        });
    }
    let addr = addr.recv_timeout(LISTEN_DEADLINE).unwrap_or_else(|e| match e {
        mpsc::RecvTimeoutError::Timeout => panic!("{what} printed no address within {LISTEN_DEADLINE:?}"),
        mpsc::RecvTimeoutError::Disconnected => panic!("{what} exited before listening"),
    });
    server.base = format!("http://{addr}");
    server
}

fn start_server(binary: &Path, signing: &str, database_url: &str) -> Server {
    let mut command = Command::new(binary);
    command
        .args(["serve", "--bind", "127.0.0.1:0"])
        // Older binaries ignore it (and sign with HS256, as this knob's default does).
        .env("AUTHDESK_TOKEN_SIGNING", signing)
        .env("BETTER_AUTH_SECRET", SECRET)
        .env("DATABASE_URL", database_url)
        .env("AUTHDESK_LOGIN_RATE_LIMIT", "off")
        // The flood comes from one address here; what is measured is the hashing queue behind it.
        .env("AUTHDESK_REGISTER_RATE_LIMIT", "off")
        .env("RUST_LOG", "warn,authdesk_server=info")
        .env("NO_COLOR", "1");
    start(command, &binary.display().to_string())
}

pub fn start_ceiling(tasks_json: &str) -> Server {
    let mut command = Command::new(std::env::current_exe().expect("the bench binary's path"));
    command.env(ROLE_ENV, "ceiling").env("BETTER_AUTH_SECRET", SECRET).env(TASKS_ENV, tasks_json);
    start(command, "the ceiling server")
}

/// A binary under test, running on its own database with one user who has 20 tasks.
pub struct Subject {
    pub binary: &'static str,
    pub endpoint: Endpoint,
    _server: Server,
}

pub async fn start_subject(binary: &'static str, path: &Path, signing: &str, database_url: &str) -> Subject {
    let server = start_server(path, signing, database_url);
    let http = client();
    let base: Arc<str> = server.base.as_str().into();
    let post = |path: &str, body: Value| http.post(format!("{base}{path}")).json(&body).send();
    let account = json!({"email": "bench@example.com", "password": PASSWORD});
    assert_eq!(post("/api/auth/register", account.clone()).await.unwrap().status(), 201);
    let login: Value = post("/api/auth/login", account).await.unwrap().json().await.unwrap();
    let token: Arc<str> = login["access_token"].as_str().unwrap().into();
    for i in 0..20 {
        let resp = http
            .post(format!("{base}/api/tasks"))
            .bearer_auth(&token)
            .json(&json!({"title": format!("task {i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
    }
    let endpoint = Endpoint { http, base, token, registered: Arc::default() };
    Subject { binary, endpoint, _server: server }
}

pub async fn create_pg_database(admin: &str) -> String {
    let name = format!("authdesk_bench_{}", uuid::Uuid::new_v4().simple());
    let (client, conn) =
        tokio_postgres::connect(admin, tokio_postgres::NoTls).await.expect("PostgreSQL for the benchmark");
    tokio::spawn(conn);
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let root = admin.rsplit_once('/').unwrap().0;
    format!("{root}/{name}")
}

pub async fn drop_pg_database(admin: &str, url: &str) {
    let name = url.rsplit('/').next().unwrap();
    let (client, conn) = tokio_postgres::connect(admin, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
}
