//! JSON input: an array of objects, or JSON Lines (one object per line),
//! streamed one record at a time. Numbers keep their exact digits
//! (`0.1` is 0.1, not the nearest binary fraction).

use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

use serde_json::Value;

use super::errors::{DataError, Place, RowUnit, quoted};
use super::{Deferred, RawCells, RawRecord, Source, unreadable};

/// How the records are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `[ {...}, {...} ]`
    Array,
    /// `{...}` on each line.
    Lines,
}

/// A JSON or JSON Lines file being read.
pub struct JsonSource {
    file: Arc<str>,
    layout: Layout,
    input: BufReader<Box<dyn Read + Send>>,
    columns: Vec<String>,
    /// The records read early, the first object among them for its keys.
    pending: Vec<RawRecord>,
    /// Problems met while reading them, for the first read.
    early: Vec<DataError>,
    /// An error that stopped the file after records that are kept.
    stopped: Deferred,
    /// Records (array) or lines (JSON Lines) read so far.
    count: u64,
    /// Bytes read so far, and the file size.
    read_bytes: u64,
    size: Option<u64>,
    /// For arrays: whether the opening `[` was read, and whether `]` was.
    started: bool,
    finished: bool,
    line: Vec<u8>,
}

/// Lines read at most to find the first object (its keys name the columns).
const FIRST_OBJECT_WITHIN: usize = 1000;

impl JsonSource {
    /// Opens `file` and reads its first record for the column names.
    pub fn open(
        file: Arc<str>,
        layout: Layout,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> Result<JsonSource, DataError> {
        let text = super::encoding::open(&file, encoding)?;
        let size = text.size;
        let mut source = JsonSource {
            file,
            layout,
            input: BufReader::with_capacity(1 << 16, text.reader),
            columns: Vec::new(),
            pending: Vec::new(),
            early: Vec::new(),
            stopped: Deferred::default(),
            count: 0,
            read_bytes: 0,
            size,
            started: false,
            finished: false,
            line: Vec::new(),
        };
        // Records up to the first object, whose keys name the columns; a
        // line before it that is not one is reported with the first read.
        let mut early = Vec::new();
        let mut first = Vec::new();
        while source.columns.is_empty() && !source.finished && early.len() < FIRST_OBJECT_WITHIN {
            if source.next_records(1, &mut first, &mut early)? == 0 {
                continue;
            }
            if let Some(RawCells::Json(object)) = first.last().map(|r| &r.cells) {
                source.columns = object.keys().cloned().collect();
            }
            source.pending.append(&mut first);
        }
        source.early = early;
        Ok(source)
    }

    fn next_records(
        &mut self,
        max: usize,
        out: &mut Vec<RawRecord>,
        problems: &mut Vec<DataError>,
    ) -> Result<usize, DataError> {
        out.clear();
        out.append(&mut self.pending);
        problems.append(&mut self.early);
        if let Some(result) = self.stopped.pending(out.len()) {
            return result;
        }
        while out.len() < max && !self.finished {
            let element = match self.layout {
                Layout::Lines => self.next_line(),
                Layout::Array => self.next_element(),
            };
            let text = match element {
                Ok(Some(text)) => text,
                Ok(None) => {
                    self.finished = true;
                    break;
                }
                // What was read before the error is kept and scored.
                Err(error) => {
                    self.finished = true;
                    self.stopped.defer(error, out.len())?;
                    break;
                }
            };
            self.count += 1;
            match serde_json::from_slice::<Object>(&text) {
                Ok(Object { map, repeated }) => {
                    for (key, first) in repeated {
                        let last = map.get(&key).map(Value::to_string).unwrap_or_default();
                        problems.push(self.malformed(format!(
                            "key `{key}` is given twice ({} and {}); the record is scored with the last",
                            quoted(&first.to_string()),
                            quoted(&last)
                        )));
                    }
                    out.push(RawRecord {
                        row: self.count,
                        cells: RawCells::Json(map),
                    });
                }
                Err(error) => problems.push(self.malformed(
                    match serde_json::from_slice::<Value>(&text) {
                        Ok(other) => format!("expected an object {{...}}, found {}", kind(&other)),
                        Err(_) => format!("not valid JSON: {error}"),
                    },
                )),
            }
        }
        Ok(out.len())
    }

    fn malformed(&self, message: String) -> DataError {
        DataError::Malformed {
            at: self.place().at(self.count),
            message,
        }
    }

    /// The next non-blank line.
    fn next_line(&mut self) -> Result<Option<Vec<u8>>, DataError> {
        loop {
            self.line.clear();
            let read = self
                .input
                .read_until(b'\n', &mut self.line)
                .map_err(|e| unreadable(&self.file, e))?;
            if read == 0 {
                return Ok(None);
            }
            self.read_bytes += read as u64;
            // Bytes, not text: a line that is not UTF-8 is one bad record.
            if !self.line.iter().all(u8::is_ascii_whitespace) {
                return Ok(Some(std::mem::take(&mut self.line)));
            }
            // A blank line is no record, but it is a line.
            self.count += 1;
        }
    }

    /// The bytes of the next element of the top-level array.
    fn next_element(&mut self) -> Result<Option<Vec<u8>>, DataError> {
        let mut element = Vec::new();
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            let buffer = self
                .input
                .fill_buf()
                .map_err(|e| unreadable(&self.file, e))?;
            if buffer.is_empty() {
                if !self.started || depth > 0 || in_string || !element.is_empty() {
                    return Err(DataError::Malformed {
                        at: self.place().at(self.count + 1),
                        message: "the file ends inside the array; expected `]`".to_owned(),
                    });
                }
                return Ok(None);
            }
            let mut used = 0;
            let mut done = None;
            for &b in buffer {
                used += 1;
                if !self.started {
                    match b {
                        b'[' => self.started = true,
                        b if b.is_ascii_whitespace() || b == 0xEF || b == 0xBB || b == 0xBF => {}
                        _ => {
                            done = Some(Err(()));
                            break;
                        }
                    }
                    continue;
                }
                if in_string {
                    element.push(b);
                    match (escaped, b) {
                        (true, _) => escaped = false,
                        (false, b'\\') => escaped = true,
                        (false, b'"') => in_string = false,
                        _ => {}
                    }
                    continue;
                }
                match b {
                    b'"' => {
                        in_string = true;
                        element.push(b);
                    }
                    b'{' | b'[' => {
                        depth += 1;
                        element.push(b);
                    }
                    b'}' | b']' if depth > 0 => {
                        depth -= 1;
                        element.push(b);
                    }
                    b']' => {
                        done = Some(Ok(true));
                        break;
                    }
                    b',' if depth == 0 => {
                        done = Some(Ok(false));
                        break;
                    }
                    _ => element.push(b),
                }
            }
            self.input.consume(used);
            self.read_bytes += used as u64;
            match done {
                Some(Err(())) => {
                    return Err(DataError::Malformed {
                        at: self.place().at(1),
                        message: "expected a JSON array `[ {...}, ... ]` of records".to_owned(),
                    });
                }
                Some(Ok(end)) => {
                    let blank = element.iter().all(u8::is_ascii_whitespace);
                    if end {
                        self.finished = true;
                        if let Some(after) = self.text_after_end()? {
                            self.stopped.keep(DataError::Malformed {
                                at: self.place().at((self.count + u64::from(!blank)).max(1)),
                                message: format!(
                                    "the array is closed by `]` after this record, but text follows: `{after}`"
                                ),
                            });
                        }
                        return Ok((!blank).then_some(element));
                    }
                    if !blank {
                        return Ok(Some(element));
                    }
                    element.clear();
                }
                None => {}
            }
        }
    }
}

