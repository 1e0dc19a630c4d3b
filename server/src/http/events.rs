//! `GET /api/tasks/events`: live changes as Server-Sent Events. After every committed task write of
//! the account, on any instance, an event `tasks` with `{"version": n}` (the account's newest
//! change counter; the client pulls the feed as it does anyway: no task data travels here), and a
//! comment every 15 s so proxies keep it open. The stream ends when the token stops being accepted
//! (expired, its session signed out, the account disabled): checked every 15 s.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Extension;
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;
use uuid::Uuid;

use super::error::ApiError;
use super::extract::BearerToken;
use super::state::AppState;

/// Given to every request by [`crate::serve`]: once the server is asked to stop, open streams end,
/// so that a graceful shutdown is not held up by them (their clients reconnect, elsewhere).
#[derive(Clone)]
pub struct ShuttingDown(pub watch::Receiver<bool>);

/// One open stream: what it listens to, and its place under the cap (given back when dropped).
struct Open {
    events: tokio::sync::broadcast::Receiver<crate::store::events::TaskEvent>,
    recheck: tokio::time::Interval,
    state: AppState,
    token: String,
    stop: Option<watch::Receiver<bool>>,
    _place: Place,
}

/// Resolves once the server is stopping (never in process, without a server around it).
async fn stopping(stop: &mut Option<watch::Receiver<bool>>) {
    match stop {
        Some(stop) => {
            let _ = stop.wait_for(|stopping| *stopping).await;
        }
        None => std::future::pending().await,
    }
}

/// Streams one account may hold open on one instance.
pub const MAX_STREAMS_PER_ACCOUNT: usize = 5;

/// The streams open per account on this instance.
#[derive(Clone, Default)]
pub struct EventStreams(Arc<Mutex<HashMap<Uuid, usize>>>);

/// A stream's place under the cap; given back when the stream ends.
struct Place(EventStreams, Uuid);

impl Drop for Place {
    fn drop(&mut self) {
        let mut open = self.0 .0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.1);
            }
        }
    }
}

impl EventStreams {
    fn take(&self, user: Uuid) -> Option<Place> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(user).or_insert(0);
        if *n >= MAX_STREAMS_PER_ACCOUNT {
            return None;
        }
        *n += 1;
        Some(Place(self.clone(), user))
    }
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/tasks/events", operation_id = "task_events", tag = "tasks", security(("bearer" = [])),
    responses(
        (status = 200, description = "text/event-stream: `tasks` events with {\"version\": n} after each write, a comment every 15 s"),
        (status = 401, description = "No, or a refused, token", body = authdesk_contract::ErrorBody),
        (status = 429, description = "Too many streams open for this account", body = authdesk_contract::ErrorBody),
        (status = 503, description = "The database is unavailable", body = authdesk_contract::ErrorBody),
    )
))]
pub async fn events(
    State(state): State<AppState>,
    BearerToken(token): BearerToken,
    shutting_down: Option<Extension<ShuttingDown>>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let (user, _) = state.auth.authenticate(&token).await?;
    let place = state.event_streams.take(user.id).ok_or(ApiError::TooManyRequests {
        noun: "live update streams open",
        retry_after: state.event_recheck,
        lockout: false,
    })?;
    let events = state.store.task_events().await;
    let every = state.event_recheck;
    let mut recheck = tokio::time::interval(every);
    recheck.reset();
    let stop = shutting_down.map(|Extension(ShuttingDown(stop))| stop);
    let open = Open { events, recheck, state, token, stop, _place: place };
    let stream = stream::unfold(Some(open), move |open| async move {
        let mut open = open?;
        loop {
            tokio::select! {
                event = open.events.recv() => match event {
                    Ok(event) if event.owner == user.id => {
                        let data = serde_json::json!({ "version": event.version }).to_string();
                        return Some((Ok(Event::default().event("tasks").data(data)), Some(open)));
                    }
                    Ok(_) => {}
                    // Fell behind: some event of this account may be among those missed.
                    Err(RecvError::Lagged(_)) => {
                        return Some((Ok(Event::default().event("tasks").data("{}")), Some(open)));
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = open.recheck.tick() => {
                    if open.state.auth.authenticate(&open.token).await.is_err() {
                        return None;
                    }
                }
                () = stopping(&mut open.stop) => return None,
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(every)))
}
