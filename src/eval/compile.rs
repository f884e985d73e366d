//! The checked model compiled into an evaluation program: every expression
//! into the typed tree of `ir`, every rule into its pieces, and the facts the
//! scorer needs (sections, flags, what each rule reads) laid out by index.
//!
//! Over 600 lines on purpose: the `Program` and the compiler that fills it are
//! one contract with the scorer (the facts laid out here are the ones `engine`
//! reads); the trees it compiles into are `ir`.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::fixed_point::fixed;
use super::ir::ratio::Ratio;
use super::ir::{Any, Bool, Compare, Date_, Num, ScriptCall, Slot, Text};
use crate::check::model::{self, Builtin, ExprKind, FieldType, RuleId, Standard, Type, Value};
use crate::script::Scripts;
use crate::syntax::ast::BinaryOp;

/// A standard ready to evaluate records.
#[derive(Debug)]
pub struct Program {
    /// The checked standard it was compiled from.
    pub standard: Arc<Standard>,
    /// For each field, its `one of` choices (empty for other types).
    pub choices: Vec<Vec<String>>,
    /// The `let`s, in evaluation order.
    pub lets: Vec<Any>,
    /// The rules, in source order.
    pub rules: Vec<Rule>,
    /// The order to evaluate rules in: every rule once.
    pub order: Vec<RuleId>,
    /// Whether that order is the source order (no rule reads the outcome
    /// of one written after it).
    pub in_source_order: bool,
    /// The grade bands' conditions (`None` is `otherwise`).
    pub bands: Vec<Option<Bool>>,
    /// For each section, its top-level section.
    pub top_section: Vec<usize>,
    /// Whether sections are weighted.
    pub weighted: bool,
    /// The rank groups grades use: `None` for the whole batch, or a field.
    pub rank_groups: Vec<Option<usize>>,
    /// Whether section totals are needed (weights, `section_score` in
    /// grades, or an example that expects one).
    pub needs_sections: bool,
    /// The decimal places that every rule's points, deduction and cap fit
    /// in, for summing points as integers (see `engine`).
    pub points_scale: u32,
    /// Whether every rule's points are integers at `points_scale` whose
    /// sum fits: the fixed-point path's one condition on the standard. When
    /// they do not, every record's points are summed as decimals.
    pub points_fit: bool,
    /// Every rule's points but bonus rules', at that scale: the points
    /// possible when every rule applies.
    pub possible_fixed: i128,
    /// The `bonus` rules, in source order: their points are added to the
    /// score, never to earned or possible.
    pub bonus_rules: Vec<RuleId>,
    /// `cap`: the highest score.
    pub cap: Decimal,
    /// The standard's script functions, compiled, when it has any.
    pub scripts: Option<Arc<Scripts>>,
    /// Whether a rule reads another's outcome (`passed(R)`...).
    pub reads_outcomes: bool,
    /// When the grade bands read nothing but the points, the critical and
    /// veto flags and the outcomes of these rules (at most 30), the grade is
    /// a function of those and the engine remembers it.
    pub grade_inputs: Option<Vec<RuleId>>,
}

/// The commonest shapes of rule, which the engine scores straight from the
/// record's cells, skipping the general evaluator; it gives them the same
/// outcome and points (`tests/differential.rs` holds it to that).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `require F` of a bool field, with no `when` and no deduction.
    Flag(usize),
    /// `require F == 0` of a number field, with no `when`, and no deduction
    /// or `deduct A per F` of the same field.
    NoneOf(usize),
    /// `require F >= K` (any comparison with a constant) of a number field,
    /// with no `when` and no deduction; the condition is the rule's `require`.
    Compare(usize),
    /// Any other rule.
    General,
}

impl Shape {
    /// The shape of a rule with these parts (variable points are always
    /// [`Shape::General`]).
    fn of(when: Option<&Bool>, require: &Bool, deduct: Option<&Deduction>) -> Shape {
        match (when, require, deduct.map(|d| &d.per)) {
            (None, Bool::Slot(Slot::Field(field)), None) => Shape::Flag(*field),
            (None, Bool::Zero(true, Num::Slot(Slot::Field(field))), None) => Shape::NoneOf(*field),
            (
                None,
                Bool::Zero(true, Num::Slot(Slot::Field(field))),
                Some(Num::Slot(Slot::Field(per))),
            ) if per == field => Shape::NoneOf(*field),
            (None, Bool::NumberWith(_, Num::Slot(Slot::Field(field)), _), None) => {
                Shape::Compare(*field)
            }
            _ => Shape::General,
        }
    }
}

