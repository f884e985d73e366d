//! `rollup --format table`, the default on a terminal: a row per unit
//! (final score, grade, rank, the coarsest levels' periods, repeats and
//! targets), then grade counts with their quotas, target attainment, the
//! repeat list by owner, and how many inspections were used.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::View;
use crate::language::Word;

/// How many of the coarsest levels get columns (finer ones are in the
/// other formats).
const LEVELS_SHOWN: usize = 2;

/// The table and the lines under it.
pub fn render(view: &View<'_>) -> String {
    let language = view.language;
    let rollup = &view.plan.rollup;
    let levels = view.assessment.periods.len();
    let shown = levels.saturating_sub(LEVELS_SHOWN)..levels;
    let mut header: Vec<String> = vec![view.key_heading.to_owned()];
    if let Some(group) = view.group {
        header.push(group.to_owned());
    }
    header.extend([Word::FinalScore, Word::Grade, Word::Rank].map(|w| language.word(w).to_owned()));
    for level in shown.clone() {
        for (_, name) in &view.assessment.periods[level] {
            header.push(view.period_heading(level, name));
        }
    }
    if !rollup.repeats.is_empty() {
        header.push(language.word(Word::Repeats).to_owned());
    }
    for target in &rollup.targets {
        header.push(language.fill(Word::TargetAtDeadline, &[&target.name]));
    }
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    for unit in &view.assessment.units {
        let mut row = vec![unit.key.clone()];
        if view.group.is_some() {
            row.push(unit.group.clone().unwrap_or_default());
        }
        row.push(View::score_text(unit.score));
        row.push(view.grade_name(unit).to_owned());
        row.push(unit.rank.map(|r| r.to_string()).unwrap_or_default());
        for level in shown.clone() {
            for (period, _) in &view.assessment.periods[level] {
                row.push(View::score_text(View::period_score(unit, level, *period)));
            }
        }
        if !rollup.repeats.is_empty() {
            let runs: Vec<String> = unit.repeats.iter().map(|r| view.run_text(r)).collect();
            row.push(runs.join(language.list_separator()));
        }
        for target in 0..rollup.targets.len() {
            row.push(view.target_words(unit, target).1);
        }
        table.add_row(row);
    }
    let score_column = 1 + usize::from(view.group.is_some());
    for column in [score_column, score_column + 2] {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = format!("{}\n{table}\n", rollup.title);
    out.push_str(&summary_lines(view));
    out
}

/// Grade counts and quotas, targets, the repeat list, the inspections used.
pub fn summary_lines(view: &View<'_>) -> String {
    let language = view.language;
    let rollup = &view.plan.rollup;
    let assessment = view.assessment;
    let mut out = language.fill(
        Word::RollupUnits,
        &[&assessment.units.len(), &assessment.ranked],
    );
    out.push('\n');
    let grades: Vec<String> = rollup
        .grades
        .iter()
        .zip(&view.totals.grades)
        .zip(&view.totals.quotas)
        .map(|((band, count), quota)| match quota {
            Some(limit) => language.fill(Word::QuotaLine, &[&band.name, count, limit]),
            None => language.fill(Word::GradeCount, &[&band.name, count]),
        })
        .collect();
    if !grades.is_empty() {
        out.push_str(&language.fill(Word::GradesLine, &[&grades.join(language.list_separator())]));
        out.push('\n');
    }
    for (target, (reached, units)) in rollup.targets.iter().zip(&view.totals.targets) {
        let rate = View::percent(*reached, *units);
        out.push_str(&language.fill(Word::TargetLine, &[&target.name, reached, units, &rate]));
        out.push('\n');
    }
    if !rollup.repeats.is_empty() {
        out.push_str(language.word(Word::AccountabilityHeading));
        out.push('\n');
        if view.totals.repeats.is_empty() {
            out.push_str("  ");
            out.push_str(language.word(Word::NoRepeats));
            out.push('\n');
        }
        for &(unit, run) in &view.totals.repeats {
            let unit = &assessment.units[unit];
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
    out.push_str(&language.fill(Word::InspectionsUsed, &[&assessment.used, &view.left_out]));
    out.push('\n');
    out
}
