//! Reading individual objects again: where they are in the dump, their field values, how one
//! references another, and what kind of node they are. Used for the few objects a report
//! shows, never per object of the heap.

use hprof_parser::reader::read_id;
use hprof_parser::{
    read_sub_record, BasicType, ClassDump, HeapVisitor, Instance, ObjectArray, PrimitiveArray,
};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::base::progress::NoProgress;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::load::classes::ClassTable;
use crate::load::marks;
use crate::load::pass::{par_walk, par_walk_some, par_walk_spans};

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// An ordinary object.
    Instance,
    /// An array of references.
    ObjectArray,
    /// An array of primitives.
    PrimitiveArray,
    /// A class object (`java.lang.Class` instance with the statics).
    Class,
}

/// Where each wanted node's sub-record starts, found by one parallel pass.
pub fn locate(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, u64> {
    let mut want: Vec<u64> = nodes
        .iter()
        .filter(|&&v| (v as usize) < a.graph.len())
        .map(|&v| a.graph.ids.id(v))
        .collect();
    want.sort_unstable();
    want.dedup();
    if want.is_empty() {
        return FxHashMap::default();
    }
    let filter = IdFilter::new(&want);
    struct Finder<'a> {
        want: &'a [u64],
        filter: &'a IdFilter,
        found: Vec<(u64, u64)>,
    }
    impl Finder<'_> {
        #[inline]
        fn see(&mut self, id: u64, off: u64) {
            if self.filter.may_contain(id) && self.want.binary_search(&id).is_ok() {
                self.found.push((id, off));
            }
        }
    }
    impl HeapVisitor for Finder<'_> {
        fn class_dump(&mut self, c: &ClassDump<'_>) {
            self.see(c.id, c.offset)
        }
        #[inline]
        fn instance(&mut self, o: &Instance<'_>) {
            self.see(o.id, o.offset)
        }
        #[inline]
        fn object_array(&mut self, x: &ObjectArray<'_>) {
            self.see(x.id, x.offset)
        }
        #[inline]
        fn primitive_array(&mut self, x: &PrimitiveArray<'_>) {
            self.see(x.id, x.offset)
        }
    }
    let make = || Finder {
        want: &want,
        filter: &filter,
        found: Vec::new(),
    };
    // Only the stretches of the pieces whose id range can hold a wanted id (HotSpot writes
    // objects in address order, so that is a few stretches of a few pieces per object): the
    // records skipped hold no wanted id, so each id's first record in dump order is found as
    // by walking every piece.
    let ranges = &a.heap.census.piece_id_ranges;
    let parts = if let Some(spans) = marks::spans(&a.heap.census, &a.heap.dump.pieces, &want) {
        par_walk_spans(&a.heap.dump, &spans, make)
    } else if ranges.len() == a.heap.dump.pieces.len() {
        let which: Vec<usize> = ranges
            .iter()
            .enumerate()
            .filter(|(_, &(lo, hi))| {
                let i = want.partition_point(|&id| id < lo);
                i < want.len() && want[i] <= hi
            })
            .map(|(i, _)| i)
            .collect();
        par_walk_some(&a.heap.dump, &which, |_| make())
    } else {
        par_walk(&a.heap.dump, "locate", &NoProgress, |_| make())
    };
    let mut out = FxHashMap::default();
    for (f, _) in parts {
        for (id, off) in f.found {
            if let Some(v) = a.graph.ids.get(id) {
                out.entry(v).or_insert(off);
            }
        }
    }
    out
}

/// The length of array node `v` as its record says (the shallow size rounds an odd number of
/// 4-byte slots up to 8 bytes, so it cannot tell 2,827 slots from 2,828). None for other
/// nodes or a record that cannot be read.
pub fn array_length(a: &Analysis, v: u32) -> Option<u64> {
    let off = *locate(a, &[v]).get(&v)?;
    length_at(a, off)
}

/// The lengths of the arrays among `nodes`, located in one pass (not one per array).
pub(crate) fn array_lengths(a: &Analysis, nodes: &[u32]) -> rustc_hash::FxHashMap<u32, u64> {
    locate(a, nodes)
        .into_iter()
        .filter_map(|(v, off)| length_at(a, off).map(|n| (v, n)))
        .collect()
}

