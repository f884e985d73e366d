//! Step four: a batch of records through the standard, on all cores, in order.
//!
//! A reader thread reads a batch of [`Piece`]s at a time (one batch waiting
//! while two are scored, so memory stays bounded whatever the input size):
//! records already split, or CSV text cut at ends of records. Worker threads
//! split, type, score and format the pieces in parallel, each with its own
//! scratch space kept for the whole file; a worker done with its share of
//! one batch goes on with the next. The pieces' text is written in input
//! order, by the main thread while later batches are scored. Piece
//! boundaries do not depend on the number of threads, and a record's text
//! does not depend on its piece, so the output is byte for byte the same
//! with `--jobs 1` or `--jobs 8`.
//!
//! Each record is scored by one edition of the [`Catalog`]: the one chosen
//! for the run, or the one in force on the record's inspection date.
//!
//! When grade bands read `rank`, every unit's score must be known before any
//! is graded: then records are held in memory, ranked, graded and written.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};

use jiff::civil::Date;

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::data::csv::split::Splitter;
use crate::data::schema::{Extra, Schema};
use crate::data::{DataError, Piece, Place, RawRecord, Source};
use crate::eval::catalog::{Catalog, Route};
use crate::eval::compile::Program;
use crate::eval::cover::Cover;
use crate::eval::engine::{Scored, Scorer, Site, ranks};
use crate::report::explain::Kept;
use crate::report::values::cell_text;
use crate::report::{Format, Lapsed, RecordView, Summary};
use crate::value::{Cell, Value};
use crate::waivers::Waivers;

/// Held records graded by one worker at a time.
const CHUNK: usize = 512;

/// The most units kept for `--explain`, the first in input order: each
/// kept unit holds its cells and outcomes until the end of the run, so a
/// million failing units would otherwise hold gigabytes.
pub const MAX_EXPLAINED: usize = 1_000;

/// Which units to keep for `--explain`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Explain {
    /// None.
    #[default]
    Nothing,
    /// Every unit that failed a rule.
    Failed,
    /// These units, by key.
    Units(HashSet<String>),
}

/// How to run a batch.
#[derive(Debug, Default)]
pub struct Options {
    /// Worker threads; 0 for one per core.
    pub jobs: usize,
    /// Write only units that failed a rule (all are counted in the summary).
    pub only_failed: bool,
    /// Units to keep for explaining.
    pub explain: Explain,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// The grade (by name) that, or a worse one, sets [`Finished::fail_on_met`].
    pub fail_on: Option<String>,
    /// A column that groups units for reports (a district...), by header.
    pub group: Option<String>,
    /// Approved waivers (`--waivers`).
    pub waivers: Option<Arc<Waivers>>,
    /// The inspection date a waiver's expiry is compared with when a record
    /// has none (its standard is not `dated_by`, or the date is blank).
    pub waiver_date: Option<Date>,
    /// A required field that no column fills is missing in every record
    /// instead of stopping its file (`diff --impact`); such fields are
    /// listed in [`Finished::absent_fields`].
    pub absent_fields: bool,
}

/// What a batch came to.
#[derive(Debug, Default)]
pub struct Finished {
    /// Counts, scores and every data error.
    pub summary: Summary,
    /// The units kept for `--explain`, in input order, at most [`MAX_EXPLAINED`].
    pub kept: Vec<Kept>,
    /// The units `--explain` asked for that were not kept, past [`MAX_EXPLAINED`].
    pub not_explained: u64,
    /// Whether a unit got the `fail_on` grade or a worse (later) one.
    pub fail_on_met: bool,
    /// With [`Options::absent_fields`]: each file that lacked columns for
    /// required fields, and those fields.
    pub absent_fields: Vec<(Arc<str>, Vec<String>)>,
}

