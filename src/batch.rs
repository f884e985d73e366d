//! Step four: a batch of records through the standard, on all cores, in order.
//!
//! A reader thread reads raw records in batches of [`BATCH`] (one batch in
//! flight while the previous is scored, so memory stays bounded whatever the
//! input size); the batch is cut into chunks of [`CHUNK`] that worker threads
//! type, score and format in parallel; the chunks' text is written in input
//! order. Chunk boundaries do not depend on the number of threads, so the
//! output is byte for byte the same with `--jobs 1` or `--jobs 8`.
//!
//! When grade bands read `rank`, every unit's score must be known before any
//! is graded: then records are held in memory, ranked, graded and written.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{self, Write};
use std::sync::mpsc::{channel, sync_channel};

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::data::schema::Schema;
use crate::data::{DataError, Place, RawRecord, Source};
use crate::eval::compile::Program;
use crate::eval::engine::{Scored, Scorer, ranks};
use crate::eval::value::{Cell, Value};
use crate::report::explain::Kept;
use crate::report::values::cell_text;
use crate::report::{Format, RecordView, Summary};

/// Records read at a time.
pub const BATCH: usize = 8192;
/// Records scored by one worker at a time.
pub const CHUNK: usize = 512;

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
}

/// What a batch came to.
#[derive(Debug, Default)]
pub struct Finished {
    /// Counts, scores and every data error.
    pub summary: Summary,
    /// The units kept for `--explain`, in input order.
    pub kept: Vec<Kept>,
    /// The worst grade given (bands later in the list are worse).
    pub worst_grade: Option<usize>,
}

/// Scores every record of `sources` and writes them in `format` to `out`.
pub fn run(
    program: &Program,
    sources: Vec<Box<dyn Source>>,
    format: &dyn Format,
    out: &mut dyn Write,
    options: &Options,
) -> io::Result<Finished> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .map_err(io::Error::other)?;
    let mut run = Run {
        program,
        format,
        options,
        finished: Finished {
            summary: Summary::new(program),
            ..Finished::default()
        },
        held: Vec::new(),
        written: false,
        progress: options.progress.then(progress_bar),
    };
    out.write_all(format.begin(program).as_bytes())?;
    for source in sources {
        run.source(source, &pool, out)?;
    }
    if !program.rank_groups.is_empty() {
        run.rank_and_write(&pool, out)?;
    }
    if let Some(bar) = &run.progress {
        bar.finish_and_clear();
    }
    out.write_all(format.end(program, &run.finished.summary).as_bytes())?;
    out.flush()?;
    Ok(run.finished)
}

/// A record held until ranks are known.
struct Held {
    place: Place,
    row: u64,
    key: String,
    cells: Vec<Cell>,
    scored: Scored,
    errors: Vec<DataError>,
}

struct Run<'r> {
    program: &'r Program,
    format: &'r dyn Format,
    options: &'r Options,
    finished: Finished,
    held: Vec<Held>,
    /// Whether a record was written (for separators).
    written: bool,
    progress: Option<indicatif::ProgressBar>,
}

/// A batch from the reader thread.
struct Batch {
    records: Vec<RawRecord>,
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
    worst: Option<usize>,
}

/// A worker's scratch space, reused for every record it scores.
struct Worker<'p> {
    scorer: Scorer<'p>,
    cells: Vec<Cell>,
    scored: Scored,
    errors: Vec<DataError>,
}

