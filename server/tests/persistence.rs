//! Data outlives the process, and several instances share one database.

use crate::common;

use std::sync::Arc;

use common::{spawn_app, spawn_on, Db, TestDb, PASSWORD};

both_backends!(
    a_restart_keeps_users_and_tasks,
    instances_on_one_database_accept_each_others_tokens,
    instances_started_together_apply_each_migration_exactly_once,
);

async fn a_restart_keeps_users_and_tasks(db: Db) {
    let first = spawn_app(db).await;
    let (user_id, token) = first.signed_up("keep@example.com").await;
    first.create_task(&token, "Survive a restart").await.assert_status(201);
    let db = first.stop().await;

    let second = spawn_on(db, |_| {}).await;
    // The old token is still good (same secret), and the data is all there.
    let tasks = second.list_tasks(&token).await;
    assert_eq!(tasks.status, 200, "{}", tasks.text);
    assert_eq!(tasks.body[0]["title"], "Survive a restart");
    let login = second.login("keep@example.com", PASSWORD).await;
    assert_eq!(login.body["user_id"], user_id.to_string());
}

async fn instances_on_one_database_accept_each_others_tokens(db: Db) {
    let shared = Arc::new(TestDb::new(db).await);
    let (a, b) = tokio::join!(spawn_on(shared.clone(), |_| {}), spawn_on(shared.clone(), |_| {}));
    let (_, token_from_a) = a.signed_up("shared@example.com").await;
    b.create_task(&token_from_a, "written through B").await.assert_status(201);
    let seen_by_a = a.list_tasks(&token_from_a).await;
    assert_eq!(seen_by_a.body[0]["title"], "written through B");
    let token_from_b = b.login("shared@example.com", PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(a.me(&token_from_b).await.status, 200);
    // Registration uniqueness holds across instances too.
    b.register("shared@example.com", PASSWORD).await.assert_error(409, "Email already registered");
}

async fn instances_started_together_apply_each_migration_exactly_once(db: Db) {
    let shared = Arc::new(TestDb::new(db).await);
    let (a, b, c) = tokio::join!(
        spawn_on(shared.clone(), |_| {}),
        spawn_on(shared.clone(), |_| {}),
        spawn_on(shared.clone(), |_| {})
    );
    let expected = common::all_migrations();
    assert_eq!(common::applied_migrations(&shared).await, expected);
    // A restart finds the schema up to date and applies nothing again.
    for app in [a, b, c] {
        app.stop().await;
    }
    let restarted = spawn_on(shared.clone(), |_| {}).await;
    assert_eq!(common::applied_migrations(&shared).await, expected);
    assert_eq!(restarted.register("after@example.com", PASSWORD).await.status, 201, "the schema works");
}
