//! Lowering a `rollup` block (SPEC §8): its lines, in source order.

use pest::iterators::Pair;

use super::{Lowered, Lowerer, next};
use crate::syntax::ast::{Level, Repeat, Rollup, RollupLine, Target, Term, TermOf};
use crate::syntax::grammar::Rule as R;
use crate::syntax::span::Spanned;

impl Lowerer {
    pub(super) fn rollup(&self, pair: Pair<'_, R>) -> Lowered<Rollup> {
        let span = self.span_of(&pair);
        let mut inner = pair.into_inner().skip(1).peekable();
        let name = self.ident(next(&mut inner));
        let title = match inner.peek() {
            Some(p) if p.as_rule() == R::string => Some(self.text(next(&mut inner))),
            _ => None,
        };
        let lines = inner
            .map(|line| self.rollup_line(line))
            .collect::<Lowered<Vec<_>>>()?;
        Ok(Rollup {
            name,
            title,
            lines,
            span,
        })
    }

    fn rollup_line(&self, pair: Pair<'_, R>) -> Lowered<RollupLine> {
        let span = self.span_of(&pair);
        Ok(match pair.as_rule() {
            R::rollup_period => {
                let mut parts = pair.into_inner().skip(1);
                let from = next(&mut parts);
                let to = next(&mut parts.skip(1));
                RollupLine::Period {
                    from: Spanned::new(self.date(&from)?, self.span_of(&from)),
                    to: Spanned::new(self.date(&to)?, self.span_of(&to)),
                    span,
                }
            }
            R::rollup_method => {
                RollupLine::Method(self.ident(next(&mut pair.into_inner().skip(1))), span)
            }
            R::rollup_level => {
                let mut parts = pair.into_inner().skip(1).peekable();
                let name = self.ident(next(&mut parts));
                let by = match parts.peek() {
                    Some(p) if p.as_rule() == R::level_by => {
                        Some(self.ident(next(&mut next(&mut parts).into_inner().skip(1))))
                    }
                    _ => None,
                };
                let terms = parts
                    .map(|term| self.term(term))
                    .collect::<Lowered<Vec<_>>>()?;
                RollupLine::Level(Level {
                    name,
                    by,
                    terms,
                    span,
                })
            }
            R::rollup_repeat => {
                let mut parts = pair.into_inner().skip(1);
                let times = self.number(next(&mut parts))?;
                let level = self.ident(next(&mut parts.by_ref().skip(1)));
                let deduct = self.number(next(&mut parts.skip(1)))?;
                RollupLine::Repeat(Repeat {
                    times,
                    level,
                    deduct,
                    span,
                })
            }
            R::grades_block => RollupLine::Grades(self.grades(pair)?),
            _ => {
                let mut parts = pair.into_inner().skip(1);
                let name = self.text(next(&mut parts));
                let by = next(&mut parts.by_ref().skip(1));
                let by = Spanned::new(self.date(&by)?, self.span_of(&by));
                let condition = self.expr(next(&mut parts.skip(1)))?;
                RollupLine::Target(Target {
                    name,
                    by,
                    condition,
                    span,
                })
            }
        })
    }

    fn term(&self, pair: Pair<'_, R>) -> Lowered<Term> {
        let span = self.span_of(&pair);
        let mut parts = pair.into_inner().peekable();
        let weight = match parts.peek() {
            Some(p) if p.as_rule() == R::percent => {
                let percent = next(&mut parts);
                let digits = percent.as_str().trim_end_matches('%');
                Some(Spanned::new(
                    self.decimal(&percent, digits)?,
                    self.span_of(&percent),
                ))
            }
            _ => None,
        };
        let what = next(&mut parts);
        let of = match what.as_rule() {
            R::string => TermOf::Method(self.text(what)),
            _ => TermOf::Level(self.ident(what)),
        };
        Ok(Term { weight, of, span })
    }
}
