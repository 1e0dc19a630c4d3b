//! Invitations and allowed domains, told as a team's administrator uses them: invite an address
//! (the code mailed to it, shown once), the invitee signs up with it once; codes that stop working
//! (spent, expired, revoked, another address's); the command line for servers without mail; the
//! limit on tries; a server that registers only its company's domain.

use crate::common;

use std::process::Command;
use std::time::Duration;

use authdesk_server::config::{MailSettings, RegistrationMode};
use authdesk_server::store::{self, Role, UserRecord};
use authdesk_server::{Config, RateLimit};
use common::smtp::SmtpSink;
use common::totp::post;
use common::{output_within, spawn_app_with, unique_email, Db, Reply, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

both_backends!(
    an_invited_address_registers_with_its_code_once,
    invitations_expire_and_can_be_revoked,
    the_command_line_invites_for_servers_without_mail,
    invitation_tries_are_limited_per_client_address,
    a_server_for_one_domain_registers_only_its_addresses,
);

const INVALID: &str = "Invalid or expired invitation";

fn invite_only(sink: &SmtpSink) -> impl FnOnce(&mut Config) + '_ {
    move |c| {
        c.mail = Some(MailSettings::new(&sink.url, "authdesk <noreply@authdesk.test>").unwrap());
        c.registration.mode = RegistrationMode::Invite;
        c.registration.sign_in_alerts = Some(false);
        c.public_url = Some("https://team.example.test".into());
    }
}

/// An administrator made at the database (an `invite` server registers nobody without a code):
/// their access token.
async fn an_admin(app: &TestApp) -> String {
    let email = unique_email();
    let user = UserRecord {
        id: uuid::Uuid::new_v4(),
        email: email.clone(),
        password_hash: authdesk_server::auth::password::hash_blocking(PASSWORD),
        created_at: store::now(),
        role: Role::Admin,
        ..Default::default()
    };
    app.store.insert_user(&user, None).await.unwrap();
    let login = app.login(&email, PASSWORD).await;
    assert_eq!(login.status, 200, "{}", login.text);
    login.body["access_token"].as_str().unwrap().to_owned()
}

async fn invite(app: &TestApp, token: &str, email: &str, role: Option<&str>) -> Reply {
    let mut body = json!({ "email": email });
    if let Some(role) = role {
        body["role"] = json!(role);
    }
    post(app, "/api/admin/invitations", Some(token), body).await
}

async fn register_with(app: &TestApp, email: &str, code: &str) -> Reply {
    let body = json!({ "email": email, "password": PASSWORD, "invitation_code": code });
    post(app, "/api/auth/register", None, body).await
}

async fn pending(app: &TestApp, token: &str) -> Vec<Value> {
    let list = app.request(Method::GET, "/api/admin/invitations", Some(token), None).await;
    assert_eq!(list.status, 200, "{}", list.text);
    list.body["invitations"].as_array().unwrap().clone()
}

async fn an_invited_address_registers_with_its_code_once(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, invite_only(&sink)).await;
    let admin = an_admin(&app).await;
    let info = app.request(Method::GET, "/api/auth/registration", None, None).await;
    assert_eq!(info.body, json!({ "mode": "invite", "allowed_domains": [] }));

    let email = unique_email();
    let made = invite(&app, &admin, &email.to_uppercase(), Some("admin")).await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!((made.body["email"].as_str(), made.body["role"].as_str()), (Some(email.as_str()), Some("admin")));
    let code = made.body["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 19, "16 characters in groups of four: {code}");
    let mail = sink.nth_mail_to(&email, 1).await;
    assert!(mail.contains("Subject: You are invited to authdesk"), "{mail}");
    assert!(mail.contains(&code) && mail.contains("https://team.example.test"), "{mail}");

    let listed = pending(&app, &admin).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], made.body["id"]);
    assert!(listed[0].get("code").is_none(), "the code is shown once: {}", listed[0]);

    app.register(&email, PASSWORD).await.assert_refused(
        403,
        "invitation_required",
        "Registration requires an invitation",
    );
    register_with(&app, &unique_email(), &code).await.assert_refused(400, "invalid_invitation", INVALID);
    register_with(&app, &email, "AAAA-BBBB-CCCC-DDDD").await.assert_refused(400, "invalid_invitation", INVALID);
    let registered = register_with(&app, &email, &code.to_lowercase().replace('-', " ")).await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    assert_eq!(registered.body["message"], "User registered successfully");
    assert!(registered.body.get("verification_required").is_none());
    let signed_in = app.login(&email, PASSWORD).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    assert_eq!(
        (&signed_in.body["user"]["role"], &signed_in.body["user"]["email_verified"]),
        (&json!("admin"), &json!(true))
    );

    register_with(&app, &email, &code).await.assert_status(400);
    assert!(pending(&app, &admin).await.is_empty(), "a used invitation is no longer pending");
    invite(&app, &admin, &email, None).await.assert_refused(409, "email_taken", "Email already registered");
    // A user invited as a user is one, and cannot invite.
    let other = unique_email();
    let code = invite(&app, &admin, &other, None).await.body["code"].as_str().unwrap().to_owned();
    register_with(&app, &other, &code).await.assert_status(201);
    let login = app.login(&other, PASSWORD).await;
    assert_eq!(login.body["user"]["role"], "user");
    let ordinary = login.body["access_token"].as_str().unwrap().to_owned();
    invite(&app, &ordinary, &unique_email(), None).await.assert_refused(
        403,
        "admin_required",
        "Administrator access required",
    );
}

