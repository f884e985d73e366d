//! The work on one record, on a worker thread: a piece split into records,
//! each routed to its edition, typed by that edition's schema, its waivers
//! found, scored, its evaluation errors noted, then handed on (`filter`)
//! or held for ranking (`rank`). Nothing here allocates per record but what
//! a record's errors and warnings need.

use std::borrow::Cow;
use std::sync::Mutex;

use jiff::civil::Date;
use rayon::prelude::*;

use super::rank::Held;
use super::route::Schemas;
use super::sink::ChunkOut;
use super::{Consumer, Context};
use crate::data::csv::split::Splitter;
use crate::data::schema::{Extra, Schema};
use crate::data::{DataError, Piece, Place, RawRecord};
use crate::eval::catalog::Catalog;
use crate::eval::compile::Program;
use crate::eval::cover::Cover;
use crate::eval::engine::{Scored, Scorer, Site};
use crate::results::text::cell_text;
use crate::results::{Lapsed, Summary};
use crate::value::{Cell, Value};
use crate::waivers::{WaiverIndex, Waivers};

/// A worker's scratch space, reused for every record it scores.
///
/// Each pool thread keeps one for the whole source (its scorers' memos stay
/// warm from batch to batch), in the slot of its thread index.
pub(super) struct Worker<'p> {
    splitter: Splitter,
    /// One scorer per edition.
    scorers: Vec<Scorer<'p>>,
    cells: Vec<Cell>,
    scored: Scored,
    errors: Vec<DataError>,
    /// The waivers that cover the record being scored.
    covers: Vec<Cover>,
    /// The waivers of its unit that had expired by its inspection.
    expired: Vec<WaiverIndex>,
    /// How long the text of the last chunk it formatted was, and how many
    /// records that chunk had: the next chunk's buffers start that big.
    last_chunk: (usize, usize),
}

impl<'p> Worker<'p> {
    pub(super) fn new(catalog: &'p Catalog) -> Self {
        Worker {
            splitter: Splitter::default(),
            scorers: catalog.programs.iter().map(Scorer::new).collect(),
            cells: Vec::new(),
            scored: Scored::default(),
            errors: Vec::new(),
            covers: Vec::new(),
            expired: Vec::new(),
            last_chunk: (0, 0),
        }
    }
}

impl<C: Consumer> Context<'_, C> {
    /// Types, scores and formats a batch, piece by piece, in parallel, each
    /// pool thread with its worker of `workers`.
    pub(super) fn score(
        &self,
        (pieces, schemas, place): (&[Piece], &Schemas, &Place),
        workers: &[Mutex<Worker<'_>>],
        pool: &rayon::ThreadPool,
    ) -> Vec<ChunkOut<C::Item>> {
        let catalog = self.catalog;
        pool.install(|| {
            pieces
                .par_iter()
                .map(|piece| {
                    // Only this thread takes its slot: the lock is never contended.
                    let slot = rayon::current_thread_index().unwrap_or(0) % workers.len();
                    let mut worker = workers[slot]
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    let worker = &mut *worker;
                    let (text, records) = worker.last_chunk;
                    let capacity = (text + text / 8, records + records / 8);
                    let mut out = ChunkOut::new(Summary::new(catalog), capacity);
                    let mut splitter = std::mem::take(&mut worker.splitter);
                    piece.for_each(&mut splitter, |raw| {
                        self.record(worker, raw, schemas, place, &mut out);
                    });
                    worker.splitter = splitter;
                    worker.last_chunk = (out.text.len(), out.ends.len());
                    out
                })
                .collect()
        })
    }

    /// Types, scores and formats one record into `out`.
    fn record(
        &self,
        worker: &mut Worker<'_>,
        raw: &RawRecord,
        schemas: &Schemas,
        place: &Place,
        out: &mut ChunkOut<C::Item>,
    ) {
        let catalog = self.catalog;
        let edition = match self.route(raw, schemas, place) {
            Ok(edition) => edition,
            Err(error) => {
                out.summary.errors.push(error);
                return;
            }
        };
        let Ok(schema) = &schemas.per_edition[edition] else {
            return;
        };
        let program = &catalog.programs[edition];
        worker.errors.clear();
        schema.cells(raw, place, &mut worker.cells, &mut worker.errors);
        let key = key_text(program, schema, raw, &worker.cells);
        // A plain line (no quote) has no line break in it: only a record
        // split by quotes can hold one.
        if let crate::data::RawCells::Text(row) = &raw.cells
            && row.plain_line().is_none()
            && memchr::memchr(b'\n', key.as_bytes()).is_some()
        {
            out.summary.warnings.push(DataError::KeySpansLines {
                at: place.at(raw.row),
                key: crate::data::errors::quoted(&key.replace('\r', "").replace('\n', "⏎")),
                lines: key.lines().count(),
            });
        }
        let date = self.options.waivers.as_ref().and_then(|waivers| {
            let date = inspection_date(program, &worker.cells).or(self.options.waiver_date)?;
            waivers.covering(&key, edition, date, &mut worker.covers, &mut worker.expired);
            Some(date)
        });
        worker.scorers[edition].score(&worker.cells, &worker.covers, &mut worker.scored);
        if let (Some(waivers), Some(date)) = (&self.options.waivers, date) {
            let lapse = (edition, key.as_ref(), date);
            lapsed(
                waivers,
                lapse,
                &worker.expired,
                &worker.scored,
                &mut out.summary,
            );
        }
        evaluation_errors(
            program,
            &worker.scored,
            (place, raw.row),
            &key,
            &mut worker.errors,
        );
        let group = schemas
            .group
            .as_ref()
            .map(|column| group_text(program, schema, column, raw, &worker.cells));
        if self.hold {
            out.held.push(Held {
                edition,
                group,
                place: place.clone(),
                row: raw.row,
                key: key.into_owned(),
                cells: worker.cells.clone(),
                scored: worker.scored.clone(),
                errors: std::mem::take(&mut worker.errors),
            });
            return;
        }
        let record = Record {
            edition,
            group: group.as_deref(),
            place,
            row: raw.row,
            key: &key,
            cells: &worker.cells,
            scored: &worker.scored,
            errors: &worker.errors,
        };
        self.emit(&record, out);
        out.summary.errors.append(&mut worker.errors);
    }
}