/// Whether two number expressions read the same slots the same way, so
/// that one evaluation serves for both; `false` where unsure (scripts,
/// builtins).
fn same_number(a: &Num, b: &Num) -> bool {
    match (a, b) {
        (Num::Const(x), Num::Const(y)) => x == y && x.scale() == y.scale(),
        (Num::Slot(x), Num::Slot(y)) => x == y,
        (Num::Neg(x), Num::Neg(y)) | (Num::Abs(x), Num::Abs(y)) => same_number(x, y),
        (Num::Arith(op, a1, b1), Num::Arith(op2, a2, b2)) => {
            op == op2 && same_number(a1, a2) && same_number(b1, b2)
        }
        _ => false,
    }
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// The shape, when the engine can score it directly.
    pub shape: Shape,
    /// Applicability.
    pub when: Option<Bool>,
    /// The pass condition (`true` when a rule with variable points has none).
    pub require: Bool,
    /// Points for passing: with variable points, the most it earns.
    pub points: Decimal,
    /// The points it adds to the points possible and (when it passes)
    /// earned, as an integer at the program's points scale: 0 for a bonus
    /// rule, which adds to neither; meaningful only when the program's
    /// `points_fit`.
    pub base_fixed: i128,
    /// `points EXPR up to N`: the points earned, clamped to 0..`points`.
    pub credit: Option<Num>,
    /// `deduct amount per x [up to most]`.
    pub deduct: Option<Deduction>,
    /// The `require` is `X == 0` and the deduction, if any, is per the same
    /// `X` (`late + early == 0`, per `(late + early)`): one evaluation of
    /// `X` decides both.
    pub counts_once: bool,
    /// The section the rule is in.
    pub section: Option<usize>,
    /// 加分項.
    pub bonus: bool,
    /// Grades can test it.
    pub critical: bool,
    /// 一票否決.
    pub veto: bool,
    /// The fields the rule reads (through `let`s too), in field order: its
    /// observed values in reports.
    pub reads: Vec<usize>,
}

/// `deduct AMOUNT per PER [up to MOST]`, compiled.
#[derive(Debug)]
pub struct Deduction {
    /// Points deducted per unit.
    pub amount: Decimal,
    /// How many units.
    pub per: Num,
    /// The most deducted.
    pub up_to: Option<Decimal>,
}

/// Why a checked standard cannot be evaluated (yet).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("{what} cannot be evaluated")]
#[diagnostic(
    code(yardstick::not_evaluable),
    help("this version of yardstick checks it but cannot evaluate it; see the README")
)]
pub struct NotEvaluable {
    /// What is not supported.
    pub what: String,
    /// Where.
    #[label("used here")]
    pub span: miette::SourceSpan,
}

