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

use calamine::{DataRef, Reader, Xlsx};
use jiff::civil::Date;

use super::errors::{DataError, Place, RowUnit};
use super::{RawCells, RawRecord, SheetCell, Source, unreadable};
use crate::check::suggest::closest;

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
    columns: Vec<String>,
    rows: Receiver<Message>,
    rows_read: u64,
}

impl XlsxSource {
    /// Opens the workbook, picks the sheet and reads its header row.
    pub fn open(file: Arc<str>, sheet: Option<&str>) -> Result<XlsxSource, DataError> {
        let mut workbook: Xlsx<BufReader<File>> =
            calamine::open_workbook(&*file).map_err(|e| unreadable(&file, e))?;
        let names = workbook.sheet_names();
        let sheet: Arc<str> = match sheet {
            Some(wanted) if names.iter().any(|n| n == wanted) => Arc::from(wanted),
            Some(wanted) => {
                let help = match closest(wanted, names.iter().map(String::as_str)) {
                    Some(name) => format!("did you mean `{name}`?"),
                    None => format!("the sheets are: {}", names.join(", ")),
                };
                return Err(DataError::UnknownSheet {
                    file,
                    sheet: wanted.to_owned(),
                    help,
                });
            }
            None => match names.first() {
                Some(first) => Arc::from(first.as_str()),
                None => return Err(unreadable(&file, "the workbook has no sheets")),
            },
        };
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
            columns: Vec::new(),
            rows,
            rows_read: 0,
        };
        match source.rows.recv() {
            Ok(Message::Row(_, header)) => {
                source.columns = header.iter().map(header_text).collect()
            }
            Ok(Message::Stop(error) | Message::Problem(error)) => return Err(error),
            Err(_) => {}
        }
        Ok(source)
    }
}

fn header_text(cell: &SheetCell) -> String {
    match cell {
        SheetCell::Text(t)
        | SheetCell::Number(t)
        | SheetCell::Fraction(t)
        | SheetCell::Error(t) => t.clone(),
        SheetCell::Bool(b) => b.to_string(),
        SheetCell::Date(d) => d.to_string(),
        SheetCell::Empty => String::new(),
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
        let value = sheet_cell(cell.get_value(), percent);
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

/// A calamine cell as a sheet cell.
fn sheet_cell(value: &DataRef<'_>, percent: bool) -> SheetCell {
    let number = |f: f64| {
        let text = format!("{f}");
        if percent {
            SheetCell::Fraction(text)
        } else {
            SheetCell::Number(text)
        }
    };
    match value {
        DataRef::Empty => SheetCell::Empty,
        DataRef::String(s) => SheetCell::Text(s.clone()),
        DataRef::SharedString(s) => SheetCell::Text((*s).to_owned()),
        DataRef::Int(i) => SheetCell::Number(i.to_string()),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => SheetCell::Bool(*b),
        DataRef::DateTime(datetime) => {
            let (year, month, day, ..) = datetime.to_ymd_hms_milli();
            match (i16::try_from(year), i8::try_from(month), i8::try_from(day)) {
                (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d).map_or_else(
                    |_| SheetCell::Error(format!("{}", datetime.as_f64())),
                    SheetCell::Date,
                ),
                _ => SheetCell::Error(format!("{}", datetime.as_f64())),
            }
        }
        DataRef::DateTimeIso(text) => text
            .get(..10)
            .and_then(|d| d.parse::<Date>().ok())
            .map_or_else(|| SheetCell::Text(text.clone()), SheetCell::Date),
        DataRef::DurationIso(text) => SheetCell::Text(text.clone()),
        DataRef::Error(error) => SheetCell::Error(error.to_string()),
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

    fn read(
        &mut self,
        max: usize,
        out: &mut Vec<RawRecord>,
        problems: &mut Vec<DataError>,
    ) -> Result<usize, DataError> {
        out.clear();
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
        Ok(out.len())
    }

    fn progress(&self) -> (u64, Option<u64>) {
        // Rows, not bytes: a workbook is compressed, so bytes say little.
        (self.rows_read, None)
    }
}
