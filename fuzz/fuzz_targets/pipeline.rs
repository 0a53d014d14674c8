//! The fuzzer's bytes are the dump itself: the parser and everything after it, strict and
//! `--partial`. Start from the seed dumps in `fuzz/corpus/pipeline`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for partial in [false, true] {
        if let Ok(o) = analyzer::run::everything::run_everything(data.to_vec(), partial) {
            assert!(o.graph_bytes <= 16 * o.input_bytes + (1 << 20), "{o:?}");
        }
    }
});
