//! `--max-memory`: with a limit too small for any dump, every big array of the graph and the
//! dominator tree lives in a memory-mapped temp file; the reports are byte-for-byte those of
//! the in-memory run, and nothing is left in the temp directory.

use crate::common::{dump, hprofscan};

/// The dumps compared: plain and gzip, HotSpot and jcmd, leaking and healthy, a series.
const DUMPS: &[&[&str]] = &[
    &["svc-leak-audit.hprof"],
    &["leak-static-map.jcmd.hprof.gz"],
    &["retention.hprof"],
    &["plugin-host.hprof"],
    &["svc-healthy-banking-parallel.hprof"],
    &["obfuscated.hprof"],
    &[
        "growth-leak-1.hprof",
        "growth-leak-2.hprof",
        "growth-leak.hprof",
    ],
];

/// Stdout of `hprofscan ARGS --format json`, which must succeed.
fn run(args: &[String]) -> Vec<u8> {
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
    out.stdout
}

fn paths(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|n| dump(n).to_string_lossy().into_owned())
        .collect()
}

/// `command` on `dumps`, in memory and with every array on disk, must print the same bytes.
fn same_on_disk(command: &[&str], dumps: &[String]) {
    let temp = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = command.iter().map(|s| s.to_string()).collect();
    args.extend(dumps.iter().cloned());
    let mut memory = args.clone();
    memory.extend(["--max-memory".into(), "none".into()]);
    let in_memory = run(&memory);
    let mut disk = args;
    disk.extend([
        "--max-memory".into(),
        "1K".into(),
        "--temp-dir".into(),
        temp.path().to_string_lossy().into_owned(),
    ]);
    let on_disk = run(&disk);
    assert!(
        in_memory == on_disk,
        "{command:?} on {dumps:?}: the on-disk run differs from the in-memory one"
    );
    // The array files are unlinked at creation (and a gzip dump's copy too).
    assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 0);
}

#[test]
fn every_array_on_disk_gives_the_same_reports() {
    for names in DUMPS {
        let dumps = paths(names);
        if names.len() > 1 {
            // A series: leaks compares the dumps.
            same_on_disk(&["leaks"], &dumps);
            continue;
        }
        same_on_disk(&["leaks"], &dumps);
        same_on_disk(&["histogram", "--retained"], &dumps);
        same_on_disk(&["dominators"], &dumps);
    }
}

#[test]
fn the_default_limit_keeps_a_small_dump_in_memory_and_gives_the_same_reports() {
    let dumps = paths(&["svc-leak-audit.hprof"]);
    let mut args = vec!["leaks".to_string()];
    args.extend(dumps.iter().cloned());
    let default = run(&args);
    args.extend(["--max-memory".into(), "none".into()]);
    assert_eq!(default, run(&args));
    let out = hprofscan()
        .args(["leaks", &dumps[0], "-v", "--max-memory", "1K"])
        .args(["--progress", "never"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("big arrays in memory-mapped temp files"),
        "{err}"
    );
}

#[test]
fn a_temp_dir_that_cannot_hold_the_arrays_is_a_resource_error() {
    let temp = tempfile::tempdir().unwrap();
    let missing = temp.path().join("missing");
    let d = dump("svc-leak-audit.hprof");
    let out = hprofscan()
        .args([
            "leaks",
            d.to_str().unwrap(),
            "--max-memory",
            "1K",
            "--temp-dir",
        ])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot make a temporary file") && err.contains("missing"),
        "{err}"
    );
}

#[test]
fn max_memory_takes_sizes_and_refuses_nonsense() {
    let d = dump("basic.hprof");
    for ok in ["512M", "8G", "none", "64MiB"] {
        hprofscan()
            .args(["dominators", d.to_str().unwrap(), "--max-memory", ok])
            .assert()
            .success();
    }
    hprofscan()
        .args(["dominators", d.to_str().unwrap(), "--max-memory", "lots"])
        .assert()
        .code(2);
}
