//! What may be typed at a place: told from the text just before the cursor
//! (what was just typed need not parse yet) and from the tree of the last
//! text that parsed (which block the cursor is in).

use crate::check::RULE_QUERIES;
use crate::check::model::Builtin;
use crate::syntax::ast::{self, Item};

use super::hover::signature;
use super::index::{Kind, rules};
use super::{FileView, Position, Scope};

/// One thing that may be typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// What the list shows.
    pub label: String,
    /// What it is.
    pub kind: CompletionKind,
    /// A line beside it: a field's label and type, a signature.
    pub detail: Option<String>,
    /// What is inserted, when not the label.
    pub insert: Option<String>,
    /// What typing is matched against, when not the label (a field is
    /// found by its name and by its label).
    pub filter: Option<String>,
    /// The text it replaces, when more than the word being typed: a quote
    /// already typed (and the one an editor closed it with).
    pub replace: Option<(Position, Position)>,
}

/// What a completion is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// A field.
    Field,
    /// A `let`.
    Let,
    /// A rule id.
    Rule,
    /// A section id.
    Section,
    /// A choice of a `one of` field, quoted.
    Choice,
    /// A grade's name, quoted.
    Grade,
    /// A keyword.
    Keyword,
    /// A built-in function.
    Function,
}

/// Clause keywords, inside a rule.
const CLAUSES: [&str; 8] = [
    "when", "require", "points", "deduct", "remedy", "ref", "note", "owner",
];

/// What may be typed at byte `offset` of `file`'s text.
pub(super) fn at(scope: &Scope, file: &FileView, offset: usize) -> Vec<Completion> {
    let before = &file.text[..floor(&file.text, offset)];
    let line = before.rsplit('\n').next().unwrap_or("");
    let word_start = line
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '_')
        .last()
        .map_or(line.len(), |(at, _)| at);
    let head = line[..word_start].trim_end();
    let rule_call = RULE_QUERIES
        .iter()
        .any(|(call, _)| head.strip_suffix('(').is_some_and(|h| h.ends_with(call)));
    if rule_call {
        return defined(scope, Kind::Rule, CompletionKind::Rule);
    }
    if head.ends_with("section_score(") {
        return defined(scope, Kind::Section, CompletionKind::Section);
    }
    // A quoted name replaces the quotes typed around the cursor.
    let word_offset = before.len() - (line.len() - word_start);
    let quoted = |mut found: Vec<Completion>| {
        if line[..word_start].ends_with('"') {
            let closed = file.text[before.len()..].starts_with('"');
            let start = file.lines.position(&file.text, word_offset - 1);
            let end = file
                .lines
                .position(&file.text, before.len() + usize::from(closed));
            for completion in &mut found {
                completion.replace = Some((start, end));
                completion.filter = Some(completion.label.clone());
            }
        }
        found
    };
    if let Some(field) = compared_field(head) {
        let choices = choices_of(scope, field);
        if !choices.is_empty() {
            return quoted(choices);
        }
    }
    if head.ends_with("expect grade") || head.trim_end_matches('"').ends_with("expect grade") {
        return quoted(grades(scope));
    }
    let (in_rule, top_level) = place(&file.tree, file.to_tree(offset));
    let mut found = Vec::new();
    let line_start = head.is_empty();
    if line_start && top_level {
        found.extend(keywords(&crate::syntax::ITEM_KEYWORDS));
        return found;
    }
    if line_start && in_rule {
        found.extend(keywords(&CLAUSES));
    }
    found.extend(values(scope));
    found.extend(defined(scope, Kind::Function, CompletionKind::Function));
    found.extend(Builtin::ALL.iter().map(|&(name, builtin)| Completion {
        label: name.to_owned(),
        kind: CompletionKind::Function,
        detail: Some(signature(name, builtin)),
        insert: None,
        filter: None,
        replace: None,
    }));
    found
}

