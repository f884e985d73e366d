//! What the main thread does with scored chunks, in input order: their text
//! written with the format's separators, their summaries merged, the units
//! kept for `--explain` kept up to [`MAX_EXPLAINED`], records held for
//! ranking set aside, and the consumer's items handed over.

use std::io::{self, Write};

use super::rank::Held;
use super::{Finished, MAX_EXPLAINED};
use crate::data::DataError;
use crate::results::{Format, Kept, Summary};

/// What a worker made of a chunk.
pub(super) struct ChunkOut<I> {
    pub(super) text: String,
    /// The end of each record's text in `text`.
    pub(super) ends: Vec<usize>,
    pub(super) summary: Summary,
    pub(super) kept: Vec<Kept>,
    pub(super) held: Vec<Held>,
    pub(super) fail_on_met: bool,
    /// The consumer's item of each record, in input order.
    pub(super) items: Vec<I>,
}

impl<I> ChunkOut<I> {
    /// An empty chunk, its text and record ends with room for `capacity`.
    pub(super) fn new(summary: Summary, (text, records): (usize, usize)) -> Self {
        ChunkOut {
            text: String::with_capacity(text),
            ends: Vec::with_capacity(records),
            summary,
            kept: Vec::new(),
            held: Vec::new(),
            fail_on_met: false,
            items: Vec::new(),
        }
    }
}

/// A batch scored and waiting to be written, with what the reader said of it.
pub(super) struct ScoredBatch<I> {
    pub(super) problems: Vec<DataError>,
    pub(super) chunks: Vec<ChunkOut<I>>,
    pub(super) end: Option<DataError>,
}

/// What has been written, and what it came to.
pub(super) struct Sink<I, T> {
    pub(super) finished: Finished,
    pub(super) held: Vec<Held>,
    /// Whether a record was written (for separators).
    written: bool,
    /// Takes the consumer's items, in input order.
    take: T,
    _items: std::marker::PhantomData<fn(I)>,
}

impl<I, T: FnMut(I)> Sink<I, T> {
    pub(super) fn new(summary: Summary, take: T) -> Self {
        Sink {
            finished: Finished {
                summary,
                ..Finished::default()
            },
            held: Vec::new(),
            written: false,
            take,
            _items: std::marker::PhantomData,
        }
    }

    /// Writes a scored batch, its reader's problems counted first and a
    /// file-level error last, as they came in the file.
    pub(super) fn write_batch(
        &mut self,
        format: &dyn Format,
        batch: ScoredBatch<I>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.finished.summary.errors.extend(batch.problems);
        self.write(format.separator().as_bytes(), batch.chunks, out)?;
        self.finished.summary.errors.extend(batch.end);
        Ok(())
    }

    /// Writes chunks in order, with the format's separator between records.
    pub(super) fn write(
        &mut self,
        separator: &[u8],
        chunks: Vec<ChunkOut<I>>,
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
            chunk.items.into_iter().for_each(&mut self.take);
        }
        Ok(())
    }
}
