//! The breached-password check over a k-anonymity range API (Have I Been Pwned's protocol):
//! `GET <base>/<first 5 hex chars of SHA-1(password)>` answers `SUFFIX:COUNT` lines for every hash
//! with that prefix, so only the 5-character prefix ever leaves the server.
//!
//! The check is advisory: a service that is slow, down or answers nonsense is logged and skipped,
//! never a reason to refuse a sign-up.

use std::sync::Arc;
use std::time::Duration;

use authdesk_contract::normalize_password;
use sha1::{Digest, Sha1};

/// The whole request, body included: a sign-up waits at most this long for the answer.
pub const TIMEOUT: Duration = Duration::from_secs(2);
/// HIBP's answers are ~30 KiB (~1,000 lines with padding); anything far larger is not one.
const MAX_BODY_BYTES: usize = 1024 * 1024;
const PREFIX_LEN: usize = 5;
const SUFFIX_LEN: usize = 40 - PREFIX_LEN;

/// Asks a range API whether a password has appeared in a breach; cheap to clone.
#[derive(Clone)]
pub struct BreachedPasswords {
    client: reqwest::Client,
    /// The range endpoint without a trailing slash, e.g. `https://api.pwnedpasswords.com/range`.
    base: Arc<str>,
}

impl BreachedPasswords {
    pub fn new(base_url: &str) -> Self {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .use_rustls_tls()
            // A redirect could carry the prefix to a host nobody configured.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("authdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            // Fails only when the TLS backend cannot start (as `reqwest::Client::new` panics then):
            // rustls with ring and bundled roots has nothing at run time to fail on.
            .expect("the HTTP client for the breached-password check builds");
        Self { client, base: base_url.trim().trim_end_matches('/').into() }
    }

    /// Whether the (NFKC-normalised, as hashed) password appears in the range API's answer with a
    /// count above zero. `false` when the service cannot be asked or its answer cannot be read.
    pub async fn is_breached(&self, password: &str) -> bool {
        let (prefix, suffix) = split_hash(&normalize_password(password));
        let body = match self.range(&prefix).await {
            Ok(body) => body,
            Err(reason) => {
                tracing::warn!(%reason, "breached-password check skipped");
                return false;
            }
        };
        match breach_count(&body, &suffix) {
            Some(count) => count > 0,
            None => {
                tracing::warn!(reason = "no SUFFIX:COUNT line in the answer", "breached-password check skipped");
                false
            }
        }
    }

    /// The range API's answer for `prefix`, or why there is none. Reasons never name the URL: it
    /// holds the prefix.
    async fn range(&self, prefix: &str) -> Result<String, String> {
        let url = format!("{}/{prefix}", self.base);
        let mut response = self.client.get(url).send().await.map_err(|e| e.without_url().to_string())?;
        if !response.status().is_success() {
            return Err(format!("the service answered {}", response.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| e.without_url().to_string())? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(format!("the answer is over {MAX_BODY_BYTES} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        String::from_utf8(body).map_err(|_| "the answer is not UTF-8 text".to_owned())
    }
}

/// The uppercase hex SHA-1 of `password`, split into the prefix sent and the suffix looked for.
fn split_hash(password: &str) -> (String, String) {
    let hex = super::refresh::hex(&Sha1::digest(password.as_bytes())).to_ascii_uppercase();
    let (prefix, suffix) = hex.split_at(PREFIX_LEN);
    (prefix.to_owned(), suffix.to_owned())
}

/// How often `suffix` was seen according to a range answer: 0 when it is absent or only a padding
/// line (HIBP's `Add-Padding` adds made-up suffixes with count 0). `None` when not one line of the
/// answer is a `SUFFIX:COUNT` line, i.e. it is not a range answer at all.
fn breach_count(body: &str, suffix: &str) -> Option<u64> {
    let mut answered = false;
    let mut count = 0;
    for (line_suffix, line_count) in body.lines().filter_map(parse_line) {
        answered = true;
        if line_suffix.eq_ignore_ascii_case(suffix) {
            count = count.max(line_count);
        }
    }
    answered.then_some(count)
}

/// One `SUFFIX:COUNT` line (whitespace and case tolerated), or `None` for anything else.
fn parse_line(line: &str) -> Option<(&str, u64)> {
    let (suffix, count) = line.trim().split_once(':')?;
    let suffix = suffix.trim();
    if suffix.len() != SUFFIX_LEN || !suffix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((suffix, count.trim().parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    // SHA-1("password") = 5BAA6 1E4C9B93F3F0682250B6CF8331B7EE68FD8.
    const SUFFIX: &str = "1E4C9B93F3F0682250B6CF8331B7EE68FD8";

    #[test]
    fn the_hash_is_split_after_five_uppercase_hex_chars() {
        assert_eq!(split_hash("password"), ("5BAA6".to_owned(), SUFFIX.to_owned()));
    }

    #[test]
    fn the_password_is_normalised_before_hashing() {
        // Fullwidth letters are their ASCII selves under NFKC, as the server hashes them.
        assert_eq!(split_hash(&normalize_password("ｐａｓｓｗｏｒｄ")), split_hash("password"));
    }

    #[test]
    fn a_listed_suffix_is_found_whatever_its_case_and_padding() {
        let body = format!("0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n{}: 9545824 \r\n", SUFFIX.to_lowercase());
        assert_eq!(breach_count(&body, SUFFIX), Some(9_545_824));
        assert_eq!(breach_count(&format!("  {SUFFIX}:3"), SUFFIX), Some(3));
    }

    #[test]
    fn an_absent_suffix_counts_zero() {
        let body = "0018A45C4D1DEF81644B54AB7F969B88D65:1\n00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2\n";
        assert_eq!(breach_count(body, SUFFIX), Some(0));
    }

    #[test]
    fn padding_lines_with_count_zero_are_not_breaches() {
        let body = format!("0018A45C4D1DEF81644B54AB7F969B88D65:4\n{SUFFIX}:0\n");
        assert_eq!(breach_count(&body, SUFFIX), Some(0));
    }

    #[test]
    fn garbage_lines_are_ignored() {
        let body = format!(
            "<html>\n\n{SUFFIX}\n{SUFFIX}:many\nZZ{}:7\n{}:7\n{SUFFIX}X:7\nFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:2\n",
            &SUFFIX[2..],
            &SUFFIX[1..]
        );
        assert_eq!(breach_count(&body, SUFFIX), Some(0), "only the last line is a range line");
        assert_eq!(breach_count(&format!("{body}{SUFFIX}:5"), SUFFIX), Some(5));
    }

    #[test]
    fn an_answer_without_one_range_line_is_no_answer() {
        assert_eq!(breach_count("", SUFFIX), None);
        assert_eq!(breach_count("<html><body>Service Unavailable</body></html>", SUFFIX), None);
        assert_eq!(breach_count(&format!("{SUFFIX}:-1\n{SUFFIX}:1.5"), SUFFIX), None);
    }
}
