//! EdDSA access tokens (`AUTHDESK_TOKEN_SIGNING=eddsa`): another service verifies them with the
//! published JWKS and an independent library (PyJWT); a switch between HS256 and EdDSA signs
//! nobody out; a rotation is published before it signs, holds across instances, and the previous
//! key verifies until its tokens have expired.

use crate::common;

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use authdesk_server::config::TokenSigning;
use authdesk_server::Config;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::{output_within, spawn_app_with, spawn_on, unique_email, Db, TestApp, TestDb, PASSWORD, SECRET};
use reqwest::Method;
use serde_json::{json, Value};

both_backends!(
    other_services_verify_our_tokens_with_the_published_keys,
    switching_between_hs256_and_eddsa_signs_nobody_out,
    a_rotation_is_published_first_then_signs_on_every_instance,
    keys_sealed_with_another_secret_are_refused_with_a_clear_error,
    tokens_naming_unknown_or_forged_keys_are_refused,
    eddsa_tokens_name_their_issuer_and_audience_and_live_their_own_lifetime,
    remembered_tokens_still_see_a_sign_out_or_a_disable_at_once_on_every_instance,
);

fn eddsa(config: &mut Config) {
    config.token_signing = TokenSigning::EdDsa;
}

/// The JSON header of a JWT.
fn header_of(token: &str) -> Value {
    let header = token.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap()
}

