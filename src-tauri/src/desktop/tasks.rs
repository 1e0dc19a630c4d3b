//! The task commands. In remote mode they read and change this computer's replica, which the
//! sync loop keeps in step with the server (see [`crate::sync`]); against the embedded server
//! they call it directly, as it is on this computer anyway.

use std::sync::Arc;

use authdesk_contract::{CreateTaskRequest, Task, UpdateTaskRequest};
use uuid::Uuid;

use super::Desktop;
use crate::sync::Replica;
use crate::Result;

impl Desktop {
    /// The replica the task commands use: `None` in embedded mode or for a server without the
    /// change feed (then they ask the server). A new replica has nothing in it yet: its first
    /// pass is waited for, and a failure (offline) is said rather than shown as no tasks.
    async fn filled_replica(&self) -> Result<Option<Arc<Replica>>> {
        let Some(replica) = self.replica().await? else { return Ok(None) };
        let filled = match replica.cursor().await {
            Ok(Some(_)) => Ok(()),
            Ok(None) => self.sync.pass(&replica).await,
            Err(e) => Err(e),
        };
        match filled {
            Ok(()) => Ok(Some(replica)),
            // Found just now (by this pass or the loop's, which then removes the replica).
            Err(_) if self.sync.has_no_feed(&replica.owner().server) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn list_tasks(&self) -> Result<Vec<Task>> {
        match self.filled_replica().await? {
            Some(replica) => replica.tasks().await,
            None => self.authed(|client, token| async move { client.list_tasks(&token).await }).await,
        }
    }

    pub async fn create_task(&self, title: String) -> Result<Task> {
        // Nothing to look up first: a new task is queued even before the replica was ever filled.
        let Some(replica) = self.replica().await? else {
            let req = CreateTaskRequest { id: None, title, completed: None };
            return self
                .authed(|client, token| {
                    let req = req.clone();
                    async move { client.create_task(&token, &req).await }
                })
                .await;
        };
        let task = match replica.create(&title).await {
            // The loop found the server has no feed and removed the replica meanwhile.
            Err(_) if self.sync.has_no_feed(&replica.owner().server) => return Box::pin(self.create_task(title)).await,
            created => created?,
        };
        self.changed_here(&replica).await?;
        Ok(task)
    }

    pub async fn update_task(&self, id: Uuid, changes: UpdateTaskRequest) -> Result<Task> {
        let Some(replica) = self.filled_replica().await? else {
            return self
                .authed(|client, token| {
                    let changes = changes.clone();
                    async move { client.update_task(&token, id, &changes).await }
                })
                .await;
        };
        let task = replica.update(id, changes).await?;
        self.changed_here(&replica).await?;
        Ok(task)
    }

    pub async fn delete_task(&self, id: Uuid) -> Result<()> {
        let Some(replica) = self.filled_replica().await? else {
            return self.authed(|client, token| async move { client.delete_task(&token, id).await }).await;
        };
        replica.delete(id).await?;
        self.changed_here(&replica).await
    }
}
