//! Rules: each id declared, its flags and clauses checked (conditions,
//! points, variable points, deductions, texts), and the rules ordered so
//! that a rule comes after the rules whose outcome it reads.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::check::errors::CheckError;
use crate::check::expressions::{self, Context};
use crate::check::messages::describe_cycle;
use crate::check::model::{self, RuleId, SectionId, Type};
use crate::check::order::{self, Order};
use crate::check::{Checker, Declared};
use crate::syntax::ast;
use crate::syntax::span::{Span, Spanned};

/// How `deduct ... per` is written, for a help.
const DEDUCT_EXAMPLE: &str = "deduct per a count, e.g. `deduct 1 per exposed_waste`";
/// How variable points are written, for a help.
const CREDIT_EXAMPLE: &str =
    "compute the points from numbers, e.g. `points 0.5 * activities up to 2`";

/// A rule of the file with the section it is in.
pub(super) struct PendingRule<'a> {
    pub(super) rule: &'a ast::Rule,
    pub(super) section: Option<SectionId>,
}

impl Checker {
    pub(super) fn declare_rule<'a>(
        &mut self,
        rule: &'a ast::Rule,
        section: Option<SectionId>,
        rules: &mut Vec<PendingRule<'a>>,
    ) {
        if let Some(first) = self.rule_names.get(&rule.id.node) {
            self.report(CheckError::DuplicateId {
                what: "rule",
                id: rule.id.node.clone(),
                span: rule.id.span.into(),
                first: first.span.into(),
            });
            return;
        }
        self.rule_names.insert(
            rule.id.node.clone(),
            Declared {
                id: RuleId(rules.len()),
                span: rule.id.span,
            },
        );
        rules.push(PendingRule { rule, section });
    }

    /// Checks one rule's flags and clauses.
    pub(super) fn rule(&mut self, pending: &PendingRule<'_>) -> Option<model::Rule> {
        let rule = pending.rule;
        let mut flags: HashMap<ast::RuleFlag, Span> = HashMap::new();
        for flag in &rule.flags {
            if let Some(first) = flags.insert(flag.node, flag.span) {
                self.report(CheckError::DuplicateEntry {
                    name: flag.node.keyword().to_owned(),
                    place: format!(" in rule `{}`", rule.id.node),
                    span: flag.span.into(),
                    first: first.into(),
                });
            }
        }
        self.rule_reads.clear();
        let short;
        let clauses: &[ast::Clause] = match &rule.body {
            ast::RuleBody::Block(clauses) => clauses,
            ast::RuleBody::Short(condition) => {
                short = [ast::Clause {
                    kind: ast::ClauseKind::Require(condition.clone()),
                    span: condition.span,
                }];
                &short
            }
        };
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        let mut ok = true;
        let mut when = None;
        let mut require = None;
        let mut points = None;
        let mut credit = None;
        let mut variable_points_span = None;
        let mut deduct = None;
        let mut deduct_span = None;
        let mut texts: HashMap<&'static str, String> = HashMap::new();
        for clause in clauses {
            let keyword = clause.kind.keyword();
            if let Some(first) = seen.insert(keyword, clause.span) {
                self.report(CheckError::DuplicateEntry {
                    name: keyword.to_owned(),
                    place: format!(" in rule `{}`", rule.id.node),
                    span: clause.span.into(),
                    first: first.into(),
                });
                continue;
            }
            match &clause.kind {
                ast::ClauseKind::When(e) => {
                    when = self.condition(e, "when", Context::Rule);
                    ok &= when.is_some();
                }
                ast::ClauseKind::Require(e) => {
                    require = self.condition(e, "require", Context::Rule);
                    ok &= require.is_some();
                }
                ast::ClauseKind::Points(n) => points = Some(n.node),
                ast::ClauseKind::VariablePoints {
                    credit: expression,
                    up_to,
                } => {
                    points = Some(up_to.node);
                    variable_points_span = Some(clause.span);
                    credit = self.numeric(expression, "points ... up to", CREDIT_EXAMPLE);
                    ok &= credit.is_some();
                }
                ast::ClauseKind::Deduct { amount, per, up_to } => {
                    deduct_span = Some(clause.span);
                    deduct = self.deduct_amount(amount, per, up_to.as_ref());
                    ok &= deduct.is_some();
                }
                ast::ClauseKind::Remedy(t)
                | ast::ClauseKind::Ref(t)
                | ast::ClauseKind::Note(t)
                | ast::ClauseKind::Owner(t) => {
                    texts.insert(keyword, t.node.clone());
                }
            }
        }
        if let (Some(points), Some(deduct)) = (variable_points_span, deduct_span) {
            self.report(CheckError::VariablePointsDeduct {
                id: rule.id.node.clone(),
                span: deduct.into(),
                points: points.into(),
            });
            return None;
        }
        // With variable points, `require` may be left out: then it holds.
        if !seen.contains_key("require") && variable_points_span.is_none() {
            self.report(CheckError::MissingRequire {
                id: rule.id.node.clone(),
                span: rule.id.span.into(),
            });
            return None;
        }
        if !ok {
            return None;
        }
        Some(model::Rule {
            id: rule.id.node.clone(),
            title: rule
                .title
                .as_ref()
                .map_or_else(|| rule.id.node.clone(), |t| t.node.clone()),
            section: pending.section,
            critical: flags.contains_key(&ast::RuleFlag::Critical),
            veto: flags.contains_key(&ast::RuleFlag::Veto),
            bonus: flags.contains_key(&ast::RuleFlag::Bonus),
            when,
            require,
            points: points.unwrap_or(Decimal::ONE),
            points_given: points.is_some(),
            credit,
            deduct,
            remedy: texts.remove("remedy"),
            reference: texts.remove("ref"),
            note: texts.remove("note"),
            owner: texts.remove("owner"),
            id_span: rule.id.span,
            span: rule.span,
        })
    }

    fn deduct_amount(
        &mut self,
        amount: &Spanned<Decimal>,
        per: &ast::Expr,
        up_to: Option<&Spanned<Decimal>>,
    ) -> Option<model::Deduct> {
        let per = self.numeric(per, "deduct ... per", DEDUCT_EXAMPLE)?;
        Some(model::Deduct {
            amount: amount.node,
            per,
            up_to: up_to.map(|most| most.node),
        })
    }

    /// A rule's expression that must be a number (what a deduction counts,
    /// variable points); reported when it is not.
    fn numeric(
        &mut self,
        e: &ast::Expr,
        clause: &'static str,
        help: &'static str,
    ) -> Option<model::Expr> {
        let e = self.expr(e, Context::Rule)?;
        if !matches!(e.ty, Type::Number | Type::Any) {
            self.report(CheckError::NotNumeric {
                clause,
                found: e.ty.to_string(),
                help,
                span: e.span.into(),
            });
            return None;
        }
        Some(e)
    }

    /// Orders rules so that a rule comes after the rules whose outcome it reads.
    pub(super) fn rule_order(
        &mut self,
        pending: &[PendingRule<'_>],
        rules: &[Option<model::Rule>],
    ) -> Option<Vec<RuleId>> {
        let dependencies: Vec<Vec<usize>> = rules
            .iter()
            .map(|rule| {
                let mut reads = Vec::new();
                if let Some(rule) = rule {
                    for e in rule.expressions() {
                        expressions::rules_read(e, &mut reads);
                    }
                }
                reads.into_iter().map(|r| r.0).collect()
            })
            .collect();
        match order::topological(&dependencies) {
            Order::Sorted(order) => Some(order.into_iter().map(RuleId).collect()),
            Order::Cycle(cycle) => {
                let path = describe_cycle(&cycle, |i| pending[i].rule.id.node.as_str(), "reads");
                let first = &pending[cycle[0]].rule.id;
                self.report(CheckError::Cycle {
                    what: "rule",
                    name: first.node.clone(),
                    path,
                    span: first.span.into(),
                });
                None
            }
        }
    }
}
