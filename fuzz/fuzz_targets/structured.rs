//! The fuzzer's bytes are decisions for the structure-aware generator
//! (`hprof_parser::hostile::generate`): extreme and duplicate ids, class cycles, deep and wide
//! hierarchies, huge counts, long names, missing classes, cut segments. Each generated dump
//! goes through the whole pipeline, strict and `--partial`; a panic, a hang or memory beyond
//! the bounds is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|decisions: &[u8]| {
    let bytes = hprof_parser::hostile::generate(decisions);
    for partial in [false, true] {
        if let Ok(o) = analyzer::run::everything::run_everything(bytes.clone(), partial) {
            assert!(o.graph_bytes <= 16 * o.input_bytes + (1 << 20), "{o:?}");
            assert!(o.layout_entries <= 16 * o.input_bytes + (1 << 20), "{o:?}");
        }
    }
});
