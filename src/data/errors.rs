//! Data errors: every cell, row or file that could not be read as the
//! standard's fields, naming the file, the row, the column and the value.

use std::fmt;
use std::sync::Arc;

/// Where in the input something is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file, as named on the command line.
    pub file: Arc<str>,
    /// The sheet, for Excel workbooks.
    pub sheet: Option<Arc<str>>,
    /// What `number` counts: a line of a text file, a record of a JSON array, a sheet row.
    pub unit: RowUnit,
    /// The 1-based number.
    pub number: u64,
}

/// A file (and sheet) and what its row numbers count: where rows come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The file, as named on the command line.
    pub file: Arc<str>,
    /// The sheet, for Excel workbooks.
    pub sheet: Option<Arc<str>>,
    /// What row numbers count.
    pub unit: RowUnit,
}

impl Place {
    /// The location of row `number` here.
    pub fn at(&self, number: u64) -> Location {
        Location {
            file: Arc::clone(&self.file),
            sheet: self.sheet.clone(),
            unit: self.unit,
            number,
        }
    }
}

/// What a row number counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowUnit {
    /// A line of a CSV or JSON Lines file.
    Line,
    /// An element of a JSON array.
    Record,
    /// A row of a sheet.
    Row,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            RowUnit::Line => "line",
            RowUnit::Record => "record",
            RowUnit::Row => "row",
        };
        match &self.sheet {
            Some(sheet) => write!(f, "{} [{sheet}] {unit} {}", self.file, self.number),
            None => write!(f, "{} {unit} {}", self.file, self.number),
        }
    }
}

/// The longest value a data error quotes, in characters.
pub const QUOTED_CHARS: usize = 120;

/// A cell's text as a data error quotes it: whole when short, else its
/// first [`QUOTED_CHARS`] characters and how long it is, so that a huge
/// cell makes a short message.
pub fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => text.to_owned(),
        Some((cut, _)) => format!(
            "{}… ({} characters in all)",
            &text[..cut],
            text.chars().count()
        ),
    }
}

/// Bytes that are text in no encoding yardstick tells (UTF-8, UTF-16,
/// GB18030 and Big5): the first byte that is not, where it is, and what the
/// file looks like when it seems to be in an encoding yardstick does not tell.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "line {line} is not text in UTF-8, UTF-16 or GB18030 (GBK): its byte 0x{byte:02X} is valid in none of them{}",
    looks_like.map(|name| format!(" (the file looks like {name})")).unwrap_or_default()
)]
pub struct NotText {
    /// The line of that byte (1-based).
    pub line: usize,
    /// The byte.
    pub byte: u8,
    /// The encoding the file looks like, when yardstick does not tell it.
    pub looks_like: Option<&'static str>,
}

