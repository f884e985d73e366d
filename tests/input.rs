//! Files as offices have them (SPEC §2): GB18030/GBK and UTF-16 text,
//! `.xls` and `.ods` workbooks made by a real spreadsheet program, formats
//! known by content, title rows and two rows of headings above the labels,
//! headings broken with Alt+Enter, Simplified characters against a
//! Traditional standard. Each scores byte for byte as the clean UTF-8 CSV.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{stderr, stdout};
use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

const STANDARD: &str = "standards/office_environment/2015.std";
const DATA: &str = "examples/inspections-2015.csv";

fn manifest(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .to_string_lossy()
        .into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("input");
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    directory.join(name)
}

/// Runs yardstick in the scratch directory, so that messages name scratch
/// files by their bare names.
fn yardstick(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(args)
        .current_dir(scratch(""))
        .output()
        .expect("the binary runs")
}

/// `eval` of the founding standard on a scratch file, as CSV.
fn eval(file: &str, more: &[&str]) -> Output {
    let standard = manifest(STANDARD);
    let mut args = vec!["eval", standard.as_str(), file, "--format", "csv"];
    args.extend_from_slice(more);
    yardstick(&args)
}

/// The results of the clean UTF-8 CSV, which every other form must match.
fn clean_results() -> String {
    let output = eval(&manifest(DATA), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

fn data_text() -> String {
    std::fs::read_to_string(manifest(DATA)).expect("the example data")
}

fn assert_scores_as_clean(file: &str, more: &[&str]) -> Output {
    let output = eval(file, more);
    assert_eq!(output.status.code(), Some(0), "{file}: {}", stderr(&output));
    assert_eq!(stdout(&output), clean_results(), "{file}");
    output
}

#[test]
fn gbk_and_utf16_text_scores_as_utf8() {
    let text = data_text();
    let (gbk, _, unmappable) = GB18030.encode(&text);
    assert!(!unmappable);
    let mut utf16le = vec![0xFF, 0xFE];
    let mut utf16be = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        utf16le.extend(unit.to_le_bytes());
        utf16be.extend(unit.to_be_bytes());
    }
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(text.as_bytes());
    for (name, bytes) in [
        ("gbk.csv", gbk.into_owned()),
        ("utf16le.csv", utf16le),
        ("utf16be.csv", utf16be),
        ("bom.csv", bom),
    ] {
        std::fs::write(scratch(name), bytes).expect("written");
        let output = assert_scores_as_clean(name, &[]);
        assert!(stderr(&output).is_empty(), "{name}: {}", stderr(&output));
    }
    // The encoders agree with the ones the test used.
    assert_eq!(
        UTF_16LE
            .decode(&std::fs::read(scratch("utf16le.csv")).expect("read"))
            .0,
        text
    );
    assert_eq!(
        UTF_16BE
            .decode(&std::fs::read(scratch("utf16be.csv")).expect("read"))
            .0,
        text
    );
}

#[test]
fn an_encoding_can_be_named() {
    let text = data_text();
    std::fs::write(scratch("named-gbk.csv"), GB18030.encode(&text).0).expect("written");
    assert_scores_as_clean("named-gbk.csv", &["--encoding", "gbk"]);
    assert_scores_as_clean("named-gbk.csv", &["--encoding", "GB18030"]);
    assert_scores_as_clean(&manifest(DATA), &["--encoding", "utf-8"]);
    let output = eval("named-gbk.csv", &["--encoding", "klingon"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`--encoding klingon`: no such encoding"));
}

#[test]
fn bytes_valid_in_no_encoding_are_one_error_not_garbled_columns() {
    // Latin-1 text with control bytes: valid in none of UTF-8, UTF-16 or GB18030.
    std::fs::write(
        scratch("latin1.csv"),
        b"unit_id,caf\xE9\n\xFF\x01,\xE9\x02\n",
    )
    .expect("written");
    let output = eval("latin1.csv", &[]);
    assert_eq!(output.status.code(), Some(3));
    let messages = stderr(&output);
    assert!(!messages.contains("no column"), "{messages}");
    assert_eq!(messages.matches("×").count(), 1, "{messages}");
    insta::assert_snapshot!("not_text", messages);
}

#[test]
fn workbooks_made_by_libreoffice_score_as_the_csv() {
    for fixture in [
        "tests/data/office/inspections-2015.xls",
        "tests/data/office/inspections-2015.ods",
    ] {
        assert_scores_as_clean(&manifest(fixture), &[]);
    }
}

#[test]
fn a_workbook_is_known_by_its_content_not_its_name() {
    let xls = std::fs::read(manifest("tests/data/office/inspections-2015.xls")).expect("xls");
    let ods = std::fs::read(manifest("tests/data/office/inspections-2015.ods")).expect("ods");
    write_workbook("typed.xlsx", &[], |sheet, row, column, text| {
        sheet.write_string(row, column, text).map(|_| ())
    });
    let xlsx = std::fs::read(scratch("typed.xlsx")).expect("xlsx");
    for (name, bytes) in [
        ("xls-named.xlsx", &xls),
        ("xls-named.csv", &xls),
        ("ods-named.xls", &ods),
        ("xlsx-named.xls", &xlsx),
        ("xlsx-named.csv", &xlsx),
    ] {
        std::fs::write(scratch(name), bytes).expect("written");
        assert_scores_as_clean(name, &[]);
    }
    // CSV text saved with a workbook's name is read as the text it is.
    std::fs::write(scratch("text-named.xls"), data_text()).expect("written");
    assert_scores_as_clean("text-named.xls", &[]);
    // A web page saved as ".xls", as some systems export "Excel" files.
    std::fs::write(
        scratch("page.xls"),
        "<html><body><table><tr><td>受檢科室</td></tr></table></body></html>",
    )
    .expect("written");
    let output = eval("page.xls", &[]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("a web page (HTML)"),
        "{}",
        stderr(&output)
    );
}

/// Writes the example data as a workbook named `name` in the scratch
/// directory: `above` rows first (each a list of (column, text, merged
/// columns, merged rows)), then the CSV's header and rows, each cell
/// written by `write` with its text.
fn write_workbook(
    name: &str,
    above: &[Vec<(u16, &str, u16, u32)>],
    write: impl Fn(&mut Worksheet, u32, u16, &str) -> Result<(), rust_xlsxwriter::XlsxError>,
) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let merged = Format::new();
    for (row, cells) in above.iter().enumerate() {
        let row = u32::try_from(row).expect("a row");
        for &(column, text, columns, rows) in cells {
            if columns > 1 || rows > 1 {
                sheet
                    .merge_range(
                        row,
                        column,
                        row + rows - 1,
                        column + columns - 1,
                        text,
                        &merged,
                    )
                    .expect("merged");
            } else {
                sheet.write_string(row, column, text).expect("a cell");
            }
        }
    }
    let first = u32::try_from(above.len()).expect("a row");
    for (row, line) in data_text().lines().enumerate() {
        let row = first + u32::try_from(row).expect("a row");
        for (column, cell) in line.split(',').enumerate() {
            if !cell.is_empty() {
                write(sheet, row, u16::try_from(column).expect("a column"), cell).expect("a cell");
            }
        }
    }
    workbook
        .save(scratch(name))
        .expect("the workbook is written");
}

/// The example data with the `one of` column (科室類型, the second) of
/// the rows `which` picks in Simplified characters.
fn with_simplified_kinds(which: impl Fn(usize) -> bool) -> String {
    data_text()
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let mut cells: Vec<String> = line.split(',').map(str::to_owned).collect();
            if i > 0 && which(i) {
                cells[1] = yardstick::hanzi::to_simplified(&cells[1]);
            }
            format!("{}\n", cells.join(","))
        })
        .collect()
}

