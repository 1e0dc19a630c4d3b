//! Your data on the server: the account's export and the import of tasks in bulk.

use std::time::Duration;

use authdesk_contract::{ImportRequest, ImportResult};
use axum::http::Method;

use super::transport::{error_from, read, Limits};
use super::Client;
use crate::Result;

/// An export of 100,000 tasks with their history is about 30 MiB.
const MAX_EXPORT_BYTES: usize = 128 * 1024 * 1024;
const EXPORT_TIMEOUT: Duration = Duration::from_secs(120);
/// An import of 10,000 tasks on PostgreSQL takes about two seconds (BENCHMARKS.md).
const IMPORT_TIMEOUT: Duration = Duration::from_secs(60);

impl Client {
    /// `GET /api/account/export`, as the server wrote it (kept byte for byte in the file).
    pub async fn export_account(&self, token: &str) -> Result<Vec<u8>> {
        let limits = Limits { timeout: EXPORT_TIMEOUT, max_bytes: MAX_EXPORT_BYTES };
        let answer =
            self.send_within(Method::GET, "/api/account/export", Some(token), None::<&()>, limits, None).await?;
        if !answer.status.is_success() {
            return Err(error_from(&answer));
        }
        Ok(answer.body)
    }

    /// `POST /api/tasks/import`: tasks with ids are safe to send again.
    pub async fn import_tasks(&self, token: &str, req: &ImportRequest) -> Result<ImportResult> {
        let limits = Limits { timeout: IMPORT_TIMEOUT, max_bytes: super::transport::MAX_RESPONSE_BYTES };
        read(self.send_within(Method::POST, "/api/tasks/import", Some(token), Some(req), limits, None).await?)
    }
}
