//! What an offline client needs from the server to sync its tasks: ids it chooses (a retry is
//! never a duplicate), tombstones, a change feed in version order, conditional edits — on both
//! databases, and across instances.

use crate::common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use common::{spawn_app, spawn_app_with, spawn_on, unique_email, Db, Reply, TestApp, TestDb};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

both_backends!(
    a_retried_create_is_never_a_duplicate,
    deletes_leave_tombstones_that_the_feed_reports,
    the_feed_pages_in_version_order_and_resumes_from_its_cursor,
    a_cursor_older_than_the_tombstone_window_is_refused,
    if_match_tells_a_client_it_edited_a_stale_copy,
    two_instances_writing_for_one_user_produce_a_gap_free_ordered_feed,
);

async fn create(app: &TestApp, token: &str, body: Value) -> Reply {
    app.request(Method::POST, "/api/tasks", Some(token), Some(body)).await
}

async fn feed(app: &TestApp, token: &str, since: Option<&str>, limit: u32) -> Reply {
    let path = match since {
        Some(cursor) => format!("/api/tasks/changes?since={cursor}&limit={limit}"),
        None => format!("/api/tasks/changes?limit={limit}"),
    };
    let reply = app.request(Method::GET, &path, Some(token), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply
}

/// Every page of the feed after `since`: (changes, the last cursor).
async fn feed_all(app: &TestApp, token: &str, since: Option<String>, limit: u32) -> (Vec<Value>, String) {
    let (mut changes, mut cursor) = (Vec::new(), since);
    loop {
        let page = feed(app, token, cursor.as_deref(), limit).await;
        changes.extend(page.body["changes"].as_array().unwrap().iter().cloned());
        cursor = Some(page.body["cursor"].as_str().unwrap().to_owned());
        if page.body["has_more"] == false {
            return (changes, cursor.unwrap());
        }
    }
}

fn versions(changes: &[Value]) -> Vec<i64> {
    changes.iter().map(|c| c["version"].as_i64().unwrap()).collect()
}

async fn a_retried_create_is_never_a_duplicate(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let id = Uuid::new_v4();
    let body = json!({"id": id, "title": "Buy milk", "completed": false});

    let first = create(&app, &token, body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.body["id"], json!(id));
    assert_eq!(first.header("etag"), Some(format!("\"{}\"", first.body["version"]).as_str()));
    // The answer was lost; the client sends it again: the same task, nothing new.
    let retry = create(&app, &token, body.clone()).await;
    assert_eq!(retry.status, 200, "{}", retry.text);
    assert_eq!(retry.body, first.body);
    assert_eq!(app.list_tasks(&token).await.body.as_array().unwrap().len(), 1);

    create(&app, &token, json!({"id": id, "title": "Buy oat milk"}))
        .await
        .assert_error(409, "A task with this id already exists");
    // Another user's id is as taken as one's own: nothing tells the two apart.
    let (_, other) = app.signed_up(&unique_email()).await;
    create(&app, &other, body).await.assert_error(409, "A task with this id already exists");
    assert_eq!(app.list_tasks(&other).await.body, json!([]));

    // The original contract: no id, a fresh one; `completed` may be given.
    let plain = create(&app, &token, json!({"title": "Walk"})).await;
    assert_eq!(plain.status, 201);
    assert_eq!(plain.body["completed"], false);
    let done = create(&app, &token, json!({"title": "Done already", "completed": true})).await;
    assert_eq!(done.body["completed"], true);
}

async fn deletes_leave_tombstones_that_the_feed_reports(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let gone = app.create_task(&token, "to delete").await.body["id"].as_str().unwrap().to_owned();
    let kept = app.create_task(&token, "to keep").await.body["id"].as_str().unwrap().to_owned();
    assert_eq!(app.delete_task(&token, &gone).await.status, 204);

    app.request(Method::GET, &format!("/api/tasks/{gone}"), Some(&token), None)
        .await
        .assert_error(404, "Task not found");
    app.update_task(&token, &gone, json!({"completed": true})).await.assert_error(404, "Task not found");
    app.delete_task(&token, &gone).await.assert_error(404, "Task not found");
    let listed = app.list_tasks(&token).await.body;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], json!(kept));

    let (changes, _) = feed_all(&app, &token, None, 100).await;
    let by_id = |id: &str| changes.iter().find(|c| c["id"] == json!(id)).unwrap().clone();
    assert_eq!(by_id(&gone)["deleted"], true);
    assert_eq!(by_id(&gone)["title"], "to delete");
    assert_eq!(by_id(&kept)["deleted"], false);
    // The delete is the latest change: 1 and 2 were the creates.
    assert_eq!(versions(&changes), [2, 3]);
}

