//! `yardstick diff`: the semantic difference of two editions as a table for
//! the terminal, as Markdown, or as JSON; and, with `--impact`, what the
//! change does to a batch of inspections.

use std::fmt::Write as _;

use serde::Serialize;

use crate::diff::{Change, Diff, ItemChange, Kind};

/// The parts of a diff, each with its heading.
fn parts(diff: &Diff) -> [(&'static str, &[ItemChange]); 5] {
    [
        ("fields", &diff.fields),
        ("lets", &diff.lets),
        ("sections", &diff.sections),
        ("rules", &diff.rules),
        ("grades", &diff.grades),
    ]
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

fn value(value: Option<&String>) -> String {
    value.cloned().unwrap_or_else(|| "—".to_owned())
}

/// The first lines: the standard and the two editions.
fn heading(diff: &Diff) -> String {
    let mut out = format!(
        "{}: {} → {}\n",
        diff.standard, diff.old.version, diff.new.version
    );
    for edition in [&diff.old, &diff.new] {
        let when = match (&edition.effective, &edition.until) {
            (Some(from), Some(to)) => format!(", in force {from} to {to}"),
            (Some(from), None) => format!(", in force from {from}"),
            _ => String::new(),
        };
        let _ = writeln!(out, "  {}: {}{when}", edition.version, edition.path);
    }
    out
}

/// The diff as tables for the terminal: one per part that changed.
pub fn table(diff: &Diff, width: u16) -> String {
    let mut out = heading(diff);
    if diff.is_empty() {
        out.push_str("\nthe editions mean the same\n");
        return out;
    }
    let new_table = |header: Vec<String>| super::terminal_table(header, width);
    let versions = |first: &str| {
        vec![
            first.to_owned(),
            String::new(),
            diff.old.version.clone(),
            diff.new.version.clone(),
        ]
    };
    if !diff.header.is_empty() {
        let mut header = versions("header");
        header.remove(1);
        let mut table = new_table(header);
        for change in &diff.header {
            table.add_row(vec![
                change.what.clone(),
                value(change.old.as_ref()),
                value(change.new.as_ref()),
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
                change.what.clone(),
                value(change.old.as_ref()),
                value(change.new.as_ref()),
            ]);
        }
        let _ = write!(out, "\n{table}\n");
    }
    let _ = writeln!(
        out,
        "\npoints of all rules (bonus aside): {} → {}",
        diff.points.0, diff.points.1
    );
    out
}

/// Text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The diff as Markdown, for a revision's explanatory note.
pub fn markdown(diff: &Diff) -> String {
    let mut out = format!(
        "# {}: {} → {}\n\n",
        cell(&diff.standard),
        cell(&diff.old.version),
        cell(&diff.new.version)
    );
    for line in heading(diff).lines().skip(1) {
        let _ = writeln!(out, "- {}", cell(line.trim()));
    }
    if diff.is_empty() {
        out.push_str("\nThe editions mean the same.\n");
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
            cell(&change.what),
            cell(&value(change.old.as_ref())),
            cell(&value(change.new.as_ref()))
        );
    };
    if !diff.header.is_empty() {
        let _ = write!(
            out,
            "\n## Header\n\n| entry | {} | {} |\n|---|---|---|\n",
            cell(&diff.old.version),
            cell(&diff.new.version)
        );
        for change in &diff.header {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&change.what),
                cell(&value(change.old.as_ref())),
                cell(&value(change.new.as_ref()))
            );
        }
    }
    for (part, items) in parts(diff) {
        if items.is_empty() {
            continue;
        }
        let _ = write!(out, "\n## {}{}\n\n", part[..1].to_uppercase(), &part[1..]);
        out.push_str(&columns());
        for (name, change) in items.iter().flat_map(rows) {
            row(&mut out, &name, change);
        }
    }
    let _ = writeln!(
        out,
        "\nPoints of all rules (bonus aside): {} → {}.",
        diff.points.0, diff.points.1
    );
    out
}

