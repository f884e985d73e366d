//! `yardstick lsp` driven as an editor drives it: the real binary over
//! stdio, framed JSON-RPC, on copies of the founding standards. Answers are
//! snapshotted with the temporary folder's path written `$DIR`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "the session's helpers fail the test that uses them, as its asserts do"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{Value, json};

/// A language server and its folder of standards.
struct Session {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    dir: tempfile::TempDir,
    next_id: i64,
    /// Notifications received while waiting for responses.
    notifications: Vec<Value>,
}

fn read_message(output: &mut BufReader<ChildStdout>) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if output.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse().ok();
        }
    }
    let mut body = vec![0; length?];
    output.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Session {
    /// A server started in a copy of `standards/office_environment`, initialized.
    fn start() -> Session {
        let dir = tempfile::tempdir().unwrap();
        for edition in ["2015.std", "2016.std"] {
            std::fs::copy(
                Path::new("standards/office_environment").join(edition),
                dir.path().join(edition),
            )
            .unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_yardstick"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut output) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut session = Session {
            child,
            input,
            messages,
            dir,
            next_id: 0,
            notifications: Vec::new(),
        };
        let root = session.uri("");
        let answer = session.request(
            "initialize",
            json!({"capabilities": {}, "rootUri": root.trim_end_matches('/')}),
        );
        assert!(answer["result"]["capabilities"]["hoverProvider"] == json!(true));
        session.notify("initialized", json!({}));
        session
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        std::fs::canonicalize(self.dir.path()).unwrap().join(name)
    }

    fn uri(&self, name: &str) -> String {
        format!("file://{}", self.path(name).display())
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; its id.
    fn ask(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    fn receive(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s")
    }

    /// The response to request `id`, notifications before it kept.
    fn response(&mut self, id: i64) -> Value {
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.ask(method, params);
        self.response(id)
    }

    /// The next diagnostics published for `name`.
    fn diagnostics(&mut self, name: &str) -> Value {
        let uri = self.uri(name);
        self.diagnostics_at(&uri)
    }

    /// The next diagnostics published for the document `uri`.
    fn diagnostics_at(&mut self, uri: &str) -> Value {
        let is_mine = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == json!(uri)
        };
        if let Some(at) = self.notifications.iter().position(is_mine) {
            return self.notifications.remove(at)["params"]["diagnostics"].clone();
        }
        loop {
            let message = self.receive();
            if is_mine(&message) {
                return message["params"]["diagnostics"].clone();
            }
            self.notifications.push(message);
        }
    }

    fn open(&mut self, name: &str) -> String {
        let text = std::fs::read_to_string(self.path(name)).unwrap();
        let uri = self.uri(name);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yardstick", "version": 1, "text": text}}),
        );
        text
    }

    /// Replaces a range of an open file, as an editor's incremental change.
    fn change(&mut self, name: &str, range: Value, text: &str) {
        let uri = self.uri(name);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"range": range, "text": text}]}),
        );
    }

    /// A request about a place of a file.
    fn at(&mut self, method: &str, name: &str, (line, character): (usize, usize)) -> Value {
        let uri = self.uri(name);
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    /// `value` as JSON text with the folder written `$DIR`.
    fn shown(&self, value: &Value) -> String {
        let dir = self.path("");
        let text = serde_json::to_string_pretty(value).unwrap();
        text.replace(dir.to_string_lossy().trim_end_matches('/'), "$DIR")
    }

    fn stop(mut self) {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the server exits cleanly: {status}");
    }
}

/// The codes of published diagnostics.
fn codes_of(diagnostics: &Value) -> Vec<&str> {
    let list = diagnostics.as_array().expect("a list of diagnostics");
    list.iter().filter_map(|d| d["code"].as_str()).collect()
}

/// The labels of a completion answer.
fn labels_of(answer: &Value) -> Vec<&str> {
    let list = answer["result"].as_array().expect("a list of completions");
    list.iter().filter_map(|c| c["label"].as_str()).collect()
}

