//! Outgoing mail (password reset codes) over SMTP with lettre, to the server and from the sender
//! of `MailSettings`. A build without the `smtp` feature has no mailer: its settings are refused
//! when read ([`crate::config::MailSettings::new`]), so `Option<Mailer>` is always `None` there.

#[cfg(feature = "smtp")]
mod smtp;
#[cfg(feature = "smtp")]
pub use smtp::Mailer;

/// No mailer can exist in a build without SMTP.
#[cfg(not(feature = "smtp"))]
#[derive(Clone, Debug)]
pub enum Mailer {}

#[cfg(not(feature = "smtp"))]
impl Mailer {
    pub fn new(_: &crate::config::MailSettings) -> Result<Self, crate::config::ConfigError> {
        Err(crate::config::ConfigError::NotBuiltIn("mail (AUTHDESK_SMTP_URL)"))
    }

    pub fn send_later(&self, _to: &str, _subject: &str, _body: String) {
        match *self {}
    }
}
