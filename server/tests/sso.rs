//! Single sign-on, told as a team meets it: a real OpenID Provider on loopback (oidc-provider), a
//! browser signing in at its page, and the desktop app's part played as RFC 8252 has it (a
//! loopback redirect URI, its own PKCE): new users get an account, later sign-ins find it by
//! subject, password accounts are linked only on a verified address, the one-time code works once
//! and only with its verifier, and everything a forger or a hostile page could send is refused.

use crate::common;

use authdesk_server::config::{RegistrationMode, SsoSettings, DEFAULT_OIDC_SCOPES};
use authdesk_server::store::{AuditEvent, AuditFilter, Role};
use authdesk_server::Config;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::oidc::{Browser, OidcProvider, CLIENT_ID, CLIENT_SECRET};
use common::totp::post;
use common::{spawn_app_at, unique_email, Db, Reply, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::json;
use sha2::{Digest, Sha256};

both_backends!(
    a_new_user_signs_in_and_a_second_sign_in_finds_the_same_account,
    a_password_account_is_linked_only_when_the_provider_verified_the_address,
    the_one_time_code_works_once_and_only_with_its_verifier,
    only_a_loopback_redirect_with_an_s256_challenge_starts_a_sign_in,
    a_sign_in_cancelled_at_the_provider_says_so_and_a_server_without_sso_says_it_is_off,
    a_forged_or_replayed_callback_is_refused,
    the_join_rules_apply_to_accounts_made_by_sign_on,
    a_disabled_account_is_refused,
    a_provider_that_is_down_answers_503_until_it_is_back,
    a_token_signed_with_a_key_the_provider_did_not_publish_is_refused,
    forged_id_tokens_are_refused,
    the_second_factor_is_still_asked,
);

/// Where the app waits, as the desktop app would listen (nothing needs to: the browser stops there).
const APP: &str = "http://127.0.0.1:53682/sso";

/// The server at a known port, single sign-on set up with a provider that knows its callback.
async fn sso_app(db: Db, configure: impl FnOnce(&mut Config)) -> (TestApp, OidcProvider) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let provider = OidcProvider::start(&format!("http://127.0.0.1:{port}/api/auth/sso/callback"));
    (sso_app_with(db, listener, &provider, configure).await, provider)
}

/// The server on `listener`, signing in through `provider`.
async fn sso_app_with(
    db: Db,
    listener: std::net::TcpListener,
    provider: &OidcProvider,
    configure: impl FnOnce(&mut Config),
) -> TestApp {
    let public = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let issuer = provider.issuer.clone();
    spawn_app_at(db, listener, |c| {
        c.sso = Some(
            SsoSettings::new(&issuer, CLIENT_ID, CLIENT_SECRET, "Acme SSO", DEFAULT_OIDC_SCOPES, Some(&public))
                .unwrap(),
        );
        c.public_url = Some(public);
        configure(c);
    })
    .await
}

/// The app's half of a sign-in: its state and PKCE verifier, and the start URL it opens.
struct AppSide {
    state: String,
    verifier: String,
    start: String,
}

impl AppSide {
    fn new(app: &TestApp) -> Self {
        let state = uuid::Uuid::new_v4().simple().to_string();
        let verifier = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let query = [
            ("redirect_uri", APP),
            ("state", &state),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ];
        let start = reqwest::Url::parse_with_params(&app.url("/api/auth/sso/start"), query).unwrap().to_string();
        Self { state, verifier, start }
    }
}

