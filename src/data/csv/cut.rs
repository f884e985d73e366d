//! Cutting a CSV byte stream into pieces of whole records, so that worker
//! threads can split the records of a piece while the next piece is read.
//!
//! A newline or a carriage return ends a record unless it is inside a quoted
//! cell (a file whose lines end in carriage returns alone is cut too). A quote opens
//! a quoted cell only at the start of a cell (as the csv crate reads it: a
//! quote inside an unquoted cell is text); inside, a doubled quote is text
//! and a single one closes the cell. The scan jumps from quote to newline
//! with `memchr`, so it costs a few instructions per record, and its state
//! is kept between reads, so a long quoted cell is scanned once.

use std::io::{self, Read};

/// The fewest bytes asked of the input at a time.
const MIN_READ: usize = 64 * 1024;

/// A piece ends at the first end of a record this near the end of what has
/// been read (or further on), so that little is left to move to the next
/// piece's buffer.
const SLACK: usize = 4 * 1024;

/// Where the scan is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Outside quotes.
    Outside,
    /// Inside a quoted cell.
    Quoted,
    /// Just after a quote inside a quoted cell: a second quote is text,
    /// anything else closed the cell.
    AfterQuote,
}

/// Whole records of CSV text, and the line their first record starts on.
#[derive(Clone, Debug)]
pub struct TextPiece {
    /// The bytes, ending at the end of a record (or of the file).
    pub bytes: Vec<u8>,
    /// The 1-based line of the first byte.
    pub first_line: u64,
}

/// A record whose quote was never closed, found at the end of the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenQuote {
    /// The line the record starts on.
    pub line: u64,
    /// The lines after it, read as part of the quoted cell.
    pub lines: u64,
}

/// Cuts a stream into [`TextPiece`]s.
pub struct Cutter<R> {
    input: R,
    delimiter: u8,
    /// Bytes not yet cut off; they start at the start of a record.
    buffer: Vec<u8>,
    /// How far `buffer` has been scanned, and the state there.
    scanned: usize,
    state: State,
    /// The end of the last whole record in `buffer`.
    last_end: usize,
    /// How near the end of what was read a full piece ends ([`SLACK`]).
    slack: usize,
    /// The line `buffer` starts on.
    line: u64,
    /// Bytes cut off so far.
    consumed: u64,
    finished: bool,
    open_quote: Option<OpenQuote>,
}

impl<R: Read> Cutter<R> {
    /// A cutter for `input`, whose first byte is on line 1.
    pub fn new(input: R, delimiter: u8) -> Self {
        Cutter {
            input,
            delimiter,
            buffer: Vec::new(),
            scanned: 0,
            state: State::Outside,
            last_end: 0,
            slack: SLACK,
            line: 1,
            consumed: 0,
            finished: false,
            open_quote: None,
        }
    }

    /// The first bytes of the stream (at least `size` unless it is shorter),
    /// before any is cut: for sniffing the delimiter.
    pub fn peek(&mut self, size: usize) -> io::Result<&[u8]> {
        while self.buffer.len() < size && !self.finished {
            self.fill(size)?;
        }
        Ok(&self.buffer)
    }

    /// Sets the delimiter; only before anything is cut.
    pub fn set_delimiter(&mut self, delimiter: u8) {
        self.delimiter = delimiter;
    }

