//! A heap with its object graph and dominator tree: what every graph-based report reads.

use serde::Serialize;

use crate::base::progress::Progress;
use crate::dom::dominators::{dominators, Dominators};
use crate::graph::object_graph::Graph;
use crate::load::heap::Heap;
use crate::AnalyzeError;

/// The warning about references HotSpot leaves dangling on purpose (after the count).
pub const SHARED_ARCHIVE: &str = "references point to objects in the shared archive (CDS) region, which HotSpot does not write into dumps; they were skipped (heap.dangling_references)";

/// Makes the shared-archive warnings of a series of dumps one line (`553, 612 and 792 ...`),
/// at the place of the first.
pub fn merge_shared_archive(warnings: &mut Vec<String>) {
    let at: Vec<usize> = (0..warnings.len())
        .filter(|&i| warnings[i].ends_with(SHARED_ARCHIVE))
        .collect();
    if at.len() < 2 {
        return;
    }
    // A series line already made (leaks adds the series' warnings to its own): keep it.
    if let Some(&keep) = at.iter().find(|&&i| warnings[i].contains(" dumps) ")) {
        for &i in at.iter().rev() {
            if i != keep {
                warnings.remove(i);
            }
        }
        return;
    }
    let counts: Vec<String> = at
        .iter()
        .map(|&i| {
            let w = &warnings[i][..warnings[i].len() - SHARED_ARCHIVE.len()];
            // "path: 553 " or "553 "
            w.trim_end().rsplit(' ').next().unwrap_or("").to_string()
        })
        .collect();
    let line = format!(
        "{} (in {} dumps) {SHARED_ARCHIVE}",
        counts.join(", "),
        at.len()
    );
    warnings[at[0]] = line;
    for &i in at[1..].iter().rev() {
        warnings.remove(i);
    }
}

/// The analysed heap, its graph and its dominators, built once per run.
pub struct Analysis {
    /// Census, classes, size model.
    pub heap: Heap,
    /// Object graph.
    pub graph: Graph,
    /// Dominator tree and retained sizes.
    pub dom: Dominators,
}

/// The `heap` object of the graph-based reports.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HeapSummary {
    /// Objects in the graph (instances, arrays and class objects).
    pub objects: u64,
    /// Classes.
    pub classes: u64,
    /// GC root records.
    pub gc_roots: u64,
    /// Shallow bytes of every object in the graph.
    pub shallow_bytes: u64,
    /// Strongly reachable objects.
    pub reachable_objects: u64,
    /// Their shallow bytes (the retained size of the virtual super-root).
    pub reachable_bytes: u64,
    /// Objects reachable only through soft, weak, phantom or final references.
    pub weakly_reachable_objects: u64,
    /// Their shallow bytes.
    pub weakly_reachable_bytes: u64,
    /// Objects not reachable from any GC root (the dump was taken without a full GC).
    pub unreachable_objects: u64,
    /// Their shallow bytes.
    pub unreachable_bytes: u64,
    /// References to ids with no object in the dump (skipped).
    pub dangling_references: u64,
    /// Later copies of repeated object ids, dropped (the first copy of each id counts).
    pub duplicate_ids_dropped: u64,
}

impl Analysis {
    /// Opens a dump and builds everything (one census that also keeps the ids).
    pub fn load(
        path: &std::path::Path,
        opts: &crate::LoadOptions,
        progress: &dyn Progress,
    ) -> Result<Analysis, AnalyzeError> {
        let dump = crate::Dump::open(path, opts)?;
        let heap = Heap::from_dump_for(dump, true, progress)?;
        Analysis::build(heap, progress)
    }

    /// Builds the graph and the dominator tree of `heap`.
    pub fn build(mut heap: Heap, progress: &dyn Progress) -> Result<Analysis, AnalyzeError> {
        let graph = Graph::build(&mut heap, progress)?;
        let parts: Vec<String> = graph
            .memory_parts()
            .iter()
            .map(|&(name, b)| format!("{name} {} MiB", b >> 20))
            .collect();
        progress.detail(&format!(
            "graph: {} nodes, {} references, {} weak references, {} MiB ({}){}",
            graph.len(),
            graph.edge_count(),
            graph.weak_edges.len(),
            graph.memory_bytes() >> 20,
            parts.join(", "),
            if graph.arrays.on_disk() {
                "; the big arrays are in temp files (0 MiB here)"
            } else {
                ""
            }
        ));
        let dom = dominators(&graph, progress)?;
        // An array the dominator phase could not put in a file was made in memory instead:
        // the run still fails, as the graph build would have.
        if let Some(e) = graph.arrays.take_error() {
            return Err(e);
        }
        graph.arrays.release();
        Ok(Analysis { heap, graph, dom })
    }

    /// The `heap` object of the reports.
    pub fn summary(&self) -> HeapSummary {
        let d = &self.dom;
        HeapSummary {
            objects: self.graph.len() as u64,
            classes: self.heap.classes.len() as u64,
            gc_roots: self.heap.census.roots.len() as u64,
            shallow_bytes: d.reachable_bytes + d.weakly_reachable_bytes + d.unreachable_bytes,
            reachable_objects: d.reachable,
            reachable_bytes: d.reachable_bytes,
            weakly_reachable_objects: d.weakly_reachable,
            weakly_reachable_bytes: d.weakly_reachable_bytes,
            unreachable_objects: d.unreachable,
            unreachable_bytes: d.unreachable_bytes,
            dangling_references: self.graph.dangling,
            duplicate_ids_dropped: self.graph.duplicates,
        }
    }

    /// Share of the reachable heap that `bytes` are.
    pub fn share(&self, bytes: u64) -> f64 {
        if self.dom.reachable_bytes == 0 {
            0.0
        } else {
            bytes as f64 / self.dom.reachable_bytes as f64
        }
    }

    /// Warnings of the heap plus those of the graph (dangling references, duplicates).
    pub fn warnings(&self) -> Vec<String> {
        let mut w = self.heap.warnings();
        let g = &self.graph;
        if g.dangling > 0 {
            let hotspot = matches!(crate::load::producer::producer(&self.heap).kind, "hotspot");
            w.push(if hotspot {
                format!(
                    "{} {SHARED_ARCHIVE}",
                    crate::base::text::thousands(g.dangling)
                )
            } else {
                format!(
                    "{} references point to objects that are not in the dump; they were skipped",
                    g.dangling
                )
            });
        }
        // Repeated ids are named once, by the heap's warnings (the census and the graph drop
        // the same later copies).
        if g.short_instances > 0 {
            w.push(format!(
                "{} instances have less field data than their class declares",
                g.short_instances
            ));
        }
        if g.classes_as_roots {
            w.push("the intact part of the dump has no GC roots (HotSpot writes them last): class objects were taken as roots, so objects held only by threads, stacks or JNI are missing".into());
        }
        if !self.heap.dump.is_complete() {
            w.push("retained sizes are lower bounds: part of the dump is missing".into());
        }
        w
    }
}
