//! Reading one cell's text as a field's value (SPEC §2).
//!
//! Spreadsheets typed with a Chinese input method are taken as they come:
//! full-width digits, signs and letters (`３０％`, `２０１５年６月３０日`) and the
//! ideographic space are read as their ASCII forms; surrounding spaces are
//! ignored. Every rejection says what was expected.
//!
//! Over 600 lines only with its tests (about 180 lines); the reading itself,
//! every kind of value from a cell's text, is under 600.

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::check::model::FieldType;
use crate::suggest::closest;
use crate::value::{Cell, Value};

/// Why a cell's text does not fit its field. Small and cheap to return; the
/// words for a message are made only when one is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unfit {
    /// Blank in a required field.
    Blank,
    /// Text that does not read as the field's type.
    Unreadable,
    /// Bytes that are not text in the file's encoding.
    NotUtf8,
    /// A value of the wrong kind (a JSON list, a sheet's date in a number field...).
    WrongKind(&'static str),
}

impl Unfit {
    /// What the field takes, e.g. "a percent".
    pub fn expected(self, ty: &FieldType) -> String {
        match self {
            Unfit::Blank => "a value (the field is required)".to_owned(),
            Unfit::NotUtf8 => "text in the file's encoding".to_owned(),
            Unfit::Unreadable | Unfit::WrongKind(_) => match ty {
                FieldType::Bool => "true or false".to_owned(),
                FieldType::Count => "a count".to_owned(),
                FieldType::Number => "a number".to_owned(),
                FieldType::Percent => "a percent".to_owned(),
                FieldType::Date => "a date".to_owned(),
                FieldType::Text => "text".to_owned(),
                FieldType::OneOf(_) => "one of the listed values".to_owned(),
            },
        }
    }

    /// Advice: the accepted forms, or the choice closest to `text`.
    pub fn help(self, ty: &FieldType, text: &str) -> Option<String> {
        Some(match self {
            Unfit::Blank => {
                "fill it in, or mark the field optional with `?` in the standard".to_owned()
            }
            Unfit::NotUtf8 => "the cell has bytes its file's encoding (told from the file's first 64 KB, or named with `--encoding`) does not allow; save the file as UTF-8".to_owned(),
            Unfit::WrongKind(help) => help.to_owned(),
            Unfit::Unreadable => match ty {
                FieldType::Bool => "write true/false, yes/no, 是/否, 有/無, 1/0 or ✓/✗".to_owned(),
                FieldType::Count => "a count is a whole number, 0 or more".to_owned(),
                FieldType::Number => "write a number such as 12 or 12.5".to_owned(),
                FieldType::Percent => {
                    "write percentage points, such as 30, 30% or 30.5 %".to_owned()
                }
                FieldType::Date => {
                    "write a date as 2015-06-30, 2015/6/30 or 2015年6月30日".to_owned()
                }
                FieldType::Text => return None,
                FieldType::OneOf(choices) => {
                    let text = normalize(text);
                    match closest(text.trim(), choices.iter().map(String::as_str)) {
                        Some(choice) => format!("did you mean `{choice}`?"),
                        None => format!("the values are {}", choices.join(", ")),
                    }
                }
            },
        })
    }
}

/// The words a `bool` cell may hold, with their meaning.
const BOOL_WORDS: &[(&str, bool)] = &[
    ("true", true),
    ("false", false),
    ("yes", true),
    ("no", false),
    ("y", true),
    ("n", false),
    ("1", true),
    ("0", false),
    ("是", true),
    ("否", false),
    ("有", true),
    ("無", false),
    ("无", false),
    ("沒有", false),
    ("没有", false),
    ("✓", true),
    ("✗", false),
    ("✔", true),
    ("✘", false),
    ("√", true),
    ("×", false),
];

