//! Tasks: each user creates, lists, updates and deletes their own, never sees others', and bad input is refused.

use crate::common;

use std::sync::Arc;

use common::sql::OtherClient;
use common::{spawn_app, spawn_on, unique_email, Db, TestApp, TestDb};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

both_backends!(
    tasks_story_create_list_update_delete,
    tasks_of_other_users_are_invisible,
    task_input_is_validated,
    a_list_read_again_sees_every_change_and_every_sign_out_at_once_on_every_instance,
    a_list_without_a_change_counter_is_read_whole_every_time,
);

async fn tasks_story_create_list_update_delete(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;

    let empty = app.list_tasks(&token).await;
    assert_eq!(empty.status, 200);
    assert_eq!(empty.body, json!([]));

    let milk = app.create_task(&token, "  Buy milk  ").await;
    assert_eq!(milk.status, 201, "{}", milk.text);
    assert_eq!(milk.body["title"], "Buy milk");
    assert_eq!(milk.body["completed"], false);
    assert_eq!(common::at(&milk.body["created_at"]), common::at(&milk.body["updated_at"]));
    let milk_id = milk.body["id"].as_str().unwrap().to_owned();
    let bread = app.create_task(&token, "Bake bread").await;
    let bread_id = bread.body["id"].as_str().unwrap().to_owned();
    let call = app.create_task(&token, "Call mum").await;

    let list = app.list_tasks(&token).await;
    let titles: Vec<_> = list.body.as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Call mum", "Bake bread", "Buy milk"], "newest first");
    assert_eq!(list.body[0], call.body, "list items equal what create returned");

    let done = app.update_task(&token, &milk_id, json!({"completed": true})).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["completed"], true);
    assert_eq!(done.body["title"], "Buy milk");
    assert!(common::at(&done.body["updated_at"]) > common::at(&milk.body["updated_at"]));
    assert_eq!(common::at(&done.body["created_at"]), common::at(&milk.body["created_at"]));

    let renamed = app.update_task(&token, &milk_id, json!({"title": "Buy oat milk"})).await;
    assert_eq!(renamed.body["title"], "Buy oat milk");
    assert_eq!(renamed.body["completed"], true, "fields not sent are kept");
    let both = app.update_task(&token, &milk_id, json!({"title": "Milk", "completed": false})).await;
    assert_eq!((both.body["title"].as_str(), both.body["completed"].as_bool()), (Some("Milk"), Some(false)));
    let nothing = app.update_task(&token, &milk_id, json!({})).await;
    assert_eq!(nothing.status, 200);
    assert_eq!(nothing.body, both.body, "an empty patch changes nothing");

    let fetched = app.request(Method::GET, &format!("/api/tasks/{milk_id}"), Some(&token), None).await;
    assert_eq!(fetched.body, both.body);

    let deleted = app.delete_task(&token, &bread_id).await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.text.is_empty());
    app.delete_task(&token, &bread_id).await.assert_error(404, "Task not found");
    app.update_task(&token, &bread_id, json!({"completed": true})).await.assert_error(404, "Task not found");
    let titles: Vec<_> = app
        .list_tasks(&token)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(titles, ["Call mum", "Milk"]);

    // Ids that are not UUIDs name no task.
    app.update_task(&token, "12345", json!({"completed": true})).await.assert_error(404, "Task not found");
    app.delete_task(&token, "not-a-uuid").await.assert_error(404, "Task not found");
}

async fn tasks_of_other_users_are_invisible(db: Db) {
    let app = spawn_app(db).await;
    let (_, alice) = app.signed_up(&unique_email()).await;
    let (_, bob) = app.signed_up(&unique_email()).await;
    let secret = app.create_task(&alice, "Alice's secret").await;
    let id = secret.body["id"].as_str().unwrap();

    assert_eq!(app.list_tasks(&bob).await.body, json!([]));
    let missing = Uuid::new_v4().to_string();
    for target in [id, missing.as_str()] {
        // Bob's answers for Alice's task and for a task that does not exist are identical.
        app.request(Method::GET, &format!("/api/tasks/{target}"), Some(&bob), None)
            .await
            .assert_error(404, "Task not found");
        app.update_task(&bob, target, json!({"title": "hacked"})).await.assert_error(404, "Task not found");
        app.delete_task(&bob, target).await.assert_error(404, "Task not found");
    }
    let still = app.list_tasks(&alice).await;
    assert_eq!(still.body[0]["title"], "Alice's secret");
}

