//! A scored record of the batch as an inspection of the roll-up: made on
//! the worker thread that scored it (a [`Consumer`]), with its place in
//! the input for the data error of an inspection left out.

use std::collections::HashMap;

use super::condition::{self, Facts};
use super::{Inspection, Method, Plan, Reason, Shared};
use crate::batch::Consumer;
use compact_str::CompactString;

use crate::check::model::{FieldId, FieldType, Periods, RuleId, RuleQuery, Standard};
use crate::data::{DataError, Place};
use crate::eval::compile::Program;
use crate::eval::engine::Scored;
use crate::results::RecordView;
use crate::results::text::value_text;
use crate::syntax::ast::Outcome;
use crate::value::{Cell, Value};

/// Makes an [`Inspection`] of each scored record.
#[derive(Debug)]
pub struct Collect<'a> {
    plan: &'a Plan,
    /// For each edition of the catalog, where its fields and rules are.
    editions: Vec<Edition>,
}

/// Where one edition keeps what a roll-up reads.
#[derive(Debug)]
struct Edition {
    /// The key field.
    key: usize,
    /// The `dated_by` field.
    date: Option<usize>,
    /// The method field.
    method: Option<usize>,
    /// When the method field is `one of`: for each choice, the method of
    /// [`Plan::methods`] it is, or `None` for one no level weighs.
    method_choices: Option<Vec<Option<usize>>>,
    /// For each level told by a field, that field.
    by_field: Vec<Option<usize>>,
    /// For each rule of the roll-up's standard, the rule of this edition
    /// with its id.
    rules: Vec<Option<usize>>,
}

/// An inspection left out of the roll-up, and where it was read.
#[derive(Debug)]
pub struct LeftOut {
    /// Why.
    pub reason: Reason,
    /// The file (and sheet) it came from.
    pub place: Place,
    /// Its row there.
    pub row: u64,
}

impl<'a> Collect<'a> {
    /// A collector for `plan`, whose roll-up `standard` declares, over
    /// `editions` (a catalog's, in its order). Fields and rules are found in
    /// each edition by name.
    pub fn new(plan: &'a Plan, standard: &Standard, editions: &[&Standard]) -> Collect<'a> {
        let name_of = |field: crate::check::model::FieldId| standard.fields[field.0].name.as_str();
        let method_name = plan.rollup.method.map(name_of);
        let level_fields: Vec<&str> = plan
            .field_levels
            .iter()
            .filter_map(|&l| match plan.rollup.levels[l].periods {
                Periods::Field(field) => Some(name_of(field)),
                Periods::Calendar(_) => None,
            })
            .collect();
        let editions = editions
            .iter()
            .map(|theirs| {
                let field = |name: &str| theirs.fields.iter().position(|f| f.name == name);
                let rule_at: HashMap<&str, usize> = theirs
                    .rules
                    .iter()
                    .enumerate()
                    .map(|(at, rule)| (rule.id.as_str(), at))
                    .collect();
                let method = method_name.and_then(field);
                let method_choices = method.and_then(|m| match &theirs.fields[m].ty {
                    FieldType::OneOf(choices) => Some(
                        choices
                            .iter()
                            .map(|c| plan.methods.iter().position(|m| m == c))
                            .collect(),
                    ),
                    _ => None,
                });
                Edition {
                    key: theirs.key.0,
                    date: theirs.dated_by.map(|f| f.0),
                    method,
                    method_choices,
                    by_field: level_fields.iter().map(|name| field(name)).collect(),
                    rules: standard
                        .rules
                        .iter()
                        .map(|rule| rule_at.get(rule.id.as_str()).copied())
                        .collect(),
                }
            })
            .collect();
        Collect { plan, editions }
    }
}

/// A scored record, as a roll-up reads it.
#[derive(Clone, Copy, Debug)]
pub struct Scoring<'r> {
    /// The edition that scored it, by index among the collector's editions.
    pub edition: usize,
    /// That edition's program.
    pub program: &'r Program,
    /// The record's cells.
    pub cells: &'r [Cell],
    /// What it came to.
    pub scored: &'r Scored,
    /// The unit's key.
    pub key: &'r str,
    /// The unit's group, when asked for.
    pub group: Option<&'r str>,
}

/// Rolls each scored record up as it is scored, on the worker thread that
/// scored it: the batch's consumer for `yardstick rollup`. Its item is the
/// inspection left out, if it was.
#[derive(Debug)]
pub struct RollInto<'a, 'p> {
    collect: &'a Collect<'p>,
    shared: &'a Shared<'p>,
    /// The data files in the order they are read, so that an inspection's
    /// place in the input is (its file, its row).
    files: &'a [String],
}

impl<'a, 'p> RollInto<'a, 'p> {
    /// Rolls records up with `collect` into `shared`; `files` are the data
    /// files in the order read.
    pub fn new(collect: &'a Collect<'p>, shared: &'a Shared<'p>, files: &'a [String]) -> Self {
        RollInto {
            collect,
            shared,
            files,
        }
    }
}

impl Consumer for RollInto<'_, '_> {
    type Item = Option<LeftOut>;

