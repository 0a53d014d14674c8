//! The analyzer's integration tests, one binary (as ripgrep's `tests/tests.rs`), one module per
//! area. Shared helpers (dump paths, loading, generating the dumps) are in `common`.

mod common;

mod android;
mod entries;
mod findings;
mod formats;
mod growth;
mod jdk11;
mod leak_kinds;
mod leaks;
mod native_memory;
mod real_dumps;
mod resource_apps;
mod robustness;
mod shapes;
mod shapes7;
mod shapes8;
mod shapes9;
mod validation10;
mod validation11;
mod validation12;
mod validation13;
mod validation14;
mod validation15;
mod validation16;
mod validation17;
mod validation18;
mod validation19;
mod validation20;
mod validation21;
mod validation22;
mod validation23;
mod validation24;
mod validation25;
mod validation26;
mod validation27;
mod validation28;
mod validation29;
mod validation30;
mod validation31;
mod validation32;
mod validation7;
mod validation89;
mod verdicts;
mod waste;
