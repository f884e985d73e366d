//! CSV input: any delimiter (sniffed from the header line, or given), UTF-8
//! with or without a BOM, quoted cells, streamed.
//!
//! The csv crate reads an unterminated quote as one cell holding the rest of
//! the file, silently. So when the file ends, the last record's raw text is
//! read again: an odd number of quotes in it means its quote was never
//! closed, and that is reported with the number of lines it swallowed.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::sync::Arc;

use csv::{ByteRecord, ReaderBuilder};

use super::errors::{DataError, Place, RowUnit};
use super::{RawCells, RawRecord, Source, unreadable};

/// The delimiters sniffed for, most common first.
const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// A CSV file being read.
pub struct CsvSource {
    file: Arc<str>,
    reader: csv::Reader<BufReader<Box<dyn Read + Send>>>,
    columns: Vec<String>,
    size: Option<u64>,
    /// Byte offset and line of the last record read.
    last: Option<(u64, u64)>,
    finished: bool,
}

impl CsvSource {
    /// Opens `file` (`-` for stdin) and reads its header.
    pub fn open(file: Arc<str>, delimiter: Option<u8>) -> Result<CsvSource, DataError> {
        let (input, size): (Box<dyn Read + Send>, Option<u64>) = if &*file == "-" {
            (Box::new(std::io::stdin()), None)
        } else {
            let opened = File::open(&*file).map_err(|e| unreadable(&file, e))?;
            let size = opened.metadata().ok().map(|m| m.len());
            (Box::new(opened), size)
        };
        let mut buffered = BufReader::with_capacity(1 << 16, input);
        let delimiter = match delimiter {
            Some(d) => d,
            None => sniff(buffered.fill_buf().map_err(|e| unreadable(&file, e))?),
        };
        let mut reader = ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(buffered);
        let headers = reader.byte_headers().map_err(|e| unreadable(&file, e))?;
        let columns = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let text = String::from_utf8_lossy(h);
                let text = if i == 0 {
                    text.trim_start_matches('\u{FEFF}')
                } else {
                    &text
                };
                text.to_owned()
            })
            .collect();
        Ok(CsvSource {
            file,
            reader,
            columns,
            size,
            last: None,
            finished: false,
        })
    }

    /// After the last record: was its quote left open?
    fn unterminated_quote(&self) -> Option<DataError> {
        let (byte, line) = self.last?;
        if &*self.file == "-" {
            return None;
        }
        let mut file = File::open(&*self.file).ok()?;
        file.seek(SeekFrom::Start(byte)).ok()?;
        let mut tail = Vec::new();
        file.read_to_end(&mut tail).ok()?;
        let quotes = tail.iter().filter(|&&b| b == b'"').count();
        (quotes % 2 == 1).then(|| DataError::UnterminatedQuote {
            at: self.place().at(line),
            lines: tail.iter().filter(|&&b| b == b'\n').count() as u64,
        })
    }
}

/// The delimiter that occurs most often in the first line, outside quotes
/// (a comma when none does).
fn sniff(head: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
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

    fn place(&self) -> Place {
        Place {
            file: Arc::clone(&self.file),
            sheet: None,
            unit: RowUnit::Line,
        }
    }

    fn read(
        &mut self,
        max: usize,
        out: &mut Vec<RawRecord>,
        problems: &mut Vec<DataError>,
    ) -> Result<usize, DataError> {
        let mut count = 0;
        while count < max && !self.finished {
            if out.len() <= count {
                out.push(RawRecord {
                    row: 0,
                    cells: RawCells::Text(ByteRecord::new()),
                });
            }
            let slot = &mut out[count];
            if !matches!(slot.cells, RawCells::Text(_)) {
                slot.cells = RawCells::Text(ByteRecord::new());
            }
            let RawCells::Text(record) = &mut slot.cells else {
                continue;
            };
            match self.reader.read_byte_record(record) {
                Ok(true) => {
                    let position = record.position().map_or((0, 0), |p| (p.byte(), p.line()));
                    slot.row = position.1;
                    self.last = Some(position);
                    count += 1;
                }
                Ok(false) => {
                    self.finished = true;
                    problems.extend(self.unterminated_quote());
                }
                Err(error) => return Err(unreadable(&self.file, error)),
            }
        }
        out.truncate(count);
        Ok(count)
    }

    fn progress(&self) -> (u64, Option<u64>) {
        (self.reader.position().byte(), self.size)
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
    }
}
