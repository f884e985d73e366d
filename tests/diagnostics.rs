//! Every diagnostic, as a user sees it: each file under `tests/cases/` is
//! read as the command line reads a standard, and its source and rendered
//! diagnostics are snapshotted together. `tests/cases/editions/` holds
//! editions that extend the files in its `base/`; each directory under
//! `tests/cases/directories/` is one standard's editions, read together.

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
        let source = String::from_utf8_lossy(&bytes);
        let snapshot = format!(
            "{source}\n----- diagnostics -----\n{}",
            common::rendered_standard(&name)
        );
        insta::assert_snapshot!(snapshot);
    });
}

#[test]
fn every_directory_of_editions_renders_as_snapshotted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/directories");
    let mut directories: Vec<_> = std::fs::read_dir(&root)
        .expect("the directory cases")
        .map(|e| e.expect("an entry").path())
        .collect();
    directories.sort();
    for directory in directories {
        let name = common::display_path(&directory);
        let mut files: Vec<_> = std::fs::read_dir(&directory)
            .expect("a case directory")
            .map(|e| e.expect("an entry").path())
            .collect();
        files.sort();
        let mut snapshot = String::new();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a case file");
            snapshot.push_str(&format!("=== {}\n{text}\n", common::display_path(&file)));
        }
        snapshot.push_str(&format!(
            "----- diagnostics -----\n{}",
            common::rendered_standard(&name)
        ));
        let case = directory
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        insta::assert_snapshot!(format!("directory_{case}"), snapshot);
    }
}

#[test]
fn every_case_produces_a_diagnostic() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    for directory in ["check", "syntax", "editions", "directories"] {
        for entry in std::fs::read_dir(cases.join(directory)).expect("the cases exist") {
            let path = entry.expect("a directory entry").path();
            let name = common::display_path(&path);
            if name.ends_with("/base") {
                continue;
            }
            assert!(
                !common::rendered_standard(&name).is_empty(),
                "{name} should produce a diagnostic"
            );
        }
    }
}