async fn the_feed_pages_in_version_order_and_resumes_from_its_cursor(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(app.create_task(&token, &format!("task {i}")).await.body["id"].as_str().unwrap().to_owned());
    }
    // Editing the first moves it to the end of the feed.
    app.update_task(&token, &ids[0], json!({"completed": true})).await.assert_status(200);

    let first = feed(&app, &token, None, 3).await;
    assert_eq!(first.body["has_more"], true);
    assert_eq!(versions(first.body["changes"].as_array().unwrap()), [2, 3, 4]);
    let (rest, cursor) = feed_all(&app, &token, first.body["cursor"].as_str().map(str::to_owned), 3).await;
    assert_eq!(versions(&rest), [5, 6, 7, 8]);
    assert_eq!(rest.last().unwrap()["id"], json!(ids[0]));
    assert_eq!(rest.last().unwrap()["completed"], true);

    // Caught up: nothing new, until something changes.
    let idle = feed(&app, &token, Some(&cursor), 3).await;
    assert_eq!(idle.body["changes"], json!([]));
    assert_eq!(idle.body["has_more"], false);
    app.delete_task(&token, &ids[3]).await.assert_status(204);
    let next = feed(&app, &token, idle.body["cursor"].as_str(), 3).await;
    assert_eq!(next.body["changes"].as_array().unwrap().len(), 1);
    assert_eq!(next.body["changes"][0]["deleted"], true);
    assert_eq!(next.body["changes"][0]["version"], 9);

    // Another user's feed holds none of it.
    let (_, other) = app.signed_up(&unique_email()).await;
    assert_eq!(feed(&app, &other, None, 10).await.body["changes"], json!([]));
    let bad = app.request(Method::GET, "/api/tasks/changes?since=not-a-cursor", Some(&token), None).await;
    bad.assert_error(400, "Invalid sync cursor");
    // Forged cursors are refused or harmless, never a crash: one from the end of time still reads.
    use base64::Engine as _;
    let forged = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
    let far = app
        .request(
            Method::GET,
            &format!("/api/tasks/changes?since={}", forged("v1.0.0.8210266000000")),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(far.status, 200, "{}", far.text);
    let beyond = forged("v1.0.0.9223372036854775807");
    app.request(Method::GET, &format!("/api/tasks/changes?since={beyond}"), Some(&token), None)
        .await
        .assert_error(400, "Invalid sync cursor");
    let bad = app.request(Method::GET, "/api/tasks/changes?limit=0", Some(&token), None).await;
    bad.assert_error(400, "limit must be between 1 and 1000");
}

async fn a_cursor_older_than_the_tombstone_window_is_refused(db: Db) {
    let app = spawn_app_with(db, |c| c.tombstone_retention = Duration::from_secs(2)).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    app.create_task(&token, "one").await.assert_status(201);
    let cursor = feed(&app, &token, None, 10).await.body["cursor"].as_str().unwrap().to_owned();
    assert_eq!(feed(&app, &token, Some(&cursor), 10).await.status, 200);
    tokio::time::sleep(Duration::from_millis(3100)).await;
    let expired = app.request(Method::GET, &format!("/api/tasks/changes?since={cursor}"), Some(&token), None).await;
    expired.assert_error(410, "Sync cursor expired; reload all tasks");
    // Reloading from the beginning works.
    assert_eq!(feed(&app, &token, None, 10).await.status, 200);
}