async fn invitations_expire_and_can_be_revoked(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, |c| {
        invite_only(&sink)(c);
        c.registration.invitation_ttl = Duration::from_secs(2);
    })
    .await;
    let admin = an_admin(&app).await;
    let (late, revoked) = (unique_email(), unique_email());
    let late_code = invite(&app, &admin, &late, None).await;
    let expires_at = common::at(&late_code.body["expires_at"]);
    let revoked_invitation = invite(&app, &admin, &revoked, None).await;
    let id = revoked_invitation.body["id"].as_str().unwrap();

    let gone = app.request(Method::DELETE, &format!("/api/admin/invitations/{id}"), Some(&admin), None).await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    register_with(&app, &revoked, revoked_invitation.body["code"].as_str().unwrap()).await.assert_status(400);
    let again = app.request(Method::DELETE, &format!("/api/admin/invitations/{id}"), Some(&admin), None).await;
    again.assert_refused(404, "not_found", "Invitation not found");

    common::wait_for("the invitation to expire", || async { store::now() > expires_at }).await;
    register_with(&app, &late, late_code.body["code"].as_str().unwrap()).await.assert_refused(
        400,
        "invalid_invitation",
        INVALID,
    );
    assert!(pending(&app, &admin).await.is_empty(), "expired invitations are not pending");
    let keep = common::retention(Duration::from_secs(86_400), Duration::from_secs(3600));
    let pruned = authdesk_server::prune::prune(&app.store, store::now(), keep).await.unwrap();
    assert_eq!(pruned.registrations, 1, "the expired invitation is deleted");
}

async fn the_command_line_invites_for_servers_without_mail(db: Db) {
    let app = spawn_app_with(db, |c| c.registration.mode = RegistrationMode::Invite).await;
    let email = unique_email();
    let out = output_within(
        Command::new(env!("CARGO_BIN_EXE_authdesk-server"))
            .args(["admin", "invite", &email, "--role", "admin", "--database-url", &app.db.url_string()])
            .env_remove("DATABASE_URL")
            .env_remove("BETTER_AUTH_SECRET"),
        Duration::from_secs(60),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let code = stdout.lines().last().unwrap().trim();
    assert_eq!(code.len(), 19, "the code alone on the last line: {stdout}");
    assert_eq!(register_with(&app, &email, code).await.status, 201);
    assert_eq!(app.login(&email, PASSWORD).await.body["user"]["role"], "admin");
}

async fn invitation_tries_are_limited_per_client_address(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, |c| {
        invite_only(&sink)(c);
        c.registration.invitation_tries_by_address = Some(RateLimit { max: 3, window: Duration::from_secs(3600) });
    })
    .await;
    let admin = an_admin(&app).await;
    let email = unique_email();
    let code = invite(&app, &admin, &email, None).await.body["code"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        register_with(&app, &email, "AAAA-BBBB-CCCC-DDDD").await.assert_status(400);
    }
    let limited = register_with(&app, &email, &code).await;
    assert_eq!(limited.status, 429, "{}", limited.text);
    assert!(limited.header("retry-after").is_some());
}

async fn a_server_for_one_domain_registers_only_its_addresses(db: Db) {
    let app = spawn_app_with(db, |c| c.registration.allowed_domains = vec!["example.com".into()]).await;
    let info = app.request(Method::GET, "/api/auth/registration", None, None).await;
    assert_eq!(info.body, json!({ "mode": "open", "allowed_domains": ["example.com"] }));
    let refused = "Registration is not open for this email address";
    for outside in ["ann@example.org", "ann@eu.example.com", "ann@example.com.evil.test"] {
        app.register(outside, PASSWORD).await.assert_refused(403, "domain_not_allowed", refused);
    }
    app.registered(&unique_email(), PASSWORD).await; // user-…@example.com

    // An administrator may invite anyone.
    let (id, _) = app.signed_up(&unique_email()).await;
    app.store.set_role(id, Role::Admin, &Default::default()).await.unwrap();
    let admin_email = app.store.user_by_id(id).await.unwrap().unwrap().email;
    let admin = app.login(&admin_email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    let code = invite(&app, &admin, "contractor@partner.test", None).await.body["code"].as_str().unwrap().to_owned();
    assert_eq!(register_with(&app, "contractor@partner.test", &code).await.status, 201);
}
