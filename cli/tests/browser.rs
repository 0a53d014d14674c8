//! Opens the HTML reports of the bundled sample and of the bundled three-dump series in headless
//! Chromium (scripts/browser-test.sh, which installs Debian's `chromium` when missing): each page
//! loads with no console or script errors and shows the expected text; screenshots at 800 and
//! 1400 px wide are written to a temporary directory. Set HPROFSCAN_SKIP_BROWSER=1 to skip it on a
//! machine without Chromium where it cannot be installed.

use crate::common::{hprofscan, repo, service_sample as sample};

/// Writes `hprofscan report DUMPS` and opens it in Chromium, expecting `text` in the page.
fn renders(dumps: &[std::path::PathBuf], text: &str) {
    if std::env::var_os("HPROFSCAN_SKIP_BROWSER").is_some() {
        eprintln!("HPROFSCAN_SKIP_BROWSER is set: not opening the report in Chromium");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    hprofscan()
        .arg("report")
        .args(dumps)
        .args(["--progress", "never", "-o"])
        .arg(&page)
        .assert()
        .success();
    let out = std::process::Command::new("bash")
        .arg(repo().join("scripts/browser-test.sh"))
        .arg(&page)
        .arg(text)
        .env("SCREENSHOT_DIR", dir.path())
        .output()
        .expect("run scripts/browser-test.sh");
    assert!(
        out.status.success(),
        "browser test failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for width in [800, 1400] {
        let shot = dir.path().join(format!("report-{width}.png"));
        assert!(
            shot.metadata().is_ok_and(|m| m.len() > 0),
            "no screenshot at {width} px"
        );
    }
}

#[test]
fn report_renders_in_headless_chromium() {
    renders(
        &[sample()],
        "testdata.SvcLeakAudit$AuditTrail.RECORDS (static)",
    );
}

#[test]
fn series_report_renders_in_headless_chromium() {
    let dir = repo().join("testdata/sample/series");
    let dumps: Vec<_> = [
        "svc-leak-sessions-1.hprof.gz",
        "svc-leak-sessions-2.hprof.gz",
        "svc-leak-sessions.hprof.gz",
    ]
    .iter()
    .map(|n| dir.join(n))
    .collect();
    renders(&dumps, "Earlier dumps (2)");
}
