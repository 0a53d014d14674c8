//! Which application field holds each of many objects, in batch.
//!
//! [`crate::query::holders::find_holders`] searches backwards per object, which suits a few thousand
//! suspects; the waste report asks for hundreds of thousands of objects. Here each object
//! climbs the dominator tree until its immediate dominator is an application object (an
//! instance of, or the class object of, a class outside the JDK); the field of that object
//! which references the last node climbed is the holder. A String only one `Customer`
//! references is held by `Customer.country`; the backing array of an ArrayList in a static
//! field is held by that static. The fields are read in one batch of re-reads.

use hprof_parser::reader::read_id;
use hprof_parser::{read_sub_record, BasicType, ClassDump, HeapVisitor, Instance};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::load::classes::{ClassIdx, ClassTable};
use crate::query::collections::is_jdk_class;
use crate::query::holders::Holder;
use crate::query::objects::locate;

/// Dominator levels climbed at most before an object is called unattributed.
const MAX_LEVELS: usize = 64;

/// The holders of a batch of objects.
pub(crate) struct Attribution {
    /// The distinct holders.
    pub holders: Vec<Holder>,
    /// For each object asked about, an index into `holders`, or [`NONE`].
    pub of: Vec<u32>,
}

impl Attribution {
    /// The holder of the `i`-th object asked about.
    pub fn holder(&self, i: usize) -> Option<&Holder> {
        self.holders.get(self.of[i] as usize)
    }
}

/// Whether node `v` is an application object (not an application array: arrays are hops).
fn is_app(a: &Analysis, app: &[bool], v: u32) -> bool {
    let k = a.graph.class_of(v);
    if k == NONE {
        return false;
    }
    if app[k as usize] {
        return true;
    }
    // Class objects are instances of java.lang.Class (a JDK class).
    a.heap.classes.get(k).name == "java.lang.Class"
        && a.graph
            .class_object(v)
            .is_some_and(|ci| !is_jdk_class(&a.heap.classes.get(ci).name))
}

/// Finds the field of `owner` that references `target`, reading the owner from the dump.
struct FieldFinder<'a> {
    classes: &'a ClassTable,
    id_size: u8,
    targets: &'a [u64],
    /// (target index in `targets`, class, field name id, static)
    found: Vec<(usize, ClassIdx, u64, bool)>,
}

impl HeapVisitor for FieldFinder<'_> {
    fn class_dump(&mut self, c: &ClassDump<'_>) {
        let Some(ci) = self.classes.index_of(c.id) else {
            return;
        };
        for (i, s) in c.statics.statics().enumerate() {
            if s.ty != BasicType::Object {
                continue;
            }
            let id = read_id(s.value, self.id_size);
            if let Some(t) = self.targets.iter().position(|&x| x == id) {
                if !self.found.iter().any(|f| f.0 == t) {
                    // The name id in the class table: renamed by a mapping file.
                    let name = self.classes.get(ci).record.statics.get(i);
                    self.found
                        .push((t, ci, name.map_or(s.name_id, |n| n.0), true));
                }
            }
        }
    }
    fn instance(&mut self, o: &Instance<'_>) {
        let Some(ci) = self.classes.index_of(o.class_id) else {
            return;
        };
        let mut off = 0usize;
        for f in &self.classes.get(ci).layout {
            let n = f.ty.size_in_dump(self.id_size) as usize;
            if f.ty == BasicType::Object {
                if let Some(b) = o.fields.get(off..off + n) {
                    let id = read_id(b, self.id_size);
                    if let Some(t) = self.targets.iter().position(|&x| x == id) {
                        if !self.found.iter().any(|f| f.0 == t) {
                            self.found.push((t, ci, f.name_id, false));
                        }
                    }
                }
            }
            off += n;
        }
    }
}

/// The holder of every node in `nodes`.
pub(crate) fn attribute(a: &Analysis, nodes: &[u32]) -> Attribution {
    let app: Vec<bool> = a
        .heap
        .classes
        .iter()
        .map(|c| !is_jdk_class(&c.name) && !c.is_array())
        .collect();
    let idom = &a.dom.idom;
    // (owner, child) for each node: the application object and the node below it.
    let pairs: Vec<(u32, u32)> = nodes
        .par_iter()
        .map(|&x| {
            let mut y = x;
            for _ in 0..MAX_LEVELS {
                let p = idom[y as usize];
                if p == SUPER_ROOT || p == NONE {
                    break;
                }
                if is_app(a, &app, p) {
                    return (p, y);
                }
                y = p;
            }
            (NONE, NONE)
        })
        .collect();
    let mut distinct: Vec<(u32, u32)> = pairs.iter().copied().filter(|p| p.0 != NONE).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let labels = labels(a, &distinct);
    // Interned holders (keyed by class and field, never by object).
    let mut index: FxHashMap<(ClassIdx, u64, bool), u32> = FxHashMap::default();
    let mut holders: Vec<Holder> = Vec::new();
    let pair_holder: Vec<u32> = labels
        .iter()
        .map(|l| match *l {
            None => NONE,
            Some(key) => *index.entry(key).or_insert_with(|| {
                holders.push(Holder {
                    class: a.heap.classes.get(key.0).name.clone(),
                    field: a.heap.classes.field_name(&a.heap.dump, key.1),
                    is_static: key.2,
                });
                (holders.len() - 1) as u32
            }),
        })
        .collect();
    let of = pairs
        .iter()
        .map(|p| {
            if p.0 == NONE {
                return NONE;
            }
            distinct
                .binary_search(p)
                .map(|i| pair_holder[i])
                .unwrap_or(NONE)
        })
        .collect();
    Attribution { holders, of }
}

/// A holder's label: its class, the name id of its field, and whether the field is static.
type Label = (ClassIdx, u64, bool);

/// The label of each distinct (owner, child) pair: the field of the owner that references the
/// child, read by owner in parallel.
fn labels(a: &Analysis, distinct: &[(u32, u32)]) -> Vec<Option<Label>> {
    let owners: Vec<u32> = {
        let mut o: Vec<u32> = distinct.iter().map(|p| p.0).collect();
        o.dedup();
        o
    };
    let offsets = locate(a, &owners);
    let id_size = a.heap.dump.id_size();
    let data = a.heap.dump.data();
    let starts: Vec<usize> = (0..distinct.len())
        .filter(|&i| i == 0 || distinct[i - 1].0 != distinct[i].0)
        .collect();
    let labels: Vec<Vec<Option<Label>>> = starts
        .par_iter()
        .enumerate()
        .map(|(si, &s)| {
            let e = starts.get(si + 1).copied().unwrap_or(distinct.len());
            let owner = distinct[s].0;
            let targets: Vec<u64> = distinct[s..e].iter().map(|p| a.graph.ids.id(p.1)).collect();
            let mut out = vec![None; e - s];
            if let Some(&off) = offsets.get(&owner) {
                let mut f = FieldFinder {
                    classes: &a.heap.classes,
                    id_size,
                    targets: &targets,
                    found: Vec::new(),
                };
                if read_sub_record(data, off, id_size, &mut f).is_ok() {
                    for (t, ci, name, st) in f.found {
                        out[t] = Some((ci, name, st));
                    }
                }
            }
            out
        })
        .collect();
    labels.into_iter().flatten().collect()
}
