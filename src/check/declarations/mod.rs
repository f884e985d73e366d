//! The declarations of a standard, each checked and turned into the model,
//! then put together into a [`model::Standard`]. One module a kind of
//! declaration:
//!
//! - `header`: the `standard NAME { ... }` header, and `extends`/`amend`/`remove`.
//! - `fields`: the `fields` block, and the key fields the header names.
//! - `scripts`: the functions of `script` blocks.
//! - `lets`: derived values, in dependency order.
//! - `sections`: sections and their weights, and the sums of points and weights.
//! - `rules`: each rule's flags and clauses, and the order of rules.
//! - `grades`: the `grades` block (which bands can be reached is `check::grades`).
//! - `rollups`: `rollup` blocks (SPEC §8).
//! - `examples`: `example` blocks.

mod examples;
mod fields;
mod grades;
mod header;
mod lets;
mod rollups;
mod rules;
mod scripts;
mod sections;

use rust_decimal::Decimal;

use super::Checker;
use super::model;
use crate::language::Language;
use crate::syntax::ast;

impl Checker {
    /// Checks a whole file; `None` when it is too broken to model.
    pub(super) fn standard(&mut self, file: &ast::File) -> Option<model::Standard> {
        let header = self.header(file);
        self.editions(file, &header);
        self.fields(file);
        let key = self.key_fields(&header);
        self.scripts(file);
        let lets = self.lets(file);
        let (sections, pending) = self.sections(file);
        let rules: Vec<Option<model::Rule>> = pending.iter().map(|p| self.rule(p)).collect();
        let evaluation_order = self.rule_order(&pending, &rules);
        self.weights(&sections, &pending);
        self.bounded(&sections, &rules);
        let grades = self.grades(file);
        let edition = model::Period {
            from: header.date("effective"),
            to: header.date("until"),
        };
        let dated_by_field = key.as_ref().and_then(|(_, dated_by)| *dated_by);
        let rollups = self.rollups(file, dated_by_field, edition);
        let examples = self.examples(file, &grades, &rollups);
        let rules: Vec<model::Rule> = rules.into_iter().flatten().collect();
        self.lint_points(header.total(), &rules);
        if !self.has_errors() {
            // With errors, parts of the file went unchecked and "unused" would mislead.
            self.lint_unused(&lets);
        }
        let (key, dated_by) = key?;
        let total = header.total().map(|(total, _)| total);
        let cap = header
            .number("cap")
            .map_or(Decimal::ONE_HUNDRED, |(cap, _)| cap);
        let title = header.text("title").unwrap_or_else(|| header.name.clone());
        Some(model::Standard {
            language: header
                .language()
                .unwrap_or_else(|| Language::of_title(&title)),
            title,
            version: header.text("version").unwrap_or_default(),
            effective: header.date("effective"),
            until: header.date("until"),
            source_document: header.text("source"),
            name: header.name,
            key,
            dated_by,
            total,
            cap,
            fields: std::mem::take(&mut self.fields),
            lets: lets.into_iter().flatten().collect(),
            sections,
            rules,
            evaluation_order: evaluation_order?,
            grades,
            rollups,
            scripts: file
                .items
                .iter()
                .filter_map(|item| match item {
                    ast::Item::Script(script) => Some(crate::script::ScriptSource {
                        code: script.code.node.clone(),
                        span: script.code.span,
                    }),
                    _ => None,
                })
                .collect(),
            examples,
            header_spans: model::HeaderSpans {
                name: header.name_span,
                version: header.entries.get("version").map(|(_, span)| *span),
                effective: header.entries.get("effective").map(|(_, span)| *span),
                until: header.entries.get("until").map(|(_, span)| *span),
            },
        })
    }
}