impl JsonSource {
    /// The first bytes after the array's closing `]` that are not
    /// whitespace, if there are any.
    fn text_after_end(&mut self) -> Result<Option<String>, DataError> {
        loop {
            let buffer = self
                .input
                .fill_buf()
                .map_err(|e| unreadable(&self.file, e))?;
            if buffer.is_empty() {
                return Ok(None);
            }
            if let Some(start) = buffer.iter().position(|b| !b.is_ascii_whitespace()) {
                let shown = String::from_utf8_lossy(&buffer[start..buffer.len().min(start + 20)]);
                return Ok(Some(shown.into_owned()));
            }
            let used = buffer.len();
            self.input.consume(used);
        }
    }
}

/// A JSON object as read, with the keys it gives more than once (and the
/// first value of each): serde_json's own map keeps the last silently.
struct Object {
    map: serde_json::Map<String, Value>,
    repeated: Vec<(String, Value)>,
}

impl<'de> serde::Deserialize<'de> for Object {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Object;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut access: A,
            ) -> Result<Object, A::Error> {
                let mut object = Object {
                    map: serde_json::Map::new(),
                    repeated: Vec::new(),
                };
                while let Some((key, value)) = access.next_entry::<String, Value>()? {
                    if let Some(first) = object.map.insert(key.clone(), value) {
                        object.repeated.push((key, first));
                    }
                }
                Ok(object)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Source for JsonSource {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn keyed(&self) -> bool {
        true
    }

    fn place(&self) -> Place {
        Place {
            file: Arc::clone(&self.file),
            sheet: None,
            unit: match self.layout {
                Layout::Array => RowUnit::Record,
                Layout::Lines => RowUnit::Line,
            },
        }
    }

    fn read(
        &mut self,
        max: usize,
        out: &mut Vec<RawRecord>,
        problems: &mut Vec<DataError>,
    ) -> Result<usize, DataError> {
        self.next_records(max, out, problems)
    }

    fn progress(&self) -> (u64, Option<u64>) {
        (self.read_bytes, self.size)
    }
}
