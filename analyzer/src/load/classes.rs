//! The class table: every class dump with its name in Java source form, its super class and
//! its instance layout flattened through the hierarchy, in the order instance dumps use.

use hprof_parser::heap::FieldDecl;
use hprof_parser::names::java_name;
use hprof_parser::BasicType;
use rustc_hash::FxHashMap;

use crate::load::census::ClassRecord;
use crate::load::dump::Dump;
use crate::load::mapping::{Mapping, MappingApplied};

/// Dense index of a class in the [`ClassTable`].
pub type ClassIdx = u32;

/// One class.
#[derive(Clone, Debug)]
pub struct ClassInfo {
    /// The class object's id.
    pub id: u64,
    /// Name in Java source form (`java.util.HashMap$Node[]`).
    pub name: String,
    /// The super class, if it is in the dump.
    pub super_idx: Option<ClassIdx>,
    /// The defining loader's object id (0: boot loader).
    pub loader_id: u64,
    /// The class dump.
    pub record: ClassRecord,
    /// Instance fields in dump order: this class's first, then its super class's, and so on.
    /// Kept only for classes with instances (see [`ClassTable::build`]).
    pub layout: Vec<FieldDecl>,
    /// Byte offsets of the reference fields within an instance's field data.
    pub ref_offsets: Vec<u32>,
    /// Bytes an instance's fields take in the dump.
    pub dump_field_bytes: u32,
    /// Bytes of the primitive fields (same in the dump and in the JVM).
    pub primitive_bytes: u32,
    /// Number of reference fields, through the hierarchy.
    pub ref_fields: u32,
    /// Bytes of ART's object header that the dump writes as instance fields of
    /// `java.lang.Object` (`shadow$_klass_` and `shadow$_monitor_`, 4 bytes each), through the
    /// hierarchy: ART's layout counts them once, as the header.
    pub art_header_fields: u32,
}

impl ClassInfo {
    /// Number of reference fields of an instance.
    pub fn reference_fields(&self) -> u32 {
        self.ref_fields
    }

    /// Whether this is an array class (its name ends in `[]`).
    pub fn is_array(&self) -> bool {
        self.name.ends_with("[]")
    }
}

/// All classes of a dump.
#[derive(Debug, Default)]
pub struct ClassTable {
    classes: Vec<ClassInfo>,
    by_id: FxHashMap<u64, ClassIdx>,
    /// Supers before subclasses.
    order: Vec<ClassIdx>,
    warnings: Vec<String>,
    /// Field names given by a mapping file: the field name id `renamed_base + k` names
    /// `renamed[k]` (ids past the dump's last string id, see [`apply_mapping`]).
    renamed: Vec<String>,
    renamed_base: u64,
    /// What the mapping file renamed, when one was given.
    mapping: Option<MappingApplied>,
}

/// Flattened layout entries allowed per own field declaration in the dump (and at least
/// [`LAYOUT_BUDGET_MIN`]): real hierarchies are a few levels deep, a crafted one can make the
/// flattened layouts grow with the square of its depth.
const LAYOUT_BUDGET_FACTOR: u64 = 16;
/// Flattened layout entries always allowed (16 MiB of field declarations).
const LAYOUT_BUDGET_MIN: u64 = 1 << 20;

/// Classes with one kind of hierarchy problem: how many, and the first few ids.
#[derive(Default)]
struct Problems {
    count: u64,
    first: Vec<(u64, u64)>,
}

impl Problems {
    fn note(&mut self, class_id: u64, other: u64) {
        self.count += 1;
        if self.first.len() < 3 {
            self.first.push((class_id, other));
        }
    }

    fn warning(&self, what: &str, with_super: bool) -> Option<String> {
        if self.count == 0 {
            return None;
        }
        let list: Vec<String> = self
            .first
            .iter()
            .map(|&(c, s)| {
                if with_super {
                    format!("class 0x{c:x} (super 0x{s:x})")
                } else {
                    format!("class 0x{c:x}")
                }
            })
            .collect();
        let more = if self.count > self.first.len() as u64 {
            ", ..."
        } else {
            ""
        };
        Some(format!("{} {what}: {}{more}", self.count, list.join(", ")))
    }
}

