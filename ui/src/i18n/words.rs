//! Phrases several screens share that the contract states in English for other readers (the
//! server's name, the outcome of a sign-out): worded here in the user's language.

use authdesk_contract::desktop::{ServerChoice, SignedOut};

use crate::t;

/// How the screens name a server: the embedded one in words, a remote one by its address.
pub fn server_name(server: &ServerChoice) -> String {
    match server {
        ServerChoice::Embedded => t!("server-embedded"),
        ServerChoice::Remote { url } => url.clone(),
    }
}

/// What to tell the user when the server could not be told to end the session.
pub fn signed_out_warning(out: &SignedOut) -> Option<String> {
    out.warning().map(|_| t!("signed-out-not-on-server"))
}
