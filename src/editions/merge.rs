//! One edition made from the edition it extends (SPEC §4), on the trees:
//! the new edition inherits everything it does not restate.
//!
//! - Header entries are inherited, except `version`, `effective` and
//!   `until`, which belong to one edition (and `extends` itself).
//! - A field or `let` with a known name replaces the old one; others are added.
//! - A section with a known id keeps its place: its title and weight are
//!   replaced and its new members added. Other sections and rules are added.
//!   A rule id that is already in use is an error: `amend` it instead.
//! - `grades` replaces the old bands; an `example` or a `rollup` with a
//!   known name replaces the old one; scripts are added.
//! - `amend rule ID` replaces the clauses it restates (and the title and
//!   flags when given); `remove rule`, `remove section`, `remove field` and
//!   `remove rollup` take them out (a roll-up's examples with it).
//!
//! Items are applied in the order written, so `remove rule A1` followed by a
//! new `rule A1` is allowed.

use std::collections::HashMap;

use crate::suggest::closest;
use crate::syntax::ast::{
    self, AmendRule, Clause, ClauseKind, File, Item, Remove, RemoveTarget, RuleBody, Section,
    SectionMember,
};
use crate::syntax::span::Span;

use super::errors::EditionError;

/// Header entries that belong to one edition and are not inherited.
const OWN_ENTRIES: [&str; 4] = ["version", "effective", "until", "extends"];

/// `edition` applied to `base` (an already merged tree).
pub fn merge(base: File, edition: File) -> (File, Vec<EditionError>) {
    let mut merger = Merger {
        rule_ids: HashMap::new(),
        items: base.items,
        errors: Vec::new(),
    };
    merger.index_rules();
    let mut header_seen = false;
    for item in edition.items {
        match item {
            Item::Header(header) if !header_seen => {
                header_seen = true;
                merger.header(header);
            }
            Item::Fields(block) => block.fields.into_iter().for_each(|f| merger.field(f)),
            Item::Let(decl) => merger.let_decl(decl),
            Item::Section(section) => merger.section(section),
            Item::Rule(rule) => {
                if merger.check_new_rule(&rule) {
                    merger.rule_ids.insert(rule.id.node.clone(), rule.id.span);
                    merger.items.push(Item::Rule(rule));
                }
            }
            Item::Grades(grades) => {
                merger.replace_or_push(Item::Grades(grades), |item| matches!(item, Item::Grades(_)))
            }
            Item::Example(example) => {
                let name = example.name.node.clone();
                merger.replace_or_push(
                    Item::Example(example),
                    |item| matches!(item, Item::Example(e) if e.name.node == name),
                );
            }
            Item::Rollup(rollup) => {
                let name = rollup.name.node.clone();
                merger.replace_or_push(
                    Item::Rollup(rollup),
                    |item| matches!(item, Item::Rollup(r) if r.name.node == name),
                );
            }
            Item::AmendRule(amendment) => merger.amend(amendment),
            Item::Remove(remove) => merger.remove(remove),
            other => merger.items.push(other),
        }
    }
    (
        File {
            items: merger.items,
        },
        merger.errors,
    )
}

struct Merger {
    items: Vec<Item>,
    /// The id of every rule in `items`, so that a new rule's id is looked
    /// up, not searched for: an edition adding many rules merges in linear time.
    rule_ids: HashMap<String, Span>,
    errors: Vec<EditionError>,
}

impl Merger {
    /// Gathers the ids of the rules in `items` afresh.
    fn index_rules(&mut self) {
        let mut ids = Vec::new();
        collect_ids(&self.items, RemoveTarget::Rule, &mut ids);
        self.rule_ids = ids.into_iter().map(|id| (id.node, id.span)).collect();
    }

    /// The new header: the old entries that are inherited, then the new ones.
    fn header(&mut self, header: ast::Header) {
        let has = |entry: &str| header.entries.iter().any(|e| e.name.node == entry);
        let missing = match (has("version"), has("effective")) {
            (true, true) => None,
            (false, true) => Some(("`version`", "version 2016")),
            (true, false) => Some(("`effective`", "effective 2016-01-01")),
            (false, false) => Some((
                "`version` and `effective`",
                "version 2016` and `effective 2016-01-01",
            )),
        };
        if let Some((entries, example)) = missing {
            self.errors.push(EditionError::EditionHeader {
                entries,
                example,
                span: header.name.span.into(),
            });
        }
        let Some(Item::Header(old)) = self.items.iter_mut().find(|i| matches!(i, Item::Header(_)))
        else {
            self.items.insert(0, Item::Header(header));
            return;
        };
        let restated = |name: &str| header.entries.iter().any(|e| e.name.node == name);
        let mut entries: Vec<ast::HeaderEntry> = std::mem::take(&mut old.entries)
            .into_iter()
            .filter(|e| !OWN_ENTRIES.contains(&e.name.node.as_str()) && !restated(&e.name.node))
            .collect();
        entries.extend(
            header
                .entries
                .into_iter()
                .filter(|e| e.name.node != "extends"),
        );
        *old = ast::Header {
            name: header.name,
            entries,
            span: header.span,
        };
    }

