//! Moving from the embedded server to a team server: the tasks of the account signed in here are
//! put aside ([`MoveState`]), the app switches to the team server (the local database stays as
//! it is), the user signs in or registers there by that server's rules, and the tasks go up in
//! batches with their ids: a move cut off anywhere (network, app closed) resumes where the server
//! last confirmed, and a batch sent twice creates nothing twice.

use authdesk_contract::desktop::data::MoveProgress;
use authdesk_contract::desktop::{CommandError, ServerChoice, SettingsSaved};
use authdesk_contract::{ImportRequest, ImportTask};

use super::Desktop;
use crate::client::DATABASE_FILE;
use crate::data::moving::MoveState;
use crate::{settings, Result};

fn no_move() -> CommandError {
    CommandError::rejected("No move to a team server is under way.")
}

impl Desktop {
    /// Starts the move to the server at `url`, from the embedded server, signed in.
    pub async fn start_move(&self, url: String) -> Result<SettingsSaved> {
        if self.settings().await != ServerChoice::Embedded {
            return Err(CommandError::rejected("A move starts from the embedded server."));
        }
        let ServerChoice::Remote { url } = settings::validated(ServerChoice::Remote { url })? else {
            return Err(CommandError::rejected("Enter the team server's address."));
        };
        if let Some(under_way) = MoveState::load(&self.data_dir)?.filter(|m| !m.progress().done) {
            return Err(CommandError::rejected(format!("A move to {} is under way.", under_way.server)));
        }
        // Nothing changes unless the team server answers.
        let target = ServerChoice::Remote { url: url.clone() };
        self.test_connection(Some(target.clone())).await?;
        let tasks = self
            .list_tasks()
            .await?
            .into_iter()
            .map(|t| ImportTask {
                id: Some(t.id),
                title: t.title,
                completed: Some(t.completed),
                created_at: Some(t.created_at),
            })
            .collect();
        MoveState { server: url, tasks, uploaded: 0, refused: Vec::new() }.save(&self.data_dir)?;
        self.set_settings(target).await
    }

    /// The move under way to the current server, if any.
    pub async fn move_progress(&self) -> Result<Option<MoveProgress>> {
        Ok(MoveState::load(&self.data_dir)?.map(|m| m.progress()))
    }

    /// Uploads the next batch to the current server (which must be the move's, signed in).
    pub async fn continue_move(&self) -> Result<MoveProgress> {
        let mut state = MoveState::load(&self.data_dir)?.ok_or_else(no_move)?;
        if self.settings().await != (ServerChoice::Remote { url: state.server.clone() }) {
            return Err(CommandError::rejected(format!("Switch to {} to go on with the move.", state.server)));
        }
        let batch = state.next_batch().to_vec();
        if batch.is_empty() {
            return Ok(state.progress());
        }
        let req = ImportRequest { tasks: batch };
        let result = self
            .authed(|client, token| {
                let req = req.clone();
                async move { client.import_tasks(&token, &req).await }
            })
            .await?;
        state.uploaded += req.tasks.len();
        for id in result.conflicts {
            if !state.refused.contains(&id) {
                state.refused.push(id);
            }
        }
        state.save(&self.data_dir)?;
        // The replica pulls what arrived.
        self.sync.kick();
        Ok(state.progress())
    }

    /// Forgets the move; with `remove_local`, once it is done and the app is on the team server,
    /// the embedded database too (its backups stay in their folder until removed by hand).
    pub async fn finish_move(&self, remove_local: bool) -> Result<()> {
        let state = MoveState::load(&self.data_dir)?.ok_or_else(no_move)?;
        if remove_local {
            if !state.progress().done || self.settings().await == ServerChoice::Embedded {
                return Err(CommandError::rejected("The local database stays until the move is done."));
            }
            crate::files::remove_database(&self.data_dir.join(DATABASE_FILE))?;
        }
        MoveState::remove(&self.data_dir)
    }
}
