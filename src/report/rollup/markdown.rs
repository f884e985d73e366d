//! `rollup --format markdown`: the year's assessment as a document to paste
//! into a report or an issue, in the output's language: the title, the
//! standard and the days assessed, how it is scored (each level's weights,
//! each `repeat` line), a row per unit (final score, grade, rank, every
//! period of every level, repeats, targets), grade counts with the use of
//! each quota, target attainment (「四化達標率」), the repeat list (問責名單)
//! under each owner, and the inspections used and left out. Units are in
//! the order of the data, as in the other formats.

use std::fmt::Write as _;

use super::{Column, View};
use crate::language::Word;
use crate::report::markdown::{cell, table_head};

/// The whole document.
pub fn render(view: &View<'_>) -> String {
    let language = view.language;
    let rollup = &view.plan.rollup;
    let [units, inspections] = view.counts_sentences();
    let mut out = format!("# {}\n\n", cell(&rollup.title));
    let mut about = cell(view.standard_title());
    if let Some(period) = view.period_text() {
        about.push_str(" · ");
        about.push_str(&language.labelled(language.word(Word::AssessedPeriod), &period));
    }
    let _ = writeln!(out, "{about}\n\n{units}\n");
    out.push_str(&method(view));
    out.push_str(&units_table(view));
    out.push_str(&grades(view));
    out.push_str(&targets(view));
    out.push_str(&repeat_list(view));
    let _ = writeln!(out, "{inspections}");
    out
}

/// `## heading` and a blank line.
fn heading(view: &View<'_>, word: Word) -> String {
    format!("## {}\n\n", view.language.word(word))
}

/// A heading for a table: right-aligned when the column holds numbers.
fn aligned(heading: String, number: bool) -> String {
    if number {
        format!(">{heading}")
    } else {
        heading
    }
}

/// A table row of cells already escaped.
fn row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

/// Each level's weights and each `repeat` line, as a list.
fn method(view: &View<'_>) -> String {
    let mut out = heading(view, Word::HowScored);
    let levels = (0..view.plan.rollup.levels.len()).map(|level| view.level_formula(level));
    for line in levels.chain(view.repeat_rules()) {
        let _ = writeln!(out, "- {}", cell(&line));
    }
    out.push('\n');
    out
}

/// A row per unit: every column but the score before repeats, the points
/// and the inspections per method (the CSV and the workbook have them).
fn units_table(view: &View<'_>) -> String {
    let has_repeats = !view.plan.rollup.repeats.is_empty();
    let columns: Vec<Column> = view
        .columns()
        .into_iter()
        .filter(|column| match column {
            Column::ScoreBeforeRepeats | Column::RepeatPoints | Column::Inspections(_) => false,
            Column::Repeats => has_repeats,
            _ => true,
        })
        .collect();
    let headings: Vec<String> = columns
        .iter()
        .map(|&c| aligned(view.heading(c), c.is_number()))
        .collect();
    let mut out = heading(view, Word::UnitsHeading);
    out.push_str(&table_head(
        &headings.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    let separator = view.language.list_separator();
    for unit in &view.assessment.units {
        let cells: Vec<String> = columns
            .iter()
            .map(|&c| cell(&view.value(unit, c).text(separator)))
            .collect();
        out.push_str(&row(&cells));
    }
    out.push('\n');
    out
}

/// Units per grade, their share, and each quota.
fn grades(view: &View<'_>) -> String {
    if view.plan.rollup.grades.is_empty() {
        return String::new();
    }
    let word = |w: Word| view.language.word(w).to_owned();
    let mut out = heading(view, Word::GradesHeading);
    out.push_str(&table_head(&[
        &word(Word::Grade),
        &aligned(word(Word::UnitCount), true),
        &aligned(word(Word::Share), true),
        &aligned(word(Word::Quota), true),
    ]));
    let ranked = view.assessment.ranked;
    for (name, count, quota) in view.grade_counts() {
        let quota = quota.map_or_else(|| word(Word::Nothing), |q| q.to_string());
        let share = View::percent(count, ranked);
        out.push_str(&row(&[cell(name), count.to_string(), share, quota]));
    }
    out.push('\n');
    out
}

/// Each target: its deadline, the units that met it, the units judged,
/// and the rate.
fn targets(view: &View<'_>) -> String {
    if view.plan.rollup.targets.is_empty() {
        return String::new();
    }
    let word = |w: Word| view.language.word(w).to_owned();
    let mut out = heading(view, Word::TargetsHeading);
    out.push_str(&table_head(&[
        &word(Word::Target),
        &word(Word::TargetBy),
        &aligned(word(Word::Met), true),
        &aligned(word(Word::UnitCount), true),
        &aligned(word(Word::AttainmentRate), true),
    ]));
    for (target, met, units) in view.target_counts() {
        out.push_str(&row(&[
            cell(&target.name),
            target.by.to_string(),
            met.to_string(),
            units.to_string(),
            View::percent(met, units),
        ]));
    }
    out.push('\n');
    out
}

/// The repeat list: a table under each owner.
fn repeat_list(view: &View<'_>) -> String {
    if view.plan.rollup.repeats.is_empty() {
        return String::new();
    }
    let word = |w: Word| view.language.word(w).to_owned();
    let mut out = heading(view, Word::AccountabilityHeading);
    let owners = view.repeats_by_owner();
    if owners.is_empty() {
        let _ = writeln!(out, "{}\n", word(Word::NoRepeats));
    }
    for (owner, pairs) in owners {
        let _ = writeln!(out, "### {}\n", cell(owner));
        out.push_str(&table_head(&[
            view.key_heading,
            &word(Word::Rule),
            &word(Word::Title),
            &word(Word::Periods),
            &aligned(word(Word::RepeatCount), true),
            &aligned(word(Word::PointsLost), true),
        ]));
        for (unit, run) in pairs {
            let unit = &view.assessment.units[unit];
            let run = &unit.repeats[run];
            let rule = &view.catalog.rules[run.rule];
            out.push_str(&row(&[
                cell(&unit.key),
                cell(&rule.id),
                cell(&rule.title),
                cell(&view.run_periods(run)),
                run.count.to_string(),
                run.points.normalize().to_string(),
            ]));
        }
        out.push('\n');
    }
    out
}
