//! Editions as a user meets them (SPEC §4): a later edition that extends an
//! earlier one, a directory of editions, each inspection scored by the
//! edition in force on its date, and the choice of one edition by date or
//! by version.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::process::{Command, Stdio};

use common::{stderr, stdout, yardstick};

const EDITIONS: &str = "standards/office_environment";
const MIXED: &str = "examples/inspections-2015-2016.csv";

/// The CSV result lines whose key is `unit`, as (edition, score, grade, failed).
fn lines_of<'a>(csv: &'a str, unit: &str) -> Vec<Vec<&'a str>> {
    csv.lines()
        .map(|line| line.split(',').collect::<Vec<_>>())
        .filter(|cells| cells[0] == unit)
        .map(|cells| cells[1..].to_vec())
        .collect()
}

#[test]
fn every_bundled_standard_checks_with_its_editions() {
    let output = yardstick(&["check", "standards"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    for file in [
        "standards/office_environment/2015.std",
        "standards/office_environment/2016.std",
        "standards/bench/2015.std",
    ] {
        assert!(text.contains(&format!("{file}: ok")), "{file} in {text}");
    }
}

#[test]
fn the_2016_edition_inherits_amends_removes_and_adds() {
    let output = yardstick(&[
        "eval",
        "standards/office_environment/2016.std",
        MIXED,
        "--format",
        "csv",
        "--detail",
        "--only-failed",
    ]);
    let csv = stdout(&output);
    let header: Vec<&str> = csv.lines().next().expect("a header").split(',').collect();
    assert!(header.contains(&"A8"), "the new rule: {header:?}");
    assert!(!header.contains(&"B3"), "the removed rule: {header:?}");
    assert!(header.contains(&"H2"), "an inherited rule: {header:?}");
    // 2015 rows have no 垃圾分類投放: a required field of 2016, blank.
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains("blank, but `waste_sorted` is"));
}

#[test]
fn each_inspection_is_scored_by_the_edition_in_force_on_its_date() {
    let output = yardstick(&["eval", EDITIONS, MIXED, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let csv = stdout(&output);
    assert!(
        csv.starts_with("\u{feff}受檢科室,版本,得分,等次,不合格項,缺值項\n"),
        "{csv}"
    );
    // 審計科 at 30.3% green coverage: enough in 2015 (30%), not in 2016 (35%).
    let audit = lines_of(&csv, "審計科");
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[0][0], "2015");
    assert!(!audit[0][3].contains("D1"), "{audit:?}");
    assert_eq!(audit[1][0], "2016");
    assert!(audit[1][3].contains("D1"), "{audit:?}");
    // B3 exists only in 2015; A8 only in 2016.
    let organisation = lines_of(&csv, "組織科");
    assert!(organisation[0][3].contains("B3"));
    assert!(!organisation[1][3].contains("B3"));
    let finance = lines_of(&csv, "財務科");
    assert!(!finance[0][3].contains("A8") && finance[1][3].contains("A8"));
}

#[test]
fn every_json_result_names_its_edition() {
    let output = yardstick(&["eval", EDITIONS, MIXED, "--format", "jsonl"]);
    let editions: Vec<String> = stdout(&output)
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            value["edition"].as_str().expect("an edition").to_owned()
        })
        .collect();
    assert_eq!(editions.len(), 24);
    assert_eq!(editions.iter().filter(|e| *e == "2015").count(), 12);
    assert_eq!(editions.iter().filter(|e| *e == "2016").count(), 12);
}

