//! The ceiling: what `GET /api/tasks` could cost with the same token check and no database.

use std::sync::Arc;

use authdesk_contract::Task;
use axum::extract::State;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use uuid::Uuid;

/// The server's access token claims.
#[derive(Deserialize)]
struct Claims {
    sub: String,
    #[expect(dead_code, reason = "jsonwebtoken checks it; a token without it fails to decode")]
    exp: i64,
    iat: Option<i64>,
    sid: Option<String>,
}

struct Ceiling {
    decoding: DecodingKey,
    validation: Validation,
    tasks: Vec<Task>,
}

impl Ceiling {
    /// The server's checks: `Bearer <token>`, HS256 only, `exp` and `sub` required, no leeway,
    /// `iat` not in the future, `sub` and `sid` UUIDs.
    fn verify(&self, headers: &HeaderMap) -> Result<(Uuid, Option<Uuid>), &'static str> {
        let value = headers.get(AUTHORIZATION).ok_or("Authorization header required")?;
        let value = value.to_str().map_err(|_| "Invalid authorization format")?;
        let mut words = value.split_whitespace();
        let token = match (words.next(), words.next(), words.next()) {
            (Some(scheme), Some(token), None) if scheme.eq_ignore_ascii_case("bearer") => token,
            _ => return Err("Invalid authorization format"),
        };
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| "Token error: invalid-token")?
            .claims;
        // `exp` was checked by jsonwebtoken (no leeway), like `nbf`.
        if claims.iat.is_some_and(|iat| iat > chrono::Utc::now().timestamp() + 30) {
            return Err("Token error: invalid-token");
        }
        let user = Uuid::parse_str(&claims.sub).map_err(|_| "Token error: invalid-token")?;
        let session =
            claims.sid.as_deref().map(Uuid::parse_str).transpose().map_err(|_| "Token error: invalid-token")?;
        Ok((user, session))
    }
}

async fn list_tasks(State(ceiling): State<Arc<Ceiling>>, headers: HeaderMap) -> Response {
    match ceiling.verify(&headers) {
        // As the server answers: `Json` of the task list.
        Ok(_) => Json(&ceiling.tasks).into_response(),
        Err(detail) => (StatusCode::UNAUTHORIZED, Json(serde_json::json!({ "detail": detail }))).into_response(),
    }
}

/// Serves on 127.0.0.1:0 and prints `addr=…`; secret and tasks come from the environment.
pub fn serve() {
    let secret = std::env::var("BETTER_AUTH_SECRET").expect("BETTER_AUTH_SECRET for the ceiling");
    let tasks = std::env::var(super::TASKS_ENV).expect("the ceiling's tasks");
    // Pinned like the server's: a token naming another algorithm is refused.
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "sub"]);
    validation.leeway = 0;
    validation.validate_nbf = true;
    let ceiling = Arc::new(Ceiling {
        decoding: DecodingKey::from_secret(secret.as_bytes()),
        validation,
        tasks: serde_json::from_str(&tasks).expect("the ceiling's tasks as JSON"),
    });
    // Like the server's `#[tokio::main]`: multi-thread runtime, default number of workers.
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("ceiling listening addr={}", listener.local_addr().unwrap());
        let router = Router::new().route("/api/tasks", get(list_tasks)).with_state(ceiling);
        axum::serve(listener, router).await.unwrap();
    });
}
