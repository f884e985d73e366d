//! `--format table`, the default on a terminal: a row per unit (key, score,
//! grade, failed rules), then the grade counts and the most-failed rules.
//! With waivers, a column of waived rules and, under the table, each waived
//! failure with its justification.

use std::fmt::Write as _;

use std::sync::Arc;

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::values::score;
use super::{Format, RecordView, Summary};
use crate::eval::catalog::Catalog;
use crate::waivers::Waivers;

/// The terminal table.
pub struct TableFormat {
    /// The run's waivers, if it has any.
    pub waivers: Option<Arc<Waivers>>,
}

impl Format for TableFormat {
    fn begin(&self, _catalog: &Catalog) -> String {
        String::new()
    }

    fn record(&self, _record: &RecordView<'_>, _out: &mut String) {}

    fn end(&self, catalog: &Catalog, summary: &Summary) -> String {
        let standard = &catalog.latest().standard;
        let key = &standard.fields[standard.key.0];
        let mixed = catalog.is_mixed();
        let mut header = vec![key.heading()];
        if mixed {
            header.push("edition");
        }
        header.extend(["score", "grade", "failed rules"]);
        if self.waivers.is_some() {
            header.push("waived");
        }
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(header);
        for unit in &summary.units {
            let mut key = unit.key.clone();
            if unit.errors > 0 {
                let _ = write!(key, " (!{})", unit.errors);
            }
            let mut row = vec![key];
            if mixed {
                row.push(unit.edition_name(catalog).to_owned());
            }
            row.extend([
                score(unit.score),
                unit.grade_name(catalog).to_owned(),
                unit.failed_ids(catalog),
            ]);
            if self.waivers.is_some() {
                row.push(unit.waived_ids(catalog));
            }
            table.add_row(row);
        }
        if let Some(column) = table.column_mut(if mixed { 2 } else { 1 }) {
            column.set_cell_alignment(CellAlignment::Right);
        }
        let mut out = format!("{table}\n");
        out.push_str(&overview(catalog, summary));
        if let Some(waivers) = &self.waivers {
            out.push_str(&waived(catalog, summary, waivers));
        }
        out
    }

    fn needs_units(&self) -> bool {
        true
    }
}

/// The lines under the table: units and average, grades, most-failed rules, data errors.
fn overview(catalog: &Catalog, summary: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} units · average score {}",
        summary.records,
        score(summary.average())
    );
    if !catalog.grades.is_empty() {
        let grades: Vec<String> = catalog
            .grades
            .iter()
            .zip(&summary.grades)
            .map(|(grade, count)| format!("{grade} {count}"))
            .collect();
        let _ = writeln!(out, "grades: {}", grades.join(" · "));
    }
    let failed: Vec<String> = summary
        .most_failed(5)
        .into_iter()
        .map(|(rule, count)| {
            let rule = &catalog.rules[rule];
            format!("{} {} ({count})", rule.id, rule.title)
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

/// Each waived failure: unit, rule, justification, approver and expiry.
fn waived(catalog: &Catalog, summary: &Summary, waivers: &Waivers) -> String {
    let mut out = String::new();
    for (key, column, waiver) in summary.waived_items(waivers) {
        let rule = &catalog.rules[column];
        let _ = writeln!(
            out,
            "  {key} {} {}: {} (approved by {}, until {}, scores as {})",
            rule.id,
            rule.title,
            waiver.justification,
            waiver.approved_by,
            waiver.expires,
            waiver.scores_as.as_str()
        );
    }
    let count: u64 = summary.waived.iter().sum();
    let plural = if count == 1 { "" } else { "s" };
    format!("waived: {count} failure{plural}\n{out}")
}
