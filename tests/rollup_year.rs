//! The founding standard's year: `examples/year-2015`, twelve monthly files
//! made by `examples/gen_year.rs`, rolled up by `yardstick rollup` with the
//! standard's `rollup annual` (SPEC §8). The files are the generator's,
//! byte for byte; the assessment is recomputed here from what the files say
//! and what `eval` made of each inspection, by the roll-up's published
//! rules — 月度 = 暗訪 × 60% + 明察 × 40%, 季度 = 月度平均 × 60% + 抽查 × 40%,
//! 年度 = 季度平均, 2 points off per repeat, 先進 within 10%, 四化 at the
//! latest inspection — so that a wrong roll-up cannot pass by agreeing with
//! itself.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

#[path = "../examples/gen_year.rs"]
#[expect(dead_code, reason = "the example's `main` is not called by the test")]
mod gen_year;

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use common::{stderr, stdout, yardstick};

/// The standard's editions; the roll-up is the 2015 edition's `annual`,
/// which 2016 inherits.
const STANDARD: &str = "standards/office_environment";
/// The committed year.
const YEAR: &str = "examples/year-2015";
/// The form the year's units and headings come from.
const FORM: &str = "examples/inspections-2015.csv";
/// The seed of the committed year.
const SEED: u64 = 2015;
/// The rules of 四化.
const FOUR: [&str; 4] = ["G1", "G2", "G3", "G4"];

