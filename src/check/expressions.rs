//! Expressions: names resolved to slots, operands and results typed.
//!
//! An expression with an error yields `None`; its parents then stay silent, so
//! one mistake is reported once. Recursion follows the tree, whose depth the
//! parser has already bounded.
//!
//! Over 600 lines on purpose: one walk over the tree, each kind of
//! expression typed beside the others. The names it looks up are `names`,
//! its messages are worded in `errors`; it never calls back into
//! `declarations`.

use rust_decimal::Decimal;

use super::Checker;
use super::errors::{CheckError, Mismatch, Operator, RollupProblem};
use super::messages::{backticked, choice_help};
use super::model::{self, Builtin, ExprKind, RuleQuery, Type};
use super::names::RESERVED_NAMES;
use crate::suggest::closest;
use crate::syntax::ast::{self, BinaryOp, UnaryOp};
use crate::syntax::span::Span;

/// Where an expression stands, which decides the names it may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// A rule's `when`, `require` or `deduct`.
    Rule,
    /// A `let` definition.
    Let,
    /// A grade band's condition: scores and ranks are known.
    Grade,
    /// A roll-up's grade band: a unit's final score, rank and `top`.
    RollupGrade,
}

/// Functions that take a rule id.
pub const RULE_QUERIES: [(&str, RuleQuery); 3] = [
    ("passed", RuleQuery::Passed),
    ("failed", RuleQuery::Failed),
    ("applicable", RuleQuery::Applicable),
];

/// The value of a constant written in a standard.
pub fn constant(literal: &ast::Literal) -> model::Value {
    match literal {
        ast::Literal::Number(n) => model::Value::Number(*n),
        ast::Literal::Percent(n) => model::Value::Number(n / Decimal::ONE_HUNDRED),
        ast::Literal::Text(t) => model::Value::Text(t.clone()),
        ast::Literal::Bool(b) => model::Value::Bool(*b),
        ast::Literal::Date(d) => model::Value::Date(*d),
    }
}

/// Every plain name an expression mentions (not function names).
pub fn names_in<'a>(e: &'a ast::Expr, names: &mut Vec<&'a str>) {
    match &e.kind {
        ast::ExprKind::Name(name) => names.push(name),
        ast::ExprKind::Literal(_)
        | ast::ExprKind::NoCriticalFailed
        | ast::ExprKind::AnyVetoFailed
        | ast::ExprKind::RankWithin(_)
        | ast::ExprKind::Top(_) => {}
        ast::ExprKind::Call { args, .. } => args.iter().for_each(|a| names_in(a, names)),
        ast::ExprKind::Unary { operand: x, .. }
        | ast::ExprKind::No(x)
        | ast::ExprKind::Paren(x) => names_in(x, names),
        ast::ExprKind::Binary { left, right, .. } => {
            names_in(left, names);
            names_in(right, names);
        }
        ast::ExprKind::In { value, list, .. } => {
            names_in(value, names);
            list.iter().for_each(|a| names_in(a, names));
        }
        ast::ExprKind::Between { value, low, high } => {
            names_in(value, names);
            names_in(low, names);
            names_in(high, names);
        }
    }
}

/// The rules whose outcome a checked expression reads.
pub fn rules_read(e: &model::Expr, rules: &mut Vec<model::RuleId>) {
    e.visit(&mut |e| {
        if let ExprKind::RuleState(_, id) = e.kind {
            rules.push(id);
        }
    });
}

fn typed(kind: ExprKind, ty: Type, span: Span) -> model::Expr {
    model::Expr { kind, ty, span }
}

/// Whether a value of type `found` may stand where `wanted` is needed.
fn fits(found: Type, wanted: Type) -> bool {
    found == wanted || found == Type::Any || wanted == Type::Any
}

impl Checker {
    /// Checks a condition: an expression that must be true or false.
    pub(super) fn condition(
        &mut self,
        e: &ast::Expr,
        clause: &'static str,
        context: Context,
    ) -> Option<model::Expr> {
        let checked = self.expr(e, context)?;
        if !fits(checked.ty, Type::Bool) {
            self.report(CheckError::NotBoolean {
                clause,
                found: checked.ty.to_string(),
                span: checked.span.into(),
            });
            return None;
        }
        Some(checked)
    }

