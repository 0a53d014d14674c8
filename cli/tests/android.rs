//! Issue #15 end to end: `--mapping FILE` on a real dump of an obfuscated app
//! (testdata/programs/testdata/Obfuscated.java, its mapping testdata/mapping/obfuscated.txt),
//! and `info`'s ART size check and bitmap lines on a synthetic ART dump.

use predicates::prelude::*;

fn s(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn mapping_names_the_leak_and_the_histogram_as_in_the_source() {
    let dump = crate::common::dump("obfuscated.hprof");
    let mapping = crate::common::obfuscated_mapping();
    let (d, m) = (s(&dump), s(&mapping));

    let leaks = crate::common::json(&["leaks", d, "--mapping", m]);
    let top = &leaks["suspects"][0];
    assert_eq!(top["verdict"], "leak");
    assert_eq!(
        top["holder"],
        serde_json::json!({"class": "com.example.SessionStore", "field": "sessions", "static": true})
    );
    assert_eq!(top["element_class"], "com.example.Session");
    assert_eq!(top["entries"], 20_000);
    assert_eq!(
        top["fingerprint"],
        "static-collection:com.example.SessionStore.sessions"
    );
    assert_eq!(top["per_entry"]["via"], ".payload");
    let text = crate::common::text(&["leaks", d, "--mapping", m]);
    assert!(
        text.contains("field createdAt follows the order they were added in"),
        "{text}"
    );
    assert!(!text.contains("testdata.a"), "{text}");

    // 20,000 sessions of 12 + 2 longs + 1 reference = 32 bytes.
    let h = crate::common::json(&["histogram", d, "--mapping", m]);
    let row = crate::common::row(&h, "com.example.Session").expect("a com.example.Session row");
    assert_eq!(
        (row["instances"].as_u64(), row["shallow_bytes"].as_u64()),
        (Some(20_000), Some(640_000))
    );
    assert!(crate::common::row(&h, "testdata.b").is_none());
    // Without the mapping: the names the dump has.
    let plain = crate::common::json(&["histogram", d]);
    assert_eq!(
        crate::common::row(&plain, "testdata.b").unwrap()["instances"],
        20_000
    );
    assert_eq!(
        crate::common::json(&["leaks", d])["suspects"][0]["fingerprint"],
        "static-collection:testdata.a.a"
    );

    // A source name finds the class; info says what the file renamed.
    let p = crate::common::text(&["path", d, "--class", "com.example.Session", "--mapping", m]);
    assert!(p.contains("-> .sessions (static) java.util.HashMap"), "{p}");
    let info = crate::common::text(&["info", d, "--mapping", m]);
    assert!(
        info.contains(&format!(
            "mapping   {m}: 2 classes, 4 fields renamed (3 classes in the file)"
        )),
        "{info}"
    );
}

#[test]
fn a_bad_mapping_file_is_a_usage_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("mapping.txt");
    std::fs::write(
        &bad,
        "com.example.A -> a:\n    int x -> a\nnot a mapping line\n",
    )
    .unwrap();
    crate::common::hprofscan()
        .args([
            "histogram",
            s(&crate::common::sample()),
            "--mapping",
            s(&bad),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "mapping file line 3: expected a class line",
        ));
    crate::common::hprofscan()
        .args([
            "info",
            s(&crate::common::sample()),
            "--mapping",
            s(&dir.path().join("none.txt")),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read the mapping file"));
}

#[test]
fn info_checks_art_sizes_and_counts_bitmap_pixels() {
    let dir = tempfile::tempdir().unwrap();
    let art = crate::common::art_dump(dir.path());
    // Lines wrap at 100 columns: compare with single spaces.
    let text = crate::common::text(&["info", s(&art)]);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("producer Android ART (JAVA PROFILE 1.0.3; java.lang.Object declares ART's header fields"), "{text}");
    assert!(
        text.contains(
            "art sizes 1 of 3 classes' instance sizes differ from the ones the dump declares: \
             com.example.Point 24 declared, 16 computed bitmaps 2 android.graphics.Bitmap"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "bitmaps 2 android.graphics.Bitmap: pixels 39.1 KiB in the heap (1 with mBuffer), \
             ~39.1 KiB native (estimated, 1 with a native pointer: width x height x 4), 0 without \
             pixels"
        ),
        "{text}"
    );
    let j = crate::common::json(&["info", s(&art)]);
    assert_eq!(
        j["bitmaps"],
        serde_json::json!({"bitmaps": 2, "in_heap": 1, "in_heap_bytes": 40000, "native": 1,
                           "native_estimated_bytes": 40000, "without_pixels": 0})
    );
    assert_eq!(
        (
            j["art_sizes"]["checked"].as_u64(),
            j["art_sizes"]["mismatches"].as_u64()
        ),
        (Some(3), Some(1))
    );
}
