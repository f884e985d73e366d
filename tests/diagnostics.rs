//! Every diagnostic, as a user sees it: each file under `tests/cases/` is
//! compiled and its source and rendered diagnostics are snapshotted together.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::Path;

#[test]
fn every_case_renders_as_snapshotted() {
    insta::glob!("cases/*/*.std", |path: &Path| {
        let bytes = std::fs::read(path).expect("the case file is readable");
        let name = common::display_path(path);
        let file = common::diagnostics_of(&name, bytes.clone());
        let source = String::from_utf8_lossy(&bytes);
        let snapshot = format!(
            "{source}\n----- diagnostics -----\n{}",
            common::rendered(&file)
        );
        insta::assert_snapshot!(snapshot);
    });
}

#[test]
fn every_case_produces_a_diagnostic() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    for directory in ["check", "syntax"] {
        for entry in std::fs::read_dir(cases.join(directory)).expect("the cases exist") {
            let path = entry.expect("a directory entry").path();
            let name = common::display_path(&path);
            let file = common::diagnostics_of(&name, std::fs::read(&path).expect("readable"));
            assert!(!file.items.is_empty(), "{name} should produce a diagnostic");
        }
    }
}
