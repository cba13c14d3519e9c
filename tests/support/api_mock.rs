//! The API mocks (`../shared/tools/api-mock`: Prism serving the official KFP and Argo OpenAPI
//! documents, refusing every request that breaks them) as child processes, one per kind per test
//! binary: the Argo one takes about a minute to start.
//!
//! Use: `#[path = "support/api_mock.rs"] mod api_mock;` then `api_mock::url("kfp-v2")`.

#![allow(dead_code, missing_docs, unreachable_pub)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use super::support;

struct Mock {
    child: Child,
    url: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

static MOCKS: OnceLock<Mutex<HashMap<String, Mock>>> = OnceLock::new();

/// The base URL of a running mock of `kind` (`kfp-v1`, `kfp-v2`, `argo`), started on first use.
/// Fails the test, saying what to install, when `../shared` is not there or the mock cannot start
/// (a test that uses it is `#[ignore]`d; `.ci/run` installs the mock and runs it).
pub fn url(kind: &str) -> String {
    start(kind, false)
}

/// Like [`url`], with the mock in `--strict` mode: unknown fields in request bodies are refused
/// too (422), so a misspelled field cannot pass unnoticed. One strict mock per kind per binary.
pub fn url_strict(kind: &str) -> String {
    start(kind, true)
}

fn start(kind: &str, strict: bool) -> String {
    let shared = support::require_shared();
    let mocks = MOCKS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut mocks = mocks.lock().unwrap_or_else(|e| e.into_inner());
    let key = if strict { format!("{kind} --strict") } else { kind.to_owned() };
    if let Some(m) = mocks.get(&key) {
        return m.url.clone();
    }
    let mut command = Command::new(shared.join("tools/api-mock"));
    if strict {
        command.arg("--strict");
    }
    let mut child = command
        .arg(kind)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}/tools/api-mock: {e}", shared.display()));
    let mut line = String::new();
    // An error reading is an empty line: the assertion below says what to install.
    let _ = BufReader::new(child.stdout.take().expect("piped stdout")).read_line(&mut line);
    assert!(
        line.starts_with("http://"),
        "api-mock {kind} did not start: install it with `{}/tools/api-mock --install` (needs Node.js and npm)",
        shared.display()
    );
    let url = line.trim().to_owned();
    mocks.insert(key, Mock { child, url: url.clone() });
    url
}
