//! The compiled form of expressions: a typed tree over slots.
//!
//! Each expression is compiled once per standard into a tree of one of four
//! types (true/false, number, text, date), with fields and `let`s resolved to
//! slot indices and constants pre-converted, so that evaluating a record does
//! no name lookups, no type dispatch on values and no allocation (texts are
//! borrowed from the record, except where `lower`/`upper` make new ones).
//! Missing values follow SPEC §3: any operation on a missing value is missing,
//! `and`/`or` use three-valued logic, and only `no X` treats a blank optional
//! field as a value.
//!
//! Over 600 lines on purpose: the four typed trees and their evaluation are one
//! definition of what a compiled expression means; its one separable part, the
//! ratio shortcut, is `ir/ratio.rs` already.

pub mod ratio;

use std::borrow::Cow;
use std::cell::RefCell;
use std::cmp::Ordering;

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::check::model::RuleQuery;
use crate::script::{self, CallFailure, Scripts, WrongResult};
use crate::syntax::ast::{ArithOp, BinaryOp, Outcome};
use crate::syntax::span::Span;
use crate::value::{self, Absent, Cell, Known, Value};
use ratio::Ratio;

/// Where a value comes from in a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A field's cell.
    Field(usize),
    /// A `let`, computed earlier for the same record.
    Let(usize),
}

/// What an expression reads besides its slots.
pub struct Env<'a> {
    /// The record's cells, one per field.
    pub cells: &'a [Cell],
    /// The values of the `let`s computed so far.
    pub lets: &'a [Cell],
    /// The outcomes of the rules evaluated so far.
    pub outcomes: &'a [Outcome],
    /// The texts of each field's `one of` choices.
    pub choices: &'a [Vec<String>],
    /// The unit's totals, for grade bands.
    pub totals: Option<&'a Totals>,
    /// The standard's scripts, when it has any.
    pub scripts: Option<&'a Scripts>,
    /// Where calls that fail are recorded (they evaluate to missing).
    pub failures: &'a RefCell<Vec<CallFailure>>,
    /// Set when arithmetic goes past the decimals' range (the value is
    /// missing), so that the record's data errors can say so.
    pub overflowed: &'a std::cell::Cell<bool>,
}

impl<'a> Env<'a> {
    fn cell(&self, slot: Slot) -> &'a Cell {
        static MISSING: Cell = Cell::Missing;
        match slot {
            Slot::Field(i) => self.cells.get(i).unwrap_or(&MISSING),
            Slot::Let(i) => self.lets.get(i).unwrap_or(&MISSING),
        }
    }

    /// The value in a slot, or why there is none.
    pub(super) fn value(&self, slot: Slot) -> Known<&'a Value> {
        match self.cell(slot) {
            Cell::Value(value) => Ok(value),
            Cell::Blank => Err(Absent::Blank),
            Cell::Missing => Err(Absent::Missing),
        }
    }

    fn text(&self, slot: Slot) -> Known<&'a str> {
        match (self.value(slot)?, slot) {
            (Value::Text(text), _) => Ok(text),
            (Value::Choice(index), Slot::Field(field)) => self
                .choices
                .get(field)
                .and_then(|c| c.get(usize::from(*index)))
                .map(String::as_str)
                .ok_or(Absent::Missing),
            _ => Err(Absent::Missing),
        }
    }
}

