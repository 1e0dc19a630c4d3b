//! `authdesk-server admin backup <file>`: a consistent copy of a SQLite database taken while the
//! server writes to it, private, checked, and a database a server opens with every account; on
//! PostgreSQL a pointer to `pg_dump`, and no file.

use crate::common;

use std::process::Command;
use std::time::Duration;

use authdesk_server::store::sqlite::backup;
use authdesk_server::DatabaseUrl;
use common::{output_within, spawn_app, unique_email, Db};
use serde_json::{json, Value};

both_backends!(the_backup_command_copies_a_database_being_written);

fn backup_command(database_url: &str, file: &std::path::Path) -> std::process::Output {
    output_within(
        Command::new(env!("CARGO_BIN_EXE_authdesk-server"))
            .args(["admin", "backup"])
            .arg(file)
            .args(["--json", "--database-url", database_url])
            .env_remove("DATABASE_URL"),
        Duration::from_secs(60),
    )
}

async fn the_backup_command_copies_a_database_being_written(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copy.db");
    if db == Db::Postgres {
        let out = backup_command(&app.db.url_string(), &file);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"), "{out:?}");
        assert!(!file.exists());
        return;
    }
    // Writes go on over HTTP while the copy is taken.
    let writer = {
        let (http, url, token) = (app.http.clone(), app.url("/api/tasks"), token.clone());
        tokio::spawn(async move {
            for i in 0..100 {
                let created = http.post(&url).bearer_auth(&token).json(&json!({"title": format!("t{i}")})).send();
                assert_eq!(created.await.unwrap().status(), 201);
            }
        })
    };
    let (url, path) = (app.db.url_string(), file.clone());
    let out = tokio::task::spawn_blocking(move || backup_command(&url, &path)).await.unwrap();
    writer.await.unwrap();
    assert!(out.status.success(), "{out:?}");
    let said: Value = serde_json::from_slice(&out.stdout).unwrap();
    let tasks = said["tasks"].as_i64().unwrap();
    assert!((0..=100).contains(&tasks), "{said}");
    assert_eq!(said["accounts"], 1);
    #[cfg(unix)]
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&file).unwrap().permissions()) & 0o777,
        0o600
    );
    let checked = backup::check(&file).unwrap();
    assert_eq!(checked.tasks, tasks);
    // A server opens the copy as it would its own database.
    let store = authdesk_server::store::Store::open(&DatabaseUrl::Sqlite(file), Duration::from_secs(5)).await.unwrap();
    assert_eq!(store.kind(), authdesk_server::store::DatabaseKind::Sqlite);
}
