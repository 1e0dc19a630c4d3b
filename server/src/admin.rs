//! `authdesk-server admin …`: what the person with access to the machine or the database can do
//! without the HTTP API (a server without mail, the desktop app's own database).

use authdesk_contract::validate_email;

use crate::auth::reset;
use crate::config::{DatabaseUrl, DEFAULT_DATABASE_TIMEOUT};
use crate::store::{self, Store};

/// How long a code from the command works: as long as a mailed one by default.
pub const RESET_CODE_TTL: std::time::Duration = std::time::Duration::from_secs(30 * 60);

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("cannot open the database {0}: {1}")]
    Database(String, store::StoreError),
    #[error("no account has the address {0}")]
    NoSuchAccount(String),
    #[error("database error: {0}")]
    Store(#[from] store::StoreError),
}

/// A new password reset code for the account with `email` (replacing any earlier one), and the
/// account's address as stored.
pub async fn reset_code(url: &DatabaseUrl, email: &str) -> Result<(String, String), AdminError> {
    let store =
        Store::open(url, DEFAULT_DATABASE_TIMEOUT).await.map_err(|e| AdminError::Database(url.to_string(), e))?;
    let normalized = validate_email(email).unwrap_or_else(|_| email.trim().to_lowercase());
    let user = store.user_by_email(&normalized).await?.ok_or(AdminError::NoSuchAccount(normalized))?;
    // `issue_code` declines only for a code requested later than now, which cannot exist.
    let code = reset::issue_code(&store, user.id, store::now(), RESET_CODE_TTL)
        .await?
        .ok_or_else(|| AdminError::Store(store::StoreError::Other("a newer reset code is in place".into())))?;
    Ok((user.email, code))
}
