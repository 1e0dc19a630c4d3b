//! The original design's HTTP contract, status by status and detail by detail, on both databases.

use crate::common;

use common::{spawn_app, spawn_app_with, unique_email, Db, PASSWORD};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

both_backends!(
    registration_returns_201_with_normalised_email_and_no_token,
    registration_refuses_bad_emails_with_400,
    registration_reports_the_first_unmet_password_rule,
    duplicate_email_is_409_whatever_its_case,
    login_returns_a_bearer_token_and_records_the_time,
    unknown_email_and_wrong_password_get_the_same_answer,
    protected_routes_explain_every_authorization_failure,
    tokens_of_deleted_users_are_refused,
    health_names_the_database,
    login_rate_limit_answers_429_with_retry_after,
    cors_allows_the_tauri_webview,
    every_refusal_carries_a_stable_code_beside_the_original_detail,
    a_sign_in_answer_carries_the_signed_in_user,
);

async fn registration_returns_201_with_normalised_email_and_no_token(db: Db) {
    let app = spawn_app(db).await;
    let reg = app.register("  Ann.Lee@Example.COM ", PASSWORD).await;
    assert_eq!(reg.status, 201, "{}", reg.text);
    assert_eq!(reg.body["email"], "ann.lee@example.com");
    assert_eq!(reg.body["message"], "User registered successfully");
    let id: Uuid = reg.body["user_id"].as_str().unwrap().parse().expect("user_id is a UUID");
    assert!(reg.body.get("access_token").is_none(), "registration returns no token");
    let mut keys: Vec<_> = reg.body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["email", "message", "user_id"]);

    let stored = app.store.user_by_email("ann.lee@example.com").await.unwrap().expect("stored");
    assert_eq!(stored.id, id);
    assert!(stored.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", stored.password_hash);
    assert!(stored.last_login_at.is_none());
}

async fn registration_refuses_bad_emails_with_400(db: Db) {
    let app = spawn_app(db).await;
    for bad in ["not-an-email", "a@b", "@example.com", "two@@example.com", "sp ace@example.com", ""] {
        app.register(bad, PASSWORD)
            .await
            .assert_error(400, if bad.is_empty() { "Email is required" } else { "Invalid email format" });
    }
    let long = format!("{}@{}.com", "a".repeat(64), "b".repeat(186));
    assert_eq!(long.len(), 255);
    app.register(&long, PASSWORD).await.assert_error(400, "Email must not exceed 254 characters");
}

async fn registration_reports_the_first_unmet_password_rule(db: Db) {
    let app = spawn_app(db).await;
    let cases = [
        ("Sh0rt!", "Password must be at least 8 characters long"),
        (&*format!("Aa1!{}", "a".repeat(125)), "Password must not exceed 128 characters"),
        ("lower1!lower", "Password must contain at least one uppercase letter"),
        ("UPPER1!UPPER", "Password must contain at least one lowercase letter"),
        ("NoDigits!here", "Password must contain at least one number"),
        ("NoSpecial1here", "Password must contain at least one special character"),
        // Several rules unmet: the first in policy order is reported.
        ("short", "Password must be at least 8 characters long"),
        ("alllowercase", "Password must contain at least one uppercase letter"),
    ];
    let mut refused = Vec::new();
    for (password, detail) in cases {
        let email = unique_email();
        app.register(&email, password).await.assert_error(400, detail);
        refused.push(email);
    }
    // Nothing was written by the refusals: none of those addresses has an account.
    for email in &refused {
        assert!(app.store.user_by_email(email).await.unwrap().is_none(), "{email} was stored");
    }
    // And each address is still free.
    assert_eq!(app.register(&refused[0], PASSWORD).await.status, 201);
}

async fn duplicate_email_is_409_whatever_its_case(db: Db) {
    let app = spawn_app(db).await;
    assert_eq!(app.register("dup@example.com", PASSWORD).await.status, 201);
    app.register("dup@example.com", PASSWORD).await.assert_error(409, "Email already registered");
    app.register(" DUP@Example.com", "An0ther!Password").await.assert_error(409, "Email already registered");
    // The original account is untouched: its password still works.
    assert_eq!(app.login("dup@example.com", PASSWORD).await.status, 200);
}

