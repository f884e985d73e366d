//! `--format csv`: one line per unit: key, score, grade and the ids of the
//! failed rules (joined by `;`); with `--detail`, a column per rule with its
//! outcome. With waivers, a `waived` column (after `failed`) lists the
//! rules whose failure a waiver excused. When records are scored by different editions, an `edition`
//! column follows the key, and a rule an edition does not have is blank.

use super::values::{csv_field, push_score};
use super::{Format, RecordView, Summary};
use crate::eval::catalog::Catalog;

/// The CSV format.
pub struct Csv {
    /// Add a column per rule.
    pub detail: bool,
    /// Add the `waived` column (the run has waivers).
    pub waived: bool,
}

impl Format for Csv {
    fn begin(&self, catalog: &Catalog) -> String {
        let standard = &catalog.latest().standard;
        let mut out = String::new();
        csv_field(&standard.fields[standard.key.0].name, &mut out);
        if catalog.is_mixed() {
            out.push_str(",edition");
        }
        out.push_str(",score,grade,failed");
        if self.waived {
            out.push_str(",waived");
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
        csv_field(record.grade(), out);
        out.push(',');
        // Rule ids hold no delimiter or quote, so the lists need no quoting.
        push_ids(record.failed().map(|rule| rules[rule].id.as_str()), out);
        if self.waived {
            out.push(',');
            push_ids(
                record.waived().map(|(rule, _)| rules[rule].id.as_str()),
                out,
            );
        }
        if self.detail {
            for column in 0..record.catalog.rules.len() {
                out.push(',');
                if let Some(rule) = record.catalog.rule_in(record.edition, column) {
                    out.push_str(record.scored.outcome_word(rule));
                }
            }
        }
        out.push('\n');
    }

    fn end(&self, _catalog: &Catalog, _summary: &Summary) -> String {
        String::new()
    }
}

/// Rule ids joined by `;`.
fn push_ids<'a>(ids: impl Iterator<Item = &'a str>, out: &mut String) {
    for (i, id) in ids.enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(id);
    }
}