/// The line and UTF-16 character of the `nth` (from 0) `needle` of `text`.
fn find(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .expect("the needle is there")
        .0;
    let line = text[..offset].matches('\n').count();
    let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    (line, text[start..offset].encode_utf16().count())
}

fn range((line, character): (usize, usize), length: usize) -> Value {
    json!({"start": {"line": line, "character": character},
           "end": {"line": line, "character": character + length}})
}

#[test]
fn the_founding_standards_check_clean_and_answer_questions() {
    let mut session = Session::start();
    let text = session.open("2016.std");
    assert_eq!(session.diagnostics("2016.std"), json!([]));
    // A field 2016 reads and 2015 declares.
    let used = find(&text, "green_coverage", 0);
    let place = (used.0, used.1 + 3);
    let hover = session.at("textDocument/hover", "2016.std", place);
    insta::assert_snapshot!("hover_field", session.shown(&hover["result"]));
    let definition = session.at("textDocument/definition", "2016.std", place);
    insta::assert_snapshot!("definition_field", session.shown(&definition["result"]));
    let uri = session.uri("2016.std");
    let references = session.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": place.0, "character": place.1},
               "context": {"includeDeclaration": true}}),
    );
    let found = references["result"].as_array().unwrap();
    assert!(
        found
            .iter()
            .any(|l| l["uri"] == json!(session.uri("2015.std")))
            && found
                .iter()
                .any(|l| l["uri"] == json!(session.uri("2016.std"))),
        "references in both editions: {found:?}"
    );
    // `extends "2015.std"` leads to the file.
    let extends = find(&text, "\"2015.std\"", 0);
    let definition = session.at(
        "textDocument/definition",
        "2016.std",
        (extends.0, extends.1 + 2),
    );
    assert_eq!(
        definition["result"][0]["uri"],
        json!(session.uri("2015.std"))
    );
    let outline = session.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": session.uri("2016.std")}}),
    );
    insta::assert_snapshot!("outline_2016", session.shown(&outline["result"]));
    session.stop();
}

#[test]
fn a_typo_is_reported_at_its_place_with_a_did_you_mean_and_goes_when_fixed() {
    let mut session = Session::start();
    let text = session.open("2015.std");
    assert_eq!(session.diagnostics("2015.std"), json!([]));
    let at = find(&text, "green_coverage >=", 0);
    session.change(
        "2015.std",
        range(at, "green_coverage".len()),
        "green_coverag",
    );
    let diagnostics = session.diagnostics("2015.std");
    insta::assert_snapshot!("typo_diagnostics", session.shown(&diagnostics));
    session.change(
        "2015.std",
        range(at, "green_coverag".len()),
        "green_coverage",
    );
    assert_eq!(session.diagnostics("2015.std"), json!([]));
    session.stop();
}

#[test]
fn a_rule_typed_character_by_character_gets_an_answer_at_every_keystroke() {
    let mut session = Session::start();
    let text = session.open("2015.std");
    session.diagnostics("2015.std");
    // A new rule typed before the first section, one character at a time.
    let (line, _) = find(&text, "\nsection ", 0);
    let typed = "rule Z9 \"新規則\" { require 綠化率 >= 30% points 1 }\n";
    let mut character = 0;
    let mut answered = 0;
    for c in typed.chars() {
        let at = json!({"line": line + 1, "character": character});
        session.change("2015.std", json!({"start": at, "end": at}), &c.to_string());
        character += c.len_utf16();
        if c == '\n' {
            break;
        }
        let answer = session.at("textDocument/hover", "2015.std", (line + 1, character));
        assert!(
            answer.get("result").is_some() || answer["error"]["code"] == json!(-32801),
            "an answer or `content modified`: {answer}"
        );
        let completion = session.at("textDocument/completion", "2015.std", (line + 1, character));
        assert!(completion.get("result").is_some(), "{completion}");
        answered += 1;
    }
    assert_eq!(answered, typed.chars().count() - 1);
    // 綠化率 is no field (the field is green_coverage): the last diagnostics say so.
    let mut last = session.diagnostics("2015.std");
    while let Some(at) = session
        .notifications
        .iter()
        .position(|m| m["method"] == "textDocument/publishDiagnostics")
    {
        last = session.notifications.remove(at)["params"]["diagnostics"].clone();
    }
    let codes = codes_of(&last);
    assert!(codes.contains(&"yardstick::unknown_field"), "{last}");
    session.stop();
}

