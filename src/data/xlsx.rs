//! Excel (`.xlsx`) input through calamine's streaming cell reader.
//!
//! Never `worksheet_range`: it allocates the sheet's whole declared area up
//! front, and a valid 2 KB workbook with cells at A1 and XFD1048576 would ask
//! for 512 GiB. The cell reader yields only the cells that exist; rows are
//! assembled one at a time, and cells past [`MAX_COLUMNS`] or rows past
//! [`MAX_ROWS`] are reported, not read. The workbook is read on its own thread
//! (calamine's reader borrows the workbook) and rows come over a bounded channel.

use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Data, Reader, Xlsx};

use super::errors::{DataError, Place, RowUnit};
use super::header::{HEAD_ROWS, Head};
use super::sheets::{DAMAGED, guarded, pick_sheet, quietly, sheet_cell};
use super::{Deferred, RawCells, RawRecord, SheetCell, Source, unreadable};

/// The widest sheet read.
pub const MAX_COLUMNS: u32 = 4096;
/// What a sheet past [`MAX_COLUMNS`] or [`MAX_ROWS`] is told.
const SHEET_LIMITS: &str =
    "yardstick reads up to 4,096 columns and 5,000,000 rows of a sheet; cells beyond are not read";

/// The longest sheet read.
pub const MAX_ROWS: u32 = 5_000_000;

/// What the reading thread sends.
enum Message {
    /// A row: its 1-based number and cells.
    Row(u64, Vec<SheetCell>),
    /// A problem that does not stop the sheet.
    Problem(DataError),
    /// A problem that stops it.
    Stop(DataError),
}

/// A sheet of a workbook being read.
pub struct XlsxSource {
    file: Arc<str>,
    sheet: Arc<str>,
    /// The first rows, until the records after the header are read.
    head: Head,
    /// Problems met while the first rows were read, for the first read.
    early: Vec<DataError>,
    /// An error that stopped the sheet after rows that are kept.
    stopped: Deferred,
    columns: Vec<String>,
    rows: Receiver<Message>,
    rows_read: u64,
}

impl XlsxSource {
    /// Opens the workbook, picks the sheet and reads its header row.
    pub fn open(file: Arc<str>, sheet: Option<&str>) -> Result<XlsxSource, DataError> {
        let checked = super::workbook_limits::check(&file)?;
        let mut workbook: Xlsx<BufReader<File>> = guarded(&file, || {
            calamine::open_workbook(&*file).map_err(|e| unreadable(&file, e))
        })?;
        let sheet = pick_sheet(&file, &workbook.sheet_names(), sheet)?;
        // Rows in flight: 256 rows of at most 4,096 cells stay well within
        // the memory a workbook may take.
        let (sender, rows) = sync_channel(256);
        let place = Place {
            file: Arc::clone(&file),
            sheet: Some(Arc::clone(&sheet)),
            unit: RowUnit::Row,
        };
        let sheet_name = sheet.to_string();
        let formulas = checked.formulas;
        std::thread::spawn(move || {
            let read = quietly(|| {
                read_sheet(&mut workbook, (&sheet_name, formulas), &place, &sender);
            });
            // calamine asserts on some damaged files: the rows sent are
            // kept, and the file is named as damaged.
            if read.is_none() {
                let _ = sender.send(Message::Stop(unreadable(&place.file, DAMAGED)));
            }
        });
        let mut source = XlsxSource {
            file,
            sheet,
            head: Head::default(),
            early: Vec::new(),
            stopped: Deferred::default(),
            columns: Vec::new(),
            rows,
            rows_read: 0,
        };
        // The first rows, one of them the header (blank rows are skipped).
        let mut first = Vec::new();
        let mut early = Vec::new();
        source.receive(HEAD_ROWS, &mut first, &mut early)?;
        source.early = early;
        source.head = Head::new(first);
        source.use_header(0);
        Ok(source)
    }