    /// Resolves and types an expression.
    pub(super) fn expr(&mut self, e: &ast::Expr, context: Context) -> Option<model::Expr> {
        let span = e.span;
        match &e.kind {
            ast::ExprKind::Literal(literal) => {
                let value = constant(literal);
                let ty = value.ty();
                Some(typed(ExprKind::Const(value), ty, span))
            }
            ast::ExprKind::Paren(inner) => self.expr(inner, context),
            ast::ExprKind::Name(name) => self.name(name, span, context),
            ast::ExprKind::Call { name, args } => self.call(name, args, span, context),
            ast::ExprKind::Unary { op, operand } => {
                let operand = self.expr(operand, context)?;
                let operator = match op.node {
                    UnaryOp::Not => Operator::Not,
                    UnaryOp::Neg => Operator::Neg,
                };
                self.expect_type(&operand, operator)?;
                let kind = match op.node {
                    UnaryOp::Not => ExprKind::Not(Box::new(operand)),
                    UnaryOp::Neg => ExprKind::Neg(Box::new(operand)),
                };
                Some(typed(kind, operator.operand_type(), span))
            }
            ast::ExprKind::Binary { op, left, right } => {
                let left_checked = self.expr(left, context);
                let right_checked = self.expr(right, context);
                self.binary(op.node, left_checked?, right_checked?, span)
            }
            ast::ExprKind::In {
                negated,
                value,
                list,
            } => {
                let value = self.expr(value, context);
                let list: Vec<Option<model::Expr>> =
                    list.iter().map(|x| self.expr(x, context)).collect();
                let value = value?;
                let list: Vec<model::Expr> = list.into_iter().collect::<Option<_>>()?;
                for item in &list {
                    if !fits(item.ty, value.ty) {
                        self.report(CheckError::type_mismatch(
                            Mismatch::ListItem {
                                value: value.ty,
                                found: item.ty,
                            },
                            item.span,
                        ));
                        return None;
                    }
                    self.check_choice(&value, item)?;
                }
                Some(typed(
                    ExprKind::In {
                        negated: *negated,
                        value: Box::new(value),
                        list,
                    },
                    Type::Bool,
                    span,
                ))
            }
            ast::ExprKind::Between { value, low, high } => {
                let value = self.expr(value, context);
                let low = self.expr(low, context);
                let high = self.expr(high, context);
                let (value, low, high) = (value?, low?, high?);
                for bound in [&value, &low, &high] {
                    if !matches!(bound.ty, Type::Number | Type::Date | Type::Any) {
                        self.report(CheckError::type_mismatch(
                            Mismatch::Between { found: bound.ty },
                            bound.span,
                        ));
                        return None;
                    }
                }
                for bound in [&low, &high] {
                    if !fits(bound.ty, value.ty) {
                        self.report(mismatch(&value, bound));
                        return None;
                    }
                    self.lint_percent_scale(&value, bound);
                }
                Some(typed(
                    ExprKind::Between(Box::new(value), Box::new(low), Box::new(high)),
                    Type::Bool,
                    span,
                ))
            }
            ast::ExprKind::No(operand) => {
                let operand = self.expr(operand, context)?;
                if !matches!(operand.ty, Type::Number | Type::Bool | Type::Any) {
                    self.report(CheckError::type_mismatch(
                        Mismatch::No { found: operand.ty },
                        operand.span,
                    ));
                    return None;
                }
                Some(typed(ExprKind::No(Box::new(operand)), Type::Bool, span))
            }
            ast::ExprKind::NoCriticalFailed => self.grade_only(
                "no critical failed",
                span,
                context,
                ExprKind::NoCriticalFailed,
                Type::Bool,
            ),
            ast::ExprKind::AnyVetoFailed => self.grade_only(
                "any veto failed",
                span,
                context,
                ExprKind::AnyVetoFailed,
                Type::Bool,
            ),
            ast::ExprKind::Top(quota) => self.top(*quota, span, context),
            ast::ExprKind::RankWithin(field) => {
                let id = self.known_field(field)?;
                self.grade_only(
                    "rank within",
                    span,
                    context,
                    ExprKind::Rank(Some(id)),
                    Type::Number,
                )
            }
        }
    }