/// A path inside the crate.
fn crate_path(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The monthly files of the committed year, by name, in order.
fn year_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(crate_path(YEAR))
        .expect("the committed year")
        .map(|entry| {
            let entry = entry.expect("a file of the year");
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect();
    names.sort();
    names
}

/// A decimal from a JSON number (written exactly: `arbitrary_precision`).
fn decimal(value: &Value) -> Decimal {
    Decimal::from_str(&value.to_string()).unwrap_or_else(|_| panic!("a number: {value}"))
}

/// Whether two scores agree within the rounding of the reports (each
/// score written with two decimals, and means of such scores).
fn close(a: Decimal, b: Decimal) -> bool {
    (a - b).abs() <= Decimal::new(1, 2)
}

/// The mean of some decimals, `None` when there are none.
fn mean(values: &[Decimal]) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    Some(values.iter().sum::<Decimal>() / Decimal::from(values.len()))
}

/// `60% first + 40% second`, or whichever is present alone.
fn weighted(first: Option<Decimal>, second: Option<Decimal>) -> Option<Decimal> {
    match (first, second) {
        (Some(a), Some(b)) => Some(Decimal::new(6, 1) * a + Decimal::new(4, 1) * b),
        (a, b) => a.or(b),
    }
}

/// One inspection of the year, as its file and `eval` give it.
#[derive(Debug)]
struct Inspection {
    unit: String,
    date: String,
    month: u32,
    method: String,
    /// The score `eval` wrote (two decimals).
    score: Decimal,
    failed: BTreeSet<String>,
    passed: BTreeSet<String>,
}

/// Every inspection of the committed year in the order of the files,
/// scored by `yardstick eval` (each by the edition in force on its date).
fn inspections() -> Vec<Inspection> {
    let files: Vec<String> = year_files()
        .iter()
        .map(|name| format!("{YEAR}/{name}"))
        .collect();
    let mut rows = Vec::new();
    for file in &files {
        let mut reader = csv::Reader::from_path(crate_path(file)).expect("a monthly file");
        let headers = reader.headers().expect("headings").clone();
        let column = |label: &str| {
            headers
                .iter()
                .position(|h| h == label)
                .unwrap_or_else(|| panic!("{file} has a column {label}"))
        };
        let (unit, date, method) = (column("受檢科室"), column("檢查日期"), column("檢查方式"));
        for record in reader.records() {
            let record = record.expect("a row");
            rows.push((
                record[unit].to_owned(),
                record[date].to_owned(),
                record[method].to_owned(),
            ));
        }
    }
    let mut args = vec!["eval", STANDARD];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    let output = yardstick(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: Value = serde_json::from_str(&stdout(&output)).expect("eval's JSON");
    let results = document["results"].as_array().expect("eval's results");
    assert_eq!(results.len(), rows.len(), "eval scored every row");
    rows.into_iter()
        .zip(results)
        .map(|((unit, date, method), result)| {
            assert_eq!(
                result["key"],
                unit.as_str(),
                "eval's results are in file order"
            );
            let outcome_is = |wanted: &str| -> BTreeSet<String> {
                result["rules"]
                    .as_array()
                    .expect("rules")
                    .iter()
                    .filter(|rule| rule["outcome"] == wanted)
                    .map(|rule| rule["id"].as_str().expect("an id").to_owned())
                    .collect()
            };
            let month = date[5..7].parse().expect("a month");
            Inspection {
                unit,
                month,
                method,
                date,
                score: decimal(&result["score"]),
                failed: outcome_is("fail"),
                passed: outcome_is("pass"),
            }
        })
        .collect()
}

/// The roll-up of the committed year as JSON.
fn rolled_up() -> Value {
    let output = yardstick(&["rollup", STANDARD, YEAR, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("the roll-up's JSON")
}

/// The month (1–12) of a period named `2015年3月`.
fn month_of(name: &str) -> u32 {
    let month = name
        .strip_prefix("2015年")
        .and_then(|rest| rest.strip_suffix('月'))
        .unwrap_or_else(|| panic!("a month of 2015: `{name}`"));
    month.parse().expect("a month number")
}

/// Runs of consecutive months (first, last) in a set of months.
fn runs(months: &BTreeSet<u32>) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &month in months {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == month => *last = month,
            _ => runs.push((month, month)),
        }
    }
    runs
}

#[test]
fn the_committed_year_is_the_generators_byte_for_byte() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    gen_year::write_year(SEED, &crate_path(FORM), scratch.path()).expect("the year is made");
    let mut made: Vec<String> = std::fs::read_dir(scratch.path())
        .expect("the year made")
        .map(|e| {
            e.expect("a file")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    made.sort();
    let months: Vec<String> = (1..=12).map(|m| format!("2015-{m:02}.csv")).collect();
    assert_eq!(made, months);
    assert_eq!(
        year_files(),
        months,
        "the committed year is those twelve files"
    );
    for name in &months {
        let committed = std::fs::read(crate_path(&format!("{YEAR}/{name}"))).expect("committed");
        let again = std::fs::read(scratch.path().join(name)).expect("made again");
        assert!(
            committed == again,
            "{name} differs from the generator's: run `cargo run --example gen_year`"
        );
    }
    let other = tempfile::tempdir().expect("a scratch folder");
    gen_year::write_year(SEED + 1, &crate_path(FORM), other.path()).expect("another year");
    let january = |dir: &Path| std::fs::read(dir.join("2015-01.csv")).expect("January");
    assert_ne!(
        january(scratch.path()),
        january(other.path()),
        "the seed matters"
    );
}

#[test]
fn the_year_is_every_unit_of_the_form_on_its_headings() {
    let form = std::fs::read_to_string(crate_path(FORM)).expect("the form");
    let headings = form.lines().next().expect("the form's headings");
    let units: BTreeSet<(String, String)> = form
        .lines()
        .skip(1)
        .map(|line| {
            let mut cells = line.split(',');
            let name = cells.next().expect("a unit").to_owned();
            (name, cells.next().expect("a kind").to_owned())
        })
        .collect();
    assert_eq!(units.len(), 30);
    let mut seen = BTreeSet::new();
    for name in year_files() {
        let text = std::fs::read_to_string(crate_path(&format!("{YEAR}/{name}"))).expect("a month");
        assert_eq!(
            text.lines().next(),
            Some(headings),
            "{name}: the form's headings"
        );
        for line in text.lines().skip(1) {
            let mut cells = line.split(',');
            let unit = (cells.next().expect("a unit"), cells.next().expect("a kind"));
            let unit = (unit.0.to_owned(), unit.1.to_owned());
            assert!(
                units.contains(&unit),
                "{name}: {unit:?} is a unit of the form"
            );
            seen.insert(unit);
        }
    }
    assert_eq!(seen, units, "every unit is inspected in the year");
}

#[test]
fn piped_the_year_is_csv_and_every_inspection_is_used() {
    let output = yardstick(&["rollup", STANDARD, YEAR]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("\u{feff}受檢科室,年度得分,等次,名次,"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1 + 30, "a heading and a row per unit");
    let rows: usize = inspections().len();
    assert!(
        stderr(&output).contains(&format!("{rows} inspections used, 0 left out\n")),
        "{}",
        stderr(&output)
    );
}

#[test]
fn every_level_is_the_weighted_mean_of_what_eval_scored() {
    let inspections = inspections();
    let rollup = rolled_up();
    let units = rollup["units"].as_array().expect("units");
    assert_eq!(units.len(), 30);
    for unit in units {
        let key = unit["key"].as_str().expect("a key");
        let mine: Vec<&Inspection> = inspections.iter().filter(|i| i.unit == key).collect();
        for (method, count) in unit["inspections"].as_object().expect("per method") {
            let counted = mine.iter().filter(|i| i.method == *method).count();
            assert_eq!(count.as_u64(), Some(counted as u64), "{key}: {method}");
        }
        let of = |month: u32, method: &str| -> Vec<Decimal> {
            mine.iter()
                .filter(|i| i.month == month && i.method == method)
                .map(|i| i.score)
                .collect()
        };
        let months: BTreeMap<u32, Decimal> = (1..=12)
            .filter_map(|m| Some((m, weighted(mean(&of(m, "暗訪")), mean(&of(m, "明察")))?)))
            .collect();
        let reported = unit["levels"]["month"].as_object().expect("months");
        assert_eq!(
            reported.len(),
            months.len(),
            "{key}: the months with a score"
        );
        for (name, score) in reported {
            let expected = months[&month_of(name)];
            assert!(
                close(decimal(score), expected),
                "{key} {name}: {score} ≠ {expected}"
            );
        }
        let mut quarters = Vec::new();
        for quarter in 0..4 {
            let inside: Vec<Decimal> = months
                .iter()
                .filter(|(m, _)| (*m - 1) / 3 == quarter)
                .map(|(_, s)| *s)
                .collect();
            let spot: Vec<Decimal> = (1..=3).flat_map(|m| of(quarter * 3 + m, "抽查")).collect();
            if let Some(score) = weighted(mean(&inside), mean(&spot)) {
                let name = format!("2015年第{}季度", quarter + 1);
                let reported = decimal(&unit["levels"]["quarter"][&name]);
                assert!(close(reported, score), "{key} {name}: {reported} ≠ {score}");
                quarters.push(reported);
            }
        }
        let year = mean(&quarters).expect("a year");
        assert!(
            close(decimal(&unit["base"]), year),
            "{key}: the year is the quarters' mean"
        );
    }
}

#[test]
fn a_rule_failed_in_consecutive_months_is_a_repeat_and_costs_the_final_score() {
    let inspections = inspections();
    let rollup = rolled_up();
    let mut owned = 0;
    for unit in rollup["units"].as_array().expect("units") {
        let key = unit["key"].as_str().expect("a key");
        let mut failed: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
        for inspection in inspections.iter().filter(|i| i.unit == key) {
            for rule in &inspection.failed {
                failed.entry(rule).or_default().insert(inspection.month);
            }
        }
        let expected: BTreeSet<(String, u32, u32, u64)> = failed
            .iter()
            .flat_map(|(rule, months)| {
                runs(months)
                    .into_iter()
                    .filter(|(first, last)| last > first)
                    .map(|(first, last)| (rule.to_string(), first, last, u64::from(last - first)))
            })
            .collect();
        let mut reported = BTreeSet::new();
        let mut points = Decimal::ZERO;
        for repeat in unit["repeats"].as_array().expect("repeats") {
            let months: Vec<u32> = repeat["periods"]
                .as_array()
                .expect("periods")
                .iter()
                .map(|p| month_of(p.as_str().expect("a period")))
                .collect();
            let (first, last) = (months[0], months[months.len() - 1]);
            assert_eq!(
                months,
                (first..=last).collect::<Vec<_>>(),
                "{key}: consecutive months"
            );
            let count = repeat["count"].as_u64().expect("a count");
            assert_eq!(
                decimal(&repeat["points"]),
                Decimal::from(2 * count),
                "2 points a repeat"
            );
            owned += usize::from(repeat["owner"].is_string());
            points += decimal(&repeat["points"]);
            reported.insert((
                repeat["rule"].as_str().expect("a rule").to_owned(),
                first,
                last,
                count,
            ));
        }
        assert_eq!(
            reported, expected,
            "{key}: the repeats of what eval found failed"
        );
        let score = decimal(&unit["score"]);
        let base = decimal(&unit["base"]);
        assert!(
            close(score, (base - points).max(Decimal::ZERO)),
            "{key}: {score} is {base} less {points} points of repeats"
        );
    }
    let list = rollup["summary"]["repeats"]
        .as_array()
        .expect("the repeat list");
    assert!(!list.is_empty(), "the year has repeats");
    assert_eq!(
        owned,
        list.len(),
        "every repeat is in the list (問責名單), with its owner"
    );
}

#[test]
fn advanced_units_are_the_best_within_the_quota_and_grades_follow_the_bands() {
    let rollup = rolled_up();
    let units = rollup["units"].as_array().expect("units");
    let ranked = rollup["summary"]["ranked"].as_u64().expect("ranked");
    assert_eq!(ranked, 30);
    let limit = ranked.div_ceil(10);
    let quota = &rollup["summary"]["quotas"]["先進"];
    assert_eq!(quota["limit"].as_u64(), Some(limit), "先進單位不超過10%");
    let standing: Vec<(Decimal, u64, &str)> = units
        .iter()
        .map(|u| {
            let rank = u["rank"].as_u64().expect("a rank");
            (
                decimal(&u["score"]),
                rank,
                u["grade"].as_str().expect("a grade"),
            )
        })
        .collect();
    for &(score, rank, grade) in &standing {
        let better = standing.iter().filter(|(_, r, _)| *r < rank).count() as u64;
        assert_eq!(rank, better + 1, "ties share the better rank");
        for &(other, other_rank, _) in &standing {
            if other > score {
                assert!(other_rank < rank, "a higher score ranks higher");
            }
        }
        let expected = if score >= Decimal::from(90) && rank <= limit {
            "先進"
        } else if score >= Decimal::from(80) {
            "達標"
        } else {
            "不達標"
        };
        assert_eq!(grade, expected, "score {score}, rank {rank}");
    }
    let count = |grade: &str| standing.iter().filter(|(_, _, g)| *g == grade).count() as u64;
    let advanced = count("先進");
    assert!(
        (1..=limit).contains(&advanced),
        "a few 先進, within the quota"
    );
    assert_eq!(quota["given"].as_u64(), Some(advanced));
    assert_eq!(
        rollup["summary"]["grades"]["不達標"].as_u64(),
        Some(count("不達標"))
    );
    assert!(count("不達標") > 0, "some units fall short");
    let ninety = standing
        .iter()
        .filter(|(s, _, _)| *s >= Decimal::from(90))
        .count() as u64;
    assert!(
        ninety > advanced,
        "the quota, not the score, stops the others"
    );
}

#[test]
fn the_four_standards_are_judged_at_each_units_last_inspection() {
    let inspections = inspections();
    let rollup = rolled_up();
    let mut reached = 0;
    for unit in rollup["units"].as_array().expect("units") {
        let key = unit["key"].as_str().expect("a key");
        let holds = |i: &Inspection| FOUR.iter().all(|rule| i.passed.contains(*rule));
        let mine: Vec<&Inspection> = inspections.iter().filter(|i| i.unit == key).collect();
        // The latest by date; of several that day, the last in the files.
        let last = mine.iter().max_by_key(|i| &i.date).expect("inspected");
        let first = mine
            .iter()
            .filter(|i| holds(i))
            .map(|i| i.date.as_str())
            .min();
        let target = &unit["targets"]["四化"];
        assert_eq!(target["at_deadline"].as_bool(), Some(holds(last)), "{key}");
        assert_eq!(target["first_held"].as_str(), first, "{key}");
        reached += u64::from(holds(last));
    }
    let summary = &rollup["summary"]["targets"]["四化"];
    assert_eq!(summary["by"], "2015-12-31");
    assert_eq!(summary["units"].as_u64(), Some(30));
    assert_eq!(summary["reached"].as_u64(), Some(reached));
    assert!(
        reached < 30,
        "a few units do not reach 四化 by the year's end"
    );
    assert!(reached > 15, "most do");
}

#[test]
fn the_table_ends_with_grade_counts_the_repeat_list_and_the_target() {
    let rollup = rolled_up();
    let summary = &rollup["summary"];
    let output = yardstick(&["rollup", STANDARD, YEAR, "--format", "table"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let number = |value: &Value| value.as_u64().expect("a count");
    let grades = &summary["grades"];
    let line = format!(
        "等次：先進：{} 個（名額 {} 個）、達標：{} 個、不達標：{} 個\n",
        number(&grades["先進"]),
        number(&summary["quotas"]["先進"]["limit"]),
        number(&grades["達標"]),
        number(&grades["不達標"])
    );
    assert!(text.contains(&line), "{line} in\n{text}");
    let four = &summary["targets"]["四化"];
    let target = format!(
        "四化：{} 個單位達到，共 {} 個（",
        number(&four["reached"]),
        number(&four["units"])
    );
    assert!(text.contains(&target), "{target} in\n{text}");
    let list = text.split("問責名單\n").nth(1).expect("the repeat list");
    let listed = list.lines().take_while(|l| l.starts_with("  ")).count();
    assert_eq!(
        listed,
        summary["repeats"].as_array().expect("repeats").len()
    );
    assert!(text.ends_with(&format!(
        "計入檢查 {} 次，未計入 0 次\n",
        number(&summary["inspections_used"])
    )));
}

#[test]
fn the_readme_quotes_the_year_as_it_is() {
    let readme = std::fs::read_to_string(crate_path("README.md")).expect("the README");
    let command = format!("$ yardstick rollup {STANDARD} {YEAR}\n");
    let quoted = readme
        .split(&command)
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README quotes the year's roll-up");
    let output = yardstick(&["rollup", STANDARD, YEAR, "--format", "table"]);
    let text = stdout(&output);
    let lines: BTreeSet<&str> = text.lines().collect();
    let mut checked = 0;
    for line in quoted.lines().filter(|line| *line != "…") {
        assert!(
            lines.contains(line),
            "the README's `{line}` is not in\n{text}"
        );
        checked += 1;
    }
    assert!(checked >= 4, "the README quotes a few lines");
}
