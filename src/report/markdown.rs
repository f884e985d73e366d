//! `--format markdown`: a report to paste into a document or an issue, in
//! the output's language: the grade counts, the most-failed rules, and a
//! table of every unit (its grade with the `veto` rules that set it, its
//! failed rules and the rules that lost their points for a missing value).

use std::fmt::Write as _;

use std::sync::Arc;

use rust_decimal::Decimal;

use super::values::{outcome_name, score};
use crate::eval::catalog::Catalog;
use crate::language::{Language, Word};
use crate::results::{Format, RecordView, Summary};
use crate::waivers::Waivers;

/// The Markdown report.
pub struct Markdown {
    /// The run's waivers, if it has any.
    pub waivers: Option<Arc<Waivers>>,
    /// The language of the headings and sentences.
    pub language: Language,
}

/// Text for a Markdown table cell: pipes escaped, line breaks as spaces.
pub(crate) fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// A table's header row and its alignment row; a heading that starts with
/// `>` is a right-aligned (number) column.
pub(crate) fn table_head(headings: &[&str]) -> String {
    let mut head = String::from("|");
    let mut rule = String::from("|");
    for heading in headings {
        let (text, align) = match heading.strip_prefix('>') {
            Some(text) => (text, "---:|"),
            None => (*heading, "---|"),
        };
        let _ = write!(head, " {} |", cell(text));
        rule.push_str(align);
    }
    format!("{head}\n{rule}\n")
}

impl Format for Markdown {
    fn begin(&self, _catalog: &Catalog) -> String {
        String::new()
    }

    fn record(&self, _record: &RecordView<'_>, _out: &mut String) {}

    fn end(&self, catalog: &Catalog, summary: &Summary) -> String {
        let standard = &catalog.latest().standard;
        let language = self.language;
        let word = |w: Word| language.word(w);
        let right = |w: Word| format!(">{}", language.word(w));
        let mut out = String::new();
        let versions: Vec<&str> = catalog
            .programs
            .iter()
            .map(|p| p.standard.version.as_str())
            .collect();
        let versions = language.parenthesized(&versions.join(language.list_separator()));
        let _ = writeln!(out, "# {}{}\n", cell(&standard.title), cell(&versions));
        let average = score(summary.average());
        let _ = writeln!(
            out,
            "{}\n",
            language.fill(Word::UnitsInspected, &[&summary.records, &average])
        );
        if !catalog.grades.is_empty() {
            let _ = writeln!(out, "## {}\n", word(Word::GradesHeading));
            out.push_str(&table_head(&[
                word(Word::Grade),
                &right(Word::UnitCount),
                &right(Word::Share),
            ]));
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
            let _ = writeln!(out, "## {}\n", word(Word::MostFailedHeading));
            out.push_str(&table_head(&[
                word(Word::Rule),
                word(Word::Title),
                &right(Word::Failures),
                &right(Word::ShareOfUnits),
            ]));
            for (rule, count) in failed {
                let rule = catalog.rule(rule);
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
        let score_heading = right(Word::Score);
        let mut headings = vec![key.heading()];
        if mixed {
            headings.push(word(Word::Edition));
        }
        headings.extend([
            score_heading.as_str(),
            word(Word::Grade),
            word(Word::FailedRules),
            word(Word::MissingRules),
        ]);
        if self.waivers.is_some() {
            headings.push(word(Word::WaivedRules));
        }
        let _ = writeln!(out, "## {}\n", word(Word::UnitsHeading));
        out.push_str(&table_head(&headings));
        for unit in &summary.units {
            let mut row = vec![cell(&unit.key)];
            if mixed {
                row.push(cell(unit.edition_name(catalog)));
            }
            row.extend([
                score(unit.score),
                cell(&super::values::unit_grade_text(unit, catalog, language)),
                unit.failed_ids(catalog),
                unit.missing_ids(catalog),
            ]);
            if self.waivers.is_some() {
                row.push(unit.waived_ids(catalog));
            }
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        if let Some(waivers) = &self.waivers {
            out.push_str(&waived(catalog, summary, waivers, language));
        }
        let errors = summary.errors.len();
        if errors > 0 {
            let sentence = if errors == 1 {
                Word::DataErrorSentence
            } else {
                Word::DataErrorsSentence
            };
            let _ = writeln!(out, "\n{}", language.fill(sentence, &[&errors]));
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
fn waived(catalog: &Catalog, summary: &Summary, waivers: &Waivers, language: Language) -> String {
    let word = |w: Word| language.word(w);
    let mut out = format!("\n## {}\n\n", word(Word::WaivedHeading));
    out.push_str(&table_head(&[
        word(Word::Unit),
        word(Word::Rule),
        word(Word::Title),
        word(Word::Justification),
        word(Word::ApprovedBy),
        word(Word::Expires),
        word(Word::ScoresAs),
    ]));
    let mut any = false;
    for (key, column, waiver) in summary.waived_items(waivers) {
        let rule = catalog.rule(column);
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
            outcome_name(language, waiver.scores_as.as_str())
        );
    }
    if !any {
        return format!("\n{}\n", word(Word::NoneWaived));
    }
    out
}
