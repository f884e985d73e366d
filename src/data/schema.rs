//! Columns to fields, and raw records to typed cells.
//!
//! A column fills a field when its header is the field's name or its label
//! (after trimming spaces and reading full-width letters as ASCII); a name
//! differing only in case also matches. Columns that fill no field are kept
//! out of scoring. A required field without a column is one error before any
//! row is read; an optional one is blank throughout.

use std::sync::Arc;

use super::errors::{DataError, Location, Place, quoted};
use super::values::{self, Kind, Unfit, read_cell, read_cell_into, read_plain_into};
use super::{RawCells, RawRecord, SheetCell};
use crate::check::model::{FieldType, Standard};
use crate::headings::heading_key;
use crate::suggest::closest;
use crate::value::{Cell, Value};

/// Where each field's value is found in a record.
#[derive(Clone, Debug)]
pub struct Schema {
    fields: Vec<FieldColumn>,
    /// The number of header columns (for row length checks).
    width: usize,
    /// How each column is read, when no column fills two fields: how a
    /// plain line is typed as its cells are found ([`Schema::type_line`]).
    steps: Option<Vec<Step>>,
    /// The fields no column fills (optional ones, blank throughout).
    unfilled: Vec<usize>,
    /// The delimiter `steps` are for ([`Schema::for_delimiter`]): only lines
    /// with it are typed as their delimiters are found.
    delimiter: Option<u8>,
}

/// How a column of a plain line is read: the field it fills, if any, and
/// what of that field the reading needs, at hand.
#[derive(Clone, Copy, Debug)]
struct Step {
    field: Option<usize>,
    kind: Kind,
    optional: bool,
}

#[derive(Clone, Debug)]
struct FieldColumn {
    name: String,
    label: Option<String>,
    ty: FieldType,
    kind: Kind,
    optional: bool,
    /// A required field that no column fills, allowed by
    /// [`Schema::new_with_absent_fields`]: missing in every record.
    absent: bool,
    /// The column's position and header, when a column fills the field.
    column: Option<(usize, String)>,
}

impl FieldColumn {
    /// The cell of a field no column fills: blank when it is optional,
    /// missing when it is a required field allowed to be absent.
    fn unfilled(&self) -> Cell {
        if self.absent {
            Cell::Missing
        } else {
            Cell::Blank
        }
    }
}

/// What becomes of a required field that no column fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unfilled {
    /// The file stops (`yardstick::missing_column`).
    Stop,
    /// It is missing in every record.
    Missing,
    /// Each record is read for it by name or label (JSON objects).
    ReadEach,
}

impl Schema {
    /// Matches a source's columns to the standard's fields.
    pub fn new(
        standard: &Standard,
        columns: &[String],
        file: &Arc<str>,
    ) -> Result<Schema, DataError> {
        Schema::matching(standard, columns, file, Unfilled::Stop).map(|(schema, _)| schema)
    }

    /// As [`Schema::new`], for records that name their own fields (JSON
    /// objects): a required field that the first record lacks is read
    /// record by record, and a record without it is a blank in a required
    /// field, like any other.
    pub fn for_keyed_records(
        standard: &Standard,
        columns: &[String],
        file: &Arc<str>,
    ) -> Result<Schema, DataError> {
        Schema::matching(standard, columns, file, Unfilled::ReadEach).map(|(schema, _)| schema)
    }

    /// As [`Schema::new`], except that a required field no column fills
    /// (other than the key) does not stop the file: it is missing in every
    /// record (so the rules that read it are `missing`, with no data
    /// error), and its name comes back with the schema. For `diff
    /// --impact`: last year's data scored by an edition that asks for a new
    /// field.
    pub fn new_with_absent_fields(
        standard: &Standard,
        columns: &[String],
        file: &Arc<str>,
    ) -> Result<(Schema, Vec<String>), DataError> {
        Schema::matching(standard, columns, file, Unfilled::Missing)
    }