async fn task_input_is_validated(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    app.create_task(&token, "   ").await.assert_error(422, "Title must not be empty");
    app.create_task(&token, &"x".repeat(201)).await.assert_error(422, "Title must not exceed 200 characters");
    assert_eq!(app.create_task(&token, &"é".repeat(200)).await.status, 201, "200 characters (400 bytes) fit");
    app.request(Method::POST, "/api/tasks", Some(&token), Some(json!({})))
        .await
        .assert_error(422, "Field 'title' is required");
    app.request(Method::POST, "/api/tasks", Some(&token), Some(json!({"title": 5})))
        .await
        .assert_error(422, "Field 'title' must be a string");
    let task = app.create_task(&token, "ok").await;
    let id = task.body["id"].as_str().unwrap();
    app.update_task(&token, id, json!({"completed": "yes"}))
        .await
        .assert_error(422, "Field 'completed' must be true or false");
    app.update_task(&token, id, json!({"title": ""})).await.assert_error(422, "Title must not be empty");
    // A refused update leaves the task as it was.
    let list = app.list_tasks(&token).await;
    assert_eq!(list.body[0], task.body);
}

/// The titles `app` lists for `token`, after checking the answer is the same as `other`'s.
async fn titles_on_both(app: &TestApp, other: &TestApp, token: &str) -> Vec<String> {
    let list = app.list_tasks(token).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.header("content-type"), Some("application/json"));
    assert_eq!(other.list_tasks(token).await.body, list.body, "both instances answer alike");
    list.body.as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap().to_owned()).collect()
}

/// A list read again and again (its body kept by the server between reads) still shows a change
/// made through the other instance, and a sign-out or a disable there, on the very next read.
async fn a_list_read_again_sees_every_change_and_every_sign_out_at_once_on_every_instance(db: Db) {
    let shared = Arc::new(TestDb::new(db).await);
    let (a, b) = tokio::join!(spawn_on(shared.clone(), |_| {}), spawn_on(shared.clone(), |_| {}));
    let email = unique_email();
    let (id, token) = a.signed_up(&email).await;
    let (_, other_token) = b.signed_up(&unique_email()).await;
    b.create_task(&other_token, "Someone else's").await.assert_status(201);

    let milk = b.create_task(&token, "Buy milk").await;
    let milk_id = milk.body["id"].as_str().unwrap().to_owned();
    for _ in 0..2 {
        assert_eq!(titles_on_both(&a, &b, &token).await, ["Buy milk"]);
    }
    assert_eq!(titles_on_both(&a, &b, &other_token).await, ["Someone else's"], "each user's own list");

    b.create_task(&token, "Call mum").await.assert_status(201);
    assert_eq!(titles_on_both(&a, &b, &token).await, ["Call mum", "Buy milk"]);
    b.update_task(&token, &milk_id, json!({"title": "Buy oat milk"})).await.assert_status(200);
    assert_eq!(titles_on_both(&a, &b, &token).await, ["Call mum", "Buy oat milk"]);
    let done = b.update_task(&token, &milk_id, json!({"completed": true})).await;
    let listed = a.list_tasks(&token).await;
    assert_eq!(listed.body[1], done.body, "a completed task reads as completed");
    b.delete_task(&token, &milk_id).await.assert_status(204);
    assert_eq!(titles_on_both(&a, &b, &token).await, ["Call mum"]);

    b.request(Method::POST, "/api/auth/logout", Some(&token), None).await.assert_status(200);
    a.list_tasks(&token).await.assert_error(401, "Token error: revoked-token");

    let token = a.login(&email, common::PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(titles_on_both(&b, &a, &token).await, ["Call mum"]);
    let by = authdesk_server::store::AuditEvent::default();
    assert!(b.store.set_disabled(id, true, authdesk_server::store::now(), &by).await.unwrap());
    for app in [&a, &b] {
        assert_eq!(app.list_tasks(&token).await.status, 401, "a disabled account's list");
    }
}

/// An account whose tasks were never written through this server (the original design's) has no
/// change counter: its list is read whole on every request, so rows written by another program
/// show up at once.
async fn a_list_without_a_change_counter_is_read_whole_every_time(db: Db) {
    let app = spawn_app(db).await;
    let (id, token) = app.signed_up(&unique_email()).await;
    let other = OtherClient::connect(&app.db).await;
    let mut expected = Vec::new();
    for title in ["From the old app", "Also from the old app"] {
        let now = authdesk_server::store::now().to_rfc3339();
        other
            .run(&format!(
                "INSERT INTO tasks (id, user_id, title, completed, created_at, updated_at)
                 VALUES ('{}', '{id}', '{title}', false, '{now}', '{now}')",
                Uuid::new_v4()
            ))
            .await;
        expected.insert(0, title);
        assert_eq!(titles_on_both(&app, &app, &token).await, expected);
    }
}
