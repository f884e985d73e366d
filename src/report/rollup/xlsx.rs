//! `rollup --format xlsx`: the year's assessment as an Excel workbook
//! (rust_xlsxwriter), its sheets named and headed in the output's language
//! (匯總, 單位, 月度得分..., 重複問題, 目標 in Chinese; Summary, Units,
//! Scores by month..., Repeats, Targets in English):
//!
//! - **Summary**: the roll-up, the standard, the days assessed, units and
//!   inspections counted, then grade counts with share and quota, each
//!   target's deadline and attainment, and how the roll-up scores.
//! - **Units**: a row per unit — key, group, final score, grade (coloured
//!   by band), rank, the score before repeats, the points repeats took,
//!   inspections per method, each target's first date and state.
//! - **A sheet per level**, finest first: a row per unit, a column per
//!   period, each score a number with two decimals.
//! - **Repeats** (重複問題), when the roll-up has `repeat` lines: a row per
//!   run — unit, rule, title, owner, periods, count, points — in the order
//!   of the repeat list (by owner).
//! - **Targets** (目標), when it has targets: a row per unit and target —
//!   the date it first held, its state at the deadline.
//!
//! Numbers are numbers and dates are dates; every list sheet has frozen
//! headings and filters, and goes on in a second sheet (`重複問題 2`) past
//! Excel's rows. The workbook is written into the writer it is given.

use std::io::{Seek, Write};

use rust_decimal::Decimal;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{Column, Value, View};
use crate::language::Word;
use crate::report::errors::ReportError;
use crate::report::xlsx::{SHEET_ROWS, Styles, column_number, headers, score_number};
use crate::rollup::UnitYear;

/// The longest sheet name Excel takes, in characters.
const SHEET_NAME_LENGTH: usize = 31;

/// The workbook being written, and the names its sheets took.
struct Book<'v, 'a> {
    workbook: Workbook,
    names: Vec<String>,
    cells: Cells<'v, 'a>,
}

/// What writes the cells: the view and the formats.
struct Cells<'v, 'a> {
    view: &'v View<'a>,
    styles: Styles,
    date: Format,
}

/// Writes the workbook into `output`.
pub fn write(view: &View<'_>, output: impl Write + Seek + Send) -> Result<(), ReportError> {
    let mut book = Book {
        workbook: Workbook::new(),
        names: Vec::new(),
        cells: Cells {
            view,
            styles: Styles::new(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        },
    };
    book.summary()?;
    book.units()?;
    for level in 0..view.assessment.periods.len() {
        book.level(level)?;
    }
    if !view.plan.rollup.repeats.is_empty() {
        book.repeats()?;
    }
    if !view.plan.rollup.targets.is_empty() {
        book.targets()?;
    }
    Ok(book.workbook.save_to_writer(output)?)
}

/// A name for a new sheet: what Excel forbids replaced, cut to its length,
/// and numbered when another sheet has it (Excel compares names without
/// case); `taken` gains it.
fn sheet_name(taken: &mut Vec<String>, wanted: &str) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'');
    let mut number = 1;
    loop {
        let suffix = if number == 1 {
            String::new()
        } else {
            format!(" {number}")
        };
        let room = SHEET_NAME_LENGTH - suffix.chars().count();
        let name: String = clean.chars().take(room).chain(suffix.chars()).collect();
        if !taken
            .iter()
            .any(|n| n.to_lowercase() == name.to_lowercase())
        {
            taken.push(name.clone());
            return name;
        }
        number += 1;
    }
}

/// A decimal as Excel's number.
fn number(value: Decimal) -> f64 {
    value.to_string().parse().unwrap_or_default()
}

impl Cells<'_, '_> {
    /// Writes a cell as its type asks: a score with two decimals, a count
    /// or points as a number, a date as a date, text as text.
    fn cell(
        &self,
        sheet: &mut Worksheet,
        (row, column): (u32, u16),
        value: &Value,
    ) -> Result<(), XlsxError> {
        match value {
            Value::Text(text) if !text.is_empty() => {
                sheet.write_string(row, column, text)?;
            }
            Value::Score(Some(score)) => {
                sheet.write_number_with_format(
                    row,
                    column,
                    score_number(*score),
                    &self.styles.score,
                )?;
            }
            Value::Points(points) => {
                sheet.write_number(row, column, number(*points))?;
            }
            Value::Count(Some(count)) => {
                sheet.write_number(row, column, *count as f64)?;
            }
            Value::Date(Some(date)) => {
                let excel = u16::try_from(date.year()).ok().and_then(|year| {
                    ExcelDateTime::from_ymd(
                        year,
                        date.month().unsigned_abs(),
                        date.day().unsigned_abs(),
                    )
                    .ok()
                });
                match excel {
                    Some(excel) => {
                        sheet.write_datetime_with_format(row, column, excel, &self.date)?
                    }
                    None => sheet.write_string(row, column, date.to_string())?,
                };
            }
            Value::List(items) if !items.is_empty() => {
                sheet.write_string(row, column, items.join("; "))?;
            }
            _ => {}
        }
        Ok(())
    }
}

