//! The declarations of a standard: header, fields, lets, sections and rules,
//! grades and examples, each checked and turned into the model.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::errors::CheckError;
use super::expressions::{self, Context};
use super::model::{self, FieldId, LetId, RuleId, SectionId, Type};
use super::order::{self, Order};
use super::{Checker, Declared};
use crate::language::{LANGUAGES, Language};
use crate::suggest::closest;
use crate::syntax::ast;
use crate::syntax::span::Span;
use crate::syntax::span::Spanned;

/// The header entries a standard may have.
const HEADER_ENTRIES: [&str; 11] = [
    "title",
    "version",
    "effective",
    "until",
    "source",
    "key",
    "dated_by",
    "extends",
    "total",
    "cap",
    "language",
];

/// The field type names.
const TYPE_NAMES: [(&str, model::FieldType); 6] = [
    ("bool", model::FieldType::Bool),
    ("count", model::FieldType::Count),
    ("number", model::FieldType::Number),
    ("percent", model::FieldType::Percent),
    ("text", model::FieldType::Text),
    ("date", model::FieldType::Date),
];

/// The most the points (or the weights) of a standard may add up to.
const LARGEST_SUM: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// How `deduct ... per` is written, for a help.
const DEDUCT_EXAMPLE: &str = "deduct per a count, e.g. `deduct 1 per exposed_waste`";
/// How variable points are written, for a help.
const CREDIT_EXAMPLE: &str =
    "compute the points from numbers, e.g. `points 0.5 * activities up to 2`";

/// Names that mean a unit's results in grades and cannot name a field or let.
pub const RESERVED_NAMES: [&str; 4] = ["score", "earned", "possible", "rank"];

/// The header, read.
#[derive(Default)]
struct HeaderInfo {
    name: String,
    span: Span,
    name_span: Span,
    entries: HashMap<&'static str, (ast::HeaderValue, Span)>,
}

impl HeaderInfo {
    fn text(&self, entry: &str) -> Option<String> {
        match self.entries.get(entry) {
            Some((
                ast::HeaderValue::Text(t) | ast::HeaderValue::Bare(t) | ast::HeaderValue::Name(t),
                _,
            )) => Some(t.clone()),
            Some((ast::HeaderValue::Date(d), _)) => Some(d.to_string()),
            None => None,
        }
    }

    fn date(&self, entry: &str) -> Option<jiff::civil::Date> {
        match self.entries.get(entry) {
            Some((ast::HeaderValue::Date(d), _)) => Some(*d),
            _ => None,
        }
    }

    fn total(&self) -> Option<(Decimal, Span)> {
        self.number("total")
    }

    /// A header entry that holds a number, such as `total` or `cap`.
    fn number(&self, entry: &str) -> Option<(Decimal, Span)> {
        match self.entries.get(entry) {
            Some((ast::HeaderValue::Bare(text), span)) => Some((text.parse().ok()?, *span)),
            _ => None,
        }
    }

    /// The `language` entry, when it names a language.
    fn language(&self) -> Option<Language> {
        match self.entries.get("language") {
            Some((ast::HeaderValue::Text(code), _)) => Language::from_code(code),
            _ => None,
        }
    }

    fn name_entry(&self, entry: &str) -> Option<(&str, Span)> {
        match self.entries.get(entry) {
            Some((ast::HeaderValue::Name(n), span)) => Some((n.as_str(), *span)),
            _ => None,
        }
    }
}

