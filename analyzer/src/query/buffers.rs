//! In-memory buffers that are appended to: `StringBuilder` and `StringBuffer` (through
//! `AbstractStringBuilder`; a `StringWriter` keeps a `StringBuffer`), `ByteArrayOutputStream`
//! and `CharArrayWriter`. Each keeps one array, reallocated larger (about twice) when an append
//! does not fit, and a `count` of what it holds: a buffer that is never reset keeps every byte
//! appended to it in that one array.

use hprof_parser::BasicType;

use crate::dom::analysis::Analysis;
use crate::query::collections::{CollectionSpec, Shape};
use crate::query::objects::{locate, read_object, ObjectView};

/// The buffer classes as collection specs: the array field and the `count` field (subclasses
/// match too). Growth summaries record them beside the collections: their entries are the
/// chars or bytes they hold.
pub static BUFFER_SPECS: &[CollectionSpec] = &[
    CollectionSpec {
        class: "java.lang.AbstractStringBuilder",
        shape: Shape::Array("value"),
        size_field: Some("count"),
        map: false,
    },
    CollectionSpec {
        class: "java.io.ByteArrayOutputStream",
        shape: Shape::Array("buf"),
        size_field: Some("count"),
        map: false,
    },
    CollectionSpec {
        class: "java.io.CharArrayWriter",
        shape: Shape::Array("buf"),
        size_field: Some("count"),
        map: false,
    },
];

/// For every class, the buffer spec it matches (itself or through a super class).
pub(crate) fn buffer_specs(a: &Analysis) -> Vec<Option<&'static CollectionSpec>> {
    let classes = &a.heap.classes;
    classes.inherited(|ci| {
        let name = &classes.get(ci).name;
        BUFFER_SPECS.iter().find(|s| s.class == name)
    })
}

/// Whether `spec` is one of [`BUFFER_SPECS`].
pub(crate) fn is_buffer(spec: &CollectionSpec) -> bool {
    BUFFER_SPECS.iter().any(|s| std::ptr::eq(s, spec))
}

/// What a buffer holds, as read from the dump.
#[derive(Clone, Debug)]
pub(crate) struct Buffer {
    /// Chars (text buffers) or bytes (byte streams) it holds.
    pub count: u64,
    /// Chars or bytes its array can hold.
    pub capacity: u64,
    /// Whether it holds text (chars) rather than bytes.
    pub text: bool,
    /// Its array's content up to `count`, one byte per char (the low byte of a UTF-16 unit):
    /// enough to find line ends and digits. Empty unless asked for.
    pub bytes: Vec<u8>,
}

/// Reads buffer node `v` (whose class matches `spec`), with its content when `content`.
pub(crate) fn read(a: &Analysis, v: u32, spec: &CollectionSpec, content: bool) -> Option<Buffer> {
    read_all(a, &[(v, spec)], content).pop().flatten()
}

/// Reads buffer nodes (each with the spec its class matches), with their content when
/// `content`, in two batched passes (the buffers, then their arrays): one per buffer, in order.
pub(crate) fn read_all(
    a: &Analysis,
    wanted: &[(u32, &CollectionSpec)],
    content: bool,
) -> Vec<Option<Buffer>> {
    let nodes: Vec<u32> = wanted.iter().map(|w| w.0).collect();
    let offs = locate(a, &nodes);
    let views: Vec<Option<(ObjectView, u32)>> = wanted
        .iter()
        .map(|&(v, spec)| {
            let Shape::Array(field) = spec.shape else {
                return None;
            };
            let view = read_object(a, *offs.get(&v)?, false)?;
            let arr = a.graph.ids.get(view.reference(field)?)?;
            Some((view, arr))
        })
        .collect();
    let arrays: Vec<u32> = views.iter().flatten().map(|p| p.1).collect();
    let aoffs = locate(a, &arrays);
    views
        .into_iter()
        .zip(wanted)
        .map(|(vw, &(_, spec))| {
            let (view, arr) = vw?;
            let data = read_object(a, *aoffs.get(&arr)?, true)?;
            buffer_of(&view, &data, spec, content)
        })
        .collect()
}

/// The buffer a buffer object's `view` and its array's `data` make up.
fn buffer_of(
    view: &ObjectView,
    data: &ObjectView,
    spec: &CollectionSpec,
    content: bool,
) -> Option<Buffer> {
    let count = view
        .field(spec.size_field?)
        .filter(|f| f.ty == BasicType::Int)
        .map(|f| (f.raw as u32 as i32).max(0) as u64)?;
    // A String-like coder: 0 is one byte per char, 1 two (JDK 9+ builders); absent on JDK 8.
    let coder = view.field("coder").map_or(0, |f| f.raw);
    let unit = match data.elem? {
        BasicType::Char => 2,
        BasicType::Byte if coder == 1 => 2,
        BasicType::Byte => 1,
        _ => return None,
    };
    let text = spec.class != "java.io.ByteArrayOutputStream";
    let capacity = data.data.len() as u64 / unit;
    let bytes = if content {
        low_bytes(
            &data.data,
            unit as usize,
            data.elem == Some(BasicType::Char),
            count,
        )
    } else {
        Vec::new()
    };
    Some(Buffer {
        count: count.min(capacity),
        capacity,
        text,
        bytes,
    })
}

/// The first `count` units of `data`, one byte each: the byte itself, or a UTF-16 unit's low
/// byte (big-endian in a `char[]`, the JVM's little-endian order in a `byte[]`).
fn low_bytes(data: &[u8], unit: usize, big_endian: bool, count: u64) -> Vec<u8> {
    let n = (count as usize).min(data.len() / unit);
    if unit == 1 {
        return data[..n].to_vec();
    }
    data.chunks_exact(2)
        .take(n)
        .map(|c| {
            let (lo, hi) = if big_endian {
                (c[1], c[0])
            } else {
                (c[0], c[1])
            };
            if hi == 0 {
                lo
            } else {
                0xff
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_bytes_of_each_encoding() {
        assert_eq!(low_bytes(b"ab\ncd", 1, false, 3), b"ab\n");
        assert_eq!(
            low_bytes(&[0x41, 0, 0x0a, 0, 0xac, 0x20], 2, false, 3),
            [0x41, 0x0a, 0xff]
        );
        assert_eq!(low_bytes(&[0, 0x41, 0, 0x0a], 2, true, 9), [0x41, 0x0a]);
    }
}
