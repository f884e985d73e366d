//! Step zero of parsing: a linear scan of the raw text, before pest runs.
//!
//! It finds the comments (pest skips them; the formatter needs them back), and
//! it measures how deeply brackets nest so that input nested deeper than
//! [`MAX_NESTING`] is refused before any recursive code sees it. It follows the
//! grammar's lexical rules: brackets inside strings, scripts and comments do
//! not count. It also notes where top-level items and the members of sections
//! start, so that a large file can be parsed in pieces (see `pieces`), and
//! where full-width punctuation stands, for the syntax errors (see
//! `lookalikes`).

use super::ast::Comment;
use super::lookalikes;
use super::span::Span;

/// The deepest nesting of `(` and `{` accepted. Real standards use fewer than ten.
pub const MAX_NESTING: usize = 128;

/// What the scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every comment, in source order.
    pub comments: Vec<Comment>,
    /// The first bracket that opens a level deeper than [`MAX_NESTING`].
    pub too_deep: Option<Span>,
    /// Brackets, `(` or `{`, never closed by the end of the text (innermost last).
    pub open_brackets: Vec<(char, Span)>,
    /// Lines that start a top-level item, outside all brackets, in order.
    pub items: Vec<ItemStart>,
    /// Where full-width punctuation stands outside strings, scripts and
    /// comments (see `lookalikes`), and the last typographic quote of a
    /// string left open on its line (`"…”`), in order.
    pub full_width: Vec<usize>,
}

/// A line that starts a top-level item with one of its keywords.
#[derive(Debug, PartialEq, Eq)]
pub struct ItemStart {
    /// Where the keyword is.
    pub at: usize,
    /// For a `section`, where its members start and where it closes.
    pub section: Option<SectionBlock>,
}

/// The inside of a top-level section, as the scan saw it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SectionBlock {
    /// Lines directly inside the section that start with `rule` or `section`.
    pub members: Vec<usize>,
    /// The `}` that closes the section.
    pub close: Option<usize>,
}

/// Keywords that start a top-level item.
pub const ITEM_KEYWORDS: [&str; 11] = [
    "standard", "fields", "let", "section", "rule", "grades", "script", "example", "amend",
    "remove", "rollup",
];

/// Scans `source` once, left to right.
pub fn scan(source: &str) -> Scan {
    let bytes = source.as_bytes();
    let mut result = Scan::default();
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut line_has_code = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line_has_code = false;
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'#' => {
                let end = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
                result.comments.push(Comment {
                    span: Span::new(i, end),
                    own_line: !line_has_code,
                });
                i = end;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                line_has_code = true;
                i = source[i + 3..]
                    .find("\"\"\"")
                    .map_or(bytes.len(), |n| i + 3 + n + 3);
            }
            b'"' => {
                line_has_code = true;
                let (end, closed) = skip_string(bytes, i + 1);
                if !closed {
                    // Left open: perhaps closed by a typographic quote.
                    let inside = source.get(i + 1..end).unwrap_or_default();
                    if let Some((at, _)) = inside
                        .char_indices()
                        .rev()
                        .find(|&(_, c)| lookalikes::is_quote(c))
                    {
                        result.full_width.push(i + 1 + at);
                    }
                }
                i = end;
            }
            b @ (b'(' | b'{') => {
                line_has_code = true;
                open.push((b, i));
                if open.len() > MAX_NESTING && result.too_deep.is_none() {
                    result.too_deep = Some(Span::new(i, i + 1));
                }
                i += 1;
            }
            b @ (b')' | b'}') => {
                line_has_code = true;
                let opener = if b == b')' { b'(' } else { b'{' };
                if let Some(position) = open.iter().rposition(|&(o, _)| o == opener) {
                    open.truncate(position);
                }
                if open.is_empty()
                    && let Some(block) = result
                        .items
                        .last_mut()
                        .and_then(|item| item.section.as_mut())
                    && block.close.is_none()
                {
                    block.close = Some(i);
                }
                i += 1;
            }
            b if !line_has_code && b.is_ascii_alphabetic() => {
                line_has_code = true;
                let end = source[i..]
                    .find(|c: char| !unicode_ident::is_xid_continue(c))
                    .map_or(bytes.len(), |n| i + n);
                note_line_start(&mut result.items, &source[i..end], i, &open);
                i = end;
            }
            b if b >= 0x80 => {
                line_has_code = true;
                match source.get(i..).and_then(|rest| rest.chars().next()) {
                    Some(c) => {
                        if lookalikes::ascii_for(c).is_some() {
                            result.full_width.push(i);
                        }
                        i += c.len_utf8();
                    }
                    None => i += 1,
                }
            }
            _ => {
                line_has_code = true;
                i += 1;
            }
        }
    }
    result.open_brackets = open
        .into_iter()
        .map(|(b, at)| (char::from(b), Span::new(at, at + 1)))
        .collect();
    result
}

