//! The second factor, told as a user meets it: turning TOTP on, signing in with a code or a
//! recovery code, codes that do not work twice, a sign-in that waits too long, turning it off.

use crate::common;

use std::time::Duration;

use authdesk_server::RateLimit;
use common::totp::{code_at, early_in_a_step, now, post, s, turn_on};
use common::{spawn_app, spawn_app_with, unique_email, Db, Reply, TestApp, PASSWORD};
use serde_json::{json, Value};

both_backends!(
    turning_totp_on_ends_other_sessions_and_sign_in_then_asks_for_a_code,
    a_code_is_accepted_once_and_one_step_of_drift_only,
    recovery_codes_work_once_and_can_be_replaced,
    wrong_codes_spend_the_sign_in_and_count_against_the_lockout,
    a_sign_in_waiting_for_its_code_expires,
    setting_up_needs_the_password_and_a_second_setup_replaces_the_first,
    turning_totp_off_needs_the_password_and_a_code,
    a_right_password_does_not_forgive_wrong_codes_when_turning_the_factor_off,
    concurrent_codes_on_one_sign_in_get_five_checks_in_all,
);

/// Signs in with the password and asserts the second factor is asked for: the challenge's token.
async fn password_step(app: &TestApp, email: &str) -> String {
    let login = app.login(email, PASSWORD).await;
    login.assert_error(401, "Two-factor code required");
    assert_eq!(login.body["mfa_required"], true);
    assert_eq!(login.body["methods"], json!(["totp", "recovery_code"]));
    assert!(login.body.get("access_token").is_none() && login.body.get("refresh_token").is_none(), "{}", login.text);
    s(&login.body, "mfa_token")
}

async fn verify(app: &TestApp, mfa_token: &str, factor: Value) -> Reply {
    let mut body = factor;
    body["mfa_token"] = json!(mfa_token);
    post(app, "/api/auth/mfa/verify", None, body).await
}

async fn turning_totp_on_ends_other_sessions_and_sign_in_then_asks_for_a_code(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    let (_, here) = app.signed_up(&email).await;
    let elsewhere = app.login(&email, PASSWORD).await;
    let me = app.me(&here).await;
    assert_eq!((me.body["mfa_enabled"].clone(), me.body["recovery_codes_left"].clone()), (json!(false), json!(0)));

    let setup = post(&app, "/api/auth/mfa/totp/setup", Some(&here), json!({"password": PASSWORD})).await;
    let secret = s(&setup.body, "secret");
    assert!(
        secret.len() >= 32 && secret.chars().all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)),
        "{secret}"
    );
    let url = s(&setup.body, "otpauth_url");
    assert!(url.starts_with(&format!("otpauth://totp/authdesk:{}?secret={secret}", email)), "{url}");
    assert!(url.contains("issuer=authdesk"), "{url}");
    // Nothing is active yet: sign-in still needs only the password.
    assert_eq!(app.login(&email, PASSWORD).await.status, 200);

    post(&app, "/api/auth/mfa/totp/enable", Some(&here), json!({"code": "000000"}))
        .await
        .assert_error(400, "Invalid code");
    early_in_a_step().await;
    let enabled = post(&app, "/api/auth/mfa/totp/enable", Some(&here), json!({"code": code_at(&secret, now())})).await;
    assert_eq!(enabled.status, 200, "{}", enabled.text);
    assert_eq!(enabled.body["recovery_codes"].as_array().unwrap().len(), 10);

    // This session stays; every other one, and its refresh token, ends.
    assert_eq!(app.me(&here).await.status, 200);
    app.me(&s(&elsewhere.body, "access_token")).await.assert_error(401, "Token error: revoked-token");
    let refresh =
        post(&app, "/api/auth/refresh", None, json!({"refresh_token": s(&elsewhere.body, "refresh_token")})).await;
    assert_eq!(refresh.status, 401, "{}", refresh.text);
    let me = app.me(&here).await;
    assert_eq!((me.body["mfa_enabled"].clone(), me.body["recovery_codes_left"].clone()), (json!(true), json!(10)));

    // Sign-in: the password, then the code; the answer is exactly a sign-in's.
    let mfa_token = password_step(&app, &email).await;
    tokio::time::sleep(Duration::from_secs(30 - now() % 30)).await; // a code of a new step
    let signed_in = verify(&app, &mfa_token, json!({"code": code_at(&secret, now())})).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    for field in ["access_token", "refresh_token", "session_id", "user_id", "email", "expires_in"] {
        assert!(signed_in.body.get(field).is_some(), "{field} in {}", signed_in.text);
    }
    assert_eq!(signed_in.body["token_type"], "bearer");
    assert_eq!(app.me(&s(&signed_in.body, "access_token")).await.status, 200);
    // The challenge was spent by that success.
    verify(&app, &mfa_token, json!({"code": code_at(&secret, now())}))
        .await
        .assert_error(401, "Sign-in expired, please sign in again");
}