/// Scores every record of `sources` and writes them in `format` to `out`.
pub fn run(
    catalog: &Catalog,
    sources: Vec<Box<dyn Source>>,
    format: &dyn Format,
    out: &mut dyn Write,
    options: &Options,
) -> io::Result<Finished> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .map_err(io::Error::other)?;
    let fail_from = catalog
        .programs
        .iter()
        .map(|p| {
            let grade = options.fail_on.as_ref()?;
            p.standard
                .grades
                .iter()
                .position(|b| crate::hanzi::same(&b.name, grade))
        })
        .collect();
    let mut run = Run {
        ctx: Context {
            catalog,
            format,
            options,
            fail_from,
            hold: catalog.programs.iter().any(|p| !p.rank_groups.is_empty()),
        },
        sink: Sink {
            finished: Finished {
                summary: Summary::new(catalog),
                ..Finished::default()
            },
            held: Vec::new(),
            written: false,
        },
        progress: options.progress.then(progress_bar),
    };
    out.write_all(format.begin(catalog).as_bytes())?;
    for source in sources {
        run.source(source, &pool, out)?;
    }
    if run.ctx.hold {
        run.rank_and_write(&pool, out)?;
    }
    if let Some(bar) = &run.progress {
        bar.finish_and_clear();
    }
    out.write_all(format.end(catalog, &run.sink.finished.summary).as_bytes())?;
    out.flush()?;
    Ok(run.sink.finished)
}

/// A record held until ranks are known.
struct Held {
    edition: usize,
    group: Option<String>,
    place: Place,
    row: u64,
    key: String,
    cells: Vec<Cell>,
    scored: Scored,
    errors: Vec<DataError>,
}

/// What scoring reads and never changes; shared by the worker threads.
struct Context<'r> {
    catalog: &'r Catalog,
    format: &'r dyn Format,
    options: &'r Options,
    /// For each edition, the position of the `fail_on` grade in its bands.
    fail_from: Vec<Option<usize>>,
    /// Whether records are held for ranking.
    hold: bool,
}

struct Run<'r> {
    ctx: Context<'r>,
    sink: Sink,
    progress: Option<indicatif::ProgressBar>,
}

/// What has been written, and what it came to.
struct Sink {
    finished: Finished,
    held: Vec<Held>,
    /// Whether a record was written (for separators).
    written: bool,
}

/// A batch scored and waiting to be written, with what the reader said of it.
struct ScoredBatch {
    problems: Vec<DataError>,
    chunks: Vec<ChunkOut>,
    end: Option<DataError>,
}

impl Sink {
    /// Writes a scored batch, its reader's problems counted first and a
    /// file-level error last, as they came in the file.
    fn write_batch(
        &mut self,
        format: &dyn Format,
        batch: ScoredBatch,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.finished.summary.errors.extend(batch.problems);
        self.write(format.separator().as_bytes(), batch.chunks, out)?;
        self.finished.summary.errors.extend(batch.end);
        Ok(())
    }

    /// Writes chunks in order, with the format's separator between records.
    fn write(
        &mut self,
        separator: &[u8],
        chunks: Vec<ChunkOut>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        for chunk in chunks {
            if separator.is_empty() {
                // The records' texts follow each other already.
                out.write_all(chunk.text.as_bytes())?;
                self.written |= !chunk.ends.is_empty();
            } else {
                let mut start = 0;
                for &end in &chunk.ends {
                    if self.written {
                        out.write_all(separator)?;
                    }
                    out.write_all(&chunk.text.as_bytes()[start..end])?;
                    start = end;
                    self.written = true;
                }
            }
            self.finished.summary.merge(chunk.summary);
            let room = MAX_EXPLAINED.saturating_sub(self.finished.kept.len());
            let past = chunk.kept.len().saturating_sub(room);
            self.finished.not_explained += u64::try_from(past).unwrap_or(u64::MAX);
            self.finished.kept.extend(chunk.kept.into_iter().take(room));
            self.finished.fail_on_met |= chunk.fail_on_met;
            self.held.extend(chunk.held);
        }
        Ok(())
    }
}

/// Batches scored at a time: the workers never wait for one batch's last
/// piece before starting on the next.
const IN_FLIGHT: usize = 2;

/// Scored batches waiting for the ones before them to be written.
struct Ready {
    waiting: BTreeMap<usize, std::thread::Result<ScoredBatch>>,
    /// The number of the next batch to write.
    next: usize,
    /// The first write error, after which nothing more is written.
    result: io::Result<()>,
}

impl Default for Ready {
    fn default() -> Self {
        Ready {
            waiting: BTreeMap::new(),
            next: 0,
            result: Ok(()),
        }
    }
}