/// Reads `text` as a value of a field of type `ty`; blank text is `Blank`
/// for an optional field and an error for a required one.
pub fn read_cell(text: &str, ty: &FieldType, optional: bool) -> Result<Cell, Unfit> {
    let mut cell = Cell::Missing;
    read_cell_into(text, ty, optional, &mut cell).map(|()| cell)
}

/// [`read_cell`] into an existing cell, reusing a text cell's buffer: how
/// records are read, so that reading allocates nothing per record.
pub fn read_cell_into(
    text: &str,
    ty: &FieldType,
    optional: bool,
    cell: &mut Cell,
) -> Result<(), Unfit> {
    let normal;
    let text = if text.is_ascii() {
        text.trim_ascii()
    } else {
        normal = normalize(text);
        normal.trim()
    };
    if text.is_empty() {
        return if optional {
            *cell = Cell::Blank;
            Ok(())
        } else {
            Err(Unfit::Blank)
        };
    }
    if let (FieldType::Text, Cell::Value(Value::Text(buffer))) = (ty, &mut *cell) {
        buffer.clear();
        buffer.push_str(text);
        return Ok(());
    }
    *cell = Cell::Value(read_value(text, ty)?);
    Ok(())
}

/// Reads non-blank, normalized text as a value of type `ty`. Inlined into
/// [`read_cell_into`], so that the value is built in the cell, not copied.
#[inline(always)]
pub fn read_value(text: &str, ty: &FieldType) -> Result<Value, Unfit> {
    let value = match ty {
        FieldType::Bool => read_bool(text).map(Value::Bool),
        FieldType::Count => read_count(text).map(Value::Number),
        FieldType::Number => read_number(text).map(Value::Number),
        FieldType::Percent => read_percent(text).map(Value::Number),
        FieldType::Date => read_date(text).map(Value::Date),
        FieldType::Text => Some(Value::Text(text.to_owned())),
        // A choice is compared in the form the cell is read in, so that one
        // typed with full-width letters (`Ａ類`) matches the cells typed alike.
        // Simplified and Traditional characters are read as one (`城区` is
        // `城區`); the value is the choice as the standard declares it.
        FieldType::OneOf(choices) => choices
            .iter()
            .position(|c| c == text || normalize(c).trim() == text)
            .or_else(|| choice_in_either_script(text, choices))
            .map(|index| Value::Choice(u16::try_from(index).unwrap_or(u16::MAX))),
    };
    value.ok_or(Unfit::Unreadable)
}

/// The choice `text` is once both are read in one script, if any: kept out
/// of line, as [`read_value`] is inlined where every cell is typed.
#[cold]
#[inline(never)]
fn choice_in_either_script(text: &str, choices: &[String]) -> Option<usize> {
    let folded = crate::hanzi::fold(text);
    choices
        .iter()
        .position(|c| crate::hanzi::fold(normalize(c).trim()) == folded)
}

/// A whole number, 0 or more: plain digits fast, else any decimal with no fraction.
fn read_count(text: &str) -> Option<Decimal> {
    plain_count(text.as_bytes(), whole(text.as_bytes()))
        .map(|(n, _)| n)
        .or_else(|| {
            read_number(text)
                .filter(|n| n.is_integer() && !n.is_sign_negative())
                .map(|n| n.normalize())
        })
}

/// Up to 18 ASCII digits as a whole number, at the start of `bytes`, where
/// `ends` says the cell may end: its value and length.
#[inline(always)]
fn plain_count(bytes: &[u8], ends: impl Fn(usize) -> bool) -> Option<(Decimal, usize)> {
    let len = bytes
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(bytes.len());
    if len == 0 || len > 18 || !ends(len) {
        return None;
    }
    let n = bytes[..len]
        .iter()
        .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
    Some((unsigned(n, 0), len))
}

/// Whether a cell of `bytes` may end after `len` of them: only at their end.
#[inline(always)]
fn whole(bytes: &[u8]) -> impl Fn(usize) -> bool {
    let all = bytes.len();
    move |len| len == all
}

