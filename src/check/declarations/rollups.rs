//! `rollup` blocks (SPEC §8): the period, the method field, the levels
//! (names, periods, terms and weights, finest first), repeats, the grades
//! over a unit's final score, and targets over rule outcomes.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::check::Checker;
use crate::check::errors::{CheckError, RollupProblem};
use crate::check::expressions::Context;
use crate::check::messages::{backticked, choice_help};
use crate::check::model::{self, Calendar, FieldId, Periods};
use crate::suggest::closest;
use crate::syntax::ast;
use crate::syntax::span::Span;

/// The functions a target may call: rule outcomes and pure built-ins.
const TARGET_CALLS: [&str; 3] = ["passed", "failed", "applicable"];

impl Checker {
    /// Checks every `rollup` block. `dated_by` dates inspections for
    /// calendar periods; `edition` is the edition's own `effective`..`until`,
    /// the period of a roll-up that gives none.
    pub(super) fn rollups(
        &mut self,
        file: &ast::File,
        dated_by: Option<FieldId>,
        edition: model::Period,
    ) -> Vec<model::Rollup> {
        let mut names: HashMap<&str, Span> = HashMap::new();
        let mut rollups = Vec::new();
        for item in &file.items {
            let ast::Item::Rollup(rollup) = item else {
                continue;
            };
            self.rollup_names.push(rollup.name.node.clone());
            if names.insert(&rollup.name.node, rollup.name.span).is_some() {
                self.report(CheckError::rollup(
                    RollupProblem::NameTwice {
                        what: "roll-up",
                        name: rollup.name.node.clone(),
                    },
                    rollup.name.span,
                ));
            }
            if let Some(checked) = self.rollup(rollup, dated_by, edition) {
                rollups.push(checked);
            }
        }
        rollups
    }

    fn rollup(
        &mut self,
        rollup: &ast::Rollup,
        dated_by: Option<FieldId>,
        edition: model::Period,
    ) -> Option<model::Rollup> {
        let mut period: Option<(model::Period, Span)> = None;
        let mut method: Option<(Option<FieldId>, Span)> = None;
        let mut levels: Vec<model::Level> = Vec::new();
        let mut level_spans: Vec<Span> = Vec::new();
        let mut repeats = Vec::new();
        let mut grades: Option<(Vec<model::Band>, Span)> = None;
        let mut targets = Vec::new();
        let mut target_names: HashMap<&str, Span> = HashMap::new();
        let mut broken = false;
        // `method` may come after the levels that weigh methods: find it first.
        for line in &rollup.lines {
            if let ast::RollupLine::Method(field, span) = line {
                if method.is_some() {
                    self.line_twice("method", *span);
                    continue;
                }
                method = Some((self.method_field(field), *span));
            }
        }
        for line in &rollup.lines {
            match line {
                ast::RollupLine::Period { from, to, span } => {
                    if period.is_some() {
                        self.line_twice("period", *span);
                        continue;
                    }
                    if to.node < from.node {
                        self.report(CheckError::rollup(RollupProblem::PeriodBackwards, *span));
                        broken = true;
                    }
                    if dated_by.is_none() {
                        self.report(CheckError::RollupUndated {
                            level: "period".to_owned(),
                            span: (*span).into(),
                        });
                        broken = true;
                    }
                    let bounds = model::Period {
                        from: Some(from.node),
                        to: Some(to.node),
                    };
                    period = Some((bounds, *span));
                }
                ast::RollupLine::Method(..) => {}
                ast::RollupLine::Level(level) => {
                    match self.level(level, &levels, method.as_ref().map(|m| m.0), dated_by) {
                        Some(checked) => {
                            if levels.iter().any(|l| l.name == checked.name) {
                                self.report(CheckError::rollup(
                                    RollupProblem::NameTwice {
                                        what: "level",
                                        name: checked.name.clone(),
                                    },
                                    level.name.span,
                                ));
                                broken = true;
                            }
                            levels.push(checked);
                            level_spans.push(level.span);
                        }
                        None => broken = true,
                    }
                }
                ast::RollupLine::Repeat(repeat) => match self.repeat(repeat, &levels) {
                    Some(checked) => repeats.push(checked),
                    None => broken = true,
                },
                ast::RollupLine::Grades(block) => {
                    if grades.is_some() {
                        self.report(CheckError::InvalidGrades {
                            problem: crate::check::errors::GradesProblem::GivenTwice,
                            span: block.span.into(),
                        });
                        continue;
                    }
                    let offending = offending_names(
                        block.bands.iter().filter_map(|b| b.condition.as_ref()),
                        Reads::Grade,
                    );
                    if offending.is_empty() {
                        grades = Some((self.bands(block, Context::RollupGrade), block.span));
                    } else {
                        for (name, span) in offending {
                            self.report(CheckError::rollup(
                                RollupProblem::GradeReads { name },
                                span,
                            ));
                        }
                        broken = true;
                    }
                }
                ast::RollupLine::Target(target) => {
                    if target_names
                        .insert(&target.name.node, target.name.span)
                        .is_some()
                    {
                        self.report(CheckError::rollup(
                            RollupProblem::NameTwice {
                                what: "target",
                                name: target.name.node.clone(),
                            },
                            target.name.span,
                        ));
                    }
                    let offending = offending_names([&target.condition].into_iter(), Reads::Target);
                    for (name, span) in &offending {
                        self.report(CheckError::rollup(
                            RollupProblem::TargetReads { name: name.clone() },
                            *span,
                        ));
                    }
                    if !offending.is_empty() {
                        broken = true;
                        continue;
                    }
                    match self.condition(&target.condition, "target", Context::Grade) {
                        Some(condition) => targets.push(model::Target {
                            name: target.name.node.clone(),
                            by: target.by.node,
                            condition,
                            span: target.span,
                        }),
                        None => broken = true,
                    }
                }
            }
        }
        if levels.is_empty() && !broken {
            self.report(CheckError::rollup(
                RollupProblem::NoLevel {
                    rollup: rollup.name.node.clone(),
                },
                rollup.name.span,
            ));
            return None;
        }
        if broken {
            return None;
        }
        Some(model::Rollup {
            name: rollup.name.node.clone(),
            title: rollup
                .title
                .as_ref()
                .map_or_else(|| rollup.name.node.clone(), |t| t.node.clone()),
            period: match period {
                Some((bounds, _)) => Some(bounds),
                None if edition.from.is_some() || edition.to.is_some() => Some(edition),
                None => None,
            },
            method: method.and_then(|(field, _)| field),
            levels,
            repeats,
            grades: grades.map(|(bands, _)| bands).unwrap_or_default(),
            targets,
            name_span: rollup.name.span,
            span: rollup.span,
        })
    }