async fn if_match_tells_a_client_it_edited_a_stale_copy(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let task = app.create_task(&token, "draft").await.body;
    let id = task["id"].as_str().unwrap();
    let read = app.request(Method::GET, &format!("/api/tasks/{id}"), Some(&token), None).await;
    let etag = read.header("etag").unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", task["version"]));

    let patch = |if_match: &str, body: Value| {
        let req = app.http.patch(app.url(&format!("/api/tasks/{id}"))).bearer_auth(&token).header("if-match", if_match);
        async move { Reply::from(req.json(&body).send().await.unwrap()).await }
    };
    let edited = patch(&etag, json!({"title": "final"})).await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_ne!(edited.header("etag"), Some(etag.as_str()));

    // A second device still holding the first version is told, and shown the task as it is now.
    let stale = patch(&etag, json!({"completed": true})).await;
    assert_eq!(stale.status, 412, "{}", stale.text);
    assert_eq!(stale.body["detail"], "The task has changed since that version");
    assert_eq!(stale.body["task"]["title"], "final");
    assert_eq!(stale.body["task"]["completed"], false);
    assert_eq!(stale.header("etag"), edited.header("etag"));
    // Even an empty edit checks the version.
    assert_eq!(patch(&etag, json!({})).await.status, 412);
    patch("soon", json!({"completed": true})).await.assert_error(400, "If-Match must be a task version, e.g. \"3\"");
    // Without If-Match the last write wins, field by field.
    let done = app.update_task(&token, id, json!({"completed": true})).await;
    assert_eq!((done.body["title"].clone(), done.body["completed"].clone()), (json!("final"), json!(true)));
}

async fn two_instances_writing_for_one_user_produce_a_gap_free_ordered_feed(db: Db) {
    let shared = Arc::new(TestDb::new(db).await);
    let (a, b) = tokio::join!(spawn_on(shared.clone(), |_| {}), spawn_on(shared.clone(), |_| {}));
    let (a, b) = (Arc::new(a), Arc::new(b));
    let (_, token) = a.signed_up(&unique_email()).await;
    // A client catching up while the writes land: it pages the feed from its cursor over and over
    // and keeps, per task, the latest version it was shown.
    let writing = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let (reading, mut read_once) = tokio::sync::watch::channel(0);
    let reader = tokio::spawn({
        let (b, token, writing) = (b.clone(), token.clone(), writing.clone());
        async move {
            let (mut cursor, mut seen, mut passes) = (None, std::collections::BTreeMap::new(), 0);
            loop {
                let still_writing = writing.load(std::sync::atomic::Ordering::Acquire);
                let (rows, next) = feed_all(&b, &token, cursor.take(), 3).await;
                for row in rows {
                    seen.insert(row["id"].as_str().unwrap().to_owned(), row["version"].as_i64().unwrap());
                }
                cursor = Some(next);
                passes += 1;
                let _ = reading.send(passes);
                // One more pass after the writers are done: it brings whatever committed last.
                if !still_writing {
                    return (seen, passes);
                }
            }
        }
    });
    // The writes start once the reader is under way.
    read_once.wait_for(|passes| *passes >= 1).await.unwrap();
    let writers: Vec<_> = (0..40)
        .map(|i| {
            let app = if i % 2 == 0 { a.clone() } else { b.clone() };
            let token = token.clone();
            tokio::spawn(async move {
                let created = app.create_task(&token, &format!("task {i}")).await;
                assert_eq!(created.status, 201, "{}", created.text);
                let id = created.body["id"].as_str().unwrap().to_owned();
                if i % 4 == 0 {
                    let edited = app.update_task(&token, &id, json!({"completed": true})).await;
                    assert_eq!(edited.status, 200, "{}", edited.text);
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    writing.store(false, std::sync::atomic::Ordering::Release);
    let (caught_up, passes) = reader.await.unwrap();
    assert!(passes > 1, "the reader read while the writers ran");
    // 40 creates and 10 edits: 50 versions. The feed holds each task once, at its last version,
    // strictly increasing; and what it skips are exactly the versions the edits superseded.
    let (changes, _) = feed_all(&b, &token, None, 7).await;
    assert_eq!(changes.len(), 40);
    let seen = versions(&changes);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(*seen.last().unwrap(), 50);
    let ids: BTreeSet<_> = changes.iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 40);
    // The reader that paged along missed nothing: every task, each at its last version (a cursor
    // never passes a write that commits after it).
    let last: std::collections::BTreeMap<String, i64> =
        changes.iter().map(|c| (c["id"].as_str().unwrap().to_owned(), c["version"].as_i64().unwrap())).collect();
    assert_eq!(caught_up, last, "read along in {passes} passes");
    // Every version 1..=50 was taken once: one more write on either instance takes 51.
    let next = a.create_task(&token, "one more").await;
    assert_eq!(next.body["version"], 51);
}
