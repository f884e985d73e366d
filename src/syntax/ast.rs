//! The abstract syntax tree of a standard file, exactly as written.
//!
//! Names are not resolved and types are not known here: that is the checker's
//! job. Every node carries the [`Span`] it was written at; spans never take part
//! in equality (see [`Span`]).
//!
//! Over 600 lines on purpose: every node of the tree, declarations and
//! expressions, in one place, as the grammar is one file; it is types and a few
//! keyword tables, no logic.

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::span::{Span, Spanned};

/// A name as written, with its span.
pub type Ident = Spanned<String>;
/// The value of a string literal (escapes resolved), with its span.
pub type Text = Spanned<String>;

/// A whole standard file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct File {
    /// The top-level items in source order.
    pub items: Vec<Item>,
}

/// Anything that may stand at the top level of a file.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `standard NAME { ... }`
    Header(Header),
    /// `fields { ... }`
    Fields(FieldsBlock),
    /// `let NAME = EXPR`
    Let(LetDecl),
    /// `section ID "title" { ... }`
    Section(Section),
    /// A rule outside any section.
    Rule(Rule),
    /// `grades { ... }`
    Grades(Grades),
    /// `script """..."""`
    Script(Script),
    /// `example "name" { ... }`
    Example(Example),
    /// `amend rule ID { ... }`
    AmendRule(AmendRule),
    /// `remove rule ID` / `remove section ID`
    Remove(Remove),
    /// `rollup NAME "title" { ... }` (SPEC §8)
    Rollup(Rollup),
}

impl Item {
    /// Where the item was written.
    pub fn span(&self) -> Span {
        match self {
            Item::Header(x) => x.span,
            Item::Fields(x) => x.span,
            Item::Let(x) => x.span,
            Item::Section(x) => x.span,
            Item::Rule(x) => x.span,
            Item::Grades(x) => x.span,
            Item::Script(x) => x.span,
            Item::Example(x) => x.span,
            Item::AmendRule(x) => x.span,
            Item::Remove(x) => x.span,
            Item::Rollup(x) => x.span,
        }
    }
}

/// `standard NAME { entries }`
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// The standard's name.
    pub name: Ident,
    /// The entries, in source order; their names are checked by the checker.
    pub entries: Vec<HeaderEntry>,
    /// The whole block.
    pub span: Span,
}

/// One `name value` entry of the header, such as `effective 2015-01-01`.
#[derive(Clone, Debug, PartialEq)]
pub struct HeaderEntry {
    /// The entry's name (`title`, `version`, ...).
    pub name: Ident,
    /// The entry's value.
    pub value: Spanned<HeaderValue>,
    /// The whole entry.
    pub span: Span,
}

/// The value of a header entry, in the form it was written.
#[derive(Clone, Debug, PartialEq)]
pub enum HeaderValue {
    /// A quoted string.
    Text(String),
    /// A date such as `2015-01-01`.
    Date(Date),
    /// An unquoted version or number such as `2015` or `100`.
    Bare(String),
    /// A name such as a field name.
    Name(String),
}

/// `fields { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct FieldsBlock {
    /// The fields, in source order.
    pub fields: Vec<FieldDecl>,
    /// The whole block.
    pub span: Span,
}

/// `NAME TYPE [?] ["label"]`
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    /// The field's name.
    pub name: Ident,
    /// The field's type as written.
    pub ty: Spanned<FieldType>,
    /// Whether `?` was written: the value may be blank.
    pub optional: bool,
    /// Whether `info` was written: on the form and in reports, read by no
    /// rule, blank allowed.
    pub info: bool,
    /// The column label, e.g. `"辦公區綠化率"`.
    pub label: Option<Text>,
    /// The whole declaration.
    pub span: Span,
}

/// A field's type as written.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    /// A type name such as `bool` or `percent`; the checker knows which exist.
    Named(String),
    /// `one of ("a", "b", ...)`
    OneOf(Vec<Text>),
}

/// `let NAME = EXPR`
#[derive(Clone, Debug, PartialEq)]
pub struct LetDecl {
    /// The derived value's name.
    pub name: Ident,
    /// Its definition.
    pub value: Expr,
    /// The whole declaration.
    pub span: Span,
}

/// `section ID "title" [weight N] { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// The section's id.
    pub id: Ident,
    /// The section's title.
    pub title: Option<Text>,
    /// `weight N`, when given.
    pub weight: Option<Spanned<Decimal>>,
    /// Nested sections and rules, in source order.
    pub members: Vec<SectionMember>,
    /// The whole section.
    pub span: Span,
}

