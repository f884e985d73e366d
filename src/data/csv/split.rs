//! Splitting a piece of CSV text into records and cells.
//!
//! Most lines hold no quote and no stray carriage return: they are kept
//! whole, their cells being what lies between delimiters, found as the
//! schema types the line (or when a cell is asked for). Any other
//! record is read by `csv_core`, the csv crate's own parser, from where the
//! record starts; the two are held to the csv crate reading the whole text
//! by a property test. Blank lines are skipped, as the csv crate skips them,
//! and each record is numbered by the line it starts on.

use csv_core::ReadRecordResult;

use super::cut::TextPiece;
use crate::data::{RawCells, RawRecord};

/// The cells of a CSV record: their bytes end to end, and where each ends;
/// or a plain line kept whole, whose cells are found when asked for (the
/// schema types such a line as it finds its delimiters, and nothing else
/// reads every cell of every record).
#[derive(Clone, Debug, Default)]
pub struct TextRecord {
    bytes: Vec<u8>,
    /// Empty for a line kept whole.
    ends: Vec<usize>,
    /// Bytes between one cell's end and the next one's start (a delimiter
    /// left in `bytes`, or none).
    gap: usize,
    /// The delimiter of a line kept whole.
    whole: Option<u8>,
}

impl TextRecord {
    /// The number of cells.
    pub fn len(&self) -> usize {
        match self.whole {
            Some(delimiter) => memchr::memchr_iter(delimiter, &self.bytes).count() + 1,
            None => self.ends.len(),
        }
    }

    /// Whether the record has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A plain line kept whole, and its delimiter: no quotes, no carriage
    /// returns, so its cells are exactly what lies between delimiters.
    pub fn plain_line(&self) -> Option<(&[u8], u8)> {
        self.whole.map(|delimiter| (&self.bytes[..], delimiter))
    }

    /// A cell's bytes.
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        if let Some(delimiter) = self.whole {
            let bytes = &self.bytes[..];
            let start = match index {
                0 => 0,
                _ => memchr::memchr_iter(delimiter, bytes).nth(index - 1)? + 1,
            };
            let end = memchr::memchr(delimiter, &bytes[start..]).map_or(bytes.len(), |i| start + i);
            return bytes.get(start..end);
        }
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] + self.gap,
        };
        self.bytes.get(start..end)
    }

    /// Every cell's bytes, in order (a whole line's split as they go).
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let whole = self
            .whole
            .map(|delimiter| self.bytes.split(move |&b| b == delimiter));
        let split = match whole {
            Some(_) => 0..0,
            None => 0..self.ends.len(),
        };
        whole
            .into_iter()
            .flatten()
            .chain(split.filter_map(|index| self.get(index)))
    }

    /// Keeps a line without quotes or carriage returns whole.
    fn keep_plain(&mut self, line: &[u8], delimiter: u8) {
        self.bytes.clear();
        self.bytes.extend_from_slice(line);
        self.ends.clear();
        self.whole = Some(delimiter);
    }
}

/// Splits pieces into records; one per worker thread, reused.
pub struct Splitter {
    /// Built when first needed: building it takes longer than splitting
    /// a thousand plain lines.
    core: Option<csv_core::Reader>,
    delimiter: u8,
    record: RawRecord,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::new(b',')
    }
}

impl Splitter {
    /// A splitter for cells separated by `delimiter`.
    pub fn new(delimiter: u8) -> Self {
        Splitter {
            core: None,
            delimiter,
            record: RawRecord {
                row: 0,
                cells: RawCells::Text(TextRecord::default()),
            },
        }
    }

    /// Calls `each` with every record of `piece`, in order.
    pub fn split(&mut self, piece: &TextPiece, delimiter: u8, mut each: impl FnMut(&RawRecord)) {
        if delimiter != self.delimiter {
            *self = Splitter::new(delimiter);
        }
        let bytes = &piece.bytes[..];
        // Most files have no quotes and no carriage returns at all: then
        // every line is a record kept whole (a blank one none), found by
        // one search over the piece.
        if memchr::memchr2(b'"', b'\r', bytes).is_none() {
            self.split_plain(bytes, piece.first_line, delimiter, each);
            return;
        }
        let mut line = piece.first_line;
        let mut at = 0;
        while at < bytes.len() {
            match bytes[at] {
                b'\n' => {
                    line += 1;
                    at += 1;
                    continue;
                }
                b'\r' => {
                    at += 1;
                    continue;
                }
                _ => {}
            }
            // Always text: `each` sees the record but cannot change it.
            let RawCells::Text(record) = &mut self.record.cells else {
                return;
            };
            self.record.row = line;
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            let content = &bytes[at..end];
            let content = content.strip_suffix(b"\r").unwrap_or(content);
            if memchr::memchr2(b'"', b'\r', content).is_none() {
                record.keep_plain(content, delimiter);
                at = end + 1;
                line += 1;
            } else {
                let core = self.core.get_or_insert_with(|| {
                    csv_core::ReaderBuilder::new().delimiter(delimiter).build()
                });
                // A record is at least its first byte, which is not a line end.
                let read = read_record(core, &bytes[at..], record).max(1);
                line += memchr::memchr_iter(b'\n', &bytes[at..at + read]).count() as u64;
                at += read;
            }
            each(&self.record);
        }
    }