#[test]
fn completion_offers_rules_in_passed_and_choices_after_equals() {
    let mut session = Session::start();
    let text = session.open("2015.std");
    session.diagnostics("2015.std");
    let (line, _) = find(&text, "\nsection ", 0);
    let at = json!({"line": line + 1, "character": 0});
    session.change(
        "2015.std",
        json!({"start": at, "end": at}),
        "let 例 = passed(\nlet 例2 = kind == \nlet 例3 = kind == \"\"\n",
    );
    let rules = session.at("textDocument/completion", "2015.std", (line + 1, 16));
    let labels = labels_of(&rules);
    assert!(
        labels.contains(&"D1") && labels.contains(&"A1"),
        "{labels:?}"
    );
    let choices = session.at("textDocument/completion", "2015.std", (line + 2, 18));
    let labels = labels_of(&choices);
    assert_eq!(labels, ["\"行政\"", "\"執法執紀\"", "\"綜合服務\""]);
    // After a typed quote (and the one the editor closed it with), the
    // choice replaces both.
    let quoted = session.at("textDocument/completion", "2015.std", (line + 3, 18));
    let first = &quoted["result"][0];
    assert_eq!(first["textEdit"]["newText"], json!("\"行政\""), "{first}");
    assert_eq!(
        first["textEdit"]["range"],
        json!({"start": {"line": line + 3, "character": 17}, "end": {"line": line + 3, "character": 19}})
    );
    session.stop();
}

#[test]
fn rename_reaches_every_edition_and_refuses_a_taken_name() {
    let mut session = Session::start();
    let text = session.open("2015.std");
    session.diagnostics("2015.std");
    let declared = find(&text, "green_coverage ", 0);
    let ask = |session: &mut Session, new_name: &str| {
        let uri = session.uri("2015.std");
        session.request(
            "textDocument/rename",
            json!({"textDocument": {"uri": uri},
                   "position": {"line": declared.0, "character": declared.1 + 1},
                   "newName": new_name}),
        )
    };
    let taken = ask(&mut session, "green_area");
    assert!(
        taken["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already a field"),
        "{taken}"
    );
    let keyword = ask(&mut session, "between");
    assert!(
        keyword["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not a name")
    );
    let renamed = ask(&mut session, "綠化率");
    let changes = renamed["result"]["documentChanges"].as_array().unwrap();
    let edited = |name: &str| {
        changes
            .iter()
            .find(|c| c["textDocument"]["uri"] == json!(session.uri(name)))
            .map(|c| c["edits"].as_array().unwrap().len())
    };
    // The declaration, the rules, `let`s and examples that read it.
    assert!(edited("2015.std").is_some_and(|n| n >= 5), "{changes:?}");
    assert!(edited("2016.std").is_some(), "2016 reads it too");
    session.stop();
}

#[test]
fn positions_count_utf16_units_after_chinese_and_emoji() {
    let mut session = Session::start();
    let text = session.open("2015.std");
    session.diagnostics("2015.std");
    let (line, _) = find(&text, "\nsection ", 0);
    let at = json!({"line": line + 1, "character": 0});
    let added = "rule Z8 \"😀綠\": green_coverage >= 30%  # 😀 表情\n";
    session.change("2015.std", json!({"start": at, "end": at}), added);
    let diagnostics = session.diagnostics("2015.std");
    let errors: Vec<&Value> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == json!(1))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    // `rule Z8 "😀綠": ` is 8 + 5 + 2 = 15 units; the field starts there.
    let definition = session.at("textDocument/definition", "2015.std", (line + 1, 16));
    let declared = find(&text, "green_coverage ", 0);
    assert_eq!(
        definition["result"][0]["range"]["start"],
        json!({"line": declared.0, "character": declared.1})
    );
    session.stop();
}

