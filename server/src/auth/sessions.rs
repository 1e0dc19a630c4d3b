//! Sessions: opened at login, kept alive by rotating refresh tokens (with reuse detection and a
//! grace window for a client's racing refreshes), ended by sign-out; and the check every
//! authenticated request makes.

use std::future::Future;

use chrono::TimeDelta;
use uuid::Uuid;

use super::audit::{kind, Context};
use super::{refresh, Auth, AuthError, TokenError, VerifiedToken};
use crate::store::{self, AuditEvent, RefreshRecord, Rotation, SessionRecord, StoreResult, UserRecord};

/// Longer client names are cut to this many characters.
const MAX_LABEL_CHARS: usize = 200;

/// What a login or a refresh grants: an access token and the session's next refresh token.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The account as it is after the sign-in or refresh (a sign-in's `last_login_at` is now).
    pub user: UserRecord,
    pub session_id: Uuid,
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until `access_token` expires.
    pub expires_in: u64,
}

fn ttl(d: std::time::Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

impl Auth {
    fn grant(&self, user: &UserRecord, session_id: Uuid, refresh_token: String) -> Grant {
        Grant {
            user: UserRecord { password_hash: String::new(), ..user.clone() },
            session_id,
            access_token: self.tokens.issue(user.id, Some(session_id)),
            refresh_token,
            expires_in: self.tokens.ttl().as_secs(),
        }
    }

    /// Opens a session for `user`, labelled with the client's name, and records the login (storing
    /// `upgraded` as the new hash, when given, and `audit` with the session's id) — unless the
    /// user's stored hash is no longer the one just verified (the password changed, or the account
    /// was deleted, meanwhile): then `None`.
    pub(super) async fn start_session(
        &self,
        user: &UserRecord,
        ctx: &Context,
        upgraded: Option<String>,
        audit: AuditEvent,
    ) -> Result<Option<Grant>, AuthError> {
        let client = &ctx.client;
        let now = store::now();
        let expires_at = now + ttl(self.refresh_token_ttl.min(self.session_max_age));
        let session = SessionRecord {
            id: Uuid::new_v4(),
            user_id: user.id,
            label: client.chars().take(MAX_LABEL_CHARS).collect(),
            created_at: now,
            last_used_at: now,
            expires_at,
            revoked_at: None,
        };
        let (token, token_hash) = refresh::generate();
        let record = RefreshRecord {
            token_hash,
            session_id: session.id,
            created_at: now,
            expires_at,
            spent_at: None,
            successor_hash: None,
            successor_sealed: None,
        };
        let audit = audit.user(user.id, &user.email).session(Some(session.id));
        if !self.store.open_session(&session, &record, &user.password_hash, upgraded, &audit).await? {
            return Ok(None);
        }
        self.notice_sign_in(user, ctx, now);
        let user = UserRecord { last_login_at: Some(now), ..user.clone() };
        Ok(Some(self.grant(&user, session.id, token)))
    }

    /// Trades a refresh token for a new access token and a new refresh token; the old one is
    /// spent. A spent token presented again ends the session, unless it comes within the grace
    /// window after its rotation: then it is a racing twin and gets the same successor.
    pub async fn refresh(&self, presented: &str, ctx: &Context) -> Result<Grant, AuthError> {
        let presented = presented.trim();
        let presented_hash = refresh::hash(presented);
        let mut record = self.store.refresh_token(&presented_hash).await?.ok_or(AuthError::UnknownRefreshToken)?;
        let session = self.store.session(record.session_id).await?.ok_or(AuthError::UnknownRefreshToken)?;
        if session.revoked_at.is_some() {
            return Err(AuthError::SessionSignedOut);
        }
        let now = store::now();
        // However often it is refreshed, a session ends `session_max_age` after sign-in.
        let session_ends = session.created_at + ttl(self.session_max_age);
        if record.expires_at <= now || session_ends <= now {
            return Err(AuthError::RefreshTokenExpired);
        }
        let user = self.store.user_by_id(session.user_id).await?.ok_or(AuthError::UnknownRefreshToken)?;
        if user.disabled_at.is_some() {
            // Disabling ended the session already; this only guards a refresh racing it.
            return Err(AuthError::SessionSignedOut);
        }

        if record.spent_at.is_none() {
            let (successor, successor_hash) = refresh::generate();
            let sealed = refresh::seal(&successor, presented).ok_or(AuthError::UnknownRefreshToken)?;
            let next = RefreshRecord {
                token_hash: successor_hash,
                session_id: session.id,
                created_at: now,
                expires_at: (now + ttl(self.refresh_token_ttl)).min(session_ends),
                spent_at: None,
                successor_hash: None,
                successor_sealed: None,
            };
            let limit = self.refresh_limit.map(|l| (l.max, now - ttl(l.window)));
            match self.store.rotate_refresh(&presented_hash, &next, &sealed, limit, now).await? {
                Rotation::Rotated => return Ok(self.grant(&user, session.id, successor)),
                Rotation::Limited { oldest } => {
                    #[cfg(feature = "metrics")]
                    crate::metrics::limited("refresh");
                    let window = self.refresh_limit.map_or(TimeDelta::zero(), |l| ttl(l.window));
                    let retry_after = (oldest + window - now).to_std().unwrap_or(std::time::Duration::from_secs(1));
                    return Err(AuthError::Limited { noun: "token refreshes", retry_after, lockout: false });
                }
                // Another request rotated it a moment ago: read what it left and treat this as its twin.
                Rotation::AlreadySpent => {
                    record = self.store.refresh_token(&presented_hash).await?.ok_or(AuthError::UnknownRefreshToken)?
                }
            }
        }

        let within_grace = record.spent_at.is_some_and(|spent| now - spent <= ttl(self.refresh_grace));
        if within_grace {
            if let (Some(sealed), Some(successor_hash)) = (&record.successor_sealed, &record.successor_hash) {
                if let Some(successor) =
                    refresh::unseal(sealed, presented).filter(|s| &refresh::hash(s) == successor_hash)
                {
                    let unspent = self.store.refresh_token(successor_hash).await?.is_some_and(|r| r.spent_at.is_none());
                    if unspent {
                        self.store.touch_session(session.id, now).await?;
                        return Ok(self.grant(&user, session.id, successor));
                    }
                }
            }
        }
        // Reuse of a spent token: it was copied. End the session for every holder.
        let reused = ctx.event(kind::REFRESH_REUSE_DETECTED).user(user.id, &user.email).session(Some(session.id));
        self.store.revoke_session(user.id, session.id, now, &reused.failed()).await?;
        tracing::warn!(user_id = %user.id, session_id = %session.id, "refresh token reuse detected; session revoked");
        Err(AuthError::RefreshTokenReused)
    }

    /// Signs out the caller's own session (a session-less token has none to end).
    pub async fn sign_out(&self, user: &UserRecord, session: Option<Uuid>, ctx: &Context) -> Result<(), AuthError> {
        if let Some(id) = session {
            let event = ctx.event(kind::LOGOUT).user(user.id, &user.email).session(Some(id));
            self.store.revoke_session(user.id, id, store::now(), &event).await?;
        }
        Ok(())
    }

    /// Signs out the session a refresh token belongs to, for a client whose access token is gone
    /// (expired, or unknown after a relaunch). Any token of the session the server still knows
    /// names it, current or already rotated: whoever holds one held the session. Ending an ended
    /// (or expired) session again succeeds, as there is nothing left to end.
    pub async fn sign_out_with_refresh_token(&self, presented: &str, ctx: &Context) -> Result<(), AuthError> {
        let hash = refresh::hash(presented.trim());
        let record = self.store.refresh_token(&hash).await?.ok_or(AuthError::UnknownRefreshToken)?;
        let session = self.store.session(record.session_id).await?.ok_or(AuthError::UnknownRefreshToken)?;
        let mut event = ctx.event(kind::LOGOUT).session(Some(session.id));
        event.user_id = Some(session.user_id);
        self.store.revoke_session(session.user_id, session.id, store::now(), &event).await?;
        Ok(())
    }

    /// Signs out one of the user's sessions: its access tokens are refused from now on.
    pub async fn end_session(&self, user: &UserRecord, session: Uuid, ctx: &Context) -> Result<(), AuthError> {
        let event = ctx.event(kind::SESSION_REVOKED).user(user.id, &user.email).session(Some(session));
        if self.store.revoke_session(user.id, session, store::now(), &event).await? {
            Ok(())
        } else {
            Err(AuthError::SessionNotFound)
        }
    }

    /// Signs out every session of the user but `keep` (every one without it), and their older
    /// session-less tokens, atomically; how many sessions were ended.
    pub async fn end_sessions(&self, user: &UserRecord, keep: Option<Uuid>, ctx: &Context) -> Result<u64, AuthError> {
        let kind = if keep.is_some() { kind::LOGOUT_OTHERS } else { kind::LOGOUT_ALL };
        let event = ctx.event(kind).user(user.id, &user.email).session(keep);
        Ok(self.store.revoke_sessions(user.id, keep, store::now(), &event).await?)
    }

    /// The user's live sessions, newest first.
    pub async fn sessions(&self, user: &UserRecord) -> Result<Vec<SessionRecord>, AuthError> {
        Ok(self.store.live_sessions(user.id, store::now()).await?)
    }

    /// The user a bearer token names, and its session (none for the original design's tokens). A
    /// valid signature is not enough: the account may have been deleted since, or the session
    /// signed out; one round trip answers both.
    pub async fn authenticate(&self, token: &str) -> Result<(UserRecord, Option<Uuid>), AuthError> {
        let store = &self.store;
        let lookup = |t: VerifiedToken| async move {
            Ok(store.user_and_session(t.user_id, t.session_id).await?.map(|(user, live)| (user, live, ())))
        };
        let (user, session, ()) = self.authenticate_reading(token, lookup).await?;
        Ok((user, session))
    }

    /// [`Auth::authenticate`] where `lookup` reads, in the same round trip as the user and whether
    /// the token's session is live, what the request wants (the hot read path: one query instead of
    /// two). `lookup` answers `None` when the user does not exist.
    pub async fn authenticate_reading<T, F, Fut>(
        &self,
        token: &str,
        lookup: F,
    ) -> Result<(UserRecord, Option<Uuid>, T), AuthError>
    where
        F: FnOnce(VerifiedToken) -> Fut,
        Fut: Future<Output = StoreResult<Option<(UserRecord, bool, T)>>>,
    {
        let verified = match (self.tokens.verify(token), self.tokens.key_ring()) {
            (Err(TokenError::UnknownKey), Some(ring)) => {
                ring.reload_for_unknown_key().await;
                self.tokens.verify(token)?
            }
            (verified, _) => verified?,
        };
        let (session_id, issued_at) = (verified.session_id, verified.issued_at);
        let (user, session_live, value) = lookup(verified).await?.ok_or(TokenError::Invalid)?;
        let revoked = user.disabled_at.is_some()
            || match session_id {
                Some(_) => !session_live,
                // Session-less tokens (the original design's) live until `exp`, unless the user has
                // since signed out everywhere or changed password.
                // `iat` has whole seconds: a cut-off within a second refuses that whole second (rounded
                // up), or a token minted just before it in the same second would survive it.
                None => user.tokens_not_before.is_some_and(|not_before| {
                    let cutoff = not_before.timestamp() + i64::from(not_before.timestamp_subsec_nanos() > 0);
                    issued_at.unwrap_or(i64::MIN) < cutoff
                }),
            };
        if revoked {
            return Err(TokenError::Revoked.into());
        }
        Ok((user, session_id, value))
    }
}
