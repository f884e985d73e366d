//! The command line as a user runs it: exit codes, where output goes, formats.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{stderr, stdout, yardstick};

const FOUNDING: &str = "standards/office_environment/2015.std";

#[test]
fn check_passes_the_founding_standard_without_warnings() {
    let output = yardstick(&["check", FOUNDING]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), format!("{FOUNDING}: ok\n"));
    assert!(stdout(&output).is_empty());
}

#[test]
fn check_exits_2_on_errors_and_0_on_warnings_only() {
    let output = yardstick(&["check", "tests/cases/check/unknown_field.std"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("yardstick::unknown_field"));
    assert!(stderr(&output).contains("1 error"));
    let output = yardstick(&["check", "tests/cases/check/unused_field.std"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("1 warning"));
}

#[test]
fn check_reports_every_file_even_after_an_error() {
    let output = yardstick(&["check", "tests/cases/check/unknown_field.std", FOUNDING]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains(&format!("{FOUNDING}: ok")));
}

#[test]
fn diagnostics_are_not_coloured_when_stderr_is_not_a_terminal() {
    let output = yardstick(&["check", "tests/cases/check/many_errors.std"]);
    assert!(
        !stderr(&output).contains('\u{1b}'),
        "escape codes in {}",
        stderr(&output)
    );
}

#[test]
fn check_json_lists_code_severity_and_position() {
    let output = yardstick(&[
        "check",
        "--format",
        "json",
        "tests/cases/check/percent_scale.std",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
    let first = &json[0];
    assert_eq!(first["code"], "yardstick::percent_scale");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["file"], "tests/cases/check/percent_scale.std");
    assert_eq!(first["line"], 27);
    assert_eq!(first["column"], 31);
    assert_eq!(first["span"]["length"], 2);
    assert!(first["help"].as_str().is_some_and(|h| h.contains("30%")));
}

#[test]
fn check_json_of_a_clean_file_is_an_empty_list() {
    let output = yardstick(&["check", "--format", "json", FOUNDING]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output).trim(), "[]");
}

#[test]
fn a_missing_file_is_named_and_exits_2() {
    let output = yardstick(&["check", "no/such/standard.std"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no/such/standard.std"));
}

#[test]
fn invalid_utf8_is_a_diagnostic() {
    let output = yardstick(&["check", "tests/cases/syntax/invalid_utf8.std"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("yardstick::invalid_utf8"));
}

#[test]
fn bad_command_lines_exit_2() {
    assert_eq!(yardstick(&["check"]).status.code(), Some(2));
    assert_eq!(yardstick(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        yardstick(&["check", "--format", "xml", FOUNDING])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(yardstick(&["--help"]).status.code(), Some(0));
}

fn scratch(name: &str, text: &str) -> std::path::PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    let path = directory.join(name);
    std::fs::write(&path, text).expect("a scratch file");
    path
}

const UNFORMATTED: &str = "standard s { key unit_id }\nfields { unit_id text }\n";

#[test]
fn fmt_check_prints_a_diff_and_exits_1_without_writing() {
    let path = scratch("unformatted.std", UNFORMATTED);
    let output = yardstick(&["fmt", "--check", path.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("+  key unit_id"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("still there"),
        UNFORMATTED
    );
}

#[test]
fn fmt_rewrites_the_file_and_then_check_passes() {
    let path = scratch("rewritten.std", UNFORMATTED);
    let path = path.to_str().expect("utf-8 path");
    assert_eq!(yardstick(&["fmt", path]).status.code(), Some(0));
    let formatted = std::fs::read_to_string(path).expect("written");
    assert_eq!(
        formatted,
        "standard s {\n  key unit_id\n}\n\nfields {\n  unit_id  text\n}\n"
    );
    assert_eq!(yardstick(&["fmt", "--check", path]).status.code(), Some(0));
}

#[test]
fn fmt_check_passes_on_the_founding_standard() {
    let output = yardstick(&["fmt", "--check", FOUNDING]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn fmt_leaves_a_file_with_syntax_errors_alone() {
    let broken = "standard s { key unit_id \nfields { unit_id text }\n";
    let path = scratch("broken.std", broken);
    let output = yardstick(&["fmt", path.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("yardstick::syntax_error"));
    assert_eq!(std::fs::read_to_string(&path).expect("still there"), broken);
}

#[test]
fn fmt_reads_stdin_and_writes_stdout_for_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(UNFORMATTED.as_bytes())
        .expect("written");
    let output = child.wait_with_output().expect("finished");
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("standard s {\n  key unit_id\n}\n"));
}