/// Cuts super-class cycles and returns every class once, supers first. Linear: a walk up a
/// chain stops at the first class an earlier walk finished, and every class is on exactly one
/// walk's path.
fn resolve_hierarchy(classes: &mut [ClassInfo]) -> (Vec<ClassIdx>, Problems) {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let n = classes.len();
    let mut state = vec![NEW; n];
    let mut depth = vec![0u32; n];
    let mut cycles = Problems::default();
    let mut path: Vec<ClassIdx> = Vec::new();
    for start in 0..n {
        let mut cur = Some(start as ClassIdx);
        while let Some(ci) = cur {
            match state[ci as usize] {
                NEW => {
                    state[ci as usize] = ON_PATH;
                    path.push(ci);
                    cur = classes[ci as usize].super_idx;
                }
                ON_PATH => {
                    // The last class on the path closes a cycle through `ci`: cut it there.
                    let last = *path.last().expect("ci is on the path");
                    let c = &mut classes[last as usize];
                    cycles.note(c.id, c.record.super_id);
                    c.super_idx = None;
                    cur = None;
                }
                _ => cur = None,
            }
        }
        // Back down the path: each class's super is done (or it has none).
        while let Some(ci) = path.pop() {
            depth[ci as usize] = classes[ci as usize]
                .super_idx
                .map_or(0, |s| depth[s as usize].saturating_add(1));
            state[ci as usize] = DONE;
        }
    }
    // Counting sort by depth: supers (smaller depth) first, file order within a depth.
    let max = depth.iter().copied().max().unwrap_or(0) as usize;
    let mut starts = vec![0usize; max + 2];
    for &d in &depth {
        starts[d as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut sorted = vec![0 as ClassIdx; n];
    for (ci, &d) in depth.iter().enumerate() {
        sorted[starts[d as usize]] = ci as ClassIdx;
        starts[d as usize] += 1;
    }
    (sorted, cycles)
}

/// Renames the classes and the fields they declare (instance and static) as the mapping file
/// says, before anything reads their names: a renamed field's name id is replaced by an id past
/// the dump's last string id, which [`ClassTable::field_name`] resolves. Returns the new names
/// (the first at `base`), `base`, and what was renamed.
fn apply_mapping(
    dump: &Dump,
    m: &Mapping,
    classes: &mut [ClassInfo],
) -> (Vec<String>, u64, MappingApplied) {
    let mut applied = MappingApplied {
        file: m.path.clone(),
        classes_in_file: m.classes() as u64,
        ..Default::default()
    };
    // No room past the last string id (a crafted dump): classes are renamed, fields not.
    let base = match dump.index.max_string_id() {
        None => Some(1),
        Some(max) => max.checked_add(1),
    };
    let mut renamed: Vec<String> = Vec::new();
    let rename = |class: &str, name_id: &mut u64, ty: BasicType, renamed: &mut Vec<String>| {
        let Some(base) = base else { return false };
        let Some(name) = dump.index.string(dump.data(), *name_id) else {
            return false;
        };
        let Some(original) = m.field_name(class, &String::from_utf8_lossy(name), ty) else {
            return false;
        };
        let Some(id) = base.checked_add(renamed.len() as u64) else {
            return false;
        };
        renamed.push(original.to_string());
        *name_id = id;
        true
    };
    for c in classes.iter_mut() {
        let obfuscated = std::mem::take(&mut c.name);
        for f in c.record.fields.iter_mut() {
            applied.fields_renamed +=
                rename(&obfuscated, &mut f.name_id, f.ty, &mut renamed) as u64;
        }
        for s in c.record.statics.iter_mut() {
            applied.fields_renamed += rename(&obfuscated, &mut s.0, s.1, &mut renamed) as u64;
        }
        c.name = match m.class_name(&obfuscated) {
            Some(original) => {
                applied.classes_renamed += 1;
                original
            }
            None => obfuscated,
        };
    }
    (renamed, base.unwrap_or(0), applied)
}

/// Field bytes, primitive bytes, reference fields and ART header bytes of every class through
/// its hierarchy, memoised: a super class comes before its subclasses in `order`.
fn memoise_sizes(dump: &Dump, classes: &mut [ClassInfo], order: &[ClassIdx]) {
    let id_size = dump.id_size();
    for &ci in order {
        let (mut bytes, mut prim, mut refs) = (0u64, 0u64, 0u64);
        let object = classes[ci as usize].name == "java.lang.Object";
        let mut header = 0u64;
        for f in &classes[ci as usize].record.fields {
            let sz = f.ty.size_in_dump(id_size) as u64;
            bytes += sz;
            if f.ty == BasicType::Object {
                refs += 1;
            } else {
                prim += sz;
            }
            if object && ClassTable::is_art_header_field(dump, f.name_id) {
                header += f.ty.size_in_dump(4) as u64;
            }
        }
        if let Some(sup) = classes[ci as usize].super_idx {
            let s = &classes[sup as usize];
            bytes += s.dump_field_bytes as u64;
            prim += s.primitive_bytes as u64;
            refs += s.ref_fields as u64;
            header += s.art_header_fields as u64;
        }
        let c = &mut classes[ci as usize];
        c.dump_field_bytes = bytes.min(u32::MAX as u64) as u32;
        c.primitive_bytes = prim.min(u32::MAX as u64) as u32;
        c.ref_fields = refs.min(u32::MAX as u64) as u32;
        c.art_header_fields = header.min(u32::MAX as u64) as u32;
    }
}

fn name_of(dump: &Dump, names: &FxHashMap<u64, u64>, class_id: u64) -> String {
    names
        .get(&class_id)
        .and_then(|&sid| dump.index.string(dump.data(), sid))
        .map(|b| java_name(&String::from_utf8_lossy(b)))
        .unwrap_or_else(|| format!("<unknown class 0x{class_id:x}>"))
}

/// The classes in dump order, the first definition of each id kept, named from the
/// `LOAD CLASS` records; and the index of each id.
fn first_definitions(
    dump: &Dump,
    mut records: Vec<ClassRecord>,
) -> (Vec<ClassInfo>, FxHashMap<u64, ClassIdx>) {
    let mut names: FxHashMap<u64, u64> = FxHashMap::default();
    for lc in &dump.index.load_classes {
        names.entry(lc.class_id).or_insert(lc.name_id);
    }
    records.sort_by_key(|r| r.offset);
    let mut by_id = FxHashMap::default();
    let mut classes: Vec<ClassInfo> = Vec::with_capacity(records.len());
    for r in records {
        if by_id.contains_key(&r.id) {
            continue;
        }
        by_id.insert(r.id, classes.len() as ClassIdx);
        classes.push(ClassInfo {
            id: r.id,
            name: name_of(dump, &names, r.id),
            super_idx: None,
            loader_id: r.loader_id,
            record: r,
            layout: Vec::new(),
            ref_offsets: Vec::new(),
            dump_field_bytes: 0,
            primitive_bytes: 0,
            ref_fields: 0,
            art_header_fields: 0,
        });
    }
    (classes, by_id)
}

/// Sets each class's super-class index; the classes whose super class is not in the dump.
fn link_supers(classes: &mut [ClassInfo], by_id: &FxHashMap<u64, ClassIdx>) -> Problems {
    let mut missing = Problems::default();
    for c in classes.iter_mut() {
        c.super_idx = by_id.get(&c.record.super_id).copied();
        if c.super_idx.is_none() && c.record.super_id != 0 {
            missing.note(c.id, c.record.super_id);
        }
    }
    missing
}

/// Flattened layouts (and reference offsets) of the classes with instances, within the budget;
/// the classes over it.
fn flatten_layouts(
    classes: &mut [ClassInfo],
    instantiated: &FxHashMap<u64, u64>,
    id_size: u8,
) -> Problems {
    let own: u64 = classes.iter().map(|c| c.record.fields.len() as u64).sum();
    let mut budget = own
        .saturating_mul(LAYOUT_BUDGET_FACTOR)
        .max(LAYOUT_BUDGET_MIN);
    let mut over_budget = Problems::default();
    for i in 0..classes.len() {
        if !instantiated.contains_key(&classes[i].id) {
            continue;
        }
        let mut layout = Vec::new();
        let mut cur = Some(i as ClassIdx);
        while let Some(ci) = cur {
            let k = &classes[ci as usize];
            // A level costs at least 1, so field-less levels cannot make the walk long.
            let cost = (k.record.fields.len() as u64).max(1);
            if cost > budget {
                layout.clear();
                over_budget.note(classes[i].id, 0);
                break;
            }
            budget -= cost;
            layout.extend_from_slice(&k.record.fields);
            cur = k.super_idx;
        }
        let mut off = 0u32;
        let mut refs = Vec::new();
        for f in &layout {
            if f.ty == BasicType::Object {
                refs.push(off);
            }
            off = off.saturating_add(f.ty.size_in_dump(id_size) as u32);
        }
        let c = &mut classes[i];
        c.layout = layout;
        c.ref_offsets = refs;
    }
    over_budget
}

impl ClassTable {
    /// Builds the table from the census's class records (duplicates by id are dropped; the
    /// first dump of a class wins) and the LOAD_CLASS names. `instantiated` holds the ids of
    /// the classes that have instances: only their flattened layouts are kept.
    ///
    /// The hierarchy is resolved once, linearly, whatever its shape: a super class missing
    /// from the dump ends the chain, a cycle (a class its own super class, or a loop through
    /// several) is cut where it closes, and both are named in [`ClassTable::warnings`] with
    /// the class id. Field counts and sizes are memoised along [`ClassTable::supers_first`];
    /// the flattened layouts, whose total size can grow with the square of the hierarchy's
    /// depth, are kept within a budget proportional to the classes' own field declarations.
    pub fn build(
        dump: &Dump,
        records: Vec<ClassRecord>,
        instantiated: &FxHashMap<u64, u64>,
    ) -> ClassTable {
        let (mut classes, by_id) = first_definitions(dump, records);
        let (renamed, renamed_base, mapping) = match dump.mapping.as_deref() {
            Some(m) => {
                let (r, b, a) = apply_mapping(dump, m, &mut classes);
                (r, b, Some(a))
            }
            None => (Vec::new(), 0, None),
        };
        let missing = link_supers(&mut classes, &by_id);
        let (order, cycles) = resolve_hierarchy(&mut classes);

        memoise_sizes(dump, &mut classes, &order);

        let over_budget = flatten_layouts(&mut classes, instantiated, dump.id_size());

        let mut warnings = Vec::new();
        if let Some(w) = missing.warning(
            "classes name a super class that is not in the dump; their chains end there",
            true,
        ) {
            warnings.push(w);
        }
        if let Some(w) = cycles.warning("super-class cycles were cut where they close (the class named is taken to have no super class)", true) {
            warnings.push(w);
        }
        if let Some(w) = over_budget.warning("classes have field layouts beyond the budget for this dump's class hierarchy; the fields of their instances are not read", false) {
            warnings.push(w);
        }
        ClassTable {
            classes,
            by_id,
            order,
            warnings,
            renamed,
            renamed_base,
            mapping,
        }
    }

    /// What the mapping file (`--mapping`) renamed; `None` without one.
    pub fn mapping(&self) -> Option<&MappingApplied> {
        self.mapping.as_ref()
    }

    /// Whether a field of `java.lang.Object` is ART's object header written as a field
    /// (`shadow$_klass_`, `shadow$_monitor_`).
    fn is_art_header_field(dump: &Dump, name_id: u64) -> bool {
        matches!(
            dump.index.string(dump.data(), name_id),
            Some(b"shadow$_klass_") | Some(b"shadow$_monitor_")
        )
    }

    /// Every class index once, each super class before its subclasses: a property inherited
    /// through the hierarchy is computed in one pass over this order.
    pub fn supers_first(&self) -> &[ClassIdx] {
        &self.order
    }

    /// Problems found in the class hierarchy (missing super classes, cycles), with class ids.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// For every class, `own(class)` or else the value of its nearest super class that has
    /// one: one pass over [`ClassTable::supers_first`].
    pub fn inherited<T: Copy>(&self, own: impl Fn(ClassIdx) -> Option<T>) -> Vec<Option<T>> {
        let mut out: Vec<Option<T>> = vec![None; self.classes.len()];
        for &ci in &self.order {
            out[ci as usize] = own(ci).or_else(|| {
                self.classes[ci as usize]
                    .super_idx
                    .and_then(|s| out[s as usize])
            });
        }
        out
    }

    /// The class with this id.
    #[inline]
    pub fn index_of(&self, id: u64) -> Option<ClassIdx> {
        self.by_id.get(&id).copied()
    }

    /// The class at this index.
    #[inline]
    pub fn get(&self, idx: ClassIdx) -> &ClassInfo {
        &self.classes[idx as usize]
    }

    /// All classes, in the order of their dumps in the file.
    pub fn iter(&self) -> impl Iterator<Item = &ClassInfo> {
        self.classes.iter()
    }

    /// Number of classes.
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// The name of static field number `i` of the class with id `class_id`, whose name id in
    /// the class dump is `raw_name_id`: as the class table names it (renamed by a mapping
    /// file) when the class is in the table.
    pub fn static_name(&self, dump: &Dump, class_id: u64, i: usize, raw_name_id: u64) -> String {
        if self.renamed.is_empty() {
            return self.field_name(dump, raw_name_id);
        }
        let id = self
            .index_of(class_id)
            .and_then(|ci| self.get(ci).record.statics.get(i))
            .map_or(raw_name_id, |s| s.0);
        self.field_name(dump, id)
    }

    /// The first class with this Java name.
    pub fn by_name(&self, name: &str) -> Option<ClassIdx> {
        self.classes
            .iter()
            .position(|c| c.name == name)
            .map(|i| i as ClassIdx)
    }

    /// The name of a field (its name id in a class's record), lossily decoded; the source name
    /// when a mapping file renamed it.
    pub fn field_name(&self, dump: &Dump, name_id: u64) -> String {
        let k = name_id.checked_sub(self.renamed_base);
        if let Some(name) = k.and_then(|k| self.renamed.get(usize::try_from(k).ok()?)) {
            return name.clone();
        }
        dump.index
            .string(dump.data(), name_id)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_else(|| format!("<field 0x{name_id:x}>"))
    }
}

/// The Java name of a primitive array type (`int[]`).
pub fn primitive_array_name(t: BasicType) -> String {
    format!("{}[]", t.java_name())
}