impl Ready {
    /// Takes batch `number`, or the panic that scoring it raised, and
    /// writes every batch now next in order; a panic is raised again when
    /// its batch's turn comes, after the batches before it are written.
    fn add(
        &mut self,
        number: usize,
        outcome: std::thread::Result<ScoredBatch>,
        mut write: impl FnMut(ScoredBatch) -> io::Result<()>,
    ) {
        self.waiting.insert(number, outcome);
        while let Some(outcome) = self.waiting.remove(&self.next) {
            let batch = outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if self.result.is_ok() {
                self.result = write(batch);
            }
            self.next += 1;
        }
    }
}

/// How one source's records are typed: a schema per edition (an edition
/// whose fields the source lacks has the error instead), and where the
/// inspection date is read when records are routed by date.
struct Schemas {
    per_edition: Vec<Result<Schema, DataError>>,
    /// The column that groups units, when one is asked for.
    group: Option<Extra>,
    /// The edition whose schema reads the date, and the field's index there.
    date: Option<(usize, usize)>,
}

/// A batch from the reader thread.
struct Batch {
    pieces: Vec<Piece>,
    problems: Vec<DataError>,
    progress: (u64, Option<u64>),
    end: Option<DataError>,
}

/// What a worker made of a chunk.
#[derive(Default)]
struct ChunkOut {
    text: String,
    /// The end of each record's text in `text`.
    ends: Vec<usize>,
    summary: Summary,
    kept: Vec<Kept>,
    held: Vec<Held>,
    fail_on_met: bool,
}

/// A worker's scratch space, reused for every record it scores.
///
/// Each pool thread keeps one for the whole source (its scorers' memos stay
/// warm from batch to batch), in the slot of its thread index.
struct Worker<'p> {
    splitter: Splitter,
    /// One scorer per edition.
    scorers: Vec<Scorer<'p>>,
    cells: Vec<Cell>,
    scored: Scored,
    errors: Vec<DataError>,
    /// The waivers that cover the record being scored.
    covers: Vec<Cover>,
    /// The waivers of its unit that had expired by its inspection.
    expired: Vec<usize>,
    /// How long the text of the last chunk it formatted was, and how many
    /// records that chunk had: the next chunk's buffers start that big.
    last_chunk: (usize, usize),
}

