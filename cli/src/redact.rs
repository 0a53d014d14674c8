//! `hprofscan redact IN OUT`: a copy of a dump without the contents of Strings and primitive
//! arrays (see [`hprof_parser::redact`]), and with `--pseudonymize-names` without the
//! application's class, field and method names ([`hprof_parser::pseudonym`]).
//!
//! The contents become the keyed filler by default ([`hprof_parser::redact::keyed`]), under a
//! key derived from `--names-key` or `$HPROFSCAN_NAMES_KEY` when one is given (a series of
//! dumps redacted with one key stays comparable), else under a fresh random key that is never
//! written anywhere; `--filler shape` writes the shape filler.
//!
//! Dumps hold secrets, so the copy is written with care: never over the input (same device
//! and inode), not into the input's directory unless asked, into a temporary file beside OUT
//! that becomes OUT only when the whole copy is written (a failed run leaves no partial OUT).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use hprof_parser::pseudonym::{NameKey, Pseudonyms};
use hprof_parser::redact::{redact, ContentKey, Filler, RedactError, RedactOptions, RedactStats};
use hprof_parser::{DumpSource, OpenOptions};

use crate::args::{ArrayType, Common, FillerKind};

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

/// What `hprofscan redact` was asked to do.
pub struct Request<'a> {
    /// The dump.
    pub dump: &'a Path,
    /// The copy.
    pub out: &'a Path,
    /// Array element types copied unchanged.
    pub keep: &'a [ArrayType],
    /// Whether OUT and the map may sit in the dump's directory.
    pub allow_next_to_input: bool,
    /// What array contents become.
    pub filler: FillerKind,
    /// Whether application names are replaced by pseudonyms.
    pub pseudonymize: bool,
    /// Where to write the pseudonym map, if anywhere.
    pub names_map: Option<&'a Path>,
    /// The key of the pseudonyms (`--names-key`), if given.
    pub names_key: Option<&'a str>,
}

/// The user's secret: `--names-key`, else `$HPROFSCAN_NAMES_KEY` (kept out of process lists
/// and shell history), if either is given.
fn secret(r: &Request<'_>) -> Option<Vec<u8>> {
    match r.names_key {
        Some(k) => Some(k.as_bytes().to_vec()),
        None => std::env::var_os("HPROFSCAN_NAMES_KEY")
            .filter(|k| !k.is_empty())
            .map(|k| k.as_encoded_bytes().to_vec()),
    }
}

/// The key of the pseudonyms: derived from the secret, else the public default.
fn names_key(r: &Request<'_>) -> NameKey {
    secret(r).map_or_else(NameKey::default, |s| NameKey::new(&s))
}

/// The filler of array contents: the keyed filler under a key derived from the secret (unlike
/// the pseudonyms', from a domain of its own), else under a fresh random key; or the shape
/// filler.
fn filler(r: &Request<'_>) -> Result<Filler, RedactFailure> {
    Ok(match r.filler {
        FillerKind::Shape => Filler::Shape,
        FillerKind::Keyed => Filler::Keyed(match secret(r) {
            Some(s) => ContentKey::from_secret(&s),
            None => ContentKey::random()
                .map_err(|e| RedactFailure::Output(format!("no random key for the filler: {e}")))?,
        }),
    })
}

/// Checks a file the command writes (`what`: "OUT" or "--names-map"): never the input, not
/// in its directory unless allowed; the directory it goes into, resolved.
fn check_target(
    what: &str,
    path: &Path,
    r: &Request<'_>,
) -> Result<(PathBuf, PathBuf), RedactFailure> {
    crate::output::refuse_input(what, path, &[r.dump.to_path_buf()])
        .map_err(RedactFailure::Usage)?;
    let dir = dir_of(path);
    let real = std::fs::canonicalize(&dir).map_err(|e| {
        RedactFailure::Output(format!(
            "cannot write {}: its directory {}: {e}",
            shown(path),
            shown(&dir)
        ))
    })?;
    if !r.allow_next_to_input {
        if let Ok(in_dir) = std::fs::canonicalize(dir_of(r.dump)) {
            if in_dir == real {
                return Err(RedactFailure::Usage(format!(
                    "{what} {} is in the same directory as the dump {}: dumps hold secrets, so \
                     nothing is written next to it by default (choose another directory, or \
                     give --allow-next-to-input)",
                    shown(path),
                    shown(r.dump)
                )));
            }
        }
    }
    Ok((dir, real))
}

