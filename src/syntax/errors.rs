//! Syntax errors, and the translation of pest's failures into words.
//!
//! Over 600 lines on purpose: one enum of every syntax error, beside the
//! translation of pest's failures into it (what was expected, what was found,
//! hints); split, the catalogue of wordings would be scattered.

use miette::SourceSpan;

use super::grammar::Rule;
use super::lookalikes;

/// An error found while reading a standard's text.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum SyntaxError {
    /// The text does not follow the grammar.
    #[error("{message}")]
    #[diagnostic(code(yardstick::syntax_error))]
    Unexpected {
        /// What was expected, in words.
        message: String,
        /// Where parsing stopped.
        #[label("{label}")]
        span: SourceSpan,
        /// What was found there.
        label: String,
        /// Advice for a common slip.
        #[help]
        help: Option<String>,
        /// The bracket left open, when that is the likely cause.
        #[label(collection)]
        opened: Option<miette::LabeledSpan>,
    },

    /// An escape other than `\"` and `\\` in a string.
    #[error("unknown escape `{escape}` in a string")]
    #[diagnostic(
        code(yardstick::bad_escape),
        help("a string may hold `\\\"` (a quote) and `\\\\` (a backslash); it cannot span lines")
    )]
    BadEscape {
        /// The escape as written.
        escape: String,
        /// Where.
        #[label("not an escape")]
        span: SourceSpan,
    },

    /// Brackets or an expression nested deeper than the limit.
    #[error("nesting is deeper than {limit} levels")]
    #[diagnostic(
        code(yardstick::too_deep),
        help("split the condition into `let` values or simpler rules")
    )]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Where the limit was passed.
        #[label("too deeply nested")]
        span: SourceSpan,
    },

    /// `a < b < c`, `no a == b`: a comparison whose operand is a comparison.
    #[error("comparisons cannot be chained")]
    #[diagnostic(
        code(yardstick::chained_comparison),
        help(
            "join two comparisons with `and`, e.g. `a < b and b < c`; `no`, `in` and `between` are comparisons too, so add parentheses if one is meant as a value"
        )
    )]
    ChainedComparison {
        /// The chain.
        #[label("a comparison of a comparison")]
        span: SourceSpan,
    },

    /// The file is not UTF-8.
    #[error("the file is not valid UTF-8")]
    #[diagnostic(
        code(yardstick::invalid_utf8),
        help("save the standard as UTF-8 (most editors offer it under \"Save with encoding\")")
    )]
    InvalidUtf8 {
        /// The first invalid byte.
        #[label("not UTF-8")]
        span: SourceSpan,
    },

    /// A number too large for exact decimal arithmetic.
    #[error("number `{text}` is too large")]
    #[diagnostic(
        code(yardstick::number_too_large),
        help("numbers may have at most 28 significant digits")
    )]
    NumberTooLarge {
        /// The number as written.
        text: String,
        /// Where.
        #[label("too large")]
        span: SourceSpan,
    },

    /// A date that does not exist, such as `2015-02-30`.
    #[error("`{text}` is not a valid date: {reason}")]
    #[diagnostic(code(yardstick::invalid_date))]
    InvalidDate {
        /// The date as written.
        text: String,
        /// Why it is invalid.
        reason: String,
        /// Where.
        #[label("not a date")]
        span: SourceSpan,
    },
}

/// Turns a pest error into a diagnostic in words: what was expected, what
/// was found, and advice for the common slips. Rule names never reach the
/// user. `reparse` parses another text and gives its error, if any: when
/// the source holds full-width punctuation, the text with it in ASCII is
/// parsed again to tell whether that is what stopped the parser.
pub fn from_pest(
    source: &str,
    error: &pest::error::Error<Rule>,
    reparse: &dyn Fn(&str) -> Option<pest::error::Error<Rule>>,
) -> SyntaxError {
    if let Some(full_width) = full_width(source, reparse) {
        return full_width;
    }
    in_words(source, error)
}

