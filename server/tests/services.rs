//! The auth rules, called as services over a real store with no HTTP in between: what each flow
//! decides, in the domain's own terms (`AuthError`), on SQLite and on PostgreSQL.

use crate::common;

use std::time::Duration;

use authdesk_contract::PasswordRule;
use authdesk_server::auth::{Auth, AuthError, Context, Credentials, Registered, TokenError};
use authdesk_server::store::{self, Store, UserRecord};
use authdesk_server::{Config, RateLimit};
use common::{test_config, unique_email, Db, TestDb, PASSWORD};

both_backends!(
    registration_normalises_the_email_and_enforces_the_rules,
    login_opens_a_session_the_token_check_accepts,
    unknown_email_and_wrong_password_are_one_error_for_the_same_work,
    repeated_failures_lock_the_account_known_or_not,
    refresh_rotates_forgives_a_racing_twin_and_ends_a_copied_session,
    password_change_checks_the_current_one_and_ends_the_other_sessions,
    account_deletion_needs_the_password_and_leaves_tokens_useless,
    a_bcrypt_hash_is_upgraded_at_the_first_login,
);

/// The services over a fresh database; the `TestDb` must outlive them.
async fn services(db: Db, configure: impl FnOnce(&mut Config)) -> (Auth, TestDb) {
    let test_db = TestDb::new(db).await;
    let mut config = test_config(&test_db);
    configure(&mut config);
    let store = Store::open(&config.database, config.database_timeout).await.expect("the store opens");
    (Auth::new(&config, store, None, None), test_db)
}

/// A request's origin, as the HTTP layer would describe it.
fn ctx(client: &str) -> Context {
    Context { client: client.into(), ..Context::default() }
}

fn credentials(email: &str, password: &str) -> Credentials {
    Credentials { email: email.into(), password: password.into() }
}

/// Registers on an open server (no invitation): the account made.
async fn register(auth: &Auth, credentials: Credentials) -> Result<UserRecord, AuthError> {
    match auth.register(credentials, None, &ctx("test")).await? {
        Registered::Created(user) => Ok(user),
        other => panic!("an open server answered {other:?}"),
    }
}

async fn registration_normalises_the_email_and_enforces_the_rules(db: Db) {
    let (auth, _db) = services(db, |_| {}).await;
    let user = register(&auth, credentials("  Ann.Lee@Example.COM ", PASSWORD)).await.unwrap();
    assert_eq!(user.email, "ann.lee@example.com");
    assert!(user.password_hash.starts_with("$argon2id$"));

    let taken = register(&auth, credentials("ANN.LEE@example.com", PASSWORD)).await;
    assert!(matches!(taken, Err(AuthError::EmailTaken)), "{taken:?}");
    let invalid = register(&auth, credentials("not-an-email", PASSWORD)).await;
    assert!(matches!(invalid, Err(AuthError::InvalidEmail(_))), "{invalid:?}");
    let weak = register(&auth, credentials(&unique_email(), "short")).await;
    assert!(matches!(weak, Err(AuthError::WeakPassword(PasswordRule::MinLength))), "{weak:?}");
}

async fn login_opens_a_session_the_token_check_accepts(db: Db) {
    let (auth, _db) = services(db, |_| {}).await;
    let email = unique_email();
    let user = register(&auth, credentials(&email, PASSWORD)).await.unwrap();
    let grant = auth.login(credentials(&email.to_uppercase(), PASSWORD), &ctx("a laptop")).await.unwrap();
    assert_eq!(grant.user.id, user.id);

    let (who, session) = auth.authenticate(&grant.access_token).await.unwrap();
    assert_eq!((who.id, session), (user.id, Some(grant.session_id)));
    assert!(who.last_login_at.is_some(), "the login is recorded");
    let sessions = auth.sessions(&who).await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].label, "a laptop");
    let garbage = auth.authenticate("not.a.token").await;
    assert!(matches!(garbage, Err(AuthError::Token(TokenError::Malformed))), "{garbage:?}");
}

async fn unknown_email_and_wrong_password_are_one_error_for_the_same_work(db: Db) {
    let (auth, _db) = services(db, |_| {}).await;
    let email = unique_email();
    register(&auth, credentials(&email, PASSWORD)).await.unwrap();
    for (who, password) in [(email.as_str(), "Wr0ng!Password"), ("nobody@example.com", PASSWORD)] {
        let before = auth.hasher.verifications();
        let refused = auth.login(credentials(who, password), &ctx("test")).await;
        assert!(matches!(refused, Err(AuthError::BadCredentials)), "{who}: {refused:?}");
        assert_eq!(auth.hasher.verifications() - before, 1, "{who}: one full verification");
    }
}

async fn repeated_failures_lock_the_account_known_or_not(db: Db) {
    let limit = RateLimit::parse("3/15minutes").unwrap();
    let (auth, _db) = services(db, |c| c.account_lockout = limit).await;
    let known = unique_email();
    register(&auth, credentials(&known, PASSWORD)).await.unwrap();
    for email in [known.as_str(), "Unknown@Example.com"] {
        for _ in 0..3 {
            let refused = auth.login(credentials(email, "Wr0ng!Password"), &ctx("test")).await;
            assert!(matches!(refused, Err(AuthError::BadCredentials)), "{refused:?}");
        }
        // Even the right password waits now, and the wait is the window's rest.
        match auth.login(credentials(&email.to_lowercase(), PASSWORD), &ctx("test")).await {
            Err(AuthError::Limited { noun: "login attempts", retry_after, lockout: true }) => {
                assert!(retry_after > Duration::from_secs(14 * 60) && retry_after <= Duration::from_secs(15 * 60));
            }
            other => panic!("{email}: expected a lockout, got {other:?}"),
        }
    }
}