/// What grade bands know about a unit once its rules are evaluated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// The score, exact.
    pub score: Decimal,
    /// The score as reports show it: rounded half away from zero to 2
    /// decimals.
    pub rounded: Decimal,
    /// Points earned.
    pub earned: Decimal,
    /// Points possible.
    pub possible: Decimal,
    /// Points earned by `bonus` rules: added to the score, never to
    /// `earned` or `possible`.
    pub bonus: Decimal,
    /// Each section's score, by section index.
    pub section_scores: Vec<Decimal>,
    /// The unit's rank in the batch, and within each group field (by field index).
    pub ranks: Vec<(Option<usize>, Decimal)>,
    /// Whether a `critical` rule failed.
    pub critical_failed: bool,
    /// Whether a `veto` rule failed.
    pub veto_failed: bool,
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Compare {
    /// The same comparison with its sides swapped (`a < b` is `b > a`).
    pub fn flipped(self) -> Compare {
        match self {
            Compare::Lt => Compare::Gt,
            Compare::Le => Compare::Ge,
            Compare::Gt => Compare::Lt,
            Compare::Ge => Compare::Le,
            same => same,
        }
    }

    /// The comparison an operator makes, if it is one.
    pub fn of(op: BinaryOp) -> Option<Compare> {
        Some(match op {
            BinaryOp::Eq => Compare::Eq,
            BinaryOp::Ne => Compare::Ne,
            BinaryOp::Lt => Compare::Lt,
            BinaryOp::Le => Compare::Le,
            BinaryOp::Gt => Compare::Gt,
            BinaryOp::Ge => Compare::Ge,
            _ => return None,
        })
    }

    /// Whether the comparison holds of two values so ordered.
    pub fn holds(self, ordering: Ordering) -> bool {
        match self {
            Compare::Eq => ordering == Ordering::Equal,
            Compare::Ne => ordering != Ordering::Equal,
            Compare::Lt => ordering == Ordering::Less,
            Compare::Le => ordering != Ordering::Greater,
            Compare::Gt => ordering == Ordering::Greater,
            Compare::Ge => ordering != Ordering::Less,
        }
    }
}

/// A true/false expression.
#[derive(Clone, Debug)]
pub enum Bool {
    /// A constant.
    Const(bool),
    /// A `bool` field or `let`.
    Slot(Slot),
    /// `not x`
    Not(Box<Bool>),
    /// `a and b`
    And(Box<Bool>, Box<Bool>),
    /// `a or b`
    Or(Box<Bool>, Box<Bool>),
    /// A comparison of numbers.
    Numbers(Compare, Num, Num),
    /// A comparison of a number with a constant (the common case, made direct).
    NumberWith(Compare, Num, Decimal),
    /// A comparison of a ratio of two numbers with a constant, decided
    /// without dividing where that gives the same answer.
    Ratio(Box<Ratio>),
    /// `x == 0` (or `x != 0` when the flag is false), the commonest comparison of all.
    Zero(bool, Num),
    /// `==` or `!=` (the flag) of texts.
    Texts(bool, Text, Text),
    /// A comparison of dates.
    Dates(Compare, Date_, Date_),
    /// `==` or `!=` (the flag) of true/false values.
    Bools(bool, Box<Bool>, Box<Bool>),
    /// `field in ("a", "b")` on a `one of` field, as choice positions;
    /// `==` is a list of one. The flag negates.
    Choice(usize, Vec<u16>, bool),
    /// `x [not] in (...)` of numbers.
    InNumbers(bool, Num, Vec<Num>),
    /// `x [not] in (...)` of texts.
    InTexts(bool, Text, Vec<Text>),
    /// `x [not] in (...)` of dates.
    InDates(bool, Date_, Vec<Date_>),
    /// `x [not] in (...)` of true/false values.
    InBools(bool, Box<Bool>, Vec<Bool>),
    /// `x between a and b` of numbers.
    BetweenNumbers(Num, Num, Num),
    /// `x between a and b` of dates.
    BetweenDates(Date_, Date_, Date_),
    /// `no x` of a number.
    NoNumber(Num),
    /// `no x` of a true/false value.
    NoBool(Box<Bool>),
    /// `contains(text, part)`
    Contains(Text, Text),
    /// `starts_with(text, prefix)`
    StartsWith(Text, Text),
    /// `passed(R)`, `failed(R)`, `applicable(R)`.
    Rule(RuleQuery, usize),
    /// `no critical failed`
    NoCriticalFailed,
    /// `any veto failed`
    AnyVetoFailed,
    /// A script function that returns true or false.
    Script(ScriptCall),
}

