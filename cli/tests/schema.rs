//! The JSON reports against their published schemas (docs/schema/*.json), on real dumps.
//!
//! Each schema refers to its siblings by relative `$ref` (`dump-1.json`,
//! `common-1.json#/$defs/...`); they are served from docs/schema/ by a retriever, offline.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// Every schema file, reports first (info-2.json, leaks-1.json to leaks-15.json,
/// resources-1.json, scan-1.json to scan-6.json, threadlocals-1.json and waste-1.json stay for
/// old consumers; the binary writes info-3.json, leaks-16.json, resources-2.json, scan-7.json,
/// threadlocals-2.json and waste-2.json documents).
const SCHEMAS: [&str; 38] = [
    "info-3.json",
    "info-2.json",
    "histogram-1.json",
    "dominators-1.json",
    "path-1.json",
    "leaks-16.json",
    "leaks-15.json",
    "leaks-14.json",
    "leaks-13.json",
    "leaks-12.json",
    "leaks-11.json",
    "leaks-10.json",
    "leaks-9.json",
    "leaks-8.json",
    "leaks-7.json",
    "leaks-6.json",
    "leaks-5.json",
    "leaks-4.json",
    "leaks-3.json",
    "leaks-2.json",
    "leaks-1.json",
    "dump-1.json",
    "common-1.json",
    "threadlocals-2.json",
    "threadlocals-1.json",
    "classloaders-1.json",
    "resources-2.json",
    "resources-1.json",
    "growth-1.json",
    "scan-7.json",
    "scan-6.json",
    "scan-5.json",
    "scan-4.json",
    "scan-3.json",
    "scan-2.json",
    "scan-1.json",
    "waste-2.json",
    "waste-1.json",
];

fn schema_dir() -> PathBuf {
    crate::common::repo().join("docs/schema")
}

fn load_schema(name: &str) -> Value {
    let p = schema_dir().join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", p.display()))
}

/// Resolves relative `$ref`s (which land on `json-schema:///NAME.json`) to the files of
/// docs/schema/, and refuses anything else.
struct SchemaDir;

impl jsonschema::Retrieve for SchemaDir {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let s = uri.as_str();
        let name = s.strip_prefix("json-schema:///").unwrap_or(s);
        let name = name.split('#').next().unwrap_or(name);
        if !SCHEMAS.contains(&name) {
            return Err(format!("unexpected schema reference {s}").into());
        }
        Ok(load_schema(name))
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    compile(&load_schema(name), name)
}

fn compile(schema: &Value, name: &str) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_retriever(SchemaDir)
        .build(schema)
        .unwrap_or_else(|e| panic!("{name} does not compile: {e}"))
}

/// All validation errors of `doc` against schema `name`, one line each. `name` may name one
/// definition of a schema file, `FILE#/$defs/DEF`: where a file's root is a `oneOf` (scan
/// lines), errors inside the branch are then reported rather than the `oneOf` alone.
fn errors(name: &str, doc: &Value) -> Vec<String> {
    let v = if name.contains('#') {
        compile(
            &json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$ref": name
            }),
            name,
        )
    } else {
        validator(name)
    };
    v.iter_errors(doc)
        .map(|e| {
            format!(
                "at {:?} (schema {:?}): {e}",
                e.instance_path().as_str(),
                e.schema_path().as_str()
            )
        })
        .collect()
}

#[track_caller]
fn assert_valid(name: &str, doc: &Value, what: &str) {
    let errs = errors(name, doc);
    assert!(
        errs.is_empty(),
        "{what}: {} error(s) against {name}:\n  {}",
        errs.len(),
        errs.join("\n  ")
    );
}

/// Asserts that `doc` fails `name` with an error whose line contains `expect` (an instance
/// or schema path fragment), so that it fails for the intended reason.
#[track_caller]
fn assert_invalid(name: &str, doc: &Value, what: &str, expect: &str) {
    let errs = errors(name, doc);
    assert!(
        !errs.is_empty(),
        "{what}: the {name} validator accepted a wrong document"
    );
    assert!(
        errs.iter().any(|e| e.contains(expect)),
        "{what}: rejected, but not for {expect:?}:\n  {}",
        errs.join("\n  ")
    );
}

/// `doc` changed by `edit` is rejected by schema `name`, for a reason that mentions `expect`.
fn rejects(name: &str, doc: &Value, what: &str, expect: &str, edit: impl FnOnce(&mut Value)) {
    let mut d = doc.clone();
    edit(&mut d);
    assert_invalid(name, &d, what, expect);
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A copy of basic.hprof cut to 2,000,000 bytes.
fn truncated_basic() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("cut.hprof");
    let bytes = std::fs::read(crate::common::dump("basic.hprof")).expect("read basic.hprof");
    assert!(bytes.len() > 2_000_000, "basic.hprof is unexpectedly small");
    std::fs::write(&p, &bytes[..2_000_000]).expect("write truncated copy");
    (dir, p)
}

// ---------------------------------------------------------------------------------------------
// The schemas themselves.

