//! `rollup --format json`: the roll-up, its levels and periods, every
//! unit's year and the totals; `--format jsonl`: a unit's year a line.
//! Field names and English keys (for programs); scores are numbers with 2
//! decimals, as `eval`'s.

use std::fmt::Write as _;

use super::View;
use crate::report::values::{json_string, score};

/// The whole JSON document.
pub fn render(view: &View<'_>) -> String {
    let rollup = &view.plan.rollup;
    let assessment = view.assessment;
    let mut out = String::from("{\n  \"rollup\": ");
    json_string(&rollup.name, &mut out);
    out.push_str(",\n  \"title\": ");
    json_string(&rollup.title, &mut out);
    out.push_str(",\n  \"period\": ");
    match rollup.period {
        Some(period) => {
            let day =
                |d: Option<jiff::civil::Date>| d.map_or("null".to_owned(), |d| format!("\"{d}\""));
            let _ = write!(
                out,
                "{{\"from\": {}, \"to\": {}}}",
                day(period.from),
                day(period.to)
            );
        }
        None => out.push_str("null"),
    }
    out.push_str(",\n  \"levels\": [");
    for (level, periods) in assessment.periods.iter().enumerate() {
        out.push_str(if level == 0 { "\n    " } else { ",\n    " });
        out.push_str("{\"name\": ");
        json_string(&rollup.levels[level].name, &mut out);
        out.push_str(", \"periods\": [");
        for (i, (_, name)) in periods.iter().enumerate() {
            out.push_str(if i == 0 { "" } else { ", " });
            json_string(name, &mut out);
        }
        out.push_str("]}");
    }
    out.push_str("\n  ],\n  \"methods\": [");
    for (i, method) in view.plan.methods.iter().enumerate() {
        out.push_str(if i == 0 { "" } else { ", " });
        json_string(method, &mut out);
    }
    out.push_str("],\n  \"units\": [");
    for (u, unit) in assessment.units.iter().enumerate() {
        out.push_str(if u == 0 { "\n    " } else { ",\n    " });
        unit_json(view, unit, &mut out);
    }
    out.push_str("\n  ],\n  \"summary\": ");
    summary_json(view, &mut out);
    out.push_str("\n}\n");
    out
}

/// `--format jsonl`: one unit's year per line, nothing else (for programs
/// that read a line at a time).
pub fn render_lines(view: &View<'_>) -> String {
    let mut out = String::new();
    for unit in &view.assessment.units {
        unit_json(view, unit, &mut out);
        out.push('\n');
    }
    out
}

fn number(value: Option<rust_decimal::Decimal>) -> String {
    value.map_or_else(|| "null".to_owned(), score)
}

fn unit_json(view: &View<'_>, unit: &crate::rollup::UnitYear, out: &mut String) {
    let rollup = &view.plan.rollup;
    out.push_str("{\"key\": ");
    json_string(&unit.key, out);
    if let Some(group) = &unit.group {
        out.push_str(", \"group\": ");
        json_string(group, out);
    }
    let _ = write!(
        out,
        ", \"score\": {}, \"base\": {}, \"rank\": {}, \"grade\": ",
        number(unit.score),
        number(unit.base),
        unit.rank.map_or("null".to_owned(), |r| r.to_string())
    );
    match unit.grade {
        Some(_) => json_string(view.grade_name(unit), out),
        None => out.push_str("null"),
    }
    out.push_str(", \"levels\": {");
    for (level, scores) in unit.levels.iter().enumerate() {
        out.push_str(if level == 0 { "" } else { ", " });
        json_string(&rollup.levels[level].name, out);
        out.push_str(": {");
        for (i, (period, value)) in scores.iter().enumerate() {
            out.push_str(if i == 0 { "" } else { ", " });
            json_string(view.period_name(level, *period), out);
            out.push_str(": ");
            out.push_str(&score(*value));
        }
        out.push('}');
    }
    out.push_str("}, \"inspections\": {");
    for (i, (method, count)) in view.plan.methods.iter().zip(&unit.inspections).enumerate() {
        out.push_str(if i == 0 { "" } else { ", " });
        json_string(method, out);
        let _ = write!(out, ": {count}");
    }
    out.push_str("}, \"repeats\": [");
    for (i, run) in unit.repeats.iter().enumerate() {
        out.push_str(if i == 0 { "" } else { ", " });
        repeat_json(view, run, out);
    }
    out.push_str("], \"targets\": {");
    for (t, target) in rollup.targets.iter().enumerate() {
        out.push_str(if t == 0 { "" } else { ", " });
        json_string(&target.name, out);
        let reached = unit.targets[t];
        let _ = write!(
            out,
            ": {{\"first_held\": {}, \"at_deadline\": {}}}",
            reached
                .first_held
                .map_or("null".to_owned(), |d| format!("\"{d}\"")),
            reached
                .at_deadline
                .map_or("null".to_owned(), |held| held.to_string())
        );
    }
    out.push_str("}}");
}

