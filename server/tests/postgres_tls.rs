//! PostgreSQL connections honour libpq's `sslmode`, against the real server the tests use.
//!
//! That server must offer TLS (scripts/with-postgres.sh guarantees one that does): this test fails,
//! rather than skipping its TLS half, when the connections it makes are not really encrypted.

use crate::common;

use authdesk_server::store::postgres::Postgres;
use common::{Db, TestDb};

const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

async fn server_ssl_setting() -> String {
    let (client, conn) = tokio_postgres::connect(&common::admin_postgres_url(), tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.query_one("SHOW ssl", &[]).await.unwrap().get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_follow_sslmode() {
    let ssl = server_ssl_setting().await;
    assert_eq!(
        ssl,
        "on",
        "the test PostgreSQL at {} offers no TLS; run the tests through scripts/with-postgres.sh, which \
         provides a server with TLS",
        common::admin_postgres_url()
    );
    let db = TestDb::new(Db::Postgres).await;
    let url = db.url_string();
    // Whether the server itself sees this connection as TLS (pg_stat_ssl), not what the client hoped.
    let encrypted = |store: Postgres| async move { store.connection_is_encrypted().await.unwrap() };

    // No sslmode means libpq's default, prefer: encrypted, since the server offers TLS.
    assert!(encrypted(Postgres::connect(&url, TIMEOUT).await.unwrap()).await, "prefer must use TLS when offered");
    assert!(encrypted(Postgres::connect(&format!("{url}?sslmode=require"), TIMEOUT).await.unwrap()).await);
    assert!(!encrypted(Postgres::connect(&format!("{url}?sslmode=disable"), TIMEOUT).await.unwrap()).await);

    // The test server's self-signed certificate is not trusted by the public roots.
    let verified = Postgres::connect(&format!("{url}?sslmode=verify-full"), TIMEOUT).await;
    assert!(verified.is_err(), "an untrusted certificate must be refused");
    // With its certificate as the root it is accepted: on a cluster of this test's own, whose
    // certificate names 127.0.0.1 (the shared server's may name another host), so this never skips.
    let own = tokio::task::spawn_blocking(common::cluster::Cluster::start_with_tls).await.unwrap();
    let (own_url, ca) = (own.url(), own.ca().display().to_string());
    let trusted = Postgres::connect(&format!("{own_url}?sslmode=verify-full&sslrootcert={ca}"), TIMEOUT).await;
    assert!(encrypted(trusted.unwrap_or_else(|e| panic!("verify-full with {ca}: {e}"))).await);
    let untrusted = Postgres::connect(&format!("{own_url}?sslmode=verify-full"), TIMEOUT).await;
    assert!(untrusted.is_err(), "its certificate is no public root's");
    let missing_root =
        Postgres::connect(&format!("{url}?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"), TIMEOUT).await;
    let err = missing_root.err().expect("a missing root certificate file is an error").to_string();
    assert!(err.contains("cannot read sslrootcert /nonexistent/ca.pem"), "{err}");
}
