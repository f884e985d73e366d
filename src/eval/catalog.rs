//! The editions one `eval` scores with, and which edition scores each record
//! (SPEC §4): one edition for every record, or, with `dated_by`, the edition
//! in force on each record's inspection date.
//!
//! Reports that list rules or grades across records (a column per rule, the
//! most-failed rules, grade counts) see the editions' rules and grades as one
//! list of columns: the latest edition's, in its order, then those only
//! earlier editions have.

use std::collections::HashMap;

use jiff::civil::Date;

use serde::{Deserialize, Serialize};

use super::compile::Program;
use crate::check::model::RuleId;
use crate::editions::Timeline;

/// Which edition scores a record.
#[derive(Clone, Debug)]
pub enum Route {
    /// This one, for every record.
    One(usize),
    /// The edition in force on the record's date, read from this field.
    ByDate {
        /// The `dated_by` field's name.
        field: String,
        /// When each edition is in force.
        timeline: Timeline,
    },
}

/// A column of the catalog's rules: a rule as reports list it across
/// editions (an index into [`Catalog::rules`]). An edition's own index of a
/// rule is a [`RuleId`]; [`Catalog::rule_column`] and [`Catalog::rule_in`]
/// turn one into the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RuleColumn(pub usize);

/// A column of the catalog's grades: a grade band as reports count it
/// across editions (an index into [`Catalog::grades`]); an edition's own
/// index of a band is a plain index into its bands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GradeColumn(pub usize);

/// A rule as a report column: what reports write of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogRule {
    /// The rule's id.
    pub id: String,
    /// Its title, from the latest edition that has it.
    pub title: String,
    /// Who answers for it (`owner`), from the latest edition that has the rule.
    pub owner: Option<String>,
}

/// The compiled editions of one run.
#[derive(Debug)]
pub struct Catalog {
    /// The editions, earliest first.
    pub programs: Vec<Program>,
    /// Which edition scores a record.
    pub route: Route,
    /// Every rule of every edition, as report columns (by [`RuleColumn`]).
    pub rules: Vec<CatalogRule>,
    /// Every grade band name of every edition (by [`GradeColumn`]).
    pub grades: Vec<String>,
    /// For each edition, the column of each of its rules.
    column_of_rule: Vec<Vec<RuleColumn>>,
    /// For each edition, its rule in each column, if it has one.
    rule_of_column: Vec<Vec<Option<RuleId>>>,
    /// For each edition, the column of each of its grades.
    column_of_grade: Vec<Vec<GradeColumn>>,
}

impl Catalog {
    /// One edition for every record.
    pub fn single(program: Program) -> Catalog {
        Catalog::new(vec![program], Route::One(0))
    }

    /// Several editions, routed by `route`. Linear in the rules and bands
    /// of all editions: columns are found by id in hash maps (only looked
    /// up, never iterated, so the columns' order is the editions').
    pub fn new(programs: Vec<Program>, route: Route) -> Catalog {
        let mut rules: Vec<CatalogRule> = Vec::new();
        let mut rule_column: HashMap<&str, RuleColumn> = HashMap::new();
        let mut grades: Vec<String> = Vec::new();
        let mut grade_column: HashMap<&str, GradeColumn> = HashMap::new();
        for program in programs.iter().rev() {
            for rule in &program.standard.rules {
                rule_column.entry(&rule.id).or_insert_with(|| {
                    rules.push(CatalogRule {
                        id: rule.id.clone(),
                        title: rule.title.clone(),
                        owner: rule.owner.clone(),
                    });
                    RuleColumn(rules.len() - 1)
                });
            }
            for band in &program.standard.grades {
                grade_column.entry(&band.name).or_insert_with(|| {
                    grades.push(band.name.clone());
                    GradeColumn(grades.len() - 1)
                });
            }
        }
        let column_of_rule: Vec<Vec<RuleColumn>> = programs
            .iter()
            .map(|p| {
                p.standard
                    .rules
                    .iter()
                    .map(|r| {
                        let column = rule_column.get(r.id.as_str()).copied();
                        column.unwrap_or(RuleColumn(0))
                    })
                    .collect()
            })
            .collect();
        let rule_of_column = column_of_rule
            .iter()
            .map(|columns| {
                let mut inverse = vec![None; rules.len()];
                for (rule, &column) in columns.iter().enumerate() {
                    inverse[column.0] = Some(RuleId(rule));
                }
                inverse
            })
            .collect();
        let column_of_grade = programs
            .iter()
            .map(|p| {
                p.standard
                    .grades
                    .iter()
                    .map(|b| {
                        let column = grade_column.get(b.name.as_str()).copied();
                        column.unwrap_or(GradeColumn(0))
                    })
                    .collect()
            })
            .collect();
        Catalog {
            programs,
            route,
            rules,
            grades,
            column_of_rule,
            rule_of_column,
            column_of_grade,
        }
    }

    /// Whether records may be scored by different editions, so that reports
    /// name each record's edition.
    pub fn is_mixed(&self) -> bool {
        self.programs.len() > 1
    }

    /// The latest edition: the one that names the key column and titles reports.
    pub fn latest(&self) -> &Program {
        // A catalog always has at least one program (see `new`'s callers).
        &self.programs[self.programs.len() - 1]
    }

    /// Every edition's checked standard, in the catalog's order.
    pub fn standards(&self) -> Vec<&crate::check::Standard> {
        self.programs.iter().map(|p| &*p.standard).collect()
    }

    /// The rule in a column.
    pub fn rule(&self, column: RuleColumn) -> &CatalogRule {
        &self.rules[column.0]
    }

    /// Every rule column, in order.
    pub fn rule_columns(&self) -> impl Iterator<Item = RuleColumn> + use<> {
        (0..self.rules.len()).map(RuleColumn)
    }

    /// The column of an edition's rule.
    pub fn rule_column(&self, edition: usize, rule: RuleId) -> RuleColumn {
        self.column_of_rule[edition][rule.0]
    }

    /// An edition's rule in a column, if it has one.
    pub fn rule_in(&self, edition: usize, column: RuleColumn) -> Option<RuleId> {
        self.rule_of_column[edition][column.0]
    }

    /// The column of an edition's grade band (an index into its bands).
    pub fn grade_column(&self, edition: usize, grade: usize) -> GradeColumn {
        self.column_of_grade[edition][grade]
    }

    /// The edition in force on `date`, when records are routed by date.
    pub fn edition_on(&self, date: Date) -> Option<usize> {
        match &self.route {
            Route::One(edition) => Some(*edition),
            Route::ByDate { timeline, .. } => timeline.at(date),
        }
    }
}