async fn login_returns_a_bearer_token_and_records_the_time(db: Db) {
    let app = spawn_app(db).await;
    let reg = app.register("login@example.com", PASSWORD).await;
    let login = app.login("  LOGIN@example.com", PASSWORD).await;
    assert_eq!(login.status, 200, "{}", login.text);
    assert_eq!(login.body["token_type"], "bearer");
    assert_eq!(login.body["user_id"], reg.body["user_id"]);
    assert_eq!(login.body["email"], "login@example.com");
    let token = login.body["access_token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3);
    assert_eq!(login.header("cache-control"), Some("no-store"), "tokens must not be cached");
    assert_eq!(login.header("x-content-type-options"), Some("nosniff"));

    let me = app.me(token).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["user_id"], reg.body["user_id"]);
    assert_eq!(me.body["email"], "login@example.com");
    let created = common::at(&me.body["created_at"]);
    let last_login = common::at(&me.body["last_login_at"]);
    assert!(last_login >= created);
    assert!((chrono::Utc::now() - last_login).num_seconds() < 60);
}

async fn unknown_email_and_wrong_password_get_the_same_answer(db: Db) {
    // The default account lockout (10 failures) stays on; no address here gets near it.
    let app = spawn_app(db).await;
    app.registered("known@example.com", PASSWORD).await;
    // Each login is one password verification, counted by the server's hasher: an unknown email is
    // checked against a dummy hash, so it costs what a wrong password costs (timing reveals nothing).
    let login = |email: &'static str, password: &'static str| {
        let app = &app;
        async move {
            let before = app.hasher.verifications();
            let reply = app.login(email, password).await;
            (reply, app.hasher.verifications() - before)
        }
    };
    let (wrong, wrong_work) = login("known@example.com", "Wr0ng!Password").await;
    let (unknown, unknown_work) = login("nobody@example.com", PASSWORD).await;
    wrong.assert_error(401, "Invalid email or password");
    unknown.assert_error(401, "Invalid email or password");
    assert_eq!(wrong.text, unknown.text, "identical bodies");
    assert_eq!(wrong.header("www-authenticate"), unknown.header("www-authenticate"));
    assert_eq!((wrong_work, unknown_work), (1, 1), "one full verification each");
    // Odd inputs are just wrong credentials, not a different error, and cost the same work.
    for (email, password) in [("not an email", PASSWORD), ("known@example.com", ""), ("nobody2@example.com", "")] {
        let (reply, work) = login(email, password).await;
        reply.assert_error(401, "Invalid email or password");
        assert_eq!(work, 1, "{email:?} / {password:?}");
    }
    // A success costs the same single verification.
    let (ok, ok_work) = login("known@example.com", PASSWORD).await;
    assert_eq!((ok.status.as_u16(), ok_work), (200, 1), "{}", ok.text);
}

async fn protected_routes_explain_every_authorization_failure(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;

    let none = app.request(Method::GET, "/api/tasks", None, None).await;
    none.assert_error(401, "Authorization header required");
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    app.with_auth_header("/api/tasks", "").await.assert_error(401, "Authorization header required");
    for bad in
        [token.clone(), format!("Basic {token}"), format!("Bearer {token} extra"), "Bearer".into(), "Token abc".into()]
    {
        app.with_auth_header("/api/tasks", &bad).await.assert_error(401, "Invalid authorization format");
    }
    // The scheme is case-insensitive.
    for scheme in ["bearer", "BEARER", "BeArEr"] {
        let ok = app.with_auth_header("/api/tasks", &format!("{scheme} {token}")).await;
        assert_eq!(ok.status, 200, "{scheme}: {}", ok.text);
    }

    let now = chrono::Utc::now().timestamp();
    let sign = |claims: serde_json::Value, alg: jsonwebtoken::Algorithm, secret: &str| {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(alg),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap()
    };
    let sub = app.me(&token).await.body["user_id"].as_str().unwrap().to_owned();
    let secret = common::SECRET;
    let hs256 = jsonwebtoken::Algorithm::HS256;
    let cases = [
        (sign(json!({"sub": sub, "iat": now - 100, "exp": now - 10}), hs256, secret), "Token error: expired-token"),
        (
            sign(json!({"sub": sub, "iat": now, "exp": now + 60}), hs256, "another-secret-that-is-long-enough-000000"),
            "Token error: invalid-signature",
        ),
        ("not.a.jwt".to_owned(), "Token error: malformed-token"),
        ("garbage".to_owned(), "Token error: malformed-token"),
        (
            sign(json!({"sub": sub, "iat": now, "exp": now + 60}), jsonwebtoken::Algorithm::HS512, secret),
            "Token error: invalid-token",
        ),
        (sign(json!({"sub": sub, "iat": now + 3600, "exp": now + 7200}), hs256, secret), "Token error: invalid-token"),
        (sign(json!({"sub": sub, "iat": now}), hs256, secret), "Token error: invalid-token"),
        (sign(json!({"iat": now, "exp": now + 60}), hs256, secret), "Token error: invalid-token"),
    ];
    for (bad_token, detail) in cases {
        let reply = app.me(&bad_token).await;
        reply.assert_error(401, detail);
        assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    }
    // alg "none": unsigned.
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let unsigned = format!(
        "{}.{}.",
        b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
        b64.encode(json!({"sub": sub, "iat": now, "exp": now + 60}).to_string())
    );
    app.me(&unsigned).await.assert_error(401, "Token error: invalid-token");
    // Tampered payload, original signature.
    let parts: Vec<&str> = token.split('.').collect();
    let forged = b64.encode(json!({"sub": Uuid::new_v4(), "iat": now, "exp": now + 60}).to_string());
    app.me(&format!("{}.{forged}.{}", parts[0], parts[2])).await.assert_error(401, "Token error: invalid-signature");
}

