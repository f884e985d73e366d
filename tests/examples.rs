//! `yardstick test`: a standard's examples run like tests.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::{stderr, stdout, yardstick};

#[test]
fn the_bundled_standards_pass_their_examples() {
    let output = yardstick(&["test", "standards"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}{}", stderr(&output));
    assert!(text.contains("standards/office_environment/2016.std (edition 2016)"));
    assert!(text.contains("  ok    綠化率32%的科室在2016年不達標準線\n"));
    // The founding standard's two roll-up examples run in both editions:
    // 2016 inherits them, and their 2015 inspections are scored by 2015.
    assert!(text.contains("  ok    隔月再犯不算連續\n"));
    assert!(text.ends_with("19 passed, 0 failed\n"), "{text}");
}

#[test]
fn each_expectation_that_does_not_hold_points_at_its_line() {
    let output = yardstick(&["test", "tests/data/examples-failing.std"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "tests/data/examples-failing.std\n  ok    都對\n  FAIL  寫錯了\n1 passed, 1 failed\n"
    );
    insta::assert_snapshot!(stderr(&output));
}

#[test]
fn a_standard_that_does_not_check_is_not_run() {
    let output = yardstick(&["test", "tests/cases/check/unknown_field.std"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("yardstick::unknown_field"));
    assert!(stdout(&output).ends_with("0 passed, 0 failed\n"));
}

#[test]
fn roll_up_examples_hold_a_units_year_to_its_score_and_grade() {
    let output = yardstick(&["test", "tests/data/rollup-examples.std"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "tests/data/rollup-examples.std (edition 2015)\n  ok    一月有垃圾，二月乾淨\n  ok    連續三個月暴露垃圾\n2 passed, 0 failed\n"
    );
    let failing = yardstick(&["test", "tests/data/rollup-example-failing.std"]);
    assert_eq!(failing.status.code(), Some(1));
    insta::assert_snapshot!(stderr(&failing));
}

#[test]
fn an_edition_tested_alone_scores_its_roll_up_examples_by_its_folders_editions() {
    // 2016 inherits the 2015 roll-up's examples; their 2015 inspections are
    // scored by the 2015 edition, as when the folder is tested.
    let output = yardstick(&["test", "standards/office_environment/2016.std"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("  ok    隔月再犯不算連續\n"));
}
