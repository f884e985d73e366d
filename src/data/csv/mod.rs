//! CSV input: any delimiter (sniffed from the first line that has one, or
//! given), in any encoding `encoding` reads, quoted cells, streamed.
//!
//! The stream is cut into pieces of whole records (`cut`) that the worker
//! threads split into cells with the csv crate, so reading keeps up with
//! scoring on every core. The csv crate reads an unterminated quote as one
//! cell holding the rest of the file, silently; the cutter notices the
//! quote still open at the end and that is reported with the number of
//! lines it swallowed.

pub mod cut;
pub mod split;

use std::io::Read;
use std::sync::Arc;

use self::cut::{Cutter, TextPiece};
use self::split::Splitter;
use super::encoding;
use super::errors::{DataError, Place, RowUnit};
use super::header::{HEAD_ROWS, Head};
use super::{BATCH_PIECES, Piece, RawRecord, Source, unreadable};

/// The delimiters sniffed for, most common first.
const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Bytes of text a worker splits at a time.
pub const PIECE_BYTES: usize = 64 * 1024;

/// A CSV file being read.
pub struct CsvSource {
    file: Arc<str>,
    cutter: Cutter<Box<dyn Read + Send>>,
    delimiter: u8,
    /// The first rows, until the records after the header are read.
    head: Head,
    columns: Vec<String>,
    size: Option<u64>,
    finished: bool,
}

/// CSV text of whole records, split into cells by the worker that scores them.
#[derive(Clone, Debug)]
pub struct CsvPiece {
    text: TextPiece,
    delimiter: u8,
}

impl CsvPiece {
    /// Calls `each` with every record of the piece, in order.
    pub fn for_each(&self, splitter: &mut Splitter, each: impl FnMut(&RawRecord)) {
        splitter.split(&self.text, self.delimiter, each);
    }
}

impl CsvSource {
    /// Opens `file` (`-` for stdin) as text in `encoding` or the one its
    /// bytes show, and reads its first rows (the header among them).
    pub fn open(
        file: Arc<str>,
        delimiter: Option<u8>,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> Result<CsvSource, DataError> {
        let text = encoding::open(&file, encoding)?;
        let mut cutter = Cutter::new(text.reader, b',');
        cutter.skip_bom().map_err(|e| unreadable(&file, e))?;
        let delimiter = match delimiter {
            Some(d) => d,
            None => sniff(cutter.peek(1 << 16).map_err(|e| unreadable(&file, e))?),
        };
        cutter.set_delimiter(delimiter);
        // The first rows, one of them the header (blank lines are skipped).
        let mut rows = Vec::new();
        let mut splitter = Splitter::new(delimiter);
        while rows.len() < HEAD_ROWS {
            let Some(piece) = cutter.next_piece(1).map_err(|e| unreadable(&file, e))? else {
                break;
            };
            splitter.split(&piece, delimiter, |raw| rows.push(raw.clone()));
        }
        let mut source = CsvSource {
            file,
            cutter,
            delimiter,
            head: Head::new(rows),
            columns: Vec::new(),
            size: text.size,
            finished: false,
        };
        source.use_header(0);
        Ok(source)
    }

    /// The next piece, or `None` at the end (with an unterminated quote
    /// reported to `problems`).
    fn next_piece(&mut self, problems: &mut Vec<DataError>) -> Result<Option<CsvPiece>, DataError> {
        if self.finished {
            return Ok(None);
        }
        let piece = self
            .cutter
            .next_full_piece(PIECE_BYTES)
            .map_err(|e| unreadable(&self.file, e))?;
        let Some(text) = piece else {
            self.finished = true;
            if let Some(open) = self.cutter.open_quote() {
                problems.push(DataError::UnterminatedQuote {
                    at: self.place().at(open.line),
                    lines: open.lines,
                });
            }
            return Ok(None);
        };
        Ok(Some(CsvPiece {
            text,
            delimiter: self.delimiter,
        }))
    }
}

/// The delimiter that occurs most often, outside quotes, in the first line
/// that has any (a title row above the headings may have none); a comma
/// when no line of `head` does.
fn sniff(head: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted && counts.iter().any(|&c| c > 0) => break,
            b'\n' if !quoted => {}
            _ if !quoted => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..DELIMITERS.len()).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)));
    best.filter(|&i| counts[i] > 0)
        .map_or(b',', |i| DELIMITERS[i])
}

impl Source for CsvSource {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn delimiter(&self) -> Option<u8> {
        Some(self.delimiter)
    }

    fn head(&self) -> Option<&Head> {
        Some(&self.head)
    }

    fn use_header(&mut self, index: usize) {
        self.head.choose(index);
        self.columns = self.head.columns();
        // A byte order mark after blank lines, or one written twice, is not
        // part of the first heading either.
        if let Some(first) = self.columns.first_mut() {
            *first = first.trim_start_matches('\u{FEFF}').to_owned();
        }
    }

    fn place(&self) -> Place {
        Place {
            file: Arc::clone(&self.file),
            sheet: None,
            unit: RowUnit::Line,
        }
    }

    /// Reads whole pieces until `max` records or more are read.
    fn read(
        &mut self,
        max: usize,
        out: &mut Vec<RawRecord>,
        problems: &mut Vec<DataError>,
    ) -> Result<usize, DataError> {
        out.clear();
        out.extend(self.head.records());
        let mut splitter = Splitter::new(self.delimiter);
        while out.len() < max {
            let Some(piece) = self.next_piece(problems)? else {
                break;
            };
            piece.for_each(&mut splitter, |raw| out.push(raw.clone()));
        }
        Ok(out.len())
    }

    fn read_pieces(
        &mut self,
        out: &mut Vec<Piece>,
        problems: &mut Vec<DataError>,
    ) -> Result<usize, DataError> {
        out.clear();
        let first = self.head.records();
        if !first.is_empty() {
            out.push(Piece::Records(first));
        }
        while out.len() < BATCH_PIECES {
            let Some(piece) = self.next_piece(problems)? else {
                break;
            };
            out.push(Piece::Csv(piece));
        }
        Ok(out.len())
    }

    fn progress(&self) -> (u64, Option<u64>) {
        (self.cutter.consumed(), self.size)
    }
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn the_delimiter_is_sniffed_from_the_header_line() {
        assert_eq!(sniff(b"a,b,c\n1;2;3;4;5\n"), b',');
        assert_eq!(sniff(b"a;b;c\n"), b';');
        assert_eq!(sniff(b"a\tb\tc"), b'\t');
        assert_eq!(sniff(b"\"a,b\";c\n"), b';');
        assert_eq!(sniff(b"single"), b',');
        assert_eq!(sniff(b"title\n\na;b;c\n1,2\n"), b';');
    }
}