/// The diagnostic for full-width punctuation, when it is what stopped the
/// parser; the diagnostic points at the character itself, wherever pest
/// gave up (often earlier: at the `(` of a list whose comma is full-width).
fn full_width(
    source: &str,
    reparse: &dyn Fn(&str) -> Option<pest::error::Error<Rule>>,
) -> Option<SyntaxError> {
    let offsets = super::scan::scan(source).full_width;
    let &first = offsets.first()?;
    let c = source[first..].chars().next()?;
    let ascii = lookalikes::ascii_for(c)?;
    let span = SourceSpan::new(first.into(), c.len_utf8());
    let repaired = lookalikes::Repaired::new(source, &offsets);
    let again = reparse(&repaired.text);
    let reached = again.as_ref().map(|e| repaired.to_source(furthest(e)));
    match reached {
        // Written in ASCII, the text parses, or parses further: the
        // full-width character is the mistake.
        None => {}
        Some(reached) if reached > first => {}
        // Written in ASCII, it is still wrong where it stands: say so,
        // with what the parser wanted there.
        Some(reached) if reached == first => {
            let again = again?;
            let SyntaxError::Unexpected {
                message,
                help: ascii_help,
                ..
            } = in_words(&repaired.text, &again)
            else {
                return None;
            };
            let help = match ascii_help {
                Some(advice) => format!("`{c}` is a full-width `{ascii}`; {advice}"),
                None => {
                    format!("`{c}` is a full-width `{ascii}`, and no `{ascii}` belongs here either")
                }
            };
            return Some(SyntaxError::Unexpected {
                message,
                span,
                label: format!("unexpected `{c}`"),
                help: Some(help),
                opened: None,
            });
        }
        // An earlier mistake stopped the parser: that one is reported.
        Some(_) => return None,
    }
    let (message, label, help) = if c == '　' {
        (
            "unexpected full-width space".to_owned(),
            "write a space here".to_owned(),
            "`　` is a full-width space; use an ordinary space".to_owned(),
        )
    } else if c == '、' {
        (
            "unexpected enumeration comma `、`".to_owned(),
            "write `,` here".to_owned(),
            "`、` is the Chinese enumeration comma; write the ASCII `,` instead".to_owned(),
        )
    } else {
        (
            format!("unexpected full-width `{c}`"),
            format!("write `{ascii}` here"),
            format!("`{c}` is a full-width character; write the ASCII `{ascii}` instead"),
        )
    };
    Some(SyntaxError::Unexpected {
        message,
        span,
        label,
        help: Some(help),
        opened: None,
    })
}

/// How far the parser got: the furthest place it tried a token, which may
/// lie beyond where it reports the failure (`weight 30%` fails at
/// `section`, having tried `{` at the `%`).
fn furthest(error: &pest::error::Error<Rule>) -> usize {
    let at = match error.location {
        pest::error::InputLocation::Pos(offset) => offset,
        pest::error::InputLocation::Span((start, _)) => start,
    };
    error
        .parse_attempts()
        .map_or(at, |attempts| attempts.max_position.max(at))
}

