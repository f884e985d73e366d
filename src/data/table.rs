//! A small data file read whole, as text: the units, exclusions and
//! inspectors of `sample`, the waivers of `eval --waivers`. Any format a
//! batch reads (CSV, JSON, JSON Lines, Excel) will do.

use super::schema::{Extra, find_column};
use super::values::normalize;
use super::{DataError, OpenOptions, Place, RawCells};

/// Why a small file could not be read as a table.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The file could not be opened or one of its rows read.
    #[error("{0}")]
    Data(#[from] DataError),
    /// A column the file lacks.
    #[error("`{file}` has no column `{name}`; its columns are: {}", .columns.join(", "))]
    NoColumn {
        /// The file.
        file: String,
        /// The column looked for.
        name: String,
        /// The columns the file has.
        columns: Vec<String>,
    },
    /// Two columns with one heading: which one a name means would be a guess.
    #[error("`{file}` has two columns headed `{heading}` (columns {first} and {second})")]
    TwiceHeaded {
        /// The file.
        file: String,
        /// The heading, as the later column writes it.
        heading: String,
        /// The first column with it, from 1.
        first: usize,
        /// The second column with it, from 1.
        second: usize,
    },
}

/// Every row of a file, each cell as trimmed text.
#[derive(Clone, Debug)]
pub struct TextTable {
    /// The file (and sheet), for messages.
    pub place: Place,
    /// The column headers.
    pub columns: Vec<String>,
    /// The rows, in file order.
    pub rows: Vec<TextRow>,
}

/// One row of a [`TextTable`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextRow {
    /// Its row (line, record) number in the file.
    pub row: u64,
    /// Its cells, one per column.
    pub cells: Vec<String>,
}

impl TextTable {
    /// Reads the whole file. A row that cannot be read (a broken line of
    /// JSON, a quote left open) is an error: these files are short lists
    /// whose every row matters. The columns of JSON are the keys of every
    /// object, in the order they first appear, so that a key the first
    /// object leaves out is not lost.
    pub fn read(path: &str) -> Result<TextTable, TableError> {
        let mut source = super::open(path, &OpenOptions::default())?;
        let mut columns = source.columns().to_vec();
        if let Some(twice) = twice_headed(&source.place().file, &columns) {
            return Err(twice);
        }
        let mut records = Vec::new();
        let mut batch = Vec::new();
        let mut problems = Vec::new();
        loop {
            let read = source.read(4096, &mut batch, &mut problems)?;
            if let Some(problem) = problems.drain(..).next() {
                return Err(problem.into());
            }
            if read == 0 {
                break;
            }
            records.append(&mut batch);
        }
        for record in &records {
            if let RawCells::Json(object) = &record.cells {
                for key in object.keys() {
                    if !columns.contains(key) {
                        columns.push(key.clone());
                    }
                }
            }
        }
        let readers: Vec<Extra> = (0..columns.len())
            .map(|index| Extra::at(&columns, index))
            .collect();
        let rows = records
            .iter()
            .map(|record| TextRow {
                row: record.row,
                cells: readers.iter().map(|column| column.text(record)).collect(),
            })
            .collect();
        Ok(TextTable {
            place: source.place(),
            columns,
            rows,
        })
    }

    /// The first column headed by one of `names` (in the order given),
    /// matched as [`find_column`] does.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|name| find_column(&self.columns, name))
    }

    /// The error for a column the file lacks: its name, and the columns
    /// the file has.
    pub fn no_column(&self, name: &str) -> TableError {
        TableError::NoColumn {
            file: self.place.file.to_string(),
            name: name.to_owned(),
            columns: self.columns.clone(),
        }
    }
}

/// Two columns with one heading (after trimming and reading full-width
/// letters as ASCII, as [`find_column`] matches them). Blank headings (the
/// empty columns a spreadsheet leaves at the right) may repeat.
fn twice_headed(file: &str, columns: &[String]) -> Option<TableError> {
    let headings: Vec<String> = columns
        .iter()
        .map(|c| normalize(c).trim().to_owned())
        .collect();
    headings.iter().enumerate().find_map(|(later, heading)| {
        let first = headings[..later]
            .iter()
            .position(|h| !h.is_empty() && h == heading)?;
        Some(TableError::TwiceHeaded {
            file: file.to_owned(),
            heading: columns[later].trim().to_owned(),
            first: first + 1,
            second: later + 1,
        })
    })
}