#[test]
fn formatting_gives_the_canonical_text_and_leaves_a_broken_file_alone() {
    let mut session = Session::start();
    session.open("2015.std");
    session.diagnostics("2015.std");
    let uri = session.uri("2015.std");
    let formatted = session.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(
        formatted["result"],
        json!([]),
        "the bundled standard is formatted"
    );
    let at = json!({"line": 0, "character": 0});
    session.change("2015.std", json!({"start": at, "end": at}), "let   x=1\n");
    let formatted = session.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let new_text = formatted["result"][0]["newText"].as_str().unwrap();
    assert!(new_text.starts_with("let x = 1\n"), "{}", &new_text[..40]);
    session.change("2015.std", json!({"start": at, "end": at}), "rule {{ ");
    let formatted = session.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(formatted["result"], json!([]));
    session.stop();
}

#[test]
fn quick_fixes_take_the_did_you_mean_and_write_full_width_punctuation_in_ascii() {
    let mut session = Session::start();
    let text = session.open("2015.std");
    session.diagnostics("2015.std");
    let at = find(&text, "green_coverage >=", 0);
    session.change(
        "2015.std",
        range(at, "green_coverage".len()),
        "green_coverag",
    );
    session.diagnostics("2015.std");
    let uri = session.uri("2015.std");
    let fixes = session.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(at, 3), "context": {"diagnostics": []}}),
    );
    let fix = &fixes["result"][0];
    assert_eq!(fix["title"], json!("改為 `green_coverage`"));
    let edit = &fix["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["newText"], json!("green_coverage"));
    assert_eq!(edit["range"], range(at, "green_coverag".len()));
    // A full-width bracket typed by an input method.
    session.change(
        "2015.std",
        range(at, "green_coverag".len()),
        "green_coverage",
    );
    session.diagnostics("2015.std");
    let list = find(&text, "(\"行政\"", 0);
    session.change("2015.std", range(list, 1), "（");
    let diagnostics = session.diagnostics("2015.std");
    assert_eq!(
        diagnostics[0]["code"],
        json!("yardstick::syntax_error"),
        "{diagnostics}"
    );
    let fixes = session.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(list, 1), "context": {"diagnostics": []}}),
    );
    assert_eq!(
        fixes["result"][0]["title"],
        json!("把 `（` 寫成 `(`"),
        "{fixes}"
    );
    session.stop();
}