/// `n · 10^-scale`, built from its parts (cheaper than the general
/// constructors, which handle signs and wider mantissas).
#[inline(always)]
fn unsigned(n: u64, scale: u32) -> Decimal {
    Decimal::from_parts(n as u32, (n >> 32) as u32, 0, false, scale)
}

/// A cell's raw bytes read straight into a value when they are in the
/// commonest plain form — ASCII digits for counts, numbers and percents,
/// `true`, `false`, `1`, `0`, `是`, `否` for bools, `YYYY-MM-DD` dates, a
/// choice written exactly, ASCII text with no space at either end — which
/// [`read_cell_into`] reads to the same value; `None` for anything else,
/// which then goes the long way (UTF-8, full-width forms, trimming, every
/// spelling).
#[inline(always)]
pub fn read_plain(bytes: &[u8], ty: &FieldType) -> Option<Value> {
    read_plain_as(bytes, Kind::of(ty), ty)
}

/// What plain form a field's cells may take: cheaper to match on than
/// [`FieldType`], for the reading of every cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `bool`.
    Bool,
    /// `count`.
    Count,
    /// `number`.
    Number,
    /// `percent`.
    Percent,
    /// `date`.
    Date,
    /// `one of`, every choice already in the form the long way compares
    /// (trimmed, no full-width letters, not empty): a cell written exactly
    /// as a choice is that choice.
    OneOf,
    /// `text`: ASCII with no space at either end is itself.
    Text,
    /// A `one of` with a choice written with spaces around it or
    /// full-width letters (compared in its read form): the long way only.
    Other,
}

impl Kind {
    /// Whether a cell read in this kind's plain form may hold `byte` (as a
    /// number holds `.`, a date `-`, a choice its letters): a line whose
    /// delimiter is such a byte cannot have that kind's cells read from it
    /// before the cell's end is found. Bytes past ASCII are taken to clash.
    pub fn may_hold(self, ty: &FieldType, byte: u8) -> bool {
        let held = |bytes: &[u8]| bytes.contains(&byte);
        !byte.is_ascii()
            || match self {
                Kind::Bool => held(b"truefals10"),
                Kind::Count => byte.is_ascii_digit(),
                Kind::Number | Kind::Percent => byte.is_ascii_digit() || byte == b'.',
                Kind::Date => byte.is_ascii_digit() || byte == b'-',
                Kind::OneOf => match ty {
                    FieldType::OneOf(choices) => choices.iter().any(|c| held(c.as_bytes())),
                    _ => true,
                },
                // Text is read up to the delimiter; the rest have no plain form.
                Kind::Text | Kind::Other => false,
            }
    }

    /// The kind of a field type.
    pub fn of(ty: &FieldType) -> Kind {
        match ty {
            FieldType::Bool => Kind::Bool,
            FieldType::Count => Kind::Count,
            FieldType::Number => Kind::Number,
            FieldType::Percent => Kind::Percent,
            FieldType::Date => Kind::Date,
            FieldType::OneOf(choices)
                if choices
                    .iter()
                    .all(|c| !c.is_empty() && normalize(c).trim() == c) =>
            {
                Kind::OneOf
            }
            FieldType::Text => Kind::Text,
            FieldType::OneOf(_) => Kind::Other,
        }
    }
}

/// [`read_plain`] into `cell`, with the type's kind worked out before;
/// whether the bytes were plain (`cell` is left alone when not).
#[inline(always)]
pub fn read_plain_into(bytes: &[u8], kind: Kind, ty: &FieldType, cell: &mut Cell) -> bool {
    plain_into(bytes, kind, || ty, whole(bytes), cell).is_some()
}

