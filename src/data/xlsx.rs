//! Excel (`.xlsx`) input through calamine's streaming cell reader.
//!
//! Never `worksheet_range`: it allocates the sheet's whole declared area up
//! front, and a valid 2 KB workbook with cells at A1 and XFD1048576 would ask
//! for 512 GiB. The cell reader yields only the cells that exist; rows are
//! assembled one at a time, and cells past [`MAX_COLUMNS`] or rows past
//! [`MAX_ROWS`] are reported, not read. The workbook is read on its own thread
//! (calamine's reader borrows the workbook) and rows come over a bounded channel.

use std::fs::File;
use std::io::BufReader;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Data, Reader, Xlsx};

use super::errors::{DataError, Place, RowUnit};
use super::header::{HEAD_ROWS, Head};
use super::sheets::{pick_sheet, sheet_cell};
use super::{RawCells, RawRecord, SheetCell, Source, unreadable};

/// The widest sheet read.
pub const MAX_COLUMNS: u32 = 4096;
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
    columns: Vec<String>,
    rows: Receiver<Message>,
    rows_read: u64,
}

impl XlsxSource {
    /// Opens the workbook, picks the sheet and reads its header row.
    pub fn open(file: Arc<str>, sheet: Option<&str>) -> Result<XlsxSource, DataError> {
        let mut workbook: Xlsx<BufReader<File>> =
            calamine::open_workbook(&*file).map_err(|e| unreadable(&file, e))?;
        let sheet = pick_sheet(&file, &workbook.sheet_names(), sheet)?;
        let (sender, rows) = sync_channel(4096);
        let place = Place {
            file: Arc::clone(&file),
            sheet: Some(Arc::clone(&sheet)),
            unit: RowUnit::Row,
        };
        let sheet_name = sheet.to_string();
        std::thread::spawn(move || read_sheet(&mut workbook, &sheet_name, &place, &sender));
        let mut source = XlsxSource {
            file,
            sheet,
            head: Head::default(),
            early: Vec::new(),
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
                Ok(Message::Stop(error)) => return Err(error),
                Err(_) => break,
            }
        }
        Ok(())
    }
}

/// Reads every row of the sheet and sends it; runs on its own thread.
fn read_sheet(
    workbook: &mut Xlsx<BufReader<File>>,
    sheet: &str,
    place: &Place,
    rows: &SyncSender<Message>,
) {
    let send = |message| rows.send(message).is_ok();
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
    let mut current: Option<(u32, Vec<SheetCell>)> = None;
    let mut wide_rows_reported = false;
    loop {
        let (cell, style) = match reader.next_cell_with_style_id() {
            Ok(Some(next)) => next,
            Ok(None) => break,
            Err(error) => {
                send(Message::Stop(unreadable(&place.file, error)));
                return;
            }
        };
        let (row, column) = cell.get_position();
        if row >= MAX_ROWS {
            send(Message::Problem(DataError::TooLarge {
                file: Arc::clone(&place.file),
                what: format!(
                    "the sheet goes on past row {MAX_ROWS}; the rows after it were not read"
                ),
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
                }));
            }
            continue;
        }
        let percent = percent_styles.get(style).copied().unwrap_or(false);
        let value = sheet_cell(Data::from(cell.get_value().clone()), percent);
        if current.as_ref().is_some_and(|(r, _)| *r != row)
            && let Some((number, cells)) = current.take()
            && !send(Message::Row(u64::from(number) + 1, cells))
        {
            return;
        }
        let (_, cells) = current.get_or_insert_with(|| (row, Vec::new()));
        let index = column as usize;
        if cells.len() <= index {
            cells.resize(index + 1, SheetCell::Empty);
        }
        cells[index] = value;
    }
    if let Some((number, cells)) = current {
        send(Message::Row(u64::from(number) + 1, cells));
    }
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
        self.receive(max, out, problems)?;
        Ok(out.len())
    }

    fn progress(&self) -> (u64, Option<u64>) {
        // Rows, not bytes: a workbook is compressed, so bytes say little.
        (self.rows_read, None)
    }
}
