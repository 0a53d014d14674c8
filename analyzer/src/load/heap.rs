//! The analysed heap: an opened dump, its census, its classes and its size model. Every
//! report is a function of a [`Heap`] (and, from the graph on, of what is built over it).

use std::path::Path;

use hprof_parser::BasicType;

use crate::base::progress::Progress;
use crate::load::census::{take_census, Census};
use crate::load::classes::{ClassIdx, ClassTable};
use crate::load::dump::{Dump, LoadOptions};
use crate::load::size::{LayoutEvidence, SizeModel};
use crate::AnalyzeError;

/// A dump after the census pass.
pub struct Heap {
    /// The opened dump.
    pub dump: Dump,
    /// Roots, counts per class, and what else the census found.
    pub census: Census,
    /// All classes.
    pub classes: ClassTable,
    /// The shallow-size model.
    pub model: SizeModel,
    /// How the model was chosen.
    pub layout: LayoutEvidence,
    /// Shallow size of each class's instances, by class index.
    instance_sizes: Vec<u64>,
    /// Shallow size of each class object (its `java.lang.Class` mirror with statics).
    mirror_sizes: Vec<u64>,
}

impl Heap {
    /// Opens `path` and takes the census.
    pub fn load(
        path: &Path,
        opts: &LoadOptions,
        progress: &dyn Progress,
    ) -> Result<Heap, AnalyzeError> {
        let dump = Dump::open(path, opts)?;
        Heap::from_dump(dump, progress)
    }

    /// Takes the census of an opened dump.
    pub fn from_dump(dump: Dump, progress: &dyn Progress) -> Result<Heap, AnalyzeError> {
        Heap::from_dump_for(dump, false, progress)
    }

    /// Takes the census of an opened dump; `for_graph` also keeps the object ids that
    /// [`crate::graph::object_graph::Graph::build`] needs (saving it a pass over the heap).
    pub fn from_dump_for(
        mut dump: Dump,
        for_graph: bool,
        progress: &dyn Progress,
    ) -> Result<Heap, AnalyzeError> {
        let mut census = take_census(&mut dump, for_graph, progress)?;
        census.duplicates_dropped =
            crate::load::duplicates::drop_later_copies(&dump, &mut census, progress);
        let classes = ClassTable::build(
            &dump,
            std::mem::take(&mut census.classes),
            &census.instances,
        );
        let android = dump.index.header.version == hprof_parser::Version::V1_0_3;
        let (model, layout) =
            SizeModel::infer(dump.id_size(), android, dump.layout, &census.gaps, &classes);
        let instance_sizes = (0..classes.len() as ClassIdx)
            .map(|ci| model.instance_of(&classes, ci))
            .collect();
        let (class_prim, class_refs, class_header) = classes
            .by_name("java.lang.Class")
            .map(|i| {
                let c = classes.get(i);
                let header = if model.art { c.art_header_fields } else { 0 };
                (
                    c.primitive_bytes as u64,
                    c.reference_fields() as u64,
                    header as u64,
                )
            })
            .unwrap_or((0, 0, 0));
        let mirror_sizes = classes
            .iter()
            .map(|c| {
                let statics: u64 = c
                    .record
                    .statics
                    .iter()
                    .map(|&(_, ty, _)| match ty {
                        BasicType::Object => model.reference as u64,
                        t => t.size_in_dump(8) as u64,
                    })
                    .sum();
                let raw = (model.object_header as u64
                    + class_prim
                    + class_refs * model.reference as u64
                    + statics)
                    .saturating_sub(class_header);
                (raw + 7) & !7
            })
            .collect();
        Ok(Heap {
            dump,
            census,
            classes,
            model,
            layout,
            instance_sizes,
            mirror_sizes,
        })
    }

    /// Shallow size of an instance of class `c`.
    #[inline]
    pub fn instance_size(&self, c: ClassIdx) -> u64 {
        self.instance_sizes[c as usize]
    }

    /// Shallow size of the class object of class `c`.
    #[inline]
    pub fn mirror_size(&self, c: ClassIdx) -> u64 {
        self.mirror_sizes[c as usize]
    }

    /// Objects and shallow bytes of the Android heaps left out of the counts (image and
    /// zygote, unless `--include-heaps`).
    pub fn other_heaps_totals(&self) -> (u64, u64) {
        let o = &self.census.other_heaps;
        let mut objects = 0;
        let mut bytes = 0;
        for (&cid, &n) in &o.instances {
            objects += n;
            bytes += n * match self.classes.index_of(cid) {
                Some(ci) => self.instance_size(ci),
                None => self.model.instance(0, 0),
            };
        }
        for s in o.object_arrays.values() {
            objects += s.count;
            bytes += self.model.arrays(s, true);
        }
        for s in &o.primitive_arrays {
            objects += s.count;
            bytes += self.model.arrays(s, false);
        }
        (objects, bytes)
    }

    /// The Android heaps left out of the counts, by name, with their object counts.
    pub fn other_heaps(&self) -> Vec<(String, u64)> {
        self.census
            .heap_objects
            .iter()
            .filter(|(k, _)| !self.dump.all_heaps && !crate::load::census::counted_by_default(*k))
            .map(|&(k, n)| (crate::load::census::heap_name(k), n))
            .collect()
    }

    /// Warnings for the reports: damage, and anything the analysis had to guess.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = self.dump.warnings();
        w.extend(self.classes.warnings().iter().cloned());
        let other = self.other_heaps();
        if !other.is_empty() {
            let (objects, bytes) = self.other_heaps_totals();
            let list: Vec<String> = other
                .iter()
                .map(|(name, n)| format!("{name} ({} objects)", crate::base::text::thousands(*n)))
                .collect();
            w.push(format!(
                "Android: the {} heaps, which every app shares, hold {} objects ({}) not counted in the totals and the histogram (paths and retained sizes still go through them; --include-heaps counts them)",
                list.join(" and "),
                crate::base::text::thousands(objects),
                crate::base::text::bytes(bytes)
            ));
        }
        if self.dump.id_size() == 4 && self.layout.how == "inferred" && self.model.evidence[0] == 0
        {
            w.push("4-byte ids and no neighbour distance matches any layout (the -agentlib:hprof agent writes serials, not addresses): objects are sized as on a 32-bit JVM; if the dump came from a 64-bit JVM, pass --layout compressed (or uncompressed)".into());
        }
        if !self.dump.is_complete() {
            w.push("the dump is incomplete: counts and sizes cover only its intact part".into());
        }
        if self.census.duplicates_dropped > 0 {
            w.push(format!(
                "{} objects repeat an id already used; the later copies were ignored (the first copy of each id counts)",
                self.census.duplicates_dropped
            ));
        }
        w
    }
}
