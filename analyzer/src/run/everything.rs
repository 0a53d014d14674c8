//! The whole pipeline over dump bytes — open, index, census, classes, graph, dominators and
//! every report — for the fuzz target (`fuzz/`) and the robustness tests. Whatever the bytes,
//! it returns a typed error or a summary; it never panics, and what it builds is bounded by
//! the input's size (the callers assert on the summary's counts).

use std::path::Path;

use hprof_parser::DumpSource;

use crate::base::progress::NoProgress;
use crate::dom::analysis::Analysis;
use crate::load::dump::{Dump, LoadOptions};
use crate::load::heap::Heap;
use crate::AnalyzeError;

/// What a run built, for assertions on bounds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Bytes of input.
    pub input_bytes: u64,
    /// Nodes of the object graph.
    pub nodes: u64,
    /// Bytes the object graph holds.
    pub graph_bytes: u64,
    /// Flattened field-layout entries the class table keeps.
    pub layout_entries: u64,
    /// Classes.
    pub classes: u64,
}

/// Runs everything on `bytes` as a dump (with `--partial` when `partial`): the census-based
/// reports (info, histogram), then the graph, the dominators and every graph-based report
/// (dominators, leaks with growth, threadlocals, classloaders, resources, retained by class,
/// waste, path to the first object and to the biggest instance of the first class); and,
/// when not `partial`, the redacted copy (`hprofscan redact`, with and without pseudonyms).
pub fn run_everything(bytes: Vec<u8>, partial: bool) -> Result<Outcome, AnalyzeError> {
    let input_bytes = bytes.len() as u64;
    if !partial {
        redact_everything(bytes.clone());
    }
    let source = DumpSource::from_vec(Path::new("generated.hprof"), bytes);
    let opts = LoadOptions {
        partial,
        ..Default::default()
    };
    let dump = Dump::from_source(source, &opts)?;
    let heap = Heap::from_dump_for(dump, true, &NoProgress)?;
    let _ = crate::report::info::info_of_heap(&heap);
    let _ = crate::report::histogram::histogram(&heap, &Default::default());
    let a = Analysis::build(heap, &NoProgress)?;
    let _ = a.warnings();
    let _ = crate::report::info::info(&a);
    let _ = crate::report::domtree::dominator_report(
        &a,
        &crate::report::domtree::DominatorOptions {
            top: 5,
            depth: 5,
            min_share: 0.0,
        },
    );
    let _ = crate::leaks::leak_report(&a, &Default::default(), None);
    let summary = crate::report::growth::summarize(&a);
    let order = vec![summary.meta.path.clone(), summary.meta.path.clone()];
    let series = crate::leaks::Series {
        growth: crate::report::growth::growth_report(
            vec![summary.clone(), summary.clone()],
            &order,
        ),
        last: summary,
    };
    let _ = crate::leaks::leak_report(&a, &Default::default(), Some(&series));
    let _ = crate::report::runtime::RuntimeReports::build(&a);
    let _ = crate::dom::retained_classes::retained_by_class(&a);
    let _ = crate::report::waste::waste_report(&a, &Default::default(), &NoProgress);
    if !a.graph.is_empty() {
        let first = a.graph.ids.id(0);
        let _ = crate::report::path::path_report(&a, &crate::report::path::PathTarget::Id(first));
    }
    if let Some(c) = a.heap.classes.iter().next() {
        let target = crate::report::path::PathTarget::BiggestOf(c.name.clone());
        let _ = crate::report::path::path_report(&a, &target);
    }
    Ok(Outcome {
        input_bytes,
        nodes: a.graph.len() as u64,
        graph_bytes: a.graph.memory_bytes() as u64,
        layout_entries: a.heap.classes.iter().map(|c| c.layout.len() as u64).sum(),
        classes: a.heap.classes.len() as u64,
    })
}

/// The redacted copy of `bytes` (`hprofscan redact`), plain, with its unreferenced symbols
/// filled and with pseudonyms, written nowhere; errors are the expected answer to most
/// damage.
fn redact_everything(bytes: Vec<u8>) {
    use hprof_parser::pseudonym::Pseudonyms;
    use hprof_parser::redact::{redact, ContentKey, Filler, RedactOptions};
    let src = DumpSource::from_vec(Path::new("generated.hprof"), bytes);
    let plans = [
        None,
        Pseudonyms::symbols_only(&src).ok(),
        Pseudonyms::plan(&src).ok(),
    ];
    let fillers = [
        Filler::Shape,
        Filler::Keyed(ContentKey::from_bytes([7; 16])),
    ];
    for (names, filler) in plans.into_iter().zip(fillers.into_iter().cycle()) {
        let opts = RedactOptions {
            keep: Vec::new(),
            names,
            filler,
        };
        let _ = redact(&src, &mut std::io::sink(), &opts);
    }
}
