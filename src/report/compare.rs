//! `yardstick compare`: two inspection rounds compared, as tables for the
//! terminal, as Markdown for a rectification report, as one JSON document,
//! or as CSV with a row per unit. Tables, Markdown and CSV are in the
//! output's language and name the rounds by their files' names; JSON keeps
//! English keys. Nothing here classifies; see `crate::compare`.

use std::fmt::Write as _;
use std::str::FromStr;

use comfy_table::CellAlignment;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::values::{csv_field, file_name, score};
use crate::compare::{CHANGES, Change, Comparison, Counts, Status, UnitChange, count};
use crate::language::{Language, Word};

/// The two rounds as the reader named them (paths), and the language of
/// the report.
#[derive(Clone, Copy, Debug)]
pub struct Rounds<'a> {
    /// The round before.
    pub before: &'a str,
    /// The round after.
    pub after: &'a str,
    /// The language of tables, Markdown and CSV.
    pub language: Language,
}

/// A change's name in headings.
fn heading(change: Change, language: Language) -> &'static str {
    language.word(match change {
        Change::Fixed => Word::ChangeFixed,
        Change::StillFailing => Word::ChangeStillFailing,
        Change::NewlyFailing => Word::ChangeNewlyFailing,
        Change::Waived => Word::ChangeWaived,
        Change::Unverified => Word::ChangeUnverified,
    })
}

/// A change's name in JSON and CSV.
fn key(change: Change) -> &'static str {
    match change {
        Change::Fixed => "fixed",
        Change::StillFailing => "still_failing",
        Change::NewlyFailing => "newly_failing",
        Change::Waived => "waived",
        Change::Unverified => "unverified",
    }
}

/// A unit's status in CSV.
fn status(status: Status, language: Language) -> &'static str {
    language.word(match status {
        Status::Compared => Word::StatusCompared,
        Status::NotReinspected => Word::StatusNotReinspected,
        Status::New => Word::StatusNew,
    })
}

/// A score change with its sign: `+15.00`, `-2.50`, `0.00`.
fn signed(change: Decimal) -> String {
    let text = score(change);
    if text.starts_with('-') || text == "0.00" {
        text
    } else {
        format!("+{text}")
    }
}

const NOTHING: &str = "—";

/// `before → after` of a unit's score, with the change when inspected twice.
fn score_cell(unit: &UnitChange) -> String {
    let side = |round: &Option<crate::compare::Round>| {
        round
            .as_ref()
            .map_or_else(|| NOTHING.to_owned(), |r| score(r.score))
    };
    match (&unit.before, &unit.after, unit.score_change()) {
        (Some(_), Some(_), Some(change)) => format!(
            "{} → {} ({})",
            side(&unit.before),
            side(&unit.after),
            signed(change)
        ),
        (Some(_), None, _) => side(&unit.before),
        _ => side(&unit.after),
    }
}

fn grade(round: &Option<crate::compare::Round>) -> &str {
    round
        .as_ref()
        .and_then(|r| r.grade.as_deref())
        .unwrap_or(NOTHING)
}

/// `before → after` of a unit's grade.
fn grade_cell(unit: &UnitChange) -> String {
    match unit.status {
        Status::Compared => format!("{} → {}", grade(&unit.before), grade(&unit.after)),
        Status::NotReinspected => grade(&unit.before).to_owned(),
        Status::New => grade(&unit.after).to_owned(),
    }
}

fn ids(unit: &UnitChange, change: Change, separator: &str) -> String {
    unit.rules(change).join(separator)
}

fn owner_name(owner: Option<&str>) -> &str {
    owner.unwrap_or(NOTHING)
}

/// The first lines: the rounds, the units, the totals.
fn summary(comparison: &Comparison, rounds: Rounds<'_>) -> Vec<String> {
    let language = rounds.language;
    let totals = &comparison.totals;
    let changes: Vec<String> = CHANGES
        .iter()
        .map(|&c| format!("{} {}", heading(c, language), count(totals, c)))
        .collect();
    let (before, after) = (file_name(rounds.before), file_name(rounds.after));
    vec![
        language.fill(Word::Rectification, &[&before, &after]),
        language.fill(
            Word::UnitsLine,
            &[
                &comparison.units.len(),
                &comparison.missing.len(),
                &comparison.only_after.len(),
            ],
        ),
        language.fill(Word::RulesLine, &[&changes.join(language.list_separator())]),
    ]
}

/// The header row of a table of counts, after its first columns.
fn count_headers(first: &[Word], language: Language) -> Vec<String> {
    first
        .iter()
        .map(|&w| language.word(w).to_owned())
        .chain(CHANGES.iter().map(|&c| heading(c, language).to_owned()))
        .collect()
}

fn count_cells(counts: &Counts) -> impl Iterator<Item = String> + '_ {
    CHANGES.iter().map(|&c| count(counts, c).to_string())
}

