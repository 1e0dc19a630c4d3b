//! Joining a server as its registration mode allows: the sign-up (with an invitation code when
//! the server asks for one), and the mailed code that verifies the address and signs in.

use authdesk_contract::desktop::SignInStep;
use authdesk_contract::{RegisterRequest, RegistrationInfo, ResendVerificationRequest, VerifyEmailRequest};

use super::Desktop;
use crate::{CommandError, Result};

impl Desktop {
    /// What the current server's sign-up asks for.
    pub async fn registration_info(&self) -> Result<RegistrationInfo> {
        let (_, client) = self.current().await;
        client.registration_info().await
    }

    /// Creates the account, then signs in with it; on a `verified` server the next step is the
    /// mailed code instead (no sign-in is tried: it would only be told so).
    pub async fn register(
        &self,
        email: String,
        password: String,
        invitation_code: Option<String>,
    ) -> Result<SignInStep> {
        let (_, client) = self.current().await;
        let invitation_code = invitation_code.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
        let req = RegisterRequest { email: email.clone(), password: password.clone(), invitation_code };
        let registered = client.register(&req).await?;
        if registered.verification_required == Some(true) {
            return Ok(SignInStep::VerifyEmail { email: registered.email });
        }
        match self.login(email, password).await? {
            // A new account has no second factor; a server that asks for one anyway gets its answer.
            SignInStep::SecondFactor { .. } => Err(CommandError::rejected("Account created; sign in to continue")),
            step => Ok(step),
        }
    }

    /// Verifies the address with its mailed code, which signs in (or asks for the second factor).
    pub async fn verify_email(&self, email: String, code: String) -> Result<SignInStep> {
        let (server, client) = self.current().await;
        let answer =
            client.verify_email(&VerifyEmailRequest { email: email.clone(), code: code.trim().to_owned() }).await?;
        self.next_step(answer, email, server).await
    }

    /// Asks the server for a new code; its answer is the same for every address.
    pub async fn resend_verification(&self, email: String) -> Result<String> {
        let (_, client) = self.current().await;
        Ok(client.resend_verification(&ResendVerificationRequest { email }).await?.message)
    }
}
