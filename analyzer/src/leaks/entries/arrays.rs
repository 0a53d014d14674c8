//! Array lengths read from the arrays' own records: a shallow size is aligned to 8 bytes, so it
//! does not tell a `byte[505]` from a `byte[512]`.

use hprof_parser::{read_sub_record, HeapVisitor, ObjectArray, PrimitiveArray};
use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::query::objects::locate;

/// Reads the length of one array record.
#[derive(Default)]
struct Length(Option<u64>);

impl HeapVisitor for Length {
    fn object_array(&mut self, x: &ObjectArray<'_>) {
        self.0 = Some(x.len as u64);
    }
    fn primitive_array(&mut self, x: &PrimitiveArray<'_>) {
        self.0 = Some(x.len as u64);
    }
}

/// The lengths of the arrays among `nodes`, in one pass over the dump (nothing else is read).
pub(crate) fn lengths(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, u64> {
    let dump = &a.heap.dump;
    locate(a, nodes)
        .into_iter()
        .filter_map(|(v, off)| {
            let mut l = Length::default();
            read_sub_record(dump.data(), off, dump.id_size(), &mut l).ok()?;
            l.0.map(|n| (v, n))
        })
        .collect()
}

/// A class name with an array length in its first brackets: `byte[]`, 512 -> `byte[512]`.
pub(crate) fn with_length(class: &str, len: u64) -> String {
    match class.find("[]") {
        Some(i) => format!("{}[{len}]{}", &class[..i], &class[i + 2..]),
        None => class.to_string(),
    }
}

/// Whether a class is a primitive array (`byte[]`, not `byte[][]` or `Object[]`).
pub(crate) fn is_primitive_array(class: &str) -> bool {
    matches!(
        class,
        "boolean[]" | "char[]" | "float[]" | "double[]" | "byte[]" | "short[]" | "int[]" | "long[]"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_goes_into_the_first_brackets() {
        assert_eq!(with_length("byte[]", 512), "byte[512]");
        assert_eq!(with_length("long[][]", 3), "long[3][]");
        assert_eq!(with_length("java.lang.String", 3), "java.lang.String");
        assert!(is_primitive_array("byte[]"));
        assert!(!is_primitive_array("byte[][]"));
        assert!(!is_primitive_array("java.lang.Object[]"));
    }
}
