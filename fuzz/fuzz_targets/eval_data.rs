//! Fuzz target: bytes -> an inspection data file (CSV, JSON, JSON Lines,
//! `.xlsx`, `.xls` or `.ods` by its name, chosen by the first byte; the
//! format is then told by content, and text's encoding by its bytes or one
//! the first byte forces) -> its header row found -> scored by the
//! founding standard, or (by the first byte) the founding standard with a
//! `cap`, an `info` field, a bonus of variable points and a capped
//! deduction, with a waiver file, written as CSV and JSON.
//!
//! Checked: reading, typing, scoring and formatting never panic, hang or
//! blow up memory, whatever the file holds (libFuzzer's -timeout and
//! -rss_limit_mb catch the last two).
#![no_main]

use std::io::Write as _;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use yardstick::batch::{self, Options};
use yardstick::data::{self, OpenOptions};
use yardstick::eval::catalog::Catalog;
use yardstick::eval::compile::compile;
use yardstick::language::Language;
use yardstick::report;
use yardstick::waivers::Waivers;

const STANDARD: &str = include_str!("../../standards/office_environment/2015.std");
const WAIVERS: &str = "受檢科室,規則,豁免理由,批准人,有效期至,計分\n\
    辦公室,A2,施工,王主任,2015-12-31,\n組織科,D1,施工,王主任,2015-06-30,pass\n";

/// What the founding standard gains to cover the scoring constructs of
/// issue 19 (the header gains `cap 103`).
const SCORING: &str = "
fields { district text info \"所屬片區\" }
rule X1 \"志願服務超額\" bonus { points 0.5 * (volunteer_activities - 1) up to 2 }
rule X2 \"暴露垃圾最多扣3分\" { require no exposed_waste  points 4, deduct 1 per exposed_waste up to 3 }
rule X3 \"綠化率差距\" { points 5 - 0.25 * max(0, (35% - green_coverage) * 100) up to 5 }
";

fn catalog(scoring: bool) -> &'static (Catalog, Arc<Waivers>) {
    static CATALOGS: [OnceLock<(Catalog, Arc<Waivers>)>; 2] = [OnceLock::new(), OnceLock::new()];
    CATALOGS[usize::from(scoring)].get_or_init(|| {
        let text = if scoring {
            STANDARD.replacen("  key ", "  cap 103\n  key ", 1) + SCORING
        } else {
            STANDARD.to_owned()
        };
        let compiled = yardstick::compile("2015.std", Arc::from(text));
        let standard = compiled.standard.expect("the founding standard checks");
        let catalog = Catalog::single(compile(Arc::new(standard)).expect("it compiles"));
        let path = std::env::temp_dir().join("yardstick-fuzz-waivers.csv");
        std::fs::write(&path, WAIVERS).expect("the waiver file is written");
        let waivers = Waivers::read(&path.to_string_lossy(), &catalog, &[]).expect("waivers read");
        (catalog, Arc::new(waivers))
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&first, body)) = bytes.split_first() else {
        return;
    };
    let extension = ["csv", "json", "jsonl", "xlsx", "xls", "ods"][usize::from(first % 6)];
    let encoding = [None, Some(encoding_rs::GBK), Some(encoding_rs::UTF_16LE)][usize::from(first / 6 % 3)];
    let Ok(mut file) = tempfile::Builder::new().suffix(&format!(".{extension}")).tempfile() else {
        return;
    };
    if file.write_all(body).and_then(|()| file.flush()).is_err() {
        return;
    }
    let path = file.path().to_string_lossy().into_owned();
    let (catalog, waivers) = catalog(first / 18 % 2 == 1);
    let options = Options {
        jobs: 1,
        waivers: Some(Arc::clone(waivers)),
        waiver_date: "2015-09-01".parse().ok(),
        ..Options::default()
    };
    let csv = report::csv::Csv::new(catalog, Language::Traditional, true, true);
    let formats: [&dyn yardstick::results::Format; 2] = [&csv, &report::json::Json { lines: false }];
    let open = OpenOptions {
        encoding,
        ..OpenOptions::default()
    };
    for format in formats {
        let standard = &*catalog.latest().standard;
        let Ok((source, _)) = data::open_scored(&path, &open, &[standard]) else {
            return;
        };
        let mut out = Vec::new();
        let _ = batch::run(catalog, vec![source], format, &mut out, &options);
    }
});