fn repeat_json(view: &View<'_>, run: &crate::rollup::RepeatRun, out: &mut String) {
    let rule = &view.catalog.rules[run.rule];
    out.push_str("{\"rule\": ");
    json_string(&rule.id, out);
    out.push_str(", \"title\": ");
    json_string(&rule.title, out);
    out.push_str(", \"owner\": ");
    match &rule.owner {
        Some(owner) => json_string(owner, out),
        None => out.push_str("null"),
    }
    let level = view.plan.rollup.repeats[run.line].level;
    out.push_str(", \"periods\": [");
    for (i, period) in run.periods.iter().enumerate() {
        out.push_str(if i == 0 { "" } else { ", " });
        json_string(view.period_name(level, *period), out);
    }
    let _ = write!(
        out,
        "], \"count\": {}, \"points\": {}}}",
        run.count,
        run.points.normalize()
    );
}

fn summary_json(view: &View<'_>, out: &mut String) {
    let rollup = &view.plan.rollup;
    let assessment = view.assessment;
    let _ = write!(
        out,
        "{{\n    \"units\": {},\n    \"ranked\": {},\n    \"inspections_used\": {},\n    \"left_out\": {},\n    \"grades\": {{",
        assessment.units.len(),
        assessment.ranked,
        assessment.used,
        view.left_out
    );
    for (i, (band, count)) in rollup.grades.iter().zip(&view.totals.grades).enumerate() {
        out.push_str(if i == 0 { "" } else { ", " });
        json_string(&band.name, out);
        let _ = write!(out, ": {count}");
    }
    out.push_str("},\n    \"quotas\": {");
    let quotas = rollup
        .grades
        .iter()
        .zip(&view.totals.quotas)
        .zip(&view.totals.grades);
    let mut first = true;
    for ((band, quota), count) in quotas {
        if let Some(limit) = quota {
            out.push_str(if first { "" } else { ", " });
            first = false;
            json_string(&band.name, out);
            let _ = write!(out, ": {{\"limit\": {limit}, \"given\": {count}}}");
        }
    }
    out.push_str("},\n    \"targets\": {");
    for (t, (target, (reached, units))) in
        rollup.targets.iter().zip(&view.totals.targets).enumerate()
    {
        out.push_str(if t == 0 { "" } else { ", " });
        json_string(&target.name, out);
        let _ = write!(
            out,
            ": {{\"by\": \"{}\", \"reached\": {reached}, \"units\": {units}}}",
            target.by
        );
    }
    out.push_str("},\n    \"repeats\": [");
    for (i, &(unit, run)) in view.totals.repeats.iter().enumerate() {
        out.push_str(if i == 0 { "\n      " } else { ",\n      " });
        let unit = &assessment.units[unit];
        out.push_str("{\"unit\": ");
        json_string(&unit.key, out);
        out.push_str(", \"repeat\": ");
        repeat_json(view, &unit.repeats[run], out);
        out.push('}');
    }
    out.push_str(if view.totals.repeats.is_empty() {
        "]"
    } else {
        "\n    ]"
    });
    out.push_str("\n  }");
}