    /// Receives up to `max` rows that are not blank into `out`.
    fn receive(
        &mut self,
        max: usize,
        out: &mut Vec<RawRecord>,
        problems: &mut Vec<DataError>,
    ) -> Result<(), DataError> {
        while out.len() < max {
            match self.rows.recv() {
                Ok(Message::Row(row, cells)) => {
                    self.rows_read += 1;
                    if cells.iter().all(|c| *c == SheetCell::Empty) {
                        continue;
                    }
                    out.push(RawRecord {
                        row,
                        cells: RawCells::Sheet(cells),
                    });
                }
                Ok(Message::Problem(problem)) => problems.push(problem),
                // The rows read before are kept and scored.
                Ok(Message::Stop(error)) => {
                    self.stopped.defer(error, out.len())?;
                    break;
                }
                Err(_) => break,
            }
        }
        Ok(())
    }
}

/// Reads every row of the sheet and sends it; runs on its own thread.
fn read_sheet(
    workbook: &mut Xlsx<BufReader<File>>,
    (sheet, formulas): (&str, bool),
    place: &Place,
    rows: &SyncSender<Message>,
) {
    let send = |message| rows.send(message).is_ok();
    let uncomputed = if formulas {
        uncomputed_formulas(workbook, sheet)
    } else {
        HashSet::new()
    };
    let mut reader = match workbook.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        Err(error) => {
            send(Message::Stop(unreadable(&place.file, error)));
            return;
        }
    };
    let percent_styles: Vec<bool> = reader
        .styles()
        .iter()
        .map(|style| {
            style.number_format.as_ref().is_some_and(|format| {
                matches!(format.format_id, Some(9 | 10)) || format.format_code.contains('%')
            })
        })
        .collect();
    let mut rows_built = Rows::default();
    let mut wide_rows_reported = false;
    // Where the last cell read was; a cell that could not be read, waiting
    // to be placed by the next one; how many could not be read.
    let mut last = (0u32, 0u32);
    let mut damaged: Option<String> = None;
    let mut unreadable_cells = 0usize;
    loop {
        let (position, value) = match reader.next_cell_with_style_id() {
            Ok(Some((cell, _))) if uncomputed.contains(&cell.get_position()) => (
                cell.get_position(),
                SheetCell::Damaged("a formula whose value was never computed".to_owned()),
            ),
            Ok(Some((cell, style))) => {
                let percent = percent_styles.get(style).copied().unwrap_or(false);
                let value = sheet_cell(Data::from(cell.get_value().clone()), percent);
                (cell.get_position(), value)
            }
            Ok(None) => break,
            // A cell whose value cannot be read (a shared string that is not
            // there, a number that is not one): marked so, and the rows go on.
            Err(error) if recoverable(&error) && unreadable_cells < MAX_UNREADABLE_CELLS => {
                unreadable_cells += 1;
                if let Some(what) = damaged.replace(error.to_string()) {
                    last.1 += 1;
                    if let Some(row) = rows_built.put(last, SheetCell::Damaged(what))
                        && !send(Message::Row(row.0, row.1))
                    {
                        return;
                    }
                }
                continue;
            }
            Err(error) => {
                // The rows read so far are kept.
                if let Some((number, cells)) = rows_built.finish() {
                    send(Message::Row(number, cells));
                }
                send(Message::Stop(unreadable(&place.file, error)));
                return;
            }
        };
        let (row, column) = position;
        if let Some(what) = damaged.take() {
            // calamine does not say where the cell was: between the last cell
            // read and this one, so at the end of the last one's row, or, when
            // this one starts a row past its first column, just before it.
            let at = if row != last.0 && column > 0 {
                (row, column - 1)
            } else {
                (last.0, last.1 + 1)
            };
            if let Some(done) = rows_built.put(at, SheetCell::Damaged(what))
                && !send(Message::Row(done.0, done.1))
            {
                return;
            }
        }
        last = position;
        if row >= MAX_ROWS {
            send(Message::Problem(DataError::TooLarge {
                file: Arc::clone(&place.file),
                what: format!(
                    "the sheet goes on past row {MAX_ROWS}; the rows after it were not read"
                ),
                help: SHEET_LIMITS.to_owned(),
            }));
            break;
        }
        if column >= MAX_COLUMNS {
            if !wide_rows_reported {
                wide_rows_reported = send(Message::Problem(DataError::TooLarge {
                    file: Arc::clone(&place.file),
                    what: format!(
                        "row {} has a cell past column {MAX_COLUMNS}; such cells were not read",
                        row + 1
                    ),
                    help: SHEET_LIMITS.to_owned(),
                }));
            }
            continue;
        }
        if let Some(done) = rows_built.put(position, value)
            && !send(Message::Row(done.0, done.1))
        {
            return;
        }
    }
    if let Some(what) = damaged {
        let at = (last.0, last.1 + 1);
        if let Some(done) = rows_built.put(at, SheetCell::Damaged(what)) {
            send(Message::Row(done.0, done.1));
        }
    }
    if let Some((number, cells)) = rows_built.finish() {
        send(Message::Row(number, cells));
    }
}

