//! The shell's private files: the data folder itself (0700), the small JSON files (`settings.json`,
//! `session.json`) behind a key-value trait with two implementations, plain files (tests, and
//! anything without a window) and `tauri-plugin-store` (the app), and single secrets. Every file is
//! readable by the owner only (0600).

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;

#[cfg(windows)]
mod windows_acl;

/// One JSON object of keys and values in a file, persisted on every change.
pub trait KeyValueFile: Send + Sync {
    fn get(&self, key: &str) -> Option<Value>;
    /// Sets and persists at once.
    fn set(&self, key: &str, value: Value) -> io::Result<()>;
    /// Removes and persists at once.
    fn delete(&self, key: &str) -> io::Result<()>;
}

/// Creates the folder `dir` mode 0700, or tightens it to that if it exists (earlier versions left
/// it 0755): it holds the database, the server's secret and the session. Its parents are created
/// as usual.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent)?;
    }
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    match builder.create(dir) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
        created => created?,
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    // Inherited by everything created inside, before any later `restrict` tightens it further.
    #[cfg(windows)]
    unless_in_use(windows_acl::restrict_to_owner(dir, true))?;
    Ok(())
}

/// Windows (Wine at least) refuses a new DACL on a file another handle keeps open, such as
/// SQLite's database and its `-shm`, and on a folder holding one (the DACL is passed on to what
/// is inside). Such a file was restricted when it was created, inside the owner-only folder.
#[cfg(windows)]
fn unless_in_use(result: io::Result<()>) -> io::Result<()> {
    const ERROR_SHARING_VIOLATION: i32 = 32;
    match result {
        Err(e) if e.raw_os_error() == Some(ERROR_SHARING_VIOLATION) => Ok(()),
        other => other,
    }
}

/// Creates `path` holding `initial`, mode 0600, unless it exists; tightens the mode if it does.
/// Writers that truncate in place (`fs::write`, as `tauri-plugin-store` does) keep that mode.
pub fn ensure_private_file(path: &Path, initial: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut options = private_options();
    options.truncate(false).create_new(true);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(initial)?;
            restrict(path)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => restrict_existing(path),
        Err(e) => Err(e),
    }
}

/// Creates a SQLite database file 0600 before SQLite opens it, so it is never readable by others:
/// SQLite would create it with the umask's mode (0644), and gives its `-wal` and `-shm` the main
/// file's mode. Files of earlier versions are tightened.
pub fn ensure_private_database(path: &Path) -> io::Result<()> {
    ensure_private_file(path, b"")?;
    for suffix in ["-wal", "-shm"] {
        let mut companion = path.as_os_str().to_owned();
        companion.push(suffix);
        restrict_existing(Path::new(&companion))?;
    }
    Ok(())
}

/// Creates `path` as an empty JSON object (see [`ensure_private_file`]).
pub fn ensure_private_json_file(path: &Path) -> io::Result<()> {
    ensure_private_file(path, b"{}")
}

fn private_options() -> fs::OpenOptions {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Makes `path` the owner's alone: mode 0600 on Unix, an owner-only protected DACL on Windows.
pub fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(windows)]
    windows_acl::restrict_to_owner(path, false)?;
    #[cfg(not(any(unix, windows)))]
    let _ = path;
    Ok(())
}

/// [`restrict`]s `path` if it exists.
pub fn restrict_existing(path: &Path) -> io::Result<()> {
    match restrict(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        #[cfg(windows)]
        other => unless_in_use(other),
        #[cfg(not(windows))]
        other => other,
    }
}