    fn line_twice(&mut self, keyword: &'static str, span: Span) {
        self.report(CheckError::rollup(
            RollupProblem::LineTwice { keyword },
            span,
        ));
    }

    /// The field a `method` line names; `None` (reported) when it is unknown
    /// or holds no text.
    fn method_field(&mut self, field: &ast::Ident) -> Option<FieldId> {
        let id = self.known_field(field)?;
        let declared = &self.fields[id.0];
        if !matches!(
            declared.ty,
            model::FieldType::Text | model::FieldType::OneOf(_)
        ) {
            let problem = RollupProblem::MethodFieldType {
                field: declared.name.clone(),
                ty: declared.ty.describe(),
            };
            self.report(CheckError::rollup(problem, field.span));
            return None;
        }
        Some(id)
    }

    /// One `level` line: its periods, then each term against the method
    /// field and the levels before it, then the weights.
    fn level(
        &mut self,
        level: &ast::Level,
        before: &[model::Level],
        method: Option<Option<FieldId>>,
        dated_by: Option<FieldId>,
    ) -> Option<model::Level> {
        let name = &level.name.node;
        let periods = match &level.by {
            Some(field) => Periods::Field(self.known_field(field)?),
            None => match Calendar::ALL.iter().find(|(n, _)| n == name) {
                Some(&(_, calendar)) => {
                    if dated_by.is_none() {
                        self.report(CheckError::RollupUndated {
                            level: name.clone(),
                            span: level.name.span.into(),
                        });
                        return None;
                    }
                    Periods::Calendar(calendar)
                }
                None => {
                    let problem = RollupProblem::NotAPeriod { name: name.clone() };
                    self.report(CheckError::rollup(problem, level.name.span));
                    return None;
                }
            },
        };
        let mut terms = Vec::new();
        let mut ok = true;
        for term in &level.terms {
            let weight = term
                .weight
                .as_ref()
                .map_or(Decimal::ONE, |w| w.node / Decimal::ONE_HUNDRED);
            let of = match &term.of {
                ast::TermOf::Method(value) => self.method_value(value, method),
                ast::TermOf::Level(named) => self.finer_level(named, name, periods, before),
            };
            match of {
                Some(of) => terms.push(model::Term { weight, of }),
                None => ok = false,
            }
        }
        let total: Decimal = terms.iter().map(|t| t.weight).sum();
        if ok && total != Decimal::ONE {
            self.report(CheckError::RollupWeights {
                level: name.clone(),
                total: (total * Decimal::ONE_HUNDRED).normalize().to_string(),
                span: level.span.into(),
            });
            return None;
        }
        ok.then(|| model::Level {
            name: name.clone(),
            periods,
            terms,
            span: level.span,
        })
    }

    /// A `"METHOD"` term: a value the method field can hold.
    fn method_value(
        &mut self,
        value: &ast::Text,
        method: Option<Option<FieldId>>,
    ) -> Option<model::TermOf> {
        let Some(field) = method else {
            self.report(CheckError::rollup(RollupProblem::NoMethodField, value.span));
            return None;
        };
        // An unknown or mistyped method field is reported at its line.
        let field = &self.fields[field?.0];
        if let model::FieldType::OneOf(choices) = &field.ty
            && !choices.contains(&value.node)
        {
            self.report(CheckError::UnknownMethod {
                value: value.node.clone(),
                field: field.name.clone(),
                span: value.span.into(),
                help: choice_help(&value.node, choices),
            });
            return None;
        }
        Some(model::TermOf::Method(value.node.clone()))
    }

