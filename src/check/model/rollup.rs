//! The checked form of a `rollup` (SPEC §8): levels resolved to indices,
//! the method field and the periods' fields to slots, weights as fractions.

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::{Band, Expr, FieldId};
use crate::syntax::span::Span;

/// A checked roll-up.
#[derive(Clone, Debug)]
pub struct Rollup {
    /// Its name, as `--name` picks it.
    pub name: String,
    /// Its title; the name when not given.
    pub title: String,
    /// The inspections it uses: those dated in this period (both days in).
    /// `None` when neither `period` nor the edition's dates bound it.
    pub period: Option<Period>,
    /// The field that names how a record was inspected (`method`).
    pub method: Option<FieldId>,
    /// The levels, finest first; the last is the roll-up's score.
    pub levels: Vec<Level>,
    /// Points off for failures found again and again.
    pub repeats: Vec<Repeat>,
    /// Grade bands over `score`, `rank` and `top`; first match wins.
    pub grades: Vec<Band>,
    /// Goals a unit reaches by a date.
    pub targets: Vec<Target>,
    /// Where its name was written.
    pub name_span: Span,
    /// The whole block.
    pub span: Span,
}

/// The days a roll-up uses, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// The first day; `None` is no lower bound.
    pub from: Option<Date>,
    /// The last day; `None` is no upper bound.
    pub to: Option<Date>,
}

impl Period {
    /// Whether `date` is inside the period.
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|from| date >= from) && self.to.is_none_or(|to| date <= to)
    }
}

/// One level of a roll-up: a score per unit and period.
#[derive(Clone, Debug)]
pub struct Level {
    /// Its name (`month`, `quarter`, `round`...).
    pub name: String,
    /// How its periods are told.
    pub periods: Periods,
    /// Its weighted terms; the weights add up to 1.
    pub terms: Vec<Term>,
    /// Where it was written.
    pub span: Span,
}

/// How a level's periods are told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Periods {
    /// Calendar periods of the inspection date.
    Calendar(Calendar),
    /// The values of a field (`level round by round_no`).
    Field(FieldId),
}

/// A calendar period, finest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Calendar {
    /// An ISO week (Monday to Sunday).
    Week,
    /// A calendar month.
    Month,
    /// A quarter of the year.
    Quarter,
    /// A calendar year.
    Year,
}

impl Calendar {
    /// Every calendar period with the name of its level.
    pub const ALL: [(&'static str, Calendar); 4] = [
        ("week", Calendar::Week),
        ("month", Calendar::Month),
        ("quarter", Calendar::Quarter),
        ("year", Calendar::Year),
    ];

    /// The level name that stands for this period.
    pub fn name(self) -> &'static str {
        match self {
            Calendar::Week => "week",
            Calendar::Month => "month",
            Calendar::Quarter => "quarter",
            Calendar::Year => "year",
        }
    }
}

/// `W% "METHOD"` or `W% LEVEL`, its weight as a fraction.
#[derive(Clone, Debug)]
pub struct Term {
    /// The weight: 0.6 for `60%`, 1 when none was written.
    pub weight: Decimal,
    /// What is weighed.
    pub of: TermOf,
}

/// What a term weighs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TermOf {
    /// The mean score of the unit's inspections by this method in the period.
    Method(String),
    /// The mean score of the unit's periods of this finer level (an index
    /// into [`Rollup::levels`]) inside the period.
    Level(usize),
}

/// `repeat N consecutive LEVEL deduct D`
#[derive(Clone, Debug)]
pub struct Repeat {
    /// N: how many consecutive periods a run needs to count.
    pub times: u32,
    /// The level (an index into [`Rollup::levels`]) whose periods are counted.
    pub level: usize,
    /// D: the points each repeat takes off the final score.
    pub deduct: Decimal,
    /// Where it was written.
    pub span: Span,
}

/// `target "NAME" by DATE when EXPR`
#[derive(Clone, Debug)]
pub struct Target {
    /// Its name.
    pub name: String,
    /// The deadline.
    pub by: Date,
    /// What must hold in the unit's latest inspection on or before `by`
    /// (rule outcomes and the inspection's score).
    pub condition: Expr,
    /// Where it was written.
    pub span: Span,
}
