//! CSV records typed the way a batch types them (a plain line as its
//! delimiters are found, a quoted one cell by cell) against each cell's text
//! read alone by `read_cell`: the same cells, one data error for each cell
//! that does not fit, and one for a row of the wrong length.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::sync::Arc;

use proptest::prelude::*;
use yardstick::data::csv::cut::TextPiece;
use yardstick::data::csv::split::Splitter;
use yardstick::data::schema::Schema;
use yardstick::data::values::read_cell;
use yardstick::data::{Place, RowUnit};
use yardstick::value::Cell;

/// Field types, the last three `one of`s: two whose choices are read
/// exactly (one with a comma in a choice), one whose choice has spaces
/// around it (read the long way only).
const TYPES: [&str; 9] = [
    "bool",
    "count",
    "number",
    "percent",
    "date",
    "text",
    "one of (\"行政\", \"A\", \"AB\")",
    "one of (\" 甲 \", \"乙\")",
    "one of (\"A,B\", \"C\")",
];

/// Cell texts that fit some types and not others.
const CELLS: [&str; 36] = [
    "",
    "0",
    "1",
    "12",
    "1.5",
    ".5",
    "1.",
    "1.2.3",
    "true",
    "false",
    "TRUE",
    "是",
    "否",
    "有",
    " 3",
    "3 ",
    "１２",
    "-1",
    "1,234",
    "30%",
    "1234567890123456789",
    "123456789012345678",
    "2015-06-30",
    "2015/6/30",
    "2015-13-01",
    "2015-06-300",
    "行政",
    "A",
    "AB",
    "ABC",
    "甲",
    " 甲 ",
    "x y",
    "U0001",
    "\"q,1\"",
    "\"\"",
];

/// Cell texts that fit each of [`TYPES`].
const FITTING: [&[&str]; 9] = [
    &["true", "false", "1", "0", "是", "否", "有"],
    &["0", "3", "12", "123456789012345678"],
    &["1.5", "12", ".5", "1.", "0"],
    &["30", "30.5", "30%", "0"],
    &["2015-06-30", "2015/6/30"],
    &["U0001", "行政", "x y"],
    &["行政", "A", "AB"],
    &["甲", "乙"],
    &["A,B", "C"],
];

/// Delimiters: the sniffed ones, and ones that plain forms hold (a number's
/// `.`, a date's `-`, a digit, a letter of `true`).
const DELIMITERS: [u8; 8] = [b',', b';', b'\t', b'|', b'.', b'-', b'1', b'e'];

/// A standard with `types` as fields `f0..` (optional where flagged).
fn standard(types: &[(usize, bool)]) -> yardstick::check::Standard {
    let mut text = String::from("standard typing {\n  key f0\n}\n\nfields {\n");
    for (i, (ty, optional)) in types.iter().enumerate() {
        let mark = if *optional { "?" } else { "" };
        text.push_str(&format!("  f{i} {}{mark}\n", TYPES[*ty]));
    }
    text.push_str(
        "}\n\nsection S \"節\" {\n  rule R \"規則\" {\n    require true\n    points 1\n  }\n}\n",
    );
    yardstick::compile("typing.std", Arc::from(text))
        .standard
        .expect("the generated standard checks")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn lines_are_typed_as_each_cell_read_alone(
        types in prop::collection::vec((0..TYPES.len(), any::<bool>()), 1..7),
        extra in 0usize..3,
        delimiter in prop::sample::select(DELIMITERS.to_vec()),
        order in any::<prop::sample::Index>(),
        rows in prop::collection::vec(
            (prop::collection::vec((0..CELLS.len(), 0usize..6), 0..12), 0usize..5),
            1..5,
        ),
    ) {
        let standard = standard(&types);
        // The fields' columns in some order, with columns that fill none.
        let mut columns: Vec<String> = (0..types.len()).map(|i| format!("f{i}")).collect();
        columns.extend((0..extra).map(|i| format!("x{i}")));
        let turn = order.index(columns.len());
        columns.rotate_left(turn);
        if turn % 2 == 1 {
            columns.reverse();
        }
        let file: Arc<str> = Arc::from("typing.csv");
        let schema = Schema::new(&standard, &columns, &file)
            .expect("every field has a column")
            .for_delimiter(delimiter);
        let (mut text, mut lines) = (Vec::new(), 0);
        for (cells, length) in &rows {
            // Mostly as many cells as columns; sometimes one more or fewer.
            let width = match length {
                0 => columns.len().saturating_sub(1).max(1),
                1 => columns.len() + 1,
                _ => columns.len(),
            };
            // Mostly a text that fits the column's field, so that whole
            // lines fit too; else a blank, or any.
            let line: Vec<&str> = (0..width)
                .map(|i| {
                    let (any, fit) = cells.get(i).copied().unwrap_or((1, 1));
                    let field = columns.get(i).and_then(|c| c.strip_prefix('f'));
                    match field.and_then(|f| f.parse::<usize>().ok()) {
                        _ if fit == 0 => "",
                        Some(f) if fit > 1 => {
                            let fitting = FITTING[types[f].0];
                            fitting[any % fitting.len()]
                        }
                        _ => CELLS[any],
                    }
                })
                .collect();
            let line = line.join(&char::from(delimiter).to_string());
            // A blank line is no record.
            lines += usize::from(!line.is_empty());
            text.extend_from_slice(line.as_bytes());
            text.push(b'\n');
        }
        let piece = TextPiece { bytes: text, first_line: 2 };
        let place = Place { file: Arc::clone(&file), sheet: None, unit: RowUnit::Line };
        let (mut cells, mut errors) = (Vec::new(), Vec::new());
        let mut records = 0;
        let mut checked = Ok(());
        Splitter::new(delimiter).split(&piece, delimiter, |raw| {
            records += 1;
            errors.clear();
            schema.cells(raw, &place, &mut cells, &mut errors);
            let mut expected_errors = usize::from(cell_count(raw) != columns.len());
            for (i, field) in standard.fields.iter().enumerate() {
                let text = schema.text_of(i, raw);
                let expected = read_cell(&text, &field.ty, field.optional);
                expected_errors += usize::from(expected.is_err());
                let expected = expected.unwrap_or(Cell::Missing);
                if checked.is_ok() && cells[i] != expected {
                    checked = Err(format!("row {}, f{i} `{text}`: {:?}, not {expected:?}", raw.row, cells[i]));
                }
            }
            if checked.is_ok() && errors.len() != expected_errors {
                checked = Err(format!("row {}: {} errors, not {expected_errors}: {errors:?}", raw.row, errors.len()));
            }
        });
        prop_assert_eq!(records, lines);
        prop_assert_eq!(checked, Ok(()));
    }
}

/// The number of cells a raw CSV record has.
fn cell_count(raw: &yardstick::data::RawRecord) -> usize {
    match &raw.cells {
        yardstick::data::RawCells::Text(row) => row.len(),
        _ => panic!("a CSV record"),
    }
}
