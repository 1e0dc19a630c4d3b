//! Your data, as a user meets it: the embedded database backed up while it is written and
//! restored (a damaged file refused, nothing changed), tasks exported and imported back (counted
//! first; offline in remote mode), an offline install moved to a team server on PostgreSQL with
//! the network cut half-way and the app relaunched, and a change on one device reaching another
//! through the live stream, not the poll.

use crate::support;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use authdesk_contract::desktop::data::ExportFormat;
use authdesk_contract::desktop::{ErrorKind, ServerChoice, SignInStep};
use authdesk_desktop::data::{backups, FolderPicker};
use authdesk_desktop::{Desktop, SyncOptions};
use tempfile::TempDir;

use support::network::Network;
use support::{app_on_with, manual_sync, server_tasks, Db, Server, PASSWORD};

/// An embedded app on `data` whose dialogs answer from `files` (see [`FolderPicker`]).
async fn embedded_app(data: &Path, files: &Path) -> Arc<Desktop> {
    let app = Desktop::open_with_files_and(data.to_path_buf(), manual_sync()).await.unwrap();
    app.use_picker(Arc::new(FolderPicker(files.to_path_buf())));
    app
}

/// The next file an open dialog answers with.
fn will_open(files: &Path, path: &Path) {
    std::fs::write(files.join("open"), path.display().to_string()).unwrap();
}

async fn signed_up(app: &Desktop, email: &str) {
    let step = app.register(email.into(), PASSWORD.into(), None).await.unwrap();
    assert!(matches!(step, SignInStep::SignedIn { .. }), "{step:?}");
}

async fn titles(app: &Desktop) -> Vec<String> {
    let mut titles: Vec<String> = app.list_tasks().await.unwrap().into_iter().map(|t| t.title).collect();
    titles.sort();
    titles
}

/// A backup taken while another task writes is consistent (SQLite's check passes) and holds a
/// prefix of the writes; restoring it brings exactly that back, keeps the replaced database
/// beside it, and asks for a sign-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writing_is_consistent_and_restores() {
    let (data, files) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let app = embedded_app(data.path(), files.path()).await;
    signed_up(&app, "ann@example.com").await;
    for i in 0..20 {
        app.create_task(format!("before {i:02}")).await.unwrap();
    }
    let writer = {
        let app = Arc::clone(&app);
        tokio::spawn(async move {
            for i in 0..200 {
                app.create_task(format!("during {i:03}")).await.unwrap();
            }
        })
    };
    let made = app.back_up_now().await.unwrap().expect("the dialog answered");
    writer.await.unwrap();
    assert!(made.tasks >= 20 && made.tasks <= 220, "{made:?}");
    let backup = files.path().join(Path::new(&made.file).file_name().unwrap());
    #[cfg(unix)]
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&backup).unwrap().permissions()) & 0o777,
        0o600
    );

    will_open(files.path(), &backup);
    let preview = app.choose_restore(None).await.unwrap().expect("picked");
    assert_eq!((preview.accounts, preview.tasks), (1, made.tasks));
    let signed_out = app.confirm_restore().await.unwrap();
    assert!(signed_out.ended_on_server);
    assert!(app.restore_session().await.unwrap().is_none(), "a restore signs out");
    app.login("ann@example.com".into(), PASSWORD.into()).await.unwrap();
    assert_eq!(app.list_tasks().await.unwrap().len() as i64, made.tasks);
    let kept: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("authdesk-before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept beside");
    assert_eq!(backups::copy_database(data.path(), &files.path().join("again.db")).unwrap().tasks, made.tasks);
}

/// A damaged backup, a file that is no database, and one from a newer version are refused with a
/// sentence, and the app's data and session are as they were.
#[tokio::test]
async fn a_damaged_backup_is_refused_and_changes_nothing() {
    let (data, files) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let app = embedded_app(data.path(), files.path()).await;
    signed_up(&app, "bo@example.com").await;
    for i in 0..300 {
        app.create_task(format!("a task with a longer title to fill some pages {i}")).await.unwrap();
    }
    let good = files.path().join("good.db");
    backups::copy_database(data.path(), &good).unwrap();

    let damaged = files.path().join("damaged.db");
    let mut bytes = std::fs::read(&good).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 8192].fill(0x5a);
    std::fs::write(&damaged, bytes).unwrap();
    let text = files.path().join("notes.db");
    std::fs::write(&text, "just some notes, not a database at all, long enough to have a header").unwrap();
    let newer = files.path().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    rusqlite_exec(
        &newer,
        "INSERT INTO authdesk_schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')",
    );

    for (file, says) in [(&damaged, "damaged"), (&text, "not an authdesk database"), (&newer, "newer version")] {
        will_open(files.path(), file);
        let refused = app.choose_restore(None).await.unwrap_err();
        assert_eq!(refused.kind, ErrorKind::Rejected, "{refused:?}");
        assert!(refused.message.contains(says), "{file:?}: {}", refused.message);
        let nothing = app.confirm_restore().await.unwrap_err();
        assert_eq!(nothing.message, "Choose a backup first.");
    }
    assert!(app.restore_session().await.unwrap().is_some(), "still signed in");
    assert_eq!(app.list_tasks().await.unwrap().len(), 300);
    assert!(!data.path().join(backups::CANDIDATE_FILE).exists());
}

