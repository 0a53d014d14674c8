//! End-to-end tests of the `hprofscan` binary on real dumps: both formats, exit codes, error
//! messages, and what must never appear in a report.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::common::{dump, hprofscan, json, row, sample, service_sample, text};
use predicates::prelude::*;

#[test]
fn info_and_histogram_on_the_bundled_sample() {
    let out = text(&["info", sample().to_str().unwrap()]);
    assert!(out.contains("gzip"), "{out}");
    assert!(out.contains("objects"), "{out}");
    let h = json(&["histogram", sample().to_str().unwrap()]);
    assert_eq!(h["schema"], "hprofscan/histogram/1");
    assert_eq!(h["dump"]["gzip"], true);
    assert_eq!(h["dump"]["complete"], true);
    assert_eq!(
        row(&h, "testdata.SessionLeak$Session").unwrap()["instances"],
        20_000
    );
    assert_eq!(
        row(&h, "testdata.SessionLeak$Attribute").unwrap()["instances"],
        40_000
    );
    assert_eq!(
        row(&h, "testdata.SessionLeak$CachedValue").unwrap()["instances"],
        500
    );
}

#[test]
fn histogram_text_and_json_agree_on_exact_counts() {
    let basic = dump("basic.hprof");
    let p = basic.to_str().unwrap();
    let h = json(&["histogram", p]);
    let foo = row(&h, "testdata.Basic$Foo").unwrap();
    assert_eq!(foo["instances"], 12_345);
    assert_eq!(foo["loaders"], 1);
    let plugin = row(&h, "testdata.plugin.Plugin").unwrap();
    assert_eq!(
        (plugin["instances"].as_u64(), plugin["loaders"].as_u64()),
        (Some(5), Some(2))
    );
    let t = text(&["histogram", p]);
    let line = t
        .lines()
        .find(|l| l.ends_with(" testdata.Basic$Foo"))
        .unwrap();
    assert!(line.contains("12,345"), "{line}");
    let pl = t
        .lines()
        .find(|l| l.contains("testdata.plugin.Plugin"))
        .unwrap();
    assert!(pl.contains("(2 loaders)"), "{pl}");
    // --top and --sort count.
    let top = json(&["histogram", p, "--top", "3", "--sort", "count"]);
    let rows = top["classes"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows[0]["instances"].as_u64() >= rows[1]["instances"].as_u64());
    assert!(top["rows_omitted"].as_u64().unwrap() > 0);
    assert_eq!(top["totals"], h["totals"]);
}

#[test]
fn gzip_and_plain_jcmd_dumps_agree() {
    let a = json(&["histogram", dump("basic.jcmd.hprof").to_str().unwrap()]);
    let b = json(&["histogram", dump("basic.jcmd.hprof.gz").to_str().unwrap()]);
    for class in [
        "testdata.Basic$Foo",
        "testdata.Basic$Bar",
        "testdata.Basic$Cell",
    ] {
        assert_eq!(row(&a, class), row(&b, class), "{class}");
    }
    assert_eq!(b["dump"]["gzip"], true);
    assert!(b["dump"]["uncompressed_bytes"].as_u64() > b["dump"]["bytes"].as_u64());
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let p = dump("retention.hprof");
    let p = p.to_str().unwrap();
    let one = json(&["dominators", p, "--threads", "1"]);
    let two = json(&["dominators", p, "--threads", "2"]);
    assert_eq!(one, two);
}

#[test]
fn dominators_and_path_name_fields() {
    let p = dump("retention.hprof");
    let t = text(&[
        "dominators",
        p.to_str().unwrap(),
        "--min-share",
        "0",
        "--depth",
        "2",
        "--top",
        "10",
    ]);
    assert!(t.contains("class testdata.Retention"), "{t}");
    assert!(
        t.contains(".HOLDER (static)  testdata.Retention$Holder"),
        "{t}"
    );
    assert!(
        t.contains(".CHAIN (static)  testdata.Retention$Node"),
        "{t}"
    );
    let s = sample();
    let path = json(&[
        "path",
        s.to_str().unwrap(),
        "--class",
        "testdata.SessionLeak$Session",
    ]);
    assert_eq!(path["strongly_reachable"], true);
    let chain = path["chain"].as_str().unwrap();
    assert!(
        chain.contains(".sessions (static) java.util.HashMap -> .table java.util.HashMap$Node[]"),
        "{chain}"
    );
    assert!(
        chain.ends_with(".value testdata.SessionLeak$Session"),
        "{chain}"
    );
    let steps = path["path"].as_array().unwrap();
    let target = &path["target"]["id"];
    assert_eq!(&steps.last().unwrap()["id"], target);
    // By id: the same object.
    let by_id = json(&[
        "path",
        s.to_str().unwrap(),
        "--id",
        target.as_str().unwrap(),
    ]);
    assert_eq!(by_id["chain"], path["chain"]);
}

#[test]
fn retained_histogram_counts_a_chain_once() {
    let p = dump("retention.hprof");
    let h = json(&[
        "histogram",
        p.to_str().unwrap(),
        "--retained",
        "--top",
        "400",
    ]);
    let node = row(&h, "testdata.Retention$Node").unwrap();
    assert_eq!(node["instances"], 1_000_000);
    assert_eq!(node["retained_bytes"], node["shallow_bytes"]);
}

#[test]
fn reports_never_show_string_contents() {
    let p = dump("basic.hprof");
    let p = p.to_str().unwrap();
    for args in [
        vec!["info", p],
        vec!["histogram", p],
        vec!["histogram", p, "--retained"],
        vec!["dominators", p, "--min-share", "0", "--depth", "6"],
        vec!["path", p, "--class", "java.lang.String"],
        vec!["leaks", p, "--threshold", "0.001"],
    ] {
        for fmt in ["text", "json"] {
            hprofscan()
                .args(&args)
                .args(["--format", fmt])
                .assert()
                .success()
                .stdout(predicate::str::contains("hunter2").not());
        }
    }
}

