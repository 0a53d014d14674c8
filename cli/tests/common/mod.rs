//! Shared helpers for the end-to-end tests: the real dumps of testdata/ and running the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ has a parent")
        .to_path_buf()
}

static GENERATE: Once = Once::new();

/// Path of a dump made by testdata/generate.sh (`basic.hprof`, `basic.jcmd.hprof.gz`, ...),
/// generating the dumps first if any is missing.
pub fn dump(name: &str) -> PathBuf {
    let p = repo().join("testdata/dumps").join(name);
    if !p.exists() {
        GENERATE.call_once(|| {
            let status = Command::new("bash")
                .arg(repo().join("testdata/generate.sh"))
                .status()
                .expect("run testdata/generate.sh");
            assert!(status.success(), "testdata/generate.sh failed");
        });
    }
    assert!(
        p.exists(),
        "{} missing after testdata/generate.sh",
        p.display()
    );
    p
}

/// The bundled sample dump.
pub fn sample() -> PathBuf {
    repo().join("testdata/sample/session-leak.hprof.gz")
}

/// The bundled service sample: an audit trail that leaks beside reference data and caches.
pub fn service_sample() -> PathBuf {
    repo().join("testdata/sample/service-audit.hprof.gz")
}

/// `hprofscan` with the given arguments.
pub fn hprofscan() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("hprofscan").expect("binary built");
    c.env_remove("RUST_LOG");
    c
}

/// Runs `hprofscan ARGS --format json` and parses stdout.
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = hprofscan()
        .args(args)
        .args(["--format", "json", "--progress", "never"])
        .output()
        .expect("run hprofscan");
    assert!(
        out.status.success(),
        "hprofscan {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// Runs `hprofscan ARGS` (text) and returns stdout.
pub fn text(args: &[&str]) -> String {
    let out = hprofscan()
        .args(args)
        .args(["--progress", "never"])
        .output()
        .expect("run hprofscan");
    assert!(
        out.status.success(),
        "hprofscan {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The histogram row of `class` in a histogram JSON document.
pub fn row<'a>(h: &'a serde_json::Value, class: &str) -> Option<&'a serde_json::Value> {
    h["classes"]
        .as_array()?
        .iter()
        .find(|r| r["class"].as_str() == Some(class))
}