/// The rows of each part: a title, the header, the rows, and the columns
/// that hold numbers (right-aligned in tables).
type Part = (&'static str, Vec<String>, Vec<Vec<String>>, usize);

fn parts(comparison: &Comparison, language: Language) -> Vec<Part> {
    let mut parts = Vec::new();
    if !comparison.units.is_empty() {
        let rows = comparison
            .units
            .iter()
            .map(|unit| {
                [unit.key.clone(), score_cell(unit), grade_cell(unit)]
                    .into_iter()
                    .chain(CHANGES.iter().map(|&c| ids(unit, c, " ")))
                    .collect()
            })
            .collect();
        parts.push((
            language.word(Word::PartReinspected),
            count_headers(&[Word::Unit, Word::Score, Word::Grade], language),
            rows,
            0,
        ));
    }
    let one_round = [
        (
            Word::PartNotReinspected,
            &comparison.missing,
            [Word::Unit, Word::ScoreBefore, Word::GradeBefore],
            &[Change::Unverified][..],
        ),
        (
            Word::PartNew,
            &comparison.only_after,
            [Word::Unit, Word::Score, Word::Grade],
            &[Change::NewlyFailing, Change::Waived][..],
        ),
    ];
    for (title, units, headers, changes) in one_round {
        if units.is_empty() {
            continue;
        }
        let rows = units
            .iter()
            .map(|unit| {
                [unit.key.clone(), score_cell(unit), grade_cell(unit)]
                    .into_iter()
                    .chain(changes.iter().map(|&c| ids(unit, c, " ")))
                    .collect()
            })
            .collect();
        let headers = headers
            .iter()
            .map(|&h| language.word(h).to_owned())
            .chain(changes.iter().map(|&c| heading(c, language).to_owned()))
            .collect();
        parts.push((language.word(title), headers, rows, 0));
    }
    if !comparison.rules.is_empty() {
        let rows = comparison
            .rules
            .iter()
            .map(|rule| {
                [
                    rule.id.clone(),
                    rule.title.clone(),
                    owner_name(rule.owner.as_deref()).to_owned(),
                ]
                .into_iter()
                .chain(count_cells(&rule.counts))
                .collect()
            })
            .collect();
        let headers = count_headers(&[Word::Rule, Word::Title, Word::Owner], language);
        parts.push((language.word(Word::PartRules), headers, rows, 3));
    }
    if !comparison.owners.is_empty() {
        let rows = comparison
            .owners
            .iter()
            .map(|owner| {
                std::iter::once(owner_name(owner.owner.as_deref()).to_owned())
                    .chain(count_cells(&owner.counts))
                    .collect()
            })
            .collect();
        let headers = count_headers(&[Word::Owner], language);
        parts.push((language.word(Word::PartOwners), headers, rows, 1));
    }
    parts
}

/// The comparison as tables for the terminal, `width` columns wide.
pub fn table(comparison: &Comparison, rounds: Rounds<'_>, width: u16) -> String {
    let mut out = String::new();
    for line in summary(comparison, rounds) {
        let _ = writeln!(out, "{line}");
    }
    for (title, header, rows, numbers_from) in parts(comparison, rounds.language) {
        let mut table = super::terminal_table(header, width);
        for row in rows {
            table.add_row(row);
        }
        if numbers_from > 0 {
            for column in table.column_iter_mut().skip(numbers_from) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        let _ = write!(out, "\n{title}\n{table}\n");
    }
    out
}

/// Text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The comparison as Markdown, for a rectification report (整改報告).
pub fn markdown(comparison: &Comparison, rounds: Rounds<'_>) -> String {
    let lines = summary(comparison, rounds);
    let title = rounds.language.fill(
        Word::RectificationTitle,
        &[&file_name(rounds.before), &file_name(rounds.after)],
    );
    let mut out = format!("# {}\n\n", cell(&title));
    for line in lines.iter().skip(1) {
        let _ = writeln!(out, "- {}", cell(line));
    }
    for (title, header, rows, numbers_from) in parts(comparison, rounds.language) {
        let _ = write!(out, "\n## {title}\n\n|");
        for column in &header {
            let _ = write!(out, " {} |", cell(column));
        }
        out.push_str("\n|");
        for i in 0..header.len() {
            out.push_str(if numbers_from > 0 && i >= numbers_from {
                "---:|"
            } else {
                "---|"
            });
        }
        out.push('\n');
        for row in rows {
            out.push('|');
            for text in row {
                let _ = write!(out, " {} |", cell(&text));
            }
            out.push('\n');
        }
    }
    out
}

/// A score as a JSON number with two decimals, like `eval`'s results.
fn score_json(value: Option<Decimal>) -> Value {
    value
        .and_then(|v| serde_json::Number::from_str(&score(v)).ok())
        .map_or(Value::Null, Value::Number)
}

fn unit_json(unit: &UnitChange) -> Value {
    let mut object = serde_json::Map::new();
    object.insert("key".to_owned(), json!(unit.key));
    object.insert(
        "score_before".to_owned(),
        score_json(unit.before.as_ref().map(|r| r.score)),
    );
    object.insert(
        "score_after".to_owned(),
        score_json(unit.after.as_ref().map(|r| r.score)),
    );
    object.insert("change".to_owned(), score_json(unit.score_change()));
    object.insert(
        "grade_before".to_owned(),
        json!(unit.before.as_ref().and_then(|r| r.grade.as_deref())),
    );
    object.insert(
        "grade_after".to_owned(),
        json!(unit.after.as_ref().and_then(|r| r.grade.as_deref())),
    );
    for change in CHANGES {
        object.insert(key(change).to_owned(), json!(unit.rules(change)));
    }
    Value::Object(object)
}

fn counts_json(first: (&str, Value), counts: &Counts) -> Value {
    let mut object = serde_json::Map::new();
    object.insert(first.0.to_owned(), first.1);
    for change in CHANGES {
        object.insert(key(change).to_owned(), json!(count(counts, change)));
    }
    Value::Object(object)
}

/// The comparison as one JSON document: `units` (re-inspected), `missing`
/// (not re-inspected), `only_after` (new), `rules`, `owners`, `totals`.
pub fn json(comparison: &Comparison, rounds: Rounds<'_>) -> String {
    let units = |list: &[UnitChange]| list.iter().map(unit_json).collect::<Vec<_>>();
    let rules: Vec<Value> = comparison
        .rules
        .iter()
        .map(|rule| {
            let mut value = counts_json(("id", json!(rule.id)), &rule.counts);
            if let Value::Object(object) = &mut value {
                object.insert("title".to_owned(), json!(rule.title));
                object.insert("owner".to_owned(), json!(rule.owner));
            }
            value
        })
        .collect();
    let owners: Vec<Value> = comparison
        .owners
        .iter()
        .map(|owner| counts_json(("owner", json!(owner.owner)), &owner.counts))
        .collect();
    let mut totals = counts_json(("units", json!(comparison.units.len())), &comparison.totals);
    if let Value::Object(object) = &mut totals {
        object.insert(
            "not_reinspected".to_owned(),
            json!(comparison.missing.len()),
        );
        object.insert("new".to_owned(), json!(comparison.only_after.len()));
    }
    let document = json!({
        "before": rounds.before,
        "after": rounds.after,
        "units": units(&comparison.units),
        "missing": units(&comparison.missing),
        "only_after": units(&comparison.only_after),
        "rules": rules,
        "owners": owners,
        "totals": totals,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&document).unwrap_or_default()
    )
}

/// The comparison as CSV: a byte-order mark (unless `bom` is false), then one row per unit
/// (re-inspected, then not re-inspected, then new), rule ids joined by `;`.
/// English headings are the JSON keys; Chinese ones are words.
pub fn csv(comparison: &Comparison, language: Language, bom: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    if language.is_chinese() {
        let headings: Vec<&str> = [
            Word::Unit,
            Word::ScoreBefore,
            Word::ScoreAfter,
            Word::ScoreChange,
            Word::GradeBefore,
            Word::GradeAfter,
        ]
        .iter()
        .map(|&w| language.word(w))
        .chain(CHANGES.iter().map(|&c| heading(c, language)))
        .chain([language.word(Word::UnitStatus)])
        .collect();
        out.push_str(&headings.join(","));
        out.push('\n');
    } else {
        out.push_str("key,score_before,score_after,change,grade_before,grade_after,fixed,still_failing,newly_failing,waived,unverified,status\n");
    }
    let all = comparison
        .units
        .iter()
        .chain(&comparison.missing)
        .chain(&comparison.only_after);
    for unit in all {
        csv_field(&unit.key, &mut out);
        let scores = [
            unit.before.as_ref().map(|r| score(r.score)),
            unit.after.as_ref().map(|r| score(r.score)),
            unit.score_change().map(signed),
        ];
        // Numbers, signed or not, are written as numbers, never guarded as text.
        for text in scores {
            out.push(',');
            out.push_str(text.as_deref().unwrap_or_default());
        }
        for round in [&unit.before, &unit.after] {
            out.push(',');
            csv_field(
                round
                    .as_ref()
                    .and_then(|r| r.grade.as_deref())
                    .unwrap_or_default(),
                &mut out,
            );
        }
        for change in CHANGES {
            out.push(',');
            csv_field(&ids(unit, change, ";"), &mut out);
        }
        out.push(',');
        csv_field(status(unit.status, language), &mut out);
        out.push('\n');
    }
    out
}
