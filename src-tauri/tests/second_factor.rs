//! The second factor and password reset through the shell, without a window, on the embedded
//! server: turning TOTP on, a sign-in that waits for its code (wrong codes keep it waiting, the
//! challenge never reaches the UI), recovery codes saved to a private file, and a forgotten
//! password reset with the administrator's code.

use std::time::{SystemTime, UNIX_EPOCH};

use authdesk_desktop::{Desktop, ErrorKind, SignInStep};
use authdesk_server::DatabaseUrl;
use totp_rs::{Algorithm, Secret, TOTP};

const PASSWORD: &str = "Str0ng!Pass";

/// The code an authenticator app shows for `secret`, `steps_back` steps of 30 s ago.
fn code(secret: &str, steps_back: u64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes).generate(now - 30 * steps_back)
}

/// Waits, if needed, until at least 8 s are left in the current 30 s step.
async fn early_in_a_step() {
    let into = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() % 30;
    if into > 22 {
        tokio::time::sleep(std::time::Duration::from_secs(30 - into + 1)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_factor_is_set_up_and_asked_for_at_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let app = Desktop::open_with_files(dir.path().to_owned()).await.unwrap();
    app.register("mo@example.com".into(), PASSWORD.into(), None).await.unwrap();

    // A wrong password is the user's mistake, not a refused session.
    let wrong = app.set_up_totp("Wr0ng!Pass".into()).await.unwrap_err();
    assert_eq!((wrong.kind, wrong.message.as_str()), (ErrorKind::Rejected, "Password is incorrect"));
    assert!(app.me().await.is_ok(), "still signed in");

    let setup = app.set_up_totp(PASSWORD.into()).await.unwrap();
    assert!(setup.otpauth_url.contains(&setup.secret));
    assert!(setup.qr_svg.contains("<svg"), "{}", setup.qr_svg);
    let refused = app.enable_totp("000000".into()).await.unwrap_err();
    assert_eq!((refused.kind, refused.message.as_str()), (ErrorKind::Rejected, "Invalid code"));
    early_in_a_step().await;
    let codes = app.enable_totp(code(&setup.secret, 1)).await.unwrap();
    assert_eq!(codes.len(), 10);
    let me = app.me().await.unwrap();
    assert_eq!((me.mfa_enabled, me.recovery_codes_left), (true, 10));

    // Saved to a new private file each time, never over the last one.
    let saved = app.save_recovery_codes_in(dir.path(), codes.clone()).unwrap();
    let again = app.save_recovery_codes_in(dir.path(), codes.clone()).unwrap();
    assert_ne!(saved, again);
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(text.contains("mo@example.com") && codes.iter().all(|c| text.contains(c)), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // Sign in again: the password is not enough.
    app.logout(false).await.unwrap();
    let step = app.login("mo@example.com".into(), PASSWORD.into()).await.unwrap();
    assert_eq!(step, SignInStep::SecondFactor { email: "mo@example.com".into() });
    assert_eq!(app.me().await.unwrap_err().kind, ErrorKind::Unauthorized, "not signed in yet");
    let wrong = app.verify_second_factor("000000".into(), false).await.unwrap_err();
    assert_eq!((wrong.kind, wrong.message.as_str()), (ErrorKind::Rejected, "Invalid code"));
    // The same sign-in takes the right code after a wrong one.
    let user = app.verify_second_factor(code(&setup.secret, 0), false).await.unwrap();
    assert_eq!(user.email, "mo@example.com");
    assert!(app.me().await.is_ok());

    // With a recovery code instead; it works once.
    app.logout(false).await.unwrap();
    app.login("mo@example.com".into(), PASSWORD.into()).await.unwrap();
    app.verify_second_factor(codes[0].clone(), true).await.unwrap();
    app.logout(false).await.unwrap();
    app.login("mo@example.com".into(), PASSWORD.into()).await.unwrap();
    let used = app.verify_second_factor(codes[0].clone(), true).await.unwrap_err();
    assert_eq!(used.kind, ErrorKind::Rejected);

    // Nothing waits once a sign-in ended: the UI must start over.
    let fresh = Desktop::open_with_files(tempfile::tempdir().unwrap().path().to_owned()).await.unwrap();
    let nothing = fresh.verify_second_factor("123456".into(), false).await.unwrap_err();
    assert_eq!(
        (nothing.kind, nothing.message.as_str()),
        (ErrorKind::Unauthorized, "Sign-in expired, please sign in again")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_with_the_administrators_code() {
    let dir = tempfile::tempdir().unwrap();
    let app = Desktop::open_with_files(dir.path().to_owned()).await.unwrap();
    app.register("ny@example.com".into(), PASSWORD.into(), None).await.unwrap();
    app.logout(false).await.unwrap();

    let info = app.app_info().await;
    let database = info.embedded_database.expect("the embedded server's database is named");
    let asked = app.request_password_reset("ny@example.com".into()).await.unwrap();
    assert_eq!(asked, "If an account exists for that address, a reset code has been sent.");

    // What `authdesk-server admin reset-code` does, on the path the screen shows.
    let url = DatabaseUrl::Sqlite(database.into());
    let (_, code) = authdesk_server::admin::reset_code(&url, "ny@example.com").await.unwrap();
    let weak = app.confirm_password_reset("ny@example.com".into(), code.clone(), "weak".into()).await.unwrap_err();
    assert_eq!(weak.kind, ErrorKind::Rejected);
    let done = app.confirm_password_reset("ny@example.com".into(), code.clone(), "N3w!Password".into()).await.unwrap();
    assert!(done.contains("reset"), "{done}");
    let again = app.confirm_password_reset("ny@example.com".into(), code, "An0ther!Pass".into()).await.unwrap_err();
    assert_eq!((again.kind, again.message.as_str()), (ErrorKind::Rejected, "Invalid or expired code"));

    assert!(app.login("ny@example.com".into(), PASSWORD.into()).await.is_err());
    let step = app.login("ny@example.com".into(), "N3w!Password".into()).await.unwrap();
    assert!(matches!(step, SignInStep::SignedIn { .. }), "{step:?}");
}
