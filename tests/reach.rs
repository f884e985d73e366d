//! Files named inside other files — a standard's `extends`, the files of a
//! draw record — are read only when they are regular files (a FIFO would
//! hang the run, `/dev/zero` never ends), inside the folder of the file
//! that names them unless `--allow-outside`, and `extends` reads only `.std`
//! files, so that no other file's lines are quoted in an error.

#![cfg(unix)]
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::stderr;

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("reach")
        .join(name);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("a scratch folder");
    folder
}

/// An edition extending `base`, in `folder`.
fn edition(folder: &Path, base: &str) -> String {
    let path = folder.join("2016.std");
    std::fs::write(
        &path,
        format!("standard office_environment {{\n  extends \"{base}\"\n  version 2016\n  effective 2016-01-01\n}}\n"),
    )
    .expect("the edition");
    path.to_string_lossy().into_owned()
}

/// Runs `yardstick`, killed after a minute if it hangs (then the test fails).
fn run(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let started = Instant::now();
    while child.try_wait().expect("waiting").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{args:?} hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("finished")
}

/// A run's messages as one line of words: the renderer wraps long lines
/// at widths that depend on the paths in them.
fn unwrapped(output: &Output) -> String {
    stderr(output)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
}

#[test]
fn extends_reads_no_file_that_is_not_a_standard() {
    let folder = folder("not-a-standard");
    let edition = edition(&folder, "/etc/passwd");
    let output = run(&["check", &edition]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(said.contains("yardstick::extends_not_standard"), "{said}");
    assert!(
        !said.contains("root:"),
        "a line of /etc/passwd is quoted: {said}"
    );
}

#[test]
fn extends_stays_in_the_standards_folder_unless_allowed() {
    let folder = folder("outside");
    let base = folder.join("base");
    std::fs::create_dir_all(&base).expect("a folder");
    std::fs::copy(
        "standards/office_environment/2015.std",
        base.join("2015.std"),
    )
    .expect("copied");
    let inside = folder.join("editions");
    std::fs::create_dir_all(&inside).expect("a folder");
    let edition = edition(&inside, "../base/2015.std");
    let output = run(&["check", &edition]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("yardstick::extends_outside"),
        "{}",
        stderr(&output)
    );
    // A link inside the folder to a file outside it is outside too.
    std::os::unix::fs::symlink(base.join("2015.std"), inside.join("2015.std")).expect("a link");
    let linked = self::edition(&inside, "2015.std");
    let output = run(&["check", &linked]);
    assert!(
        stderr(&output).contains("yardstick::extends_outside"),
        "{}",
        stderr(&output)
    );
    let allowed = run(&["check", &linked, "--allow-outside"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stderr(&allowed));
    // A directory of editions is the folder its editions' `extends` stay in.
    let output = run(&["check", &inside.to_string_lossy()]);
    assert!(
        stderr(&output).contains("yardstick::extends_outside"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn extends_does_not_hang_on_a_fifo_nor_read_a_device() {
    let folder = folder("fifo");
    mkfifo(&folder.join("2015.std"));
    let edition = edition(&folder, "2015.std");
    let output = run(&["check", &edition]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        unwrapped(&output).contains("it is a named pipe (FIFO), not a file"),
        "{}",
        stderr(&output)
    );
    std::os::unix::fs::symlink("/dev/zero", folder.join("zero.std")).expect("a link");
    let edition = self::edition(&folder, "zero.std");
    let output = run(&["check", &edition, "--allow-outside"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        unwrapped(&output).contains("it is a device, not a file"),
        "{}",
        stderr(&output)
    );
}

/// A draw record in `folder` naming `units` as its units file.
fn record(folder: &Path, units: &str) -> String {
    let made = folder.join("made.json");
    let output = run(&[
        "sample",
        "examples/inspections-2015.csv",
        "--n",
        "2",
        "--seed",
        "7",
        "--record",
        &made.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&made).expect("the record")).expect("JSON");
    json["units"]["file"] = serde_json::Value::from(units);
    let record = folder.join("draw.json");
    std::fs::write(&record, json.to_string()).expect("the record");
    record.to_string_lossy().into_owned()
}

#[test]
fn a_draw_record_cannot_make_verify_read_any_file() {
    let folder = folder("record");
    mkfifo(&folder.join("fifo.csv"));
    for (units, said) in [
        ("/dev/zero", "is a device, not a file"),
        ("fifo.csv", "is a named pipe (FIFO), not a file"),
        (
            "../../../../../../../../etc/passwd",
            "outside the record's folder",
        ),
        ("/etc/passwd", "outside the record's folder"),
    ] {
        let record = record(&folder, units);
        let output = run(&["sample", "--verify", &record]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{units}: {}",
            stderr(&output)
        );
        assert!(
            unwrapped(&output).contains(said),
            "{units}: {}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("SHA-256"), "{}", stderr(&output));
    }
}
