//! `let`: derived values declared, ordered so that each comes after the
//! lets it reads, and checked in that order.

use crate::check::errors::CheckError;
use crate::check::expressions::{self, Context};
use crate::check::messages::describe_cycle;
use crate::check::model::{self, LetId};
use crate::check::order::{self, Order};
use crate::check::{Checker, Declared};
use crate::syntax::ast;

impl Checker {
    /// Declares, orders and checks every let. The result is indexed by `LetId`
    /// (dependency order); an entry is `None` when its definition has an error.
    pub(super) fn lets(&mut self, file: &ast::File) -> Vec<Option<model::Let>> {
        let mut decls: Vec<&ast::LetDecl> = Vec::new();
        for item in &file.items {
            if let ast::Item::Let(decl) = item
                && self.claim_name(&decl.name)
            {
                self.let_names.insert(
                    decl.name.node.clone(),
                    Declared {
                        id: LetId(decls.len()),
                        span: decl.name.span,
                    },
                );
                decls.push(decl);
            }
        }
        self.let_types = vec![None; decls.len()];
        self.let_used = vec![false; decls.len()];
        // Which lets each let reads, by declaration index.
        let dependencies: Vec<Vec<usize>> = decls
            .iter()
            .map(|decl| {
                let mut names = Vec::new();
                expressions::names_in(&decl.value, &mut names);
                names
                    .iter()
                    .filter_map(|name| self.let_names.get(*name).map(|d| d.id.0))
                    .collect()
            })
            .collect();
        let order = match order::topological(&dependencies) {
            Order::Sorted(order) => order,
            Order::Cycle(cycle) => {
                let path = describe_cycle(&cycle, |i| decls[i].name.node.as_str(), "uses");
                let first = decls[cycle[0]];
                self.report(CheckError::Cycle {
                    what: "let",
                    name: first.name.node.clone(),
                    path,
                    span: first.name.span.into(),
                });
                return Vec::new();
            }
        };
        // Renumber so that a LetId is the position in dependency order.
        let mut position = vec![0; decls.len()];
        for (at, &index) in order.iter().enumerate() {
            position[index] = at;
        }
        for declared in self.let_names.values_mut() {
            declared.id = LetId(position[declared.id.0]);
        }
        order
            .iter()
            .enumerate()
            .map(|(at, &index)| {
                let decl = decls[index];
                let value = self.expr(&decl.value, Context::Let)?;
                self.let_types[at] = Some(value.ty);
                Some(model::Let {
                    name: decl.name.node.clone(),
                    value,
                    span: decl.span,
                })
            })
            .collect()
    }
}