/// Removes `path`; one that is not there is removed already.
pub fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Removes a SQLite database and its companions (`-wal`, `-shm`, `-journal`).
pub fn remove_database(path: &Path) -> io::Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        match remove_if_present(Path::new(&file)) {
            // Windows: open elsewhere (see `Replica::remove_files`); emptied already.
            #[cfg(windows)]
            Err(e) if e.raw_os_error() == Some(32) => {}
            other => other?,
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` with mode 0600 from the first byte on.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut file = private_options().open(path)?;
    file.write_all(bytes)?;
    restrict(path)
}

/// Writes `bytes` to a new file `<stem>.<ext>` in `dir` (or `<stem>-2.<ext>`, … when taken), mode
/// 0600 from the first byte on; never replaces a file. Returns its path.
pub fn create_private_new(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    fs::create_dir_all(dir)?;
    for n in 1..1000 {
        let name = if n == 1 { format!("{stem}.{ext}") } else { format!("{stem}-{n}.{ext}") };
        let path = dir.join(name);
        let mut options = private_options();
        options.truncate(false).create_new(true);
        match options.open(&path) {
            Ok(mut file) => {
                file.write_all(bytes)?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{stem}.{ext} and 998 numbered copies exist")))
}

/// A JSON object in one file, rewritten on every change.
pub struct JsonFile {
    path: PathBuf,
    values: Mutex<BTreeMap<String, Value>>,
}

impl JsonFile {
    pub fn open(path: impl Into<PathBuf>) -> io::Result<Self> {
        let path = path.into();
        let values = match fs::read(&path) {
            // A corrupt file is treated as empty rather than locking the user out.
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e),
        };
        Ok(Self { path, values: Mutex::new(values) })
    }

    fn persist(&self, values: &BTreeMap<String, Value>) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(values).map_err(io::Error::other)?;
        write_private(&self.path, &bytes)
    }
}

impl KeyValueFile for JsonFile {
    fn get(&self, key: &str) -> Option<Value> {
        self.values.lock().expect("file lock").get(key).cloned()
    }

    fn set(&self, key: &str, value: Value) -> io::Result<()> {
        let mut values = self.values.lock().expect("file lock");
        values.insert(key.to_owned(), value);
        self.persist(&values)
    }

    fn delete(&self, key: &str) -> io::Result<()> {
        let mut values = self.values.lock().expect("file lock");
        values.remove(key);
        self.persist(&values)
    }
}

/// The app's implementation: a file of `tauri-plugin-store`, saved after every change.
pub struct PluginFile<R: tauri::Runtime> {
    plugin: Arc<tauri_plugin_store::Store<R>>,
    path: PathBuf,
}

impl<R: tauri::Runtime> PluginFile<R> {
    /// Opens (or creates, 0600) the file at the absolute `path`.
    pub fn open(app: &tauri::AppHandle<R>, path: PathBuf) -> io::Result<Self> {
        use tauri_plugin_store::StoreExt;
        ensure_private_json_file(&path)?;
        let plugin = app.store(&path).map_err(io::Error::other)?;
        Ok(Self { plugin, path })
    }

    fn save(&self) -> io::Result<()> {
        self.plugin.save().map_err(io::Error::other)?;
        restrict(&self.path)
    }
}

impl<R: tauri::Runtime> KeyValueFile for PluginFile<R> {
    fn get(&self, key: &str) -> Option<Value> {
        self.plugin.get(key)
    }

    fn set(&self, key: &str, value: Value) -> io::Result<()> {
        self.plugin.set(key, value);
        self.save()
    }

    fn delete(&self, key: &str) -> io::Result<()> {
        self.plugin.delete(key);
        self.save()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_file_round_trips_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/values.json");
        let file = JsonFile::open(&path).unwrap();
        assert_eq!(file.get("a"), None);
        file.set("a", serde_json::json!({"x": 1})).unwrap();
        let reopened = JsonFile::open(&path).unwrap();
        assert_eq!(reopened.get("a"), Some(serde_json::json!({"x": 1})));
        reopened.delete("a").unwrap();
        assert_eq!(JsonFile::open(&path).unwrap().get("a"), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // One entry (this user's), nothing inherited from the folders above; under Wine, which
        // keeps no DACL, this user's full control (see `windows_acl::under_wine`).
        #[cfg(windows)]
        assert_private_on_windows(&path);
    }

    #[test]
    fn the_data_folder_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        ensure_private_dir(&data).unwrap();
        ensure_private_dir(&data).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&data).unwrap().permissions().mode() & 0o777, 0o700);
        }
        #[cfg(windows)]
        assert_private_on_windows(&data);
    }

    #[cfg(windows)]
    fn assert_private_on_windows(path: &Path) {
        /// FILE_ALL_ACCESS, what GENERIC_ALL maps to for a file.
        const FULL_CONTROL: u32 = 0x001f_01ff;
        assert_eq!(windows_acl::allowed_to_current_user(path).unwrap() & FULL_CONTROL, FULL_CONTROL, "{path:?}");
        if !windows_acl::under_wine() {
            assert_eq!(windows_acl::dacl_of(path).unwrap(), (1, true), "{path:?}");
        }
    }
}
