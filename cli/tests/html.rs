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
