//! The text encoding of a CSV or JSON file (SPEC §2): UTF-8 with or without
//! a byte order mark, UTF-16 with one, and GB18030 (which GBK is a part of:
//! what Excel and WPS on Chinese Windows save as "CSV"), told from the bytes;
//! or any encoding named with `--encoding`.
//!
//! The first [`SAMPLE`] bytes decide: a byte order mark names the encoding;
//! else text that is valid UTF-8 is UTF-8, and anything else is what
//! `chardetng` (the detector Firefox uses) guesses, when it is GB18030 or
//! Big5 and the sample decodes without a fault. A sample valid in none of
//! them is one data error naming the problem — never columns with garbled
//! names. UTF-8 text is read as it is (no decoding pass); other text is
//! decoded to UTF-8 as it streams, by `encoding_rs`. A byte sequence the
//! encoding does not allow, further on, becomes a byte that is never UTF-8,
//! so the cell holding it is a data error with its row and column, not a
//! silently replaced character.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::sync::Arc;

use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, UTF_8};

use super::errors::{DataError, NotText};
use super::unreadable;

/// Bytes looked at to tell the encoding.
pub const SAMPLE: usize = 64 * 1024;

/// A byte that is never part of UTF-8, put where the input had a sequence
/// its encoding does not allow.
const NOT_TEXT: u8 = 0xFF;

/// A text file opened for reading as UTF-8, whatever its encoding.
pub struct Text {
    /// The text, as UTF-8 (but for bytes the encoding did not allow).
    pub reader: Box<dyn Read + Send>,
    /// The encoding it was read in.
    pub encoding: &'static Encoding,
    /// The file's size in bytes, when known.
    pub size: Option<u64>,
}

/// An encoding named on the command line (`gbk`, `gb18030`, `utf-16le`,
/// `big5`...: the WHATWG labels), or `None` when it names none.
pub fn named(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// Opens `file` (`-` for stdin) as text in `forced`, or in the encoding its
/// bytes show.
pub fn open(file: &Arc<str>, forced: Option<&'static Encoding>) -> Result<Text, DataError> {
    let (mut input, size): (Box<dyn Read + Send>, Option<u64>) = if &**file == "-" {
        (Box::new(io::stdin()), None)
    } else {
        let opened = File::open(&**file).map_err(|e| unreadable(file, e))?;
        if opened.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(unreadable(file, "it is a directory"));
        }
        let size = opened.metadata().ok().map(|m| m.len());
        (Box::new(opened), size)
    };
    let mut sample = Vec::with_capacity(SAMPLE);
    (&mut input)
        .take(SAMPLE as u64)
        .read_to_end(&mut sample)
        .map_err(|e| unreadable(file, e))?;
    let whole = sample.len() < SAMPLE;
    let bom = Encoding::for_bom(&sample);
    let encoding = match (forced, bom) {
        (Some(encoding), _) => encoding,
        (None, Some((encoding, _))) => encoding,
        (None, None) => detect(&sample, whole).map_err(|problem| DataError::Encoding {
            file: Arc::clone(file),
            problem,
        })?,
    };
    // A byte order mark of the encoding read is not text.
    let skip = match bom {
        Some((bom_encoding, length)) if bom_encoding == encoding => length,
        _ => 0,
    };
    sample.drain(..skip);
    let rest = Cursor::new(sample).chain(input);
    let reader: Box<dyn Read + Send> = if encoding == UTF_8 {
        Box::new(rest)
    } else {
        Box::new(Decoding::new(rest, encoding))
    };
    Ok(Text {
        reader,
        encoding,
        size,
    })
}

/// The encoding of a sample without a byte order mark, or what is wrong.
/// `whole` says the sample is the whole file.
fn detect(sample: &[u8], whole: bool) -> Result<&'static Encoding, NotText> {
    match std::str::from_utf8(sample) {
        Ok(_) => return Ok(UTF_8),
        // Cut inside a character at the end of the sample: still UTF-8.
        Err(error) if error.error_len().is_none() && !whole => return Ok(UTF_8),
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, whole);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // GBK is the part of GB18030 that Windows writes; one decoder reads both.
    let guess = if guess == encoding_rs::GBK {
        GB18030
    } else {
        guess
    };
    let candidates = [guess, GB18030, BIG5];
    let supported = |e: &&'static Encoding| *e == GB18030 || *e == BIG5;
    if let Some(encoding) = candidates
        .into_iter()
        .filter(supported)
        .find(|encoding| decodes(encoding, sample, whole))
    {
        return Ok(encoding);
    }
    let (line, byte) = utf8_fault(sample);
    let told = supported(&guess) || guess == UTF_8;
    Err(NotText {
        line,
        byte,
        looks_like: (!told).then(|| guess.name()),
    })
}

