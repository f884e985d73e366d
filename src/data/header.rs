//! Finding the header row of a table (SPEC §2): officials put a merged title
//! row above the headings, or a row of group headings above the labels, so
//! the header is the first of the first [`HEAD_ROWS`] rows that names the
//! key field and at least half of the standard's fields; `--header-row N`
//! forces it. Headings are compared after `heading_key`: whitespace and
//! line breaks (Alt+Enter) removed, full-width forms read as ASCII,
//! Traditional characters read as Simplified.
//!
//! A blank heading under a heading in the row above takes that one: a cell
//! merged down over two header rows holds its text in the upper row only.

use std::sync::Arc;

use super::errors::DataError;
use super::schema::cell_text;
use super::{RawRecord, Source};
use crate::check::model::{FieldType, Standard};
use crate::headings::heading_key;

/// The rows looked at for the header.
pub const HEAD_ROWS: usize = 20;

/// The first rows of a table, before one is taken as its header.
#[derive(Clone, Debug, Default)]
pub struct Head {
    rows: Vec<RawRecord>,
    /// The row taken as the header.
    header: usize,
    /// Whether the rows after the header were handed out as records.
    served: bool,
}

impl Head {
    /// The first rows, the first of them the header until another is chosen.
    pub fn new(rows: Vec<RawRecord>) -> Head {
        Head {
            rows,
            header: 0,
            served: false,
        }
    }

    /// The rows.
    pub fn rows(&self) -> &[RawRecord] {
        &self.rows
    }

    /// The headings of row `index`, a blank one taking the heading above it.
    pub fn headings(&self, index: usize) -> Vec<String> {
        let Some(row) = self.rows.get(index) else {
            return Vec::new();
        };
        let mut headings = cell_texts(row);
        if let Some(above) = index.checked_sub(1).and_then(|i| self.rows.get(i)) {
            for (heading, upper) in headings.iter_mut().zip(cell_texts(above)) {
                if heading.trim().is_empty() {
                    *heading = upper;
                }
            }
        }
        headings
    }

    /// The header's row number (0 before there are rows).
    pub fn header_row(&self) -> u64 {
        self.rows.get(self.header).map_or(0, |r| r.row)
    }

    /// Reads the numbers of `columns` in the rows after the header as
    /// fractions shown as percents, where they may be ([`super::sheets::as_fraction`]).
    pub fn read_as_fractions(&mut self, columns: &[usize]) {
        for row in self.rows.iter_mut().skip(self.header + 1) {
            let super::RawCells::Sheet(cells) = &mut row.cells else {
                continue;
            };
            for &column in columns {
                if let Some(cell) = cells.get_mut(column) {
                    let number = std::mem::replace(cell, super::SheetCell::Empty);
                    *cell = super::sheets::as_fraction(number);
                }
            }
        }
    }

    /// The headings of the header row.
    pub fn columns(&self) -> Vec<String> {
        self.headings(self.header)
    }

    /// Takes row `index` as the header.
    pub fn choose(&mut self, index: usize) {
        self.header = index.min(self.rows.len().saturating_sub(1));
    }

    /// The rows after the header, the first time it is asked; then none.
    pub fn records(&mut self) -> Vec<RawRecord> {
        if self.served {
            return Vec::new();
        }
        self.served = true;
        self.rows.split_off((self.header + 1).min(self.rows.len()))
    }
}

/// Every cell of a row as text.
pub fn cell_texts(row: &RawRecord) -> Vec<String> {
    (0..row.width()).map(|i| cell_text(row, i)).collect()
}

/// Whether a heading (as `heading_key` gives it) names a field: its name
/// or label, or its name in another case.
pub fn names_field(key: &str, name: &str, label: Option<&str>) -> bool {
    key == heading_key(name)
        || label.is_some_and(|label| key == heading_key(label))
        || key.to_lowercase() == heading_key(name).to_lowercase()
}

/// A standard's fields as headings are compared with them: each field's
/// name and label as [`heading_key`] gives them, the key field first.
struct FieldKeys(Vec<(String, Option<String>)>);

impl FieldKeys {
    fn of(standard: &Standard) -> FieldKeys {
        let key = standard.key.0;
        let order = std::iter::once(key).chain((0..standard.fields.len()).filter(|&i| i != key));
        FieldKeys(
            order
                .filter_map(|i| standard.fields.get(i))
                .map(|f| (heading_key(&f.name), f.label.as_deref().map(heading_key)))
                .collect(),
        )
    }

