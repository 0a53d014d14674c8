//! Expected outputs: the text and JSON of every command on the committed real dumps of
//! `testdata/sample/`, kept as files under `cli/tests/expected/` and compared byte for byte.
//!
//! `HPROFSCAN_BLESS=1 cargo test -p hprofscan --test integration expected::` rewrites the
//! files; review the diff before committing it.
//!
//! What is normalised, and why (everything else is compared as printed):
//! - Dumps are named by paths relative to the repository root (the binary runs there), so
//!   no absolute path reaches an output; a gzip dump's temporary copy goes to a directory the
//!   test makes, and no report names it.
//! - When each dump was written (`timestamp_ms`, and `written ...`/dates in text) and the
//!   rates derived from the time between the dumps of a series (`bytes_per_hour`, `.../hour`)
//!   depend on when `testdata/generate.sh` ran, not on the heap: they are replaced by
//!   `<timestamp>` / `<rate>`, so regenerating the dumps with the same JDK leaves the files
//!   valid.
//! - Nothing in the reports depends on the run itself (no durations or thread counts reach
//!   stdout; `-v` timings go to stderr, which is not compared). The test runs each command with
//!   the default thread count and checks that `--threads 1` gives the same bytes for a subset.

use std::path::{Path, PathBuf};

use crate::common::{dump, hprofscan, repo};

/// One expected-output case: a file stem and the command line (dump names are file names in
/// testdata/dumps and are turned into relative paths).
struct Case {
    name: &'static str,
    args: Vec<String>,
}

const D: &str = "testdata/dumps/";

fn case(name: &'static str, args: &[&str]) -> Case {
    let args = args
        .iter()
        .map(|a| {
            if a.starts_with("testdata/") {
                a.to_string()
            } else if a.ends_with(".hprof") || a.ends_with(".hprof.gz") || a.contains(".hprof#") {
                // Make sure the dump exists (generating the dumps if not), then name it
                // relative to the repository root.
                let file = a.split('#').next().unwrap_or(a);
                dump(file);
                format!("{D}{a}")
            } else {
                a.to_string()
            }
        })
        .collect();
    Case { name, args }
}

/// The committed dumps (testdata/sample/): real JVM dumps that CI does not regenerate, so their
/// outputs are the same on every machine. Dumps made by testdata/generate.sh differ from run to
/// run in their JDK-internal objects and addresses, so they are not used here.
const SERVICE: &str = "testdata/sample/service-audit.hprof.gz";
const SESSION: &str = "testdata/sample/session-leak.hprof.gz";
const SERIES: [&str; 3] = [
    "testdata/sample/series/svc-leak-sessions-1.hprof.gz",
    "testdata/sample/series/svc-leak-sessions-2.hprof.gz",
    "testdata/sample/series/svc-leak-sessions.hprof.gz",
];

/// The fixed list. Each case is run as text and as JSON.
fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    for (tag, d) in [("service", SERVICE), ("session", SESSION)] {
        let name =
            |cmd: &str| -> &'static str { Box::leak(format!("{cmd}-{tag}").into_boxed_str()) };
        v.push(case(name("info"), &["info", d]));
        v.push(case(name("histogram"), &["histogram", d, "--top", "40"]));
        v.push(case(
            name("histogram-retained"),
            &["histogram", d, "--retained", "--top", "40"],
        ));
        v.push(case(name("dominators"), &["dominators", d]));
        v.push(case(name("leaks"), &["leaks", d]));
        v.push(case(name("threadlocals"), &["threadlocals", d]));
        v.push(case(name("classloaders"), &["classloaders", d]));
        v.push(case(name("resources"), &["resources", d]));
    }
    v.push(case(
        "path-class-service",
        &[
            "path",
            SERVICE,
            "--class",
            "testdata.SvcLeakAudit$AuditRecord",
        ],
    ));
    v.push(case(
        "path-class-session",
        &["path", SESSION, "--class", "java.util.HashMap"],
    ));
    v.push(case(
        "leaks-series",
        &["leaks", SERIES[0], SERIES[1], SERIES[2]],
    ));
    v.push(case(
        "growth-series",
        &["growth", SERIES[0], SERIES[1], SERIES[2]],
    ));
    v.push(case("diff-series", &["diff", SERIES[0], SERIES[2]]));
    v.push(case("scan-samples", &["scan", "testdata/sample"]));
    v
}

