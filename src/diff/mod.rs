//! The semantic difference between two editions of a standard (SPEC §4):
//! not lines of text but what changed in the standard — header entries,
//! fields, `let`s, sections, rules clause by clause, grade bands — each with
//! its old and new value. Conditions are compared and shown as written (with
//! runs of spaces and line breaks read as one space), so re-laying a
//! condition out is not a change. `impact` scores data under both editions.

pub mod impact;

use serde::Serialize;

use crate::check::Standard;
use crate::check::model::{Expr, Periods, Rollup, Rule, Section, TermOf};
use crate::sources::Sources;

/// An edition as the diff names it.
#[derive(Clone, Debug, Serialize)]
pub struct EditionInfo {
    /// Its `version`.
    pub version: String,
    /// Its file.
    pub path: String,
    /// Its `effective` date.
    pub effective: Option<String>,
    /// Its `until` date.
    pub until: Option<String>,
}

/// What happened to a field, rule, section, band or `let`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Only the new edition has it.
    Added,
    /// Only the old edition has it.
    Removed,
    /// Both have it, differently.
    Changed,
}

/// One value that differs: a header entry or a clause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What it is: `points`, `require`, `effective`...
    pub what: String,
    /// Its old value; `None` when the old edition has none.
    pub old: Option<String>,
    /// Its new value; `None` when the new edition has none.
    pub new: Option<String>,
}

/// A field, rule, section, band or `let` that was added, removed or changed.
#[derive(Clone, Debug, Serialize)]
pub struct ItemChange {
    /// Its id or name.
    pub id: String,
    /// Its title, where it has one (the new one when changed).
    pub title: Option<String>,
    /// What happened.
    pub kind: Kind,
    /// For an added or removed item, its main clauses; for a changed one,
    /// the clauses that differ.
    pub changes: Vec<Change>,
}

/// Everything that differs between two editions.
#[derive(Clone, Debug, Serialize)]
pub struct Diff {
    /// The standard's name (the new edition's).
    pub standard: String,
    /// The old edition.
    pub old: EditionInfo,
    /// The new edition.
    pub new: EditionInfo,
    /// Header entries that differ.
    pub header: Vec<Change>,
    /// Fields.
    pub fields: Vec<ItemChange>,
    /// Derived values.
    pub lets: Vec<ItemChange>,
    /// Sections.
    pub sections: Vec<ItemChange>,
    /// Rules.
    pub rules: Vec<ItemChange>,
    /// Grade bands, by name.
    pub grades: Vec<ItemChange>,
    /// Roll-ups (SPEC §8), by name: their period, method, levels,
    /// repeats, grades and targets.
    pub rollups: Vec<ItemChange>,
    /// The points of every rule that is not a bonus, old and new.
    pub points: (String, String),
}

impl Diff {
    /// Whether the editions mean the same.
    pub fn is_empty(&self) -> bool {
        self.header.is_empty()
            && self.fields.is_empty()
            && self.lets.is_empty()
            && self.sections.is_empty()
            && self.rules.is_empty()
            && self.grades.is_empty()
            && self.rollups.is_empty()
    }
}

/// One side of the diff: an edition, where it was read from, and the map
/// its spans point into (for conditions as written).
pub struct Side<'a> {
    /// The checked edition.
    pub standard: &'a Standard,
    /// Its file.
    pub path: &'a str,
    /// The files its spans point into.
    pub sources: &'a Sources,
}

impl Side<'_> {
    fn text(&self, expr: &Expr) -> String {
        let written = self.sources.text_at(expr.span).unwrap_or_default();
        written.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn info(&self) -> EditionInfo {
        EditionInfo {
            version: self.standard.version.clone(),
            path: self.path.to_owned(),
            effective: self.standard.effective.map(|d| d.to_string()),
            until: self.standard.until.map(|d| d.to_string()),
        }
    }

    fn section_id(&self, rule: &Rule) -> Option<String> {
        rule.section.map(|s| self.standard.sections[s.0].id.clone())
    }
}