    fn field(&mut self, field: ast::FieldDecl) {
        let blocks = self.items.iter_mut().filter_map(|item| match item {
            Item::Fields(block) => Some(block),
            _ => None,
        });
        let mut last = None;
        for block in blocks {
            if let Some(old) = block
                .fields
                .iter_mut()
                .find(|f| f.name.node == field.name.node)
            {
                *old = field;
                return;
            }
            last = Some(block);
        }
        match last {
            Some(block) => block.fields.push(field),
            None => self.items.push(Item::Fields(ast::FieldsBlock {
                span: field.span,
                fields: vec![field],
            })),
        }
    }

    fn let_decl(&mut self, decl: ast::LetDecl) {
        let name = decl.name.node.clone();
        self.replace_or_push(
            Item::Let(decl),
            |item| matches!(item, Item::Let(l) if l.name.node == name),
        );
    }

    /// Replaces the first item `same` picks, or adds `item` at the end.
    fn replace_or_push(&mut self, item: Item, same: impl Fn(&Item) -> bool) {
        match self.items.iter_mut().find(|i| same(i)) {
            Some(old) => *old = item,
            None => self.items.push(item),
        }
    }

    fn section(&mut self, section: Section) {
        let existing = self
            .items
            .iter()
            .position(|item| matches!(item, Item::Section(s) if s.id.node == section.id.node));
        let members = self.new_members(section.members.clone());
        for member in &members {
            match member {
                SectionMember::Rule(rule) => {
                    self.rule_ids.insert(rule.id.node.clone(), rule.id.span);
                }
                SectionMember::Section(nested) => {
                    let mut ids = Vec::new();
                    collect_member_ids(nested, RemoveTarget::Rule, &mut ids);
                    self.rule_ids
                        .extend(ids.into_iter().map(|id| (id.node, id.span)));
                }
            }
        }
        match existing {
            Some(index) => {
                if let Item::Section(old) = &mut self.items[index] {
                    old.title = section.title;
                    old.weight = section.weight.or(old.weight.take());
                    merge_members(old, members);
                }
            }
            None => self
                .items
                .push(Item::Section(Section { members, ..section })),
        }
    }

    /// The members of a restated or new section, without rules whose id is
    /// taken (each reported).
    fn new_members(&mut self, members: Vec<SectionMember>) -> Vec<SectionMember> {
        let mut kept = Vec::new();
        for member in members {
            match member {
                SectionMember::Rule(rule) => {
                    if self.check_new_rule(&rule) {
                        kept.push(SectionMember::Rule(rule));
                    }
                }
                SectionMember::Section(mut nested) => {
                    nested.members = self.new_members(nested.members);
                    kept.push(SectionMember::Section(nested));
                }
            }
        }
        kept
    }

    /// Whether a new rule's id is free; reports it when it is not.
    fn check_new_rule(&mut self, rule: &ast::Rule) -> bool {
        let id = &rule.id.node;
        let Some(&base) = self.rule_ids.get(id) else {
            return true;
        };
        self.errors.push(EditionError::Redefined {
            what: "rule",
            id: id.clone(),
            span: rule.id.span.into(),
            base: Some(base.into()),
            help: format!(
                "write `amend rule {id} {{ ... }}` with the clauses that change, or `remove rule {id}` before defining it anew"
            ),
        });
        false
    }

    fn amend(&mut self, amendment: AmendRule) {
        let Some(rule) = find_rule(&mut self.items, &amendment.id.node) else {
            let help = self.suggestion(&amendment.id.node, RemoveTarget::Rule);
            self.errors.push(EditionError::UnknownId {
                what: "rule",
                id: amendment.id.node,
                span: amendment.id.span.into(),
                help,
            });
            return;
        };
        apply(rule, amendment);
    }

    fn remove(&mut self, remove: Remove) {
        if remove_item(&mut self.items, &remove.id.node, remove.target) {
            match remove.target {
                RemoveTarget::Rule => {
                    self.rule_ids.remove(&remove.id.node);
                }
                // A section takes its rules with it: the ids are gathered again.
                RemoveTarget::Section => self.index_rules(),
                RemoveTarget::Field => {}
                // The examples of a roll-up go with it.
                RemoveTarget::Rollup => self.items.retain(|item| {
                    !matches!(item, Item::Example(e) if e.rollup.as_ref().is_some_and(|r| r.node == remove.id.node))
                }),
            }
        } else {
            let help = self.suggestion(&remove.id.node, remove.target);
            self.errors.push(EditionError::UnknownId {
                what: remove.target.keyword(),
                id: remove.id.node,
                span: remove.id.span.into(),
                help,
            });
        }
    }