/// A pest error in words, at the place pest gives.
fn in_words(source: &str, error: &pest::error::Error<Rule>) -> SyntaxError {
    let offset = match error.location {
        pest::error::InputLocation::Pos(offset) => offset,
        pest::error::InputLocation::Span((start, _)) => start,
    };
    let positives = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => positives.as_slice(),
        pest::error::ErrorVariant::CustomError { .. } => {
            // pest's own stack guard ("stack limit reached"); the scan keeps
            // nesting far below it, so this is a last line of defence.
            return SyntaxError::TooDeep {
                limit: super::scan::MAX_NESTING,
                span: SourceSpan::new(offset.into(), 0),
            };
        }
    };
    let tokens: Vec<String> = error
        .parse_attempts()
        .map(|attempts| {
            attempts
                .expected_tokens()
                .into_iter()
                .map(|token| token.to_string())
                .collect()
        })
        .unwrap_or_default();
    if let Some(escape) = bad_escape(source, offset) {
        return escape;
    }
    if let Some(weight) = percent_weight(source, error) {
        return weight;
    }
    let expected = Expected::from(positives, &tokens);
    let found = Found::at(source, offset);
    let at_end = found.text.is_empty();
    // The bracket left open where parsing stopped, when the parser wanted it closed.
    let open = super::scan::scan(&source[..offset]).open_brackets;
    let opened = open.iter().rev().find(|(bracket, _)| {
        (*bracket == '{' && expected.punctuation.contains(&"`}`"))
            || (*bracket == '(' && expected.punctuation.contains(&"`)`"))
    });
    let unclosed = opened.is_some() && (at_end || is_block_keyword(found.text));
    // A `{` is worth pointing at only when the block is the likely culprit.
    let opened = opened.filter(|(bracket, _)| *bracket == '(' || unclosed);
    SyntaxError::Unexpected {
        message: format!("expected {}", expected.phrase()),
        span: found.span,
        label: found.describe(),
        help: hint(&found, &expected, unclosed),
        opened: opened.map(|&(bracket, span)| {
            miette::LabeledSpan::new_with_span(
                Some(format!("this `{bracket}` is not closed")),
                span,
            )
        }),
    }
}

/// `weight 30%` on a section: the parser read `weight 30`, wanted `{` and
/// found `%`, but reports the failure at `section`. The diagnostic points
/// at the `%`.
fn percent_weight(source: &str, error: &pest::error::Error<Rule>) -> Option<SyntaxError> {
    let at = furthest(error);
    let rest = source.get(at..)?;
    if !rest.starts_with('%') {
        return None;
    }
    let before = source[..at].trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let number = &source[before.len()..at];
    if number.is_empty() || !before.trim_end().ends_with("weight") {
        return None;
    }
    Some(SyntaxError::Unexpected {
        message: "a section's weight is a number, not a percent".to_owned(),
        span: SourceSpan::new(at.into(), 1),
        label: "unexpected `%`".to_owned(),
        help: Some(format!(
            "write `weight {number}`: weights count relative to each other (30 and 70 weigh as 30% and 70%)"
        )),
        opened: None,
    })
}

/// Words that start a new block: finding one where `}` was expected usually
/// means the block above was not closed.
fn is_block_keyword(word: &str) -> bool {
    matches!(
        word,
        "standard"
            | "fields"
            | "let"
            | "section"
            | "rule"
            | "grades"
            | "script"
            | "example"
            | "amend"
            | "remove"
            | "rollup"
    )
}

/// A string with an escape other than `\"` or `\\`, when parsing stopped at
/// its opening quote.
fn bad_escape(source: &str, offset: usize) -> Option<SyntaxError> {
    let rest = source.get(offset..)?;
    let line = rest.strip_prefix('"')?.split('\n').next()?;
    let mut chars = line.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => match chars.next() {
                Some((_, '"' | '\\')) => {}
                Some((_, other)) => {
                    let start = offset + 1 + at;
                    return Some(SyntaxError::BadEscape {
                        escape: format!("\\{other}"),
                        span: SourceSpan::new(start.into(), 1 + other.len_utf8()),
                    });
                }
                None => return None,
            },
            _ => {}
        }
    }
    None
}