    /// Drops a UTF-8 byte order mark at the start of the stream.
    pub fn skip_bom(&mut self) -> io::Result<()> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        if self.peek(BOM.len())?.starts_with(BOM) {
            self.buffer.drain(..BOM.len());
            self.consumed += BOM.len() as u64;
        }
        Ok(())
    }

    /// The next piece: whole records up to the first end of a record at or
    /// after `size` bytes, or the rest of the stream at its end; `None` when
    /// nothing is left.
    pub fn next_piece(&mut self, size: usize) -> io::Result<Option<TextPiece>> {
        self.piece(size, false)
    }

    /// [`Cutter::next_piece`], but ending at the first end of a record
    /// `SLACK` bytes (4 KB) short of what has been read by then, if that is
    /// further: so that little is left to move to the next piece's buffer.
    pub fn next_full_piece(&mut self, size: usize) -> io::Result<Option<TextPiece>> {
        self.piece(size, true)
    }

    fn piece(&mut self, size: usize, fill_up: bool) -> io::Result<Option<TextPiece>> {
        let size = size.max(1);
        let mut target = None;
        loop {
            if fill_up && target.is_none() && self.buffer.len() >= size {
                target = Some(size.max(self.buffer.len().saturating_sub(self.slack)));
            }
            let size = target.unwrap_or(size);
            self.scan(size);
            if self.last_end >= size || (self.last_end > 0 && self.finished) {
                return Ok(Some(self.cut(self.last_end)));
            }
            if self.finished {
                if self.buffer.is_empty() {
                    return Ok(None);
                }
                if self.state == State::Quoted {
                    self.open_quote = Some(OpenQuote {
                        line: self.line,
                        lines: newlines(&self.buffer),
                    });
                }
                return Ok(Some(self.cut(self.buffer.len())));
            }
            self.fill(size)?;
        }
    }

    /// The record whose quote was left open, once the stream is cut to its end.
    pub fn open_quote(&self) -> Option<OpenQuote> {
        self.open_quote
    }

    /// Bytes cut off so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Reads up to `size` more bytes into the buffer (up to 64 KB at least,
    /// so that a long first record is not read a byte at a time).
    fn fill(&mut self, size: usize) -> io::Result<()> {
        let size = size.max(MIN_READ);
        let start = self.buffer.len();
        self.buffer.resize(start + size, 0);
        let read = loop {
            match self.input.read(&mut self.buffer[start..]) {
                Ok(read) => break read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => {
                    self.buffer.truncate(start);
                    return Err(error);
                }
            }
        };
        self.buffer.truncate(start + read);
        self.finished = read == 0;
        Ok(())
    }

    /// Scans for ends of records, up to the first at or after `size` bytes.
    fn scan(&mut self, size: usize) {
        let bytes = &self.buffer[..];
        let mut at = self.scanned;
        if self.state == State::Outside {
            // Up to the next quote every line end is a record end: find the
            // one wanted there without looking at every line (most files
            // have no quotes at all).
            let quote = memchr::memchr(b'"', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            let from = at.max(size.saturating_sub(1)).min(quote);
            if let Some(end) = memchr::memchr2(b'\n', b'\r', &bytes[from..quote]) {
                self.last_end = from + end + 1;
                self.scanned = self.last_end;
                return;
            }
            if let Some(end) = memchr::memrchr2(b'\n', b'\r', &bytes[at..from]) {
                self.last_end = at + end + 1;
            }
            at = quote;
        }
        while at < bytes.len() {
            match self.state {
                State::Outside => match memchr::memchr3(b'"', b'\n', b'\r', &bytes[at..]) {
                    None => at = bytes.len(),
                    Some(found) => {
                        let found = at + found;
                        at = found + 1;
                        if bytes[found] != b'"' {
                            self.last_end = at;
                            if at >= size {
                                break;
                            }
                        } else if found == 0
                            || matches!(bytes[found - 1], b'\n' | b'\r')
                            || bytes[found - 1] == self.delimiter
                        {
                            self.state = State::Quoted;
                        }
                    }
                },
                State::Quoted => match memchr::memchr(b'"', &bytes[at..]) {
                    None => at = bytes.len(),
                    Some(found) => {
                        at += found + 1;
                        self.state = State::AfterQuote;
                    }
                },
                State::AfterQuote => {
                    if bytes[at] == b'"' {
                        at += 1;
                        self.state = State::Quoted;
                    } else {
                        self.state = State::Outside;
                    }
                }
            }
        }
        self.scanned = at;
    }

    /// Cuts off the first `end` bytes of the buffer as a piece.
    fn cut(&mut self, end: usize) -> TextPiece {
        let rest = self.buffer[end..].to_vec();
        self.buffer.truncate(end);
        let bytes = std::mem::replace(&mut self.buffer, rest);
        let piece = TextPiece {
            first_line: self.line,
            bytes,
        };
        self.line += newlines(&piece.bytes);
        self.consumed += end as u64;
        self.scanned -= end;
        self.last_end = 0;
        piece
    }
}