    fn matching(
        standard: &Standard,
        columns: &[String],
        file: &Arc<str>,
        unfilled: Unfilled,
    ) -> Result<(Schema, Vec<String>), DataError> {
        let mut absent_fields = Vec::new();
        let headers: Vec<String> = columns.iter().map(|c| heading_key(c)).collect();
        let keys: Vec<(String, Option<String>)> = standard
            .fields
            .iter()
            .map(|f| (heading_key(&f.name), f.label.as_deref().map(heading_key)))
            .collect();
        // A heading that is one field's label fills that field, even when it
        // is another's name (`yardstick::ambiguous_heading` warns of such
        // standards); a name in another case fills a field only when no
        // field has the heading as its name or label.
        let label_of: Vec<Option<usize>> = headers
            .iter()
            .map(|h| keys.iter().position(|(_, l)| l.as_ref() == Some(h)))
            .collect();
        let named_exactly = |h: &String| keys.iter().any(|(n, l)| n == h || l.as_ref() == Some(h));
        let mut fields = Vec::with_capacity(standard.fields.len());
        for (index, field) in standard.fields.iter().enumerate() {
            let (name, label) = &keys[index];
            let matches: Vec<usize> = (0..headers.len())
                .filter(|&i| {
                    let h = &headers[i];
                    let mine = label_of[i].is_none_or(|f| f == index);
                    label.as_ref() == Some(h)
                        || (h == name && mine)
                        || (h.to_lowercase() == name.to_lowercase() && !named_exactly(h))
                })
                .collect();
            if let [first, second, ..] = matches.as_slice() {
                return Err(DataError::DuplicateColumn {
                    file: Arc::clone(file),
                    field: field.name.clone(),
                    first: columns[*first].clone(),
                    second: columns[*second].clone(),
                });
            }
            let column = matches.first().map(|&i| (i, columns[i].clone()));
            let absent = column.is_none() && !field.optional && unfilled != Unfilled::ReadEach;
            // The key names the unit: without it there is nothing to score.
            if absent && unfilled == Unfilled::Missing && index != standard.key.0 {
                absent_fields.push(field.name.clone());
            } else if absent {
                let label = field
                    .label
                    .as_ref()
                    .map(|l| format!(" (labelled `{l}`)"))
                    .unwrap_or_default();
                let wanted = field
                    .label
                    .iter()
                    .map(String::as_str)
                    .chain([field.name.as_str()]);
                let suggestion = wanted
                    .into_iter()
                    .find_map(|w| closest(w, columns.iter().map(String::as_str)));
                let help = match suggestion {
                    Some(column) => format!(
                        "is column `{column}` meant? a heading must be a field's name or label (spaces, line breaks, full-width forms and Simplified or Traditional characters aside)"
                    ),
                    None => format!(
                        "add a column headed `{}`; the file's columns are: {}",
                        field.heading(),
                        columns.join(", ")
                    ),
                };
                return Err(DataError::MissingColumn {
                    file: Arc::clone(file),
                    field: field.name.clone(),
                    label,
                    help,
                });
            }
            fields.push(FieldColumn {
                name: field.name.clone(),
                label: field.label.clone(),
                ty: field.ty.clone(),
                kind: Kind::of(&field.ty),
                optional: field.optional,
                absent,
                column,
            });
        }
        let skip = Step {
            field: None,
            kind: Kind::Other,
            optional: true,
        };
        let mut steps = Some(vec![skip; columns.len()]);
        let mut unfilled = Vec::new();
        for (index, field) in fields.iter().enumerate() {
            let step = Step {
                field: Some(index),
                kind: field.kind,
                optional: field.optional,
            };
            match (&field.column, steps.as_mut()) {
                (None, _) => unfilled.push(index),
                (Some((column, _)), Some(steps)) if steps[*column].field.is_none() => {
                    steps[*column] = step;
                }
                (Some(_), _) => steps = None,
            }
        }
        let schema = Schema {
            fields,
            width: columns.len(),
            steps,
            unfilled,
            delimiter: None,
        };
        Ok((schema, absent_fields))
    }

    /// The schema for lines whose cells `delimiter` separates: a field whose
    /// plain form may hold it (`.` and a number, `,` and a choice `A,B`) has
    /// its cells read only once their end is found, so that no value
    /// swallows a delimiter.
    #[must_use]
    pub fn for_delimiter(mut self, delimiter: u8) -> Schema {
        if let Some(steps) = &mut self.steps {
            for step in steps {
                let ty = step.field.map(|field| &self.fields[field].ty);
                if ty.is_some_and(|ty| step.kind.may_hold(ty, delimiter)) {
                    step.kind = Kind::Other;
                }
            }
        }
        self.delimiter = Some(delimiter);
        self
    }

