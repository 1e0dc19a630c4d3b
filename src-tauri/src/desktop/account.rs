//! The account, as the shell does it: signing up and in (with the sign-in's second step, whose
//! challenge stays in this process like every token), the profile, password change and account
//! deletion, setting TOTP up with a QR code, recovery codes saved to a private file, and the reset
//! of a forgotten password.

use authdesk_contract::desktop::{SignInStep, TotpEnrollment};
use authdesk_contract::{
    ChangePasswordRequest, DeleteAccountRequest, ErrorCode, LoginRequest, LoginResponse, MeResponse, MfaDisableRequest,
    MfaVerifyRequest, PasswordConfirmation, PasswordResetConfirm, PasswordResetRequest, RecoveryCodesRequest,
    TotpEnableRequest,
};
use chrono::Utc;
use qrcode::render::svg;
use qrcode::QrCode;

use super::{Desktop, Leftover};
use crate::client::SignIn;
use crate::{files, CommandError, ErrorKind, Result, ServerChoice, Session};

/// What the UI shows when there is no sign-in waiting for a code (or it was refused as expired).
const SIGN_IN_EXPIRED: &str = "Sign-in expired, please sign in again";

/// A password sign-in waiting for its second factor: memory only.
#[derive(Clone)]
pub(crate) struct PendingSignIn {
    mfa_token: String,
    server: ServerChoice,
}