/// The query of where the browser landed, as pairs.
fn query(landed: &reqwest::Url) -> std::collections::HashMap<String, String> {
    landed.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// Signs in at the provider as `login` and lands at the app: its query.
async fn sign_in(side: &AppSide, login: &str) -> std::collections::HashMap<String, String> {
    let landed = Browser::new().sign_in(&side.start, Some(login), APP).await.unwrap_or_else(|e| panic!("{e:?}"));
    let q = query(&landed);
    assert_eq!(q.get("state"), Some(&side.state), "the app's own state comes back: {landed}");
    q
}

async fn trade(app: &TestApp, code: &str, verifier: &str) -> Reply {
    post(app, "/api/auth/sso/token", None, json!({ "code": code, "code_verifier": verifier })).await
}

/// A whole sign-in as `login`: the login response.
async fn signed_in(app: &TestApp, login: &str) -> Reply {
    let side = AppSide::new(app);
    let q = sign_in(&side, login).await;
    let code = q.get("code").unwrap_or_else(|| panic!("no code: {q:?}"));
    let reply = trade(app, code, &side.verifier).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply
}

async fn a_new_user_signs_in_and_a_second_sign_in_finds_the_same_account(db: Db) {
    let (app, provider) = sso_app(db, |_| {}).await;
    let info = app.request(Method::GET, "/api/auth/sso", None, None).await;
    assert_eq!(info.body, json!({ "enabled": true, "name": "Acme SSO" }));

    let email = unique_email();
    provider.account("subject-1", &email, true).await;
    let first = signed_in(&app, "subject-1").await;
    assert_eq!(first.body["email"], email.as_str());
    assert_eq!(first.body["user"]["email_verified"], true);
    assert_eq!(first.body["user"]["linked_providers"], json!([provider.issuer]));
    let token = first.body["access_token"].as_str().unwrap();
    assert_eq!(app.me(token).await.status, 200);

    // The address changed at the provider: the subject still names the same account.
    provider.account("subject-1", &format!("renamed-{email}"), true).await;
    let second = signed_in(&app, "subject-1").await;
    assert_eq!(second.body["user_id"], first.body["user_id"]);
    // No password was ever set: password sign-in answers as for any wrong password.
    app.login(&email, PASSWORD).await.assert_refused(401, "invalid_credentials", "Invalid email or password");

    let filter = AuditFilter { kind: Some("login_succeeded".into()), limit: 10, ..Default::default() };
    let events = app.store.audit_events(&filter).await.unwrap();
    let details: Vec<serde_json::Value> =
        events.iter().map(|e| serde_json::from_str(e.details.as_deref().unwrap()).unwrap()).collect();
    assert!(
        details
            .iter()
            .all(|d| d["method"] == "sso" && d["subject"] == "subject-1" && d["issuer"] == provider.issuer.as_str()),
        "{details:?}"
    );
    assert_eq!(details.len(), 2);
}

async fn a_password_account_is_linked_only_when_the_provider_verified_the_address(db: Db) {
    let (app, provider) = sso_app(db, |_| {}).await;
    let email = unique_email();
    let (id, _) = app.signed_up(&email).await;

    provider.account("stranger", &email, false).await;
    let side = AppSide::new(&app);
    let refused = sign_in(&side, "stranger").await;
    assert_eq!(refused.get("error").map(String::as_str), Some("email_not_verified"), "{refused:?}");
    assert!(refused.get("error_description").is_some_and(|d| d.contains("not verified")));
    assert!(!refused.contains_key("code"));

    provider.account("owner", &email, true).await;
    let linked = signed_in(&app, "owner").await;
    assert_eq!(linked.body["user_id"], id.to_string());
    assert_eq!(app.login(&email, PASSWORD).await.status, 200, "the password still works");
}

async fn the_one_time_code_works_once_and_only_with_its_verifier(db: Db) {
    let (app, provider) = sso_app(db, |_| {}).await;
    provider.account("subject-2", &unique_email(), true).await;
    let login = "subject-2";
    let side = AppSide::new(&app);
    let q = sign_in(&side, login).await;
    let other_verifier = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    let invalid = "Invalid or expired sign-in code";
    trade(&app, &q["code"], &other_verifier).await.assert_refused(400, "invalid_grant", invalid);
    trade(&app, &q["code"], &side.verifier).await.assert_refused(400, "invalid_grant", invalid);

    let side = AppSide::new(&app);
    let q = sign_in(&side, login).await;
    assert_eq!(trade(&app, &q["code"], &side.verifier).await.status, 200);
    trade(&app, &q["code"], &side.verifier).await.assert_refused(400, "invalid_grant", invalid);
    trade(&app, "made-up", &side.verifier).await.assert_refused(400, "invalid_grant", invalid);
}

async fn only_a_loopback_redirect_with_an_s256_challenge_starts_a_sign_in(db: Db) {
    let (app, _provider) = sso_app(db, |_| {}).await;
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(b"a verifier long enough to be one, forty-three or more"));
    let start = |redirect: &str, challenge: &str, method: &str| {
        let query = [
            ("redirect_uri", redirect),
            ("state", "s"),
            ("code_challenge", challenge),
            ("code_challenge_method", method),
        ];
        reqwest::Url::parse_with_params(&app.url("/api/auth/sso/start"), query).unwrap().to_string()
    };
    let browser = Browser::new();
    for redirect in
        ["https://evil.example.com/cb", "http://localhost:53682/cb", "http://127.0.0.1/cb", "http://127.0.0.1:1/cb?x=1"]
    {
        let (status, location, body) = browser.get(&start(redirect, &challenge, "S256")).await;
        assert_eq!((status, location), (400, None), "{redirect}: {body}");
        assert!(body.contains("invalid_redirect_uri"), "{body}");
    }
    for (challenge, method) in [("", "S256"), (challenge.as_str(), "plain")] {
        let (status, _, body) = browser.get(&start(APP, challenge, method)).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("invalid_redirect_uri"), "{body}");
    }
    let (status, location, _) = browser.get(&start(APP, &challenge, "S256")).await;
    assert_eq!(status, 303);
    assert!(location.is_some_and(|l| l.starts_with("http://127.0.0.1:") && l.contains("/auth?")));

    // That sign-in is never finished: its round trip is deleted once expired, not before.
    let keep = common::retention(std::time::Duration::from_secs(86_400), std::time::Duration::from_secs(3600));
    let prune = |at| authdesk_server::prune::prune(&app.store, at, keep);
    assert_eq!(prune(authdesk_server::store::now()).await.unwrap().registrations, 0);
    let later = authdesk_server::store::now() + chrono::TimeDelta::minutes(11);
    assert_eq!(prune(later).await.unwrap().registrations, 1, "the abandoned round trip is deleted");
}

