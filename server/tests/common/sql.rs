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

    /// Every row of every table, as text: what a copy of the database (a dump, a backup) holds.
    pub async fn dump(&self) -> String {
        let mut out = String::new();
        match self {
            OtherClient::Sqlite(conn) => {
                let mut tables = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").unwrap();
                let names: Vec<String> = tables.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
                for name in names {
                    let mut rows = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
                    let columns = rows.column_count();
                    let mut rows = rows.query([]).unwrap();
                    while let Some(row) = rows.next().unwrap() {
                        out.push_str(&name);
                        for i in 0..columns {
                            use rusqlite::types::ValueRef;
                            let value = match row.get_ref(i).unwrap() {
                                ValueRef::Null => String::new(),
                                ValueRef::Integer(n) => n.to_string(),
                                ValueRef::Real(x) => x.to_string(),
                                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                                ValueRef::Blob(b) => b.iter().map(|b| format!("{b:02x}")).collect(),
                            };
                            out.push('|');
                            out.push_str(&value);
                        }
                        out.push('\n');
                    }
                }
            }
            OtherClient::Postgres(client, _) => {
                let sql = "SELECT table_name::text FROM information_schema.tables
                           WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
                for table in client.query(sql, &[]).await.unwrap() {
                    let name: String = table.get(0);
                    for row in client.query(&format!("SELECT t::text FROM \"{name}\" t"), &[]).await.unwrap() {
                        out.push_str(&format!("{name}|{}\n", row.get::<_, String>(0)));
                    }
                }
            }
        }
        out
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
