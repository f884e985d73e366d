//! Why `sample` cannot make or verify a draw, each mistake worded once.

use crate::cli::safe_output::OutputError;
use crate::data::table::TableError;
use crate::sample::DrawError;

/// Why a draw cannot be made or verified.
#[derive(Debug, thiserror::Error)]
pub(super) enum SampleError {
    /// `--n 0`.
    #[error("`--n` must be at least 1")]
    NoneAsked,
    /// Neither `--record` nor `-o`.
    #[error(
        "name the draw record with `--record FILE` (or give `-o`): it is what is published so that anyone can verify the draw"
    )]
    NoRecordNamed,
    /// `-o` and `--record` name one file.
    #[error(
        "`-o` and `--record` both name `{0}`: the draw record would replace the draw; name them apart"
    )]
    OneFileForBoth(String),
    /// An output that cannot be written, or may not be.
    #[error("{0}")]
    Output(#[from] OutputError),
    /// A file that cannot be read.
    #[error("cannot read `{path}`: {error}")]
    Unreadable {
        /// The file.
        path: String,
        /// What the system said.
        error: std::io::Error,
    },
    /// A file whose full path cannot be found.
    #[error("cannot find `{path}`: {error}")]
    NotFound {
        /// The file.
        path: String,
        /// What the system said.
        error: std::io::Error,
    },
    /// A file given to `--verify` that is not a draw record.
    #[error("`{path}` is not a draw record: {error}")]
    NotARecord {
        /// The file.
        path: String,
        /// What the JSON reader said.
        error: serde_json::Error,
    },
    /// A record drawn by another algorithm than this version's.
    #[error(
        "`{path}` was drawn by the algorithm `{recorded}`, but this version of yardstick implements `{ours}`; verify it with the version that made it ({tool})"
    )]
    OtherAlgorithm {
        /// The record.
        path: String,
        /// Its algorithm.
        recorded: String,
        /// This version's.
        ours: String,
        /// The version that made it.
        tool: String,
    },
    /// A file a record names that is not a regular file.
    #[error("`{named}`, named in the draw record, is {kind}, not a file")]
    NotAFile {
        /// The file, as the record names it.
        named: String,
        /// What it is: a directory, a FIFO...
        kind: &'static str,
    },
    /// A file a record names outside its folder, without `--allow-outside`.
    #[error(
        "`{0}`, named in the draw record, is outside the record's folder: pass `--allow-outside` to read it"
    )]
    Outside(String),
    /// A list of units or inspectors that cannot be read as a table (boxed:
    /// it carries a whole data error).
    #[error("{0}")]
    Table(Box<TableError>),
    /// A list with no columns at all.
    #[error("`{0}` has no columns")]
    NoColumns(String),
    /// Rows of a list that are wrong, every one.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rows(Vec<RowMistake>),
    /// A draw that cannot be made.
    #[error("{0}")]
    Draw(#[from] DrawError),
    /// The draw record that cannot be written as JSON.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

impl From<TableError> for SampleError {
    fn from(error: TableError) -> Self {
        SampleError::Table(Box::new(error))
    }
}

/// A row of a list of units or inspectors that cannot be drawn.
#[derive(Debug, thiserror::Error)]
pub(super) enum RowMistake {
    /// A row with cells but no name.
    #[error(
        "{at}: the {what} has no `{heading}` (a {what} without a name can be neither drawn nor left out)"
    )]
    Nameless {
        /// The file and row.
        at: String,
        /// `unit` or `inspector`.
        what: &'static str,
        /// The heading of the names' column.
        heading: String,
    },
    /// A name listed twice.
    #[error("{what} `{name}` is listed twice: {first} and {second}")]
    Twice {
        /// `unit` or `inspector`.
        what: &'static str,
        /// The name.
        name: String,
        /// Where it is first.
        first: String,
        /// Where it is again.
        second: String,
    },
}
