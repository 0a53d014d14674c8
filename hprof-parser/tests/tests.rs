//! The parser's integration tests, one binary (as ripgrep's `tests/tests.rs`), one module per
//! area. Shared helpers (synthetic dumps, the hostile-input corpus) are in `common`.

mod common;

mod parser;
mod robustness;
mod source;
mod writer;