/// What the parser would have accepted, as groups of words.
#[derive(Default)]
struct Expected {
    /// Punctuation such as `}` or `)`, in the order first seen.
    punctuation: Vec<&'static str>,
    /// Phrases describing rules, in a fixed order of usefulness.
    phrases: std::collections::BTreeSet<(u8, &'static str)>,
    /// Keywords that would have fitted, for "did you mean".
    keywords: Vec<&'static str>,
    /// Whether an operator could have continued an expression.
    operator: bool,
}

impl Expected {
    fn from(positives: &[Rule], tokens: &[String]) -> Expected {
        let mut expected = Expected::default();
        for &attempted in positives {
            if let Some(keyword) = keyword(attempted) {
                expected.keywords.push(keyword);
            }
            if matches!(
                attempted,
                Rule::cmp_op | Rule::add_op | Rule::mul_op | Rule::kw_and | Rule::kw_or
            ) {
                expected.operator = true;
            }
            if let Some(phrase) = phrase(attempted) {
                expected.phrases.insert(phrase);
            }
        }
        if positives.contains(&Rule::kw_otherwise) {
            // In a grade band `when` is not a rule clause.
            expected.phrases.remove(&CLAUSE);
            expected.phrases.insert(BAND_KEYWORDS);
        }
        if expected.phrases.contains(&DECLARATION) {
            expected.phrases.remove(&SECTION_OR_RULE);
        }
        if expected.operator {
            // `in` and `between` are operators too; say it once.
            expected
                .phrases
                .retain(|&(rank, _)| rank != OTHER_OPERATOR_RANK);
            if expected.phrases.contains(&COMPARISON) {
                expected.phrases.remove(&OPERATOR);
            }
        }
        let wants_value =
            expected.operator || expected.phrases.iter().any(|&(rank, _)| rank == VALUE_RANK);
        for token in tokens {
            let punctuation = match token.as_str() {
                "}" => "`}`",
                ")" => "`)`",
                "{" => "`{`",
                "=" => "`=`",
                "," => "`,`",
                ":" => "`:`",
                "(" if !wants_value => "`(`",
                _ => continue,
            };
            if !expected.punctuation.contains(&punctuation) {
                expected.punctuation.push(punctuation);
            }
        }
        // A comma only separates; listing it beside `)` adds nothing.
        if expected.punctuation.contains(&"`)`") {
            expected.punctuation.retain(|&p| p != "`,`");
        }
        expected
    }

