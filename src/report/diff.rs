//! `yardstick diff`: the semantic difference of two editions as a table for
//! the terminal, as Markdown, or as JSON; and, with `--impact`, what the
//! change does to a batch of inspections. Tables and Markdown are in the
//! output's language (conditions stay as written: they are the standard's
//! own text) and name the editions' files without their folders; JSON keeps
//! English keys and words.

use std::fmt::Write as _;

use super::values::{file_name, outcome_name};
use crate::diff::impact::Impact;
use crate::diff::{Change, Diff, ItemChange, Kind};
use crate::language::{Language, Word};

/// The parts of a diff, each with its heading.
fn parts(diff: &Diff) -> [(Word, &[ItemChange]); 6] {
    [
        (Word::PartFields, &diff.fields),
        (Word::PartLets, &diff.lets),
        (Word::PartSections, &diff.sections),
        (Word::PartRules, &diff.rules),
        (Word::PartGrades, &diff.grades),
        (Word::PartRollups, &diff.rollups),
    ]
}

/// What changed (a header entry or a clause) in words of `language`.
fn what(language: Language, what: &str) -> &str {
    let word = match what {
        "title" => Word::WhatTitle,
        "effective" => Word::WhatEffective,
        "until" => Word::WhatUntil,
        "source" => Word::WhatSource,
        "key" => Word::WhatKey,
        "dated_by" => Word::WhatDatedBy,
        "total" => Word::WhatTotal,
        "cap" => Word::WhatCap,
        "info" => Word::WhatInfo,
        "language" => Word::WhatLanguage,
        "type" => Word::WhatType,
        "label" => Word::WhatLabel,
        "optional" => Word::WhatOptional,
        "value" => Word::WhatValue,
        "section" => Word::WhatSection,
        "flags" => Word::WhatFlags,
        "when" => Word::WhatWhen,
        "require" => Word::WhatRequire,
        "points" => Word::WhatPoints,
        "deduct" => Word::WhatDeduct,
        "remedy" => Word::WhatRemedy,
        "ref" => Word::WhatRef,
        "note" => Word::WhatNote,
        "owner" => Word::WhatOwner,
        "weight" => Word::WhatWeight,
        "inside" => Word::WhatInside,
        "place" => Word::WhatPlace,
        "period" => Word::WhatPeriod,
        "method" => Word::WhatMethod,
        "levels" => Word::WhatLevels,
        "repeats" => Word::WhatRepeats,
        "grades" => Word::WhatGrades,
        "targets" => Word::WhatTargets,
        _ => return what,
    };
    language.word(word)
}

fn sign(kind: Kind) -> &'static str {
    match kind {
        Kind::Added => "+",
        Kind::Removed => "-",
        Kind::Changed => "~",
    }
}

fn named(item: &ItemChange) -> String {
    match &item.title {
        Some(title) if *title != item.id => format!("{} 「{title}」", item.id),
        _ => item.id.clone(),
    }
}

/// The rows of an item: its sign and name on the first, then one clause each.
fn rows(item: &ItemChange) -> impl Iterator<Item = (String, &Change)> {
    item.changes.iter().enumerate().map(|(i, change)| {
        let name = if i == 0 {
            format!("{} {}", sign(item.kind), named(item))
        } else {
            String::new()
        };
        (name, change)
    })
}

/// A changed value as shown: `yes`/`no` (of `optional`) in words of
/// `language`, nothing as `—`.
fn value(value: Option<&String>, language: Language) -> String {
    match value.map(String::as_str) {
        None => "—".to_owned(),
        Some("yes") => language.word(Word::Yes).to_owned(),
        Some("no") => language.word(Word::No).to_owned(),
        Some(text) => text.to_owned(),
    }
}

/// The first lines: the standard and the two editions, by their files' names.
fn heading(diff: &Diff, language: Language) -> String {
    let mut out = format!(
        "{}: {} → {}\n",
        diff.standard, diff.old.version, diff.new.version
    );
    for edition in [&diff.old, &diff.new] {
        let when = match (&edition.effective, &edition.until) {
            (Some(from), Some(to)) => language.fill(Word::InForceFromTo, &[from, to]),
            (Some(from), None) => language.fill(Word::InForceFrom, &[from]),
            _ => String::new(),
        };
        let named = language.labelled(&edition.version, file_name(&edition.path));
        let _ = writeln!(out, "  {named}{when}");
    }
    out
}

/// The diff as tables for the terminal: one per part that changed.
pub fn table(diff: &Diff, width: u16, language: Language) -> String {
    let mut out = heading(diff, language);
    if diff.is_empty() {
        let _ = writeln!(out, "\n{}", language.word(Word::SameMeaning));
        return out;
    }
    let new_table = |header: Vec<String>| super::terminal_table(header, width);
    let versions = |first: Word| {
        vec![
            language.word(first).to_owned(),
            String::new(),
            diff.old.version.clone(),
            diff.new.version.clone(),
        ]
    };
    if !diff.header.is_empty() {
        let mut header = versions(Word::PartHeader);
        header.remove(1);
        let mut table = new_table(header);
        for change in &diff.header {
            table.add_row(vec![
                what(language, &change.what).to_owned(),
                value(change.old.as_ref(), language),
                value(change.new.as_ref(), language),
            ]);
        }
        let _ = write!(out, "\n{table}\n");
    }
    for (part, items) in parts(diff) {
        if items.is_empty() {
            continue;
        }
        let mut table = new_table(versions(part));
        for (name, change) in items.iter().flat_map(rows) {
            table.add_row(vec![
                name,
                what(language, &change.what).to_owned(),
                value(change.old.as_ref(), language),
                value(change.new.as_ref(), language),
            ]);
        }
        let _ = write!(out, "\n{table}\n");
    }
    let (old, new) = (&diff.points.0, &diff.points.1);
    let _ = writeln!(out, "\n{}", language.fill(Word::PointsOfRules, &[old, new]));
    out
}

