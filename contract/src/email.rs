//! Email normalisation and a deliberately plain format check.
//!
//! Accounts are keyed by the normalised address (trimmed, NFKC, lower-cased), so `Ann@Example.com `,
//! `ａｎｎ@example.com` and `ann@example.com` are the same account. The format check rejects what is
//! clearly not an address and accepts the ordinary ones; deliverability is not something a syntax
//! check can promise. It also refuses lookalikes: a local part or domain label mixing writing
//! systems (a Cyrillic `а` among Latin letters) or holding invisible characters, so no one can
//! register an address that reads like someone else's.

use std::fmt;

use unicode_normalization::UnicodeNormalization;
use unicode_security::MixedScript;

/// RFC 5321 caps a forward path at 256 octets including the angle brackets.
pub const MAX_EMAIL_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;
const MAX_LABEL_LEN: usize = 63;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    TooLong,
    InvalidFormat,
    /// Mixed writing systems in one part, or invisible characters.
    Lookalike,
}

impl EmailError {
    pub const ALL: [EmailError; 4] =
        [EmailError::Empty, EmailError::TooLong, EmailError::InvalidFormat, EmailError::Lookalike];

    pub fn message(self) -> &'static str {
        match self {
            EmailError::Empty => "Email is required",
            EmailError::TooLong => "Email must not exceed 254 characters",
            EmailError::InvalidFormat => "Invalid email format",
            EmailError::Lookalike => "Email must not mix alphabets or contain invisible characters",
        }
    }
}

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for EmailError {}

/// Trims surrounding whitespace, applies NFKC (fullwidth and other compatibility forms become
/// their plain letters) and lower-cases the address.
pub fn normalize_email(raw: &str) -> String {
    raw.trim().nfkc().collect::<String>().to_lowercase()
}

/// Normalises `raw` and checks its shape, returning the address to store.
pub fn validate_email(raw: &str) -> Result<String, EmailError> {
    let email = normalize_email(raw);
    check(&email, Scripts::Checked)?;
    Ok(email)
}

/// [`validate_email`] for an address the caller has already normalised (trimmed, NFKC,
/// lower-cased), and without the mixed-script part of the lookalike check, which needs Unicode's
/// script tables: the UI checks with this, keeping those tables (and NFKC's, which the webview
/// has built in) out of its wasm, and the server's full check has the last word.
pub fn validate_normalized_email(email: &str) -> Result<(), EmailError> {
    check(email, Scripts::LeftToServer)
}

#[derive(PartialEq)]
enum Scripts {
    Checked,
    LeftToServer,
}

fn check(email: &str, scripts: Scripts) -> Result<(), EmailError> {
    if email.is_empty() {
        return Err(EmailError::Empty);
    }
    if email.chars().count() > MAX_EMAIL_LEN {
        return Err(EmailError::TooLong);
    }
    let (local, domain) = email.split_once('@').ok_or(EmailError::InvalidFormat)?;
    let mixed = || !local.is_single_script() || !domain.split('.').all(|l| l.is_single_script());
    if email.chars().any(is_invisible) || (scripts == Scripts::Checked && mixed()) {
        return Err(EmailError::Lookalike);
    }
    if valid_local_part(local) && valid_domain(domain) {
        Ok(())
    } else {
        Err(EmailError::InvalidFormat)
    }
}

/// Characters that render as nothing (Unicode's default-ignorable code points, which include the
/// zero-width and bidi controls) or as blank letters (the Hangul fillers, which count as letters and
/// would pass the format check).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

