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
    // No key is left anywhere, and their place holds other UUIDs (the keyed filler keeps hex
    // letters hex), one for each: distinct keys stay distinct.
    let copied = uuid_keys(&redacted);
    assert_eq!(copied.len(), keys.len());
    assert!(copied.iter().all(|k| !keys.contains(k)));
    let distinct: std::collections::HashSet<&Vec<u8>> = copied.iter().collect();
    assert_eq!(
        distinct.len(),
        keys.iter().collect::<std::collections::HashSet<_>>().len()
    );
    // The shape filler leaves only the shape.
    let shape = dir.path().join("sessions-shape.hprof");
    redact(&input, &shape, &["--filler", "shape"]).success();
    let src = DumpSource::from_vec(&shape, std::fs::read(&shape).unwrap());
    let shaped = uuid_keys(src.bytes());
    assert_eq!(shaped.len(), keys.len());
    assert!(shaped
        .iter()
        .all(|k| k.iter().all(|c| matches!(c, b'0' | b'a' | b'-'))));
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
    // The shape filler: the keyed filler's key is new in each run, so only its copies differ.
    let args = [
        "--pseudonymize-names",
        "--names-map",
        map.to_str().unwrap(),
        "--filler",
        "shape",
    ];
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
    redact(
        &input,
        &plain,
        &["--pseudonymize-names", "--filler", "shape"],
    )
    .success();
    assert!(
        std::fs::read(&plain).unwrap() == copy_bytes,
        "the same pseudonyms each time"
    );
    let keyed = dir.path().join("keyed.hprof");
    redact(&input, &keyed, &["--pseudonymize-names"]).success();
    let keyed_again = dir.path().join("keyed-again.hprof");
    redact(&input, &keyed_again, &["--pseudonymize-names"]).success();
    assert!(
        std::fs::read(&keyed).unwrap() != std::fs::read(&keyed_again).unwrap(),
        "a fresh key for the contents in each run"
    );
    std::fs::remove_file(&keyed).unwrap();
    std::fs::remove_file(&keyed_again).unwrap();
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

// ---- Every command's JSON on a keyed-filler copy ------------------------------------------------

/// The texts of a dump's `byte[]` and `char[]` arrays by array id, as the analyses decode them:
/// a `byte[]` as Latin-1 (and as UTF-16LE when it reads as such), a `char[]` as UTF-16BE.
fn array_texts(path: &Path) -> std::collections::HashMap<u64, Vec<String>> {
    struct Texts(std::collections::HashMap<u64, Vec<String>>);
    impl HeapVisitor for Texts {
        fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
            let Some(d) = a.data else { return };
            let utf16 = |le: bool| -> String {
                let units: Vec<u16> = d
                    .chunks_exact(2)
                    .map(|c| {
                        if le {
                            u16::from_le_bytes([c[0], c[1]])
                        } else {
                            u16::from_be_bytes([c[0], c[1]])
                        }
                    })
                    .collect();
                String::from_utf16_lossy(&units)
            };
            let texts = match a.elem {
                BasicType::Byte => {
                    let mut t = vec![d.iter().map(|&b| b as char).collect::<String>()];
                    if d.len() % 2 == 0 && d.chunks_exact(2).all(|c| c[1] == 0) {
                        t.push(utf16(true));
                    }
                    t
                }
                BasicType::Char => vec![utf16(false)],
                _ => return,
            };
            self.0.insert(a.id, texts);
        }
    }
    let src = DumpSource::open(path, &hprof_parser::OpenOptions::default()).expect("open");
    let bytes = src.bytes();
    let index = DumpIndex::scan(bytes, false).expect("index");
    let mut t = Texts(Default::default());
    for r in &index.heap_ranges {
        let body = &bytes[r.start as usize..r.end as usize];
        walk_heap(body, r.start, index.header.id_size, &mut t).expect("walk");
    }
    t.0
}

/// `pool-1-thread-12` -> `pool-#-thread-#`, as the leak analysis groups thread names.
fn digits_to_hash(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('#') {
            out.push('#');
        }
    }
    out
}

/// The renaming a copy made of the texts of a dump's heap, read from the two dumps (the same
/// arrays at the same ids): the copy's text -> the original's, for the heap texts that are a
/// whole string of the original's output (thread names, loader names), and the same with their
/// digits grouped as `#` (thread name patterns: the keyed filler gives texts that differ only
/// in their digits the same letters, so a pattern stands for one pattern). Only heap contents are renamed: class names,
/// field names and every number are the dump's own and must be equal as they are.
struct Renaming {
    /// The copy's form -> the original's.
    whole: std::collections::HashMap<String, String>,
    /// The same pairs of 4 characters or more, longest first, put back inside longer strings
    /// (`350 threads named pool-#-thread-#`) where no letter or digit adjoins them.
    inside: Vec<(String, String)>,
}

