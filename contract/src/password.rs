//! The password policy, as the original design states it: the rules, their order and their exact
//! messages. The server reports the first unmet rule; the UI ticks every rule as the user types.

use std::borrow::Cow;
use std::fmt;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

pub const MIN_PASSWORD_LEN: usize = 8;
pub const MAX_PASSWORD_LEN: usize = 128;
/// The characters that count as "special" — exactly the original design's set.
pub const SPECIAL_CHARACTERS: &str = "!@#$%^&*()_+-=[]{}|;:,.<>?";

/// One rule of the policy, in the order the server checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PasswordRule {
    MinLength,
    MaxLength,
    Uppercase,
    Lowercase,
    Digit,
    Special,
}

impl PasswordRule {
    pub const ALL: [PasswordRule; 6] = [
        PasswordRule::MinLength,
        PasswordRule::MaxLength,
        PasswordRule::Uppercase,
        PasswordRule::Lowercase,
        PasswordRule::Digit,
        PasswordRule::Special,
    ];

    /// The error detail the server returns when this rule is the first one unmet.
    pub fn message(self) -> &'static str {
        match self {
            PasswordRule::MinLength => "Password must be at least 8 characters long",
            PasswordRule::MaxLength => "Password must not exceed 128 characters",
            PasswordRule::Uppercase => "Password must contain at least one uppercase letter",
            PasswordRule::Lowercase => "Password must contain at least one lowercase letter",
            PasswordRule::Digit => "Password must contain at least one number",
            PasswordRule::Special => "Password must contain at least one special character",
        }
    }

    /// A short label for a checklist item.
    pub fn label(self) -> &'static str {
        match self {
            PasswordRule::MinLength => "At least 8 characters",
            PasswordRule::MaxLength => "At most 128 characters",
            PasswordRule::Uppercase => "An uppercase letter",
            PasswordRule::Lowercase => "A lowercase letter",
            PasswordRule::Digit => "A number",
            PasswordRule::Special => "A special character (!@#$%^&* …)",
        }
    }

    pub fn is_met_by(self, password: &str) -> bool {
        // Length is counted in characters, as the original (Python `len`) does, not in bytes.
        let len = password.chars().count();
        match self {
            PasswordRule::MinLength => len >= MIN_PASSWORD_LEN,
            PasswordRule::MaxLength => len <= MAX_PASSWORD_LEN,
            PasswordRule::Uppercase => password.chars().any(char::is_uppercase),
            PasswordRule::Lowercase => password.chars().any(char::is_lowercase),
            PasswordRule::Digit => password.chars().any(|c| c.is_ascii_digit()),
            PasswordRule::Special => password.chars().any(|c| SPECIAL_CHARACTERS.contains(c)),
        }
    }
}

impl fmt::Display for PasswordRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// The password as it is checked and hashed: NFKC, so that the same characters typed on another
/// keyboard or OS (composed or decomposed accents, fullwidth forms) are the same password.
pub fn normalize_password(password: &str) -> Cow<'_, str> {
    match is_nfkc_quick(password.chars()) {
        IsNormalized::Yes => Cow::Borrowed(password),
        _ => Cow::Owned(password.nfkc().collect()),
    }
}

/// Every unmet rule, in policy order, for the normalised password. Empty means it is acceptable.
pub fn check_password(password: &str) -> Vec<PasswordRule> {
    check_normalized_password(&normalize_password(password))
}

/// Each rule with whether `password` (normalised) meets it, for a live checklist.
pub fn password_checklist(password: &str) -> Vec<(PasswordRule, bool)> {
    normalized_password_checklist(&normalize_password(password))
}

/// [`check_password`] for a password the caller has already brought to NFKC (the UI uses the
/// webview's own normalisation rather than carrying Unicode's tables in its wasm).
pub fn check_normalized_password(normalized: &str) -> Vec<PasswordRule> {
    PasswordRule::ALL.into_iter().filter(|rule| !rule.is_met_by(normalized)).collect()
}

