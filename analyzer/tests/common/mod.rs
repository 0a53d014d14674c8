//! Shared by the analyzer's tests: the real dumps made by testdata/generate.sh.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;

use analyzer::dom::analysis::Analysis;
use analyzer::{LoadOptions, NoProgress};

static GENERATE: Once = Once::new();

/// Path of a dump in testdata/dumps, generating the dumps first if it is missing.
pub fn dump(name: &str) -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let p = repo.join("testdata/dumps").join(name);
    if !p.exists() {
        GENERATE.call_once(|| {
            let ok = Command::new("bash")
                .arg(repo.join("testdata/generate.sh"))
                .status()
                .expect("run testdata/generate.sh")
                .success();
            assert!(ok, "testdata/generate.sh failed");
        });
    }
    assert!(
        p.exists(),
        "{} missing after testdata/generate.sh",
        p.display()
    );
    p
}

/// A dump of testdata/dumps, fully analysed.
pub fn analyse(name: &str) -> Analysis {
    Analysis::load(&dump(name), &LoadOptions::default(), &NoProgress).expect("dump analysed")
}
