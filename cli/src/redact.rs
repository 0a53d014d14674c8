//! `hprofscan redact IN OUT`: a copy of a dump without the contents of Strings and primitive
//! arrays (see [`hprof_parser::redact`]).
//!
//! Dumps hold secrets, so the copy is written with care: never over the input (same device
//! and inode), not into the input's directory unless asked, into a temporary file beside OUT
//! that becomes OUT only when the whole copy is written (a failed run leaves no partial OUT).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use hprof_parser::redact::{redact, RedactError, RedactOptions, RedactStats};
use hprof_parser::{DumpSource, OpenOptions};

use crate::args::{ArrayType, Common};

/// Why `redact` failed, with its exit code.
pub enum RedactFailure {
    /// Exit 2: the arguments are refused.
    Usage(String),
    /// Exit 3 (or 5 for a resource limit): the dump is unreadable or damaged.
    Input(hprof_parser::ParseError),
    /// Exit 4: the copy could not be written.
    Output(String),
}

/// The directory a file path sits in (`.` for a bare file name).
fn dir_of(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn shown(p: &Path) -> String {
    crate::escape::name(&p.display().to_string()).into_owned()
}

/// Checks the paths, then writes the redacted copy of `dump` to `out`.
pub fn run(
    dump: &Path,
    out: &Path,
    keep: &[ArrayType],
    allow_next_to_input: bool,
    common: &Common,
    free_space: fn(&Path) -> Option<u64>,
) -> Result<RedactStats, RedactFailure> {
    if common.output.is_some() {
        return Err(RedactFailure::Usage(
            "redact writes its copy to OUT; -o/--output does not apply".into(),
        ));
    }
    crate::output::refuse_input("OUT", out, &[dump.to_path_buf()]).map_err(RedactFailure::Usage)?;
    let out_dir = dir_of(out);
    let out_dir_real = std::fs::canonicalize(&out_dir).map_err(|e| {
        RedactFailure::Output(format!(
            "cannot write {}: its directory {}: {e}",
            shown(out),
            shown(&out_dir)
        ))
    })?;
    if !allow_next_to_input {
        if let Ok(in_dir) = std::fs::canonicalize(dir_of(dump)) {
            if in_dir == out_dir_real {
                return Err(RedactFailure::Usage(format!(
                    "OUT {} is in the same directory as the dump {}: dumps hold secrets, so the \
                     copy is not written next to it by default (choose another directory, or \
                     give --allow-next-to-input)",
                    shown(out),
                    shown(dump)
                )));
            }
        }
    }
    let opts = OpenOptions {
        temp_dir: common.temp_dir.clone(),
        max_uncompressed: common.max_uncompressed.0,
        free_space: Some(free_space),
    };
    let src = DumpSource::open(dump, &opts).map_err(RedactFailure::Input)?;
    let temp = tempfile::Builder::new()
        .prefix(".hprofscan-redact-")
        .suffix(".tmp")
        .tempfile_in(&out_dir)
        .map_err(|e| {
            RedactFailure::Output(format!("cannot write into {}: {e}", shown(&out_dir)))
        })?;
    let gzip = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let ropts = RedactOptions {
        keep: keep.iter().map(|k| k.basic_type()).collect(),
    };
    let write_err = |e: io::Error| RedactFailure::Output(format!("{}: {e}", shown(out)));
    let file: File = temp.as_file().try_clone().map_err(write_err)?;
    let result = if gzip {
        let mut w = flate2::write::GzEncoder::new(
            BufWriter::with_capacity(1 << 20, file),
            flate2::Compression::default(),
        );
        redact(&src, &mut w, &ropts)
            .and_then(|s| Ok((s, w.finish()?.into_inner().map_err(|e| e.into_error())?)))
    } else {
        let mut w = BufWriter::with_capacity(1 << 20, file);
        redact(&src, &mut w, &ropts)
            .and_then(|s| Ok((s, w.into_inner().map_err(|e| e.into_error())?)))
    };
    // On any error `temp` is dropped here, which removes the partial copy.
    let (stats, file) = match result {
        Ok(v) => v,
        Err(RedactError::Input(e)) => return Err(RedactFailure::Input(e)),
        Err(RedactError::Output(e)) => return Err(write_err(e)),
    };
    file.sync_all().map_err(write_err)?;
    drop(file);
    temp.persist(out).map_err(|e| write_err(e.error))?;
    Ok(stats)
}

/// Runs the command and prints its summary; the exit code.
pub fn main(
    dump: &Path,
    out: &Path,
    keep: &[ArrayType],
    allow_next_to_input: bool,
    common: &Common,
    free_space: fn(&Path) -> Option<u64>,
) -> u8 {
    match run(dump, out, keep, allow_next_to_input, common, free_space) {
        Ok(s) => {
            let mut o = io::stdout().lock();
            let _ = writeln!(
                o,
                "wrote {}: {} primitive arrays replaced ({} bytes of contents), {} kept",
                shown(out),
                analyzer::text::thousands(s.arrays_replaced),
                analyzer::text::thousands(s.bytes_replaced),
                analyzer::text::thousands(s.arrays_kept)
            );
            0
        }
        Err(RedactFailure::Usage(m)) => {
            eprintln!("hprofscan: {m}");
            2
        }
        Err(RedactFailure::Input(e)) => {
            eprintln!("hprofscan: {}", crate::escape::name(&e.to_string()));
            if e.is_resource_limit() {
                5
            } else {
                3
            }
        }
        Err(RedactFailure::Output(m)) => {
            eprintln!("hprofscan: cannot write the redacted copy: {m}");
            4
        }
    }
}