async fn tokens_of_deleted_users_are_refused(db: Db) {
    let app = spawn_app(db).await;
    let (user_id, token) = app.signed_up(&unique_email()).await;
    // Also a session-less token as the original design minted them, for the same user.
    let sessionless = common::sessionless_token(&user_id.to_string(), chrono::Utc::now().timestamp() - 5);
    for t in [&token, &sessionless] {
        assert_eq!(app.me(t).await.status, 200, "valid while the user exists");
    }

    let deleted = app.request(Method::DELETE, "/api/auth/me", Some(&token), Some(json!({"password": PASSWORD}))).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert!(app.store.user_by_id(user_id).await.unwrap().is_none());

    // Correctly signed and unexpired, but their user is gone.
    for t in [&token, &sessionless] {
        app.me(t).await.assert_error(401, "Token error: invalid-token");
        app.list_tasks(t).await.assert_error(401, "Token error: invalid-token");
        app.create_task(t, "orphan").await.assert_error(401, "Token error: invalid-token");
    }
    // Likewise for a user id that never existed.
    let stranger = common::sessionless_token(&Uuid::new_v4().to_string(), chrono::Utc::now().timestamp());
    app.me(&stranger).await.assert_error(401, "Token error: invalid-token");
}

async fn health_names_the_database(db: Db) {
    let app = spawn_app(db).await;
    for path in ["/api/health", "/health"] {
        let health = app.request(Method::GET, path, None, None).await;
        assert_eq!(health.status, 200);
        assert_eq!(health.body["status"], "healthy");
        assert_eq!(health.body["database"], if db == Db::Sqlite { "sqlite" } else { "postgres" });
        assert_eq!(health.body["version"], env!("CARGO_PKG_VERSION"));
    }
}

async fn login_rate_limit_answers_429_with_retry_after(db: Db) {
    let app = spawn_app_with(db, |c| c.login_rate_limit = authdesk_server::RateLimit::parse("5/minute").unwrap()).await;
    app.registered("limited@example.com", PASSWORD).await;
    for _ in 0..4 {
        app.login("limited@example.com", "Wr0ng!Password").await.assert_error(401, "Invalid email or password");
    }
    // The fifth attempt in the minute still goes through (and succeeds).
    assert_eq!(app.login("limited@example.com", PASSWORD).await.status, 200);
    let limited = app.login("limited@example.com", PASSWORD).await;
    assert_eq!(limited.status, 429, "{}", limited.text);
    let retry: u64 = limited.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(limited.detail().starts_with("Too many login attempts. Try again in "), "{}", limited.detail());
    // Other routes are not limited.
    assert_eq!(app.request(Method::GET, "/api/health", None, None).await.status, 200);
}

