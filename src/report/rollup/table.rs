//! `rollup --format table`, the default on a terminal: a row per unit
//! (final score, grade, rank, the coarsest levels' periods, the points
//! repeats took, targets), then grade counts with their quotas, target attainment, the
//! repeat list by owner, and how many inspections were used.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::{Column, View};
use crate::language::Word;

/// How many of the coarsest levels get columns (finer ones are in the
/// other formats).
const LEVELS_SHOWN: usize = 2;

/// The table and the lines under it.
pub fn render(view: &View<'_>) -> String {
    let levels = view.assessment.periods.len();
    let has_repeats = !view.plan.rollup.repeats.is_empty();
    let columns: Vec<Column> = view
        .columns()
        .into_iter()
        .filter(|column| match column {
            Column::Period(level, _) => *level + LEVELS_SHOWN >= levels,
            // The points repeats took; the runs are listed under the table.
            Column::RepeatPoints => has_repeats,
            Column::Repeats
            | Column::ScoreBeforeRepeats
            | Column::Inspections(_)
            | Column::TargetFirstMet(_) => false,
            _ => true,
        })
        .collect();
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(columns.iter().map(|&c| view.heading(c)));
    let separator = view.language.list_separator();
    for unit in &view.assessment.units {
        table.add_row(columns.iter().map(|&c| view.value(unit, c).text(separator)));
    }
    for (at, column) in columns.iter().enumerate() {
        if column.is_number()
            && let Some(column) = table.column_mut(at)
        {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = format!("{}\n{table}\n", view.plan.rollup.title);
    out.push_str(&summary_lines(view));
    out
}

/// Grade counts and quotas, targets, the repeat list, the inspections used.
pub fn summary_lines(view: &View<'_>) -> String {
    let language = view.language;
    let [units, inspections] = view.counts_sentences();
    let mut out = format!("{units}\n");
    let grades: Vec<String> = view
        .grade_counts()
        .map(|(name, count, quota)| match quota {
            Some(limit) => language.fill(Word::QuotaLine, &[&name, &count, &limit]),
            None => language.fill(Word::GradeCount, &[&name, &count]),
        })
        .collect();
    if !grades.is_empty() {
        out.push_str(&language.fill(Word::GradesLine, &[&grades.join(language.list_separator())]));
        out.push('\n');
    }
    for (target, met, units) in view.target_counts() {
        let rate = View::percent(met, units);
        out.push_str(&language.fill(Word::TargetLine, &[&target.name, &met, &units, &rate]));
        out.push('\n');
    }
    if !view.plan.rollup.repeats.is_empty() {
        out.push_str(language.word(Word::AccountabilityHeading));
        out.push('\n');
        if view.totals.repeats.is_empty() {
            out.push_str("  ");
            out.push_str(language.word(Word::NoRepeats));
            out.push('\n');
        }
        for &(unit, run) in &view.totals.repeats {
            let unit = &view.assessment.units[unit];
            let run = &unit.repeats[run];
            let rule = &view.catalog.rules[run.rule];
            let owner = rule.owner.as_deref().unwrap_or("—");
            let rule_text = format!("{} {}", rule.id, rule.title);
            let run_text = language.fill(
                Word::RepeatRunText,
                &[&rule_text, &view.run_periods(run), &run.points.normalize()],
            );
            out.push_str(&format!("  {owner} · {} · {run_text}\n", unit.key));
        }
    }
    out.push_str(&inspections);
    out.push('\n');
    out
}