impl<'p> Worker<'p> {
    fn new(catalog: &'p Catalog) -> Self {
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

impl Run<'_> {
    fn source(
        &mut self,
        mut source: Box<dyn Source>,
        pool: &rayon::ThreadPool,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let place = source.place();
        let Some(schemas) = self.schemas(&*source, &place) else {
            return Ok(());
        };
        std::thread::scope(|scope| {
            let (to_main, batches) = sync_channel::<Batch>(1);
            scope.spawn(move || {
                loop {
                    let mut pieces = Vec::new();
                    let mut problems = Vec::new();
                    let result = source.read_pieces(&mut pieces, &mut problems);
                    let (last, end) = match result {
                        Ok(0) => (true, None),
                        Ok(_) => (false, None),
                        Err(error) => (true, Some(error)),
                    };
                    let batch = Batch {
                        pieces,
                        problems,
                        progress: source.progress(),
                        end,
                    };
                    if to_main.send(batch).is_err() || last {
                        break;
                    }
                }
            });
            let workers: Vec<Mutex<Worker<'_>>> = (0..pool.current_num_threads())
                .map(|_| Mutex::new(Worker::new(self.ctx.catalog)))
                .collect();
            let (ctx, sink, bar) = (&self.ctx, &mut self.sink, &self.progress);
            let (schemas, place, workers) = (&schemas, &place, &workers);
            pool.in_place_scope(|scope| {
                // Batches are scored [`IN_FLIGHT`] at a time, so that a worker
                // done with its share of one goes on with the next, while the
                // main thread writes them in order as they are done.
                let (done, scored) = std::sync::mpsc::channel();
                let mut ready = Ready::default();
                let mut write = |batch| sink.write_batch(ctx.format, batch, out);
                for (number, batch) in batches.into_iter().enumerate() {
                    // Batches already scored are written at once; then, with
                    // too many in flight, the next to be scored is waited for.
                    while let Ok((done_number, outcome)) = scored.try_recv() {
                        ready.add(done_number, outcome, &mut write);
                    }
                    while number - ready.next >= IN_FLIGHT && ready.result.is_ok() {
                        let (done_number, outcome) = scored.recv().map_err(io::Error::other)?;
                        ready.add(done_number, outcome, &mut write);
                    }
                    if ready.result.is_err() {
                        // Stop reading: the reader ends when its channel closes.
                        break;
                    }
                    if let (Some(bar), (position, total)) = (bar, batch.progress) {
                        if let Some(total) = total {
                            bar.set_length(total);
                        }
                        bar.set_position(position);
                    }
                    let done = done.clone();
                    scope.spawn(move |_| {
                        let Batch {
                            pieces,
                            problems,
                            end,
                            ..
                        } = batch;
                        let outcome =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                ctx.score((&pieces, schemas, place), workers, pool)
                            }))
                            .map(|chunks| ScoredBatch {
                                problems,
                                chunks,
                                end,
                            });
                        // The main thread waits for every batch it sent.
                        let _ = done.send((number, outcome));
                    });
                }
                drop(done);
                for (number, outcome) in scored {
                    ready.add(number, outcome, &mut write);
                }
                ready.result
            })
        })
    }

    /// The schemas of a source's columns, or `None` (with the error
    /// reported) when no record of it can be scored.
    #[expect(
        clippy::result_large_err,
        reason = "data errors are rare and carry their whole context"
    )]
    fn schemas(&mut self, source: &dyn Source, place: &Place) -> Option<Schemas> {
        let (columns, delimiter) = (source.columns(), source.delimiter());
        let catalog = self.ctx.catalog;
        let mut absent = Vec::new();
        let per_edition: Vec<Result<Schema, DataError>> = catalog
            .programs
            .iter()
            .map(|p| {
                let schema = if source.keyed() {
                    Schema::for_keyed_records(&p.standard, columns, &place.file)?
                } else if self.ctx.options.absent_fields {
                    let (schema, fields) =
                        Schema::new_with_absent_fields(&p.standard, columns, &place.file)?;
                    for field in fields {
                        if !absent.contains(&field) {
                            absent.push(field);
                        }
                    }
                    schema
                } else {
                    Schema::new(&p.standard, columns, &place.file)?
                };
                Ok(match delimiter {
                    Some(delimiter) => schema.for_delimiter(delimiter),
                    None => schema,
                })
            })
            .collect();
        if !absent.is_empty() {
            let file = Arc::clone(&place.file);
            self.sink.finished.absent_fields.push((file, absent));
        }
        let usable = match &catalog.route {
            Route::One(edition) => per_edition[*edition].as_ref().err(),
            Route::ByDate { .. } => per_edition
                .iter()
                .all(Result::is_err)
                .then(|| per_edition.iter().find_map(|s| s.as_ref().err()))
                .flatten(),
        };
        if let Some(error) = usable {
            self.sink.finished.summary.errors.push(error.clone());
            return None;
        }
        let group = match &self.ctx.options.group {
            None => None,
            Some(name) => match Extra::find(columns, name) {
                Some(column) => Some(column),
                None => {
                    self.sink
                        .finished
                        .summary
                        .errors
                        .push(DataError::MissingColumn {
                            file: std::sync::Arc::clone(&place.file),
                            field: name.clone(),
                            label: " (asked for by `--group-by`)".to_owned(),
                            help: format!("the file's columns are: {}", columns.join(", ")),
                        });
                    return None;
                }
            },
        };
        let date = match &catalog.route {
            Route::One(_) => None,
            Route::ByDate { field, .. } => {
                per_edition.iter().enumerate().find_map(|(e, schema)| {
                    let index = catalog.programs[e]
                        .standard
                        .fields
                        .iter()
                        .position(|f| &f.name == field)?;
                    schema.is_ok().then_some((e, index))
                })
            }
        };
        Some(Schemas {
            per_edition,
            group,
            date,
        })
    }

    /// Ranks the held records, grades them, and writes them. Ranks are taken
    /// over every record whose edition ranks by the same group (the whole
    /// batch, or a field of that name).
    fn rank_and_write(&mut self, pool: &rayon::ThreadPool, out: &mut dyn Write) -> io::Result<()> {
        let catalog = self.ctx.catalog;
        let mut held = std::mem::take(&mut self.sink.held);
        let group_name = |edition: usize, group: Option<usize>| {
            group.map(|f| catalog.programs[edition].standard.fields[f].name.clone())
        };
        let mut names: Vec<Option<String>> = Vec::new();
        for (edition, program) in catalog.programs.iter().enumerate() {
            for &group in &program.rank_groups {
                let name = group_name(edition, group);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        for name in &names {
            // The members of this ranking, with the group's field in their edition.
            let members: Vec<(usize, Option<usize>)> = held
                .iter()
                .enumerate()
                .filter_map(|(i, h)| {
                    let program = &catalog.programs[h.edition];
                    let group = program
                        .rank_groups
                        .iter()
                        .find(|&&g| group_name(h.edition, g) == *name)?;
                    Some((i, *group))
                })
                .collect();
            let scores: Vec<Decimal> = members
                .iter()
                .map(|&(i, _)| held[i].scored.totals.score)
                .collect();
            let groups: Vec<String> = members
                .iter()
                .map(|&(i, group)| match group {
                    Some(field) => {
                        let program = &catalog.programs[held[i].edition];
                        cell_text(program, field, &held[i].cells[field])
                    }
                    None => String::new(),
                })
                .collect();
            for (&(i, group), rank) in members.iter().zip(ranks(&scores, &groups)) {
                held[i].scored.totals.ranks.push((group, rank));
            }
        }
        let chunks: Vec<ChunkOut> = pool.install(|| {
            held.par_chunks(CHUNK)
                .map_init(
                    || catalog.programs.iter().map(Scorer::new).collect::<Vec<_>>(),
                    |scorers, chunk| {
                        let mut out = ChunkOut {
                            summary: Summary::new(catalog),
                            ..ChunkOut::default()
                        };
                        for held in chunk {
                            let mut scored = held.scored.clone();
                            let scorer = &scorers[held.edition];
                            scored.grade = scorer.grade(&held.cells, &scored);
                            scored.script_failures.clear();
                            scorer.take_failures(Site::Grades, &mut scored);
                            let mut errors = held.errors.clone();
                            let program = &catalog.programs[held.edition];
                            evaluation_errors(
                                program,
                                &scored,
                                (&held.place, held.row),
                                &held.key,
                                &mut errors,
                            );
                            let record = Record {
                                edition: held.edition,
                                group: held.group.as_deref(),
                                place: &held.place,
                                row: held.row,
                                key: &held.key,
                                cells: &held.cells,
                                scored: &scored,
                                errors: &errors,
                            };
                            self.ctx.emit(&record, &mut out);
                            out.summary.errors.extend(errors);
                        }
                        out
                    },
                )
                .collect()
        });
        self.sink
            .write(self.ctx.format.separator().as_bytes(), chunks, out)
    }
}

impl Context<'_> {
    /// The edition that scores a record, or why none can.
    #[expect(
        clippy::result_large_err,
        reason = "data errors are rare and carry their whole context"
    )]
    fn route(&self, raw: &RawRecord, schemas: &Schemas, place: &Place) -> Result<usize, DataError> {
        let catalog = self.catalog;
        let (field, edition) = match (&catalog.route, schemas.date) {
            (Route::One(edition), _) => return Ok(*edition),
            (Route::ByDate { field, .. }, Some((reader, index))) => {
                let at = place.at(raw.row);
                let no_edition = |reason: String, help: Option<String>| DataError::NoEdition {
                    at: place.at(raw.row),
                    reason,
                    help,
                };
                let schema = schemas.per_edition[reader].as_ref().map_err(Clone::clone)?;
                let date = match schema.read_one(index, raw, at) {
                    Ok(Cell::Value(Value::Date(date))) => date,
                    Ok(_) => {
                        return Err(no_edition(
                            format!("its inspection date (`{field}`) is blank"),
                            Some(format!(
                                "fill in `{field}`, or choose the edition with `--as-of` or `--edition`"
                            )),
                        ));
                    }
                    Err(error) => {
                        let reason = match error {
                            DataError::BadValue { column, value, .. } => {
                                format!(
                                    "its inspection date `{value}` (column `{column}`) is not a date"
                                )
                            }
                            DataError::Blank { column, .. } => {
                                format!("its inspection date (column `{column}`) is blank")
                            }
                            other => other.to_string(),
                        };
                        return Err(no_edition(
                            reason,
                            Some(format!(
                                "`{field}` chooses the edition that scores the record; write it as 2016-06-30, 2016/6/30 or 2016年6月30日"
                            )),
                        ));
                    }
                };
                let Some(edition) = catalog.edition_on(date) else {
                    let name = &catalog.latest().standard.name;
                    return Err(no_edition(
                        format!("no edition of `{name}` is in force on {date}"),
                        Some(edition_list(catalog)),
                    ));
                };
                (field, (edition, date))
            }
            (Route::ByDate { field, .. }, None) => {
                return Err(DataError::NoEdition {
                    at: place.at(raw.row),
                    reason: format!("no column gives `{field}`, the inspection date"),
                    help: None,
                });
            }
        };
        let (edition, date) = edition;
        match &schemas.per_edition[edition] {
            Ok(_) => Ok(edition),
            Err(error) => Err(DataError::NoEdition {
                at: place.at(raw.row),
                reason: format!(
                    "edition `{}` is in force on {date} (its `{field}`), but {error}",
                    catalog.programs[edition].standard.version
                ),
                help: Some(
                    "add the columns of that edition, or score the file with `--edition`"
                        .to_owned(),
                ),
            }),
        }
    }

    /// Types, scores and formats a batch, piece by piece, in parallel, each
    /// pool thread with its worker of `workers`.
    fn score(
        &self,
        (pieces, schemas, place): (&[Piece], &Schemas, &Place),
        workers: &[Mutex<Worker<'_>>],
        pool: &rayon::ThreadPool,
    ) -> Vec<ChunkOut> {
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
                    let mut out = ChunkOut {
                        summary: Summary::new(catalog),
                        text: String::with_capacity(text + text / 8),
                        ends: Vec::with_capacity(records + records / 8),
                        ..ChunkOut::default()
                    };
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
        out: &mut ChunkOut,
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

    /// Counts, formats and keeps (for explaining) one scored record.
    fn emit(&self, record: &Record<'_>, out: &mut ChunkOut) {
        let view = RecordView {
            catalog: self.catalog,
            waivers: self.options.waivers.as_deref(),
            edition: record.edition,
            group: record.group,
            program: &self.catalog.programs[record.edition],
            place: record.place,
            row: record.row,
            key: record.key,
            cells: record.cells,
            scored: record.scored,
            errors: record.errors,
        };
        out.summary.count(&view, self.format.needs_units());
        out.fail_on_met |= record
            .scored
            .grade
            .zip(self.fail_from[record.edition])
            .is_some_and(|(grade, from)| grade >= from);
        let failed = view.failed().next().is_some();
        // A waived failure is shown wherever failures are: nothing is hidden.
        if !self.options.only_failed || failed || !record.scored.waived.is_empty() {
            self.format.record(&view, &mut out.text);
            out.ends.push(out.text.len());
        }
        let keep = match &self.options.explain {
            Explain::Nothing => false,
            // A rule missing a value cost points too: it is explained.
            Explain::Failed => failed || !record.scored.missing.is_empty(),
            Explain::Units(keys) => keys.contains(record.key),
        };
        if keep {
            out.kept.push(Kept {
                edition: record.edition,
                at: record.place.at(record.row),
                key: record.key.to_owned(),
                cells: record.cells.to_vec(),
                scored: record.scored.clone(),
            });
        }
    }
}

/// One scored record on its way to the format.
struct Record<'a> {
    edition: usize,
    group: Option<&'a str>,
    place: &'a Place,
    row: u64,
    key: &'a str,
    cells: &'a [Cell],
    scored: &'a Scored,
    errors: &'a [DataError],
}

/// What went wrong evaluating a record (script calls that failed, numbers
/// past the decimals' range) as data errors.
#[inline]
fn evaluation_errors(
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
        Site::Rule(rule) => format!("rule {}", standard.rules[rule].id),
        Site::Let(index) => format!("`let {}`", standard.lets[index].name),
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
    expired: &[usize],
    scored: &Scored,
    summary: &mut Summary,
) {
    for &waiver in expired {
        let failed = waivers
            .rule_in(edition, waiver)
            .is_some_and(|rule| scored.outcomes[rule] == crate::syntax::ast::Outcome::Fail);
        if failed {
            summary.lapsed.push(Lapsed {
                key: key.to_owned(),
                waiver,
                date,
            });
        }
    }
}

/// The editions and when each is in force, for a record that none scores.
fn edition_list(catalog: &Catalog) -> String {
    let editions: Vec<String> = catalog
        .programs
        .iter()
        .map(|p| match p.standard.effective {
            Some(date) => format!("{} from {date}", p.standard.version),
            None => p.standard.version.clone(),
        })
        .collect();
    format!("the editions are {}", editions.join(", "))
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

fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} {wide_bar} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar
}
