//! The account's sessions: listing and ending them, and signing out — the session ends on the
//! server (or is shown to be over already), then here; in remote mode what waits is sent first,
//! and the replica goes with the session.

use authdesk_contract::desktop::{ErrorKind, ServerChoice, SignedOut};
use chrono::Utc;

use authdesk_contract::{ErrorCode, SessionInfo};
use uuid::Uuid;

use super::{connect, Desktop, Leftover};
use crate::{client, Client, Result, Session};

impl Desktop {
    /// The account's sessions on the server, this one marked `current`.
    pub async fn list_sessions(&self) -> Result<Vec<SessionInfo>> {
        self.authed(|client, token| async move { client.list_sessions(&token).await }).await
    }

    pub async fn revoke_session(&self, id: Uuid) -> Result<()> {
        self.authed(|client, token| async move { client.revoke_session(&token, id).await }).await
    }

    /// Signs out every session of the account but this one, atomically on the server; returns
    /// how many were ended.
    pub async fn sign_out_others(&self) -> Result<usize> {
        match self.authed(|client, token| async move { client.revoke_other_sessions(&token).await }).await {
            Ok(answer) => Ok(usize::try_from(answer.revoked).unwrap_or(usize::MAX)),
            // A server older than that request: one session at a time.
            Err(e) if e.is(ErrorCode::MethodNotAllowed) => self.sign_out_others_one_by_one().await,
            Err(e) => Err(e),
        }
    }

    async fn sign_out_others_one_by_one(&self) -> Result<usize> {
        let others: Vec<Uuid> = self.list_sessions().await?.into_iter().filter(|s| !s.current).map(|s| s.id).collect();
        let mut ended = 0;
        for id in others {
            match self.revoke_session(id).await {
                Ok(()) => ended += 1,
                // Gone meanwhile (expired or revoked elsewhere): nothing left to do.
                Err(e) if e.is(ErrorCode::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(ended)
    }

    /// Ends the session on the server, then forgets it here. Signing out never fails for want of
    /// the server: the session is forgotten locally either way, and the answer says whether the
    /// server ended it. In remote mode the waiting changes are sent first; if some cannot be,
    /// nothing happens ([`ErrorKind::ChangesWaiting`]) unless `discard_waiting`. This computer's
    /// copy of the account's tasks goes with the session.
    pub async fn logout(&self, discard_waiting: bool) -> Result<SignedOut> {
        if !discard_waiting {
            self.send_waiting_before_sign_out().await?;
        }
        let (server, client) = self.current().await;
        let signed_out = self.sign_out(&server, &client, Leftover::Remove).await?;
        Ok(signed_out.unwrap_or(SignedOut { ended_on_server: true }))
    }

    /// [`Desktop::logout`] from `server` (the current one, or the one being left); `None` when
    /// there was no session. The sync stops; its replica goes or stays as `leftover` says.
    pub(crate) async fn sign_out(
        &self,
        server: &ServerChoice,
        client: &Client,
        leftover: Leftover,
    ) -> Result<Option<SignedOut>> {
        let _turn = self.sessions.turn().await;
        let Some(session) = self.keeper().load() else { return Ok(None) };
        // First, so that no pass races the session's end.
        let stopped = self.sync.stop();
        let ended_on_server = if session.server == *server {
            end_on_server(client, &session).await
        } else {
            // Issued by a server the settings no longer name (changed outside the app): end it there.
            match connect(&self.data_dir, &session.server).await {
                Ok((issuer, _)) => end_on_server(&issuer, &session).await,
                Err(_) => false,
            }
        };
        self.keeper().clear()?;
        self.sessions.forget_refusal();
        self.dispose_replica(stopped, &session, leftover).await?;
        Ok(Some(SignedOut { ended_on_server }))
    }
}

/// Ends `session` on the server behind `client`: with its access token while that is valid, else
/// (expired, unknown after a relaunch, or refused) with its refresh token. `true` when the server
/// confirmed, or showed the session is over already; `false` when it could not be reached or
/// refused both for other reasons.
async fn end_on_server(client: &Client, session: &Session) -> bool {
    if !session.is_expired(Utc::now()) {
        match client.logout(&session.token).await {
            Ok(()) => return true,
            // No answer: the refresh token would get none either.
            Err(e) if e.kind == ErrorKind::Unreachable => return false,
            // The original design's servers issue no refresh token: a refused token is dead.
            Err(e) if session.refresh_token.is_none() => return e.is_unauthorized(),
            Err(_) => {}
        }
    }
    match session.refresh_token.as_deref() {
        Some(refresh_token) => match client.logout_with_refresh_token(refresh_token).await {
            Ok(()) => true,
            Err(e) => client::is_unknown_refresh_token(&e),
        },
        // An expired access token without a refresh token has nothing left to end.
        None => true,
    }
}
