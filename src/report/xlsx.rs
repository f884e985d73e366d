//! `--format xlsx`: an Excel workbook (rust_xlsxwriter) with four sheets,
//! named and headed in the output's language (匯總, 單位, 規則, 整改台賬 in
//! Chinese; Summary, Units, Rules, Ledger in English):
//!
//! - **Summary**: the standard, its editions, then units, average, grade
//!   counts, units missing values and data errors, as numbers.
//! - **Units**: one row per unit — key, edition, group, rank (ties share the
//!   better rank; within the group too with `--group-by`), score, grade (the
//!   cell coloured by grade, naming the `veto` rules that set it), failed
//!   rules, rules missing a value, data errors, and each top-level section's
//!   score; frozen header and filters.
//! - **Rules**: each rule's failures, failure rate and units missing a value.
//! - **Ledger** (整改台賬): one row per lost point per unit — unit, rule,
//!   title, outcome (failed or missing), observed values, points lost,
//!   remedy, owner, the record's place, and empty *deadline* and *status*
//!   columns to fill in. A failure a waiver excused is a row too, its
//!   outcome waived and its justification in *status*.
//!
//! Units and Ledger are written row by row in constant memory from the
//! units' detail file; a ledger longer than a sheet goes on in a second
//! ledger sheet.

use super::errors::ReportError;
use std::io::{BufRead, Write};

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};

use super::detail::{self, Unit};
use super::values::{Tone, grade_text, outcome_name, score};
use crate::eval::catalog::{Catalog, GradeColumn, RuleColumn};
use crate::eval::engine::ranks;
use crate::language::{Language, Word};
use crate::results::Summary;

/// Rows of a sheet, the header included (Excel's limit).
pub(crate) const SHEET_ROWS: u32 = 1_048_576;

/// The formats of the workbook.
pub(crate) struct Styles {
    /// A heading: bold on grey.
    pub(crate) header: Format,
    /// A score: two decimals.
    pub(crate) score: Format,
    /// A rate: a percent with two decimals.
    pub(crate) rate: Format,
    grades: [Format; 3],
}

/// What the sheets need besides the summary: the run's language and group
/// column, and what one pass over the details found.
struct Run<'a> {
    catalog: &'a Catalog,
    language: Language,
    grouped_by: Option<&'a str>,
    styles: Styles,
    /// Each unit's rank, and within its group, in input order.
    ranks: Vec<(Decimal, Option<Decimal>)>,
    /// Per rule column, the units that lost its points for a missing value.
    missing: Vec<u64>,
    /// The units that missed a value for some rule.
    missing_units: u64,
    /// The top-level sections of every edition: id and heading.
    sections: Vec<(String, String)>,
}

