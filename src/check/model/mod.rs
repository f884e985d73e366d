//! The checked model: a standard whose names are resolved to indices and whose
//! expressions are typed. It is the only input the evaluator accepts; holding
//! one means the standard passed every check.

mod rollup;

use std::fmt;

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::language::Language;
use crate::script::ScriptSource;
use crate::syntax::ast::{BinaryOp, Outcome};
use crate::syntax::span::Span;

pub use rollup::{Calendar, Level, Period, Periods, Repeat, Rollup, Target, Term, TermOf};

/// Index of a field in [`Standard::fields`]; also the record's column slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub usize);

/// Index of a derived value in [`Standard::lets`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LetId(pub usize);

/// Index of a section in [`Standard::sections`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SectionId(pub usize);

/// Index of a rule in [`Standard::rules`] (source order, which is table
/// order): a rule within its edition, and so also its place in the compiled
/// program's rules and in a scored record's outcomes. Reports that list
/// rules across editions use a catalog column (`eval::catalog::RuleColumn`)
/// instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub usize);

/// A checked standard (one edition).
#[derive(Clone, Debug)]
pub struct Standard {
    /// The name after `standard`.
    pub name: String,
    /// `title`; the name when not given.
    pub title: String,
    /// `language`: the language of every output; when not given, Chinese
    /// for a Chinese title (in its script), else English.
    pub language: Language,
    /// `version`, as written.
    pub version: String,
    /// `effective`: the first day in force.
    pub effective: Option<Date>,
    /// `until`: the last day in force.
    pub until: Option<Date>,
    /// `source`: the document the standard comes from.
    pub source_document: Option<String>,
    /// `key`: the field that names an inspected unit.
    pub key: FieldId,
    /// `dated_by`: the field that dates an inspection.
    pub dated_by: Option<FieldId>,
    /// `total`: the points the rules are declared to add up to.
    pub total: Option<Decimal>,
    /// `cap`: the highest score, bonus points included (100 when not given).
    pub cap: Decimal,
    /// The observation schema, in declaration order.
    pub fields: Vec<Field>,
    /// Derived values, ordered so that each comes after those it uses.
    pub lets: Vec<Let>,
    /// Sections in source order; a nested section follows its parent.
    pub sections: Vec<Section>,
    /// Rules in source order.
    pub rules: Vec<Rule>,
    /// The order to evaluate rules in: a rule comes after those whose outcome it reads.
    pub evaluation_order: Vec<RuleId>,
    /// Grade bands, first match wins; empty when the standard has no grades.
    pub grades: Vec<Band>,
    /// Script code blocks, as written.
    pub scripts: Vec<ScriptSource>,
    /// Roll-ups of a year of inspections (SPEC §8).
    pub rollups: Vec<Rollup>,
    /// The standard's own tests.
    pub examples: Vec<Example>,
    /// Where the header's name and dates were written.
    pub header_spans: HeaderSpans,
}

/// Where parts of the header were written, for diagnostics about editions.
#[derive(Clone, Copy, Debug, Default)]
pub struct HeaderSpans {
    /// The standard's name.
    pub name: Span,
    /// The `version` entry's value.
    pub version: Option<Span>,
    /// The `effective` entry's value.
    pub effective: Option<Span>,
    /// The `until` entry's value.
    pub until: Option<Span>,
}

impl Standard {
    /// Whether scores are weighted by section (every top-level section has a weight).
    pub fn is_weighted(&self) -> bool {
        self.sections.iter().any(|s| s.weight.is_some())
    }
}

/// A field of the observation schema.
#[derive(Clone, Debug)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// The column label, e.g. `辦公區綠化率`.
    pub label: Option<String>,
    /// The field's type.
    pub ty: FieldType,
    /// Whether a blank value is allowed (always, for an `info` field).
    pub optional: bool,
    /// `info`: on the form and in reports, read by no rule.
    pub info: bool,
    /// Where it was declared.
    pub span: Span,
}

impl Field {
    /// How a column of this field is headed: its label, else its name.
    pub fn heading(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

/// The type of a field, as data is read into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// `true/false`, `是/否`, ...
    Bool,
    /// A non-negative integer.
    Count,
    /// A decimal number.
    Number,
    /// A percentage, read as percentage points (30 = 30% = 0.30).
    Percent,
    /// Any text.
    Text,
    /// A calendar date.
    Date,
    /// One of the listed texts, exactly.
    OneOf(Vec<String>),
}

impl FieldType {
    /// The type of the field's values in expressions.
    pub fn value_type(&self) -> Type {
        match self {
            FieldType::Bool => Type::Bool,
            FieldType::Count | FieldType::Number | FieldType::Percent => Type::Number,
            FieldType::Text | FieldType::OneOf(_) => Type::Text,
            FieldType::Date => Type::Date,
        }
    }

