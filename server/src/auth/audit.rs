//! What the auth flows record in the audit log, and where a request came from.

use crate::store::{self, AuditEvent};

/// Where a request came from: the HTTP layer fills it in for every flow.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The client's address (see `http::extract::client_ip`).
    pub client_ip: Option<String>,
    /// The client's name (`X-Client-Name`) or user agent: a new session's label.
    pub client: String,
    pub request_id: Option<String>,
}

impl Context {
    /// A successful event of `kind`, now, from this request.
    pub fn event(&self, kind: &str) -> AuditEvent {
        AuditEvent {
            at: store::now(),
            kind: kind.to_owned(),
            outcome: "success".into(),
            client_ip: self.client_ip.clone(),
            client: Some(self.client.clone()).filter(|c| !c.is_empty()),
            request_id: self.request_id.clone(),
            ..AuditEvent::default()
        }
    }
}

/// What the audit log keeps for an address that no account could have.
pub const INVALID_ADDRESS: &str = "(invalid address)";

/// The event types, as the contract names them (the UI filters the log by them).
pub use authdesk_contract::audit::kind;
