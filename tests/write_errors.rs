//! Every command checks its writes: stdout on a full disk (`> /dev/full`) is
//! an error and exit 2, never a silent success; a reader that goes away
//! (`| head`) stays quiet and successful.

#![cfg(target_os = "linux")]
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::process::{Command, Output, Stdio};

use common::stderr;

const FOUNDING: &str = "standards/office_environment/2015.std";
const DATA: &str = "examples/inspections-2015.csv";

/// Every command that writes to stdout, with what it exits with when its
/// output can be written (`fmt --check` of a file to reformat finds it: 1).
fn commands(record: &str) -> Vec<(Vec<&str>, i32)> {
    vec![
        (vec!["check", "--format", "json", FOUNDING], 0),
        (vec!["eval", FOUNDING, DATA, "--format", "csv"], 0),
        (vec!["eval", FOUNDING, DATA, "--format", "json"], 0),
        (vec!["eval", FOUNDING, DATA, "--format", "html"], 0),
        (
            vec![
                "diff",
                "standards/office_environment/2015.std",
                "standards/office_environment/2016.std",
            ],
            0,
        ),
        (vec!["test", FOUNDING], 0),
        (vec!["fmt", "-"], 0),
        (
            vec!["fmt", "--check", "tests/cases/check/unknown_field.std"],
            1,
        ),
        (
            vec![
                "compare",
                "--standard",
                FOUNDING,
                "tests/data/compare/round1.csv",
                "tests/data/compare/round2.csv",
            ],
            0,
        ),
        (
            vec![
                "sample", DATA, "--n", "2", "--seed", "7", "--record", record,
            ],
            0,
        ),
        (vec!["sample", "--verify", record, "--allow-outside"], 0),
        (vec!["template", FOUNDING], 0),
    ]
}

/// Runs `yardstick` with stdout sent where `stdout` says, stdin the founding
/// standard (for `fmt -`).
fn run(args: &[&str], stdout: Stdio) -> Output {
    let stdin = std::fs::File::open(FOUNDING).expect("the founding standard");
    Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(stdin)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs")
}

/// A draw record for `sample --verify` in a folder of its own, made by a
/// run that writes to a file.
fn record(folder: &str) -> String {
    let directory = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder);
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    let record = directory.join("draw.record.json");
    let record = record.to_str().expect("a UTF-8 path").to_owned();
    let output = run(
        &[
            "sample", DATA, "--n", "2", "--seed", "7", "--record", &record,
        ],
        Stdio::null(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    record
}

#[test]
fn a_full_disk_on_stdout_is_an_error_in_every_command() {
    let record = record("stdout-full");
    for (args, _) in commands(&record) {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let output = run(&args, Stdio::from(full));
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("No space left on device"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_reader_that_goes_away_is_no_error() {
    let record = record("stdout-closed");
    for (args, exit) in commands(&record) {
        let stdin = std::fs::File::open(FOUNDING).expect("the founding standard");
        let mut child = Command::new(env!("CARGO_BIN_EXE_yardstick"))
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        // The reading end closes before (or while) the command writes.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("finished");
        assert_eq!(
            output.status.code(),
            Some(exit),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            !stderr(&output).contains("error"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}
