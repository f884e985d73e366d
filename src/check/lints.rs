//! Warnings: a standard that is valid but probably not what its author meant.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::Checker;
use super::errors::CheckError;
use super::model;
use crate::syntax::ast;
use crate::syntax::span::Span;

impl Checker {
    /// Rules without points in a scored standard; points that miss the declared total.
    pub(super) fn lint_points(&mut self, total: Option<(Decimal, Span)>, rules: &[model::Rule]) {
        if rules.iter().any(|r| r.points_given) {
            for rule in rules.iter().filter(|r| !r.points_given) {
                self.report(CheckError::NoPoints {
                    id: rule.id.clone(),
                    span: rule.id_span.into(),
                });
            }
        }
        if let Some((total, span)) = total {
            let sum: Decimal = rules.iter().filter(|r| !r.bonus).map(|r| r.points).sum();
            if sum != total {
                self.report(CheckError::PointsTotal {
                    sum: sum.normalize().to_string(),
                    total: total.normalize().to_string(),
                    span: span.into(),
                });
            }
        }
    }

    /// Fields and lets that nothing reads (an `info` field is read by no
    /// rule on purpose).
    pub(super) fn lint_unused(&mut self, lets: &[Option<model::Let>]) {
        let unused_fields: Vec<CheckError> = self
            .fields
            .iter()
            .zip(&self.field_used)
            .filter(|(field, used)| !**used && !field.info)
            .map(|(field, _)| CheckError::UnusedField {
                name: field.name.clone(),
                span: field.span.into(),
            })
            .collect();
        self.diagnostics.extend(unused_fields);
        for (decl, used) in lets.iter().zip(self.let_used.clone()) {
            if let (Some(decl), false) = (decl, used) {
                self.report(CheckError::UnusedLet {
                    name: decl.name.clone(),
                    span: decl.span.into(),
                });
            }
        }
    }

    /// Fields that one column heading could fill (SPEC §2 compares headings
    /// without spaces, widths or the difference of Simplified and
    /// Traditional characters): two fields headed alike are an error, a
    /// field named as another is labelled a warning.
    pub(super) fn lint_headings(&mut self) {
        let key = |text: &str| crate::headings::heading_key(text).to_lowercase();
        // Each heading a column of a field gets (its label, else its name).
        let mut headed: HashMap<String, usize> = HashMap::new();
        let mut labels: HashMap<String, usize> = HashMap::new();
        let mut found = Vec::new();
        for (index, field) in self.fields.iter().enumerate() {
            let heading = key(field.heading());
            match headed.get(&heading) {
                Some(&first) => {
                    let (heading, first_heading) = (field.heading(), self.fields[first].heading());
                    found.push(CheckError::SameHeading {
                        name: field.name.clone(),
                        other: self.fields[first].name.clone(),
                        alike: if heading == first_heading {
                            format!("both `{heading}`")
                        } else {
                            format!("`{first_heading}` and `{heading}` read the same")
                        },
                        span: field.span.into(),
                        heading: heading.to_owned(),
                        first: self.fields[first].span.into(),
                        first_heading: first_heading.to_owned(),
                    });
                }
                None => {
                    headed.insert(heading, index);
                }
            }
            if let Some(label) = &field.label {
                labels.entry(key(label)).or_insert(index);
            }
        }
        for (index, field) in self.fields.iter().enumerate() {
            let Some(&labelled) = labels.get(&key(&field.name)) else {
                continue;
            };
            // A field with no label is headed by its name: that clash is
            // reported above.
            if labelled != index && field.label.is_some() {
                found.push(CheckError::AmbiguousHeading {
                    name: field.name.clone(),
                    other: self.fields[labelled].name.clone(),
                    heading: field.name.clone(),
                    span: field.span.into(),
                    first: self.fields[labelled].span.into(),
                });
            }
        }
        self.diagnostics.extend(found);
    }

    /// `one of` values that repeat, or differ only in case, spaces or width.
    pub(super) fn lint_choices(&mut self, choices: &[ast::Text]) {
        let mut seen: HashMap<String, &ast::Text> = HashMap::new();
        for choice in choices {
            match seen.get(&folded(&choice.node)) {
                Some(first) => self.report(CheckError::OverlappingChoices {
                    value: choice.node.clone(),
                    other: first.node.clone(),
                    span: choice.span.into(),
                    first: first.span.into(),
                }),
                None => {
                    seen.insert(folded(&choice.node), choice);
                }
            }
        }
    }
}

/// A text with case, spaces and full-width forms folded away, for comparing
/// values an inspector would take to be the same.
pub fn folded(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{3000}' => ' ',
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                other => other,
            };
            (!c.is_whitespace()).then_some(c)
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::folded;

    #[test]
    fn folding_ignores_case_spaces_and_width() {
        assert_eq!(folded(" Ａb c"), folded("abC"));
        assert_ne!(folded("行政"), folded("執法"));
    }
}
