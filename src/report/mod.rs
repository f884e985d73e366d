//! Every output format. Nothing here decides a score or a diagnostic; it only
//! presents them.
//!
//! A [`Format`] writes a batch's results as text: its `record` is called on
//! worker threads, in parallel, and the pieces are written in input order, so
//! output is the same whatever the number of threads.

pub mod csv;
pub mod diagnostics;
pub mod explain;
pub mod json;
pub mod markdown;
pub mod table;
pub mod values;

use rust_decimal::Decimal;

use crate::check::Standard;
use crate::data::{DataError, Place};
use crate::eval::compile::Program;
use crate::eval::engine::Scored;
use crate::eval::value::Cell;
use crate::syntax::ast::Outcome;

/// One scored record, as formats see it.
pub struct RecordView<'a> {
    /// The compiled standard.
    pub program: &'a Program,
    /// The file (and sheet) the record came from.
    pub place: &'a Place,
    /// Its row (line, record) number there.
    pub row: u64,
    /// The unit's key, as text.
    pub key: &'a str,
    /// The record's cells, one per field.
    pub cells: &'a [Cell],
    /// Outcomes, points, score and grade.
    pub scored: &'a Scored,
    /// The record's data errors.
    pub errors: &'a [DataError],
}

impl RecordView<'_> {
    /// The indices of the rules the unit failed, in source order.
    pub fn failed(&self) -> impl Iterator<Item = usize> + '_ {
        self.scored
            .outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| **o == Outcome::Fail)
            .map(|(i, _)| i)
    }

    /// The grade's name, or empty.
    pub fn grade(&self) -> &str {
        self.scored
            .grade
            .and_then(|g| self.program.standard.grades.get(g))
            .map_or("", |band| band.name.as_str())
    }
}

/// A short line about one unit, kept by formats that show every unit at the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitLine {
    /// The key.
    pub key: String,
    /// The score, exact.
    pub score: Decimal,
    /// The grade band, by index.
    pub grade: Option<usize>,
    /// The failed rules, by index.
    pub failed: Vec<usize>,
    /// How many data errors the record had.
    pub errors: usize,
}

impl UnitLine {
    /// The ids of the failed rules, separated by spaces.
    pub fn failed_ids(&self, standard: &Standard) -> String {
        let ids: Vec<&str> = self
            .failed
            .iter()
            .map(|&r| standard.rules[r].id.as_str())
            .collect();
        ids.join(" ")
    }

    /// The grade's name; empty when the standard has no grades.
    pub fn grade_name<'s>(&self, standard: &'s Standard) -> &'s str {
        self.grade
            .and_then(|g| standard.grades.get(g))
            .map_or("", |band| band.name.as_str())
    }
}

/// What a batch came to, accumulated in input order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records scored.
    pub records: u64,
    /// Units per grade band, by index.
    pub grades: Vec<u64>,
    /// Failures per rule, by index.
    pub failures: Vec<u64>,
    /// The sum of the exact scores.
    pub score_sum: Decimal,
    /// Every data error, in input order.
    pub errors: Vec<DataError>,
    /// One line per unit, when the format asks for them.
    pub units: Vec<UnitLine>,
}

impl Summary {
    /// The average score over the records; 0 when there were none.
    pub fn average(&self) -> Decimal {
        if self.records == 0 {
            Decimal::ZERO
        } else {
            self.score_sum / Decimal::from(self.records)
        }
    }

    /// An empty summary for `program`.
    pub fn new(program: &Program) -> Summary {
        Summary {
            grades: vec![0; program.standard.grades.len()],
            failures: vec![0; program.rules.len()],
            ..Summary::default()
        }
    }

    /// Counts one scored record.
    pub fn count(&mut self, record: &RecordView<'_>, keep_line: bool) {
        self.records += 1;
        if let Some(grade) = record.scored.grade.and_then(|g| self.grades.get_mut(g)) {
            *grade += 1;
        }
        for rule in record.failed() {
            if let Some(count) = self.failures.get_mut(rule) {
                *count += 1;
            }
        }
        self.score_sum += record.scored.totals.score;
        if keep_line {
            self.units.push(UnitLine {
                key: record.key.to_owned(),
                score: record.scored.totals.score,
                grade: record.scored.grade,
                failed: record.failed().collect(),
                errors: record.errors.len(),
            });
        }
    }

    /// Adds a later part of the batch.
    pub fn merge(&mut self, later: Summary) {
        self.records += later.records;
        for (total, n) in self.grades.iter_mut().zip(later.grades) {
            *total += n;
        }
        for (total, n) in self.failures.iter_mut().zip(later.failures) {
            *total += n;
        }
        self.score_sum += later.score_sum;
        self.errors.extend(later.errors);
        self.units.extend(later.units);
    }

    /// The rules that failed most, most first (ties in source order), at most `n`.
    pub fn most_failed(&self, n: usize) -> Vec<(usize, u64)> {
        let mut rules: Vec<(usize, u64)> = self
            .failures
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, c)| *c > 0)
            .collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        rules.truncate(n);
        rules
    }
}

/// An output format.
pub trait Format: Sync {
    /// Text before the first record.
    fn begin(&self, program: &Program) -> String;
    /// Appends one record's text; called on worker threads.
    fn record(&self, record: &RecordView<'_>, out: &mut String);
    /// Text after the last record.
    fn end(&self, program: &Program, summary: &Summary) -> String;
    /// Whether `end` needs a line per unit in the summary.
    fn needs_units(&self) -> bool {
        false
    }
    /// Text between two records (after a record's own text).
    fn separator(&self) -> &str {
        ""
    }
}
