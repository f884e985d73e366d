//! The result model of a run: each scored record as the later steps see it
//! ([`RecordView`]), what a batch comes to ([`Summary`]: counts, the exact
//! score sum, data errors, a line per unit) and how parts of it are merged
//! in input order, the units kept for `--explain` ([`Kept`]) and why they
//! failed (`explain`), the canonical text of scores and cells (`text`), and
//! the [`Format`] a batch writes its records with. `batch` fills it,
//! `report` presents it; it knows no output format and imports neither.

pub mod explain;
pub mod text;

use rust_decimal::Decimal;

use crate::check::model::RuleId;
use crate::data::{DataError, Location, Place};
use crate::eval::catalog::{Catalog, GradeColumn, RuleColumn};
use crate::eval::compile::Program;
use crate::eval::engine::Scored;
use crate::value::{Cell, Sum};
use crate::waivers::{Waiver, WaiverIndex, Waivers};

/// One scored record, as formats see it.
pub struct RecordView<'a> {
    /// Every edition of the run.
    pub catalog: &'a Catalog,
    /// The run's waivers, when `--waivers` was given.
    pub waivers: Option<&'a Waivers>,
    /// The index of the edition that scored the record.
    pub edition: usize,
    /// That edition.
    pub program: &'a Program,
    /// The unit's group (`--group-by`), when one is asked for.
    pub group: Option<&'a str>,
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
    /// The rules the unit failed, in source order.
    pub fn failed(&self) -> impl Iterator<Item = RuleId> + '_ {
        self.scored.failed.iter().copied()
    }

    /// The rules whose outcome is `missing`, in source order.
    pub fn missing(&self) -> impl Iterator<Item = RuleId> + '_ {
        self.scored.missing.iter().copied()
    }

    /// The failed `veto` rules (一票否決), which set the grade, in source order.
    pub fn veto(&self) -> impl Iterator<Item = RuleId> + '_ {
        let any = self.scored.totals.veto_failed;
        let failed = if any { &self.scored.failed[..] } else { &[] };
        failed
            .iter()
            .copied()
            .filter(|rule| self.program.rules.get(rule.0).is_some_and(|r| r.veto))
    }

    /// The rules whose failure a waiver excused, with the waiver, in source order.
    pub fn waived(&self) -> impl Iterator<Item = (RuleId, &Waiver)> + '_ {
        self.scored
            .waived
            .iter()
            .filter_map(move |&(rule, waiver)| Some((rule, self.waivers?.get(waiver)?)))
    }

    /// The column of one of its edition's rules among the catalog's.
    pub fn column(&self, rule: RuleId) -> RuleColumn {
        self.catalog.rule_column(self.edition, rule)
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
    /// The edition that scored it.
    pub edition: usize,
    /// The score, exact.
    pub score: Decimal,
    /// The grade, as a column of the catalog's grades.
    pub grade: Option<GradeColumn>,
    /// The failed rules, as columns of the catalog's rules.
    pub failed: Vec<RuleColumn>,
    /// The rules that lost their points for a missing value, as columns of
    /// the catalog's rules.
    pub missing: Vec<RuleColumn>,
    /// The failed `veto` rules, which set the grade, as columns of the
    /// catalog's rules.
    pub veto: Vec<RuleColumn>,
    /// The waived rules, as columns of the catalog's rules, with the waiver.
    pub waived: Vec<(RuleColumn, WaiverIndex)>,
    /// How many data errors the record had.
    pub errors: usize,
}

/// A failure a waiver would have excused, had it not expired before the
/// inspection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lapsed {
    /// The unit.
    pub key: String,
    /// The waiver.
    pub waiver: WaiverIndex,
    /// The inspection date it was compared with.
    pub date: jiff::civil::Date,
}

impl UnitLine {
    /// The ids of the failed rules, separated by spaces.
    pub fn failed_ids(&self, catalog: &Catalog) -> String {
        ids(catalog, self.failed.iter().copied())
    }

    /// The ids of the rules missing a value, separated by spaces.
    pub fn missing_ids(&self, catalog: &Catalog) -> String {
        ids(catalog, self.missing.iter().copied())
    }

    /// The ids of the waived rules, separated by spaces.
    pub fn waived_ids(&self, catalog: &Catalog) -> String {
        ids(catalog, self.waived.iter().map(|&(column, _)| column))
    }

    /// The grade's name; empty when the standard has no grades.
    pub fn grade_name<'c>(&self, catalog: &'c Catalog) -> &'c str {
        self.grade
            .and_then(|g| catalog.grades.get(g.0))
            .map_or("", String::as_str)
    }

    /// The version of the edition that scored the unit.
    pub fn edition_name<'c>(&self, catalog: &'c Catalog) -> &'c str {
        &catalog.programs[self.edition].standard.version
    }
}

/// Rule ids of some rule columns, separated by spaces.
fn ids(catalog: &Catalog, columns: impl Iterator<Item = RuleColumn>) -> String {
    let ids: Vec<&str> = columns
        .map(|column| catalog.rule(column).id.as_str())
        .collect();
    ids.join(" ")
}

