//! Sections: their ids declared, with the rules in them in source order;
//! their weights; and the sums of points and weights, held to what scoring
//! can add exactly.

use rust_decimal::Decimal;

use super::rules::PendingRule;
use crate::check::errors::CheckError;
use crate::check::model::{self, SectionId};
use crate::check::{Checker, Declared};
use crate::syntax::ast;

/// The most the points (or the weights) of a standard may add up to.
const LARGEST_SUM: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

impl Checker {
    /// Declares every section and rule id, in source order.
    pub(super) fn sections<'a>(
        &mut self,
        file: &'a ast::File,
    ) -> (Vec<model::Section>, Vec<PendingRule<'a>>) {
        let mut sections = Vec::new();
        let mut rules = Vec::new();
        for item in &file.items {
            match item {
                ast::Item::Section(section) => {
                    self.section(section, None, 0, &mut sections, &mut rules)
                }
                ast::Item::Rule(rule) => self.declare_rule(rule, None, &mut rules),
                _ => {}
            }
        }
        (sections, rules)
    }

    fn section<'a>(
        &mut self,
        section: &'a ast::Section,
        parent: Option<SectionId>,
        depth: usize,
        sections: &mut Vec<model::Section>,
        rules: &mut Vec<PendingRule<'a>>,
    ) {
        if depth >= 2 {
            self.report(CheckError::SectionTooDeep {
                span: section.id.span.into(),
            });
        }
        if let (Some(weight), Some(_)) = (&section.weight, parent) {
            self.report(CheckError::NestedWeight {
                span: weight.span.into(),
            });
        }
        let id = SectionId(sections.len());
        if let Some(first) = self.section_names.get(&section.id.node) {
            self.report(CheckError::DuplicateId {
                what: "section",
                id: section.id.node.clone(),
                span: section.id.span.into(),
                first: first.span.into(),
            });
        } else {
            self.section_names.insert(
                section.id.node.clone(),
                Declared {
                    id,
                    span: section.id.span,
                },
            );
        }
        sections.push(model::Section {
            id: section.id.node.clone(),
            title: section.title.as_ref().map(|t| t.node.clone()),
            weight: section.weight.as_ref().map(|w| w.node),
            parent,
            id_span: section.id.span,
            span: section.span,
        });
        for member in &section.members {
            match member {
                ast::SectionMember::Section(inner) => {
                    self.section(inner, Some(id), depth + 1, sections, rules)
                }
                ast::SectionMember::Rule(rule) => self.declare_rule(rule, Some(id), rules),
            }
        }
    }

    /// The points of every rule, and the sections' weights, add up to at
    /// most [`LARGEST_SUM`], so that no sum or weighted product of scoring
    /// can go past a decimal's 28 digits.
    pub(super) fn bounded(&mut self, sections: &[model::Section], rules: &[Option<model::Rule>]) {
        let points = rules
            .iter()
            .flatten()
            .map(|rule| (rule.points, rule.id_span));
        let weights = sections.iter().filter_map(|s| Some((s.weight?, s.id_span)));
        for (what, values) in [
            ("points", points.collect::<Vec<_>>()),
            ("section weights", weights.collect()),
        ] {
            let mut sum = Decimal::ZERO;
            for (value, span) in values {
                sum = sum.saturating_add(value);
                if sum > LARGEST_SUM {
                    self.report(CheckError::PointsTooLarge {
                        what,
                        span: span.into(),
                    });
                    break;
                }
            }
        }
    }

    /// With weights, every top-level section has one and every rule is in a section.
    pub(super) fn weights(&mut self, sections: &[model::Section], pending: &[PendingRule<'_>]) {
        let top: Vec<&model::Section> = sections.iter().filter(|s| s.parent.is_none()).collect();
        let Some(weighted) = top.iter().find(|s| s.weight.is_some()) else {
            return;
        };
        for section in &top {
            if section.weight.is_none() {
                self.report(CheckError::MissingWeight {
                    id: section.id.clone(),
                    weighted: weighted.id.clone(),
                    span: section.id_span.into(),
                    other: weighted.id_span.into(),
                });
            }
        }
        for p in pending.iter().filter(|p| p.section.is_none()) {
            self.report(CheckError::RuleOutsideSections {
                id: p.rule.id.node.clone(),
                span: p.rule.id.span.into(),
            });
        }
    }
}
