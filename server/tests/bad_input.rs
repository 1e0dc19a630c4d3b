//! Bad input of any shape gets a 4xx with a JSON detail: never a 500, never a dropped connection.

use crate::common;

use common::{spawn_app, unique_email, Db};
use reqwest::Method;
use serde_json::json;

both_backends!(malformed_requests_get_json_errors, no_input_makes_the_server_fail);

async fn malformed_requests_get_json_errors(db: Db) {
    let app = spawn_app(db).await;
    let post_raw = |body: &'static str, content_type: Option<&'static str>| {
        let mut req = app.http.post(app.url("/api/auth/register")).body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        async move { common::Reply::from(req.send().await.unwrap()).await }
    };
    post_raw("{not json", Some("application/json")).await.assert_error(422, "Request body is not valid JSON");
    post_raw("", Some("application/json")).await.assert_error(422, "Request body is required");
    post_raw(r#"{"email": "a@example.com"}"#, Some("application/json"))
        .await
        .assert_error(422, "Field 'password' is required");
    post_raw(r#"{"password": "x"}"#, Some("application/json")).await.assert_error(422, "Field 'email' is required");
    post_raw(r#"{"email": 42, "password": "x"}"#, Some("application/json"))
        .await
        .assert_error(422, "Field 'email' must be a string");
    post_raw(r#"["a@example.com"]"#, Some("application/json"))
        .await
        .assert_error(422, "Request body must be a JSON object");
    post_raw(r#"{"email":"a@example.com","password":"x"}"#, Some("text/plain"))
        .await
        .assert_error(415, "Content-Type must be application/json");
    post_raw("email=a%40example.com", Some("application/x-www-form-urlencoded"))
        .await
        .assert_error(415, "Content-Type must be application/json");
    // Like the original (FastAPI), a body without a Content-Type is read as JSON.
    assert_eq!(post_raw(r#"{"email":"noct@example.com","password":"Str0ng!Passw0rd"}"#, None).await.status, 201);
    // charset parameters are fine.
    let ok = post_raw(
        r#"{"email":"charset@example.com","password":"Str0ng!Passw0rd"}"#,
        Some("application/json; charset=utf-8"),
    )
    .await;
    assert_eq!(ok.status, 201);

    let huge = json!({"email": "big@example.com", "password": "x".repeat(70 * 1024)});
    app.request(Method::POST, "/api/auth/register", None, Some(huge))
        .await
        .assert_error(413, "Request body is too large (the limit is 64 KiB)");
    assert!(app.store.user_by_email("big@example.com").await.unwrap().is_none());

    app.request(Method::GET, "/api/nope", None, None).await.assert_error(404, "Not Found");
    app.request(Method::GET, "/", None, None).await.assert_error(404, "Not Found");
    let wrong_method = app.request(Method::GET, "/api/auth/login", None, None).await;
    wrong_method.assert_error(405, "Method Not Allowed");
    assert!(wrong_method.header("allow").is_some_and(|a| a.contains("POST")));
    app.request(Method::PUT, "/api/tasks", None, None).await.assert_error(405, "Method Not Allowed");
}

/// Whatever arrives, the answer is a 4xx with a JSON detail: never a 500, never a dropped connection.
async fn no_input_makes_the_server_fail(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let task = app.create_task(&token, "existing").await;
    let task_path = format!("/api/tasks/{}", task.body["id"].as_str().unwrap());
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"null".to_vec(),
        b"[]".to_vec(),
        b"{}".to_vec(),
        b"\"text\"".to_vec(),
        b"12345".to_vec(),
        br#"{"email": null, "password": null, "title": null, "completed": null, "refresh_token": null}"#.to_vec(),
        br#"{"email": ["a"], "password": {"x": 1}, "title": [], "completed": 2, "refresh_token": 5}"#.to_vec(),
        br#"{"email": "\u0000@example.com", "password": "\ud800", "title": "\u0000"}"#.to_vec(),
        vec![0xff, 0xfe, 0x00, 0x7b],
        deep.into_bytes(),
    ];
    let routes = [
        (Method::POST, "/api/auth/register"),
        (Method::POST, "/api/auth/login"),
        (Method::POST, "/api/auth/refresh"),
        (Method::POST, "/api/auth/password"),
        (Method::DELETE, "/api/auth/me"),
        (Method::POST, "/api/tasks"),
        (Method::PATCH, task_path.as_str()),
    ];
    for (method, path) in routes {
        for body in &bodies {
            for auth in [None, Some(token.as_str())] {
                let mut req = app
                    .http
                    .request(method.clone(), app.url(path))
                    .header("content-type", "application/json")
                    .body(body.clone());
                if let Some(token) = auth {
                    req = req.bearer_auth(token);
                }
                let reply = common::Reply::from(req.send().await.unwrap()).await;
                if method == Method::PATCH && reply.status == 200 {
                    // `{}` and all-null patches are valid and change nothing (checked below).
                    continue;
                }
                assert!(
                    reply.status.is_client_error(),
                    "{method} {path} with {:?}: {} {}",
                    String::from_utf8_lossy(&body[..body.len().min(40)]),
                    reply.status,
                    reply.text
                );
                assert!(!reply.detail().is_empty());
            }
        }
    }
    // And the account and its task are intact.
    let tasks = app.list_tasks(&token).await;
    assert_eq!(tasks.body.as_array().unwrap().len(), 1);
    assert_eq!(tasks.body[0], task.body);
}
