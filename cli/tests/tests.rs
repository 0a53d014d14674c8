//! The `hprofscan` binary's integration tests, one binary (as ripgrep's `tests/tests.rs`), one
//! module per area. Shared helpers (running the binary, dump paths) are in `common`.

mod common;

mod android;
mod browser;
mod cli;
mod entries;
mod expected;
mod gendump;
mod hostile;
mod html;
mod max_memory;
mod redact;
mod schema;