    /// Whether headings (as [`heading_key`] gives them) name the key field
    /// and at least half of the fields.
    fn in_header(&self, headings: &[String]) -> bool {
        let named = |(name, label): &(String, Option<String>)| {
            headings.iter().any(|key| {
                key == name
                    || label.as_ref() == Some(key)
                    || key.to_lowercase() == name.to_lowercase()
            })
        };
        let matched = self.0.iter().filter(|f| named(f)).count();
        self.0.first().is_some_and(named) && matched * 2 >= self.0.len()
    }
}

/// The index in `head` of the first row that is a header for one of
/// `standards`, if any.
pub fn header_index(head: &Head, standards: &[&Standard]) -> Option<usize> {
    let fields: Vec<FieldKeys> = standards.iter().map(|s| FieldKeys::of(s)).collect();
    (0..head.rows().len()).find(|&index| {
        let headings: Vec<String> = head
            .headings(index)
            .iter()
            .map(|h| heading_key(h))
            .collect();
        fields.iter().any(|f| f.in_header(&headings))
    })
}

/// Rows skipped above the header, for a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file (and sheet).
    pub place: String,
    /// The header's row number.
    pub header: u64,
    /// Each skipped row's number and its text.
    pub rows: Vec<(u64, String)>,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rows: Vec<String> = self
            .rows
            .iter()
            .map(|(row, text)| format!("row {row} 「{text}」"))
            .collect();
        write!(
            f,
            "{}: the headings are on row {}; the rows above were skipped: {}",
            self.place,
            self.header,
            rows.join(", ")
        )
    }
}

/// Chooses the header row of `source`: row `forced` (1-based, as the file
/// numbers it), else the first that is a header for one of `standards`,
/// else the first row. Returns the rows skipped above it, if any.
pub fn choose(
    source: &mut dyn Source,
    standards: &[&Standard],
    forced: Option<u64>,
) -> Result<Option<Skipped>, DataError> {
    let Some(head) = source.head() else {
        return Ok(None);
    };
    let index = match forced {
        Some(row) => match head.rows().iter().position(|r| r.row == row) {
            Some(index) => index,
            None => {
                return Err(DataError::NoHeaderRow {
                    file: Arc::clone(&source.place().file),
                    row,
                    last: head.rows().last().map_or(0, |r| r.row),
                });
            }
        },
        None => header_index(head, standards).unwrap_or(0),
    };
    let skipped: Vec<(u64, String)> = head.rows()[..index]
        .iter()
        .map(|row| (row.row, shown(row)))
        .collect();
    let header = head.rows().get(index).map_or(0, |r| r.row);
    source.use_header(index);
    let percent: Vec<usize> = source
        .columns()
        .iter()
        .enumerate()
        .filter(|(_, heading)| {
            let key = heading_key(heading);
            standards.iter().any(|s| {
                s.fields.iter().any(|f| {
                    f.ty == FieldType::Percent && names_field(&key, &f.name, f.label.as_deref())
                })
            })
        })
        .map(|(index, _)| index)
        .collect();
    source.percent_columns(&percent);
    if skipped.is_empty() {
        return Ok(None);
    }
    let place = source.place();
    Ok(Some(Skipped {
        place: match &place.sheet {
            Some(sheet) => format!("{} [{sheet}]", place.file),
            None => place.file.to_string(),
        },
        header,
        rows: skipped,
    }))
}

/// A skipped row's text: its non-blank cells joined by ` / `, cut short.
fn shown(row: &RawRecord) -> String {
    const LONGEST: usize = 60;
    let texts: Vec<String> = cell_texts(row)
        .into_iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect();
    let text = texts.join(" / ");
    if text.chars().count() > LONGEST {
        let cut: String = text.chars().take(LONGEST).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_by_name_label_or_name_in_another_case() {
        assert!(names_field(&heading_key("UNIT_ID"), "unit_id", None));
        assert!(names_field(
            &heading_key("辦公區\r\n綠化率"),
            "green",
            Some("辦公區綠化率")
        ));
        assert!(!names_field(
            &heading_key("綠化率"),
            "green",
            Some("辦公區綠化率")
        ));
    }
}