impl Styles {
    /// The workbook's formats.
    pub(crate) fn new() -> Styles {
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
    fn grade(&self, catalog: &Catalog, GradeColumn(grade): GradeColumn) -> &Format {
        self.band(grade, catalog.grades.len())
    }

    /// The format of band `grade` of `bands`, by its [`Tone`].
    pub(crate) fn band(&self, grade: usize, bands: usize) -> &Format {
        match Tone::of_band(Some(grade), bands) {
            Tone::Good => &self.grades[0],
            Tone::Bad => &self.grades[2],
            Tone::Fair | Tone::None => &self.grades[1],
        }
    }
}

/// Writes the workbook into `output`; `details` reads the units' detail
/// file (it is read three times: for ranks, for Units, then for the Ledger).
pub fn write<R: BufRead>(
    catalog: &Catalog,
    summary: &Summary,
    (grouped_by, language): (Option<&str>, Language),
    details: impl Fn() -> std::io::Result<R>,
    output: impl Write + Send,
) -> Result<(), ReportError> {
    let run = survey(catalog, (grouped_by, language), &details)?;
    let mut workbook = Workbook::new();
    summary_sheet(workbook.add_worksheet(), &run, summary)?;
    let units = workbook.add_worksheet_with_constant_memory()?;
    units_sheet(units, &run, &details)?;
    rules_sheet(workbook.add_worksheet(), &run, summary)?;
    ledger_sheets(&mut workbook, &run, &details)?;
    Ok(workbook.save_to_writer(output)?)
}

/// One pass over the details: ranks, missing values per rule, and the
/// sections that get a column.
fn survey<'a, R: BufRead>(
    catalog: &'a Catalog,
    (grouped_by, language): (Option<&'a str>, Language),
    details: &impl Fn() -> std::io::Result<R>,
) -> Result<Run<'a>, ReportError> {
    let mut scores = Vec::new();
    let mut groups = Vec::new();
    let mut missing = vec![0u64; catalog.rules.len()];
    let mut missing_units = 0;
    for unit in detail::read(details()?) {
        scores.push(unit.score());
        groups.push(unit.group);
        for &rule in &unit.missing {
            if let Some(count) = missing.get_mut(rule.0) {
                *count += 1;
            }
        }
        missing_units += u64::from(!unit.missing.is_empty());
    }
    let overall = ranks(&scores, &vec![(); scores.len()]);
    let ranks = match grouped_by {
        Some(_) => overall
            .into_iter()
            .zip(ranks(&scores, &groups))
            .map(|(all, group)| (all, Some(group)))
            .collect(),
        None => overall.into_iter().map(|all| (all, None)).collect(),
    };
    let mut sections: Vec<(String, String)> = Vec::new();
    for program in catalog.programs.iter().rev() {
        for section in program
            .standard
            .sections
            .iter()
            .filter(|s| s.parent.is_none())
        {
            if !sections.iter().any(|(id, _)| *id == section.id) {
                let heading = match &section.title {
                    Some(title) => format!("{} {title}", section.id),
                    None => section.id.clone(),
                };
                sections.push((section.id.clone(), heading));
            }
        }
    }
    Ok(Run {
        catalog,
        language,
        grouped_by,
        styles: Styles::new(),
        ranks,
        missing,
        missing_units,
        sections,
    })
}

/// A top-level section's score for a unit: 100 · earned / possible, at most
/// 100; `None` when nothing of it applied (or the unit's edition lacks it).
fn section_score(unit: &Unit, id: &str) -> Option<f64> {
    let (_, earned, possible) = unit.sections.iter().find(|(s, _, _)| s == id)?;
    let earned: Decimal = earned.parse().ok()?;
    let possible: Decimal = possible.parse().ok()?;
    (possible > Decimal::ZERO)
        .then(|| score_number((Decimal::ONE_HUNDRED * earned / possible).min(Decimal::ONE_HUNDRED)))
}

/// A list of rule columns as their ids, separated by spaces.
fn rule_ids(catalog: &Catalog, rules: &[RuleColumn]) -> String {
    let ids: Vec<&str> = rules
        .iter()
        .filter_map(|rule| catalog.rules.get(rule.0))
        .map(|rule| rule.id.as_str())
        .collect();
    ids.join(" ")
}