async fn a_code_is_accepted_once_and_one_step_of_drift_only(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    let (secret, _) = turn_on(&app, &token).await;
    // The factor was turned on with the previous step's code: one step later, the step before the
    // current one is unused.
    tokio::time::sleep(Duration::from_secs(30 - now() % 30)).await;
    let t = now();

    let mfa_token = password_step(&app, &email).await;
    for off in [t - 60, t + 60] {
        verify(&app, &mfa_token, json!({"code": code_at(&secret, off)})).await.assert_error(401, "Invalid code");
    }
    let previous = verify(&app, &mfa_token, json!({"code": code_at(&secret, t - 30)})).await;
    assert_eq!(previous.status, 200, "a code from the step before is accepted: {}", previous.text);

    // Replay: the same code, or any code of a step already used, is refused.
    let again = password_step(&app, &email).await;
    verify(&app, &again, json!({"code": code_at(&secret, t - 30)})).await.assert_error(401, "Invalid code");
    let next = verify(&app, &again, json!({"code": code_at(&secret, t + 30)})).await;
    assert_eq!(next.status, 200, "a code from the step after is accepted: {}", next.text);
    let third = password_step(&app, &email).await;
    verify(&app, &third, json!({"code": code_at(&secret, t)})).await.assert_error(401, "Invalid code");
}

async fn recovery_codes_work_once_and_can_be_replaced(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    let (_, codes) = turn_on(&app, &token).await;

    let mfa_token = password_step(&app, &email).await;
    // Typed loosely: upper case, a space for the dash.
    let typed = codes[0].to_uppercase().replace('-', " ");
    let signed_in = verify(&app, &mfa_token, json!({"recovery_code": typed})).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    assert_eq!(app.me(&token).await.body["recovery_codes_left"], 9);

    let again = password_step(&app, &email).await;
    verify(&app, &again, json!({"recovery_code": codes[0]})).await.assert_error(401, "Invalid code");

    // The password alone gets no new codes (they would turn the factor off), and the old ones
    // keep working.
    let refused = post(&app, "/api/auth/mfa/recovery-codes", Some(&token), json!({"password": PASSWORD})).await;
    refused.assert_refused(
        400,
        "code_required",
        "Enter a code from your authenticator app or one of your recovery codes",
    );
    assert_eq!(app.me(&token).await.body["recovery_codes_left"], 9);
    let body = json!({"password": PASSWORD, "code": "000000"});
    post(&app, "/api/auth/mfa/recovery-codes", Some(&token), body).await.assert_error(400, "Invalid code");
    // With an unused recovery code, which it spends.
    let body = json!({"password": PASSWORD, "code": codes[2]});
    let fresh = post(&app, "/api/auth/mfa/recovery-codes", Some(&token), body).await;
    assert_eq!(fresh.status, 200, "{}", fresh.text);
    let fresh: Vec<String> =
        fresh.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert_eq!(fresh.len(), 10);
    assert_eq!(app.me(&token).await.body["recovery_codes_left"], 10);
    verify(&app, &again, json!({"recovery_code": codes[1]})).await.assert_error(401, "Invalid code");
    assert_eq!(verify(&app, &again, json!({"recovery_code": fresh[0]})).await.status, 200);
    let body = json!({"password": "Wr0ng!Password", "code": fresh[1]});
    post(&app, "/api/auth/mfa/recovery-codes", Some(&token), body).await.assert_error(401, "Password is incorrect");
    verify(&app, &password_step(&app, &email).await, json!({"recovery_code": codes[2]}))
        .await
        .assert_error(401, "Invalid code");
}

async fn wrong_codes_spend_the_sign_in_and_count_against_the_lockout(db: Db) {
    let app = spawn_app_with(db, |c| c.account_lockout = RateLimit::parse("8/15minutes").unwrap()).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    let (_, codes) = turn_on(&app, &token).await;

    // Five wrong codes spend the sign-in: even a right one is too late.
    let mfa_token = password_step(&app, &email).await;
    for _ in 0..5 {
        verify(&app, &mfa_token, json!({"code": "000000"})).await.assert_error(401, "Invalid code");
    }
    verify(&app, &mfa_token, json!({"recovery_code": codes[0]}))
        .await
        .assert_error(401, "Sign-in expired, please sign in again");
    // Each password step counts too, and the right password does not forgive wrong codes: two
    // sign-ins and six wrong codes reach the lockout (8), and the account's sign-in pauses.
    let next = password_step(&app, &email).await;
    verify(&app, &next, json!({"code": "000000"})).await.assert_error(401, "Invalid code");
    let limited = verify(&app, &next, json!({"recovery_code": codes[0]})).await;
    assert_eq!(limited.status, 429, "{}", limited.text);
    assert!(limited.header("retry-after").is_some());
    assert_eq!(app.login(&email, PASSWORD).await.status, 429);
}

