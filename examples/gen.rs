//! The benchmark's data set (../shared/bench/WORKLOAD.md): one row per
//! inspection of an office unit, deterministic for a seed on every platform.
//!
//! ```sh
//! cargo run --release --example gen -- --rows 1000000 --seed 2015 -o inspections.csv
//! ```
//!
//! Every row is its own unit (`U0000001`, `U0000002`...) unless `--units N`
//! is given: then the units cycle over `U0000001`..`U000000N` (row r is
//! unit `(r - 1) % N + 1`), so that a year holds many inspections per unit,
//! as `yardstick rollup` reads them. The unit is the only thing `--units`
//! changes: every other cell, and the random sequence, are those of the
//! same seed without it (and `--units N` with N ≥ rows is no change at all).

use std::io::{self, BufWriter, Write};

#[path = "shared/datagen.rs"]
mod datagen;

use datagen::{MONTH_DAYS, Rng, tenths};

fn day_of_2015(day: u64) -> (u64, u64) {
    let mut left = day;
    for (month, &days) in MONTH_DAYS.iter().enumerate() {
        let days = u64::from(days);
        if left < days {
            return (month as u64 + 1, left + 1);
        }
        left -= days;
    }
    (12, 31)
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let rows: u64 = value("--rows").and_then(|r| r.parse().ok()).unwrap_or(1000);
    let seed: u64 = value("--seed").and_then(|s| s.parse().ok()).unwrap_or(2015);
    let units: u64 = value("--units")
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(u64::MAX);
    let output: Box<dyn Write> = match value("-o") {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, output);
    let mut rng = Rng(seed);
    let bool_word = |b: bool| if b { "true" } else { "false" };
    writeln!(
        out,
        "unit_id,district,kind,inspected_on,method,sealed_bins,exposed_waste,stains,graffiti,vehicles_orderly,items_tidy,guard_uniform,core_values_posted,culture_wall,slogans_posted,late_arrivals,early_leaves,absent_staff,noise_incidents,gaming_incidents,duties_posted,name_plates,uniform_worn,green_area,total_area,green_coverage,volunteer_hours"
    )?;
    for row in 1..=rows {
        let unit = (row - 1) % units + 1;
        let district = 1 + rng.below(20);
        let kind = match rng.below(100) {
            0..70 => "行政",
            70..90 => "執法執紀",
            _ => "綜合服務",
        };
        let (month, day) = day_of_2015(rng.below(365));
        let method = match rng.below(100) {
            0..50 => "明察",
            50..80 => "暗訪",
            _ => "抽查",
        };
        let sealed_bins = rng.chance(92);
        let exposed_waste = rng.count(85, 5);
        let stains = rng.count(80, 4);
        let graffiti = rng.count(90, 3);
        let vehicles_orderly = rng.chance(90);
        let items_tidy = rng.chance(88);
        let guard_uniform = rng.chance(93);
        let core_values_posted = rng.chance(85);
        let culture_wall = rng.chance(75);
        let slogans_posted = rng.chance(80);
        let late_arrivals = rng.count(60, 6);
        let early_leaves = rng.count(70, 4);
        let absent_staff = rng.count(90, 2);
        let noise_incidents = rng.count(90, 3);
        let gaming_incidents = rng.count(97, 2);
        let duties_posted = rng.chance(90);
        let name_plates = rng.chance(87);
        let uniform_worn = if kind == "行政" {
            ""
        } else {
            bool_word(rng.chance(85))
        };
        let total_area = rng.tenths(2000, 50000);
        let green_coverage = rng.tenths(100, 550);
        // green_area = total_area · coverage ± up to 5% noise, in tenths.
        let exact = total_area * green_coverage / 1000;
        let noise = exact * rng.below(101) / 1000;
        let green_area = if rng.chance(50) {
            exact + noise
        } else {
            exact.saturating_sub(noise)
        };
        let volunteer_hours = rng.tenths(0, 120);
        writeln!(
            out,
            "U{unit:07},區{district:02},{kind},2015-{month:02}-{day:02},{method},{},{exposed_waste},{stains},{graffiti},{},{},{},{},{},{},{late_arrivals},{early_leaves},{absent_staff},{noise_incidents},{gaming_incidents},{},{},{uniform_worn},{},{},{},{}",
            bool_word(sealed_bins),
            bool_word(vehicles_orderly),
            bool_word(items_tidy),
            bool_word(guard_uniform),
            bool_word(core_values_posted),
            bool_word(culture_wall),
            bool_word(slogans_posted),
            bool_word(duties_posted),
            bool_word(name_plates),
            tenths(green_area),
            tenths(total_area),
            tenths(green_coverage),
            tenths(volunteer_hours),
        )?;
    }
    out.flush()
}
