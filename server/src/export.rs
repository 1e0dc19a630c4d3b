//! An account's export: everything it has on the server, as the file its owner keeps. The tasks
//! are read and written a page at a time, so an account with 100,000 of them costs the server a
//! page of memory, not the whole list; the rest (the account, its sessions, its own audit events)
//! is small and written first.

use authdesk_contract::{ExportedAccount, ExportedSession, ExportedTask, EXPORT_FORMAT, EXPORT_VERSION};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::{self, Stream};
use uuid::Uuid;

use crate::admin::audit_view;
use crate::rate_limit::{self, LimitError, RateLimit, EXPORTS_BY_ACCOUNT};
use crate::store::{AuditFilter, Store, StoreError, UserRecord};

/// Tasks read and written at a time.
const PAGE: i64 = 1_000;
/// The newest of the account's own audit events that an export carries.
const AUDIT_EVENTS: i64 = 10_000;

/// The export's file name for the day it is made.
pub fn file_name(at: DateTime<Utc>) -> String {
    format!("authdesk-export-{}.json", at.format("%Y-%m-%d"))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("export values serialise")
}

/// Everything but the tasks, as the start of the JSON object, up to `"tasks": [`.
pub async fn head(store: &Store, user: &UserRecord, at: DateTime<Utc>) -> Result<String, StoreError> {
    let (mfa_enabled, _) = store.mfa_status(user.id).await?;
    let account = ExportedAccount {
        id: user.id,
        email: user.email.clone(),
        created_at: user.created_at,
        email_verified: user.email_verified_at.is_some(),
        mfa_enabled,
    };
    let sessions: Vec<ExportedSession> = store
        .live_sessions(user.id, at)
        .await?
        .into_iter()
        .map(|s| ExportedSession {
            id: s.id,
            label: s.label,
            created_at: s.created_at,
            last_used_at: s.last_used_at,
            expires_at: s.expires_at,
        })
        .collect();
    let filter = AuditFilter { user_id: Some(user.id), limit: AUDIT_EVENTS, ..Default::default() };
    let events: Vec<_> = store.audit_events(&filter).await?.into_iter().map(audit_view).collect();
    Ok(format!(
        "{{\"format\":{},\"version\":{EXPORT_VERSION},\"exported_at\":{},\"account\":{},\"sessions\":{},\"audit_events\":{},\"tasks\":[",
        json(&EXPORT_FORMAT),
        json(&at),
        json(&account),
        json(&sessions),
        json(&events),
    ))
}

/// The tasks, page after page, then the end of the object. A failure part-way ends the stream
/// with an error (the client sees a cut-off body, never a file that looks whole).
pub fn tasks(store: Store, owner: Uuid) -> impl Stream<Item = Result<Bytes, StoreError>> + Send {
    struct At {
        after: Option<(DateTime<Utc>, Uuid)>,
        first: bool,
        done: bool,
    }
    stream::unfold(At { after: None, first: true, done: false }, move |mut at| {
        let store = store.clone();
        async move {
            if at.done {
                return None;
            }
            let page = match store.tasks_page(owner, at.after, PAGE).await {
                Ok(page) => page,
                Err(e) => {
                    at.done = true;
                    return Some((Err(e), at));
                }
            };
            let mut chunk = String::new();
            for task in &page {
                if !at.first {
                    chunk.push(',');
                }
                at.first = false;
                let exported = ExportedTask {
                    id: task.id,
                    title: task.title.clone(),
                    completed: task.completed,
                    created_at: task.created_at,
                    updated_at: task.updated_at,
                };
                chunk.push_str(&json(&exported));
            }
            at.after = page.last().map(|t| (t.created_at, t.id));
            if (page.len() as i64) < PAGE {
                chunk.push_str("]}");
                at.done = true;
            }
            Some((Ok(Bytes::from(chunk)), at))
        }
    })
}

/// Counts an export against the account's limit (each reads every task the account has).
pub async fn admit(store: &Store, user: Uuid, limit: Option<RateLimit>) -> Result<(), LimitError> {
    match limit {
        Some(limit) => rate_limit::admit(store, EXPORTS_BY_ACCOUNT, &user.to_string(), limit).await,
        None => Ok(()),
    }
}