/// One unit whose grade the new edition changes.
#[derive(Clone, Debug, Serialize)]
pub struct Regraded {
    /// The unit's key.
    pub key: String,
    /// Its score and grade under the old edition.
    pub old: (String, String),
    /// Its score and grade under the new edition.
    pub new: (String, String),
    /// Rules whose outcome differs, as `D1 pass → fail`.
    pub because: Vec<String>,
}

/// What re-scoring a batch under both editions shows.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Impact {
    /// Units scored under both editions.
    pub units: usize,
    /// `(old grade, new grade, units)` for every pair that changed.
    pub moves: Vec<(String, String, usize)>,
    /// `(rule, how its outcome changed, units whose grade changed)`, most first.
    pub causes: Vec<(String, String, usize)>,
    /// Every unit whose grade changed, in input order.
    pub regraded: Vec<Regraded>,
    /// Data errors under the old and the new edition.
    pub data_errors: (usize, usize),
}

/// The impact as text (Markdown reads well in a terminal too); at most
/// `shown` regraded units are listed.
pub fn impact_text(impact: &Impact, diff: &Diff, shown: usize) -> String {
    let (old, new) = (&diff.old.version, &diff.new.version);
    let changed: usize = impact.moves.iter().map(|m| m.2).sum();
    let mut out = format!(
        "\n## Impact on the data\n\n{changed} of {} units change grade from {old} to {new}.\n",
        impact.units
    );
    if !impact.moves.is_empty() {
        let _ = write!(out, "\n| {old} | {new} | units |\n|---|---|---:|\n");
        for (from, to, count) in &impact.moves {
            let _ = writeln!(out, "| {} | {} | {count} |", cell(from), cell(to));
        }
    }
    if !impact.causes.is_empty() {
        out.push_str("\n| rule | outcome | units that changed grade |\n|---|---|---:|\n");
        for (rule, how, count) in &impact.causes {
            let _ = writeln!(out, "| {} | {} | {count} |", cell(rule), cell(how));
        }
    }
    if !impact.regraded.is_empty() {
        out.push_str("\n| unit | score and grade | rules |\n|---|---|---|\n");
        for unit in impact.regraded.iter().take(shown) {
            let _ = writeln!(
                out,
                "| {} | {} {} → {} {} | {} |",
                cell(&unit.key),
                unit.old.0,
                cell(&unit.old.1),
                unit.new.0,
                cell(&unit.new.1),
                cell(&unit.because.join(", "))
            );
        }
        if impact.regraded.len() > shown {
            let _ = writeln!(
                out,
                "\n… and {} more (`--format json` lists every one).",
                impact.regraded.len() - shown
            );
        }
    }
    let (before, after) = impact.data_errors;
    if before + after > 0 {
        let _ = writeln!(
            out,
            "\nData errors: {before} under {old}, {after} under {new} (`yardstick eval` lists them)."
        );
    }
    out
}

/// A compact CSV of each record's key, score, grade and every rule's
/// outcome (one letter per rule, in the edition's order: `p`ass, `f`ail,
/// `n`/a, `m`issing): what `--impact` compares.
pub struct OutcomeLines;

impl crate::report::Format for OutcomeLines {
    fn begin(&self, _catalog: &crate::eval::catalog::Catalog) -> String {
        String::new()
    }

    fn record(&self, record: &crate::report::RecordView<'_>, out: &mut String) {
        use crate::syntax::ast::Outcome;
        super::values::csv_field(record.key, out);
        out.push(',');
        super::values::push_score(record.scored.totals.rounded, out);
        out.push(',');
        super::values::csv_field(record.grade(), out);
        out.push(',');
        for outcome in &record.scored.outcomes {
            out.push(match outcome {
                Outcome::Pass => 'p',
                Outcome::Fail => 'f',
                Outcome::NotApplicable => 'n',
                Outcome::Missing => 'm',
            });
        }
        out.push('\n');
    }

    fn end(
        &self,
        _catalog: &crate::eval::catalog::Catalog,
        _summary: &crate::report::Summary,
    ) -> String {
        String::new()
    }
}