async fn a_sign_in_waiting_for_its_code_expires(db: Db) {
    let app = spawn_app_with(db, |c| c.mfa_token_ttl = Duration::from_secs(1)).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    let (_, codes) = turn_on(&app, &token).await;
    let mfa_token = password_step(&app, &email).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    verify(&app, &mfa_token, json!({"recovery_code": codes[0]}))
        .await
        .assert_error(401, "Sign-in expired, please sign in again");
    verify(&app, "never-issued", json!({"recovery_code": codes[0]}))
        .await
        .assert_error(401, "Sign-in expired, please sign in again");
    verify(&app, &mfa_token, json!({})).await.assert_error(422, "Send either 'code' or 'recovery_code'");
    assert_eq!(app.me(&token).await.body["recovery_codes_left"], 10, "no code was spent on an expired sign-in");
}

async fn setting_up_needs_the_password_and_a_second_setup_replaces_the_first(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let setup =
        |password: &'static str| post(&app, "/api/auth/mfa/totp/setup", Some(&token), json!({"password": password}));
    setup("Wr0ng!Password").await.assert_error(401, "Password is incorrect");
    let first = s(&setup(PASSWORD).await.body, "secret");
    let second = s(&setup(PASSWORD).await.body, "secret");
    assert_ne!(first, second);
    early_in_a_step().await;
    post(&app, "/api/auth/mfa/totp/enable", Some(&token), json!({"code": code_at(&first, now())}))
        .await
        .assert_error(400, "Invalid code");
    let enabled = post(&app, "/api/auth/mfa/totp/enable", Some(&token), json!({"code": code_at(&second, now())})).await;
    assert_eq!(enabled.status, 200, "{}", enabled.text);
    setup(PASSWORD).await.assert_error(409, "Two-factor authentication is already on");
}

async fn turning_totp_off_needs_the_password_and_a_code(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    let (_, codes) = turn_on(&app, &token).await;
    let disable = |password: &'static str, code: String| {
        post(&app, "/api/auth/mfa/disable", Some(&token), json!({"password": password, "code": code}))
    };
    disable("Wr0ng!Password", codes[0].clone()).await.assert_error(401, "Password is incorrect");
    disable(PASSWORD, "000000".into()).await.assert_error(400, "Invalid code");
    let off = disable(PASSWORD, codes[0].clone()).await;
    assert_eq!(off.status, 200, "{}", off.text);
    assert_eq!(app.login(&email, PASSWORD).await.status, 200, "the password alone signs in again");
    let me = app.me(&token).await;
    assert_eq!((me.body["mfa_enabled"].clone(), me.body["recovery_codes_left"].clone()), (json!(false), json!(0)));
    disable(PASSWORD, codes[1].clone()).await.assert_error(400, "Two-factor authentication is off");
}

/// Whoever holds a session and the password guesses at the code to turn the factor off: the right
/// password re-entered each time forgives nothing, so the account's lockout (10) stops the guesses.
async fn a_right_password_does_not_forgive_wrong_codes_when_turning_the_factor_off(db: Db) {
    let app = spawn_app_with(db, |c| c.account_lockout = RateLimit::parse("10/15minutes").unwrap()).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    turn_on(&app, &token).await;
    let mut wrong = 0;
    let limited = loop {
        let body = json!({"password": PASSWORD, "code": format!("{:06}", 100_000 + wrong)});
        let reply = post(&app, "/api/auth/mfa/disable", Some(&token), body).await;
        if reply.status == 429 {
            break reply;
        }
        reply.assert_error(400, "Invalid code");
        wrong += 1;
        assert!(wrong <= 10, "{wrong} wrong codes and still no lockout");
    };
    assert!(limited.header("retry-after").is_some(), "{}", limited.text);
    assert_eq!(app.me(&token).await.body["mfa_enabled"], true);
}

/// Twenty wrong codes sent at once on one sign-in, with the account lockout off: five are checked,
/// the others find the sign-in spent.
async fn concurrent_codes_on_one_sign_in_get_five_checks_in_all(db: Db) {
    let app = spawn_app_with(db, |c| c.account_lockout = None).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    turn_on(&app, &token).await;
    let mfa_token = password_step(&app, &email).await;
    let guesses = (0..20).map(|i| verify(&app, &mfa_token, json!({"code": format!("{:06}", 200_000 + i)})));
    let replies = futures::future::join_all(guesses).await;
    let checked = replies.iter().filter(|r| r.detail() == "Invalid code").count();
    let expired = replies.iter().filter(|r| r.detail() == "Sign-in expired, please sign in again").count();
    assert_eq!((checked, expired), (5, 15), "{:?}", replies.iter().map(|r| &r.text).collect::<Vec<_>>());
}