    /// Types a raw record into `cells` (one per field), reporting each cell
    /// that does not fit to `errors` and leaving it `Missing`.
    pub fn cells(
        &self,
        record: &RawRecord,
        place: &Place,
        cells: &mut Vec<Cell>,
        errors: &mut Vec<DataError>,
    ) {
        // The cells are overwritten in place, so text buffers are reused.
        cells.resize(self.fields.len(), Cell::Missing);
        if let RawCells::Text(row) = &record.cells {
            if let (Some((line, delimiter)), Some(steps)) = (row.plain_line(), &self.steps)
                && self.delimiter == Some(delimiter)
                && self.type_line(line, delimiter, steps, cells)
            {
                return;
            }
            if row.len() != self.width {
                errors.push(DataError::RowLength {
                    at: place.at(record.row),
                    found: row.len(),
                    expected: self.width,
                });
            }
            for (field, cell) in self.fields.iter().zip(cells.iter_mut()) {
                let read = match &field.column {
                    None => {
                        *cell = field.unfilled();
                        Ok(())
                    }
                    Some((index, _)) => match row.get(*index) {
                        None => read_cell_into("", &field.ty, field.optional, cell),
                        // Most cells are plain digits or `true`/`false`: read
                        // from the bytes; the rest are checked as UTF-8 first.
                        Some(bytes) if read_plain_into(bytes, field.kind, &field.ty, cell) => {
                            Ok(())
                        }
                        Some(bytes) => match std::str::from_utf8(bytes) {
                            Ok(text) => read_cell_into(text, &field.ty, field.optional, cell),
                            Err(_) => Err(Unfit::NotUtf8),
                        },
                    },
                };
                if let Err(unfit) = read {
                    errors.push(self.error(field, record, place.at(record.row), unfit));
                    *cell = Cell::Missing;
                }
            }
            return;
        }
        for (field, cell) in self.fields.iter().zip(cells.iter_mut()) {
            *cell = self.cell(field, record).unwrap_or_else(|unfit| {
                errors.push(self.error(field, record, place.at(record.row), unfit));
                Cell::Missing
            });
        }
    }

    /// Types a plain line (no quotes, no carriage returns) cell by cell as
    /// its delimiters are found, reading the commonest forms straight from
    /// the bytes: what `cells` does for a split record, without splitting
    /// it first. `false` when a cell does not fit or the line has too few or
    /// too many cells: the record is then typed cell by cell, which reports
    /// them. The steps are for `delimiter` ([`Schema::for_delimiter`]).
    fn type_line(&self, line: &[u8], delimiter: u8, steps: &[Step], cells: &mut [Cell]) -> bool {
        for &field in &self.unfilled {
            cells[field] = self.fields[field].unfilled();
        }
        let mut at = 0;
        for step in steps {
            // Past the end: the line has fewer cells than the header.
            let Some(rest) = line.get(at..) else {
                return false;
            };
            let ends = |len| rest.get(len).is_none_or(|&b| b == delimiter);
            let cell_end = || memchr::memchr(delimiter, rest).unwrap_or(rest.len());
            let len = match step.field {
                None => cell_end(),
                Some(field) if step.optional && ends(0) => {
                    cells[field] = Cell::Blank;
                    0
                }
                Some(field) => {
                    let ty = || &self.fields[field].ty;
                    match values::plain_into(rest, step.kind, ty, ends, &mut cells[field]) {
                        Some(len) => len,
                        None => {
                            let ty = ty();
                            let len = cell_end();
                            let Ok(text) = std::str::from_utf8(&rest[..len]) else {
                                return false;
                            };
                            if read_cell_into(text, ty, step.optional, &mut cells[field]).is_err() {
                                return false;
                            }
                            len
                        }
                    }
                }
            };
            at += len + 1;
        }
        // Just past the end: as many cells as columns, no more.
        at == line.len() + 1
    }