impl Renaming {
    fn new(original: &Path, copy: &Path, leaves: &std::collections::BTreeSet<String>) -> Renaming {
        let (a, b) = (array_texts(original), array_texts(copy));
        let mut whole = std::collections::HashMap::new();
        for (id, texts) in &a {
            for (o, c) in texts.iter().zip(&b[id]) {
                if o == c || !leaves.contains(o) {
                    continue;
                }
                let grouped = (digits_to_hash(c), digits_to_hash(o));
                for (c, o) in [(c.clone(), o.clone()), grouped] {
                    let old = whole.insert(c.clone(), o.clone());
                    assert!(old.is_none() || old == Some(o), "{c} stands for one text");
                }
            }
        }
        let mut inside: Vec<(String, String)> = whole
            .iter()
            .filter(|(c, _)| c.chars().count() >= 4)
            .map(|(c, o)| (c.clone(), o.clone()))
            .collect();
        inside.sort_by_key(|(c, _)| std::cmp::Reverse(c.len()));
        Renaming { whole, inside }
    }

    /// A string of the copy's output with the renamed texts put back.
    fn text(&self, s: &str) -> String {
        if let Some(o) = self.whole.get(s) {
            return o.clone();
        }
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let mut s = s.to_string();
        for (c, o) in &self.inside {
            let mut from = 0;
            while let Some(i) = s[from..].find(c.as_str()).map(|i| i + from) {
                let end = i + c.len();
                if word(s[..i].chars().next_back()) || word(s[end..].chars().next()) {
                    from = end;
                    continue;
                }
                s.replace_range(i..end, o);
                from = i + o.len();
            }
        }
        s
    }

    /// A JSON value of the copy's output with the renamed texts put back (object keys too).
    fn back(&self, v: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.back(x)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (self.text(k), self.back(x)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// Every string of a JSON value (object keys too).
fn leaves(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|x| leaves(x, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.insert(k.clone());
            leaves(x, out)
        }),
        _ => {}
    }
}

/// A text without the list of thread names that follows `threads (`: a list compacted into
/// numeric ranges (`export-io-1..4`), whose ranges are not the copy's (its digits differ). The
/// count of threads before it stays.
fn without_name_list(s: &str) -> String {
    match s.find("threads (") {
        Some(i) => {
            let open = i + "threads (".len();
            // The list runs to the last `)`: a name may hold parentheses (`process reaper (pid 7)`).
            let close = s.rfind(')').filter(|&j| j >= open).unwrap_or(s.len());
            format!("{}{}", &s[..open], &s[close..])
        }
        None => s.to_string(),
    }
}

/// The differences between two JSON values; arrays whose rows differ only in their order
/// (rows sorted by a name, and names changed) compare as multisets.
fn differences(a: &serde_json::Value, b: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => differences(p, q, &format!("{path}.{k}"), out),
                    _ => out.push(format!("{path}.{k}: in one only")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            let mut inner = Vec::new();
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, &format!("{path}[{i}]"), &mut inner);
            }
            if !inner.is_empty() {
                let sorted = |v: &[Value]| {
                    let mut s: Vec<String> = v.iter().map(|r| r.to_string()).collect();
                    s.sort();
                    s
                };
                if sorted(x) != sorted(y) {
                    out.extend(inner);
                }
            }
        }
        _ if a == b => {}
        (Value::String(x), Value::String(y)) if without_name_list(x) == without_name_list(y) => {}
        _ => out.push(format!("{path}: {a} != {b}")),
    }
}

/// Runs `hprofscan ARGS --format json` (NDJSON: one value per line) and parses stdout;
/// the paths of the dumps left out.
fn json_values(args: &[&str], paths: &[&Path]) -> serde_json::Value {
    let out = hprofscan()
        .args(args)
        .args(paths)
        .args(["--format", "json", "--progress", "never"])
        .output()
        .expect("run hprofscan");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?} {paths:?}: {out:?}"
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut text = text;
    for p in paths {
        text = text.replace(&p.display().to_string(), "DUMP");
        if let Some(n) = p.file_name() {
            text = text.replace(&n.to_string_lossy().into_owned(), "DUMP");
        }
    }
    let values: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&text)
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("JSON");
    serde_json::Value::Array(values)
}

/// The commands with JSON output that take one dump.
const ONE_DUMP_COMMANDS: &[&[&str]] = &[
    &["info"],
    &["histogram"],
    &["histogram", "--retained"],
    &["dominators"],
    &["leaks"],
    &["waste"],
    &["threadlocals"],
    &["classloaders"],
    &["resources"],
];

