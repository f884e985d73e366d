//! `yardstick diff`: the semantic difference of two editions, clause by
//! clause, and `--impact` on a batch of inspections.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::{stderr, stdout, write_scratch, yardstick};

const OLD: &str = "standards/office_environment/2015.std";
const NEW: &str = "standards/office_environment/2016.std";
const EDITIONS: &str = "standards/office_environment";
/// Last year's inspections: no column for the field 2016 adds.
const DATA: &str = "examples/inspections-2015.csv";

fn json(args: &[&str]) -> serde_json::Value {
    let output = yardstick(args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("the output is JSON")
}

/// The item of a part of the diff with this id.
fn item<'a>(diff: &'a serde_json::Value, part: &str, id: &str) -> &'a serde_json::Value {
    diff[part]
        .as_array()
        .expect("a list")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {part}"))
}

#[test]
fn the_2016_revision_as_a_table() {
    let output = yardstick(&["diff", OLD, NEW]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn a_directory_diffs_its_last_two_editions_by_default() {
    let by_default = yardstick(&["diff", EDITIONS, "--format", "markdown"]);
    let named = yardstick(&[
        "diff", EDITIONS, "--from", "2015", "--to", "2016", "--format", "markdown",
    ]);
    assert_eq!(stdout(&by_default), stdout(&named));
    insta::assert_snapshot!(stdout(&named));
}

#[test]
fn every_change_of_the_revision_is_in_the_json() {
    let document = json(&["diff", OLD, NEW, "--format", "json"]);
    let diff = &document["diff"];
    let d1 = item(diff, "rules", "D1");
    assert_eq!(d1["kind"], "changed");
    let require = d1["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["what"] == "require")
        .expect("require changed");
    assert_eq!(require["old"], "green_coverage >= 30%");
    assert_eq!(require["new"], "green_coverage >= 35%");
    assert_eq!(item(diff, "rules", "A8")["kind"], "added");
    assert_eq!(item(diff, "rules", "B3")["kind"], "removed");
    assert_eq!(item(diff, "rules", "A7")["changes"][0]["what"], "points");
    assert_eq!(item(diff, "fields", "waste_sorted")["kind"], "added");
    assert_eq!(item(diff, "grades", "示範")["kind"], "changed");
    assert_eq!(diff["points"], serde_json::json!(["100", "100"]));
    assert!(
        diff["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .all(|r| r["id"] != "A1"),
        "an unchanged rule is not listed"
    );
    assert!(document["impact"].is_null());
}

#[test]
fn an_edition_compared_with_itself_means_the_same() {
    let output = yardstick(&["diff", OLD, OLD]);
    assert!(stdout(&output).contains("兩個版本意義相同"));
    let output = yardstick(&["diff", OLD, OLD, "--lang", "en"]);
    assert!(stdout(&output).contains("the editions mean the same"));
}

#[test]
fn impact_rescores_the_data_under_both_editions() {
    let document = json(&[
        "diff",
        EDITIONS,
        "--impact",
        "examples/inspections-2015-2016.csv",
        "--format",
        "json",
    ]);
    let impact = &document["impact"];
    assert_eq!(impact["units"], 24);
    let regraded = impact["regraded"].as_array().expect("regraded units");
    let moved: u64 = impact["moves"]
        .as_array()
        .expect("moves")
        .iter()
        .map(|m| m[2].as_u64().expect("a count"))
        .sum();
    assert_eq!(moved, regraded.len() as u64);
    // 審計科 (30.3% green in 2015) passes D1 at 30% and fails it at 35%.
    let audit = regraded
        .iter()
        .find(|u| u["key"] == "審計科")
        .expect("審計科 changes grade");
    assert!(
        audit["because"]
            .as_array()
            .expect("reasons")
            .iter()
            .any(|b| b == "D1 pass → fail"),
        "{audit}"
    );
    assert_eq!(impact["data_errors"], serde_json::json!([0, 12]));
}

#[test]
fn impact_on_last_years_data_scores_a_new_required_field_as_missing() {
    let output = yardstick(&["diff", EDITIONS, "--impact", DATA, "--lang", "en"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("## Impact on the data"), "{text}");
    assert!(text.contains("A8 — → missing"), "{text}");
    assert_eq!(
        stderr(&output),
        "note: `examples/inspections-2015.csv` has no column for field `waste_sorted` (labelled `垃圾分類投放`), which edition 2016 requires: the impact counts it blank, so the rules that read it are `missing` under that edition\n"
    );
    let output = yardstick(&["diff", EDITIONS, "--impact", DATA, "--format", "json"]);
    let document: serde_json::Value =
        serde_json::from_str(&stdout(&output)).expect("a JSON document");
    assert_eq!(document["impact"]["units"], 30);
    assert_eq!(document["absent_fields"][0]["field"], "waste_sorted");
    assert_eq!(document["absent_fields"][0]["edition"], "2016");
    // The key is never taken as blank: without it there is no unit.
    let data = std::fs::read_to_string(DATA).expect("the data");
    let keyless = write_scratch("keyless.csv", &data.replacen("受檢科室", "科室名稱", 1));
    let output = yardstick(&["diff", EDITIONS, "--impact", &keyless]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no column for field `unit_id`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn wrong_editions_are_reported() {
    for (args, message) in [
        (
            vec!["diff", EDITIONS, "--from", "2014"],
            "`--from 2014`: the editions are 2015, 2016",
        ),
        (vec!["diff", "standards/bench"], "has one edition before"),
        (
            vec!["diff", OLD, NEW, "--to", "2016"],
            "with two files, leave them out",
        ),
        (vec!["diff", EDITIONS, NEW], "is a directory of editions"),
    ] {
        let output = yardstick(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_restated_roll_up_shows_each_line_that_changed() {
    let diff = json(&[
        "diff",
        "tests/data/rollup-examples.std",
        "tests/data/rollup-edition-2016.std",
        "--format",
        "json",
    ]);
    let rollup = item(&diff["diff"], "rollups", "annual");
    assert_eq!(rollup["kind"], "changed");
    let change = |what: &str| {
        rollup["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .find(|c| c["what"] == what)
            .unwrap_or_else(|| panic!("no change of {what} in {rollup}"))
            .clone()
    };
    assert_eq!(
        change("levels")["old"],
        "month = 60% \"暗訪\" + 40% \"明察\"; year = 100% month"
    );
    assert_eq!(
        change("levels")["new"],
        "month = 50% \"暗訪\" + 50% \"明察\"; year = 100% month"
    );
    assert_eq!(change("repeats")["new"], "2 consecutive month deduct 3");
    assert!(
        change("grades")["new"]
            .as_str()
            .is_some_and(|g| g.contains("top 20%"))
    );
    // The period follows each edition's own dates.
    assert_eq!(change("period")["new"], "2016-01-01 to 2016-12-31");
    let table = yardstick(&[
        "diff",
        "tests/data/rollup-examples.std",
        "tests/data/rollup-edition-2016.std",
    ]);
    let text = stdout(&table);
    assert!(text.contains("匯總考核"), "{text}");
    assert!(text.contains("~ annual 「年度考核」"), "{text}");
}