/// The row being assembled from the cells, which come row by row.
#[derive(Default)]
struct Rows {
    current: Option<(u32, Vec<SheetCell>)>,
}

impl Rows {
    /// Puts a cell at its 0-based (row, column); the row before, with its
    /// 1-based number, when this cell starts another.
    fn put(
        &mut self,
        (row, column): (u32, u32),
        value: SheetCell,
    ) -> Option<(u64, Vec<SheetCell>)> {
        let done = match &self.current {
            Some((r, _)) if *r != row => self.finish(),
            _ => None,
        };
        let (_, cells) = self.current.get_or_insert_with(|| (row, Vec::new()));
        let index = column as usize;
        if cells.len() <= index {
            cells.resize(index + 1, SheetCell::Empty);
        }
        cells[index] = value;
        done
    }

    /// The row being assembled, with its 1-based number.
    fn finish(&mut self) -> Option<(u64, Vec<SheetCell>)> {
        self.current
            .take()
            .map(|(row, cells)| (u64::from(row) + 1, cells))
    }
}

/// The most formulas without a computed value that are told apart (past
/// them, the rest read as blank, as calamine gives them).
const MAX_UNCOMPUTED: usize = 100_000;

/// Where the sheet has formulas without a computed value (a program other
/// than a spreadsheet wrote them, and nothing computed them since): calamine
/// gives such a cell as blank, which would pass an optional count.
fn uncomputed_formulas(workbook: &mut Xlsx<BufReader<File>>, sheet: &str) -> HashSet<(u32, u32)> {
    let mut found = HashSet::new();
    let Ok(mut reader) = workbook.worksheet_cells_reader(sheet) else {
        return found;
    };
    while let Ok(Some(cell)) = reader.next_cell_with_formula() {
        if cell.formula.is_some() && matches!(cell.value, calamine::DataRef::Empty) {
            found.insert(cell.pos);
            if found.len() >= MAX_UNCOMPUTED {
                break;
            }
        }
    }
    found
}

/// Cells that cannot be read before the sheet is taken to be broken.
const MAX_UNREADABLE_CELLS: usize = 10_000;

/// Whether calamine can read on after `error`: a bad value in one cell, not
/// a broken file (cut short, not XML, not a zip).
fn recoverable(error: &calamine::XlsxError) -> bool {
    use calamine::XlsxError as E;
    !matches!(
        error,
        E::Io(_) | E::Zip(_) | E::Xml(_) | E::XmlEof(_) | E::Encoding(_) | E::Password
    )
}

impl Source for XlsxSource {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn place(&self) -> Place {
        Place {
            file: Arc::clone(&self.file),
            sheet: Some(Arc::clone(&self.sheet)),
            unit: RowUnit::Row,
        }
    }

    fn head(&self) -> Option<&Head> {
        Some(&self.head)
    }

    fn use_header(&mut self, index: usize) {
        self.head.choose(index);
        self.columns = self.head.columns();
    }

    fn read(
        &mut self,
        max: usize,
        out: &mut Vec<RawRecord>,
        problems: &mut Vec<DataError>,
    ) -> Result<usize, DataError> {
        out.clear();
        out.extend(self.head.records());
        problems.append(&mut self.early);
        if let Some(result) = self.stopped.pending(out.len()) {
            return result;
        }
        self.receive(max, out, problems)?;
        Ok(out.len())
    }

    fn progress(&self) -> (u64, Option<u64>) {
        // Rows, not bytes: a workbook is compressed, so bytes say little.
        (self.rows_read, None)
    }
}
