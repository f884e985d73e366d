//! `--format csv`: one line per unit: key, score, grade and the ids of the
//! failed rules (joined by `;`); with `--detail`, a column per rule with its outcome.

use super::values::{csv_field, push_score};
use super::{Format, RecordView, Summary};
use crate::eval::compile::Program;

/// The CSV format.
pub struct Csv {
    /// Add a column per rule.
    pub detail: bool,
}

impl Format for Csv {
    fn begin(&self, program: &Program) -> String {
        let standard = &program.standard;
        let mut out = String::new();
        csv_field(&standard.fields[standard.key.0].name, &mut out);
        out.push_str(",score,grade,failed");
        if self.detail {
            for rule in &standard.rules {
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
        out.push(',');
        push_score(record.scored.totals.score, out);
        out.push(',');
        csv_field(record.grade(), out);
        out.push(',');
        // Rule ids hold no delimiter or quote, so the list needs no quoting.
        for (i, rule) in record.failed().enumerate() {
            if i > 0 {
                out.push(';');
            }
            out.push_str(&rules[rule].id);
        }
        if self.detail {
            for outcome in &record.scored.outcomes {
                out.push(',');
                out.push_str(outcome.as_str());
            }
        }
        out.push('\n');
    }

    fn end(&self, _program: &Program, _summary: &Summary) -> String {
        String::new()
    }
}
