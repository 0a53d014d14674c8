//! Opening a dump for analysis: map or decompress it, scan its top-level records, cut its heap
//! into pieces for parallel walking, and describe it (the `dump` object of every report).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use hprof_parser::split::{split_heap_releasing, Piece};
use hprof_parser::{Compression, DumpIndex, DumpSource, OpenOptions, ParseError, RecordTag};
use serde::Serialize;

use crate::base::error::AnalyzeError;

/// How to open a dump.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Analyse what precedes damage instead of refusing a damaged dump.
    pub partial: bool,
    /// Where to put the decompressed copy of a gzip dump.
    pub temp_dir: Option<PathBuf>,
    /// Which heap snapshot to analyse, 1-based (default: the last).
    pub snapshot: Option<usize>,
    /// Count the objects of every Android heap (by default the image and zygote heaps, which
    /// every app shares, are left out of the counts).
    pub all_heaps: bool,
    /// The object layout to use instead of inferring it (`--layout`).
    pub layout: Option<crate::load::layout::SizeModel>,
    /// Largest decompressed size accepted for a gzip dump (`None`: no limit).
    pub max_uncompressed: Option<u64>,
    /// Free bytes in a directory, to stop inflating before the temp directory is full
    /// (see [`hprof_parser::OpenOptions::free_space`]).
    pub free_space: Option<fn(&Path) -> Option<u64>>,
    /// Hide every name that is heap content (thread names, class-loader names): reports show
    /// [`REDACTED`] instead.
    pub redact_names: bool,
    /// A ProGuard/R8 mapping file: class and field names are shown as in the source.
    pub mapping: Option<std::sync::Arc<crate::load::mapping::Mapping>>,
    /// Resident bytes the analysis may use (`--max-memory`; `None`: no limit). When the
    /// census shows that the analysis would need more, its big arrays live in memory-mapped
    /// files in `temp_dir` (see [`crate::base::arrays`]).
    pub max_memory: Option<u64>,
}

/// What a name that is heap content reads as with [`LoadOptions::redact_names`].
pub const REDACTED: &str = "<redacted>";

/// The `dump` object shared by every report: which file, what format, whether complete.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DumpMeta {
    /// The path as given; for a file with several heap snapshots, followed by `#N`, the
    /// snapshot analysed (1-based).
    pub path: String,
    /// Size of the file on disk.
    pub bytes: u64,
    /// Whether the file is gzip-compressed.
    pub gzip: bool,
    /// Size of the dump after decompression (equal to `bytes` for a plain file).
    pub uncompressed_bytes: u64,
    /// Format version, e.g. `JAVA PROFILE 1.0.2`.
    pub format: String,
    /// Identifier size: 4 or 8.
    pub id_size: u8,
    /// When the dump was written, milliseconds since the epoch.
    pub timestamp_ms: u64,
    /// False when the dump is damaged or cut off and was analysed with `--partial`.
    pub complete: bool,
}

/// Size of a parallel work unit.
const PIECE_TARGET: u64 = 4 << 20;

/// The largest page-cache folio the kernel maps at once around a read (a PMD: 2 MiB on
/// x86-64 and arm64 with 4 KiB pages). Folios are aligned to their size in the file.
pub const FOLIO: u64 = 2 << 20;

/// Folios that single-object reads may map before the dump's resident pages are dropped
/// (64 MiB; reads on two threads that alternate between two folios count each time, so at most
/// twice that).
const FOLIOS_PER_RELEASE: u32 = 32;

/// The 0-based snapshot `--snapshot` (1-based, `None`: the last) names among `count`.
fn pick_snapshot(wanted: Option<usize>, count: usize) -> Result<usize, AnalyzeError> {
    match wanted {
        None => Ok(count.saturating_sub(1)),
        Some(n) if n >= 1 && n <= count.max(1) => Ok(n - 1),
        Some(n) => Err(AnalyzeError::NotFound(format!(
            "--snapshot {n}: the dump has {count} heap snapshot{} (numbered from 1)",
            if count == 1 { "" } else { "s" }
        ))),
    }
}

