//! Every record accounted for (issue 18): a bad spot in a file loses
//! nothing around it. Each record is either scored or named in a data
//! error with its line, whatever the file's format.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{stderr, stdout};

const STANDARD: &str = "tests/data/semantics.std";

fn scratch(name: &str) -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("records");
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    directory.join(name)
}

/// `eval` of the semantics standard on a scratch file written with
/// `bytes`, as CSV, run in the scratch directory.
fn eval_bytes(name: &str, bytes: &[u8]) -> Output {
    std::fs::write(scratch(name), bytes).expect("written");
    let standard = Path::new(env!("CARGO_MANIFEST_DIR")).join(STANDARD);
    Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(["eval", &standard.to_string_lossy(), name, "--format", "csv"])
        .current_dir(scratch(""))
        .output()
        .expect("the binary runs")
}

/// The units in CSV results (the lines after the heading).
fn units(output: &Output) -> Vec<String> {
    stdout(output)
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap_or_default().to_owned())
        .collect()
}

/// A JSON Lines record of a unit that passes every rule.
fn line(unit: &str) -> String {
    format!(
        r#"{{"unit": "{unit}", "kind": "行政", "bins": true, "waste": 0, "coverage": 35, "extra": false}}"#
    )
}

#[test]
fn a_line_that_is_not_utf8_loses_only_itself() {
    let mut bytes = Vec::new();
    for i in 1..=20_000 {
        let text = line(&format!("U{i}"));
        if i == 10_000 {
            bytes.extend(
                text.replace("U10000", "U1\u{0}")
                    .as_bytes()
                    .iter()
                    .map(|&b| if b == 0 { 0xFF } else { b }),
            );
        } else {
            bytes.extend(text.as_bytes());
        }
        bytes.push(b'\n');
    }
    let output = eval_bytes("one-bad-byte.jsonl", &bytes);
    assert_eq!(output.status.code(), Some(3));
    let scored = units(&output);
    assert_eq!(scored.len(), 19_999);
    assert!(!scored.contains(&"U10000".to_owned()));
    assert!(scored.contains(&"U20000".to_owned()));
    let messages = stderr(&output);
    assert!(
        messages.contains("one-bad-byte.jsonl line 10000: not valid JSON"),
        "{messages}"
    );
    assert!(messages.contains("1 data error"), "{messages}");
}

#[test]
fn a_byte_order_mark_or_a_bad_first_line_loses_nothing_else() {
    let records = format!("{}\n{}\n", line("甲"), line("乙"));
    let output = eval_bytes("bom.jsonl", format!("\u{FEFF}{records}").as_bytes());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(units(&output), ["甲", "乙"]);
    let output = eval_bytes("bad-first.jsonl", format!("{{oops\n{records}").as_bytes());
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(units(&output), ["甲", "乙"]);
    assert!(stderr(&output).contains("bad-first.jsonl line 1: not valid JSON"));
}

#[test]
fn text_after_a_json_array_is_an_error_and_the_records_are_kept() {
    let array = format!("[{}, {}]\nnot json", line("甲"), line("乙"));
    let output = eval_bytes("after.json", array.as_bytes());
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(units(&output), ["甲", "乙"]);
    let messages = stderr(&output);
    assert!(
        messages.contains("after.json record 2: the array is closed"),
        "{messages}"
    );
    assert!(messages.contains("text follows: `not"), "{messages}");
}
