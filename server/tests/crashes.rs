//! Processes that die mid-load: `kill -9` of the server while clients write tasks, on SQLite and on
//! PostgreSQL, alone and as one of three instances on one database. Whatever a client was told was
//! saved (a 201) is there afterwards, and SQLite's file is intact.

use crate::common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::served::{server_command, Served};
use common::{Db, TestDb, PASSWORD, SECRET};
use serde_json::{json, Value};

const WRITERS: usize = 6;

fn start(db: &TestDb, dir: &std::path::Path) -> Served {
    let mut cmd = server_command(dir);
    cmd.env("BETTER_AUTH_SECRET", SECRET)
        .env("DATABASE_URL", db.url_string())
        .env("AUTHDESK_LOGIN_RATE_LIMIT", "off")
        .env("RUST_LOG", "warn,authdesk_server=info");
    Served::start(cmd)
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap()
}

/// Signs up and in on `base`: a token.
async fn token(base: &str) -> String {
    let creds = json!({"email": "writer@example.com", "password": PASSWORD});
    let registered = http().post(format!("{base}/api/auth/register")).json(&creds).send().await.unwrap();
    assert_eq!(registered.status(), 201);
    let login: Value =
        http().post(format!("{base}/api/auth/login")).json(&creds).send().await.unwrap().json().await.unwrap();
    login["access_token"].as_str().unwrap_or_else(|| panic!("no token: {login}")).to_owned()
}

/// Writers creating tasks round-robin across `bases` until `stop`; every title that got a 201.
fn write_until(
    bases: Vec<String>,
    token: String,
    stop: Arc<AtomicBool>,
) -> (Vec<tokio::task::JoinHandle<()>>, Arc<Mutex<BTreeSet<String>>>) {
    let acked = Arc::new(Mutex::new(BTreeSet::new()));
    let handles = (0..WRITERS)
        .map(|w| {
            let (bases, token, stop, acked) = (bases.clone(), token.clone(), stop.clone(), acked.clone());
            tokio::spawn(async move {
                let http = http();
                let mut n = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    let title = format!("w{w}-{n}");
                    let base = &bases[(w + n) % bases.len()];
                    n += 1;
                    let sent = http
                        .post(format!("{base}/api/tasks"))
                        .bearer_auth(&token)
                        .json(&json!({"title": title}))
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status() == 201 => {
                            acked.lock().unwrap().insert(title);
                        }
                        // A 503 while an instance dies, or no answer from a dead one: not
                        // acknowledged, so no promise. Any other answer is a bug.
                        Ok(r) if r.status() == 503 => tokio::time::sleep(Duration::from_millis(5)).await,
                        Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
                        Ok(r) => panic!("{title}: {} {}", r.status(), r.text().await.unwrap_or_default()),
                    }
                }
            })
        })
        .collect();
    (handles, acked)
}

async fn titles(base: &str, token: &str) -> BTreeSet<String> {
    let tasks: Vec<Value> =
        http().get(format!("{base}/api/tasks")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    tasks.iter().map(|t| t["title"].as_str().unwrap().to_owned()).collect()
}

fn sqlite_is_intact(db: &TestDb) {
    if let authdesk_server::DatabaseUrl::Sqlite(path) = &db.url {
        let conn = rusqlite::Connection::open(path).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
        assert_eq!(check, "ok");
    }
}

async fn acknowledged_writes_survive_a_kill_9(kind: Db) {
    let db = TestDb::new(kind).await;
    let dir = tempfile::tempdir().unwrap();
    let served = start(&db, dir.path());
    let base = served.url("");
    let token = token(&base).await;

    let stop = Arc::new(AtomicBool::new(false));
    let (writers, acked) = write_until(vec![base.clone()], token.clone(), stop.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    served.kill();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() > 20, "{kind:?}: the load wrote too little to mean anything ({})", acked.len());

    let restarted = start(&db, dir.path());
    let stored = titles(&restarted.url(""), &token).await;
    let lost: Vec<_> = acked.difference(&stored).collect();
    assert!(lost.is_empty(), "{kind:?}: {} acknowledged writes lost: {lost:?}", lost.len());
    let (status, log) = restarted.terminate();
    assert!(status.success(), "{log}");
    sqlite_is_intact(&db);
}

async fn one_of_three_instances_killed_loses_nothing_acknowledged(kind: Db) {
    let db = TestDb::new(kind).await;
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (start(&db, dir.path()), start(&db, dir.path()), start(&db, dir.path()));
    let bases = vec![a.url(""), b.url(""), c.url("")];
    let token = token(&bases[0]).await;

    let stop = Arc::new(AtomicBool::new(false));
    let (writers, acked) = write_until(bases.clone(), token.clone(), stop.clone());
    tokio::time::sleep(Duration::from_millis(1000)).await;
    b.kill();
    // The others keep taking writes.
    let at_kill = acked.lock().unwrap().len();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() > at_kill, "{kind:?}: no write after the kill ({at_kill} before, {} after)", acked.len());
    for base in [&bases[0], &bases[2]] {
        let stored = titles(base, &token).await;
        let lost: Vec<_> = acked.difference(&stored).collect();
        assert!(lost.is_empty(), "{kind:?}: {} acknowledged writes lost: {lost:?}", lost.len());
    }
    for served in [a, c] {
        let (status, log) = served.terminate();
        assert!(status.success(), "{log}");
    }
    sqlite_is_intact(&db);
}

both_backends!(acknowledged_writes_survive_a_kill_9, one_of_three_instances_killed_loses_nothing_acknowledged);
