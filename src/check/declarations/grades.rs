//! The `grades` block: one block, `otherwise` last, each band named once,
//! each condition checked. Which bands can ever be given is
//! `check::grades`, called from here.

use std::collections::HashMap;

use crate::check::Checker;
use crate::check::errors::{CheckError, GradesProblem};
use crate::check::expressions::Context;
use crate::check::model;
use crate::syntax::ast;
use crate::syntax::span::Span;

impl Checker {
    /// Checks the `grades` block: its bands in order, then which can be reached.
    pub(super) fn grades(&mut self, file: &ast::File) -> Vec<model::Band> {
        let mut blocks = file.items.iter().filter_map(|item| match item {
            ast::Item::Grades(grades) => Some(grades),
            _ => None,
        });
        let Some(block) = blocks.next() else {
            return Vec::new();
        };
        for extra in blocks {
            self.report(CheckError::InvalidGrades {
                problem: GradesProblem::GivenTwice,
                span: extra.span.into(),
            });
        }
        self.bands(block, Context::Grade)
    }

    /// Checks one `grades` block (a standard's, or a roll-up's in
    /// `context`): its bands in order, then which can be reached.
    pub(super) fn bands(&mut self, block: &ast::Grades, context: Context) -> Vec<model::Band> {
        let misplaced = block
            .bands
            .iter()
            .position(|b| b.condition.is_none())
            .filter(|&at| at + 1 != block.bands.len());
        if let Some(at) = misplaced {
            self.report(CheckError::InvalidGrades {
                problem: GradesProblem::OtherwiseNotLast,
                span: block.bands[at].span.into(),
            });
        } else if let Some(last) = block.bands.last().filter(|b| b.condition.is_some()) {
            self.report(CheckError::InvalidGrades {
                problem: GradesProblem::NoOtherwise,
                span: last.span.into(),
            });
        }
        let mut names: HashMap<&str, Span> = HashMap::new();
        let mut bands = Vec::new();
        for band in &block.bands {
            if names.insert(&band.name.node, band.name.span).is_some() {
                self.report(CheckError::InvalidGrades {
                    problem: GradesProblem::BandTwice {
                        name: band.name.node.clone(),
                    },
                    span: band.name.span.into(),
                });
            }
            let condition = match &band.condition {
                None => None,
                Some(e) => match self.condition(e, "grade band", context) {
                    Some(condition) => Some(condition),
                    None => continue,
                },
            };
            bands.push(model::Band {
                name: band.name.node.clone(),
                condition,
                span: band.span,
            });
        }
        if misplaced.is_some() {
            return bands;
        }
        self.lint_bands(&bands);
        bands
    }
}
