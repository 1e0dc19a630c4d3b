//! Importing tasks in bulk, as someone moving their list in meets it: tasks created keeping their
//! dates, a retry that changes nothing, conflicts left alone (another content, another account's
//! id), one bad task refusing the whole request, and the size limits.

use crate::common;

use common::totp::post;
use common::{spawn_app, unique_email, Db, Reply, TestApp};
use serde_json::{json, Value};

both_backends!(
    an_import_creates_tasks_keeping_their_dates_and_a_retry_changes_nothing,
    an_id_another_account_holds_is_a_conflict_and_stays_theirs,
    one_invalid_task_writes_nothing_and_is_named,
    ten_thousand_tasks_import_and_more_is_413,
);

async fn import(app: &TestApp, token: &str, tasks: Value) -> Reply {
    post(app, "/api/tasks/import", Some(token), json!({ "tasks": tasks })).await
}

async fn an_import_creates_tasks_keeping_their_dates_and_a_retry_changes_nothing(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let tasks = json!([
        { "id": a, "title": "Renew passport", "created_at": "2024-03-01T09:30:00Z" },
        { "id": b, "title": "Call the plumber", "completed": true },
        { "title": "No id: always new" },
    ]);
    let done = import(&app, &token, tasks).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body, json!({ "created": 3, "unchanged": 0, "conflicts": [] }));
    let list = app.list_tasks(&token).await.body;
    let passport = list.as_array().unwrap().iter().find(|t| t["id"] == a.to_string()).unwrap().clone();
    assert_eq!(common::at(&passport["created_at"]), common::at(&json!("2024-03-01T09:30:00Z")), "its date is kept");
    let feed = app.request(reqwest::Method::GET, "/api/tasks/changes", Some(&token), None).await;
    assert_eq!(feed.body["changes"].as_array().unwrap().len(), 3, "each created task is in the feed");

    let again = json!([
        { "id": a, "title": "Renew passport", "created_at": "2024-03-01T09:30:00Z" },
        { "id": b, "title": "Call the plumber", "completed": true },
    ]);
    assert_eq!(import(&app, &token, again).await.body, json!({ "created": 0, "unchanged": 2, "conflicts": [] }));
    let other = json!([{ "id": a, "title": "Something else" }]);
    assert_eq!(import(&app, &token, other).await.body, json!({ "created": 0, "unchanged": 0, "conflicts": [a] }));
    assert_eq!(app.list_tasks(&token).await.body.as_array().unwrap().len(), 3);
}

async fn an_id_another_account_holds_is_a_conflict_and_stays_theirs(db: Db) {
    let app = spawn_app(db).await;
    let (_, ann) = app.signed_up(&unique_email()).await;
    let (_, bo) = app.signed_up(&unique_email()).await;
    let theirs = app.create_task(&ann, "Ann's").await.body["id"].clone();
    let done = import(&app, &bo, json!([{ "id": theirs, "title": "Bo's now" }])).await;
    assert_eq!(done.body, json!({ "created": 0, "unchanged": 0, "conflicts": [theirs] }));
    assert_eq!(app.list_tasks(&ann).await.body[0]["title"], "Ann's");
    assert_eq!(app.list_tasks(&bo).await.body, json!([]));
}

async fn one_invalid_task_writes_nothing_and_is_named(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let refused =
        import(&app, &token, json!([{ "title": "Fine" }, { "title": "   " }, { "title": "Also fine" }])).await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert!(refused.detail().starts_with("tasks[1]: "), "{}", refused.text);
    assert_eq!(refused.body["code"], "validation");
    assert_eq!(app.list_tasks(&token).await.body, json!([]), "nothing was written");
    let malformed = import(&app, &token, json!([{ "title": 42 }])).await;
    assert_eq!(malformed.status, 422, "{}", malformed.text);
}

async fn ten_thousand_tasks_import_and_more_is_413(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let many: Vec<Value> = (0..10_000).map(|i| json!({ "title": format!("Task {i}") })).collect();
    let done = import(&app, &token, json!(many)).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["created"], 10_000);
    assert_eq!(app.list_tasks(&token).await.body.as_array().unwrap().len(), 10_000);

    let too_many: Vec<Value> = (0..10_001).map(|i| json!({ "title": format!("T{i}") })).collect();
    let refused = import(&app, &token, json!(too_many)).await;
    refused.assert_refused(413, "payload_too_large", "An import takes at most 10,000 tasks; split it into several");
    let huge = vec![json!({ "title": "x".repeat(1000) }); 4500];
    let refused = import(&app, &token, json!(huge)).await;
    refused.assert_refused(413, "payload_too_large", "Request body is too large (the limit is 4 MiB)");
    // Every other route keeps its 64 KiB.
    let big = post(&app, "/api/tasks", Some(&token), json!({ "title": "x".repeat(70 * 1024) })).await;
    big.assert_refused(413, "payload_too_large", "Request body is too large (the limit is 64 KiB)");
    assert_eq!(app.list_tasks(&token).await.body.as_array().unwrap().len(), 10_000);
}
