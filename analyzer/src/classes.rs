//! The class table: every class dump with its name in Java source form, its super class and
//! its instance layout flattened through the hierarchy, in the order instance dumps use.

use hprof_parser::heap::FieldDecl;
use hprof_parser::names::java_name;
use hprof_parser::BasicType;
use rustc_hash::FxHashMap;

use crate::census::ClassRecord;
use crate::dump::Dump;

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
    pub layout: Vec<FieldDecl>,
    /// Byte offsets of the reference fields within an instance's field data.
    pub ref_offsets: Vec<u32>,
    /// Bytes an instance's fields take in the dump.
    pub dump_field_bytes: u32,
    /// Bytes of the primitive fields (same in the dump and in the JVM).
    pub primitive_bytes: u32,
}

impl ClassInfo {
    /// Number of reference fields of an instance.
    pub fn reference_fields(&self) -> u32 {
        self.ref_offsets.len() as u32
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
}

fn name_of(dump: &Dump, names: &FxHashMap<u64, u64>, class_id: u64) -> String {
    names
        .get(&class_id)
        .and_then(|&sid| dump.index.string(dump.data(), sid))
        .map(|b| java_name(&String::from_utf8_lossy(b)))
        .unwrap_or_else(|| format!("<unknown class 0x{class_id:x}>"))
}

impl ClassTable {
    /// Builds the table from the census's class records (duplicates by id are dropped; the
    /// first dump of a class wins) and the LOAD_CLASS names.
    pub fn build(dump: &Dump, mut records: Vec<ClassRecord>) -> ClassTable {
        let id_size = dump.id_size() as u32;
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
            });
        }
        for c in classes.iter_mut() {
            c.super_idx = by_id.get(&c.record.super_id).copied();
        }
        // Flatten layouts. Walk up the super chain iteratively; a cycle (damaged dump) is cut
        // after as many steps as there are classes.
        let n = classes.len();
        for i in 0..n {
            let mut layout = Vec::new();
            let mut cur = Some(i as ClassIdx);
            let mut steps = 0;
            while let Some(ci) = cur {
                if steps > n {
                    break;
                }
                layout.extend_from_slice(&classes[ci as usize].record.fields);
                cur = classes[ci as usize].super_idx;
                steps += 1;
            }
            let mut off = 0u32;
            let mut refs = Vec::new();
            let mut prim = 0u32;
            for f in &layout {
                let sz = f.ty.size_in_dump(id_size as u8) as u32;
                if f.ty == BasicType::Object {
                    refs.push(off);
                } else {
                    prim += sz;
                }
                off += sz;
            }
            let c = &mut classes[i];
            c.layout = layout;
            c.ref_offsets = refs;
            c.dump_field_bytes = off;
            c.primitive_bytes = prim;
        }
        ClassTable { classes, by_id }
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

    /// The first class with this Java name.
    pub fn by_name(&self, name: &str) -> Option<ClassIdx> {
        self.classes
            .iter()
            .position(|c| c.name == name)
            .map(|i| i as ClassIdx)
    }

    /// The name of a field of the dump (UTF8 id), lossily decoded.
    pub fn field_name(dump: &Dump, name_id: u64) -> String {
        dump.index
            .string(dump.data(), name_id)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_else(|| format!("<field 0x{name_id:x}>"))
    }
}