/// One scored record on its way to the format.
pub(super) struct Record<'a> {
    pub(super) edition: usize,
    pub(super) group: Option<&'a str>,
    pub(super) place: &'a Place,
    pub(super) row: u64,
    pub(super) key: &'a str,
    pub(super) cells: &'a [Cell],
    pub(super) scored: &'a Scored,
    pub(super) errors: &'a [DataError],
}

/// What went wrong evaluating a record (script calls that failed, numbers
/// past the decimals' range) as data errors.
#[inline]
pub(super) fn evaluation_errors(
    program: &Program,
    scored: &Scored,
    (place, row): (&Place, u64),
    key: &str,
    errors: &mut Vec<DataError>,
) {
    // Nearly every record has none: its place is made only when needed.
    if scored.script_failures.is_empty() && scored.overflows.is_empty() {
        return;
    }
    let at = place.at(row);
    for (site, failure) in &scored.script_failures {
        errors.push(DataError::Script {
            at: at.clone(),
            key: key.to_owned(),
            site: site_name(program, *site),
            function: failure.function.clone(),
            message: failure.message.clone(),
            span: failure.span.map(Into::into),
        });
    }
    for &site in &scored.overflows {
        errors.push(DataError::Overflow {
            at: at.clone(),
            key: key.to_owned(),
            site: site_name(program, site),
        });
    }
}

/// What a site was scoring, in words: `rule D2`, `` `let ratio` ``, `the grade bands`.
fn site_name(program: &Program, site: Site) -> String {
    let standard = &program.standard;
    match site {
        Site::Rule(rule) => format!("rule {}", standard.rules[rule.0].id),
        Site::Let(index) => format!("`let {}`", standard.lets[index.0].name),
        Site::Grades => "the grade bands".to_owned(),
    }
}

/// The record's inspection date, when its standard is `dated_by` and the
/// date is there.
fn inspection_date(program: &Program, cells: &[Cell]) -> Option<Date> {
    let field = program.standard.dated_by?;
    match cells.get(field.0) {
        Some(Cell::Value(Value::Date(date))) => Some(*date),
        _ => None,
    }
}

/// Notes the failures a waiver would have excused had it not expired.
fn lapsed(
    waivers: &Waivers,
    (edition, key, date): (usize, &str, Date),
    expired: &[WaiverIndex],
    scored: &Scored,
    summary: &mut Summary,
) {
    for &waiver in expired {
        let failed = waivers
            .rule_in(edition, waiver)
            .is_some_and(|rule| scored.outcomes[rule.0] == crate::syntax::ast::Outcome::Fail);
        if failed {
            summary.lapsed.push(Lapsed {
                key: key.to_owned(),
                waiver,
                date,
            });
        }
    }
}
/// A record's group (`--group-by`): a choice as the standard declares it,
/// so that cells typed in Simplified and Traditional characters group
/// together, and a cell that is no choice with the blank ones, never in a
/// group of its own; any other column's text as it is.
fn group_text(
    program: &Program,
    schema: &Schema,
    column: &Extra,
    raw: &RawRecord,
    cells: &[Cell],
) -> String {
    let field = column
        .index()
        .and_then(|index| schema.field_filled_by(index));
    let is_choice = field.is_some_and(|f| {
        matches!(
            program.standard.fields.get(f).map(|f| &f.ty),
            Some(crate::check::model::FieldType::OneOf(_))
        )
    });
    match (field, is_choice) {
        (Some(field), true) => match cells.get(field) {
            Some(cell @ Cell::Value(_)) => cell_text(program, field, cell),
            _ => String::new(),
        },
        _ => column.text(raw),
    }
}

/// The unit's key as text: the key field's value, or its raw text when it
/// did not fit (that is a data error already), or the row when blank.
fn key_text<'c>(
    program: &Program,
    schema: &Schema,
    raw: &RawRecord,
    cells: &'c [Cell],
) -> Cow<'c, str> {
    let key = program.standard.key.0;
    match cells.get(key) {
        Some(Cell::Value(Value::Text(text))) => Cow::Borrowed(text),
        Some(cell @ Cell::Value(_)) => Cow::Owned(cell_text(program, key, cell)),
        _ => {
            let text = schema.text_of(key, raw);
            Cow::Owned(if text.trim().is_empty() {
                format!("(row {})", raw.row)
            } else {
                text
            })
        }
    }
}
