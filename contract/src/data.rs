//! Your data: tasks imported in bulk (an authdesk export's, or another app's), and the export.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most tasks one import request may carry; more is 413.
pub const MAX_IMPORT_TASKS: usize = 10_000;
/// The import route's body limit (every other route's is 64 KiB).
pub const IMPORT_BODY_BYTES: usize = 4 * 1024 * 1024;

/// One task to import. Without an id it is always new; with one, a retry of the same content is
/// harmless and other content under that id is a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportTask {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
    /// Kept as it was (an import moves tasks; it does not make them new).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

impl ImportTask {
    /// Whether `task` already reads as this one: an import of it changes nothing. The same id
    /// with other content is a conflict.
    pub fn matches(&self, task: &crate::Task) -> bool {
        self.title == task.title && self.completed.unwrap_or(false) == task.completed
    }
}

/// `POST /api/tasks/import`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRequest {
    pub tasks: Vec<ImportTask>,
}

/// What an import did: tasks created, tasks already there as given, and the ids it did not touch
/// (another content under that id, or an id another account holds).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    pub created: u64,
    pub unchanged: u64,
    pub conflicts: Vec<Uuid>,
}

/// What `GET /api/account/export` answers is an [`AccountExport`] of this format.
pub const EXPORT_FORMAT: &str = "authdesk-export";
pub const EXPORT_VERSION: u32 = 1;

/// Everything an account has on a server, as a file its owner keeps: never a password hash, a
/// second-factor secret, a recovery code or a token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountExport {
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub account: ExportedAccount,
    pub tasks: Vec<ExportedTask>,
    pub sessions: Vec<ExportedSession>,
    pub audit_events: Vec<crate::AuditEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedAccount {
    pub id: Uuid,
    pub email: String,
    pub created_at: DateTime<Utc>,
    pub email_verified: bool,
    pub mfa_enabled: bool,
}

/// A live task, as an import takes it back (`id`, `title`, `completed`, `created_at`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedTask {
    pub id: Uuid,
    pub title: String,
    pub completed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedSession {
    pub id: Uuid,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}
