//! `--format table`, the default on a terminal: a row per unit (key, score,
//! grade — with the `veto` rules that set it —, failed rules, rules missing
//! a value), then the grade counts and the most-failed rules, in the
//! output's language. With waivers, a column of waived rules and, under the
//! table, each waived failure with its justification.

use std::fmt::Write as _;

use std::sync::Arc;

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::values::score;
use crate::eval::catalog::Catalog;
use crate::language::{Language, Word};
use crate::results::{Format, RecordView, Summary};
use crate::waivers::Waivers;

/// The terminal table.
pub struct TableFormat {
    /// The run's waivers, if it has any.
    pub waivers: Option<Arc<Waivers>>,
    /// The language of the headings and lines.
    pub language: Language,
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
        let language = self.language;
        let mut header = vec![key.heading()];
        if mixed {
            header.push(language.word(Word::Edition));
        }
        header.extend(
            [
                Word::Score,
                Word::Grade,
                Word::FailedRules,
                Word::MissingRules,
            ]
            .map(|word| language.word(word)),
        );
        if self.waivers.is_some() {
            header.push(language.word(Word::WaivedRules));
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
                super::values::unit_grade_text(unit, catalog, language),
                unit.failed_ids(catalog),
                unit.missing_ids(catalog),
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
        out.push_str(&overview(catalog, summary, language));
        if let Some(waivers) = &self.waivers {
            out.push_str(&waived(catalog, summary, waivers, language));
        }
        out
    }

    fn needs_units(&self) -> bool {
        true
    }
}

/// The lines under the table: units and average, grades, most-failed
/// rules, units missing values, data errors.
fn overview(catalog: &Catalog, summary: &Summary, language: Language) -> String {
    let mut out = String::new();
    let average = score(summary.average());
    let line = |out: &mut String, text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(
        &mut out,
        language.fill(Word::UnitsAndAverage, &[&summary.records, &average]),
    );
    if !catalog.grades.is_empty() {
        let grades: Vec<String> = catalog
            .grades
            .iter()
            .zip(&summary.grades)
            .map(|(grade, count)| format!("{grade} {count}"))
            .collect();
        line(
            &mut out,
            language.fill(Word::GradesLine, &[&grades.join(" · ")]),
        );
    }
    let failed: Vec<String> = summary
        .most_failed(5)
        .into_iter()
        .map(|(rule, count)| {
            let rule = catalog.rule(rule);
            let count = language.parenthesized(&count.to_string());
            format!("{} {}{count}", rule.id, rule.title)
        })
        .collect();
    if !failed.is_empty() {
        line(
            &mut out,
            language.fill(Word::MostFailedLine, &[&failed.join(" · ")]),
        );
    }
    let missing = summary
        .units
        .iter()
        .filter(|u| !u.missing.is_empty())
        .count();
    if missing > 0 {
        line(&mut out, language.fill(Word::MissingLine, &[&missing]));
    }
    if !summary.errors.is_empty() {
        line(
            &mut out,
            language.fill(Word::DataErrorsLine, &[&summary.errors.len()]),
        );
    }
    out
}

/// Each waived failure: unit, rule, justification, approver and expiry.
fn waived(catalog: &Catalog, summary: &Summary, waivers: &Waivers, language: Language) -> String {
    let mut out = String::new();
    for (key, column, waiver) in summary.waived_items(waivers) {
        let rule = catalog.rule(column);
        let detail = language.fill(
            Word::WaiverDetail,
            &[
                &waiver.justification,
                &waiver.approved_by,
                &waiver.expires,
                &super::values::outcome_name(language, waiver.scores_as.as_str()),
            ],
        );
        let named = language.labelled(&format!("{key} {} {}", rule.id, rule.title), &detail);
        let _ = writeln!(out, "  {named}");
    }
    let count: u64 = summary.waived.iter().sum();
    let heading = if language.is_chinese() {
        language.fill(Word::WaivedLine, &[&count])
    } else {
        let plural = if count == 1 { "" } else { "s" };
        format!("waived: {count} failure{plural}")
    };
    format!("{heading}\n{out}")
}
