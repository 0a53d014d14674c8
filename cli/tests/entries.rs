//! `leaks` in text and JSON says what the entries hold one level down (issue #18 items 7 and
//! 8), on real dumps: what a map's lists hold in all, the outer object inner-class listeners
//! pin, and one array that makes most of a suspect.

use crate::common::{dump, json, text};

#[test]
fn text_says_what_inner_collections_and_outer_objects_hold() {
    let p = dump("leak-nested.hprof");
    let out = text(&["leaks", p.to_str().unwrap()]);
    assert!(
        out.contains("   entries     6,000 x java.util.ArrayList, ~2.3 KiB each, holding 24,000 byte[512] in all\n"),
        "{out}"
    );
    // The backing array of the lists is not news once the lists' contents are said.
    assert!(
        !out.contains("java.lang.Object[] via .elementData"),
        "{out}"
    );
    assert!(
        out.contains("   outer       256 of 256 sampled entries are inner-class instances that pin their own\n               testdata.LeakNested$Screen through this$0 (~2.0 KiB retained each)\n"),
        "{out}"
    );
}

#[test]
fn text_says_when_one_object_is_most_of_a_suspect() {
    let p = dump("leak-chain-blob.hprof");
    let out = text(&["leaks", p.to_str().unwrap()]);
    assert!(
        out.contains("   one object  1,000,016 B of it is one byte[1000000] (76%): not an accumulation of entries\n"),
        "{out}"
    );
    assert!(!out.contains("via .next"), "{out}");
}

#[test]
fn json_carries_inner_outer_and_one_object() {
    let p = dump("leak-nested.hprof");
    let doc = json(&["leaks", p.to_str().unwrap()]);
    assert_eq!(doc["schema"], "hprofscan/leaks/16");
    let by_field = |f: &str| {
        doc["suspects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["holder"]["field"] == f)
            .unwrap_or_else(|| panic!("no suspect .{f}"))
            .clone()
    };
    let parts = by_field("PARTS");
    assert_eq!(
        parts["per_entry"]["inner"],
        serde_json::json!({"entries": 24000, "exact": true, "counted": 6000, "element_class": "byte[512]"})
    );
    let listeners = by_field("LISTENERS");
    assert_eq!(
        listeners["per_entry"]["outer"],
        serde_json::json!({
            "class": "testdata.LeakNested$Screen", "field": "this$0", "entries": 256,
            "sampled": 256, "distinct": 256, "pinned": 256, "retained_bytes": 2088
        })
    );
    let p = dump("leak-chain-blob.hprof");
    let doc = json(&["leaks", p.to_str().unwrap()]);
    let one = &doc["suspects"][0]["per_entry"]["one_object"];
    assert_eq!(one["class"], "byte[1000000]");
    assert_eq!(one["bytes"], 1_000_016);
}

#[test]
fn text_counts_entries_left_behind_over_every_entry() {
    // Scheduled reminders whose deliveries were picked up: every task judged by its state.
    let p = dump("val13-leak-parcellockers.hprof");
    let out = text(&["leaks", p.to_str().unwrap()]);
    assert!(
        out.contains(
            "   left        6,080 of them were left behind (all 6,683 judged by their state)\n"
        ),
        "{out}"
    );
    // Sessions nothing expires: every session judged by its times, a lower bound (sessions
    // left in the last hour are not counted), so no `~` but "at least".
    let p = dump("val47-leak-soapmakers.hprof");
    let out = text(&["leaks", p.to_str().unwrap()]);
    let line = out
        .lines()
        .find(|l| l.starts_with("   left        at least "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.ends_with("of them were left behind (idle for an hour or more, of all 12,000")
            && !line.contains('~'),
        "{line}"
    );
}
