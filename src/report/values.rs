//! How values look in output: scores and cells as `results::text` writes
//! them (re-exported here), observed values as a person reads them in the output's language, where a
//! record is (a file's name, never its path), and the escaping of JSON and
//! CSV text.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::check::model::FieldType;
use crate::data::{Location, RowUnit};
use crate::eval::catalog::Catalog;
use crate::eval::compile::Program;
use crate::language::{Language, Word};
use crate::results::UnitLine;
use crate::syntax::ast::Outcome;
use crate::value::{Cell, Value};

pub use crate::results::text::{cell_text, push_score, score};
use crate::results::text::{choice, value_text};

/// A field's cell as a person reads it in `language`: `是`/`否` (`yes`/`no`)
/// for a bool, `（空白）` (`(blank)`) for a blank cell, otherwise as
/// [`cell_text`] writes it.
pub fn observed(language: Language, program: &Program, field: usize, cell: &Cell) -> String {
    match cell {
        Cell::Blank => language.word(Word::Blank).to_owned(),
        Cell::Missing => language.word(Word::MissingValue).to_owned(),
        Cell::Value(Value::Bool(b)) => language
            .word(if *b { Word::Yes } else { Word::No })
            .to_owned(),
        Cell::Value(value) => value_text(program, field, value),
    }
}

/// The values some fields held, each by its label (or name) in `language`:
/// `泔水桶加蓋：否；綠化率：22.5%`, `Bins sealed: no; Green coverage: 22.5%`.
pub fn observed_values(
    language: Language,
    program: &Program,
    fields: &[usize],
    cells: &[Cell],
) -> String {
    let separator = if language.is_chinese() { "；" } else { "; " };
    let mut out = String::new();
    for (i, &field) in fields.iter().enumerate() {
        let (Some(declared), Some(cell)) = (program.standard.fields.get(field), cells.get(field))
        else {
            continue;
        };
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(&language.labelled(
            declared.heading(),
            &observed(language, program, field, cell),
        ));
    }
    out
}

/// An outcome's word in `language`: `合格`, `不合格`, `不適用`, `缺值`.
pub fn outcome_word(language: Language, outcome: Outcome) -> &'static str {
    language.word(match outcome {
        Outcome::Pass => Word::Pass,
        Outcome::Fail => Word::Fail,
        Outcome::NotApplicable => Word::NotApplicable,
        Outcome::Missing => Word::Missing,
        Outcome::NotEarned => Word::NotEarned,
    })
}

/// An outcome written as JSON writes it (`pass`, `fail`, `n/a`, `missing`,
/// `waived`, `not earned`) in `language`; other text is returned as it is.
pub fn outcome_name(language: Language, name: &str) -> &str {
    let word = match name {
        "pass" => Word::Pass,
        "fail" => Word::Fail,
        "n/a" => Word::NotApplicable,
        "missing" => Word::Missing,
        "waived" => Word::Waived,
        "not earned" | "not_earned" => Word::NotEarned,
        _ => return name,
    };
    language.word(word)
}

/// How a grade band reads in colour: the first band good, the last bad,
/// those between fair; no grade, none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// The first band.
    Good,
    /// A band between the first and the last.
    Fair,
    /// The last band.
    Bad,
    /// No grade.
    None,
}

impl Tone {
    /// The tone of band `grade` of `bands`.
    pub fn of_band(grade: Option<usize>, bands: usize) -> Tone {
        match grade {
            Some(0) => Tone::Good,
            Some(g) if g + 1 == bands => Tone::Bad,
            Some(_) => Tone::Fair,
            None => Tone::None,
        }
    }

    /// Its class in a page's style.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Fair => "fair",
            Tone::Bad => "bad",
            Tone::None => "none",
        }
    }
}

/// A grade as people read it: with the `veto` rules that set it, when a
/// failed `veto` rule did: `不達標（一票否決：B1）`, `fail (veto: B1)`.
pub fn grade_text(language: Language, grade: &str, veto: &[&str]) -> String {
    if veto.is_empty() {
        grade.to_owned()
    } else {
        language.fill(
            Word::GradeByVeto,
            &[&grade, &veto.join(language.list_separator())],
        )
    }
}

/// A unit line's grade as people read it, with the `veto` rules that set it.
pub fn unit_grade_text(unit: &UnitLine, catalog: &Catalog, language: Language) -> String {
    let veto: Vec<&str> = unit
        .veto
        .iter()
        .map(|&column| catalog.rule(column).id.as_str())
        .collect();
    grade_text(language, unit.grade_name(catalog), &veto)
}

/// The last part of a path: what a published report names a file by, so
/// that it shows no folder of the machine that made it.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\'])
        .find(|part| !part.is_empty())
        .unwrap_or(path)
}

