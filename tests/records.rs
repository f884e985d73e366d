//! Every record accounted for (issue 18): a bad spot in a file loses
//! nothing around it. Each record is either scored or named in a data
//! error with its line, whatever the file's format.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{stderr, stdout};

const STANDARD: &str = "tests/data/semantics.std";

fn scratch(name: &str) -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("records");
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    directory.join(name)
}

/// `eval` of the semantics standard on a scratch file written with
/// `bytes`, as CSV, run in the scratch directory.
fn eval_bytes(name: &str, bytes: &[u8]) -> Output {
    std::fs::write(scratch(name), bytes).expect("written");
    let standard = Path::new(env!("CARGO_MANIFEST_DIR")).join(STANDARD);
    Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(["eval", &standard.to_string_lossy(), name, "--format", "csv"])
        .current_dir(scratch(""))
        .output()
        .expect("the binary runs")
}

/// The units in CSV results (the lines after the heading).
fn units(output: &Output) -> Vec<String> {
    stdout(output)
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap_or_default().to_owned())
        .collect()
}

/// A JSON Lines record of a unit that passes every rule.
fn line(unit: &str) -> String {
    format!(
        r#"{{"unit": "{unit}", "kind": "行政", "bins": true, "waste": 0, "coverage": 35, "extra": false}}"#
    )
}

#[test]
fn a_line_that_is_not_utf8_loses_only_itself() {
    let mut bytes = Vec::new();
    for i in 1..=20_000 {
        let text = line(&format!("U{i}"));
        if i == 10_000 {
            bytes.extend(
                text.replace("U10000", "U1\u{0}")
                    .as_bytes()
                    .iter()
                    .map(|&b| if b == 0 { 0xFF } else { b }),
            );
        } else {
            bytes.extend(text.as_bytes());
        }
        bytes.push(b'\n');
    }
    let output = eval_bytes("one-bad-byte.jsonl", &bytes);
    assert_eq!(output.status.code(), Some(3));
    let scored = units(&output);
    assert_eq!(scored.len(), 19_999);
    assert!(!scored.contains(&"U10000".to_owned()));
    assert!(scored.contains(&"U20000".to_owned()));
    let messages = stderr(&output);
    assert!(
        messages.contains("one-bad-byte.jsonl line 10000: not valid JSON"),
        "{messages}"
    );
    assert!(messages.contains("1 data error"), "{messages}");
}

#[test]
fn a_byte_order_mark_or_a_bad_first_line_loses_nothing_else() {
    let records = format!("{}\n{}\n", line("甲"), line("乙"));
    let output = eval_bytes("bom.jsonl", format!("\u{FEFF}{records}").as_bytes());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(units(&output), ["甲", "乙"]);
    let output = eval_bytes("bad-first.jsonl", format!("{{oops\n{records}").as_bytes());
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(units(&output), ["甲", "乙"]);
    assert!(stderr(&output).contains("bad-first.jsonl line 1: not valid JSON"));
}

#[test]
fn text_after_a_json_array_is_an_error_and_the_records_are_kept() {
    let array = format!("[{}, {}]\nnot json", line("甲"), line("乙"));
    let output = eval_bytes("after.json", array.as_bytes());
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(units(&output), ["甲", "乙"]);
    let messages = stderr(&output);
    assert!(
        messages.contains("after.json record 2: the array is closed"),
        "{messages}"
    );
    assert!(messages.contains("text follows: `not"), "{messages}");
}

#[test]
fn a_record_lacking_a_key_the_first_record_has_is_one_error() {
    let lacking = r#"{"unit": "乙", "kind": "行政", "bins": true, "coverage": 35}"#;
    let text = format!("{lacking}\n{}\n", line("甲"));
    let output = eval_bytes("lacking.jsonl", text.as_bytes());
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(units(&output), ["乙", "甲"]);
    let messages = stderr(&output);
    assert!(
        messages.contains("lacking.jsonl line 1, column `waste`: blank"),
        "{messages}"
    );
    assert!(messages.contains("1 data error"), "{messages}");
}

#[test]
fn a_key_given_twice_is_named_with_both_values() {
    let twice =
        r#"{"unit": "甲", "kind": "行政", "bins": true, "waste": 0, "waste": 3, "coverage": 35}"#;
    let output = eval_bytes("twice.jsonl", format!("{twice}\n").as_bytes());
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(units(&output), ["甲"]);
    let messages = stderr(&output);
    assert!(
        messages.contains("key `waste` is given twice (0 and 3)"),
        "{messages}"
    );
}

