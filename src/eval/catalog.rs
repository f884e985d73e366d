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

use super::compile::Program;
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

/// A rule as a report column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleColumn {
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
    /// Every rule of every edition, as report columns.
    pub rules: Vec<RuleColumn>,
    /// Every grade band name of every edition.
    pub grades: Vec<String>,
    /// For each edition, the column of each of its rules.
    rule_columns: Vec<Vec<usize>>,
    /// For each edition, its rule in each column, if it has one.
    column_rules: Vec<Vec<Option<usize>>>,
    /// For each edition, the column of each of its grades.
    grade_columns: Vec<Vec<usize>>,
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
        let mut rules: Vec<RuleColumn> = Vec::new();
        let mut rule_column: HashMap<&str, usize> = HashMap::new();
        let mut grades: Vec<String> = Vec::new();
        let mut grade_column: HashMap<&str, usize> = HashMap::new();
        for program in programs.iter().rev() {
            for rule in &program.standard.rules {
                rule_column.entry(&rule.id).or_insert_with(|| {
                    rules.push(RuleColumn {
                        id: rule.id.clone(),
                        title: rule.title.clone(),
                        owner: rule.owner.clone(),
                    });
                    rules.len() - 1
                });
            }
            for band in &program.standard.grades {
                grade_column.entry(&band.name).or_insert_with(|| {
                    grades.push(band.name.clone());
                    grades.len() - 1
                });
            }
        }
        let rule_columns: Vec<Vec<usize>> = programs
            .iter()
            .map(|p| {
                p.standard
                    .rules
                    .iter()
                    .map(|r| rule_column.get(r.id.as_str()).copied().unwrap_or(0))
                    .collect()
            })
            .collect();
        let column_rules = rule_columns
            .iter()
            .map(|columns| {
                let mut inverse = vec![None; rules.len()];
                for (rule, &column) in columns.iter().enumerate() {
                    inverse[column] = Some(rule);
                }
                inverse
            })
            .collect();
        let grade_columns = programs
            .iter()
            .map(|p| {
                p.standard
                    .grades
                    .iter()
                    .map(|b| grade_column.get(b.name.as_str()).copied().unwrap_or(0))
                    .collect()
            })
            .collect();
        Catalog {
            programs,
            route,
            rules,
            grades,
            rule_columns,
            column_rules,
            grade_columns,
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

    /// The column of an edition's rule.
    pub fn rule_column(&self, edition: usize, rule: usize) -> usize {
        self.rule_columns[edition][rule]
    }

    /// An edition's rule in a column, if it has one.
    pub fn rule_in(&self, edition: usize, column: usize) -> Option<usize> {
        self.column_rules[edition][column]
    }

    /// The column of an edition's grade band.
    pub fn grade_column(&self, edition: usize, grade: usize) -> usize {
        self.grade_columns[edition][grade]
    }

    /// The edition in force on `date`, when records are routed by date.
    pub fn edition_on(&self, date: Date) -> Option<usize> {
        match &self.route {
            Route::One(edition) => Some(*edition),
            Route::ByDate { timeline, .. } => timeline.at(date),
        }
    }
}
