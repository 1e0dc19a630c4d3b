//! What a TCP client can hold: a request head arrives within its deadline or the connection is
//! closed, and past the connection cap new connections are closed while the others are served.

use crate::common;

use std::time::{Duration, Instant};

use common::{spawn_app_with, Db, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

both_backends!(
    a_client_trickling_its_headers_is_cut_off_while_others_are_served,
    past_the_cap_new_connections_are_closed_and_the_others_served,
    an_oversized_body_sent_whole_gets_its_413,
);

const HEAD_DEADLINE: Duration = Duration::from_secs(4);

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.base.trim_start_matches("http://")).await.unwrap()
}

/// Reads until the server closes the connection (or resets it); how long that took. Fails the test
/// if the connection is still open after `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Duration {
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout_at((started + within).into(), stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return started.elapsed(),
            Ok(Ok(_)) => continue,
            Err(_) => panic!("the connection was still open after {within:?}"),
        }
    }
}

/// A whole request on `stream` (or a new connection); its answer, empty when the connection was
/// closed without one.
async fn health(app: &TestApp, stream: Option<TcpStream>) -> String {
    let mut stream = match stream {
        Some(stream) => stream,
        None => connect(app).await,
    };
    let request = b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let mut answer = Vec::new();
    if stream.write_all(request).await.is_ok() {
        let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await;
        read.expect("an answer, or the connection closed, within 20 s").ok();
    }
    String::from_utf8_lossy(&answer).into_owned()
}

async fn health_answers(app: &TestApp, stream: Option<TcpStream>) {
    let answer = health(app, stream).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
}

/// One header line every 2 s, for ever: the server closes the connection once the deadline for
/// the whole head has passed, and a normal request on another connection meanwhile is answered.
async fn a_client_trickling_its_headers_is_cut_off_while_others_are_served(db: Db) {
    let app = spawn_app_with(db, |c| c.connections.header_read_timeout = HEAD_DEADLINE).await;
    let mut slow = connect(&app).await;
    slow.write_all(b"GET /api/health HTTP/1.1\r\n").await.unwrap();
    let started = Instant::now();
    let trickle = async {
        for i in 0.. {
            tokio::time::sleep(Duration::from_secs(2)).await;
            if slow.write_all(format!("X-Slow-{i}: a\r\n").as_bytes()).await.is_err() {
                break;
            }
            let mut byte = [0u8; 1];
            // Closed by the server: a read ends at once (the write alone may still succeed).
            if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_millis(1), slow.read(&mut byte)).await {
                break;
            }
        }
    };
    let (_, ()) = tokio::join!(trickle, health_answers(&app, None));
    let elapsed = started.elapsed();
    assert!(
        elapsed >= HEAD_DEADLINE && elapsed < HEAD_DEADLINE + Duration::from_secs(5),
        "closed after {elapsed:?}, with a {HEAD_DEADLINE:?} deadline"
    );

    // An idle keep-alive connection is closed by the same deadline.
    let mut idle = connect(&app).await;
    idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    closed_within(&mut idle, HEAD_DEADLINE + Duration::from_secs(5)).await;
}

/// With room for 3, three silent clients hold every slot: a fourth connection is closed at once,
/// and one of the three still gets its answer.
async fn past_the_cap_new_connections_are_closed_and_the_others_served(db: Db) {
    let app = spawn_app_with(db, |c| c.connections.max_connections = 3).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect(&app).await);
    }
    let mut extra = connect(&app).await;
    let took = closed_within(&mut extra, Duration::from_secs(10)).await;
    assert!(took < HEAD_DEADLINE, "the connection past the cap waited {took:?} to be closed");
    health_answers(&app, held.pop()).await;
    // Its slot is freed once the server has closed it: then a new connection is served.
    common::wait_for("a new connection to be served", || async {
        health(&app, None).await.starts_with("HTTP/1.1 200")
    })
    .await;
}

/// A 200 KiB password (over the 64 KiB limit), sent whole before the answer is read: the client
/// reads its 413 and its `detail`, never a reset connection.
async fn an_oversized_body_sent_whole_gets_its_413(db: Db) {
    let app = spawn_app_with(db, |_| {}).await;
    for _ in 0..5 {
        let body = format!(r#"{{"email":"big@example.com","password":"{}"}}"#, "x".repeat(200 * 1024));
        let head = format!(
            "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let mut stream = connect(&app).await;
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(body.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await.unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(read.is_ok() || answer.contains("\r\n\r\n{"), "the connection was reset: {read:?} {answer:?}");
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer:?}");
        assert!(answer.contains(r#""code":"payload_too_large""#), "{answer:?}");
    }
}
