//! `rollup --format csv`: one row per unit, for a spreadsheet: key, final
//! score, grade, rank, the score before repeats and the points repeats
//! took, a column per period of every level, inspections per method, the
//! repeats in words, and each target's first date and state at the deadline.

use super::View;
use crate::language::Word;
use crate::report::values::csv_field;

/// The whole CSV text (with a byte order mark when `bom`).
pub fn render(view: &View<'_>, bom: bool) -> String {
    let language = view.language;
    let rollup = &view.plan.rollup;
    let mut header: Vec<String> = vec![view.key_heading.to_owned()];
    let grouped = view.group.is_some();
    if let Some(group) = view.group {
        header.push(group.to_owned());
    }
    header.extend(
        [
            Word::FinalScore,
            Word::Grade,
            Word::Rank,
            Word::ScoreBeforeRepeats,
            Word::RepeatPoints,
        ]
        .map(|w| language.word(w).to_owned()),
    );
    for (level, periods) in view.assessment.periods.iter().enumerate() {
        header.extend(
            periods
                .iter()
                .map(|(_, name)| view.period_heading(level, name)),
        );
    }
    for method in &view.plan.methods {
        header.push(language.fill(Word::InspectionsBy, &[method]));
    }
    header.push(language.word(Word::Repeats).to_owned());
    for target in &rollup.targets {
        header.push(language.fill(Word::TargetFirstMet, &[&target.name]));
        header.push(language.fill(Word::TargetAtDeadline, &[&target.name]));
    }
    let mut out = String::from(if bom { "\u{FEFF}" } else { "" });
    line(&header, &mut out);
    for unit in &view.assessment.units {
        let mut row: Vec<String> = vec![unit.key.clone()];
        if grouped {
            row.push(unit.group.clone().unwrap_or_default());
        }
        row.push(View::score_text(unit.score));
        row.push(view.grade_name(unit).to_owned());
        row.push(unit.rank.map(|r| r.to_string()).unwrap_or_default());
        row.push(View::score_text(unit.base));
        row.push(View::repeat_points(unit).normalize().to_string());
        for (level, periods) in view.assessment.periods.iter().enumerate() {
            for (period, _) in periods {
                row.push(View::score_text(View::period_score(unit, level, *period)));
            }
        }
        row.extend(unit.inspections.iter().map(u64::to_string));
        let runs: Vec<String> = unit.repeats.iter().map(|r| view.run_text(r)).collect();
        row.push(runs.join("; "));
        for target in 0..rollup.targets.len() {
            let (first, state) = view.target_words(unit, target);
            row.push(first);
            row.push(state);
        }
        line(&row, &mut out);
    }
    out
}

fn line(cells: &[String], out: &mut String) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(cell, out);
    }
    out.push('\n');
}
