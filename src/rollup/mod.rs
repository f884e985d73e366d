//! The inspection year (SPEC §8): every unit's inspections, each scored by
//! `eval` (the edition in force on its date, waivers applied), rolled up
//! into one assessment: a score per level and period, repeats, a final
//! score, rank and grade, and targets.
//!
//! - `record`: a scored record of the batch as an [`Inspection`] (a
//!   `batch::Consumer`, on the worker threads).
//! - `accumulate`: the [`Roller`], which takes inspections in any order
//!   (each with its place in the input) and keeps, per unit, only sums per
//!   period and method, failures per period and the state of each target:
//!   memory grows with units × periods, not with inspections. `shards`:
//!   rollers for every core ([`Shared`]), a unit's inspections in one.
//! - `finish`: the levels computed from the finest up, repeats, ranks,
//!   grades and targets: the [`Assessment`].
//! - `condition`: grade bands and targets evaluated; `mean`: the exact
//!   arithmetic of means, shared with `reference`; `periods`: calendar
//!   periods counted and named.
//! - `summary`: grade counts, quotas, target attainment, the repeat list.
//! - `reference`: SPEC §8 written plainly, from a list of inspections, for
//!   the differential test.

mod accumulate;
pub mod condition;
mod finish;
pub mod mean;
pub mod periods;
pub mod record;
pub mod reference;
mod shards;
mod summary;

use compact_str::CompactString;
use jiff::civil::Date;
use rust_decimal::Decimal;
use smallvec::SmallVec;

use crate::check::model::{FieldType, Periods, Rollup, Standard, TermOf};
use crate::language::Language;

pub use accumulate::Roller;
pub use periods::PeriodId;
pub use shards::Shared;
pub use summary::Totals;

/// One inspection as a roll-up takes it. Made for every record of a year,
/// on the worker threads, and dropped on the main thread: short keys and
/// short lists are held inline, so that making one allocates nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspection {
    /// The unit's key, as text.
    pub key: CompactString,
    /// The unit's group (`--group-by`), when asked for.
    pub group: Option<String>,
    /// The inspection date (`dated_by`).
    pub date: Option<Date>,
    /// How it was inspected.
    pub method: Method,
    /// For each level told by a field, in the order of the levels: the
    /// field's value (`None` when blank).
    pub by_field: Vec<Option<String>>,
    /// The score `eval` gave it, exact.
    pub score: Decimal,
    /// The rules it failed, as columns of the catalog's rules (a waived
    /// failure is not one).
    pub failed: SmallVec<[u32; 8]>,
    /// For each target, whether its condition held.
    pub targets: SmallVec<[bool; 4]>,
}

/// The method of an inspection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Method {
    /// One of the methods the levels weigh, by index into [`Plan::methods`].
    Weighed(usize),
    /// A method no level weighs.
    Other(String),
    /// Blank, or not read.
    Blank,
}

/// Why an inspection was left out of the roll-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The unit's key is blank.
    NoKey,
    /// It has no inspection date.
    NoDate,
    /// Its date is outside the roll-up's period.
    OutsidePeriod(Date),
    /// It names no method.
    NoMethod,
    /// Its method is weighed by no level.
    MethodNotWeighed(String),
    /// The field that tells a level's periods is blank (the level's index).
    NoPeriod(usize),
}

impl Reason {
    /// Why, in words.
    pub fn words(&self, plan: &Plan) -> String {
        match self {
            Reason::NoKey => "the unit's key is blank".to_owned(),
            Reason::NoDate => "it has no inspection date".to_owned(),
            Reason::OutsidePeriod(_) => {
                let bound = |d: Option<Date>| d.map_or("…".to_owned(), |d| d.to_string());
                let period = plan.rollup.period;
                format!(
                    "the date is outside the roll-up's period {} to {}",
                    bound(period.and_then(|p| p.from)),
                    bound(period.and_then(|p| p.to))
                )
            }
            Reason::NoMethod => "it names no inspection method".to_owned(),
            Reason::MethodNotWeighed(_) => {
                let weighed: Vec<String> =
                    plan.methods.iter().map(|m| format!("\"{m}\"")).collect();
                format!(
                    "no level weighs this method (the levels weigh {})",
                    weighed.join(", ")
                )
            }
            Reason::NoPeriod(level) => format!(
                "it names no period of level `{}`",
                plan.rollup.levels[*level].name
            ),
        }
    }
}