/// Records a line that starts with `word` at `at`, if it starts an item or a
/// member of a top-level section.
fn note_line_start(items: &mut Vec<ItemStart>, word: &str, at: usize, open: &[(u8, usize)]) {
    if open.is_empty() && ITEM_KEYWORDS.contains(&word) {
        items.push(ItemStart {
            at,
            section: (word == "section").then(SectionBlock::default),
        });
    } else if let [(b'{', _)] = open
        && matches!(word, "rule" | "section")
        && let Some(block) = items.last_mut().and_then(|item| item.section.as_mut())
        && block.close.is_none()
    {
        block.members.push(at);
    }
}

/// Skips a one-line string whose opening quote is just before `i`; returns the
/// index after its closing quote, or the end of the line when it has none,
/// and whether it was closed.
fn skip_string(bytes: &[u8], mut i: usize) -> (usize, bool) {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return (i + 1, true),
            b'\n' => return (i, false),
            _ => i += 1,
        }
    }
    (bytes.len(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_outside_strings_are_found() {
        let source = "# head\nlet x = \"#no\" # tail\n";
        let scan = scan(source);
        let texts: Vec<_> = scan
            .comments
            .iter()
            .map(|c| (&source[c.span.start..c.span.end], c.own_line))
            .collect();
        assert_eq!(texts, vec![("# head", true), ("# tail", false)]);
    }

    #[test]
    fn brackets_in_strings_and_scripts_do_not_count() {
        let deep = "(".repeat(MAX_NESTING + 1);
        let source = format!("let x = \"{deep}\"\nscript \"\"\"{deep}\"\"\"\n# {deep}\n");
        assert!(scan(&source).too_deep.is_none());
        assert!(scan(&deep).too_deep.is_some());
    }

    #[test]
    fn item_and_member_starts_are_noted_outside_scripts_and_nesting() {
        let source = "standard s { key k }\nsection A {\n  rule A1: x\n  rule_count: y\n  section B {\n    rule B1: z\n  }\n}\n# section X\nscript \"\"\"\nrule in a script\n\"\"\"\nlet v = 1\n";
        let at = |text: &str| source.find(text).expect("in the source");
        let scan = scan(source);
        let starts: Vec<usize> = scan.items.iter().map(|item| item.at).collect();
        assert_eq!(starts, vec![0, at("section A"), at("script"), at("let")]);
        let block = scan.items[1].section.as_ref().expect("a section");
        assert_eq!(block.members, vec![at("rule A1"), at("section B")]);
        assert_eq!(block.close, Some(at("}\n# section X")));
    }

    #[test]
    fn full_width_punctuation_is_found_outside_strings_and_comments_only() {
        let source =
            "rule A1 \"（ok）\" { require x，y } # ，\nlet t = \"open”\nscript \"\"\"（\"\"\"\n";
        let found: Vec<&str> = scan(source)
            .full_width
            .iter()
            .map(|&at| &source[at..at + 3])
            .collect();
        assert_eq!(found, ["，", "”"]);
    }

    #[test]
    fn open_brackets_are_reported_innermost_last() {
        let scan = scan("section A { rule B { require (x ");
        let open: Vec<_> = scan
            .open_brackets
            .iter()
            .map(|(b, s)| (*b, s.start))
            .collect();
        assert_eq!(open, vec![('{', 10), ('{', 19), ('(', 29)]);
    }
}
