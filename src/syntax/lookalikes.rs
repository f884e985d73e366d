//! Full-width punctuation that a Chinese input method types where the
//! language needs ASCII (`（` for `(`, `，` for `,`, `“` for `"`), found
//! wherever it stands, and the text with each one written in ASCII.
//!
//! The grammar accepts none of these characters outside strings and
//! comments, so pest can never read past the first one; but it often
//! reports its failure earlier (at the `(` of a `one of` list whose comma
//! is full-width, at an `in` followed by `（`). Parsing the text again with
//! the lookalikes in ASCII tells which: when that parse gets past the first
//! lookalike, the lookalike is what stopped the first parse
//! (see `errors::from_pest`).

/// Full-width and typographic characters with their ASCII counterparts.
pub const LOOKALIKES: &[(char, &str)] = &[
    ('（', "("),
    ('）', ")"),
    ('，', ","),
    ('：', ":"),
    ('；', ";"),
    ('＝', "="),
    ('＞', ">"),
    ('＜', "<"),
    ('≧', ">="),
    ('≦', "<="),
    ('％', "%"),
    ('｛', "{"),
    ('｝', "}"),
    ('“', "\""),
    ('”', "\""),
    ('＂', "\""),
    ('＋', "+"),
    ('－', "-"),
    ('＊', "*"),
    ('／', "/"),
    ('！', "!"),
    ('？', "?"),
    ('＃', "#"),
    ('、', ","),
    ('　', " "),
];

/// The ASCII that a lookalike stands for.
pub fn ascii_for(c: char) -> Option<&'static str> {
    LOOKALIKES
        .iter()
        .find(|(wide, _)| *wide == c)
        .map(|&(_, ascii)| ascii)
}

/// Whether `c` is a quote an input method types for `"`.
pub fn is_quote(c: char) -> bool {
    matches!(c, '“' | '”' | '＂')
}

/// The source with the lookalikes at `offsets` (in order) written in ASCII.
pub struct Repaired {
    /// The text.
    pub text: String,
    /// Each replacement: where it is in the source, its length there, and
    /// its length in `text`.
    edits: Vec<(usize, usize, usize)>,
}

impl Repaired {
    /// Writes the lookalikes at `offsets` of `source` in ASCII.
    pub fn new(source: &str, offsets: &[usize]) -> Repaired {
        let mut text = String::with_capacity(source.len());
        let mut edits = Vec::with_capacity(offsets.len());
        let mut copied = 0;
        for &at in offsets {
            let Some(c) = source.get(at..).and_then(|rest| rest.chars().next()) else {
                continue;
            };
            let Some(ascii) = ascii_for(c) else {
                continue;
            };
            text.push_str(&source[copied..at]);
            text.push_str(ascii);
            edits.push((at, c.len_utf8(), ascii.len()));
            copied = at + c.len_utf8();
        }
        text.push_str(&source[copied..]);
        Repaired { text, edits }
    }

    /// The source offset of an offset into the repaired text; an offset
    /// inside a replacement is its start.
    pub fn to_source(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for &(at, wide, narrow) in &self.edits {
            let repaired_at = at.saturating_add_signed(shift);
            if offset < repaired_at {
                break;
            }
            if offset < repaired_at + narrow {
                return at;
            }
            shift += narrow as isize - wide as isize;
        }
        offset.saturating_add_signed(-shift)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_across_replacements() {
        let source = "a（b，c≧d";
        let offsets: Vec<usize> = source
            .char_indices()
            .filter(|&(_, c)| ascii_for(c).is_some())
            .map(|(i, _)| i)
            .collect();
        let repaired = Repaired::new(source, &offsets);
        assert_eq!(repaired.text, "a(b,c>=d");
        let d_in_text = repaired.text.find('d').unwrap_or_default();
        let d_in_source = source.find('d').unwrap_or_default();
        assert_eq!(repaired.to_source(d_in_text), d_in_source);
        // The `=` of `>=` is inside the replacement of `≧`.
        let ge = source.find('≧').unwrap_or_default();
        assert_eq!(
            repaired.to_source(repaired.text.find('=').unwrap_or_default()),
            ge
        );
        assert_eq!(repaired.to_source(0), 0);
    }
}
