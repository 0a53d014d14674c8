//! Android dumps carry the size of each class's instances: ART's writer puts
//! `GetObjectSize()` (header and fields, before the heap rounds it up to 8 bytes) in the
//! CLASS_DUMP's instance-size field, Dalvik its `objectSize`. This checks the sizes hprofscan
//! computes from ART's layout against them, class by class.
//!
//! Not compared: array and primitive classes (declared 0), `java.lang.Class` (declared as the
//! size of a class object without its statics) and `java.lang.String` (declared as the size of
//! an empty string: the characters follow it in the object, while the dump writes them as a
//! separate `char[]` with a `value` field that the string does not have).
//! HotSpot dumps declare the bytes of the fields in the dump instead: nothing to check.

use serde::Serialize;

use crate::load::heap::Heap;

/// Mismatches listed by name at most.
const EXAMPLES: usize = 5;

/// A class whose computed instance size differs from the one the dump declares.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SizeMismatch {
    /// The class.
    pub class: String,
    /// The size the class dump declares, rounded up to 8 bytes as the heap allocates it.
    pub declared: u64,
    /// The size computed from the layout.
    pub computed: u64,
}

/// The computed instance sizes against the ones an Android dump declares.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ArtSizeCheck {
    /// Classes compared.
    pub checked: u64,
    /// Classes whose computed size differs.
    pub mismatches: u64,
    /// The first few mismatches, in class dump order.
    pub examples: Vec<SizeMismatch>,
}

/// Compares every class's instance size with the one its class dump declares; `None` for
/// dumps other than Android's (`JAVA PROFILE 1.0.3`).
pub fn check(heap: &Heap) -> Option<ArtSizeCheck> {
    if heap.dump.index.header.version != hprof_parser::Version::V1_0_3 {
        return None;
    }
    let mut out = ArtSizeCheck::default();
    for (ci, c) in heap.classes.iter().enumerate() {
        let declared = c.record.instance_size as u64;
        if declared == 0
            || c.is_array()
            || c.name == "java.lang.Class"
            || c.name == "java.lang.String"
        {
            continue;
        }
        let declared = (declared + 7) & !7;
        let computed = heap.instance_size(ci as u32);
        out.checked += 1;
        if computed != declared {
            out.mismatches += 1;
            if out.examples.len() < EXAMPLES {
                out.examples.push(SizeMismatch {
                    class: c.name.clone(),
                    declared,
                    computed,
                });
            }
        }
    }
    Some(out)
}