/// The number of newlines in `bytes`.
fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use super::super::split::tests::Lines;

    /// Every record of `text` with its line, as the csv crate reads it whole.
    fn whole(text: &[u8]) -> Lines {
        records(text, 1)
    }

    fn records(text: &[u8], first_line: u64) -> Lines {
        let mut out = super::super::split::tests::by_csv(text);
        for (line, _) in &mut out {
            *line += first_line - 1;
        }
        out
    }

    /// Every record of `text` read piece by piece, cut at `size` bytes
    /// from a reader that gives at most `step` bytes at a time.
    fn cut(text: &[u8], size: usize, step: usize) -> (Lines, Option<OpenQuote>) {
        cut_full(text, size, step, None)
    }

    /// [`cut`], with full pieces ending `slack` bytes short of what was read.
    fn cut_full(
        text: &[u8],
        size: usize,
        step: usize,
        slack: Option<usize>,
    ) -> (Lines, Option<OpenQuote>) {
        let mut cutter = Cutter::new(Trickle { text, step }, b',');
        cutter.slack = slack.unwrap_or(SLACK);
        let mut out = Vec::new();
        let next = |cutter: &mut Cutter<_>| match slack {
            Some(_) => cutter.next_full_piece(size),
            None => cutter.next_piece(size),
        };
        while let Some(piece) = next(&mut cutter).expect("reading a slice") {
            assert!(!piece.bytes.is_empty());
            out.extend(records(&piece.bytes, piece.first_line));
        }
        (out, cutter.open_quote())
    }

    /// A reader that gives a few bytes at a time, as a pipe may.
    struct Trickle<'a> {
        text: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.text.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    #[test]
    fn newlines_in_quoted_cells_do_not_cut() {
        let text = b"a,\"b\nc\",d\ne,f\n\"g\"\"\n\",h";
        let (records, open) = cut(text, 1, 3);
        assert_eq!(records, whole(text));
        assert_eq!(records.len(), 3);
        assert_eq!(records[2].0, 4);
        assert_eq!(open, None);
    }

    #[test]
    fn rows_are_numbered_by_their_own_line_after_blank_lines() {
        let text = b"a\n\n\r\nb\n";
        assert_eq!(whole(text)[1].0, 4);
        assert_eq!(cut(text, 1, 1).0, whole(text));
    }

    #[test]
    fn a_long_first_record_is_read_in_blocks() {
        /// Remembers how many bytes each read asked for.
        struct Asked<'a>(&'a [u8], Vec<usize>);
        impl Read for Asked<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.1.push(buf.len());
                self.0.read(buf)
            }
        }
        let text = format!("a,\"{}\"\nb\n", "x".repeat(300_000));
        let mut input = Asked(text.as_bytes(), Vec::new());
        let mut cutter = Cutter::new(&mut input, b',');
        let first = cutter.next_piece(1).expect("read").expect("a piece");
        assert_eq!(first.bytes.len(), text.len() - 2);
        assert!(
            input.1.iter().all(|&asked| asked >= MIN_READ),
            "{:?}",
            input.1
        );
    }

    #[test]
    fn lines_ended_by_carriage_returns_alone_are_cut_too() {
        let text = b"a,b\rc,d\re,f\r";
        let mut cutter = Cutter::new(Trickle { text, step: 64 }, b',');
        let mut pieces = 0;
        while cutter.next_piece(1).expect("reading a slice").is_some() {
            pieces += 1;
        }
        assert_eq!(pieces, 3);
        assert_eq!(cut(text, 1, 2).0, whole(text));
    }

    #[test]
    fn a_quote_inside_an_unquoted_cell_is_text() {
        let text = b"a,b\"c\nd,e\n";
        assert_eq!(cut(text, 1, 64).0, whole(text));
        assert_eq!(whole(text).len(), 2);
    }

    #[test]
    fn an_open_quote_is_found_with_its_line_and_what_it_swallowed() {
        let text = b"a,b\nc,\"d\ne\nf\n";
        let (records, open) = cut(text, 1, 5);
        assert_eq!(records, whole(text));
        assert_eq!(open, Some(OpenQuote { line: 2, lines: 3 }));
    }

    proptest! {
        #[test]
        fn pieces_read_as_the_whole_text_does(
            text in proptest::collection::vec(
                prop_oneof![Just(b'a'), Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b' ')],
                0..200,
            ),
            size in 1usize..40,
            step in 1usize..50,
            slack in proptest::option::of(0usize..60),
        ) {
            let (records, open) = cut_full(&text, size, step, slack);
            prop_assert_eq!(records, whole(&text));
            prop_assert_eq!(open, cut(&text, size, step).1);
        }
    }
}
