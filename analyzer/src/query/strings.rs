//! The one decoder of `java.lang.String` contents: Latin-1 or UTF-16 by the String's `coder`
//! (JDK 9+), or a `char[]` on older JDKs. Only for values the user may see (thread and
//! class-loader names, map keys); never for the contents the `waste` report hashes.

use hprof_parser::BasicType;
use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::load::dump::REDACTED;
use crate::query::find::{located, read_each, read_each_with_data, ref_node, views_at};
use crate::query::objects::{locate, read_object, ObjectView};

/// Decodes the text of `java.lang.String` nodes (thread and class-loader names only) in two
/// passes: the strings, then their arrays.
pub(crate) fn strings(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, String> {
    if a.heap.dump.redact_names {
        // Named, but not shown: the contents are never read.
        return nodes.iter().map(|&v| (v, REDACTED.to_string())).collect();
    }
    strings_never_shown(a, nodes)
}

/// Decodes the text of `java.lang.String` nodes for what the analysis reads from it (the shape
/// of map keys), never shown: `--redact-names` does not change it, so it cannot change a verdict.
pub(crate) fn strings_never_shown(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, String> {
    strings_never_shown_at(a, nodes, &FxHashMap::default())
}

/// [`strings_never_shown`], with the offsets in `known` (the strings' and their arrays', from
/// an earlier [`locate`]) not searched again: the result is the same.
pub(crate) fn strings_never_shown_at(
    a: &Analysis,
    nodes: &[u32],
    known: &FxHashMap<u32, u64>,
) -> FxHashMap<u32, String> {
    let strs = views_at(a, nodes, known);
    let arrays: Vec<u32> = strs
        .values()
        .filter_map(|s| ref_node(a, s, "value"))
        .collect();
    let offs = located(a, &arrays, known);
    let mut out = FxHashMap::default();
    for (&s, view) in &strs {
        let Some(arr_node) = ref_node(a, view, "value") else {
            continue;
        };
        let Some(arr) = offs.get(&arr_node).and_then(|&o| read_object(a, o, true)) else {
            continue;
        };
        if let Some(text) = decode(coder(view), arr.elem, &arr.data) {
            out.insert(s, text);
        }
    }
    out
}

/// A hash of the text of each `java.lang.String` of `nodes` (its coder and value bytes): equal
/// texts hash alike, whichever objects hold them (an id parsed anew from every request). For
/// telling texts apart, never decoded nor shown; `--redact-names` does not change it.
pub(crate) fn text_hashes(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, u64> {
    let arrays = read_each(a, nodes, |view| {
        Some((ref_node(a, &view, "value")?, coder(&view)))
    });
    let wanted: Vec<u32> = arrays.values().map(|&(arr, _)| arr).collect();
    let hashes = read_each_with_data(a, &wanted, |arr| {
        let mut h = rustc_hash::FxHasher::default();
        std::hash::Hash::hash(&arr.data, &mut h);
        Some(std::hash::Hasher::finish(&h))
    });
    arrays
        .into_iter()
        .filter_map(|(s, (arr, coder))| Some((s, hashes.get(&arr)? ^ coder.rotate_left(32))))
        .collect()
}

/// Decodes one `java.lang.String` node's text.
pub fn string_value(a: &Analysis, string_node: u32) -> Option<String> {
    if a.heap.dump.redact_names {
        return Some(REDACTED.to_string());
    }
    let offs = locate(a, &[string_node]);
    let view = read_object(a, *offs.get(&string_node)?, false)?;
    let vnode = a.graph.ids.get(view.reference("value")?)?;
    let voffs = locate(a, &[vnode]);
    let arr = read_object(a, *voffs.get(&vnode)?, true)?;
    decode(coder(&view), arr.elem, &arr.data)
}

/// A String's `coder` field (0, Latin-1, when absent: JDK 8 and older have none).
fn coder(view: &ObjectView) -> u64 {
    view.field("coder").map_or(0, |f| f.raw)
}

/// The text of a String's value array: Latin-1 bytes when `coder` is 0, else UTF-16 in the
/// JVM's byte order in a `byte[]` (little-endian on x86 and ARM) and big-endian in a `char[]`
/// (the dump's order). `None` for any other array.
pub fn decode(coder: u64, elem: Option<BasicType>, data: &[u8]) -> Option<String> {
    match elem? {
        BasicType::Byte if coder == 0 => Some(data.iter().map(|&b| b as char).collect()),
        t @ (BasicType::Byte | BasicType::Char) => {
            let le = t == BasicType::Byte;
            let units: Vec<u16> = data
                .chunks_exact(2)
                .map(|c| {
                    if le {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                })
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_and_both_utf16_byte_orders() {
        assert_eq!(decode(0, Some(BasicType::Byte), b"main").unwrap(), "main");
        assert_eq!(
            decode(1, Some(BasicType::Byte), &[0x41, 0, 0xe9, 0]).unwrap(),
            "A\u{e9}"
        );
        assert_eq!(
            decode(0, Some(BasicType::Char), &[0, 0x41, 0x20, 0xac]).unwrap(),
            "A\u{20ac}"
        );
        assert_eq!(decode(0, Some(BasicType::Int), &[0; 4]), None);
        assert_eq!(decode(0, None, &[]), None);
    }
}