/// [`read_plain`] with the type's kind worked out before.
pub fn read_plain_as(bytes: &[u8], kind: Kind, ty: &FieldType) -> Option<Value> {
    let mut cell = Cell::Missing;
    plain_into(bytes, kind, || ty, whole(bytes), &mut cell)?;
    match cell {
        Cell::Value(value) => Some(value),
        _ => None,
    }
}

/// The plain form of [`read_plain`] at the start of `bytes`, for a cell
/// that may end wherever `ends` says (at the end of the bytes, or at a
/// delimiter of a line), into `cell`: the cell's length in bytes, or `None`
/// (and `cell` left alone) when it is not in a plain form. A cell that
/// holds a number or a bool already has only that overwritten. The field's
/// type is looked up only when the kind needs it (a choice's list).
#[inline(always)]
pub fn plain_into<'t>(
    bytes: &[u8],
    kind: Kind,
    ty: impl FnOnce() -> &'t FieldType,
    ends: impl Fn(usize) -> bool,
    cell: &mut Cell,
) -> Option<usize> {
    let number = |cell: &mut Cell, n| match cell {
        Cell::Value(Value::Number(old)) => *old = n,
        other => *other = Cell::Value(Value::Number(n)),
    };
    let len = match kind {
        Kind::Bool => {
            let (b, len) = plain_bool(bytes, ends)?;
            match cell {
                Cell::Value(Value::Bool(old)) => *old = b,
                other => *other = Cell::Value(Value::Bool(b)),
            }
            len
        }
        Kind::Count => {
            let (n, len) = plain_count(bytes, ends)?;
            number(cell, n);
            len
        }
        Kind::Number => {
            let (n, len) = plain_number(bytes, ends)?;
            number(cell, n);
            len
        }
        Kind::Percent => {
            let (points, len) = plain_number(bytes, ends)?;
            number(cell, fraction(points)?);
            len
        }
        Kind::Date => {
            let date = iso_date(bytes.get(..10)?)?;
            if !ends(10) {
                return None;
            }
            *cell = Cell::Value(Value::Date(date));
            10
        }
        Kind::OneOf => {
            let FieldType::OneOf(choices) = ty() else {
                return None;
            };
            // The cell must end where the choice does, and its last byte
            // match, before the whole is compared.
            let (index, len) = choices.iter().enumerate().find_map(|(index, c)| {
                let c = c.as_bytes();
                let len = c.len();
                let last = bytes
                    .get(len.wrapping_sub(1))
                    .is_some_and(|b| c.last() == Some(b));
                (last && ends(len) && bytes.starts_with(c)).then_some((index, len))
            })?;
            *cell = Cell::Value(Value::Choice(u16::try_from(index).unwrap_or(u16::MAX)));
            len
        }
        Kind::Text => {
            let len = (0..=bytes.len()).find(|&len| ends(len))?;
            let text = std::str::from_utf8(&bytes[..len]).ok()?;
            let edges = [text.as_bytes().first()?, text.as_bytes().last()?];
            if !text.is_ascii() || edges.iter().any(|b| b.is_ascii_whitespace()) {
                return None;
            }
            match cell {
                Cell::Value(Value::Text(buffer)) => {
                    buffer.clear();
                    buffer.push_str(text);
                }
                other => *other = Cell::Value(Value::Text(text.to_owned())),
            }
            len
        }
        Kind::Other => return None,
    };
    Some(len)
}

/// The commonest spellings of true and false, byte for byte.
#[inline(always)]
fn plain_bool(bytes: &[u8], ends: impl Fn(usize) -> bool) -> Option<(bool, usize)> {
    const YES: &[u8] = "是".as_bytes();
    const NO: &[u8] = "否".as_bytes();
    let (value, len) = match bytes.first()? {
        b't' if bytes.starts_with(b"true") => (true, 4),
        b'f' if bytes.starts_with(b"false") => (false, 5),
        b'1' => (true, 1),
        b'0' => (false, 1),
        _ if bytes.starts_with(YES) => (true, YES.len()),
        _ if bytes.starts_with(NO) => (false, NO.len()),
        _ => return None,
    };
    ends(len).then_some((value, len))
}

