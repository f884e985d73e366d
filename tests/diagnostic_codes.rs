//! Every diagnostic code is unique, has a fixture under `tests/cases/` whose
//! snapshot shows it, and is documented in `docs/diagnostics.md`.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::collections::BTreeSet;
use std::path::Path;

/// The codes written as `code(yardstick::...)` in the sources, in order.
fn declared_codes() -> Vec<String> {
    let mut codes = Vec::new();
    let mut pending = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(directory).expect("the sources") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a source file");
            for piece in text.split("code(yardstick::").skip(1) {
                let code: String = piece
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                codes.push(code);
            }
        }
    }
    codes
}

#[test]
fn every_code_is_unique() {
    let codes = declared_codes();
    let unique: BTreeSet<&String> = codes.iter().collect();
    assert_eq!(unique.len(), codes.len(), "duplicated codes in {codes:?}");
    assert!(codes.len() >= 40, "found only {} codes", codes.len());
}

#[test]
fn every_code_has_a_snapshotted_fixture() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut shown = String::new();
    for entry in std::fs::read_dir(snapshots).expect("the snapshots") {
        shown.push_str(
            &std::fs::read_to_string(entry.expect("an entry").path()).expect("a snapshot"),
        );
    }
    for code in declared_codes() {
        assert!(
            shown.contains(&format!("yardstick::{code}\n")),
            "no fixture shows yardstick::{code}"
        );
    }
}

#[test]
fn every_code_is_documented() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .expect("docs/diagnostics.md");
    for code in declared_codes() {
        assert!(
            docs.contains(&format!("## yardstick::{code}\n")),
            "yardstick::{code} is not documented"
        );
    }
}