/// Where a record is, in `language`, by its file's name:
/// `inspections-2015.csv 第3行`, `inspections-2015.csv line 3`.
pub fn location(language: Language, at: &Location) -> String {
    let file = file_name(&at.file);
    match (&at.sheet, at.unit) {
        (Some(sheet), _) => language.fill(Word::AtRow, &[&file, sheet, &at.number]),
        (None, RowUnit::Record) => language.fill(Word::AtRecord, &[&file, &at.number]),
        (None, _) => language.fill(Word::AtLine, &[&file, &at.number]),
    }
}

/// A field's cell as a JSON value: numbers as numbers (percents in
/// percentage points, so 30% is 30), blank and missing as `null`.
pub fn cell_json(program: &Program, field: usize, cell: &Cell, out: &mut String) {
    let Cell::Value(value) = cell else {
        out.push_str("null");
        return;
    };
    let percent = matches!(
        program.standard.fields.get(field).map(|f| &f.ty),
        Some(FieldType::Percent)
    );
    match value {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if percent => {
            let _ = write!(out, "{}", (n * Decimal::ONE_HUNDRED).normalize());
        }
        Value::Number(n) => {
            let _ = write!(out, "{}", n.normalize());
        }
        Value::Text(t) => json_string(t, out),
        Value::Choice(index) => json_string(choice(program, field, *index), out),
        Value::Date(d) => json_string(&d.to_string(), out),
    }
}

/// A JSON string literal.
pub fn json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A CSV cell for a spreadsheet: text that a spreadsheet would run as a
/// formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return)
/// gets a leading `'`; then quoted as [`csv_plain`] quotes.
#[inline]
pub fn csv_field(text: &str, out: &mut String) {
    if text
        .as_bytes()
        .first()
        .is_some_and(|b| matches!(b, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
    {
        let guarded = format!("'{text}");
        csv_plain(&guarded, out);
    } else {
        csv_plain(text, out);
    }
}

/// A CSV cell as it is, quoted when it holds a comma, a quote or a line
/// break: for CSV that yardstick reads back, never for spreadsheets.
pub fn csv_plain(text: &str, out: &mut String) {
    if text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_have_two_decimals_rounded_half_away_from_zero() {
        let d = |s: &str| s.parse::<Decimal>().expect("a decimal");
        assert_eq!(score(d("100")), "100.00");
        assert_eq!(score(d("93.4782608695652173913")), "93.48");
        assert_eq!(score(d("89.125")), "89.13");
        assert_eq!(score(d("0")), "0.00");
        assert_eq!(score(d("-93.475")), "-93.48");
        assert_eq!(score(d("99.995")), "100.00");
        assert_eq!(score(d("7.1")), "7.10");
        // Past 64 bits of hundredths (no score is; a sum may be).
        assert_eq!(
            score(d("-1844674407370955161600.005")),
            "-1844674407370955161600.01"
        );
    }

    #[test]
    fn a_spreadsheet_never_runs_a_cell_as_a_formula() {
        let written = |text: &str| {
            let mut out = String::new();
            csv_field(text, &mut out);
            out
        };
        assert_eq!(written("=1+1"), "'=1+1");
        assert_eq!(written("+86 28"), "'+86 28");
        assert_eq!(written("-5"), "'-5");
        assert_eq!(written("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(written("\tx"), "'\tx");
        assert_eq!(written("\rx"), "\"'\rx\"");
        assert_eq!(written("=A1,B1"), "\"'=A1,B1\"");
        assert_eq!(written("辦公室-3"), "辦公室-3");
        assert_eq!(written(""), "");
    }

    #[test]
    fn published_places_name_files_not_folders() {
        assert_eq!(
            file_name("/home/li/data/inspections-2015.csv"),
            "inspections-2015.csv"
        );
        assert_eq!(file_name("C:\\Users\\li\\檢查.xlsx"), "檢查.xlsx");
        assert_eq!(file_name("plain.csv"), "plain.csv");
        let at = Location {
            file: "/tmp/x/inspections-2015.csv".into(),
            sheet: None,
            unit: RowUnit::Line,
            number: 3,
        };
        assert_eq!(
            location(Language::Traditional, &at),
            "inspections-2015.csv 第3行"
        );
        assert_eq!(
            location(Language::English, &at),
            "inspections-2015.csv line 3"
        );
    }

    #[test]
    fn json_and_csv_text_is_escaped() {
        let mut out = String::new();
        json_string("「a\"b」\n", &mut out);
        assert_eq!(out, "\"「a\\\"b」\\n\"");
        let mut out = String::new();
        csv_field("a,\"b\"", &mut out);
        assert_eq!(out, "\"a,\"\"b\"\"\"");
    }
}
