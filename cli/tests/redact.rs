//! End-to-end tests of `hprofscan redact` on real dumps: the copy analyses exactly as the
//! original, holds none of its String contents, and a damaged dump leaves no copy behind.

use std::path::Path;

use crate::common::{dump, hprofscan};
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
fn keeping_every_array_type_copies_the_heap_unchanged() {
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
    let original = std::fs::read(&input).unwrap();
    let copy = std::fs::read(&out).unwrap();
    assert_eq!(copy.len(), original.len());
    // Only unreferenced symbols (UTF8 records) differ: every heap dump byte is the original's.
    let index = DumpIndex::scan(&original, false).expect("index");
    assert!(!index.heap_ranges.is_empty());
    for r in &index.heap_ranges {
        let (a, b) = (r.start as usize, r.end as usize);
        assert!(copy[a..b] == original[a..b], "heap bytes {a}..{b} changed");
    }
}

#[test]
fn string_literals_of_the_code_are_not_left_in_the_symbol_table() {
    // SvcLeakAudit.java builds names from the literals "Instrument Holdings " and "Owner of ";
    // HotSpot writes them into the dump's UTF8 records (its symbol table), which no record
    // refers to.
    let input = dump("svc-leak-audit.hprof");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit.hprof");
    let a = redact(&input, &out, &[]).success();
    let said = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(said.contains("unreferenced symbols filled"), "{said}");
    let original = String::from_utf8_lossy(&std::fs::read(&input).unwrap()).into_owned();
    let copy = String::from_utf8_lossy(&std::fs::read(&out).unwrap()).into_owned();
    for literal in ["Instrument Holdings", "Owner of"] {
        assert!(original.contains(literal), "{literal} is in the original");
        assert!(!copy.contains(literal), "{literal} is left in the copy");
    }
    // Names records refer to stay.
    assert!(copy.contains("testdata/SvcLeakAudit$AuditTrail") && copy.contains("RECORDS"));
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

/// The token map of a `--names-map` file: each word of a pseudonym (`Class03`, `field7`,
/// `pkg1`) -> the word of the original name it stands for.
fn name_tokens(map: &str) -> std::collections::HashMap<String, String> {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map(str::to_string)
            .collect()
    };
    let mut tokens = std::collections::HashMap::new();
    for line in map.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "kind, pseudonym, original: {line}");
        let (p, o) = (words(cols[1]), words(cols[2]));
        assert_eq!(
            p.len(),
            o.len(),
            "the pseudonym keeps the name's shape: {line}"
        );
        for (p, o) in p.into_iter().zip(o) {
            if p != o {
                let old = tokens.insert(p.clone(), o.clone());
                assert!(old.is_none() || old == Some(o), "{p} stands for one name");
            }
        }
    }
    tokens
}

