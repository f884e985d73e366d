//! `yardstick template`: blank inspection forms that evaluate as they are.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::io::Read;

use common::{stderr, stdout, yardstick};

const FOUNDING: &str = "standards/office_environment/2015.std";

#[test]
fn the_csv_form_is_the_labelled_header_and_a_filled_form_evaluates() {
    let output = yardstick(&["template", FOUNDING]);
    assert_eq!(output.status.code(), Some(0));
    let form = stdout(&output);
    assert!(form.starts_with("\u{feff}受檢科室,科室類型,檢查日期,檢查方式,有密封式垃圾箱(池),"));
    assert_eq!(form.lines().count(), 1);
    // Fill the form with the example's first inspection, column by column.
    let example = std::fs::read_to_string("examples/inspections-2015.csv").expect("the example");
    let mut lines = example.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let row: Vec<&str> = lines.next().expect("a row").split(',').collect();
    let form_header: Vec<&str> = form
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split(',')
        .collect();
    let filled: Vec<&str> = form_header
        .iter()
        .map(|h| {
            row[header
                .iter()
                .position(|x| x == h)
                .expect("every heading is in the example")]
        })
        .collect();
    let data = common::write_scratch("filled.csv", &format!("{form}{}\n", filled.join(",")));
    let output = yardstick(&["eval", FOUNDING, &data, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "\u{feff}受檢科室,得分,等次,不合格項,缺值項\n辦公室,100.00,示範,,\n"
    );
}

#[test]
fn the_excel_form_has_drop_downs_checks_and_notes() {
    let path = common::write_scratch("form.xlsx", "");
    let output = yardstick(&["template", "standards/office_environment", "-o", &path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // A blank form is a valid data file for the standard: no column is missing.
    let blank = yardstick(&[
        "eval",
        "standards/office_environment/2016.std",
        &path,
        "--format",
        "csv",
    ]);
    assert_eq!(blank.status.code(), Some(0), "{}", stderr(&blank));
    assert_eq!(
        stdout(&blank),
        "\u{feff}受檢科室,得分,等次,不合格項,缺值項\n"
    );

    let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).expect("the form"))
        .expect("an xlsx is a zip");
    let mut sheet = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .expect("the form's sheet")
        .read_to_string(&mut sheet)
        .expect("its XML");
    assert!(sheet.contains("\"是,否\""), "a 是/否 drop-down");
    assert!(
        sheet.contains("\"行政,執法執紀,綜合服務\""),
        "the `one of` values"
    );
    assert!(sheet.contains("type=\"whole\""), "counts are whole numbers");
    assert!(sheet.contains("type=\"decimal\""), "numbers and percents");
    assert!(sheet.contains("type=\"date\""), "dates");
    let mut notes = String::new();
    archive
        .by_name("xl/comments1.xml")
        .expect("the notes")
        .read_to_string(&mut notes)
        .expect("their XML");
    assert!(
        notes.contains("green_coverage：百分比（30 即 30%）"),
        "{notes}"
    );
    assert!(notes.contains("規則：D1"), "the rules that read the field");
    assert!(
        notes.contains("waste_sorted：是或否"),
        "the latest edition's fields"
    );
    for english in ["rules", "percent", "bool", "may be blank", "the unit"] {
        assert!(
            !notes.contains(english),
            "no English in a Chinese form: {english}"
        );
    }
}

/// The sheets, prompts and notes of a form, read back from the workbook.
fn form_text(path: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).expect("the form"))
        .expect("an xlsx is a zip");
    let mut text = String::new();
    for name in [
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/comments1.xml",
        "xl/sharedStrings.xml",
    ] {
        if let Ok(mut file) = archive.by_name(name) {
            file.read_to_string(&mut text).expect("its XML");
        }
    }
    text
}

#[test]
fn the_form_speaks_the_language_asked_for() {
    let english = common::write_scratch("form-en.xlsx", "");
    let output = yardstick(&[
        "template",
        "standards/office_environment/2015.std",
        "--lang",
        "en",
        "-o",
        &english,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = form_text(&english);
    assert!(text.contains("name=\"Inspections\""), "{text}");
    assert!(text.contains("name=\"Instructions\""));
    assert!(text.contains("\"yes,no\""), "a yes/no drop-down");
    assert!(text.contains("green_coverage: a percent (30 means 30%)"));
    assert!(text.contains("rules: D1"));

    let simplified = common::write_scratch("form-hans.xlsx", "");
    let output = yardstick(&[
        "template",
        "standards/office_environment/2015.std",
        "--lang",
        "zh-Hans",
        "-o",
        &simplified,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = form_text(&simplified);
    assert!(text.contains("name=\"检查记录\""), "{text}");
    assert!(text.contains("name=\"说明\""));
    assert!(text.contains("规则：D1"));
    assert!(
        !text.contains("規則：D1"),
        "no Traditional words in a Simplified form"
    );

    let refused = yardstick(&[
        "template",
        "standards/office_environment/2015.std",
        "--lang",
        "fr",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("write one of zh-Hant, zh-Hans, en"));
}

#[test]
fn the_form_of_a_standard_naming_a_field_as_another_is_labelled_reads_back() {
    let output = yardstick(&["template", "tests/cases/check/ambiguous_heading.std"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let form = stdout(&output);
    let heading = form.trim_start_matches('\u{feff}').trim_end();
    assert_eq!(heading, "受檢科室,面積,綠化面積");
    // 面積 is `area`'s label and the field `面積`'s name: a label wins.
    let path = common::write_scratch("ambiguous-form.csv", &format!("{heading}\n甲,100,40\n"));
    let output = yardstick(&[
        "eval",
        "tests/cases/check/ambiguous_heading.std",
        &path,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let results = stdout(&output);
    assert!(results.contains("\"area\": 100"), "{results}");
    assert!(results.contains("\"面積\": 40"), "{results}");
}
