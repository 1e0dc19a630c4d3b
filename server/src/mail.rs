//! Outgoing mail (password reset codes) over SMTP with lettre: `smtp://host:port` (plain, for a
//! relay on the same machine), `smtp://host?tls=required` (STARTTLS), or `smtps://user:pass@host`.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Semaphore;

use crate::config::{redact_url, ConfigError};

/// One delivery, connection included: a stalled mail server must not hold a task for ever.
const SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// Deliveries in flight at once; more are dropped (and logged) rather than queued without bound.
const MAX_IN_FLIGHT: usize = 32;

/// A mail server to send through and the sender's address; cheap to clone.
#[derive(Clone, Debug)]
pub struct Mailer {
    /// The URL without its password, for the log.
    server: String,
    /// Codes would cross a network in the clear: `smtp://` to another host without `tls=`.
    plaintext_remote: bool,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    in_flight: Arc<Semaphore>,
}

impl Mailer {
    /// Checks `AUTHDESK_SMTP_URL` and `AUTHDESK_MAIL_FROM` together: mail needs both.
    pub fn new(url: &str, from: &str) -> Result<Self, ConfigError> {
        let invalid_url = || ConfigError::InvalidSmtpUrl(redact_url(url));
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim()).map_err(|_| invalid_url())?;
        let from = from.trim();
        if from.is_empty() {
            return Err(ConfigError::MissingMailFrom);
        }
        let from: Mailbox = from.parse().map_err(|_| ConfigError::InvalidMailFrom(from.to_owned()))?;
        let plaintext_remote = reqwest::Url::parse(url.trim()).is_ok_and(|u| {
            let loopback = matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]" | "::1"));
            u.scheme() == "smtp" && !loopback && !u.query_pairs().any(|(k, _)| k == "tls")
        });
        Ok(Self {
            server: redact_url(url.trim()),
            plaintext_remote,
            transport: builder.timeout(Some(SEND_TIMEOUT)).build(),
            from,
            in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
        })
    }

    /// The mail server's URL, password redacted.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Whether mail to this server crosses a network unencrypted (worth a warning at start).
    pub fn is_plaintext_remote(&self) -> bool {
        self.plaintext_remote
    }

    /// Sends a message in the background: the caller's answer never waits for (or tells anything
    /// about) the delivery. Failures are logged without the body, which holds a code.
    pub fn send_later(&self, to: &str, subject: &str, body: String) {
        let Ok(permit) = self.in_flight.clone().try_acquire_owned() else {
            tracing::warn!("mail not sent: {MAX_IN_FLIGHT} deliveries already in flight");
            return;
        };
        let message = match to.parse::<Mailbox>().map_err(|e| e.to_string()).and_then(|to| {
            Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body)
                .map_err(|e| e.to_string())
        }) {
            Ok(message) => message,
            Err(reason) => {
                tracing::warn!(%reason, "mail not sent: the message could not be built");
                return;
            }
        };
        let transport = self.transport.clone();
        tokio::spawn(async move {
            let _permit = permit;
            match tokio::time::timeout(SEND_TIMEOUT * 2, transport.send(message)).await {
                Ok(Ok(_)) => tracing::info!("mail sent"),
                Ok(Err(e)) => tracing::warn!(error = %e, "mail not sent"),
                Err(_) => tracing::warn!("mail not sent: the mail server did not answer in time"),
            }
        });
    }
}
