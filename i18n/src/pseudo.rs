//! The pseudo-locale's transform: every Latin letter accented and each text 40 % longer, its
//! placeables (names, numbers, codes) left as they are (Fluent applies a transform to the text
//! of a pattern only).

use std::borrow::Cow;

const LOWER: [char; 26] = [
    'á', 'ƀ', 'ç', 'đ', 'é', 'ƒ', 'ĝ', 'ĥ', 'í', 'ĵ', 'ķ', 'ĺ', 'ɱ', 'ñ', 'ó', 'þ', 'ǫ', 'ŕ', 'š', 'ŧ', 'ú', 'ṽ', 'ŵ',
    'ẋ', 'ý', 'ž',
];
const UPPER: [char; 26] = [
    'Á', 'Ɓ', 'Ç', 'Đ', 'É', 'Ƒ', 'Ĝ', 'Ĥ', 'Í', 'Ĵ', 'Ķ', 'Ĺ', 'Ṁ', 'Ñ', 'Ó', 'Þ', 'Ǫ', 'Ŕ', 'Š', 'Ŧ', 'Ú', 'Ṽ', 'Ŵ',
    'Ẋ', 'Ý', 'Ž',
];

pub fn transform(text: &str) -> Cow<'_, str> {
    if text.trim().is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out: String = text
        .chars()
        .map(|c| match c {
            'a'..='z' => LOWER[c as usize - 'a' as usize],
            'A'..='Z' => UPPER[c as usize - 'A' as usize],
            c => c,
        })
        .collect();
    // 40 % longer, in vowels a reader skips over; never less than one.
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let extra = (letters * 2).div_ceil(5);
    let pad: String = "ēőüāī".chars().cycle().take(extra).collect();
    // Before trailing spaces, so that the words of a pattern stay apart.
    let end = out.trim_end().len();
    out.insert_str(end, &pad);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_and_forty_percent_longer() {
        let text = transform("Sign in");
        assert!(!text.contains('S') && !text.contains('g'), "{text}");
        assert_eq!(text.chars().count(), "Sign in".chars().count() + 3, "{text}");
        assert_eq!(transform("Tasks "), "Ŧášķšēő ");
        assert_eq!(transform("  "), "  ");
    }
}
