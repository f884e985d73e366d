//! The canonical text of a `rollup` block: a line each, in source order;
//! the `=` of the levels aligned.

use unicode_width::UnicodeWidthStr;

use super::{Printer, expr, pad, quote};
use crate::syntax::ast::{Level, Rollup, RollupLine, Term, TermOf};

impl Printer<'_> {
    pub(super) fn rollup(&mut self, rollup: &Rollup) {
        let mut head = format!("rollup {}", rollup.name.node);
        if let Some(title) = &rollup.title {
            head.push(' ');
            head.push_str(&quote(&title.node));
        }
        let width = rollup
            .lines
            .iter()
            .filter_map(|line| match line {
                RollupLine::Level(level) => Some(level_head(level).width()),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        self.block(&head, rollup.span, |p| {
            for line in &rollup.lines {
                let text = match line {
                    RollupLine::Period { from, to, .. } => {
                        format!("period {} to {}", from.node, to.node)
                    }
                    RollupLine::Method(field, _) => format!("method {}", field.node),
                    RollupLine::Level(level) => {
                        let terms: Vec<String> = level.terms.iter().map(term).collect();
                        format!("{} = {}", pad(&level_head(level), width), terms.join(" + "))
                    }
                    RollupLine::Repeat(repeat) => format!(
                        "repeat {} consecutive {} deduct {}",
                        repeat.times.node, repeat.level.node, repeat.deduct.node
                    ),
                    RollupLine::Grades(grades) => {
                        p.grades(grades);
                        continue;
                    }
                    RollupLine::Target(target) => format!(
                        "target {} by {} when {}",
                        quote(&target.name.node),
                        target.by.node,
                        expr(&target.condition)
                    ),
                };
                p.leaf(&text, line.span());
            }
        });
    }
}

/// `level NAME [by FIELD]`, the part before `=`.
fn level_head(level: &Level) -> String {
    match &level.by {
        Some(field) => format!("level {} by {}", level.name.node, field.node),
        None => format!("level {}", level.name.node),
    }
}

/// `W% "METHOD"` or `W% LEVEL`, the weight left out when none was written.
pub(super) fn term(term: &Term) -> String {
    let what = match &term.of {
        TermOf::Method(method) => quote(&method.node),
        TermOf::Level(level) => level.node.clone(),
    };
    match &term.weight {
        Some(weight) => format!("{}% {what}", weight.node),
        None => what,
    }
}