#[test]
fn unreadable_inputs_exit_3_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    hprofscan()
        .args(["info", dir.path().join("missing.hprof").to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("missing.hprof"));
    let empty = dir.path().join("empty.hprof");
    std::fs::write(&empty, b"").unwrap();
    hprofscan()
        .args(["info", empty.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("empty"));
    let text_file = dir.path().join("notes.hprof");
    std::fs::write(&text_file, b"PK\x03\x04 this is a zip, not a heap dump").unwrap();
    hprofscan()
        .args(["histogram", text_file.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("not an HPROF heap dump"));
}

#[test]
fn truncated_dump_needs_partial_and_then_says_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(dump("basic.hprof")).unwrap();
    let cut = dir.path().join("cut.hprof");
    std::fs::write(&cut, &bytes[..2_000_000]).unwrap();
    let c = cut.to_str().unwrap();
    hprofscan()
        .args(["histogram", c])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("offset").and(predicate::str::contains("--partial")));
    let h = json(&["histogram", c, "--partial"]);
    assert_eq!(h["dump"]["complete"], false);
    let warnings = h["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("offset")),
        "{warnings:?}"
    );
    let d = json(&["dominators", c, "--partial"]);
    assert_eq!(d["dump"]["complete"], false);
    assert!(d["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("lower bounds")));
}

#[test]
fn usage_errors_exit_2() {
    hprofscan().args(["histogram"]).assert().code(2);
    hprofscan().args(["frobnicate", "x.hprof"]).assert().code(2);
    let s = sample();
    hprofscan()
        .args(["histogram", s.to_str().unwrap(), "--threads", "0"])
        .assert()
        .code(2);
    hprofscan()
        .args(["path", s.to_str().unwrap(), "--id", "0x8"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no object with id 0x8"));
    hprofscan()
        .args(["path", s.to_str().unwrap(), "--class", "com.example.Nope"])
        .assert()
        .code(2);
}

#[test]
fn output_file_and_nothing_written_next_to_the_dump() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("copy.hprof.gz");
    std::fs::copy(sample(), &gz).unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("h.json");
    hprofscan()
        .args(["histogram", gz.to_str().unwrap(), "--format", "json", "-o"])
        .arg(&report)
        .assert()
        .success()
        .stdout("");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(v["schema"], "hprofscan/histogram/1");
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "only the dump itself is in its folder");
}

#[test]
fn closed_pipe_is_not_an_error() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("hprofscan"))
        .args([
            "histogram",
            dump("basic.hprof").to_str().unwrap(),
            "--progress",
            "never",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn progress_goes_to_stderr_only() {
    let out = hprofscan()
        .args([
            "info",
            sample().to_str().unwrap(),
            "--format",
            "json",
            "--progress",
            "always",
            "--verbose",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let _: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is pure JSON");
    assert!(String::from_utf8_lossy(&out.stderr).contains("[phase]"));
}

/// `--progress always` names every phase that ticks, with what it counts (the small dump is
/// too quick for the lines in between, which come at most once a second), and the leak
/// analysis step by step; `--progress never` prints none of it, and the report is the same.
#[test]
fn progress_names_every_counted_phase_and_leak_step_and_never_changes_the_report() {
    let s = sample();
    let run = |mode: &str| {
        let out = hprofscan()
            .args(["leaks", s.to_str().unwrap(), "--format", "json"])
            .args(["--progress", mode])
            .output()
            .unwrap();
        assert!(out.status.success());
        (
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (always, err) = run("always");
    let counted = [
        ("id index", "objects"),
        ("csr", "references"),
        ("dfs", "objects"),
        ("predecessors", "objects"),
        ("semi-nca", "visits (2 per object)"),
        ("retained", "objects"),
    ];
    for (phase, unit) in counted {
        let start = format!("[progress] {phase}: ");
        assert!(
            err.lines()
                .any(|l| l.starts_with(&start) && l.ends_with(&format!(" {unit}"))),
            "{phase}: {err}"
        );
        assert!(err.contains(&format!("{start}done in ")), "{phase}: {err}");
    }
    let steps = [
        "collections",
        "single objects",
        "findings",
        "threads",
        "evidence",
        "paths",
    ];
    for step in steps {
        let line = format!("[progress] leaks: {step}");
        assert!(err.lines().any(|l| l == line), "{step}: {err}");
        assert!(err.contains(&format!("{line}: done in ")), "{step}: {err}");
    }
    let (never, err) = run("never");
    assert!(!err.contains("[progress]"), "{err}");
    assert_eq!(
        String::from_utf8_lossy(&always),
        String::from_utf8_lossy(&never)
    );
}

/// `--progress always` with standard error on a pipe or in a file: plain lines (no bar, no
/// carriage returns or escape sequences), byte phases with their size, the graph phases with
/// what they count, never "0 B/0 B".
#[test]
fn progress_always_prints_plain_lines_to_a_pipe_and_a_file() {
    let check = |err: &str| {
        assert!(err.contains("[progress] census: "), "{err}");
        assert!(err.contains("[progress] census: done in "), "{err}");
        assert!(err.contains("[progress] dfs: "), "{err}");
        assert!(err.contains(" objects\n"), "{err}");
        assert!(!err.contains("0 B/0 B"), "{err}");
        assert!(!err.contains('\r') && !err.contains('\x1b'), "{err:?}");
        assert!(err.lines().all(|l| l.starts_with("[progress] ")), "{err}");
    };
    let s = sample();
    let args = ["leaks", s.to_str().unwrap(), "--progress", "always"];
    let out = hprofscan().args(args).output().unwrap();
    assert!(out.status.success());
    check(&String::from_utf8_lossy(&out.stderr));

    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("progress.log");
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("hprofscan"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    check(&std::fs::read_to_string(&log).unwrap());

    // `auto` shows nothing off a terminal.
    let out = hprofscan()
        .args(["info", s.to_str().unwrap(), "--progress", "auto"])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The paragraph lines of a text report (labelled text after `why`, `evidence`, `next`, and
/// the warnings): wrapped text, as opposed to names, which are never cut.
fn paragraph_widths(t: &str) -> Vec<usize> {
    let mut in_para = false;
    let mut widths = Vec::new();
    for l in t.lines() {
        if l.starts_with("   why ") || l.starts_with("   evidence ") || l.starts_with("   next ") {
            in_para = true;
        } else if !l.starts_with("               ") || l.trim_start().starts_with("->") {
            in_para = false;
        }
        if in_para || l.starts_with("format ") || l.starts_with("warning: ") {
            widths.push(l.chars().count());
        }
    }
    widths
}

/// Off a terminal (a pipe), text is wrapped to 100 columns; on a terminal, to its width
/// (checked through `script` with an 80-column terminal where util-linux's script exists).
#[test]
fn text_wraps_to_100_on_a_pipe_and_to_the_terminal_width() {
    let s = service_sample();
    let t = text(&["leaks", s.to_str().unwrap()]);
    let widths = paragraph_widths(&t);
    assert!(widths.len() > 5, "{t}");
    assert!(widths.iter().all(|&w| w <= 100), "{widths:?}\n{t}");
    assert!(
        widths.iter().any(|&w| w > 90),
        "wrapped narrower than 100: {widths:?}\n{t}"
    );

    let script = std::path::Path::new("/usr/bin/script");
    if !script.exists() {
        eprintln!("no /usr/bin/script: the terminal width is not checked");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("hprofscan");
    let cmd = format!(
        "stty cols 80; {} leaks {} --progress never",
        bin.display(),
        s.display()
    );
    let out = std::process::Command::new(script)
        .args(["-qec", &cmd, "/dev/null"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    let widths = paragraph_widths(&t);
    assert!(widths.len() > 5, "{t}");
    assert!(widths.iter().all(|&w| w <= 80), "{widths:?}\n{t}");
}

/// Plurals follow the count, and an empty section says "(none)".
#[test]
fn one_is_singular_and_empty_sections_say_none() {
    let h = dump("healthy.hprof");
    let t = text(&["threadlocals", h.to_str().unwrap()]);
    assert!(t.contains(" on 1 thread (main), retains "), "{t}");
    assert!(!t.contains(" 1 threads"), "{t}");
    let r = text(&["resources", h.to_str().unwrap()]);
    assert!(r.contains("\n\n(none)\n"), "{r}");
    let c = text(&["classloaders", h.to_str().unwrap()]);
    assert!(
        c.contains("Classes defined by more than one loader:\n  (none)"),
        "{c}"
    );
    assert!(c.contains("parent of 1 class loader\n"), "{c}");
    let g = text(&[
        "growth",
        dump("growth-steady-1.hprof").to_str().unwrap(),
        dump("growth-steady.hprof").to_str().unwrap(),
    ]);
    assert!(g.contains("Classes that grew most:\n  (none)"), "{g}");
    let d = text(&[
        "dominators",
        dump("basic.hprof").to_str().unwrap(),
        "--min-share",
        "1",
    ]);
    assert!(d.contains("(none)"), "{d}");
}

/// `path --class` takes a nested class with `.` as in Java source, and an unknown name gets
/// the close names as suggestions (exit 2).
#[test]
fn path_class_accepts_dots_and_suggests_close_names() {
    let d = dump("leak-static-map.hprof");
    let d = d.to_str().unwrap();
    let dotted = json(&["path", d, "--class", "testdata.LeakStaticMap.Item"]);
    let dollar = json(&["path", d, "--class", "testdata.LeakStaticMap$Item"]);
    assert_eq!(dotted["target"], dollar["target"]);
    for (asked, suggested) in [
        ("LeakStaticMap$Item", "testdata.LeakStaticMap$Item"),
        ("testdata.LeakStaticMap$Itme", "testdata.LeakStaticMap$Item"),
        ("java.util.HashMapp", "java.util.HashMap"),
    ] {
        let out = hprofscan()
            .args(["path", d, "--class", asked, "--progress", "never"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "no class named {asked} in the dump; did you mean {suggested}"
            )),
            "{err}"
        );
    }
}

/// `report` writes HTML only: `--format json` is refused (exit 2) before any analysis, and no
/// file is left behind.
#[test]
fn report_refuses_format_json() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("r.html");
    let out = hprofscan()
        .args([
            "report",
            sample().to_str().unwrap(),
            "--format",
            "json",
            "--progress",
            "always",
            "-o",
        ])
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("report writes one HTML page"), "{err}");
    assert!(!err.contains("[progress]"), "{err}");
    assert!(!page.exists());
}

/// A text file given as a dump: its first bytes are shown escaped once (`\n`, not `\\n`).
#[test]
fn a_text_file_as_a_dump_is_shown_escaped_once() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.hprof");
    std::fs::write(&notes, "not a dump\nsecond line\n").unwrap();
    let out = hprofscan()
        .args(["info", notes.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(r#"the file starts with "not a dump\nsecond li", not"#),
        "{err}"
    );
}

/// An `-o` in a directory that does not exist fails at once (exit 2), before any analysis.
#[test]
fn an_unwritable_output_fails_before_the_analysis() {
    let out = hprofscan()
        .args([
            "leaks",
            sample().to_str().unwrap(),
            "--progress",
            "always",
            "-o",
            "/nonexistent/x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/x"), "{err}");
    assert!(!err.contains("[progress]"), "analysis ran first: {err}");
}

const COMMANDS: [&str; 16] = [
    "info",
    "histogram",
    "leaks",
    "scan",
    "report",
    "threadlocals",
    "classloaders",
    "resources",
    "growth",
    "diff",
    "dominators",
    "path",
    "completions",
    "man",
    "redact",
    "waste",
];

/// Every command's --help (and -h) ends with examples of that command; `path`'s usage line
/// shows that it needs --id or --class.
#[test]
fn every_help_has_examples_and_path_usage_shows_its_target() {
    for c in COMMANDS {
        for flag in ["--help", "-h"] {
            let out = hprofscan().args([c, flag]).output().unwrap();
            assert!(out.status.success(), "{c} {flag}");
            let help = String::from_utf8_lossy(&out.stdout);
            assert!(
                help.contains(&format!("Examples:\n  hprofscan {c} ")),
                "{c} {flag}:\n{help}"
            );
        }
    }
    let top = hprofscan().arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&top.stdout).contains("Examples:\n  hprofscan leaks "));
    let path = hprofscan().args(["path", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&path.stdout);
    assert!(
        help.contains("Usage: hprofscan path [OPTIONS] <--id <ID>|--class <NAME>> <DUMP>"),
        "{help}"
    );
}

/// `completions SHELL` prints a script naming the commands for every shell clap_complete
/// knows; `man` prints a roff page and `man --dir` writes one page per command.
#[test]
fn completions_and_man_pages() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = hprofscan().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains("hprofscan"), "{shell}");
        assert!(
            script.contains("dominators") && script.contains("--fail-on-leak"),
            "{shell}: {script}"
        );
    }
    hprofscan().args(["completions", "tcsh"]).assert().code(2);
    let out = hprofscan().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH hprofscan 1"), "{page}");
    assert!(page.contains("leaks"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    hprofscan()
        .args(["man", "--dir", dir.path().to_str().unwrap()])
        .assert()
        .success();
    for c in COMMANDS {
        let p = dir.path().join(format!("hprofscan-{c}.1"));
        assert!(p.exists(), "{}", p.display());
    }
    let leaks = std::fs::read_to_string(dir.path().join("hprofscan-leaks.1")).unwrap();
    assert!(leaks.contains("threshold"), "{leaks}");
}

/// `dominators` text shows `AppClassLoader -> .classes -> .elementData -> [i] class X` as one
/// step, so the default depth reaches what the class's static field holds; JSON keeps the tree.
#[test]
fn dominators_collapse_the_class_loader_plumbing() {
    let s = sample();
    let t = text(&["dominators", s.to_str().unwrap()]);
    assert!(
        t.contains("class testdata.SessionLeak$SessionManager, defined by the system class loader"),
        "{t}"
    );
    assert!(t.contains(".sessions (static)  java.util.HashMap"), "{t}");
    assert!(!t.contains(".elementData  java.lang.Object[]"), "{t}");
    let j = json(&["dominators", s.to_str().unwrap()]);
    assert_eq!(j["tree"][0]["children"][0]["via"], ".classes");
}

/// `path` text and the path lines of `leaks` suspects show `AppClassLoader -> .classes ->
/// .elementData -> [i] class X` as one step; the root is marked as the loader; JSON keeps every
/// step.
#[test]
fn path_and_leaks_collapse_the_class_loader_plumbing() {
    let d = dump("leak-static-map.hprof");
    let d = d.to_str().unwrap();
    let t = text(&["path", d, "--class", "testdata.LeakStaticMap$Item"]);
    assert!(t.contains("  gc root (jni_global) (its loader)\n"), "{t}");
    assert!(
        t.contains(
            "  -> class testdata.LeakStaticMap$Registry, defined by the system class loader 0x"
        ),
        "{t}"
    );
    assert!(t.contains("  -> .ITEMS (static) java.util.HashMap"), "{t}");
    assert!(
        t.contains("gc root (jni_global) (its loader) -> class testdata.LeakStaticMap$Registry, defined by the system class loader -> .ITEMS (static)"),
        "{t}"
    );
    assert!(
        !t.contains(".elementData") && !t.contains("AppClassLoader"),
        "{t}"
    );
    let j = json(&["path", d, "--class", "testdata.LeakStaticMap$Item"]);
    assert_eq!(j["path"][1]["via"], ".classes");
    assert_eq!(j["path"][2]["via"], ".elementData");

    let s = service_sample();
    let t = text(&["leaks", s.to_str().unwrap()]);
    assert!(
        t.contains(
            "   path        gc root (jni_global) (its loader)\n               -> class testdata.SvcLeakAudit$AuditTrail, defined by the system class loader\n               -> .RECORDS (static) java.util.ArrayList"
        ),
        "{t}"
    );
    let j = json(&["leaks", s.to_str().unwrap()]);
    let path = j["suspects"][0]["gc_root_path"].as_array().unwrap();
    assert!(path.iter().any(|p| p["via"] == ".elementData"), "{path:?}");
}

#[test]
fn leaks_on_the_sample_names_the_field_and_the_evidence_in_both_formats() {
    let s = service_sample();
    let t = text(&["leaks", s.to_str().unwrap()]);
    let first_line = t.lines().next().unwrap();
    assert_eq!(first_line, "1 leak found.", "{t}");
    assert!(
        t.contains("#1 leak (high confidence)  static-collection  testdata.SvcLeakAudit$AuditTrail.RECORDS (static)"),
        "{t}"
    );
    assert!(
        t.contains("9,000 x testdata.SvcLeakAudit$AuditRecord"),
        "{t}"
    );
    assert!(
        t.contains("   evidence    + strong: entries were added over 9.0 h"),
        "{t}"
    );
    let j = json(&["leaks", s.to_str().unwrap()]);
    assert_eq!(j["schema"], "hprofscan/leaks/16");
    assert_eq!(j["outcome"], "leak");
    let first = &j["suspects"][0];
    assert_eq!(first["verdict"], "leak");
    assert_eq!(first["confidence"], "high");
    assert_eq!(first["holder"]["class"], "testdata.SvcLeakAudit$AuditTrail");
    assert_eq!(first["holder"]["field"], "RECORDS");
    assert_eq!(first["holder"]["static"], true);
    assert_eq!(first["entries"], 9_000);
    assert_eq!(first["element_class"], "testdata.SvcLeakAudit$AuditRecord");
    assert_eq!(first["collection_class"], "java.util.ArrayList");
    assert_eq!(first["evidence"][0]["name"], "entry-ages");
    assert_eq!(first["evidence"][0]["supports"], "leak");
    assert_eq!(first["gc_root_path"][0]["type"], "root");
    assert_eq!(
        first["fingerprint"],
        "static-collection:testdata.SvcLeakAudit$AuditTrail.RECORDS"
    );
    // The reference data (35% of the heap) and the FIFO quote cache beside it are not suspects.
    assert_eq!(j["suspects"].as_array().unwrap().len(), 1);
    let isin = j["top_retainers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["holder"]["field"] == "BY_ISIN")
        .expect("the reference data is listed");
    assert_eq!(isin["verdict"], "memory-hungry");
}

#[test]
fn fail_on_leak_gates_a_pipeline() {
    let s = service_sample();
    let run = |args: &[&str]| {
        let mut c = hprofscan();
        c.args(args).args(["--progress", "never"]);
        c.assert()
    };
    run(&["leaks", s.to_str().unwrap(), "--fail-on-leak"]).code(1);
    run(&["leaks", s.to_str().unwrap()]).code(0);
    // A possible leak fails only --fail-on-leak=possible.
    let possible = dump("leak-listeners.hprof");
    let p = possible.to_str().unwrap();
    run(&["leaks", p, "--fail-on-leak"]).code(0);
    run(&["leaks", p, "--fail-on-leak=possible"]).code(1);
    run(&["leaks", p, "--fail-on-leak=sometimes"]).code(2);
    let healthy = dump("svc-healthy-banking.hprof");
    run(&[
        "leaks",
        healthy.to_str().unwrap(),
        "--fail-on-leak=possible",
    ])
    .code(0)
    .stdout(predicate::str::starts_with("No leak suspects"));
    run(&["leaks", s.to_str().unwrap(), "--threshold", "0"]).code(2);
}

#[test]
fn a_cut_dump_still_names_its_leak_with_partial() {
    // HotSpot writes the GC roots last: a dump cut near its end has none, and class objects
    // stand in for them so that what static fields hold is still found.
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(dump("leak-static-map.hprof")).unwrap();
    let cut = dir.path().join("cut.hprof");
    std::fs::write(&cut, &bytes[..bytes.len() * 9 / 10]).unwrap();
    let c = cut.to_str().unwrap();
    hprofscan().args(["leaks", c]).assert().code(3);
    let j = json(&["leaks", c, "--partial"]);
    assert_eq!(j["dump"]["complete"], false);
    let first = j["top_retainers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["holder"]["field"] == "ITEMS")
        .expect("the map is still found and listed");
    assert_eq!(first["holder"]["class"], "testdata.LeakStaticMap$Registry");
    assert_eq!(first["entries"], 30_000);
    let warnings = j["warnings"].to_string();
    assert!(warnings.contains("no GC roots"), "{warnings}");
    assert!(warnings.contains("lower bounds"), "{warnings}");
}

#[test]
fn threadlocals_classloaders_and_resources_commands() {
    let t = text(&[
        "threadlocals",
        dump("threadlocal-leak.hprof").to_str().unwrap(),
    ]);
    assert!(
        t.contains("480 stale entries: 480 x testdata.ThreadLocalLeak$ParserScratch on 8 threads (ingest-worker-1..8)"),
        "{t}"
    );
    // A ThreadLocal per request: 12,000 keys of one instance field, one line (the JSON keeps
    // each key's group).
    let t = text(&[
        "threadlocals",
        dump("document-stamps-leak.hprof").to_str().unwrap(),
    ]);
    assert!(
        t.contains("ThreadLocals testdata.DocumentStamps$Stamper.scratch (one per object, 12,000 ThreadLocals): 12,000 x testdata.DocumentStamps$Stamper$Stamp on 6 threads (stamp-worker-1..6), retain 9.2 MiB"),
        "{t}"
    );
    assert_eq!(
        t.matches("DocumentStamps$Stamper.scratch").count(),
        1,
        "{t}"
    );
    let t = text(&["classloaders", dump("plugin-host.hprof").to_str().unwrap()]);
    assert!(
        t.contains("testdata.redeploy.PluginImpl x12 (11 stale)"),
        "{t}"
    );
    let t = text(&["resources", dump("open-resources.hprof").to_str().unwrap()]);
    assert!(
        t.contains("400 open of     400  java.io.FileInputStream  testdata.OpenResources$FileRegistry.OPEN (static)"),
        "{t}"
    );
}

#[test]
fn growth_names_the_growing_holder_and_diff_puts_classes_first() {
    let (a, b, c) = (
        dump("growth-leak-1.hprof"),
        dump("growth-leak-2.hprof"),
        dump("growth-leak.hprof"),
    );
    let t = text(&[
        "growth",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        c.to_str().unwrap(),
    ]);
    let line = t
        .lines()
        .find(|l| l.contains("SessionStore.SESSIONS (static)"))
        .unwrap_or_else(|| panic!("{t}"));
    assert!(
        line.contains("20,000 -> 40,000 -> 80,000 entries"),
        "{line}"
    );
    assert!(line.contains("growing"), "{line}");
    assert_eq!(t.matches(" growing").count(), 1, "{t}");
    let j = json(&[
        "growth",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        c.to_str().unwrap(),
    ]);
    assert_eq!(j["schema"], "hprofscan/growth/1");
    let d = text(&["diff", a.to_str().unwrap(), c.to_str().unwrap()]);
    let classes = d.find("Classes that grew most").unwrap();
    let holders = d.find("Holders:").unwrap();
    assert!(classes < holders, "{d}");
    let steady: Vec<_> = [
        "growth-steady-1.hprof",
        "growth-steady-2.hprof",
        "growth-steady.hprof",
    ]
    .iter()
    .map(|n| dump(n))
    .collect();
    let args: Vec<&str> = std::iter::once("growth")
        .chain(steady.iter().map(|p| p.to_str().unwrap()))
        .collect();
    let t = text(&args);
    assert!(!t.contains(" growing"), "{t}");
    hprofscan()
        .args(["growth", a.to_str().unwrap()])
        .assert()
        .code(2);
}

#[test]
fn leaks_over_a_series_ranks_growing_holders_first() {
    let series: Vec<_> = [
        "growth-leak-1.hprof",
        "growth-leak-2.hprof",
        "growth-leak.hprof",
    ]
    .iter()
    .map(|n| dump(n))
    .collect();
    let args: Vec<&str> = std::iter::once("leaks")
        .chain(series.iter().map(|p| p.to_str().unwrap()))
        .collect();
    let j = json(&args);
    let first = &j["suspects"][0];
    assert_eq!(first["holder"]["field"], "SESSIONS");
    assert_eq!(first["growth"]["verdict"], "growing");
    assert_eq!(
        first["growth"]["entries"],
        serde_json::json!([20_000, 40_000, 80_000])
    );
    for s in j["suspects"].as_array().unwrap().iter().skip(1) {
        assert_ne!(s["growth"]["verdict"], "growing", "{s}");
    }
    let steady: Vec<_> = [
        "growth-steady-1.hprof",
        "growth-steady-2.hprof",
        "growth-steady.hprof",
    ]
    .iter()
    .map(|n| dump(n))
    .collect();
    let args: Vec<&str> = std::iter::once("leaks")
        .chain(steady.iter().map(|p| p.to_str().unwrap()))
        .collect();
    let j = json(&args);
    // A holder judged stable across the series is never a suspect: it is in the verdict table.
    assert!(
        j["suspects"].as_array().unwrap().is_empty(),
        "{}",
        j["suspects"]
    );
    assert_eq!(j["outcome"], "no-leak");
    let rows = j["verdicts"].as_array().unwrap();
    assert!(!rows.is_empty());
    for v in rows.iter().filter(|v| !v["growth"].is_null()) {
        assert_eq!(v["verdict"], "memory-hungry", "{v}");
    }
}

#[test]
fn scan_an_archive_with_damaged_dumps() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("incidents/2026-11");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::copy(service_sample(), nested.join("a.hprof.gz")).unwrap();
    std::fs::copy(dump("svc-leak-audit.hprof"), dir.path().join("b.hprof")).unwrap();
    let bytes = std::fs::read(dump("leak-static-map.hprof")).unwrap();
    std::fs::write(dir.path().join("cut.hprof"), &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(dir.path().join("junk.hprof"), b"not a heap dump").unwrap();
    std::fs::write(dir.path().join("readme.txt"), b"ignored").unwrap();
    let out = hprofscan()
        .args([
            "scan",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
            "--progress",
            "never",
            "--jobs",
            "2",
        ])
        .output()
        .unwrap();
    // Every line is written, and two dumps could not be analysed: exit 3.
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 5, "4 dumps and the summary");
    let records = &lines[..4];
    assert!(records.iter().all(|r| r["schema"] == "hprofscan/scan/7"));
    let by = |suffix: &str| {
        records
            .iter()
            .find(|r| r["path"].as_str().unwrap().ends_with(suffix))
            .unwrap()
    };
    assert!(by("cut.hprof")["error"]
        .as_str()
        .unwrap()
        .contains("offset"));
    assert!(by("junk.hprof")["error"]
        .as_str()
        .unwrap()
        .contains("not an HPROF"));
    assert_eq!(
        by("a.hprof.gz")["suspects"][0]["fingerprint"],
        "static-collection:testdata.SvcLeakAudit$AuditTrail.RECORDS"
    );
    assert_eq!(by("a.hprof.gz")["suspects"][0]["verdict"], "leak");
    let summary = &lines[4];
    assert_eq!(summary["schema"], "hprofscan/scan-summary/1");
    assert_eq!(summary["dumps"], 4);
    assert_eq!(summary["failed"], 2);
    let leak = &summary["leaks"][0];
    assert_eq!(
        leak["fingerprint"],
        "static-collection:testdata.SvcLeakAudit$AuditTrail.RECORDS"
    );
    assert_eq!(leak["verdict"], "leak");
    assert_eq!(leak["dumps"], 2);
    // With --partial the cut dump is analysed as far as it is intact.
    let out = hprofscan()
        .args([
            "scan",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
            "--partial",
            "--fail-on-leak",
        ])
        .output()
        .unwrap();
    // junk.hprof still fails: a dump that could not be analysed (3) outranks a leak (1).
    assert_eq!(
        out.status.code(),
        Some(3),
        "a failed dump with --fail-on-leak"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let cut: serde_json::Value = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with("cut.hprof")))
        .unwrap();
    assert_eq!(cut["complete"], false);
    assert!(cut["error"].is_null());
    hprofscan()
        .args(["scan", dir.path().join("nothing-here").to_str().unwrap()])
        .assert()
        .code(2);
}

#[test]
fn output_never_overwrites_an_input_dump_and_is_checked_first() {
    // Issue #14 item 6.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("only-copy.hprof.gz");
    std::fs::copy(sample(), &d).unwrap();
    let original = std::fs::read(&d).unwrap();
    let link = dir.path().join("hard-link.hprof.gz");
    std::fs::hard_link(&d, &link).unwrap();
    let dotted = dir.path().join(".").join("only-copy.hprof.gz");
    for args in [
        vec!["leaks", d.to_str().unwrap(), "-o", d.to_str().unwrap()],
        vec!["leaks", d.to_str().unwrap(), "-o", link.to_str().unwrap()],
        vec![
            "histogram",
            d.to_str().unwrap(),
            "-o",
            dotted.to_str().unwrap(),
        ],
        vec!["report", d.to_str().unwrap(), "-o", d.to_str().unwrap()],
        vec![
            "scan",
            dir.path().to_str().unwrap(),
            "-o",
            d.to_str().unwrap(),
        ],
    ] {
        hprofscan()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("refusing to write over it"));
        assert_eq!(std::fs::read(&d).unwrap(), original, "{args:?}");
    }
    // An output that cannot be created fails before the analysis: exit 2, nothing read.
    let missing_dir = dir.path().join("no-such-dir/out.txt");
    hprofscan()
        .args([
            "leaks",
            d.to_str().unwrap(),
            "-o",
            missing_dir.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write the report"));
    // A run that fails leaves no empty output file behind.
    let junk = dir.path().join("junk.hprof");
    std::fs::write(&junk, b"not a heap dump").unwrap();
    let out = dir.path().join("out.txt");
    hprofscan()
        .args(["info", junk.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .assert()
        .code(3);
    assert!(!out.exists());
}

#[test]
fn fifo_dev_zero_and_directories_are_refused_at_once() {
    // Issue #14 item 7: no blocking on a FIFO without a writer, no "empty" /dev/zero.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.hprof");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut cases = vec![
        ("/dev/zero".to_string(), "is a character device"),
        (dir.path().display().to_string(), "is a directory"),
    ];
    if made {
        cases.push((fifo.display().to_string(), "is a FIFO"));
    }
    for (p, want) in cases {
        hprofscan()
            .args(["info", &p])
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(3)
            .stderr(
                predicate::str::contains(want).and(predicate::str::contains("not a regular file")),
            );
    }
}

#[test]
fn a_header_only_dump_exits_3_with_the_offset() {
    // Issue #14 item 9.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("header-only.hprof");
    std::fs::write(&p, hprof_parser::writer::HprofWriter::new(8).finish()).unwrap();
    hprofscan()
        .args(["leaks", p.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "the dump holds no heap dump records; it ends after the header at offset 31",
        ));
}

#[test]
fn scan_exits_3_after_every_line_when_a_dump_failed() {
    // Issue #14 item 10.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.hprof"), b"not a heap dump").unwrap();
    std::fs::write(
        dir.path().join("b.hprof"),
        hprof_parser::writer::HprofWriter::new(8).finish(),
    )
    .unwrap();
    let out = hprofscan()
        .args(["scan", dir.path().to_str().unwrap(), "--progress", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("  ERROR  ").count(), 2, "{text}");
    assert!(text.contains("2 dumps, 2 could not be analysed"), "{text}");
}

/// A class name that clears the screen, sets the terminal title, moves the cursor up to
/// overwrite a line, reverses the text and forges a report line after a newline; plus HTML
/// breakers for `report`.
/// (A '/' in a class name is a package separator, so `</style>` goes in the field name.)
const EVIL_CLASS: &str = "com/acme/Evil\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}[1A\r\u{202e}\u{9b}31m\nFORGED No leak suspects<script>alert(1)<\\script>\"'";
const EVIL_FIELD: &str = "data\u{1b}[1A\nFORGED field</style><script>alert(2)</script>\"'";

/// A small dump whose names are hostile: an instance of EVIL_CLASS, a GC root, holding a
/// large byte[] through the field EVIL_FIELD.
fn hostile_names_dump(dir: &std::path::Path) -> std::path::PathBuf {
    use hprof_parser::writer::{ClassDef, HprofWriter, Value};
    use hprof_parser::{BasicType, RootKind};
    let (object, evil, bytes) = (0x1000u64, 0x1010u64, 0x1020u64);
    let mut w = HprofWriter::new(8);
    w.utf8(1, "java/lang/Object")
        .utf8(2, EVIL_CLASS)
        .utf8(3, EVIL_FIELD)
        .utf8(4, "[B");
    w.load_class(1, object, 1)
        .load_class(2, evil, 2)
        .load_class(3, bytes, 4);
    w.begin_segment();
    w.class_dump(&ClassDef::new(object, 0));
    w.class_dump(&ClassDef::new(evil, object).with_fields(8, vec![(3, BasicType::Object)]));
    w.class_dump(&ClassDef::new(bytes, object));
    for c in [object, evil, bytes] {
        w.root(RootKind::StickyClass, c);
    }
    for i in 0..4u64 {
        let (holder, data) = (0x10_0000 + i * 0x1_0000, 0x10_0040 + i * 0x1_0000);
        w.instance(holder, evil, &[Value::Object(data)]);
        w.primitive_array(data, BasicType::Byte, 20_000, &[0; 20_000]);
        w.root(RootKind::JniGlobal, holder);
    }
    w.heap_dump_end();
    let p = dir.join("evil.hprof");
    std::fs::write(&p, w.finish()).unwrap();
    p
}

/// No byte of `out` is interpreted by a terminal, and no forged line starts a line.
fn assert_inert(out: &str, what: &str) {
    for c in out.chars() {
        assert!(
            c == '\n' || !(c.is_control() || ('\u{2000}'..='\u{206f}').contains(&c)),
            "{what}: raw {c:?} in\n{out}"
        );
    }
    assert!(
        !out.lines().any(|l| l.starts_with("FORGED")),
        "{what}: a name split a line:\n{out}"
    );
}

#[test]
fn names_are_escaped_in_every_text_report() {
    // Issue #14 item 5.
    let dir = tempfile::tempdir().unwrap();
    let p = hostile_names_dump(dir.path());
    let d = p.to_str().unwrap();
    let java_name = EVIL_CLASS.replace('/', ".");
    let java_name = java_name.as_str();
    // The file names are hostile too (they are shown as the dump's and the copy's names).
    let evil_path = dir.path().join("evil\u{1b}[2J\nFORGED.hprof");
    std::fs::copy(&p, &evil_path).unwrap();
    let evil_path = evil_path.to_str().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let evil_out = out_dir.path().join("copy\u{1b}]0;t\u{7}\nFORGED.hprof");
    let evil_out = evil_out.to_str().unwrap();
    let mut seen_escaped = 0;
    for args in [
        vec!["info", d],
        vec!["histogram", d],
        vec!["histogram", d, "--retained"],
        vec!["leaks", d],
        vec!["dominators", d, "--min-share", "0"],
        vec!["path", d, "--id", "0x100040"],
        vec!["path", d, "--class", java_name],
        vec!["threadlocals", d],
        vec!["classloaders", d],
        vec!["resources", d],
        vec!["growth", d, d],
        vec!["diff", d, d],
        vec!["scan", d],
        vec!["waste", d],
        vec!["leaks", d, evil_path],
        vec!["scan", evil_path, d],
        vec!["info", evil_path],
        vec!["redact", d, evil_out],
    ] {
        let run = hprofscan()
            .args(&args)
            .args(["--progress", "never"])
            .output()
            .unwrap();
        let err = String::from_utf8(run.stderr).unwrap();
        assert!(run.status.success(), "{args:?}: {err}");
        let out = String::from_utf8(run.stdout).unwrap();
        assert_inert(&out, &args.join(" "));
        assert_inert(&err, &format!("{} (stderr)", args.join(" ")));
        if args[0] == "waste" {
            // The four equal byte[] held by the hostile field are duplicate arrays.
            assert!(
                out.contains("com.acme.Evil\\x1b[2J") && out.contains("data\\x1b[1A\\nFORGED"),
                "{out}"
            );
        }
        if args.contains(&evil_path) || args.contains(&evil_out) {
            assert!(
                out.contains("evil\\x1b[2J\\nFORGED.hprof")
                    || out.contains("copy\\x1b]0;t\\x07\\nFORGED.hprof"),
                "{args:?}: {out}"
            );
        }
        if out.contains(
            "com.acme.Evil\\x1b[2J\\x1b]0;pwned\\x07\\x1b[1A\\r\\u{202e}\\u{9b}31m\\nFORGED",
        ) {
            seen_escaped += 1;
        }
    }
    assert!(
        seen_escaped >= 5,
        "the escaped name is shown ({seen_escaped} reports)"
    );
    // Error messages on stderr too: a class the dump lacks, named with an escape.
    let out = hprofscan()
        .args(["path", d, "--class", "x\u{1b}[2Jy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_inert(&err, "stderr");
    assert!(err.contains("x\\x1b[2Jy"), "{err}");
}

#[test]
fn html_report_escapes_script_quotes_and_style_in_names() {
    let dir = tempfile::tempdir().unwrap();
    let p = hostile_names_dump(dir.path());
    let out = hprofscan()
        .args(["report", p.to_str().unwrap(), "--progress", "never"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(!page.contains("<script>alert"), "unescaped <script>");
    assert_eq!(
        page.matches("</style>").count(),
        1,
        "only the page's own </style>"
    );
    assert_eq!(
        page.matches("<script").count(),
        3,
        "only the page's own scripts"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;\\script&gt;&quot;&#39;"));
    assert!(page.contains("&lt;/style&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot;&#39;"));

    // The dump's file name is shown too (a file name cannot hold '/', so no </style>).
    let named = dir.path().join("x<script>alert(3)<\\script>\"'.hprof");
    std::fs::copy(&p, &named).unwrap();
    let out = hprofscan()
        .args(["report", named.to_str().unwrap(), "--progress", "never"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(!page.contains("<script>alert"), "unescaped <script>");
    assert_eq!(page.matches("<script").count(), 3);
    assert!(
        page.contains("x&lt;script&gt;alert(3)"),
        "the file name is shown"
    );
}

#[test]
fn a_gzip_dump_past_max_uncompressed_exits_5_naming_the_limit() {
    // Issue #14 item 4: a resource limit, not a damaged dump (3).
    let s = sample();
    hprofscan()
        .args(["info", s.to_str().unwrap(), "--max-uncompressed", "1M"])
        .assert()
        .code(5)
        .stderr(
            predicate::str::contains("limit of 1048576 bytes")
                .and(predicate::str::contains("--max-uncompressed")),
        );
    let ok = text(&["info", s.to_str().unwrap(), "--max-uncompressed", "none"]);
    assert!(ok.contains("uncompressed"), "{ok}");
    hprofscan()
        .args(["info", s.to_str().unwrap(), "--max-uncompressed", "lots"])
        .assert()
        .code(2);
}

#[test]
fn redact_names_hides_thread_and_loader_names_everywhere() {
    // Issue #14 item 11: thread and loader names are heap contents; --redact-names hides them
    // in text, JSON and HTML alike.
    let tl = dump("threadlocal-leak.hprof");
    let ph = dump("plugin-host.hprof");
    let (tl, ph) = (tl.to_str().unwrap(), ph.to_str().unwrap());
    // Shown by default (this is what is hidden below).
    assert!(text(&["threadlocals", tl]).contains("ingest-worker"));
    assert!(text(&["classloaders", ph]).contains("plugin-gen"));
    for (cmd, d) in [
        ("threadlocals", tl),
        ("classloaders", ph),
        ("leaks", tl),
        ("leaks", ph),
        ("report", ph),
        ("report", tl),
    ] {
        for format in ["text", "json"] {
            if cmd == "report" && format == "json" {
                // `report` writes HTML only and refuses --format json.
                continue;
            }
            let out = hprofscan()
                .args([
                    cmd,
                    d,
                    "--redact-names",
                    "--progress",
                    "never",
                    "--format",
                    format,
                ])
                .output()
                .unwrap();
            assert!(out.status.success(), "{cmd} {d}");
            let s = String::from_utf8(out.stdout).unwrap();
            assert!(
                !s.contains("ingest-worker") && !s.contains("plugin-gen"),
                "{cmd} {d} --format {format} shows a heap name"
            );
        }
    }
    let out = text(&["classloaders", ph, "--redact-names"]);
    assert!(out.contains("\"<redacted>\""), "{out}");
}

#[test]
fn waste_names_the_holders_and_never_the_contents() {
    let p = crate::common::dump("waste.hprof");
    let doc = crate::common::json(&["waste", p.to_str().unwrap()]);
    assert_eq!(doc["schema"], "hprofscan/waste/2");
    let country = doc["duplicate_strings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["holder"]["field"] == "country")
        .expect("Customer.country");
    assert_eq!(country["strings"], 20_000);
    assert_eq!(country["distinct_values"], 14);
    assert_eq!(country["bytes_saved"], 19_986 * 56);
    let text = crate::common::text(&["waste", p.to_str().unwrap()]);
    assert!(text.contains("testdata.Waste$Customer.country: 20,000 Strings, 14 distinct values"));
    assert!(text.contains("could be saved"));
    // Values are never printed.
    assert!(!text.contains("country-A") && !text.contains("tag-0"));
}

#[test]
fn leaks_says_how_much_native_memory_the_heap_references() {
    // testdata/programs/testdata/OffHeap.java: 9 direct buffers (8 x 1 MiB and 300,000 bytes),
    // 2 mapped files (77,824 bytes), views counted once.
    let d = dump("offheap.hprof");
    let j = json(&["leaks", d.to_str().unwrap()]);
    let o = &j["off_heap"];
    assert_eq!(o["direct_buffers"], 9);
    assert_eq!(o["direct_bytes"], 8 * 1_048_576 + 300_000);
    assert_eq!(o["mapped_buffers"], 2);
    assert_eq!(o["mapped_bytes"], 77_824);
    let t = text(&["leaks", d.to_str().unwrap()]);
    assert!(
        t.contains("native    8.3 MiB direct (9 buffers), 76.0 KiB mapped (2 buffers) referenced from the heap"),
        "{t}"
    );
}

#[test]
fn info_says_heap_or_non_heap() {
    // The same OffHeap.java buffers as above, in `info`: heap reachable vs native memory.
    let d = dump("offheap.hprof");
    let j = json(&["info", d.to_str().unwrap()]);
    assert_eq!(j["schema"], "hprofscan/info/3");
    let o = &j["off_heap"];
    assert_eq!(o["direct_buffers"], 9);
    assert_eq!(o["direct_bytes"], 8_688_608);
    assert_eq!(o["mapped_buffers"], 2);
    assert_eq!(o["mapped_bytes"], 77_824);
    // The reachable heap is the one `dominators` reports.
    let dom = json(&["dominators", d.to_str().unwrap()]);
    assert_eq!(o["heap_reachable_bytes"], dom["heap"]["reachable_bytes"]);
    let reachable = o["heap_reachable_bytes"].as_u64().unwrap();
    assert!(reachable > 0);
    let t = text(&["info", d.to_str().unwrap()]);
    let line = format!(
        "memory    heap {} reachable; native 8.3 MiB in 9 direct buffers and file-backed \
         76.0 KiB in 2 mapped buffers referenced from the heap",
        analyzer::base::text::bytes(reachable)
    );
    assert!(t.contains(&line), "{t}");
}