    /// How the type is written in a standard.
    pub fn describe(&self) -> String {
        match self {
            FieldType::Bool => "bool".to_owned(),
            FieldType::Count => "count".to_owned(),
            FieldType::Number => "number".to_owned(),
            FieldType::Percent => "percent".to_owned(),
            FieldType::Text => "text".to_owned(),
            FieldType::Date => "date".to_owned(),
            FieldType::OneOf(choices) => {
                let quoted: Vec<String> = choices.iter().map(|c| format!("\"{c}\"")).collect();
                format!("one of ({})", quoted.join(", "))
            }
        }
    }
}

/// The type of a value in an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// true or false.
    Bool,
    /// An exact decimal (counts, numbers and percents alike).
    Number,
    /// Text.
    Text,
    /// A calendar date.
    Date,
    /// The result of a script function: known only when it runs.
    Any,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Bool => "bool",
            Type::Number => "number",
            Type::Text => "text",
            Type::Date => "date",
            Type::Any => "any",
        })
    }
}

/// A derived value (`let`).
#[derive(Clone, Debug)]
pub struct Let {
    /// Its name.
    pub name: String,
    /// Its definition.
    pub value: Expr,
    /// Where it was declared.
    pub span: Span,
}

/// A section of rules.
#[derive(Clone, Debug)]
pub struct Section {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// Its weight (top-level sections only).
    pub weight: Option<Decimal>,
    /// The section it is nested in.
    pub parent: Option<SectionId>,
    /// Where its id was written.
    pub id_span: Span,
    /// The whole section.
    pub span: Span,
}

/// A checked rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Its id.
    pub id: String,
    /// Its title; the id when not given.
    pub title: String,
    /// The section it belongs to.
    pub section: Option<SectionId>,
    /// Grades can test it with `no critical failed`.
    pub critical: bool,
    /// 一票否決.
    pub veto: bool,
    /// 加分項: its points are added to the score, never to earned or possible.
    pub bonus: bool,
    /// Applicability; `None` is always.
    pub when: Option<Expr>,
    /// The pass condition; `None` (it holds) only with variable points.
    pub require: Option<Expr>,
    /// Points for passing (1 when not given); with variable points, the
    /// `up to N`, which is the rule's possible points.
    pub points: Decimal,
    /// Whether `points` was written.
    pub points_given: bool,
    /// `points EXPR up to N`: the points earned, clamped to 0..`points`.
    pub credit: Option<Expr>,
    /// `deduct D per X [up to M]`.
    pub deduct: Option<Deduct>,
    /// 整改要求.
    pub remedy: Option<String>,
    /// Clause of the source document.
    pub reference: Option<String>,
    /// A note.
    pub note: Option<String>,
    /// Who answers for the rule.
    pub owner: Option<String>,
    /// Where its id was written.
    pub id_span: Span,
    /// The whole rule.
    pub span: Span,
}

/// `deduct AMOUNT per PER [up to MOST]`
#[derive(Clone, Debug)]
pub struct Deduct {
    /// Points deducted per unit.
    pub amount: Decimal,
    /// How many units.
    pub per: Expr,
    /// `up to M`: the most deducted.
    pub up_to: Option<Decimal>,
}

impl Rule {
    /// Every expression of the rule: `when`, `require`, variable points,
    /// what it deducts per.
    pub fn expressions(&self) -> impl Iterator<Item = &Expr> {
        self.when
            .iter()
            .chain(&self.require)
            .chain(&self.credit)
            .chain(self.deduct.as_ref().map(|d| &d.per))
    }
}

/// A grade band.
#[derive(Clone, Debug)]
pub struct Band {
    /// The grade's name.
    pub name: String,
    /// The condition; `None` is `otherwise`.
    pub condition: Option<Expr>,
    /// Where it was written.
    pub span: Span,
}

/// An example: a partial record and what the standard should make of it.
#[derive(Clone, Debug)]
pub struct Example {
    /// Its name.
    pub name: String,
    /// The values given; every other field is blank.
    pub given: Vec<(FieldId, Value)>,
    /// `rollup NAME`: the roll-up (an index into [`Standard::rollups`])
    /// whose score and grade of one unit's inspections are expected.
    pub rollup: Option<usize>,
    /// With `rollup`: each `given` block, one inspection.
    pub inspections: Vec<Vec<(FieldId, Value)>>,
    /// What is expected.
    pub expectations: Vec<Expectation>,
    /// Where it was written.
    pub span: Span,
}

/// One `expect` line.
#[derive(Clone, Debug)]
pub struct Expectation {
    /// What is expected.
    pub kind: ExpectationKind,
    /// Where it was written.
    pub span: Span,
}

/// What an `expect` line states.
#[derive(Clone, Debug)]
pub enum ExpectationKind {
    /// The rule has this outcome.
    Outcome(Outcome, RuleId),
    /// The score is this number.
    Score(Decimal),
    /// The grade is this band.
    Grade(String),
    /// The section's score is this number.
    SectionScore(SectionId, Decimal),
    /// The rule earned these points.
    Points(RuleId, Decimal),
}

/// A constant value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// true or false.
    Bool(bool),
    /// An exact decimal.
    Number(Decimal),
    /// Text.
    Text(String),
    /// A date.
    Date(Date),
}

