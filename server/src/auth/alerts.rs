//! New sign-in alerts: a successful sign-in from a client the account has not used — the client's
//! name together with its network — mails the owner what happened and what to do if it was not
//! them. The account's first sign-in, and a familiar client, never alert. All of it runs after the
//! sign-in answered: it never slows or fails one.

use std::net::IpAddr;

use authdesk_contract::text::sanitized;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::audit::{kind, Context};
use super::{refresh, Auth};
use crate::store::UserRecord;

const SUBJECT: &str = "New sign-in to your account";

/// The network an address belongs to: its /24 (IPv4) or /64 (IPv6), so a client whose address
/// changes within its home or office network is still the same client.
pub(super) fn network(address: Option<&str>) -> String {
    match address.and_then(|a| a.parse::<IpAddr>().ok()) {
        Some(IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => network(Some(&v4.to_string())),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".into(),
    }
}

/// What is stored of a client: a hash, so the table holds no text anybody could fill.
fn fingerprint(client: &str, network: &str) -> String {
    refresh::hex(&Sha256::digest(format!("authdesk client v1\0{client}\0{network}").as_bytes()))
}

fn body(email: &str, at: DateTime<Utc>, client: &str, address: &str) -> String {
    format!(
        "Your authdesk account {email} was just signed in to from a device or app it had not been \
         used from before.\n\n\
         When: {when} UTC\n\
         Client: {client}\n\
         From: {address}\n\n\
         If this was you, there is nothing to do.\n\n\
         If it was not you, reset your password now (\"Forgot password?\" on the sign-in screen), \
         then sign out everywhere (Account > Sessions > Sign out everywhere), and consider turning \
         on two-factor authentication.\n",
        when = at.format("%Y-%m-%d %H:%M"),
    )
}

impl Auth {
    /// After a sign-in as `user` succeeded at `at`: remembers the client and, when it is new to an
    /// account that has signed in before, mails the owner. In the background.
    pub(super) fn notice_sign_in(&self, user: &UserRecord, ctx: &Context, at: DateTime<Utc>) {
        let (true, Some(mailer)) = (self.sign_in_alerts, self.mailer.clone()) else { return };
        let (store, user, ctx) = (self.store.clone(), user.clone(), ctx.clone());
        tokio::spawn(async move {
            // What the mail shows of the client's name: no control characters, and short.
            let client = sanitized(&ctx.client, 100);
            let client = if client.is_empty() { "Unknown client".to_owned() } else { client };
            let print = fingerprint(&ctx.client, &network(ctx.client_ip.as_deref()));
            match store.record_sign_in_client(user.id, &print, at).await {
                Ok(true) => {
                    let address = ctx.client_ip.clone().unwrap_or_else(|| "an unknown address".into());
                    mailer.send_later(&user.email, SUBJECT, body(&user.email, at, &client, &address));
                    let event = ctx.event(kind::NEW_SIGN_IN_ALERTED).user(user.id, &user.email);
                    if let Err(e) = store.record_audit(&event).await {
                        tracing::warn!(error = %e, "sign-in alert: the audit event was not stored");
                    }
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(user_id = %user.id, error = %e, "sign-in alert: the client was not recorded"),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_told_apart_by_name_and_network() {
        assert_eq!(network(Some("203.0.113.7")), "203.0.113.0/24");
        assert_eq!(network(Some("::ffff:203.0.113.9")), "203.0.113.0/24");
        assert_eq!(network(Some("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(network(None), "unknown");
        let home = network(Some("203.0.113.7"));
        assert_eq!(fingerprint("authdesk", &home), fingerprint("authdesk", &network(Some("203.0.113.200"))));
        assert_ne!(fingerprint("authdesk", &home), fingerprint("authdesk", &network(Some("198.51.100.7"))));
        assert_ne!(fingerprint("authdesk", &home), fingerprint("curl/8.0", &home));
    }
}
