//! Email normalisation and a deliberately plain format check.
//!
//! Accounts are keyed by the normalised address (trimmed, lower-cased), so `Ann@Example.com ` and
//! `ann@example.com` are the same account. The format check rejects what is clearly not an address
//! and accepts the ordinary ones; deliverability is not something a syntax check can promise.

use std::fmt;

/// RFC 5321 caps a forward path at 256 octets including the angle brackets.
pub const MAX_EMAIL_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;
const MAX_LABEL_LEN: usize = 63;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    TooLong,
    InvalidFormat,
}

impl EmailError {
    pub fn message(self) -> &'static str {
        match self {
            EmailError::Empty => "Email is required",
            EmailError::TooLong => "Email must not exceed 254 characters",
            EmailError::InvalidFormat => "Invalid email format",
        }
    }
}

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for EmailError {}

/// Trims surrounding whitespace and lower-cases the address.
pub fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Normalises `raw` and checks its shape, returning the address to store.
pub fn validate_email(raw: &str) -> Result<String, EmailError> {
    let email = normalize_email(raw);
    if email.is_empty() {
        return Err(EmailError::Empty);
    }
    if email.chars().count() > MAX_EMAIL_LEN {
        return Err(EmailError::TooLong);
    }
    let (local, domain) = email.split_once('@').ok_or(EmailError::InvalidFormat)?;
    if valid_local_part(local) && valid_domain(domain) {
        Ok(email)
    } else {
        Err(EmailError::InvalidFormat)
    }
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