/// Runs `hprofscan ARGS` from the repository root and returns stdout (any exit code: an
/// expected output may be a failure's, but these cases all succeed).
fn run(args: &[String], tmp: &Path) -> String {
    let out = hprofscan()
        .current_dir(repo())
        .args(args)
        .args(["--progress", "never", "--temp-dir"])
        .arg(tmp)
        .output()
        .expect("run hprofscan");
    assert!(
        out.status.success(),
        "hprofscan {args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Replaces what depends on when the dumps were written (see the module comment).
fn normalise(s: &str, tmp: &Path) -> String {
    let tmp = tmp.display().to_string();
    let mut out = String::with_capacity(s.len());
    for line in s.split_inclusive('\n') {
        let mut l = line.replace(&tmp, "<tmp>");
        l = replace_utc(&l);
        // `timestamp_ms`, `first_timestamp_ms`, `last_timestamp_ms`.
        l = replace_json_number(&l, "timestamp_ms", "0");
        l = replace_json_number(&l, "bytes_per_hour", "0");
        l = replace_rate(&l);
        out.push_str(&l);
    }
    out
}

/// `2026-11-24 14:15:16 UTC` -> `<timestamp>`.
fn replace_utc(l: &str) -> String {
    let b = l.as_bytes();
    let mut out = String::with_capacity(l.len());
    let mut i = 0;
    while i < b.len() {
        if i + 23 <= b.len() && is_utc(&b[i..i + 23]) {
            out.push_str("<timestamp>");
            i += 23;
        } else {
            let ch = l[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn is_utc(s: &[u8]) -> bool {
    // YYYY-MM-DD HH:MM:SS UTC
    let pat = b"dddd-dd-dd dd:dd:dd UTC";
    s.iter().zip(pat.iter()).all(|(&c, &p)| {
        if p == b'd' {
            c.is_ascii_digit()
        } else {
            c == p
        }
    })
}

/// Every `"...KEY": 123.4` (with or without a space after the colon, several per line in
/// NDJSON) -> `"...KEY": REPL`; null stays.
fn replace_json_number(l: &str, key: &str, repl: &str) -> String {
    let mut out = String::with_capacity(l.len());
    let mut rest = l;
    while let Some(at) = rest.find(key) {
        let start = at + key.len();
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(colon) = after.strip_prefix("\":") else {
            rest = after;
            continue;
        };
        out.push_str("\":");
        let spaced = colon.starts_with(' ');
        let value = if spaced { &colon[1..] } else { colon };
        if spaced {
            out.push(' ');
        }
        let len = value
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == '+'))
            .unwrap_or(value.len());
        if len > 0 {
            out.push_str(repl);
        }
        rest = &value[len..];
    }
    out.push_str(rest);
    out
}

/// `  1.2 MiB/hour` -> `  <rate>/hour` in text.
fn replace_rate(l: &str) -> String {
    let Some(at) = l.find("/hour") else {
        return l.to_string();
    };
    let before = &l[..at];
    // The rate is the last two words before "/hour": a number and a unit.
    let Some(unit_start) = before.rfind(' ') else {
        return l.to_string();
    };
    let Some(num_start) = before[..unit_start].rfind(' ') else {
        return l.to_string();
    };
    format!("{} <rate>{}", &l[..num_start], &l[at..])
}

fn expected_dir() -> PathBuf {
    repo().join("cli/tests/expected")
}

/// The first differing lines of two outputs, readable.
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = e
        .iter()
        .zip(a.iter())
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let mut s = format!(
        "first difference at line {} (expected {} lines, got {}):\n",
        first + 1,
        e.len(),
        a.len()
    );
    for (i, l) in e
        .iter()
        .enumerate()
        .take(first)
        .skip(first.saturating_sub(2))
    {
        s.push_str(&format!("   {:>5} {l}\n", i + 1));
    }
    // Up to 6 lines from the first difference: expected (-) above actual (+), line by line.
    for i in first..(first + 6).min(e.len().max(a.len())) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => s.push_str(&format!("   {:>5} {x}\n", i + 1)),
            (x, y) => {
                if let Some(x) = x {
                    s.push_str(&format!("  -{:>5} {x}\n", i + 1));
                }
                if let Some(y) = y {
                    s.push_str(&format!("  +{:>5} {y}\n", i + 1));
                }
            }
        }
    }
    s
}

/// Compares (or, with HPROFSCAN_BLESS=1, writes) one expected file; returns a failure message.
fn check(file: &str, actual: &str) -> Option<String> {
    let path = expected_dir().join(file);
    if std::env::var_os("HPROFSCAN_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(expected_dir()).expect("create cli/tests/expected");
        std::fs::write(&path, actual).expect("write expected output");
        return None;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => None,
        Ok(expected) => Some(format!(
            "{file} differs ({}):\n{}",
            path.display(),
            diff(&expected, actual)
        )),
        Err(e) => Some(format!(
            "{file}: cannot read {} ({e}); run with HPROFSCAN_BLESS=1 to write it",
            path.display()
        )),
    }
}

fn with_format(args: &[String], format: &str) -> Vec<String> {
    let mut v = args.to_vec();
    v.push("--format".into());
    v.push(format.into());
    v
}

/// The object id that `path --class` explains in a dump, for the `path --id` case.
fn biggest_id(dump_name: &str, class: &str, tmp: &Path) -> String {
    let args = case("", &["path", dump_name, "--class", class]).args;
    let out = run(&with_format(&args, "json"), tmp);
    let v: serde_json::Value = serde_json::from_str(&out).expect("path JSON");
    let id = v["target"]["id"]
        .as_str()
        .map(str::to_string)
        .or_else(|| v["target"]["id"].as_u64().map(|n| format!("{n}")))
        .unwrap_or_else(|| panic!("no target id in {out}"));
    id
}

#[test]
fn expected_outputs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut all = cases();
    let id = biggest_id(
        SERVICE,
        "testdata.SvcLeakAudit$PortfolioDirectory",
        tmp.path(),
    );
    all.push(case("path-id-service", &["path", SERVICE, "--id", &id]));
    let mut failures = Vec::new();
    for c in &all {
        for (format, ext) in [("text", "txt"), ("json", "json")] {
            let out = normalise(&run(&with_format(&c.args, format), tmp.path()), tmp.path());
            if let Some(f) = check(&format!("{}.{ext}", c.name), &out) {
                failures.push(format!("hprofscan {}\n{f}", c.args.join(" ")));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} expected outputs differ:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The outputs do not depend on the thread count: one worker gives the same bytes.
#[test]
fn one_thread_gives_the_same_outputs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for name in [
        "histogram-retained-service",
        "leaks-service",
        "dominators-session",
        "leaks-series",
    ] {
        let c = cases()
            .into_iter()
            .find(|c| c.name == name)
            .expect("a listed case");
        let mut args = with_format(&c.args, "json");
        args.push("--threads".into());
        args.push("1".into());
        let one = normalise(&run(&args, tmp.path()), tmp.path());
        let many = normalise(&run(&with_format(&c.args, "json"), tmp.path()), tmp.path());
        assert!(
            one == many,
            "{name}: --threads 1 differs:\n{}",
            diff(&many, &one)
        );
    }
}
