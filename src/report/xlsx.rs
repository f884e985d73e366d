//! `--format xlsx`: an Excel workbook (rust_xlsxwriter) with four sheets:
//!
//! - **Summary**: the standard, its editions, units, average, grade counts.
//! - **Units**: one row per unit — key, edition, group, score, grade (the
//!   cell coloured by grade), failed rules, data errors; frozen header and
//!   filters.
//! - **Rules**: each rule's failures and failure rate.
//! - **Ledger** (整改台賬): one row per lost point per unit — unit, rule,
//!   title, outcome, observed values, points lost, remedy, owner, and empty
//!   *deadline* and *status* columns to fill in. A failure a waiver excused
//!   is a row too, its outcome `waived` and its justification in *status*.
//!
//! Units and Ledger are written row by row in constant memory from the
//! units' detail file; a ledger longer than a sheet goes on in "Ledger 2".

use std::io::BufRead;
use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};

use super::Summary;
use super::detail;
use super::values::score;
use crate::eval::catalog::Catalog;

/// Rows of a sheet, the header included (Excel's limit).
const SHEET_ROWS: u32 = 1_048_576;

/// The formats of the workbook.
struct Styles {
    header: Format,
    score: Format,
    rate: Format,
    grades: [Format; 3],
}

impl Styles {
    fn new() -> Styles {
        let fill = |rgb: u32, font: u32| {
            Format::new()
                .set_background_color(Color::RGB(rgb))
                .set_font_color(Color::RGB(font))
        };
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x00F6_F8FA)),
            score: Format::new().set_num_format("0.00"),
            rate: Format::new().set_num_format("0.00%"),
            grades: [
                fill(0x00C6_EFCE, 0x0000_6100),
                fill(0x00FF_EB9C, 0x009C_5700),
                fill(0x00FF_C7CE, 0x009C_0006),
            ],
        }
    }

    /// The format of a grade's cell: the first band green, the last red.
    fn grade(&self, catalog: &Catalog, grade: usize) -> &Format {
        if grade == 0 {
            &self.grades[0]
        } else if grade + 1 == catalog.grades.len() {
            &self.grades[2]
        } else {
            &self.grades[1]
        }
    }
}

/// Writes the workbook to `path`; `details` reads the units' detail file
/// (it is read twice: for Units, then for the Ledger).
pub fn write<R: BufRead>(
    catalog: &Catalog,
    summary: &Summary,
    grouped_by: Option<&str>,
    details: impl Fn() -> std::io::Result<R>,
    path: &Path,
) -> Result<(), String> {
    let error = |e: XlsxError| e.to_string();
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    summary_sheet(workbook.add_worksheet(), catalog, summary, &styles).map_err(error)?;
    let units = workbook
        .add_worksheet_with_constant_memory()
        .map_err(error)?;
    units_sheet(units, catalog, grouped_by, &details, &styles)?;
    rules_sheet(workbook.add_worksheet(), catalog, summary, &styles).map_err(error)?;
    ledger_sheets(&mut workbook, catalog, &details, &styles)?;
    workbook.save(path).map_err(error)
}

fn headers(sheet: &mut Worksheet, names: &[&str], styles: &Styles) -> Result<(), XlsxError> {
    for (column, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, column_number(column), *name, &styles.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn column_number(column: usize) -> u16 {
    u16::try_from(column).unwrap_or(u16::MAX)
}

/// A score as Excel's number, rounded as results are written.
fn score_number(value: Decimal) -> f64 {
    score(value).parse().unwrap_or_default()
}

fn summary_sheet(
    sheet: &mut Worksheet,
    catalog: &Catalog,
    summary: &Summary,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Summary")?;
    let standard = &catalog.latest().standard;
    let mut row = 0;
    let mut line = |sheet: &mut Worksheet, label: &str, value: &str| -> Result<(), XlsxError> {
        sheet.write_string_with_format(row, 0, label, &styles.header)?;
        sheet.write_string(row, 1, value)?;
        row += 1;
        Ok(())
    };
    line(sheet, "標準 standard", &standard.title)?;
    for program in &catalog.programs {
        let s = &program.standard;
        let dates = match (s.effective, s.until) {
            (Some(from), Some(to)) => format!("{from} – {to}"),
            (Some(from), None) => format!("{from} –"),
            _ => String::new(),
        };
        line(sheet, &format!("版本 edition {}", s.version), &dates)?;
    }
    line(sheet, "受檢單位 units", &summary.records.to_string())?;
    line(sheet, "平均分 average score", &score(summary.average()))?;
    for (grade, count) in catalog.grades.iter().zip(&summary.grades) {
        line(sheet, grade, &count.to_string())?;
    }
    line(
        sheet,
        "資料錯誤 data errors",
        &summary.errors.len().to_string(),
    )?;
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 40)?;
    Ok(())
}

fn units_sheet<R: BufRead>(
    sheet: &mut Worksheet,
    catalog: &Catalog,
    grouped_by: Option<&str>,
    details: &impl Fn() -> std::io::Result<R>,
    styles: &Styles,
) -> Result<(), String> {
    let error = |e: XlsxError| e.to_string();
    sheet.set_name("Units").map_err(error)?;
    let key = catalog.latest().standard.fields[catalog.latest().standard.key.0].heading();
    let mut names = vec![key, "edition"];
    if let Some(group) = grouped_by {
        names.push(group);
    }
    names.extend(["score", "grade", "failed rules", "data errors"]);
    headers(sheet, &names, styles).map_err(error)?;
    let mut row: u32 = 0;
    for unit in detail::read(details().map_err(|e| e.to_string())?) {
        row += 1;
        if row >= SHEET_ROWS {
            return Err(format!(
                "more than {} units: an Excel sheet holds no more; use --format csv",
                SHEET_ROWS - 1
            ));
        }
        let mut column = 0;
        let mut next = || {
            column += 1;
            column - 1
        };
        let edition = &catalog.programs[unit.edition].standard.version;
        sheet.write_string(row, next(), &unit.key).map_err(error)?;
        sheet.write_string(row, next(), edition).map_err(error)?;
        if grouped_by.is_some() {
            sheet
                .write_string(row, next(), unit.group.as_deref().unwrap_or_default())
                .map_err(error)?;
        }
        sheet
            .write_number_with_format(row, next(), score_number(unit.score()), &styles.score)
            .map_err(error)?;
        let grade_column = next();
        if let Some(grade) = unit.grade {
            sheet
                .write_string_with_format(
                    row,
                    grade_column,
                    &catalog.grades[grade],
                    styles.grade(catalog, grade),
                )
                .map_err(error)?;
        }
        let failed: Vec<&str> = unit
            .failed
            .iter()
            .map(|&rule| catalog.rules[rule].id.as_str())
            .collect();
        sheet
            .write_string(row, next(), failed.join(" "))
            .map_err(error)?;
        sheet
            .write_number(row, next(), unit.errors as f64)
            .map_err(error)?;
    }
    let last = column_number(names.len() - 1);
    sheet.autofilter(0, 0, row, last).map_err(error)?;
    sheet.set_column_width(0, 16).map_err(error)?;
    sheet.set_column_width(last - 1, 30).map_err(error)?;
    Ok(())
}

fn rules_sheet(
    sheet: &mut Worksheet,
    catalog: &Catalog,
    summary: &Summary,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Rules")?;
    headers(
        sheet,
        &["rule", "title", "failures", "failure rate"],
        styles,
    )?;
    for (index, (rule, failures)) in catalog.rules.iter().zip(&summary.failures).enumerate() {
        let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
        sheet.write_string(row, 0, &rule.id)?;
        sheet.write_string(row, 1, &rule.title)?;
        sheet.write_number(row, 2, *failures as f64)?;
        let rate = if summary.records == 0 {
            0.0
        } else {
            *failures as f64 / summary.records as f64
        };
        sheet.write_number_with_format(row, 3, rate, &styles.rate)?;
    }
    let rows = u32::try_from(catalog.rules.len()).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, rows, 3)?;
    sheet.set_column_width(1, 40)?;
    Ok(())
}

