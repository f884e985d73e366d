//! `yardstick compare`: two inspection rounds of the 2015 standard —
//! 組織科 fixes everything, 宣傳科 fixes some and still fails others, 辦公室
//! newly fails A2, 財務科 is not re-inspected, 人事科 is new — compared from
//! the data (`--standard`) and from `eval`'s results.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::{stderr, stdout, write_scratch, yardstick};

const STANDARD: &str = "standards/office_environment/2015.std";
const ROUND1: &str = "tests/data/compare/round1.csv";
const ROUND2: &str = "tests/data/compare/round2.csv";

/// `compare` of the two rounds from the data, with more arguments.
fn from_data(more: &[&str]) -> std::process::Output {
    let mut args = vec!["compare", "--standard", STANDARD, ROUND1, ROUND2];
    args.extend_from_slice(more);
    yardstick(&args)
}

/// Both rounds scored by `eval` into scratch files of this extension,
/// named after the test (tests run in parallel).
fn evaluated(test: &str, extension: &str) -> (String, String) {
    let format = if extension == "json" { "json" } else { "jsonl" };
    let mut paths = Vec::new();
    for (round, data) in [("1", ROUND1), ("2", ROUND2)] {
        let output = yardstick(&["eval", STANDARD, data, "--format", format]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        paths.push(write_scratch(
            &format!("compare-{test}-round{round}.{extension}"),
            &stdout(&output),
        ));
    }
    (paths[0].clone(), paths[1].clone())
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).expect("the output is JSON")
}

/// The unit with this key in a list of the comparison.
fn unit<'a>(document: &'a serde_json::Value, list: &str, key: &str) -> &'a serde_json::Value {
    document[list]
        .as_array()
        .expect("a list")
        .iter()
        .find(|u| u["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {list}"))
}

fn ids(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_array()
        .expect("a list of rule ids")
        .iter()
        .map(|id| id.as_str().expect("an id"))
        .collect()
}