    /// "did you mean `A1`?" among the ids of the earlier edition.
    fn suggestion(&self, id: &str, target: RemoveTarget) -> Option<String> {
        let mut ids = Vec::new();
        collect_ids(&self.items, target, &mut ids);
        closest(id, ids.iter().map(|id| id.node.as_str()))
            .map(|found| format!("did you mean `{found}`?"))
    }
}

/// Adds members to a restated section: nested sections with a known id are
/// merged the same way.
fn merge_members(section: &mut Section, members: Vec<SectionMember>) {
    for member in members {
        match member {
            SectionMember::Section(nested) => {
                let existing = section.members.iter_mut().find_map(|m| match m {
                    SectionMember::Section(s) if s.id.node == nested.id.node => Some(s),
                    _ => None,
                });
                match existing {
                    Some(old) => {
                        old.title = nested.title;
                        old.weight = nested.weight.or(old.weight.take());
                        merge_members(old, nested.members);
                    }
                    None => section.members.push(SectionMember::Section(nested)),
                }
            }
            rule @ SectionMember::Rule(_) => section.members.push(rule),
        }
    }
}

/// Applies an amendment: a restated clause replaces the old clause of its
/// kind; a clause the rule did not have is added.
fn apply(rule: &mut ast::Rule, amendment: AmendRule) {
    if let Some(title) = amendment.title {
        rule.title = Some(title);
    }
    if !amendment.flags.is_empty() {
        rule.flags = amendment.flags;
    }
    let mut clauses = match std::mem::replace(&mut rule.body, RuleBody::Block(Vec::new())) {
        RuleBody::Block(clauses) => clauses,
        RuleBody::Short(expr) => vec![Clause {
            span: expr.span,
            kind: ClauseKind::Require(expr),
        }],
    };
    let inherited = clauses.len();
    let mut replaced: Vec<&'static str> = Vec::new();
    for clause in amendment.clauses {
        let keyword = clause.kind.keyword();
        // A clause restated twice in the amendment is kept twice, so that the
        // checker reports it as given twice.
        let old = (!replaced.contains(&keyword))
            .then(|| {
                clauses[..inherited]
                    .iter()
                    .position(|c| c.kind.keyword() == keyword)
            })
            .flatten();
        replaced.push(keyword);
        match old {
            Some(index) => clauses[index] = clause,
            None => clauses.push(clause),
        }
    }
    rule.body = RuleBody::Block(clauses);
}

/// The rule with this id, at the top level or in a section.
fn find_rule<'a>(items: &'a mut [Item], id: &str) -> Option<&'a mut ast::Rule> {
    items.iter_mut().find_map(|item| match item {
        Item::Rule(rule) if rule.id.node == id => Some(rule),
        Item::Section(section) => find_rule_in(&mut section.members, id),
        _ => None,
    })
}

fn find_rule_in<'a>(members: &'a mut [SectionMember], id: &str) -> Option<&'a mut ast::Rule> {
    members.iter_mut().find_map(|member| match member {
        SectionMember::Rule(rule) if rule.id.node == id => Some(rule),
        SectionMember::Section(section) => find_rule_in(&mut section.members, id),
        SectionMember::Rule(_) => None,
    })
}

/// Removes the rule or section (with its rules) with this id, at the top
/// level or in a section, or the field with this name; whether there was one.
fn remove_item(items: &mut Vec<Item>, id: &str, target: RemoveTarget) -> bool {
    if target == RemoveTarget::Field {
        return items.iter_mut().any(|item| match item {
            Item::Fields(block) => {
                let before = block.fields.len();
                block.fields.retain(|field| field.name.node != id);
                block.fields.len() != before
            }
            _ => false,
        });
    }
    let position = items.iter().position(|item| match (item, target) {
        (Item::Rule(rule), RemoveTarget::Rule) => rule.id.node == id,
        (Item::Section(section), RemoveTarget::Section) => section.id.node == id,
        (Item::Rollup(rollup), RemoveTarget::Rollup) => rollup.name.node == id,
        _ => false,
    });
    if let Some(index) = position {
        items.remove(index);
        return true;
    }
    items.iter_mut().any(|item| match item {
        Item::Section(section) => remove_member(&mut section.members, id, target),
        _ => false,
    })
}

