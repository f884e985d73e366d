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
pub mod encoding;
pub mod errors;
pub mod header;
pub mod json;
pub mod schema;
pub mod sheets;
pub mod table;
pub mod values;
pub mod workbook_limits;
pub mod xlsx;

use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;

use crate::check::model::Standard;

pub use errors::{DataError, Location, Place, RowUnit};

/// One record as read, before typing.
#[derive(Clone, Debug)]
pub struct RawRecord {
    /// Its row (line, record or sheet row) number, 1-based.
    pub row: u64,
    /// Its cells.
    pub cells: RawCells,
}

impl RawRecord {
    /// How many cells (or keys) it has.
    pub fn width(&self) -> usize {
        match &self.cells {
            RawCells::Text(row) => row.len(),
            RawCells::Json(object) => object.len(),
            RawCells::Sheet(row) => row.len(),
        }
    }
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
    /// A cell the workbook's file does not hold a readable value for (a
    /// shared string that is not there, a date serial out of range), with
    /// what is wrong.
    Damaged(String),
}

/// An error that stops a file, met after records that are kept: the
/// records are handed out first, the error with the next read, so that
/// nothing read before a bad spot is lost.
#[derive(Debug, Default)]
pub struct Deferred(Option<DataError>);

impl Deferred {
    /// Keeps `error` for the next read when `read` records are on their
    /// way out; else it is the error to return now.
    pub fn defer(&mut self, error: DataError, read: usize) -> Result<(), DataError> {
        if read == 0 {
            return Err(error);
        }
        self.0 = Some(error);
        Ok(())
    }

    /// Keeps `error` for a later read.
    pub fn keep(&mut self, error: DataError) {
        self.0 = Some(error);
    }

    /// What a read that has `read` records so far returns at once, if an
    /// error is waiting: those records, or the error when there are none.
    pub fn pending(&mut self, read: usize) -> Option<Result<usize, DataError>> {
        let error = self.0.take()?;
        Some(self.defer(error, read).map(|()| read))
    }
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
    /// Whether each record names its own fields (JSON objects), so that a
    /// field the first record lacks is looked for in every record.
    fn keyed(&self) -> bool {
        false
    }
    /// The first rows of a table, for finding its header row
    /// ([`header::choose`]); `None` for JSON, whose records name their keys.
    fn head(&self) -> Option<&header::Head> {
        None
    }
    /// Takes row `index` of [`Source::head`] as the header: the rows above
    /// it are skipped, the rows after it are the first records.
    fn use_header(&mut self, _index: usize) {}
    /// Tells a workbook source that cannot see number formats (`.xls`,
    /// `.ods`) which columns fill `percent` fields, so that it can read a
    /// column of fractions as percents.
    fn percent_columns(&mut self, _columns: &[usize]) {}
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
    /// An Excel workbook (`.xlsx`, `.xlsm`).
    Xlsx,
    /// An Excel 97–2003 workbook (`.xls`).
    Xls,
    /// An OpenDocument spreadsheet (`.ods`).
    Ods,
}

/// Markup saved with a workbook's name, as some systems export "Excel"
/// files: refused, named for what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotAWorkbook {
    /// A web page (an HTML table).
    #[error("it is a web page (HTML) {SAVE_AS_XLSX}")]
    Html,
    /// Any other XML.
    #[error("it is an XML file {SAVE_AS_XLSX}")]
    Xml,
}

/// The rest of [`NotAWorkbook`]'s message.
const SAVE_AS_XLSX: &str =
    "with a workbook's name, not a workbook: open it in Excel or WPS and save it as .xlsx";

/// The first bytes of an OLE compound file: an Excel 97–2003 workbook.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// The first bytes of a zip archive: `.xlsx`, `.xlsm`, `.ods`.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// What an OpenDocument spreadsheet's first entry, `mimetype`, holds.
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

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
            "xls" => Format::Xls,
            "ods" => Format::Ods,
            _ => Format::Csv,
        }
    }

    /// The format of a file by its first bytes, then its name: a workbook
    /// is known by its content whatever its extension, and text is never
    /// taken for a workbook. A web page or XML saved with a workbook's
    /// extension (as some systems export "Excel" files) is refused, named
    /// for what it is.
    pub fn detect(path: &str, first: &[u8]) -> Result<Format, NotAWorkbook> {
        if first.starts_with(OLE_MAGIC) {
            return Ok(Format::Xls);
        }
        if first.starts_with(ZIP_MAGIC) {
            let ods = first.windows(ODS_MIME.len()).any(|w| w == ODS_MIME);
            return Ok(if ods { Format::Ods } else { Format::Xlsx });
        }
        let by_name = Format::of(path);
        if matches!(by_name, Format::Xlsx | Format::Xls | Format::Ods) {
            let text = first
                .iter()
                .position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF))
                .map_or(&[][..], |start| &first[start..]);
            if text.starts_with(b"<") {
                let html = text
                    .to_ascii_lowercase()
                    .windows(5)
                    .any(|w| w == b"<html" || w == b"<tabl");
                return Err(if html {
                    NotAWorkbook::Html
                } else {
                    NotAWorkbook::Xml
                });
            }
            // Text with a workbook's name: read for what it is.
            return Ok(Format::Csv);
        }
        Ok(by_name)
    }
}

