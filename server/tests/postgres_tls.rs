//! PostgreSQL connections honour libpq's `sslmode`, against the real server the tests use.

mod common;

use authdesk_server::store::postgres::Postgres;
use common::{Db, TestDb};

async fn server_offers_tls() -> bool {
    let (client, conn) = tokio_postgres::connect(&common::admin_postgres_url(), tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let ssl: String = client.query_one("SHOW ssl", &[]).await.unwrap().get(0);
    ssl == "on"
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_follow_sslmode() {
    let db = TestDb::new(Db::Postgres).await;
    let url = db.url_string();
    let tls = server_offers_tls().await;
    let encrypted = |store: Postgres| async move { store.connection_is_encrypted().await.unwrap() };

    // No sslmode means libpq's default, prefer: encrypted exactly when the server offers TLS.
    assert_eq!(encrypted(Postgres::connect(&url).await.unwrap()).await, tls);
    assert!(!encrypted(Postgres::connect(&format!("{url}?sslmode=disable")).await.unwrap()).await);
    let required = Postgres::connect(&format!("{url}?sslmode=require")).await;
    if tls {
        assert!(encrypted(required.unwrap()).await);
        // The test server's self-signed certificate is not trusted by the public roots.
        let verified = Postgres::connect(&format!("{url}?sslmode=verify-full")).await;
        assert!(verified.is_err(), "an untrusted certificate must be refused");
    } else {
        assert!(required.is_err(), "require must not fall back to plaintext");
    }
    let missing_root = Postgres::connect(&format!("{url}?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")).await;
    let err = missing_root.err().expect("a missing root certificate file is an error").to_string();
    assert!(err.contains("cannot read sslrootcert /nonexistent/ca.pem"), "{err}");
}
