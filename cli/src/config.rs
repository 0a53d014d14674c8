//! From the flags as typed (`args`) to what the commands run on: the analysis options of the
//! common flags, the dumps a command reads, a `FILE#N` snapshot path split in two.

use std::path::{Path, PathBuf};

use analyzer::LoadOptions;

use crate::args::{Command, Common};

/// The analysis options of the common flags.
pub(crate) fn load_options(common: &Common) -> LoadOptions {
    LoadOptions {
        partial: common.partial,
        temp_dir: common.temp_dir.clone(),
        max_uncompressed: common.max_uncompressed.0,
        free_space: Some(crate::sys::free_space),
        redact_names: common.redact_names,
        snapshot: common.snapshot,
        all_heaps: common.include_heaps,
        layout: common.layout,
        mapping: common.mapping.clone(),
        max_memory: match common.max_memory {
            Some(limit) => limit.0,
            None => crate::sys::default_max_memory(),
        },
    }
}

/// `FILE#N` (snapshot N of a file holding several) -> (FILE, Some(N)), when FILE exists and
/// the path as given does not.
pub(crate) fn split_snapshot(p: &Path) -> (PathBuf, Option<usize>) {
    let s = p.to_string_lossy();
    if let Some((file, n)) = s.rsplit_once('#') {
        if let Ok(n) = n.parse::<usize>() {
            if !p.exists() && Path::new(file).exists() {
                return (file.into(), Some(n));
            }
        }
    }
    (p.to_path_buf(), None)
}

/// The dumps a command reads (for `scan`, the dumps found under its paths).
pub(crate) fn inputs(command: &Command) -> Result<Vec<PathBuf>, String> {
    Ok(match command {
        Command::Info { dump }
        | Command::Histogram { dump, .. }
        | Command::Threadlocals { dump }
        | Command::Classloaders { dump }
        | Command::Resources { dump, .. }
        | Command::Waste { dump, .. }
        | Command::Dominators { dump, .. }
        | Command::Path { dump, .. }
        | Command::Redact { dump, .. } => vec![dump.clone()],
        Command::Leaks { dumps, .. }
        | Command::Report { dumps }
        | Command::Growth { dumps, .. } => dumps.clone(),
        Command::Diff { old, new } => vec![old.clone(), new.clone()],
        Command::Scan { paths, .. } => {
            crate::commands::scan::find_dumps(paths).map_err(|e| e.to_string())?
        }
        Command::Completions { .. } | Command::Man { .. } => Vec::new(),
    })
}