    /// The field that column `column` fills, if any.
    pub fn field_filled_by(&self, column: usize) -> Option<usize> {
        self.fields
            .iter()
            .position(|f| f.column.as_ref().is_some_and(|(index, _)| *index == column))
    }

    /// The text of a field's cell in a record, for messages and reports.
    pub fn text_of(&self, field: usize, record: &RawRecord) -> String {
        self.fields
            .get(field)
            .map_or_else(String::new, |f| raw_text(f, record))
    }

    /// One field's cell of a record (by the field's index), or the data
    /// error it makes: how a record's inspection date is read to choose its edition.
    pub fn read_one(
        &self,
        field: usize,
        record: &RawRecord,
        at: Location,
    ) -> Result<Cell, DataError> {
        let Some(column) = self.fields.get(field) else {
            return Ok(Cell::Missing);
        };
        self.cell(column, record)
            .map_err(|unfit| self.error(column, record, at, unfit))
    }

    /// A field's cell of a JSON or sheet record (CSV rows are read in `cells`).
    fn cell(&self, field: &FieldColumn, record: &RawRecord) -> Result<Cell, Unfit> {
        if field.absent {
            return Ok(Cell::Missing);
        }
        // JSON objects may name a field or use its label, record by record.
        if let RawCells::Json(object) = &record.cells {
            return json_cell(json_value(field, object), field);
        }
        let Some((index, _)) = &field.column else {
            return Ok(field.unfilled());
        };
        match &record.cells {
            RawCells::Text(row) => match std::str::from_utf8(row.get(*index).unwrap_or_default()) {
                Ok(text) => read_cell(text, &field.ty, field.optional),
                Err(_) => Err(Unfit::NotUtf8),
            },
            RawCells::Json(object) => json_cell(json_value(field, object), field),
            RawCells::Sheet(row) => sheet_cell(row.get(*index).unwrap_or(&SheetCell::Empty), field),
        }
    }

    fn error(
        &self,
        field: &FieldColumn,
        record: &RawRecord,
        at: Location,
        unfit: Unfit,
    ) -> DataError {
        let column = field
            .column
            .as_ref()
            .map_or_else(|| field.name.clone(), |(_, h)| h.clone());
        let value = quoted(&raw_text(field, record));
        if value.trim().is_empty() && !field.optional {
            return DataError::Blank {
                at,
                column,
                field: field.name.clone(),
            };
        }
        DataError::BadValue {
            at,
            column,
            expected: unfit.expected(&field.ty),
            help: unfit.help(&field.ty, &value),
            value,
        }
    }
}

/// A field's value in a JSON object: under the first record's key for it,
/// else its name, else its label.
fn json_value<'o>(
    field: &FieldColumn,
    object: &'o serde_json::Map<String, serde_json::Value>,
) -> Option<&'o serde_json::Value> {
    field
        .column
        .as_ref()
        .and_then(|(_, header)| object.get(header.as_str()))
        .or_else(|| object.get(&field.name))
        .or_else(|| field.label.as_ref().and_then(|label| object.get(label)))
}

/// The position of the column headed `name` (exactly, after trimming and
/// reading full-width letters as ASCII, or ignoring case).
pub fn find_column(columns: &[String], name: &str) -> Option<usize> {
    let wanted = heading_key(name);
    let headers: Vec<String> = columns.iter().map(|c| heading_key(c)).collect();
    headers.iter().position(|h| *h == wanted).or_else(|| {
        headers
            .iter()
            .position(|h| h.to_lowercase() == wanted.to_lowercase())
    })
}

/// A column that fills no field but is wanted in reports (a peer group
/// such as a district), found by its header.
#[derive(Clone, Debug)]
pub struct Extra(FieldColumn);

impl Extra {
    /// The column headed `name` (exactly, after trimming and reading
    /// full-width letters as ASCII, or ignoring case), if the source has one.
    pub fn find(columns: &[String], name: &str) -> Option<Extra> {
        find_column(columns, name).map(|index| Extra::at(columns, index))
    }

    /// The column at `index` of `columns`.
    pub fn at(columns: &[String], index: usize) -> Extra {
        Extra(FieldColumn {
            name: columns[index].clone(),
            label: None,
            ty: FieldType::Text,
            kind: Kind::Other,
            optional: true,
            absent: false,
            column: Some((index, columns[index].clone())),
        })
    }

