//! Names looked up once declared: rules, sections, fields by name or by
//! label, with the help for a name that is unknown. Both the declarations
//! and the expressions read them, so they sit below both.

use super::Checker;
use super::errors::CheckError;
use super::messages::{backticked, sorted};
use super::model::{FieldId, RuleId, SectionId};
use crate::suggest::closest;
use crate::syntax::ast;
use crate::syntax::span::Span;

/// Names that mean a unit's results in grades and cannot name a field or let.
pub const RESERVED_NAMES: [&str; 4] = ["score", "earned", "possible", "rank"];

impl Checker {
    /// The rule with this id; reported with a suggestion when unknown.
    pub(super) fn known_rule(&mut self, name: &str, span: Span) -> Option<RuleId> {
        if let Some(declared) = self.rule_names.get(name) {
            return Some(declared.id);
        }
        let help = closest(name, self.rule_names.keys().map(String::as_str))
            .map(|n| format!("did you mean `{n}`?"));
        self.report(CheckError::UnknownRule {
            name: name.to_owned(),
            span: span.into(),
            help,
        });
        None
    }

    /// A field named by a roll-up or `rank within`, marked used; reported
    /// when unknown.
    pub(super) fn known_field(&mut self, field: &ast::Ident) -> Option<FieldId> {
        let Some(declared) = self.field_names.get(&field.node) else {
            let help = self.unknown_name_help(&field.node, &[]);
            self.report(CheckError::UnknownField {
                name: field.node.clone(),
                span: field.span.into(),
                help,
            });
            return None;
        };
        let id = declared.id;
        self.field_used[id.0] = true;
        Some(id)
    }

    /// The section with this id; reported with a suggestion when unknown.
    pub(super) fn known_section(&mut self, id: &str, span: Span) -> Option<SectionId> {
        if let Some(declared) = self.section_names.get(id) {
            return Some(declared.id);
        }
        let mut sections: Vec<&str> = self.section_names.keys().map(String::as_str).collect();
        sections.sort_unstable();
        let help = match closest(id, sections.iter().copied()) {
            Some(n) => Some(format!("did you mean `{n}`?")),
            None if !sections.is_empty() && sections.len() <= 12 => {
                Some(format!("the sections are {}", backticked(&sections)))
            }
            None => None,
        };
        self.report(CheckError::UnknownSection {
            name: id.to_owned(),
            span: span.into(),
            help,
        });
        None
    }

    /// The field whose label is `text`, read as labels are compared by
    /// eye: spaces aside, full-width brackets and commas as ASCII.
    pub(super) fn field_labelled(&self, text: &str) -> Option<&str> {
        let wanted = label_form(text);
        self.field_labels
            .iter()
            .filter(|(label, _)| label_form(label) == wanted)
            .map(|(_, id)| *id)
            .min_by_key(|id| id.0)
            .map(|id| self.fields[id.0].name.as_str())
    }

    /// Help for an unknown name: did you mean a field or let, or is it a label?
    pub(super) fn unknown_name_help(&self, name: &str, extra: &[&str]) -> Option<String> {
        if let Some(field) = self.field_labelled(name) {
            return Some(format!(
                "`{name}` is the label of field `{field}`; use the field's name"
            ));
        }
        let candidates = self
            .field_names
            .keys()
            .chain(self.let_names.keys())
            .map(String::as_str)
            .chain(extra.iter().copied());
        closest(name, sorted(candidates)).map(|n| format!("did you mean `{n}`?"))
    }
}

/// A label as it is compared with what an expression spells: no spaces,
/// full-width brackets and commas in ASCII.
fn label_form(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' => ',',
            other => other,
        })
        .collect()
}
