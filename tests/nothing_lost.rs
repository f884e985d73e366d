//! "Nothing is ever lost" (SPEC §7): outputs are written whole or not at
//! all, a run that read no record leaves the file it would have replaced,
//! an output that names an input is refused, a missing data file is exit 3
//! in every command, and a written output is announced in one line.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{stderr, stdout, yardstick};

const STANDARD: &str = "standards/office_environment/2015.std";
const EDITIONS: &str = "standards/office_environment";
const DATA: &str = "examples/inspections-2015.csv";
const ROUND1: &str = "tests/data/compare/round1.csv";
const ROUND2: &str = "tests/data/compare/round2.csv";
const OLD: &str = "last round's results, kept\n";

/// A fresh, empty folder for one test.
fn folder(name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("nothing_lost")
        .join(name);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("a folder");
    folder
}

fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The names in a folder, sorted.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("listed")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn a_missing_data_file_leaves_the_output_there_untouched() {
    let folder = folder("missing");
    for (name, format) in [
        ("results.csv", "csv"),
        ("results.json", "json"),
        ("report.html", "html"),
        ("results.xlsx", "xlsx"),
    ] {
        let out = folder.join(name);
        std::fs::write(&out, OLD).expect("written");
        let output = yardstick(&[
            "eval",
            STANDARD,
            "tests/data/no-such-file.csv",
            "--format",
            format,
            "-o",
            &text(&out),
        ]);
        assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
        assert_eq!(std::fs::read_to_string(&out).expect("there"), OLD, "{name}");
        let messages = stderr(&output);
        assert!(
            messages.contains("1 data error: no record was scored\n"),
            "{messages}"
        );
        assert!(
            !messages.contains("every other rule was scored"),
            "{messages}"
        );
        assert!(
            messages.contains("was not written (a file already there is left as it was)"),
            "{messages}"
        );
    }
    assert_eq!(
        names(&folder),
        ["report.html", "results.csv", "results.json", "results.xlsx"],
        "no temporary file is left behind"
    );
}