    fn phrase(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for phrase in self
            .phrases
            .iter()
            .map(|&(_, phrase)| phrase)
            .chain(self.punctuation.iter().copied())
        {
            if !parts.contains(&phrase) {
                parts.push(phrase);
            }
        }
        if parts.is_empty() {
            parts.push("something else");
        }
        match parts.split_last() {
            Some((last, [])) => (*last).to_owned(),
            Some((last, [single])) if !single.contains(" or ") => format!("{single} or {last}"),
            Some((last, rest)) => format!("{}, or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// Phrases about values rank first: they say what is missing.
const VALUE_RANK: u8 = 0;
/// The rank of `in` and `between`, which the operator phrase covers.
const OTHER_OPERATOR_RANK: u8 = 3;
const COMPARISON: (u8, &str) = (1, "an operator such as `>=`, `≥` or `and`");
const OPERATOR: (u8, &str) = (2, "an operator such as `+` or `and`");
const CLAUSE: (u8, &str) = (4, "a clause such as `require` or `points`");
const BAND_KEYWORDS: (u8, &str) = (4, "`when` or `otherwise`");
const SECTION_OR_RULE: (u8, &str) = (6, "a `section` or a `rule`");
const DECLARATION: (u8, &str) = (
    7,
    "a declaration such as `standard`, `fields`, `section`, `rule` or `grades`",
);

/// The words for a grammar rule, with a rank that orders the list.
fn phrase(attempted: Rule) -> Option<(u8, &'static str)> {
    Some(match attempted {
        Rule::expr
        | Rule::operand
        | Rule::term
        | Rule::bound
        | Rule::paren
        | Rule::name_or_call
        | Rule::no_critical_failed
        | Rule::any_veto_failed
        | Rule::rank_within => (VALUE_RANK, "an expression"),
        Rule::literal => (
            VALUE_RANK,
            "a value such as `3`, `30%`, `\"text\"` or `true`",
        ),
        Rule::number | Rule::percent => (VALUE_RANK, "a number"),
        Rule::string | Rule::string_inner => (VALUE_RANK, "a quoted string"),
        Rule::date => (VALUE_RANK, "a date such as `2015-01-01`"),
        Rule::ident => (VALUE_RANK, "a name"),
        Rule::field_type | Rule::type_name | Rule::one_of => (
            VALUE_RANK,
            "a type such as `bool`, `count`, `number`, `percent`, `text`, `date` or `one of (...)`",
        ),
        Rule::header_entry => (
            VALUE_RANK,
            "a header entry such as `title`, `version` or `key`",
        ),
        Rule::field_decl => (
            VALUE_RANK,
            "a field declaration such as `name text \"label\"`",
        ),
        Rule::band => (
            VALUE_RANK,
            "a grade band such as `\"達標\" when score >= 80`",
        ),
        Rule::outcome | Rule::expect_outcome => (VALUE_RANK, "`pass`, `fail`, `n/a` or `missing`"),
        Rule::expect_score | Rule::kw_score | Rule::expect_grade | Rule::kw_grade => {
            (1, "`pass`, `fail`, `n/a`, `missing`, `score` or `grade`")
        }
        Rule::script_text => (
            VALUE_RANK,
            "the script's code between `\"\"\"` and `\"\"\"`",
        ),
        Rule::cmp_op => COMPARISON,
        Rule::add_op | Rule::mul_op | Rule::kw_and | Rule::kw_or => OPERATOR,
        Rule::in_tail | Rule::kw_in => (OTHER_OPERATOR_RANK, "`in`"),
        Rule::between_tail | Rule::kw_between => (OTHER_OPERATOR_RANK, "`between`"),
        Rule::call_args => return None,
        Rule::when_clause
        | Rule::require_clause
        | Rule::points_clause
        | Rule::deduct_clause
        | Rule::remedy_clause
        | Rule::ref_clause
        | Rule::note_clause
        | Rule::owner_clause
        | Rule::kw_when
        | Rule::kw_require
        | Rule::kw_points
        | Rule::kw_deduct
        | Rule::kw_remedy
        | Rule::kw_ref
        | Rule::kw_note
        | Rule::kw_owner => CLAUSE,
        Rule::kw_otherwise => BAND_KEYWORDS,
        Rule::rule_flag | Rule::kw_critical | Rule::kw_veto | Rule::kw_bonus => {
            (5, "a flag (`critical`, `veto`, `bonus`)")
        }
        Rule::rule_body => (5, "`{`"),
        Rule::rule_short => (5, "`:`"),
        Rule::weight | Rule::kw_weight => (5, "`weight`"),
        Rule::optional_mark => (5, "`?`"),
        Rule::section | Rule::kw_section | Rule::rule | Rule::kw_rule => SECTION_OR_RULE,
        Rule::given | Rule::kw_given | Rule::expect | Rule::kw_expect => (6, "`given` or `expect`"),
        Rule::EOI
        | Rule::standard_block
        | Rule::fields_block
        | Rule::let_decl
        | Rule::grades_block
        | Rule::script_block
        | Rule::example
        | Rule::amend_rule
        | Rule::remove_item
        | Rule::rollup_block
        | Rule::kw_rollup
        | Rule::kw_standard
        | Rule::kw_fields
        | Rule::kw_let
        | Rule::kw_grades
        | Rule::kw_script
        | Rule::kw_example
        | Rule::kw_amend
        | Rule::kw_remove => DECLARATION,
        Rule::kw_per => (3, "`per`"),
        Rule::kw_of => (3, "`of`"),
        Rule::kw_one => (3, "`one of`"),
        Rule::kw_within => (3, "`within`"),
        Rule::kw_failed => (3, "`failed`"),
        _ => return None,
    })
}

/// The keyword a rule stands for, for "did you mean".
fn keyword(attempted: Rule) -> Option<&'static str> {
    Some(match attempted {
        Rule::kw_when | Rule::when_clause => "when",
        Rule::kw_require | Rule::require_clause => "require",
        Rule::kw_points | Rule::points_clause => "points",
        Rule::kw_deduct | Rule::deduct_clause => "deduct",
        Rule::kw_remedy | Rule::remedy_clause => "remedy",
        Rule::kw_ref | Rule::ref_clause => "ref",
        Rule::kw_note | Rule::note_clause => "note",
        Rule::kw_owner | Rule::owner_clause => "owner",
        Rule::kw_standard | Rule::standard_block => "standard",
        Rule::kw_fields | Rule::fields_block => "fields",
        Rule::kw_let | Rule::let_decl => "let",
        Rule::kw_section | Rule::section => "section",
        Rule::kw_rule | Rule::rule => "rule",
        Rule::kw_grades | Rule::grades_block => "grades",
        Rule::kw_script | Rule::script_block => "script",
        Rule::kw_example | Rule::example => "example",
        Rule::kw_amend | Rule::amend_rule => "amend",
        Rule::kw_remove | Rule::remove_item => "remove",
        Rule::kw_rollup | Rule::rollup_block => "rollup",
        Rule::kw_given | Rule::given => "given",
        Rule::kw_expect | Rule::expect => "expect",
        Rule::kw_otherwise => "otherwise",
        Rule::kw_per => "per",
        Rule::kw_weight | Rule::weight => "weight",
        Rule::kw_and => "and",
        Rule::kw_or => "or",
        Rule::kw_in | Rule::in_tail => "in",
        Rule::kw_between | Rule::between_tail => "between",
        Rule::kw_critical => "critical",
        Rule::kw_veto => "veto",
        Rule::kw_bonus => "bonus",
        _ => return None,
    })
}

/// Advice for the slip that most likely caused the error, if it is a common one.
fn hint(found: &Found<'_>, expected: &Expected, unclosed: bool) -> Option<String> {
    let text = found.text;
    let rest = found.rest;
    if expected.operator {
        if rest.starts_with("=>") {
            return Some("write `>=` (or `≥`) for \"at least\"".to_owned());
        }
        if rest.starts_with("=<") {
            return Some("write `<=` (or `≤`) for \"at most\"".to_owned());
        }
        if rest.starts_with('=') {
            return Some(
                "to compare, write `==`; a single `=` only appears in `let` and `given`".to_owned(),
            );
        }
        if rest.starts_with("&&") {
            return Some("write `and` instead of `&&`".to_owned());
        }
        if rest.starts_with("||") {
            return Some("write `or` instead of `||`".to_owned());
        }
    }
    if rest.starts_with('!') && !rest.starts_with("!=") {
        return Some("write `not` instead of `!`".to_owned());
    }
    if unclosed {
        return Some(if text.is_empty() {
            "add the missing closing bracket".to_owned()
        } else {
            format!("the block above is not closed: add `}}` before `{text}`")
        });
    }
    if !text.is_empty()
        && let Some(keyword) = crate::suggest::closest(text, expected.keywords.iter().copied())
    {
        return Some(format!("did you mean `{keyword}`?"));
    }
    None
}

/// The token found where parsing stopped.
struct Found<'s> {
    /// The word or character there; empty at the end of the file.
    text: &'s str,
    /// The text from there to the end of the file.
    rest: &'s str,
    span: SourceSpan,
}

impl<'s> Found<'s> {
    fn at(source: &'s str, offset: usize) -> Found<'s> {
        let rest = &source[offset..];
        let len = match rest.chars().next() {
            None => 0,
            Some(c) if unicode_ident::is_xid_continue(c) => rest
                .char_indices()
                .find(|&(_, c)| !unicode_ident::is_xid_continue(c))
                .map_or(rest.len(), |(i, _)| i),
            Some(c) => c.len_utf8(),
        };
        Found {
            text: &rest[..len],
            rest,
            span: SourceSpan::new(offset.into(), len),
        }
    }

    fn describe(&self) -> String {
        match self.text {
            "" => "the file ends here".to_owned(),
            "\n" | "\r" => "the line ends here".to_owned(),
            text => format!("unexpected `{text}`"),
        }
    }
}