/// Whether `sample` decodes in `encoding` without a fault (a character cut
/// at the end of a sample that is not the whole file is no fault).
fn decodes(encoding: &'static Encoding, sample: &[u8], whole: bool) -> bool {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = vec![0u8; decoder.max_utf8_buffer_length(sample.len()).unwrap_or(0)];
    let (result, _, _) = decoder.decode_to_utf8_without_replacement(sample, &mut out, whole);
    matches!(result, DecoderResult::InputEmpty)
}

/// Where UTF-8 first goes wrong in `sample`: the line and the byte.
fn utf8_fault(sample: &[u8]) -> (usize, u8) {
    let offset = std::str::from_utf8(sample)
        .err()
        .map_or(0, |error| error.valid_up_to());
    let line = 1 + memchr::memchr_iter(b'\n', &sample[..offset]).count();
    (line, sample.get(offset).copied().unwrap_or(0))
}

/// Text in another encoding read as UTF-8, as it streams.
struct Decoding<R> {
    input: R,
    decoder: encoding_rs::Decoder,
    /// Bytes read and not yet decoded: `pending[start..end]`.
    pending: Vec<u8>,
    start: usize,
    end: usize,
    /// Decoded bytes not yet handed out: `decoded[out_start..out_end]`.
    decoded: Vec<u8>,
    out_start: usize,
    out_end: usize,
    input_done: bool,
    finished: bool,
}

impl<R: Read> Decoding<R> {
    fn new(input: R, encoding: &'static Encoding) -> Self {
        Decoding {
            input,
            decoder: encoding.new_decoder_with_bom_removal(),
            pending: vec![0; SAMPLE],
            start: 0,
            end: 0,
            decoded: vec![0; SAMPLE * 3 + 16],
            out_start: 0,
            out_end: 0,
            input_done: false,
            finished: false,
        }
    }

    /// Decodes the next stretch of input into `decoded`.
    fn decode_more(&mut self) -> io::Result<()> {
        if self.start == self.end && !self.input_done {
            self.start = 0;
            self.end = self.input.read(&mut self.pending)?;
            self.input_done = self.end == 0;
        }
        let last = self.input_done;
        let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
            &self.pending[self.start..self.end],
            &mut self.decoded,
            last,
        );
        self.start += read;
        self.out_start = 0;
        self.out_end = written;
        match result {
            DecoderResult::InputEmpty => self.finished = last,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(..) => {
                // `decoded` always has room: it holds three times the input.
                if let Some(slot) = self.decoded.get_mut(written) {
                    *slot = NOT_TEXT;
                    self.out_end += 1;
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.out_start == self.out_end {
            if self.finished || out.is_empty() {
                return Ok(0);
            }
            self.decode_more()?;
        }
        let n = out.len().min(self.out_end - self.out_start);
        out[..n].copy_from_slice(&self.decoded[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8], encoding: &'static Encoding) -> Vec<u8> {
        let mut out = Vec::new();
        Decoding::new(bytes, encoding)
            .read_to_end(&mut out)
            .expect("reading memory");
        out
    }

    #[test]
    fn gbk_text_is_told_and_decoded() {
        let text = "受檢科室,科室類型,辦公區綠化率\n辦公室,行政,36.5%\n";
        let (bytes, _, unmappable) = GB18030.encode(text);
        assert!(!unmappable);
        assert_eq!(detect(&bytes, true), Ok(GB18030));
        assert_eq!(read_all(&bytes, GB18030), text.as_bytes());
    }

    #[test]
    fn utf8_text_is_utf8_even_cut_inside_a_character() {
        let text = "受檢科室".as_bytes();
        assert_eq!(detect(text, true), Ok(UTF_8));
        assert_eq!(detect(&text[..4], false), Ok(UTF_8));
    }

    #[test]
    fn bytes_valid_in_no_encoding_are_refused() {
        let problem = detect(b"a,b\n\xFF\xFE\xFF\x00\x80", true)
            .expect_err("not text")
            .to_string();
        assert!(problem.starts_with("line 2 "), "{problem}");
        assert!(problem.contains("its byte 0xFF"), "{problem}");
    }

    #[test]
    fn a_fault_further_on_is_a_byte_that_is_never_utf8() {
        let mut bytes = GB18030.encode("科室,").0.into_owned();
        bytes.extend_from_slice(b"\x81,x\n");
        let out = read_all(&bytes, GB18030);
        let mut expected = "科室,".as_bytes().to_vec();
        expected.push(NOT_TEXT);
        expected.extend_from_slice(b",x\n");
        assert_eq!(out, expected);
        assert!(std::str::from_utf8(&out).is_err());
    }

    #[test]
    fn decoding_streams_through_small_reads() {
        let text = "單位,分數\n".repeat(10_000);
        let (bytes, _, _) = GB18030.encode(&text);
        let mut reader = Decoding::new(&bytes[..], GB18030);
        let mut out = Vec::new();
        let mut buffer = [0u8; 7];
        loop {
            let n = reader.read(&mut buffer).expect("reading memory");
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buffer[..n]);
        }
        assert_eq!(out, text.as_bytes());
    }
}