/// How to open inputs.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// The CSV delimiter; sniffed from the header when not given.
    pub delimiter: Option<u8>,
    /// The sheet of a workbook; the first when not given.
    pub sheet: Option<String>,
    /// The text encoding of CSV and JSON; told from the bytes when not given.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The header row (1-based); found among the first rows when not given.
    pub header_row: Option<u64>,
}

/// A data file opened for scoring by `standards`: its header row chosen,
/// and the rows skipped above it, if any, for a note.
pub fn open_scored(
    path: &str,
    options: &OpenOptions,
    standards: &[&Standard],
) -> Result<(Box<dyn Source>, Option<header::Skipped>), DataError> {
    let mut source = open(path, options)?;
    let found = source
        .head()
        .is_none_or(|head| header::header_index(head, standards).is_some());
    if !found && options.header_row.is_none() && options.sheet.is_none() {
        let place = source.place();
        if let Some(first) = &place.sheet
            && let Some(other) = sheet_with_header(path, options, standards, first)
        {
            return Err(DataError::HeaderOnOtherSheet {
                file: place.file,
                first: first.to_string(),
                other,
            });
        }
    }
    let skipped = header::choose(&mut *source, standards, options.header_row)?;
    Ok((source, skipped))
}

/// The first sheet of a workbook, other than `first`, whose first rows hold
/// a header for `standards`.
fn sheet_with_header(
    path: &str,
    options: &OpenOptions,
    standards: &[&Standard],
    first: &str,
) -> Option<String> {
    use calamine::Reader as _;
    let file: Arc<str> = Arc::from(path);
    let names = sheets::open_workbook(&file, Format::of_file(&file).ok()?)
        .ok()?
        .sheet_names();
    names.into_iter().filter(|name| name != first).find(|name| {
        let options = OpenOptions {
            sheet: Some(name.clone()),
            ..options.clone()
        };
        open(path, &options).is_ok_and(|source| {
            source
                .head()
                .is_some_and(|head| header::header_index(head, standards).is_some())
        })
    })
}

/// Opens a data file (`-` is stdin, read as CSV), in the format its content
/// shows.
pub fn open(path: &str, options: &OpenOptions) -> Result<Box<dyn Source>, DataError> {
    let file: Arc<str> = Arc::from(path);
    let format = Format::of_file(&file)?;
    let encoding = options.encoding;
    Ok(match format {
        Format::Csv => Box::new(csv::CsvSource::open(file, options.delimiter, encoding)?),
        Format::Json => Box::new(json::JsonSource::open(file, json::Layout::Array, encoding)?),
        Format::JsonLines => Box::new(json::JsonSource::open(file, json::Layout::Lines, encoding)?),
        Format::Xlsx => Box::new(xlsx::XlsxSource::open(file, options.sheet.as_deref())?),
        Format::Xls | Format::Ods => Box::new(sheets::SheetSource::open(
            file,
            format,
            options.sheet.as_deref(),
        )?),
    })
}

impl Format {
    /// The format of a file (`-`, stdin, is CSV), by [`Format::detect`].
    pub fn of_file(file: &Arc<str>) -> Result<Format, DataError> {
        if &**file == "-" {
            return Ok(Format::Csv);
        }
        let first = first_bytes(file).map_err(|e| unreadable(file, e))?;
        Format::detect(file, &first).map_err(|problem| unreadable(file, problem))
    }
}

/// The first bytes of a file (enough for [`Format::detect`]).
fn first_bytes(path: &str) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(std::io::Error::other("it is a directory"));
    }
    let mut first = Vec::with_capacity(512);
    file.take(512).read_to_end(&mut first)?;
    Ok(first)
}

/// An IO error as a data error on `file`.
pub fn unreadable(file: &Arc<str>, error: impl std::fmt::Display) -> DataError {
    DataError::Unreadable {
        file: Arc::clone(file),
        message: error.to_string(),
    }
}
