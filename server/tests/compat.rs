//! Tokens interoperate with the original design's library, python-jose, in both directions.

mod common;

use authdesk_server::store::{self, UserRecord};
use common::{spawn_app_with, Db};
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
    };
    app.store.insert_user(&user).await.unwrap();

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
