//! Every name a file defines or uses, with where: the parsed tree walked
//! once. Names used in expressions are kept as written and resolved
//! against the definitions of the whole edition chain by the caller
//! ([`Kind::resolve`]): a file that extends another uses its fields.

use crate::check::RULE_QUERIES;
use crate::syntax::ast::{
    self, ClauseKind, Example, ExampleItem, ExpectKind, Expr, ExprKind, HeaderValue, Item,
    RollupLine, Rule, RuleBody, Section, SectionMember,
};
use crate::syntax::span::Span;

/// What a name names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A field of the record (`fields { ... }`).
    Field,
    /// A derived value (`let`).
    Let,
    /// A rule.
    Rule,
    /// A section.
    Section,
    /// A roll-up.
    Rollup,
    /// A function of a `script` block.
    Function,
    /// A plain name in an expression: a field or a `let`, whichever the
    /// chain defines.
    Value,
}

impl Kind {
    /// The kinds a name used as `self` may name, most likely first.
    pub fn resolve(self) -> &'static [Kind] {
        match self {
            Kind::Value => &[Kind::Field, Kind::Let],
            Kind::Field => &[Kind::Field],
            Kind::Let => &[Kind::Let],
            Kind::Rule => &[Kind::Rule],
            Kind::Section => &[Kind::Section],
            Kind::Rollup => &[Kind::Rollup],
            Kind::Function => &[Kind::Function],
        }
    }

    /// The word for the kind, as a hover names it.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Field => "field",
            Kind::Let => "let",
            Kind::Rule => "rule",
            Kind::Section => "section",
            Kind::Rollup => "rollup",
            Kind::Function => "function",
            Kind::Value => "name",
        }
    }
}

/// One mention of a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// The name as written.
    pub name: String,
    /// What it names.
    pub kind: Kind,
    /// Where the name is written (the name only).
    pub span: Span,
    /// Whether this is where it is defined (`amend rule` is not).
    pub definition: bool,
}

/// The names of one file, in source order.
pub fn occurrences(file: &ast::File) -> Vec<Occurrence> {
    let mut walk = Walk::default();
    for item in &file.items {
        walk.item(item);
    }
    walk.found.sort_by_key(|o| o.span.start);
    walk.found
}

/// Where `word` starts in Rhai `code` as a word of code: not inside a
/// `//` or `/* */` comment or a string, and not the end of a longer name.
fn code_starts<'c>(code: &'c str, word: &'c str) -> impl Iterator<Item = usize> + 'c {
    let bytes = code.as_bytes();
    let mut at = 0;
    let mut found = Vec::new();
    while at < bytes.len() {
        let rest = &code[at..];
        let skip = if rest.starts_with("//") {
            rest.find('\n').unwrap_or(rest.len())
        } else if rest.starts_with("/*") {
            rest.find("*/").map_or(rest.len(), |end| end + 2)
        } else if rest.starts_with('"') || rest.starts_with('`') {
            let quote = bytes[at];
            let mut end = 1;
            while end < rest.len() && rest.as_bytes()[end] != quote {
                end += if rest.as_bytes()[end] == b'\\' { 2 } else { 1 };
            }
            (end + 1).min(rest.len())
        } else {
            let before = code[..at].chars().next_back();
            if rest.starts_with(word) && !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                found.push(at);
            }
            rest.chars().next().map_or(1, char::len_utf8)
        };
        at += skip.max(1);
        while !code.is_char_boundary(at.min(code.len())) {
            at += 1;
        }
    }
    found.into_iter()
}

/// Every section of a tree, nested ones included, outer before inner.
pub(super) fn sections(tree: &ast::File) -> Vec<&Section> {
    let mut found: Vec<&Section> = tree
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Section(section) => Some(section),
            _ => None,
        })
        .collect();
    let mut at = 0;
    while at < found.len() {
        let nested = found[at].members.iter().filter_map(|m| match m {
            SectionMember::Section(inner) => Some(inner),
            SectionMember::Rule(_) => None,
        });
        found.extend(nested);
        at += 1;
    }
    found
}

/// Every rule of a tree with the section that holds it (none at the top
/// level).
pub(super) fn rules(tree: &ast::File) -> Vec<(&Rule, Option<&Section>)> {
    let top = tree.items.iter().filter_map(|item| match item {
        Item::Rule(rule) => Some((rule, None)),
        _ => None,
    });
    let inside = sections(tree).into_iter().flat_map(|section| {
        section.members.iter().filter_map(move |m| match m {
            SectionMember::Rule(rule) => Some((rule, Some(section))),
            SectionMember::Section(_) => None,
        })
    });
    top.chain(inside).collect()
}

