//! `yardstick eval` as a user runs it: every output format, every input
//! format giving the same results, data errors, explanations, exit codes, and
//! the same bytes whatever the number of threads.
//!
//! `tests/data/semantics.std` holds one rule per scoring case of SPEC §3 and
//! `semantics.csv` one unit per case; the expected scores were worked out by
//! hand (in the comments of the snapshots' JSON, every rule's points show).

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{stderr, stdout, write_scratch, yardstick};

const STANDARD: &str = "tests/data/semantics.std";
const DATA: &str = "tests/data/semantics.csv";

fn scratch(name: &str) -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("eval");
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    directory.join(name)
}

/// Runs yardstick in the scratch directory, so that messages name scratch
/// files by their bare names, the same on every machine.
fn yardstick_in_scratch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(args)
        .current_dir(scratch(""))
        .output()
        .expect("the binary runs")
}

fn manifest(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn scores_follow_the_spec_by_hand_computation() {
    let output = yardstick(&["eval", STANDARD, DATA, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "\u{feff}單位,得分,等次,不合格項,缺值項\n\
         全部通過,100.00,優,,B3\n\
         扣分,75.00,差,A2,B2\n\
         扣光,0.00,差,A1;A2;A3,B3\n\
         執法無制服,83.00,良,B1,\n\
         執法空白制服,70.00,差,,B1;B2;B3\n\
         加分封頂,100.00,優,,\n"
    );
}

#[test]
fn every_output_format_renders_as_snapshotted() {
    for (name, args) in [
        ("table", vec!["--format", "table"]),
        ("json", vec!["--format", "json"]),
        ("jsonl", vec!["--format", "jsonl"]),
        ("csv_detail", vec!["--format", "csv", "--detail"]),
        ("markdown", vec!["--format", "markdown"]),
        ("only_failed", vec!["--format", "csv", "--only-failed"]),
    ] {
        let mut all = vec!["eval", STANDARD, DATA];
        all.extend(args);
        let output = yardstick(&all);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        insta::assert_snapshot!(format!("format_{name}"), stdout(&output));
    }
}

#[test]
fn json_output_is_valid_json_with_every_rule() {
    let output = yardstick(&["eval", STANDARD, DATA, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
    let results = json["results"].as_array().expect("results");
    assert_eq!(results.len(), 6);
    assert_eq!(results[1]["rules"][1]["outcome"], "fail");
    assert_eq!(results[1]["rules"][1]["points"].to_string(), "2");
    assert_eq!(results[1]["rules"][1]["observed"]["waste"].to_string(), "2");
    assert_eq!(results[4]["rules"][3]["outcome"], "missing");
    assert_eq!(results[0]["rules"][3]["outcome"], "n/a");
    assert_eq!(json["summary"]["grades"]["優"], 2);
    // A bonus that earned nothing is `not earned`, not a failure.
    assert_eq!(results[1]["rules"][5]["outcome"], "not earned");
    let lines = yardstick(&["eval", STANDARD, DATA, "--format", "jsonl"]);
    for line in stdout(&lines).lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("each line is JSON");
    }
}

/// The `--format csv` output of the semantics data read from another format.
fn csv_results_of(data: &str) -> String {
    let output = yardstick(&["eval", STANDARD, data, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{data}: {}", stderr(&output));
    stdout(&output)
}

#[test]
fn csv_json_jsonl_and_xlsx_inputs_give_the_same_results() {
    let expected = csv_results_of(DATA);
    assert_eq!(csv_results_of("tests/data/semantics.json"), expected);
    assert_eq!(csv_results_of("tests/data/semantics.jsonl"), expected);
    let workbook = scratch("semantics.xlsx");
    write_workbook(&workbook);
    assert_eq!(
        csv_results_of(workbook.to_str().expect("a UTF-8 path")),
        expected
    );
}

#[test]
fn other_delimiters_sniffed_or_given_give_the_same_results() {
    let expected = csv_results_of(DATA);
    let text = std::fs::read_to_string(DATA).expect("the data");
    for (name, delimiter, flag) in [
        ("semicolons.csv", ";", None),
        ("tabs.csv", "\t", None),
        ("pipes.csv", "|", Some("|")),
        ("tabs-given.csv", "\t", Some("tab")),
    ] {
        let path = write_scratch(name, &text.replace(',', delimiter));
        let mut args = vec!["eval", STANDARD, &path, "--format", "csv"];
        args.extend(flag.iter().flat_map(|d| ["--delimiter", *d]));
        let output = yardstick(&args);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        assert_eq!(stdout(&output), expected, "{name}");
    }
    for refused in ["\"", "\n", ";;"] {
        let output = yardstick(&["eval", STANDARD, DATA, "--delimiter", refused]);
        assert_eq!(output.status.code(), Some(2), "{refused:?}");
        assert!(
            stderr(&output).contains("not a quote or a line end"),
            "{refused:?}"
        );
    }
}

/// The semantics data as an Excel workbook, typed as a spreadsheet would be:
/// booleans, numbers, a percent-formatted cell (stored as 0.3), text.
fn write_workbook(path: &Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("檢查記錄").expect("a sheet name");
    let percent = Format::new().set_num_format("0%");
    let csv = std::fs::read_to_string(DATA).expect("the data");
    for (row, line) in csv.lines().enumerate() {
        for (column, cell) in line.split(',').enumerate() {
            let (r, c) = (
                u32::try_from(row).expect("a row"),
                u16::try_from(column).expect("a column"),
            );
            if cell.is_empty() {
                continue;
            }
            let written = match (row, column, cell.parse::<f64>()) {
                // The coverage column: percent cells, as Excel stores them.
                (1.., 4, Ok(points)) => {
                    sheet.write_number_with_format(r, c, points / 100.0, &percent)
                }
                (1.., 2, _) => sheet.write_boolean(r, c, cell == "是"),
                (_, _, Ok(number)) if row > 0 => sheet.write_number(r, c, number),
                _ => sheet.write_string(r, c, cell),
            };
            written.expect("a cell");
        }
    }
    workbook.save(path).expect("the workbook is written");
}

#[test]
fn a_sheet_is_chosen_by_name_with_a_suggestion_when_missing() {
    let workbook = scratch("named.xlsx");
    write_workbook(&workbook);
    let path = workbook.to_str().expect("a UTF-8 path");
    let output = yardstick(&[
        "eval",
        STANDARD,
        path,
        "--sheet",
        "檢查記錄",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = yardstick_in_scratch(&[
        "eval",
        &manifest(STANDARD),
        "named.xlsx",
        "--sheet",
        "檢查紀錄",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(3));
    insta::assert_snapshot!("unknown_sheet", stderr(&output));
}

#[test]
fn a_workbook_with_a_far_cell_is_read_without_allocating_its_area() {
    use rust_xlsxwriter::Workbook;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in ["單位", "類型", "垃圾箱", "暴露垃圾", "綠化率"]
        .iter()
        .enumerate()
    {
        sheet
            .write_string(0, u16::try_from(column).expect("a column"), *header)
            .expect("a header");
    }
    sheet.write_string(1, 0, "甲").expect("a cell");
    sheet.write_string(1, 1, "行政").expect("a cell");
    sheet.write_boolean(1, 2, true).expect("a cell");
    sheet.write_number(1, 3, 0).expect("a cell");
    sheet.write_number(1, 4, 35).expect("a cell");
    sheet
        .write_string(1_048_575, 16_383, "XFD1048576")
        .expect("the last cell");
    let path = scratch("far.xlsx");
    workbook.save(&path).expect("written");
    let output =
        yardstick_in_scratch(&["eval", &manifest(STANDARD), "far.xlsx", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    // A1, A2 and A3 pass; B2 is missing (no area column): 14 of 16 points.
    assert!(
        stdout(&output).contains("甲,87.50,良"),
        "{}",
        stdout(&output)
    );
    insta::assert_snapshot!("too_large", stderr(&output));
}

#[test]
fn data_errors_name_the_place_and_the_batch_goes_on() {
    let output = yardstick(&[
        "eval",
        STANDARD,
        "tests/data/semantics-errors.csv",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(3));
    insta::assert_snapshot!("data_errors_results", stdout(&output));
    insta::assert_snapshot!("data_errors_messages", stderr(&output));
}

#[test]
fn csv_rows_are_numbered_by_their_own_line() {
    // CRLF line ends, a blank line, a row with a bad bool, a key quoted over
    // two lines, another bad row: the errors name lines 3 and 6.
    let example = std::fs::read_to_string("examples/inspections-2015.csv").expect("the example");
    let mut lines = example.lines();
    let header = lines.next().expect("a header");
    let row = lines.next().expect("a row");
    let (_, rest) = row.split_once(',').expect("a key");
    let bad = rest.replacen(",是,", ",也許,", 1);
    let data = format!("{header}\r\n\r\n丙,{bad}\r\n\"甲\r\n一\",{rest}\r\n乙,{bad}\r\n");
    let path = write_scratch("lines.csv", &data);
    let output = yardstick(&[
        "eval",
        "standards/office_environment/2015.std",
        &path,
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let messages = stderr(&output);
    assert!(messages.contains("lines.csv line 3, column"), "{messages}");
    assert!(messages.contains("lines.csv line 6, column"), "{messages}");
    assert!(messages.contains("`也許`"), "{messages}");
    let results = stdout(&output);
    assert!(results.contains("\"甲\r\n一\","), "{results}");
    assert_eq!(results.lines().count(), 5, "{results}");
}

#[test]
fn a_byte_order_mark_before_the_first_heading_is_not_part_of_it() {
    let expected = csv_results_of(DATA);
    let text = std::fs::read_to_string(DATA).expect("the data");
    for (name, before) in [
        ("bom.csv", "\u{FEFF}"),
        ("bom-twice.csv", "\u{FEFF}\u{FEFF}"),
        ("bom-after-blank-lines.csv", "\n\n\u{FEFF}"),
    ] {
        let path = write_scratch(name, &format!("{before}{text}"));
        assert_eq!(csv_results_of(&path), expected, "{name}");
    }
}

#[test]
fn file_level_data_errors_are_reported() {
    for (name, file) in [
        ("missing_column", "tests/data/missing-column.csv"),
        ("unterminated_quote", "tests/data/unterminated.csv"),
        ("malformed_json", "tests/data/malformed.json"),
        ("unreadable", "tests/data/no-such-file.csv"),
        ("duplicate_column", "tests/data/duplicate-column.csv"),
    ] {
        let output = yardstick(&["eval", STANDARD, file, "--format", "csv"]);
        assert_eq!(output.status.code(), Some(3), "{name}");
        insta::assert_snapshot!(
            format!("file_error_{name}"),
            format!("{}\n-- stderr --\n{}", stdout(&output), stderr(&output))
        );
    }
}

#[test]
fn explain_points_at_the_failed_parts_with_the_observed_values() {
    let output = yardstick(&[
        "eval",
        STANDARD,
        DATA,
        "--format",
        "csv",
        "--explain",
        "扣分,執法無制服,全部通過,無此單位",
    ]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("explain", stderr(&output));
}

#[test]
fn explain_of_the_founding_standard_labels_compound_conditions() {
    let output = yardstick(&[
        "eval",
        "standards/office_environment/2015.std",
        "examples/inspections-2015.csv",
        "--format",
        "csv",
        "--explain",
        "組織科",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!("explain_founding", stderr(&output));
}

#[test]
fn fail_on_exits_1_when_a_unit_gets_that_grade_or_worse() {
    let output = yardstick(&["eval", STANDARD, DATA, "--format", "csv", "--fail-on", "差"]);
    assert_eq!(output.status.code(), Some(1));
    let output = yardstick(&["eval", STANDARD, DATA, "--format", "csv", "--fail-on", "良"]);
    assert_eq!(output.status.code(), Some(1));
    let output = yardstick(&[
        "eval",
        STANDARD,
        "tests/data/semantics.jsonl",
        "--format",
        "csv",
        "--fail-on",
        "不存在",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("優, 良, 差"));
}

#[test]
fn an_invalid_standard_exits_2_before_reading_data() {
    let output = yardstick(&["eval", "tests/cases/check/unknown_field.std", DATA]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("yardstick::unknown_field"));
}

#[test]
fn output_goes_to_a_file_with_its_format_taken_from_the_extension() {
    let path = scratch("results.json");
    let output = yardstick(&["eval", STANDARD, DATA, "-o", path.to_str().expect("a path")]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).is_empty());
    let written = std::fs::read_to_string(&path).expect("written");
    serde_json::from_str::<serde_json::Value>(&written).expect("JSON, from the extension");
}

#[test]
fn the_output_is_the_same_bytes_with_one_two_or_eight_threads() {
    // 30 units of the example data, repeated under fresh keys: 21,000 rows,
    // enough for many chunks.
    let example = std::fs::read_to_string("examples/inspections-2015.csv").expect("the example");
    let mut lines = example.lines();
    let header = lines.next().expect("a header");
    let rows: Vec<&str> = lines.collect();
    let mut data = format!("{header}\n");
    for copy in 0..700 {
        for row in &rows {
            let (unit, rest) = row.split_once(',').expect("a key");
            data.push_str(&format!("{unit}-{copy},{rest}\n"));
        }
    }
    let path = scratch("many.csv");
    std::fs::write(&path, data).expect("written");
    let path = path.to_str().expect("a path");
    let run = |jobs: &str, format: &str| {
        let output = yardstick(&[
            "eval",
            "standards/office_environment/2015.std",
            path,
            "--format",
            format,
            "--jobs",
            jobs,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        output.stdout
    };
    for format in ["csv", "json", "markdown"] {
        let one = run("1", format);
        assert_eq!(run("2", format), one, "{format} with 2 threads");
        assert_eq!(run("8", format), one, "{format} with 8 threads");
    }
}

#[test]
fn the_readme_example_runs_cleanly() {
    let output = yardstick(&[
        "eval",
        "standards/office_environment/2015.std",
        "examples/inspections-2015.csv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 31, "a header and 30 units");
}

#[test]
fn the_average_score_is_exact_before_it_is_rounded() {
    // Scores of 2/3 and 1/3 have more digits than a decimal keeps; their
    // exact average here is 301/8 = 37.625, which rounds to 37.63 (a
    // running decimal sum rounded at each step came to 37.62).
    let standard = write_scratch(
        "thirds.std",
        r#"standard thirds {
  title "三分"
  version 1
  effective 2015-01-01
  key id
}
fields {
  id text
  mode one of ("thirds", "hundred")
  a bool
  b bool
  c bool
  d bool
  e bool
}
section S "s" {
  rule R1 "r1" { when mode == "thirds" require a points 1 }
  rule R2 "r2" { when mode == "thirds" require b points 1 }
  rule R3 "r3" { when mode == "thirds" require c points 1 }
  rule R4 "r4" { when mode == "hundred" require d points 99 }
  rule R5 "r5" { when mode == "hundred" require e points 1 }
}
"#,
    );
    let data = write_scratch(
        "thirds.csv",
        "id,mode,a,b,c,d,e\n\
         u1,thirds,1,1,0,0,0\nu2,thirds,1,1,0,0,0\nu3,thirds,1,1,0,0,0\n\
         u4,thirds,1,0,0,0,0\nu5,thirds,1,0,0,0,0\nu6,thirds,1,0,0,0,0\n\
         u7,hundred,0,0,0,0,1\nu8,hundred,0,0,0,0,0\n",
    );
    let output = yardstick(&["eval", &standard, &data, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let results: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(results["summary"]["average_score"].to_string(), "37.63");
}

/// `--explain` with no units keeps the first 1,000 failing units, not every
/// one (a million failing rows held gigabytes), and says how many it left out.
#[test]
fn explain_without_units_keeps_at_most_a_thousand() {
    let standard = common::write_scratch(
        "explain-many.std",
        "standard s {\n  key unit\n}\n\nfields {\n  unit text\n  x number\n}\n\nrule R \"大於五\": x > 5\n",
    );
    let mut rows = String::from("unit,x\n");
    for i in 0..1_200 {
        rows.push_str(&format!("U{i},1\n"));
    }
    let data = common::write_scratch("explain-many.csv", &rows);
    let output = yardstick(&["eval", &standard, &data, "--explain", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let explained = stderr(&output);
    assert_eq!(explained.matches(" failed R ").count(), 1_000);
    assert!(explained.contains("U999 failed R "), "input order");
    assert!(!explained.contains("U1000 failed R "));
    assert!(
        explained.contains("the first 1000 units are explained; 200 more are not"),
        "{}",
        explained.lines().last().unwrap_or_default()
    );
    assert_eq!(
        stdout(&output).lines().count(),
        1_201,
        "every unit is in the results"
    );
}
