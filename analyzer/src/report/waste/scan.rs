//! The one pass over the dump that the waste report needs: a hash of every reachable primitive
//! array's contents, every `java.lang.String`'s value array and coder, the size and backing
//! array of every collection of a known shape, every object array's length, and the map
//! entries whose key or value is a boxed primitive.
//!
//! Nothing is copied: an array is kept as its node, length, hash and the offset of its bytes in
//! the dump, so that equal hashes can be checked byte for byte later.

use std::hash::Hasher;

use hprof_parser::reader::read_id;
use hprof_parser::{BasicType, HeapVisitor, Instance, ObjectArray, PrimitiveArray};
use rustc_hash::FxHasher;

use crate::base::progress::Progress;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::load::pass::par_walk;

/// A primitive array's contents, by reference.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PrimArray {
    /// The array's node.
    pub node: u32,
    /// Its length in bytes.
    pub bytes: u32,
    /// A hash of its bytes.
    pub hash: u64,
    /// Where its bytes start in the dump.
    pub data_off: u64,
    /// Its element type.
    pub elem: BasicType,
}

/// A `java.lang.String`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StringRec {
    /// The String's node.
    pub node: u32,
    /// Its value array's node ([`NONE`] if null or missing).
    pub value: u32,
    /// Its `coder` (0 Latin-1, 1 UTF-16).
    pub coder: u8,
}

/// A collection of a known shape.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CollRec {
    /// The collection's node.
    pub node: u32,
    /// Index into [`super::collections::SHAPES`].
    pub shape: u8,
    /// Its size field (0 when absent or negative).
    pub size: u32,
    /// Its backing array's node ([`NONE`] if null).
    pub array: u32,
    /// For sets: the backing map's node ([`NONE`] otherwise).
    pub map: u32,
}

/// A map entry (`HashMap$Node`, `TreeMap$Entry`, ...) whose key or value is a boxed primitive.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EntryRec {
    /// The entry's node.
    pub node: u32,
    /// Its key's node when the key is a box, else [`NONE`].
    pub key: u32,
    /// Its value's node when the value is a box, else [`NONE`].
    pub value: u32,
}

/// Everything the pass found, each list in node order.
#[derive(Default)]
pub(crate) struct Found {
    /// Reachable primitive arrays with their data.
    pub arrays: Vec<PrimArray>,
    /// Reachable Strings.
    pub strings: Vec<StringRec>,
    /// Reachable collections of the shapes in [`super::collections::SHAPES`].
    pub colls: Vec<CollRec>,
    /// Reachable object arrays with their length.
    pub obj_arrays: Vec<(u32, u32)>,
    /// Reachable map entries of the shapes in [`super::boxed::ENTRIES`] with a boxed key or
    /// value.
    pub entries: Vec<EntryRec>,
}

/// What the pass reads from an instance of one class.
#[derive(Clone, Copy, Debug)]
enum InstLayout {
    /// `java.lang.String`: byte offsets of `value` and `coder`.
    Str { value: usize, coder: Option<usize> },
    /// A collection: its shape, byte offsets of its int size field, array and map fields.
    Coll {
        shape: u8,
        size: Option<usize>,
        array: Option<usize>,
        map: Option<usize>,
    },
    /// A map entry: byte offsets of its key and value fields.
    Entry {
        key: Option<usize>,
        value: Option<usize>,
    },
}

/// Byte offset of field `name` of type `ty` in an instance of class `ci`.
fn offset_of(a: &Analysis, ci: u32, name: &str, ty: BasicType) -> Option<usize> {
    let id_size = a.heap.dump.id_size();
    let mut off = 0usize;
    for f in &a.heap.classes.get(ci).layout {
        if f.ty == ty && a.heap.classes.field_name(&a.heap.dump, f.name_id) == name {
            return Some(off);
        }
        off += f.ty.size_in_dump(id_size) as usize;
    }
    None
}

/// The per-class layouts: Strings, the collection shapes and the map entry shapes (subclasses
/// included).
fn layouts(a: &Analysis) -> Vec<Option<InstLayout>> {
    let names: Vec<&str> = super::collections::SHAPES.iter().map(|s| s.class).collect();
    let shape_of = crate::query::find::subclass_table(a, &names);
    let names: Vec<&str> = super::boxed::ENTRIES.iter().map(|e| e.0).collect();
    let entry_of = crate::query::find::subclass_table(a, &names);
    (0..a.heap.classes.len())
        .map(|ci| {
            let c = ci as u32;
            if a.heap.classes.get(c).name == "java.lang.String" {
                return Some(InstLayout::Str {
                    value: offset_of(a, c, "value", BasicType::Object)?,
                    coder: offset_of(a, c, "coder", BasicType::Byte),
                });
            }
            if let Some(ei) = entry_of[ci] {
                let (_, key, value) = super::boxed::ENTRIES[ei];
                let field = |f| offset_of(a, c, f, BasicType::Object);
                return Some(InstLayout::Entry {
                    key: field(key),
                    value: field(value).or_else(|| field("value")),
                });
            }
            let si = shape_of[ci]?;
            let s = &super::collections::SHAPES[si];
            Some(InstLayout::Coll {
                shape: si as u8,
                size: s.size.and_then(|f| offset_of(a, c, f, BasicType::Int)),
                array: s.array.and_then(|f| offset_of(a, c, f, BasicType::Object)),
                map: s.map.and_then(|f| offset_of(a, c, f, BasicType::Object)),
            })
        })
        .collect()
}