#[test]
fn hints_folds_tokens_and_symbols_across_the_folder() {
    let mut session = Session::start();
    let text = session.open("2015.std");
    session.diagnostics("2015.std");
    let uri = session.uri("2015.std");
    let whole =
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 100000, "character": 0}});
    let hints = session.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": whole}),
    );
    let labels: Vec<&str> = hints["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    // The four environments' sections, and A2's deduction.
    let section_a = find(&text, "section A ", 0).0;
    let first = &hints["result"][0];
    assert_eq!(first["position"]["line"], json!(section_a));
    assert!(labels.iter().any(|l| l.contains("每處扣 1")), "{labels:?}");
    let folds = session.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(folds["result"].as_array().unwrap().len() > 30);
    let tokens = session.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let data = tokens["result"]["data"].as_array().unwrap();
    assert_eq!(data.len() % 5, 0);
    // The first name is the header's `key unit_id`: a field (type 0).
    let key = find(&text, "unit_id", 0);
    assert_eq!(
        &data[..4],
        &[json!(key.0), json!(key.1), json!(7), json!(0)]
    );
    let symbols = session.request("workspace/symbol", json!({"query": "d1"}));
    let names: Vec<&str> = symbols["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.iter().any(|n| n.starts_with("D1 ")), "{names:?}");
    session.stop();
}

#[test]
fn hover_tells_a_grade_band_and_a_keyword_in_the_standards_language() {
    let mut session = Session::start();
    let text = session.open("2015.std");
    session.diagnostics("2015.std");
    let band = find(&text, "\"示範\"", 0);
    let hover = session.at("textDocument/hover", "2015.std", (band.0, band.1 + 1));
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(shown.starts_with("**等級** \"示範\""), "{shown}");
    assert!(shown.contains("\"示範\" when score >= "), "{shown}");
    let keyword = find(&text, "require", 0);
    let hover = session.at("textDocument/hover", "2015.std", (keyword.0, keyword.1 + 2));
    insta::assert_snapshot!(
        "hover_keyword",
        hover["result"]["contents"]["value"].as_str().unwrap()
    );
    session.stop();
}

#[test]
fn a_script_function_goes_to_its_fn_in_the_script() {
    let mut session = Session::start();
    std::fs::copy("tests/data/script.std", session.path("script.std")).unwrap();
    let text = session.open("script.std");
    assert_eq!(session.diagnostics("script.std"), json!([]));
    let call = find(&text, "ratio(green, area)", 0);
    let definition = session.at(
        "textDocument/definition",
        "script.std",
        (call.0, call.1 + 2),
    );
    let declared = find(&text, "ratio(part", 0);
    assert_eq!(
        definition["result"][0]["range"]["start"],
        json!({"line": declared.0, "character": declared.1})
    );
    let hover = session.at("textDocument/hover", "script.std", (call.0, call.1 + 2));
    assert_eq!(
        hover["result"]["contents"]["value"],
        json!("```rhai\nfn ratio(part, whole)\n```")
    );
    let references = session.request(
        "textDocument/references",
        json!({"textDocument": {"uri": session.uri("script.std")},
               "position": {"line": call.0, "character": call.1 + 2},
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(
        references["result"].as_array().unwrap().len(),
        2,
        "the let and the grade band"
    );
    session.stop();
}

#[test]
fn documents_keep_the_editors_names_through_links_unsaved_and_untitled() {
    let mut session = Session::start();
    let link = session.path("link");
    std::os::unix::fs::symlink(session.path(""), &link).unwrap();
    // Opened through a link: answered on the link's URI.
    let through = format!("file://{}/2015.std", link.display());
    let text = std::fs::read_to_string(session.path("2015.std")).unwrap();
    session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": through, "languageId": "yardstick", "version": 1, "text": text}}),
    );
    assert_eq!(session.diagnostics_at(&through), json!([]));
    // A file not saved yet, then edited: its text follows the edits.
    let unsaved = format!("file://{}/new.std", link.display());
    let broken = "standard s {\n  key k\n}\nfields {\n  k text\n}\nrule A: k == \"x\" and kk\n";
    session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": unsaved, "languageId": "yardstick", "version": 1, "text": broken}}),
    );
    let published = session.diagnostics_at(&unsaved);
    assert_eq!(
        published[0]["code"],
        json!("yardstick::unknown_field"),
        "{published}"
    );
    let at = find(broken, "kk", 0);
    session.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": unsaved, "version": 2},
               "contentChanges": [{"range": range(at, 2), "text": "k == \"y\""}]}),
    );
    let published = session.diagnostics_at(&unsaved);
    let codes = codes_of(&published);
    assert!(!codes.contains(&"yardstick::unknown_field"), "{published}");
    // An untitled buffer is checked on its own.
    session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "untitled:Untitled-1", "languageId": "yardstick", "version": 1, "text": broken}}),
    );
    let published = session.diagnostics_at("untitled:Untitled-1");
    assert_eq!(
        published[0]["code"],
        json!("yardstick::unknown_field"),
        "{published}"
    );
    session.stop();
}