/// A number expression.
#[derive(Clone, Debug)]
pub enum Num {
    /// A constant.
    Const(Decimal),
    /// A numeric field or `let`.
    Slot(Slot),
    /// `-x`
    Neg(Box<Num>),
    /// `a + b`, `a - b`, `a * b`, `a / b`.
    Arith(ArithOp, Box<Num>, Box<Num>),
    /// `min(...)`
    Min(Vec<Num>),
    /// `max(...)`
    Max(Vec<Num>),
    /// `abs(x)`
    Abs(Box<Num>),
    /// `round(x, digits)`
    Round(Box<Num>, Box<Num>),
    /// `len(text)`, in characters.
    Len(Box<Text>),
    /// `year(date)`
    Year(Box<Date_>),
    /// `month(date)`
    Month(Box<Date_>),
    /// `score`
    Score,
    /// `earned`
    Earned,
    /// `possible`
    Possible,
    /// `section_score(S)`
    SectionScore(usize),
    /// `rank` or `rank within FIELD`
    Rank(Option<usize>),
    /// A script function that returns a number.
    Script(ScriptCall),
}

/// A text expression.
#[derive(Clone, Debug)]
pub enum Text {
    /// A constant.
    Const(String),
    /// A text or `one of` field, or a text `let`.
    Slot(Slot),
    /// `lower(x)`
    Lower(Box<Text>),
    /// `upper(x)`
    Upper(Box<Text>),
    /// A script function that returns text.
    Script(ScriptCall),
}

/// A date expression (named with an underscore to leave `Date` to jiff).
#[derive(Clone, Debug)]
pub enum Date_ {
    /// A constant.
    Const(Date),
    /// A date field or `let`.
    Slot(Slot),
    /// A script function that returns a date (as text, `YYYY-MM-DD`).
    Script(ScriptCall),
}

/// Any compiled expression, for `let`s.
#[derive(Clone, Debug)]
pub enum Any {
    /// True/false.
    Bool(Bool),
    /// A number.
    Num(Num),
    /// A text.
    Text(Text),
    /// A date.
    Date(Date_),
    /// A script function whose result's type is known only when it runs
    /// (a `let` defined by one): a number, true/false, or text.
    Script(ScriptCall),
}

/// A call of a script function: its name, its arguments (each of its own
/// type), and where it was written, to place a failure.
#[derive(Clone, Debug)]
pub struct ScriptCall {
    /// The function.
    pub function: String,
    /// The arguments.
    pub args: Vec<Any>,
    /// The call in the standard.
    pub span: Span,
}

impl ScriptCall {
    /// Calls the function and converts its result. An absent argument makes
    /// the result missing without a call; a call that fails (a limit, an
    /// error the script raised, a result of the wrong type) is recorded in
    /// the environment and is missing too.
    fn call<T>(
        &self,
        env: &Env<'_>,
        convert: fn(rhai::Dynamic) -> Result<T, WrongResult>,
    ) -> Known<T> {
        let scripts = env.scripts.ok_or(Absent::Missing)?;
        let mut args = Vec::with_capacity(self.args.len());
        for arg in &self.args {
            match arg.cell(env) {
                Cell::Value(value) => args.push(script::to_script(&value, &[])),
                _ => return Err(Absent::Missing),
            }
        }
        let result = scripts.call(&self.function, args).and_then(|result| {
            convert(result).map_err(|wrong| CallFailure {
                function: self.function.clone(),
                message: wrong.to_string(),
                span: None,
            })
        });
        result.map_err(|mut failure| {
            // A limit or a wrong result has no line in the script: point at the call.
            failure.span = failure.span.or(Some(self.span));
            env.failures.borrow_mut().push(failure);
            Absent::Missing
        })
    }
}

