//! Script functions (SPEC §5): called from rules, `let`s and grade bands,
//! with exact decimals, in a sandbox whose every limit stops a hostile
//! script without stopping the batch.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::{stderr, stdout, yardstick};

fn rules_of(result: &serde_json::Value) -> Vec<(String, String)> {
    result["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| {
            (
                r["id"].as_str().expect("an id").to_owned(),
                r["outcome"].as_str().expect("an outcome").to_owned(),
            )
        })
        .collect()
}

/// `eval` of the scripted standard over CSV text, as CSV with `args`.
fn eval_scripted(name: &str, rows: &str, args: &[&str]) -> String {
    let data = common::write_scratch(name, rows);
    let mut all = vec![
        "eval",
        "tests/data/script.std",
        data.as_str(),
        "--format",
        "csv",
    ];
    all.extend(args);
    let output = yardstick(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn scripts_score_with_exact_decimals() {
    let csv = eval_scripted(
        "scripts.csv",
        "unit,area,green,kind\n三分之一,300,100,行政\n不足,300,89.99,執法\n無面積,0,0,行政\n",
        &["--detail"],
    );
    assert_eq!(
        csv,
        "\u{feff}unit,score,grade,failed,missing,D2,D3\n\
         三分之一,100.00,達標,,,pass,pass\n\
         不足,50.00,不達標,D2,,fail,pass\n\
         無面積,50.00,不達標,D2,,fail,pass\n"
    );
}

#[test]
fn every_limit_stops_its_script_and_the_batch_goes_on() {
    let output = yardstick(&[
        "eval",
        "tests/data/hostile.std",
        "tests/data/hostile.csv",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(3));
    // `print` went to the log on stderr: stdout is still one JSON document.
    let document: serde_json::Value =
        serde_json::from_str(&stdout(&output)).expect("stdout is JSON");
    let outcomes = rules_of(&document["results"][0]);
    let missing: Vec<&str> = outcomes
        .iter()
        .filter(|(_, o)| o == "missing")
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(missing, ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R10"]);
    assert!(outcomes.contains(&("R8".to_owned(), "pass".to_owned())));
    assert!(
        outcomes.contains(&("R9".to_owned(), "pass".to_owned())),
        "0.3 * 3 == 0.9 exactly"
    );
    insta::assert_snapshot!(stderr(&output));
}

#[test]
fn scripts_give_the_same_bytes_whatever_the_threads() {
    let mut rows = String::from("unit,area,green,kind\n");
    for i in 0..3000 {
        rows.push_str(&format!("U{i},{},{},行政\n", 100 + i % 7, i % 50));
    }
    let run = |jobs: &str| eval_scripted("scripts-many.csv", &rows, &["--jobs", jobs]);
    assert_eq!(run("1"), run("2"));
}

#[test]
fn a_comparison_of_two_script_results_is_refused() {
    let output = yardstick(&[
        "eval",
        "tests/data/script-compare.std",
        "tests/data/hostile.csv",
    ]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!("not_evaluable", stderr(&output));
}

#[test]
fn examples_run_through_scripts() {
    let output = yardstick(&["test", "tests/data/script.std"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).ends_with("1 passed, 0 failed\n"));
}