#[test]
fn a_heading_that_differs_only_in_case_is_not_ignored() {
    let text = "unit,kind,bins,waste,coverage,Waste\n甲,行政,是,0,35,2\n";
    let output = eval_bytes("case.csv", text.as_bytes());
    assert_eq!(output.status.code(), Some(3));
    let messages = stderr(&output);
    assert!(
        messages.contains("columns `waste` and `Waste` both fill field `waste`"),
        "{messages}"
    );
}

#[test]
fn a_huge_cell_is_quoted_short() {
    let huge = "9".repeat(5_000_000);
    let text = format!("unit,kind,bins,waste,coverage\n甲,行政,是,x{huge},35\n");
    let output = eval_bytes("huge.csv", text.as_bytes());
    assert_eq!(output.status.code(), Some(3));
    let messages = stderr(&output);
    assert!(
        messages.len() < 4_000,
        "{} bytes of messages",
        messages.len()
    );
    assert!(
        messages.contains("(5000001 characters in all)"),
        "{messages}"
    );
}

/// The semantics data as a workbook written by rust_xlsxwriter, then its
/// sheet's XML changed by `damage`, as a broken file would be.
fn damaged_workbook(name: &str, rows: u32, damage: impl Fn(String) -> String) -> Output {
    changed_workbook(name, rows, |part, bytes| match part {
        "xl/worksheets/sheet1.xml" => damage(String::from_utf8(bytes).expect("XML")).into_bytes(),
        _ => bytes,
    })
}

/// The semantics data as a workbook written by rust_xlsxwriter, each part
/// then changed by `change` (given its name and bytes).
fn changed_workbook(name: &str, rows: u32, change: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Output {
    use std::io::{Read, Write};
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, heading) in ["unit", "kind", "bins", "waste", "coverage"]
        .iter()
        .enumerate()
    {
        sheet
            .write_string(0, u16::try_from(column).expect("a column"), *heading)
            .expect("a cell");
    }
    for row in 1..=rows {
        sheet
            .write_string(row, 0, format!("U{row}"))
            .expect("a cell");
        sheet.write_string(row, 1, "行政").expect("a cell");
        sheet.write_boolean(row, 2, true).expect("a cell");
        sheet.write_number(row, 3, 0).expect("a cell");
        sheet.write_number(row, 4, 35).expect("a cell");
    }
    let whole = workbook.save_to_buffer().expect("a workbook");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(whole)).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("an entry");
        let name = entry.name().expect("a name").to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        bytes = change(&name, bytes);
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("an entry");
        out.write_all(&bytes).expect("written");
    }
    let bytes = out.finish().expect("a zip").into_inner();
    eval_bytes(name, &bytes)
}

#[test]
fn a_sheet_cut_short_keeps_the_rows_before_the_cut() {
    let output = damaged_workbook("cut.xlsx", 20_000, |xml| {
        let cut = xml.find("<row r=\"10001\"").expect("row 10001");
        xml[..cut + 20].to_owned()
    });
    assert_eq!(output.status.code(), Some(3));
    let scored = units(&output);
    assert_eq!(scored.len(), 9_999, "rows 2 to 10000");
    assert_eq!(scored.last().map(String::as_str), Some("U9999"));
    assert!(stderr(&output).contains("cut.xlsx"), "{}", stderr(&output));
}

#[test]
fn an_unreadable_cell_is_an_error_where_it_stands() {
    // The unit of row 3 points past the shared strings; rows go on after it.
    let output = damaged_workbook("strings.xlsx", 5, |xml| {
        let row = xml.find("<row r=\"3\"").expect("row 3");
        let value = row + xml[row..].find("<v>").expect("a value");
        let end = value + xml[value..].find("</v>").expect("its end");
        format!("{}<v>999</v>{}", &xml[..value], &xml[end + 4..])
    });
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(units(&output).len(), 5);
    let messages = stderr(&output);
    assert!(
        messages.contains("strings.xlsx [Sheet1] row 3, column `unit`"),
        "{messages}"
    );
    assert!(messages.contains("1 data error"), "{messages}");
}

