//! Fuzz target: bytes -> an inspection data file (CSV, JSON, JSON Lines,
//! `.xlsx`, `.xls` or `.ods` by its name, chosen by the first byte; the
//! format is then told by content, and text's encoding by its bytes or one
//! the first byte forces) -> its header row found -> scored by the
//! founding standard with a waiver file, written as CSV and JSON.
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

fn catalog() -> &'static (Catalog, Arc<Waivers>) {
    static CATALOG: OnceLock<(Catalog, Arc<Waivers>)> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let compiled = yardstick::compile("2015.std", Arc::from(STANDARD));
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
    let (catalog, waivers) = catalog();
    let options = Options {
        jobs: 1,
        waivers: Some(Arc::clone(waivers)),
        waiver_date: "2015-09-01".parse().ok(),
        ..Options::default()
    };
    let csv = report::csv::Csv::new(catalog, Language::Traditional, true, true);
    let formats: [&dyn report::Format; 2] = [&csv, &report::json::Json { lines: false }];
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