    fn item(&self, record: &RecordView<'_>) -> Option<LeftOut> {
        let catalog = record.catalog;
        let scoring = Scoring {
            edition: record.edition,
            program: record.program,
            cells: record.cells,
            scored: record.scored,
            key: record.key,
            group: record.group,
        };
        let failed = record
            .failed()
            .map(|rule| catalog.rule_column(record.edition, rule).0);
        let inspection = self.collect.inspection(&scoring, failed);
        let file = self
            .files
            .iter()
            .position(|f| **f == *record.place.file)
            .unwrap_or(self.files.len()) as u64;
        let sequence = (file << 40) | record.row.min((1 << 40) - 1);
        let reason = self.shared.add(&inspection, sequence).err()?;
        Some(LeftOut {
            reason,
            place: record.place.clone(),
            row: record.row,
        })
    }
}

impl Collect<'_> {
    /// The inspection a scored record makes; `failed` are the rules it
    /// failed, as the caller numbers rules (the catalog's columns).
    pub fn inspection(
        &self,
        record: &Scoring<'_>,
        failed: impl Iterator<Item = usize>,
    ) -> Inspection {
        let edition = &self.editions[record.edition];
        let value = |field: Option<usize>| match field.and_then(|f| record.cells.get(f)) {
            Some(Cell::Value(value)) => Some((field.unwrap_or_default(), value)),
            _ => None,
        };
        let date = match value(edition.date) {
            Some((_, Value::Date(date))) => Some(*date),
            _ => None,
        };
        let weighed = |at: Option<usize>, field, value| match at {
            Some(at) => Method::Weighed(at),
            None => Method::Other(value_text(record.program, field, value)),
        };
        let method = match (value(edition.method), &edition.method_choices) {
            (Some((field, value @ Value::Choice(choice))), Some(choices)) => {
                let at = choices.get(usize::from(*choice)).copied().flatten();
                weighed(at, field, value)
            }
            (Some((field, value @ Value::Text(text))), _) => weighed(
                self.plan.methods.iter().position(|m| m == text),
                field,
                value,
            ),
            (Some((field, value)), _) => weighed(None, field, value),
            (None, _) => Method::Blank,
        };
        let by_field = edition
            .by_field
            .iter()
            .map(|&f| value(f).map(|(field, v)| value_text(record.program, field, v)))
            .collect();
        let facts = RecordFacts {
            scored: record.scored,
            rules: &edition.rules,
        };
        let targets = self
            .plan
            .rollup
            .targets
            .iter()
            .map(|target| condition::holds(&target.condition, &facts))
            .collect();
        // A blank key is named by its row for `eval`'s results; to a
        // roll-up it is no unit.
        let keyed = matches!(record.cells.get(edition.key), Some(Cell::Value(_)));
        Inspection {
            key: if keyed {
                record.key.into()
            } else {
                CompactString::default()
            },
            group: record.group.map(str::to_owned),
            date,
            method,
            by_field,
            score: record.scored.totals.score,
            failed: failed.map(|rule| rule as u32).collect(),
            targets,
        }
    }
}

/// What a target reads of one scored record.
struct RecordFacts<'r> {
    scored: &'r Scored,
    rules: &'r [Option<usize>],
}

impl Facts for RecordFacts<'_> {
    fn score(&self) -> Option<rust_decimal::Decimal> {
        Some(self.scored.totals.score)
    }

    fn rule(&self, query: RuleQuery, rule: RuleId) -> Option<bool> {
        let at = (*self.rules.get(rule.0)?)?;
        let outcome = *self.scored.outcomes.get(at)?;
        Some(match query {
            RuleQuery::Passed => outcome == Outcome::Pass,
            RuleQuery::Failed => outcome == Outcome::Fail,
            RuleQuery::Applicable => outcome != Outcome::NotApplicable,
        })
    }

    fn no_critical_failed(&self) -> Option<bool> {
        Some(!self.scored.totals.critical_failed)
    }

    fn any_veto_failed(&self) -> Option<bool> {
        Some(self.scored.totals.veto_failed)
    }
}

impl LeftOut {
    /// The data error that says why this inspection was left out.
    pub fn error(&self, plan: &Plan, standard: &Standard) -> DataError {
        let reason = &self.reason;
        let heading = |field: FieldId| standard.fields[field.0].heading().to_owned();
        let (column, value) = match reason {
            Reason::NoKey => (Some(standard.key), String::new()),
            Reason::NoDate => (standard.dated_by, String::new()),
            Reason::OutsidePeriod(date) => (standard.dated_by, date.to_string()),
            Reason::NoMethod => (plan.rollup.method, String::new()),
            Reason::MethodNotWeighed(text) => (plan.rollup.method, text.clone()),
            Reason::NoPeriod(level) => match plan.rollup.levels[*level].periods {
                Periods::Field(field) => (Some(field), String::new()),
                Periods::Calendar(_) => (None, String::new()),
            },
        };
        let column = column.map(heading).unwrap_or_default();
        let why = reason.words(plan);
        DataError::LeftOut {
            at: self.place.at(self.row),
            column,
            value,
            reason: why,
        }
    }
}
