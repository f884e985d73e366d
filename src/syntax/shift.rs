//! Moving a tree's spans: what follows an edit moves by the length the
//! edit added or took away, so that a reparse of the edited part can keep
//! the rest of the tree (`reparse`).

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::ast::*;
use super::span::{Span, Spanned};

/// A node whose spans can be moved.
pub trait Shift {
    /// Moves every span by `by` bytes (negative: towards the start).
    fn shift(&mut self, by: isize);
}

impl Shift for Span {
    fn shift(&mut self, by: isize) {
        self.start = self.start.saturating_add_signed(by);
        self.end = self.end.saturating_add_signed(by);
    }
}

impl<T: Shift> Shift for Spanned<T> {
    fn shift(&mut self, by: isize) {
        self.span.shift(by);
        self.node.shift(by);
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: isize) {
        if let Some(inner) = self {
            inner.shift(by);
        }
    }
}

impl<T: Shift> Shift for [T] {
    fn shift(&mut self, by: isize) {
        for inner in self {
            inner.shift(by);
        }
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: isize) {
        self.as_mut_slice().shift(by);
    }
}

impl<T: Shift> Shift for Box<T> {
    fn shift(&mut self, by: isize) {
        self.as_mut().shift(by);
    }
}

/// Leaves: values without spans.
macro_rules! no_spans {
    ($($t:ty),*) => {
        $(impl Shift for $t {
            fn shift(&mut self, _by: isize) {}
        })*
    };
}

no_spans!(
    String,
    Decimal,
    Date,
    bool,
    HeaderValue,
    RuleFlag,
    Outcome,
    Literal,
    UnaryOp,
    BinaryOp,
    Quota,
    RemoveTarget
);

/// Structs: each listed field moved.
macro_rules! fields {
    ($($t:ident { $($field:ident),* })*) => {
        $(impl Shift for $t {
            fn shift(&mut self, by: isize) {
                $(self.$field.shift(by);)*
            }
        })*
    };
}

fields! {
    File { items }
    Header { name, entries, span }
    HeaderEntry { name, value, span }
    FieldsBlock { fields, span }
    FieldDecl { name, ty, label, span }
    LetDecl { name, value, span }
    Section { id, title, weight, members, span }
    Rule { id, title, flags, body, span }
    Clause { kind, span }
    AmendRule { id, title, flags, clauses, span }
    Remove { id, span }
    Grades { bands, span }
    Band { name, condition, span }
    Script { code, span }
    Example { name, rollup, items, span }
    Given { assignments, span }
    Assignment { field, value }
    Expect { kind, span }
    Expr { kind, span }
    Rollup { name, title, lines, span }
    Level { name, by, terms, span }
    Term { weight, of, span }
    Repeat { times, level, deduct, span }
    Target { name, by, condition, span }
}

impl Shift for Item {
    fn shift(&mut self, by: isize) {
        match self {
            Item::Header(x) => x.shift(by),
            Item::Fields(x) => x.shift(by),
            Item::Let(x) => x.shift(by),
            Item::Section(x) => x.shift(by),
            Item::Rule(x) => x.shift(by),
            Item::Grades(x) => x.shift(by),
            Item::Script(x) => x.shift(by),
            Item::Example(x) => x.shift(by),
            Item::AmendRule(x) => x.shift(by),
            Item::Remove(x) => x.shift(by),
            Item::Rollup(x) => x.shift(by),
        }
    }
}

impl Shift for FieldType {
    fn shift(&mut self, by: isize) {
        match self {
            FieldType::Named(_) => {}
            FieldType::OneOf(choices) => choices.shift(by),
        }
    }
}

impl Shift for SectionMember {
    fn shift(&mut self, by: isize) {
        match self {
            SectionMember::Section(x) => x.shift(by),
            SectionMember::Rule(x) => x.shift(by),
        }
    }
}

impl Shift for RuleBody {
    fn shift(&mut self, by: isize) {
        match self {
            RuleBody::Block(clauses) => clauses.shift(by),
            RuleBody::Short(expr) => expr.shift(by),
        }
    }
}

impl Shift for ClauseKind {
    fn shift(&mut self, by: isize) {
        match self {
            ClauseKind::When(e) | ClauseKind::Require(e) => e.shift(by),
            ClauseKind::Points(points) => points.shift(by),
            ClauseKind::VariablePoints { credit, up_to } => {
                credit.shift(by);
                up_to.shift(by);
            }
            ClauseKind::Deduct { amount, per, up_to } => {
                amount.shift(by);
                per.shift(by);
                up_to.shift(by);
            }
            ClauseKind::Remedy(t)
            | ClauseKind::Ref(t)
            | ClauseKind::Note(t)
            | ClauseKind::Owner(t) => {
                t.shift(by);
            }
        }
    }
}

impl Shift for ExampleItem {
    fn shift(&mut self, by: isize) {
        match self {
            ExampleItem::Given(x) => x.shift(by),
            ExampleItem::Expect(x) => x.shift(by),
        }
    }
}

impl Shift for ExpectKind {
    fn shift(&mut self, by: isize) {
        match self {
            ExpectKind::Outcome(outcome, id) => {
                outcome.shift(by);
                id.shift(by);
            }
            ExpectKind::Score(n) => n.shift(by),
            ExpectKind::Grade(t) => t.shift(by),
            ExpectKind::SectionScore(id, n) | ExpectKind::Points(id, n) => {
                id.shift(by);
                n.shift(by);
            }
        }
    }
}

impl Shift for ExprKind {
    fn shift(&mut self, by: isize) {
        match self {
            ExprKind::Literal(_)
            | ExprKind::Name(_)
            | ExprKind::NoCriticalFailed
            | ExprKind::AnyVetoFailed
            | ExprKind::Top(_) => {}
            ExprKind::Call { name, args } => {
                name.shift(by);
                args.shift(by);
            }
            ExprKind::Unary { op, operand } => {
                op.shift(by);
                operand.shift(by);
            }
            ExprKind::Binary { op, left, right } => {
                op.shift(by);
                left.shift(by);
                right.shift(by);
            }
            ExprKind::In { value, list, .. } => {
                value.shift(by);
                list.shift(by);
            }
            ExprKind::Between { value, low, high } => {
                value.shift(by);
                low.shift(by);
                high.shift(by);
            }
            ExprKind::No(inner) | ExprKind::Paren(inner) => inner.shift(by),
            ExprKind::RankWithin(field) => field.shift(by),
        }
    }
}

impl Shift for RollupLine {
    fn shift(&mut self, by: isize) {
        match self {
            RollupLine::Period { from, to, span } => {
                from.shift(by);
                to.shift(by);
                span.shift(by);
            }
            RollupLine::Method(field, span) => {
                field.shift(by);
                span.shift(by);
            }
            RollupLine::Level(x) => x.shift(by),
            RollupLine::Repeat(x) => x.shift(by),
            RollupLine::Grades(x) => x.shift(by),
            RollupLine::Target(x) => x.shift(by),
        }
    }
}

impl Shift for TermOf {
    fn shift(&mut self, by: isize) {
        match self {
            TermOf::Method(t) => t.shift(by),
            TermOf::Level(l) => l.shift(by),
        }
    }
}
