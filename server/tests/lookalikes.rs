//! Addresses and passwords that look the same are the same (NFKC), and addresses made to look like
//! someone else's are refused, so no lookalike account can be made.

use crate::common;

use authdesk_server::auth::password::hash_blocking;
use authdesk_server::store::{self, UserRecord};
use common::{spawn_app, Db, PASSWORD};

both_backends!(
    compatibility_forms_of_an_address_are_one_account,
    lookalike_addresses_are_refused,
    passwords_are_normalised_and_older_hashes_keep_verifying,
);

async fn compatibility_forms_of_an_address_are_one_account(db: Db) {
    let app = spawn_app(db).await;
    // Fullwidth letters, as an East Asian keyboard types them.
    let reg = app.register("ＡＮＮ.ＬＥＥ@example.com", PASSWORD).await;
    assert_eq!(reg.status, 201, "{}", reg.text);
    assert_eq!(reg.body["email"], "ann.lee@example.com");
    app.register("ann.lee@example.com", PASSWORD).await.assert_error(409, "Email already registered");
    assert_eq!(app.login("Ann.Lee@Example.com", PASSWORD).await.status, 200);
    assert_eq!(app.login("ａｎｎ.ｌｅｅ@ｅｘａｍｐｌｅ.ｃｏｍ", PASSWORD).await.status, 200);
}

async fn lookalike_addresses_are_refused(db: Db) {
    let app = spawn_app(db).await;
    app.registered("paypal@example.com", PASSWORD).await;
    for lookalike in [
        "p\u{0430}ypal@example.com", // Cyrillic а
        "paypal@ex\u{0430}mple.com",
        "pay\u{200B}pal@example.com", // zero-width space
        "\u{3164}paypal@example.com", // Hangul filler
    ] {
        app.register(lookalike, PASSWORD)
            .await
            .assert_error(400, "Email must not mix alphabets or contain invisible characters");
    }
    // A single non-Latin script is an ordinary address.
    assert_eq!(app.register("иван@пример.рф", PASSWORD).await.status, 201);
}

async fn passwords_are_normalised_and_older_hashes_keep_verifying(db: Db) {
    let app = spawn_app(db).await;
    // "Café!Str0ng" typed with a decomposed é (macOS) signs in with a composed one (Windows).
    let decomposed = "Cafe\u{0301}!Str0ng";
    let composed = "Caf\u{00E9}!Str0ng";
    assert_eq!(app.register("cafe@example.com", decomposed).await.status, 201);
    assert_eq!(app.login("cafe@example.com", composed).await.status, 200);
    assert_eq!(app.login("cafe@example.com", decomposed).await.status, 200);

    // A hash written before normalisation (of the raw, decomposed form) still verifies, and is
    // replaced by the normalised one at that sign-in.
    let legacy = UserRecord {
        id: uuid::Uuid::new_v4(),
        email: "legacy-cafe@example.com".into(),
        password_hash: hash_blocking(decomposed),
        created_at: store::now(),
        last_login_at: None,
        tokens_not_before: None,
        ..Default::default()
    };
    app.store.insert_user(&legacy, None).await.unwrap();
    app.login("legacy-cafe@example.com", "Wr0ng!Password").await.assert_error(401, "Invalid email or password");
    assert_eq!(app.login("legacy-cafe@example.com", decomposed).await.status, 200);
    let upgraded = app.store.user_by_email("legacy-cafe@example.com").await.unwrap().unwrap().password_hash;
    assert_ne!(upgraded, legacy.password_hash, "re-hashed at sign-in");
    assert_eq!(app.login("legacy-cafe@example.com", composed).await.status, 200, "now either form signs in");
}