#[test]
fn headings_below_a_merged_title_row_are_found_and_the_title_named() {
    let width = u16::try_from(
        data_text()
            .lines()
            .next()
            .expect("a header")
            .split(',')
            .count(),
    )
    .expect("a width");
    let title = vec![(0, "2015年機關環境衛生檢查記錄表", width, 1)];
    write_workbook("title.xlsx", &[title], |sheet, row, column, text| {
        sheet.write_string(row, column, text).map(|_| ())
    });
    let output = assert_scores_as_clean("title.xlsx", &[]);
    insta::assert_snapshot!("title_row_note", stderr(&output));
}

#[test]
fn two_rows_of_headings_are_read_from_the_row_of_labels() {
    // A group row: 基本情況 over the first four columns, the key's heading
    // merged down over both rows (so the row of labels has it blank), and
    // 環境衛生 over the rest.
    write_workbook(
        "two-rows.xlsx",
        &[vec![(1, "基本情況", 3, 1), (4, "環境衛生", 30, 1)]],
        |sheet, row, column, text| {
            if row == 1 && column == 0 {
                // The label row's first heading is merged up into the group row.
                return sheet
                    .merge_range(0, 0, 1, 0, text, &Format::new())
                    .map(|_| ());
            }
            sheet.write_string(row, column, text).map(|_| ())
        },
    );
    let output = assert_scores_as_clean("two-rows.xlsx", &[]);
    let messages = stderr(&output);
    assert!(messages.contains("rows above were skipped"), "{messages}");
    assert!(messages.contains("基本情況 / 環境衛生"), "{messages}");
}

