//! Opens the HTML report of the bundled sample in headless Chromium (scripts/browser-test.sh,
//! which installs Debian's `chromium` when missing): the page loads with no console or script
//! errors and shows the top suspect's holder. Set HPROFSCAN_SKIP_BROWSER=1 to skip it on a
//! machine without Chromium where it cannot be installed.

mod common;

use common::{hprofscan, repo, service_sample as sample};

#[test]
fn report_renders_in_headless_chromium() {
    if std::env::var_os("HPROFSCAN_SKIP_BROWSER").is_some() {
        eprintln!("HPROFSCAN_SKIP_BROWSER is set: not opening the report in Chromium");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    hprofscan()
        .arg("report")
        .arg(sample())
        .args(["--progress", "never", "-o"])
        .arg(&page)
        .assert()
        .success();
    let out = std::process::Command::new("bash")
        .arg(repo().join("scripts/browser-test.sh"))
        .arg(&page)
        .arg("testdata.SvcLeakAudit$AuditTrail.RECORDS (static)")
        .env("SCREENSHOT_DIR", dir.path())
        .output()
        .expect("run scripts/browser-test.sh");
    assert!(
        out.status.success(),
        "browser test failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