async fn cors_allows_the_tauri_webview(db: Db) {
    let app = spawn_app_with(db, |c| c.cors_origins = vec!["https://app.example.com".into()]).await;
    for origin in ["tauri://localhost", "http://tauri.localhost", "https://tauri.localhost", "https://app.example.com"]
    {
        let preflight = app
            .http
            .request(Method::OPTIONS, app.url("/api/auth/login"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,authorization")
            .send()
            .await
            .unwrap();
        assert!(preflight.status().is_success(), "{origin}: {}", preflight.status());
        assert_eq!(preflight.headers()["access-control-allow-origin"], origin);
    }
    let foreign = app.http.get(app.url("/api/health")).header("origin", "https://evil.example").send().await.unwrap();
    assert!(foreign.headers().get("access-control-allow-origin").is_none());
}

/// When PostgreSQL goes away, clients get 503s with a detail (never a 500), and health says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_outage_is_503_not_500() {
    let app = spawn_app(Db::Postgres).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let name = common::TestDb::name_of(&app.db).to_owned();
    common::admin_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await;

    let health = app.request(Method::GET, "/api/health", None, None).await;
    assert_eq!(health.status, 503, "{}", health.text);
    assert_eq!(health.body["status"], "unhealthy");
    assert_eq!(health.body["database"], "postgres");
    assert_eq!(health.detail(), "The database is unreachable");
    for reply in [
        app.list_tasks(&token).await,
        app.register(&unique_email(), PASSWORD).await,
        app.login("x@example.com", PASSWORD).await,
    ] {
        reply.assert_error(503, "The database is temporarily unavailable. Please try again shortly.");
    }
}

/// What a program decides on: the `code`; what a person reads: the original `detail`, unchanged.
async fn every_refusal_carries_a_stable_code_beside_the_original_detail(db: Db) {
    let app = spawn_app_with(db, |c| {
        c.login_rate_limit = authdesk_server::RateLimit::parse("100/minute").unwrap();
        c.account_lockout = authdesk_server::RateLimit::parse("2/minute").unwrap();
    })
    .await;
    let (email, token) = (unique_email(), String::new());
    app.registered(&email, PASSWORD).await;
    app.register(&email, PASSWORD).await.assert_refused(409, "email_taken", "Email already registered");
    app.register("nope", PASSWORD).await.assert_refused(400, "invalid_email", "Invalid email format");
    app.register(&unique_email(), "short").await.assert_refused(
        400,
        "weak_password",
        "Password must be at least 8 characters long",
    );
    let anonymous = app.request(Method::GET, "/api/auth/me", None, None).await;
    anonymous.assert_refused(401, "not_authenticated", "Authorization header required");
    app.me(&token).await.assert_refused(401, "not_authenticated", "Invalid authorization format");
    app.me("not.a.jwt").await.assert_refused(401, "invalid_token", "Token error: malformed-token");

    let signed_in = app.login(&email, PASSWORD).await;
    let access = signed_in.body["access_token"].as_str().unwrap().to_owned();
    // A wrong password re-entered by a signed-in user is told apart from a refused session.
    let change = json!({"current_password": "Wrong-pass1!", "new_password": "Other-pass1!"});
    app.request(Method::POST, "/api/auth/password", Some(&access), Some(change)).await.assert_refused(
        401,
        "wrong_password",
        "Current password is incorrect",
    );
    assert_eq!(app.me(&access).await.status, 200, "a wrong re-entered password ends no session");
    app.request(Method::POST, "/api/auth/logout", Some(&access), None).await.assert_status(200);
    app.me(&access).await.assert_refused(401, "session_revoked", "Token error: revoked-token");

    // Failed checks of one account: the lockout, not a request rate.
    let other = unique_email();
    app.registered(&other, PASSWORD).await;
    for _ in 0..2 {
        app.login(&other, "Wrong-pass1!").await.assert_refused(401, "invalid_credentials", "Invalid email or password");
    }
    let locked = app.login(&other, "Wrong-pass1!").await;
    assert_eq!(locked.body["code"], "locked_out", "{}", locked.text);

    let unknown = app.request(Method::GET, "/api/nothing-here", None, None).await;
    unknown.assert_refused(404, "not_found", "Not Found");
    let wrong_method = app.request(Method::PUT, "/api/health", None, None).await;
    wrong_method.assert_refused(405, "method_not_allowed", "Method Not Allowed");
    let malformed = app.request(Method::POST, "/api/auth/login", None, Some(json!({"email": 1}))).await;
    assert_eq!(malformed.status, 422, "{}", malformed.text);
    assert_eq!(malformed.body["code"], "validation");
}

/// One request signs in: the answer says who, as `GET /api/auth/me` would.
async fn a_sign_in_answer_carries_the_signed_in_user(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let login = app.login(&email, PASSWORD).await;
    assert_eq!(login.status, 200, "{}", login.text);
    let token = login.body["access_token"].as_str().unwrap().to_owned();
    let me = app.me(&token).await;
    assert_eq!(login.body["user"], me.body, "the sign-in's user is the profile");
    assert_eq!(login.body["user"]["email"], email);
    assert!(login.body["user"]["last_login_at"].is_string(), "this sign-in is the last one: {}", login.text);
    // A refresh answers the tokens only.
    let refresh = json!({"refresh_token": login.body["refresh_token"]});
    let refreshed = app.request(Method::POST, "/api/auth/refresh", None, Some(refresh)).await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    assert!(refreshed.body.get("user").is_none(), "{}", refreshed.text);
}