/// The difference from `old` to `new`.
pub fn diff(old: &Side<'_>, new: &Side<'_>) -> Diff {
    let (o, n) = (old.standard, new.standard);
    let mut header = Vec::new();
    let field_name = |s: &Standard, f: usize| s.fields[f].name.clone();
    for (what, a, b) in [
        ("title", Some(o.title.clone()), Some(n.title.clone())),
        (
            "effective",
            o.effective.map(|d| d.to_string()),
            n.effective.map(|d| d.to_string()),
        ),
        (
            "until",
            o.until.map(|d| d.to_string()),
            n.until.map(|d| d.to_string()),
        ),
        (
            "source",
            o.source_document.clone(),
            n.source_document.clone(),
        ),
        (
            "key",
            Some(field_name(o, o.key.0)),
            Some(field_name(n, n.key.0)),
        ),
        (
            "dated_by",
            o.dated_by.map(|f| field_name(o, f.0)),
            n.dated_by.map(|f| field_name(n, f.0)),
        ),
        (
            "total",
            o.total.map(|t| t.normalize().to_string()),
            n.total.map(|t| t.normalize().to_string()),
        ),
        (
            "cap",
            Some(o.cap.normalize().to_string()),
            Some(n.cap.normalize().to_string()),
        ),
        (
            "language",
            Some(o.language.code().to_owned()),
            Some(n.language.code().to_owned()),
        ),
    ] {
        push_change(&mut header, what, a, b);
    }
    Diff {
        standard: n.name.clone(),
        old: old.info(),
        new: new.info(),
        header,
        fields: compare(
            (&o.fields, old),
            (&n.fields, new),
            |f| f.name.clone(),
            |f| f.label.clone(),
            |f, _| {
                vec![
                    ("type", Some(f.ty.describe())),
                    ("label", f.label.clone()),
                    (
                        "optional",
                        Some(if f.optional { "yes" } else { "no" }.to_owned()),
                    ),
                    // Shown only for an `info` field (or one that was).
                    ("info", f.info.then(|| "yes".to_owned())),
                ]
            },
        ),
        lets: compare(
            (&o.lets, old),
            (&n.lets, new),
            |l| l.name.clone(),
            |_| None,
            |l, side| vec![("value", Some(side.text(&l.value)))],
        ),
        sections: compare(
            (&o.sections, old),
            (&n.sections, new),
            |s| s.id.clone(),
            |s| s.title.clone(),
            |s, side| section_clauses(s, side.standard),
        ),
        rules: compare(
            (&o.rules, old),
            (&n.rules, new),
            |r| r.id.clone(),
            |r| Some(r.title.clone()),
            rule_clauses,
        ),
        grades: grades(old, new),
        rollups: compare(
            (&o.rollups, old),
            (&n.rollups, new),
            |r| r.name.clone(),
            |r| Some(r.title.clone()),
            rollup_clauses,
        ),
        points: (points(o), points(n)),
    }
}