#[test]
fn a_file_without_the_columns_or_without_records_writes_nothing() {
    let folder = folder("no_records");
    let out = folder.join("results.csv");
    std::fs::write(&out, OLD).expect("written");
    let output = yardstick(&[
        "eval",
        "tests/data/semantics.std",
        "tests/data/missing-column.csv",
        "-o",
        &text(&out),
    ]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&out).expect("there"), OLD);
    let header_only = folder.join("header-only.csv");
    let header = std::fs::read_to_string(DATA)
        .expect("the data")
        .lines()
        .next()
        .expect("a header")
        .to_owned();
    std::fs::write(&header_only, format!("{header}\n")).expect("written");
    let output = yardstick(&["eval", STANDARD, &text(&header_only), "-o", &text(&out)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&out).expect("there"), OLD);
    assert!(
        stderr(&output).contains("note: no record was scored, so"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_successful_run_replaces_the_output_and_says_so_in_one_line() {
    let folder = folder("success");
    let out = folder.join("results.csv");
    std::fs::write(&out, OLD).expect("written");
    let output = yardstick(&["eval", STANDARD, DATA, "-o", &text(&out)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), format!("30 units → {}\n", text(&out)));
    let written = std::fs::read_to_string(&out).expect("there");
    assert!(written.contains("組織科"), "{written}");
    assert_eq!(names(&folder), ["results.csv"]);

    let workbook = folder.join("results.xlsx");
    let output = yardstick(&["eval", STANDARD, DATA, "-o", &text(&workbook)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).ends_with(&format!("30 units → {}\n", text(&workbook))));
    let bytes = std::fs::read(&workbook).expect("there");
    assert!(bytes.starts_with(b"PK"), "a workbook is a zip");

    let form = folder.join("form.csv");
    let output = yardstick(&["template", STANDARD, "-o", &text(&form)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("form of ") && stderr(&output).contains(" fields → "),
        "{}",
        stderr(&output)
    );

    let comparison = folder.join("整改報告.md");
    let output = yardstick(&[
        "compare",
        "--standard",
        STANDARD,
        ROUND1,
        ROUND2,
        "-o",
        &text(&comparison),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).ends_with(&format!("units compared → {}\n", text(&comparison))),
        "{}",
        stderr(&output)
    );

    let draw = folder.join("draw.csv");
    let output = yardstick(&[
        "sample",
        "tests/data/units.csv",
        "--n",
        "3",
        "--seed",
        "7",
        "-o",
        &text(&draw),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // The line is the last one (a note that the record names a file
    // outside its folder comes before it).
    assert!(
        stderr(&output).lines().last().is_some_and(
            |line| line.starts_with(&format!("3 units drawn with seed 7 → {}", text(&draw)))
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_output_that_names_an_input_is_refused_before_anything_is_read() {
    let folder = folder("refused");
    let data = folder.join("data.csv");
    std::fs::copy(DATA, &data).expect("copied");
    let standard = folder.join("2015.std");
    std::fs::copy(STANDARD, &standard).expect("copied");
    let before = std::fs::read(&data).expect("the data");
    // The same file through another spelling: `folder/./data.csv`.
    let respelt = text(&folder.join(".").join("data.csv"));
    let waivers = "tests/data/waivers/2015.csv";
    let cases: Vec<Vec<String>> = vec![
        vec![
            "eval".into(),
            text(&standard),
            text(&data),
            "-o".into(),
            respelt.clone(),
        ],
        vec![
            "eval".into(),
            text(&standard),
            text(&data),
            "-o".into(),
            text(&standard),
        ],
        vec![
            "eval".into(),
            text(&standard),
            text(&data),
            "--waivers".into(),
            waivers.into(),
            "-o".into(),
            waivers.into(),
        ],
        vec![
            "compare".into(),
            "--standard".into(),
            text(&standard),
            text(&data),
            ROUND2.into(),
            "-o".into(),
            respelt.clone(),
        ],
        vec![
            "template".into(),
            text(&standard),
            "-o".into(),
            text(&standard),
        ],
        vec![
            "sample".into(),
            text(&data),
            "--n".into(),
            "2".into(),
            "--seed".into(),
            "1".into(),
            "-o".into(),
            respelt.clone(),
        ],
        vec![
            "sample".into(),
            text(&data),
            "--n".into(),
            "2".into(),
            "--seed".into(),
            "1".into(),
            "--record".into(),
            respelt.clone(),
        ],
    ];
    for args in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = yardstick(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("names the input"),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "{args:?}");
    }
    assert_eq!(std::fs::read(&data).expect("the data"), before);
    assert_eq!(
        std::fs::read(&standard).expect("the standard"),
        std::fs::read(STANDARD).expect("the original")
    );

    // `-o` and `--record` naming one file would lose the draw.
    let same = text(&folder.join("draw.csv"));
    let output = yardstick(&[
        "sample",
        &text(&data),
        "--n",
        "2",
        "--seed",
        "1",
        "-o",
        &same,
        "--record",
        &same,
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!Path::new(&same).exists());
}

#[test]
fn a_missing_data_file_is_exit_3_in_every_command() {
    let missing = "tests/data/no-such-file.csv";
    let folder = folder("exit3");
    let record = text(&folder.join("draw.record.json"));
    for args in [
        vec!["eval", STANDARD, missing],
        vec!["compare", "--standard", STANDARD, ROUND1, missing],
        vec!["compare", "--standard", STANDARD, missing, ROUND2],
        vec!["compare", "tests/data/no-such-results.json", missing],
        vec!["diff", EDITIONS, "--impact", missing],
        vec![
            "sample", missing, "--n", "2", "--seed", "1", "--record", &record,
        ],
    ] {
        let output = yardstick(&args);
        assert_eq!(
            output.status.code(),
            Some(3),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    // The diff itself is still printed when its impact cannot be measured.
    let output = yardstick(&["diff", EDITIONS, "--impact", missing]);
    assert!(stdout(&output).contains("A8"), "{}", stdout(&output));
    assert!(!Path::new(&record).exists());
}

/// A data file of `rows` records made from the example's rows, each with
/// its own key.
fn large_data(path: &Path, rows: usize) {
    let example = std::fs::read_to_string(DATA).expect("the data");
    let mut lines = example.lines();
    let header = lines.next().expect("a header");
    let records: Vec<&str> = lines.collect();
    let mut out = String::with_capacity(rows * 160);
    out.push_str(header);
    out.push('\n');
    for i in 0..rows {
        let record = records[i % records.len()];
        let (key, rest) = record.split_once(',').expect("a key");
        out.push_str(&format!("{key}-{i},{rest}\n"));
    }
    std::fs::write(path, out).expect("written");
}

/// Starts `eval -o out`, kills it (SIGKILL) once its temporary file has
/// grown, and returns what the folder holds then.
fn kill_halfway(folder: &Path, data: &Path, out: &Path) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args([
            "eval",
            STANDARD,
            &text(data),
            "-o",
            &text(out),
            "--jobs",
            "1",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("started");
    let started = Instant::now();
    loop {
        let growing = std::fs::read_dir(folder)
            .expect("listed")
            .filter_map(Result::ok)
            .any(|e| {
                e.file_name().to_string_lossy().ends_with(".part")
                    && e.metadata().is_ok_and(|m| m.len() > 200_000)
            });
        if growing {
            break;
        }
        if child.try_wait().expect("waited").is_some() {
            panic!("eval finished before it could be killed: make the input larger");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "eval never wrote"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().expect("killed");
    let status = child.wait().expect("waited");
    assert!(!status.success(), "the run was killed, not finished");
}

#[test]
fn a_killed_run_leaves_the_old_file_or_none_never_a_partial_one() {
    let folder = folder("killed");
    let data = folder.join("..").join("killed-data.csv");
    large_data(&data, 200_000);

    let out = folder.join("results.csv");
    std::fs::write(&out, OLD).expect("written");
    kill_halfway(&folder, &data, &out);
    assert_eq!(std::fs::read_to_string(&out).expect("there"), OLD);
    // What a killed run may leave is a hidden `.part` file, never one that
    // looks finished.
    for name in names(&folder) {
        assert!(
            name == "results.csv" || (name.starts_with(".results.csv.") && name.ends_with(".part")),
            "{name}"
        );
    }

    let fresh = folder.join("fresh.csv");
    kill_halfway(&folder, &data, &fresh);
    assert!(!fresh.exists(), "a killed run makes no output file");
    let _ = std::fs::remove_file(&data);
}
