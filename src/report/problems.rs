//! Data errors as published reports list them: the file's name (never its
//! folder), the row, the column, the value and the problem, in the output's
//! language. The messages on stderr stay the diagnostics' own.

use serde::Serialize;

use super::values::file_name;
use crate::data::{DataError, Location};
use crate::language::{Language, Word};

/// One data error, as a row of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file's name, with the sheet of a workbook.
    pub file: String,
    /// The row (line, record) number, when the error is in one.
    pub row: String,
    /// The column's heading, when the error is in one.
    pub column: String,
    /// The cell's text, when the error is about one.
    pub value: String,
    /// What is wrong, in words.
    pub problem: String,
}

/// A data error in words of `language`.
pub fn describe(language: Language, error: &DataError) -> Problem {
    let word = |w: Word| language.word(w).to_owned();
    let place = |at: &Location| {
        let file = match &at.sheet {
            Some(sheet) => format!("{} [{sheet}]", file_name(&at.file)),
            None => file_name(&at.file).to_owned(),
        };
        (file, at.number.to_string())
    };
    let in_file = |file: &str| (file_name(file).to_owned(), String::new());
    let ((file, row), column, value, problem) = match error {
        DataError::BadValue {
            at,
            column,
            value,
            expected,
            ..
        } => {
            let problem = if language.is_chinese() {
                expected_word(expected).map_or_else(
                    || word(Word::ErrorOther),
                    |w| language.fill(Word::ErrorBadValue, &[&language.word(w)]),
                )
            } else {
                language.fill(Word::ErrorBadValue, &[expected])
            };
            (place(at), column.clone(), value.clone(), problem)
        }
        DataError::Blank { at, column, .. } => (
            place(at),
            column.clone(),
            String::new(),
            word(Word::ErrorBlank),
        ),
        DataError::RowLength {
            at,
            found,
            expected,
        } => (
            place(at),
            String::new(),
            String::new(),
            language.fill(Word::ErrorRowLength, &[found, expected]),
        ),
        DataError::NoEdition { at, .. } => (
            place(at),
            String::new(),
            String::new(),
            word(Word::ErrorNoEdition),
        ),
        DataError::Script { at, site, .. } => {
            // The site (`rule D2`) is in English words: named in English only.
            let problem = if language.is_chinese() {
                word(Word::ErrorScript)
            } else {
                language.labelled(&word(Word::ErrorScript), site)
            };
            (place(at), String::new(), String::new(), problem)
        }
        DataError::UnterminatedQuote { at, .. } | DataError::Malformed { at, .. } => (
            place(at),
            String::new(),
            String::new(),
            word(Word::ErrorUnreadable),
        ),
        DataError::MissingColumn {
            file, field, label, ..
        } => (
            in_file(file),
            label_or_field(label, field),
            String::new(),
            word(Word::ErrorColumn),
        ),
        DataError::Unreadable { file, .. } => (
            in_file(file),
            String::new(),
            String::new(),
            word(Word::ErrorUnreadable),
        ),
        other => (
            (String::new(), String::new()),
            String::new(),
            String::new(),
            if language.is_chinese() {
                word(Word::ErrorOther)
            } else {
                other.to_string()
            },
        ),
    };
    Problem {
        file,
        row,
        column,
        value,
        problem,
    }
}

/// The label a missing column is named by (`" (labelled `綠化率`)"`), else
/// the field's name.
fn label_or_field(label: &str, field: &str) -> String {
    label
        .split('`')
        .nth(1)
        .filter(|l| !l.is_empty())
        .unwrap_or(field)
        .to_owned()
}

/// The word for what a field takes, from the data reader's English.
fn expected_word(expected: &str) -> Option<Word> {
    Some(match expected {
        "true or false" => Word::TypeBool,
        "a count" => Word::TypeCount,
        "a number" => Word::TypeNumber,
        "a percent" => Word::TypePercent,
        "a date" => Word::TypeDate,
        "text" | "UTF-8 text" => Word::TypeText,
        "one of the listed values" => Word::TypeListed,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::RowUnit;

    #[test]
    fn a_bad_cell_is_described_in_the_language_of_the_report() {
        let error = DataError::BadValue {
            at: Location {
                file: "/home/li/inspections.csv".into(),
                sheet: None,
                unit: RowUnit::Line,
                number: 4,
            },
            column: "辦公區綠化率".to_owned(),
            value: "三成".to_owned(),
            expected: "a percent".to_owned(),
            help: None,
        };
        let chinese = describe(Language::Traditional, &error);
        assert_eq!(chinese.file, "inspections.csv");
        assert_eq!(chinese.row, "4");
        assert_eq!(chinese.value, "三成");
        assert_eq!(chinese.problem, "應為百分比（30 即 30%）");
        let english = describe(Language::English, &error);
        assert_eq!(english.problem, "not a percent");
    }
}