impl Book<'_, '_> {
    /// A list sheet named `name`: `headings`, then a row per item, each
    /// written by `row`; past Excel's rows it goes on in `name 2`...
    fn list<T>(
        &mut self,
        name: &str,
        headings: &[String],
        items: impl IntoIterator<Item = T>,
        row: impl Fn(&Cells<'_, '_>, &mut Worksheet, u32, T) -> Result<(), XlsxError>,
    ) -> Result<(), XlsxError> {
        let headings: Vec<&str> = headings.iter().map(String::as_str).collect();
        let last_column = column_number(headings.len().saturating_sub(1));
        let styles = &self.cells.styles;
        let mut sheet = self.workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(sheet_name(&mut self.names, name))?;
        headers(sheet, &headings, styles)?;
        let mut at = 0;
        for item in items {
            if at + 1 >= SHEET_ROWS {
                sheet.autofilter(0, 0, at, last_column)?;
                sheet = self.workbook.add_worksheet_with_constant_memory()?;
                sheet.set_name(sheet_name(&mut self.names, name))?;
                headers(sheet, &headings, styles)?;
                at = 0;
            }
            at += 1;
            row(&self.cells, sheet, at, item)?;
        }
        sheet.autofilter(0, 0, at, last_column)?;
        sheet.set_column_width(0, 16)?;
        Ok(())
    }

    fn summary(&mut self) -> Result<(), XlsxError> {
        let view = self.cells.view;
        let language = view.language;
        let word = |w: Word| language.word(w).to_owned();
        let name = sheet_name(&mut self.names, language.word(Word::SheetSummary));
        let mut sheet = Worksheet::new();
        sheet.set_name(name)?;
        let mut row = 0;
        let mut label = |sheet: &mut Worksheet, text: &str| -> Result<u32, XlsxError> {
            sheet.write_string_with_format(row, 0, text, &self.cells.styles.header)?;
            row += 1;
            Ok(row - 1)
        };
        let at = label(&mut sheet, &word(Word::Assessment))?;
        sheet.write_string(at, 1, &view.plan.rollup.title)?;
        let at = label(&mut sheet, &word(Word::Standard))?;
        sheet.write_string(at, 1, view.standard_title())?;
        if let Some(period) = view.period_text() {
            let at = label(&mut sheet, &word(Word::AssessedPeriod))?;
            sheet.write_string(at, 1, period)?;
        }
        let assessment = view.assessment;
        let counts = [
            (Word::Units, assessment.units.len() as u64),
            (Word::WithFinalScore, assessment.ranked),
            (Word::InspectionsUsedFact, assessment.used),
            (Word::LeftOutFact, view.left_out),
        ];
        for (what, count) in counts {
            let at = label(&mut sheet, &word(what))?;
            sheet.write_number(at, 1, count as f64)?;
        }
        let mut row = row + 1;
        let heading = |sheet: &mut Worksheet, row: u32, words: &[Word]| {
            for (column, w) in words.iter().enumerate() {
                sheet.write_string_with_format(
                    row,
                    column_number(column),
                    word(*w),
                    &self.cells.styles.header,
                )?;
            }
            Ok::<(), XlsxError>(())
        };
        if !view.plan.rollup.grades.is_empty() {
            heading(
                &mut sheet,
                row,
                &[Word::Grade, Word::UnitCount, Word::Share, Word::Quota],
            )?;
            let bands = view.plan.rollup.grades.len();
            for (band, (name, count, quota)) in view.grade_counts().enumerate() {
                row += 1;
                sheet.write_string_with_format(
                    row,
                    0,
                    name,
                    self.cells.styles.band(band, bands),
                )?;
                sheet.write_number(row, 1, count as f64)?;
                let share = share(count, assessment.ranked);
                sheet.write_number_with_format(row, 2, share, &self.cells.styles.rate)?;
                if let Some(quota) = quota {
                    sheet.write_number(row, 3, quota as f64)?;
                }
            }
            row += 2;
        }
        if !view.plan.rollup.targets.is_empty() {
            let words = [
                Word::Target,
                Word::TargetBy,
                Word::Met,
                Word::UnitCount,
                Word::AttainmentRate,
            ];
            heading(&mut sheet, row, &words)?;
            for (target, met, units) in view.target_counts() {
                row += 1;
                sheet.write_string(row, 0, &target.name)?;
                self.cells
                    .cell(&mut sheet, (row, 1), &Value::Date(Some(target.by)))?;
                sheet.write_number(row, 2, met as f64)?;
                sheet.write_number(row, 3, units as f64)?;
                sheet.write_number_with_format(
                    row,
                    4,
                    share(met, units),
                    &self.cells.styles.rate,
                )?;
            }
            row += 2;
        }
        sheet.write_string_with_format(row, 0, word(Word::HowScored), &self.cells.styles.header)?;
        let levels = (0..view.plan.rollup.levels.len()).map(|level| view.level_formula(level));
        for line in levels.chain(view.repeat_rules()) {
            sheet.write_string(row, 1, line)?;
            row += 1;
        }
        sheet.set_column_width(0, 20)?;
        sheet.set_column_width(1, 40)?;
        self.workbook.push_worksheet(sheet);
        Ok(())
    }