fn rusqlite_exec(path: &Path, sql: &str) {
    rusqlite::Connection::open(path).unwrap().execute_batch(sql).unwrap();
}

/// The day's backup is made once a day, the last seven are kept, each private.
#[tokio::test]
async fn daily_backups_keep_the_last_seven() {
    let (data, files) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let app = embedded_app(data.path(), files.path()).await;
    signed_up(&app, "cy@example.com").await;
    let start = chrono::Utc::now() + chrono::Duration::days(1);
    for day in 0..9 {
        let at = start + chrono::Duration::days(day);
        assert!(backups::daily(data.path(), at).unwrap().is_some(), "day {day}");
        assert!(backups::daily(data.path(), at + chrono::Duration::hours(23)).unwrap().is_none(), "once a day");
    }
    let kept = backups::list(data.path());
    assert_eq!(kept.len(), backups::KEEP);
    assert!(kept[0].made_at > kept[6].made_at, "newest first");
    let overview = app.data_overview().await.unwrap();
    assert_eq!(overview.backups.len(), 7);
    assert_eq!(overview.backup_problem, None);
}

/// Exported as JSON and as CSV and imported back: counted first (new, already here, in
/// conflict), then done, a task changed since the export left as it is now. Another account
/// importing that export gets nothing of it (those ids are someone else's); a CSV of another app,
/// without ids, comes in whole.
#[tokio::test]
async fn export_and_import_round_trip() {
    let (data, files) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let app = embedded_app(data.path(), files.path()).await;
    signed_up(&app, "di@example.com").await;
    for title in ["=1+1 looks like a formula", "milk, eggs", "call \"Bo\""] {
        app.create_task(title.into()).await.unwrap();
    }
    let json = app.export_data(ExportFormat::Json).await.unwrap().expect("saved");
    let csv = app.export_data(ExportFormat::Csv).await.unwrap().expect("saved");
    let export = std::fs::read_to_string(&json).unwrap();
    assert!(export.contains("\"format\":\"authdesk-export\""), "{export}");
    assert!(!export.contains("hash") && !export.contains("token") && !export.contains("secret"), "{export}");
    #[cfg(unix)]
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&csv).unwrap().permissions()) & 0o777, 0o600);

    let milk = app.list_tasks().await.unwrap().into_iter().find(|t| t.title == "milk, eggs").unwrap();
    let rename = authdesk_contract::UpdateTaskRequest { title: Some("milk, eggs, bread".into()), completed: None };
    app.update_task(milk.id, rename).await.unwrap();
    will_open(files.path(), Path::new(&csv));
    let preview = app.choose_import().await.unwrap().expect("picked");
    assert_eq!((preview.new, preview.already, preview.conflicts), (0, 2, 1));
    let done = app.confirm_import().await.unwrap();
    assert_eq!((done.created, done.unchanged, done.conflicts, done.queued), (0, 2, 1, false));
    assert_eq!(titles(&app).await, ["=1+1 looks like a formula", "call \"Bo\"", "milk, eggs, bread"]);

    app.logout(false).await.unwrap();
    signed_up(&app, "ed@example.com").await;
    will_open(files.path(), Path::new(&json));
    assert_eq!(app.choose_import().await.unwrap().expect("picked").new, 3);
    let done = app.confirm_import().await.unwrap();
    assert_eq!((done.created, done.conflicts), (0, 3), "another account's ids are left alone");
    let other_app = files.path().join("other-app.csv");
    std::fs::write(&other_app, "Title,Done\n'=1+1 looks like a formula,\nmilk,\n").unwrap();
    will_open(files.path(), &other_app);
    assert_eq!(app.choose_import().await.unwrap().expect("picked").new, 2);
    assert_eq!(app.confirm_import().await.unwrap().created, 2);
    assert_eq!(titles(&app).await, ["=1+1 looks like a formula", "milk"]);
}

/// In remote mode an import is queued like any edit: made offline, it shows at once and reaches
/// the server when the network is back, creation times kept.
#[tokio::test]
async fn an_import_made_offline_reaches_the_server_later() {
    let dir = TempDir::new().unwrap();
    let server = Server::start(Db::Sqlite, dir.path(), |_| {}).await;
    let network = Network::to(&server.base(), 7).await;
    let (data, files) = (dir.path().join("app"), dir.path().join("files"));
    std::fs::create_dir_all(&files).unwrap();
    let app = app_on_with(&data, &network.base(), manual_sync()).await;
    app.use_picker(Arc::new(FolderPicker(files.clone())));
    signed_up(&app, "fa@example.com").await;
    assert!(app.list_tasks().await.unwrap().is_empty());
    let csv = files.join("tasks.csv");
    std::fs::write(&csv, "title,completed,created_at\nold one,true,2020-01-02T03:04:05Z\nnew one,,\n").unwrap();

    network.down().await;
    will_open(&files, &csv);
    assert_eq!(app.choose_import().await.unwrap().expect("picked").new, 2);
    let done = app.confirm_import().await.unwrap();
    assert_eq!((done.created, done.queued), (2, true));
    assert_eq!(titles(&app).await, ["new one", "old one"]);

    network.up().await;
    app.sync_once().await.unwrap();
    let on_server = server_tasks(&server.base(), "fa@example.com").await;
    let old = on_server.iter().find(|t| t.title == "old one").expect("imported");
    assert!(old.completed);
    assert_eq!(old.created_at.to_rfc3339(), "2020-01-02T03:04:05+00:00");
    assert_eq!(on_server.len(), 2);
}

