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