fn valid_local_part(local: &str) -> bool {
    const ATEXT_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~";
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LEN
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_alphanumeric() || c == '.' || ATEXT_SPECIALS.contains(c))
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    // A dotless domain ("user@localhost") is legal on an intranet but is almost always a typo.
    if labels.len() < 2 {
        return false;
    }
    let tld = labels[labels.len() - 1];
    let labels_ok = labels.iter().all(|label| {
        !label.is_empty()
            && label.len() <= MAX_LABEL_LEN
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    labels_ok && tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_whitespace() {
        assert_eq!(validate_email("  Ann.Lee@Example.COM \n"), Ok("ann.lee@example.com".into()));
    }

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in
            ["a@b.co", "first.last+tag@sub.example.org", "o'neil@example.ie", "x_y-z@ex-ample.com", "jürgen@bücher.de"]
        {
            assert!(validate_email(ok).is_ok(), "{ok} should be accepted");
        }
    }

    #[test]
    fn rejects_what_is_not_an_address() {
        for bad in [
            "plainaddress",
            "@example.com",
            "user@",
            "user@example",
            "user@@example.com",
            "user@.example.com",
            "user@example..com",
            ".user@example.com",
            "user.@example.com",
            "us..er@example.com",
            "user name@example.com",
            "user@exa mple.com",
            "user@-example.com",
            "user@example.c",
            "user@example.123",
            "a@b@c.com",
        ] {
            assert_eq!(validate_email(bad), Err(EmailError::InvalidFormat), "{bad} should be rejected");
        }
        assert_eq!(validate_email("   "), Err(EmailError::Empty));
    }

    #[test]
    fn compatibility_forms_are_the_plain_address() {
        assert_eq!(validate_email("ＡＮＮ@Example.com"), Ok("ann@example.com".into()));
        assert_eq!(validate_email("ann@ｅｘａｍｐｌｅ.com"), Ok("ann@example.com".into()));
        // Composed and decomposed accents are one address.
        assert_eq!(validate_email("jo\u{0065}\u{0301}l@example.fr"), validate_email("jo\u{00E9}l@example.fr"));
    }

    #[test]
    fn the_ui_check_agrees_except_for_mixed_scripts() {
        for raw in [
            "ann@example.com",
            "  ＡＮＮ@Example.com ",
            "plainaddress",
            "user@example..com",
            "   ",
            "ann\u{200B}@example.com",
            "\u{3164}ann@example.com",
            "jürgen@bücher.de",
            "やまだ太郎@example.jp",
        ] {
            let full = validate_email(raw).map(|_| ());
            assert_eq!(validate_normalized_email(&normalize_email(raw)), full, "{raw:?}");
        }
        // Mixed scripts are the server's to refuse.
        assert_eq!(validate_email("p\u{0430}ypal@example.com"), Err(EmailError::Lookalike));
        assert_eq!(validate_normalized_email("p\u{0430}ypal@example.com"), Ok(()));
    }

    #[test]
    fn refuses_lookalike_addresses() {
        for bad in [
            "p\u{0430}ypal@example.com",  // Cyrillic a among Latin letters
            "paypal@ex\u{0430}mple.com",  // the same in the domain
            "ann\u{200B}@example.com",    // zero-width space
            "ann@exam\u{200D}ple.com",    // zero-width joiner
            "\u{3164}ann@example.com",    // Hangul filler: a blank "letter"
            "ann\u{FFA0}@example.com",    // its halfwidth form
            "ann\u{202E}moc@example.com", // right-to-left override
        ] {
            assert_eq!(validate_email(bad), Err(EmailError::Lookalike), "{bad:?} should be refused");
        }
        // One script per part is fine, as are scripts that are written together (Japanese).
        for ok in ["иван@пример.рф", "ivan@пример.com", "やまだ太郎@example.jp", "jürgen@bücher.de", "u1@x-y.co"]
        {
            assert!(validate_email(ok).is_ok(), "{ok} should be accepted");
        }
    }

    #[test]
    fn enforces_length_limit_on_the_normalised_address() {
        let at_limit =
            format!("{}@{}.com", "a".repeat(64), "b".repeat(63) + "." + &"c".repeat(63) + "." + &"d".repeat(57));
        assert_eq!(at_limit.len(), 254);
        assert!(validate_email(&at_limit).is_ok());
        let over = format!("{}@{}.com", "a".repeat(64), "b".repeat(63) + "." + &"c".repeat(63) + "." + &"d".repeat(58));
        assert_eq!(validate_email(&over), Err(EmailError::TooLong));
        // Surrounding whitespace does not count against the limit.
        assert!(validate_email(&format!("  {at_limit}  ")).is_ok());
    }
}