/// The clauses of an item as text, by name.
type Clauses = Vec<(&'static str, Option<String>)>;

/// A roll-up's lines as text: its period, method field, levels (one line
/// each, joined by `; `), repeats, grade bands and targets.
fn rollup_clauses(rollup: &Rollup, side: &Side<'_>) -> Clauses {
    let standard = side.standard;
    let joined = |lines: Vec<String>| (!lines.is_empty()).then(|| lines.join("; "));
    let percent = |w: rust_decimal::Decimal| (w * rust_decimal::Decimal::ONE_HUNDRED).normalize();
    let levels = rollup
        .levels
        .iter()
        .map(|level| {
            let terms: Vec<String> = level
                .terms
                .iter()
                .map(|term| {
                    let what = match &term.of {
                        TermOf::Method(method) => format!("\"{method}\""),
                        TermOf::Level(finer) => rollup.levels[*finer].name.clone(),
                    };
                    format!("{}% {what}", percent(term.weight))
                })
                .collect();
            let by = match level.periods {
                Periods::Field(field) => format!(" by {}", standard.fields[field.0].name),
                Periods::Calendar(_) => String::new(),
            };
            format!("{}{by} = {}", level.name, terms.join(" + "))
        })
        .collect();
    let repeats = rollup
        .repeats
        .iter()
        .map(|r| {
            format!(
                "{} consecutive {} deduct {}",
                r.times,
                rollup.levels[r.level].name,
                r.deduct.normalize()
            )
        })
        .collect();
    let grades = rollup
        .grades
        .iter()
        .map(|band| match &band.condition {
            Some(condition) => format!("\"{}\" when {}", band.name, side.text(condition)),
            None => format!("\"{}\" otherwise", band.name),
        })
        .collect();
    let targets = rollup
        .targets
        .iter()
        .map(|t| {
            format!(
                "\"{}\" by {} when {}",
                t.name,
                t.by,
                side.text(&t.condition)
            )
        })
        .collect();
    let day = |d: Option<jiff::civil::Date>| d.map_or("…".to_owned(), |d| d.to_string());
    vec![
        ("title", Some(rollup.title.clone())),
        (
            "period",
            rollup
                .period
                .map(|p| format!("{} to {}", day(p.from), day(p.to))),
        ),
        (
            "method",
            rollup.method.map(|f| standard.fields[f.0].name.clone()),
        ),
        ("levels", joined(levels)),
        ("repeats", joined(repeats)),
        ("grades", joined(grades)),
        ("targets", joined(targets)),
    ]
}

/// Compares two lists of items by id: added, removed, and changed ones
/// (the clauses that differ), in the new edition's order, then the removed.
fn compare<T>(
    (old, old_side): (&[T], &Side<'_>),
    (new, new_side): (&[T], &Side<'_>),
    id: impl Fn(&T) -> String,
    title: impl Fn(&T) -> Option<String>,
    clauses: impl Fn(&T, &Side<'_>) -> Clauses,
) -> Vec<ItemChange> {
    // An added or removed item's title is in its name already.
    let listed = |items: Clauses, old: bool| -> Vec<Change> {
        items
            .into_iter()
            .filter(|(what, v)| v.is_some() && *what != "title")
            .map(|(what, v)| Change {
                what: what.to_owned(),
                old: if old { v.clone() } else { None },
                new: if old { None } else { v },
            })
            .collect()
    };
    let mut out = Vec::new();
    for item in new {
        let key = id(item);
        let after = clauses(item, new_side);
        match old.iter().find(|o| id(o) == key) {
            None => out.push(ItemChange {
                id: key,
                title: title(item),
                kind: Kind::Added,
                changes: listed(after, false),
            }),
            Some(before) => {
                let mut changes = Vec::new();
                for ((what, a), (_, b)) in clauses(before, old_side).into_iter().zip(after) {
                    push_change(&mut changes, what, a, b);
                }
                if !changes.is_empty() {
                    out.push(ItemChange {
                        id: key,
                        title: title(item),
                        kind: Kind::Changed,
                        changes,
                    });
                }
            }
        }
    }
    for item in old {
        let key = id(item);
        if !new.iter().any(|n| id(n) == key) {
            out.push(ItemChange {
                id: key,
                title: title(item),
                kind: Kind::Removed,
                changes: listed(clauses(item, old_side), true),
            });
        }
    }
    out
}

fn push_change(changes: &mut Vec<Change>, what: &str, old: Option<String>, new: Option<String>) {
    if old != new {
        changes.push(Change {
            what: what.to_owned(),
            old,
            new,
        });
    }
}

/// A rule's clauses as text, in the order they are usually written.
fn rule_clauses(rule: &Rule, side: &Side<'_>) -> Clauses {
    let flags: Vec<&str> = [
        (rule.critical, "critical"),
        (rule.veto, "veto"),
        (rule.bonus, "bonus"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    vec![
        ("title", Some(rule.title.clone())),
        ("section", side.section_id(rule)),
        ("flags", (!flags.is_empty()).then(|| flags.join(" "))),
        ("when", rule.when.as_ref().map(|e| side.text(e))),
        ("require", rule.require.as_ref().map(|e| side.text(e))),
        ("points", Some(points_text(rule, side))),
        (
            "deduct",
            rule.deduct.as_ref().map(|d| {
                let most = d
                    .up_to
                    .map(|m| format!(" up to {}", m.normalize()))
                    .unwrap_or_default();
                format!("{} per {}{most}", d.amount.normalize(), side.text(&d.per))
            }),
        ),
        ("remedy", rule.remedy.clone()),
        ("ref", rule.reference.clone()),
        ("note", rule.note.clone()),
        ("owner", rule.owner.clone()),
    ]
}

/// `N`, or `EXPR up to N` for variable points.
fn points_text(rule: &Rule, side: &Side<'_>) -> String {
    let most = rule.points.normalize();
    match &rule.credit {
        Some(credit) => format!("{} up to {most}", side.text(credit)),
        None => most.to_string(),
    }
}

fn section_clauses(section: &Section, standard: &Standard) -> Clauses {
    vec![
        ("title", section.title.clone()),
        ("weight", section.weight.map(|w| w.normalize().to_string())),
        (
            "inside",
            section.parent.map(|p| standard.sections[p.0].id.clone()),
        ),
    ]
}

/// Grade bands by name: their conditions, and their place in the order.
fn grades(old: &Side<'_>, new: &Side<'_>) -> Vec<ItemChange> {
    let names = |s: &Side<'_>| -> Vec<String> {
        s.standard.grades.iter().map(|b| b.name.clone()).collect()
    };
    let (old_names, new_names) = (names(old), names(new));
    let common_order = |names: &[String], other: &[String]| -> Vec<String> {
        names
            .iter()
            .filter(|n| other.contains(n))
            .cloned()
            .collect()
    };
    let reordered = common_order(&old_names, &new_names) != common_order(&new_names, &old_names);
    let band = |side: &Side<'_>, name: &str| {
        side.standard
            .grades
            .iter()
            .enumerate()
            .find(|(_, b)| b.name == name)
            .map(|(i, b)| {
                let condition = b
                    .condition
                    .as_ref()
                    .map_or_else(|| "otherwise".to_owned(), |c| side.text(c));
                (i + 1, condition)
            })
    };
    let mut all: Vec<&String> = new_names.iter().collect();
    all.extend(old_names.iter().filter(|n| !new_names.contains(n)));
    let mut out = Vec::new();
    for name in all {
        let (before, after) = (band(old, name), band(new, name));
        let kind = match (&before, &after) {
            (None, Some(_)) => Kind::Added,
            (Some(_), None) => Kind::Removed,
            _ => Kind::Changed,
        };
        let mut changes = Vec::new();
        push_change(
            &mut changes,
            "when",
            before.as_ref().map(|(_, c)| c.clone()),
            after.as_ref().map(|(_, c)| c.clone()),
        );
        if reordered && kind == Kind::Changed {
            push_change(
                &mut changes,
                "place",
                before.map(|(i, _)| i.to_string()),
                after.map(|(i, _)| i.to_string()),
            );
        }
        if !changes.is_empty() {
            out.push(ItemChange {
                id: name.clone(),
                title: None,
                kind,
                changes,
            });
        }
    }
    out
}

/// The points of every rule that is not a bonus.
fn points(standard: &Standard) -> String {
    standard
        .rules
        .iter()
        .filter(|r| !r.bonus)
        .map(|r| r.points)
        .sum::<rust_decimal::Decimal>()
        .normalize()
        .to_string()
}