/// A temporary file in `dir` that becomes the real file only when persisted.
fn temp_in(dir: &Path) -> Result<tempfile::NamedTempFile, RedactFailure> {
    tempfile::Builder::new()
        .prefix(".hprofscan-redact-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| RedactFailure::Output(format!("cannot write into {}: {e}", shown(dir))))
}

/// Checks the paths, then writes the redacted copy of the dump to OUT (and the name map).
pub fn run(
    r: &Request<'_>,
    common: &Common,
    free_space: fn(&Path) -> Option<u64>,
) -> Result<RedactStats, RedactFailure> {
    if common.output.is_some() {
        return Err(RedactFailure::Usage(
            "redact writes its copy to OUT; -o/--output does not apply".into(),
        ));
    }
    let (out_dir, out_real) = check_target("OUT", r.out, r)?;
    let map = match r.names_map {
        Some(m) => {
            let (dir, real) = check_target("--names-map", m, r)?;
            if real == out_real && m.file_name() == r.out.file_name() {
                return Err(RedactFailure::Usage(format!(
                    "--names-map {} is OUT: give the map a file of its own",
                    shown(m)
                )));
            }
            Some((m, dir))
        }
        None => None,
    };
    let opts = OpenOptions {
        temp_dir: common.temp_dir.clone(),
        max_uncompressed: common.max_uncompressed.0,
        free_space: Some(free_space),
    };
    let src = DumpSource::open(r.dump, &opts).map_err(RedactFailure::Input)?;
    let names = if r.pseudonymize {
        Pseudonyms::plan_keyed(&src, &names_key(r))
    } else {
        Pseudonyms::symbols_only(&src)
    };
    let names = Some(names.map_err(RedactFailure::Input)?);
    let ropts = RedactOptions {
        keep: r.keep.iter().map(|k| k.basic_type()).collect(),
        names,
        filler: filler(r)?,
    };
    let map_temp = match &map {
        Some((_, dir)) => Some(temp_in(dir)?),
        None => None,
    };
    let stats = write_copy(&src, r.out, &out_dir, &ropts)?;
    if let (Some((path, _)), Some(temp), Some(names)) = (map, map_temp, &ropts.names) {
        let err = |e: io::Error| RedactFailure::Output(format!("{}: {e}", shown(path)));
        let mut w = BufWriter::new(temp.as_file().try_clone().map_err(err)?);
        names.write_map(&mut w).map_err(err)?;
        w.into_inner()
            .map_err(|e| err(e.into_error()))?
            .sync_all()
            .map_err(err)?;
        temp.persist(path).map_err(|e| err(e.error))?;
    }
    Ok(stats)
}

/// Writes the copy into a temporary file beside `out` that becomes `out` when complete.
fn write_copy(
    src: &DumpSource,
    out: &Path,
    out_dir: &Path,
    ropts: &RedactOptions,
) -> Result<RedactStats, RedactFailure> {
    let temp = temp_in(out_dir)?;
    let gzip = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let write_err = |e: io::Error| RedactFailure::Output(format!("{}: {e}", shown(out)));
    let file: File = temp.as_file().try_clone().map_err(write_err)?;
    let result = if gzip {
        let mut w = flate2::write::GzEncoder::new(
            BufWriter::with_capacity(1 << 20, file),
            flate2::Compression::default(),
        );
        redact(src, &mut w, ropts)
            .and_then(|s| Ok((s, w.finish()?.into_inner().map_err(|e| e.into_error())?)))
    } else {
        let mut w = BufWriter::with_capacity(1 << 20, file);
        redact(src, &mut w, ropts)
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
pub fn main(r: &Request<'_>, common: &Common, free_space: fn(&Path) -> Option<u64>) -> u8 {
    match run(r, common, free_space) {
        Ok(s) => {
            let mut o = io::stdout().lock();
            let names = if r.pseudonymize {
                format!(
                    "; {} names pseudonymised{}",
                    analyzer::base::text::thousands(s.names_replaced),
                    r.names_map
                        .map(|m| format!(" (map in {})", shown(m)))
                        .unwrap_or_default()
                )
            } else {
                String::new()
            };
            let names = format!(
                "{names}; {} unreferenced symbols filled",
                analyzer::base::text::thousands(s.symbols_filled)
            );
            let filler = match (r.filler, secret(r).is_some()) {
                (FillerKind::Shape, _) => "shape filler",
                (FillerKind::Keyed, true) => "keyed filler, key from the secret",
                (FillerKind::Keyed, false) => "keyed filler, random key not kept",
            };
            let _ = writeln!(
                o,
                "wrote {}: {} primitive arrays replaced ({} bytes of contents, {filler}), {} \
                 kept{names}",
                shown(r.out),
                analyzer::base::text::thousands(s.arrays_replaced),
                analyzer::base::text::thousands(s.bytes_replaced),
                analyzer::base::text::thousands(s.arrays_kept)
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