/// Full-width ASCII forms and the ideographic space as ASCII; other text as is.
#[inline]
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    crate::headings::narrow(text)
}

fn read_bool(text: &str) -> Option<bool> {
    // The commonest spellings byte for byte, before the case-blind search.
    if let Some((value, _)) = plain_bool(text.as_bytes(), whole(text.as_bytes())) {
        return Some(value);
    }
    BOOL_WORDS
        .iter()
        .find(|(word, _)| word.eq_ignore_ascii_case(text))
        .map(|&(_, value)| value)
}

/// A decimal number: an optional sign, digits with an optional fraction;
/// thousands may be grouped with commas (`1,234.5`). No exponent.
pub fn read_number(text: &str) -> Option<Decimal> {
    plain_number(text.as_bytes(), whole(text.as_bytes()))
        .map(|(n, _)| n)
        .or_else(|| grouped_number(text))
}

/// The common case in one pass, at the start of `bytes` where `ends` says
/// the cell may end: ASCII digits with at most one `.`, no sign, no commas,
/// at most 18 digits (so the mantissa fits an `i64`); its value and length.
fn plain_number(bytes: &[u8], ends: impl Fn(usize) -> bool) -> Option<(Decimal, usize)> {
    let mut mantissa: u64 = 0;
    let mut scale: Option<u32> = None;
    let mut digits = 0;
    let mut len = 0;
    for &b in bytes {
        if b.is_ascii_digit() {
            // More digits than 18 are read the long way.
            if digits == 18 {
                return None;
            }
            mantissa = mantissa * 10 + u64::from(b - b'0');
            digits += 1;
            scale = scale.map(|s| s + 1);
        } else if b == b'.' && scale.is_none() {
            scale = Some(0);
        } else {
            break;
        }
        len += 1;
    }
    (digits > 0 && ends(len)).then(|| (unsigned(mantissa, scale.unwrap_or(0)), len))
}

/// The general case: a sign, spaces after it, thousands grouped with commas.
fn grouped_number(text: &str) -> Option<Decimal> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let digits = digits.trim_start();
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let whole = ungroup(whole)?;
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut mantissa: i128 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(i128::from(b - b'0'))?;
    }
    let scale = u32::try_from(fraction.len()).ok()?;
    let value =
        Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale)
            .ok()?;
    Some(value)
}

/// `1,234,567` without its commas, if the commas group thousands; text without commas as is.
fn ungroup(whole: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !whole.contains(',') {
        return Some(std::borrow::Cow::Borrowed(whole));
    }
    let mut groups = whole.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut out = String::from(first);
    for group in groups {
        if group.len() != 3 {
            return None;
        }
        out.push_str(group);
    }
    Some(std::borrow::Cow::Owned(out))
}

/// Percentage points with or without `%`: `30`, `30%`, `30.5 %` are 0.30, 0.30, 0.305.
pub fn read_percent(text: &str) -> Option<Decimal> {
    let number = text.strip_suffix('%').map_or(text, str::trim_end);
    fraction(read_number(number)?)
}

/// Percentage points as a fraction. Dividing by 100 is moving the decimal
/// point: exact, and cheap.
fn fraction(points: Decimal) -> Option<Decimal> {
    let mut fraction = points;
    match fraction.set_scale(points.scale() + 2) {
        Ok(()) => Some(fraction),
        Err(_) => points.checked_div(Decimal::ONE_HUNDRED),
    }
}

