//! The page of the sample dump: every section, the treemap, escaping, no outside loads.

use super::common::escape;
use super::treemap::{squarify, Rect};
use super::*;
use std::path::PathBuf;
use std::sync::OnceLock;

fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/sample/service-audit.hprof.gz")
}

fn reports_of(path: &std::path::Path) -> (DumpReports, analyzer::report::growth::DumpSummary) {
    let a =
        analyzer::dom::analysis::Analysis::load(path, &Default::default(), &analyzer::NoProgress)
            .expect("load the sample dump");
    let runtime = analyzer::report::runtime::RuntimeReports::build(&a);
    let r = DumpReports {
        leaks: analyzer::leaks::leak_report_with(
            &a,
            &Default::default(),
            None,
            &runtime,
            &analyzer::NoProgress,
        ),
        dominators: analyzer::report::domtree::dominator_report(&a, &dominator_options()),
        histogram: analyzer::report::histogram::histogram(
            &a.heap,
            &analyzer::report::histogram::HistogramOptions {
                top: Some(30),
                ..Default::default()
            },
        ),
        threadlocals: runtime.threadlocals,
        classloaders: runtime.classloaders,
        resources: runtime.resources,
        waste: analyzer::report::waste::waste_report(
            &a,
            &Default::default(),
            &analyzer::NoProgress,
        ),
    };
    (r, analyzer::report::growth::summarize(&a))
}

fn sample() -> &'static (DumpReports, analyzer::report::growth::DumpSummary) {
    static S: OnceLock<(DumpReports, analyzer::report::growth::DumpSummary)> = OnceLock::new();
    S.get_or_init(|| reports_of(&sample_path()))
}

#[test]
fn page_shows_the_top_suspect_and_every_section() {
    let page = render_html(std::slice::from_ref(&sample().0), None);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
    assert!(
        page.contains("testdata.SvcLeakAudit$AuditTrail.RECORDS (static)"),
        "top suspect missing"
    );
    for id in [
        "summary",
        "suspects",
        "dominators",
        "histogram",
        "threadlocals",
        "classloaders",
        "resources",
        "waste",
    ] {
        assert!(
            page.contains(&format!("id=\"d0-{id}\"")),
            "section {id} missing"
        );
    }
    assert!(page.contains("<svg class=\"treemap\""));
    assert!(page.contains("<rect "));
    assert!(page.contains("testdata.SvcLeakAudit$AuditRecord"));
    assert_eq!(page.matches("id=\"data\"").count(), 1);
}

/// The treemap scales with the window (a viewBox and width 100%, no fixed pixel width), the
/// boxes of a suspect's collection link to the suspect, the class-loader plumbing is one
/// box (the embedded JSON keeps every step), and class-loader names may wrap anywhere.
#[test]
fn treemap_scales_links_suspects_and_collapses_the_loader_plumbing() {
    let page = render_html(std::slice::from_ref(&sample().0), None);
    let start = page.find("<svg class=\"treemap\"").expect("treemap");
    let tag = &page[start..start + page[start..].find('>').unwrap()];
    assert!(tag.contains(" viewBox=\"0 0 "), "{tag}");
    assert!(tag.contains(" width=\"100%\""), "{tag}");
    assert!(!tag.contains(" height="), "{tag}");
    assert_eq!(tag.matches(" width=").count(), 1, "{tag}");
    let svg = &page[start..start + page[start..].find("</svg>").unwrap()];
    let s = &sample().0.leaks.suspects[0];
    assert!(page.contains(&format!(
        "<div class=\"suspect\" id=\"d0-suspect-{}\">",
        s.rank
    )));
    assert!(
        svg.contains(&format!("<a href=\"#d0-suspect-{}\"><g><rect", s.rank)),
        "no treemap box links to suspect #{}",
        s.rank
    );
    assert!(svg.contains("leak suspect #1: .RECORDS (static) java.util.ArrayList"));
    assert!(
        svg.contains("testdata.SvcLeakAudit$AuditTrail, defined by the system class loader"),
        "the treemap does not collapse the loader plumbing"
    );
    assert!(!svg.contains(".classes java.util.ArrayList"));
    let table = &page[start..page.find("id=\"d0-histogram\"").unwrap()];
    assert!(table.contains("gc root: jni_global (its loader)"));
    assert!(!table.contains("<td class=\"c\">.classes</td>"));
    // The embedded JSON keeps the plumbing.
    let data = &page[page.find("id=\"data\"").unwrap()..];
    assert!(data.contains("\".classes\""));
    assert!(page.contains("td.loader{overflow-wrap:anywhere"));
    assert!(page.contains("<td class=\"c loader\">"));
}