    fn grade_only(
        &mut self,
        name: &str,
        span: Span,
        context: Context,
        kind: ExprKind,
        ty: Type,
    ) -> Option<model::Expr> {
        if !matches!(context, Context::Grade | Context::RollupGrade) {
            self.report(CheckError::GradeOnly {
                name: name.to_owned(),
                span: span.into(),
            });
            return None;
        }
        Some(typed(kind, ty, span))
    }

    /// `top 10%` or `top 3`: in a roll-up's grades, a share above 0 and at
    /// most 100%, or a whole number.
    fn top(&mut self, quota: ast::Quota, span: Span, context: Context) -> Option<model::Expr> {
        if context != Context::RollupGrade {
            self.report(CheckError::rollup(RollupProblem::TopOutsideRollup, span));
            return None;
        }
        let quota = match quota {
            ast::Quota::Percent(share)
                if share > Decimal::ZERO && share <= Decimal::ONE_HUNDRED =>
            {
                Some(model::Quota::Share(share / Decimal::ONE_HUNDRED))
            }
            ast::Quota::Count(count) if count.is_integer() && count >= Decimal::ONE => {
                u64::try_from(count).ok().map(model::Quota::Count)
            }
            _ => None,
        };
        let Some(quota) = quota else {
            self.report(CheckError::rollup(RollupProblem::TopQuota, span));
            return None;
        };
        Some(typed(ExprKind::Top(quota), Type::Bool, span))
    }

    fn name(&mut self, name: &str, span: Span, context: Context) -> Option<model::Expr> {
        if let Some(declared) = self.field_names.get(name) {
            let id = declared.id;
            self.field_used[id.0] = true;
            if self.poisoned_fields.contains(name) {
                return None;
            }
            if self.fields[id.0].info {
                let field = &self.fields[id.0];
                self.report(CheckError::InfoFieldRead {
                    name: name.to_owned(),
                    span: span.into(),
                    declared: field.span.into(),
                    help: format!(
                        "remove `info` from `{name}` in `fields` to let rules read it (a blank cell is then a data error unless it is `{}?`)",
                        field.ty.describe()
                    ),
                });
                return None;
            }
            let ty = self.fields[id.0].ty.value_type();
            return Some(typed(ExprKind::Field(id), ty, span));
        }
        if let Some(declared) = self.let_names.get(name) {
            let id = declared.id;
            self.let_used[id.0] = true;
            self.let_reads.push(id);
            // Lets are checked in dependency order, so a let read here is
            // already typed; `None` means its own definition had an error.
            let ty = self.let_types.get(id.0).copied().flatten()?;
            return Some(typed(ExprKind::Let(id), ty, span));
        }
        let grade_name = match name {
            "score" => Some(ExprKind::Score),
            "earned" => Some(ExprKind::Earned),
            "possible" => Some(ExprKind::Possible),
            "rank" => Some(ExprKind::Rank(None)),
            _ => None,
        };
        if let Some(kind) = grade_name {
            return self.grade_only(name, span, context, kind, Type::Number);
        }
        let extra: &[&str] = if context == Context::Grade {
            &RESERVED_NAMES
        } else {
            &[]
        };
        let help = self.unknown_name_help(name, extra);
        self.report(CheckError::UnknownField {
            name: name.to_owned(),
            span: span.into(),
            help,
        });
        None
    }

