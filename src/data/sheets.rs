//! `.xls` (Excel 97–2003) and `.ods` (OpenDocument) input through calamine,
//! and what every workbook format shares: picking the sheet, and a
//! calamine cell as a [`SheetCell`].
//!
//! calamine reads these two formats whole, sheet by sheet, into memory (an
//! `.xls` sheet holds at most 65,536 × 256 cells); rows are then handed out
//! a batch at a time. Neither gives a cell's number format, so a cell shown
//! as `36.5%` arrives as the number 0.365: in a column that fills a
//! `percent` field, a number between −1 and 1 (0 aside) is read as such a
//! fraction (0.365 is 36.5%, 1 is 100%), as an `.xlsx` cell formatted as a
//! percent is; a larger one as percentage points (36.5 is 36.5%).

use std::sync::Arc;

use std::fs::File;
use std::io::BufReader;

use calamine::{Data, Error, Range, Reader, Sheets};
use jiff::civil::Date;

use super::errors::{DataError, Place, RowUnit};
use super::header::{HEAD_ROWS, Head};
use super::{Format, RawCells, RawRecord, SheetCell, Source, unreadable};
use crate::suggest::closest;

/// What calamine does with a workbook, with a panic inside it (calamine
/// asserts on some damaged files) made a data error naming the file: a file
/// a user gives must never crash the program.
pub fn guarded<T>(
    file: &Arc<str>,
    read: impl FnOnce() -> Result<T, DataError>,
) -> Result<T, DataError> {
    quietly(read).unwrap_or_else(|| Err(unreadable(file, DAMAGED)))
}

thread_local! {
    /// Whether a panic on this thread is one [`quietly`] turns into an error.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `read`, `None` if it panicked, without the panic's message on
/// stderr (the caller reports it as a data error); other panics are
/// printed as before.
pub fn quietly<T>(read: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                before(info);
            }
        }));
    });
    let was = QUIET.with(|quiet| quiet.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).ok();
    QUIET.with(|quiet| quiet.set(was));
    result
}

/// What a workbook the spreadsheet reader gave up on is told.
pub const DAMAGED: &str = "the workbook is damaged: the spreadsheet reader gave up on it; open it in a spreadsheet program and save it again";

/// A workbook of any format calamine reads, opened by the reader `format`
/// names (its content's, not its extension's).
pub fn open_workbook(
    file: &Arc<str>,
    format: Format,
) -> Result<Sheets<BufReader<File>>, DataError> {
    let path = &**file;
    guarded(file, || {
        let opened = match format {
            Format::Xls => calamine::open_workbook(path)
                .map(Sheets::Xls)
                .map_err(Error::Xls),
            Format::Ods => calamine::open_workbook(path)
                .map(Sheets::Ods)
                .map_err(Error::Ods),
            _ => calamine::open_workbook(path)
                .map(Sheets::Xlsx)
                .map_err(Error::Xlsx),
        };
        opened.map_err(|e| unreadable(file, e))
    })
}

/// The sheet to read: `wanted`, or the first.
pub fn pick_sheet(
    file: &Arc<str>,
    names: &[String],
    wanted: Option<&str>,
) -> Result<Arc<str>, DataError> {
    match wanted {
        Some(wanted) if names.iter().any(|n| n == wanted) => Ok(Arc::from(wanted)),
        Some(wanted) => {
            let help = match closest(wanted, names.iter().map(String::as_str)) {
                Some(name) => format!("did you mean `{name}`?"),
                None => format!("the sheets are: {}", names.join(", ")),
            };
            Err(DataError::UnknownSheet {
                file: Arc::clone(file),
                sheet: wanted.to_owned(),
                help,
            })
        }
        None => match names.first() {
            Some(first) => Ok(Arc::from(first.as_str())),
            None => Err(unreadable(file, "the workbook has no sheets")),
        },
    }
}

/// A calamine cell as a sheet cell; `percent` says the cell is shown as a
/// percent, so a number in it is a fraction.
pub fn sheet_cell(value: Data, percent: bool) -> SheetCell {
    match value {
        Data::Empty => SheetCell::Empty,
        Data::String(s) => SheetCell::Text(s),
        Data::Int(i) if percent => SheetCell::Fraction(i.to_string()),
        Data::Int(i) => SheetCell::Number(i.to_string()),
        Data::Float(f) if percent => SheetCell::Fraction(format!("{f}")),
        Data::Float(f) => SheetCell::Number(format!("{f}")),
        Data::Bool(b) => SheetCell::Bool(b),
        // Excel's dates run from serial 1 (1900-01-01) to 2958465
        // (9999-12-31); calamine would clamp a serial outside them to a
        // plausible date.
        Data::DateTime(datetime) if !(1.0..2_958_466.0).contains(&datetime.as_f64()) => {
            SheetCell::Damaged(format!(
                "the date serial {} is outside Excel's dates",
                datetime.as_f64()
            ))
        }
        Data::DateTime(datetime) => {
            let (year, month, day, ..) = datetime.to_ymd_hms_milli();
            match (i16::try_from(year), i8::try_from(month), i8::try_from(day)) {
                (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d).map_or_else(
                    |_| SheetCell::Error(format!("{}", datetime.as_f64())),
                    SheetCell::Date,
                ),
                _ => SheetCell::Error(format!("{}", datetime.as_f64())),
            }
        }
        Data::DateTimeIso(text) => text
            .get(..10)
            .and_then(|d| d.parse::<Date>().ok())
            .map_or_else(|| SheetCell::Text(text.clone()), SheetCell::Date),
        Data::DurationIso(text) => SheetCell::Text(text),
        Data::Error(error) => SheetCell::Error(error.to_string()),
    }
}

