//! A file's outline: its declarations as a tree (sections hold their
//! rules), each with its whole range and the range of its name.

use crate::syntax::ast::{self, Item, Rule, Section, SectionMember};
use crate::syntax::span::Span;

use super::hints::points_in_words;
use super::{FileView, Location};
use crate::language::{Language, Word};

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    /// The name shown: an id and its title.
    pub name: String,
    /// What it is.
    pub kind: What,
    /// A short line beside it, such as a rule's points.
    pub detail: Option<String>,
    /// The whole declaration.
    pub range: Location,
    /// Its name.
    pub name_range: Location,
    /// What it holds.
    pub children: Vec<Symbol>,
}

/// What an outline entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// The `standard` header.
    Standard,
    /// The `fields` block.
    Fields,
    /// A field.
    Field,
    /// A `let`.
    Let,
    /// A section.
    Section,
    /// A rule.
    Rule,
    /// The `grades` block.
    Grades,
    /// A grade band.
    Grade,
    /// A `script` block.
    Script,
    /// An `example`.
    Example,
    /// An `amend rule`.
    Amend,
    /// A `remove`.
    Remove,
    /// A roll-up.
    Rollup,
}

/// The outline of a file (of the last tree that parsed).
pub(super) fn of(file: &FileView, language: Language) -> Vec<Symbol> {
    let symbol = |name: String, kind, detail, span: Span, name_span: Span, children| Symbol {
        name,
        kind,
        detail,
        range: file.location(span),
        name_range: file.location(name_span),
        children,
    };
    let titled = |id: &str, title: &Option<ast::Text>| match title {
        Some(title) => format!("{id} {}", title.node),
        None => id.to_owned(),
    };
    let rule = |rule: &Rule| {
        symbol(
            titled(&rule.id.node, &rule.title),
            What::Rule,
            points_in_words(rule, language),
            rule.span,
            rule.id.span,
            Vec::new(),
        )
    };
    fn section_symbol(
        section: &Section,
        make: &dyn Fn(&Section, Vec<Symbol>) -> Symbol,
        rule: &dyn Fn(&Rule) -> Symbol,
    ) -> Symbol {
        let children = section
            .members
            .iter()
            .map(|member| match member {
                SectionMember::Section(inner) => section_symbol(inner, make, rule),
                SectionMember::Rule(r) => rule(r),
            })
            .collect();
        make(section, children)
    }
    let make_section = |section: &Section, children| {
        symbol(
            titled(&section.id.node, &section.title),
            What::Section,
            section
                .weight
                .as_ref()
                .map(|w| format!("{} {}", language.word(Word::IdeWeight), w.node)),
            section.span,
            section.id.span,
            children,
        )
    };
    let mut symbols = Vec::new();
    for item in &file.tree.items {
        symbols.push(match item {
            Item::Header(header) => symbol(
                header.name.node.clone(),
                What::Standard,
                None,
                header.span,
                header.name.span,
                Vec::new(),
            ),
            Item::Fields(block) => symbol(
                "fields".to_owned(),
                What::Fields,
                None,
                block.span,
                block.span,
                block
                    .fields
                    .iter()
                    .map(|f| {
                        let detail = f.label.as_ref().map(|l| l.node.clone());
                        symbol(
                            f.name.node.clone(),
                            What::Field,
                            detail,
                            f.span,
                            f.name.span,
                            Vec::new(),
                        )
                    })
                    .collect(),
            ),
            Item::Let(decl) => symbol(
                decl.name.node.clone(),
                What::Let,
                None,
                decl.span,
                decl.name.span,
                Vec::new(),
            ),
            Item::Section(section) => section_symbol(section, &make_section, &rule),
            Item::Rule(r) => rule(r),
            Item::Grades(grades) => symbol(
                "grades".to_owned(),
                What::Grades,
                None,
                grades.span,
                grades.span,
                grades
                    .bands
                    .iter()
                    .map(|b| {
                        symbol(
                            b.name.node.clone(),
                            What::Grade,
                            None,
                            b.span,
                            b.name.span,
                            Vec::new(),
                        )
                    })
                    .collect(),
            ),
            Item::Script(script) => symbol(
                "script".to_owned(),
                What::Script,
                None,
                script.span,
                script.span,
                Vec::new(),
            ),
            Item::Example(example) => symbol(
                example.name.node.clone(),
                What::Example,
                None,
                example.span,
                example.name.span,
                Vec::new(),
            ),
            Item::AmendRule(amend) => symbol(
                format!("amend {}", amend.id.node),
                What::Amend,
                None,
                amend.span,
                amend.id.span,
                Vec::new(),
            ),
            Item::Remove(remove) => symbol(
                format!("remove {} {}", remove.target.keyword(), remove.id.node),
                What::Remove,
                None,
                remove.span,
                remove.id.span,
                Vec::new(),
            ),
            Item::Rollup(rollup) => symbol(
                titled(&rollup.name.node, &rollup.title),
                What::Rollup,
                None,
                rollup.span,
                rollup.name.span,
                Vec::new(),
            ),
        });
    }
    symbols
}