/// A problem with the input data. Per-cell and per-row problems leave the
/// rest of the batch to be evaluated; file problems stop that file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum DataError {
    /// A cell whose text does not fit its field.
    #[error("{at}, column `{column}`: `{value}` is not {expected}")]
    #[diagnostic(code(yardstick::bad_value))]
    BadValue {
        /// Where.
        at: Location,
        /// The column header.
        column: String,
        /// The cell's text.
        value: String,
        /// What the field takes.
        expected: String,
        /// The accepted forms, or the closest choice.
        #[help]
        help: Option<String>,
    },

    /// A blank cell in a required field.
    #[error("{at}, column `{column}`: blank, but `{field}` is required")]
    #[diagnostic(
        code(yardstick::blank_value),
        help(
            "fill it in, or mark the field optional with `?` in the standard; rules that read it are `missing`"
        )
    )]
    Blank {
        /// Where.
        at: Location,
        /// The column header (or the field, when there is no column).
        column: String,
        /// The field.
        field: String,
    },

    /// An inspection a roll-up could not use (SPEC §8): no key, no date,
    /// a date outside the period, a method no level weighs.
    #[error("{at}, column `{column}`{}: the inspection is left out of the roll-up: {reason}", if value.is_empty() { String::new() } else { format!(", value `{value}`") })]
    #[diagnostic(
        code(yardstick::left_out),
        help(
            "the inspection is scored but not rolled up; correct the cell, or the roll-up's `period` or levels"
        )
    )]
    LeftOut {
        /// Where.
        at: Location,
        /// The column that says why.
        column: String,
        /// Its value, or empty when blank.
        value: String,
        /// Why, in words.
        reason: String,
    },

    /// A row with more or fewer cells than the header.
    #[error("{at}: the row has {found} cells but the header has {expected}")]
    #[diagnostic(
        code(yardstick::row_length),
        help(
            "cells are matched to columns by position; missing cells are read as blank, extra cells are ignored"
        )
    )]
    RowLength {
        /// Where.
        at: Location,
        /// Cells in the row.
        found: usize,
        /// Columns in the header.
        expected: usize,
    },

    /// A quoted cell whose closing quote never comes.
    #[error(
        "{at}: a quote opened in this record is never closed, so the rest of the file ({lines} lines) was read as one cell"
    )]
    #[diagnostic(
        code(yardstick::unterminated_quote),
        help("close the quote, or double a quote that is part of the text (\"\")")
    )]
    UnterminatedQuote {
        /// Where the record starts.
        at: Location,
        /// How many lines were swallowed.
        lines: u64,
    },

    /// A record that is not what the format needs (not valid JSON, not an object).
    #[error("{at}: {message}")]
    #[diagnostic(code(yardstick::malformed_record))]
    Malformed {
        /// Where.
        at: Location,
        /// What is wrong.
        message: String,
    },

    /// A field that no column fills.
    #[error("{file}: no column for field `{field}`{label}")]
    #[diagnostic(code(yardstick::missing_column))]
    MissingColumn {
        /// The file.
        file: Arc<str>,
        /// The field.
        field: String,
        /// " (labelled `...`)", or empty.
        label: String,
        /// Did you mean, or the columns there are.
        #[help]
        help: String,
    },

    /// Two columns that fill the same field.
    #[error("{file}: columns `{first}` and `{second}` both fill field `{field}`")]
    #[diagnostic(code(yardstick::duplicate_column), help("keep one of the two columns"))]
    DuplicateColumn {
        /// The file.
        file: Arc<str>,
        /// The field.
        field: String,
        /// The first column.
        first: String,
        /// The second column.
        second: String,
    },

    /// A file past one of the limits yardstick reads within (a sheet's
    /// rows or columns, a workbook part's size).
    #[error("{file}: {what}")]
    #[diagnostic(code(yardstick::too_large))]
    TooLarge {
        /// The file.
        file: Arc<str>,
        /// What is too large.
        what: String,
        /// The limit, and what to do.
        #[help]
        help: String,
    },

    /// A sheet name that the workbook does not have.
    #[error("{file}: no sheet `{sheet}`")]
    #[diagnostic(code(yardstick::unknown_sheet))]
    UnknownSheet {
        /// The file.
        file: Arc<str>,
        /// The sheet asked for.
        sheet: String,
        /// The sheets there are.
        #[help]
        help: String,
    },

    /// A record that no edition of the standard can score.
    #[error("{at}: not scored: {reason}")]
    #[diagnostic(code(yardstick::no_edition))]
    NoEdition {
        /// Where.
        at: Location,
        /// Why.
        reason: String,
        /// What to do.
        #[help]
        help: Option<String>,
    },

    /// A script function that did not give a value for a record: it hit a
    /// limit, raised an error, or returned a value of the wrong type.
    #[error("{at}, unit `{key}`: {site}: script function `{function}` failed: {message}")]
    #[diagnostic(
        code(yardstick::script_error),
        help(
            "what needed the function's value is `missing` for this unit; the rest of the batch is scored"
        )
    )]
    Script {
        /// The record.
        at: Location,
        /// Its unit's key.
        key: String,
        /// What the call was for: `rule D2`, `let ratio`, `the grade bands`.
        site: String,
        /// The function called.
        function: String,
        /// Why it failed.
        message: String,
        /// Where the script stopped, in the standard.
        #[label("stopped here")]
        span: Option<miette::SourceSpan>,
    },

    /// A workbook whose first sheet has no header row, while another has.
    #[error(
        "{file}: sheet `{first}` has no row of headings that names the standard's fields, but sheet `{other}` has"
    )]
    #[diagnostic(
        code(yardstick::header_on_other_sheet),
        help("read that sheet with `--sheet {other}`")
    )]
    HeaderOnOtherSheet {
        /// The file.
        file: Arc<str>,
        /// The sheet read.
        first: String,
        /// The sheet with a header.
        other: String,
    },

    /// A `--header-row` that names no row of the first rows.
    #[error(
        "{file}: `--header-row {row}` is not one of the first rows (the last looked at is row {last})"
    )]
    #[diagnostic(
        code(yardstick::no_header_row),
        help(
            "the header must be one of the first 20 rows that are not blank; give its number as the file or sheet numbers it"
        )
    )]
    NoHeaderRow {
        /// The file.
        file: Arc<str>,
        /// The row asked for.
        row: u64,
        /// The last row looked at.
        last: u64,
    },

    /// A text file whose bytes are valid in no encoding yardstick reads.
    #[error("{file}: {problem}")]
    #[diagnostic(
        code(yardstick::encoding),
        help(
            "save the file as UTF-8 (in Excel: Save As, \"CSV UTF-8\"), or name its encoding with `--encoding`, e.g. `--encoding gbk`"
        )
    )]
    Encoding {
        /// The file.
        file: Arc<str>,
        /// What is wrong, with the first byte that is.
        problem: NotText,
    },

    /// Arithmetic whose result went past the decimals' 28 significant digits.
    #[error("{at}, unit `{key}`: {site}: a number went past 28 significant digits")]
    #[diagnostic(
        code(yardstick::overflow),
        help(
            "what needed the result is `missing` for this unit; check the values it was computed from (a value far too large, or a division by a value close to zero)"
        )
    )]
    Overflow {
        /// The record.
        at: Location,
        /// Its unit's key.
        key: String,
        /// What was being computed: `rule D2`, `` `let ratio` ``, `the grade bands`.
        site: String,
    },

    /// A CSV record whose unit key spans lines: legal CSV, but a quote left
    /// open in an earlier cell and closed lines later joins several rows
    /// into one record that way.
    #[error("{at}: the unit key `{key}` spans {lines} lines")]
    #[diagnostic(
        code(yardstick::key_spans_lines),
        severity(Warning),
        help(
            "the record was scored as one unit; if these were meant as separate rows, look for a quote (\") left open in this record and close or remove it"
        )
    )]
    KeySpansLines {
        /// The record.
        at: Location,
        /// The key, as read.
        key: String,
        /// How many lines it spans.
        lines: usize,
    },

    /// A file that cannot be read at all.
    #[error("{file}: {message}")]
    #[diagnostic(code(yardstick::unreadable))]
    Unreadable {
        /// The file.
        file: Arc<str>,
        /// Why.
        message: String,
    },
}

impl DataError {
    /// The file the error stopped, when it stopped a whole file (rather
    /// than one cell or row).
    pub fn stopped_file(&self) -> Option<&Arc<str>> {
        match self {
            DataError::MissingColumn { file, .. }
            | DataError::DuplicateColumn { file, .. }
            | DataError::UnknownSheet { file, .. }
            | DataError::Encoding { file, .. }
            | DataError::NoHeaderRow { file, .. }
            | DataError::HeaderOnOtherSheet { file, .. }
            | DataError::Unreadable { file, .. } => Some(file),
            _ => None,
        }
    }

    /// Whether the error stopped its whole file (rather than one cell or row).
    pub fn stops_file(&self) -> bool {
        self.stopped_file().is_some()
    }
}
