//! `GET /api/openapi.json`: a valid OpenAPI 3.1 document (checked by an independent validator,
//! openapi-spec-validator from the tests' venv) naming every route the server has, its bearer
//! scheme, and the statuses the server really answers; and schemathesis, generating requests from
//! the document (valid and invalid), finds no server error, no answer the document does not allow
//! and no error without a JSON `detail`.

use crate::common;

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Duration;

use common::{spawn_app, unique_email, Db, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

both_backends!(
    the_document_is_valid_and_names_every_route,
    the_statuses_the_server_answers_are_documented,
    schemathesis_finds_nothing_wrong,
);

/// Every operation of `http::router`, as (method, path template).
const OPERATIONS: &[(&str, &str)] = &[
    ("post", "/api/auth/register"),
    ("post", "/api/auth/login"),
    ("get", "/api/auth/me"),
    ("delete", "/api/auth/me"),
    ("get", "/api/account/export"),
    ("post", "/api/auth/password"),
    ("post", "/api/auth/refresh"),
    ("post", "/api/auth/logout"),
    ("post", "/api/auth/logout-all"),
    ("post", "/api/auth/sessions/revoke-others"),
    ("get", "/api/auth/sessions"),
    ("delete", "/api/auth/sessions/{id}"),
    ("post", "/api/auth/mfa/totp/setup"),
    ("post", "/api/auth/mfa/totp/enable"),
    ("post", "/api/auth/mfa/recovery-codes"),
    ("post", "/api/auth/mfa/disable"),
    ("post", "/api/auth/mfa/verify"),
    ("post", "/api/auth/password-reset/request"),
    ("post", "/api/auth/password-reset/confirm"),
    ("get", "/api/auth/registration"),
    ("get", "/api/auth/sso"),
    ("get", "/api/auth/sso/start"),
    ("get", "/api/auth/sso/callback"),
    ("post", "/api/auth/sso/token"),
    ("post", "/api/auth/verify-email"),
    ("post", "/api/auth/verify-email/resend"),
    ("get", "/api/admin/invitations"),
    ("post", "/api/admin/invitations"),
    ("delete", "/api/admin/invitations/{id}"),
    ("get", "/api/admin/users"),
    ("get", "/api/admin/users/{id}"),
    ("post", "/api/admin/users/{id}/disable"),
    ("post", "/api/admin/users/{id}/enable"),
    ("delete", "/api/admin/users/{id}/sessions"),
    ("get", "/api/admin/audit"),
    ("get", "/api/tasks"),
    ("post", "/api/tasks"),
    ("get", "/api/tasks/changes"),
    ("post", "/api/tasks/import"),
    ("get", "/api/tasks/events"),
    ("get", "/api/tasks/{id}"),
    ("patch", "/api/tasks/{id}"),
    ("delete", "/api/tasks/{id}"),
    ("get", "/api/health"),
    ("get", "/health"),
    ("get", "/.well-known/jwks.json"),
];

/// The event stream: open by design, so left out of schemathesis's run (tests/events.rs tells its
/// story).
const STREAMED: &str = "/api/tasks/events";

async fn document(app: &TestApp) -> Value {
    let reply = app.request(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    reply.body
}

async fn the_document_is_valid_and_names_every_route(db: Db) {
    let app = spawn_app(db).await;
    let doc = document(&app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (m.clone(), path.clone())))
        .filter(|(m, _)| !matches!(m.as_str(), "parameters" | "summary" | "description"))
        .collect();
    let routes: BTreeSet<(String, String)> = OPERATIONS.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, routes, "documented vs routed");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"],
        json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    );
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object(), "the error body is described");

    // The codes a program acts on are described, every one of them.
    let codes: BTreeSet<String> =
        doc["components"]["schemas"]["ErrorCode"]["enum"].as_array().unwrap().iter().map(|c| c.to_string()).collect();
    for code in authdesk_contract::ErrorCode::ALL {
        assert!(codes.contains(&serde_json::to_string(&code).unwrap()), "{code:?} is not in the document");
    }

    // An independent validator, in its own process with a deadline (the document from a file:
    // nothing is written to the child before the deadline starts).
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), doc.to_string()).unwrap();
    let python = std::env::var("AUTHDESK_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let check = "import json, sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1]))); print('valid')";
    let out = common::output_within(Command::new(python).args(["-c", check]).arg(file.path()), Duration::from_secs(60));
    assert!(
        out.status.success() && out.stdout.trim_ascii() == b"valid",
        "openapi-spec-validator refused the document:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A request to make: (method, path, its template in the document, bearer token, JSON body).
type Call<'a> = (&'a str, String, &'a str, Option<&'a str>, Option<Value>);

/// Whether `status` is among the responses documented for (method, template).
fn documented(doc: &Value, method: &str, template: &str, status: u16) -> bool {
    doc["paths"][template][method]["responses"].get(status.to_string()).is_some()
}

