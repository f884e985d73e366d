//! The yardstick for yardstick: the 21 rules of ../shared/bench/WORKLOAD.md as
//! direct Rust code, single-threaded, with the csv crate and exact decimal
//! arithmetic (rust_decimal) — what a careful programmer would write by hand
//! for this one standard. yardstick's general, compiled evaluator is measured
//! against it (`benches/eval.sh`).
//!
//! ```sh
//! cargo run --release --example baseline -- inspections.csv out.csv
//! ```

use std::io::{BufWriter, Write};

use rust_decimal::{Decimal, RoundingStrategy};

fn decimal(text: &[u8]) -> Decimal {
    std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or_default()
}

fn count(text: &[u8]) -> i64 {
    std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (input, output) = match args.as_slice() {
        [_, input, output, ..] => (input.clone(), output.clone()),
        _ => return Err("usage: baseline INPUT.csv OUTPUT.csv".into()),
    };
    let mut reader = csv::Reader::from_path(&input)?;
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&output)?);
    // As yardstick writes CSV for Excel: a byte-order mark, and a column of
    // the rules missing a value (none: every cell of the workload is filled).
    writeln!(out, "\u{feff}unit_id,score,grade,failed,missing")?;
    let hundred = Decimal::ONE_HUNDRED;
    let thirty = Decimal::from(30);
    let ids = [
        "A1", "A2", "A3", "A4", "A5", "A6", "A7", "B1", "B2", "B3", "C1", "C2", "C3", "C4", "C5",
        "C6", "C7", "D1", "D2", "E1", "E2",
    ];
    let points: [i64; 21] = [
        4, 4, 3, 3, 3, 3, 2, 3, 3, 2, 5, 5, 3, 5, 3, 3, 4, 6, 2, 3, 2,
    ];
    let mut failures = [0u64; 21];
    let mut grades = [0u64; 3];
    let mut score_sum = Decimal::ZERO;
    let mut rows = 0u64;
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        let yes = |i: usize| &record[i] == b"true";
        let kind = &record[2];
        let method = &record[4];
        let (exposed, stains, graffiti) = (count(&record[6]), count(&record[7]), count(&record[8]));
        let attendance = count(&record[15]) + count(&record[16]);
        let total_area = decimal(&record[24]);
        let green_area = decimal(&record[23]);
        let coverage = decimal(&record[25]);
        // (applicable, passed, earned) per rule; earned in tenths of a point.
        let tenths = |p: i64| p * 10;
        let flat = |pass: bool, p: i64| (true, pass, if pass { tenths(p) } else { 0 });
        let deduct =
            |n: i64, p: i64, per_tenths: i64| (true, n == 0, (tenths(p) - per_tenths * n).max(0));
        let enforcement = kind == "執法執紀".as_bytes() || kind == "綜合服務".as_bytes();
        let results: [(bool, bool, i64); 21] = [
            flat(yes(5), 4),
            deduct(exposed, 4, 10),
            deduct(stains, 3, 5),
            deduct(graffiti, 3, 10),
            flat(yes(9), 3),
            flat(yes(10), 3),
            flat(yes(11), 2),
            flat(yes(12), 3),
            flat(yes(13), 3),
            flat(yes(14), 2),
            deduct(attendance, 5, 10),
            flat(count(&record[17]) == 0, 5),
            flat(count(&record[18]) == 0, 3),
            flat(count(&record[19]) == 0, 5),
            flat(yes(20), 3),
            flat(yes(21), 3),
            if enforcement {
                flat(yes(22), 4)
            } else {
                (false, false, 0)
            },
            flat(coverage >= thirty, 6),
            if total_area > Decimal::ZERO {
                flat(green_area / total_area * hundred >= thirty, 2)
            } else {
                (false, false, 0)
            },
            flat(decimal(&record[26]) >= Decimal::from(4), 3),
            if method == "暗訪".as_bytes() {
                flat(yes(14) && yes(12), 2)
            } else {
                (false, false, 0)
            },
        ];
        let mut earned = 0i64;
        let mut possible = 0i64;
        let mut failed = String::new();
        for (i, (applicable, passed, points_earned)) in results.iter().enumerate() {
            if !applicable {
                continue;
            }
            earned += points_earned;
            possible += tenths(points[i]);
            if !passed {
                failures[i] += 1;
                if !failed.is_empty() {
                    failed.push(';');
                }
                failed.push_str(ids[i]);
            }
        }
        let score = hundred * Decimal::from(earned) / Decimal::from(possible);
        let grade = if score >= Decimal::from(95) && results[17].1 && results[13].1 {
            0
        } else if score >= Decimal::from(80) {
            1
        } else {
            2
        };
        grades[grade] += 1;
        score_sum += score;
        let mut rounded = score.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        rounded.rescale(2);
        let unit = std::str::from_utf8(&record[0])?;
        writeln!(
            out,
            "{unit},{rounded},{},{failed},",
            ["示範", "達標", "不達標"][grade]
        )?;
    }
    out.flush()?;
    eprintln!(
        "rows {rows} grades {grades:?} score_sum {} failures {failures:?}",
        score_sum.round_dp(2)
    );
    Ok(())
}