/// `2015-06-30`, `2015/6/30` or `2015年6月30日`.
pub fn read_date(text: &str) -> Option<Date> {
    if let Some(date) = iso_date(text.as_bytes()) {
        return Some(date);
    }
    let parts: Vec<&str> = if let Some(rest) = text.strip_suffix('日') {
        let (year, rest) = rest.split_once('年')?;
        let (month, day) = rest.split_once('月')?;
        vec![year, month, day]
    } else if text.contains('/') {
        text.split('/').collect()
    } else {
        text.split('-').collect()
    };
    let [year, month, day] = parts.as_slice() else {
        return None;
    };
    let number = |part: &str, max_len: usize| {
        let part = part.trim();
        (!part.is_empty() && part.len() <= max_len && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<i16>().ok())
            .flatten()
    };
    let (year, month, day) = (number(year, 4)?, number(month, 2)?, number(day, 2)?);
    if year < 1000 {
        return None;
    }
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// `YYYY-MM-DD` exactly, the common case, without splitting.
fn iso_date(b: &[u8]) -> Option<Date> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| {
        b[range].iter().try_fold(0i16, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i16::from(d - b'0'))
        })
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if year < 1000 {
        return None;
    }
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast path from bytes gives what the long way gives, exactly
        /// (value and scale), whenever it gives anything.
        #[test]
        fn plain_bytes_read_as_the_long_way_reads_them(
            text in "[0-9.]{0,20}|true|false|1|0|是|否|[0-9]{1,3}\\.[0-9]{1,3}|-?[0-9 ,]{1,8}\
                     |[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-2 ]{4}-[01]{2}-[0-3]{2}|行政|執法| 行政|行政 |抽查\
                     |Ａ類|A類|"
        ) {
            let choices = FieldType::OneOf(vec!["行政".to_owned(), "執法".to_owned()]);
            // Choices no cell can match as written (the long way trims and
            // reads full-width letters as ASCII first).
            let odd = [" 行政", "Ａ類", "", "行政"].map(str::to_owned).to_vec();
            let types = [
                FieldType::Bool,
                FieldType::Count,
                FieldType::Number,
                FieldType::Percent,
                FieldType::Date,
                FieldType::Text,
                choices,
                FieldType::OneOf(odd),
            ];
            for ty in types {
                // Into a cell holding a value of the same kind, another kind, or none.
                for before in [Cell::Value(Value::Number(Decimal::TEN)), Cell::Value(Value::Bool(false)), Cell::Missing] {
                    let mut cell = before.clone();
                    let plain = read_plain_into(text.as_bytes(), Kind::of(&ty), &ty, &mut cell);
                    let fast = read_plain(text.as_bytes(), &ty);
                    proptest::prop_assert_eq!(plain, fast.is_some());
                    proptest::prop_assert_eq!(cell, fast.map_or(before, Cell::Value));
                }
                if let Some(fast) = read_plain(text.as_bytes(), &ty) {
                    let slow = read_cell(&text, &ty, false);
                    proptest::prop_assert_eq!(Ok(Cell::Value(fast.clone())), slow);
                    if let (Value::Number(a), Ok(Cell::Value(Value::Number(b)))) =
                        (&fast, read_cell(&text, &ty, false))
                    {
                        proptest::prop_assert_eq!(a.scale(), b.scale());
                    }
                }
            }
        }
    }

    fn number(text: &str) -> Decimal {
        text.parse().expect("a decimal")
    }

    #[test]
    fn choices_typed_with_full_width_letters_match_cells_typed_alike() {
        let ty = FieldType::OneOf(vec!["Ａ類".to_owned(), " 行政 ".to_owned()]);
        assert_eq!(read_value("A類", &ty), Ok(Value::Choice(0)));
        assert_eq!(
            read_cell("Ａ類", &ty, false),
            Ok(Cell::Value(Value::Choice(0)))
        );
        assert_eq!(
            read_cell(" 行政", &ty, false),
            Ok(Cell::Value(Value::Choice(1)))
        );
        assert_eq!(read_cell("B類", &ty, false), Err(Unfit::Unreadable));
    }

    #[test]
    fn bools_in_chinese_and_english() {
        for (text, value) in [
            ("是", true),
            ("否", false),
            ("有", true),
            ("無", false),
            ("TRUE", true),
            ("No", false),
            ("✓", true),
            ("✗", false),
            ("1", true),
            ("0", false),
            ("√", true),
        ] {
            assert_eq!(
                read_value(text, &FieldType::Bool),
                Ok(Value::Bool(value)),
                "{text}"
            );
        }
        assert!(read_value("maybe", &FieldType::Bool).is_err());
    }

    #[test]
    fn percents_are_percentage_points() {
        for text in ["30", "30%", "30 %", "30.0"] {
            assert_eq!(
                read_value(text, &FieldType::Percent),
                Ok(Value::Number(number("0.30"))),
                "{text}"
            );
        }
        assert_eq!(
            read_value("30.5 %", &FieldType::Percent),
            Ok(Value::Number(number("0.305")))
        );
        assert_eq!(
            read_cell("３０％", &FieldType::Percent, false),
            Ok(Cell::Value(Value::Number(number("0.3"))))
        );
        assert!(read_value("30%%", &FieldType::Percent).is_err());
    }

    #[test]
    fn numbers_are_exact() {
        assert_eq!(read_number("0.1"), Some(number("0.1")));
        assert_eq!(read_number("-12.50"), Some(number("-12.5")));
        assert_eq!(read_number("1,234.5"), Some(number("1234.5")));
        assert_eq!(read_number("12,34"), None);
        assert_eq!(read_number("1e3"), None);
        assert_eq!(read_number("."), None);
        assert_eq!(read_number("99999999999999999999999999999999"), None);
        assert_eq!(
            read_cell("－１２．５", &FieldType::Number, false),
            Ok(Cell::Value(Value::Number(number("-12.5"))))
        );
    }

    #[test]
    fn counts_are_whole_and_not_negative() {
        assert_eq!(
            read_value("3", &FieldType::Count),
            Ok(Value::Number(number("3")))
        );
        assert_eq!(
            read_value("3.0", &FieldType::Count),
            Ok(Value::Number(number("3")))
        );
        assert!(read_value("2.5", &FieldType::Count).is_err());
        assert!(read_value("-1", &FieldType::Count).is_err());
    }

    #[test]
    fn dates_in_three_forms_and_full_width() {
        let expected = Date::new(2015, 6, 30).ok();
        for text in ["2015-06-30", "2015/6/30", "2015年6月30日", "2015-6-30"] {
            assert_eq!(read_date(text), expected, "{text}");
        }
        assert_eq!(
            read_cell("２０１５年６月３０日", &FieldType::Date, false),
            Ok(Cell::Value(Value::Date(
                Date::new(2015, 6, 30).expect("a date")
            )))
        );
        assert_eq!(read_date("2015-02-30"), None);
        assert_eq!(read_date("15-6-30"), None);
        assert_eq!(read_date("2015-06"), None);
    }

    #[test]
    fn choices_match_exactly_with_a_suggestion() {
        let kinds = FieldType::OneOf(vec!["行政".to_owned(), "執法執紀".to_owned()]);
        assert_eq!(read_value("執法執紀", &kinds), Ok(Value::Choice(1)));
        assert_eq!(read_value("执法执纪", &kinds), Ok(Value::Choice(1)));
        let unfit = read_value("執法", &kinds).expect_err("not a choice");
        assert_eq!(
            unfit.help(&kinds, "執法").as_deref(),
            Some("did you mean `執法執紀`?")
        );
    }

    #[test]
    fn blanks_are_allowed_only_in_optional_fields() {
        assert_eq!(read_cell("  ", &FieldType::Bool, true), Ok(Cell::Blank));
        assert_eq!(
            read_cell("\u{3000}", &FieldType::Bool, true),
            Ok(Cell::Blank)
        );
        assert!(read_cell("", &FieldType::Bool, false).is_err());
    }
}
