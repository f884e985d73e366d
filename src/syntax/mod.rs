//! Step one of the pipeline: text to AST.
//!
//! `scan` measures nesting and collects comments, pest parses (`grammar`),
//! `lower` turns pest's pairs into the typed, spanned [`ast`], and `errors`
//! turns pest's failures into diagnostics in words. `print` goes back from AST
//! to canonical text for `yardstick fmt`. This is the only module that knows
//! pest.

pub mod ast;
mod errors;
mod grammar;
pub mod lookalikes;
mod lower;
mod pieces;
mod precedence;
pub mod print;
pub mod reparse;
mod scan;
pub mod shift;
pub mod span;

use pest::Parser as _;

pub use errors::SyntaxError;
pub use precedence::MAX_EXPR_DEPTH;
pub use scan::{ITEM_KEYWORDS, MAX_NESTING};

use grammar::{Rule, StandardParser};

/// The result of parsing one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The tree; empty when the text could not be parsed.
    pub file: ast::File,
    /// The comments, for the formatter.
    pub comments: Vec<ast::Comment>,
    /// Syntax errors; when there are any, `file` is incomplete.
    pub errors: Vec<SyntaxError>,
}

/// Parses a standard's text. Never panics and never recurses deeper than
/// [`MAX_NESTING`] brackets, whatever the input.
pub fn parse(source: &str) -> Parsed {
    parse_from(source, 0)
}

/// Parses a standard's text with the tree's spans counted from `base`, so
/// that the trees of several files can be told apart once merged (see
/// `crate::sources`). Syntax errors and comments keep the file's own offsets.
pub fn parse_at(source: &str, base: usize) -> Parsed {
    let parsed = parse_from(source, base);
    if base != 0 && !parsed.errors.is_empty() {
        return parse_from(source, 0);
    }
    parsed
}

fn parse_from(source: &str, base: usize) -> Parsed {
    let scan = scan::scan(source);
    if let Some(span) = scan.too_deep {
        return Parsed {
            errors: vec![SyntaxError::TooDeep {
                limit: MAX_NESTING,
                span: span.into(),
            }],
            comments: scan.comments,
            ..Parsed::default()
        };
    }
    if source.len() >= pieces::PARALLEL_FROM
        && let Some((file, errors)) = pieces::parse(source, &scan.items, base)
    {
        return Parsed {
            file,
            comments: scan.comments,
            errors,
        };
    }
    match StandardParser::parse(Rule::file, source) {
        Ok(mut pairs) => {
            let Some(file) = pairs.next() else {
                return Parsed::default();
            };
            let (file, errors) = lower::lower_file(file, base);
            Parsed {
                file,
                comments: scan.comments,
                errors,
            }
        }
        Err(error) => Parsed {
            errors: vec![errors::from_pest(
                source,
                &detailed(source).unwrap_or(error),
                &detailed,
            )],
            comments: scan.comments,
            ..Parsed::default()
        },
    }
}

/// Parses again, this time asking pest to track every token it tried, which
/// it does only on request because it slows parsing down. The flag is global
/// to pest; the lock keeps two threads from turning it off under each other.
fn detailed(source: &str) -> Option<pest::error::Error<Rule>> {
    static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = DETAIL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_error_detail(true);
    let result = StandardParser::parse(Rule::file, source).err();
    pest::set_error_detail(false);
    result
}

/// Why a text could not be formatted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The text has syntax errors; format only what parses.
    #[error("the file has syntax errors")]
    Syntax,
    /// Printing would change the tree: a bug in the printer, caught before
    /// anything is written.
    #[error(
        "formatting would change the standard's meaning, so the file was left as it is; this is a bug in yardstick, please report it"
    )]
    WouldChangeMeaning,
}

/// The canonical layout of a standard's text (`yardstick fmt`). The result is
/// parsed again and must give the same tree, so formatting never changes what
/// a standard means.
pub fn format(source: &str) -> Result<String, FormatError> {
    let parsed = parse(source);
    if !parsed.errors.is_empty() {
        return Err(FormatError::Syntax);
    }
    let formatted = print::print(&parsed.file, &parsed.comments, Some(source));
    let reparsed = parse(&formatted);
    if reparsed.file != parsed.file || !reparsed.errors.is_empty() {
        return Err(FormatError::WouldChangeMeaning);
    }
    Ok(formatted)
}

/// Bytes that are not UTF-8: the text decoded as far as possible (invalid
/// bytes replaced), and the diagnostic pointing at the first invalid byte.
#[derive(Debug)]
pub struct Undecodable {
    /// The text with invalid bytes replaced by U+FFFD, for showing.
    pub lossy: String,
    /// The diagnostic.
    pub error: SyntaxError,
}

/// Decodes a file's bytes as UTF-8, or says where it is not.
pub fn decode(bytes: Vec<u8>) -> Result<String, Box<Undecodable>> {
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
        let len = lossy[offset..].chars().next().map_or(0, char::len_utf8);
        Box::new(Undecodable {
            lossy,
            error: SyntaxError::InvalidUtf8 {
                span: miette::SourceSpan::new(offset.into(), len),
            },
        })
    })
}
