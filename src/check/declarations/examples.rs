//! `example` blocks: each `given` value held to its field's type, each
//! `expect` resolved to the rule, section or grade it names.

use crate::check::Checker;
use crate::check::errors::{CheckError, RollupProblem};
use crate::check::expressions;
use crate::check::messages::{backticked, choice_help};
use crate::check::model::{self, FieldId};
use crate::suggest::closest;
use crate::syntax::ast;

impl Checker {
    /// Checks every `example` block against the fields, rules and grades.
    pub(super) fn examples(
        &mut self,
        file: &ast::File,
        grades: &[model::Band],
        rollups: &[model::Rollup],
    ) -> Vec<model::Example> {
        let mut examples = Vec::new();
        for item in &file.items {
            let ast::Item::Example(example) = item else {
                continue;
            };
            let rollup = match &example.rollup {
                None => None,
                Some(name) => match rollups.iter().position(|r| r.name == name.node) {
                    Some(index) => Some(index),
                    // A roll-up with errors is reported at its own lines.
                    None if self.rollup_names.contains(&name.node) => continue,
                    None => {
                        self.unknown_rollup(name, rollups);
                        continue;
                    }
                },
            };
            let bands = match rollup {
                Some(index) => &rollups[index].grades[..],
                None => grades,
            };
            let mut given = Vec::new();
            let mut inspections = Vec::new();
            let mut expectations = Vec::new();
            for member in &example.items {
                match member {
                    ast::ExampleItem::Given(block) => {
                        let mut values = Vec::new();
                        for assignment in &block.assignments {
                            if let Some(value) = self.given_value(assignment) {
                                values.push(value);
                            }
                        }
                        if rollup.is_some() {
                            inspections.push(values);
                        } else {
                            given.extend(values);
                        }
                    }
                    ast::ExampleItem::Expect(expect) => {
                        let of_rollup = matches!(
                            expect.kind,
                            ast::ExpectKind::Score(_) | ast::ExpectKind::Grade(_)
                        );
                        if rollup.is_some() && !of_rollup {
                            self.report(CheckError::rollup(
                                RollupProblem::ExampleExpect,
                                expect.span,
                            ));
                            continue;
                        }
                        if let Some(kind) = self.expectation(&expect.kind, bands) {
                            expectations.push(model::Expectation {
                                kind,
                                span: expect.span,
                            });
                        }
                    }
                }
            }
            examples.push(model::Example {
                name: example.name.node.clone(),
                given,
                rollup,
                inspections,
                expectations,
                span: example.span,
            });
        }
        examples
    }

    fn unknown_rollup(&mut self, name: &ast::Ident, rollups: &[model::Rollup]) {
        let names: Vec<&str> = rollups.iter().map(|r| r.name.as_str()).collect();
        let help = match closest(&name.node, names.iter().copied()) {
            Some(n) => Some(format!("did you mean `{n}`?")),
            None if names.is_empty() => Some("the standard declares no `rollup`".to_owned()),
            None => Some(format!("the roll-ups are {}", backticked(&names))),
        };
        self.report(CheckError::UnknownRollup {
            name: name.node.clone(),
            span: name.span.into(),
            help,
        });
    }

    fn given_value(&mut self, assignment: &ast::Assignment) -> Option<(FieldId, model::Value)> {
        let name = &assignment.field;
        let Some(declared) = self.field_names.get(&name.node) else {
            let help = self.unknown_name_help(&name.node, &[]);
            self.report(CheckError::UnknownField {
                name: name.node.clone(),
                span: name.span.into(),
                help,
            });
            return None;
        };
        let id = declared.id;
        let field = &self.fields[id.0];
        let value = expressions::constant(&assignment.value.node);
        let fits = match (&field.ty, &value) {
            (model::FieldType::Bool, model::Value::Bool(_)) => true,
            (model::FieldType::Count, model::Value::Number(n)) => {
                n.is_integer() && !n.is_sign_negative()
            }
            (model::FieldType::Number | model::FieldType::Percent, model::Value::Number(_)) => true,
            (model::FieldType::Text, model::Value::Text(_)) => true,
            (model::FieldType::OneOf(choices), model::Value::Text(t)) => choices.contains(t),
            (model::FieldType::Date, model::Value::Date(_)) => true,
            _ => false,
        };
        if let (model::FieldType::OneOf(choices), model::Value::Text(text)) = (&field.ty, &value)
            && !fits
        {
            self.report(CheckError::NotAChoice {
                value: text.clone(),
                field: field.name.clone(),
                span: assignment.value.span.into(),
                help: choice_help(text, choices),
            });
            return None;
        }
        if !fits {
            let help = match (&field.ty, &value) {
                (model::FieldType::Count, model::Value::Number(_)) => {
                    Some("a count is a whole number, 0 or more".to_owned())
                }
                (model::FieldType::Percent, _) => Some("write a percent such as `30%`".to_owned()),
                _ => None,
            };
            self.report(CheckError::InvalidGiven {
                field: field.name.clone(),
                expected: field.ty.describe(),
                found: value.ty().to_string(),
                span: assignment.value.span.into(),
                help,
            });
            return None;
        }
        Some((id, value))
    }

    fn expectation(
        &mut self,
        kind: &ast::ExpectKind,
        grades: &[model::Band],
    ) -> Option<model::ExpectationKind> {
        Some(match kind {
            ast::ExpectKind::Outcome(outcome, id) => {
                let rule = self.known_rule(&id.node, id.span)?;
                model::ExpectationKind::Outcome(outcome.node, rule)
            }
            ast::ExpectKind::Score(score) => model::ExpectationKind::Score(score.node),
            ast::ExpectKind::SectionScore(id, score) => {
                let section = self.known_section(&id.node, id.span)?;
                model::ExpectationKind::SectionScore(section, score.node)
            }
            ast::ExpectKind::Points(id, points) => {
                let rule = self.known_rule(&id.node, id.span)?;
                model::ExpectationKind::Points(rule, points.node)
            }
            ast::ExpectKind::Grade(name) => {
                if !grades.iter().any(|band| band.name == name.node) {
                    let names: Vec<String> = grades.iter().map(|b| b.name.clone()).collect();
                    let help = Some(choice_help(&name.node, &names));
                    self.report(CheckError::UnknownGrade {
                        name: name.node.clone(),
                        span: name.span.into(),
                        help,
                    });
                    return None;
                }
                model::ExpectationKind::Grade(name.node.clone())
            }
        })
    }
}