async fn the_statuses_the_server_answers_are_documented(db: Db) {
    let app = spawn_app(db).await;
    let doc = document(&app).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    let missing = uuid::Uuid::new_v4();
    let calls: Vec<Call> = vec![
        (
            "post",
            "/api/auth/register".into(),
            "/api/auth/register",
            None,
            Some(json!({"email": email, "password": common::PASSWORD})),
        ),
        ("post", "/api/auth/register".into(), "/api/auth/register", None, Some(json!({"email": "x", "password": "y"}))),
        (
            "post",
            "/api/auth/login".into(),
            "/api/auth/login",
            None,
            Some(json!({"email": email, "password": "Wr0ng!Password"})),
        ),
        ("post", "/api/auth/login".into(), "/api/auth/login", None, Some(json!({"email": 1}))),
        ("get", "/api/auth/me".into(), "/api/auth/me", None, None),
        ("get", "/api/auth/me".into(), "/api/auth/me", Some(&token), None),
        ("get", "/api/admin/users".into(), "/api/admin/users", Some(&token), None),
        ("get", format!("/api/tasks/{missing}"), "/api/tasks/{id}", Some(&token), None),
        ("post", "/api/tasks".into(), "/api/tasks", Some(&token), Some(json!({"title": ""}))),
        ("post", "/api/tasks".into(), "/api/tasks", Some(&token), Some(json!({"title": "documented"}))),
        ("delete", format!("/api/auth/sessions/{missing}"), "/api/auth/sessions/{id}", Some(&token), None),
        (
            "post",
            "/api/auth/password-reset/request".into(),
            "/api/auth/password-reset/request",
            None,
            Some(json!({"email": email})),
        ),
        (
            "post",
            "/api/auth/mfa/verify".into(),
            "/api/auth/mfa/verify",
            None,
            Some(json!({"mfa_token": "nope", "code": "123456"})),
        ),
        ("get", "/api/health".into(), "/api/health", None, None),
    ];
    for (method, path, template, token, body) in calls {
        let reply =
            app.request(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(), &path, token, body).await;
        let status = reply.status.as_u16();
        assert!(
            documented(&doc, method, template, status),
            "{method} {path} answered {status}, undocumented: {}",
            reply.text
        );
    }
}

/// schemathesis (from the tests' venv) against a real server, as a signed-in administrator (see
/// `schemathesis/hooks.py`), every phase, every check but `positive_data_acceptance`: that one
/// expects every well-formed request to succeed, which a well-formed wrong password, an unknown
/// id or a taken email must not. `AUTHDESK_SCHEMATHESIS_EXAMPLES` and `_SEED` widen or vary a run.
async fn schemathesis_finds_nothing_wrong(db: Db) {
    let app = common::spawn_app_with(db, |c| {
        // The fuzzer's own account must stay usable: wrong passwords and refreshes would lock it.
        c.account_lockout = None;
        c.refresh_rate_limit = None;
    })
    .await;
    let email = unique_email();
    let (id, _) = app.signed_up(&email).await;
    let user = app.store.user_by_id(id).await.unwrap().unwrap();
    let admin = authdesk_server::admin::Admin::new(app.store.clone());
    admin
        .set_role(&user, authdesk_server::store::Role::Admin, &authdesk_server::admin::Actor::operator())
        .await
        .unwrap();

    let python = std::env::var("AUTHDESK_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    // Beside the venv's interpreter: bin/schemathesis, or Scripts\schemathesis.exe on Windows.
    let schemathesis =
        std::path::Path::new(&python).with_file_name(format!("schemathesis{}", std::env::consts::EXE_SUFFIX));
    let hooks_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemathesis");
    let examples = std::env::var("AUTHDESK_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "25".into());
    let seed = std::env::var("AUTHDESK_SCHEMATHESIS_SEED").unwrap_or_else(|_| "20261126".into());
    let report = tempfile::tempdir().unwrap();
    let out = tokio::task::spawn_blocking({
        let (base, url) = (app.base.clone(), app.url("/api/openapi.json"));
        let report = report.path().to_owned();
        move || {
            common::output_within(
                Command::new(schemathesis)
                    .args(["run", &url, "--checks", "all", "--exclude-checks", "positive_data_acceptance"])
                    // An event stream stays open by design: each generated request would wait out the
                    // client's timeout. Its answers are the stories' (tests/events.rs).
                    .args(["--exclude-path", STREAMED])
                    .args(["--max-examples", &examples, "--seed", &seed, "--workers", "1", "--request-timeout", "30"])
                    .args(["--suppress-health-check", "too_slow", "--report", "junit", "--report-junit-path"])
                    .arg(report.join("junit.xml"))
                    .arg("--report-dir")
                    .arg(&report)
                    // Its example database (.schemathesis/) goes there too, not into the clone.
                    .current_dir(&report)
                    .env("SCHEMATHESIS_HOOKS", "hooks")
                    .env("PYTHONPATH", hooks_dir)
                    .env("AUTHDESK_ST_BASE", base)
                    .env("AUTHDESK_ST_EMAIL", &email)
                    .env("AUTHDESK_ST_PASSWORD", common::PASSWORD)
                    .env("NO_COLOR", "1"),
                Duration::from_secs(15 * 60),
            )
        }
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found problems (rerun with AUTHDESK_SCHEMATHESIS_SEED={}):\n{stdout}\n{}",
        std::env::var("AUTHDESK_SCHEMATHESIS_SEED").unwrap_or_else(|_| "20261126".into()),
        String::from_utf8_lossy(&out.stderr)
    );
    // It tested every operation, each without a failure (its JUnit report, not its prose).
    let junit = std::fs::read_to_string(report.path().join("junit.xml")).expect("schemathesis wrote its JUnit report");
    for (method, path) in OPERATIONS.iter().filter(|(_, path)| *path != STREAMED) {
        let case = format!("name=\"{} {path}\"", method.to_uppercase());
        assert!(junit.contains(&case), "schemathesis did not test {case}:\n{junit}");
    }
    assert!(!junit.contains("<failure") && !junit.contains("<error"), "{junit}");
}
