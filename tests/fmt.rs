//! `yardstick fmt`: every standard and test case keeps its meaning and its
//! comments, the bundled standards are already canonical, and formatting twice
//! changes nothing.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};

use yardstick::syntax::{self, format};

/// Every `.std` file of the repository: the standards and the test cases.
fn all_standards() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut pending = vec![root.join("standards"), root.join("tests/cases")];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory).expect("a directory of standards") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "std") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn formatting_keeps_meaning_and_is_idempotent() {
    let mut formatted_files = 0;
    for path in all_standards() {
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        let parsed = syntax::parse(&source);
        if !parsed.errors.is_empty() {
            continue;
        }
        let once = format(&source).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(syntax::parse(&once).file, parsed.file, "{}", path.display());
        let twice = format(&once).expect("formatted text formats");
        assert_eq!(twice, once, "{} is not idempotent", path.display());
        let comments_before = parsed.comments.len();
        let comments_after = syntax::parse(&once).comments.len();
        assert_eq!(
            comments_after,
            comments_before,
            "{} lost comments",
            path.display()
        );
        formatted_files += 1;
    }
    assert!(
        formatted_files >= 40,
        "only {formatted_files} files were formatted"
    );
}

#[test]
fn bundled_standards_are_canonical() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("standards");
    for path in all_standards().into_iter().filter(|p| p.starts_with(&root)) {
        let source = std::fs::read_to_string(&path).expect("a standard");
        assert_eq!(
            format(&source).expect("formats"),
            source,
            "{} is not formatted",
            path.display()
        );
    }
}

#[test]
fn comments_stay_where_they_were() {
    let source = r#"# 標準的說明
standard s {   # 頭部
  title "t"
  key  unit_id # 鍵
}
fields {
  # 基本信息
  unit_id text "受檢科室"

  # 綠化
  green_coverage percent "綠化率"   # 百分比
}
section D "綠化" {
  # 第一條
  rule D1 "綠化率" { require green_coverage >= 30%   # 30% 以上
    points 6 # 六分
    # 在規則的末尾
  }
  rule D2 "一行": green_coverage >= 35%  # 一行規則
}
# 文件末尾
"#;
    let formatted = format(source).expect("formats");
    insta::assert_snapshot!(formatted);
}

#[test]
fn one_line_blocks_are_spread_and_operators_made_ascii() {
    let source = "standard s { key k } fields { k text x number } section A \"a\" { rule A1 \"t\" { require x ≥ 1 and x ≠ 2  points 4, deduct 1 per x } }";
    insta::assert_snapshot!(format(source).expect("formats"));
}

/// Inputs the fuzzer found that once broke the round trip: each either is a
/// syntax error or formats to text that parses back to the same tree.
#[test]
fn fuzzer_findings_round_trip_or_are_refused() {
    let findings = [
        // A date glued to a non-ASCII letter used to parse as a version and a
        // new header entry, and print as a date on a line of its own.
        "standard s {u 2015-01-00\u{7cb} t}",
        "standard s {u 2015-01-01\u{e9} t}",
        "standard s {u 2015\u{e9} t}",
    ];
    for source in findings {
        if syntax::parse(source).errors.is_empty() {
            let formatted = format(source).expect("formats");
            assert_eq!(
                syntax::parse(&formatted).file,
                syntax::parse(source).file,
                "{source}"
            );
        }
    }
    assert!(
        !syntax::parse("standard s {u 2015-01-01\u{e9} t}")
            .errors
            .is_empty()
    );
}