/// What a section contains.
#[derive(Clone, Debug, PartialEq)]
pub enum SectionMember {
    /// A nested section.
    Section(Section),
    /// A rule.
    Rule(Rule),
}

/// `rule ID "title" [flags] { clauses }` or the one-line form.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The rule's id, unique in the standard.
    pub id: Ident,
    /// The rule's title.
    pub title: Option<Text>,
    /// `critical`, `veto`, `bonus`.
    pub flags: Vec<Spanned<RuleFlag>>,
    /// The clauses, or the one-line condition.
    pub body: RuleBody,
    /// The whole rule.
    pub span: Span,
}

/// A rule's flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleFlag {
    /// Grades can test it with `no critical failed`.
    Critical,
    /// 一票否決: failing it gives the last grade band.
    Veto,
    /// 加分項: adds to earned points only.
    Bonus,
}

impl RuleFlag {
    /// The keyword that spells the flag.
    pub fn keyword(self) -> &'static str {
        match self {
            RuleFlag::Critical => "critical",
            RuleFlag::Veto => "veto",
            RuleFlag::Bonus => "bonus",
        }
    }
}

/// The body of a rule.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleBody {
    /// `{ clauses }`
    Block(Vec<Clause>),
    /// `: EXPR`, the one-line form: the expression is the rule's `require`.
    Short(Expr),
}

/// One clause of a rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    /// What the clause says.
    pub kind: ClauseKind,
    /// The whole clause, keyword included.
    pub span: Span,
}

/// The clauses a rule may have.
///
/// `points 4, deduct 1 per x` is two clauses, `Points` then `Deduct`: the
/// comma form and the two-line form mean the same and parse the same.
#[derive(Clone, Debug, PartialEq)]
pub enum ClauseKind {
    /// `when EXPR`: applicability.
    When(Expr),
    /// `require EXPR`: the pass condition.
    Require(Expr),
    /// `points N`
    Points(Spanned<Decimal>),
    /// `points EXPR up to N`: variable credit, clamped to 0..N.
    VariablePoints {
        /// The points earned, computed per record.
        credit: Expr,
        /// The most the rule earns: its possible points.
        up_to: Spanned<Decimal>,
    },
    /// `deduct D per EXPR [up to M]`
    Deduct {
        /// Points deducted per unit of `per`.
        amount: Spanned<Decimal>,
        /// How many times to deduct.
        per: Expr,
        /// `up to M`: the most deducted.
        up_to: Option<Spanned<Decimal>>,
    },
    /// `remedy "text"` (整改要求).
    Remedy(Text),
    /// `ref "text"`: the clause of the source document.
    Ref(Text),
    /// `note "text"`
    Note(Text),
    /// `owner "text"`: who answers for the rule.
    Owner(Text),
}

impl ClauseKind {
    /// The keyword that starts the clause.
    pub fn keyword(&self) -> &'static str {
        match self {
            ClauseKind::When(_) => "when",
            ClauseKind::Require(_) => "require",
            ClauseKind::Points(_) | ClauseKind::VariablePoints { .. } => "points",
            ClauseKind::Deduct { .. } => "deduct",
            ClauseKind::Remedy(_) => "remedy",
            ClauseKind::Ref(_) => "ref",
            ClauseKind::Note(_) => "note",
            ClauseKind::Owner(_) => "owner",
        }
    }
}

/// `amend rule ID ["new title"] [flags] { changed clauses }`
#[derive(Clone, Debug, PartialEq)]
pub struct AmendRule {
    /// The rule being amended.
    pub id: Ident,
    /// A new title, when given.
    pub title: Option<Text>,
    /// New flags, when given.
    pub flags: Vec<Spanned<RuleFlag>>,
    /// The clauses that change.
    pub clauses: Vec<Clause>,
    /// The whole amendment.
    pub span: Span,
}

/// `remove rule ID`, `remove section ID` or `remove field NAME`
#[derive(Clone, Debug, PartialEq)]
pub struct Remove {
    /// What is removed.
    pub target: RemoveTarget,
    /// Its id.
    pub id: Ident,
    /// The whole item.
    pub span: Span,
}

/// What a `remove` removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemoveTarget {
    /// `remove rule`
    Rule,
    /// `remove section`
    Section,
    /// `remove field`
    Field,
    /// `remove rollup`
    Rollup,
}

impl RemoveTarget {
    /// The keyword after `remove`.
    pub fn keyword(self) -> &'static str {
        match self {
            RemoveTarget::Rule => "rule",
            RemoveTarget::Section => "section",
            RemoveTarget::Field => "field",
            RemoveTarget::Rollup => "rollup",
        }
    }
}

