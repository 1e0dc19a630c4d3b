//! The mailer over SMTP (lettre).

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Semaphore;

use crate::config::{ConfigError, MailSettings};

/// One delivery, connection included: a stalled mail server must not hold a task for ever.
const SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// Deliveries in flight at once; more are dropped (and logged) rather than queued without bound.
const MAX_IN_FLIGHT: usize = 32;

/// A mail server to send through and the sender's address; cheap to clone.
#[derive(Clone, Debug)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    in_flight: Arc<Semaphore>,
}

impl Mailer {
    /// The mailer for checked settings (the checks are [`MailSettings::new`]'s).
    pub fn new(settings: &MailSettings) -> Result<Self, ConfigError> {
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(settings.url())
            .map_err(|_| ConfigError::InvalidSmtpUrl(settings.server()))?;
        let from: Mailbox =
            settings.from().parse().map_err(|_| ConfigError::InvalidMailFrom(settings.from().to_owned()))?;
        Ok(Self {
            transport: builder.timeout(Some(SEND_TIMEOUT)).build(),
            from,
            in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
        })
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