/// What a roll-up needs to know besides its own lines, derived once.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The roll-up.
    pub rollup: Rollup,
    /// Every method a term weighs, in order of first mention.
    pub methods: Vec<String>,
    /// The levels told by a field, in order (indices into the levels).
    pub field_levels: Vec<usize>,
    /// For each level told by a field, the field's choices when it is
    /// `one of` (their order is the order of the periods).
    pub field_choices: Vec<Option<Vec<String>>>,
    /// Whether inspections need a date (calendar levels, a period, targets).
    pub needs_date: bool,
    /// The highest final score (the standard's `cap`).
    pub cap: Decimal,
    /// The language of period names.
    pub language: Language,
}

impl Plan {
    /// The plan of `rollup`, declared in `standard`.
    pub fn new(rollup: &Rollup, standard: &Standard) -> Plan {
        let mut methods: Vec<String> = Vec::new();
        for level in &rollup.levels {
            for term in &level.terms {
                if let TermOf::Method(method) = &term.of
                    && !methods.contains(method)
                {
                    methods.push(method.clone());
                }
            }
        }
        let field_levels: Vec<usize> = (0..rollup.levels.len())
            .filter(|&l| matches!(rollup.levels[l].periods, Periods::Field(_)))
            .collect();
        let field_choices = field_levels
            .iter()
            .map(|&l| match rollup.levels[l].periods {
                Periods::Field(field) => match &standard.fields[field.0].ty {
                    FieldType::OneOf(choices) => Some(choices.clone()),
                    _ => None,
                },
                Periods::Calendar(_) => None,
            })
            .collect();
        let needs_date = rollup.period.is_some()
            || !rollup.targets.is_empty()
            || rollup
                .levels
                .iter()
                .any(|l| matches!(l.periods, Periods::Calendar(_)));
        Plan {
            rollup: rollup.clone(),
            methods,
            field_levels,
            field_choices,
            needs_date,
            cap: standard.cap,
            language: standard.language,
        }
    }
}

/// What a roll-up came to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assessment {
    /// For each level, its periods that any unit has, in order, with names.
    pub periods: Vec<Vec<(PeriodId, String)>>,
    /// Every unit with an inspection used, in order of first appearance.
    pub units: Vec<UnitYear>,
    /// How many units have a final score (and so a rank).
    pub ranked: u64,
    /// How many inspections were used.
    pub used: u64,
}

impl Assessment {
    /// The periods of `level` the report names: those any unit has a
    /// score in, and those of the repeat runs counted on it (a month with
    /// only a method the month does not weigh has no score, but a repeat
    /// may run through it).
    pub fn periods_shown(
        plan: &Plan,
        units: &[UnitYear],
        level: usize,
    ) -> std::collections::BTreeSet<PeriodId> {
        let scored = units
            .iter()
            .flat_map(|u| u.levels[level].iter().map(|(p, _)| *p));
        let repeated = units.iter().flat_map(|u| {
            u.repeats
                .iter()
                .filter(|run| plan.rollup.repeats[run.line].level == level)
                .flat_map(|run| run.periods.iter().copied())
        });
        scored.chain(repeated).collect()
    }
}

/// One unit's year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitYear {
    /// The unit's key.
    pub key: String,
    /// Its group (`--group-by`), from its first inspection.
    pub group: Option<String>,
    /// The last level's score before repeats: the mean of its periods.
    pub base: Option<Decimal>,
    /// The final score: `base` less the repeats' points, at least 0, at most `cap`.
    pub score: Option<Decimal>,
    /// 1 for the best final score; ties share the better rank.
    pub rank: Option<u64>,
    /// The grade band given, by index into the roll-up's grades.
    pub grade: Option<usize>,
    /// For each level, the unit's score in each of its periods, in order.
    pub levels: Vec<Vec<(PeriodId, Decimal)>>,
    /// For each method of [`Plan::methods`], how many inspections used it.
    pub inspections: Vec<u64>,
    /// Runs of failures found again and again, by repeat line, then rule.
    pub repeats: Vec<RepeatRun>,
    /// For each target, what became of it.
    pub targets: Vec<TargetReached>,
}

/// A run of consecutive periods in which a unit failed one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatRun {
    /// The `repeat` line, by index.
    pub line: usize,
    /// The rule, as a column of the catalog's rules.
    pub rule: usize,
    /// The periods of the run, in order.
    pub periods: Vec<PeriodId>,
    /// How many repeats it counts: k − N + 1.
    pub count: u64,
    /// The points it takes off.
    pub points: Decimal,
}

/// What became of one target for one unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TargetReached {
    /// The first inspection date on which the condition held.
    pub first_held: Option<Date>,
    /// Whether it held in the latest inspection on or before the deadline;
    /// `None` when the unit had no inspection by then.
    pub at_deadline: Option<bool>,
}