struct Visitor<'a> {
    a: &'a Analysis,
    layouts: &'a [Option<InstLayout>],
    /// Per class: which box class it is ([`u8::MAX`] if none).
    box_of: &'a [u8],
    base: usize,
    id_size: u8,
    out: Found,
}

impl Visitor<'_> {
    /// The node of a reachable object.
    #[inline]
    fn reachable(&self, id: u64) -> Option<u32> {
        let v = self.a.graph.ids.get(id)?;
        self.a.dom.is_reachable(v).then_some(v)
    }

    #[inline]
    fn ref_at(&self, fields: &[u8], off: Option<usize>) -> u32 {
        let n = self.id_size as usize;
        off.and_then(|o| fields.get(o..o + n))
            .map(|b| read_id(b, self.id_size))
            .filter(|&id| id != 0)
            .and_then(|id| self.a.graph.ids.get(id))
            .unwrap_or(NONE)
    }

    /// The node a reference field points to when it is a boxed primitive, else [`NONE`].
    #[inline]
    fn box_at(&self, fields: &[u8], off: Option<usize>) -> u32 {
        let v = self.ref_at(fields, off);
        if v == NONE {
            return NONE;
        }
        match self.a.graph.class_of(v) {
            NONE => NONE,
            k if self.box_of[k as usize] == u8::MAX => NONE,
            _ => v,
        }
    }
}

impl HeapVisitor for Visitor<'_> {
    fn instance(&mut self, o: &Instance<'_>) {
        let Some(v) = self.reachable(o.id) else {
            return;
        };
        let k = self.a.graph.class_of(v);
        if k == NONE {
            return;
        }
        match self.layouts[k as usize] {
            None => {}
            Some(InstLayout::Str { value, coder }) => {
                let value = self.ref_at(o.fields, Some(value));
                let coder = coder.and_then(|c| o.fields.get(c)).copied().unwrap_or(0);
                self.out.strings.push(StringRec {
                    node: v,
                    value,
                    coder,
                });
            }
            Some(InstLayout::Coll {
                shape,
                size,
                array,
                map,
            }) => {
                let size = size
                    .and_then(|s| o.fields.get(s..s + 4))
                    .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]).max(0) as u32)
                    .unwrap_or(0);
                let array = self.ref_at(o.fields, array);
                let map = self.ref_at(o.fields, map);
                self.out.colls.push(CollRec {
                    node: v,
                    shape,
                    size,
                    array,
                    map,
                });
            }
            Some(InstLayout::Entry { key, value }) => {
                let key = self.box_at(o.fields, key);
                let value = self.box_at(o.fields, value);
                if key != NONE || value != NONE {
                    self.out.entries.push(EntryRec {
                        node: v,
                        key,
                        value,
                    });
                }
            }
        }
    }

    fn object_array(&mut self, x: &ObjectArray<'_>) {
        if let Some(v) = self.reachable(x.id) {
            self.out.obj_arrays.push((v, x.len));
        }
    }

    fn primitive_array(&mut self, x: &PrimitiveArray<'_>) {
        let Some(data) = x.data else {
            return;
        };
        let Some(v) = self.reachable(x.id) else {
            return;
        };
        let mut h = FxHasher::default();
        h.write(data);
        self.out.arrays.push(PrimArray {
            node: v,
            bytes: data.len() as u32,
            hash: h.finish(),
            data_off: (data.as_ptr() as usize - self.base) as u64,
            elem: x.elem,
        });
    }
}

/// Walks the dump once (in parallel) and returns what the waste report reads, sorted by node.
pub(crate) fn scan(a: &Analysis, progress: &dyn Progress) -> Found {
    let layouts = layouts(a);
    let box_of = super::boxed::box_table(a);
    let base = a.heap.dump.data().as_ptr() as usize;
    let parts = par_walk(&a.heap.dump, "waste", progress, |_| Visitor {
        a,
        layouts: &layouts,
        box_of: &box_of,
        base,
        id_size: a.heap.dump.id_size(),
        out: Found::default(),
    });
    // Damage was recorded when the graph was built; the pass reads what is intact.
    let mut found = Found::default();
    for (v, _) in parts {
        found.arrays.extend(v.out.arrays);
        found.strings.extend(v.out.strings);
        found.colls.extend(v.out.colls);
        found.obj_arrays.extend(v.out.obj_arrays);
        found.entries.extend(v.out.entries);
    }
    found.arrays.sort_unstable_by_key(|x| x.node);
    found.strings.sort_unstable_by_key(|x| x.node);
    found.colls.sort_unstable_by_key(|x| x.node);
    found.obj_arrays.sort_unstable_by_key(|x| x.0);
    found.entries.sort_unstable_by_key(|x| x.node);
    found
}

/// The bytes of an array found by the pass.
pub(crate) fn bytes_of<'d>(a: &'d Analysis, x: &PrimArray) -> &'d [u8] {
    let d = a.heap.dump.data();
    &d[x.data_off as usize..x.data_off as usize + x.bytes as usize]
}
