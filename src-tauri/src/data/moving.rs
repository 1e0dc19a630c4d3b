//! A move from the embedded server to a team server, as it is kept between launches
//! (`<data dir>/move.json`, 0600): the tasks put aside when it started, how many the team server
//! has confirmed, and those it refused. Written whole to a new file and renamed, so a crash
//! leaves the last confirmed state, never half of one.

use std::path::{Path, PathBuf};

use authdesk_contract::desktop::data::MoveProgress;
use authdesk_contract::ImportTask;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Result;

pub const MOVE_FILE: &str = "move.json";
/// Tasks per upload: small enough for a progress bar to move, large enough to be quick.
pub const BATCH: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoveState {
    /// The team server's URL, as the settings hold it.
    pub server: String,
    pub tasks: Vec<ImportTask>,
    /// Tasks confirmed by the server, from the start of `tasks`.
    pub uploaded: usize,
    pub refused: Vec<Uuid>,
}

impl MoveState {
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(MOVE_FILE)
    }

    /// The move under way, if any. A file this version cannot read is reported, not ignored.
    pub fn load(data_dir: &Path) -> Result<Option<Self>> {
        match std::fs::read(Self::path(data_dir)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| authdesk_contract::desktop::CommandError::local(format!("Cannot read {MOVE_FILE}: {e}"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub fn save(&self, data_dir: &Path) -> Result<()> {
        let path = Self::path(data_dir);
        let partial = path.with_extension("json.partial");
        let bytes = serde_json::to_vec(self).expect("a move always serialises");
        crate::files::write_private(&partial, &bytes)?;
        std::fs::rename(&partial, &path)?;
        Ok(())
    }

    pub fn remove(data_dir: &Path) -> Result<()> {
        Ok(crate::files::remove_if_present(&Self::path(data_dir))?)
    }

    /// The next batch to upload (empty when done).
    pub fn next_batch(&self) -> &[ImportTask] {
        let end = (self.uploaded + BATCH).min(self.tasks.len());
        &self.tasks[self.uploaded.min(end)..end]
    }

    pub fn progress(&self) -> MoveProgress {
        let refused = self
            .tasks
            .iter()
            .filter(|t| t.id.is_some_and(|id| self.refused.contains(&id)))
            .map(|t| t.title.clone())
            .collect();
        MoveProgress {
            server: self.server.clone(),
            total: self.tasks.len() as u64,
            uploaded: self.uploaded as u64,
            refused,
            done: self.uploaded >= self.tasks.len(),
        }
    }
}
