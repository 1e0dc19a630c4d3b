//! When parts fail or race: a lock held by another client, a database that stops answering, an
//! account deleted or a password changed while a request runs, rows the original design left
//! half-filled. Never a hang, never a 500: a 503 or 401 a client can act on.

use crate::common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use authdesk_server::auth::password::hash_blocking;
use authdesk_server::DatabaseUrl;
use common::cluster::Cluster;
use common::proxy::{self, Relay};
use common::{spawn_app_with, spawn_on, unique_email, Db, OtherClient, Reply, TestApp, TestDb, PASSWORD};

both_backends!(
    a_lock_held_by_another_client_answers_503_in_bounded_time,
    a_request_past_its_time_limit_answers_503,
    a_sign_in_racing_a_password_change_opens_no_session,
    requests_racing_the_account_deletion_answer_401_not_500,
    rows_the_original_design_left_half_filled_still_read,
);

/// Not in `both_backends!`: only PostgreSQL is a server that can stop answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_that_stops_answering_answers_503_in_bounded_time() {
    let db = Arc::new(TestDb::new(Db::Postgres).await);
    let DatabaseUrl::Postgres(url) = &db.url else { unreachable!() };
    let relay = Relay::start(proxy::target_of(url)).await;
    let through_relay = DatabaseUrl::Postgres(proxy::via(url, relay.addr));
    let app = spawn_on(db.clone(), |c| {
        c.database = through_relay;
        c.database_timeout = Duration::from_secs(1);
    })
    .await;
    let (_, token) = app.signed_up(&unique_email()).await;

    relay.freeze();
    // The database's own timeout answers (its sentence, not the request limit's), and within
    // `timed`'s deadline: no hang.
    for (reply, _) in [timed(app.me(&token)).await, timed(app.create_task(&token, "x")).await] {
        reply.assert_refused(503, "unavailable", "The database is temporarily unavailable. Please try again shortly.");
    }
    relay.thaw();
    // Once it answers again, so does the server.
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.me(&token).await.status != 200 {
        assert!(Instant::now() < deadline, "the server did not recover after the database did");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Not in `both_backends!`: only PostgreSQL restarts apart from the server. A cluster of the test's
/// own, restarted (`pg_ctl restart -m fast`) while reads and writes run.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_restart_under_load_answers_200_or_503_and_recovers_by_itself() {
    let cluster = tokio::task::spawn_blocking(Cluster::start).await.unwrap();
    let db = Arc::new(TestDb::borrowed_postgres(cluster.url()));
    let app = Arc::new(spawn_on(db.clone(), |c| c.database_timeout = Duration::from_secs(1)).await);
    let (_, token) = app.signed_up(&unique_email()).await;

    // Readers and writers run until told to stop; each answer is kept with whether the restart
    // had completed when it was asked.
    let restarted = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let load: Vec<_> = (0..4)
        .map(|n| {
            let (app, token, restarted, stop) = (app.clone(), token.clone(), restarted.clone(), stop.clone());
            let answered = answered.clone();
            tokio::spawn(async move {
                let mut seen = Vec::new();
                while !stop.load(Ordering::Acquire) {
                    let after_restart = restarted.load(Ordering::Acquire);
                    let (reply, _) = if n % 2 == 0 {
                        timed(app.list_tasks(&token)).await
                    } else {
                        timed(app.create_task(&token, "during a restart")).await
                    };
                    seen.push((after_restart, reply.status.as_u16(), reply.text.clone()));
                    answered.fetch_add(1, Ordering::AcqRel);
                }
                seen
            })
        })
        .collect();
    // The load is under way before the restart: a first answer has come back.
    common::wait_for("the load to start", || async { answered.load(Ordering::Acquire) >= 4 }).await;
    let cluster = tokio::task::spawn_blocking(move || {
        cluster.restart();
        cluster
    })
    .await
    .unwrap();
    restarted.store(true, Ordering::Release);
    // Recovered by itself: a read and a write asked after the restart succeed, with no help.
    common::wait_for("the server to recover", || async {
        timed(app.list_tasks(&token)).await.0.status == 200
            && timed(app.create_task(&token, "after the restart")).await.0.status == 201
    })
    .await;
    stop.store(true, Ordering::Release);
    let mut answers = Vec::new();
    for worker in load {
        answers.extend(worker.await.unwrap());
    }

    let mut unavailable = 0;
    for (after_restart, status, body) in &answers {
        match status {
            200 | 201 => {}
            503 => {
                unavailable += 1;
                let detail: serde_json::Value =
                    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
                assert!(detail["detail"].is_string() && detail["code"].is_string(), "{body}");
            }
            other => panic!("(asked after the restart: {after_restart}) {other} {body}"),
        }
    }
    assert!(unavailable > 0, "the outage was not noticed: {} answers", answers.len());
    drop(app);
    drop(db);
    drop(cluster);
}