/// Header entries whose value names a field.
const FIELD_ENTRIES: [&str; 2] = ["key", "dated_by"];

/// The function whose argument is a section id.
const SECTION_CALL: &str = "section_score";

/// Whether a function takes a rule id (`passed`, `failed`, `applicable`).
fn takes_rule(name: &str) -> bool {
    RULE_QUERIES.iter().any(|(call, _)| *call == name)
}

#[derive(Default)]
struct Walk {
    found: Vec<Occurrence>,
}

impl Walk {
    fn add(&mut self, name: &str, kind: Kind, span: Span, definition: bool) {
        self.found.push(Occurrence {
            name: name.to_owned(),
            kind,
            span,
            definition,
        });
    }

    fn ident(&mut self, ident: &ast::Ident, kind: Kind, definition: bool) {
        self.add(&ident.node, kind, ident.span, definition);
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Header(header) => {
                for entry in &header.entries {
                    if let HeaderValue::Name(name) = &entry.value.node
                        && FIELD_ENTRIES.contains(&entry.name.node.as_str())
                    {
                        self.add(name, Kind::Field, entry.value.span, false);
                    }
                }
            }
            Item::Fields(block) => {
                for field in &block.fields {
                    self.ident(&field.name, Kind::Field, true);
                }
            }
            Item::Let(decl) => {
                self.ident(&decl.name, Kind::Let, true);
                self.expr(&decl.value);
            }
            Item::Section(section) => self.section(section),
            Item::Rule(rule) => self.rule(rule),
            Item::Grades(grades) => self.grades(grades),
            Item::Script(script) => self.script(script),
            Item::Example(example) => self.example(example),
            Item::AmendRule(amend) => {
                self.ident(&amend.id, Kind::Rule, false);
                self.clauses(&amend.clauses);
            }
            Item::Remove(remove) => {
                let kind = match remove.target {
                    ast::RemoveTarget::Rule => Kind::Rule,
                    ast::RemoveTarget::Section => Kind::Section,
                    ast::RemoveTarget::Field => Kind::Field,
                    ast::RemoveTarget::Rollup => Kind::Rollup,
                };
                self.ident(&remove.id, kind, false);
            }
            Item::Rollup(rollup) => {
                self.ident(&rollup.name, Kind::Rollup, true);
                for line in &rollup.lines {
                    self.rollup_line(line);
                }
            }
        }
    }

    /// The functions a script defines: each `fn NAME(` of its code outside
    /// comments and strings (the code is written as it stands in the file,
    /// so offsets carry over).
    fn script(&mut self, script: &ast::Script) {
        let code = &script.code.node;
        for start in code_starts(code, "fn ") {
            let after = start + 3;
            let name_len = code[after..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(code.len() - after);
            if name_len > 0 && code[after + name_len..].trim_start().starts_with('(') {
                let begin = script.code.span.start + after;
                let span = Span::new(begin, begin + name_len);
                self.add(&code[after..after + name_len], Kind::Function, span, true);
            }
        }
    }

    fn section(&mut self, section: &Section) {
        self.ident(&section.id, Kind::Section, true);
        for member in &section.members {
            match member {
                SectionMember::Section(inner) => self.section(inner),
                SectionMember::Rule(rule) => self.rule(rule),
            }
        }
    }

    fn rule(&mut self, rule: &Rule) {
        self.ident(&rule.id, Kind::Rule, true);
        match &rule.body {
            RuleBody::Block(clauses) => self.clauses(clauses),
            RuleBody::Short(expr) => self.expr(expr),
        }
    }

    fn clauses(&mut self, clauses: &[ast::Clause]) {
        for clause in clauses {
            match &clause.kind {
                ClauseKind::When(e) | ClauseKind::Require(e) => self.expr(e),
                ClauseKind::VariablePoints { credit, .. } => self.expr(credit),
                ClauseKind::Deduct { per, .. } => self.expr(per),
                ClauseKind::Points(_)
                | ClauseKind::Remedy(_)
                | ClauseKind::Ref(_)
                | ClauseKind::Note(_)
                | ClauseKind::Owner(_) => {}
            }
        }
    }

    fn grades(&mut self, grades: &ast::Grades) {
        for band in &grades.bands {
            if let Some(condition) = &band.condition {
                self.expr(condition);
            }
        }
    }

    fn example(&mut self, example: &Example) {
        if let Some(rollup) = &example.rollup {
            self.ident(rollup, Kind::Rollup, false);
        }
        for item in &example.items {
            match item {
                ExampleItem::Given(given) => {
                    for assignment in &given.assignments {
                        self.ident(&assignment.field, Kind::Field, false);
                    }
                }
                ExampleItem::Expect(expect) => match &expect.kind {
                    ExpectKind::Outcome(_, id) | ExpectKind::Points(id, _) => {
                        self.ident(id, Kind::Rule, false);
                    }
                    ExpectKind::SectionScore(id, _) => self.ident(id, Kind::Section, false),
                    ExpectKind::Score(_) | ExpectKind::Grade(_) => {}
                },
            }
        }
    }

    fn rollup_line(&mut self, line: &RollupLine) {
        match line {
            RollupLine::Method(field, _) => self.ident(field, Kind::Field, false),
            RollupLine::Level(level) => {
                if let Some(by) = &level.by {
                    self.ident(by, Kind::Field, false);
                }
            }
            RollupLine::Grades(grades) => self.grades(grades),
            RollupLine::Target(target) => self.expr(&target.condition),
            RollupLine::Period { .. } | RollupLine::Repeat(_) => {}
        }
    }

    /// The names of an expression, without recursion: an expression may be
    /// nested as deep as the parser allows.
    fn expr(&mut self, root: &Expr) {
        let mut stack: Vec<(&Expr, Kind)> = vec![(root, Kind::Value)];
        while let Some((e, kind)) = stack.pop() {
            match &e.kind {
                ExprKind::Name(name) => self.add(name, kind, e.span, false),
                ExprKind::Call { name, args } => {
                    let builtin = crate::check::model::Builtin::ALL
                        .iter()
                        .any(|(known, _)| *known == name.node);
                    if !builtin && !takes_rule(&name.node) && name.node != SECTION_CALL {
                        self.ident(name, Kind::Function, false);
                    }
                    let kind = if takes_rule(&name.node) {
                        Kind::Rule
                    } else if name.node == SECTION_CALL {
                        Kind::Section
                    } else {
                        Kind::Value
                    };
                    stack.extend(args.iter().map(|a| (a, kind)));
                }
                ExprKind::Unary { operand, .. } => stack.push((operand, Kind::Value)),
                ExprKind::Binary { left, right, .. } => {
                    stack.push((left, Kind::Value));
                    stack.push((right, Kind::Value));
                }
                ExprKind::In { value, list, .. } => {
                    stack.push((value, Kind::Value));
                    stack.extend(list.iter().map(|a| (a, Kind::Value)));
                }
                ExprKind::Between { value, low, high } => {
                    stack.extend([value, low, high].map(|a| (a.as_ref(), Kind::Value)));
                }
                ExprKind::No(inner) | ExprKind::Paren(inner) => stack.push((inner, kind)),
                ExprKind::RankWithin(field) => self.ident(field, Kind::Field, false),
                ExprKind::Literal(_)
                | ExprKind::NoCriticalFailed
                | ExprKind::AnyVetoFailed
                | ExprKind::Top(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(source: &str) -> Vec<(String, Kind, bool)> {
        let parsed = crate::syntax::parse(source);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        occurrences(&parsed.file)
            .into_iter()
            .map(|o| {
                assert_eq!(&source[o.span.start..o.span.end], o.name);
                (o.name, o.kind, o.definition)
            })
            .collect()
    }

    #[test]
    fn script_functions_are_found_outside_comments_and_strings() {
        let code =
            "// fn hidden(x)\nfn shown(a) { \"fn quoted(b)\" }\n/* fn gone(c) */ fn also(d) {}\n";
        let starts: Vec<&str> = code_starts(code, "fn ")
            .map(|at| &code[at + 3..at + 7])
            .collect();
        assert_eq!(starts, ["show", "also"]);
    }

    #[test]
    fn definitions_and_uses_with_their_kinds() {
        let found = names(
            "fields {\n  綠化率 percent\n  單位 text\n}\nlet 高 = 綠化率 >= 30%\n\
             section D \"環境\" {\n  rule D1 \"綠化\" { require 高 points 2 }\n}\n\
             rule D2: passed(D1) and section_score(D) > 1\n",
        );
        use Kind::*;
        let expected: Vec<(String, Kind, bool)> = [
            ("綠化率", Field, true),
            ("單位", Field, true),
            ("高", Let, true),
            ("綠化率", Value, false),
            ("D", Section, true),
            ("D1", Rule, true),
            ("高", Value, false),
            ("D2", Rule, true),
            ("D1", Rule, false),
            ("D", Section, false),
        ]
        .into_iter()
        .map(|(n, k, d)| (n.to_owned(), k, d))
        .collect();
        assert_eq!(found, expected);
    }
}