#[test]
fn as_of_and_edition_choose_one_edition_for_every_record() {
    let as_of = yardstick(&[
        "eval",
        EDITIONS,
        MIXED,
        "--format",
        "csv",
        "--as-of",
        "2015-07-01",
    ]);
    assert_eq!(as_of.status.code(), Some(0), "{}", stderr(&as_of));
    let csv = stdout(&as_of);
    assert!(
        csv.starts_with("\u{feff}受檢科室,得分,等次,不合格項,缺值項\n"),
        "one edition: {csv}"
    );
    assert_eq!(lines_of(&csv, "組織科").len(), 2);
    assert!(lines_of(&csv, "組織科").iter().all(|l| l[2].contains("B3")));

    let rescored = yardstick(&[
        "eval",
        EDITIONS,
        MIXED,
        "--format",
        "csv",
        "--edition",
        "2016",
    ]);
    let csv = stdout(&rescored);
    assert!(
        lines_of(&csv, "組織科")
            .iter()
            .all(|l| !l[2].contains("B3"))
    );
    assert_eq!(
        rescored.status.code(),
        Some(3),
        "2015 rows lack 垃圾分類投放"
    );

    for (flag, value, message) in [
        (
            "--as-of",
            "2014-03-01",
            "no edition is in force on 2014-03-01",
        ),
        ("--as-of", "2015/3/1", "write the date as YYYY-MM-DD"),
        ("--edition", "2017", "the editions are 2015, 2016"),
    ] {
        let output = yardstick(&["eval", EDITIONS, MIXED, flag, value]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains(message), "{}", stderr(&output));
    }
}

#[test]
fn a_record_no_edition_can_score_is_a_data_error() {
    let output = yardstick(&[
        "eval",
        EDITIONS,
        "tests/data/editions-undatable.csv",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        stdout(&output),
        "\u{feff}受檢科室,版本,得分,等次,不合格項,缺值項\n"
    );
    insta::assert_snapshot!(stderr(&output));
}

#[test]
fn explanations_point_into_the_edition_that_wrote_the_rule() {
    let output = yardstick(&[
        "eval",
        EDITIONS,
        MIXED,
        "--explain",
        "審計科",
        "-o",
        "/dev/null",
    ]);
    insta::assert_snapshot!(stderr(&output));
}

#[test]
fn a_standard_from_stdin_cannot_extend_a_file() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(["check", "-"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let text = std::fs::read("standards/office_environment/2016.std").expect("the 2016 edition");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &text).expect("written");
    let output = child.wait_with_output().expect("it ends");
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&output));
}

/// A directory of editions that extend one another in order is merged
/// edition by edition (each onto the one before, kept from the last merge):
/// each edition must score exactly as its file read alone, whose chain is
/// merged from the first edition.
#[test]
fn editions_of_a_directory_score_as_each_file_alone() {
    let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("chain");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("a folder");
    let first = "standard s {\n  title \"鏈\"\n  version 1\n  effective 2000-01-01\n  key unit_id\n}\n\nfields {\n  unit_id text\n  x number\n}\n\nsection A \"a\" {\n  rule R0 \"t\": x > 0\n  rule G \"g\": x > 1\n}\n";
    std::fs::write(folder.join("e0.std"), first).expect("written");
    let changes = [
        "amend rule R0 { require x > 2 }\nsection A \"a\" {\n  rule R1 \"t1\": x > 1\n}\n",
        "remove rule G\nsection B \"b\" {\n  rule R2 \"t2\": x < 5\n}\n",
        "amend rule R1 { points 3 }\nremove section B\nrule G \"g\": x > 3\n",
        "amend rule R0 { require x > 4 }\nsection B \"b\" {\n  rule R3 \"t3\": x != 2\n}\n",
    ];
    for (i, change) in changes.iter().enumerate() {
        let text = format!(
            "standard s {{\n  extends \"e{i}.std\"\n  version {}\n  effective 200{}-01-01\n}}\n\n{change}",
            i + 2,
            i + 1
        );
        std::fs::write(folder.join(format!("e{}.std", i + 1)), text).expect("written");
    }
    let data = common::write_scratch("chain.csv", "unit_id,x\n甲,1\n乙,3\n丙,5\n");
    let directory = folder.to_string_lossy().into_owned();
    for version in 1..=changes.len() + 1 {
        let file = folder.join(format!("e{}.std", version - 1));
        let alone = yardstick(&[
            "eval",
            &file.to_string_lossy(),
            &data,
            "--format",
            "csv",
            "--detail",
        ]);
        assert_eq!(alone.status.code(), Some(0), "{}", stderr(&alone));
        let version = version.to_string();
        let in_directory = yardstick(&[
            "eval",
            &directory,
            &data,
            "--edition",
            &version,
            "--format",
            "csv",
            "--detail",
        ]);
        assert_eq!(
            in_directory.status.code(),
            Some(0),
            "{}",
            stderr(&in_directory)
        );
        assert_eq!(stdout(&in_directory), stdout(&alone), "edition {version}");
    }
}
