//! A second client of the test database, as another program (an operator's `psql`, a second
//! process on the SQLite file) would be: raw SQL, its own transactions, its own locks.

use authdesk_server::DatabaseUrl;

use super::TestDb;

pub enum OtherClient {
    Sqlite(rusqlite::Connection),
    Postgres(tokio_postgres::Client, tokio::task::JoinHandle<()>),
}

impl OtherClient {
    pub async fn connect(db: &TestDb) -> Self {
        match &db.url {
            DatabaseUrl::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                // As the server's own connections: deletions cascade.
                conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
                OtherClient::Sqlite(conn)
            }
            DatabaseUrl::Postgres(url) => {
                let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
                let task = tokio::spawn(async move {
                    let _ = connection.await;
                });
                OtherClient::Postgres(client, task)
            }
        }
    }

    /// PostgreSQL: how many sessions of this database wait for a lock (for a test to start its
    /// race only once the server's request is blocked). `None` on SQLite, which cannot tell.
    pub async fn lock_waiters(&self) -> Option<i64> {
        match self {
            OtherClient::Sqlite(_) => None,
            OtherClient::Postgres(client, _) => {
                let sql = "SELECT count(*) FROM pg_stat_activity
                           WHERE datname = current_database() AND wait_event_type = 'Lock'";
                Some(client.query_one(sql, &[]).await.unwrap().get(0))
            }
        }
    }

    /// Runs `sql` (several statements allowed, `BEGIN` left open if it has one).
    pub async fn run(&self, sql: &str) {
        match self {
            OtherClient::Sqlite(conn) => conn.execute_batch(sql).unwrap_or_else(|e| panic!("{sql}: {e}")),
            OtherClient::Postgres(client, _) => {
                client.batch_execute(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
        }
    }
}