/// The first row of a sheet: its headings, frozen.
pub(crate) fn headers(
    sheet: &mut Worksheet,
    names: &[&str],
    styles: &Styles,
) -> Result<(), XlsxError> {
    for (column, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, column_number(column), *name, &styles.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A column's number as a sheet takes it.
pub(crate) fn column_number(column: usize) -> u16 {
    u16::try_from(column).unwrap_or(u16::MAX)
}

/// A score as Excel's number, rounded as results are written.
pub(crate) fn score_number(value: Decimal) -> f64 {
    score(value).parse().unwrap_or_default()
}

fn summary_sheet(sheet: &mut Worksheet, run: &Run<'_>, summary: &Summary) -> Result<(), XlsxError> {
    let (catalog, language, styles) = (run.catalog, run.language, &run.styles);
    sheet.set_name(language.word(Word::SheetSummary))?;
    let standard = &catalog.latest().standard;
    let mut row = 0;
    let mut label = |sheet: &mut Worksheet, text: &str| -> Result<u32, XlsxError> {
        sheet.write_string_with_format(row, 0, text, &styles.header)?;
        row += 1;
        Ok(row - 1)
    };
    let at = label(sheet, language.word(Word::Standard))?;
    sheet.write_string(at, 1, &standard.title)?;
    for program in &catalog.programs {
        let s = &program.standard;
        let dates = match (s.effective, s.until) {
            (Some(from), Some(to)) => language.fill(Word::EditionDates, &[&from, &to]),
            (Some(from), None) => language.fill(Word::EditionFrom, &[&from]),
            _ => String::new(),
        };
        let at = label(sheet, &language.fill(Word::EditionNamed, &[&s.version]))?;
        sheet.write_string(at, 1, dates)?;
    }
    let at = label(sheet, language.word(Word::Units))?;
    sheet.write_number(at, 1, summary.records as f64)?;
    let at = label(sheet, language.word(Word::Average))?;
    sheet.write_number_with_format(at, 1, score_number(summary.average()), &styles.score)?;
    for (grade, count) in catalog.grades.iter().zip(&summary.grades) {
        let at = label(sheet, grade)?;
        sheet.write_number(at, 1, *count as f64)?;
    }
    let at = label(sheet, language.word(Word::UnitsWithMissing))?;
    sheet.write_number(at, 1, run.missing_units as f64)?;
    let at = label(sheet, language.word(Word::DataErrors))?;
    sheet.write_number(at, 1, summary.errors.len() as f64)?;
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 40)?;
    Ok(())
}

fn units_sheet<R: BufRead>(
    sheet: &mut Worksheet,
    run: &Run<'_>,
    details: &impl Fn() -> std::io::Result<R>,
) -> Result<(), ReportError> {
    let (catalog, language, styles) = (run.catalog, run.language, &run.styles);
    sheet.set_name(language.word(Word::SheetUnits))?;
    let key = catalog.latest().standard.fields[catalog.latest().standard.key.0].heading();
    let word = |w: Word| language.word(w);
    let mut names = vec![key, word(Word::Edition)];
    if let Some(group) = run.grouped_by {
        names.push(group);
    }
    names.push(word(Word::Rank));
    if run.grouped_by.is_some() {
        names.push(word(Word::RankInGroup));
    }
    names.extend(
        [
            Word::Score,
            Word::Grade,
            Word::FailedRules,
            Word::MissingRules,
            Word::DataErrors,
        ]
        .map(word),
    );
    let failed_column = column_number(names.len() - 3);
    names.extend(run.sections.iter().map(|(_, heading)| heading.as_str()));
    headers(sheet, &names, styles)?;
    let mut row: u32 = 0;
    for (unit, (rank, group_rank)) in detail::read(details()?).zip(&run.ranks) {
        row += 1;
        if row >= SHEET_ROWS {
            return Err(ReportError::TooManyUnits {
                limit: SHEET_ROWS - 1,
            });
        }
        let mut column = 0;
        let mut next = || {
            column += 1;
            column - 1
        };
        let number = |d: &Decimal| d.to_string().parse::<f64>().unwrap_or_default();
        let edition = &catalog.programs[unit.edition].standard.version;
        sheet.write_string(row, next(), &unit.key)?;
        sheet.write_string(row, next(), edition)?;
        if run.grouped_by.is_some() {
            sheet.write_string(row, next(), unit.group.as_deref().unwrap_or_default())?;
        }
        sheet.write_number(row, next(), number(rank))?;
        if let Some(group_rank) = group_rank {
            sheet.write_number(row, next(), number(group_rank))?;
        }
        sheet.write_number_with_format(row, next(), score_number(unit.score()), &styles.score)?;
        let grade_column = next();
        if let Some(grade) = unit.grade {
            let veto: Vec<&str> = unit
                .veto
                .iter()
                .filter_map(|rule| catalog.rules.get(rule.0))
                .map(|rule| rule.id.as_str())
                .collect();
            sheet.write_string_with_format(
                row,
                grade_column,
                grade_text(language, &catalog.grades[grade.0], &veto),
                styles.grade(catalog, grade),
            )?;
        }
        for rules in [&unit.failed, &unit.missing] {
            sheet.write_string(row, next(), rule_ids(catalog, rules))?;
        }
        sheet.write_number(row, next(), unit.errors as f64)?;
        for (id, _) in &run.sections {
            let at = next();
            if let Some(value) = section_score(&unit, id) {
                sheet.write_number_with_format(row, at, value, &styles.score)?;
            }
        }
    }
    let last = column_number(names.len() - 1);
    sheet.autofilter(0, 0, row, last)?;
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(failed_column, 30)?;
    Ok(())
}

fn rules_sheet(sheet: &mut Worksheet, run: &Run<'_>, summary: &Summary) -> Result<(), XlsxError> {
    let (catalog, language) = (run.catalog, run.language);
    sheet.set_name(language.word(Word::SheetRules))?;
    let names = [
        Word::Rule,
        Word::Title,
        Word::Failures,
        Word::FailureRate,
        Word::MissingCount,
    ]
    .map(|w| language.word(w));
    headers(sheet, &names, &run.styles)?;
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
        sheet.write_number_with_format(row, 3, rate, &run.styles.rate)?;
        let missing = run.missing.get(index).copied().unwrap_or_default();
        sheet.write_number(row, 4, missing as f64)?;
    }
    let rows = u32::try_from(catalog.rules.len()).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, rows, column_number(names.len() - 1))?;
    sheet.set_column_width(1, 40)?;
    Ok(())
}