async fn refresh_rotates_forgives_a_racing_twin_and_ends_a_copied_session(db: Db) {
    let (auth, _db) = services(db, |c| c.refresh_grace = Duration::from_secs(1)).await;
    let email = unique_email();
    register(&auth, credentials(&email, PASSWORD)).await.unwrap();
    let first = auth.login(credentials(&email, PASSWORD), &ctx("test")).await.unwrap();

    let second = auth.refresh(&first.refresh_token, &ctx("test")).await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(second.session_id, first.session_id);
    let twin = auth.refresh(&first.refresh_token, &ctx("test")).await.unwrap();
    assert_eq!(twin.refresh_token, second.refresh_token, "a racing twin gets the same successor");

    tokio::time::sleep(Duration::from_millis(1200)).await;
    let copied = auth.refresh(&first.refresh_token, &ctx("test")).await;
    assert!(matches!(copied, Err(AuthError::RefreshTokenReused)), "{copied:?}");
    let after = auth.refresh(&second.refresh_token, &ctx("test")).await;
    assert!(matches!(after, Err(AuthError::SessionSignedOut)), "{after:?}");
    let revoked = auth.authenticate(&second.access_token).await;
    assert!(matches!(revoked, Err(AuthError::Token(TokenError::Revoked))), "{revoked:?}");
    let unknown = auth.refresh("never-issued", &ctx("test")).await;
    assert!(matches!(unknown, Err(AuthError::UnknownRefreshToken)), "{unknown:?}");
}

async fn password_change_checks_the_current_one_and_ends_the_other_sessions(db: Db) {
    let (auth, _db) = services(db, |_| {}).await;
    let email = unique_email();
    let user = register(&auth, credentials(&email, PASSWORD)).await.unwrap();
    let here = auth.login(credentials(&email, PASSWORD), &ctx("here")).await.unwrap();
    let there = auth.login(credentials(&email, PASSWORD), &ctx("there")).await.unwrap();
    let new_password = "N3w!Passw0rd-2026";

    let wrong = auth
        .change_password(&user, Some(here.session_id), "Wr0ng!Password".into(), new_password.into(), &ctx("test"))
        .await;
    assert!(matches!(wrong, Err(AuthError::WrongCurrentPassword)), "{wrong:?}");
    let weak = auth.change_password(&user, Some(here.session_id), PASSWORD.into(), "weak".into(), &ctx("test")).await;
    assert!(matches!(weak, Err(AuthError::WeakPassword(_))), "{weak:?}");

    auth.change_password(&user, Some(here.session_id), PASSWORD.into(), new_password.into(), &ctx("test"))
        .await
        .unwrap();
    assert!(auth.authenticate(&here.access_token).await.is_ok(), "this session stays");
    let ended = auth.authenticate(&there.access_token).await;
    assert!(matches!(ended, Err(AuthError::Token(TokenError::Revoked))), "{ended:?}");
    let old = auth.login(credentials(&email, PASSWORD), &ctx("test")).await;
    assert!(matches!(old, Err(AuthError::BadCredentials)), "{old:?}");
    auth.login(credentials(&email, new_password), &ctx("test")).await.unwrap();
}

async fn account_deletion_needs_the_password_and_leaves_tokens_useless(db: Db) {
    let (auth, _db) = services(db, |_| {}).await;
    let email = unique_email();
    let user = register(&auth, credentials(&email, PASSWORD)).await.unwrap();
    let grant = auth.login(credentials(&email, PASSWORD), &ctx("test")).await.unwrap();

    let wrong = auth.delete_account(&user, "Wr0ng!Password".into(), &ctx("test")).await;
    assert!(matches!(wrong, Err(AuthError::WrongPassword)), "{wrong:?}");
    assert!(auth.store.user_by_id(user.id).await.unwrap().is_some(), "a refusal deletes nothing");

    auth.delete_account(&user, PASSWORD.into(), &ctx("test")).await.unwrap();
    assert!(auth.store.user_by_id(user.id).await.unwrap().is_none());
    let gone = auth.authenticate(&grant.access_token).await;
    assert!(matches!(gone, Err(AuthError::Token(TokenError::Invalid))), "{gone:?}");
    let refresh = auth.refresh(&grant.refresh_token, &ctx("test")).await;
    assert!(matches!(refresh, Err(AuthError::UnknownRefreshToken)), "{refresh:?}");
}

async fn a_bcrypt_hash_is_upgraded_at_the_first_login(db: Db) {
    let (auth, _db) = services(db, |_| {}).await;
    let user = UserRecord {
        id: uuid::Uuid::new_v4(),
        email: unique_email(),
        password_hash: bcrypt::hash(PASSWORD, 4).unwrap(),
        created_at: store::now(),
        last_login_at: None,
        tokens_not_before: None,
        ..Default::default()
    };
    auth.store.insert_user(&user, None).await.unwrap();
    auth.login(credentials(&user.email, PASSWORD), &ctx("test")).await.unwrap();
    let stored = auth.store.user_by_id(user.id).await.unwrap().unwrap();
    assert!(stored.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", stored.password_hash);
    auth.login(credentials(&user.email, PASSWORD), &ctx("test")).await.expect("the upgraded hash verifies");
}