    /// The column's position.
    pub fn index(&self) -> Option<usize> {
        self.0.column.as_ref().map(|(index, _)| *index)
    }

    /// The column's text in a record.
    pub fn text(&self, record: &RawRecord) -> String {
        raw_text(&self.0, record).trim().to_owned()
    }
}

fn raw_text(field: &FieldColumn, record: &RawRecord) -> String {
    if let RawCells::Json(object) = &record.cells {
        return match json_value(field, object) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
    }
    match &field.column {
        Some((index, _)) => cell_text(record, *index),
        None => String::new(),
    }
}

/// The text of the cell in column `index` of a CSV or sheet row, as a
/// person reads it (a percent cell as `30%`, a sheet's TRUE as `TRUE`);
/// empty for JSON and for a cell the row does not have.
pub fn cell_text(record: &RawRecord, index: usize) -> String {
    match &record.cells {
        RawCells::Json(_) => String::new(),
        RawCells::Text(row) => row
            .get(index)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default(),
        RawCells::Sheet(row) => match row.get(index) {
            None | Some(SheetCell::Empty) => String::new(),
            Some(SheetCell::Text(t) | SheetCell::Number(t) | SheetCell::Error(t)) => t.clone(),
            Some(SheetCell::Fraction(f)) => values::read_number(f).map_or_else(
                || f.clone(),
                |n| format!("{}%", (n * rust_decimal::Decimal::ONE_HUNDRED).normalize()),
            ),
            Some(SheetCell::Bool(b)) => b.to_string().to_uppercase(),
            Some(SheetCell::Date(d)) => d.to_string(),
            Some(SheetCell::Damaged(what)) => format!("(unreadable cell: {what})"),
        },
    }
}

fn json_cell(value: Option<&serde_json::Value>, field: &FieldColumn) -> Result<Cell, Unfit> {
    use serde_json::Value as J;
    match value {
        None | Some(J::Null) => read_cell("", &field.ty, field.optional),
        Some(J::String(text)) => read_cell(text, &field.ty, field.optional),
        Some(J::Bool(b)) => match field.ty {
            FieldType::Bool => Ok(Cell::Value(Value::Bool(*b))),
            _ => read_cell(&b.to_string(), &field.ty, field.optional),
        },
        Some(J::Number(n)) => read_cell(&n.to_string(), &field.ty, field.optional),
        Some(J::Array(_) | J::Object(_)) => Err(Unfit::WrongKind(
            "a cell holds one value, not a list or an object",
        )),
    }
}

fn sheet_cell(cell: &SheetCell, field: &FieldColumn) -> Result<Cell, Unfit> {
    match (cell, &field.ty) {
        (SheetCell::Empty, _) => read_cell("", &field.ty, field.optional),
        (SheetCell::Text(text) | SheetCell::Number(text), _) => {
            read_cell(text, &field.ty, field.optional)
        }
        // A cell shown as 30% stores 0.3: that fraction is the percent's value.
        (SheetCell::Fraction(text), FieldType::Percent) => values::read_number(text)
            .map(|n| Cell::Value(Value::Number(n)))
            .ok_or(Unfit::Unreadable),
        (SheetCell::Fraction(text), _) => read_cell(text, &field.ty, field.optional),
        (SheetCell::Bool(b), FieldType::Bool) => Ok(Cell::Value(Value::Bool(*b))),
        (SheetCell::Bool(b), _) => read_cell(&b.to_string(), &field.ty, field.optional),
        (SheetCell::Date(d), FieldType::Date) => Ok(Cell::Value(Value::Date(*d))),
        (SheetCell::Date(d), FieldType::Text) => Ok(Cell::Value(Value::Text(d.to_string()))),
        (SheetCell::Date(_), _) => Err(Unfit::WrongKind("the cell holds a date")),
        (SheetCell::Error(_), _) => Err(Unfit::WrongKind(
            "the cell holds a spreadsheet error; fix its formula",
        )),
        (SheetCell::Damaged(_), _) => Err(Unfit::WrongKind(
            "the workbook holds no readable value for this cell; open the file in a spreadsheet program, check the cell and save it again",
        )),
    }
}
