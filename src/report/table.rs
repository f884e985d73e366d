//! `--format table`, the default on a terminal: a row per unit (key, score,
//! grade, failed rules), then the grade counts and the most-failed rules.

use std::fmt::Write as _;

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::values::score;
use super::{Format, RecordView, Summary};
use crate::eval::compile::Program;

/// The terminal table.
pub struct TableFormat;

impl Format for TableFormat {
    fn begin(&self, _program: &Program) -> String {
        String::new()
    }

    fn record(&self, _record: &RecordView<'_>, _out: &mut String) {}

    fn end(&self, program: &Program, summary: &Summary) -> String {
        let standard = &program.standard;
        let key = &standard.fields[standard.key.0];
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(vec![key.heading(), "score", "grade", "failed rules"]);
        for unit in &summary.units {
            let mut key = unit.key.clone();
            if unit.errors > 0 {
                let _ = write!(key, " (!{})", unit.errors);
            }
            table.add_row(vec![
                key,
                score(unit.score),
                unit.grade_name(standard).to_owned(),
                unit.failed_ids(standard),
            ]);
        }
        if let Some(column) = table.column_mut(1) {
            column.set_cell_alignment(CellAlignment::Right);
        }
        let mut out = format!("{table}\n");
        out.push_str(&overview(program, summary));
        out
    }

    fn needs_units(&self) -> bool {
        true
    }
}

/// The lines under the table: units and average, grades, most-failed rules, data errors.
fn overview(program: &Program, summary: &Summary) -> String {
    let standard = &program.standard;
    let mut out = String::new();
    let average = summary.average();
    let _ = writeln!(
        out,
        "{} units · average score {}",
        summary.records,
        score(average)
    );
    if !standard.grades.is_empty() {
        let grades: Vec<String> = standard
            .grades
            .iter()
            .zip(&summary.grades)
            .map(|(band, count)| format!("{} {count}", band.name))
            .collect();
        let _ = writeln!(out, "grades: {}", grades.join(" · "));
    }
    let failed: Vec<String> = summary
        .most_failed(5)
        .into_iter()
        .map(|(rule, count)| {
            format!(
                "{} {} ({count})",
                standard.rules[rule].id, standard.rules[rule].title
            )
        })
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "most failed: {}", failed.join(" · "));
    }
    if !summary.errors.is_empty() {
        let _ = writeln!(
            out,
            "data errors: {} (listed on stderr; rules that needed those values are missing)",
            summary.errors.len()
        );
    }
    out
}
