//! The class histogram: instances and shallow bytes per class name.

use rustc_hash::FxHashMap;
use serde::Serialize;

use hprof_parser::BasicType;

use crate::load::classes::primitive_array_name;
use crate::load::dump::DumpMeta;
use crate::load::heap::Heap;
use crate::load::size::SizeModel;

/// Totals over the whole heap, shared by `info` and `histogram`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Totals {
    /// Instances + object arrays + primitive arrays (class objects are not counted here).
    pub objects: u64,
    /// INSTANCE_DUMP records.
    pub instances: u64,
    /// OBJ_ARRAY_DUMP records.
    pub object_arrays: u64,
    /// PRIM_ARRAY_DUMP (and PRIMITIVE_ARRAY_NODATA) records.
    pub primitive_arrays: u64,
    /// Class objects (distinct CLASS_DUMP ids).
    pub classes: u64,
    /// GC root records (an object rooted twice counts twice).
    pub gc_roots: u64,
    /// Shallow bytes of all objects and class objects under the size model.
    pub shallow_bytes: u64,
    /// Later copies of repeated object ids, not counted above (the first copy of each id
    /// counts, in every command).
    pub duplicate_ids_dropped: u64,
}

/// One histogram row.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ClassRow {
    /// Class name in Java source form.
    pub class: String,
    /// Number of objects (for `java.lang.Class`: class objects).
    pub instances: u64,
    /// Their shallow bytes.
    pub shallow_bytes: u64,
    /// How many class loaders defined a class of this name.
    pub loaders: u32,
    /// With `--retained`: bytes retained by the instances not dominated by another instance
    /// of the same class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retained_bytes: Option<u64>,
}

/// Row order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Largest shallow bytes first.
    #[default]
    Shallow,
    /// Most instances first.
    Count,
    /// Largest retained bytes first (rows must carry retained bytes).
    Retained,
}

/// Options of the histogram report.
#[derive(Clone, Debug, Default)]
pub struct HistogramOptions {
    /// Keep only the first N rows (all when `None`).
    pub top: Option<usize>,
    /// Row order.
    pub sort: SortBy,
}

/// Adds retained bytes per class name to the rows (from [`crate::dom::retained_classes`]).
pub fn add_retained(rows: &mut [ClassRow], heap: &Heap, per_class: &[u64]) {
    let mut by_name: FxHashMap<&str, u64> = FxHashMap::default();
    for (i, c) in heap.classes.iter().enumerate() {
        *by_name.entry(c.name.as_str()).or_default() += per_class.get(i).copied().unwrap_or(0);
    }
    for r in rows {
        r.retained_bytes = Some(by_name.get(r.class.as_str()).copied().unwrap_or(0));
    }
}

/// `hprofscan/histogram/1`.
#[derive(Clone, Debug, Serialize)]
pub struct Histogram {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump.
    pub dump: DumpMeta,
    /// The layout used for shallow sizes.
    pub size_model: SizeModel,
    /// Totals over all rows (before `--top`).
    pub totals: Totals,
    /// Rows.
    pub classes: Vec<ClassRow>,
    /// Rows left out by `--top`.
    pub rows_omitted: usize,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

/// The row of a class name, made on first use.
fn row<'m>(rows: &'m mut FxHashMap<String, ClassRow>, name: &str) -> &'m mut ClassRow {
    rows.entry(name.to_string()).or_insert_with(|| ClassRow {
        class: name.to_string(),
        instances: 0,
        shallow_bytes: 0,
        loaders: 0,
        retained_bytes: None,
    })
}

/// Class objects: every one counts as a loader's definition of its name, instances or not,
/// and as an instance of `java.lang.Class`.
fn class_objects(heap: &Heap, rows: &mut FxHashMap<String, ClassRow>) {
    let mut mirrors = 0u64;
    let mut mirror_bytes = 0u64;
    for (i, c) in heap.classes.iter().enumerate() {
        row(rows, &c.name).loaders += 1;
        mirrors += 1;
        mirror_bytes += heap.mirror_size(i as u32);
    }
    if mirrors > 0 {
        let r = row(rows, "java.lang.Class");
        r.instances += mirrors;
        r.shallow_bytes += mirror_bytes;
        r.loaders = r.loaders.max(1);
    }
}