#[test]
fn page_loads_nothing_from_outside() {
    let page = render_html(std::slice::from_ref(&sample().0), None);
    let lower = page.to_ascii_lowercase();
    for bad in [
        "http://",
        "https://",
        "src=",
        "href=\"//",
        "@import",
        "url(",
        "<link",
        "<iframe",
        "<img",
    ] {
        assert!(!lower.contains(bad), "page contains {bad:?}");
    }
    // Every link is to an anchor of the page.
    for part in lower.split("href=\"").skip(1) {
        assert!(
            part.starts_with('#'),
            "non-local link: {}",
            &part[..part.len().min(40)]
        );
    }
    assert!(page.contains("Content-Security-Policy"));
}

#[test]
fn strings_are_escaped() {
    let mut d = sample().0.clone();
    let evil = "Evil<script>alert(1)</script>&\"'$";
    d.leaks.suspects[0].holder.class = evil.into();
    d.leaks.suspects[0].explanation = "</script><b>x</b>".into();
    d.histogram.classes[0].class = evil.into();
    d.dominators.tree[0].class = evil.into();
    d.leaks.dump.path = "/tmp/a<b>&c.hprof".into();
    let w = &mut d.waste;
    w.duplicate_strings[0]
        .holder
        .as_mut()
        .expect("a holder")
        .class = evil.into();
    w.collections[0].class = evil.into();
    let page = render_html(&[d], None);
    let waste = &page[page.find("id=\"d0-waste\"").unwrap()..page.find("id=\"data\"").unwrap()];
    assert!(waste.contains("Evil&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;$"));
    assert!(!page.contains("<script>alert"), "unescaped class name");
    assert!(!page.contains("<b>x</b>"));
    assert!(!page.contains("a<b>&c"));
    assert!(page.contains("Evil&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;$"));
    // The JSON block holds the names with `<` escaped, and is still valid JSON.
    let start = page.find("id=\"data\">").unwrap() + "id=\"data\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    let json = &page[start..end];
    assert!(!json.contains('<'));
    let v: serde_json::Value = serde_json::from_str(json).expect("embedded JSON parses");
    assert_eq!(
        v["dumps"][0]["leaks"]["suspects"][0]["holder"]["class"],
        serde_json::Value::String(evil.into())
    );
    // Only the page's own three script elements.
    assert_eq!(page.matches("<script").count(), 3);
}

#[test]
fn escape_escapes_the_five_characters() {
    assert_eq!(escape(r#"a<b>&"'c"#), "a&lt;b&gt;&amp;&quot;&#39;c");
    assert_eq!(
        escape("java.util.HashMap$Node[]"),
        "java.util.HashMap$Node[]"
    );
}

#[test]
fn growth_charts_for_growing_holders() {
    let s = &sample().1;
    let mut g = analyzer::report::growth::growth_report(vec![s.clone(), s.clone(), s.clone()], &[]);
    let mut h = g.holders[0].clone();
    h.holder.class = "app.Cache<K>".into();
    h.entries = vec![Some(100), None, Some(400)];
    h.retained_bytes = vec![Some(1_000), Some(2_000), Some(4_000)];
    h.verdict = analyzer::report::growth::Verdict::Growing;
    g.holders.insert(0, h);
    let page = render_html(std::slice::from_ref(&sample().0), Some(&g));
    assert!(page.contains("id=\"growth\""));
    assert!(page.contains("app.Cache&lt;K&gt;"));
    assert!(page.contains("<polyline"));
    assert!(!page.contains("app.Cache<K>\""));
}

#[test]
fn squarify_fills_the_rectangle() {
    let r = Rect {
        x: 0.0,
        y: 0.0,
        w: 300.0,
        h: 200.0,
    };
    let rects = squarify(&[50.0, 25.0, 12.5, 12.5], r);
    assert_eq!(rects.len(), 4);
    let area: f64 = rects.iter().map(|q| q.w * q.h).sum();
    assert!((area - 60_000.0).abs() < 1e-6);
    assert!((rects[0].w * rects[0].h - 30_000.0).abs() < 1e-6);
    for q in &rects {
        assert!(q.x >= 0.0 && q.y >= 0.0 && q.x + q.w <= 300.0 + 1e-9 && q.y + q.h <= 200.0 + 1e-9);
    }
}