#[test]
fn arithmetic_past_the_decimals_range_is_a_data_error_not_a_silent_missing() {
    let standard = "standard big {\n  title \"大數\"\n  key unit\n}\n\nfields {\n  unit text\n  x number\n}\n\nlet cube = x * x * x\n\nrule R1 \"立方\": cube > 0\nrule R2 \"除法\": x / (x - x) > 0\n";
    std::fs::write(scratch("big.std"), standard).expect("written");
    std::fs::write(scratch("big.csv"), "unit,x\n小,10\n大,100000000000\n").expect("written");
    let output = Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(["eval", "big.std", "big.csv", "--format", "csv"])
        .current_dir(scratch(""))
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(3));
    // Division by zero is missing by the specification, and not an error.
    insta::assert_snapshot!("overflow", stderr(&output));
}

mod every_record_accounted_for {
    use std::sync::Arc;

    use proptest::prelude::*;
    use yardstick::batch::{self, Options};
    use yardstick::data::{self, DataError, OpenOptions};
    use yardstick::eval::catalog::Catalog;
    use yardstick::eval::compile::compile;
    use yardstick::report::json::Json;

    /// What a batch made of a file: records scored, and its data errors.
    fn scored(path: &str) -> (u64, Vec<DataError>) {
        let text = std::fs::read_to_string(super::STANDARD).expect("the standard");
        let checked = yardstick::compile(super::STANDARD, Arc::from(text));
        let standard = Arc::new(checked.standard.expect("a valid standard"));
        let catalog = Catalog::single(compile(Arc::clone(&standard)).expect("compiled"));
        let mut errors = Vec::new();
        let mut sources = Vec::new();
        match data::open_scored(path, &OpenOptions::default(), &[&standard]) {
            Ok((source, _)) => sources.push(source),
            Err(error) => errors.push(error),
        }
        let options = Options {
            jobs: 2,
            ..Options::default()
        };
        let mut sink = Vec::new();
        let finished = batch::run(
            &catalog,
            sources,
            &Json { lines: true },
            &mut sink,
            &options,
        )
        .expect("run");
        errors.extend(finished.summary.errors);
        (finished.summary.records, errors)
    }

