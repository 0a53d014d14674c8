//! End-to-end tests of `hprofscan report`: one self-contained HTML file.

mod common;

use common::{dump, hprofscan, service_sample as sample};

/// Runs `hprofscan report DUMPS -o FILE` and returns the page.
fn report(dumps: &[&std::path::Path]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let run = hprofscan()
        .arg("report")
        .args(dumps)
        .args(["--progress", "never", "-o"])
        .arg(&out)
        .output()
        .expect("run hprofscan");
    assert!(
        run.status.success(),
        "hprofscan report failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read_to_string(&out).expect("report written")
}

#[test]
fn report_of_the_sample_is_one_self_contained_page() {
    let page = report(&[&sample()]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("testdata.SvcLeakAudit$AuditTrail.RECORDS (static)"));
    for section in [
        "Heap summary",
        "Leak suspects",
        "dominator tree",
        "Class histogram",
        "ThreadLocals",
        "Class loaders",
        "Open resources",
    ] {
        assert!(page.contains(section), "no {section} section");
    }
    assert!(page.contains("<svg class=\"treemap\""));
    let lower = page.to_ascii_lowercase();
    for bad in ["http://", "https://", "src=", "<link", "url(", "@import"] {
        assert!(
            !lower.contains(bad),
            "the page refers to something outside: {bad}"
        );
    }
}

#[test]
fn report_of_a_series_charts_the_growing_holder() {
    let page = report(&[
        &dump("growth-leak-1.hprof"),
        &dump("growth-leak-2.hprof"),
        &dump("growth-leak.hprof"),
    ]);
    assert!(page.contains("id=\"growth\""));
    assert!(page.contains("Growing holders"));
    assert!(page.contains("testdata.GrowthLeak$SessionStore.SESSIONS (static)"));
    assert!(page.contains("<polyline"));
    // The newest dump (the last given) comes first, in the header, the navigation and the page.
    let newest = page.find("Dump 3 (newest): ").expect("newest dump heading");
    let oldest = page.find("Dump 1: ").expect("oldest dump heading");
    assert!(newest < oldest, "the newest dump is not first");
    assert!(page.contains("3 dumps, newest first: "));
    let nav = &page[page.find("<nav>").unwrap()..page.find("</nav>").unwrap()];
    assert!(nav.find("href=\"#d2-summary\"").unwrap() < nav.find("href=\"#d0-summary\"").unwrap());
}

/// The bundled three-dump series (testdata/sample/series), oldest first.
fn bundled_series() -> Vec<std::path::PathBuf> {
    let dir = common::repo().join("testdata/sample/series");
    [
        "svc-leak-sessions-1.hprof.gz",
        "svc-leak-sessions-2.hprof.gz",
        "svc-leak-sessions.hprof.gz",
    ]
    .iter()
    .map(|n| dir.join(n))
    .collect()
}

#[test]
fn growth_charts_use_the_dumps_times_and_the_navigation_folds_earlier_dumps() {
    let dumps = bundled_series();
    let refs: Vec<&std::path::Path> = dumps.iter().map(|p| p.as_path()).collect();
    let page = report(&refs);
    // The dumps were written at 04:13:11.8, 04:13:13.0 and 04:13:14.3 UTC: the x axis is the
    // time since the first, not the dumps' numbers.
    assert!(
        page.contains("The x axis is the time since the first dump, taken 2026-11-30 04:13:11 UTC")
    );
    for tick in ["0", "+1.2 s", "+2.5 s"] {
        assert!(
            page.contains(&format!("\">{tick}</text>")) && page.contains("<text class=\"tick\""),
            "no tick {tick}"
        );
    }
    assert!(page.contains("<title>dump 2, 2026-11-30 04:13:13 UTC (+1.2 s): 12,000</title>"));
    assert!(
        !page.contains("text-anchor=\"middle\">2</text>"),
        "dump numbers on the axis"
    );
    // One row of links for the newest dump; the earlier ones folded, newest first.
    let nav = &page[page.find("<nav>").unwrap()..page.find("</nav>").unwrap()];
    let (open, folded) = nav.split_at(nav.find("<details>").expect("earlier dumps folded"));
    assert_eq!(open.matches("<a href=").count(), 1 + 7, "{open}");
    assert!(open.contains("newest, svc-leak-sessions.hprof.gz:"));
    assert!(folded.starts_with("<details><summary>Earlier dumps (2)</summary>"));
    assert_eq!(folded.matches("<a href=").count(), 2 * 7);
    assert!(folded.find("#d1-summary").unwrap() < folded.find("#d0-summary").unwrap());
}

#[test]
fn one_dump_has_one_row_of_navigation() {
    let page = report(&[&sample()]);
    let nav = &page[page.find("<nav>").unwrap()..page.find("</nav>").unwrap()];
    assert!(!nav.contains("<details>"));
    assert_eq!(nav.matches("<a href=").count(), 7);
    // A holder wraps to its own line before it is broken inside a word.
    assert!(page.contains(".suspect h3{margin:0 0 4px;overflow-wrap:anywhere}"));
    assert!(!page.contains(".suspect h3{margin:0 0 4px;word-break:break-all}"));
}

#[test]
fn suspects_say_what_their_entries_hold() {
    let page = report(&[&dump("leak-nested.hprof")]);
    assert!(page
        .contains("6,000 x java.util.ArrayList, ~2.3 KiB each, holding ~24,000 byte[512] in all"));
    assert!(page.contains("<dt>outer</dt><dd class=\"mono\">256 of 256 sampled entries are inner-class instances that pin their own testdata.LeakNested$Screen through this$0 (~2.0 KiB retained each)</dd>"));
    let page = report(&[&dump("leak-chain-blob.hprof")]);
    assert!(page.contains("<dt>one object</dt><dd class=\"mono\">1,000,016 B of it is one byte[1000000] (76%): not an accumulation of entries</dd>"));
}