/// The length of the array whose record starts at `off`; None when it is no array.
fn length_at(a: &Analysis, off: u64) -> Option<u64> {
    const OBJECT_ARRAY: u8 = 0x22;
    const PRIMITIVE_ARRAY: u8 = 0x23;
    let data = a.heap.dump.data();
    let start = usize::try_from(off).ok()?;
    if !matches!(data.get(start)?, &OBJECT_ARRAY | &PRIMITIVE_ARRAY) {
        return None;
    }
    // Tag, id, stack trace serial, then the length.
    let at = start + 1 + a.heap.dump.id_size() as usize + 4;
    let len: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
    a.heap.dump.release_after_read(off);
    Some(u32::from_be_bytes(len) as u64)
}

/// A hash filter over a few object ids, small enough to stay in cache: the walk over every
/// record of a piece asks it first, and the sorted list only on a hit.
struct IdFilter {
    bits: Vec<u64>,
    shift: u32,
}

impl IdFilter {
    fn new(ids: &[u64]) -> IdFilter {
        // About 16 bits per id, at least 2^12 bits, at most 2^24.
        let log = (ids.len().max(1) * 16)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(12, 24);
        let mut f = IdFilter {
            bits: vec![0u64; (1usize << log) / 64],
            shift: 64 - log,
        };
        for &id in ids {
            let h = f.slot(id);
            f.bits[h >> 6] |= 1 << (h & 63);
        }
        f
    }

    #[inline]
    fn slot(&self, id: u64) -> usize {
        (id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// False when `id` is certainly not one of the ids.
    #[inline]
    fn may_contain(&self, id: u64) -> bool {
        let h = self.slot(id);
        self.bits[h >> 6] >> (h & 63) & 1 == 1
    }
}

/// A field value read back from the dump.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldValue {
    /// The field's name.
    pub name: String,
    /// Its type.
    pub ty: BasicType,
    /// The raw value widened to u64 (an object id for references).
    pub raw: u64,
}

impl FieldValue {
    /// The value of an `int` or `long` field, sign-extended; None for other types.
    pub fn integer(&self) -> Option<i64> {
        match self.ty {
            BasicType::Int => Some(self.raw as u32 as i32 as i64),
            BasicType::Long => Some(self.raw as i64),
            _ => None,
        }
    }
}

/// One object re-read from the dump.
#[derive(Clone, Debug, Default)]
pub struct ObjectView {
    /// Instance fields in layout order (this class first), or statics of a class object.
    pub fields: Vec<FieldValue>,
    /// Elements of an object array (ids).
    pub elements: Vec<u64>,
    /// Bytes of a primitive array (big-endian).
    pub data: Vec<u8>,
    /// Element type of a primitive array.
    pub elem: Option<BasicType>,
    /// Length of an array (0 for instances and class objects).
    pub len: u64,
    /// For class objects: super class, loader, signers, protection domain ids.
    pub class_links: [u64; 4],
}

fn widen(v: &[u8]) -> u64 {
    v.iter().fold(0u64, |acc, &b| (acc << 8) | b as u64)
}

struct Reader<'a> {
    classes: &'a ClassTable,
    dump: &'a crate::Dump,
    want_data: bool,
    view: Option<ObjectView>,
}

impl HeapVisitor for Reader<'_> {
    fn class_dump(&mut self, c: &ClassDump<'_>) {
        let fields = c
            .statics
            .statics()
            .enumerate()
            .map(|(i, s)| FieldValue {
                name: self.classes.static_name(self.dump, c.id, i, s.name_id),
                ty: s.ty,
                raw: widen(s.value),
            })
            .collect();
        self.view = Some(ObjectView {
            fields,
            class_links: [
                c.super_id,
                c.loader_id,
                c.signers_id,
                c.protection_domain_id,
            ],
            ..Default::default()
        });
    }
    fn instance(&mut self, o: &Instance<'_>) {
        let mut fields = Vec::new();
        if let Some(ci) = self.classes.index_of(o.class_id) {
            let id_size = self.dump.id_size();
            let mut off = 0usize;
            for f in &self.classes.get(ci).layout {
                let n = f.ty.size_in_dump(id_size) as usize;
                let Some(b) = o.fields.get(off..off + n) else {
                    break;
                };
                fields.push(FieldValue {
                    name: self.classes.field_name(self.dump, f.name_id),
                    ty: f.ty,
                    raw: widen(b),
                });
                off += n;
            }
        }
        self.view = Some(ObjectView {
            fields,
            ..Default::default()
        });
    }
    fn object_array(&mut self, x: &ObjectArray<'_>) {
        self.view = Some(ObjectView {
            elements: x.element_ids(self.dump.id_size()).collect(),
            len: x.len as u64,
            ..Default::default()
        });
    }
    fn primitive_array(&mut self, x: &PrimitiveArray<'_>) {
        self.view = Some(ObjectView {
            data: if self.want_data {
                x.data.map(|d| d.to_vec()).unwrap_or_default()
            } else {
                Vec::new()
            },
            elem: Some(x.elem),
            len: x.len as u64,
            ..Default::default()
        });
    }
}