/// Compiles a checked standard.
pub fn compile(standard: Arc<Standard>) -> Result<Program, NotEvaluable> {
    let compiler = Compiler {
        standard: &standard,
    };
    let choices = standard
        .fields
        .iter()
        .map(|f| match &f.ty {
            FieldType::OneOf(choices) => choices.clone(),
            _ => Vec::new(),
        })
        .collect();
    let lets = standard
        .lets
        .iter()
        .map(|l| compiler.any(&l.value))
        .collect::<Result<Vec<_>, _>>()?;
    let let_reads = fields_read_by_lets(&standard);
    let top_section = standard
        .sections
        .iter()
        .enumerate()
        .map(|(index, section)| section.parent.map_or(index, |p| p.0))
        .collect();
    let points_scale = standard
        .rules
        .iter()
        .flat_map(|r| {
            [
                Some(r.points.scale()),
                r.deduct.as_ref().map(|d| d.amount.scale()),
                r.deduct.as_ref().and_then(|d| d.up_to).map(|m| m.scale()),
            ]
        })
        .flatten()
        .max()
        .unwrap_or(0);
    let rules = standard
        .rules
        .iter()
        .map(|rule| compiler.rule(rule, &let_reads, points_scale))
        .collect::<Result<Vec<_>, _>>()?;
    // Every rule's points at the scale, bonus rules' too (a passed bonus
    // rule's points are summed the same way), and their sum.
    let points_fit = standard
        .rules
        .iter()
        .try_fold(0i128, |sum, rule| {
            sum.checked_add(fixed(rule.points, points_scale)?)
        })
        .is_some();
    let bands = standard
        .grades
        .iter()
        .map(|band| {
            band.condition
                .as_ref()
                .map(|c| compiler.boolean(c))
                .transpose()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut rank_groups = Vec::new();
    let mut section_scores = false;
    for band in &standard.grades {
        if let Some(condition) = &band.condition {
            condition.visit(&mut |e| match e.kind {
                ExprKind::Rank(group) if !rank_groups.contains(&group.map(|g| g.0)) => {
                    rank_groups.push(group.map(|g| g.0));
                }
                ExprKind::SectionScore(_) => section_scores = true,
                _ => {}
            });
        }
    }
    // An example that expects a section's score needs them too.
    section_scores |= standard.examples.iter().any(|example| {
        example
            .expectations
            .iter()
            .any(|e| matches!(e.kind, model::ExpectationKind::SectionScore(..)))
    });
    let grade_inputs = grade_inputs(&standard);
    let mut reads_outcomes = false;
    for rule in &standard.rules {
        for e in rule.expressions() {
            e.visit(&mut |e| reads_outcomes |= matches!(e.kind, ExprKind::RuleState(..)));
        }
    }
    let scripts = if standard.scripts.is_empty() {
        None
    } else {
        // The checker parsed every block already.
        let compiled = Scripts::compile(&standard.scripts).map_err(|failure| NotEvaluable {
            what: format!("a script that does not parse ({})", failure.message),
            span: standard.scripts[0].span.into(),
        })?;
        Some(Arc::new(compiled))
    };
    let order = standard.evaluation_order.clone();
    // The scorer writes each rule's outcome once a record, in this order.
    debug_assert!({
        let mut every = order.clone();
        every.sort_unstable();
        every == (0..standard.rules.len()).map(RuleId).collect::<Vec<_>>()
    });
    Ok(Program {
        scripts,
        reads_outcomes,
        grade_inputs,
        points_scale,
        points_fit,
        // Read only when the points fit, and then the sum does.
        possible_fixed: rules
            .iter()
            .try_fold(0i128, |sum, rule| sum.checked_add(rule.base_fixed))
            .unwrap_or(0),
        bonus_rules: (0..rules.len())
            .filter(|&r| rules[r].bonus)
            .map(RuleId)
            .collect(),
        cap: standard.cap,
        in_source_order: order.iter().enumerate().all(|(i, &rule)| i == rule.0),
        order,
        weighted: standard.is_weighted(),
        needs_sections: standard.is_weighted() || section_scores,
        choices,
        lets,
        rules,
        bands,
        top_section,
        rank_groups,
        standard,
    })
}

/// The rules whose outcomes the grade bands read, when the bands read
/// nothing else but constants, the points (`score`, `earned`, `possible`)
/// and the critical and veto flags; `None` when they read anything more (a
/// field, a `let`, a rank, a section's score, a script) or more than 30 rules.
fn grade_inputs(standard: &Standard) -> Option<Vec<RuleId>> {
    let mut rules = Vec::new();
    let mut only_totals = true;
    for condition in standard
        .grades
        .iter()
        .filter_map(|band| band.condition.as_ref())
    {
        condition.visit(&mut |e| match &e.kind {
            ExprKind::RuleState(_, rule) => rules.push(*rule),
            ExprKind::Const(_)
            | ExprKind::Not(_)
            | ExprKind::Neg(_)
            | ExprKind::Binary(..)
            | ExprKind::In { .. }
            | ExprKind::Between(..)
            | ExprKind::Score
            | ExprKind::Earned
            | ExprKind::Possible
            | ExprKind::NoCriticalFailed
            | ExprKind::AnyVetoFailed => {}
            _ => only_totals = false,
        });
    }
    rules.sort_unstable();
    rules.dedup();
    (only_totals && rules.len() <= 30).then_some(rules)
}

/// For each `let`, the fields it reads, directly or through earlier `let`s.
fn fields_read_by_lets(standard: &Standard) -> Vec<Vec<usize>> {
    let mut reads: Vec<Vec<usize>> = Vec::with_capacity(standard.lets.len());
    for definition in &standard.lets {
        let mut fields = Vec::new();
        direct_reads(&definition.value, &reads, &mut fields);
        reads.push(fields);
    }
    reads
}

/// The fields an expression reads, through `let`s already resolved in `let_reads`.
fn direct_reads(e: &model::Expr, let_reads: &[Vec<usize>], fields: &mut Vec<usize>) {
    e.visit(&mut |e| match e.kind {
        ExprKind::Field(f) => fields.push(f.0),
        ExprKind::Let(l) => fields.extend(let_reads.get(l.0).into_iter().flatten()),
        _ => {}
    });
    fields.sort_unstable();
    fields.dedup();
}

struct Compiler<'s> {
    standard: &'s Standard,
}

type Compiled<T> = Result<T, NotEvaluable>;

impl Compiler<'_> {
    fn rule(
        &self,
        rule: &model::Rule,
        let_reads: &[Vec<usize>],
        points_scale: u32,
    ) -> Compiled<Rule> {
        let mut reads = Vec::new();
        for e in rule.expressions() {
            direct_reads(e, let_reads, &mut reads);
        }
        let when = rule.when.as_ref().map(|w| self.boolean(w)).transpose()?;
        let require = match &rule.require {
            Some(require) => self.boolean(require)?,
            None => Bool::Const(true),
        };
        let credit = rule.credit.as_ref().map(|c| self.number(c)).transpose()?;
        let deduct = rule
            .deduct
            .as_ref()
            .map(|d| {
                Ok::<_, NotEvaluable>(Deduction {
                    amount: d.amount,
                    per: self.number(&d.per)?,
                    up_to: d.up_to,
                })
            })
            .transpose()?;
        let counts_once = match (&require, &deduct, &credit) {
            (Bool::Zero(true, _), None, None) => true,
            (Bool::Zero(true, counted), Some(deduct), None) => same_number(counted, &deduct.per),
            _ => false,
        };
        let shape = match credit {
            None => Shape::of(when.as_ref(), &require, deduct.as_ref()),
            Some(_) => Shape::General,
        };
        // When the points do not fit (`Program::points_fit` is false) the
        // value is never read: 0 stands in.
        let base_fixed = match rule.bonus {
            true => 0,
            false => fixed(rule.points, points_scale).unwrap_or(0),
        };
        Ok(Rule {
            shape,
            counts_once,
            when,
            require,
            points: rule.points,
            base_fixed,
            credit,
            deduct,
            section: rule.section.map(|s| s.0),
            bonus: rule.bonus,
            critical: rule.critical,
            veto: rule.veto,
            reads,
        })
    }

    fn any(&self, e: &model::Expr) -> Compiled<Any> {
        Ok(match e.ty {
            Type::Bool => Any::Bool(self.boolean(e)?),
            Type::Number => Any::Num(self.number(e)?),
            Type::Text => Any::Text(self.text(e)?),
            Type::Date => Any::Date(self.date(e)?),
            Type::Any => Any::Script(self.script_call(e)?),
        })
    }

    /// A call of a script function, its arguments compiled by their types.
    fn script_call(&self, e: &model::Expr) -> Compiled<ScriptCall> {
        let ExprKind::Script(function, args) = &e.kind else {
            return Err(self.unsupported(e));
        };
        Ok(ScriptCall {
            function: function.clone(),
            args: self.all(args, Self::any)?,
            span: e.span,
        })
    }

    fn unsupported(&self, e: &model::Expr) -> NotEvaluable {
        let what = match &e.kind {
            ExprKind::Script(name, _) => format!("script function `{name}`"),
            _ => "this expression".to_owned(),
        };
        NotEvaluable {
            what,
            span: e.span.into(),
        }
    }

    fn slot(&self, e: &model::Expr) -> Option<Slot> {
        match e.kind {
            ExprKind::Field(f) => Some(Slot::Field(f.0)),
            ExprKind::Let(l) => Some(Slot::Let(l.0)),
            _ => None,
        }
    }

    fn boolean(&self, e: &model::Expr) -> Compiled<Bool> {
        if let Some(slot) = self.slot(e) {
            return Ok(Bool::Slot(slot));
        }
        Ok(match &e.kind {
            ExprKind::Const(Value::Bool(b)) => Bool::Const(*b),
            ExprKind::Not(x) => Bool::Not(Box::new(self.boolean(x)?)),
            ExprKind::Binary(BinaryOp::And, a, b) => {
                Bool::And(Box::new(self.boolean(a)?), Box::new(self.boolean(b)?))
            }
            ExprKind::Binary(BinaryOp::Or, a, b) => {
                Bool::Or(Box::new(self.boolean(a)?), Box::new(self.boolean(b)?))
            }
            ExprKind::Binary(op, a, b) => {
                let Some(cmp) = Compare::of(*op) else {
                    return Err(self.unsupported(e));
                };
                self.comparison(cmp, a, b)?
            }
            ExprKind::In {
                negated,
                value,
                list,
            } => {
                if let Some(choices) = self.choice_list(value, list) {
                    return Ok(Bool::Choice(choices.0, choices.1, *negated));
                }
                match self.operand_type(value, list.iter()) {
                    Type::Number => Bool::InNumbers(
                        *negated,
                        self.number(value)?,
                        self.all(list, Self::number)?,
                    ),
                    Type::Text => {
                        Bool::InTexts(*negated, self.text(value)?, self.all(list, Self::text)?)
                    }
                    Type::Date => {
                        Bool::InDates(*negated, self.date(value)?, self.all(list, Self::date)?)
                    }
                    Type::Bool => Bool::InBools(
                        *negated,
                        Box::new(self.boolean(value)?),
                        self.all(list, Self::boolean)?,
                    ),
                    Type::Any => return Err(self.unsupported(e)),
                }
            }
            ExprKind::Between(x, low, high) => match self
                .operand_type(x, [low.as_ref(), high.as_ref()].into_iter())
            {
                Type::Date => Bool::BetweenDates(self.date(x)?, self.date(low)?, self.date(high)?),
                Type::Number => {
                    Bool::BetweenNumbers(self.number(x)?, self.number(low)?, self.number(high)?)
                }
                _ => return Err(self.unsupported(e)),
            },
            ExprKind::No(x) => match x.ty {
                Type::Bool => Bool::NoBool(Box::new(self.boolean(x)?)),
                Type::Number => Bool::NoNumber(self.number(x)?),
                _ => return Err(self.unsupported(e)),
            },
            ExprKind::Call(Builtin::Contains, args) => {
                Bool::Contains(self.text(&args[0])?, self.text(&args[1])?)
            }
            ExprKind::Call(Builtin::StartsWith, args) => {
                Bool::StartsWith(self.text(&args[0])?, self.text(&args[1])?)
            }
            ExprKind::RuleState(query, rule) => Bool::Rule(*query, rule.0),
            ExprKind::NoCriticalFailed => Bool::NoCriticalFailed,
            ExprKind::AnyVetoFailed => Bool::AnyVetoFailed,
            ExprKind::Script(..) => Bool::Script(self.script_call(e)?),
            _ => return Err(self.unsupported(e)),
        })
    }

    /// The type two sides of a comparison share (a constant's type fits any).
    fn operand_type<'e>(
        &self,
        first: &'e model::Expr,
        rest: impl Iterator<Item = &'e model::Expr>,
    ) -> Type {
        std::iter::once(first)
            .chain(rest)
            .map(|e| e.ty)
            .find(|ty| *ty != Type::Any)
            .unwrap_or(Type::Any)
    }

    fn all<T>(
        &self,
        list: &[model::Expr],
        each: fn(&Self, &model::Expr) -> Compiled<T>,
    ) -> Compiled<Vec<T>> {
        list.iter().map(|e| each(self, e)).collect()
    }

    /// `field == "a"`, `field in ("a", "b")` on a `one of` field: its index and the choice positions.
    fn choice_list(&self, value: &model::Expr, list: &[model::Expr]) -> Option<(usize, Vec<u16>)> {
        let ExprKind::Field(field) = value.kind else {
            return None;
        };
        let FieldType::OneOf(choices) = &self.standard.fields.get(field.0)?.ty else {
            return None;
        };
        let positions = list
            .iter()
            .map(|item| match &item.kind {
                ExprKind::Const(Value::Text(text)) => choices
                    .iter()
                    .position(|c| c == text)
                    .and_then(|p| u16::try_from(p).ok()),
                _ => None,
            })
            .collect::<Option<Vec<u16>>>()?;
        Some((field.0, positions))
    }

    fn comparison(&self, cmp: Compare, a: &model::Expr, b: &model::Expr) -> Compiled<Bool> {
        let equality = matches!(cmp, Compare::Eq | Compare::Ne);
        if equality {
            let negated = cmp == Compare::Ne;
            for (field, constant) in [(a, b), (b, a)] {
                if let Some((field, choices)) =
                    self.choice_list(field, std::slice::from_ref(constant))
                {
                    return Ok(Bool::Choice(field, choices, negated));
                }
            }
        }
        Ok(match self.operand_type(a, std::iter::once(b)) {
            Type::Number => match (&a.kind, &b.kind) {
                (_, ExprKind::Const(Value::Number(n))) if n.is_zero() && equality => {
                    Bool::Zero(cmp == Compare::Eq, self.number(a)?)
                }
                (_, ExprKind::Const(Value::Number(n))) => {
                    Ratio::shortcut(Bool::NumberWith(cmp, self.number(a)?, *n))
                }
                (ExprKind::Const(Value::Number(n)), _) => {
                    Ratio::shortcut(Bool::NumberWith(cmp.flipped(), self.number(b)?, *n))
                }
                _ => Bool::Numbers(cmp, self.number(a)?, self.number(b)?),
            },
            Type::Date => Bool::Dates(cmp, self.date(a)?, self.date(b)?),
            Type::Text if equality => Bool::Texts(cmp == Compare::Eq, self.text(a)?, self.text(b)?),
            Type::Bool if equality => Bool::Bools(
                cmp == Compare::Eq,
                Box::new(self.boolean(a)?),
                Box::new(self.boolean(b)?),
            ),
            Type::Any => {
                return Err(NotEvaluable {
                    what: "a comparison of two script results (whose types are known only when they run)"
                        .to_owned(),
                    span: a.span.to(b.span).into(),
                });
            }
            _ => return Err(self.unsupported(a)),
        })
    }

    fn number(&self, e: &model::Expr) -> Compiled<Num> {
        if let Some(slot) = self.slot(e) {
            return Ok(Num::Slot(slot));
        }
        let boxed = |x: &model::Expr| self.number(x).map(Box::new);
        if let ExprKind::Binary(op, a, b) = &e.kind
            && let Some(op) = op.arith()
        {
            return Ok(Num::Arith(op, boxed(a)?, boxed(b)?));
        }
        Ok(match &e.kind {
            ExprKind::Const(Value::Number(n)) => Num::Const(*n),
            ExprKind::Neg(x) => Num::Neg(boxed(x)?),
            ExprKind::Call(Builtin::Min, args) => Num::Min(self.all(args, Self::number)?),
            ExprKind::Call(Builtin::Max, args) => Num::Max(self.all(args, Self::number)?),
            ExprKind::Call(Builtin::Abs, args) => Num::Abs(boxed(&args[0])?),
            ExprKind::Call(Builtin::Round, args) => Num::Round(boxed(&args[0])?, boxed(&args[1])?),
            ExprKind::Call(Builtin::Len, args) => Num::Len(Box::new(self.text(&args[0])?)),
            ExprKind::Call(Builtin::Year, args) => Num::Year(Box::new(self.date(&args[0])?)),
            ExprKind::Call(Builtin::Month, args) => Num::Month(Box::new(self.date(&args[0])?)),
            ExprKind::Score => Num::Score,
            ExprKind::Earned => Num::Earned,
            ExprKind::Possible => Num::Possible,
            ExprKind::SectionScore(s) => Num::SectionScore(s.0),
            ExprKind::Rank(group) => Num::Rank(group.map(|g| g.0)),
            ExprKind::Script(..) => Num::Script(self.script_call(e)?),
            _ => return Err(self.unsupported(e)),
        })
    }

    fn text(&self, e: &model::Expr) -> Compiled<Text> {
        if let Some(slot) = self.slot(e) {
            return Ok(Text::Slot(slot));
        }
        Ok(match &e.kind {
            ExprKind::Const(Value::Text(t)) => Text::Const(t.clone()),
            ExprKind::Call(Builtin::Lower, args) => Text::Lower(Box::new(self.text(&args[0])?)),
            ExprKind::Call(Builtin::Upper, args) => Text::Upper(Box::new(self.text(&args[0])?)),
            ExprKind::Script(..) => Text::Script(self.script_call(e)?),
            _ => return Err(self.unsupported(e)),
        })
    }

    fn date(&self, e: &model::Expr) -> Compiled<Date_> {
        if let Some(slot) = self.slot(e) {
            return Ok(Date_::Slot(slot));
        }
        match &e.kind {
            ExprKind::Const(Value::Date(d)) => Ok(Date_::Const(*d)),
            ExprKind::Script(..) => Ok(Date_::Script(self.script_call(e)?)),
            _ => Err(self.unsupported(e)),
        }
    }
}