/// The `otpauth://` URL as an SVG QR code: dark modules on white (scanners want that contrast in
/// either theme), with the quiet zone.
fn qr_svg(url: &str) -> Result<String> {
    let code = QrCode::new(url.as_bytes()).map_err(|e| CommandError::local(format!("Cannot draw the QR code: {e}")))?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

impl Desktop {
    /// The stored session if the server still accepts it. `Ok(None)` when there is none or it
    /// has expired (then it is cleared); an unreachable server keeps it, and is an error. In
    /// remote mode the account as last heard answers at once, so the app opens without waiting
    /// for the network: the sync loop checks the session, and signs out if it is refused.
    pub async fn restore_session(&self) -> Result<Option<MeResponse>> {
        if self.keeper().load().is_none() {
            return Ok(None);
        }
        // A replica that cannot be read is no reason not to ask the server.
        if let Ok(Some(replica)) = self.replica().await {
            if let Ok(Some(me)) = replica.me().await {
                return Ok(Some(me));
            }
        }
        match self.me().await {
            Ok(me) => Ok(Some(me)),
            Err(e) if e.is_unauthorized() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Who is signed in. In remote mode the answer is kept, so that the app opens offline with
    /// the profile as last heard.
    pub async fn me(&self) -> Result<MeResponse> {
        let fresh = self.authed(|client, token| async move { client.me(&token).await }).await;
        let Ok(Some(replica)) = self.replica().await else { return fresh };
        match fresh {
            Ok(me) => {
                self.keep_profile(&replica, &me).await?;
                Ok(me)
            }
            Err(e) if e.kind == ErrorKind::Unreachable => replica.me().await?.ok_or(e),
            Err(e) => Err(e),
        }
    }

    /// Changes the password; the server signs out every other session and keeps this one.
    pub async fn change_password(&self, current: String, new: String) -> Result<String> {
        let req = ChangePasswordRequest { current_password: current, new_password: new };
        self.authed(|client, token| {
            let req = req.clone();
            async move { client.change_password(&token, &req).await }
        })
        .await
        .map(|m| m.message)
    }

    /// Deletes the account on the server (the password is checked again), then forgets the
    /// session here.
    pub async fn delete_account(&self, password: String) -> Result<()> {
        let req = DeleteAccountRequest { password };
        self.authed(|client, token| {
            let req = req.clone();
            async move { client.delete_account(&token, &req).await }
        })
        .await?;
        let _turn = self.sessions.turn().await;
        let stopped = self.sync.stop();
        if let Some(session) = self.keeper().load() {
            self.keeper().clear()?;
            self.dispose_replica(stopped, &session, Leftover::Remove).await?;
        }
        Ok(())
    }

    /// Signs in with a password; an account with a second factor is not signed in yet, and the
    /// sign-in's challenge waits here for [`Desktop::verify_second_factor`].
    pub async fn login(&self, email: String, password: String) -> Result<SignInStep> {
        let (server, client) = self.current().await;
        let answer = client.login(&LoginRequest { email: email.clone(), password }).await?;
        self.next_step(answer, email, server).await
    }

    /// Where a sign-in's answer leads: signed in (the session kept), the second factor (its
    /// challenge kept here), or the address's verification.
    pub(super) async fn next_step(&self, answer: SignIn, email: String, server: ServerChoice) -> Result<SignInStep> {
        Ok(match answer {
            SignIn::Granted(answer) => SignInStep::SignedIn { user: self.save_session(*answer, server).await? },
            SignIn::SecondFactor { mfa_token } => {
                *self.pending_sign_in.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(PendingSignIn { mfa_token, server });
                SignInStep::SecondFactor { email }
            }
            SignIn::VerifyEmail => SignInStep::VerifyEmail { email },
        })
    }

    /// Keeps the new session and, in remote mode, opens the account's replica and starts its
    /// sync (changes left waiting by an earlier session of the account go first). The profile
    /// comes with the sign-in's answer; only a server older than that is asked for it.
    pub(crate) async fn save_session(&self, answer: LoginResponse, server: ServerChoice) -> Result<MeResponse> {
        let session = Session::new(answer.access_token, answer.user_id, answer.email, server)
            .with_refresh_token(answer.refresh_token);
        self.keeper().save(&session)?;
        self.sessions.forget_refusal();
        // Signed in either way; a replica that cannot be opened is reported by the task commands.
        let replica = self.replica().await;
        let Some(me) = answer.user else { return self.me().await };
        if let Ok(Some(replica)) = replica {
            self.keep_profile(&replica, &me).await?;
        }
        Ok(me)
    }

    /// Keeps the profile in the replica, unless the replica went meanwhile because its server
    /// turned out to have no change feed (its first pass can find that at once).
    async fn keep_profile(&self, replica: &std::sync::Arc<crate::sync::Replica>, me: &MeResponse) -> Result<()> {
        match replica.set_me(me.clone()).await {
            Err(_) if self.sync.has_no_feed(&replica.owner().server) => Ok(()),
            kept => kept,
        }
    }

    fn take_pending(&self) -> Option<PendingSignIn> {
        self.pending_sign_in.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// Completes the waiting sign-in with a code from the authenticator app or a recovery code. A
    /// wrong code keeps the sign-in waiting ([`ErrorKind::Rejected`]); an expired one ends it
    /// ([`ErrorKind::Unauthorized`], with the server's sentence).
    pub async fn verify_second_factor(&self, code: String, recovery: bool) -> Result<MeResponse> {
        let expired = || CommandError::new(ErrorKind::Unauthorized, SIGN_IN_EXPIRED).with_code(ErrorCode::MfaExpired);
        let (server, client) = self.current().await;
        let pending = self.take_pending().filter(|p| p.server == server).ok_or_else(expired)?;
        let code = code.trim().to_owned();
        let req = MfaVerifyRequest {
            mfa_token: pending.mfa_token.clone(),
            code: (!recovery).then(|| code.clone()),
            recovery_code: recovery.then_some(code),
        };
        match client.verify_second_factor(&req).await {
            Ok(answer) => self.save_session(answer, server).await,
            Err(e) if e.is_unauthorized() => Err(e),
            Err(e) => {
                // Wrong code, too many attempts, offline: the same sign-in can try again.
                let mut slot = self.pending_sign_in.lock().unwrap_or_else(|p| p.into_inner());
                slot.get_or_insert(pending);
                Err(e)
            }
        }
    }

    /// Starts setting up TOTP: the secret, its URL and a QR code of it.
    pub async fn set_up_totp(&self, password: String) -> Result<TotpEnrollment> {
        let req = PasswordConfirmation { password };
        let setup = self
            .authed(|client, token| {
                let req = req.clone();
                async move { client.set_up_totp(&token, &req).await }
            })
            .await?;
        Ok(TotpEnrollment { qr_svg: qr_svg(&setup.otpauth_url)?, secret: setup.secret, otpauth_url: setup.otpauth_url })
    }

    /// Turns TOTP on with the app's first code; the recovery codes, shown this once.
    pub async fn enable_totp(&self, code: String) -> Result<Vec<String>> {
        let req = TotpEnableRequest { code: code.trim().to_owned() };
        self.authed(|client, token| {
            let req = req.clone();
            async move { client.enable_totp(&token, &req).await }
        })
        .await
        .map(|r| r.recovery_codes)
    }

    pub async fn regenerate_recovery_codes(&self, password: String, code: String) -> Result<Vec<String>> {
        let req = RecoveryCodesRequest { password, code: Some(code) };
        self.authed(|client, token| {
            let req = req.clone();
            async move { client.regenerate_recovery_codes(&token, &req).await }
        })
        .await
        .map(|r| r.recovery_codes)
    }

    pub async fn disable_totp(&self, password: String, code: String) -> Result<String> {
        let req = MfaDisableRequest { password, code: code.trim().to_owned() };
        self.authed(|client, token| {
            let req = req.clone();
            async move { client.disable_totp(&token, &req).await }
        })
        .await
        .map(|m| m.message)
    }

    /// Writes the codes to a new file in the Documents folder (else the home folder); see
    /// [`Desktop::save_recovery_codes_in`].
    pub fn save_recovery_codes(&self, codes: Vec<String>) -> Result<String> {
        let dirs = directories::UserDirs::new();
        let dir = dirs
            .as_ref()
            .map(|d| d.document_dir().unwrap_or(d.home_dir()).to_owned())
            .ok_or_else(|| CommandError::local("No Documents or home folder to save to"))?;
        self.save_recovery_codes_in(&dir, codes)
    }

    /// Writes the codes to a new file in `dir`, readable only by this user, never over an existing
    /// file; answers its path.
    pub fn save_recovery_codes_in(&self, dir: &std::path::Path, codes: Vec<String>) -> Result<String> {
        if codes.is_empty() {
            return Err(CommandError::local("There are no recovery codes to save"));
        }
        let account = self.keeper().load().map(|s| format!(" for {}", s.email)).unwrap_or_default();
        let text = format!(
            "authdesk recovery codes{account}\nSaved {}\n\n\
             Each code signs you in once when you cannot use your authenticator app.\n\
             Keep them somewhere safe: generating new codes makes these stop working.\n\n{}\n",
            Utc::now().format("%Y-%m-%d %H:%M UTC"),
            codes.join("\n")
        );
        let path = files::create_private_new(dir, "authdesk-recovery-codes", "txt", text.as_bytes())
            .map_err(|e| CommandError::local(format!("Cannot save the codes in {}: {e}", dir.display())))?;
        Ok(path.display().to_string())
    }

    /// Asks the current server to mail a reset code to `email`; its answer is the same whether or
    /// not an account has that address.
    pub async fn request_password_reset(&self, email: String) -> Result<String> {
        let (_, client) = self.current().await;
        Ok(client.request_password_reset(&PasswordResetRequest { email }).await?.message)
    }

    /// Sets a new password with a reset code; signs nobody in.
    pub async fn confirm_password_reset(&self, email: String, code: String, new_password: String) -> Result<String> {
        let (_, client) = self.current().await;
        let req = PasswordResetConfirm { email, code: code.trim().to_owned(), new_password };
        Ok(client.confirm_password_reset(&req).await?.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_svg_of_the_url() {
        let svg = qr_svg("otpauth://totp/authdesk:ann@example.com?secret=ABC&issuer=authdesk").unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.contains("#000000"), "{svg}");
    }
}