impl Any {
    /// Evaluates to a cell: a value, blank (a blank optional field passed
    /// through unchanged), or missing.
    pub fn cell(&self, env: &Env<'_>) -> Cell {
        let value = match self {
            Any::Bool(e) => e.eval(env).map(Value::Bool),
            Any::Num(e) => e.eval(env).map(Value::Number),
            Any::Text(e) => e.eval(env).map(|t| Value::Text(t.into_owned())),
            Any::Date(e) => e.eval(env).map(Value::Date),
            Any::Script(call) => call.call(env, script::value),
        };
        match value {
            Ok(value) => Cell::Value(value),
            Err(Absent::Blank) => Cell::Blank,
            Err(Absent::Missing) => Cell::Missing,
        }
    }
}

/// Any absence becomes `Missing` once a value is operated on.
fn strict<T>(outcome: Known<T>) -> Known<T> {
    outcome.map_err(|_| Absent::Missing)
}

/// `x in (...)` by equality, with three-valued results: true if an item
/// equals `x`, missing if not and an item (or `x`) is missing, else false.
fn member<T: PartialEq>(
    negated: bool,
    value: Known<T>,
    items: impl Iterator<Item = Known<T>>,
) -> Known<bool> {
    let value = strict(value)?;
    let mut unknown = false;
    for item in items {
        match item {
            Ok(item) if item == value => return Ok(!negated),
            Ok(_) => {}
            Err(_) => unknown = true,
        }
    }
    if unknown {
        Err(Absent::Missing)
    } else {
        Ok(negated)
    }
}

impl Bool {
    /// Evaluates the condition.
    #[inline]
    pub fn eval(&self, env: &Env<'_>) -> Known<bool> {
        // The commonest shapes are answered here, inlined into the caller;
        // the rest go through the one large match.
        match self {
            Bool::Slot(slot) => match env.value(*slot)? {
                Value::Bool(b) => Ok(*b),
                _ => Err(Absent::Missing),
            },
            Bool::Zero(equal, Num::Slot(slot)) => match env.value(*slot) {
                Ok(Value::Number(n)) => Ok(n.is_zero() == *equal),
                _ => Err(Absent::Missing),
            },
            Bool::NumberWith(cmp, Num::Slot(slot), b) => match env.value(*slot) {
                Ok(Value::Number(a)) => Ok(cmp.holds(value::compare(a, b))),
                _ => Err(Absent::Missing),
            },
            Bool::Choice(field, choices, negated) => match env.value(Slot::Field(*field)) {
                Ok(Value::Choice(index)) => Ok(choices.contains(index) != *negated),
                _ => Err(Absent::Missing),
            },
            _ => self.eval_any(env),
        }
    }