fn remove_member(members: &mut Vec<SectionMember>, id: &str, target: RemoveTarget) -> bool {
    let position = members.iter().position(|member| match (member, target) {
        (SectionMember::Rule(rule), RemoveTarget::Rule) => rule.id.node == id,
        (SectionMember::Section(section), RemoveTarget::Section) => section.id.node == id,
        _ => false,
    });
    if let Some(index) = position {
        members.remove(index);
        return true;
    }
    members.iter_mut().any(|member| match member {
        SectionMember::Section(section) => remove_member(&mut section.members, id, target),
        SectionMember::Rule(_) => false,
    })
}

/// Every rule or section id, or field name, for suggestions.
fn collect_ids(items: &[Item], target: RemoveTarget, out: &mut Vec<ast::Ident>) {
    for item in items {
        match item {
            Item::Rule(rule) if target == RemoveTarget::Rule => out.push(rule.id.clone()),
            Item::Fields(block) if target == RemoveTarget::Field => {
                out.extend(block.fields.iter().map(|f| f.name.clone()))
            }
            Item::Rollup(rollup) if target == RemoveTarget::Rollup => {
                out.push(rollup.name.clone());
            }
            Item::Section(section) => collect_member_ids(section, target, out),
            _ => {}
        }
    }
}

fn collect_member_ids(section: &Section, target: RemoveTarget, out: &mut Vec<ast::Ident>) {
    if target == RemoveTarget::Section {
        out.push(section.id.clone());
    }
    for member in &section.members {
        match member {
            SectionMember::Rule(rule) if target == RemoveTarget::Rule => {
                out.push(rule.id.clone());
            }
            SectionMember::Section(nested) => collect_member_ids(nested, target, out),
            SectionMember::Rule(_) => {}
        }
    }
}

/// A file's `extends` path and the span of its value, if it has one.
pub fn extends_of(file: &File) -> Option<(String, Span)> {
    file.items.iter().find_map(|item| match item {
        Item::Header(header) => header.entries.iter().find_map(|entry| {
            match (&entry.name.node[..], &entry.value.node) {
                ("extends", ast::HeaderValue::Text(path)) => Some((path.clone(), entry.value.span)),
                _ => None,
            }
        }),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn merged(base: &str, edition: &str) -> (File, Vec<EditionError>) {
        merge(parse(base).file, parse(edition).file)
    }

    const BASE: &str = r#"
standard s { title "t" version 2015 effective 2015-01-01 until 2015-12-31 key id }
fields { id text
  a bool }
section A "甲" {
  rule A1 "one" { require a points 2 remedy "fix" }
  rule A2 "two": a
}
grades { "好" when score >= 80 "差" otherwise }
"#;

    #[test]
    fn amend_replaces_only_the_restated_clauses() {
        let (file, errors) = merged(
            BASE,
            r#"standard s { extends "b.std" version 2016 effective 2016-01-01 }
amend rule A1 { points 3 }
amend rule A2 "二" { points 4 }"#,
        );
        assert!(errors.is_empty(), "{errors:?}");
        let printed = crate::syntax::print::print(&file, &[], None);
        assert!(
            printed.contains("require a\n    points  3\n    remedy  \"fix\""),
            "{printed}"
        );
        assert!(
            printed.contains("rule A2 \"二\" {\n    require a\n    points  4"),
            "{printed}"
        );
        assert!(
            !printed.contains("until"),
            "until is not inherited: {printed}"
        );
        assert!(!printed.contains("extends"), "{printed}");
    }

    #[test]
    fn remove_and_add_apply_in_order() {
        let (file, errors) = merged(
            BASE,
            r#"standard s { extends "b.std" version 2016 effective 2016-01-01 }
remove rule A2
section A "甲" { rule A2 "new": not a }
section B "乙" { rule B1 "b": a }"#,
        );
        assert!(errors.is_empty(), "{errors:?}");
        let printed = crate::syntax::print::print(&file, &[], None);
        assert!(printed.contains("rule A2 \"new\": not a"), "{printed}");
        assert!(printed.contains("section B \"乙\""), "{printed}");
    }

    #[test]
    fn unknown_and_redefined_ids_are_reported_with_suggestions() {
        let (_, errors) = merged(
            BASE,
            r#"standard s { extends "b.std" }
amend rule A3 { points 1 }
remove section AA
rule A1 "again": a"#,
        );
        let codes: Vec<String> = errors
            .iter()
            .filter_map(|e| crate::diagnostics::code(e))
            .collect();
        assert_eq!(
            codes,
            [
                "yardstick::edition_header",
                "yardstick::edition_unknown_id",
                "yardstick::edition_unknown_id",
                "yardstick::edition_redefined"
            ]
        );
        assert!(
            matches!(&errors[1], EditionError::UnknownId { help: Some(h), .. } if h.contains("`A1`"))
        );
        assert!(
            matches!(&errors[2], EditionError::UnknownId { help: Some(h), .. } if h.contains("`A`"))
        );
    }
}
