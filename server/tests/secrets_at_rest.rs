//! What a copy of the database gives away: no second-factor secret in any form — TOTP secrets are
//! sealed with the server's secret and recovery codes kept as keyed hashes — including the rows an
//! older version wrote, which are brought to that form when the server starts.

use crate::common;

use base64::Engine as _;
use common::sql::OtherClient;
use common::totp::{code_at, early_in_a_step, now, post, s, turn_on};
use common::{spawn_app, spawn_on, unique_email, Db, TestApp, PASSWORD};
use serde_json::json;
use sha2::{Digest, Sha256};

both_backends!(
    a_copy_of_the_database_holds_no_second_factor_secret,
    secrets_an_older_version_stored_as_they_are_are_sealed_at_start_up,
);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A recovery code as an older version stored it: SHA-256 under one prefix for every user.
fn plain_hash(code: &str) -> String {
    let normalized: String = code.chars().filter(char::is_ascii_alphanumeric).collect();
    hex(&Sha256::digest(format!("authdesk recovery code v1\0{normalized}").as_bytes()))
}

/// Every form a TOTP secret (base32) or a recovery code could be found in.
fn forms(secret: &str, codes: &[String]) -> Vec<String> {
    let raw = totp_rs::Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    let mut forms = vec![
        secret.to_owned(),
        secret.to_lowercase(),
        hex(&raw),
        hex(&raw).to_uppercase(),
        base64::engine::general_purpose::STANDARD.encode(&raw),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&raw),
    ];
    for code in codes {
        forms.extend([code.clone(), code.replace('-', ""), code.to_uppercase(), plain_hash(code)]);
    }
    forms
}

async fn assert_nothing_given_away(app: &TestApp, secret: &str, codes: &[String]) {
    let dump = OtherClient::connect(&app.db).await.dump().await;
    assert!(dump.contains("totp_factors|") || dump.contains("totp_factors"), "the dump reads the factors:\n{dump}");
    for form in forms(secret, codes) {
        assert!(!dump.contains(&form), "{form:?} is in the database:\n{dump}");
    }
}

async fn sign_in_with(app: &TestApp, email: &str, factor: serde_json::Value) -> u16 {
    let login = app.login(email, PASSWORD).await;
    let mut body = factor;
    body["mfa_token"] = json!(s(&login.body, "mfa_token"));
    post(app, "/api/auth/mfa/verify", None, body).await.status.as_u16()
}

async fn a_copy_of_the_database_holds_no_second_factor_secret(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    let (secret, codes) = turn_on(&app, &token).await;
    // A second user's setup, not yet confirmed: its secret is kept too.
    let (_, other) = app.signed_up(&unique_email()).await;
    let pending = post(&app, "/api/auth/mfa/totp/setup", Some(&other), json!({"password": PASSWORD})).await;
    let pending = s(&pending.body, "secret");

    assert_nothing_given_away(&app, &secret, &codes).await;
    assert_nothing_given_away(&app, &pending, &[]).await;
    // And the factor still works, both ways.
    early_in_a_step().await;
    assert_eq!(sign_in_with(&app, &email, json!({"code": code_at(&secret, now())})).await, 200);
    assert_eq!(sign_in_with(&app, &email, json!({"recovery_code": codes[0]})).await, 200);
}

async fn secrets_an_older_version_stored_as_they_are_are_sealed_at_start_up(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    let (secret, codes) = turn_on(&app, &token).await;
    // The rows as an older version wrote them.
    let older = OtherClient::connect(&app.db).await;
    let mut sql = format!("UPDATE totp_factors SET secret = '{secret}';");
    sql.push_str("DELETE FROM recovery_codes;");
    let user = s(&app.me(&token).await.body, "user_id");
    for code in &codes {
        sql.push_str(&format!(
            "INSERT INTO recovery_codes (user_id, code_hash) VALUES ('{user}', '{}');",
            plain_hash(code)
        ));
    }
    older.run(&sql).await;
    drop(older);

    let app = spawn_on(app.stop().await, |_| {}).await;
    assert_nothing_given_away(&app, &secret, &codes).await;
    early_in_a_step().await;
    assert_eq!(sign_in_with(&app, &email, json!({"code": code_at(&secret, now())})).await, 200);
    assert_eq!(sign_in_with(&app, &email, json!({"recovery_code": codes[3]})).await, 200);
    assert_eq!(app.me(&token).await.body["recovery_codes_left"], 9);
}