    fn call(
        &mut self,
        name: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
        context: Context,
    ) -> Option<model::Expr> {
        if let Some(&(_, query)) = RULE_QUERIES.iter().find(|(n, _)| *n == name.node) {
            let id = self.id_argument(&name.node, args, span)?;
            let rule = self.known_rule(&id.0, id.1)?;
            return Some(typed(ExprKind::RuleState(query, rule), Type::Bool, span));
        }
        if name.node == "section_score" {
            let (id, id_span) = self.id_argument(&name.node, args, span)?;
            let section = self.known_section(&id, id_span)?;
            return self.grade_only(
                "section_score",
                span,
                context,
                ExprKind::SectionScore(section),
                Type::Number,
            );
        }
        if let Some(report) = self.label_called(name, args, span) {
            self.report(report);
            return None;
        }
        let checked: Vec<Option<model::Expr>> =
            args.iter().map(|a| self.expr(a, context)).collect();
        let args: Vec<model::Expr> = checked.into_iter().collect::<Option<_>>()?;
        if let Some(&(_, builtin)) = Builtin::ALL.iter().find(|(n, _)| *n == name.node) {
            return self.builtin(builtin, &name.node, args, span);
        }
        if let Some(&arity) = self.script_functions.get(&name.node) {
            self.arity(&name.node, arity.to_string(), arity, args.len(), span)?;
            return Some(typed(
                ExprKind::Script(name.node.clone(), args),
                Type::Any,
                span,
            ));
        }
        if self.scripts_unparsed {
            // A script block did not parse: its functions are not known, and
            // the syntax error says so already.
            return None;
        }
        let mut known: Vec<&str> = Builtin::ALL.iter().map(|(n, _)| *n).collect();
        known.extend(RULE_QUERIES.iter().map(|(n, _)| *n));
        known.push("section_score");
        let mut scripts: Vec<&str> = self.script_functions.keys().map(String::as_str).collect();
        scripts.sort_unstable();
        known.extend(scripts);
        let help = match closest(&name.node, known.iter().copied()) {
            Some(n) => Some(format!("did you mean `{n}`?")),
            None => Some(format!(
                "the built-in functions are {}",
                backticked(&Builtin::ALL.map(|(n, _)| n))
            )),
        };
        self.report(CheckError::UnknownFunction {
            name: name.node.clone(),
            span: name.span.into(),
            help,
        });
        None
    }