async fn jwks(app: &TestApp) -> (Vec<String>, Option<String>) {
    let reply = app.request(Method::GET, "/.well-known/jwks.json", None, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let kids = reply.body["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap().to_owned()).collect();
    (kids, reply.header("cache-control").map(str::to_owned))
}

async fn token_for(app: &TestApp, email: &str) -> String {
    let reply = app.login(email, PASSWORD).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["access_token"].as_str().unwrap().to_owned()
}

/// The tests' Python (with PyJWT): `AUTHDESK_TEST_PYTHON`, set by the README's test command.
fn python() -> String {
    std::env::var("AUTHDESK_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// What PyJWT makes of `token` with the keys at `jwks_url`: the claims, or its error.
fn pyjwt_verify(jwks_url: &str, token: &str) -> Result<Value, String> {
    let script = r#"
import json, sys
import jwt
client = jwt.PyJWKClient(sys.argv[1])
try:
    key = client.get_signing_key_from_jwt(sys.argv[2])
    print(json.dumps(jwt.decode(sys.argv[2], key.key, algorithms=["EdDSA"])))
except jwt.PyJWTError as e:
    print(type(e).__name__, file=sys.stderr)
    sys.exit(3)
"#;
    let out = output_within(Command::new(python()).args(["-c", script, jwks_url, token]), Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    match out.status.code() {
        Some(0) => Ok(serde_json::from_slice(&out.stdout).unwrap()),
        Some(3) => Err(stderr),
        _ => panic!("PyJWT did not run (is PyJWT[crypto] installed for {}?): {stderr}", python()),
    }
}

async fn other_services_verify_our_tokens_with_the_published_keys(db: Db) {
    let app = spawn_app_with(db, eddsa).await;
    let (user_id, token) = app.signed_up(&unique_email()).await;
    let header = header_of(&token);
    assert_eq!(header["alg"], "EdDSA", "{header}");
    let (kids, cache) = jwks(&app).await;
    assert_eq!(kids, [header["kid"].as_str().unwrap()]);
    assert_eq!(cache.as_deref(), Some("public, max-age=600"));
    assert_eq!(app.me(&token).await.status, 200);

    let jwks_url = app.url("/.well-known/jwks.json");
    let claims = tokio::task::spawn_blocking({
        let (url, token) = (jwks_url.clone(), token.clone());
        move || pyjwt_verify(&url, &token)
    })
    .await
    .unwrap()
    .expect("PyJWT accepts our token");
    assert_eq!(claims["sub"], user_id.to_string());

    // A token whose payload was changed is refused by PyJWT as by us.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[1] = URL_SAFE_NO_PAD.encode(json!({"sub": uuid::Uuid::new_v4(), "exp": claims["exp"]}).to_string());
    let forged = parts.join(".");
    let refused = tokio::task::spawn_blocking(move || pyjwt_verify(&jwks_url, &forged)).await.unwrap();
    assert_eq!(refused.unwrap_err(), "InvalidSignatureError");
    app.me(&parts.join(".")).await.assert_error(401, "Token error: invalid-signature");
}

async fn switching_between_hs256_and_eddsa_signs_nobody_out(db: Db) {
    let hs256 = spawn_app_with(db, |_| {}).await;
    let email = unique_email();
    hs256.signed_up(&email).await;
    let hs_token = token_for(&hs256, &email).await;
    assert_eq!(header_of(&hs_token)["alg"], "HS256");
    // Nothing is published while only HS256 signs.
    assert_eq!(jwks(&hs256).await.0, Vec::<String>::new());
    let db = hs256.stop().await;

    let switched = spawn_on(db, eddsa).await;
    assert_eq!(switched.me(&hs_token).await.status, 200, "an HS256 token survives the switch");
    let ed_token = token_for(&switched, &email).await;
    assert_eq!(header_of(&ed_token)["alg"], "EdDSA");
    let db = switched.stop().await;

    let back = spawn_on(db, |_| {}).await;
    assert_eq!(back.me(&ed_token).await.status, 200, "an EdDSA token survives the switch back");
    assert_eq!(back.me(&hs_token).await.status, 200);
    assert_eq!(header_of(&token_for(&back, &email).await)["alg"], "HS256");
}

/// Runs `authdesk-server admin <args…>` on `db` with the servers' secret: (success, stdout, stderr).
fn admin_command(db: &TestDb, secret: &str, args: &[&str]) -> (bool, String, String) {
    let out = output_within(
        Command::new(env!("CARGO_BIN_EXE_authdesk-server"))
            .arg("admin")
            .args(args)
            .args(["--database-url", &db.url_string()])
            .env_remove("DATABASE_URL")
            .env("BETTER_AUTH_SECRET", secret),
        Duration::from_secs(60),
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn a_rotation_is_published_first_then_signs_on_every_instance(db: Db) {
    let shared = Arc::new(TestDb::new(db).await);
    let fast = |c: &mut Config| {
        eddsa(c);
        c.signing_keys_reload = Duration::from_millis(300);
    };
    let (a, b, c) =
        tokio::join!(spawn_on(shared.clone(), fast), spawn_on(shared.clone(), fast), spawn_on(shared.clone(), fast));
    let email = unique_email();
    a.signed_up(&email).await;
    let old_token = token_for(&b, &email).await;
    let old_kid = header_of(&old_token)["kid"].as_str().unwrap().to_owned();
    for app in [&a, &b, &c] {
        assert_eq!(
            jwks(app).await.0,
            std::slice::from_ref(&old_kid),
            "instances starting together share one first key"
        );
    }

    // A rotation scheduled absurdly far ahead is refused, and changes nothing.
    let (late, _, why) = admin_command(&shared, SECRET, &["keys", "rotate", "--promote-after", "99999999999999"]);
    assert!(!late && why.contains("at most 30 days"), "{why}");
    let (ok, out, err) = admin_command(&shared, SECRET, &["keys", "rotate", "--promote-after", "4", "--json"]);
    assert!(ok, "{out}{err}");
    let rotation = serde_json::from_str::<Value>(&out).unwrap();
    let new_kid = rotation["kid"].as_str().unwrap().to_owned();
    // When it starts signing, as the command computed it (not as this test guesses it).
    let activates_at = common::at(&rotation["activates_at"]);
    // A second rotation before the first is promoted is refused.
    let (again, _, why) = admin_command(&shared, SECRET, &["keys", "rotate"]);
    assert!(!again && why.contains("already waiting to start signing"), "{why}");

    // Published by every instance within a reload, still not signing.
    common::wait_for("every instance to publish the new key", || async {
        let mut all = true;
        for app in [&a, &b, &c] {
            all &= jwks(app).await.0 == [old_kid.clone(), new_kid.clone()];
        }
        all
    })
    .await;
    for app in [&a, &b, &c] {
        assert_eq!(header_of(&token_for(app, &email).await)["kid"], json!(old_kid));
    }
    assert!(chrono::Utc::now() < activates_at, "the checks before promotion ran after it ({activates_at})");
    // Promoted on every instance once its time has come; the old key's tokens still verify everywhere.
    tokio::time::sleep((activates_at - chrono::Utc::now()).to_std().unwrap_or_default()).await;
    common::wait_for("every instance to sign with the new key", || async {
        let mut all = true;
        for app in [&a, &b, &c] {
            all &= header_of(&token_for(app, &email).await)["kid"] == json!(new_kid);
        }
        all
    })
    .await;
    for app in [&a, &b, &c] {
        let token = token_for(app, &email).await;
        assert_eq!(header_of(&token)["kid"], json!(new_kid));
        for other in [&a, &b, &c] {
            assert_eq!(other.me(&token).await.status, 200);
            assert_eq!(other.me(&old_token).await.status, 200);
        }
    }
    let listed = admin_command(&shared, SECRET, &["keys", "list", "--json"]);
    let listed: Value = serde_json::from_str(&listed.1).unwrap_or_else(|e| panic!("{e}: {listed:?}"));
    assert_eq!(listed[0]["state"], "previous", "{listed}");
    assert_eq!(listed[1]["state"], "current", "{listed}");
    let audit = admin_command(&shared, SECRET, &["audit", "--type", "admin_signing_key_rotated", "--json"]);
    assert!(audit.1.contains(&new_kid), "{audit:?}");

    // Once every token the old key signed has expired, the pruner deletes it and it is unpublished.
    let later = authdesk_server::store::now() + chrono::TimeDelta::days(2);
    let pruned = authdesk_server::prune::prune(
        &a.store,
        later,
        common::retention(Duration::from_secs(86_400), Duration::from_secs(86_400)),
    )
    .await
    .unwrap();
    assert_eq!(pruned.signing_keys, 1);
    tokio::time::sleep(Duration::from_millis(900)).await;
    for app in [&a, &b, &c] {
        assert_eq!(jwks(app).await.0, std::slice::from_ref(&new_kid));
    }
}

async fn keys_sealed_with_another_secret_are_refused_with_a_clear_error(db: Db) {
    let app = spawn_app_with(db, eddsa).await;
    let db = app.stop().await;
    let mut config = common::test_config(&db);
    eddsa(&mut config);
    config.secret = authdesk_server::Secret::new("another-secret-that-is-long-enough-987654").unwrap();
    let err = authdesk_server::build(&config).await.err().expect("the keys cannot be opened").to_string();
    assert!(err.contains("cannot be opened with this BETTER_AUTH_SECRET"), "{err}");
    // A rotation with the wrong secret would leave the instances a key they cannot open.
    let (ok, _, why) = admin_command(&db, "another-secret-that-is-long-enough-987654", &["keys", "rotate"]);
    assert!(!ok && why.contains("cannot be opened with this BETTER_AUTH_SECRET"), "{why}");
    let (ok, _, why) = admin_command(&db, "", &["keys", "rotate"]);
    assert!(!ok && why.contains("BETTER_AUTH_SECRET is not set"), "{why}");
    // An HS256 instance verifies with the public keys only: the secret does not matter to it.
    config.token_signing = TokenSigning::Hs256;
    assert!(authdesk_server::build(&config).await.is_ok());
}

async fn tokens_naming_unknown_or_forged_keys_are_refused(db: Db) {
    let app = spawn_app_with(db, eddsa).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let parts: Vec<&str> = token.split('.').collect();
    let with_header =
        |header: Value| format!("{}.{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), parts[1], parts[2]);
    for header in [
        json!({"alg": "EdDSA", "typ": "JWT", "kid": "no-such-key"}),
        json!({"alg": "EdDSA", "typ": "JWT"}),
        json!({"alg": "HS256", "typ": "JWT", "kid": header_of(&token)["kid"]}),
        json!({"alg": "none", "typ": "JWT", "kid": header_of(&token)["kid"]}),
    ] {
        let reply = app.me(&with_header(header.clone())).await;
        assert_eq!(reply.status, 401, "{header}: {}", reply.text);
        assert!(reply.detail().starts_with("Token error: invalid-"), "{header}: {}", reply.text);
    }
}

/// The JSON claims of a JWT.
fn claims_of(token: &str) -> Value {
    let claims = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap()
}

/// With an issuer, an audience and a 15-minute lifetime set, EdDSA tokens carry `iss` and `aud`
/// and expire sooner (the login answer says so); HS256 tokens of the same server stay as the
/// original design's, without either.
async fn eddsa_tokens_name_their_issuer_and_audience_and_live_their_own_lifetime(db: Db) {
    let for_others = |c: &mut Config| {
        c.token_issuer = Some("https://auth.example.test".into());
        c.token_audience = Some("reports-service".into());
        c.eddsa_token_ttl = Some(std::time::Duration::from_secs(15 * 60));
    };
    let app = spawn_app_with(db, |c| {
        eddsa(c);
        for_others(c);
    })
    .await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let login = app.login(&email, PASSWORD).await;
    let token = login.body["access_token"].as_str().unwrap();
    let claims = claims_of(token);
    assert_eq!(
        (claims["iss"].as_str(), claims["aud"].as_str()),
        (Some("https://auth.example.test"), Some("reports-service"))
    );
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert_eq!((lifetime, login.body["expires_in"].as_i64()), (900, Some(900)));
    assert_eq!(app.me(token).await.status, 200);

    let hs256 = spawn_on(app.stop().await, for_others).await;
    let token = token_for(&hs256, &email).await;
    assert_eq!(header_of(&token)["alg"], "HS256");
    let claims = claims_of(&token);
    assert!(claims.get("iss").is_none() && claims.get("aud").is_none(), "{claims}");
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 24 * 3600);
}

/// Verified EdDSA tokens are remembered (`auth::verified`); the session and the account are still
/// read on every request: after signing out everywhere on one instance, or a disable, the very next
/// request with a token both instances had just accepted is refused, on each.
async fn remembered_tokens_still_see_a_sign_out_or_a_disable_at_once_on_every_instance(db: Db) {
    let shared = Arc::new(TestDb::new(db).await);
    let (a, b) = tokio::join!(spawn_on(shared.clone(), eddsa), spawn_on(shared.clone(), eddsa));
    let email = unique_email();
    let (id, _) = a.signed_up(&email).await;

    let token = token_for(&a, &email).await;
    for app in [&a, &b, &a, &b] {
        assert_eq!(tasks(app, &token).await.status, 200);
    }
    let out = a.request(Method::POST, "/api/auth/logout-all", Some(&token), None).await;
    assert_eq!(out.status, 200, "{}", out.text);
    for app in [&b, &a] {
        tasks(app, &token).await.assert_error(401, "Token error: revoked-token");
    }

    let token = token_for(&b, &email).await;
    for app in [&a, &b, &a, &b] {
        assert_eq!(tasks(app, &token).await.status, 200);
    }
    let by = authdesk_server::store::AuditEvent::default();
    assert!(a.store.set_disabled(id, true, authdesk_server::store::now(), &by).await.unwrap());
    for app in [&a, &b] {
        assert_eq!(tasks(app, &token).await.status, 401, "a disabled account's remembered token");
    }
}

async fn tasks(app: &TestApp, token: &str) -> common::Reply {
    app.request(Method::GET, "/api/tasks", Some(token), None).await
}
