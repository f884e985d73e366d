//! `yardstick sample`: a reproducible, stratified draw of units and
//! inspectors, and its verification from the published record.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::{stderr, stdout, yardstick};

const UNITS: &str = "tests/data/units.csv";

fn draw(units: &str, record: &str) -> std::process::Output {
    yardstick(&[
        "sample",
        units,
        "--n",
        "6",
        "--seed",
        "2016",
        "--by",
        "區",
        "--exclude",
        "tests/data/last-round.csv",
        "--inspectors",
        "tests/data/inspectors.csv",
        "--per-unit",
        "2",
        "--avoid",
        "區",
        "--record",
        record,
    ])
}

#[test]
fn the_draw_is_pinned_by_a_test_vector() {
    let record = common::write_scratch("draw.json", "");
    let output = draw(UNITS, &record);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // This exact draw must come out on every platform and every version.
    assert_eq!(
        stdout(&output),
        "order,單位,區,inspector_1,inspector_2\n\
         1,政務服務科,第1區,檢查員己,檢查員辛\n\
         2,統計科,第2區,檢查員甲,檢查員丁\n\
         3,組織科,第2區,檢查員甲,檢查員戊\n\
         4,執法大隊,第3區,檢查員戊,檢查員辛\n\
         5,宣傳科,第3區,檢查員丁,檢查員戊\n\
         6,督查室,第4區,檢查員丙,檢查員甲\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&record).expect("the record")).expect("JSON");
    assert_eq!(json["seed"], 2016);
    // The units file is named relative to the record's folder.
    let named = json["units"]["file"].as_str().expect("a file name");
    let folder = std::path::Path::new(&record).parent().expect("a folder");
    assert!(!std::path::Path::new(named).is_absolute(), "{named}");
    assert_eq!(
        std::fs::canonicalize(folder.join(named)).expect("the recorded file"),
        std::fs::canonicalize(UNITS).expect("the units")
    );
    assert_eq!(json["units"]["sha256"].as_str().map(str::len), Some(64));
    assert!(
        json["algorithm"]
            .as_str()
            .is_some_and(|a| a.starts_with("yardstick-sample-1"))
    );
}

#[test]
fn a_record_verifies_and_a_changed_file_does_not() {
    let units = common::write_scratch("units.csv", &std::fs::read_to_string(UNITS).expect("units"));
    let record = common::write_scratch("draw-verify.json", "");
    assert_eq!(draw(&units, &record).status.code(), Some(0));
    // The exclusion and inspector lists are outside the record's folder.
    let verified = yardstick(&["sample", "--verify", &record, "--allow-outside"]);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    assert!(stdout(&verified).starts_with("verified: 6 units drawn with seed 2016"));

    // Fewer units than the draw asked for: the digest says so before any
    // draw is attempted (which would fail with an error of its own).
    let recorded_digest = sha256_of(&units);
    let fewer: String = std::fs::read_to_string(UNITS)
        .expect("units")
        .lines()
        .take(4)
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(&units, &fewer).expect("changed");
    let changed = yardstick(&["sample", "--verify", &record, "--allow-outside"]);
    assert_eq!(changed.status.code(), Some(1), "{}", stderr(&changed));
    assert_eq!(
        stderr(&changed),
        format!(
            "not verified: `units.csv` has changed since the draw (SHA-256 {recorded_digest} recorded, {} now)\n",
            sha256_of(&units)
        )
    );
}

/// The SHA-256 of a file, in hex.
fn sha256_of(path: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(std::fs::read(path).expect("the file"))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_record_names_its_files_relative_to_itself_and_is_verified_from_there_only() {
    let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch/published");
    std::fs::create_dir_all(&folder).expect("a folder");
    let units = folder.join("units.csv");
    std::fs::copy(UNITS, &units).expect("copied");
    let record = folder.join("draw.json");
    let (units, record) = (units.to_string_lossy(), record.to_string_lossy());
    let output = yardstick(&[
        "sample", &units, "--n", "3", "--seed", "9", "--record", &record,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(&*record).expect("the record");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(json["units"]["file"], "units.csv");
    let verified = yardstick(&["sample", "--verify", &record]);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));

    // A path that exists from the working folder (the crate's) but not from
    // the record's folder is not read.
    let elsewhere = folder.join("elsewhere.json");
    std::fs::write(
        &elsewhere,
        text.replace("\"units.csv\"", &format!("\"{UNITS}\"")),
    )
    .expect("written");
    let output = yardstick(&["sample", "--verify", &elsewhere.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot read"),
        "{}",
        stderr(&output)
    );

    // A record of another algorithm is refused, naming both.
    let other = folder.join("other.json");
    let algorithm = json["algorithm"].as_str().expect("an algorithm");
    std::fs::write(
        &other,
        text.replace(algorithm, "yardstick-sample-2 (something else)"),
    )
    .expect("written");
    let output = yardstick(&["sample", "--verify", &other.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("was drawn by the algorithm `yardstick-sample-2 (something else)`, but this version of yardstick implements `yardstick-sample-1`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_order_of_the_rows_does_not_change_the_draw() {
    let text = std::fs::read_to_string(UNITS).expect("units");
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    let reversed = common::write_scratch("units-reversed.csv", &(lines.join("\n") + "\n"));
    let record = common::write_scratch("draw-reversed.json", "");
    let first = draw(UNITS, &common::write_scratch("draw-a.json", ""));
    let second = draw(&reversed, &record);
    // Two failed runs would also print the same (nothing): both must draw.
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(stdout(&first).lines().count(), 7, "{}", stdout(&first));
    assert_eq!(stdout(&first), stdout(&second));
}

#[test]
fn impossible_draws_are_refused() {
    let output = yardstick(&[
        "sample",
        UNITS,
        "--n",
        "30",
        "--seed",
        "1",
        "--record",
        "/dev/null",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("30 units asked for, but there are only 20"));
    let output = yardstick(&["sample", UNITS, "--n", "3", "--seed", "1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--record FILE"));
}

#[test]
fn inspector_options_need_inspectors_and_n_must_be_at_least_one() {
    for option in [["--per-unit", "2"], ["--avoid", "區"]] {
        let output = yardstick(&[
            "sample",
            UNITS,
            "--n",
            "3",
            "--seed",
            "1",
            "--record",
            "/dev/null",
            option[0],
            option[1],
        ]);
        assert_eq!(output.status.code(), Some(2), "{option:?}");
        assert!(
            stderr(&output).contains("--inspectors"),
            "{}",
            stderr(&output)
        );
    }
    let output = yardstick(&[
        "sample",
        UNITS,
        "--n",
        "0",
        "--seed",
        "1",
        "--record",
        "/dev/null",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`--n` must be at least 1"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_units_file_with_two_columns_headed_alike_is_refused() {
    let units = common::write_scratch("twice-headed.csv", "單位,區,區\n甲,第1區,第2區\n");
    let output = yardstick(&[
        "sample",
        &units,
        "--n",
        "1",
        "--seed",
        "1",
        "--by",
        "區",
        "--record",
        "/dev/null",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let err = stderr(&output).replace(&units, "twice-headed.csv");
    assert!(
        err.contains("`twice-headed.csv` has two columns headed `區` (columns 2 and 3)"),
        "{err}"
    );
}

/// Runs `sample` on a scratch units file (and maybe inspectors), with the
/// scratch paths shown by their names in stderr.
fn sample_scratch(
    name: &str,
    units: &str,
    inspectors: Option<&str>,
    n: &str,
) -> (Option<i32>, String) {
    // Tests run in parallel: each call writes files of its own.
    let units_path = common::write_scratch(&format!("{name}-units.csv"), units);
    let mut args = vec![
        "sample",
        &units_path,
        "--n",
        n,
        "--seed",
        "1",
        "--record",
        "/dev/null",
    ];
    let inspectors_path;
    if let Some(text) = inspectors {
        inspectors_path = common::write_scratch(&format!("{name}-inspectors.csv"), text);
        args.extend([
            "--inspectors",
            &inspectors_path,
            "--per-unit",
            "2",
            "--avoid",
            "區",
        ]);
    }
    let output = yardstick(&args);
    let mut err = stderr(&output).replace(&units_path, "u.csv");
    if let Some(path) = args.get(9) {
        err = err.replace(path, "i.csv");
    }
    (output.status.code(), err)
}

#[test]
fn a_unit_listed_twice_or_without_a_name_is_refused() {
    let (code, err) = sample_scratch(
        "unit-twice",
        "單位,區\n甲,第1區\n甲,第1區\n乙,第2區\n",
        None,
        "3",
    );
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        err,
        "error: unit `甲` is listed twice: u.csv line 2 and u.csv line 3\n"
    );
    let (code, err) = sample_scratch(
        "unit-unnamed",
        "單位,區\n甲,第1區\n,第2區\n乙,第2區\n",
        None,
        "2",
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.starts_with("error: u.csv line 3: the unit has no `單位`"),
        "{err}"
    );
    // A line with every cell blank is not a unit: skipped, and said so.
    let (code, err) = sample_scratch(
        "unit-blank",
        "單位,區\n甲,第1區\n,\n乙,第2區\n,\n",
        None,
        "2",
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.starts_with("warning: `u.csv`: blank lines 3, 5 skipped\n"),
        "{err}"
    );
}

#[test]
fn an_inspector_listed_twice_or_without_a_name_is_refused() {
    let units = "單位,區\n甲,第1區\n乙,第2區\n";
    let (code, err) = sample_scratch(
        "inspector-twice",
        units,
        Some("姓名,區\n張三,第3區\n李四,第3區\n張三,第4區\n王五,第4區\n"),
        "2",
    );
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        err,
        "error: inspector `張三` is listed twice: i.csv line 2 and i.csv line 4\n"
    );
    let (code, err) = sample_scratch(
        "inspector-unnamed",
        units,
        Some("姓名,區\n張三,第3區\n,第3區\n王五,第4區\n"),
        "2",
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.starts_with("error: i.csv line 3: the inspector has no `姓名`"),
        "{err}"
    );
}

#[test]
fn an_exclusion_list_without_the_key_heading_or_with_unknown_units_is_warned_about() {
    let units = common::write_scratch("exclude-units.csv", "單位\n辦公室\n組織科\n宣傳科\n");
    let headerless = common::write_scratch("exclude-bare.csv", "辦公室\n組織科\n");
    let excluding = |list: &str| {
        yardstick(&[
            "sample",
            &units,
            "--n",
            "2",
            "--seed",
            "1",
            "--exclude",
            list,
            "--record",
            "/dev/null",
        ])
    };
    let output = excluding(&headerless);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output).replace(&headerless, "ex.csv");
    assert!(
        err.starts_with(
            "warning: `ex.csv` has no column `單位`; its first column is used, and its first line `辦公室` is read as a heading — add a heading line `單位`\n"
        ),
        "{err}"
    );

    let unknown = common::write_scratch(
        "exclude-unknown.csv",
        "單位\n辦公室\n甲\n乙\n丙\n丁\n戊\n己\n",
    );
    let output = excluding(&unknown);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 3);
    assert!(!stdout(&output).contains("辦公室"));
    let err = stderr(&output)
        .replace(&unknown, "ex.csv")
        .replace(&units, "u.csv");
    assert!(
        err.starts_with(
            "warning: `ex.csv` leaves out 6 units that `u.csv` does not list: `甲`, `乙`, `丙`, `丁`, `戊`, …\n"
        ),
        "{err}"
    );
}
