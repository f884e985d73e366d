//! What a name, a built-in or a keyword is, in a few lines of Markdown and
//! in the standard's language.

use crate::check::model::Builtin;
use crate::language::{Language, Word};
use crate::syntax::ast::{self, ClauseKind, Item, Rule, RuleBody, Section, SectionMember};
use crate::syntax::print;
use crate::syntax::span::Span;

use super::hints::points;
use super::index::{Kind, rules, sections};
use super::{FileView, Scope};

/// The language of the standard: of the first title found.
pub(super) fn language_of(files: &[std::sync::Arc<FileView>]) -> Language {
    files
        .iter()
        .flat_map(|f| &f.tree.items)
        .find_map(|item| match item {
            Item::Header(header) => header.entries.iter().find_map(|e| match &e.value.node {
                ast::HeaderValue::Text(title) if e.name.node == "title" => {
                    Some(Language::of_title(title))
                }
                _ => None,
            }),
            _ => None,
        })
        .unwrap_or(Language::English)
}

/// A definition found in a tree.
enum Found<'a> {
    Field(&'a ast::FieldDecl),
    Let(&'a ast::LetDecl),
    Rule(&'a Rule, Option<&'a Section>),
    Section(&'a Section),
    Rollup(&'a ast::Rollup),
}

/// The hover of a defined name.
pub(super) fn of_name(
    scope: &Scope,
    target: &(Kind, String),
    language: Language,
    let_types: Option<&std::collections::HashMap<String, crate::check::model::Type>>,
) -> Option<String> {
    let &(f, span) = scope.definitions.get(target)?.first()?;
    let file = &scope.files[f];
    if target.0 == Kind::Function {
        // `fn name(params)`, as the script writes it.
        let rest = file.parsed_text.get(span.start..)?;
        let signature = &rest[..rest.find(')').map_or(rest.len(), |at| at + 1)];
        return Some(format!("```rhai\nfn {signature}\n```"));
    }
    let found = find(&file.tree, target.0, span)?;
    let w = |word| language.word(word);
    let line = |word, value: &str| format!("\n\n{}", language.labelled(w(word), value));
    let mut text = match found {
        Found::Field(field) => {
            let ty = match &field.ty.node {
                ast::FieldType::Named(name) => name.clone(),
                ast::FieldType::OneOf(choices) => {
                    let quoted: Vec<String> =
                        choices.iter().map(|c| print::quote(&c.node)).collect();
                    format!("one of ({})", quoted.join(", "))
                }
            };
            let mut text = format!("**{}** `{}`", w(Word::IdeField), field.name.node);
            if let Some(label) = &field.label {
                text.push_str(&line(Word::IdeLabel, &label.node));
            }
            text.push_str(&line(Word::IdeType, &ty));
            if field.optional {
                text.push_str(&format!("\n\n{}", w(Word::IdeOptional)));
            }
            if field.info {
                text.push_str(&format!("\n\n{}", w(Word::IdeInfo)));
            }
            let readers = readers(scope, target);
            text.push_str(&if readers.is_empty() {
                format!("\n\n{}", w(Word::IdeReadByNone))
            } else {
                line(Word::IdeReadBy, &readers.join(language.list_separator()))
            });
            text
        }
        Found::Let(decl) => {
            let mut text = format!("**{}** `{}`", w(Word::IdeLet), decl.name.node);
            if let Some(ty) = let_types.and_then(|types| types.get(&decl.name.node)) {
                text.push_str(&line(Word::IdeType, &ty.to_string()));
            }
            text.push_str(&format!(
                "\n\n```yardstick\nlet {} = {}\n```",
                decl.name.node,
                print::expr(&decl.value)
            ));
            text
        }
        Found::Rule(rule, section) => rule_text(rule, section, language),
        Found::Section(section) => {
            let mut text = format!("**{}** `{}`", w(Word::IdeSection), section.id.node);
            if let Some(title) = &section.title {
                text.push_str(&format!(" {}", title.node));
            }
            if let Some(weight) = &section.weight {
                text.push_str(&line(Word::IdeWeight, &weight.node.to_string()));
            }
            let total: rust_decimal::Decimal = rules_of(section)
                .map(|r| points(r).unwrap_or_default())
                .sum();
            text.push_str(&line(Word::IdePointsTotal, &total.normalize().to_string()));
            text
        }
        Found::Rollup(rollup) => {
            let mut text = format!("**{}** `{}`", w(Word::IdeRollup), rollup.name.node);
            if let Some(title) = &rollup.title {
                text.push_str(&format!(" {}", title.node));
            }
            text
        }
    };
    let shown = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    text.push_str(&format!(
        "\n\n*{}*",
        language.labelled(w(Word::IdeDefinedIn), &shown)
    ));
    Some(text)
}

/// The hover of a grade's name at `offset` (in a `grades` block or after
/// `expect grade`): its band, condition included.
pub(super) fn of_grade(
    scope: &Scope,
    file: &FileView,
    offset: usize,
    language: Language,
) -> Option<String> {
    let holds = |span: Span| span.start <= offset && offset <= span.end;
    let bands = |items: &'_ [Item]| -> Vec<ast::Band> {
        items
            .iter()
            .flat_map(|item| match item {
                Item::Grades(grades) => grades.bands.clone(),
                Item::Rollup(rollup) => rollup
                    .lines
                    .iter()
                    .flat_map(|line| match line {
                        ast::RollupLine::Grades(grades) => grades.bands.clone(),
                        _ => Vec::new(),
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    };
    let expected = file.tree.items.iter().find_map(|item| match item {
        Item::Example(example) => example.items.iter().find_map(|x| match x {
            ast::ExampleItem::Expect(expect) => match &expect.kind {
                ast::ExpectKind::Grade(name) if holds(name.span) => Some(name.node.clone()),
                _ => None,
            },
            ast::ExampleItem::Given(_) => None,
        }),
        _ => None,
    });
    let name = match expected {
        Some(name) => name,
        None => {
            bands(&file.tree.items)
                .into_iter()
                .find(|band| holds(band.name.span))?
                .name
                .node
        }
    };
    let band = scope
        .files
        .iter()
        .flat_map(|f| bands(&f.tree.items))
        .find(|band| band.name.node == name)?;
    let condition = match &band.condition {
        Some(condition) => format!("when {}", print::expr(condition)),
        None => "otherwise".to_owned(),
    };
    Some(format!(
        "**{}** {}\n\n```yardstick\n{} {condition}\n```",
        language.word(Word::IdeGrade),
        print::quote(&name),
        print::quote(&name)
    ))
}

/// A rule: title, points, deductions, flags, section, ref, owner, remedy.
fn rule_text(rule: &Rule, section: Option<&Section>, language: Language) -> String {
    let w = |word| language.word(word);
    let line = |word, value: &str| format!("\n\n{}", language.labelled(w(word), value));
    let mut text = format!("**{}** `{}`", w(Word::IdeRule), rule.id.node);
    if let Some(title) = &rule.title {
        text.push_str(&format!(" {}", title.node));
    }
    text.push_str(&line(
        Word::IdePoints,
        &points(rule).unwrap_or_default().normalize().to_string(),
    ));
    if !rule.flags.is_empty() {
        let flags: Vec<&str> = rule.flags.iter().map(|f| f.node.keyword()).collect();
        text.push_str(&line(Word::IdeFlags, &flags.join(" ")));
    }
    if let Some(section) = section {
        let title = section.title.as_ref().map_or("", |t| t.node.as_str());
        text.push_str(&line(
            Word::IdeInSection,
            &format!("{} {title}", section.id.node),
        ));
    }
    if let RuleBody::Block(clauses) = &rule.body {
        for clause in clauses {
            let (word, value) = match &clause.kind {
                ClauseKind::Deduct { amount, per, up_to } => {
                    let cap = up_to
                        .as_ref()
                        .map_or(String::new(), |m| format!(" up to {}", m.node));
                    (
                        Word::IdeDeduct,
                        format!("{} per {}{cap}", amount.node, print::expr(per)),
                    )
                }
                ClauseKind::Ref(t) => (Word::IdeRef, t.node.clone()),
                ClauseKind::Owner(t) => (Word::IdeOwner, t.node.clone()),
                ClauseKind::Remedy(t) => (Word::IdeRemedy, t.node.clone()),
                _ => continue,
            };
            text.push_str(&line(word, &value));
        }
    }
    text
}

/// Whether two spans are one place (`Span`'s `==` ignores places, so
/// that trees compare by what they say).
fn same(a: Span, b: Span) -> bool {
    (a.start, a.end) == (b.start, b.end)
}

/// Every rule of a section, nested sections included.
pub(super) fn rules_of(section: &Section) -> impl Iterator<Item = &Rule> {
    let mut stack = vec![section];
    let mut rules = Vec::new();
    while let Some(s) = stack.pop() {
        for member in &s.members {
            match member {
                SectionMember::Section(inner) => stack.push(inner),
                SectionMember::Rule(rule) => rules.push(rule),
            }
        }
    }
    rules.into_iter()
}

/// The definition of `kind` at `span` in a tree.
fn find(tree: &ast::File, kind: Kind, span: Span) -> Option<Found<'_>> {
    match kind {
        Kind::Rule => rules(tree)
            .into_iter()
            .find(|(rule, _)| same(rule.id.span, span))
            .map(|(rule, section)| Found::Rule(rule, section)),
        Kind::Section => sections(tree)
            .into_iter()
            .find(|section| same(section.id.span, span))
            .map(Found::Section),
        _ => tree.items.iter().find_map(|item| match item {
            Item::Fields(block) if kind == Kind::Field => block
                .fields
                .iter()
                .find(|f| same(f.name.span, span))
                .map(Found::Field),
            Item::Let(decl) if kind == Kind::Let && same(decl.name.span, span) => {
                Some(Found::Let(decl))
            }
            Item::Rollup(rollup) if kind == Kind::Rollup && same(rollup.name.span, span) => {
                Some(Found::Rollup(rollup))
            }
            _ => None,
        }),
    }
}

/// The rules that mention a name, by id, each once, in source order.
fn readers(scope: &Scope, target: &(Kind, String)) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // Each file's rules, by where they start, made once.
    let mut spans: std::collections::HashMap<usize, Vec<(String, Span)>> =
        std::collections::HashMap::new();
    for (f, occurrence) in scope.mentions(target) {
        let rules = spans.entry(f).or_insert_with(|| {
            let mut rules = rule_spans(&scope.files[f].tree);
            rules.sort_by_key(|(_, span)| span.start);
            rules
        });
        let at = rules.partition_point(|(_, span)| span.start <= occurrence.span.start);
        let rule = at
            .checked_sub(1)
            .map(|at| &rules[at])
            .filter(|(_, span)| occurrence.span.end <= span.end);
        if let Some((id, _)) = rule
            && seen.insert(id.clone())
        {
            found.push(id.clone());
        }
    }
    if found.len() > MOST_READERS {
        let more = found.len() - MOST_READERS;
        found.truncate(MOST_READERS);
        found.push(format!("… (+{more})"));
    }
    found
}

/// The most rules a field's hover names.
const MOST_READERS: usize = 30;

/// Each rule of a tree (and each `amend rule`) with its whole span.
fn rule_spans(tree: &ast::File) -> Vec<(String, Span)> {
    let amends = tree.items.iter().filter_map(|item| match item {
        Item::AmendRule(amend) => Some((amend.id.node.clone(), amend.span)),
        _ => None,
    });
    rules(tree)
        .into_iter()
        .map(|(rule, _)| (rule.id.node.clone(), rule.span))
        .chain(amends)
        .collect()
}

/// Keywords and what each does, in one line: in Traditional Chinese and in
/// English (Simplified is converted from the Traditional).
const KEYWORDS: [(&str, &str, &str); 22] = [
    (
        "when",
        "`when 條件`：條件成立時規則才適用（否則為不適用）。",
        "`when EXPR`: the rule applies only where EXPR holds (else n/a).",
    ),
    (
        "require",
        "`require 條件`：條件成立即合格。",
        "`require EXPR`: the rule passes where EXPR holds.",
    ),
    (
        "points",
        "`points N`：合格時得 N 分；`points 算式 up to N`：按算式得分，至多 N 分。",
        "`points N`: what the rule earns when it passes; `points EXPR up to N`: variable credit.",
    ),
    (
        "deduct",
        "`deduct D per 算式 [up to M]`：每處扣 D 分，至多扣 M 分。",
        "`deduct D per EXPR [up to M]`: D points off for each unit of EXPR, at most M.",
    ),
    (
        "remedy",
        "`remedy \"…\"`：不合格時的整改要求。",
        "`remedy \"…\"`: what the unit must do when the rule fails (整改要求).",
    ),
    (
        "ref",
        "`ref \"…\"`：規則依據的文件條款。",
        "`ref \"…\"`: the clause of the source document the rule implements.",
    ),
    (
        "note",
        "`note \"…\"`：給讀者的說明。",
        "`note \"…\"`: a note for readers of the standard.",
    ),
    (
        "owner",
        "`owner \"…\"`：責任單位。",
        "`owner \"…\"`: who answers for the rule (責任單位).",
    ),
    (
        "critical",
        "`critical`：關鍵項，等級可用 `no critical failed` 檢查。",
        "`critical`: grades can test it with `no critical failed`.",
    ),
    (
        "veto",
        "`veto`：一票否決，不合格即得最後一個等級。",
        "`veto`: failing it gives the last grade band (一票否決).",
    ),
    (
        "bonus",
        "`bonus`：加分項，只加實得分。",
        "`bonus`: adds to the points earned only (加分項).",
    ),
    (
        "section",
        "`section 編號 \"標題\" [weight N] { … }`：一組規則。",
        "`section ID \"title\" [weight N] { … }`: a group of rules.",
    ),
    (
        "rule",
        "`rule 編號 \"標題\" { … }`：一條要求及其分值。",
        "`rule ID \"title\" { … }`: one requirement with its points.",
    ),
    (
        "fields",
        "`fields { … }`：檢查記錄的各欄。",
        "`fields { … }`: the columns of an inspection record.",
    ),
    (
        "let",
        "`let 名稱 = 算式`：規則可讀的派生值。",
        "`let NAME = EXPR`: a derived value rules can read.",
    ),
    (
        "grades",
        "`grades { \"等級\" when 條件 … otherwise }`：等級，先符合者為準。",
        "`grades { \"NAME\" when EXPR … otherwise }`: grade bands, first match wins.",
    ),
    (
        "example",
        "`example \"…\" { given { … } expect … }`：`yardstick test` 執行的測試。",
        "`example \"…\" { given { … } expect … }`: a test `yardstick test` runs.",
    ),
    (
        "extends",
        "`extends \"檔案\"`：本版修訂該檔案的版本。",
        "`extends \"FILE\"`: this edition amends the one in FILE.",
    ),
    (
        "amend",
        "`amend rule 編號 { … }`：修改繼承的規則的條款。",
        "`amend rule ID { … }`: change clauses of an inherited rule.",
    ),
    (
        "remove",
        "`remove rule|section|field|rollup 編號`：刪去繼承的部分。",
        "`remove rule|section|field|rollup ID`: drop an inherited part.",
    ),
    (
        "rollup",
        "`rollup 名稱 \"標題\" { … }`：年度彙總考核（SPEC §8）。",
        "`rollup NAME \"title\" { … }`: the inspection year rolled up (SPEC §8).",
    ),
    (
        "otherwise",
        "`\"等級\" otherwise`：未得上列等級者皆得此等級。",
        "`\"NAME\" otherwise`: the band every unit not graded above gets.",
    ),
];

/// The hover of a built-in function or keyword at `offset`.
pub(super) fn of_word(text: &str, offset: usize, language: Language) -> Option<String> {
    let word = word_at(text, offset)?;
    if let Some(&(_, builtin)) = Builtin::ALL.iter().find(|(name, _)| *name == word) {
        return Some(format!("```yardstick\n{}\n```", signature(word, builtin)));
    }
    let &(_, traditional, english) = KEYWORDS.iter().find(|(keyword, ..)| *keyword == word)?;
    Some(match language {
        Language::Traditional => traditional.to_owned(),
        Language::Simplified => crate::hanzi::to_simplified(traditional),
        Language::English => english.to_owned(),
    })
}

/// `round(number, number) -> number`.
pub(super) fn signature(name: &str, builtin: Builtin) -> String {
    let (params, result) = builtin.signature();
    let mut params: Vec<String> = params.iter().map(ToString::to_string).collect();
    if builtin.is_variadic() {
        params.push("…".to_owned());
    }
    format!("{name}({}) -> {result}", params.join(", "))
}

/// The word (letters, digits, `_`) around `offset`.
fn word_at(text: &str, offset: usize) -> Option<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let offset = offset.min(text.len());
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(at, _)| at);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(at, _)| offset + at);
    (start < end).then(|| &text[start..end])
}
