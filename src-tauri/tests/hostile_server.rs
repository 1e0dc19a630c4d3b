//! A server the user was tricked into adding (or mistyped) cannot run the app out of memory: an
//! answer over the limit is refused, whether it says how big it is or streams without end.

use std::path::Path;
use std::sync::Arc;

use authdesk_desktop::{Desktop, ErrorKind, ServerChoice};
use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use tempfile::TempDir;

/// 64 MiB, far over the 4 MiB the app reads.
const HUGE: usize = 64 << 20;

async fn app_on(data: &Path, base: &str) -> Arc<Desktop> {
    let app = Desktop::open_with_files(data.to_path_buf()).await.unwrap();
    app.set_settings(ServerChoice::Remote { url: base.into() }).await.unwrap();
    app
}

/// A server answering every request with `body()`.
async fn serving(body: fn() -> axum::response::Response) -> String {
    let router = axum::Router::new().fallback(move || std::future::ready(body()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

fn declared() -> axum::response::Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], vec![b' '; HUGE]).into_response()
}

/// No length given: chunks of 64 KiB until 64 MiB.
fn streamed() -> axum::response::Response {
    let chunks = futures::stream::iter((0..HUGE / 65_536).map(|_| Ok::<_, std::io::Error>(vec![b' '; 65_536])));
    axum::response::Response::new(Body::from_stream(chunks))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_answer_is_refused_not_read() {
    for (what, body) in [("declared", declared as fn() -> _), ("streamed", streamed)] {
        let base = serving(body).await;
        let dir = TempDir::new().unwrap();
        let app = app_on(dir.path(), &base).await;
        let refused =
            tokio::time::timeout(std::time::Duration::from_secs(30), app.login("la@example.com".into(), "x".into()))
                .await
                .expect("refused within 30 s")
                .unwrap_err();
        assert_eq!(refused.kind, ErrorKind::Server, "{what}: {}", refused.message);
        assert_eq!(
            refused.message,
            format!("The server at {base} sent an answer over 4 MiB; authdesk stopped reading it."),
            "{what}"
        );
    }
}