    /// A label with brackets used as a name, `暴露垃圾(處)`, reads as a call
    /// of `暴露垃圾` with `處`: said as the label it is, rather than as an
    /// unknown field `處` or function `暴露垃圾`.
    fn label_called(
        &self,
        name: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> Option<CheckError> {
        let is_function = Builtin::ALL.iter().any(|(n, _)| *n == name.node)
            || self.script_functions.contains_key(&name.node);
        if is_function {
            return None;
        }
        let mut inside = Vec::with_capacity(args.len());
        for arg in args {
            match &arg.kind {
                ast::ExprKind::Name(word) => inside.push(word.clone()),
                ast::ExprKind::Literal(ast::Literal::Number(number)) => {
                    inside.push(number.to_string());
                }
                _ => return None,
            }
        }
        let written = format!("{}({})", name.node, inside.join(","));
        let field = self.field_labelled(&written)?;
        Some(CheckError::UnknownField {
            help: Some(format!(
                "`{written}` is the label of field `{field}`; use the field's name"
            )),
            name: written,
            span: span.into(),
        })
    }

    /// The single bare id that `passed`, `failed`, `applicable` and `section_score` take.
    fn id_argument(
        &mut self,
        function: &str,
        args: &[ast::Expr],
        span: Span,
    ) -> Option<(String, Span)> {
        match args {
            [
                ast::Expr {
                    kind: ast::ExprKind::Name(id),
                    span,
                },
            ] => Some((id.clone(), *span)),
            [other] => {
                self.report(CheckError::ExpectedId {
                    function: function.to_owned(),
                    span: other.span.into(),
                });
                None
            }
            _ => {
                self.arity(function, "1 argument".to_owned(), 1, args.len(), span)?;
                None
            }
        }
    }

    fn arity(
        &mut self,
        name: &str,
        expected: String,
        wanted: usize,
        found: usize,
        span: Span,
    ) -> Option<()> {
        if wanted == found {
            return Some(());
        }
        let expected = if expected.chars().all(|c| c.is_ascii_digit()) {
            plural(wanted, "argument")
        } else {
            expected
        };
        self.report(CheckError::WrongArity {
            name: name.to_owned(),
            expected,
            found: if found == 1 {
                "1 was".to_owned()
            } else {
                format!("{found} were")
            },
            span: span.into(),
        });
        None
    }

    fn builtin(
        &mut self,
        builtin: Builtin,
        name: &str,
        args: Vec<model::Expr>,
        span: Span,
    ) -> Option<model::Expr> {
        let (params, result) = builtin.signature();
        if builtin.is_variadic() {
            if args.is_empty() {
                self.report(CheckError::WrongArity {
                    name: name.to_owned(),
                    expected: "at least 1 argument".to_owned(),
                    found: "0 were".to_owned(),
                    span: span.into(),
                });
                return None;
            }
        } else {
            self.arity(
                name,
                params.len().to_string(),
                params.len(),
                args.len(),
                span,
            )?;
        }
        for (index, arg) in args.iter().enumerate() {
            let wanted = params[index.min(params.len() - 1)];
            if !fits(arg.ty, wanted) {
                self.report(CheckError::type_mismatch(
                    Mismatch::Argument {
                        function: name.to_owned(),
                        wanted,
                        found: arg.ty,
                    },
                    arg.span,
                ));
                return None;
            }
        }
        Some(typed(ExprKind::Call(builtin, args), result, span))
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        left: model::Expr,
        right: model::Expr,
        span: Span,
    ) -> Option<model::Expr> {
        let result = match op {
            BinaryOp::And | BinaryOp::Or => {
                let operator = if op == BinaryOp::And {
                    Operator::And
                } else {
                    Operator::Or
                };
                self.expect_type(&left, operator)?;
                self.expect_type(&right, operator)?;
                Type::Bool
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                for operand in [&left, &right] {
                    if !fits(operand.ty, Type::Number) {
                        self.report(CheckError::type_mismatch(
                            Mismatch::Arithmetic { found: operand.ty },
                            operand.span,
                        ));
                        return None;
                    }
                }
                Type::Number
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                if !fits(left.ty, right.ty) {
                    self.report(mismatch(&left, &right));
                    return None;
                }
                self.check_choice(&left, &right)?;
                self.check_choice(&right, &left)?;
                self.lint_percent_scale(&left, &right);
                Type::Bool
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                for operand in [&left, &right] {
                    if !matches!(operand.ty, Type::Number | Type::Date | Type::Any) {
                        self.report(CheckError::type_mismatch(
                            Mismatch::Ordering {
                                operator: op,
                                found: operand.ty,
                            },
                            operand.span,
                        ));
                        return None;
                    }
                }
                if !fits(left.ty, right.ty) {
                    self.report(mismatch(&left, &right));
                    return None;
                }
                self.lint_percent_scale(&left, &right);
                self.lint_percent_scale(&right, &left);
                Type::Bool
            }
        };
        Some(typed(
            ExprKind::Binary(op, Box::new(left), Box::new(right)),
            result,
            span,
        ))
    }

    /// An operand of `not`, `-`, `and` or `or` must be of the type it takes.
    fn expect_type(&mut self, operand: &model::Expr, operator: Operator) -> Option<()> {
        if fits(operand.ty, operator.operand_type()) {
            return Some(());
        }
        self.report(CheckError::type_mismatch(
            Mismatch::Operand {
                operator,
                found: operand.ty,
            },
            operand.span,
        ));
        None
    }

    /// A text constant compared with a `one of` field must be one of its values.
    fn check_choice(&mut self, field: &model::Expr, other: &model::Expr) -> Option<()> {
        let (ExprKind::Field(id), ExprKind::Const(model::Value::Text(text))) =
            (&field.kind, &other.kind)
        else {
            return Some(());
        };
        let field = &self.fields[id.0];
        let model::FieldType::OneOf(choices) = &field.ty else {
            return Some(());
        };
        if choices.contains(text) {
            return Some(());
        }
        let help = choice_help(text, choices);
        self.report(CheckError::NotAChoice {
            value: text.clone(),
            field: field.name.clone(),
            span: other.span.into(),
            help,
        });
        None
    }

    /// Warns about `percent_field >= 30`, which means 3000%.
    fn lint_percent_scale(&mut self, field: &model::Expr, other: &model::Expr) {
        let (ExprKind::Field(id), ExprKind::Const(model::Value::Number(n))) =
            (&field.kind, &other.kind)
        else {
            return;
        };
        if self.fields[id.0].ty == model::FieldType::Percent && *n > Decimal::ONE {
            self.report(CheckError::PercentScale {
                field: self.fields[id.0].name.clone(),
                number: n.to_string(),
                span: other.span.into(),
            });
        }
    }
}

/// Two values that cannot be compared with each other.
fn mismatch(left: &model::Expr, right: &model::Expr) -> CheckError {
    CheckError::type_mismatch(
        Mismatch::Compared {
            left: left.ty,
            right: right.ty,
        },
        left.span.to(right.span),
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