#[test]
fn headings_broken_with_alt_enter_or_written_in_simplified_characters_match() {
    write_workbook("alt-enter.xlsx", &[], |sheet, row, column, text| {
        let text = if row == 0 {
            // Alt+Enter before a bracket, or in the middle of the heading.
            match text.find('(') {
                Some(at) => format!("{}\n{}", &text[..at], &text[at..]),
                None => {
                    let chars: Vec<char> = text.chars().collect();
                    let half = chars.len() / 2;
                    format!(
                        "{}\r\n {}",
                        chars[..half].iter().collect::<String>(),
                        chars[half..].iter().collect::<String>()
                    )
                }
            }
        } else {
            text.to_owned()
        };
        sheet.write_string(row, column, &text).map(|_| ())
    });
    assert_scores_as_clean("alt-enter.xlsx", &[]);
    // Every heading and every `one of` cell in Simplified characters, with
    // full-width brackets.
    let kinds = with_simplified_kinds(|_| true);
    let (header, rows) = kinds.split_once('\n').expect("a header line");
    let header = yardstick::hanzi::to_simplified(header).replace('(', "（");
    assert_ne!(header, data_text().lines().next().expect("a header"));
    std::fs::write(scratch("simplified.csv"), format!("{header}\n{rows}")).expect("written");
    assert_scores_as_clean("simplified.csv", &[]);
}

#[test]
fn a_csv_title_line_is_skipped_and_the_header_row_can_be_named() {
    std::fs::write(
        scratch("title.csv"),
        format!("2015年機關環境衛生檢查記錄表\n\n{}", data_text()),
    )
    .expect("written");
    let output = assert_scores_as_clean("title.csv", &[]);
    assert!(
        stderr(&output).contains("the headings are on row 3"),
        "{}",
        stderr(&output)
    );
    let output = assert_scores_as_clean("title.csv", &["--header-row", "3"]);
    assert!(stderr(&output).contains("rows above were skipped"));
    let output = eval("title.csv", &["--header-row", "40"]);
    assert_eq!(output.status.code(), Some(3));
    insta::assert_snapshot!("no_header_row", stderr(&output));
}

#[test]
fn a_header_on_another_sheet_is_named() {
    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("填表說明").expect("a sheet name");
    notes
        .write_string(0, 0, "請按規定填寫各科室檢查結果")
        .expect("a cell");
    let records = workbook.add_worksheet();
    records.set_name("檢查記錄").expect("a sheet name");
    for (row, line) in data_text().lines().enumerate() {
        for (column, cell) in line.split(',').enumerate() {
            records
                .write_string(
                    u32::try_from(row).expect("a row"),
                    u16::try_from(column).expect("a column"),
                    cell,
                )
                .expect("a cell");
        }
    }
    workbook.save(scratch("sheets.xlsx")).expect("written");
    let output = eval("sheets.xlsx", &[]);
    assert_eq!(output.status.code(), Some(3));
    insta::assert_snapshot!("header_on_other_sheet", stderr(&output));
    assert_scores_as_clean("sheets.xlsx", &["--sheet", "檢查記錄"]);
}

#[test]
fn grades_and_choices_match_in_either_script() {
    // Half the units' 科室類型 in Simplified characters.
    let text = with_simplified_kinds(|i| i % 2 == 1);
    assert!(text.contains("执法执纪"));
    std::fs::write(scratch("mixed.csv"), &text).expect("written");
    assert_scores_as_clean("mixed.csv", &[]);
    let traditional = eval("mixed.csv", &["--fail-on", "不達標"]);
    let simplified = eval("mixed.csv", &["--fail-on", "不达标"]);
    assert_eq!(traditional.status.code(), Some(1));
    assert_eq!(simplified.status.code(), Some(1));
    // Units are grouped by the choice as the standard declares it.
    let standard = manifest(STANDARD);
    let page = yardstick(&[
        "eval",
        &standard,
        "mixed.csv",
        "--format",
        "html",
        "--group-by",
        "科室類型",
    ]);
    assert_eq!(page.status.code(), Some(0), "{}", stderr(&page));
    let html = stdout(&page);
    assert!(html.contains("執法執紀"), "no group of 執法執紀");
    assert!(
        !html.contains("执法执纪"),
        "a group in Simplified characters"
    );
}