/// 1,000 tasks move from the offline install to a team server on PostgreSQL: the network goes
/// down half-way, the app is closed and opened again, the move resumes, and the server ends with
/// exactly those 1,000 tasks, ids kept, none twice; the local database is still there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_cut_half_way_resumes_with_exactly_every_task() {
    let dir = TempDir::new().unwrap();
    let server = Server::start(Db::Postgres, dir.path(), |_| {}).await;
    let network = Network::to(&server.base(), 11).await;
    let (data, files) = (dir.path().join("app"), dir.path().join("files"));
    std::fs::create_dir_all(&files).unwrap();
    let app = embedded_app(&data, &files).await;
    signed_up(&app, "gu@example.com").await;
    let csv: String =
        std::iter::once("title\n".to_owned()).chain((0..1000).map(|i| format!("task {i:04}\n"))).collect();
    std::fs::write(files.join("many.csv"), csv).unwrap();
    will_open(&files, &files.join("many.csv"));
    app.choose_import().await.unwrap();
    assert_eq!(app.confirm_import().await.unwrap().created, 1000);
    let local: std::collections::BTreeSet<_> = app.list_tasks().await.unwrap().into_iter().map(|t| t.id).collect();

    let saved = app.start_move(network.base()).await.unwrap();
    assert_eq!(saved.server, ServerChoice::Remote { url: network.base() });
    signed_up(&app, "gu@example.com").await;
    let mut progress = app.continue_move().await.unwrap();
    while progress.uploaded < 500 {
        progress = app.continue_move().await.unwrap();
    }
    network.down().await;
    let cut = app.continue_move().await.unwrap_err();
    assert_eq!(cut.kind, ErrorKind::Unreachable);
    drop(app);

    network.up().await;
    let app = Desktop::open_with_files_and(data.clone(), manual_sync()).await.unwrap();
    app.restore_session().await.unwrap().expect("still signed in");
    let mut progress = app.move_progress().await.unwrap().expect("remembered");
    assert_eq!(progress.uploaded, 600);
    while !progress.done {
        progress = app.continue_move().await.unwrap();
    }
    assert_eq!((progress.uploaded, progress.total, progress.refused.len()), (1000, 1000, 0));
    let on_server = server_tasks(&server.base(), "gu@example.com").await;
    let ids: std::collections::BTreeSet<_> = on_server.iter().map(|t| t.id).collect();
    assert_eq!(on_server.len(), 1000);
    assert_eq!(ids, local);
    assert!(data.join("authdesk.db").exists(), "the local database stays until removed");
    app.finish_move(true).await.unwrap();
    assert!(!data.join("authdesk.db").exists());
    assert!(app.move_progress().await.unwrap().is_none());
}

/// A task written on device A shows on device B at once through the live stream, though B's poll
/// would wait ten minutes (PostgreSQL's LISTEN/NOTIFY carries the event).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_one_device_reaches_the_other_without_the_poll() {
    let dir = TempDir::new().unwrap();
    let server = Server::start(Db::Postgres, dir.path(), |_| {}).await;
    let live = SyncOptions { live: true, ..support::quick_sync() };
    let a = app_on_with(&dir.path().join("a"), &server.base(), manual_sync()).await;
    signed_up(&a, "ho@example.com").await;
    let b = app_on_with(&dir.path().join("b"), &server.base(), live).await;
    b.login("ho@example.com".into(), PASSWORD.into()).await.unwrap();
    assert!(b.list_tasks().await.unwrap().is_empty());
    // B's stream opens in the background: a write before that is only the poll's. So A writes
    // until B has one of its tasks; each is given half a second, and the poll is ten minutes away.
    for k in 0..40 {
        let title = format!("from a, {k}");
        a.create_task(title.clone()).await.unwrap();
        a.sync_once().await.unwrap();
        let deadline = tokio::time::Instant::now() + Duration::from_millis(500);
        let mut seen = None;
        loop {
            if titles(&b).await.contains(&title) {
                return;
            }
            match tokio::time::timeout_at(deadline, b.watch_sync(seen)).await {
                Ok(status) => seen = Some(status.revision),
                Err(_) => break,
            }
        }
    }
    panic!("B never heard of A's tasks: {:?}", b.sync_status());
}
