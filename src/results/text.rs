//! The canonical text of a result: a score with two decimals (rounded half
//! away from zero), a cell's value as a person reads it (percents as
//! percentage points with `%`, choices as their text). A unit's key and
//! group are this text, so `batch` decides with it, and every format writes
//! it the same way.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::check::model::FieldType;
use crate::eval::compile::Program;
use crate::value::{Cell, Value};

/// A score for output: rounded half away from zero, always two decimals.
pub fn score(score: Decimal) -> String {
    let mut out = String::with_capacity(8);
    push_score(score, &mut out);
    out
}

/// Appends a score as [`score`] writes it, with integer arithmetic (this runs
/// once per record; a score already rounded, `Totals::rounded`, needs no
/// division).
pub fn push_score(score: Decimal, out: &mut String) {
    let scale = score.scale();
    let mantissa = score.mantissa();
    let hundredths = if scale <= 2 {
        mantissa * 10i128.pow(2 - scale)
    } else {
        let divisor = 10i128.pow(scale - 2);
        // One wide division; the remainder by multiplying back.
        let quotient = mantissa / divisor;
        let remainder = mantissa - quotient * divisor;
        // Half away from zero.
        if remainder.abs() * 2 >= divisor {
            quotient + mantissa.signum()
        } else {
            quotient
        }
    };
    let Ok(h) = u64::try_from(hundredths.unsigned_abs()) else {
        // Wider than any score: written the slow way.
        let h = hundredths.unsigned_abs();
        let sign = if hundredths < 0 { "-" } else { "" };
        let _ = write!(out, "{sign}{}.{:02}", h / 100, h % 100);
        return;
    };
    // Written right to left into a buffer, then appended.
    let mut text = [0u8; 24];
    let mut at = text.len();
    let mut put = |byte: u8| {
        at -= 1;
        text[at] = byte;
    };
    put(b'0' + (h % 10) as u8);
    put(b'0' + (h / 10 % 10) as u8);
    put(b'.');
    let mut whole = h / 100;
    loop {
        put(b'0' + (whole % 10) as u8);
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    if hundredths < 0 {
        put(b'-');
    }
    out.extend(text[at..].iter().map(|&byte| char::from(byte)));
}

/// A field's cell as a person reads it: `22.5%`, `true`, `2015-06-30`, `行政`.
pub fn cell_text(program: &Program, field: usize, cell: &Cell) -> String {
    match cell {
        Cell::Blank => "(blank)".to_owned(),
        Cell::Missing => "(missing)".to_owned(),
        Cell::Value(value) => value_text(program, field, value),
    }
}

/// A value as [`cell_text`] writes it.
pub(crate) fn value_text(program: &Program, field: usize, value: &Value) -> String {
    let percent = matches!(
        program.standard.fields.get(field).map(|f| &f.ty),
        Some(FieldType::Percent)
    );
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if percent => format!("{}%", (n * Decimal::ONE_HUNDRED).normalize()),
        Value::Number(n) => n.normalize().to_string(),
        Value::Text(t) => t.clone(),
        Value::Choice(index) => choice(program, field, *index).to_owned(),
        Value::Date(d) => d.to_string(),
    }
}

/// A choice's text, as the standard declares it.
pub(crate) fn choice(program: &Program, field: usize, index: u16) -> &str {
    program
        .choices
        .get(field)
        .and_then(|c| c.get(usize::from(index)))
        .map_or("", String::as_str)
}