/// A number in a column that fills a `percent` field of a workbook that
/// does not tell number formats, as the fraction a percent cell stores when
/// it lies between −1 and 1 (0 aside: it is the same either way).
pub fn as_fraction(cell: SheetCell) -> SheetCell {
    match cell {
        SheetCell::Number(text)
            if text
                .parse::<f64>()
                .is_ok_and(|n| n != 0.0 && (-1.0..=1.0).contains(&n)) =>
        {
            SheetCell::Fraction(text)
        }
        other => other,
    }
}

/// A sheet of an `.xls` or `.ods` workbook, read whole.
pub struct SheetSource {
    file: Arc<str>,
    sheet: Arc<str>,
    range: Range<Data>,
    /// The next row of `range` to hand out.
    next: usize,
    /// The first rows, until the records after the header are read.
    head: Head,
    columns: Vec<String>,
    /// Columns whose numbers are fractions shown as percents.
    fractions: Vec<usize>,
}

impl SheetSource {
    /// Opens the workbook (`.xls` or `.ods`, as `format` says), picks the
    /// sheet and reads its first rows.
    pub fn open(
        file: Arc<str>,
        format: Format,
        sheet: Option<&str>,
    ) -> Result<SheetSource, DataError> {
        if format == Format::Ods {
            super::workbook_limits::check(&file)?;
        }
        let mut workbook = open_workbook(&file, format)?;
        let sheet = pick_sheet(&file, &workbook.sheet_names(), sheet)?;
        let range = guarded(&file, || {
            workbook
                .worksheet_range(&sheet)
                .map_err(|e| unreadable(&file, e))
        })?;
        let mut source = SheetSource {
            file,
            sheet,
            range,
            next: 0,
            head: Head::default(),
            columns: Vec::new(),
            fractions: Vec::new(),
        };
        let mut first = Vec::new();
        source.take(HEAD_ROWS, &mut first);
        source.head = Head::new(first);
        source.use_header(0);
        Ok(source)
    }

    /// Appends up to `max` rows that are not blank to `out`.
    fn take(&mut self, max: usize, out: &mut Vec<RawRecord>) {
        let first_row = self.range.start().map_or(0, |(row, _)| u64::from(row));
        let first_column = self.range.start().map_or(0, |(_, column)| column as usize);
        let (height, width) = (self.range.height(), self.range.width());
        let mut taken = 0;
        while taken < max && self.next < height {
            let index = self.next;
            let number = first_row + index as u64 + 1;
            self.next += 1;
            let cells = (0..width).map(|column| self.range.get((index, column)));
            if cells.clone().all(|c| matches!(c, None | Some(Data::Empty))) {
                continue;
            }
            let mut row = vec![SheetCell::Empty; first_column];
            row.extend(cells.enumerate().map(|(i, cell)| {
                let cell = cell.map_or(SheetCell::Empty, |cell| sheet_cell(cell.clone(), false));
                if self.fractions.contains(&(first_column + i)) {
                    as_fraction(cell)
                } else {
                    cell
                }
            }));
            while row.last() == Some(&SheetCell::Empty) {
                row.pop();
            }
            out.push(RawRecord {
                row: number,
                cells: RawCells::Sheet(row),
            });
            taken += 1;
        }
    }
}

impl Source for SheetSource {
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

    fn percent_columns(&mut self, columns: &[usize]) {
        self.head.read_as_fractions(columns);
        self.fractions = columns.to_vec();
    }

    fn read(
        &mut self,
        max: usize,
        out: &mut Vec<RawRecord>,
        _problems: &mut Vec<DataError>,
    ) -> Result<usize, DataError> {
        out.clear();
        out.extend(self.head.records());
        let wanted = max.saturating_sub(out.len());
        self.take(wanted, out);
        Ok(out.len())
    }

    fn progress(&self) -> (u64, Option<u64>) {
        (self.next as u64, Some(self.range.height() as u64))
    }
}