#[test]
fn shutdown_and_exit_end_the_session_as_the_protocol_says() {
    // `shutdown` and `exit` in one write: answered, then a clean exit.
    let mut session = Session::start();
    let unknown = session.request("textDocument/unheardOf", json!({}));
    assert_eq!(unknown["error"]["code"], json!(-32601), "{unknown}");
    let id = session.ask("shutdown", Value::Null);
    session.notify("exit", Value::Null);
    assert_eq!(session.response(id)["result"], Value::Null);
    assert_eq!(session.child.wait().unwrap().code(), Some(0));
    // A request after `shutdown` is refused; `exit` without it is status 1.
    let mut session = Session::start();
    session.request("shutdown", Value::Null);
    let late = session.request("textDocument/hover", json!({}));
    assert_eq!(late["error"]["code"], json!(-32600), "{late}");
    session.notify("exit", Value::Null);
    assert_eq!(session.child.wait().unwrap().code(), Some(0));
    let mut session = Session::start();
    session.notify("exit", Value::Null);
    assert_eq!(session.child.wait().unwrap().code(), Some(1));
}

#[test]
fn what_an_edition_breaks_in_the_edition_it_extends_is_shown_there() {
    let mut session = Session::start();
    let text = session.open("2016.std");
    assert_eq!(session.diagnostics("2016.std"), json!([]));
    // 2015's rules read green_area: removing the field in 2016 breaks them.
    let end = (text.lines().count(), 0);
    session.change("2016.std", range(end, 0), "\nremove field green_area\n");
    let base = session.diagnostics("2015.std");
    let codes = codes_of(&base);
    assert!(codes.contains(&"yardstick::unknown_field"), "{base}");
    // Taken back: 2015's diagnostics are cleared.
    let removed = (end.0 + 1, 0);
    session.change(
        "2016.std",
        json!({"start": {"line": removed.0, "character": 0}, "end": {"line": removed.0 + 1, "character": 0}}),
        "",
    );
    assert_eq!(session.diagnostics("2015.std"), json!([]));
    session.stop();
}

#[test]
fn an_edition_changed_on_disk_is_read_again() {
    let mut session = Session::start();
    session.open("2016.std");
    assert_eq!(session.diagnostics("2016.std"), json!([]));
    // 2015 loses its field green_coverage on disk (a checkout, say).
    let base = std::fs::read_to_string(session.path("2015.std")).unwrap();
    let changed = base.replacen("  green_coverage ", "  green_cover    ", 1);
    assert_ne!(base, changed);
    std::fs::write(session.path("2015.std"), changed).unwrap();
    let uri = session.uri("2015.std");
    session.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": 2}]}),
    );
    let found = session.diagnostics("2016.std");
    let codes = codes_of(&found);
    assert!(codes.contains(&"yardstick::unknown_field"), "{found}");
    session.stop();
}

#[test]
fn a_rule_defined_again_points_at_the_base_editions_rule() {
    let mut session = Session::start();
    let text = session.open("2016.std");
    session.diagnostics("2016.std");
    let end = (text.lines().count(), 0);
    session.change(
        "2016.std",
        range(end, 0),
        "\nsection Z \"重複\" {\n  rule A1 \"再定義\": unit_id == \"甲\"\n}\n",
    );
    let found = session.diagnostics("2016.std");
    let again = found
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == json!("yardstick::edition_redefined"))
        .unwrap_or_else(|| panic!("{found}"));
    let related = &again["relatedInformation"][0];
    assert_eq!(
        related["location"]["uri"],
        json!(session.uri("2015.std")),
        "{again}"
    );
    assert_eq!(
        related["message"],
        json!("defined in the edition this one extends")
    );
    let base = std::fs::read_to_string(session.path("2015.std")).unwrap();
    let defined = find(&base, "rule A1", 0);
    assert_eq!(
        related["location"]["range"]["start"],
        json!({"line": defined.0, "character": defined.1 + 5})
    );
    session.stop();
}
