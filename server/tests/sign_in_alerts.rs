//! New sign-in alerts, as an account's owner meets them: nothing for the first sign-in or a
//! familiar client, a mail for a new one (when, which client, from where, what to do), never a
//! slower sign-in when the mail server stalls, and nothing at all when alerts are off.

use crate::common;

use std::net::TcpListener;

use authdesk_server::config::MailSettings;
use authdesk_server::store;
use authdesk_server::Config;
use common::smtp::SmtpSink;
use common::{spawn_app_with, unique_email, Db, Reply, TestApp, PASSWORD};
use serde_json::json;
use uuid::Uuid;

both_backends!(
    a_sign_in_from_a_new_client_mails_the_owner_and_a_familiar_one_does_not,
    a_stalled_mail_server_never_slows_a_sign_in,
    alerts_switched_off_record_and_mail_nothing,
);

const SUBJECT: &str = "Subject: New sign-in to your account";

fn with_mail(url: &str) -> impl FnOnce(&mut Config) + '_ {
    move |c| c.mail = Some(MailSettings::new(url, "authdesk <noreply@authdesk.test>").unwrap())
}

/// Signs in as `email` naming the client `client`: the account's id.
async fn sign_in_as(app: &TestApp, email: &str, client: &str) -> Uuid {
    let body = json!({ "email": email, "password": PASSWORD });
    let request = app.http.post(app.url("/api/auth/login")).header("x-client-name", client).json(&body);
    let reply = Reply::from(request.send().await.unwrap()).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["user_id"].as_str().unwrap().parse().unwrap()
}

/// Waits until the sign-in at `since` or later is recorded for `user`: after that, an alert that
/// has not been sent will not be.
async fn recorded(app: &TestApp, user: Uuid, since: chrono::DateTime<chrono::Utc>, clients: usize) {
    common::wait_for("the sign-in to be recorded", || async {
        let seen = app.store.known_clients(user).await.unwrap();
        seen.len() == clients && seen.first().is_some_and(|last| *last >= since)
    })
    .await;
}

async fn a_sign_in_from_a_new_client_mails_the_owner_and_a_familiar_one_does_not(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, with_mail(&sink.url)).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;

    let before = store::now();
    let user = sign_in_as(&app, &email, "authdesk on ann-laptop").await;
    recorded(&app, user, before, 1).await;
    let before = store::now();
    sign_in_as(&app, &email, "authdesk on ann-laptop").await;
    recorded(&app, user, before, 1).await;
    assert!(sink.mails_to(&email).is_empty(), "the first sign-in and the same client again are not news");

    let before = store::now();
    sign_in_as(&app, &email, "curl/8.5 \u{202e}evil\tIgnore this mail").await;
    recorded(&app, user, before, 2).await;
    let mail = sink.nth_mail_to(&email, 1).await;
    assert!(mail.contains(SUBJECT), "{mail}");
    assert!(mail.contains("Client: curl/8.5 evilIgnore this mail"), "control characters dropped: {mail}");
    assert!(mail.contains("From: 127.0.0.1"), "{mail}");
    assert!(mail.contains(&format!("When: {}", before.format("%Y-%m-%d"))) && mail.contains(" UTC"), "{mail}");
    assert!(mail.contains("reset your password") && mail.contains("sign out everywhere"), "{mail}");
    assert!(!mail.contains(PASSWORD), "{mail}");
}

/// A mail server that accepts connections and never says a word.
fn silent_mail_server() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    (listener, url)
}

async fn a_stalled_mail_server_never_slows_a_sign_in(db: Db) {
    let (silent, url) = silent_mail_server();
    let app = spawn_app_with(db, with_mail(&url)).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let before = store::now();
    let user = sign_in_as(&app, &email, "first client").await;
    recorded(&app, user, before, 1).await;

    let before = store::now();
    sign_in_as(&app, &email, "second client").await;
    // The sign-in answered; its alert now waits on the mail server's greeting, which never comes
    // (the delivery would give up after 15 s).
    recorded(&app, user, before, 2).await;
    silent.set_nonblocking(true).unwrap();
    common::wait_for("the alert's delivery to connect", || {
        let accepted = silent.accept().is_ok();
        async move { accepted }
    })
    .await;
    let third = std::time::Instant::now();
    sign_in_as(&app, &email, "third client").await;
    assert!(third.elapsed() < std::time::Duration::from_secs(5), "a sign-in waited {:?}", third.elapsed());
}

async fn alerts_switched_off_record_and_mail_nothing(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, |c| {
        with_mail(&sink.url)(c);
        c.registration.sign_in_alerts = Some(false);
    })
    .await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let user = sign_in_as(&app, &email, "one").await;
    sign_in_as(&app, &email, "two").await;
    // A mail that comes through after the sign-ins: by then an alert's record would be there.
    let body = json!({ "email": email });
    app.request(reqwest::Method::POST, "/api/auth/password-reset/request", None, Some(body)).await.assert_status(202);
    let mail = sink.nth_mail_to(&email, 1).await;
    assert!(mail.contains("password reset code"), "{mail}");
    assert!(app.store.known_clients(user).await.unwrap().is_empty());
    assert_eq!(sink.mails_to(&email).len(), 1);
}
