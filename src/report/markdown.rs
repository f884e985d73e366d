//! `--format markdown`: a report to paste into a document or an issue: the
//! grade counts, the most-failed rules, and a table of every unit.

use std::fmt::Write as _;

use std::sync::Arc;

use rust_decimal::Decimal;

use super::values::score;
use super::{Format, RecordView, Summary};
use crate::eval::catalog::Catalog;
use crate::waivers::Waivers;

/// The Markdown report.
pub struct Markdown {
    /// The run's waivers, if it has any.
    pub waivers: Option<Arc<Waivers>>,
}

/// Text for a Markdown table cell: pipes escaped, line breaks as spaces.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

impl Format for Markdown {
    fn begin(&self, _catalog: &Catalog) -> String {
        String::new()
    }

    fn record(&self, _record: &RecordView<'_>, _out: &mut String) {}

    fn end(&self, catalog: &Catalog, summary: &Summary) -> String {
        let standard = &catalog.latest().standard;
        let mut out = String::new();
        let versions: Vec<&str> = catalog
            .programs
            .iter()
            .map(|p| p.standard.version.as_str())
            .collect();
        let _ = writeln!(
            out,
            "# {}（{}）\n",
            cell(&standard.title),
            cell(&versions.join("、"))
        );
        let _ = writeln!(
            out,
            "{} units inspected, average score {}.\n",
            summary.records,
            score(summary.average())
        );
        if !catalog.grades.is_empty() {
            out.push_str("## Grades\n\n| grade | units | share |\n|---|---:|---:|\n");
            for (grade, count) in catalog.grades.iter().zip(&summary.grades) {
                let _ = writeln!(
                    out,
                    "| {} | {count} | {}% |",
                    cell(grade),
                    share(*count, summary.records)
                );
            }
            out.push('\n');
        }
        let failed = summary.most_failed(10);
        if !failed.is_empty() {
            out.push_str("## Most failed rules\n\n| rule | title | failures | share of units |\n|---|---|---:|---:|\n");
            for (rule, count) in failed {
                let rule = &catalog.rules[rule];
                let _ = writeln!(
                    out,
                    "| {} | {} | {count} | {}% |",
                    cell(&rule.id),
                    cell(&rule.title),
                    share(count, summary.records)
                );
            }
            out.push('\n');
        }
        let key = &standard.fields[standard.key.0];
        let mixed = catalog.is_mixed();
        let (edition_head, edition_rule) = if mixed {
            (" edition |", "---|")
        } else {
            ("", "")
        };
        let (waived_head, waived_rule) = if self.waivers.is_some() {
            (" waived |", "---|")
        } else {
            ("", "")
        };
        let _ = writeln!(
            out,
            "## Units\n\n| {} |{edition_head} score | grade | failed rules |{waived_head}\n|---|{edition_rule}---:|---|---|{waived_rule}",
            cell(key.heading())
        );
        for unit in &summary.units {
            let edition = if mixed {
                format!(" {} |", cell(unit.edition_name(catalog)))
            } else {
                String::new()
            };
            let waived = if self.waivers.is_some() {
                format!(" {} |", unit.waived_ids(catalog))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "| {} |{edition} {} | {} | {} |{waived}",
                cell(&unit.key),
                score(unit.score),
                cell(unit.grade_name(catalog)),
                unit.failed_ids(catalog)
            );
        }
        if let Some(waivers) = &self.waivers {
            out.push_str(&waived(catalog, summary, waivers));
        }
        if !summary.errors.is_empty() {
            let _ = writeln!(
                out,
                "\n{} data errors: rules that needed those values are counted as missing.",
                summary.errors.len()
            );
        }
        out
    }

    fn needs_units(&self) -> bool {
        true
    }
}

/// `count` as a percentage of `total`, two decimals.
fn share(count: u64, total: u64) -> String {
    if total == 0 {
        return score(Decimal::ZERO);
    }
    score(Decimal::from(count) * Decimal::ONE_HUNDRED / Decimal::from(total))
}

/// The section of waived failures: who excused what, why, until when.
fn waived(catalog: &Catalog, summary: &Summary, waivers: &Waivers) -> String {
    let mut out = String::from(
        "\n## Waived failures\n\n| unit | rule | title | justification | approved by | expires | scores as |\n|---|---|---|---|---|---|---|\n",
    );
    let mut any = false;
    for (key, column, waiver) in summary.waived_items(waivers) {
        let rule = &catalog.rules[column];
        any = true;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell(key),
            cell(&rule.id),
            cell(&rule.title),
            cell(&waiver.justification),
            cell(&waiver.approved_by),
            waiver.expires,
            waiver.scores_as.as_str()
        );
    }
    if !any {
        return "\nNo failure was waived.\n".to_owned();
    }
    out
}