/// The ledger's columns.
const LEDGER: [Word; 11] = [
    Word::Unit,
    Word::Rule,
    Word::Title,
    Word::Outcome,
    Word::Observed,
    Word::PointsLost,
    Word::Remedy,
    Word::Owner,
    Word::Record,
    Word::Deadline,
    Word::Status,
];

fn ledger_sheets<R: BufRead>(
    workbook: &mut Workbook,
    run: &Run<'_>,
    details: &impl Fn() -> std::io::Result<R>,
) -> Result<(), ReportError> {
    let (catalog, language) = (run.catalog, run.language);
    let mut sheets = 1;
    let mut sheet = new_ledger(workbook, sheets, run)?;
    let mut row: u32 = 0;
    for unit in detail::read(details()?) {
        let program = &catalog.programs[unit.edition];
        for lost in &unit.lost {
            row += 1;
            if row >= SHEET_ROWS {
                finish_ledger(sheet, row - 1)?;
                sheets += 1;
                sheet = new_ledger(workbook, sheets, run)?;
                row = 1;
            }
            let id = &catalog.rule(lost.rule).id;
            let rule = catalog
                .rule_in(unit.edition, lost.rule)
                .and_then(|rule| program.standard.rules.get(rule.0));
            let text = |value: Option<&String>| value.cloned().unwrap_or_default();
            let cells = [
                unit.key.clone(),
                id.clone(),
                rule.map(|r| r.title.clone()).unwrap_or_default(),
                outcome_name(language, &lost.outcome).to_owned(),
                lost.observed.clone(),
            ];
            for (column, value) in cells.iter().enumerate() {
                sheet.write_string(row, column_number(column), value)?;
            }
            sheet.write_number(row, 5, lost.lost.parse::<f64>().unwrap_or_default())?;
            sheet.write_string(row, 6, text(rule.and_then(|r| r.remedy.as_ref())))?;
            sheet.write_string(row, 7, text(rule.and_then(|r| r.owner.as_ref())))?;
            sheet.write_string(row, 8, &unit.at)?;
            if let Some(waiver) = &lost.waiver {
                let status = language.labelled(language.word(Word::Waived), waiver);
                sheet.write_string(row, 10, status)?;
            }
        }
    }
    Ok(finish_ledger(sheet, row)?)
}

fn new_ledger<'w>(
    workbook: &'w mut Workbook,
    number: usize,
    run: &Run<'_>,
) -> Result<&'w mut Worksheet, XlsxError> {
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    let name = run.language.word(Word::SheetLedger);
    sheet.set_name(if number == 1 {
        name.to_owned()
    } else {
        format!("{name} {number}")
    })?;
    headers(sheet, &LEDGER.map(|w| run.language.word(w)), &run.styles)?;
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