/// An opened, indexed dump.
pub struct Dump {
    /// The bytes.
    pub source: DumpSource,
    /// The top-level records.
    pub index: DumpIndex,
    /// The heap, cut into pieces that can be walked in parallel.
    pub pieces: Vec<Piece>,
    /// Damage found so far (each also named in `warnings`).
    pub damage: Vec<ParseError>,
    /// Whether `--partial` is in force.
    pub partial: bool,
    /// The snapshot analysed (0-based index into `index.snapshots`).
    pub snapshot: usize,
    /// The Android heap kind in force at the start of each piece (empty for non-Android
    /// dumps: every object is in the default heap). Filled by the census (`take_census`).
    pub piece_heaps: Vec<u32>,
    /// Whether the objects of every Android heap are counted.
    pub all_heaps: bool,
    /// The object layout forced by `--layout`.
    pub layout: Option<crate::load::layout::SizeModel>,
    /// Whether names that are heap contents are hidden ([`LoadOptions::redact_names`]).
    pub redact_names: bool,
    /// The mapping file that turns obfuscated names back into source names.
    pub mapping: Option<std::sync::Arc<crate::load::mapping::Mapping>>,
    /// Where the analysis' big arrays live ([`LoadOptions::max_memory`]).
    pub arrays: crate::base::arrays::Arrays,
    /// Folios single-object reads moved into since the dump's resident pages were last
    /// dropped, and the last one ([`Dump::release_after_read`]).
    folios: AtomicU32,
    last_folio: AtomicU64,
}

impl Dump {
    /// Opens and indexes the dump at `path`.
    pub fn open(path: &Path, opts: &LoadOptions) -> Result<Dump, AnalyzeError> {
        let source = DumpSource::open(
            path,
            &OpenOptions {
                temp_dir: opts.temp_dir.clone(),
                max_uncompressed: opts.max_uncompressed,
                free_space: opts.free_space,
            },
        )?;
        Dump::from_source(source, opts)
    }

    /// Indexes an opened source (a file, or bytes in memory).
    pub fn from_source(mut source: DumpSource, opts: &LoadOptions) -> Result<Dump, AnalyzeError> {
        let mut damage = Vec::new();
        if let Some(e) = source.take_damage() {
            if !opts.partial {
                return Err(AnalyzeError::damaged(e));
            }
            damage.push(e);
        }
        let data = source.bytes();
        // A gzip stream cut inside the dump leaves a dump cut there too: scan it as partial
        // whenever the gzip damage was accepted.
        // The scan reads a header per record, but the kernel maps whole page-cache folios
        // (2 MiB on recent kernels) around each one: drop them as the scan moves on, so that
        // indexing a large dump does not map all of it. The passes fault in what they read.
        let mut release = |start: u64, end: u64| source.release(start as usize, end as usize);
        let index = DumpIndex::scan_releasing(data, opts.partial, &mut release)
            .map_err(AnalyzeError::damaged)?;
        // Several snapshots in one file: analyse one, never a mix (the last by default).
        let snapshot = pick_snapshot(opts.snapshot, index.snapshots.len())?;
        let pieces = split_heap_releasing(
            data,
            index.snapshot_ranges(snapshot),
            index.header.id_size,
            PIECE_TARGET,
            &mut release,
        );
        source.release(0, data.len());
        let mut dump = Dump {
            source,
            index,
            pieces,
            damage,
            partial: opts.partial,
            snapshot,
            piece_heaps: Vec::new(),
            all_heaps: opts.all_heaps,
            layout: opts.layout,
            redact_names: opts.redact_names,
            mapping: opts.mapping.clone(),
            arrays: crate::base::arrays::Arrays::new(opts.max_memory, opts.temp_dir.clone()),
            folios: AtomicU32::new(0),
            last_folio: AtomicU64::new(u64::MAX),
        };
        if let Some(map) = dump.source.mapping() {
            dump.arrays.watch_dump(&map);
        }
        if let Some(e) = dump.index.damage.take() {
            dump.damage.push(e);
        }
        // Records but no heap (or nothing after the header): the writer was cut off before the
        // heap. That is a damaged dump, not an empty heap.
        let heap_records = dump.index.record_counts[RecordTag::HEAP_DUMP.0 as usize]
            + dump.index.record_counts[RecordTag::HEAP_DUMP_SEGMENT.0 as usize];
        if heap_records == 0 && dump.damage.is_empty() {
            let header = dump.index.header.len as u64;
            let offset = dump.index.valid_up_to;
            let e = ParseError::NoHeapDump {
                offset,
                ends: if offset <= header {
                    "after the header"
                } else {
                    "after its last record"
                },
            };
            if !opts.partial {
                return Err(AnalyzeError::damaged(e));
            }
            dump.damage.push(e);
        }
        dump.damage.append(&mut dump.index.later_damage);
        Ok(dump)
    }

