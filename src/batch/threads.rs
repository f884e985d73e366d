//! The thread plumbing of a run: a reader thread reads a source's batches
//! of pieces, the pool scores [`IN_FLIGHT`] batches at a time, and the main
//! thread writes them in input order (through the reorder buffer) as they
//! are done.

use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::mpsc::sync_channel;

use super::record::Worker;
use super::reorder::Ready;
use super::sink::ScoredBatch;
use super::{Consumer, Run};
use crate::data::{DataError, Piece, Source};

/// Batches scored at a time: the workers never wait for one batch's last
/// piece before starting on the next.
const IN_FLIGHT: usize = 2;

/// A batch from the reader thread.
struct Batch {
    pieces: Vec<Piece>,
    problems: Vec<DataError>,
    progress: (u64, Option<u64>),
    end: Option<DataError>,
}

impl<C: Consumer, T: FnMut(C::Item)> Run<'_, C, T> {
    /// Scores and writes every record of one source.
    pub(super) fn source(
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
            let (ctx, sink) = (&self.ctx, &mut self.sink);
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
                    if let Some(progress) = &ctx.options.progress {
                        let (position, total) = batch.progress;
                        progress.advance(position, total);
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
}
