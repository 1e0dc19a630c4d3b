//! Setting a client up: the embedded server's database and secret in the data folder, and the
//! checks on a remote server's URL.

use std::path::Path;

use authdesk_server::Secret;

use crate::files::write_private;
use crate::{CommandError, Result};

/// Checks a remote server URL: `https://`, or `http://` to this machine only (127.0.0.1, ::1,
/// localhost) since anything else would send passwords and tokens in clear text. Returns it
/// without a trailing slash.
pub fn normalize_remote_url(raw: &str) -> Result<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(CommandError::local("Enter the server URL, e.g. https://auth.example.com"));
    }
    let url = reqwest::Url::parse(raw).map_err(|_| CommandError::local(format!("\"{raw}\" is not a valid URL")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(CommandError::local(
                "Use https:// for a remote server (plain http:// is allowed only for 127.0.0.1, ::1 and localhost)",
            ))
        }
        other => return Err(CommandError::local(format!("Unsupported URL scheme \"{other}\": use https://"))),
    }
    if url.host().is_none() {
        return Err(CommandError::local("The URL has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(CommandError::local("The server URL must not contain credentials, a query or a fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

pub(super) fn load_or_create_secret(path: &Path) -> Result<Secret> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes).trim().as_bytes().to_vec();
            Secret::new(text).map_err(|e| CommandError::local(format!("The stored server secret is unusable: {e}")))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let secret = Secret::generate();
            write_private(path, secret.expose())?;
            Ok(secret)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::SECRET_FILE;

    #[test]
    fn remote_urls_must_be_https_unless_loopback() {
        assert_eq!(normalize_remote_url("https://auth.example.com/").unwrap(), "https://auth.example.com");
        assert_eq!(normalize_remote_url(" https://auth.example.com/base/ ").unwrap(), "https://auth.example.com/base");
        assert_eq!(normalize_remote_url("http://127.0.0.1:8000").unwrap(), "http://127.0.0.1:8000");
        assert_eq!(normalize_remote_url("http://[::1]:8000/").unwrap(), "http://[::1]:8000");
        assert_eq!(normalize_remote_url("http://localhost:8000").unwrap(), "http://localhost:8000");
        for bad in
            ["http://auth.example.com", "http://10.0.0.1", "ftp://h", "auth.example.com", "", "https://u:p@h.com"]
        {
            assert!(normalize_remote_url(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn the_secret_is_created_once_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SECRET_FILE);
        let first = load_or_create_secret(&path).unwrap();
        let second = load_or_create_secret(&path).unwrap();
        assert_eq!(first, second);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