impl Value {
    /// The value's type.
    pub fn ty(&self) -> Type {
        match self {
            Value::Bool(_) => Type::Bool,
            Value::Number(_) => Type::Number,
            Value::Text(_) => Type::Text,
            Value::Date(_) => Type::Date,
        }
    }
}

/// A typed expression whose names are resolved.
#[derive(Clone, Debug)]
pub struct Expr {
    /// What it computes.
    pub kind: ExprKind,
    /// The type of its value.
    pub ty: Type,
    /// Where it was written.
    pub span: Span,
}

impl Expr {
    /// Calls `f` on this expression and every expression inside it, parents first.
    pub fn visit(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Not(x) | ExprKind::Neg(x) | ExprKind::No(x) => x.visit(f),
            ExprKind::Binary(_, a, b) => {
                a.visit(f);
                b.visit(f);
            }
            ExprKind::In { value, list, .. } => {
                value.visit(f);
                list.iter().for_each(|x| x.visit(f));
            }
            ExprKind::Between(a, b, c) => {
                a.visit(f);
                b.visit(f);
                c.visit(f);
            }
            ExprKind::Call(_, args) | ExprKind::Script(_, args) => {
                args.iter().for_each(|x| x.visit(f))
            }
            _ => {}
        }
    }
}

/// The kinds of checked expression.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A constant.
    Const(Value),
    /// A field of the record.
    Field(FieldId),
    /// A derived value.
    Let(LetId),
    /// `not X`
    Not(Box<Expr>),
    /// `-X`
    Neg(Box<Expr>),
    /// `X op Y`
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `X [not] in (...)`
    In {
        /// Whether `not in`.
        negated: bool,
        /// The value looked for.
        value: Box<Expr>,
        /// The list.
        list: Vec<Expr>,
    },
    /// `X between A and B`
    Between(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `no X`
    No(Box<Expr>),
    /// A built-in function.
    Call(Builtin, Vec<Expr>),
    /// A script function, by name.
    Script(String, Vec<Expr>),
    /// `passed(ID)`, `failed(ID)`, `applicable(ID)`.
    RuleState(RuleQuery, RuleId),
    /// `score` (grades only).
    Score,
    /// `earned` (grades only).
    Earned,
    /// `possible` (grades only).
    Possible,
    /// `section_score(ID)` (grades only).
    SectionScore(SectionId),
    /// `rank` or `rank within FIELD` (grades only).
    Rank(Option<FieldId>),
    /// `no critical failed` (grades only).
    NoCriticalFailed,
    /// `any veto failed` (grades only).
    AnyVetoFailed,
    /// `top 10%` or `top 3` (a roll-up's grades only).
    Top(Quota),
}

/// How many of the ranked units `top` lets in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quota {
    /// `top 10%`: rank at most ceil(share × ranked units); the share as a fraction.
    Share(Decimal),
    /// `top 3`: rank at most this.
    Count(u64),
}

/// What `passed`, `failed` and `applicable` ask of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleQuery {
    /// The outcome is pass.
    Passed,
    /// The outcome is fail.
    Failed,
    /// The outcome is not n/a.
    Applicable,
}

/// The built-in functions of SPEC §1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `min(a, b, ...)`
    Min,
    /// `max(a, b, ...)`
    Max,
    /// `abs(x)`
    Abs,
    /// `round(x, digits)`, half away from zero.
    Round,
    /// `len(text)`, in characters.
    Len,
    /// `lower(text)`
    Lower,
    /// `upper(text)`
    Upper,
    /// `contains(text, part)`
    Contains,
    /// `starts_with(text, prefix)`
    StartsWith,
    /// `year(date)`
    Year,
    /// `month(date)`
    Month,
}

impl Builtin {
    /// Every built-in with its name.
    pub const ALL: [(&'static str, Builtin); 11] = [
        ("min", Builtin::Min),
        ("max", Builtin::Max),
        ("abs", Builtin::Abs),
        ("round", Builtin::Round),
        ("len", Builtin::Len),
        ("lower", Builtin::Lower),
        ("upper", Builtin::Upper),
        ("contains", Builtin::Contains),
        ("starts_with", Builtin::StartsWith),
        ("year", Builtin::Year),
        ("month", Builtin::Month),
    ];

    /// The parameter types (for `min`/`max`, the type of every argument) and
    /// the result type.
    pub fn signature(self) -> (&'static [Type], Type) {
        use Type::*;
        match self {
            Builtin::Min | Builtin::Max => (&[Number], Number),
            Builtin::Abs => (&[Number], Number),
            Builtin::Round => (&[Number, Number], Number),
            Builtin::Len => (&[Text], Number),
            Builtin::Lower | Builtin::Upper => (&[Text], Text),
            Builtin::Contains | Builtin::StartsWith => (&[Text, Text], Bool),
            Builtin::Year | Builtin::Month => (&[Date], Number),
        }
    }

    /// Whether the function takes any number (at least one) of arguments.
    pub fn is_variadic(self) -> bool {
        matches!(self, Builtin::Min | Builtin::Max)
    }
}