/// Each schema is a valid draft 2020-12 schema, compiles with its references resolved, and
/// documents every property it defines.
#[test]
fn schemas_are_valid_and_documented() {
    fn undocumented(v: &Value, at: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                // A definition (not a conditional's partial view) declares its type.
                if m.contains_key("type") {
                    if let Some(Value::Object(props)) = m.get("properties") {
                        for (k, p) in props {
                            if p.get("description").and_then(Value::as_str).is_none() {
                                out.push(format!("{at}/properties/{k}"));
                            }
                        }
                    }
                }
                if let Some(Value::Object(defs)) = m.get("$defs") {
                    for (k, d) in defs {
                        if d.get("description").and_then(Value::as_str).is_none() {
                            out.push(format!("{at}/$defs/{k}"));
                        }
                    }
                }
                for (k, c) in m {
                    undocumented(c, &format!("{at}/{k}"), out);
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    undocumented(c, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    for name in SCHEMAS {
        let schema = load_schema(name);
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}: $schema"
        );
        if let Err(e) = jsonschema::meta::validate(&schema) {
            panic!("{name} is not a valid JSON Schema: {e}");
        }
        validator(name);
        let mut missing = Vec::new();
        undocumented(&schema, "#", &mut missing);
        assert!(missing.is_empty(), "{name}: no description at {missing:?}");
    }
    for (name, cmd, version) in [
        ("info-3.json", "info", 3),
        ("info-2.json", "info", 2),
        ("histogram-1.json", "histogram", 1),
        ("dominators-1.json", "dominators", 1),
        ("path-1.json", "path", 1),
        ("threadlocals-1.json", "threadlocals", 1),
        ("threadlocals-2.json", "threadlocals", 2),
        ("leaks-1.json", "leaks", 1),
        ("leaks-2.json", "leaks", 2),
        ("leaks-3.json", "leaks", 3),
        ("leaks-4.json", "leaks", 4),
        ("leaks-5.json", "leaks", 5),
        ("leaks-6.json", "leaks", 6),
        ("leaks-7.json", "leaks", 7),
        ("leaks-8.json", "leaks", 8),
        ("leaks-9.json", "leaks", 9),
        ("leaks-10.json", "leaks", 10),
        ("leaks-11.json", "leaks", 11),
        ("leaks-12.json", "leaks", 12),
        ("leaks-13.json", "leaks", 13),
        ("leaks-14.json", "leaks", 14),
        ("leaks-15.json", "leaks", 15),
        ("leaks-16.json", "leaks", 16),
        ("waste-1.json", "waste", 1),
        ("waste-2.json", "waste", 2),
        ("resources-1.json", "resources", 1),
        ("resources-2.json", "resources", 2),
    ] {
        assert_eq!(
            load_schema(name)["properties"]["schema"]["const"],
            format!("hprofscan/{cmd}/{version}"),
            "{name}: schema const"
        );
    }
    for (name, version) in [
        ("scan-1.json", 1),
        ("scan-2.json", 2),
        ("scan-3.json", 3),
        ("scan-4.json", 4),
        ("scan-5.json", 5),
        ("scan-6.json", 6),
        ("scan-7.json", 7),
    ] {
        assert_eq!(
            load_schema(name)["$defs"]["record"]["properties"]["schema"]["const"],
            format!("hprofscan/scan/{version}"),
            "{name}: record schema const"
        );
    }
    // A new version says what changed since every earlier one.
    for (family, latest) in [("leaks", 10), ("scan", 6), ("resources", 2), ("waste", 2)] {
        for version in 2..=latest {
            let name = format!("{family}-{version}.json");
            let d = load_schema(&name)["description"]
                .as_str()
                .expect("description")
                .to_string();
            for earlier in 1..version {
                assert!(
                    d.contains(&format!("Changes from version {earlier}")),
                    "{name}: no \"Changes from version {earlier}\" in the description"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Real outputs.

#[test]
fn info_matches_schema() {
    for p in [
        crate::common::dump("basic.hprof"),
        crate::common::dump("basic.jcmd.hprof.gz"),
        crate::common::sample(),
    ] {
        let doc = crate::common::json(&["info", s(&p)]);
        assert_valid("info-3.json", &doc, &format!("info {}", p.display()));
    }
    // Version 3's objects filled in: a mapping file, an Android dump's size check and bitmaps.
    let mapping = crate::common::obfuscated_mapping();
    let doc = crate::common::json(&[
        "info",
        s(&crate::common::dump("obfuscated.hprof")),
        "--mapping",
        s(&mapping),
    ]);
    assert_valid("info-3.json", &doc, "info --mapping");
    assert!(doc["mapping"].is_object());
    let dir = tempfile::tempdir().unwrap();
    let doc = crate::common::json(&["info", s(&crate::common::art_dump(dir.path()))]);
    assert_valid("info-3.json", &doc, "info of an ART dump");
    assert!(doc["art_sizes"]["examples"].is_array() && doc["bitmaps"].is_object());
}

#[test]
fn histogram_matches_schema() {
    let p = crate::common::dump("basic.hprof");
    let plain = crate::common::json(&["histogram", s(&p)]);
    assert_valid("histogram-1.json", &plain, "histogram");
    assert_eq!(plain["rows_omitted"], 0);

    let top = crate::common::json(&["histogram", s(&p), "--top", "5"]);
    assert_valid("histogram-1.json", &top, "histogram --top 5");
    assert_eq!(top["classes"].as_array().map(Vec::len), Some(5));
    assert!(top["rows_omitted"].as_u64() > Some(0));

    let retained = crate::common::json(&["histogram", s(&p), "--retained"]);
    assert_valid("histogram-1.json", &retained, "histogram --retained");
    let rows = retained["classes"].as_array().expect("rows");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["retained_bytes"].is_u64()));
    assert!(plain["classes"]
        .as_array()
        .expect("rows")
        .iter()
        .all(|r| r.get("retained_bytes").is_none()));
}

#[test]
fn dominators_match_schema() {
    for p in [
        crate::common::dump("retention.hprof"),
        crate::common::sample(),
    ] {
        let doc = crate::common::json(&["dominators", s(&p)]);
        assert_valid(
            "dominators-1.json",
            &doc,
            &format!("dominators {}", p.display()),
        );
        assert!(
            !doc["tree"].as_array().expect("tree").is_empty(),
            "dominators {}: empty tree, the node schema went untested",
            p.display()
        );
    }
}

#[test]
fn path_matches_schema() {
    let p = crate::common::sample();
    let doc = crate::common::json(&["path", s(&p), "--class", "testdata.SessionLeak$Session"]);
    assert_valid(
        "path-1.json",
        &doc,
        "path --class testdata.SessionLeak$Session",
    );
    assert_eq!(doc["strongly_reachable"], true);
    assert!(doc["path"].as_array().expect("path").len() > 1);
}

#[test]
fn partial_reports_match_schema() {
    let (_dir, p) = truncated_basic();
    for (name, args) in [
        ("info-3.json", &["info"][..]),
        ("histogram-1.json", &["histogram"][..]),
        ("histogram-1.json", &["histogram", "--retained"][..]),
        ("dominators-1.json", &["dominators"][..]),
    ] {
        let cmd = args.join(" ");
        let mut a = args.to_vec();
        a.extend([s(&p), "--partial"]);
        let doc = crate::common::json(&a);
        assert_valid(name, &doc, &format!("{cmd} --partial on a truncated dump"));
        assert_eq!(doc["dump"]["complete"], false, "{cmd}: dump.complete");
        assert!(
            !doc["warnings"].as_array().expect("warnings").is_empty(),
            "{cmd}: no warnings for a truncated dump"
        );
    }
}

/// What the schema cannot say about a leaks report: ranks run 1..n in order, every `share`
/// is `retained_bytes / heap.reachable_bytes`, the fingerprint is `KIND:CLASS.FIELD`, and the
/// duplicated fields agree.
#[track_caller]
fn check_leaks(doc: &Value, what: &str) {
    let reachable = doc["heap"]["reachable_bytes"]
        .as_u64()
        .expect("reachable_bytes");
    let share_of = |bytes: &Value| {
        let b = bytes.as_u64().expect("retained_bytes");
        if reachable == 0 {
            0.0
        } else {
            b as f64 / reachable as f64
        }
    };
    let suspects = doc["suspects"].as_array().expect("suspects");
    for (i, s) in suspects.iter().enumerate() {
        assert_eq!(
            s["rank"].as_u64(),
            Some(i as u64 + 1),
            "{what}: rank of suspect {i}"
        );
        let share = s["share"].as_f64().expect("share");
        let want = share_of(&s["retained_bytes"]);
        assert!(
            (share - want).abs() <= 1e-9,
            "{what}: suspect {i} share {share} but retained/reachable = {want}"
        );
        let h = &s["holder"];
        assert_eq!(
            s["fingerprint"].as_str(),
            Some(
                format!(
                    "{}:{}.{}",
                    s["kind"].as_str().expect("kind"),
                    h["class"].as_str().expect("holder.class"),
                    h["field"].as_str().expect("holder.field")
                )
                .as_str()
            ),
            "{what}: fingerprint of suspect {i}"
        );
        assert_eq!(
            s["collection_class"], s["collection"]["class"],
            "{what}: collection_class of suspect {i}"
        );
        let classes = s["element_classes"].as_array().expect("element_classes");
        match classes.first() {
            Some(first) => assert_eq!(
                s["element_class"], first["class"],
                "{what}: element_class of suspect {i}"
            ),
            None => assert_eq!(s["element_class"], "<empty>", "{what}: suspect {i}"),
        }
        assert!(
            classes
                .windows(2)
                .all(|w| w[0]["count"].as_u64() >= w[1]["count"].as_u64()),
            "{what}: element_classes of suspect {i} not most frequent first"
        );
    }
    let retainers = doc["top_retainers"].as_array().expect("top_retainers");
    for (i, r) in retainers.iter().enumerate() {
        let share = r["share"].as_f64().expect("share");
        let want = share_of(&r["retained_bytes"]);
        assert!(
            (share - want).abs() <= 1e-9,
            "{what}: retainer {i} share {share} but retained/reachable = {want}"
        );
    }
    let weight = |r: &Value| {
        r["retained_bytes"].as_u64().unwrap_or(0) + r["native_bytes"].as_u64().unwrap_or(0)
    };
    assert!(
        retainers.windows(2).all(|w| weight(&w[0]) >= weight(&w[1])),
        "{what}: top_retainers not largest first"
    );
    // Version 2: evidence strongest first, per_entry the average, every suspect in the
    // verdict table.
    let strength = |e: &Value| match e["strength"].as_str() {
        Some("strong") => 2,
        Some("moderate") => 1,
        _ => 0,
    };
    let strongest_first = |ev: &Value| {
        ev.as_array()
            .expect("evidence")
            .windows(2)
            .all(|w| strength(&w[0]) >= strength(&w[1]))
    };
    for (i, r) in retainers.iter().enumerate() {
        assert!(
            strongest_first(&r["evidence"]),
            "{what}: evidence of retainer {i} not strongest first"
        );
    }
    let verdicts = doc["verdicts"].as_array().expect("verdicts");
    for (i, s) in suspects.iter().enumerate() {
        assert!(
            strongest_first(&s["evidence"]),
            "{what}: evidence of suspect {i} not strongest first"
        );
        if let Some(avg) = s["per_entry"]["average_bytes"].as_u64() {
            let want = s["retained_bytes"].as_u64().expect("retained_bytes")
                / s["entries"].as_u64().expect("entries");
            assert_eq!(avg, want, "{what}: per_entry of suspect {i}");
        }
        let h = &s["holder"];
        let shown = format!(
            "{}.{}{}",
            h["class"].as_str().expect("holder.class"),
            h["field"].as_str().expect("holder.field"),
            if h["static"] == true { " (static)" } else { "" }
        );
        assert!(
            verdicts.iter().any(|r| r["holder"] == shown.as_str()
                && r["kind"] == s["kind"]
                && r["verdict"] == s["verdict"]
                && r["confidence"] == s["confidence"]
                && r["retained_bytes"] == s["retained_bytes"]),
            "{what}: suspect {i} ({shown}) has no row in verdicts"
        );
    }
}

/// `leaks DUMP` as JSON, validated and checked.
fn leaks(p: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["leaks", s(p)];
    args.extend(extra);
    let what = args.join(" ");
    let doc = crate::common::json(&args);
    assert_valid("leaks-16.json", &doc, &what);
    check_leaks(&doc, &what);
    doc
}

fn kinds(doc: &Value) -> Vec<&str> {
    doc["suspects"]
        .as_array()
        .expect("suspects")
        .iter()
        .map(|s| s["kind"].as_str().expect("kind"))
        .collect()
}

#[test]
fn leaks_with_inner_outer_and_one_object_match_schema() {
    // Version 3: per_entry.inner, .outer and .one_object, on the dumps that have them.
    let nested = leaks(&crate::common::dump("leak-nested.hprof"), &[]);
    let per: Vec<&Value> = nested["suspects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["per_entry"])
        .collect();
    assert!(per.iter().any(|p| p["inner"].is_object()), "no inner");
    assert!(per.iter().any(|p| p["outer"].is_object()), "no outer");
    let chain = leaks(&crate::common::dump("leak-chain-blob.hprof"), &[]);
    assert!(chain["suspects"][0]["per_entry"]["one_object"].is_object());
    rejects(
        "leaks-16.json",
        &chain,
        "one object under half",
        "/minimum",
        |d| d["suspects"][0]["per_entry"]["one_object"]["share"] = json!(0.2),
    );
    rejects(
        "leaks-16.json",
        &nested,
        "outer field not this$N",
        "/pattern",
        |d| {
            for s in d["suspects"].as_array_mut().unwrap() {
                if s["per_entry"]["outer"].is_object() {
                    s["per_entry"]["outer"]["field"] = json!("val$ctx");
                }
            }
        },
    );
}

#[test]
fn leaks_match_schema() {
    let sample = leaks(&crate::common::service_sample(), &[]);
    assert_eq!(kinds(&sample), ["static-collection"], "sample suspects");
    assert_eq!(
        sample["suspects"][0]["fingerprint"],
        "static-collection:testdata.SvcLeakAudit$AuditTrail.RECORDS"
    );
    assert_eq!(sample["suspects"][0]["holder"]["static"], true);

    // No evidence of a leak beyond size: judged, listed, not a suspect.
    let map = leaks(&crate::common::dump("leak-static-map.hprof"), &[]);
    assert_eq!(kinds(&map), Vec::<&str>::new(), "leak-static-map suspects");
    assert_eq!(map["outcome"], "no-leak");
    assert!(map["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["kind"] == "static-collection" && v["verdict"] != "leak"));

    // Version 5: an exact count of the entries whose keys are twins.
    let memo = leaks(&crate::common::dump("val15-leak-freightrates.hprof"), &[]);
    assert_eq!(memo["suspects"][0]["left_behind"]["by"], "twin-keys");
    assert_eq!(memo["suspects"][0]["left_behind"]["estimate"], 11_500);

    let sched = leaks(&crate::common::dump("leak-scheduled.hprof"), &[]);
    let k = kinds(&sched);
    assert!(
        !k.is_empty() && k.iter().all(|&k| k == "scheduled-tasks"),
        "leak-scheduled suspects: {k:?}"
    );
    assert!(
        sched["suspects"]
            .as_array()
            .expect("suspects")
            .iter()
            .any(|s| !s["holder_via"].as_array().expect("holder_via").is_empty()),
        "leak-scheduled: no suspect held through JDK objects, holder_via went untested"
    );

    let healthy = leaks(&crate::common::dump("healthy.hprof"), &[]);
    assert_eq!(
        kinds(&healthy),
        Vec::<&str>::new(),
        "healthy.hprof suspects"
    );
    assert!(
        !healthy["top_retainers"]
            .as_array()
            .expect("top_retainers")
            .is_empty(),
        "healthy.hprof: no retainers, the retainer schema went untested"
    );

    // A lower threshold, and a dump whose retainers include some held only by the JDK.
    let strict = leaks(&crate::common::sample(), &["--threshold", "0.05"]);
    assert_eq!(strict["threshold"], 0.05);
    let basic = leaks(&crate::common::dump("basic.hprof"), &[]);
    assert!(
        basic["top_retainers"]
            .as_array()
            .expect("top_retainers")
            .iter()
            .any(|r| r["holder"].is_null()),
        "basic.hprof: no retainer without holder, the null branch went untested"
    );
}

#[test]
fn partial_leaks_match_schema() {
    let (_dir, p) = truncated_basic();
    let doc = leaks(&p, &["--partial"]);
    assert_eq!(doc["dump"]["complete"], false);
    assert!(!doc["warnings"].as_array().expect("warnings").is_empty());
}

// ---------------------------------------------------------------------------------------------
// The validators reject wrong documents, so the tests above cannot pass vacuously.

#[test]
fn wrong_documents_are_rejected() {
    let basic = crate::common::dump("basic.hprof");
    let info = crate::common::json(&["info", s(&basic)]);
    assert_valid("info-3.json", &info, "info");

    let mut d = info.clone();
    d.as_object_mut().expect("object").remove("totals");
    assert_invalid("info-3.json", &d, "info without totals", "\"totals\"");

    let mut d = info.clone();
    d["dump"]
        .as_object_mut()
        .expect("object")
        .remove("complete");
    assert_invalid(
        "info-3.json",
        &d,
        "info without dump.complete (in dump-1.json)",
        "\"complete\"",
    );

    let mut d = info.clone();
    d["surprise"] = json!(1);
    assert_invalid("info-3.json", &d, "info with an unknown field", "surprise");

    let mut d = info.clone();
    d["schema"] = json!("hprofscan/info/1");
    assert_invalid(
        "info-3.json",
        &d,
        "info with another schema version",
        "/schema/const",
    );

    let mut d = info.clone();
    d["totals"]["objects"] = json!(-1);
    assert_invalid(
        "info-3.json",
        &d,
        "info with a negative count (in common-1.json)",
        "/minimum",
    );

    let mut d = info.clone();
    d["gc_roots_by_kind"]["made_up"] = json!(3);
    assert_invalid(
        "info-3.json",
        &d,
        "info with an unknown root kind",
        "made_up",
    );

    let mut d = info.clone();
    d["size_model"]["reference"] = json!(8);
    assert_invalid(
        "info-3.json",
        &d,
        "info with an impossible size model",
        "/$defs/size_model/oneOf",
    );

    let mut d = info.clone();
    d["dump"]["complete"] = json!(false);
    assert_invalid(
        "info-3.json",
        &d,
        "incomplete dump without warnings",
        "/minItems",
    );

    let mut hist = crate::common::json(&["histogram", s(&basic), "--top", "3", "--retained"]);
    assert_valid("histogram-1.json", &hist, "histogram --top 3 --retained");
    hist["classes"][1]
        .as_object_mut()
        .expect("row")
        .remove("retained_bytes");
    assert_invalid(
        "histogram-1.json",
        &hist,
        "histogram with retained bytes on some rows only",
        "/anyOf",
    );

    let sample = crate::common::sample();
    let dom = crate::common::json(&["dominators", s(&sample), "--depth", "2"]);
    assert_valid("dominators-1.json", &dom, "dominators --depth 2");
    let mut d = dom.clone();
    let id = d["tree"][0]["id"]
        .as_str()
        .expect("id")
        .replace("0x", "0xAB");
    d["tree"][0]["id"] = json!(id);
    assert_invalid(
        "dominators-1.json",
        &d,
        "dominators with an upper-case id",
        "/pattern",
    );
    let mut d = dom.clone();
    d["tree"][0]["share"] = json!(1.5);
    assert_invalid(
        "dominators-1.json",
        &d,
        "dominators with share > 1",
        "/maximum",
    );
    let mut d = dom.clone();
    d["tree"][0]["children"] = json!([{ "id": "0x1" }]);
    assert_invalid(
        "dominators-1.json",
        &d,
        "dominators with an incomplete child node",
        "at \"/tree/0/children/0\" (schema \"/$defs/node/required\")",
    );
    let mut d = dom.clone();
    d["tree"][0]["kind"] = json!("primitive_array");
    d["tree"][0]["class"] = json!("java.util.HashMap");
    assert_invalid(
        "dominators-1.json",
        &d,
        "dominators with kind and class at odds",
        "/tree/0/class",
    );

    let path = crate::common::json(&[
        "path",
        s(&sample),
        "--class",
        "testdata.SessionLeak$Session",
    ]);
    let mut d = path.clone();
    d["strongly_reachable"] = json!(false);
    assert_invalid(
        "path-1.json",
        &d,
        "path not strongly reachable yet with a path",
        "/else/",
    );
    let mut d = path.clone();
    d["path"][0]["via"] = json!(".field");
    assert_invalid(
        "path-1.json",
        &d,
        "path whose first step has a via",
        "/path/0/via",
    );
    let mut d = path;
    d["root"]["kinds"] = json!([]);
    assert_invalid(
        "path-1.json",
        &d,
        "path with a root of no kind",
        "/properties/root/oneOf",
    );
}

#[test]
fn wrong_leak_documents_are_rejected() {
    let doc = crate::common::json(&["leaks", s(&crate::common::dump("leak-scheduled.hprof"))]);
    assert_valid("leaks-16.json", &doc, "leaks leak-scheduled.hprof");
    assert!(!doc["suspects"].as_array().expect("suspects").is_empty());
    assert!(
        !doc["suspects"][0]["evidence"]
            .as_array()
            .expect("evidence")
            .is_empty(),
        "leak-scheduled: the first suspect has no evidence, the evidence schema went untested"
    );
    assert!(
        doc["suspects"][0]["gc_root_path"]
            .as_array()
            .expect("gc_root_path")
            .len()
            >= 2,
        "leak-scheduled: the first suspect has no GC-root path, the step schema went untested"
    );

    // A consumer of version 1 sees the bump.
    assert_invalid(
        "leaks-1.json",
        &doc,
        "a version 2 document against leaks-1.json",
        "/schema/const",
    );

    rejects(
        "leaks-16.json",
        &doc,
        "suspect without holder",
        "at \"/suspects/0\" (schema \"/$defs/suspect/required\")",
        |d| {
            d["suspects"][0]
                .as_object_mut()
                .expect("suspect")
                .remove("holder");
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "suspect with a null holder",
        "/suspects/0/holder",
        |d| {
            d["suspects"][0]["holder"] = Value::Null;
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "holder without static",
        "\"static\"",
        |d| {
            d["suspects"][0]["holder"]
                .as_object_mut()
                .expect("holder")
                .remove("static");
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "holder with an unknown field",
        "line",
        |d| {
            d["suspects"][0]["holder"]["line"] = json!(12);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "suspect of an unknown kind",
        "/suspects/0/kind",
        |d| {
            d["suspects"][0]["kind"] = json!("memory-hog");
        },
    );

    rejects("leaks-16.json", &doc, "kind in snake case", "/enum", |d| {
        d["suspects"][0]["kind"] = json!("scheduled_tasks");
    });

    for reserved in [
        "threadlocal",
        "classloaders",
        "open-resources",
        "threads",
        "executors",
        "direct-buffers",
        "finalizer-backlog",
        "cleaner-captures",
        "buffer",
        "primitive-array",
        "work-queue",
    ] {
        let mut d = doc.clone();
        d["suspects"][0]["kind"] = json!(reserved);
        assert_valid("leaks-16.json", &d, &format!("kind {reserved}"));
    }

    rejects(
        "leaks-16.json",
        &doc,
        "static-collection held by an instance field",
        "/suspects/0/holder/static",
        |d| {
            d["suspects"][0]["kind"] = json!("static-collection");
            d["suspects"][0]["holder"]["static"] = json!(false);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "unbounded-map held by a static field",
        "/suspects/0/holder/static",
        |d| {
            d["suspects"][0]["kind"] = json!("unbounded-map");
            d["suspects"][0]["holder"]["static"] = json!(true);
        },
    );

    rejects("leaks-16.json", &doc, "rank 0", "/minimum", |d| {
        d["suspects"][0]["rank"] = json!(0);
    });

    rejects("leaks-16.json", &doc, "share > 1", "/maximum", |d| {
        d["suspects"][0]["share"] = json!(1.5);
    });

    rejects(
        "leaks-16.json",
        &doc,
        "free-text fingerprint",
        "/pattern",
        |d| {
            d["suspects"][0]["fingerprint"] = json!("Scheduled tasks in the executor");
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "upper-case collection id",
        "/pattern",
        |d| {
            let id = d["suspects"][0]["collection"]["id"]
                .as_str()
                .expect("id")
                .replace("0x", "0xAB");
            d["suspects"][0]["collection"]["id"] = json!(id);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "element class counted 0",
        "/minimum",
        |d| {
            d["suspects"][0]["element_classes"] = json!([{ "class": "X", "count": 0 }]);
        },
    );

    // Verdict and confidence.
    rejects(
        "leaks-16.json",
        &doc,
        "suspect without verdict",
        "at \"/suspects/0\" (schema \"/$defs/suspect/required\")",
        |d| {
            d["suspects"][0]
                .as_object_mut()
                .expect("suspect")
                .remove("verdict");
        },
    );

    for (not_a_suspect, why) in [
        ("memory-hungry", "a memory-hungry suspect"),
        ("undetermined", "an undetermined suspect"),
        ("leaking", "a suspect of an unknown verdict"),
    ] {
        let mut d = doc.clone();
        d["suspects"][0]["verdict"] = json!(not_a_suspect);
        assert_invalid("leaks-16.json", &d, why, "/suspects/0/verdict");
    }

    rejects(
        "leaks-16.json",
        &doc,
        "suspect without confidence",
        "\"confidence\"",
        |d| {
            d["suspects"][0]
                .as_object_mut()
                .expect("suspect")
                .remove("confidence");
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "confidence out of its scale",
        "/suspects/0/confidence",
        |d| {
            d["suspects"][0]["confidence"] = json!("certain");
        },
    );

    // Evidence.
    let item = json!({
        "name": "size",
        "supports": "leak",
        "strength": "strong",
        "detail": "retains 40% of the reachable heap"
    });
    rejects(
        "leaks-16.json",
        &doc,
        "evidence that supports \"maybe\"",
        "/suspects/0/evidence/1/supports",
        |d| {
            let mut e = item.clone();
            e["supports"] = json!("maybe");
            d["suspects"][0]["evidence"] = json!([item.clone(), e]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "evidence of an unknown strength",
        "/suspects/0/evidence/1/strength",
        |d| {
            let mut e = item.clone();
            e["strength"] = json!("overwhelming");
            d["suspects"][0]["evidence"] = json!([item.clone(), e]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "evidence name in snake case",
        "/suspects/0/evidence/0/name",
        |d| {
            let mut e = item.clone();
            e["name"] = json!("entry_ages");
            d["suspects"][0]["evidence"] = json!([e]);
        },
    );

    let mut d = doc.clone();
    let mut e = item.clone();
    e["name"] = json!("dangling-ids");
    d["suspects"][0]["evidence"] = json!([e]);
    assert_valid("leaks-16.json", &d, "evidence dangling-ids");
    assert_invalid(
        "leaks-14.json",
        &d,
        "evidence dangling-ids in version 14",
        "/suspects/0/evidence/0/name",
    );
    e["name"] = json!("dead-task");
    d["suspects"][0]["evidence"] = json!([e]);
    assert_valid("leaks-16.json", &d, "evidence dead-task");
    assert_invalid(
        "leaks-15.json",
        &d,
        "evidence dead-task in version 15",
        "/suspects/0/evidence/0/name",
    );

    rejects(
        "leaks-16.json",
        &doc,
        "evidence without detail",
        "\"detail\"",
        |d| {
            let mut e = item.clone();
            e.as_object_mut().expect("evidence").remove("detail");
            d["suspects"][0]["evidence"] = json!([e]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "suspect without evidence",
        "/suspects/0/evidence",
        |d| {
            d["suspects"][0]["evidence"] = json!([]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "suspect whose evidence all points away from a leak",
        "/suspects/0/evidence",
        |d| {
            let mut e = item.clone();
            e["supports"] = json!("memory-hungry");
            d["suspects"][0]["evidence"] = json!([e]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "leak verdict without strong evidence",
        "/suspects/0/evidence",
        |d| {
            let mut e = item.clone();
            e["strength"] = json!("moderate");
            d["suspects"][0]["verdict"] = json!("leak");
            d["outcome"] = json!("leak");
            d["suspects"][0]["evidence"] = json!([e]);
        },
    );

    // The typed GC-root path.
    let path = doc["suspects"][0]["gc_root_path"].clone();
    assert_eq!(path[0]["type"], "root", "gc_root_path starts at its root");
    assert_eq!(path[1]["type"], "step", "gc_root_path: the rooted object");

    rejects(
        "leaks-16.json",
        &doc,
        "gc_root_path step without type",
        "/suspects/0/gc_root_path/1",
        |d| {
            d["suspects"][0]["gc_root_path"][1]
                .as_object_mut()
                .expect("step")
                .remove("type");
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "gc_root_path step of an unknown type",
        "/suspects/0/gc_root_path/1",
        |d| {
            d["suspects"][0]["gc_root_path"][1]["type"] = json!("object");
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "gc_root_path as version 1 strings",
        "/suspects/0/gc_root_path/0",
        |d| {
            d["suspects"][0]["gc_root_path"] =
                json!(["gc root (sticky_class)", ".queue java.util.TaskQueue"]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "gc_root_path without its root",
        "/suspects/0/gc_root_path/0",
        |d| {
            let steps: Vec<Value> = path.as_array().expect("path")[1..].to_vec();
            d["suspects"][0]["gc_root_path"] = Value::Array(steps);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "gc_root_path of a root alone",
        "/suspects/0/gc_root_path",
        |d| {
            d["suspects"][0]["gc_root_path"] = json!([path[0].clone()]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "gc_root_path whose rooted object has a via",
        "/suspects/0/gc_root_path/1/via",
        |d| {
            d["suspects"][0]["gc_root_path"][1]["via"] = json!(".field");
        },
    );

    let cut = json!({ "type": "cut", "left_out": 997, "class": "com.acme.Node" });
    let mut d = doc.clone();
    d["suspects"][0]["gc_root_path"]
        .as_array_mut()
        .expect("path")
        .push(cut.clone());
    assert_valid("leaks-16.json", &d, "gc_root_path with a cut");

    rejects(
        "leaks-16.json",
        &doc,
        "gc_root_path cut without type",
        "/suspects/0/gc_root_path/",
        |d| {
            let mut c = cut.clone();
            c.as_object_mut().expect("cut").remove("type");
            d["suspects"][0]["gc_root_path"]
                .as_array_mut()
                .expect("path")
                .push(c);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "gc_root_path cut of nothing",
        "/suspects/0/gc_root_path/",
        |d| {
            let mut c = cut;
            c["left_out"] = json!(0);
            d["suspects"][0]["gc_root_path"]
                .as_array_mut()
                .expect("path")
                .push(c);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "gc_root_path root of an unknown kind",
        "/suspects/0/gc_root_path/0/kinds/0",
        |d| {
            d["suspects"][0]["gc_root_path"][0]["kinds"] = json!(["made_up"]);
        },
    );

    // per_entry exactly when there are entries; advice only on a possible leak.
    let mut d = doc.clone();
    d["suspects"][0]
        .as_object_mut()
        .expect("suspect")
        .remove("per_entry");
    if d["suspects"][0]["entries"].as_u64() > Some(0) {
        assert_invalid(
            "leaks-16.json",
            &d,
            "suspect with entries but no per_entry",
            "per_entry",
        );
    }

    rejects(
        "leaks-16.json",
        &doc,
        "advice on a leak",
        "/suspects/0/verdict",
        |d| {
            d["suspects"][0]["verdict"] = json!("leak");
            d["outcome"] = json!("leak");
            d["suspects"][0]["evidence"] = json!([item.clone()]);
            d["suspects"][0]["advice"] = json!("take a second dump");
        },
    );

    // The outcome agrees with the suspects.
    rejects(
        "leaks-16.json",
        &doc,
        "no-leak with suspects",
        "/suspects",
        |d| {
            d["outcome"] = json!("no-leak");
        },
    );

    rejects("leaks-16.json", &doc, "unknown outcome", "/outcome", |d| {
        d["outcome"] = json!("maybe");
    });

    rejects(
        "leaks-16.json",
        &doc,
        "report without outcome",
        "\"outcome\"",
        |d| {
            d.as_object_mut().expect("report").remove("outcome");
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "report without verdicts",
        "\"verdicts\"",
        |d| {
            d.as_object_mut().expect("report").remove("verdicts");
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "advice to take a second dump on a series",
        "/not",
        |d| {
            d["series"] = json!(["earlier.hprof"]);
            d["advice"] = json!("take a second dump");
        },
    );

    // The verdict table.
    let row = json!({
        "holder": "com.acme.App.cache (static)",
        "kind": "static-collection",
        "verdict": "undetermined",
        "confidence": "low",
        "retained_bytes": 4096,
        "entries": 12
    });
    let mut d = doc.clone();
    d["verdicts"] = json!([row.clone()]);
    assert_valid("leaks-16.json", &d, "a verdict row");

    let mut d = doc.clone();
    let mut r = row.clone();
    r["growth"] = json!("growing");
    d["verdicts"] = json!([r]);
    assert_valid("leaks-16.json", &d, "a verdict row with growth");

    rejects(
        "leaks-16.json",
        &doc,
        "a verdict row with an outcome for verdict",
        "/verdicts/0/verdict",
        |d| {
            let mut r = row.clone();
            r["verdict"] = json!("no-leak");
            d["verdicts"] = json!([r]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "a verdict row without confidence",
        "\"confidence\"",
        |d| {
            let mut r = row;
            r.as_object_mut().expect("row").remove("confidence");
            d["verdicts"] = json!([r]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "threshold 0",
        "/exclusiveMinimum",
        |d| {
            d["threshold"] = json!(0);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "the previous schema version",
        "/schema/const",
        |d| {
            d["schema"] = json!("hprofscan/leaks/1");
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "incomplete dump without warnings",
        "/minItems",
        |d| {
            d["dump"]["complete"] = json!(false);
        },
    );

    // Retainers: a holder or null, never missing or half; a verdict that is not a suspect's.
    let retainer = json!({
        "id": "0x1f",
        "class": "long[]",
        "holder": null,
        "retained_bytes": 16,
        "share": 0.0,
        "verdict": "memory-hungry",
        "evidence": [],
        "reason": "a primitive array: large data, not an accumulation of objects"
    });
    let mut d = doc.clone();
    d["top_retainers"] = json!([retainer.clone()]);
    assert_valid("leaks-16.json", &d, "retainer with a null holder");

    let mut d = doc.clone();
    let mut r = retainer.clone();
    r["holder"] = json!({ "class": "com.acme.App", "field": "TABLE", "static": true });
    r["entries"] = json!(300);
    r["verdict"] = json!("undetermined");
    r["evidence"] = json!([{
        "name": "bound",
        "supports": "memory-hungry",
        "strength": "weak",
        "detail": "no cap found"
    }]);
    d["top_retainers"] = json!([r]);
    assert_valid(
        "leaks-16.json",
        &d,
        "retainer with a holder, entries and evidence",
    );

    rejects(
        "leaks-16.json",
        &doc,
        "retainer without holder",
        "\"holder\"",
        |d| {
            let mut r = retainer.clone();
            r.as_object_mut().expect("retainer").remove("holder");
            d["top_retainers"] = json!([r]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "retainer with half a holder",
        "/top_retainers/0/holder",
        |d| {
            let mut r = retainer.clone();
            r["holder"] = json!({ "class": "com.acme.App" });
            d["top_retainers"] = json!([r]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "retainer without verdict",
        "\"verdict\"",
        |d| {
            let mut r = retainer.clone();
            r.as_object_mut().expect("retainer").remove("verdict");
            d["top_retainers"] = json!([r]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "retainer judged a leak",
        "/top_retainers/0/verdict",
        |d| {
            let mut r = retainer.clone();
            r["verdict"] = json!("leak");
            d["top_retainers"] = json!([r]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "retainer evidence that supports \"maybe\"",
        "/top_retainers/0/evidence/0/supports",
        |d| {
            let mut r = retainer.clone();
            r["evidence"] =
                json!([{ "name": "size", "supports": "maybe", "strength": "weak", "detail": "x" }]);
            d["top_retainers"] = json!([r]);
        },
    );

    rejects(
        "leaks-16.json",
        &doc,
        "11 top retainers",
        "/maxItems",
        |d| {
            d["top_retainers"] = Value::Array(vec![retainer; 11]);
        },
    );
}

/// The scan lines of `dir` (exit code 3 when `junk.hprof` is among them).
fn scan_lines(dir: &Path) -> Vec<Value> {
    let out = crate::common::hprofscan()
        .args(["scan", s(dir), "--format", "json", "--progress", "never"])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "scan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn wrong_scan_lines_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::common::dump("leak-scheduled.hprof"),
        dir.path().join("a.hprof"),
    )
    .unwrap();
    let lines = scan_lines(dir.path());
    assert_eq!(lines.len(), 2, "one record and the summary");
    let (record, summary) = (&lines[0], &lines[1]);
    assert_valid("scan-7.json", record, "scan record");
    assert_valid("scan-7.json", summary, "scan summary");
    assert!(
        !record["suspects"].as_array().expect("suspects").is_empty(),
        "leak-scheduled.hprof: no suspect in the scan record, the suspect schema went untested"
    );
    assert!(
        !summary["leaks"].as_array().expect("leaks").is_empty(),
        "leak-scheduled.hprof: no leak in the scan summary"
    );

    assert_invalid(
        "scan-1.json#/$defs/record",
        record,
        "a version 6 record against scan-1.json",
        "/schema/const",
    );

    const RECORD: &str = "scan-7.json#/$defs/record";
    const SUMMARY: &str = "scan-7.json#/$defs/summary";
    let mut d = record.clone();
    d["suspects"][0]
        .as_object_mut()
        .expect("suspect")
        .remove("verdict");
    assert_invalid(RECORD, &d, "scan suspect without verdict", "\"verdict\"");

    let mut d = record.clone();
    d["suspects"][0]["verdict"] = json!("memory-hungry");
    assert_invalid(
        RECORD,
        &d,
        "scan suspect judged memory-hungry",
        "/suspects/0/verdict",
    );

    for new in [
        "threads",
        "executors",
        "direct-buffers",
        "finalizer-backlog",
        "cleaner-captures",
        "buffer",
        "primitive-array",
        "work-queue",
    ] {
        let mut d = record.clone();
        d["suspects"][0]["kind"] = json!(new);
        assert_valid("scan-7.json", &d, &format!("scan suspect of kind {new}"));
    }

    let mut d = record.clone();
    d["schema"] = json!("hprofscan/scan/1");
    assert_invalid(
        RECORD,
        &d,
        "scan record of the previous version",
        "/schema/const",
    );

    let mut d = summary.clone();
    d["leaks"][0]
        .as_object_mut()
        .expect("leak")
        .remove("verdict");
    assert_invalid(SUMMARY, &d, "summary leak without verdict", "\"verdict\"");

    let mut d = summary.clone();
    d["leaks"][0]["verdict"] = json!("undetermined");
    assert_invalid(
        SUMMARY,
        &d,
        "summary leak judged undetermined",
        "/leaks/0/verdict",
    );
}

#[test]
fn issue6_reports_match_schema() {
    for (cmd, schema, dump) in [
        (
            "threadlocals",
            "threadlocals-2.json",
            "threadlocal-leak.hprof",
        ),
        ("threadlocals", "threadlocals-2.json", "healthy.hprof"),
        (
            "threadlocals",
            "threadlocals-2.json",
            "document-stamps-leak.hprof",
        ),
        ("classloaders", "classloaders-1.json", "plugin-host.hprof"),
        ("classloaders", "classloaders-1.json", "basic.hprof"),
        ("resources", "resources-2.json", "open-resources.hprof"),
        ("resources", "resources-2.json", "healthy.hprof"),
        ("waste", "waste-2.json", "waste.hprof"),
        ("waste", "waste-2.json", "waste-boxed-maps.hprof"),
        ("waste", "waste-2.json", "offheap.hprof"),
        ("waste", "waste-2.json", "basic.hprof"),
    ] {
        let p = crate::common::dump(dump);
        let doc = crate::common::json(&[cmd, s(&p)]);
        assert_valid(schema, &doc, &format!("{cmd} {dump}"));
    }
}

/// testdata/programs/testdata/WasteBoxedMaps.java: boxed map keys and values, one row per
/// holder, box class and role, with exact numbers; a version 1 row (`arrays`, no `role`) is
/// not a version 2 row.
#[test]
fn waste_boxed_map_rows_match_schema() {
    let p = crate::common::dump("waste-boxed-maps.hprof");
    let doc = crate::common::json(&["waste", s(&p)]);
    assert_valid("waste-2.json", &doc, "waste waste-boxed-maps");
    let rows = doc["boxed"].as_array().expect("boxed");
    let row = |field: &str, role: &str| {
        let r = rows
            .iter()
            .find(|r| r["holder"]["field"] == field && r["role"] == role)
            .unwrap_or_else(|| panic!("{field} {role}"));
        let n = |k: &str| r[k].as_u64().expect(k);
        (
            r["class"].as_str().expect("class").to_string(),
            n("containers"),
            n("elements"),
            n("box_bytes"),
            n("bytes_saved"),
        )
    };
    let t = |c: &str, e: u64, b: u64, saved: u64| (format!("java.lang.{c}"), 1, e, b, saved);
    assert_eq!(row("PRICES", "key"), t("Long", 3_000, 72_000, 60_000));
    assert_eq!(row("PRICES", "value"), t("Integer", 3_000, 48_000, 48_000));
    assert_eq!(row("SEEN", "key"), t("Integer", 2_000, 32_000, 32_000));
    assert_eq!(row("byName", "value"), t("Double", 1_500, 36_000, 30_000));
    assert_eq!(row("SLOTS", "key"), t("Short", 700, 11_200, 12_600));
    rejects("waste-2.json", &doc, "a version 1 boxed row", "role", |d| {
        let r = d["boxed"][0].as_object_mut().expect("row");
        r.remove("role");
        r.remove("containers");
        r.insert("arrays".into(), json!(1));
    });
}

#[test]
fn growth_and_diff_match_schema() {
    let d = |n: &str| crate::common::dump(n);
    let (a, b, c) = (
        d("growth-leak-1.hprof"),
        d("growth-leak-2.hprof"),
        d("growth-leak.hprof"),
    );
    let doc = crate::common::json(&["growth", s(&a), s(&b), s(&c)]);
    assert_valid("growth-1.json", &doc, "growth series");
    let doc = crate::common::json(&["diff", s(&a), s(&c)]);
    assert_valid("growth-1.json", &doc, "diff");
    let doc = crate::common::json(&["leaks", s(&a), s(&b), s(&c)]);
    assert_valid("leaks-16.json", &doc, "leaks over a series");
    check_leaks(&doc, "leaks over a series");
    assert_eq!(
        doc["series"],
        json!([s(&a), s(&b)]),
        "leaks over a series: series"
    );
    // Native memory: a suspect (series) and a retainer (one dump) carry `native_bytes`.
    let gw = |n: &str| d(&format!("svc-leak-gateway{n}.hprof"));
    let doc = crate::common::json(&["leaks", s(&gw("-1")), s(&gw("-2")), s(&gw(""))]);
    assert_valid("leaks-16.json", &doc, "leaks over the gateway series");
    check_leaks(&doc, "leaks over the gateway series");
    assert_eq!(doc["suspects"][0]["native_bytes"], 65_536_000);
    assert_eq!(doc["suspects"][0]["kind"], "unbounded-map");
    let leaks = [
        gw(""),
        d("offheap.hprof"),
        d("leak-static-map.hprof"),
        d("threadlocal-leak.hprof"),
        d("plugin-host.hprof"),
        d("open-resources.hprof"),
        d("retention.hprof"),
    ];
    for p in &leaks {
        let what = format!("leaks {}", p.display());
        let doc = crate::common::json(&["leaks", s(p)]);
        assert_valid("leaks-16.json", &doc, &what);
        check_leaks(&doc, &what);
    }
}

#[test]
fn scan_lines_match_schema() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(crate::common::sample(), dir.path().join("a.hprof.gz")).unwrap();
    std::fs::write(dir.path().join("junk.hprof"), b"junk").unwrap();
    let out = crate::common::hprofscan()
        .args([
            "scan",
            s(dir.path()),
            "--format",
            "json",
            "--progress",
            "never",
        ])
        .output()
        .unwrap();
    // junk.hprof could not be analysed: every line is written, then exit 3.
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        let doc: Value = serde_json::from_str(line).unwrap();
        assert_valid("scan-7.json", &doc, "scan line");
    }
    assert_eq!(text.lines().count(), 3);
}
