//! `yardstick template`: a blank inspection form for a standard — its
//! fields as columns, in order, headed by their labels (or names), so that a
//! filled-in form evaluates with no mapping work.
//!
//! The CSV form is the header line, with a byte-order mark so that Excel
//! reads the Chinese headings as UTF-8. The Excel form adds, for the first
//! [`FORM_ROWS`] rows, a drop-down for `bool` (是/否) and `one of` fields,
//! number checks for counts, numbers and percents, a date check for dates,
//! and a note on each heading with the field's type and the rules that read it.

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, ExcelDateTime, Format, Note, Workbook, Worksheet, XlsxError,
};

use super::values::csv_field;
use crate::check::model::{FieldType, Standard};
use crate::eval::compile::Program;

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

/// The Excel form, as the bytes of a workbook.
pub fn xlsx(program: &Program) -> Result<Vec<u8>, XlsxError> {
    let standard = &program.standard;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("檢查記錄")?;
    let bold = Format::new().set_bold();
    for (index, field) in standard.fields.iter().enumerate() {
        let column = u16::try_from(index).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, column, field.heading(), &bold)?;
        let width = field.heading().chars().count().clamp(8, 30) * 2;
        sheet.set_column_width(column, u32::try_from(width).unwrap_or(16))?;
        sheet.insert_note(0, column, &Note::new(note(program, index)).set_width(300))?;
        if let Some(validation) = validation(&field.ty)? {
            sheet.add_data_validation(1, column, FORM_ROWS, column, &validation)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    instructions(workbook.add_worksheet(), standard)?;
    workbook.save_to_buffer()
}

/// The note on a heading: name, type, whether it may be blank, the rules that read it.
fn note(program: &Program, field: usize) -> String {
    let standard = &program.standard;
    let f = &standard.fields[field];
    let rules: Vec<&str> = program
        .rules
        .iter()
        .zip(&standard.rules)
        .filter(|(compiled, _)| compiled.reads.contains(&field))
        .map(|(_, rule)| rule.id.as_str())
        .collect();
    let mut text = format!("{}: {}", f.name, f.ty.describe());
    if f.optional {
        text.push_str("，可留空 (may be blank)");
    }
    if field == standard.key.0 {
        text.push_str("\n受檢單位 (the unit)");
    }
    if !rules.is_empty() {
        text.push_str(&format!("\n規則 rules: {}", rules.join(", ")));
    }
    text
}

/// The drop-down or check of a field's column.
fn validation(ty: &FieldType) -> Result<Option<DataValidation>, XlsxError> {
    let validation = match ty {
        FieldType::Bool => DataValidation::new()
            .allow_list_strings(&["是", "否"])?
            .set_input_message("是 or 否 (yes / no)")?,
        FieldType::OneOf(choices) => match DataValidation::new().allow_list_strings(choices) {
            Ok(list) => list,
            // Excel holds a list of up to 255 characters; the note lists them all.
            Err(_) => return Ok(None),
        },
        FieldType::Count => DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_input_message("a whole number, 0 or more")?,
        FieldType::Number => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
            .set_input_message("a number")?,
        FieldType::Percent => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_input_message("percentage points: 30 means 30%")?,
        FieldType::Date => DataValidation::new()
            .allow_date(DataValidationRule::GreaterThan(ExcelDateTime::from_ymd(
                1900, 1, 1,
            )?))
            .set_input_message("a date such as 2016-06-30")?,
        FieldType::Text => return Ok(None),
    };
    Ok(Some(validation))
}

/// A second sheet that explains the form.
fn instructions(sheet: &mut Worksheet, standard: &Standard) -> Result<(), XlsxError> {
    sheet.set_name("說明")?;
    let lines = [
        format!("{}（{}）", standard.title, standard.version),
        "每次檢查填寫一行；不要改動第一行的欄目名稱。One row per inspection; keep the headings.".to_owned(),
        "欄目名稱上的註解說明類型和使用它的規則。The note on each heading gives its type and the rules that read it.".to_owned(),
        "評分：yardstick eval STANDARD 本表.xlsx（score the filled-in form with the standard）".to_owned(),
    ];
    for (row, line) in lines.iter().enumerate() {
        sheet.write_string(u32::try_from(row).unwrap_or(0), 0, line)?;
    }
    sheet.set_column_width(0, 100)?;
    Ok(())
}