/// [`password_checklist`] for a password already in NFKC.
pub fn normalized_password_checklist(normalized: &str) -> Vec<(PasswordRule, bool)> {
    PasswordRule::ALL.into_iter().map(|rule| (rule, rule.is_met_by(normalized))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use PasswordRule::*;

    #[test]
    fn the_normalized_variants_check_the_same_rules() {
        for password in ["Str0ng!Pass", "short", "ＳＴＲ０ＮＧ!pass", "nouppercase1!", "Ｓtr0ng!Pass"] {
            let normalized = normalize_password(password);
            assert_eq!(check_normalized_password(&normalized), check_password(password), "{password}");
            assert_eq!(normalized_password_checklist(&normalized), password_checklist(password), "{password}");
        }
    }

    #[test]
    fn a_strong_password_meets_every_rule() {
        assert!(check_password("Str0ng!Pass").is_empty());
        assert!(password_checklist("Str0ng!Pass").iter().all(|(_, ok)| *ok));
    }

    #[test]
    fn reports_every_unmet_rule_in_order() {
        assert_eq!(check_password(""), vec![MinLength, Uppercase, Lowercase, Digit, Special]);
        assert_eq!(check_password("abc"), vec![MinLength, Uppercase, Digit, Special]);
        assert_eq!(check_password("abcdefgh"), vec![Uppercase, Digit, Special]);
        assert_eq!(check_password("ABCDEFGH"), vec![Lowercase, Digit, Special]);
        assert_eq!(check_password("Abcdefgh"), vec![Digit, Special]);
        assert_eq!(check_password("Abcdefg1"), vec![Special]);
    }

    #[test]
    fn length_bounds_are_inclusive_and_count_characters() {
        let base = "Aa1!";
        assert_eq!(check_password(&format!("{base}aaa")), vec![MinLength]);
        assert!(check_password(&format!("{base}aaaa")).is_empty());
        assert!(check_password(&format!("{base}{}", "a".repeat(124))).is_empty());
        assert_eq!(check_password(&format!("{base}{}", "a".repeat(125))), vec![MaxLength]);
        // 8 characters, 16 bytes: long enough.
        assert!(check_password("Aa1!éééé").is_empty());
    }

    #[test]
    fn the_policy_reads_the_normalised_password() {
        assert_eq!(normalize_password("Str0ng!Pass"), Cow::Borrowed("Str0ng!Pass"));
        // Fullwidth letters, digit and '!' are their ASCII selves: this meets every rule.
        assert_eq!(normalize_password("Ｓｔｒ０ｎｇ！Ｐａｓｓ"), "Str0ng!Pass");
        assert!(check_password("Ｓｔｒ０ｎｇ！Ｐａｓｓ").is_empty());
        // 'ﬁ' (one ligature character) is two letters once normalised: 6 characters, then 8.
        assert_eq!(check_password("Aa1!ﬁ"), vec![MinLength]);
        assert!(check_password("Aa1!ﬁﬁ").is_empty());
    }

    #[test]
    fn every_listed_special_character_counts_and_others_do_not() {
        for c in SPECIAL_CHARACTERS.chars() {
            assert!(check_password(&format!("Abcdefg1{c}")).is_empty(), "{c} should count as special");
        }
        for c in ['~', '`', '\'', '"', '/', '\\', ' ', '€'] {
            assert_eq!(check_password(&format!("Abcdefg1{c}")), vec![Special], "{c} is not in the special set");
        }
    }

    #[test]
    fn messages_are_the_original_designs() {
        let messages: Vec<_> = PasswordRule::ALL.iter().map(|r| r.message()).collect();
        assert_eq!(
            messages,
            [
                "Password must be at least 8 characters long",
                "Password must not exceed 128 characters",
                "Password must contain at least one uppercase letter",
                "Password must contain at least one lowercase letter",
                "Password must contain at least one number",
                "Password must contain at least one special character",
            ]
        );
    }
}