/// The ledger's columns.
const LEDGER: [&str; 11] = [
    "unit",
    "rule",
    "title",
    "outcome",
    "observed",
    "points lost",
    "remedy",
    "owner",
    "record",
    "deadline 整改期限",
    "status 整改情況",
];

fn ledger_sheets<R: BufRead>(
    workbook: &mut Workbook,
    catalog: &Catalog,
    details: &impl Fn() -> std::io::Result<R>,
    styles: &Styles,
) -> Result<(), String> {
    let error = |e: XlsxError| e.to_string();
    let mut sheets = 1;
    let mut sheet = new_ledger(workbook, sheets, styles).map_err(error)?;
    let mut row: u32 = 0;
    for unit in detail::read(details().map_err(|e| e.to_string())?) {
        let program = &catalog.programs[unit.edition];
        for lost in &unit.lost {
            row += 1;
            if row >= SHEET_ROWS {
                finish_ledger(sheet, row - 1).map_err(error)?;
                sheets += 1;
                sheet = new_ledger(workbook, sheets, styles).map_err(error)?;
                row = 1;
            }
            let id = &catalog.rules[lost.rule].id;
            let rule = program.standard.rules.iter().find(|r| &r.id == id);
            let text = |value: Option<&String>| value.cloned().unwrap_or_default();
            let cells = [
                unit.key.clone(),
                id.clone(),
                rule.map(|r| r.title.clone()).unwrap_or_default(),
                lost.outcome.clone(),
                lost.observed.clone(),
            ];
            for (column, value) in cells.iter().enumerate() {
                sheet
                    .write_string(row, column_number(column), value)
                    .map_err(error)?;
            }
            sheet
                .write_number(row, 5, lost.lost.parse::<f64>().unwrap_or_default())
                .map_err(error)?;
            sheet
                .write_string(row, 6, text(rule.and_then(|r| r.remedy.as_ref())))
                .map_err(error)?;
            sheet
                .write_string(row, 7, text(rule.and_then(|r| r.owner.as_ref())))
                .map_err(error)?;
            sheet.write_string(row, 8, &unit.at).map_err(error)?;
            if let Some(waiver) = &lost.waiver {
                sheet
                    .write_string(row, 10, format!("豁免 waived: {waiver}"))
                    .map_err(error)?;
            }
        }
    }
    finish_ledger(sheet, row).map_err(error)
}

fn new_ledger<'w>(
    workbook: &'w mut Workbook,
    number: usize,
    styles: &Styles,
) -> Result<&'w mut Worksheet, XlsxError> {
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(if number == 1 {
        "Ledger".to_owned()
    } else {
        format!("Ledger {number}")
    })?;
    headers(sheet, &LEDGER, styles)?;
    for (column, width) in [
        (2, 30),
        (4, 36),
        (6, 40),
        (7, 14),
        (8, 24),
        (9, 14),
        (10, 14),
    ] {
        sheet.set_column_width(column, width)?;
    }
    Ok(sheet)
}

fn finish_ledger(sheet: &mut Worksheet, last_row: u32) -> Result<(), XlsxError> {
    sheet.autofilter(0, 0, last_row, column_number(LEDGER.len() - 1))?;
    Ok(())
}
