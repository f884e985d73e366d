//! `--format json` (one document: the standard, its editions, its rules with
//! their titles and owners, every result, a summary) and
//! `--format jsonl` (one result per line, streamed).

use std::fmt::Write as _;

use super::values::{cell_json, json_string, score};
use crate::check::model::RuleId;
use crate::eval::catalog::Catalog;
use crate::results::{Format, RecordView, Summary};
use crate::syntax::ast::Outcome;
use crate::waivers::Waiver;

/// The JSON formats.
pub struct Json {
    /// One result per line, nothing else.
    pub lines: bool,
}

impl Format for Json {
    fn begin(&self, catalog: &Catalog) -> String {
        if self.lines {
            return String::new();
        }
        let standard = &catalog.latest().standard;
        let mut out = String::from("{\n  \"standard\": ");
        json_string(&standard.name, &mut out);
        out.push_str(",\n  \"title\": ");
        json_string(&standard.title, &mut out);
        out.push_str(",\n  \"edition\": ");
        if catalog.is_mixed() {
            out.push_str("null");
        } else {
            json_string(&standard.version, &mut out);
        }
        out.push_str(",\n  \"editions\": [");
        for (i, program) in catalog.programs.iter().enumerate() {
            out.push_str(if i == 0 { "" } else { ", " });
            json_string(&program.standard.version, &mut out);
        }
        // The rule columns, so that readers of the results (`compare`) know
        // each rule's title and owner without the standard.
        out.push_str("],\n  \"rules\": [");
        for (i, rule) in catalog.rules.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str("{\"id\": ");
            json_string(&rule.id, &mut out);
            out.push_str(", \"title\": ");
            json_string(&rule.title, &mut out);
            out.push_str(", \"owner\": ");
            match &rule.owner {
                Some(owner) => json_string(owner, &mut out),
                None => out.push_str("null"),
            }
            out.push('}');
        }
        out.push_str(if catalog.rules.is_empty() { "" } else { "\n  " });
        out.push_str("],\n  \"results\": [\n");
        out
    }

    fn record(&self, record: &RecordView<'_>, out: &mut String) {
        if self.lines {
            result(record, out);
            out.push('\n');
        } else {
            out.push_str("    ");
            result(record, out);
        }
    }

    fn end(&self, catalog: &Catalog, summary: &Summary) -> String {
        if self.lines {
            return String::new();
        }
        let mut out = String::from("\n  ],\n  \"summary\": {\n");
        let _ = write!(
            out,
            "    \"records\": {},\n    \"grades\": {{",
            summary.records
        );
        for (i, (grade, count)) in catalog.grades.iter().zip(&summary.grades).enumerate() {
            out.push_str(if i == 0 { "" } else { ", " });
            json_string(grade, &mut out);
            let _ = write!(out, ": {count}");
        }
        out.push_str("},\n    \"failures\": {");
        for (i, (rule, count)) in summary.most_failed(usize::MAX).into_iter().enumerate() {
            out.push_str(if i == 0 { "" } else { ", " });
            json_string(&catalog.rule(rule).id, &mut out);
            let _ = write!(out, ": {count}");
        }
        out.push_str("},\n    \"waived\": {");
        let waived = catalog.rules.iter().zip(&summary.waived);
        for (i, (rule, count)) in waived.filter(|(_, n)| **n > 0).enumerate() {
            out.push_str(if i == 0 { "" } else { ", " });
            json_string(&rule.id, &mut out);
            let _ = write!(out, ": {count}");
        }
        out.push_str("},\n    \"average_score\": ");
        let average = summary.average();
        out.push_str(&score(average));
        let _ = write!(
            out,
            ",\n    \"data_errors\": {}\n  }}\n}}\n",
            summary.errors.len()
        );
        out
    }

    fn separator(&self) -> &str {
        if self.lines { "" } else { ",\n" }
    }
}

/// One unit's result as a JSON object on one line.
fn result(record: &RecordView<'_>, out: &mut String) {
    let program = record.program;
    let standard = &program.standard;
    out.push_str("{\"key\": ");
    json_string(record.key, out);
    out.push_str(", \"edition\": ");
    json_string(&standard.version, out);
    out.push_str(", \"source\": {\"file\": ");
    json_string(&record.place.file, out);
    if let Some(sheet) = &record.place.sheet {
        out.push_str(", \"sheet\": ");
        json_string(sheet, out);
    }
    let _ = write!(out, ", \"{}\": {}}}", unit_name(record), record.row);
    out.push_str(", \"score\": ");
    out.push_str(&score(record.scored.totals.rounded));
    out.push_str(", \"grade\": ");
    match record.scored.grade {
        Some(_) => json_string(record.grade(), out),
        None => out.push_str("null"),
    }
    out.push_str(", \"failed\": [");
    for (i, rule) in record.failed().enumerate() {
        out.push_str(if i == 0 { "" } else { ", " });
        json_string(&standard.rules[rule.0].id, out);
    }
    out.push_str("], \"waived\": [");
    for (i, (rule, _)) in record.waived().enumerate() {
        out.push_str(if i == 0 { "" } else { ", " });
        json_string(&standard.rules[rule.0].id, out);
    }
    out.push_str("], \"rules\": [");
    for (index, rule) in standard.rules.iter().enumerate() {
        let id = RuleId(index);
        out.push_str(if index == 0 { "" } else { ", " });
        out.push_str("{\"id\": ");
        json_string(&rule.id, out);
        out.push_str(", \"outcome\": ");
        json_string(record.scored.outcome_word(id), out);
        if let Some((_, waiver)) = record.waived().find(|(r, _)| *r == id) {
            waiver_json(waiver, out);
        }
        let possible = record.scored.possible(program, id);
        let _ = write!(
            out,
            ", \"points\": {}, \"possible\": {}",
            record.scored.earned[index].normalize(),
            possible.normalize()
        );
        if record.scored.outcomes[index] != Outcome::NotApplicable
            || !program.rules[index].reads.is_empty()
        {
            out.push_str(", \"observed\": {");
            for (i, &field) in program.rules[index].reads.iter().enumerate() {
                out.push_str(if i == 0 { "" } else { ", " });
                json_string(&standard.fields[field].name, out);
                out.push_str(": ");
                cell_json(program, field, &record.cells[field], out);
            }
            out.push('}');
        }
        out.push('}');
    }
    out.push_str("], \"errors\": [");
    for (i, error) in record.errors.iter().enumerate() {
        out.push_str(if i == 0 { "" } else { ", " });
        json_string(&error.to_string(), out);
    }
    out.push_str("]}");
}

/// `, "waiver": {...}`: who excused a failure, why, and until when.
fn waiver_json(waiver: &Waiver, out: &mut String) {
    out.push_str(", \"waiver\": {\"justification\": ");
    json_string(&waiver.justification, out);
    out.push_str(", \"approved_by\": ");
    json_string(&waiver.approved_by, out);
    let _ = write!(
        out,
        ", \"expires\": \"{}\", \"scores_as\": \"{}\"}}",
        waiver.expires,
        waiver.scores_as.as_str()
    );
}

fn unit_name(record: &RecordView<'_>) -> &'static str {
    match record.place.unit {
        crate::data::RowUnit::Line => "line",
        crate::data::RowUnit::Record => "record",
        crate::data::RowUnit::Row => "row",
    }
}