    /// A row per unit: every column but the periods' (in the level sheets)
    /// and the repeats in words (in the repeats sheet).
    fn units(&mut self) -> Result<(), XlsxError> {
        let view = self.cells.view;
        let columns: Vec<Column> = view
            .columns()
            .into_iter()
            .filter(|column| !matches!(column, Column::Period(..) | Column::Repeats))
            .collect();
        let headings: Vec<String> = columns.iter().map(|&c| view.heading(c)).collect();
        let bands = view.plan.rollup.grades.len();
        let name = view.language.word(Word::SheetUnits);
        self.list(
            name,
            &headings,
            &view.assessment.units,
            |cells, sheet, row, unit| {
                for (at, &column) in columns.iter().enumerate() {
                    let place = (row, column_number(at));
                    match (column, unit.grade) {
                        (Column::Grade, Some(grade)) => {
                            let name = view.grade_name(unit);
                            sheet.write_string_with_format(
                                row,
                                place.1,
                                name,
                                cells.styles.band(grade, bands),
                            )?;
                        }
                        _ => cells.cell(sheet, place, &view.value(unit, column))?,
                    }
                }
                Ok(())
            },
        )
    }

    /// A row per unit, a column per period of `level`.
    fn level(&mut self, level: usize) -> Result<(), XlsxError> {
        let view = self.cells.view;
        let mut columns = vec![Column::Key];
        if view.group.is_some() {
            columns.push(Column::Group);
        }
        let periods = view.assessment.periods[level].len();
        columns.extend((0..periods).map(|at| Column::Period(level, at)));
        let headings: Vec<String> = columns.iter().map(|&c| view.heading(c)).collect();
        let name = view
            .language
            .fill(Word::SheetLevel, &[&view.level_name(level)]);
        let units: &[UnitYear] = &view.assessment.units;
        self.list(&name, &headings, units, |cells, sheet, row, unit| {
            for (at, &column) in columns.iter().enumerate() {
                cells.cell(sheet, (row, column_number(at)), &view.value(unit, column))?;
            }
            Ok(())
        })
    }

    /// A row per repeat run, in the order of the repeat list.
    fn repeats(&mut self) -> Result<(), XlsxError> {
        let view = self.cells.view;
        let language = view.language;
        let mut headings = vec![view.key_heading.to_owned()];
        headings.extend(
            [
                Word::Rule,
                Word::Title,
                Word::Owner,
                Word::Periods,
                Word::RepeatCount,
                Word::PointsLost,
            ]
            .map(|w| language.word(w).to_owned()),
        );
        let runs = view
            .repeats_by_owner()
            .into_iter()
            .flat_map(|(owner, pairs)| {
                pairs.into_iter().map(move |(unit, run)| (owner, unit, run))
            });
        self.list(
            language.word(Word::SheetRepeats),
            &headings,
            runs,
            |cells, sheet, row, (owner, unit, run)| {
                let unit = &view.assessment.units[unit];
                let run = &unit.repeats[run];
                let rule = &view.catalog.rules[run.rule];
                let values = [
                    Value::Text(unit.key.clone()),
                    Value::Text(rule.id.clone()),
                    Value::Text(rule.title.clone()),
                    Value::Text(owner.to_owned()),
                    Value::Text(view.run_periods(run)),
                    Value::Count(Some(run.count)),
                    Value::Points(run.points),
                ];
                for (at, value) in values.iter().enumerate() {
                    cells.cell(sheet, (row, column_number(at)), value)?;
                }
                Ok(())
            },
        )?;
        Ok(())
    }

    /// A row per unit and target: the date it first held, its state at the
    /// deadline.
    fn targets(&mut self) -> Result<(), XlsxError> {
        let view = self.cells.view;
        let language = view.language;
        let mut headings = vec![view.key_heading.to_owned()];
        headings.extend(
            [Word::Target, Word::FirstMet, Word::AtDeadline].map(|w| language.word(w).to_owned()),
        );
        let targets = view.plan.rollup.targets.len();
        let rows = view
            .assessment
            .units
            .iter()
            .flat_map(|unit| (0..targets).map(move |target| (unit, target)));
        self.list(
            language.word(Word::SheetTargets),
            &headings,
            rows,
            |cells, sheet, row, (unit, target)| {
                let values = [
                    Value::Text(unit.key.clone()),
                    Value::Text(view.plan.rollup.targets[target].name.clone()),
                    view.value(unit, Column::TargetFirstMet(target)),
                    view.value(unit, Column::TargetAtDeadline(target)),
                ];
                for (at, value) in values.iter().enumerate() {
                    cells.cell(sheet, (row, column_number(at)), value)?;
                }
                Ok(())
            },
        )
    }
}

/// `part` of `whole` as a fraction, for a percent cell.
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
