//! The second factor as a test meets it: the codes an authenticator app would show, and turning
//! TOTP on for a signed-in user.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Method;
use serde_json::{json, Value};
use totp_rs::{Algorithm, Secret, TOTP};

use super::{Reply, TestApp, PASSWORD};

pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// The code an authenticator app shows for `secret` at `time`.
pub fn code_at(secret: &str, time: u64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes).generate(time)
}

/// Waits, if needed, until at least 8 s are left in the current 30 s step, so a story's codes
/// stay in the step they were computed for.
pub async fn early_in_a_step() {
    let into = now() % 30;
    if into > 22 {
        tokio::time::sleep(Duration::from_secs(30 - into + 1)).await;
    }
}

pub fn s(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_else(|| panic!("no {key} in {v}")).to_owned()
}

pub async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> Reply {
    app.request(Method::POST, path, token, Some(body)).await
}

/// Sets up and turns on TOTP for the holder of `token`: (secret, recovery codes). The first code
/// is the previous step's (one step of drift is allowed), so the current step's code is still
/// unused for the story's sign-in.
pub async fn turn_on(app: &TestApp, token: &str) -> (String, Vec<String>) {
    let setup = post(app, "/api/auth/mfa/totp/setup", Some(token), json!({"password": PASSWORD})).await;
    assert_eq!(setup.status, 200, "{}", setup.text);
    let secret = s(&setup.body, "secret");
    early_in_a_step().await;
    let enabled =
        post(app, "/api/auth/mfa/totp/enable", Some(token), json!({"code": code_at(&secret, now() - 30)})).await;
    assert_eq!(enabled.status, 200, "{}", enabled.text);
    let codes =
        enabled.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    (secret, codes)
}
