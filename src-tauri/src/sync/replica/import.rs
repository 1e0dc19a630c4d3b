//! An import in remote mode: each task not here yet enters the outbox as a creation, like one
//! typed in, so an import made offline goes out with the next sync. The engine sends the imported
//! creations at the outbox's head together, through the server's import (which keeps their
//! creation times); a task the server refuses there is dropped like any refused change.

use std::sync::Arc;

use authdesk_contract::ImportTask;
use chrono::Utc;
use rusqlite::{params, TransactionBehavior};
use uuid::Uuid;

use super::sql::{drop_entry, enqueue, from_json, parse_id, view};
use super::{failed, OutboxEntry, Queued, Replica};
use crate::Result;

/// What an import into the replica did: (queued, already here, conflicting with a task here).
pub type Imported = (u64, u64, u64);

impl Replica {
    /// Queues every task of `tasks` not here yet, in one transaction.
    pub async fn import(self: &Arc<Self>, tasks: Vec<ImportTask>) -> Result<Imported> {
        self.try_with(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate).map_err(failed)?;
            let current = view(&tx, None).map_err(failed)?;
            let now = Utc::now();
            let (mut queued, mut unchanged, mut conflicts) = (0, 0, 0);
            for task in tasks {
                let id = task.id.unwrap_or_else(Uuid::new_v4);
                match current.get(&id) {
                    Some(here) if task.matches(here) => unchanged += 1,
                    Some(_) => conflicts += 1,
                    None => {
                        let at = task.created_at.unwrap_or(now);
                        let completed = task.completed.unwrap_or(false);
                        enqueue(&tx, id, &OutboxEntry::Create { title: task.title, completed, at, imported: true })?;
                        queued += 1;
                    }
                }
            }
            tx.commit().map_err(failed)?;
            Ok((queued, unchanged, conflicts))
        })
        .await
    }

    /// The imported creations at the head of the outbox, oldest first, at most `limit`.
    pub async fn head_imports(self: &Arc<Self>, limit: usize) -> Result<Vec<Queued>> {
        self.with(move |db| {
            let mut select = db.prepare_cached("SELECT seq, task_id, change FROM outbox ORDER BY seq LIMIT ?1")?;
            let rows = select.query_map(params![limit as i64], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })?;
            let mut head = Vec::new();
            for row in rows {
                let (seq, id, change) = row?;
                let entry: OutboxEntry = from_json(&change)?;
                if !matches!(entry, OutboxEntry::Create { imported: true, .. }) {
                    break;
                }
                head.push(Queued { seq, task_id: parse_id(&id)?, entry });
            }
            Ok(head)
        })
        .await
    }

    /// The server has (or refused for good) the changes `seqs`: dropped in one transaction; the
    /// feed brings the tasks.
    pub async fn confirm_all(self: &Arc<Self>, seqs: Vec<i64>) -> Result<()> {
        self.with(move |db| {
            let tx = db.transaction()?;
            for seq in seqs {
                drop_entry(&tx, seq)?;
            }
            tx.commit()
        })
        .await
    }
}