/// `grades { bands }`
#[derive(Clone, Debug, PartialEq)]
pub struct Grades {
    /// The bands, first match wins.
    pub bands: Vec<Band>,
    /// The whole block.
    pub span: Span,
}

/// `"NAME" when EXPR` or `"NAME" otherwise`
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// The grade's name.
    pub name: Text,
    /// The condition; `None` is `otherwise`.
    pub condition: Option<Expr>,
    /// The whole band.
    pub span: Span,
}

/// `script """code"""`
#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    /// The code between the triple quotes, as written.
    pub code: Spanned<String>,
    /// The whole item.
    pub span: Span,
}

/// `example "name" { given {...} expect ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The example's name.
    pub name: Text,
    /// `rollup NAME`: the roll-up the example tests; each `given` is then
    /// one inspection.
    pub rollup: Option<Ident>,
    /// `given` blocks and expectations, in source order.
    pub items: Vec<ExampleItem>,
    /// The whole example.
    pub span: Span,
}

/// A member of an example.
#[derive(Clone, Debug, PartialEq)]
pub enum ExampleItem {
    /// `given { ... }`
    Given(Given),
    /// `expect ...`
    Expect(Expect),
}

/// `given { field = value, ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Given {
    /// The assignments, in source order.
    pub assignments: Vec<Assignment>,
    /// The whole block.
    pub span: Span,
}

/// `field = value`
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// The field given a value.
    pub field: Ident,
    /// The value.
    pub value: Spanned<Literal>,
}

/// `expect ...`
#[derive(Clone, Debug, PartialEq)]
pub struct Expect {
    /// What is expected.
    pub kind: ExpectKind,
    /// The whole line.
    pub span: Span,
}

/// The expectations an example may state.
#[derive(Clone, Debug, PartialEq)]
pub enum ExpectKind {
    /// `expect pass|fail|n/a|missing ID`
    Outcome(Spanned<Outcome>, Ident),
    /// `expect score N`
    Score(Spanned<Decimal>),
    /// `expect grade "NAME"`
    Grade(Text),
    /// `expect section_score(ID) N`
    SectionScore(Ident, Spanned<Decimal>),
    /// `expect points ID N`: the points the rule earned.
    Points(Ident, Spanned<Decimal>),
}

/// The outcome of one rule for one record (SPEC §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// `require` held.
    Pass,
    /// `require` did not hold.
    Fail,
    /// `when` did not hold: the rule does not apply.
    NotApplicable,
    /// A value the rule needs is missing.
    Missing,
    /// A `bonus` rule that earned nothing: not a failure.
    NotEarned,
}

impl Outcome {
    /// How the outcome is written: `pass`, `fail`, `n/a`, `missing`,
    /// `not earned`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "n/a",
            Outcome::Missing => "missing",
            Outcome::NotEarned => "not earned",
        }
    }
}

/// A constant value.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// A decimal number such as `4` or `-0.5`.
    Number(Decimal),
    /// A percent, holding the number written before `%` (`30%` holds 30).
    Percent(Decimal),
    /// A string.
    Text(String),
    /// `true` or `false`.
    Bool(bool),
    /// A date.
    Date(Date),
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A constant.
    Literal(Literal),
    /// A name: a field, a `let`, or a name only grades know (`score`, `rank`...).
    Name(String),
    /// `name(args)`: a built-in or a script function.
    Call {
        /// The function's name.
        name: Ident,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `not X` or `-X`.
    Unary {
        /// The operator.
        op: Spanned<UnaryOp>,
        /// Its operand.
        operand: Box<Expr>,
    },
    /// `X op Y`.
    Binary {
        /// The operator.
        op: Spanned<BinaryOp>,
        /// The left operand.
        left: Box<Expr>,
        /// The right operand.
        right: Box<Expr>,
    },
    /// `X [not] in (A, B, ...)`.
    In {
        /// Whether `not in` was written.
        negated: bool,
        /// The value looked for.
        value: Box<Expr>,
        /// The list.
        list: Vec<Expr>,
    },
    /// `X between A and B` (inclusive).
    Between {
        /// The value tested.
        value: Box<Expr>,
        /// The lower bound.
        low: Box<Expr>,
        /// The upper bound.
        high: Box<Expr>,
    },
    /// `no X`: X is 0, false, or blank in an optional field.
    No(Box<Expr>),
    /// `no critical failed`
    NoCriticalFailed,
    /// `any veto failed`
    AnyVetoFailed,
    /// `rank within FIELD`
    RankWithin(Ident),
    /// `top 10%` or `top 3` (a roll-up's grades).
    Top(Quota),
    /// `( X )`, kept so that the formatter prints the parentheses the author wrote.
    Paren(Box<Expr>),
}

