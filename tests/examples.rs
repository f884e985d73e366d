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
    // Each edition lists the founding standard's two roll-up examples (2016
    // inherits them) as not run.
    assert!(text.contains("  skip  隔月再犯不算連續 (roll-up examples are not run yet)\n"));
    assert!(text.ends_with("15 passed, 0 failed, 4 not run\n"), "{text}");
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
fn a_rollup_example_is_listed_as_not_run_never_scored_as_one_record() {
    let output = yardstick(&["test", "tests/data/examples-rollup.std"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "tests/data/examples-rollup.std\n  ok    一次檢查\n  skip  一年 (roll-up examples are not run yet)\n1 passed, 0 failed, 1 not run\n"
    );
    assert_eq!(stderr(&output), "");
}

#[test]
fn a_standard_that_does_not_check_is_not_run() {
    let output = yardstick(&["test", "tests/cases/check/unknown_field.std"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("yardstick::unknown_field"));
    assert!(stdout(&output).ends_with("0 passed, 0 failed\n"));
}