impl Run<'_> {
    fn source(
        &mut self,
        mut source: Box<dyn Source>,
        pool: &rayon::ThreadPool,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let place = source.place();
        let schema = match Schema::new(&self.program.standard, source.columns(), &place.file) {
            Ok(schema) => schema,
            Err(error) => {
                self.finished.summary.errors.push(error);
                return Ok(());
            }
        };
        std::thread::scope(|scope| {
            let (to_main, batches) = sync_channel::<Batch>(1);
            let (to_reader, recycled) = channel::<Vec<RawRecord>>();
            scope.spawn(move || {
                // At most three batches exist; their records (and the buffers
                // inside them) are reused, so reading allocates nothing per record.
                let mut created = 0;
                loop {
                    let mut records = match recycled.try_recv() {
                        Ok(records) => records,
                        Err(_) if created < 3 => {
                            created += 1;
                            Vec::new()
                        }
                        Err(_) => recycled.recv().unwrap_or_default(),
                    };
                    let mut problems = Vec::new();
                    let result = source.read(BATCH, &mut records, &mut problems);
                    let (last, end) = match result {
                        Ok(0) => (true, None),
                        Ok(_) => (false, None),
                        Err(error) => (true, Some(error)),
                    };
                    let batch = Batch {
                        records,
                        problems,
                        progress: source.progress(),
                        end,
                    };
                    if to_main.send(batch).is_err() || last {
                        break;
                    }
                }
            });
            for batch in batches {
                self.finished.summary.errors.extend(batch.problems);
                let chunks = self.score(&batch.records, &schema, &place, pool);
                self.write(chunks, out)?;
                if let Some(error) = batch.end {
                    self.finished.summary.errors.push(error);
                }
                if let Some(bar) = &self.progress {
                    if let Some(total) = batch.progress.1 {
                        bar.set_length(total);
                    }
                    bar.set_position(batch.progress.0);
                }
                // The reader may have finished already; its buffer is then not needed.
                let _ = to_reader.send(batch.records);
            }
            Ok(())
        })
    }

    /// Types, scores and formats a batch, chunk by chunk, in parallel.
    fn score(
        &self,
        records: &[RawRecord],
        schema: &Schema,
        place: &Place,
        pool: &rayon::ThreadPool,
    ) -> Vec<ChunkOut> {
        let program = self.program;
        pool.install(|| {
            records
                .par_chunks(CHUNK)
                .map_init(
                    || Worker {
                        scorer: Scorer::new(program),
                        cells: Vec::new(),
                        scored: Scored::default(),
                        errors: Vec::new(),
                    },
                    |worker, chunk| self.chunk(worker, chunk, schema, place),
                )
                .collect()
        })
    }

    fn chunk(
        &self,
        worker: &mut Worker<'_>,
        chunk: &[RawRecord],
        schema: &Schema,
        place: &Place,
    ) -> ChunkOut {
        let program = self.program;
        let hold = !program.rank_groups.is_empty();
        let mut out = ChunkOut {
            summary: Summary::new(program),
            ..ChunkOut::default()
        };
        for raw in chunk {
            worker.errors.clear();
            schema.cells(raw, place, &mut worker.cells, &mut worker.errors);
            worker.scorer.score(&worker.cells, &mut worker.scored);
            if hold {
                out.held.push(Held {
                    place: place.clone(),
                    row: raw.row,
                    key: key_text(program, schema, raw, &worker.cells).into_owned(),
                    cells: worker.cells.clone(),
                    scored: worker.scored.clone(),
                    errors: std::mem::take(&mut worker.errors),
                });
                continue;
            }
            let key = key_text(program, schema, raw, &worker.cells);
            self.emit(
                place,
                raw.row,
                &key,
                &worker.cells,
                &worker.scored,
                &worker.errors,
                &mut out,
            );
            out.summary.errors.append(&mut worker.errors);
        }
        out
    }

    /// Counts, formats and keeps (for explaining) one scored record.
    #[expect(
        clippy::too_many_arguments,
        reason = "one record's parts, kept apart to avoid copying them"
    )]
    fn emit(
        &self,
        place: &Place,
        row: u64,
        key: &str,
        cells: &[Cell],
        scored: &Scored,
        errors: &[DataError],
        out: &mut ChunkOut,
    ) {
        let view = RecordView {
            program: self.program,
            place,
            row,
            key,
            cells,
            scored,
            errors,
        };
        out.summary.count(&view, self.format.needs_units());
        out.worst = out.worst.max(scored.grade);
        let failed = view.failed().next().is_some();
        if !self.options.only_failed || failed {
            self.format.record(&view, &mut out.text);
            out.ends.push(out.text.len());
        }
        let keep = match &self.options.explain {
            Explain::Nothing => false,
            Explain::Failed => failed,
            Explain::Units(keys) => keys.contains(key),
        };
        if keep {
            out.kept.push(Kept {
                at: place.at(row),
                key: key.to_owned(),
                cells: cells.to_vec(),
                scored: scored.clone(),
            });
        }
    }

    /// Writes chunks in order, with the format's separator between records.
    fn write(&mut self, chunks: Vec<ChunkOut>, out: &mut dyn Write) -> io::Result<()> {
        let separator = self.format.separator().as_bytes();
        for chunk in chunks {
            let mut start = 0;
            for &end in &chunk.ends {
                if self.written {
                    out.write_all(separator)?;
                }
                out.write_all(&chunk.text.as_bytes()[start..end])?;
                start = end;
                self.written = true;
            }
            self.finished.summary.merge(chunk.summary);
            self.finished.kept.extend(chunk.kept);
            self.finished.worst_grade = self.finished.worst_grade.max(chunk.worst);
            self.held.extend(chunk.held);
        }
        Ok(())
    }

    /// Ranks the held records, grades them, and writes them.
    fn rank_and_write(&mut self, pool: &rayon::ThreadPool, out: &mut dyn Write) -> io::Result<()> {
        let program = self.program;
        let scores: Vec<Decimal> = self.held.iter().map(|h| h.scored.totals.score).collect();
        for group in &program.rank_groups {
            let groups: Vec<String> = self
                .held
                .iter()
                .map(|h| match group {
                    Some(field) => cell_text(program, *field, &h.cells[*field]),
                    None => String::new(),
                })
                .collect();
            for (held, rank) in self.held.iter_mut().zip(ranks(&scores, &groups)) {
                held.scored.totals.ranks.push((*group, rank));
            }
        }
        let held = std::mem::take(&mut self.held);
        let chunks: Vec<ChunkOut> = pool.install(|| {
            held.par_chunks(CHUNK)
                .map_init(
                    || Scorer::new(program),
                    |scorer, chunk| {
                        let mut out = ChunkOut {
                            summary: Summary::new(program),
                            ..ChunkOut::default()
                        };
                        for record in chunk {
                            let mut scored = record.scored.clone();
                            scored.grade = scorer.grade(&record.cells, &scored);
                            self.emit(
                                &record.place,
                                record.row,
                                &record.key,
                                &record.cells,
                                &scored,
                                &record.errors,
                                &mut out,
                            );
                            out.summary.errors.extend(record.errors.iter().cloned());
                        }
                        out
                    },
                )
                .collect()
        });
        self.write(chunks, out)
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