    /// Every shape of [`Bool::eval`].
    fn eval_any(&self, env: &Env<'_>) -> Known<bool> {
        match self {
            Bool::Const(b) => Ok(*b),
            // Answered whole by `eval`, which never sends them here.
            Bool::Slot(_) | Bool::Choice(..) => self.eval(env),
            Bool::Not(e) => strict(e.eval(env)).map(|b| !b),
            Bool::And(a, b) => value::and(a.eval(env), || b.eval(env)),
            Bool::Or(a, b) => value::or(a.eval(env), || b.eval(env)),
            Bool::Numbers(cmp, a, b) => {
                let (a, b) = (strict(a.eval(env))?, strict(b.eval(env))?);
                Ok(cmp.holds(value::compare(&a, &b)))
            }
            Bool::NumberWith(cmp, a, b) => Ok(cmp.holds(value::compare(&strict(a.eval(env))?, b))),
            Bool::Ratio(ratio) => ratio.eval(env),
            Bool::Zero(equal, a) => Ok(strict(a.eval(env))?.is_zero() == *equal),
            Bool::Texts(equal, a, b) => {
                let (a, b) = (strict(a.eval(env))?, strict(b.eval(env))?);
                Ok((a == b) == *equal)
            }
            Bool::Dates(cmp, a, b) => {
                let (a, b) = (strict(a.eval(env))?, strict(b.eval(env))?);
                Ok(cmp.holds(a.cmp(&b)))
            }
            Bool::Bools(equal, a, b) => {
                let (a, b) = (strict(a.eval(env))?, strict(b.eval(env))?);
                Ok((a == b) == *equal)
            }
            Bool::InNumbers(negated, x, list) => {
                member(*negated, x.eval(env), list.iter().map(|i| i.eval(env)))
            }
            Bool::InTexts(negated, x, list) => {
                member(*negated, x.eval(env), list.iter().map(|i| i.eval(env)))
            }
            Bool::InDates(negated, x, list) => {
                member(*negated, x.eval(env), list.iter().map(|i| i.eval(env)))
            }
            Bool::InBools(negated, x, list) => {
                member(*negated, x.eval(env), list.iter().map(|i| i.eval(env)))
            }
            Bool::BetweenNumbers(x, low, high) => {
                let (x, low, high) = (
                    strict(x.eval(env))?,
                    strict(low.eval(env))?,
                    strict(high.eval(env))?,
                );
                Ok(value::compare(&low, &x).is_le() && value::compare(&x, &high).is_le())
            }
            Bool::BetweenDates(x, low, high) => {
                let (x, low, high) = (
                    strict(x.eval(env))?,
                    strict(low.eval(env))?,
                    strict(high.eval(env))?,
                );
                Ok(low <= x && x <= high)
            }
            Bool::NoNumber(x) => match x.eval(env) {
                Ok(n) => Ok(n.is_zero()),
                Err(Absent::Blank) => Ok(true),
                Err(Absent::Missing) => Err(Absent::Missing),
            },
            Bool::NoBool(x) => match x.eval(env) {
                Ok(b) => Ok(!b),
                Err(Absent::Blank) => Ok(true),
                Err(Absent::Missing) => Err(Absent::Missing),
            },
            Bool::Contains(text, part) => {
                let (text, part) = (strict(text.eval(env))?, strict(part.eval(env))?);
                Ok(text.contains(&*part))
            }
            Bool::StartsWith(text, prefix) => {
                let (text, prefix) = (strict(text.eval(env))?, strict(prefix.eval(env))?);
                Ok(text.starts_with(&*prefix))
            }
            Bool::Rule(query, rule) => {
                let outcome = env.outcomes.get(*rule).copied().unwrap_or(Outcome::Missing);
                Ok(match query {
                    RuleQuery::Passed => outcome == Outcome::Pass,
                    RuleQuery::Failed => outcome == Outcome::Fail,
                    RuleQuery::Applicable => outcome != Outcome::NotApplicable,
                })
            }
            Bool::NoCriticalFailed => env
                .totals
                .map(|t| !t.critical_failed)
                .ok_or(Absent::Missing),
            Bool::AnyVetoFailed => env.totals.map(|t| t.veto_failed).ok_or(Absent::Missing),
            Bool::Script(call) => call.call(env, script::boolean),
        }
    }
}

impl Num {
    /// Evaluates the number; division by zero and overflow are missing.
    #[inline]
    pub fn eval(&self, env: &Env<'_>) -> Known<Decimal> {
        match self {
            Num::Slot(slot) => match env.value(*slot)? {
                Value::Number(n) => Ok(*n),
                _ => Err(Absent::Missing),
            },
            Num::Score => totals(env).map(|t| t.score),
            _ => self.eval_any(env),
        }
    }

