//! `yardstick rollup`: a year of inspections in a folder of monthly files,
//! rolled up per unit by the standard's roll-up (SPEC §8), with every
//! inspection that cannot be used named with its file, row and column.
//!
//! The year in `tests/data/rollup-year/` and the standard
//! `tests/data/rollup-examples.std` are small enough to score by hand:
//! each expected number below is worked out in its comment.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::{stderr, stdout, write_scratch, yardstick};
use serde_json::Value;

const STANDARD: &str = "tests/data/rollup-examples.std";
const YEAR: &str = "tests/data/rollup-year";

fn unit<'a>(json: &'a Value, key: &str) -> &'a Value {
    json["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["key"] == key)
        .unwrap_or_else(|| panic!("no unit {key} in {json}"))
}

#[test]
fn a_folder_of_monthly_files_rolls_up_per_unit() {
    let output = yardstick(&["rollup", STANDARD, YEAR, "--format", "json"]);
    // Four inspections are left out: a data error each, so exit 3.
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["units"].as_array().map(Vec::len), Some(3));
    // 辦公室: January 60% × 100 (暗訪) + 40% × 60 (明察, two heaps: A1 2 of 4)
    // = 84; February only a 明察 of 100; the year (84 + 100) / 2 = 92.
    let office = unit(&json, "辦公室");
    assert_eq!(office["levels"]["month"]["2015年1月"], 84.0);
    assert_eq!(office["levels"]["month"]["2015年2月"], 100.0);
    assert_eq!(office["score"], 92.0);
    assert_eq!(office["rank"], 1);
    assert_eq!(office["grade"], "先進");
    assert_eq!(office["inspections"]["暗訪"], 1);
    assert_eq!(office["inspections"]["明察"], 2);
    // 後勤科: waste found in January (80), February (80 and 80) and March
    // (3 heaps: 2 of 5 points, 40): the year (80 + 80 + 40) / 3 = 66.67;
    // A1 failed three months running, 3 − 2 + 1 = 2 repeats of 2 points.
    let logistics = unit(&json, "後勤科");
    assert_eq!(logistics["base"], 66.67);
    assert_eq!(logistics["score"], 62.67);
    assert_eq!(logistics["repeats"][0]["rule"], "A1");
    assert_eq!(logistics["repeats"][0]["owner"], "後勤科");
    assert_eq!(logistics["repeats"][0]["count"], 2);
    assert_eq!(logistics["repeats"][0]["points"], 4);
    assert_eq!(
        logistics["repeats"][0]["periods"],
        serde_json::json!(["2015年1月", "2015年2月", "2015年3月"])
    );
    // 財務科: January 80 (no bins), March 100; its three February rows are
    // left out (no method it can use, no date, a 2016 date).
    let finance = unit(&json, "財務科");
    assert_eq!(finance["score"], 90.0);
    assert_eq!(finance["rank"], 2);
    // 90 is enough for 先進, but `top 1` lets in one unit only.
    assert_eq!(finance["grade"], "達標");
    let summary = &json["summary"];
    assert_eq!(summary["inspections_used"], 9);
    assert_eq!(summary["left_out"], 4);
    assert_eq!(summary["quotas"]["先進"]["limit"], 1);
    assert_eq!(summary["quotas"]["先進"]["given"], 1);
    assert_eq!(summary["grades"]["達標"], 2);
}

#[test]
fn every_inspection_left_out_is_named_with_its_row_and_column() {
    let output = yardstick(&["rollup", STANDARD, YEAR, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(3));
    insta::assert_snapshot!(stderr(&output));
}

#[test]
fn the_csv_has_a_column_per_period_and_a_row_per_unit() {
    let output = yardstick(&["rollup", STANDARD, YEAR, "--format", "csv", "--no-bom"]);
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "受檢科室,年度得分,等次,名次,扣減前得分,重複扣分,2015年1月,2015年2月,2015年3月,2015年,暗訪次數,明察次數,重複問題"
        )
    );
    assert_eq!(
        lines.next(),
        Some("辦公室,92.00,先進,1,92.00,0,84.00,100.00,,92.00,1,2,")
    );
    assert_eq!(lines.count(), 2);
}

#[test]
fn an_unknown_roll_up_is_named_with_the_closest() {
    let output = yardstick(&["rollup", STANDARD, YEAR, "--name", "anual"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`--name anual`: no such roll-up; did you mean `annual`?"),
        "{}",
        stderr(&output)
    );
    let none = yardstick(&["rollup", "tests/cases/check/unknown_field.std", YEAR]);
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn a_run_that_rolls_up_nothing_keeps_the_last_report() {
    let out = write_scratch("rollup-kept.csv", "last round\n");
    let empty = write_scratch(
        "rollup-empty.csv",
        "受檢科室,檢查日期,檢查方式,暴露垃圾(處),有垃圾箱\n",
    );
    let output = yardstick(&["rollup", STANDARD, &empty, "-o", &out]);
    assert!(
        stderr(&output).contains("was not written"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&out).expect("kept"), "last round\n");
}

#[test]
fn a_folder_is_read_without_hidden_files_and_excel_lock_files() {
    let folder = std::env::temp_dir().join(format!("yardstick-rollup-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("a folder");
    let month = "受檢科室,檢查日期,檢查方式,暴露垃圾(處),有垃圾箱\n辦公室,2015-01-12,暗訪,0,是\n";
    std::fs::write(folder.join("2015-01.csv"), month).expect("a month");
    std::fs::write(folder.join("~$2015-01.xlsx"), "lock").expect("a lock file");
    std::fs::write(folder.join(".hidden.csv"), "x").expect("a hidden file");
    std::fs::write(folder.join("notes.md"), "x").expect("a note");
    let path = folder.to_string_lossy().into_owned();
    let output = yardstick(&["rollup", STANDARD, &path, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["summary"]["inspections_used"], 1);
    std::fs::remove_dir_all(&folder).expect("cleaned up");
}

#[test]
fn json_lines_hold_each_units_year_of_the_json_document() {
    let document = yardstick(&["rollup", STANDARD, YEAR, "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&document)).expect("JSON");
    let lines = yardstick(&["rollup", STANDARD, YEAR, "--format", "jsonl"]);
    assert_eq!(lines.status.code(), Some(3));
    let units: Vec<Value> = stdout(&lines)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(Some(&units), json["units"].as_array());
}
