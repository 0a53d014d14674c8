//! Shared by the analyzer's tests: the real dumps made by testdata/generate.sh.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;

use analyzer::dom::analysis::Analysis;
use analyzer::{Dump, Heap, LoadOptions, NoProgress};
use hprof_parser::DumpSource;

static GENERATE: Once = Once::new();

/// Path of a dump in testdata/dumps, generating the dumps first if it is missing. Validation
/// dumps (`val*`) are stored gzip-compressed: `name` is then found as `name.gz`.
pub fn dump(name: &str) -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let dir = repo.join("testdata/dumps");
    if stored(&dir, name).is_none() {
        GENERATE.call_once(|| {
            let ok = Command::new("bash")
                .arg(repo.join("testdata/generate.sh"))
                .status()
                .expect("run testdata/generate.sh")
                .success();
            assert!(ok, "testdata/generate.sh failed");
        });
    }
    stored(&dir, name).unwrap_or_else(|| {
        panic!(
            "{} missing after testdata/generate.sh",
            dir.join(name).display()
        )
    })
}

/// The file `name` is stored as in `dir`: itself, or its gzip-compressed `name.gz`.
fn stored(dir: &Path, name: &str) -> Option<PathBuf> {
    let plain = dir.join(name);
    let gz = dir.join(format!("{name}.gz"));
    [plain, gz].into_iter().find(|p| p.exists())
}

/// A dump of testdata/dumps, fully analysed.
pub fn analyse(name: &str) -> Analysis {
    Analysis::load(&dump(name), &LoadOptions::default(), &NoProgress).expect("dump analysed")
}

/// A synthetic dump (bytes from the HPROF writer), fully analysed.
pub fn analyse_bytes(bytes: Vec<u8>) -> Analysis {
    let source = DumpSource::from_vec(Path::new("synthetic.hprof"), bytes);
    let dump = Dump::from_source(source, &LoadOptions::default()).unwrap();
    let heap = Heap::from_dump_for(dump, true, &NoProgress).unwrap();
    Analysis::build(heap, &NoProgress).unwrap()
}
