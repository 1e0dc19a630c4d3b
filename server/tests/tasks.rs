//! Tasks: each user creates, lists, updates and deletes their own, never sees others', and bad input is refused.

use crate::common;

use common::{spawn_app, unique_email, Db};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

both_backends!(tasks_story_create_list_update_delete, tasks_of_other_users_are_invisible, task_input_is_validated);

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