/// Re-reads the object at `offset`. Primitive array contents are copied only with
/// `want_data` (they are never shown unless the user asks for one object).
pub fn read_object(a: &Analysis, offset: u64, want_data: bool) -> Option<ObjectView> {
    let mut r = Reader {
        classes: &a.heap.classes,
        dump: &a.heap.dump,
        want_data,
        view: None,
    };
    read_sub_record(a.heap.dump.data(), offset, a.heap.dump.id_size(), &mut r).ok()?;
    // Reading one object maps the whole page-cache folio around it (up to 2 MiB): released
    // after reads in a few folios, or thousands of scattered reads keep hundreds of MiB of the dump resident.
    a.heap.dump.release_after_read(offset);
    r.view
}

impl ObjectView {
    /// The value of the first field named `name` (the most derived class's field wins).
    pub fn field(&self, name: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// A reference field's target id (None for null or absent).
    pub fn reference(&self, name: &str) -> Option<u64> {
        self.field(name)
            .filter(|f| f.ty == BasicType::Object && f.raw != 0)
            .map(|f| f.raw)
    }

    /// An `int` or `long` field's value, sign-extended (an `int` 7 and a `long` 7 are equal).
    pub fn integer(&self, name: &str) -> Option<i64> {
        self.field(name).and_then(FieldValue::integer)
    }

    /// An int field as i32.
    pub fn int(&self, name: &str) -> Option<i32> {
        self.field(name)
            .filter(|f| f.ty == BasicType::Int)
            .map(|f| f.raw as u32 as i32)
    }
}

/// The kind of node `v`.
pub fn node_kind(a: &Analysis, v: u32) -> NodeKind {
    if a.graph.class_object(v).is_some() {
        return NodeKind::Class;
    }
    let c = a.graph.class_of(v);
    if c == NONE {
        return NodeKind::Instance;
    }
    let name = &a.heap.classes.get(c).name;
    if !name.ends_with("[]") {
        NodeKind::Instance
    } else if name.matches("[]").count() == 1
        && matches!(
            name.trim_end_matches("[]"),
            "boolean" | "char" | "float" | "double" | "byte" | "short" | "int" | "long"
        )
    {
        NodeKind::PrimitiveArray
    } else {
        NodeKind::ObjectArray
    }
}

/// The class name shown for node `v`: its class, or for a class object the class it stands
/// for.
pub fn node_class(a: &Analysis, v: u32) -> String {
    if let Some(ci) = a.graph.class_object(v) {
        return a.heap.classes.get(ci).name.clone();
    }
    match a.graph.class_of(v) {
        NONE => "<unknown class>".into(),
        c => a.heap.classes.get(c).name.clone(),
    }
}

/// How `parent` references `child`: `.field`, `[index]`, `.FIELD (static)`, `<super>`,
/// `<loader>`, `<class>` ... or None when it does not reference it directly.
pub fn edge_label(
    a: &Analysis,
    parent: u32,
    child: u32,
    offsets: &FxHashMap<u32, u64>,
) -> Option<String> {
    if a.graph.class_edge(parent) == Some(child) && !a.graph.refs(parent).contains(&child) {
        return Some("<class>".into());
    }
    let off = *offsets.get(&parent)?;
    let view = read_object(a, off, false)?;
    let child_id = a.graph.ids.id(child);
    let is_class = a.graph.class_object(parent).is_some();
    for f in &view.fields {
        if f.ty == BasicType::Object && f.raw == child_id {
            return Some(if is_class {
                format!(".{} (static)", f.name)
            } else {
                format!(".{}", f.name)
            });
        }
    }
    if let Some(i) = view.elements.iter().position(|&e| e == child_id) {
        return Some(format!("[{i}]"));
    }
    if is_class {
        let names = ["<super>", "<loader>", "<signers>", "<protection domain>"];
        for (k, &id) in view.class_links.iter().enumerate() {
            if id == child_id {
                return Some(names[k].into());
            }
        }
        if a.graph.refs(parent).contains(&child) {
            return Some("<constant pool>".into());
        }
    }
    None
}

/// Reads the id of a reference in an id-sized slice.
pub fn id_at(b: &[u8], id_size: u8) -> u64 {
    read_id(b, id_size)
}