async fn a_sign_in_cancelled_at_the_provider_says_so_and_a_server_without_sso_says_it_is_off(db: Db) {
    let (app, _provider) = sso_app(db, |_| {}).await;
    let side = AppSide::new(&app);
    let landed = Browser::new().sign_in(&side.start, None, APP).await.unwrap();
    let q = query(&landed);
    assert_eq!(
        (q.get("error").map(String::as_str), q.get("state")),
        (Some("access_denied"), Some(&side.state)),
        "{landed}"
    );
    let refusals = AuditFilter { kind: Some("sso_refused".into()), limit: 10, ..Default::default() };
    assert_eq!(app.store.audit_events(&refusals).await.unwrap().len(), 1);

    let plain = common::spawn_app(db).await;
    let info = plain.request(Method::GET, "/api/auth/sso", None, None).await;
    assert_eq!(info.body, json!({ "enabled": false, "name": null }));
    let start = plain.request(Method::GET, "/api/auth/sso/start", None, None).await;
    start.assert_refused(404, "not_found", "Single sign-on is not set up on this server");
}

async fn a_forged_or_replayed_callback_is_refused(db: Db) {
    let (app, provider) = sso_app(db, |_| {}).await;
    let browser = Browser::new();
    let (status, location, body) = browser.get(&app.url("/api/auth/sso/callback?code=forged&state=made-up")).await;
    assert_eq!((status, location), (400, None), "{body}");
    assert!(body.contains("invalid_state"), "{body}");

    // The provider's redirect, caught on its way to the server, used twice.
    let side = AppSide::new(&app);
    let callback = app.url("/api/auth/sso/callback");
    provider.account("subject-3", &unique_email(), true).await;
    let caught = browser.sign_in(&side.start, Some("subject-3"), &callback).await.unwrap();
    let (status, location, _) = browser.get(caught.as_str()).await;
    assert_eq!(status, 303);
    assert!(location.unwrap().starts_with(APP));
    let (status, location, body) = browser.get(caught.as_str()).await;
    assert_eq!((status, location), (400, None), "a replayed state: {body}");
}

