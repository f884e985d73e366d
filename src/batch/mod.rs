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
//!
//! The parts, one concern each: `threads` (the reader thread, the pool and
//! batches in flight), `reorder` (scored batches released in input order),
//! `route` (a source's schemas, and the edition that scores each record),
//! `record` (a record split, typed, scored), `filter` (what is counted,
//! written, kept for `--explain`), `rank` (records held for `rank` bands),
//! `sink` (what the main thread writes and adds up).
//!
//! [`Piece`]: crate::data::Piece

mod filter;
mod rank;
mod record;
mod reorder;
mod route;
mod sink;
mod threads;

use std::collections::HashSet;
use std::io::{self, Write};
use std::sync::Arc;

use jiff::civil::Date;

use crate::data::Source;
use crate::eval::catalog::Catalog;
use crate::results::{Format, Kept, RecordView, Summary};
use crate::waivers::Waivers;

use self::sink::Sink;

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

/// How far a run has read, told to whoever shows it (the command line's
/// progress bar); called on the main thread, once per batch read.
pub trait Progress: Send + Sync + std::fmt::Debug {
    /// What has been read of the current file (bytes or records), and its
    /// size when known.
    fn advance(&self, position: u64, total: Option<u64>);
    /// The run is over: whatever showed the progress goes away.
    fn finish(&self);
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
    /// Where to tell how far the run has read.
    pub progress: Option<Arc<dyn Progress>>,
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

/// A typed consumer of scored records, besides the text of the [`Format`]:
/// [`Consumer::item`] makes each record's item on the worker thread that
/// scored it, and [`run_with`] hands the items over in input order.
pub trait Consumer: Sync {
    /// What a record comes to for the consumer.
    type Item: Send;
    /// The item of one scored record (every record, written or not);
    /// called on worker threads, in parallel.
    fn item(&self, record: &RecordView<'_>) -> Self::Item;
}

/// No consumer: [`run`] only writes text.
impl Consumer for () {
    type Item = ();

    #[inline]
    fn item(&self, _record: &RecordView<'_>) {}
}

/// Scores every record of `sources` and writes them in `format` to `out`.
pub fn run(
    catalog: &Catalog,
    sources: Vec<Box<dyn Source>>,
    format: &dyn Format,
    out: &mut dyn Write,
    options: &Options,
) -> io::Result<Finished> {
    run_with(catalog, sources, (format, out), (&(), |()| {}), options)
}

/// Scores every record of `sources`, writes them in `format` to `out`, and
/// gives each record's item of `consumer` to `take`, in input order (on the
/// calling thread, as the records are written).
pub fn run_with<C: Consumer>(
    catalog: &Catalog,
    sources: Vec<Box<dyn Source>>,
    (format, out): (&dyn Format, &mut dyn Write),
    (consumer, take): (&C, impl FnMut(C::Item)),
    options: &Options,
) -> io::Result<Finished> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .map_err(io::Error::other)?;
    let mut run = Run {
        ctx: Context {
            catalog,
            format,
            consumer,
            options,
            fail_from: filter::fail_from(catalog, options),
            hold: catalog.programs.iter().any(|p| !p.rank_groups.is_empty()),
        },
        sink: Sink::new(Summary::new(catalog), take),
    };
    out.write_all(format.begin(catalog).as_bytes())?;
    for source in sources {
        run.source(source, &pool, out)?;
    }
    if run.ctx.hold {
        run.rank_and_write(&pool, out)?;
    }
    if let Some(progress) = &options.progress {
        progress.finish();
    }
    let finished = run.sink.finished;
    out.write_all(format.end(catalog, &finished.summary).as_bytes())?;
    out.flush()?;
    Ok(finished)
}

/// What scoring reads and never changes; shared by the worker threads.
struct Context<'r, C> {
    catalog: &'r Catalog,
    format: &'r dyn Format,
    consumer: &'r C,
    options: &'r Options,
    /// For each edition, the position of the `fail_on` grade in its bands.
    fail_from: Vec<Option<usize>>,
    /// Whether records are held for ranking.
    hold: bool,
}

/// One run: what the workers share, and what the main thread writes.
struct Run<'r, C: Consumer, T> {
    ctx: Context<'r, C>,
    sink: Sink<C::Item, T>,
}