/// The reply and how long it took; a test client never waits more than 15 s.
async fn timed(request: impl std::future::Future<Output = Reply>) -> (Reply, Duration) {
    let started = Instant::now();
    let reply = tokio::time::timeout(Duration::from_secs(15), request).await.expect("no answer within 15 s: a hang");
    (reply, started.elapsed())
}

/// What blocks a server's statements: on SQLite another writer, on PostgreSQL a table lock.
fn blocking_lock(db: Db) -> &'static str {
    match db {
        Db::Sqlite => "BEGIN EXCLUSIVE",
        Db::Postgres => "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE",
    }
}

async fn a_lock_held_by_another_client_answers_503_in_bounded_time(db: Db) {
    let app = spawn_app_with(db, |c| c.database_timeout = Duration::from_secs(1)).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let other = OtherClient::connect(&app.db).await;
    other.run(blocking_lock(db)).await;

    // The database's timeout (its sentence), not the request's limit (30 s): bounded by it.
    let (reply, _) = timed(app.register(&unique_email(), PASSWORD)).await;
    reply.assert_refused(503, "unavailable", "The database is temporarily unavailable. Please try again shortly.");
    if db == Db::Postgres {
        // There even reads wait for the lock.
        let (reply, _) = timed(app.me(&token)).await;
        reply.assert_refused(503, "unavailable", "The database is temporarily unavailable. Please try again shortly.");
    }
    other.run("COMMIT").await;
    assert_eq!(app.register(&unique_email(), PASSWORD).await.status, 201, "and works again once the lock is gone");
}

/// Whatever no narrower timeout covers, the request's own limit does.
async fn a_request_past_its_time_limit_answers_503(db: Db) {
    let app = spawn_app_with(db, |c| {
        c.database_timeout = Duration::from_secs(30);
        c.request_timeout = Duration::from_secs(1);
    })
    .await;
    let other = OtherClient::connect(&app.db).await;
    other.run(blocking_lock(db)).await;
    // The request's limit (its sentence): the database's 30 s would outlast `timed`'s deadline.
    let (reply, _) = timed(app.register(&unique_email(), PASSWORD)).await;
    reply.assert_refused(503, "timed_out", "The server did not answer in time. Please try again shortly.");
    other.run("COMMIT").await;
}

/// Opens a write transaction in another client (SQLite's takes the write lock at once).
fn begin_write(db: Db) -> &'static str {
    match db {
        Db::Sqlite => "BEGIN EXCLUSIVE;",
        Db::Postgres => "BEGIN;",
    }
}

async fn user_id_of(app: &TestApp, email: &str) -> uuid::Uuid {
    app.store.user_by_email(email).await.unwrap().unwrap().id
}

/// A sign-in that verified the old password just before a password change committed must not
/// open a session afterwards: the session is opened only if the stored hash is still the one it
/// verified.
async fn a_sign_in_racing_a_password_change_opens_no_session(db: Db) {
    // No lockout: its counter is a write, which on SQLite would wait for the change to commit
    // before the sign-in even reads the account, and so miss the race this story is about.
    let app = spawn_app_with(db, |c| c.account_lockout = None).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let id = user_id_of(&app, &email).await;
    let other = OtherClient::connect(&app.db).await;
    let new_hash = hash_blocking("N3w!Passw0rd");
    // The change is written but not committed: the sign-in reads the old hash and verifies it;
    // only then does the change commit (before or while the sign-in opens its session).
    other.run(&format!("{} UPDATE users SET password_hash = '{new_hash}' WHERE id = '{id}'", begin_write(db))).await;
    let checked = app.hasher.verifications();
    let commit_once_verified = async {
        common::wait_for("the sign-in to verify the old password", || async { app.hasher.verifications() > checked })
            .await;
        other.run("COMMIT").await;
    };
    let ((sign_in, _), ()) = tokio::join!(timed(app.login(&email, PASSWORD)), commit_once_verified);
    sign_in.assert_error(401, "Invalid email or password");
    let since = chrono::Utc::now() - chrono::TimeDelta::days(1);
    assert!(app.store.live_sessions(id, since).await.unwrap().is_empty(), "no session was opened");
    assert_eq!(app.login(&email, "N3w!Passw0rd").await.status, 200);
}

