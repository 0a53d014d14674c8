//! Shared helpers for the end-to-end tests: the real dumps of testdata/ and running the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ has a parent")
        .to_path_buf()
}

static GENERATE: Once = Once::new();

/// Path of a dump made by testdata/generate.sh (`basic.hprof`, `basic.jcmd.hprof.gz`, ...),
/// generating the dumps first if any is missing. Validation dumps (`val*`) are stored
/// gzip-compressed: `name` is then found as `name.gz`.
pub fn dump(name: &str) -> PathBuf {
    let dir = repo().join("testdata/dumps");
    if stored(&dir, name).is_none() {
        GENERATE.call_once(|| {
            let status = Command::new("bash")
                .arg(repo().join("testdata/generate.sh"))
                .status()
                .expect("run testdata/generate.sh");
            assert!(status.success(), "testdata/generate.sh failed");
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

/// The bundled sample dump.
pub fn sample() -> PathBuf {
    repo().join("testdata/sample/session-leak.hprof.gz")
}

/// The bundled service sample: an audit trail that leaks beside reference data and caches.
pub fn service_sample() -> PathBuf {
    repo().join("testdata/sample/service-audit.hprof.gz")
}

/// `hprofscan` with the given arguments.
pub fn hprofscan() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("hprofscan").expect("binary built");
    c.env_remove("RUST_LOG");
    c
}

/// Runs `hprofscan ARGS --format json` and parses stdout.
pub fn json(args: &[&str]) -> serde_json::Value {
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
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// Runs `hprofscan ARGS` (text) and returns stdout.
pub fn text(args: &[&str]) -> String {
    let out = hprofscan()
        .args(args)
        .args(["--progress", "never"])
        .output()
        .expect("run hprofscan");
    assert!(
        out.status.success(),
        "hprofscan {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The histogram row of `class` in a histogram JSON document.
pub fn row<'a>(h: &'a serde_json::Value, class: &str) -> Option<&'a serde_json::Value> {
    h["classes"]
        .as_array()?
        .iter()
        .find(|r| r["class"].as_str() == Some(class))
}

/// The mapping file of the `obfuscated` dump (testdata/programs/testdata/Obfuscated.java).
pub fn obfuscated_mapping() -> PathBuf {
    repo().join("testdata/mapping/obfuscated.txt")
}

/// Writes a small ART dump (JAVA PROFILE 1.0.3, 4-byte ids) into `dir`: java.lang.Object with
/// ART's two header fields (declared 8 bytes), com.example.Point (two ints, declared 20 bytes
/// where ART's layout gives 16: one size mismatch), and android.graphics.Bitmap (declared 29)
/// with two bitmaps in the app heap: one whose pixels are a byte[40000] (`mBuffer`), one with
/// native pixels of 200 x 50.
pub fn art_dump(dir: &Path) -> PathBuf {
    use hprof_parser::writer::{ClassDef, HprofWriter, Value};
    use hprof_parser::BasicType::*;
    let mut w = HprofWriter::with_header("JAVA PROFILE 1.0.3", 4, 1_700_000_000_000);
    let names = [
        "java.lang.Object",
        "shadow$_klass_",
        "shadow$_monitor_",
        "android.graphics.Bitmap",
        "mBuffer",
        "mNativePtr",
        "mWidth",
        "mHeight",
        "mRecycled",
        "app",
        "com.example.Point",
        "x",
        "y",
    ];
    for (i, s) in names.iter().enumerate() {
        w.utf8(i as u64 + 1, s);
    }
    w.load_class(1, 0x1000, 1)
        .load_class(2, 0x2000, 4)
        .load_class(3, 0x4000, 11);
    let class = |id, sup, size, fields| ClassDef {
        instance_size: size,
        fields,
        ..ClassDef::new(id, sup)
    };
    let header = [Value::Object(0), Value::Int(0)];
    w.begin_segment().heap_dump_info(0x41, 10);
    w.class_dump(&class(0x1000, 0, 8, vec![(2, Object), (3, Int)]));
    let bitmap = vec![(5, Object), (6, Long), (7, Int), (8, Int), (9, Boolean)];
    w.class_dump(&class(0x2000, 0x1000, 29, bitmap));
    w.class_dump(&class(0x4000, 0x1000, 20, vec![(12, Int), (13, Int)]));
    let mut point = vec![Value::Int(1), Value::Int(2)];
    point.extend(header);
    w.instance(0x10_0000, 0x4000, &point);
    for (id, buffer, native, width, height) in [
        (0x20_0000, 0x30_0000, 0x1234, 100, 100),
        (0x20_0100, 0, 0xdead, 200, 50),
    ] {
        let mut v = vec![
            Value::Object(buffer),
            Value::Long(native),
            Value::Int(width),
            Value::Int(height),
            Value::Boolean(false),
        ];
        v.extend(header);
        w.instance(id, 0x2000, &v);
        w.root(hprof_parser::RootKind::JniGlobal, id);
    }
    w.byte_array(0x30_0000, &[0; 40_000]);
    w.root(hprof_parser::RootKind::JniGlobal, 0x10_0000);
    w.heap_dump_end();
    let p = dir.join("art.hprof");
    std::fs::write(&p, w.finish()).expect("write the ART dump");
    p
}
