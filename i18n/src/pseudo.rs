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
    if !text.chars().any(|c| c.is_ascii_alphabetic()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() * 3);
    let mut word = 0;
    // Each word 40 % longer (never less than one more), in vowels a reader skips over: word by
    // word, so that a button's visible text stays inside its longer accessible name.
    let end_word = |out: &mut String, letters: &mut usize| {
        out.extend("ēőüāī".chars().cycle().take((*letters * 2).div_ceil(5)));
        *letters = 0;
    };
    for c in text.chars() {
        match c {
            'a'..='z' => out.push(LOWER[c as usize - 'a' as usize]),
            'A'..='Z' => out.push(UPPER[c as usize - 'A' as usize]),
            c => {
                if word > 0 {
                    end_word(&mut out, &mut word);
                }
                out.push(c);
                continue;
            }
        }
        word += 1;
    }
    if word > 0 {
        end_word(&mut out, &mut word);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_and_forty_percent_longer() {
        assert_eq!(transform("Sign in"), "Šíĝñēő íñē");
        assert_eq!(transform("Tasks "), "Ŧášķšēő ");
        assert_eq!(transform("  "), "  ");
        assert_eq!(transform("3 · 4"), "3 · 4");
    }

    /// A visible label stays part of the accessible name it is the start of ("Show" in "Show
    /// password"), as it is in every real language.
    #[test]
    fn a_label_stays_inside_the_longer_name() {
        assert!(transform("Show password").contains(transform("Show").as_ref()));
    }
}