/// The JSON of every command on the originals and on the copies: equal, renamed heap texts
/// put back and rows ordered by a name compared in any order; the file sizes (a gzip copy is
/// compressed anew) left out. The failures, named.
fn compare_commands(
    commands: &[Vec<&str>],
    originals: &[&Path],
    copies: &[&Path],
    failures: &mut Vec<String>,
) {
    let outputs: Vec<(serde_json::Value, serde_json::Value)> = commands
        .iter()
        .map(|args| {
            let strip = |mut v: serde_json::Value| {
                if let Some(rows) = v.as_array_mut() {
                    for r in rows {
                        if let Some(d) = r.get_mut("dump").and_then(|d| d.as_object_mut()) {
                            d.remove("bytes");
                        }
                    }
                }
                v
            };
            (
                strip(json_values(args, originals)),
                strip(json_values(args, copies)),
            )
        })
        .collect();
    let mut shown = std::collections::BTreeSet::new();
    for (a, _) in &outputs {
        leaves(a, &mut shown);
    }
    let renamings: Vec<Renaming> = originals
        .iter()
        .zip(copies)
        .map(|(o, c)| Renaming::new(o, c, &shown))
        .collect();
    for (args, (a, b)) in commands.iter().zip(&outputs) {
        let mut back = b.clone();
        for r in &renamings {
            back = r.back(&back);
        }
        let mut diffs = Vec::new();
        differences(a, &back, "", &mut diffs);
        let on = originals[0].file_name().unwrap().to_string_lossy();
        for d in diffs.iter().take(5) {
            failures.push(format!("{args:?} on {on}: {d}"));
        }
    }
}

