//! Byte offsets of a text and the positions editors speak in: a line and a
//! character counted in UTF-16 code units, as the Language Server Protocol
//! requires (a Chinese character is one unit, an emoji two).

/// A place in a text as an editor names it: 0-based line, and 0-based
/// character counted in UTF-16 code units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The line, from 0.
    pub line: u32,
    /// The UTF-16 code unit within the line, from 0.
    pub character: u32,
}

/// Where each line of a text starts, to turn offsets into positions and back.
#[derive(Clone, Debug)]
pub struct Lines {
    /// The byte offset of each line's start; the first is 0.
    starts: Vec<usize>,
}

impl Lines {
    /// The lines of `text`, split at `\n` (a `\r` before it stays on the line).
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        Lines { starts }
    }

    /// The position of byte `offset` of `text` (clamped to the text, and
    /// back to the start of a character it falls inside).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let character = text[start..offset].encode_utf16().count();
        Position {
            line: line as u32,
            character: character as u32,
        }
    }

    /// The byte offset of `position` in `text`: a character past the end of
    /// its line is the line's end, a line past the last is the text's end, and
    /// a position inside a surrogate pair is the start of its character.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |&next| next - 1);
        let mut units = 0;
        for (at, c) in text[start..end].char_indices() {
            units += c.len_utf16() as u32;
            if units > position.character {
                return start + at;
            }
        }
        end
    }
}

/// The largest character boundary of `text` at or before `offset`.
fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_astral_characters_count_in_utf16_units() {
        let text = "rule A1 \"綠化😀率\" {\n  when 是否 == true\n}";
        let lines = Lines::new(text);
        let rate = text.find('率').unwrap();
        // `rule A1 "` is 9 units, 綠化 2, the emoji 2.
        assert_eq!(
            lines.position(text, rate),
            Position {
                line: 0,
                character: 13
            }
        );
        assert_eq!(
            lines.offset(
                text,
                Position {
                    line: 0,
                    character: 13
                }
            ),
            rate
        );
        // Inside the surrogate pair: the emoji's start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(
            lines.offset(
                text,
                Position {
                    line: 0,
                    character: 12
                }
            ),
            emoji
        );
        let field = text.find("是否").unwrap();
        assert_eq!(
            lines.position(text, field),
            Position {
                line: 1,
                character: 7
            }
        );
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "a\nbc";
        let lines = Lines::new(text);
        let far = Position {
            line: 0,
            character: 99,
        };
        assert_eq!(lines.offset(text, far), 1);
        let below = Position {
            line: 9,
            character: 0,
        };
        assert_eq!(lines.offset(text, below), 4);
        assert_eq!(
            lines.position(text, 99),
            Position {
                line: 1,
                character: 2
            }
        );
    }

    #[test]
    fn every_offset_round_trips_through_its_position() {
        let text = "甲 = 1 # 註😀\n\r\nrule 乙: 甲 > 0\n";
        let lines = Lines::new(text);
        for (offset, _) in text.char_indices() {
            let position = lines.position(text, offset);
            assert_eq!(lines.offset(text, position), offset, "at {offset}");
        }
    }
}
