//! Helpers shared by the integration tests.

#![allow(
    dead_code,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail by panicking"
)]

pub mod big_standard;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use yardstick::diagnostics::FileDiagnostics;
use yardstick::report::diagnostics::{self, Style};

/// Runs the `yardstick` binary in the crate's folder, as a user would.
pub fn yardstick(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

/// A run's standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A run's standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes a scratch file for a test and returns its path.
pub fn write_scratch(name: &str, text: &str) -> String {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch");
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    let path = directory.join(name);
    std::fs::write(&path, text).expect("the scratch file is written");
    path.to_string_lossy().into_owned()
}

/// The style snapshots use: no colour, 80 columns, so they are stable.
pub const SNAPSHOT_STYLE: Style = Style {
    colour: false,
    width: 80,
};

/// A path relative to the crate, with `/` separators, for stable output.
pub fn display_path(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Decodes and compiles a standard's bytes, returning its diagnostics.
pub fn diagnostics_of(path: &str, bytes: Vec<u8>) -> FileDiagnostics {
    match yardstick::syntax::decode(bytes) {
        Ok(text) => yardstick::compile(path, Arc::from(text)).diagnostics,
        Err(undecodable) => {
            let yardstick::syntax::Undecodable { lossy, error } = *undecodable;
            FileDiagnostics::new(path, Arc::from(lossy), vec![Box::new(error)])
        }
    }
}

/// Reads a standard (file or directory of editions, a path relative to the
/// crate) as the command line does, and renders every diagnostic of every
/// file it read, and every file it could not read, as a user sees them.
/// Empty when the standard is fine.
pub fn rendered_standard(path: &str) -> String {
    let loaded = yardstick::editions::load(path);
    let mut out = String::new();
    for message in &loaded.unreadable {
        out.push_str(&format!("error: {message}\n"));
    }
    for file in &loaded.diagnostics {
        out.push_str(&rendered(file));
    }
    out
}

/// The diagnostics of a file rendered as a user sees them, without colour.
pub fn rendered(file: &FileDiagnostics) -> String {
    diagnostics::render(file, SNAPSHOT_STYLE)
}

/// A headless Chromium, if one is installed. With `YARDSTICK_BROWSER_TESTS`
/// set (as CI does), a missing browser fails the test instead of skipping it.
pub fn chromium() -> Option<String> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_owned);
    if found.is_none() {
        assert!(
            std::env::var_os("YARDSTICK_BROWSER_TESTS").is_none(),
            "YARDSTICK_BROWSER_TESTS is set but no Chromium is installed"
        );
        eprintln!("skipped: no Chromium installed (CI installs it; see .ci/run)");
    }
    found
}

/// The DOM of the page at `path` as a headless Chromium built it, its
/// screenshot saved to `shot`; fails on any console message (an error, an
/// uncaught exception, a resource that failed to load).
pub fn page_in_chromium(browser: &str, path: &str, shot: &str) -> String {
    let url = format!("file://{}", Path::new(path).display());
    let run = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1000,1400",
            "--dump-dom",
            &format!("--screenshot={shot}"),
            &url,
        ])
        .output()
        .expect("Chromium runs");
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{log}");
    for line in log.lines() {
        assert!(
            !line.contains("CONSOLE")
                && !line.contains("Uncaught")
                && !line.contains("Failed to load"),
            "a console message: {line}"
        );
    }
    String::from_utf8_lossy(&run.stdout).into_owned()
}