/// Issue #17: every command's JSON on a redacted copy equals its JSON on the original, heap
/// texts (thread names, loader names) renamed aside. The keyed filler keeps every size, count,
/// reference and verdict, the duplicates of `waste`, the threads grouped by name and the
/// distinct loaders; the names themselves are heap contents, so the copy's are other texts of
/// the same shape. They are put back by pairing the texts of the same arrays in the two dumps
/// ([`Renaming`]); rows sorted by such a name are compared in any order. Dumps: a service
/// (audit), waste, threads, executors, class loaders (plugins) and a gzip one.
#[test]
fn every_command_gives_the_same_json_on_a_keyed_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut commands: Vec<Vec<&str>> = ONE_DUMP_COMMANDS.iter().map(|c| c.to_vec()).collect();
    commands.push(vec!["leaks", "--threshold", "0.02"]);
    for name in [
        "svc-leak-audit.hprof",
        "waste.hprof",
        "svc-leak-threads.hprof",
        "svc-leak-executors.hprof",
        "svc-leak-plugins.hprof",
        "session-leak.jcmd.hprof.gz",
    ] {
        let input = dump(name);
        let out = dir.path().join(name);
        let a = redact(&input, &out, &[]).success();
        let said = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
        assert!(said.contains("keyed filler, random key not kept"), "{said}");
        compare_commands(&commands, &[&input], &[&out], &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The rest of the JSON commands: `path` to the top suspect of each dump, `diff` and `growth`
/// over two dumps of one series redacted with one key (`--names-key`: the keyed filler's key
/// derived from it, so the two copies' texts are renamed alike), and `scan` over a folder of
/// copies against a folder of the originals.
#[test]
fn path_diff_growth_and_scan_give_the_same_json_on_keyed_copies() {
    let dir = tempfile::tempdir().unwrap();
    let (originals, copies) = (dir.path().join("originals"), dir.path().join("copies"));
    std::fs::create_dir_all(&originals).unwrap();
    std::fs::create_dir_all(&copies).unwrap();
    let mut failures = Vec::new();
    let series = ["svc-leak-sessions-1.hprof", "svc-leak-sessions.hprof"];
    let mut pairs = Vec::new();
    for name in series.iter().chain(&["svc-leak-threads.hprof"]) {
        let input = originals.join(name);
        std::fs::copy(dump(name), &input).unwrap();
        let out = copies.join(name);
        let a = redact(&input, &out, &["--names-key", "series key"]).success();
        let said = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
        assert!(said.contains("keyed filler, key from the secret"), "{said}");
        pairs.push((input, out));
    }
    for (input, out) in &pairs {
        let leaks = json_values(&["leaks"], &[input]);
        let id = leaks[0]["suspects"][0]["gc_root_path"]
            .as_array()
            .and_then(|p| p.last())
            .and_then(|n| n["id"].as_str())
            .or(leaks[0]["top_retainers"][0]["id"].as_str())
            .expect("a suspect, or a top retainer")
            .to_string();
        let path = vec!["path", "--id", id.as_str()];
        compare_commands(&[path], &[input], &[out], &mut failures);
    }
    let (a, b) = (&pairs[0], &pairs[1]);
    for cmd in [vec!["growth"], vec!["diff"], vec!["leaks"]] {
        compare_commands(&[cmd], &[&a.0, &b.0], &[&a.1, &b.1], &mut failures);
    }
    // `scan` names each dump by its path: the copies and the originals have the same names.
    let scan = |d: &Path| -> serde_json::Value {
        let v = json_values(&["scan"], &[d]);
        serde_json::from_str(&v.to_string().replace(&d.display().to_string(), "DIR")).unwrap()
    };
    let (so, sc) = (scan(&originals), scan(&copies));
    assert_eq!(so.as_array().map(Vec::len), Some(4), "{so}");
    let mut back = sc.clone();
    for (input, out) in &pairs {
        let mut shown = std::collections::BTreeSet::new();
        leaves(&so, &mut shown);
        back = Renaming::new(input, out, &shown).back(&back);
    }
    let mut diffs = Vec::new();
    differences(&so, &back, "", &mut diffs);
    failures.extend(diffs.into_iter().take(5).map(|d| format!("scan: {d}")));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The same secret, the same copy.
    let again = dir.path().join("again.hprof");
    redact(&pairs[0].0, &again, &["--names-key", "series key"]).success();
    assert!(std::fs::read(&again).unwrap() == std::fs::read(&pairs[0].1).unwrap());
}

/// The secrets testdata/programs/testdata/RedactSecrets.java plants, as they are in the dump's
/// bytes: each text in Latin-1 and in UTF-16 (both byte orders), and the binary token.
fn planted_secrets() -> Vec<(String, Vec<u8>)> {
    let mut texts = vec![
        "Tr0ub4dor&3-db-password".to_string(),
        "keystore-S3cr3t!2024".to_string(),
        format!("sk_live_{:x}", 0x5eed_cafe_f00du64 * 31),
        "p\u{e4}ssw\u{f6}rd-42-Gr\u{fc}\u{df}e\u{20ac}".to_string(),
    ];
    for i in 0..20u64 {
        texts.push(format!("user{i}@example.com"));
        texts.push(format!("pass-{}-word", 7919 * (i + 1)));
    }
    let mut out = Vec::new();
    for t in texts {
        let units: Vec<u16> = t.encode_utf16().collect();
        if t.chars().all(|c| (c as u32) < 256) {
            out.push((t.clone(), t.chars().map(|c| c as u8).collect()));
        }
        out.push((
            format!("{t} (UTF-16LE)"),
            units.iter().flat_map(|u| u.to_le_bytes()).collect(),
        ));
        out.push((
            format!("{t} (UTF-16BE)"),
            units.iter().flat_map(|u| u.to_be_bytes()).collect(),
        ));
    }
    let token: Vec<u8> = (0..32u32).map(|i| (i * 37 + 11) as u8).collect();
    out.push(("the session token".into(), token));
    out
}

/// Issue #17: a search of the redacted file for known secrets planted by a test program finds
/// none: passwords in a static String (a literal, also in the symbol table), a char[], a
/// byte[], a HashMap of e-mail -> password, a UTF-16 String and a binary token; with either
/// filler, plain and gzip. The original holds each of them (where they are looked for is right).
#[test]
fn a_redacted_copy_holds_none_of_the_planted_secrets() {
    let input = dump("redact-secrets.hprof");
    let original = std::fs::read(&input).unwrap();
    let secrets = planted_secrets();
    let find = |hay: &[u8], k: &[u8]| hay.windows(k.len()).any(|w| w == k);
    // Each text in one encoding at least, and the token.
    let found: Vec<&String> = secrets
        .iter()
        .filter(|(_, b)| find(&original, b))
        .map(|(n, _)| n)
        .collect();
    assert!(found.len() >= 44, "{} found: {found:?}", found.len());
    for t in ["Tr0ub4dor&3-db-password", "keystore-S3cr3t!2024 (UTF-16BE)"] {
        assert!(found.iter().any(|f| f.as_str() == t), "{t} in the original");
    }
    assert!(
        found.iter().any(|f| f.starts_with("p\u{e4}ssw")),
        "{found:?}"
    );
    assert!(found.iter().any(|f| f.as_str() == "the session token"));
    let dir = tempfile::tempdir().unwrap();
    for (out, args) in [
        ("keyed.hprof", vec![]),
        ("keyed.hprof.gz", vec![]),
        ("shape.hprof", vec!["--filler", "shape"]),
        (
            "named.hprof",
            vec!["--pseudonymize-names", "--names-key", "k"],
        ),
    ] {
        let out = dir.path().join(out);
        redact(&input, &out, &args).success();
        let src = DumpSource::open(&out, &hprof_parser::OpenOptions::default()).expect("open");
        let copy = src.bytes();
        if !args.contains(&"--pseudonymize-names") {
            assert_eq!(copy.len(), original.len());
        }
        for (name, bytes) in &secrets {
            assert!(!find(copy, bytes), "{name} left in {}", out.display());
        }
    }
}