    /// [`Splitter::split`] of text with no quotes and no carriage returns.
    fn split_plain(
        &mut self,
        bytes: &[u8],
        first_line: u64,
        delimiter: u8,
        mut each: impl FnMut(&RawRecord),
    ) {
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', bytes).chain([bytes.len()]);
        for (line, end) in (first_line..).zip(ends) {
            if end > start {
                // Always text: `each` sees the record but cannot change it.
                let RawCells::Text(record) = &mut self.record.cells else {
                    return;
                };
                record.keep_plain(&bytes[start..end], delimiter);
                self.record.row = line;
                each(&self.record);
            }
            start = end + 1;
        }
    }
}

/// Reads one record from the start of `input` with `csv_core` into
/// `record`; the bytes it took.
fn read_record(core: &mut csv_core::Reader, mut input: &[u8], record: &mut TextRecord) -> usize {
    core.reset();
    record.gap = 0;
    record.whole = None;
    record.bytes.resize(record.bytes.capacity().max(64), 0);
    record.ends.resize(record.ends.capacity().max(16), 0);
    let (mut written, mut ended, mut read) = (0, 0, 0);
    loop {
        let (result, taken, wrote, ends) = core.read_record(
            input,
            &mut record.bytes[written..],
            &mut record.ends[ended..],
        );
        input = &input[taken..];
        read += taken;
        written += wrote;
        ended += ends;
        match result {
            // The piece holds whole records: its end is the record's end.
            ReadRecordResult::InputEmpty => input = &[],
            ReadRecordResult::OutputFull => record.bytes.resize(record.bytes.len() * 2, 0),
            ReadRecordResult::OutputEndsFull => record.ends.resize(record.ends.len() * 2, 0),
            ReadRecordResult::Record | ReadRecordResult::End => break,
        }
    }
    record.bytes.truncate(written);
    record.ends.truncate(ended);
    read
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Records with the lines they start on.
    pub type Lines = Vec<(u64, Vec<Vec<u8>>)>;

    /// Every record of `text`, as the csv crate reads it, numbered by the
    /// line it starts on (the crate gives the line before the blank lines
    /// it skipped; they are stepped over here).
    pub fn by_csv(text: &[u8]) -> Lines {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut out = Vec::new();
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap_or(false) {
            let position = record.position().expect("a position");
            let mut line = position.line();
            for &byte in &text[position.byte() as usize..] {
                match byte {
                    b'\n' => line += 1,
                    b'\r' => {}
                    _ => break,
                }
            }
            out.push((line, record.iter().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    fn by_splitter(text: &[u8]) -> Lines {
        let piece = TextPiece {
            bytes: text.to_vec(),
            first_line: 1,
        };
        let mut out = Vec::new();
        Splitter::default().split(&piece, b',', |raw| {
            let RawCells::Text(record) = &raw.cells else {
                panic!("a CSV record");
            };
            out.push((raw.row, record.iter().map(<[u8]>::to_vec).collect()));
        });
        out
    }

    #[test]
    fn plain_and_quoted_records_alike() {
        let text = b"a,b\r\n\n\"c\"\"\nd\",e\nf\rg,h\n,\n";
        assert_eq!(by_splitter(text), by_csv(text));
        assert_eq!(
            by_splitter(text),
            vec![
                (1, vec![b"a".to_vec(), b"b".to_vec()]),
                (3, vec![b"c\"\nd".to_vec(), b"e".to_vec()]),
                (5, vec![b"f".to_vec()]),
                (5, vec![b"g".to_vec(), b"h".to_vec()]),
                (6, vec![vec![], vec![]]),
            ]
        );
    }

    proptest! {
        #[test]
        fn records_are_split_as_the_csv_crate_splits_them(
            text in proptest::collection::vec(
                prop_oneof![Just(b'a'), Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b' ')],
                0..200,
            ),
        ) {
            prop_assert_eq!(by_splitter(&text), by_csv(&text));
        }

        #[test]
        fn plain_text_is_split_as_the_csv_crate_splits_it(
            text in proptest::collection::vec(
                prop_oneof![Just(b'a'), Just(b','), Just(b'\n'), Just(b' ')],
                0..200,
            ),
        ) {
            prop_assert_eq!(by_splitter(&text), by_csv(&text));
        }
    }
}