/// What a batch came to, accumulated in input order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records scored.
    pub records: u64,
    /// Units per grade, by column of the catalog's grades.
    pub grades: Vec<u64>,
    /// Failures per rule, by column of the catalog's rules.
    pub failures: Vec<u64>,
    /// Waived failures per rule, by column of the catalog's rules.
    pub waived: Vec<u64>,
    /// Failures whose waiver had expired by the inspection, in input order.
    pub lapsed: Vec<Lapsed>,
    /// The sum of the exact scores.
    pub score_sum: Sum,
    /// Every data error, in input order.
    pub errors: Vec<DataError>,
    /// Data that was read but looks unintended (a key that spans lines), in
    /// input order: reported, but no error.
    pub warnings: Vec<DataError>,
    /// One line per unit, when the format asks for them.
    pub units: Vec<UnitLine>,
}

impl Summary {
    /// The average score over the records; 0 when there were none.
    pub fn average(&self) -> Decimal {
        if self.records == 0 {
            Decimal::ZERO
        } else {
            self.score_sum.total() / Decimal::from(self.records)
        }
    }

    /// An empty summary for the editions of `catalog`.
    pub fn new(catalog: &Catalog) -> Summary {
        Summary {
            grades: vec![0; catalog.grades.len()],
            failures: vec![0; catalog.rules.len()],
            waived: vec![0; catalog.rules.len()],
            ..Summary::default()
        }
    }

    /// Counts one scored record.
    pub fn count(&mut self, record: &RecordView<'_>, keep_line: bool) {
        let catalog = record.catalog;
        self.records += 1;
        let grade = record
            .scored
            .grade
            .map(|g| catalog.grade_column(record.edition, g));
        if let Some(count) = grade.and_then(|g| self.grades.get_mut(g.0)) {
            *count += 1;
        }
        for rule in record.failed() {
            if let Some(count) = self.failures.get_mut(record.column(rule).0) {
                *count += 1;
            }
        }
        for &(rule, _) in &record.scored.waived {
            if let Some(count) = self.waived.get_mut(record.column(rule).0) {
                *count += 1;
            }
        }
        self.score_sum.add(record.scored.totals.score);
        if keep_line {
            self.units.push(UnitLine {
                key: record.key.to_owned(),
                edition: record.edition,
                score: record.scored.totals.score,
                grade,
                failed: record.failed().map(|rule| record.column(rule)).collect(),
                missing: record.missing().map(|rule| record.column(rule)).collect(),
                veto: record.veto().map(|rule| record.column(rule)).collect(),
                waived: record
                    .scored
                    .waived
                    .iter()
                    .map(|&(rule, waiver)| (record.column(rule), waiver))
                    .collect(),
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
        for (total, n) in self.waived.iter_mut().zip(later.waived) {
            *total += n;
        }
        self.lapsed.extend(later.lapsed);
        self.score_sum.merge(&later.score_sum);
        self.errors.extend(later.errors);
        self.warnings.extend(later.warnings);
        self.units.extend(later.units);
    }

    /// Every waived failure of the kept unit lines, in input order: the
    /// unit's key, the rule column and the waiver.
    pub fn waived_items<'s>(
        &'s self,
        waivers: &'s Waivers,
    ) -> impl Iterator<Item = (&'s str, RuleColumn, &'s Waiver)> + 's {
        self.units.iter().flat_map(move |unit| {
            unit.waived.iter().filter_map(move |&(column, waiver)| {
                Some((unit.key.as_str(), column, waivers.get(waiver)?))
            })
        })
    }

    /// The rule columns that failed most, most first (ties in column order), at most `n`.
    pub fn most_failed(&self, n: usize) -> Vec<(RuleColumn, u64)> {
        let mut rules: Vec<(RuleColumn, u64)> = self
            .failures
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(column, &c)| (RuleColumn(column), c))
            .collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        rules.truncate(n);
        rules
    }
}

/// A record kept to be explained.
#[derive(Clone, Debug)]
pub struct Kept {
    /// The edition that scored it (an index into the catalog's programs).
    pub edition: usize,
    /// Where it came from.
    pub at: Location,
    /// The unit's key.
    pub key: String,
    /// Its cells.
    pub cells: Vec<Cell>,
    /// What it came to.
    pub scored: Scored,
}

/// An output format.
pub trait Format: Sync {
    /// Text before the first record.
    fn begin(&self, catalog: &Catalog) -> String;
    /// Appends one record's text; called on worker threads.
    fn record(&self, record: &RecordView<'_>, out: &mut String);
    /// Text after the last record.
    fn end(&self, catalog: &Catalog, summary: &Summary) -> String;
    /// Whether `end` needs a line per unit in the summary.
    fn needs_units(&self) -> bool {
        false
    }
    /// Text between two records (after a record's own text).
    fn separator(&self) -> &str {
        ""
    }
}
