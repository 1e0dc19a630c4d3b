//! Tokens interoperate with the original design's library, python-jose, in both directions, and a
//! database the original design created is taken over in place.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use authdesk_server::store::{self, UserRecord};
use common::{spawn_app_with, spawn_on, Db, TestDb, PASSWORD};
use serde_json::Value;

both_backends!(tokens_minted_by_python_jose_are_accepted, our_tokens_verify_in_python_jose);

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/python_jose_tokens.json")).unwrap()
}

async fn tokens_minted_by_python_jose_are_accepted(db: Db) {
    let fx = fixture();
    let secret = fx["secret"].as_str().unwrap().to_owned();
    let app = spawn_app_with(db, |c| c.secret = authdesk_server::Secret::new(secret).unwrap()).await;
    // The account the original server would have created for this token's subject.
    let user = UserRecord {
        id: fx["sub"].as_str().unwrap().parse().unwrap(),
        email: "jose@example.com".into(),
        password_hash: authdesk_server::auth::password::hash_blocking("Str0ng!Passw0rd"),
        created_at: store::now(),
        last_login_at: None,
        tokens_not_before: None,
        ..Default::default()
    };
    app.store.insert_user(&user, None).await.unwrap();

    let me = app.me(fx["valid_until_2100"].as_str().unwrap()).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["email"], "jose@example.com");
    app.me(fx["expired"].as_str().unwrap()).await.assert_error(401, "Token error: expired-token");
    app.me(fx["signed_with_other_secret"].as_str().unwrap()).await.assert_error(401, "Token error: invalid-signature");
}

/// The Python interpreter with python-jose: `AUTHDESK_TEST_PYTHON`, set by the README's test command.
fn python() -> String {
    std::env::var("AUTHDESK_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

async fn our_tokens_verify_in_python_jose(db: Db) {
    let app = spawn_app_with(db, |_| {}).await;
    let (user_id, token) = app.signed_up(&common::unique_email()).await;
    let script = r#"
import json, sys
from jose import jwt
claims = jwt.decode(sys.argv[1], sys.argv[2], algorithms=["HS256"])
print(json.dumps(claims))
"#;
    // The interpreter must answer within a minute; it is killed if the test ends first.
    let out = common::output_within(
        std::process::Command::new(python()).args(["-c", script, &token, common::SECRET]),
        std::time::Duration::from_secs(60),
    );
    assert!(
        out.status.success(),
        "python-jose refused our token (is python-jose installed for {}?): {}",
        python(),
        String::from_utf8_lossy(&out.stderr)
    );
    let claims: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(claims["sub"], user_id.to_string());
    let (iat, exp) = (claims["iat"].as_i64().unwrap(), claims["exp"].as_i64().unwrap());
    assert_eq!(exp - iat, 24 * 3600, "24 h default lifetime");
}

fn s(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_else(|| panic!("no {key} in {v}")).to_owned()
}

/// A PostgreSQL database as the original FastAPI design left it: its `users` table with passlib
/// bcrypt hashes and naive timestamps. The server takes it over in place.
#[test]
fn a_database_of_the_original_design_is_taken_over_in_place() {
    // Abandoned at the end rather than awaited: its crafted row must fail the test, not hang it.
    common::run_abandoning_blocking_work(take_over_a_database_of_the_original_design());
}

async fn take_over_a_database_of_the_original_design() {
    let db = Arc::new(TestDb::new(Db::Postgres).await);
    let url = db.url_string();
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client
        .batch_execute(
            "CREATE TABLE users (
                id UUID PRIMARY KEY,
                email VARCHAR(255) NOT NULL,
                password_hash VARCHAR(255) NOT NULL,
                created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT now(),
                last_login_at TIMESTAMP WITHOUT TIME ZONE
             );
             CREATE UNIQUE INDEX ix_users_email ON users (email);",
        )
        .await
        .unwrap();
    let legacy_users = [
        ("6a1f4c2e-0000-4000-8000-000000000001", "alice@example.com", "Al1ce!Password", "$2b$"),
        ("6a1f4c2e-0000-4000-8000-000000000002", "Bob@Example.com", "B0b!Password", "$2a$"),
        ("6a1f4c2e-0000-4000-8000-000000000003", "carol@example.com", "Car0l!Password", "$2y$"),
    ];
    for (id, email, password, prefix) in legacy_users {
        // passlib's default bcrypt cost is 12.
        let hash = bcrypt::hash(password, 12).unwrap().replacen("$2b$", prefix, 1);
        client
            .execute(
                "INSERT INTO users (id, email, password_hash, created_at) VALUES ($1::text::uuid, $2, $3, '2024-05-01 12:00:00')",
                &[&id, &email, &hash],
            )
            .await
            .unwrap();
    }
    // A crafted row whose hash would take days to compute: well-formed, cost 31.
    let crafted = bcrypt::hash("anything", 4).unwrap().replacen("$04$", "$31$", 1);
    client
        .execute(
            "INSERT INTO users (id, email, password_hash) VALUES (gen_random_uuid(), 'slow@example.com', $1)",
            &[&crafted],
        )
        .await
        .unwrap();
    let columns = "SELECT column_name, data_type, is_nullable FROM information_schema.columns
                   WHERE table_name = 'users' ORDER BY column_name";
    let before: Vec<(String, String, String)> =
        client.query(columns, &[]).await.unwrap().iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();

    let app = spawn_on(db.clone(), |_| {}).await;

    let after: Vec<(String, String, String)> =
        client.query(columns, &[]).await.unwrap().iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    for column in &before {
        assert!(after.contains(column), "column {column:?} changed or dropped: {after:?}");
    }

    for (id, email, password, _) in legacy_users {
        let login = app.login(&email.to_uppercase(), password).await;
        assert_eq!(login.status, 200, "{email}: {}", login.text);
        assert_eq!(login.body["user_id"], id);
        let stored = app.store.user_by_id(id.parse().unwrap()).await.unwrap().unwrap();
        assert!(
            stored.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "upgraded: {}",
            stored.password_hash
        );
        // And the upgraded hash works.
        assert_eq!(app.login(email, password).await.status, 200);
        let me = app.me(&s(&login.body, "access_token")).await;
        let created = chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc();
        assert_eq!(common::at(&me.body["created_at"]), created, "naive timestamps read as UTC");
        assert!(me.body["last_login_at"].is_string());
    }
    app.login("alice@example.com", "Wr0ng!Password").await.assert_error(401, "Invalid email or password");
    tokio::time::timeout(Duration::from_secs(1), app.login("slow@example.com", "anything"))
        .await
        .expect("the crafted hash is refused at once, not computed")
        .assert_error(401, "Invalid email or password");
    // Registration writes into the original table too.
    assert_eq!(app.register("dave@example.com", PASSWORD).await.status, 201);
    app.register("BOB@example.com", PASSWORD).await.assert_error(409, "Email already registered");
}
