//! Simplified and Traditional Chinese characters as the same text, where
//! people write either (SPEC §2: headings, `one of` choices, grade names), and
//! text written in one script shown in the other (reports in `zh-Hans`).
//!
//! A leaf module: the conversion tables are OpenCC's (Apache-2.0), as the
//! `hanconv` crate (MIT) ships them; nothing here knows the rest of yardstick.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Each Traditional character that has a Simplified form, with its first
/// (commonest) Simplified form.
static TO_SIMPLIFIED: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    hanconv::RawDictionary::TSCharacters
        .iter()
        .filter_map(|(traditional, simplified)| Some((single(traditional)?, single(simplified)?)))
        .collect()
});

/// The only character of `text`, if it has exactly one.
fn single(text: &str) -> Option<char> {
    let mut chars = text.chars();
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

/// `text` with every Traditional character replaced by its Simplified form,
/// character by character, for comparing text written in either script:
/// `fold("受檢科室") == fold("受检科室")`. ASCII text is returned as it is.
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(|c| TO_SIMPLIFIED.contains_key(&c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| TO_SIMPLIFIED.get(&c).copied().unwrap_or(c))
            .collect(),
    )
}

/// Whether two texts are the same once both are read in one script.
pub fn same(a: &str, b: &str) -> bool {
    a == b || fold(a) == fold(b)
}

/// Text written in Traditional characters, in Simplified ones (phrase by
/// phrase, as OpenCC converts), for output in `zh-Hans`.
pub fn to_simplified(text: &str) -> String {
    hanconv::t2s(text)
}

/// Whether `text` is written in Simplified characters: it has a character
/// that only Simplified Chinese uses and none that only Traditional does.
/// Text with neither (plain ASCII, characters both scripts share) is not.
pub fn is_simplified(text: &str) -> bool {
    let traditional = text.chars().any(|c| TO_SIMPLIFIED.contains_key(&c));
    !traditional && hanconv::s2t(text) != text
}

/// Whether `text` has any Han (CJK ideograph) character.
pub fn has_han(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c,
            '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{3134F}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_scripts_fold_to_one_text() {
        assert!(same("受檢科室", "受检科室"));
        assert!(same("城區", "城区"));
        assert!(same("達標", "达标"));
        assert!(!same("達標", "示範"));
        assert_eq!(fold("unit_id"), "unit_id");
        assert!(matches!(fold("unit_id"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_script_of_a_title_is_told() {
        assert!(is_simplified("城乡环境综合治理进机关考核标准"));
        assert!(!is_simplified("城鄉環境綜合治理進機關考核標準"));
        assert!(!is_simplified("Office environment"));
        assert!(has_han("城鄉"));
        assert!(!has_han("Office"));
    }

    #[test]
    fn traditional_text_is_shown_in_simplified() {
        assert_eq!(to_simplified("不達標"), "不达标");
        assert_eq!(to_simplified("受檢單位"), "受检单位");
    }
}
