//! The files tasks travel in: an authdesk export (JSON, see [`AccountExport`]) or a CSV of tasks
//! (a `title` column, and `id`, `completed`, `created_at` when present). Read whole and checked
//! before anything is imported: a file with one bad task names it, and imports nothing.

use std::path::Path;

use authdesk_contract::desktop::CommandError;
use authdesk_contract::{validate_task_title, AccountExport, ImportTask, Task, EXPORT_FORMAT};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::Result;

/// The largest file read (100,000 tasks of long titles fit).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most tasks one file may bring.
pub const MAX_TASKS: usize = 100_000;
const CSV_COLUMNS: [&str; 5] = ["id", "title", "completed", "created_at", "updated_at"];
/// What a spreadsheet would read as a formula at the start of a cell: such titles are written
/// after a `'` (OWASP's advice), which the import takes off again.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn bad(message: impl Into<String>) -> CommandError {
    CommandError::rejected(message)
}

/// The tasks in the file at `path`, every one checked and given an id (so that importing the same
/// reading twice, e.g. after a lost answer, creates nothing twice).
pub fn read(path: &Path) -> Result<Vec<ImportTask>> {
    let size = std::fs::metadata(path).map_err(|e| bad(format!("Cannot read {}: {e}", path.display())))?.len();
    if size > MAX_FILE_BYTES {
        return Err(bad(format!("This file is larger than {} MiB.", MAX_FILE_BYTES >> 20)));
    }
    let bytes = std::fs::read(path).map_err(|e| bad(format!("Cannot read {}: {e}", path.display())))?;
    let looks_like_json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let mut tasks = if looks_like_json { from_json(&bytes)? } else { from_csv(&bytes)? };
    if tasks.len() > MAX_TASKS {
        return Err(bad(format!("This file holds more than {MAX_TASKS} tasks.")));
    }
    for task in &mut tasks {
        task.id.get_or_insert_with(Uuid::new_v4);
    }
    Ok(tasks)
}

fn from_json(bytes: &[u8]) -> Result<Vec<ImportTask>> {
    let export: AccountExport =
        serde_json::from_slice(bytes).map_err(|e| bad(format!("This is not an authdesk export ({e}).")))?;
    if export.format != EXPORT_FORMAT {
        return Err(bad("This is not an authdesk export."));
    }
    export
        .tasks
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let title = validate_task_title(&t.title).map_err(|e| bad(format!("Task {}: {e}", i + 1)))?;
            Ok(ImportTask { id: Some(t.id), title, completed: Some(t.completed), created_at: Some(t.created_at) })
        })
        .collect()
}

fn from_csv(bytes: &[u8]) -> Result<Vec<ImportTask>> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = reader.headers().map_err(|e| bad(format!("This is not a CSV file ({e}).")))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let title_at = column("title").ok_or_else(|| bad("The CSV file has no title column."))?;
    let (id_at, completed_at, created_at) = (column("id"), column("completed"), column("created_at"));
    let mut tasks = Vec::new();
    for (i, record) in reader.records().enumerate() {
        // Line numbers as a spreadsheet shows them: the header is line 1.
        let line = i + 2;
        let record = record.map_err(|e| bad(format!("Line {line}: {e}")))?;
        let cell = |at: Option<usize>| at.and_then(|a| record.get(a)).map(str::trim).filter(|v| !v.is_empty());
        let title = unescape(record.get(title_at).unwrap_or_default());
        let title = validate_task_title(&title).map_err(|e| bad(format!("Line {line}: {e}")))?;
        let id = cell(id_at)
            .map(|v| Uuid::parse_str(v).map_err(|_| bad(format!("Line {line}: the id is not a UUID"))))
            .transpose()?;
        let completed = cell(completed_at)
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "x" => Ok(true),
                "false" | "0" | "no" => Ok(false),
                _ => Err(bad(format!("Line {line}: completed is neither true nor false"))),
            })
            .transpose()?;
        let created_at = cell(created_at)
            .map(|v| {
                DateTime::parse_from_rfc3339(v)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| bad(format!("Line {line}: created_at is not an RFC 3339 time")))
            })
            .transpose()?;
        tasks.push(ImportTask { id, title, completed, created_at });
    }
    Ok(tasks)
}

/// Takes off the `'` [`csv`] put before a title a spreadsheet would run as a formula.
fn unescape(title: &str) -> String {
    match title.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest.to_owned(),
        _ => title.to_owned(),
    }
}

/// The tasks as CSV (RFC 4180, a header line): what spreadsheets and other apps read.
pub fn csv(tasks: &[Task]) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| CommandError::local(format!("Cannot write the CSV: {e}"));
    writer.write_record(CSV_COLUMNS).map_err(failed)?;
    for t in tasks {
        let title = if t.title.starts_with(FORMULA_STARTS) { format!("'{}", t.title) } else { t.title.clone() };
        let completed = if t.completed { "true" } else { "false" };
        let (created, updated) = (t.created_at.to_rfc3339(), t.updated_at.to_rfc3339());
        writer.write_record([t.id.to_string().as_str(), &title, completed, &created, &updated]).map_err(failed)?;
    }
    writer.into_inner().map_err(|e| CommandError::local(format!("Cannot write the CSV: {e}")))
}

/// What importing `tasks` would do to an account holding `current`: (new, already there, conflicts).
/// An id held by another account shows only when the server answers.
pub fn preview(tasks: &[ImportTask], current: &[Task]) -> (u64, u64, u64) {
    let by_id: std::collections::HashMap<Uuid, &Task> = current.iter().map(|t| (t.id, t)).collect();
    let (mut new, mut already, mut conflicts) = (0, 0, 0);
    for task in tasks {
        match task.id.and_then(|id| by_id.get(&id)) {
            None => new += 1,
            Some(t) if task.matches(t) => already += 1,
            Some(_) => conflicts += 1,
        }
    }
    (new, already, conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(title: &str) -> Task {
        let at = Utc::now();
        Task { id: Uuid::new_v4(), title: title.into(), completed: false, created_at: at, updated_at: at, version: 1 }
    }

    /// A CSV written here reads back as the same tasks, formulas defused on the way and restored.
    #[test]
    fn csv_round_trips_and_defuses_formulas() {
        let tasks = vec![task("Buy milk, eggs"), task("=HYPERLINK(\"http://x\")"), task("Say \"hi\", then go")];
        let bytes = csv(&tasks).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("'=HYPERLINK"), "{text}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tasks.csv");
        std::fs::write(&path, bytes).unwrap();
        let read = read(&path).unwrap();
        let titles: Vec<_> = read.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["Buy milk, eggs", "=HYPERLINK(\"http://x\")", "Say \"hi\", then go"]);
        assert_eq!(read[0].id, Some(tasks[0].id));
        assert_eq!(preview(&read, &tasks), (0, 3, 0));
    }

    /// One bad line names itself; a file without a title column says so.
    #[test]
    fn a_bad_line_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tasks.csv");
        std::fs::write(&path, "title,completed\nfine,true\n   ,false\n").unwrap();
        assert_eq!(read(&path).unwrap_err().message, "Line 3: Title must not be empty");
        std::fs::write(&path, "name\nx\n").unwrap();
        assert_eq!(read(&path).unwrap_err().message, "The CSV file has no title column.");
        std::fs::write(&path, "title,completed\nfine,maybe\n").unwrap();
        assert!(read(&path).unwrap_err().message.starts_with("Line 2: completed"));
    }
}