/// The largest character boundary at or before `offset`.
fn floor(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Whether `offset` is inside a rule (or `amend rule`), and whether it is
/// at the top level (inside no declaration).
fn place(tree: &ast::File, offset: usize) -> (bool, bool) {
    let inside = |span: crate::syntax::span::Span| span.start < offset && offset < span.end;
    let in_rule = rules(tree).iter().any(|(rule, _)| inside(rule.span))
        || tree
            .items
            .iter()
            .any(|item| matches!(item, Item::AmendRule(amend) if inside(amend.span)));
    let top_level = !tree.items.iter().any(|item| inside(item.span()));
    (in_rule, top_level && !in_rule)
}

/// The field compared in `NAME ==`, `NAME !=` or `NAME [not] in (` at the end
/// of `head` (an open quote or list allowed).
fn compared_field(head: &str) -> Option<&str> {
    let head = head.trim_end_matches('"').trim_end();
    let head = match head.rfind('(') {
        Some(open) if head[..open].trim_end().ends_with(" in") && !head[open..].contains(')') => {
            let before = head[..open].trim_end().strip_suffix("in")?.trim_end();
            before.strip_suffix("not").unwrap_or(before).trim_end()
        }
        _ => head
            .strip_suffix("==")
            .or_else(|| head.strip_suffix("!="))?
            .trim_end(),
    };
    let start = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '_')
        .last()?
        .0;
    Some(&head[start..])
}

/// The choices of a `one of` field, quoted.
fn choices_of(scope: &Scope, field: &str) -> Vec<Completion> {
    let declared = scope
        .files
        .iter()
        .flat_map(|f| &f.tree.items)
        .find_map(|item| match item {
            Item::Fields(block) => block.fields.iter().find(|f| f.name.node == field),
            _ => None,
        });
    let Some(ast::FieldType::OneOf(choices)) = declared.map(|f| &f.ty.node) else {
        return Vec::new();
    };
    choices
        .iter()
        .map(|choice| Completion {
            label: crate::syntax::print::quote(&choice.node),
            kind: CompletionKind::Choice,
            detail: Some(field.to_owned()),
            insert: None,
            filter: Some(choice.node.clone()),
            replace: None,
        })
        .collect()
}

/// The standard's grade names, quoted.
fn grades(scope: &Scope) -> Vec<Completion> {
    let mut found: Vec<Completion> = Vec::new();
    for item in scope.files.iter().flat_map(|f| &f.tree.items) {
        if let Item::Grades(grades) = item {
            for band in &grades.bands {
                let label = crate::syntax::print::quote(&band.name.node);
                if !found.iter().any(|c| c.label == label) {
                    found.push(Completion {
                        label,
                        kind: CompletionKind::Grade,
                        detail: None,
                        insert: None,
                        filter: Some(band.name.node.clone()),
                        replace: None,
                    });
                }
            }
        }
    }
    found
}

/// Every definition of a kind, by name, each once.
fn defined(scope: &Scope, kind: Kind, as_kind: CompletionKind) -> Vec<Completion> {
    let mut names: Vec<&String> = scope
        .definitions
        .keys()
        .filter(|(k, _)| *k == kind)
        .map(|(_, name)| name)
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| Completion {
            label: name.clone(),
            kind: as_kind,
            detail: None,
            insert: None,
            filter: None,
            replace: None,
        })
        .collect()
}

/// Fields (shown by label when they have one, the name inserted) and lets.
fn values(scope: &Scope) -> Vec<Completion> {
    let mut found: Vec<Completion> = Vec::new();
    for item in scope.files.iter().flat_map(|f| &f.tree.items) {
        if let Item::Fields(block) = item {
            for field in &block.fields {
                if found
                    .iter()
                    .any(|c| c.insert.as_deref() == Some(&field.name.node))
                {
                    continue;
                }
                let label = field.label.as_ref().map(|l| l.node.clone());
                found.push(Completion {
                    label: label.clone().unwrap_or_else(|| field.name.node.clone()),
                    kind: CompletionKind::Field,
                    detail: Some(match &label {
                        Some(_) => field.name.node.clone(),
                        None => String::new(),
                    })
                    .filter(|d| !d.is_empty()),
                    insert: Some(field.name.node.clone()),
                    filter: Some(match label {
                        Some(label) => format!("{} {label}", field.name.node),
                        None => field.name.node.clone(),
                    }),
                    replace: None,
                });
            }
        }
    }
    found.extend(defined(scope, Kind::Let, CompletionKind::Let));
    found
}

fn keywords(words: &[&str]) -> Vec<Completion> {
    words
        .iter()
        .map(|word| Completion {
            label: (*word).to_owned(),
            kind: CompletionKind::Keyword,
            detail: None,
            insert: None,
            filter: None,
            replace: None,
        })
        .collect()
}
