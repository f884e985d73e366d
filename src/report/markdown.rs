//! `--format markdown`: a report to paste into a document or an issue: the
//! grade counts, the most-failed rules, and a table of every unit.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::values::score;
use super::{Format, RecordView, Summary};
use crate::eval::compile::Program;

/// The Markdown report.
pub struct Markdown;

/// Text for a Markdown table cell: pipes escaped, line breaks as spaces.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

impl Format for Markdown {
    fn begin(&self, _program: &Program) -> String {
        String::new()
    }

    fn record(&self, _record: &RecordView<'_>, _out: &mut String) {}

    fn end(&self, program: &Program, summary: &Summary) -> String {
        let standard = &program.standard;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# {}（{}）\n",
            cell(&standard.title),
            cell(&standard.version)
        );
        let average = summary.average();
        let _ = writeln!(
            out,
            "{} units inspected, average score {}.\n",
            summary.records,
            score(average)
        );
        if !standard.grades.is_empty() {
            out.push_str("## Grades\n\n| grade | units | share |\n|---|---:|---:|\n");
            for (band, count) in standard.grades.iter().zip(&summary.grades) {
                let _ = writeln!(
                    out,
                    "| {} | {count} | {}% |",
                    cell(&band.name),
                    share(*count, summary.records)
                );
            }
            out.push('\n');
        }
        let failed = summary.most_failed(10);
        if !failed.is_empty() {
            out.push_str("## Most failed rules\n\n| rule | title | failures | share of units |\n|---|---|---:|---:|\n");
            for (rule, count) in failed {
                let rule_ = &standard.rules[rule];
                let _ = writeln!(
                    out,
                    "| {} | {} | {count} | {}% |",
                    cell(&rule_.id),
                    cell(&rule_.title),
                    share(count, summary.records)
                );
            }
            out.push('\n');
        }
        let key = &standard.fields[standard.key.0];
        let _ = writeln!(
            out,
            "## Units\n\n| {} | score | grade | failed rules |\n|---|---:|---|---|",
            cell(key.heading())
        );
        for unit in &summary.units {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&unit.key),
                score(unit.score),
                cell(unit.grade_name(standard)),
                unit.failed_ids(standard)
            );
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