#[test]
fn every_unit_and_rule_is_classified() {
    let output = from_data(&["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document = json(&output);

    let fixed = unit(&document, "units", "組織科");
    assert_eq!(
        ids(&fixed["fixed"]),
        ["A3", "A6", "B3", "C1", "D1", "E2", "E3", "G4", "H2"]
    );
    assert!(ids(&fixed["still_failing"]).is_empty());
    assert_eq!(fixed["score_before"].to_string(), "76.56");
    assert_eq!(fixed["score_after"].to_string(), "100.00");
    assert_eq!(fixed["change"].to_string(), "23.44");
    assert_eq!(fixed["grade_before"], "不達標");
    assert_eq!(fixed["grade_after"], "示範");

    let partly = unit(&document, "units", "宣傳科");
    assert_eq!(ids(&partly["fixed"]), ["A2", "A3", "B3", "D1", "D2"]);
    assert_eq!(ids(&partly["still_failing"]), ["C2", "E1", "G2", "H2"]);

    let newly = unit(&document, "units", "辦公室");
    assert_eq!(ids(&newly["newly_failing"]), ["A2"]);
    assert_eq!(newly["change"].to_string(), "-2.13");

    let missing = unit(&document, "missing", "財務科");
    assert_eq!(ids(&missing["unverified"]), ["A1", "A2", "C1", "C2"]);
    assert!(missing["score_after"].is_null());

    let new = unit(&document, "only_after", "人事科");
    assert_eq!(ids(&new["newly_failing"]), ["B2", "C1", "F1", "F2"]);
    assert!(new["score_before"].is_null());

    let totals = &document["totals"];
    assert_eq!(totals["units"], 3);
    assert_eq!(totals["not_reinspected"], 1);
    assert_eq!(totals["new"], 1);
    assert_eq!(totals["fixed"], 14);
    assert_eq!(totals["still_failing"], 4);
    assert_eq!(totals["newly_failing"], 5);
    assert_eq!(totals["waived"], 0);
    assert_eq!(totals["unverified"], 4);

    let a2 = document["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["id"] == "A2")
        .expect("A2 changed");
    assert_eq!(a2["title"], "無暴露垃圾");
    assert_eq!(a2["owner"], "機關事務科");
    assert_eq!(
        (&a2["fixed"], &a2["newly_failing"], &a2["unverified"]),
        (&1.into(), &1.into(), &1.into())
    );
    let party = document["owners"]
        .as_array()
        .expect("owners")
        .iter()
        .find(|o| o["owner"] == "機關黨委")
        .expect("機關黨委 has changes");
    assert_eq!(party["newly_failing"], 2);
}

#[test]
fn results_and_data_give_the_same_comparison() {
    let from_data = json(&from_data(&["--format", "json"]));
    let (before, after) = evaluated("same", "json");
    let output = yardstick(&["compare", &before, &after, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut from_results = json(&output);
    from_results["before"] = from_data["before"].clone();
    from_results["after"] = from_data["after"].clone();
    assert_eq!(from_results, from_data);
}

#[test]
fn json_lines_results_compare_alike_without_owners() {
    let from_data = json(&from_data(&["--format", "json"]));
    let (before, after) = evaluated("lines", "jsonl");
    let output = yardstick(&["compare", &before, &after, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let from_lines = json(&output);
    for part in ["units", "missing", "only_after", "totals"] {
        assert_eq!(from_lines[part], from_data[part], "{part}");
    }
    let rules = from_lines["rules"].as_array().expect("rules");
    assert!(
        rules
            .iter()
            .all(|r| r["owner"].is_null() && r["title"] == r["id"])
    );
}

#[test]
fn the_table() {
    insta::assert_snapshot!(written(&[]));
}

#[test]
fn the_markdown() {
    insta::assert_snapshot!(written(&["--format", "markdown"]));
}

#[test]
fn the_csv_has_a_row_per_unit() {
    insta::assert_snapshot!(written(&["--format", "csv"]));
}

/// What `compare` of the two rounds writes, having succeeded.
fn written(more: &[&str]) -> String {
    let output = from_data(more);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn the_format_follows_the_output_file() {
    let path = write_scratch("compare-out.csv", "");
    let output = from_data(&["-o", &path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = std::fs::read_to_string(&path).expect("the file is written");
    assert!(written.starts_with("\u{feff}單位,整改前得分,"), "{written}");
    // In English, the headings are the JSON keys.
    let output = from_data(&["-o", &path, "--lang", "en", "--no-bom"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = std::fs::read_to_string(&path).expect("the file is written");
    assert!(written.starts_with("key,score_before,"), "{written}");

    // An extension compare does not write is refused, not filled with text.
    let output = from_data(&["-o", "compare-out.xlsx"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("error: `-o compare-out.xlsx`: compare writes a table"),
        "{}",
        stderr(&output)
    );
    assert!(!std::path::Path::new("compare-out.xlsx").exists());
}

#[test]
fn fail_on_unfixed_exits_1_when_a_rule_still_fails() {
    assert_eq!(from_data(&["--fail-on-unfixed"]).status.code(), Some(1));
    // Round 2 against itself: every failure is still failing.
    let same = yardstick(&[
        "compare",
        "--standard",
        STANDARD,
        ROUND2,
        ROUND2,
        "--fail-on-unfixed",
    ]);
    assert_eq!(same.status.code(), Some(1));
    // 組織科 alone: everything fixed.
    let only = |path: &str, name: &str| {
        let text = std::fs::read_to_string(path).expect("a round");
        let mut lines = text.lines();
        let first = lines.next().unwrap_or_default().to_owned();
        let row = lines
            .find(|l| l.starts_with("組織科"))
            .expect("組織科 is inspected");
        write_scratch(name, &format!("{first}\n{row}\n"))
    };
    let before = only(ROUND1, "compare-fixed-1.csv");
    let after = only(ROUND2, "compare-fixed-2.csv");
    let fixed = yardstick(&[
        "compare",
        "--standard",
        STANDARD,
        &before,
        &after,
        "--fail-on-unfixed",
    ]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
}

#[test]
fn a_waived_rule_is_reported_as_waived() {
    let result = |outcome: &str, waiver: &str| {
        format!(
            r#"{{"key": "組織科", "edition": "2015", "score": 90.00, "grade": "達標", "failed": [],
                "rules": [{{"id": "D1", "outcome": "{outcome}", "points": 0, "possible": 6{waiver}}}], "errors": []}}"#
        )
    };
    let document = |result: String| {
        format!(
            r#"{{"standard": "office_environment", "editions": ["2015"],
                "rules": [{{"id": "D1", "title": "辦公區綠化率達到30%", "owner": "機關事務科"}}],
                "results": [{result}]}}"#
        )
    };
    let before = write_scratch("compare-waiver-1.json", &document(result("fail", "")));
    let waiver = r#", "waiver": {"justification": "綠化改造施工中", "approved_by": "局辦公室", "expires": "2015-12-31", "scores_as": "n/a"}"#;
    let after = write_scratch("compare-waiver-2.json", &document(result("waived", waiver)));
    let output = yardstick(&[
        "compare",
        &before,
        &after,
        "--format",
        "json",
        "--fail-on-unfixed",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document = json(&output);
    let unit = unit(&document, "units", "組織科");
    assert_eq!(ids(&unit["waived"]), ["D1"]);
    assert!(ids(&unit["fixed"]).is_empty());
    assert_eq!(document["totals"]["waived"], 1);
    assert_eq!(document["rules"][0]["owner"], "機關事務科");
}

#[test]
fn waivers_apply_to_both_rounds_scored_from_the_data() {
    // 宣傳科 fails C2 in both rounds; the waiver covers both, and a waiver
    // excuses a failure without erasing it, so the first round's counts as
    // a failure: fail → waived.
    let waivers = write_scratch(
        "compare-waivers.csv",
        "unit,rule,justification,approved_by,expires\n宣傳科,C2,崗位調整期間人手不足,局辦公室,2015-12-31\n",
    );
    let output = from_data(&[
        "--waivers",
        &waivers,
        "--format",
        "json",
        "--fail-on-unfixed",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let document = json(&output);
    let partly = unit(&document, "units", "宣傳科");
    assert_eq!(ids(&partly["waived"]), ["C2"]);
    assert_eq!(ids(&partly["still_failing"]), ["E1", "G2", "H2"]);
    assert_eq!(document["totals"]["waived"], 1);
    assert_eq!(document["totals"]["still_failing"], 3);

    let wrong = write_scratch(
        "compare-wrong-waivers.csv",
        "unit,rule,justification,approved_by,expires\n宣傳科,C9,x,y,2015-12-31\n",
    );
    let output = from_data(&["--waivers", &wrong]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`C9` is not a rule of `office_environment`"));
}

#[test]
fn a_key_written_twice_is_warned_about_and_the_later_counts() {
    let text = std::fs::read_to_string(ROUND2).expect("round 2");
    let first_row = text.lines().nth(1).expect("a row");
    let twice = write_scratch("compare-twice.csv", &format!("{text}{first_row}\n"));
    let output = yardstick(&[
        "compare",
        "--standard",
        STANDARD,
        ROUND1,
        &twice,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("1 unit is written more than once, the later result counts: 辦公室"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn malformed_results_exit_2_naming_the_file() {
    let (before, _) = evaluated("malformed", "jsonl");
    let broken = write_scratch(
        "compare-broken.jsonl",
        "{\"key\": \"組織科\", \"score\": 100.00, \"rules\": []}\n{\"key\": \"宣傳科\"}\n",
    );
    let output = yardstick(&["compare", &before, &broken]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("`{broken}` line 2: ")) && message.contains("score"),
        "{message}"
    );

    let not_results = write_scratch("compare-not-results.json", "[1, 2, 3]");
    let output = yardstick(&["compare", &not_results, &not_results]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(&format!(
            "`{not_results}`: a JSON array, not the document `yardstick eval --format json` writes (if these are inspection data rather than results, add `--standard STANDARD`)"
        )),
        "{}",
        stderr(&output)
    );

    // Data given where results are expected: the message says what to add.
    let output = yardstick(&["compare", ROUND1, ROUND2]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("add `--standard STANDARD`"));

    // A score no standard gives is refused, not subtracted (it overflowed).
    let huge = |name: &str, sign: &str| {
        write_scratch(
            name,
            &format!(
                "{{\"key\": \"a\", \"score\": {sign}79228162514264337593543950335, \"rules\": []}}\n"
            ),
        )
    };
    let (low, high) = (
        huge("compare-low.jsonl", "-"),
        huge("compare-high.jsonl", ""),
    );
    let output = yardstick(&["compare", &low, &high]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the score `-79228162514264337593543950335` of `a` is below 0"),
        "{}",
        stderr(&output)
    );

    // A file that cannot be read is exit 3, as a missing data file is.
    let output = yardstick(&["compare", "no-such-file.json", &not_results]);
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains("cannot read `no-such-file.json`"));
}

#[test]
fn results_written_with_only_failed_are_refused() {
    // A unit that passed everything is not in such results, so it would
    // look not re-inspected.
    let mut paths = Vec::new();
    for (round, data) in [("1", ROUND1), ("2", ROUND2)] {
        let output = yardstick(&["eval", STANDARD, data, "--format", "json", "--only-failed"]);
        paths.push(write_scratch(
            &format!("compare-only-failed-{round}.json"),
            &stdout(&output),
        ));
    }
    let output = yardstick(&["compare", &paths[0], &paths[1]]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("(it was written with `--only-failed`)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn data_errors_exit_3_after_the_comparison() {
    let text = std::fs::read_to_string(ROUND2).expect("round 2");
    // 組織科's green coverage becomes unreadable: D1 and D2 are missing.
    let broken = text.replace(",36.5%,788,", ",很多,788,");
    assert_ne!(broken, text);
    let path = write_scratch("compare-data-errors.csv", &broken);
    let output = yardstick(&[
        "compare",
        "--standard",
        STANDARD,
        ROUND1,
        &path,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("1 data error"),
        "{}",
        stderr(&output)
    );
    let document = json(&output);
    assert_eq!(
        ids(&unit(&document, "units", "組織科")["unverified"]),
        ["D1"]
    );
}

#[test]
fn edition_choices_need_a_standard() {
    let output = yardstick(&["compare", ROUND1, ROUND2, "--as-of", "2015-06-01"]);
    assert_eq!(output.status.code(), Some(2));
    let directory = yardstick(&[
        "compare",
        "--standard",
        "standards/office_environment",
        "--edition",
        "2015",
        ROUND1,
        ROUND2,
        "--format",
        "csv",
    ]);
    assert_eq!(directory.status.code(), Some(0), "{}", stderr(&directory));
    assert_eq!(stdout(&directory), stdout(&from_data(&["--format", "csv"])));
}
