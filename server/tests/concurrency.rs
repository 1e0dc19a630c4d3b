//! Many clients at once: uniqueness holds under races, SQLite never reports "database is locked".
//! The hashing queue is made long enough for every request here: these stories are about the
//! database, not about turning a flood away (see `login_limits.rs`).

use crate::common;

use common::{spawn_app_with, Db, TestApp, PASSWORD};
use futures::future::join_all;

async fn spawn_app(db: Db) -> TestApp {
    spawn_app_with(db, |c| c.hash_queue = 1000).await
}

both_backends!(fifty_concurrent_registrations_of_one_email_create_one_account, concurrent_task_writes_all_land);

async fn fifty_concurrent_registrations_of_one_email_create_one_account(db: Db) {
    let app = spawn_app(db).await;
    // Mixed case and whitespace: all the same normalised address.
    let replies = join_all((0..50).map(|i| {
        let email =
            if i % 2 == 0 { "race@example.com".to_owned() } else { format!("  RACE@Example.com{}", " ".repeat(i % 3)) };
        let app = &app;
        async move { app.register(&email, PASSWORD).await }
    }))
    .await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    let conflicts = replies.iter().filter(|r| r.status == 409).count();
    assert_eq!(created, 1, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    assert_eq!(conflicts, 49);
    for r in replies.iter().filter(|r| r.status == 409) {
        r.assert_error(409, "Email already registered");
    }
    assert_eq!(app.login("race@example.com", PASSWORD).await.status, 200);
}

async fn concurrent_task_writes_all_land(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&common::unique_email()).await;
    let replies = join_all((0..100).map(|i| {
        let (app, token) = (&app, &token);
        async move { app.create_task(token, &format!("task {i}")).await }
    }))
    .await;
    assert!(replies.iter().all(|r| r.status == 201), "{:?}", replies.iter().find(|r| r.status != 201));
    assert_eq!(app.list_tasks(&token).await.body.as_array().unwrap().len(), 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_registrations_on_sqlite_all_succeed() {
    let app = spawn_app(Db::Sqlite).await;
    let replies = join_all((0..200).map(|i| {
        let app = &app;
        async move { app.register(&format!("user{i}@example.com"), PASSWORD).await }
    }))
    .await;
    let failures: Vec<_> = replies.iter().filter(|r| r.status != 201).map(|r| (r.status, r.text.clone())).collect();
    assert!(failures.is_empty(), "{} failed, e.g. {:?}", failures.len(), failures.first());
    for i in [0, 99, 199] {
        assert!(app.store.user_by_email(&format!("user{i}@example.com")).await.unwrap().is_some());
    }
}
