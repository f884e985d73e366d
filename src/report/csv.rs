//! `--format csv`: one line per unit, for a spreadsheet: the key (headed by
//! the key field's label), score, grade, and the ids of the failed rules and
//! of the rules that lost their points for a missing value (joined by `;`);
//! with `--detail`, a column per rule with its outcome. With waivers, a
//! waived column lists the rules whose failure a waiver excused; when an
//! edition has `veto` rules, a veto column lists the failed ones, which set
//! the grade (the grade column stays the grade's name, for sorting and
//! filtering). When records are scored by different editions, an edition
//! column follows the key, and a rule an edition does not have is blank.
//!
//! Headings and outcome words are in the output's language. The file starts
//! with a byte-order mark (unless asked not to), so that Excel opens it as
//! UTF-8, and no text cell can run as a formula ([`csv_field`]). This runs
//! once per record on the benchmark's path: nothing here allocates per record.

use super::values::{csv_field, outcome_name, push_score};
use crate::check::model::{Rule, RuleId};
use crate::eval::catalog::Catalog;
use crate::language::{Language, Word};
use crate::results::{Format, RecordView, Summary};

/// The CSV format.
pub struct Csv {
    /// Add a column per rule.
    pub detail: bool,
    /// Add the waived column (the run has waivers).
    pub waived: bool,
    /// Add the veto column (an edition has `veto` rules).
    pub veto: bool,
    /// The language of the headings and outcome words.
    pub language: Language,
    /// Start with a byte-order mark.
    pub bom: bool,
    /// Each edition's grade names as cells, written once here rather than
    /// escaped again for every record.
    grades: Vec<Vec<String>>,
}

impl Csv {
    /// The CSV format for the editions of `catalog`.
    pub fn new(catalog: &Catalog, language: Language, detail: bool, waived: bool) -> Csv {
        let veto = catalog
            .programs
            .iter()
            .any(|program| program.rules.iter().any(|rule| rule.veto));
        let grades = catalog
            .programs
            .iter()
            .map(|program| {
                let cell = |band: &crate::check::model::Band| {
                    let mut text = String::new();
                    csv_field(&band.name, &mut text);
                    text
                };
                program.standard.grades.iter().map(cell).collect()
            })
            .collect();
        Csv {
            detail,
            waived,
            veto,
            language,
            bom: true,
            grades,
        }
    }
}

impl Format for Csv {
    fn begin(&self, catalog: &Catalog) -> String {
        let standard = &catalog.latest().standard;
        let language = self.language;
        let mut out = String::new();
        if self.bom {
            out.push('\u{feff}');
        }
        csv_field(standard.fields[standard.key.0].heading(), &mut out);
        let mut heading = |word: Word| {
            out.push(',');
            csv_field(language.word(word), &mut out);
        };
        if catalog.is_mixed() {
            heading(Word::Edition);
        }
        heading(Word::Score);
        heading(Word::Grade);
        heading(Word::CsvFailed);
        heading(Word::MissingRules);
        if self.waived {
            heading(Word::WaivedRules);
        }
        if self.veto {
            heading(Word::VetoRules);
        }
        if self.detail {
            for rule in &catalog.rules {
                out.push(',');
                csv_field(&rule.id, &mut out);
            }
        }
        out.push('\n');
        out
    }

    fn record(&self, record: &RecordView<'_>, out: &mut String) {
        let rules = &record.program.standard.rules;
        csv_field(record.key, out);
        if record.catalog.is_mixed() {
            out.push(',');
            csv_field(&record.program.standard.version, out);
        }
        out.push(',');
        push_score(record.scored.totals.rounded, out);
        out.push(',');
        let grade = record.scored.grade.and_then(|band| {
            let cells = self.grades.get(record.edition)?;
            cells.get(band)
        });
        if let Some(cell) = grade {
            out.push_str(cell);
        }
        out.push(',');
        // Rule ids hold no delimiter or quote, and start with a letter, so
        // the lists need no quoting or guarding.
        push_ids(rules, record.scored.failed.iter().copied(), out);
        out.push(',');
        push_ids(rules, record.scored.missing.iter().copied(), out);
        if self.waived {
            out.push(',');
            push_ids(rules, record.waived().map(|(rule, _)| rule), out);
        }
        if self.veto {
            out.push(',');
            push_ids(rules, record.veto(), out);
        }
        if self.detail {
            for column in record.catalog.rule_columns() {
                out.push(',');
                if let Some(rule) = record.catalog.rule_in(record.edition, column) {
                    let word = record.scored.outcome_word(rule);
                    out.push_str(outcome_name(self.language, word));
                }
            }
        }
        out.push('\n');
    }

    fn end(&self, _catalog: &Catalog, _summary: &Summary) -> String {
        String::new()
    }
}

/// The ids of some rules of an edition, joined by `;`.
#[inline]
fn push_ids(rules: &[Rule], indices: impl Iterator<Item = RuleId>, out: &mut String) {
    for (i, rule) in indices.enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(&rules[rule.0].id);
    }
}