/// Text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The diff as Markdown, for a revision's explanatory note.
pub fn markdown(diff: &Diff, language: Language) -> String {
    let mut out = format!(
        "# {}: {} → {}\n\n",
        cell(&diff.standard),
        cell(&diff.old.version),
        cell(&diff.new.version)
    );
    for line in heading(diff, language).lines().skip(1) {
        let _ = writeln!(out, "- {}", cell(line.trim()));
    }
    if diff.is_empty() {
        let _ = writeln!(out, "\n{}", language.word(Word::SameMeaningSentence));
        return out;
    }
    let columns = || {
        format!(
            "| | | {} | {} |\n|---|---|---|---|\n",
            cell(&diff.old.version),
            cell(&diff.new.version)
        )
    };
    let row = |out: &mut String, name: &str, change: &Change| {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(name),
            cell(what(language, &change.what)),
            cell(&value(change.old.as_ref(), language)),
            cell(&value(change.new.as_ref(), language))
        );
    };
    if !diff.header.is_empty() {
        let _ = write!(
            out,
            "\n## {}\n\n| {} | {} | {} |\n|---|---|---|\n",
            capitalized(language.word(Word::PartHeader)),
            language.word(Word::Entry),
            cell(&diff.old.version),
            cell(&diff.new.version)
        );
        for change in &diff.header {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(what(language, &change.what)),
                cell(&value(change.old.as_ref(), language)),
                cell(&value(change.new.as_ref(), language))
            );
        }
    }
    for (part, items) in parts(diff) {
        if items.is_empty() {
            continue;
        }
        let _ = write!(out, "\n## {}\n\n", capitalized(language.word(part)));
        out.push_str(&columns());
        for (name, change) in items.iter().flat_map(rows) {
            row(&mut out, &name, change);
        }
    }
    let (old, new) = (&diff.points.0, &diff.points.1);
    let _ = writeln!(
        out,
        "\n{}",
        language.fill(Word::PointsOfRulesSentence, &[old, new])
    );
    out
}

/// A heading with its first letter in capitals (English words only change).
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// An outcome change as JSON writes it (`pass → fail`) in words of `language`.
fn how(language: Language, how: &str) -> String {
    let sides: Vec<&str> = how
        .split(" → ")
        .map(|side| outcome_name(language, side))
        .collect();
    sides.join(" → ")
}

/// A rule's outcome change as JSON writes it (`D1 pass → fail`) in words of
/// `language`.
fn because(language: Language, text: &str) -> String {
    match text.split_once(' ') {
        Some((id, change)) => format!("{id} {}", how(language, change)),
        None => text.to_owned(),
    }
}

/// The impact as text (Markdown reads well in a terminal too); at most
/// `shown` regraded units are listed.
pub fn impact_text(impact: &Impact, diff: &Diff, shown: usize, language: Language) -> String {
    let (old, new) = (&diff.old.version, &diff.new.version);
    let changed: usize = impact.moves.iter().map(|m| m.2).sum();
    let word = |w: Word| language.word(w);
    let mut out = format!(
        "\n## {}\n\n{}\n",
        word(Word::ImpactHeading),
        language.fill(Word::ImpactSummary, &[&changed, &impact.units, old, new])
    );
    if !impact.moves.is_empty() {
        let _ = write!(
            out,
            "\n| {old} | {new} | {} |\n|---|---|---:|\n",
            word(Word::UnitCount)
        );
        for (from, to, count) in &impact.moves {
            let _ = writeln!(out, "| {} | {} | {count} |", cell(from), cell(to));
        }
    }
    if !impact.causes.is_empty() {
        let _ = write!(
            out,
            "\n| {} | {} | {} |\n|---|---|---:|\n",
            word(Word::Rule),
            word(Word::Outcome),
            word(Word::UnitsChangedGrade)
        );
        for (rule, change, count) in &impact.causes {
            let _ = writeln!(
                out,
                "| {} | {} | {count} |",
                cell(rule),
                cell(&how(language, change))
            );
        }
    }
    if !impact.regraded.is_empty() {
        let _ = write!(
            out,
            "\n| {} | {} | {} |\n|---|---|---|\n",
            word(Word::Unit),
            word(Word::ImpactUnitsHeading),
            word(Word::RulesChanged)
        );
        for unit in impact.regraded.iter().take(shown) {
            let rules: Vec<String> = unit.because.iter().map(|b| because(language, b)).collect();
            let _ = writeln!(
                out,
                "| {} | {} {} → {} {} | {} |",
                cell(&unit.key),
                unit.old.0,
                cell(&unit.old.1),
                unit.new.0,
                cell(&unit.new.1),
                cell(&rules.join(language.list_separator()))
            );
        }
        if impact.regraded.len() > shown {
            let more = impact.regraded.len() - shown;
            let _ = writeln!(out, "\n{}", language.fill(Word::ImpactMore, &[&more]));
        }
    }
    let (before, after) = impact.data_errors;
    if before + after > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            language.fill(Word::ImpactErrors, &[&before, old, &after, new])
        );
    }
    out
}
