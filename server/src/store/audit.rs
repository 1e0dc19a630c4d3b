//! The audit log: one row per thing that happened to an account, written in the transaction of
//! the change it records (or alone, for what changes nothing: a failed sign-in).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use authdesk_contract::text::{sanitized, MAX_FREE_TEXT};
use authdesk_contract::MAX_EMAIL_LEN;

use super::sql::{args, Conn, Row};
use super::{Store, StoreResult};

/// One event. `details` is a JSON object; nothing secret (passwords, codes, tokens) ever goes in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditEvent {
    /// Assigned by the database; increasing (a cursor).
    pub id: i64,
    pub at: DateTime<Utc>,
    /// `login_succeeded`, `admin_user_disabled`, … (see `auth::audit`).
    pub kind: String,
    /// `success` or `failure`.
    pub outcome: String,
    pub user_id: Option<Uuid>,
    /// The address as typed, normalised (also for unknown accounts).
    pub email: Option<String>,
    pub client_ip: Option<String>,
    /// The user agent or the client's name.
    pub client: Option<String>,
    pub session_id: Option<Uuid>,
    pub request_id: Option<String>,
    /// The administrator who did it, for admin actions.
    pub actor_id: Option<Uuid>,
    pub details: Option<String>,
}

/// What to list: newest first, before `before` (a cursor: an event id).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user_id: Option<Uuid>,
    pub kind: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub before: Option<i64>,
    pub limit: i64,
}

fn opt_uuid(row: &Row, i: usize) -> StoreResult<Option<Uuid>> {
    if row.is_null(i)? {
        Ok(None)
    } else {
        row.uuid(i).map(Some)
    }
}

fn event(row: &Row) -> StoreResult<AuditEvent> {
    Ok(AuditEvent {
        id: row.int(0)?,
        at: row.time(1)?,
        kind: row.text(2)?,
        outcome: row.text(3)?,
        user_id: opt_uuid(row, 4)?,
        email: row.opt_text(5)?,
        client_ip: row.opt_text(6)?,
        client: row.opt_text(7)?,
        session_id: opt_uuid(row, 8)?,
        request_id: row.opt_text(9)?,
        actor_id: opt_uuid(row, 10)?,
        details: row.opt_text(11)?,
    })
}

/// Records `e` inside the caller's transaction.
/// Records `e` when a write changed something (`changed` rows), inside its transaction; whether
/// it did. For writes whose "nothing to do" is an answer, not an event.
pub(super) async fn record_if_changed(tx: &mut Conn<'_>, changed: u64, e: &AuditEvent) -> StoreResult<bool> {
    if changed == 0 {
        return Ok(false);
    }
    record(tx, e).await?;
    Ok(true)
}

pub(super) async fn record(tx: &mut Conn<'_>, e: &AuditEvent) -> StoreResult<()> {
    // Counted as written: a transaction that then fails is counted too, which a rate cannot see.
    #[cfg(feature = "metrics")]
    crate::metrics::auth_event(&e.kind, &e.outcome);
    let sql = "INSERT INTO audit_events
                   (at, type, outcome, user_id, email, client_ip, client, session_id, request_id, actor_id, details)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    // Free text a client chose is kept plain and bounded, whatever path it came by.
    let free = |text: &Option<String>, max: usize| text.as_deref().map(|t| sanitized(t, max));
    let params = args![
        e.at,
        &e.kind,
        &e.outcome,
        e.user_id,
        free(&e.email, MAX_EMAIL_LEN),
        e.client_ip.clone(),
        free(&e.client, MAX_FREE_TEXT),
        e.session_id,
        free(&e.request_id, MAX_FREE_TEXT),
        e.actor_id,
        e.details.clone()
    ];
    tx.execute(sql, params).await.map(drop)
}

impl Store {
    /// Records an event that goes with no other change.
    pub async fn record_audit(&self, e: &AuditEvent) -> StoreResult<()> {
        let e = e.clone();
        self.transaction(move |tx| Box::pin(async move { record(tx, &e).await })).await
    }

    /// Events matching `f`, newest first.
    pub async fn audit_events(&self, f: &AuditFilter) -> StoreResult<Vec<AuditEvent>> {
        let sql = "SELECT id, at, type, outcome, user_id, email, client_ip, client, session_id, request_id, actor_id,
                          details
                   FROM audit_events
                   WHERE (user_id = $1 OR $1 IS NULL) AND (type = $2 OR $2 IS NULL)
                     AND (at >= $3 OR $3 IS NULL) AND (id < $4 OR $4 IS NULL)
                   ORDER BY id DESC LIMIT $5";
        self.query(sql, args![f.user_id, f.kind.clone(), f.since, f.before, f.limit], event).await
    }

    /// Forgets events older than `before` (the retention).
    pub async fn prune_audit(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.execute("DELETE FROM audit_events WHERE at < $1", args![before]).await
    }
}

impl AuditEvent {
    /// The account the event is about.
    pub fn user(mut self, id: Uuid, email: &str) -> Self {
        self.user_id = Some(id);
        self.email = Some(email.to_owned());
        self
    }

    /// The address a request named, when no account (or not yet one) is known.
    pub fn email(mut self, email: &str) -> Self {
        self.email = Some(email.to_owned());
        self
    }

    pub fn session(mut self, id: Option<Uuid>) -> Self {
        self.session_id = id;
        self
    }

    pub fn actor(mut self, id: Uuid) -> Self {
        self.actor_id = Some(id);
        self
    }

    pub fn failed(mut self) -> Self {
        self.outcome = "failure".into();
        self
    }

    /// Extra facts, as a JSON object.
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details.to_string());
        self
    }
}
