//! Remote mode offline: two devices edit the same tasks while the network drops, delays,
//! duplicates and reorders their requests, and while the server is gone altogether; a change
//! is retried by the app's own loop; a relaunch resumes what waited; days offline sign nobody
//! out. Each story against a real server on SQLite and on PostgreSQL.

use crate::support;

use std::collections::BTreeMap;
use std::time::Duration;

use authdesk_contract::desktop::{ErrorKind, SyncState, SyncStatus};
use authdesk_contract::{Task, UpdateTaskRequest};
use authdesk_desktop::Desktop;
use tempfile::TempDir;

use support::network::{Fate, Network};
use support::{app_on, app_on_with, manual_sync, outside_http, server_tasks, sign_in_outside, Db, Server, PASSWORD};

/// Syncs `app` until a pass goes through (the network may spoil several); the status after it.
async fn sync(app: &Desktop) -> SyncStatus {
    for _ in 0..200 {
        if app.sync_once().await.is_ok() {
            return app.sync_status();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no sync pass went through in 200 tries: {:?}", app.sync_status());
}

/// Waits (at most 20 s) for `app`'s own loop to bring its status where `done` says.
async fn wait_for(app: &Desktop, what: &str, done: impl Fn(&SyncStatus) -> bool) -> SyncStatus {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut seen = None;
    loop {
        let status = tokio::time::timeout_at(deadline, app.watch_sync(seen))
            .await
            .unwrap_or_else(|_| panic!("never {what}: {:?}", app.sync_status()));
        if done(&status) {
            return status;
        }
        seen = Some(status.revision);
    }
}

/// Titles with their state, in the order the screen shows them.
fn shown(tasks: &[Task]) -> Vec<String> {
    tasks.iter().map(|t| format!("{}{}", if t.completed { "[x] " } else { "[ ] " }, t.title)).collect()
}

/// The same tasks, by id, whoever holds them.
fn by_id(tasks: Vec<Task>) -> BTreeMap<uuid::Uuid, (String, bool)> {
    tasks.into_iter().map(|t| (t.id, (t.title, t.completed))).collect()
}

fn retitle(title: &str) -> UpdateTaskRequest {
    UpdateTaskRequest { title: Some(title.into()), completed: None }
}

fn mark(done: bool) -> UpdateTaskRequest {
    UpdateTaskRequest { title: None, completed: Some(done) }
}

async fn two_devices_converge_through_a_bad_network(db: Db) {
    let dir = TempDir::new().unwrap();
    let server = Server::start(db, dir.path(), |_| {}).await;
    let net = Network::to(&server.base(), 20261126).await;
    let email = "sam@example.com";
    // Who reaches the server first is the story's to say, not the apps' timers'.
    let a = app_on_with(&dir.path().join("a"), &net.base(), manual_sync()).await;
    a.register(email.into(), PASSWORD.into(), None).await.unwrap();
    let b = app_on_with(&dir.path().join("b"), &net.base(), manual_sync()).await;
    b.login(email.into(), PASSWORD.into()).await.unwrap();

    // Online, on a lossy network: five tasks from A reach B, once each.
    net.set_lossy(true);
    let mut ids = Vec::new();
    for title in ["milk", "report", "call mum", "taxes", "gym"] {
        ids.push(a.create_task(title.into()).await.unwrap().id);
    }
    assert_eq!(sync(&a).await.waiting, 0);
    sync(&b).await;
    assert_eq!(
        shown(&b.list_tasks().await.unwrap()),
        ["[ ] gym", "[ ] taxes", "[ ] call mum", "[ ] report", "[ ] milk"]
    );

    // The server goes away. Both keep working, and say so.
    net.down().await;
    let [milk, report, call, taxes, _gym] = ids[..] else { unreachable!() };
    a.update_task(milk, retitle("oat milk")).await.unwrap();
    a.update_task(report, mark(true)).await.unwrap();
    a.delete_task(call).await.unwrap();
    a.create_task("from A, offline".into()).await.unwrap();
    b.update_task(milk, retitle("soy milk")).await.unwrap();
    b.update_task(report, retitle("quarterly report")).await.unwrap();
    b.update_task(call, retitle("call dad")).await.unwrap();
    b.delete_task(taxes).await.unwrap();
    b.create_task("from B, offline".into()).await.unwrap();
    for (app, waiting) in [(&a, 4), (&b, 5)] {
        let failed = app.sync_once().await.unwrap_err();
        assert_eq!(failed.kind, ErrorKind::Unreachable);
        let status = wait_for(app, "offline", |s| s.state == SyncState::Offline && s.waiting == waiting).await;
        assert_eq!(status.label(), format!("Offline — {waiting} changes waiting"));
    }
    assert!(a.list_tasks().await.unwrap().iter().any(|t| t.title == "from A, offline"), "shown at once, offline");
    // The passes each change started in the apps' own loops fail at once (connection refused);
    // the last of them ends before the network returns, so that A really reaches it first.
    for app in [&a, &b] {
        tokio::time::timeout(Duration::from_secs(20), app.sync_settled()).await.expect("the sync loop settles");
    }

    // Back, still lossy: A reaches the server first, then B, then A hears B.
    net.up().await;
    sync(&a).await;
    sync(&b).await;
    sync(&a).await;
    // Copies held back on the network arrive late; they must change nothing.
    net.settle().await;
    sync(&a).await;
    sync(&b).await;

    let on_server = server_tasks(&server.base(), email).await;
    let expected = [
        "[ ] from B, offline",
        "[ ] from A, offline",
        "[ ] gym",
        "[x] quarterly report", // A's tick and B's new title: different fields, both kept
        "[ ] soy milk",         // the same field: B's reached the server last
    ];
    let mut titles = shown(&on_server);
    titles.sort();
    let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(titles, want, "no duplicate, nothing lost, a delete wins over an edit");
    assert_eq!(by_id(a.list_tasks().await.unwrap()), by_id(on_server.clone()), "A agrees with the server");
    assert_eq!(by_id(b.list_tasks().await.unwrap()), by_id(on_server), "B agrees with the server");
    for app in [&a, &b] {
        wait_for(app, "synced", |s| s.state == SyncState::Synced && s.waiting == 0).await;
    }
    // The network really was that bad.
    for fate in [Fate::Drop, Fate::LoseAnswer, Fate::Duplicate, Fate::Delay, Fate::HoldBack] {
        assert!(net.count(fate) > 0, "no request met {fate:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_converge_through_a_bad_network_on_sqlite() {
    two_devices_converge_through_a_bad_network(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_converge_through_a_bad_network_on_postgres() {
    two_devices_converge_through_a_bad_network(Db::Postgres).await;
}

/// An edit whose first copy is held up on the network is sent again; when the old copy arrives
/// after the user's next edit, it is refused (it names a version that is gone), so the last
/// edit stands. Without `If-Match` the old copy would win.
async fn a_late_copy_of_an_edit_cannot_undo_a_later_one(db: Db) {
    let dir = TempDir::new().unwrap();
    let server = Server::start(db, dir.path(), |_| {}).await;
    let net = Network::to(&server.base(), 7).await;
    let app = app_on(&dir.path().join("app"), &net.base()).await;
    app.register("lu@example.com".into(), PASSWORD.into(), None).await.unwrap();
    let task = app.create_task("draft".into()).await.unwrap();
    sync(&app).await;

    net.script(&[Fate::Stall]);
    app.update_task(task.id, retitle("first")).await.unwrap();
    sync(&app).await; // the first copy stalls, unanswered; sent again, "first" is on the server
    app.update_task(task.id, retitle("second")).await.unwrap();
    sync(&app).await;
    net.release().await; // the stalled copy of "first" arrives now, after "second"
    sync(&app).await;
    assert_eq!(net.count(Fate::Stall), 1);
    assert_eq!(shown(&server_tasks(&server.base(), "lu@example.com").await), ["[ ] second"]);
    assert_eq!(shown(&app.list_tasks().await.unwrap()), ["[ ] second"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_copy_of_an_edit_cannot_undo_a_later_one_on_sqlite() {
    a_late_copy_of_an_edit_cannot_undo_a_later_one(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_copy_of_an_edit_cannot_undo_a_later_one_on_postgres() {
    a_late_copy_of_an_edit_cannot_undo_a_later_one(Db::Postgres).await;
}

/// A change made while the server is down is sent by the app's own loop once it is back: no
/// new change, no Retry. Then the app is closed with changes waiting and relaunched, still
/// offline: it opens signed in with its tasks, and sends them when the server returns.
async fn the_loop_retries_and_a_relaunch_resumes(db: Db) {
    let dir = TempDir::new().unwrap();
    let server = Server::start(db, dir.path(), |_| {}).await;
    let net = Network::to(&server.base(), 1).await;
    let data = dir.path().join("app");
    let email = "mo@example.com";
    let app = app_on(&data, &net.base()).await;
    app.register(email.into(), PASSWORD.into(), None).await.unwrap();
    app.me().await.unwrap(); // as the dashboard does: kept for launching offline

    net.down().await;
    app.create_task("written offline".into()).await.unwrap();
    wait_for(&app, "offline with 1 waiting", |s| s.state == SyncState::Offline && s.waiting == 1).await;
    net.up().await;
    let status = wait_for(&app, "synced", |s| s.state == SyncState::Synced && s.waiting == 0).await;
    assert!(status.last_synced_at.is_some());
    assert_eq!(shown(&server_tasks(&server.base(), email).await), ["[ ] written offline"]);

    net.down().await;
    let kept = app.create_task("kept across a relaunch".into()).await.unwrap();
    app.update_task(kept.id, mark(true)).await.unwrap();
    wait_for(&app, "offline with 2 waiting", |s| s.state == SyncState::Offline && s.waiting == 2).await;
    drop(app);

    let relaunched = Desktop::open_with_files_and(data.clone(), support::quick_sync()).await.unwrap();
    let me = relaunched.restore_session().await.unwrap().expect("signed in, offline");
    assert_eq!(me.email, email);
    assert_eq!(shown(&relaunched.list_tasks().await.unwrap()), ["[x] kept across a relaunch", "[ ] written offline"]);
    wait_for(&relaunched, "offline with 2 waiting", |s| s.state == SyncState::Offline && s.waiting == 2).await;
    net.up().await;
    wait_for(&relaunched, "synced", |s| s.state == SyncState::Synced && s.waiting == 0).await;
    let on_server = server_tasks(&server.base(), email).await;
    assert_eq!(shown(&on_server), ["[x] kept across a relaunch", "[ ] written offline"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_retries_and_a_relaunch_resumes_on_sqlite() {
    the_loop_retries_and_a_relaunch_resumes(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_retries_and_a_relaunch_resumes_on_postgres() {
    the_loop_retries_and_a_relaunch_resumes(Db::Postgres).await;
}

/// Offline past the access token's lifetime, with several commands at once: nobody is signed
/// out, and back online one refresh serves them all. A refused session does sign out, and its
/// waiting changes stay until that account signs in again (or they are discarded).
async fn offline_for_long_never_signs_out_a_refused_session_does(db: Db) {
    let dir = TempDir::new().unwrap();
    // Three seconds: long enough that the burst after reconnecting all fits in one token's life.
    let server = Server::start(db, dir.path(), |c| c.access_token_ttl = Duration::from_secs(3)).await;
    let net = Network::to(&server.base(), 3).await;
    let email = "di@example.com";
    let app = app_on(&dir.path().join("app"), &net.base()).await;
    app.register(email.into(), PASSWORD.into(), None).await.unwrap();
    app.me().await.unwrap();

    net.down().await;
    tokio::time::sleep(Duration::from_millis(3100)).await; // the access token has expired
    let (one, two, me) =
        tokio::join!(app.create_task("one".into()), app.create_task("two".into()), app.restore_session());
    one.unwrap();
    two.unwrap();
    assert_eq!(me.unwrap().expect("still signed in").email, email);
    net.up().await;
    let (first, second) = tokio::join!(sync(&app), app.me());
    assert_eq!(first.waiting, 0);
    second.unwrap();
    assert_eq!(net.requests_to("/api/auth/refresh"), 1, "one refresh for everyone");
    assert_eq!(server_tasks(&server.base(), email).await.len(), 2);

    // The session is ended elsewhere while this app is offline with a change waiting.
    net.down().await;
    app.create_task("three".into()).await.unwrap();
    let other = app_on(&dir.path().join("other"), &server.base()).await;
    other.login(email.into(), PASSWORD.into()).await.unwrap();
    assert_eq!(other.sign_out_others().await.unwrap(), 1);
    net.up().await;
    wait_for(&app, "signed out", |s| s.state == SyncState::SignedOut).await;
    assert!(app.restore_session().await.unwrap().is_none());
    let waiting = app.list_waiting_changes().await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!((waiting[0].email.as_str(), waiting[0].waiting), (email, 1));

    // Signing in again sends it.
    app.login(email.into(), PASSWORD.into()).await.unwrap();
    wait_for(&app, "synced", |s| s.state == SyncState::Synced && s.waiting == 0).await;
    assert_eq!(server_tasks(&server.base(), email).await.len(), 3);
    assert!(app.list_waiting_changes().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_for_long_never_signs_out_a_refused_session_does_on_sqlite() {
    offline_for_long_never_signs_out_a_refused_session_does(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_for_long_never_signs_out_a_refused_session_does_on_postgres() {
    offline_for_long_never_signs_out_a_refused_session_does(Db::Postgres).await;
}

/// Signing out sends what waits first; when it cannot, it asks (nothing is signed out) and only
/// an explicit discard drops the changes. The replica goes with the session, and is private.
async fn signing_out_never_loses_changes_silently(db: Db) {
    let dir = TempDir::new().unwrap();
    let server = Server::start(db, dir.path(), |_| {}).await;
    let net = Network::to(&server.base(), 5).await;
    let email = "ro@example.com";
    let data = dir.path().join("app");
    let app = app_on(&data, &net.base()).await;
    app.register(email.into(), PASSWORD.into(), None).await.unwrap();
    let replicas: Vec<_> = std::fs::read_dir(data.join("replicas")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(replicas.iter().filter(|p| p.extension().is_some_and(|e| e == "sqlite3")).count(), 1);
    #[cfg(unix)]
    for file in &replicas {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(file).unwrap().permissions().mode() & 0o777, 0o600, "{}", file.display());
    }

    // Online: what waits is sent, then the session ends and the replica goes.
    app.create_task("sent at sign-out".into()).await.unwrap();
    app.logout(false).await.unwrap();
    assert_eq!(shown(&server_tasks(&server.base(), email).await), ["[ ] sent at sign-out"]);
    assert_eq!(std::fs::read_dir(data.join("replicas")).unwrap().count(), 0, "the replica is removed");

    // Offline: refused with the count, still signed in; then discarded on purpose.
    app.login(email.into(), PASSWORD.into()).await.unwrap();
    app.me().await.unwrap(); // as the window does after signing in
    assert_eq!(app.list_tasks().await.unwrap().len(), 1);
    net.down().await;
    app.create_task("never sent".into()).await.unwrap();
    let refused = app.logout(false).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::ChangesWaiting);
    assert!(refused.message.starts_with("1 change has not reached"), "{}", refused.message);
    assert!(app.restore_session().await.unwrap().is_some(), "still signed in");
    let out = app.logout(true).await.unwrap();
    assert!(!out.ended_on_server, "the server was not there to hear it");
    assert!(app.list_waiting_changes().await.unwrap().is_empty());
    net.up().await;
    assert_eq!(shown(&server_tasks(&server.base(), email).await), ["[ ] sent at sign-out"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_never_loses_changes_silently_on_sqlite() {
    signing_out_never_loses_changes_silently(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_never_loses_changes_silently_on_postgres() {
    signing_out_never_loses_changes_silently(Db::Postgres).await;
}

/// A cursor older than the server keeps tombstones for answers 410: the app reloads everything,
/// keeps what waits, and shows what was deleted elsewhere meanwhile.
async fn an_expired_cursor_reloads_and_keeps_the_outbox(db: Db) {
    let dir = TempDir::new().unwrap();
    let server = Server::start(db, dir.path(), |c| c.tombstone_retention = Duration::from_secs(1)).await;
    let net = Network::to(&server.base(), 9).await;
    let email = "ke@example.com";
    let a = app_on(&dir.path().join("a"), &net.base()).await;
    a.register(email.into(), PASSWORD.into(), None).await.unwrap();
    let gone = a.create_task("deleted elsewhere".into()).await.unwrap();
    a.create_task("stays".into()).await.unwrap();
    sync(&a).await;

    net.down().await;
    a.create_task("made offline".into()).await.unwrap();
    let b = app_on(&dir.path().join("b"), &server.base()).await;
    b.login(email.into(), PASSWORD.into()).await.unwrap();
    b.delete_task(gone.id).await.unwrap();
    sync(&b).await;
    tokio::time::sleep(Duration::from_millis(2100)).await; // A's cursor is past the window now
    net.up().await;
    let before = net.requests_to("/api/tasks/changes");
    sync(&a).await;
    assert!(net.requests_to("/api/tasks/changes") >= before + 2, "a 410, then the reload");
    let mut titles = shown(&a.list_tasks().await.unwrap());
    titles.sort();
    assert_eq!(titles, ["[ ] made offline", "[ ] stays"]);
    assert_eq!(by_id(a.list_tasks().await.unwrap()), by_id(server_tasks(&server.base(), email).await));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_cursor_reloads_and_keeps_the_outbox_on_sqlite() {
    an_expired_cursor_reloads_and_keeps_the_outbox(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_cursor_reloads_and_keeps_the_outbox_on_postgres() {
    an_expired_cursor_reloads_and_keeps_the_outbox(Db::Postgres).await;
}

/// Closing with changes waiting is held back once; embedded mode has nothing to wait for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_with_changes_waiting_warns_once() {
    let dir = TempDir::new().unwrap();
    let server = Server::start(Db::Sqlite, dir.path(), |_| {}).await;
    let net = Network::to(&server.base(), 11).await;
    let app = app_on(&dir.path().join("app"), &net.base()).await;
    app.register("le@example.com".into(), PASSWORD.into(), None).await.unwrap();
    sync(&app).await;
    assert!(!app.hold_close(), "nothing waits");
    net.down().await;
    app.create_task("unsent".into()).await.unwrap();
    assert!(app.hold_close(), "warned");
    assert!(app.sync_status().leave_warning);
    assert!(!app.answer_leave_warning(false));
    assert!(!app.sync_status().leave_warning);
    assert!(!app.hold_close(), "only once");

    let embedded = Desktop::open_with_files(dir.path().join("embedded")).await.unwrap();
    embedded.register("em@example.com".into(), PASSWORD.into(), None).await.unwrap();
    embedded.create_task("local".into()).await.unwrap();
    assert_eq!(embedded.sync_status().state, SyncState::Local);
    assert!(!embedded.hold_close());
    assert!(!dir.path().join("embedded").join("replicas").exists(), "embedded mode keeps no replica");
}

/// A server without the change feed (older versions, the original design) is used online only,
/// as before: nothing is queued, nothing is kept on this computer, nothing breaks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_the_feed_is_used_online_only() {
    let dir = TempDir::new().unwrap();
    let server = Server::without_feed(dir.path()).await;
    let data = dir.path().join("app");
    let app = app_on(&data, &server.base()).await;
    app.register("ol@example.com".into(), PASSWORD.into(), None).await.unwrap();
    assert!(app.list_tasks().await.unwrap().is_empty());
    let task = app.create_task("straight to the server".into()).await.unwrap();
    app.update_task(task.id, mark(true)).await.unwrap();
    assert_eq!(shown(&app.list_tasks().await.unwrap()), ["[x] straight to the server"]);
    assert_eq!(shown(&server_tasks(&server.base(), "ol@example.com").await), ["[x] straight to the server"]);
    wait_for(&app, "online only", |s| s.state == SyncState::Local).await;
    // The loop removes the replica as it ends.
    let kept = || std::fs::read_dir(data.join("replicas")).map(|d| d.count()).unwrap_or(0);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while kept() > 0 {
        assert!(std::time::Instant::now() < deadline, "a replica is kept for it");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The engine alone, as the app runs it but without a window or a `Desktop`: a replica, a caller
/// holding a session, a status board. A change made offline and one made elsewhere meet; then a
/// session refused elsewhere stops the engine with the outbox kept.
async fn the_engine_syncs_a_replica_by_itself(db: Db) {
    use authdesk_contract::desktop::ServerChoice;
    use authdesk_contract::{LoginRequest, RegisterRequest};
    use authdesk_desktop::client::SignIn;
    use authdesk_desktop::session::secrets::SecretFile;
    use authdesk_desktop::session::{Authed, Sessions};
    use authdesk_desktop::sync::{Engine, Owner, Replica, StatusBoard};
    use authdesk_desktop::{Client, JsonFile, Session, SessionKeeper};
    use std::sync::Arc;

    let dir = TempDir::new().unwrap();
    let server = Server::start(db, dir.path(), |_| {}).await;
    let (base, email) = (server.base(), "en@example.com");
    let client = Client::remote(&base).unwrap();
    client
        .register(&RegisterRequest { email: email.into(), password: PASSWORD.into(), invitation_code: None })
        .await
        .unwrap();
    let login = LoginRequest { email: email.into(), password: PASSWORD.into() };
    let SignIn::Granted(granted) = client.login(&login).await.unwrap() else { panic!("no second factor here") };
    let remote = ServerChoice::Remote { url: base.clone() };
    let keeper = SessionKeeper::new(
        Box::new(JsonFile::open(dir.path().join("session.json")).unwrap()),
        SecretFile::new(dir.path().join("refresh-token")),
    );
    let session = Session::new(granted.access_token, granted.user_id, granted.email, remote.clone())
        .with_refresh_token(granted.refresh_token);
    keeper.save(&session).unwrap();
    let owner = Owner { server: base.clone(), user_id: session.user_id, email: email.into() };
    let replica = Arc::new(Replica::open(&dir.path().join("replicas"), owner).unwrap());
    let board = Arc::new(StatusBoard::default());
    let engine =
        Engine::new(replica.clone(), Authed::new(client, remote, Arc::new(Sessions::new(keeper))), board.clone());

    replica.create("written here").await.unwrap();
    let http = outside_http();
    let elsewhere = sign_in_outside(&http, &base, email).await;
    let made = http
        .post(format!("{base}/api/tasks"))
        .bearer_auth(&elsewhere)
        .json(&serde_json::json!({"title": "written elsewhere"}));
    assert_eq!(made.send().await.unwrap().status(), 201);
    assert_eq!(board.status().waiting, 0, "nobody told the board yet");

    engine.pass().await.unwrap();
    let mut here = shown(&replica.tasks().await.unwrap());
    let mut there = shown(&server_tasks(&base, email).await);
    here.sort();
    there.sort();
    assert_eq!(here, ["[ ] written elsewhere", "[ ] written here"]);
    assert_eq!(here, there, "the replica and the server agree");
    let status = board.status();
    assert_eq!((status.state, status.waiting), (SyncState::Synced, 0));
    assert!(status.tasks_revision > 0, "the screens were told the tasks changed");

    // Signed out everywhere from elsewhere: the next pass is refused, and what waits stays.
    replica.create("still waiting").await.unwrap();
    let out = http.post(format!("{base}/api/auth/logout-all")).bearer_auth(&elsewhere).send().await.unwrap();
    assert_eq!(out.status(), 200);
    let refused = engine.pass().await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Unauthorized, "{refused:?}");
    assert_eq!(board.status().state, SyncState::SignedOut);
    assert_eq!(replica.waiting().await.unwrap(), 1, "the outbox is kept for the next sign-in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_syncs_a_replica_by_itself_on_sqlite() {
    the_engine_syncs_a_replica_by_itself(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_syncs_a_replica_by_itself_on_postgres() {
    the_engine_syncs_a_replica_by_itself(Db::Postgres).await;
}
