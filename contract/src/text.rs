//! Free text a client chooses (its name, its user agent, an address as typed) made safe to keep
//! and to show: the server stores it this way, and every place that prints stored text (the
//! admin CLI, the administration screen) shows it this way too, for rows older versions wrote.
//!
//! Control characters would forge lines in a terminal or a log (a newline, an escape sequence);
//! bidirectional formatting characters reorder what a reader sees. Both are dropped, and the text
//! is cut to a bound so no outsider can grow a stored row.

/// The longest free-text field kept, in characters.
pub const MAX_FREE_TEXT: usize = 200;

/// Whether `c` is a bidirectional formatting character (marks, embeddings, overrides, isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` may stand in stored free text.
fn is_plain(c: char) -> bool {
    !c.is_control() && !is_bidi_control(c)
}

/// `text` without control or bidirectional formatting characters, trimmed, and cut to at most
/// `max_chars` characters (the last one an ellipsis when cut).
pub fn sanitized(text: &str, max_chars: usize) -> String {
    let plain: String = text.chars().filter(|c| is_plain(*c)).collect();
    let plain = plain.trim();
    if plain.chars().count() <= max_chars {
        return plain.to_owned();
    }
    let mut cut: String = plain.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// `text` for a terminal or a page: every control or bidirectional formatting character shown as
/// its escape (`\n`, `\u{202e}`), so what is printed is what is stored and nothing more.
pub fn shown(text: &str) -> String {
    text.chars().map(|c| if is_plain(c) { c.to_string() } else { c.escape_default().to_string() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_dropped_and_the_length_bounded() {
        assert_eq!(sanitized(" curl/8.0\r\nforged line\u{1b}[31m ", 100), "curl/8.0forged line[31m");
        assert_eq!(sanitized("evil\u{202E}gpj.exe", 100), "evilgpj.exe");
        assert_eq!(sanitized(&"x".repeat(500), 200).chars().count(), 200);
        assert!(sanitized(&"x".repeat(500), 200).ends_with('…'));
        assert_eq!(sanitized("Zoë’s laptop", 200), "Zoë’s laptop");
    }

    #[test]
    fn shown_text_escapes_what_would_act_on_the_reader() {
        assert_eq!(shown("a\nb"), "a\\nb");
        assert_eq!(shown("evil\u{202E}gpj"), "evil\\u{202e}gpj");
        assert_eq!(shown("Zoë"), "Zoë");
    }
}