/// A sign-in and a task write that were under way when the account was deleted answer 401 (the
/// account is gone), not a 500 from the foreign key.
async fn requests_racing_the_account_deletion_answer_401_not_500(db: Db) {
    let app = spawn_app_with(db, |c| c.account_lockout = None).await;
    let email = unique_email();
    let (id, token) = app.signed_up(&email).await;
    let other = OtherClient::connect(&app.db).await;
    other.run(&format!("{} DELETE FROM users WHERE id = '{id}'", begin_write(db))).await;
    // Both requests read the account as it was and then wait for the deletion's lock to write;
    // only then does the deletion commit.
    let checked = app.hasher.verifications();
    let commit_once_both_wait = async {
        common::wait_for("both requests to wait for the deletion's lock", || async {
            let verified = app.hasher.verifications() > checked;
            let both_blocked = match other.lock_waiters().await {
                Some(waiters) => waiters >= 2,
                // SQLite: one holds the writer (blocked by the lock), the other waits for it.
                None => {
                    let pool = app.store.pool_state();
                    pool.in_use >= 1 && pool.waiting >= 1
                }
            };
            verified && both_blocked
        })
        .await;
        other.run("COMMIT").await;
    };
    let ((sign_in, _), (task, _), ()) = tokio::join!(
        timed(app.login(&email, PASSWORD)),
        timed(app.create_task(&token, "racing")),
        commit_once_both_wait
    );
    sign_in.assert_error(401, "Invalid email or password");
    task.assert_error(401, "Token error: invalid-token");
}

/// SQLAlchemy columns are nullable unless declared otherwise, and SQLite rows hold its naive time
/// text: such rows read, and a missing value is handled, not a 500.
async fn rows_the_original_design_left_half_filled_still_read(db: Db) {
    let test_db = Arc::new(TestDb::new(db).await);
    let other = OtherClient::connect(&test_db).await;
    let (id_type, time_type) = match db {
        Db::Sqlite => ("TEXT", "TEXT"),
        Db::Postgres => ("UUID", "TIMESTAMP WITHOUT TIME ZONE"),
    };
    other
        .run(&format!(
            "CREATE TABLE users (id {id_type} PRIMARY KEY, email VARCHAR(255), password_hash VARCHAR(255),
                                 created_at {time_type}, last_login_at {time_type})"
        ))
        .await;
    let (no_created_at, no_hash, naive_time) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let hash = hash_blocking(PASSWORD);
    other
        .run(&format!(
            "INSERT INTO users (id, email, password_hash, created_at) VALUES
               ('{no_created_at}', 'no-created-at@example.com', '{hash}', NULL),
               ('{no_hash}', 'no-hash@example.com', NULL, '2024-01-02 03:04:05'),
               ('{naive_time}', 'naive-time@example.com', '{hash}', '2024-01-02 03:04:05.123456')"
        ))
        .await;
    drop(other);
    let app = spawn_on(test_db, |_| {}).await;

    let login = app.login("no-created-at@example.com", PASSWORD).await;
    assert_eq!(login.status, 200, "{}", login.text);
    let me = app.me(login.body["access_token"].as_str().unwrap()).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["email"], "no-created-at@example.com");
    app.login("no-hash@example.com", PASSWORD).await.assert_error(401, "Invalid email or password");
    let login = app.login("naive-time@example.com", PASSWORD).await;
    assert_eq!(login.status, 200, "{}", login.text);
    let me = app.me(login.body["access_token"].as_str().unwrap()).await;
    assert_eq!(common::at(&me.body["created_at"]), common::at(&"2024-01-02T03:04:05.123456Z".into()));
}
