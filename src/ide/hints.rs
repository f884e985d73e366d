//! What an editor draws over the text: the points of each section and rule
//! after its name (inlay hints), and each name coloured by what it names
//! (semantic tokens).

use crate::language::{Language, Word};
use crate::syntax::ast::{ClauseKind, Rule, RuleBody};

use super::hover::rules_of;
use super::index::{Kind, rules, sections};
use super::{FileView, Position, Scope};

/// A note drawn after a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    /// Where it is drawn: the end of the name.
    pub at: Position,
    /// What it says, such as `= 30 points`.
    pub text: String,
}

/// A name coloured by what it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Where the name starts.
    pub start: Position,
    /// Its length in UTF-16 units.
    pub length: u32,
    /// What it names.
    pub kind: Kind,
    /// Whether this is where it is defined.
    pub definition: bool,
}

/// Each section's points in all, and each rule's points and deductions.
pub(super) fn hints(file: &FileView, language: Language) -> Vec<Hint> {
    let mut found: Vec<Hint> = sections(&file.tree)
        .into_iter()
        .map(|section| {
            let total: rust_decimal::Decimal = rules_of(section)
                .map(|rule| points(rule).unwrap_or_default())
                .sum();
            let end = section
                .title
                .as_ref()
                .map_or(section.id.span, |t| t.span)
                .end;
            Hint {
                at: file.position(end),
                text: language.fill(Word::IdeSectionTotal, &[&total.normalize()]),
            }
        })
        .collect();
    found.extend(
        rules(&file.tree)
            .into_iter()
            .filter_map(|(rule, _)| rule_hint(file, rule, language)),
    );
    found.sort_by_key(|h| h.at);
    found
}

/// A rule's points and deductions after its title.
fn rule_hint(file: &FileView, rule: &Rule, language: Language) -> Option<Hint> {
    let end = rule.title.as_ref().map_or(rule.id.span, |t| t.span).end;
    Some(Hint {
        at: file.position(end),
        text: points_in_words(rule, language)?,
    })
}

/// `2 分`, `4 分，每處扣 1，至多扣 4`; `up to 3 points` for variable credit:
/// what a rule may earn and lose, in the standard's language.
pub(super) fn points_in_words(rule: &Rule, language: Language) -> Option<String> {
    let RuleBody::Block(clauses) = &rule.body else {
        return None;
    };
    let mut parts = Vec::new();
    for clause in clauses {
        match &clause.kind {
            ClauseKind::Points(points) => {
                parts.push(language.fill(Word::IdePointsOf, &[&points.node.normalize()]));
            }
            ClauseKind::VariablePoints { up_to, .. } => {
                parts.push(language.fill(Word::IdeUpToPoints, &[&up_to.node.normalize()]));
            }
            ClauseKind::Deduct { amount, up_to, .. } => {
                parts.push(language.fill(Word::IdeDeductEach, &[&amount.node.normalize()]));
                if let Some(most) = up_to {
                    parts.push(language.fill(Word::IdeDeductUpTo, &[&most.node.normalize()]));
                }
            }
            _ => {}
        }
    }
    (!parts.is_empty()).then(|| parts.join(if language.is_chinese() { "，" } else { ", " }))
}

/// A rule's possible points, when it says.
pub(super) fn points(rule: &Rule) -> Option<rust_decimal::Decimal> {
    let RuleBody::Block(clauses) = &rule.body else {
        return None;
    };
    clauses.iter().find_map(|c| match &c.kind {
        ClauseKind::Points(points) => Some(points.node),
        ClauseKind::VariablePoints { up_to, .. } => Some(up_to.node),
        _ => None,
    })
}

/// Every name of the file that names something defined, by what it names.
pub(super) fn tokens(scope: &Scope, file: &FileView) -> Vec<Token> {
    file.occurrences
        .iter()
        .filter(|o| file.current(o.span))
        .filter_map(|o| {
            let (kind, _) = scope.resolve(o)?;
            Some(Token {
                start: file.position(o.span.start),
                length: o.name.encode_utf16().count() as u32,
                kind,
                definition: o.definition,
            })
        })
        .collect()
}