    /// Every shape of [`Num::eval`].
    fn eval_any(&self, env: &Env<'_>) -> Known<Decimal> {
        match self {
            Num::Const(n) => Ok(*n),
            Num::Slot(slot) => match env.value(*slot)? {
                Value::Number(n) => Ok(*n),
                _ => Err(Absent::Missing),
            },
            Num::Neg(x) => strict(x.eval(env)).map(|n| -n),
            Num::Arith(op, a, b) => {
                let (a, b) = (strict(a.eval(env))?, strict(b.eval(env))?);
                let result = match op {
                    ArithOp::Add => a.checked_add(b),
                    ArithOp::Sub => a.checked_sub(b),
                    ArithOp::Mul => a.checked_mul(b),
                    ArithOp::Div => a.checked_div(b),
                };
                // Division by zero is missing (SPEC §3); anything else that
                // gives no value went past the decimals' 28 digits.
                if result.is_none() && !b.is_zero() {
                    env.overflowed.set(true);
                }
                result.ok_or(Absent::Missing)
            }
            Num::Min(items) => fold(items, env, Decimal::min),
            Num::Max(items) => fold(items, env, Decimal::max),
            Num::Abs(x) => strict(x.eval(env)).map(|n| n.abs()),
            Num::Round(x, digits) => {
                let (x, digits) = (strict(x.eval(env))?, strict(digits.eval(env))?);
                let digits = rust_decimal::prelude::ToPrimitive::to_u32(&digits.trunc())
                    .ok_or(Absent::Missing)?;
                Ok(value::round(x, digits.min(28)))
            }
            Num::Len(text) => strict(text.eval(env)).map(|t| Decimal::from(t.chars().count())),
            Num::Year(date) => strict(date.eval(env)).map(|d| Decimal::from(d.year())),
            Num::Month(date) => strict(date.eval(env)).map(|d| Decimal::from(d.month())),
            Num::Score => totals(env).map(|t| t.score),
            Num::Earned => totals(env).map(|t| t.earned),
            Num::Possible => totals(env).map(|t| t.possible),
            Num::SectionScore(section) => totals(env).and_then(|t| {
                t.section_scores
                    .get(*section)
                    .copied()
                    .ok_or(Absent::Missing)
            }),
            Num::Rank(group) => totals(env).and_then(|t| {
                t.ranks
                    .iter()
                    .find(|(g, _)| g == group)
                    .map(|(_, rank)| *rank)
                    .ok_or(Absent::Missing)
            }),
            Num::Script(call) => call.call(env, script::number),
        }
    }
}

fn totals<'a>(env: &Env<'a>) -> Known<&'a Totals> {
    env.totals.ok_or(Absent::Missing)
}

fn fold(items: &[Num], env: &Env<'_>, pick: fn(Decimal, Decimal) -> Decimal) -> Known<Decimal> {
    let mut result: Option<Decimal> = None;
    for item in items {
        let n = strict(item.eval(env))?;
        result = Some(result.map_or(n, |r| pick(r, n)));
    }
    result.ok_or(Absent::Missing)
}

impl Text {
    /// Evaluates the text, borrowed from the record where it can be.
    pub fn eval<'a>(&'a self, env: &Env<'a>) -> Known<Cow<'a, str>> {
        match self {
            Text::Const(t) => Ok(Cow::Borrowed(t)),
            Text::Slot(slot) => env.text(*slot).map(Cow::Borrowed),
            Text::Lower(x) => strict(x.eval(env)).map(|t| Cow::Owned(t.to_lowercase())),
            Text::Upper(x) => strict(x.eval(env)).map(|t| Cow::Owned(t.to_uppercase())),
            Text::Script(call) => call.call(env, script::text).map(Cow::Owned),
        }
    }
}

impl Date_ {
    /// Evaluates the date.
    pub fn eval(&self, env: &Env<'_>) -> Known<Date> {
        match self {
            Date_::Const(d) => Ok(*d),
            Date_::Slot(slot) => match env.value(*slot)? {
                Value::Date(d) => Ok(*d),
                _ => Err(Absent::Missing),
            },
            Date_::Script(call) => call.call(env, script::date),
        }
    }
}
