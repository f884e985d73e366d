//! Step zero of parsing: a linear scan of the raw text, before pest runs.
//!
//! It finds the comments (pest skips them; the formatter needs them back), and
//! it measures how deeply brackets nest so that input nested deeper than
//! [`MAX_NESTING`] is refused before any recursive code sees it. It follows the
//! grammar's lexical rules: brackets inside strings, scripts and comments do
//! not count.

use super::ast::Comment;
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
}

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
                i = skip_string(bytes, i + 1);
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
                i += 1;
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

/// Skips a one-line string whose opening quote is just before `i`; returns the
/// index after its closing quote, or the end of the line when it has none.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
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
