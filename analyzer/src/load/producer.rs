//! What wrote the dump (HotSpot, the hprof agent, ART, Dalvik), from its header, its records,
//! its heap kinds and its field layout.

use hprof_parser::RecordTag;
use serde::Serialize;

use crate::load::heap::Heap;

/// What wrote the dump, as far as the dump shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Producer {
    /// `hotspot`, `hprof-agent`, `art`, `dalvik`, `android` or `unknown`.
    pub kind: &'static str,
    /// In words, with the version range the dump allows and the evidence.
    pub description: String,
    /// Identifier size in the dump, in bytes.
    pub id_size: u8,
    /// Reference (pointer) size assumed for the JVM, in bytes.
    pub reference_size: u32,
}

/// Whether the inferred layout beat its other field-layout variant (JDK 14 vs 15+): only then
/// does the layout tell the version range.
fn layout_tells_version(heap: &Heap) -> bool {
    let l = &heap.layout;
    let chosen = l.chosen.as_str();
    let other = match chosen.strip_suffix("+per-class") {
        Some(base) => base.to_string(),
        None => format!("{chosen}+per-class"),
    };
    let hits = |n: &str| l.candidates.iter().find(|(c, _)| c == n).map(|c| c.1);
    matches!((hits(chosen), hits(&other)), (Some(a), Some(b)) if a > b)
}

/// What wrote the dump, from its header, its records, its heap kinds and its layout.
pub fn producer(heap: &Heap) -> Producer {
    let idx = &heap.dump.index;
    let count = |t: RecordTag| idx.record_counts[t.0 as usize];
    let has_heap = |k: u32| heap.census.heap_objects.iter().any(|&(h, _)| h == k);
    let m = &heap.model;
    let (kind, description) = if idx.header.version == hprof_parser::Version::V1_0_3 {
        if has_heap(crate::load::census::HEAP_IMAGE) {
            (
                "art",
                "Android ART (JAVA PROFILE 1.0.3 with an image heap)".to_string(),
            )
        } else if heap
            .classes
            .by_name("java.lang.Object")
            .is_some_and(|o| heap.classes.get(o).art_header_fields > 0)
        {
            (
                "art",
                "Android ART (JAVA PROFILE 1.0.3; java.lang.Object declares ART's header fields shadow$_klass_ and shadow$_monitor_)".to_string(),
            )
        } else if has_heap(crate::load::census::HEAP_ZYGOTE)
            || has_heap(crate::load::census::HEAP_APP)
        {
            (
                "dalvik",
                "Android Dalvik (JAVA PROFILE 1.0.3 with app and zygote heaps, no image heap)"
                    .to_string(),
            )
        } else {
            ("android", "Android (JAVA PROFILE 1.0.3)".to_string())
        }
    } else if count(RecordTag::CONTROL_SETTINGS)
        + count(RecordTag::START_THREAD)
        + count(RecordTag::HEAP_SUMMARY)
        + count(RecordTag::ALLOC_SITES)
        + count(RecordTag::CPU_SAMPLES)
        > 0
    {
        (
            "hprof-agent",
            "the -agentlib:hprof agent (JDK 5 to 8): it writes thread, settings and allocation records HotSpot's own dumper does not; its ids are object serials, not addresses".to_string(),
        )
    } else if heap.layout.how == "inferred" && layout_tells_version(heap) {
        let range = match m.field_layout {
            crate::load::size::FieldLayout::Packed => {
                "JDK 15 or later (fields packed across the class hierarchy)"
            }
            crate::load::size::FieldLayout::PerClass => {
                "JDK 14 or earlier (each class's fields in their own block)"
            }
        };
        (
            "hotspot",
            format!("HotSpot {range}, from the object layout"),
        )
    } else {
        (
            "hotspot",
            "HotSpot (or a writer following it); the object layout does not tell the version"
                .to_string(),
        )
    };
    Producer {
        kind,
        description,
        id_size: idx.header.id_size,
        reference_size: m.reference,
    }
}