async fn the_join_rules_apply_to_accounts_made_by_sign_on(db: Db) {
    let (app, provider) = sso_app(db, |c| c.registration.mode = RegistrationMode::Invite).await;
    let email = unique_email();
    provider.account("newcomer", &email, true).await;
    let side = AppSide::new(&app);
    let closed = sign_in(&side, "newcomer").await;
    assert_eq!(closed.get("error").map(String::as_str), Some("registration_closed"), "{closed:?}");

    let admin = authdesk_server::admin::Admin::new(app.store.clone());
    let by = authdesk_server::admin::Actor::operator();
    admin.invite(&email, Role::Admin, std::time::Duration::from_secs(3600), None, &by).await.unwrap();
    let joined = signed_in(&app, "newcomer").await;
    assert_eq!(joined.body["user"]["role"], "admin", "the invitation's role");
    assert!(admin.invitations().await.unwrap().is_empty(), "the invitation is spent");

    let (app, provider) = sso_app(db, |c| c.registration.allowed_domains = vec!["example.com".into()]).await;
    provider.account("outsider", "ann@example.org", true).await;
    provider.account("insider", &unique_email(), true).await;
    let side = AppSide::new(&app);
    let outside = sign_in(&side, "outsider").await;
    assert_eq!(outside.get("error").map(String::as_str), Some("registration_closed"), "{outside:?}");
    assert_eq!(signed_in(&app, "insider").await.status, 200);
}

async fn a_disabled_account_is_refused(db: Db) {
    let (app, provider) = sso_app(db, |_| {}).await;
    provider.account("subject-4", &unique_email(), true).await;
    let login = "subject-4";
    let first = signed_in(&app, login).await;
    let id = first.body["user_id"].as_str().unwrap().parse().unwrap();
    app.store.set_disabled(id, true, authdesk_server::store::now(), &AuditEvent::default()).await.unwrap();
    let side = AppSide::new(&app);
    let refused = sign_in(&side, login).await;
    assert_eq!(refused.get("error").map(String::as_str), Some("account_disabled"), "{refused:?}");
}

async fn a_provider_that_is_down_answers_503_until_it_is_back(db: Db) {
    let (app, provider) = sso_app(db, |_| {}).await;
    let where_it_was = provider.stop();
    let side = AppSide::new(&app);
    let (status, _, body) = Browser::new().get(&side.start).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("The sign-in provider is unavailable"), "{body}");
    let provider = OidcProvider::restart(where_it_was);
    provider.account("subject-5", &unique_email(), true).await;
    assert_eq!(signed_in(&app, "subject-5").await.status, 200);
}

/// The provider restarts with keys of its own making: its next ID token is signed with a key the
/// server did not fetch, and within a minute of the last fetch the server does not fetch again.
async fn a_token_signed_with_a_key_the_provider_did_not_publish_is_refused(db: Db) {
    let (app, provider) = sso_app(db, |_| {}).await;
    let email = unique_email();
    provider.account("subject-6", &email, true).await;
    assert_eq!(signed_in(&app, "subject-6").await.status, 200);
    let provider = OidcProvider::restart(provider.stop());
    provider.account("subject-6", &email, true).await;
    let side = AppSide::new(&app);
    let refused = sign_in(&side, "subject-6").await;
    assert_eq!(refused.get("error").map(String::as_str), Some("server_error"), "{refused:?}");
    assert!(!refused.contains_key("code"));
}

/// A provider that answers the code exchange with an ID token signed by a key it did not publish,
/// or issued to another client: no account, no code, the app told it failed.
async fn forged_id_tokens_are_refused(db: Db) {
    for forge in ["key", "audience"] {
        let forger = OidcProvider::forger(forge);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let app = sso_app_with(db, listener, &forger, |_| {}).await;
        let side = AppSide::new(&app);
        let refused = sign_in(&side, "anyone").await;
        assert_eq!(refused.get("error").map(String::as_str), Some("server_error"), "{forge}: {refused:?}");
        assert!(!refused.contains_key("code"));
        assert!(app.store.user_by_email("forged@example.com").await.unwrap().is_none(), "{forge}");
    }
}

/// The provider's sign-in does not skip authdesk's own second factor.
async fn the_second_factor_is_still_asked(db: Db) {
    let (app, provider) = sso_app(db, |_| {}).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    common::totp::turn_on(&app, &token).await;
    provider.account("with-a-factor", &email, true).await;
    let side = AppSide::new(&app);
    let q = sign_in(&side, "with-a-factor").await;
    let reply = trade(&app, &q["code"], &side.verifier).await;
    assert_eq!(reply.status, 401, "{}", reply.text);
    assert_eq!(reply.body["mfa_required"], true);
    assert!(reply.body.get("access_token").is_none());
}
