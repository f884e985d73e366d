//! How values look in output: scores with two decimals (rounded half away
//! from zero), percents as percentage points with `%`, choices as their text,
//! and the escaping of JSON and CSV text.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::check::model::FieldType;
use crate::eval::compile::Program;
use crate::eval::value::{Cell, Value};

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

fn value_text(program: &Program, field: usize, value: &Value) -> String {
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

fn choice(program: &Program, field: usize, index: u16) -> &str {
    program
        .choices
        .get(field)
        .and_then(|c| c.get(usize::from(index)))
        .map_or("", String::as_str)
}

/// A field's cell as a JSON value: numbers as numbers (percents in
/// percentage points, so 30% is 30), blank and missing as `null`.
pub fn cell_json(program: &Program, field: usize, cell: &Cell, out: &mut String) {
    let Cell::Value(value) = cell else {
        out.push_str("null");
        return;
    };
    let percent = matches!(
        program.standard.fields.get(field).map(|f| &f.ty),
        Some(FieldType::Percent)
    );
    match value {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if percent => {
            let _ = write!(out, "{}", (n * Decimal::ONE_HUNDRED).normalize());
        }
        Value::Number(n) => {
            let _ = write!(out, "{}", n.normalize());
        }
        Value::Text(t) => json_string(t, out),
        Value::Choice(index) => json_string(choice(program, field, *index), out),
        Value::Date(d) => json_string(&d.to_string(), out),
    }
}

/// A JSON string literal.
pub fn json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(text: &str, out: &mut String) {
    if text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_have_two_decimals_rounded_half_away_from_zero() {
        let d = |s: &str| s.parse::<Decimal>().expect("a decimal");
        assert_eq!(score(d("100")), "100.00");
        assert_eq!(score(d("93.4782608695652173913")), "93.48");
        assert_eq!(score(d("89.125")), "89.13");
        assert_eq!(score(d("0")), "0.00");
        assert_eq!(score(d("-93.475")), "-93.48");
        assert_eq!(score(d("99.995")), "100.00");
        assert_eq!(score(d("7.1")), "7.10");
        // Past 64 bits of hundredths (no score is; a sum may be).
        assert_eq!(
            score(d("-1844674407370955161600.005")),
            "-1844674407370955161600.01"
        );
    }

    #[test]
    fn json_and_csv_text_is_escaped() {
        let mut out = String::new();
        json_string("「a\"b」\n", &mut out);
        assert_eq!(out, "\"「a\\\"b」\\n\"");
        let mut out = String::new();
        csv_field("a,\"b\"", &mut out);
        assert_eq!(out, "\"a,\"\"b\"\"\"");
    }
}
