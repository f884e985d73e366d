//! `--lang`: the language of the reports a command writes, when it is not
//! the standard's own `language`.

use crate::language::{LANGUAGES, Language};

/// Reads `--lang zh-Hant|zh-Hans|en`.
pub fn parse(text: &str) -> Result<Language, String> {
    Language::from_code(text).ok_or_else(|| {
        let codes: Vec<&str> = LANGUAGES.iter().map(|l| l.code()).collect();
        format!("write one of {}", codes.join(", "))
    })
}

/// The language of a command's output: `--lang` when given, else the
/// standard's.
pub fn choose(asked: Option<Language>, standard: Language) -> Language {
    asked.unwrap_or(standard)
}
