//! Live changes as a user with two devices meets them: a write is heard on the event stream at once
//! (on PostgreSQL, a write on another instance too), the stream carries no task data, ends when its
//! session is signed out, and an account holds a few streams at most.

use crate::common;

use std::time::Duration;

use common::{spawn_app, spawn_app_with, spawn_on, unique_email, Db, TestApp};
use futures::StreamExt as _;

both_backends!(
    a_write_is_heard_on_the_stream_at_once,
    a_signed_out_session_ends_its_stream,
    an_account_holds_a_few_streams_at_most,
    a_stopping_server_ends_its_streams,
);

/// How long a test waits for something the stream should carry.
const DEADLINE: Duration = Duration::from_secs(10);

/// An open event stream: its lines, read as they come.
struct Stream {
    body: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buffer: String,
}

impl Stream {
    async fn open(app: &TestApp, token: &str) -> Result<Self, u16> {
        let reply = app.http.get(app.url("/api/tasks/events")).bearer_auth(token).send().await.unwrap();
        if reply.status() != 200 {
            return Err(reply.status().as_u16());
        }
        assert_eq!(reply.headers()["content-type"], "text/event-stream");
        Ok(Self { body: Box::pin(reply.bytes_stream()), buffer: String::new() })
    }

    /// The data of the next `tasks` event; `None` when the stream ended first.
    async fn next_event(&mut self) -> Option<String> {
        let read = async {
            loop {
                if let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    if block.lines().any(|l| l == "event: tasks") {
                        let data = block.lines().find_map(|l| l.strip_prefix("data: ")).unwrap_or_default();
                        return Some(data.to_owned());
                    }
                    continue;
                }
                match self.body.next().await {
                    Some(Ok(bytes)) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                    _ => return None,
                }
            }
        };
        tokio::time::timeout(DEADLINE, read).await.expect("the stream said nothing in time")
    }
}

async fn a_write_is_heard_on_the_stream_at_once(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let (_, other) = app.signed_up(&unique_email()).await;
    let mut stream = Stream::open(&app, &token).await.unwrap();
    app.create_task(&other, "Someone else's").await.assert_status(201);
    let created = app.create_task(&token, "Renew passport").await;
    let version = created.body["version"].as_i64().unwrap();
    let event = stream.next_event().await.expect("an event");
    assert_eq!(event, format!("{{\"version\":{version}}}"), "only this account's, and no task data");
    let id = created.body["id"].as_str().unwrap();
    app.update_task(&token, id, serde_json::json!({ "completed": true })).await.assert_status(200);
    assert_eq!(stream.next_event().await.unwrap(), format!("{{\"version\":{}}}", version + 1));
    app.delete_task(&token, id).await.assert_status(204);
    assert_eq!(stream.next_event().await.unwrap(), format!("{{\"version\":{}}}", version + 2));
}

async fn a_signed_out_session_ends_its_stream(db: Db) {
    let app = spawn_app_with(db, |c| c.event_recheck = Duration::from_millis(300)).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let mut stream = Stream::open(&app, &token).await.unwrap();
    let out = app.request(reqwest::Method::POST, "/api/auth/logout", Some(&token), None).await;
    assert!(out.status.is_success(), "{}", out.text);
    assert_eq!(stream.next_event().await, None, "the stream ends");
    assert_eq!(Stream::open(&app, &token).await.err(), Some(401));
}

async fn an_account_holds_a_few_streams_at_most(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let mut open = Vec::new();
    for _ in 0..5 {
        open.push(Stream::open(&app, &token).await.unwrap());
    }
    assert_eq!(Stream::open(&app, &token).await.err(), Some(429));
    drop(open.pop());
    // The closed stream's place comes back once the server sees it gone.
    common::wait_for("a place under the cap", || async { Stream::open(&app, &token).await.is_ok() }).await;
}

/// A server asked to stop ends its open streams (their clients reconnect, to another instance
/// or later), so that its graceful shutdown finishes instead of waiting for them forever.
async fn a_stopping_server_ends_its_streams(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let mut stream = Stream::open(&app, &token).await.unwrap();
    tokio::time::timeout(DEADLINE, app.stop()).await.expect("the shutdown finishes with a stream open");
    assert_eq!(stream.next_event().await, None, "the stream ended");
}

/// Two instances on one PostgreSQL database: a write on one is heard on the other's stream.
#[tokio::test]
async fn a_write_on_another_instance_is_heard_on_postgres() {
    let first = spawn_app(Db::Postgres).await;
    let second = spawn_on(first.db.clone(), |_| {}).await;
    let (_, token) = first.signed_up(&unique_email()).await;
    // The stream answers once its instance listens: a write right after, anywhere, is heard.
    let mut stream = Stream::open(&first, &token).await.unwrap();
    let created = second.create_task(&token, "From the other device").await;
    let version = created.body["version"].as_i64().unwrap();
    assert_eq!(stream.next_event().await.unwrap(), format!("{{\"version\":{version}}}"));
}
