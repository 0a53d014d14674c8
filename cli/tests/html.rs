//! End-to-end tests of `hprofscan report`: one self-contained HTML file.

use crate::common::{dump, hprofscan, service_sample as sample};

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
        "Waste",
        "Could be saved: ",
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

/// The `<tr>` rows of the table under heading `title` in `section`, each as its cells' text
/// and its numeric cells' `data-v` values.
fn table_rows(section: &str, title: &str) -> Vec<(String, Vec<u64>)> {
    let start = section
        .find(&format!("<h3>{title}</h3>"))
        .unwrap_or_else(|| panic!("no table {title}"));
    let table = &section[start..start + section[start..].find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            let values = row
                .split("data-v=\"")
                .skip(1)
                .map(|v| v[..v.find('"').unwrap()].parse().unwrap())
                .collect();
            (row.to_string(), values)
        })
        .collect()
}

/// The HTML of the row of table `title` held by `holder`.
fn row_text(section: &str, title: &str, holder: &str) -> String {
    table_rows(section, title)
        .into_iter()
        .find(|(r, _)| r.contains(&format!(">{holder}</td>")))
        .unwrap_or_else(|| panic!("no row {holder} in {title}"))
        .0
}

#[test]
fn report_shows_the_waste_of_the_waste_dump_with_exact_numbers() {
    // testdata/programs/testdata/Waste.java builds these (see its class comment).
    let d = dump("waste.hprof");
    let page = report(&[&d]);
    assert!(page.contains("href=\"#d0-waste\""));
    let start = page
        .find("<section id=\"d0-waste\">")
        .expect("waste section");
    let section = &page[start..start + page[start..].find("</section>").unwrap()];
    let row = |title: &str, holder: &str| -> Vec<u64> {
        let rows = table_rows(section, title);
        let found = rows
            .iter()
            .find(|(r, _)| r.contains(&format!(">{holder}</td>")))
            .unwrap_or_else(|| panic!("no row {holder} in {title}"));
        found.1.clone()
    };
    // Strings, distinct values, bytes saved (19,986 surplus Strings of 56 bytes).
    assert_eq!(
        row("Duplicate Strings", "testdata.Waste$Customer.country"),
        [20_000, 14, 19_986 * 56]
    );
    assert_eq!(
        row("Duplicate Strings", "testdata.Waste.TAGS (static)")[..2],
        [5_000, 5]
    );
    // Arrays, distinct contents, bytes saved (999 surplus int[8] of 48 bytes).
    assert_eq!(
        row(
            "Duplicate primitive arrays",
            "testdata.Waste$Sample.weights"
        ),
        [1_000, 1, 999 * 48]
    );
    // Collections, empty, under-filled, fill (per mille), bytes saved.
    let coll = "Empty and under-filled collections";
    // An empty ArrayList(10): the list (24) and its array (56) created lazily.
    assert_eq!(
        row(coll, "testdata.Waste$Order.notes"),
        [3_000, 3_000, 0, 0, 3_000 * 80]
    );
    // An empty HashMap (48, no table yet).
    assert_eq!(
        row(coll, "testdata.Waste$Order.attrs")[..3],
        [3_000, 3_000, 0]
    );
    assert_eq!(row(coll, "testdata.Waste$Order.attrs")[4], 3_000 * 48);
    // ArrayList(100) holding 2: an array of 416 bytes where 24 would do.
    assert_eq!(
        row(coll, "testdata.Waste$Order.items"),
        [3_000, 0, 3_000, 20, 3_000 * 392]
    );
    // Elements, arrays, bytes saved: an Integer is 16 bytes, a Long 24 less the 4 of its slot.
    let boxed = "Boxed primitives in arrays and maps";
    assert!(row_text(section, boxed, "testdata.Waste.SCORES (static)").contains(">elements</td>"));
    assert_eq!(
        row(boxed, "testdata.Waste.SCORES (static)"),
        [10_000, 1, 10_000 * 16]
    );
    assert_eq!(
        row(boxed, "testdata.Waste.IDS (static)"),
        [2_000, 1, 2_000 * 20]
    );
    // The total is the one `waste` reports.
    let json = crate::common::json(&["waste", d.to_str().unwrap()]);
    let total = json["totals"]["could_be_saved"].as_u64().unwrap();
    let reachable = json["totals"]["reachable_bytes"].as_u64().unwrap();
    assert!(section.contains(&format!(
        "Could be saved: <b>{}</b> ({:.1}% of the reachable heap)",
        analyzer::base::text::bytes(total),
        total as f64 * 100.0 / reachable as f64
    )));
    // Values are never shown.
    assert!(!page.contains("country-A") && !page.contains("tag-0"));
}

/// The bundled three-dump series (testdata/sample/series), oldest first.
fn bundled_series() -> Vec<std::path::PathBuf> {
    let dir = crate::common::repo().join("testdata/sample/series");
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
    assert_eq!(open.matches("<a href=").count(), 1 + 8, "{open}");
    assert!(open.contains("newest, svc-leak-sessions.hprof.gz:"));
    assert!(folded.starts_with("<details><summary>Earlier dumps (2)</summary>"));
    assert_eq!(folded.matches("<a href=").count(), 2 * 8);
    assert!(folded.find("#d1-summary").unwrap() < folded.find("#d0-summary").unwrap());
}

#[test]
fn one_dump_has_one_row_of_navigation() {
    let page = report(&[&sample()]);
    let nav = &page[page.find("<nav>").unwrap()..page.find("</nav>").unwrap()];
    assert!(!nav.contains("<details>"));
    assert_eq!(nav.matches("<a href=").count(), 8);
    // A holder wraps to its own line before it is broken inside a word.
    assert!(page.contains(".suspect h3{margin:0 0 4px;overflow-wrap:anywhere}"));
    assert!(!page.contains(".suspect h3{margin:0 0 4px;word-break:break-all}"));
}

#[test]
fn suspects_say_what_their_entries_hold() {
    let page = report(&[&dump("leak-nested.hprof")]);
    assert!(page
        .contains("6,000 x java.util.ArrayList, ~2.3 KiB each, holding 24,000 byte[512] in all"));
    assert!(page.contains("<dt>outer</dt><dd class=\"mono\">256 of 256 sampled entries are inner-class instances that pin their own testdata.LeakNested$Screen through this$0 (~2.0 KiB retained each)</dd>"));
    let page = report(&[&dump("leak-chain-blob.hprof")]);
    assert!(page.contains("<dt>one object</dt><dd class=\"mono\">1,000,016 B of it is one byte[1000000] (76%): not an accumulation of entries</dd>"));
}

#[test]
fn a_suspect_keeping_direct_buffers_shows_their_native_memory() {
    let d = |n: &str| dump(&format!("svc-leak-gateway{n}.hprof"));
    let (a, b, c) = (d("-1"), d("-2"), d(""));
    let page = report(&[&a, &b, &c]);
    // The share of the heap varies a little with the JVM's own objects; the native part is
    // exact (4,000 x 16,384 bytes).
    assert!(page.contains(
        "of the reachable heap) and <b>62.5 MiB</b> of native memory outside the heap</div>"
    ));
}