/// How many units `top` lets in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quota {
    /// `top 10%`: this share of the ranked units, holding the number before `%`.
    Percent(Decimal),
    /// `top 3`: this many.
    Count(Decimal),
}

/// A prefix operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

/// An infix operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `==`
    Eq,
    /// `!=` or `≠`
    Ne,
    /// `<`
    Lt,
    /// `<=` or `≤`
    Le,
    /// `>`
    Gt,
    /// `>=` or `≥`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinaryOp {
    /// The canonical (ASCII) spelling.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }

    /// The arithmetic operation of `+`, `-`, `*` and `/`; `None` for the others.
    pub fn arith(self) -> Option<ArithOp> {
        match self {
            BinaryOp::Add => Some(ArithOp::Add),
            BinaryOp::Sub => Some(ArithOp::Sub),
            BinaryOp::Mul => Some(ArithOp::Mul),
            BinaryOp::Div => Some(ArithOp::Div),
            BinaryOp::Or
            | BinaryOp::And
            | BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => None,
        }
    }

    /// Whether the operator compares two values.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }

    /// Binding strength: a larger number binds tighter.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            // 3 is `not`.
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div => 6,
        }
    }
}

/// One of the four arithmetic operators, and nothing else: what evaluation
/// computes, so that no operator can fall through to another's meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// A comment, kept apart from the tree so that the formatter can put it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The comment, `#` included.
    pub span: Span,
    /// Whether only whitespace precedes it on its line.
    pub own_line: bool,
}

/// `rollup NAME "title" { lines }`: how inspections over a period roll up
/// into one assessment (SPEC §8).
#[derive(Clone, Debug, PartialEq)]
pub struct Rollup {
    /// The roll-up's name.
    pub name: Ident,
    /// Its title.
    pub title: Option<Text>,
    /// Its lines, in source order.
    pub lines: Vec<RollupLine>,
    /// The whole block.
    pub span: Span,
}

/// One line of a roll-up.
#[derive(Clone, Debug, PartialEq)]
pub enum RollupLine {
    /// `period DATE to DATE`
    Period {
        /// The first day.
        from: Spanned<Date>,
        /// The last day.
        to: Spanned<Date>,
        /// The whole line.
        span: Span,
    },
    /// `method FIELD`
    Method(Ident, Span),
    /// `level NAME [by FIELD] = TERMS`
    Level(Level),
    /// `repeat N consecutive LEVEL deduct D`
    Repeat(Repeat),
    /// `grades { ... }`
    Grades(Grades),
    /// `target "NAME" by DATE when EXPR`
    Target(Target),
}

impl RollupLine {
    /// Where the line was written.
    pub fn span(&self) -> Span {
        match self {
            RollupLine::Period { span, .. } | RollupLine::Method(_, span) => *span,
            RollupLine::Level(x) => x.span,
            RollupLine::Repeat(x) => x.span,
            RollupLine::Grades(x) => x.span,
            RollupLine::Target(x) => x.span,
        }
    }
}

/// `level NAME [by FIELD] = TERM + TERM ...`
#[derive(Clone, Debug, PartialEq)]
pub struct Level {
    /// The level's name: `week`, `month`, `quarter`, `year`, or any name with `by`.
    pub name: Ident,
    /// `by FIELD`: the level's periods are this field's values.
    pub by: Option<Ident>,
    /// The weighted terms.
    pub terms: Vec<Term>,
    /// The whole line.
    pub span: Span,
}

/// `W% "METHOD"` or `W% LEVEL`.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// The weight, holding the number before `%`; `None` is 100%.
    pub weight: Option<Spanned<Decimal>>,
    /// What is weighed.
    pub of: TermOf,
    /// The whole term.
    pub span: Span,
}

/// What a term weighs.
#[derive(Clone, Debug, PartialEq)]
pub enum TermOf {
    /// `"暗訪"`: the mean score of the inspections by this method.
    Method(Text),
    /// `month`: the mean score of a finer level's periods.
    Level(Ident),
}

/// `repeat N consecutive LEVEL deduct D`
#[derive(Clone, Debug, PartialEq)]
pub struct Repeat {
    /// N: how many consecutive periods make a repeat.
    pub times: Spanned<Decimal>,
    /// The level whose periods are counted.
    pub level: Ident,
    /// D: the points each repeat takes off.
    pub deduct: Spanned<Decimal>,
    /// The whole line.
    pub span: Span,
}

/// `target "NAME" by DATE when EXPR`
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The target's name.
    pub name: Text,
    /// The deadline.
    pub by: Spanned<Date>,
    /// What must hold in the unit's latest inspection.
    pub condition: Expr,
    /// The whole line.
    pub span: Span,
}
