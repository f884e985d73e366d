//! How a column heading is compared with a field's name or label (SPEC §2),
//! shared by the reader of data and the checker's lint of fields that a
//! heading could fill both of. A leaf module.
//!
//! Headings are compared after [`heading_key`]: whitespace and line breaks
//! (Alt+Enter) removed, full-width forms read as ASCII (`（人）` is `(人)`),
//! Traditional characters read as Simplified (`受檢` is `受检`).

use std::borrow::Cow;

/// Full-width ASCII forms and the ideographic space as ASCII; other text as is.
#[inline]
pub fn narrow(text: &str) -> Cow<'_, str> {
    let wide = |c: char| matches!(c, '\u{3000}' | '\u{FF01}'..='\u{FF5E}');
    if text.is_ascii() || !text.chars().any(wide) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{3000}' => ' ',
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                other => other,
            })
            .collect(),
    )
}

/// A heading as it is compared: whitespace, line breaks and byte order
/// marks removed, full-width forms as ASCII, Traditional characters as
/// Simplified.
pub fn heading_key(text: &str) -> String {
    let compact: String = narrow(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{FEFF}')
        .collect();
    crate::hanzi::fold(&compact).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_match_across_spaces_line_breaks_widths_and_scripts() {
        assert_eq!(heading_key(" 從業人員\n(人) "), heading_key("從業人員(人)"));
        assert_eq!(heading_key("從業人員（人）"), heading_key("從業人員(人)"));
        assert_eq!(heading_key("受检科室"), heading_key("受檢科室"));
        assert_eq!(heading_key("\u{FEFF}unit"), "unit");
        assert_eq!(narrow("Ａ類　"), "A類 ");
    }
}