    /// Drops the dump's resident pages of every page-cache folio that the bytes
    /// `start..end` lie in. Reading a record maps the whole folio around it (up to
    /// [`FOLIO`]), and releasing only the pages wholly inside the record, as
    /// [`DumpSource::release`] does, leaves the rest mapped: the few-KiB stretches that
    /// `query::objects::locate` walks mapped up to 2 MiB each and kept them, hundreds of MiB
    /// over a run (BENCHMARKS.md, 2026-12-02). A page another thread is reading is faulted
    /// back in from the page cache: the bytes never change.
    pub fn release_around(&self, start: u64, end: u64) {
        let lo = start / FOLIO * FOLIO;
        let hi = end.max(start + 1).div_ceil(FOLIO).saturating_mul(FOLIO);
        self.source.release(lo as usize, hi as usize);
    }

    /// Notes a read of the single object at `offset`. A read maps the whole folio around it:
    /// after reads in `FOLIOS_PER_RELEASE` (32) folios, all the dump's resident pages are dropped.
    /// Dropping the folio after each read, as [`Dump::release_around`] does for a pass, faulted
    /// it in again for every neighbouring object read next (a collection's entries, allocated
    /// together, read in dump order).
    pub fn release_after_read(&self, offset: u64) {
        let folio = offset / FOLIO;
        if self.last_folio.swap(folio, Ordering::Relaxed) == folio {
            return;
        }
        let n = self.folios.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
        if n.is_multiple_of(FOLIOS_PER_RELEASE) {
            self.source.release(0, self.source.bytes().len());
        }
    }

    /// The uncompressed bytes.
    pub fn data(&self) -> &[u8] {
        self.source.bytes()
    }

    /// The identifier size.
    pub fn id_size(&self) -> u8 {
        self.index.header.id_size
    }

    /// Whether no damage was found.
    pub fn is_complete(&self) -> bool {
        self.damage.is_empty()
    }

    /// Records damage found while walking the heap: an error without `--partial`.
    pub fn note_damage(&mut self, e: ParseError) -> Result<(), AnalyzeError> {
        if !self.partial {
            return Err(AnalyzeError::damaged(e));
        }
        self.damage.push(e);
        Ok(())
    }

    /// The damage as one warning line each, in file order, then which snapshot was analysed
    /// when the file holds several.
    pub fn warnings(&self) -> Vec<String> {
        let mut d: Vec<&ParseError> = self.damage.iter().collect();
        d.sort_by_key(|e| e.offset().unwrap_or(u64::MAX));
        let mut w: Vec<String> = d.iter().map(|e| format!("damaged: {e}")).collect();
        if let Some(line) = self.snapshot_line() {
            w.push(line);
        }
        w
    }

    /// `snapshot 2 of 2 analysed ...` when the file holds several heap snapshots.
    pub fn snapshot_line(&self) -> Option<String> {
        let n = self.index.snapshots.len();
        (n > 1).then(|| {
            let s = &self.index.snapshots[self.snapshot];
            format!(
                "the file holds {n} heap snapshots; snapshot {} of {n} (at offset {}) was analysed, the others are not counted (--snapshot N to choose)",
                self.snapshot + 1,
                s.start
            )
        })
    }

    /// The `dump` object of the reports.
    pub fn meta(&self) -> DumpMeta {
        let mut path = self.source.path().display().to_string();
        if self.index.snapshots.len() > 1 {
            // Which snapshot of the file: `dump.hprof#2`, as `growth` accepts it.
            path = format!("{path}#{}", self.snapshot + 1);
        }
        DumpMeta {
            path,
            bytes: self.source.file_len(),
            gzip: self.source.compression() == Compression::Gzip,
            uncompressed_bytes: self.data().len() as u64,
            format: self.index.header.version.as_str().to_string(),
            id_size: self.index.header.id_size,
            timestamp_ms: self.index.header.timestamp_ms,
            complete: self.is_complete(),
        }
    }
}