/// A rule of the file with the section it is in.
struct PendingRule<'a> {
    rule: &'a ast::Rule,
    section: Option<SectionId>,
}

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
        let examples = self.examples(file, &grades);
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

    // ------------------------------------------------------------ header

    fn header(&mut self, file: &ast::File) -> HeaderInfo {
        let mut info = HeaderInfo::default();
        let mut first: Option<Span> = None;
        for item in &file.items {
            let ast::Item::Header(header) = item else {
                continue;
            };
            if let Some(first) = first {
                self.report(CheckError::DuplicateHeader {
                    span: header.name.span.into(),
                    first: first.into(),
                });
                continue;
            }
            first = Some(header.name.span);
            info.name = header.name.node.clone();
            info.span = header.span;
            info.name_span = header.name.span;
            for entry in &header.entries {
                self.header_entry(&mut info, entry);
            }
        }
        match first {
            None => self.report(CheckError::MissingHeader {
                span: Span::new(0, 0).into(),
            }),
            Some(name) if !info.entries.contains_key("key") => {
                self.report(CheckError::MissingKey { span: name.into() })
            }
            Some(_) => {}
        }
        info
    }

    fn header_entry(&mut self, info: &mut HeaderInfo, entry: &ast::HeaderEntry) {
        let Some(&name) = HEADER_ENTRIES.iter().find(|&&n| n == entry.name.node) else {
            let help = match closest(&entry.name.node, HEADER_ENTRIES) {
                Some(name) => format!("did you mean `{name}`?"),
                None => format!("the header takes {}", backticked(&HEADER_ENTRIES)),
            };
            self.report(CheckError::UnknownHeaderEntry {
                name: entry.name.node.clone(),
                span: entry.name.span.into(),
                help,
            });
            return;
        };
        if let Some((_, first)) = info.entries.get(name) {
            self.report(CheckError::DuplicateEntry {
                name: name.to_owned(),
                place: " in the header".to_owned(),
                span: entry.span.into(),
                first: (*first).into(),
            });
            return;
        }
        let value = &entry.value.node;
        let fits = match name {
            "effective" | "until" => matches!(value, ast::HeaderValue::Date(_)),
            "key" | "dated_by" => matches!(value, ast::HeaderValue::Name(_)),
            "extends" => matches!(value, ast::HeaderValue::Text(_)),
            "total" | "cap" => {
                matches!(value, ast::HeaderValue::Bare(text) if text.parse::<Decimal>().is_ok())
            }
            "version" => !matches!(value, ast::HeaderValue::Date(_)),
            _ => matches!(value, ast::HeaderValue::Text(_)),
        };
        if !fits {
            let expected = match name {
                "effective" | "until" => "a date such as `2015-01-01`",
                "key" | "dated_by" => "a field name",
                "total" | "cap" => "a number",
                "version" => "a year or a quoted version",
                _ => "a quoted string",
            };
            self.report(CheckError::InvalidHeaderValue {
                entry: name.to_owned(),
                expected: expected.to_owned(),
                span: entry.value.span.into(),
            });
        }
        if let ("language", ast::HeaderValue::Text(code)) = (name, value)
            && Language::from_code(code).is_none()
        {
            let regional = match code.to_ascii_lowercase().as_str() {
                "zh-tw" | "zh-hk" | "zh-mo" => Some(Language::Traditional.code()),
                "zh-cn" | "zh-sg" => Some(Language::Simplified.code()),
                _ => None,
            };
            let help = match regional.or_else(|| closest(code, LANGUAGES.map(Language::code))) {
                Some(code) => format!("did you mean `\"{code}\"`?"),
                None => "write \"zh-Hant\" (Traditional Chinese), \"zh-Hans\" (Simplified Chinese) or \"en\" (English)".to_owned(),
            };
            self.report(CheckError::UnknownLanguage {
                code: code.clone(),
                span: entry.value.span.into(),
                help,
            });
        }
        info.entries.insert(name, (value.clone(), entry.value.span));
    }

    /// `extends`, `amend` and `remove`: kept in the AST, not yet resolved.
    fn editions(&mut self, file: &ast::File, header: &HeaderInfo) {
        if let Some((_, span)) = header.entries.get("extends") {
            self.report(CheckError::extends_unresolved(*span));
            return;
        }
        for item in &file.items {
            let (what, span) = match item {
                ast::Item::AmendRule(amend) => ("amend rule", amend.id.span),
                ast::Item::Remove(remove) => ("remove", remove.id.span),
                _ => continue,
            };
            self.report(CheckError::NothingToAmend {
                what,
                span: span.into(),
            });
        }
    }

    // ------------------------------------------------------------ fields

    fn fields(&mut self, file: &ast::File) {
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
    fn claim_name(&mut self, name: &ast::Ident) -> bool {
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

    fn key_fields(&mut self, header: &HeaderInfo) -> Option<(FieldId, Option<FieldId>)> {
        let (key_name, key_span) = header.name_entry("key")?;
        let key = self.lookup_field(key_name, key_span);
        let dated_by = match header.name_entry("dated_by") {
            None => None,
            Some((name, span)) => {
                let id = self.lookup_field(name, span)?;
                if self.fields[id.0].ty != model::FieldType::Date {
                    self.report(CheckError::TypeMismatch {
                        message: format!(
                            "`dated_by` needs a `date` field, but `{name}` is a `{}`",
                            self.fields[id.0].ty.describe()
                        ),
                        span: span.into(),
                        label: "not a date".to_owned(),
                        help: Some(format!(
                            "declare `{name}` as `date`, or date inspections by another field"
                        )),
                    });
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

    // ------------------------------------------------------------ scripts

    /// Finds each `fn name(params)` of the scripts, for arity checks.
    /// Parses each script block with Rhai: its functions and their
    /// arity, or a syntax error placed in the standard.
    fn scripts(&mut self, file: &ast::File) {
        for item in &file.items {
            let ast::Item::Script(script) = item else {
                continue;
            };
            match crate::script::functions(&script.code.node) {
                Ok(functions) => self.script_functions.extend(functions),
                Err(failure) => {
                    self.scripts_unparsed = true;
                    let at = script.code.span.start + failure.offset;
                    let end = (at + 1).min(script.code.span.end.max(at));
                    self.report(CheckError::ScriptSyntax {
                        message: failure.message,
                        span: Span::new(at, end).into(),
                    });
                }
            }
        }
    }

    // ------------------------------------------------------------ lets

    /// Declares, orders and checks every let. The result is indexed by `LetId`
    /// (dependency order); an entry is `None` when its definition has an error.
    fn lets(&mut self, file: &ast::File) -> Vec<Option<model::Let>> {
        let mut decls: Vec<&ast::LetDecl> = Vec::new();
        for item in &file.items {
            if let ast::Item::Let(decl) = item
                && self.claim_name(&decl.name)
            {
                self.let_names.insert(
                    decl.name.node.clone(),
                    Declared {
                        id: LetId(decls.len()),
                        span: decl.name.span,
                    },
                );
                decls.push(decl);
            }
        }
        self.let_types = vec![None; decls.len()];
        self.let_used = vec![false; decls.len()];
        // Which lets each let reads, by declaration index.
        let dependencies: Vec<Vec<usize>> = decls
            .iter()
            .map(|decl| {
                let mut names = Vec::new();
                expressions::names_in(&decl.value, &mut names);
                names
                    .iter()
                    .filter_map(|name| self.let_names.get(*name).map(|d| d.id.0))
                    .collect()
            })
            .collect();
        let order = match order::topological(&dependencies) {
            Order::Sorted(order) => order,
            Order::Cycle(cycle) => {
                let path = describe_cycle(&cycle, |i| decls[i].name.node.as_str(), "uses");
                let first = decls[cycle[0]];
                self.report(CheckError::Cycle {
                    what: "let",
                    name: first.name.node.clone(),
                    path,
                    span: first.name.span.into(),
                });
                return Vec::new();
            }
        };
        // Renumber so that a LetId is the position in dependency order.
        let mut position = vec![0; decls.len()];
        for (at, &index) in order.iter().enumerate() {
            position[index] = at;
        }
        for declared in self.let_names.values_mut() {
            declared.id = LetId(position[declared.id.0]);
        }
        order
            .iter()
            .enumerate()
            .map(|(at, &index)| {
                let decl = decls[index];
                let value = self.expr(&decl.value, Context::Let)?;
                self.let_types[at] = Some(value.ty);
                Some(model::Let {
                    name: decl.name.node.clone(),
                    value,
                    span: decl.span,
                })
            })
            .collect()
    }

    // ------------------------------------------------------------ sections and rules

    /// Declares every section and rule id, in source order.
    fn sections<'a>(&mut self, file: &'a ast::File) -> (Vec<model::Section>, Vec<PendingRule<'a>>) {
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

    fn declare_rule<'a>(
        &mut self,
        rule: &'a ast::Rule,
        section: Option<SectionId>,
        rules: &mut Vec<PendingRule<'a>>,
    ) {
        if let Some(first) = self.rule_names.get(&rule.id.node) {
            self.report(CheckError::DuplicateId {
                what: "rule",
                id: rule.id.node.clone(),
                span: rule.id.span.into(),
                first: first.span.into(),
            });
            return;
        }
        self.rule_names.insert(
            rule.id.node.clone(),
            Declared {
                id: RuleId(rules.len()),
                span: rule.id.span,
            },
        );
        rules.push(PendingRule { rule, section });
    }

    /// Checks one rule's flags and clauses.
    fn rule(&mut self, pending: &PendingRule<'_>) -> Option<model::Rule> {
        let rule = pending.rule;
        let mut flags: HashMap<ast::RuleFlag, Span> = HashMap::new();
        for flag in &rule.flags {
            if let Some(first) = flags.insert(flag.node, flag.span) {
                self.report(CheckError::DuplicateEntry {
                    name: flag.node.keyword().to_owned(),
                    place: format!(" in rule `{}`", rule.id.node),
                    span: flag.span.into(),
                    first: first.into(),
                });
            }
        }
        self.rule_reads.clear();
        let short;
        let clauses: &[ast::Clause] = match &rule.body {
            ast::RuleBody::Block(clauses) => clauses,
            ast::RuleBody::Short(condition) => {
                short = [ast::Clause {
                    kind: ast::ClauseKind::Require(condition.clone()),
                    span: condition.span,
                }];
                &short
            }
        };
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        let mut ok = true;
        let mut when = None;
        let mut require = None;
        let mut points = None;
        let mut credit = None;
        let mut variable_points_span = None;
        let mut deduct = None;
        let mut deduct_span = None;
        let mut texts: HashMap<&'static str, String> = HashMap::new();
        for clause in clauses {
            let keyword = clause.kind.keyword();
            if let Some(first) = seen.insert(keyword, clause.span) {
                self.report(CheckError::DuplicateEntry {
                    name: keyword.to_owned(),
                    place: format!(" in rule `{}`", rule.id.node),
                    span: clause.span.into(),
                    first: first.into(),
                });
                continue;
            }
            match &clause.kind {
                ast::ClauseKind::When(e) => {
                    when = self.condition(e, "when", Context::Rule);
                    ok &= when.is_some();
                }
                ast::ClauseKind::Require(e) => {
                    require = self.condition(e, "require", Context::Rule);
                    ok &= require.is_some();
                }
                ast::ClauseKind::Points(n) => points = Some(n.node),
                ast::ClauseKind::VariablePoints {
                    credit: expression,
                    up_to,
                } => {
                    points = Some(up_to.node);
                    variable_points_span = Some(clause.span);
                    credit = self.numeric(expression, "points ... up to", CREDIT_EXAMPLE);
                    ok &= credit.is_some();
                }
                ast::ClauseKind::Deduct { amount, per, up_to } => {
                    deduct_span = Some(clause.span);
                    deduct = self.deduct_amount(amount, per, up_to.as_ref());
                    ok &= deduct.is_some();
                }
                ast::ClauseKind::Remedy(t)
                | ast::ClauseKind::Ref(t)
                | ast::ClauseKind::Note(t)
                | ast::ClauseKind::Owner(t) => {
                    texts.insert(keyword, t.node.clone());
                }
            }
        }
        if let (Some(points), Some(deduct)) = (variable_points_span, deduct_span) {
            self.report(CheckError::VariablePointsDeduct {
                id: rule.id.node.clone(),
                span: deduct.into(),
                points: points.into(),
            });
            return None;
        }
        // With variable points, `require` may be left out: then it holds.
        if !seen.contains_key("require") && variable_points_span.is_none() {
            self.report(CheckError::MissingRequire {
                id: rule.id.node.clone(),
                span: rule.id.span.into(),
            });
            return None;
        }
        if !ok {
            return None;
        }
        Some(model::Rule {
            id: rule.id.node.clone(),
            title: rule
                .title
                .as_ref()
                .map_or_else(|| rule.id.node.clone(), |t| t.node.clone()),
            section: pending.section,
            critical: flags.contains_key(&ast::RuleFlag::Critical),
            veto: flags.contains_key(&ast::RuleFlag::Veto),
            bonus: flags.contains_key(&ast::RuleFlag::Bonus),
            when,
            require,
            points: points.unwrap_or(Decimal::ONE),
            points_given: points.is_some(),
            credit,
            deduct,
            remedy: texts.remove("remedy"),
            reference: texts.remove("ref"),
            note: texts.remove("note"),
            owner: texts.remove("owner"),
            id_span: rule.id.span,
            span: rule.span,
        })
    }

    fn deduct_amount(
        &mut self,
        amount: &Spanned<Decimal>,
        per: &ast::Expr,
        up_to: Option<&Spanned<Decimal>>,
    ) -> Option<model::Deduct> {
        let per = self.numeric(per, "deduct ... per", DEDUCT_EXAMPLE)?;
        Some(model::Deduct {
            amount: amount.node,
            per,
            up_to: up_to.map(|most| most.node),
        })
    }

    /// A rule's expression that must be a number (what a deduction counts,
    /// variable points); reported when it is not.
    fn numeric(
        &mut self,
        e: &ast::Expr,
        clause: &'static str,
        help: &'static str,
    ) -> Option<model::Expr> {
        let e = self.expr(e, Context::Rule)?;
        if !matches!(e.ty, Type::Number | Type::Any) {
            self.report(CheckError::NotNumeric {
                clause,
                found: e.ty.to_string(),
                help,
                span: e.span.into(),
            });
            return None;
        }
        Some(e)
    }

    /// Orders rules so that a rule comes after the rules whose outcome it reads.
    fn rule_order(
        &mut self,
        pending: &[PendingRule<'_>],
        rules: &[Option<model::Rule>],
    ) -> Option<Vec<RuleId>> {
        let dependencies: Vec<Vec<usize>> = rules
            .iter()
            .map(|rule| {
                let mut reads = Vec::new();
                if let Some(rule) = rule {
                    for e in rule.expressions() {
                        expressions::rules_read(e, &mut reads);
                    }
                }
                reads.into_iter().map(|r| r.0).collect()
            })
            .collect();
        match order::topological(&dependencies) {
            Order::Sorted(order) => Some(order.into_iter().map(RuleId).collect()),
            Order::Cycle(cycle) => {
                let path = describe_cycle(&cycle, |i| pending[i].rule.id.node.as_str(), "reads");
                let first = &pending[cycle[0]].rule.id;
                self.report(CheckError::Cycle {
                    what: "rule",
                    name: first.node.clone(),
                    path,
                    span: first.span.into(),
                });
                None
            }
        }
    }

    /// The points of every rule, and the sections' weights, add up to at
    /// most [`LARGEST_SUM`], so that no sum or weighted product of scoring
    /// can go past a decimal's 28 digits.
    fn bounded(&mut self, sections: &[model::Section], rules: &[Option<model::Rule>]) {
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
    fn weights(&mut self, sections: &[model::Section], pending: &[PendingRule<'_>]) {
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

    // ------------------------------------------------------------ grades

    fn grades(&mut self, file: &ast::File) -> Vec<model::Band> {
        let mut blocks = file.items.iter().filter_map(|item| match item {
            ast::Item::Grades(grades) => Some(grades),
            _ => None,
        });
        let Some(block) = blocks.next() else {
            return Vec::new();
        };
        for extra in blocks {
            self.report(CheckError::InvalidGrades {
                message: "`grades` is given twice".to_owned(),
                span: extra.span.into(),
                label: "second `grades`".to_owned(),
                help: Some("keep one `grades` block".to_owned()),
            });
        }
        let misplaced = block
            .bands
            .iter()
            .position(|b| b.condition.is_none())
            .filter(|&at| at + 1 != block.bands.len());
        if let Some(at) = misplaced {
            self.report(CheckError::InvalidGrades {
                message: "`otherwise` must be the last band".to_owned(),
                span: block.bands[at].span.into(),
                label: "bands after this one can never be given".to_owned(),
                help: Some("move this band to the end".to_owned()),
            });
        } else if let Some(last) = block.bands.last().filter(|b| b.condition.is_some()) {
            self.report(CheckError::InvalidGrades {
                message: "the last grade band must be `otherwise`".to_owned(),
                span: last.span.into(),
                label: "a unit that meets no band would get no grade".to_owned(),
                help: Some("end `grades` with a band such as `\"不達標\" otherwise`".to_owned()),
            });
        }
        let mut names: HashMap<&str, Span> = HashMap::new();
        let mut bands = Vec::new();
        for band in &block.bands {
            if names.insert(&band.name.node, band.name.span).is_some() {
                self.report(CheckError::InvalidGrades {
                    message: format!("grade `{}` is given twice", band.name.node),
                    span: band.name.span.into(),
                    label: "given again here".to_owned(),
                    help: Some("merge the two conditions with `or`".to_owned()),
                });
            }
            let condition = match &band.condition {
                None => None,
                Some(e) => match self.condition(e, "grade band", Context::Grade) {
                    Some(condition) => Some(condition),
                    None => continue,
                },
            };
            bands.push(model::Band {
                name: band.name.node.clone(),
                condition,
                span: band.span,
            });
        }
        if misplaced.is_some() {
            return bands;
        }
        self.lint_bands(&bands);
        bands
    }

    // ------------------------------------------------------------ examples

    fn examples(&mut self, file: &ast::File, grades: &[model::Band]) -> Vec<model::Example> {
        let mut examples = Vec::new();
        for item in &file.items {
            let ast::Item::Example(example) = item else {
                continue;
            };
            let mut given = Vec::new();
            let mut expectations = Vec::new();
            for member in &example.items {
                match member {
                    ast::ExampleItem::Given(block) => {
                        for assignment in &block.assignments {
                            if let Some(value) = self.given_value(assignment) {
                                given.push(value);
                            }
                        }
                    }
                    ast::ExampleItem::Expect(expect) => {
                        if let Some(kind) = self.expectation(&expect.kind, grades) {
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
                expectations,
                span: example.span,
            });
        }
        examples
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

    /// Help for an unknown name: did you mean a field or let, or is it a label?
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

/// "did you mean `"x"`?", or the list of the values when none is close.
pub(super) fn choice_help(text: &str, choices: &[String]) -> String {
    match closest(text, choices.iter().map(String::as_str)) {
        Some(choice) => format!("did you mean `\"{choice}\"`?"),
        None => format!("the values are {}", quoted_list(choices)),
    }
}

/// Candidates in a fixed order, so that suggestions do not depend on hashing.
fn sorted<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names
}

/// `a`, `b` and `c`
pub(super) fn backticked(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    join_words(&quoted)
}

/// `"a"`, `"b"` and `"c"`
pub(super) fn quoted_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`\"{n}\"`")).collect();
    join_words(&quoted)
}

fn join_words(words: &[String]) -> String {
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// "a uses b, b uses a"
fn describe_cycle<'a>(cycle: &[usize], name: impl Fn(usize) -> &'a str, verb: &str) -> String {
    let steps: Vec<String> = cycle
        .iter()
        .enumerate()
        .map(|(i, &at)| {
            let next = cycle[(i + 1) % cycle.len()];
            format!("`{}` {verb} `{}`", name(at), name(next))
        })
        .collect();
    steps.join(", ")
}