    /// A cell an inspector might type, well or badly.
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("0".to_owned()),
            Just("35".to_owned()),
            Just("是".to_owned()),
            Just("行政".to_owned()),
            Just(String::new()),
            Just("也許".to_owned()),
            Just("\"引號,內\"".to_owned()),
            Just("\"兩\n行\"".to_owned()),
            Just("a\"b".to_owned()),
            "[a-z0-9 ]{0,6}",
        ]
    }

    fn rows() -> impl Strategy<Value = Vec<Vec<String>>> {
        prop::collection::vec(prop::collection::vec(cell(), 3..7), 0..40)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Every record of a CSV file, as the csv crate reads it, is scored
        /// or named in a data error.
        #[test]
        fn csv_records_are_scored_or_named(rows in rows(), blank_every in 2usize..9) {
            let mut text = String::from("unit,kind,bins,waste,coverage\n");
            for (i, row) in rows.iter().enumerate() {
                if i % blank_every == 0 {
                    text.push('\n');
                }
                text.push_str(&row.join(","));
                text.push_str(if i % 3 == 0 { "\r\n" } else { "\n" });
            }
            let path = super::scratch("accounted.csv");
            std::fs::write(&path, &text).expect("written");
            let in_file = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(text.as_bytes())
                .records()
                .count() as u64;
            let (records, errors) = scored(&path.to_string_lossy());
            let unterminated = errors
                .iter()
                .filter(|e| matches!(e, DataError::UnterminatedQuote { .. }))
                .count() as u64;
            // A quote left open swallows the rest of the file into one
            // record, which the error names.
            prop_assert!(
                records == in_file || (unterminated == 1 && records + 1 == in_file),
                "{records} scored of {in_file}; errors {errors:?}\n{text}"
            );
        }

        /// Every non-blank line of a JSON Lines file is scored or named.
        #[test]
        fn json_lines_are_scored_or_named(lines in prop::collection::vec(prop_oneof![
            Just(r#"{"unit": "甲", "kind": "行政", "bins": true, "waste": 0, "coverage": 35}"#.to_owned()),
            Just(r#"{"unit": "乙", "kind": "行", "waste": "x"}"#.to_owned()),
            Just(r#"{"unit": "丙", "unit": "丁"}"#.to_owned()),
            Just("[1, 2]".to_owned()),
            Just("{oops".to_owned()),
            Just(String::new()),
            Just("\u{FEFF}{\"unit\": \"戊\"}".to_owned()),
        ], 0..40)) {
            let text = lines.join("\n");
            let path = super::scratch("accounted.jsonl");
            std::fs::write(&path, &text).expect("written");
            let (records, errors) = scored(&path.to_string_lossy());
            let lines_in = lines.iter().filter(|l| !l.trim().is_empty()).count() as u64;
            let named = errors
                .iter()
                .filter(|e| match e {
                    DataError::Malformed { message, .. } => !message.contains("given twice"),
                    _ => false,
                })
                .count() as u64;
            prop_assert_eq!(records + named, lines_in, "errors {:?}\n{}", errors, text);
        }
    }
}

#[test]
fn a_workbook_that_decompresses_past_the_limits_is_refused_before_it_is_read() {
    // Two million and one distinct texts, a few hundred kilobytes zipped.
    let output = changed_workbook("strings-bomb.xlsx", 3, |part, bytes| match part {
        "xl/sharedStrings.xml" => {
            let mut xml = String::from("<sst count=\"1\">");
            for i in 0..2_000_001u32 {
                xml.push_str(&format!("<si><t>{i}</t></si>"));
            }
            xml.push_str("</sst>");
            xml.into_bytes()
        }
        _ => bytes,
    });
    assert_eq!(output.status.code(), Some(3));
    let messages = stderr(&output);
    assert!(
        messages.contains("`xl/sharedStrings.xml` holds more than"),
        "{messages}"
    );
    assert!(messages.contains("2000000 distinct"), "{messages}");
    // 65 MB of styles.
    let output = changed_workbook("styles-bomb.xlsx", 3, |part, bytes| match part {
        "xl/styles.xml" => {
            let mut xml = bytes;
            xml.extend(std::iter::repeat_n(b' ', 65 * 1024 * 1024));
            xml
        }
        _ => bytes,
    });
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("`xl/styles.xml` holds more than"),
        "{}",
        stderr(&output)
    );
    // One cell of two megabytes.
    let output = damaged_workbook("long-cell.xlsx", 3, |xml| {
        xml.replacen(
            "<v>35</v>",
            &format!("<v>{}</v>", "9".repeat(2 * 1024 * 1024)),
            1,
        )
    });
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("has a value longer than"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_key_that_spans_lines_is_warned_of() {
    // A quote opened in row 2's key is closed in row 4's: rows 2-4 are one record.
    let text = "unit,kind,bins,waste,coverage\n\"甲,行政,是,0,35\n乙,行政,是,0,35\n丙\",行政,是,0,35\n丁,行政,是,0,35\n";
    let output = eval_bytes("stray-quote.csv", text.as_bytes());
    assert_eq!(output.status.code(), Some(0), "a warning, not an error");
    let results = stdout(&output);
    assert!(
        results.contains("\"甲,行政,是,0,35\n乙,行政,是,0,35\n丙\""),
        "{results}"
    );
    assert!(results.contains("\n丁,"), "{results}");
    insta::assert_snapshot!("key_spans_lines", stderr(&output));
}

#[test]
fn a_formula_whose_value_was_never_computed_is_an_error_not_a_blank() {
    // As a program writes a formula without computing it: no `<v>`.
    let output = damaged_workbook("formula.xlsx", 3, |xml| {
        let cell = xml.find("<c r=\"D3\"").expect("cell D3");
        let end = cell + xml[cell..].find("</c>").expect("its end");
        format!(
            "{}<c r=\"D3\"><f>SUM(D1:D2)</f></c>{}",
            &xml[..cell],
            &xml[end + 4..]
        )
    });
    assert_eq!(output.status.code(), Some(3));
    let messages = stderr(&output);
    assert!(
        messages.contains("formula.xlsx [Sheet1] row 3, column `waste`"),
        "{messages}"
    );
    assert!(messages.contains("never computed"), "{messages}");
}

#[test]
fn a_workbook_the_spreadsheet_reader_asserts_on_is_a_data_error_not_a_crash() {
    // Found by fuzzing `eval_data`: an OLE header whose sizes make calamine assert.
    let bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz/cfb-assert.xls"))
            .expect("the fixture");
    let output = eval_bytes("cfb-assert.xls", &bytes);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("the workbook is damaged"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
}