    /// A `LEVEL` term: a level listed before `level`, of finer periods.
    fn finer_level(
        &mut self,
        named: &ast::Ident,
        level: &str,
        periods: Periods,
        before: &[model::Level],
    ) -> Option<model::TermOf> {
        if named.node == level {
            self.coarser(level, named, "it is the level itself");
            return None;
        }
        let Some(index) = before.iter().position(|l| l.name == named.node) else {
            self.unknown_level(named, before);
            return None;
        };
        if let (Periods::Calendar(outer), Periods::Calendar(inner)) =
            (periods, before[index].periods)
            && inner >= outer
        {
            let why = format!("a {} is not shorter than a {}", inner.name(), outer.name());
            self.coarser(level, named, &why);
            return None;
        }
        Some(model::TermOf::Level(index))
    }

    fn coarser(&mut self, level: &str, named: &ast::Ident, why: &str) {
        self.report(CheckError::CoarserLevel {
            level: level.to_owned(),
            named: named.node.clone(),
            why: why.to_owned(),
            span: named.span.into(),
        });
    }

    fn unknown_level(&mut self, named: &ast::Ident, before: &[model::Level]) {
        let names: Vec<&str> = before.iter().map(|l| l.name.as_str()).collect();
        let help = match closest(&named.node, names.iter().copied()) {
            Some(n) => Some(format!("did you mean `{n}`?")),
            None if names.is_empty() => Some(
                "a term names a method (`\"月檢\"`) or a level listed before this line".to_owned(),
            ),
            None => Some(format!(
                "the levels before this line are {}",
                backticked(&names)
            )),
        };
        self.report(CheckError::UnknownLevel {
            name: named.node.clone(),
            span: named.span.into(),
            help,
        });
    }

    /// `repeat N consecutive LEVEL deduct D`.
    fn repeat(&mut self, repeat: &ast::Repeat, levels: &[model::Level]) -> Option<model::Repeat> {
        let times = repeat.times.node;
        let times = (times.is_integer() && times >= Decimal::ONE)
            .then(|| u32::try_from(times).ok())
            .flatten();
        let Some(times) = times else {
            self.report(CheckError::rollup(
                RollupProblem::RepeatCount,
                repeat.times.span,
            ));
            return None;
        };
        let Some(level) = levels.iter().position(|l| l.name == repeat.level.node) else {
            self.unknown_level(&repeat.level, levels);
            return None;
        };
        Some(model::Repeat {
            times,
            level,
            deduct: repeat.deduct.node,
            span: repeat.span,
        })
    }
}

/// What a roll-up's expression may read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// Grades: `score`, `rank`, `top`.
    Grade,
    /// Targets: rule outcomes, the inspection's score, built-ins.
    Target,
}

/// The names and calls in `conditions` that `reads` does not allow, with
/// where they were written.
fn offending_names<'a>(
    conditions: impl Iterator<Item = &'a ast::Expr>,
    reads: Reads,
) -> Vec<(String, Span)> {
    let mut found = Vec::new();
    let mut pending: Vec<&ast::Expr> = conditions.collect();
    while let Some(e) = pending.pop() {
        match &e.kind {
            ast::ExprKind::Literal(_) | ast::ExprKind::Top(_) => {}
            ast::ExprKind::Name(name) => {
                let allowed = match reads {
                    Reads::Grade => name == "score" || name == "rank",
                    Reads::Target => name == "score",
                };
                if !allowed {
                    found.push((name.clone(), e.span));
                }
            }
            ast::ExprKind::Call { name, args } => {
                let outcome = TARGET_CALLS.contains(&name.node.as_str());
                let builtin = model::Builtin::ALL.iter().any(|(n, _)| *n == name.node);
                if reads == Reads::Target && builtin {
                    pending.extend(args);
                } else if reads == Reads::Target && outcome {
                    // Its argument is a rule id, checked as one.
                } else {
                    found.push((format!("{}(…)", name.node), e.span));
                }
            }
            ast::ExprKind::NoCriticalFailed | ast::ExprKind::AnyVetoFailed
                if reads == Reads::Target => {}
            ast::ExprKind::NoCriticalFailed => {
                found.push(("no critical failed".to_owned(), e.span))
            }
            ast::ExprKind::AnyVetoFailed => found.push(("any veto failed".to_owned(), e.span)),
            ast::ExprKind::RankWithin(_) => found.push(("rank within".to_owned(), e.span)),
            ast::ExprKind::Unary { operand: x, .. }
            | ast::ExprKind::No(x)
            | ast::ExprKind::Paren(x) => pending.push(x),
            ast::ExprKind::Binary { left, right, .. } => {
                pending.push(left);
                pending.push(right);
            }
            ast::ExprKind::In { value, list, .. } => {
                pending.push(value);
                pending.extend(list);
            }
            ast::ExprKind::Between { value, low, high } => {
                pending.extend([&**value, &**low, &**high]);
            }
        }
    }
    found.sort_by_key(|(_, span)| span.start);
    found
}
