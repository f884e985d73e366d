//! `yardstick template`: a blank inspection form for a standard — its
//! fields as columns, in order, headed by their labels (or names), so that a
//! filled-in form evaluates with no mapping work.
//!
//! The CSV form is the header line, with a byte-order mark so that Excel
//! reads the Chinese headings as UTF-8. The Excel form adds, for the first
//! [`FORM_ROWS`] rows, a drop-down for `bool` (是/否, or yes/no in English)
//! and `one of` fields, number checks for counts, numbers and percents, a
//! date check for dates, and a note on each heading with the field's type
//! and the rules that read it; its sheets, prompts and notes are in the
//! output's language.

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, ExcelDateTime, Format, Note, Workbook, Worksheet, XlsxError,
};

use super::values::csv_field;
use crate::check::model::{FieldType, Standard};
use crate::eval::compile::Program;
use crate::language::{Language, Word};

/// Rows of the Excel form that carry the drop-downs and checks.
pub const FORM_ROWS: u32 = 5000;

/// The form's headings: each field's label, or its name.
fn headings(standard: &Standard) -> Vec<&str> {
    standard.fields.iter().map(|f| f.heading()).collect()
}

/// The CSV form: a byte-order mark and the header line.
pub fn csv(standard: &Standard) -> String {
    let mut out = String::from('\u{feff}');
    for (i, heading) in headings(standard).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(heading, &mut out);
    }
    out.push('\n');
    out
}

/// The Excel form in `language`, as the bytes of a workbook.
pub fn xlsx(program: &Program, language: Language) -> Result<Vec<u8>, XlsxError> {
    let standard = &program.standard;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(language.word(Word::SheetForm))?;
    let bold = Format::new().set_bold();
    for (index, field) in standard.fields.iter().enumerate() {
        let column = u16::try_from(index).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, column, field.heading(), &bold)?;
        let width = field.heading().chars().count().clamp(8, 30) * 2;
        sheet.set_column_width(column, u32::try_from(width).unwrap_or(16))?;
        let note = Note::new(note(program, index, language)).set_width(300);
        sheet.insert_note(0, column, &note)?;
        if let Some(validation) = validation(&field.ty, language)? {
            sheet.add_data_validation(1, column, FORM_ROWS, column, &validation)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    instructions(workbook.add_worksheet(), standard, language)?;
    workbook.save_to_buffer()
}

/// The note on a heading: name, type, whether it may be blank, the rules that read it.
fn note(program: &Program, field: usize, language: Language) -> String {
    let standard = &program.standard;
    let f = &standard.fields[field];
    let rules: Vec<&str> = program
        .rules
        .iter()
        .zip(&standard.rules)
        .filter(|(compiled, _)| compiled.reads.contains(&field))
        .map(|(_, rule)| rule.id.as_str())
        .collect();
    let mut text = language.labelled(&f.name, &type_text(&f.ty, language));
    if f.optional {
        text.push_str(if language.is_chinese() { "，" } else { ", " });
        text.push_str(language.word(Word::MayBeBlank));
    }
    if field == standard.key.0 {
        text.push('\n');
        text.push_str(language.word(Word::TheUnit));
    }
    if !rules.is_empty() {
        text.push('\n');
        text.push_str(&language.fill(
            Word::RulesReading,
            &[&rules.join(language.list_separator())],
        ));
    }
    text
}

/// What a field takes, in words of `language`.
fn type_text(ty: &FieldType, language: Language) -> String {
    let word = match ty {
        FieldType::Bool => Word::TypeBool,
        FieldType::Count => Word::TypeCount,
        FieldType::Number => Word::TypeNumber,
        FieldType::Percent => Word::TypePercent,
        FieldType::Text => Word::TypeText,
        FieldType::Date => Word::TypeDate,
        FieldType::OneOf(choices) => {
            let quoted: Vec<String> = choices
                .iter()
                .map(|c| {
                    if language.is_chinese() {
                        format!("「{c}」")
                    } else {
                        format!("\"{c}\"")
                    }
                })
                .collect();
            let separator = if language.is_chinese() { "" } else { ", " };
            return language.fill(Word::TypeOneOf, &[&quoted.join(separator)]);
        }
    };
    language.word(word).to_owned()
}

/// The drop-down or check of a field's column, its prompt in `language`.
fn validation(ty: &FieldType, language: Language) -> Result<Option<DataValidation>, XlsxError> {
    let prompt = |word: Word| language.word(word);
    let validation = match ty {
        FieldType::Bool => {
            let (yes, no) = (language.word(Word::Yes), language.word(Word::No));
            DataValidation::new()
                .allow_list_strings(&[yes, no])?
                .set_input_message(prompt(Word::TypeBool))?
        }
        FieldType::OneOf(choices) => match DataValidation::new().allow_list_strings(choices) {
            Ok(list) => list,
            // Excel holds a list of up to 255 characters; the note lists them all.
            Err(_) => return Ok(None),
        },
        FieldType::Count => DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_input_message(prompt(Word::TypeCount))?,
        FieldType::Number => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
            .set_input_message(prompt(Word::TypeNumber))?,
        FieldType::Percent => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_input_message(prompt(Word::TypePercent))?,
        FieldType::Date => DataValidation::new()
            .allow_date(DataValidationRule::GreaterThan(ExcelDateTime::from_ymd(
                1900, 1, 1,
            )?))
            .set_input_message(prompt(Word::TypeDate))?,
        FieldType::Text => return Ok(None),
    };
    Ok(Some(validation))
}

/// A second sheet that explains the form.
fn instructions(
    sheet: &mut Worksheet,
    standard: &Standard,
    language: Language,
) -> Result<(), XlsxError> {
    sheet.set_name(language.word(Word::SheetInstructions))?;
    let lines = [
        format!(
            "{}{}",
            standard.title,
            language.parenthesized(&standard.version)
        ),
        language.word(Word::FormOneRow).to_owned(),
        language.word(Word::FormNotes).to_owned(),
        language.word(Word::FormScoring).to_owned(),
    ];
    for (row, line) in lines.iter().enumerate() {
        sheet.write_string(u32::try_from(row).unwrap_or(0), 0, line)?;
    }
    sheet.set_column_width(0, 100)?;
    Ok(())
}
