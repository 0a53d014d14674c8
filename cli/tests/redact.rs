//! End-to-end tests of `hprofscan redact` on real dumps: the copy analyses exactly as the
//! original, holds none of its String contents, and a damaged dump leaves no copy behind.

mod common;

use std::path::Path;

use common::{dump, hprofscan};
use hprof_parser::{walk_heap, BasicType, DumpIndex, DumpSource, HeapVisitor, PrimitiveArray};

/// `hprofscan redact IN OUT ARGS`, with OUT in a directory of its own.
fn redact(input: &Path, out: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    hprofscan()
        .arg("redact")
        .arg(input)
        .arg(out)
        .args(args)
        .args(["--progress", "never"])
        .assert()
}

/// The command's JSON without the fields that name the file (`dump.path`, `dump.bytes`).
fn json_without_file(args: &[&str], path: &Path) -> serde_json::Value {
    let out = hprofscan()
        .args(args)
        .arg(path)
        .args(["--format", "json", "--progress", "never"])
        .output()
        .expect("run hprofscan");
    assert!(out.status.success(), "{args:?} {}: {out:?}", path.display());
    let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let d = v["dump"].as_object_mut().expect("a dump object");
    assert!(d.remove("path").is_some() && d.remove("bytes").is_some());
    v
}

#[test]
fn redacted_dumps_analyse_exactly_as_the_originals() {
    let dir = tempfile::tempdir().unwrap();
    for (name, out) in [
        ("svc-leak-audit.hprof", "audit.hprof"),
        ("session-leak.jcmd.hprof.gz", "session.hprof.gz"),
    ] {
        let input = dump(name);
        let out = dir.path().join(out);
        redact(&input, &out, &[]).success();
        if name.ends_with(".gz") {
            let head = std::fs::read(&out).unwrap();
            assert_eq!(&head[..2], &[0x1f, 0x8b], "OUT ending in .gz is gzip");
        }
        for cmd in ["info", "histogram", "dominators", "leaks"] {
            assert_eq!(
                json_without_file(&[cmd], &input),
                json_without_file(&[cmd], &out),
                "{cmd} on {name}"
            );
        }
    }
}

/// The UUID session keys held as `byte[]` (the contents of Latin-1 Strings) in a dump.
fn uuid_keys(bytes: &[u8]) -> Vec<Vec<u8>> {
    struct Keys(Vec<Vec<u8>>);
    impl HeapVisitor for Keys {
        fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
            let Some(d) = a.data else { return };
            let uuid = d.len() == 36
                && d.iter().enumerate().all(|(i, c)| match i {
                    8 | 13 | 18 | 23 => *c == b'-',
                    _ => c.is_ascii_hexdigit(),
                });
            if a.elem == BasicType::Byte && uuid && self.0.len() < 50 {
                self.0.push(d.to_vec());
            }
        }
    }
    let index = DumpIndex::scan(bytes, false).expect("index");
    let mut keys = Keys(Vec::new());
    for r in &index.heap_ranges {
        let body = &bytes[r.start as usize..r.end as usize];
        walk_heap(body, r.start, index.header.id_size, &mut keys).expect("walk");
    }
    keys.0
}

#[test]
fn redacted_copy_holds_none_of_the_session_keys() {
    let input = dump("svc-leak-sessions.hprof");
    let original = std::fs::read(&input).unwrap();
    let keys = uuid_keys(&original);
    assert!(keys.len() >= 20, "the dump holds UUID session keys");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sessions.hprof");
    redact(&input, &out, &[]).success();
    let redacted = std::fs::read(&out).unwrap();
    assert_eq!(redacted.len(), original.len());
    let find = |hay: &[u8], k: &[u8]| hay.windows(k.len()).any(|w| w == k);
    for k in &keys[..5] {
        assert!(find(&original, k));
        assert!(
            !find(&redacted, k),
            "{} left in the copy",
            String::from_utf8_lossy(k)
        );
    }
    // No key is left anywhere, and their place holds same-shaped filler.
    assert!(uuid_keys(&redacted)
        .iter()
        .all(|k| k.iter().all(|c| matches!(c, b'0' | b'a' | b'-'))));
    let src = DumpSource::from_vec(&out, redacted);
    assert_eq!(uuid_keys(src.bytes()).len(), keys.len());
}

#[test]
fn keeping_every_array_type_copies_the_dump_unchanged() {
    let input = dump("basic.hprof");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("basic.hprof");
    redact(
        &input,
        &out,
        &[
            "--keep-arrays",
            "boolean,char,float,double,byte,short,int,long",
        ],
    )
    .success();
    assert!(std::fs::read(&input).unwrap() == std::fs::read(&out).unwrap());
}

#[test]
fn a_truncated_dump_fails_naming_the_offset_and_leaves_no_copy() {
    let original = std::fs::read(dump("basic.hprof")).unwrap();
    let in_dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    for cut in [original.len() / 2, original.len() - 9, 40] {
        let input = in_dir.path().join("cut.hprof");
        std::fs::write(&input, &original[..cut]).unwrap();
        let out = out_dir.path().join("cut-redacted.hprof");
        let a = redact(&input, &out, &[]).code(3);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains("offset"), "{err}");
        let left: Vec<_> = std::fs::read_dir(out_dir.path()).unwrap().collect();
        assert!(left.is_empty(), "nothing written after a failure: {left:?}");
    }
}

#[test]
fn never_writes_over_or_next_to_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("app.hprof");
    std::fs::copy(dump("basic.hprof"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    // The input itself, also through a hard link: refused, even when asked to write next to it.
    let link = dir.path().join("link.hprof");
    std::fs::hard_link(&input, &link).unwrap();
    for out in [&input, &link] {
        let a = redact(&input, out, &["--allow-next-to-input"]).code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains("refusing to write over it"), "{err}");
    }
    assert!(std::fs::read(&input).unwrap() == before);
    // Next to the input: refused by default, written when allowed.
    let next = dir.path().join("app-redacted.hprof");
    let a = redact(&input, &next, &[]).code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("--allow-next-to-input"), "{err}");
    assert!(!next.exists());
    redact(&input, &next, &["--allow-next-to-input"]).success();
    assert_eq!(std::fs::metadata(&next).unwrap().len(), before.len() as u64);
}
