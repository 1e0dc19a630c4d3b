//! Signing out: the session ends on the server (or is shown to be over already), then here; in
//! remote mode what waits is sent first, and the replica goes with the session.

use authdesk_contract::desktop::{ErrorKind, ServerChoice, SignedOut};
use chrono::Utc;

use crate::{client, connect, sync, Client, Desktop, Result, Session};

impl Desktop {
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
        let signed_out = self.sign_out(&server, &client, sync::Leftover::Remove).await?;
        Ok(signed_out.unwrap_or(SignedOut { ended_on_server: true }))
    }

    /// [`Desktop::logout`] from `server` (the current one, or the one being left); `None` when
    /// there was no session. The sync stops; its replica goes or stays as `leftover` says.
    pub(crate) async fn sign_out(
        &self,
        server: &ServerChoice,
        client: &Client,
        leftover: sync::Leftover,
    ) -> Result<Option<SignedOut>> {
        let _turn = self.session_change.lock().await;
        let Some(session) = self.session.load() else { return Ok(None) };
        // First, so that no pass races the session's end.
        let stopped = self.sync.stop();
        let ended_on_server = if session.server == *server {
            end_on_server(client, &session).await
        } else {
            // Issued by a server the settings no longer name (changed outside the app): end it there.
            match connect(&self.data_dir, &session.server).await {
                Ok(issuer) => end_on_server(&issuer, &session).await,
                Err(_) => false,
            }
        };
        self.session.clear()?;
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