/// All rows, unsorted, and the totals.
pub fn class_rows(heap: &Heap) -> (Vec<ClassRow>, Totals) {
    let mut rows: FxHashMap<String, ClassRow> = FxHashMap::default();
    let census = &heap.census;
    let model = &heap.model;
    class_objects(heap, &mut rows);
    let mut instances = 0;
    for (&cid, &n) in &census.instances {
        instances += n;
        match heap.classes.index_of(cid) {
            Some(ci) => {
                let name = &heap.classes.get(ci).name;
                let size = heap.instance_size(ci);
                let r = row(&mut rows, name);
                r.instances += n;
                r.shallow_bytes += n * size;
            }
            None => {
                let r = row(&mut rows, &format!("<unknown class 0x{cid:x}>"));
                r.instances += n;
                r.shallow_bytes += n * model.instance(0, 0);
                r.loaders = r.loaders.max(1);
            }
        }
    }
    let mut object_arrays = 0;
    for (&cid, s) in &census.object_arrays {
        object_arrays += s.count;
        let name = match heap.classes.index_of(cid) {
            Some(ci) => heap.classes.get(ci).name.clone(),
            None => format!("<unknown array class 0x{cid:x}>"),
        };
        let r = row(&mut rows, &name);
        r.instances += s.count;
        r.shallow_bytes += model.arrays(s, true);
        r.loaders = r.loaders.max(1);
    }
    let mut primitive_arrays = 0;
    for t in BasicType::PRIMITIVES {
        let s = &census.primitive_arrays[t.code() as usize];
        if s.count == 0 {
            continue;
        }
        primitive_arrays += s.count;
        let r = row(&mut rows, &primitive_array_name(t));
        r.instances += s.count;
        r.shallow_bytes += model.arrays(s, false);
        r.loaders = r.loaders.max(1);
    }
    let rows: Vec<ClassRow> = rows.into_values().collect();
    let totals = Totals {
        objects: instances + object_arrays + primitive_arrays,
        instances,
        object_arrays,
        primitive_arrays,
        classes: heap.classes.len() as u64,
        gc_roots: census.roots.len() as u64,
        shallow_bytes: rows.iter().map(|r| r.shallow_bytes).sum(),
        duplicate_ids_dropped: census.duplicates_dropped,
    };
    (rows, totals)
}

/// Builds the histogram report.
pub fn histogram(heap: &Heap, opts: &HistogramOptions) -> Histogram {
    histogram_with(heap, opts, None)
}

/// Builds the histogram report, with retained bytes per class when given.
pub fn histogram_with(heap: &Heap, opts: &HistogramOptions, retained: Option<&[u64]>) -> Histogram {
    let (mut rows, totals) = class_rows(heap);
    rows.retain(|r| r.instances > 0);
    if let Some(per_class) = retained {
        add_retained(&mut rows, heap, per_class);
    }
    match opts.sort {
        SortBy::Shallow => rows.sort_by(|a, b| {
            b.shallow_bytes
                .cmp(&a.shallow_bytes)
                .then(b.instances.cmp(&a.instances))
                .then(a.class.cmp(&b.class))
        }),
        SortBy::Retained => rows.sort_by(|a, b| {
            b.retained_bytes
                .cmp(&a.retained_bytes)
                .then(b.shallow_bytes.cmp(&a.shallow_bytes))
                .then(a.class.cmp(&b.class))
        }),
        SortBy::Count => rows.sort_by(|a, b| {
            b.instances
                .cmp(&a.instances)
                .then(b.shallow_bytes.cmp(&a.shallow_bytes))
                .then(a.class.cmp(&b.class))
        }),
    }
    let mut rows_omitted = 0;
    if let Some(n) = opts.top {
        rows_omitted = rows.len().saturating_sub(n);
        rows.truncate(n);
    }
    Histogram {
        schema: "hprofscan/histogram/1",
        dump: heap.dump.meta(),
        size_model: heap.model,
        totals,
        classes: rows,
        rows_omitted,
        warnings: heap.warnings(),
    }
}
