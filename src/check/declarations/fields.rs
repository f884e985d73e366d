//! The `fields` block: each field's type and label, its name claimed; and
//! the key fields the header names (`key`, `dated_by`).

use super::header::HeaderInfo;
use crate::check::errors::{CheckError, Mismatch};
use crate::check::messages::backticked;
use crate::check::model::{self, FieldId};
use crate::check::names::RESERVED_NAMES;
use crate::check::{Checker, Declared};
use crate::suggest::closest;
use crate::syntax::ast;
use crate::syntax::span::Span;

/// The field type names.
const TYPE_NAMES: [(&str, model::FieldType); 6] = [
    ("bool", model::FieldType::Bool),
    ("count", model::FieldType::Count),
    ("number", model::FieldType::Number),
    ("percent", model::FieldType::Percent),
    ("text", model::FieldType::Text),
    ("date", model::FieldType::Date),
];

impl Checker {
    /// Declares every field of the `fields` blocks, in order, then lints their headings.
    pub(super) fn fields(&mut self, file: &ast::File) {
        for item in &file.items {
            let ast::Item::Fields(block) = item else {
                continue;
            };
            for decl in &block.fields {
                self.field(decl);
            }
        }
        self.lint_headings();
    }

    fn field(&mut self, decl: &ast::FieldDecl) {
        let ty = match &decl.ty.node {
            ast::FieldType::Named(name) => match TYPE_NAMES.iter().find(|(n, _)| n == name) {
                Some((_, ty)) => ty.clone(),
                None => {
                    let names = TYPE_NAMES.map(|(n, _)| n);
                    let help = match closest(name, names) {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => format!("the types are {} and `one of (...)`", backticked(&names)),
                    };
                    self.report(CheckError::UnknownType {
                        name: name.clone(),
                        span: decl.ty.span.into(),
                        help,
                    });
                    self.poisoned_fields.insert(decl.name.node.clone());
                    model::FieldType::Text
                }
            },
            ast::FieldType::OneOf(choices) => {
                self.lint_choices(choices);
                model::FieldType::OneOf(choices.iter().map(|c| c.node.clone()).collect())
            }
        };
        if !self.claim_name(&decl.name) {
            return;
        }
        let id = FieldId(self.fields.len());
        if let Some(label) = &decl.label {
            self.field_labels.entry(label.node.clone()).or_insert(id);
        }
        self.field_names.insert(
            decl.name.node.clone(),
            Declared {
                id,
                span: decl.name.span,
            },
        );
        self.fields.push(model::Field {
            name: decl.name.node.clone(),
            label: decl.label.as_ref().map(|l| l.node.clone()),
            ty,
            // An `info` field is read by no rule: blank is always allowed.
            optional: decl.optional || decl.info,
            info: decl.info,
            span: decl.name.span,
        });
        self.field_used.push(false);
    }

    /// Checks that a new field or let name is free; reports and returns false if not.
    pub(super) fn claim_name(&mut self, name: &ast::Ident) -> bool {
        if RESERVED_NAMES.contains(&name.node.as_str()) {
            self.report(CheckError::ReservedName {
                name: name.node.clone(),
                span: name.span.into(),
            });
            return false;
        }
        let first = self
            .field_names
            .get(&name.node)
            .map(|d| d.span)
            .or_else(|| self.let_names.get(&name.node).map(|d| d.span));
        if let Some(first) = first {
            self.report(CheckError::DuplicateName {
                name: name.node.clone(),
                span: name.span.into(),
                first: first.into(),
            });
            return false;
        }
        true
    }

    pub(super) fn key_fields(&mut self, header: &HeaderInfo) -> Option<(FieldId, Option<FieldId>)> {
        let (key_name, key_span) = header.name_entry("key")?;
        let key = self.lookup_field(key_name, key_span);
        let dated_by = match header.name_entry("dated_by") {
            None => None,
            Some((name, span)) => {
                let id = self.lookup_field(name, span)?;
                if self.fields[id.0].ty != model::FieldType::Date {
                    self.report(CheckError::type_mismatch(
                        Mismatch::DatedBy {
                            field: name.to_owned(),
                            found: self.fields[id.0].ty.clone(),
                        },
                        span,
                    ));
                    return None;
                }
                Some(id)
            }
        };
        Some((key?, dated_by))
    }

    /// A field named in the header; reported when unknown.
    fn lookup_field(&mut self, name: &str, span: Span) -> Option<FieldId> {
        match self.field_names.get(name) {
            Some(declared) => {
                let id = declared.id;
                self.field_used[id.0] = true;
                Some(id)
            }
            None => {
                let help = self.unknown_name_help(name, &[]);
                self.report(CheckError::UnknownField {
                    name: name.to_owned(),
                    span: span.into(),
                    help,
                });
                None
            }
        }
    }
}