/// Every string of a JSON value (object keys too) with pseudonym words mapped back.
fn names_back(
    v: &serde_json::Value,
    tokens: &std::collections::HashMap<String, String>,
) -> serde_json::Value {
    use serde_json::Value;
    let back = |s: &str| {
        let mut out = String::new();
        let mut word = String::new();
        for c in s.chars().chain(std::iter::once('\0')) {
            if c.is_ascii_alphanumeric() || c == '_' {
                word.push(c);
                continue;
            }
            out.push_str(tokens.get(&word).unwrap_or(&word));
            word.clear();
            if c != '\0' {
                out.push(c);
            }
        }
        out
    };
    match v {
        Value::String(s) => Value::String(back(s)),
        Value::Array(a) => Value::Array(a.iter().map(|x| names_back(x, tokens)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (back(k), names_back(x, tokens)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The JSON of a command with what depends on the file's layout rather than the heap removed:
/// the file's name and sizes, and where the heap records start (the pseudonyms change the
/// length of the name records before them); histogram rows of equal size in a fixed order
/// (rows of equal size are ordered by name, and names changed).
fn comparable(cmd: &str, path: &Path) -> serde_json::Value {
    let mut v = json_without_file(&[cmd], path);
    let d = v["dump"].as_object_mut().expect("dump");
    d.remove("uncompressed_bytes");
    if let Some(s) = v.get_mut("snapshots").and_then(|s| s.as_array_mut()) {
        for s in s {
            s.as_object_mut().expect("snapshot").remove("offset");
        }
    }
    v
}

#[test]
fn pseudonymised_dumps_analyse_as_the_originals_modulo_names() {
    let dir = tempfile::tempdir().unwrap();
    let private = tempfile::tempdir().unwrap();
    for (input, out) in [
        (crate::common::service_sample(), "audit.hprof.gz"),
        (dump("leak-listeners.hprof"), "listeners.hprof"),
        (dump("svc-leak-pool.hprof"), "pool.hprof"),
        (dump("svc-leak-plugins.hprof"), "plugins.hprof"),
    ] {
        let out = dir.path().join(out);
        let map = private.path().join("names.tsv");
        let a = redact(
            &input,
            &out,
            &["--pseudonymize-names", "--names-map", map.to_str().unwrap()],
        )
        .success();
        let said = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
        assert!(said.contains("names pseudonymised"), "{said}");
        let map = std::fs::read_to_string(&map).unwrap();
        let tokens = name_tokens(&map);
        assert!(
            map.lines().filter(|l| l.starts_with("class\t")).count() >= 5,
            "{map}"
        );
        for cmd in ["info", "histogram", "dominators", "leaks"] {
            let original = comparable(cmd, &input);
            let copy = comparable(cmd, &out);
            if cmd != "info" {
                // `info` names no class; the others do.
                assert_ne!(copy, original, "{cmd}: names differ in the copy");
            }
            let mut back = names_back(&copy, &tokens);
            if cmd == "histogram" {
                let rows = |v: &mut serde_json::Value| {
                    let rows = v["classes"].as_array_mut().expect("classes");
                    rows.sort_by_key(|r| (r["shallow_bytes"].as_u64(), r["class"].to_string()));
                };
                let mut original = original.clone();
                rows(&mut original);
                rows(&mut back);
                assert_eq!(back, original, "{cmd} on {}", input.display());
            } else {
                assert_eq!(back, original, "{cmd} on {}", input.display());
            }
        }
    }
}

#[test]
fn pseudonymised_copy_holds_none_of_the_application_class_names() {
    let input = dump("svc-leak-audit.hprof");
    let dir = tempfile::tempdir().unwrap();
    let private = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit.hprof");
    let map = private.path().join("audit.names");
    let args = ["--pseudonymize-names", "--names-map", map.to_str().unwrap()];
    redact(&input, &out, &args).success();
    let copy_bytes = std::fs::read(&out).unwrap();
    // Names are ASCII here; a lossy text keeps them and searches fast.
    let original = String::from_utf8_lossy(&std::fs::read(&input).unwrap()).into_owned();
    let copy = String::from_utf8_lossy(&copy_bytes).into_owned();
    let find = |hay: &str, k: &str| hay.contains(k);
    let map = std::fs::read_to_string(&map).unwrap();
    let mut checked = 0;
    for line in map.lines().filter(|l| l.starts_with("class\t")) {
        let name = line.split('\t').nth(2).unwrap();
        // The class's own name in the JVM's form and in Java's, and each word of it as a
        // name part (`$AuditTrail`, `/SvcLeakAudit`: a platform name such as `bitPosition`
        // may hold the same letters), wherever it occurs: names, signatures, literals.
        let name = name.trim_end_matches("[]");
        let internal = name.replace('.', "/");
        let mut forms = vec![internal, name.to_string()];
        for w in name.split(['.', '$', '+']) {
            if w.len() >= 5 && !w.starts_with("0x") && w != "Lambda" {
                forms.extend([format!("${w}"), format!("/{w}")]);
            }
        }
        for f in &forms {
            assert!(!find(&copy, f), "{f} is left in the copy");
            checked += 1;
        }
        assert!(
            find(&original, &forms[0]),
            "{} is in the original",
            forms[0]
        );
    }
    assert!(checked >= 40, "{checked} names checked");
    assert!(find(&original, "testdata") && !find(&copy, "testdata"));
    // The map is written only when asked, and never next to the dump unless allowed.
    let plain = dir.path().join("plain.hprof");
    redact(&input, &plain, &["--pseudonymize-names"]).success();
    assert!(
        std::fs::read(&plain).unwrap() == copy_bytes,
        "the same pseudonyms each time"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 2, "OUT only, no map: {left:?}");
    let next_to_input = input.with_file_name("never-written.names");
    let a = redact(
        &input,
        &dir.path().join("again.hprof"),
        &[
            "--pseudonymize-names",
            "--names-map",
            next_to_input.to_str().unwrap(),
        ],
    )
    .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("--names-map") && err.contains("--allow-next-to-input"),
        "{err}"
    );
    assert!(!next_to_input.exists());
    let other = private.path().join("other.names");
    let a = redact(
        &input,
        &dir.path().join("again.hprof"),
        &["--names-map", other.to_str().unwrap()],
    )
    .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("--pseudonymize-names"), "{err}");
}

/// The `class` lines of a `--names-map` file: original name -> pseudonym.
fn class_pseudonyms(map: &str) -> std::collections::BTreeMap<String, String> {
    map.lines()
        .filter_map(|l| l.strip_prefix("class\t"))
        .map(|l| {
            let (p, o) = l.split_once('\t').expect("pseudonym, original");
            (o.to_string(), p.to_string())
        })
        .collect()
}

/// `growth A B` as JSON, names mapped back, the files' paths left out and rows in a fixed order.
fn growth_back(
    a: &Path,
    b: &Path,
    tokens: &std::collections::HashMap<String, String>,
) -> serde_json::Value {
    let out = hprofscan()
        .arg("growth")
        .args([a, b])
        .args(["--format", "json", "--progress", "never"])
        .output()
        .expect("run hprofscan");
    assert!(out.status.success(), "growth: {out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut v = names_back(&v, tokens);
    for key in ["holders", "classes"] {
        let rows = v[key].as_array_mut().expect(key);
        rows.sort_by_key(|r| r.to_string());
    }
    serde_json::json!({"holders": v["holders"], "classes": v["classes"]})
}

#[test]
fn pseudonyms_are_the_same_in_every_dump_redacted_with_one_key() {
    // testdata/programs/testdata/SvcLeakSessions.java dumped twice as its sessions grow.
    let (a, b) = (
        dump("svc-leak-sessions-1.hprof"),
        dump("svc-leak-sessions.hprof"),
    );
    let dir = tempfile::tempdir().unwrap();
    let private = tempfile::tempdir().unwrap();
    let run = |input: &Path, name: &str, key: &str| {
        let out = dir.path().join(format!("{name}.hprof"));
        let map = private.path().join(format!("{name}.names"));
        let args = ["--pseudonymize-names", "--names-key", key, "--names-map"];
        let mut args = args.map(str::to_string).to_vec();
        args.push(map.to_string_lossy().into_owned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        redact(input, &out, &args).success();
        (out, std::fs::read_to_string(&map).unwrap())
    };
    let (a1, map_a) = run(&a, "a", "team secret");
    let (b1, map_b) = run(&b, "b", "team secret");
    let (ca, cb) = (class_pseudonyms(&map_a), class_pseudonyms(&map_b));
    let both: Vec<&String> = ca.keys().filter(|k| cb.contains_key(*k)).collect();
    assert!(
        both.len() >= 10,
        "{} application classes in both",
        both.len()
    );
    for c in &both {
        assert_eq!(ca[*c], cb[*c], "{c}: one pseudonym in both dumps");
        assert!(ca[*c].contains("Class_"), "{c} -> {}", ca[*c]);
    }
    // Another application's dump shares the package, the harness class `DumpUtil` and the
    // nested names `SimClock` and `MetricsRegistry`, among different other names: a numbering
    // per dump would differ, the hash does not.
    let (_, map_c) = run(&dump("svc-leak-audit.hprof"), "c", "team secret");
    let words = |map: &str| -> std::collections::BTreeMap<String, String> {
        let classes: Vec<&str> = map.lines().filter(|l| l.starts_with("class\t")).collect();
        let tokens = name_tokens(&classes.join("\n"));
        tokens.into_iter().map(|(p, o)| (o, p)).collect()
    };
    let (wb, wc) = (words(&map_b), words(&map_c));
    for w in ["testdata", "DumpUtil", "SimClock", "MetricsRegistry"] {
        assert_eq!(
            wb.get(w),
            wc.get(w),
            "{w}: one pseudonym in both applications"
        );
        assert!(wb.contains_key(w), "{w}");
    }
    assert_ne!(wb.len(), wc.len());
    // Another key, other pseudonyms; the same key, the same copy.
    let (_, map_other) = run(&b, "other", "another secret");
    let other = class_pseudonyms(&map_other);
    for c in &both {
        assert_ne!(other[*c], cb[*c], "{c}: the key changes the pseudonym");
    }
    let (b2, _) = run(&b, "again", "team secret");
    assert!(std::fs::read(&b1).unwrap() == std::fs::read(&b2).unwrap());
    // `growth` on the two copies reports what it reports on the originals, names aside.
    let mut tokens = name_tokens(&map_a);
    for (p, o) in name_tokens(&map_b) {
        let old = tokens.insert(p.clone(), o.clone());
        assert!(old.is_none() || old == Some(o), "{p} stands for one name");
    }
    let original = growth_back(&a, &b, &tokens);
    let copy = growth_back(&a1, &b1, &tokens);
    assert!(
        original["holders"].as_array().unwrap().len() >= 3,
        "{original}"
    );
    assert_eq!(copy, original);
    let text = |p: &Path, q: &Path| {
        crate::common::text(&["growth", p.to_str().unwrap(), q.to_str().unwrap()])
    };
    assert!(text(&a1, &b1).contains("Class_") && !text(&a1, &b1).contains("SvcLeakSessions"));
    assert!(text(&a, &b).contains("SvcLeakSessions"));
}
