//! Reading inspection records (SPEC §2): CSV, JSON, JSON Lines and Excel files
//! into typed cells, with a data error for every cell that does not fit.
//!
//! A [`Source`] reads raw records in order, in batches, holding one batch in
//! memory whatever the size of the file; the [`schema::Schema`] types them
//! (on worker threads) into one cell per field of the standard.
//!
//! - `values`: one cell's text as a field's value.
//! - `schema`: columns to fields (by name or label), raw records to cells.
//! - `csv`, `json`, `xlsx`: the sources.
//! - `errors`: data errors with file, row, column and value.

// Data errors carry the file, row, column, value and advice by value; they are
// made only when a cell does not fit, so their size costs nothing on the
// path that reads good data.
#![expect(
    clippy::result_large_err,
    reason = "data errors are rare and carry their whole context"
)]

pub mod csv;
pub mod errors;
pub mod json;
pub mod schema;
pub mod table;
pub mod values;
pub mod xlsx;

use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;

pub use errors::{DataError, Location, Place, RowUnit};

/// One record as read, before typing.
#[derive(Clone, Debug)]
pub struct RawRecord {
    /// Its row (line, record or sheet row) number, 1-based.
    pub row: u64,
    /// Its cells.
    pub cells: RawCells,
}

/// The cells of a raw record, as each format gives them.
#[derive(Clone, Debug)]
pub enum RawCells {
    /// A CSV row: cells in column order.
    Text(csv::split::TextRecord),
    /// A JSON object.
    Json(serde_json::Map<String, serde_json::Value>),
    /// A sheet row: cells in column order.
    Sheet(Vec<SheetCell>),
}

/// A cell of a sheet, as Excel stores it.
#[derive(Clone, Debug, PartialEq)]
pub enum SheetCell {
    /// No value.
    Empty,
    /// Text.
    Text(String),
    /// A number, as the shortest decimal that reads back as the stored value.
    Number(String),
    /// A number shown as a percent: the stored fraction (30% is stored as 0.3).
    Fraction(String),
    /// TRUE or FALSE.
    Bool(bool),
    /// A date.
    Date(Date),
    /// An error value such as `#DIV/0!`.
    Error(String),
}

/// Records a worker thread scores together.
#[derive(Clone, Debug)]
pub enum Piece {
    /// Records already split (JSON, sheets).
    Records(Vec<RawRecord>),
    /// CSV text, split into records by the worker.
    Csv(csv::CsvPiece),
}

impl Piece {
    /// Calls `each` with every record of the piece, in order; `splitter`
    /// splits CSV text.
    pub fn for_each(&self, splitter: &mut csv::split::Splitter, each: impl FnMut(&RawRecord)) {
        match self {
            Piece::Records(records) => records.iter().for_each(each),
            Piece::Csv(piece) => piece.for_each(splitter, each),
        }
    }
}

/// Records in a [`Piece::Records`].
pub const PIECE_RECORDS: usize = 512;
/// Pieces of records a source reads at a time.
pub const BATCH_PIECES: usize = 16;

/// A source of raw records, read in file order.
pub trait Source: Send {
    /// The column headers (for JSON, the keys of the first object).
    fn columns(&self) -> &[String];
    /// The file (and sheet) the rows come from, for messages.
    fn place(&self) -> Place;
    /// The delimiter of a CSV source's cells.
    fn delimiter(&self) -> Option<u8> {
        None
    }
    /// Reads about `max` records into `out` (cleared first); `Ok(0)` at the
    /// end. Row-level problems go to `problems`; an `Err` stops the file.
    fn read(
        &mut self,
        max: usize,
        out: &mut Vec<RawRecord>,
        problems: &mut Vec<DataError>,
    ) -> Result<usize, DataError>;
    /// Reads the next pieces of records into `out` (cleared first), for
    /// worker threads to score; `Ok(0)` at the end. As [`Source::read`].
    fn read_pieces(
        &mut self,
        out: &mut Vec<Piece>,
        problems: &mut Vec<DataError>,
    ) -> Result<usize, DataError> {
        out.clear();
        let mut records = Vec::new();
        self.read(PIECE_RECORDS * BATCH_PIECES, &mut records, problems)?;
        while !records.is_empty() {
            let rest = records.split_off(records.len().min(PIECE_RECORDS));
            out.push(Piece::Records(std::mem::replace(&mut records, rest)));
        }
        Ok(out.len())
    }
    /// Bytes read so far and the total, for a progress bar.
    fn progress(&self) -> (u64, Option<u64>);
}

/// The formats yardstick reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma (or other) separated values.
    Csv,
    /// A JSON array of objects.
    Json,
    /// One JSON object per line.
    JsonLines,
    /// An Excel workbook.
    Xlsx,
}

impl Format {
    /// The format a file name's extension says (CSV when it says nothing known).
    pub fn of(path: &str) -> Format {
        let extension = Path::new(path)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            "xlsx" | "xlsm" => Format::Xlsx,
            _ => Format::Csv,
        }
    }
}

/// How to open inputs.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// The CSV delimiter; sniffed from the header when not given.
    pub delimiter: Option<u8>,
    /// The sheet of a workbook; the first when not given.
    pub sheet: Option<String>,
}

/// Opens a data file (`-` is stdin, read as CSV).
pub fn open(path: &str, options: &OpenOptions) -> Result<Box<dyn Source>, DataError> {
    let file: Arc<str> = Arc::from(path);
    Ok(match Format::of(path) {
        Format::Csv => Box::new(csv::CsvSource::open(file, options.delimiter)?),
        Format::Json => Box::new(json::JsonSource::open(file, json::Layout::Array)?),
        Format::JsonLines => Box::new(json::JsonSource::open(file, json::Layout::Lines)?),
        Format::Xlsx => Box::new(xlsx::XlsxSource::open(file, options.sheet.as_deref())?),
    })
}

/// An IO error as a data error on `file`.
pub fn unreadable(file: &Arc<str>, error: impl std::fmt::Display) -> DataError {
    DataError::Unreadable {
        file: Arc::clone(file),
        message: error.to_string(),
    }
}
