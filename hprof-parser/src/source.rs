//! Opening a dump: a plain file is memory-mapped; a gzip-compressed one (recognised by its
//! magic bytes, whatever its name) is decompressed once, streaming, into an anonymous
//! temporary file that is then mapped. Nothing is ever written next to the dump.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use memmap2::{Mmap, UncheckedAdvice};

use crate::error::{ParseError, Result};

/// Where the bytes of an opened dump come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// The file is the dump.
    None,
    /// The file is a gzip stream (one or more members) of the dump.
    Gzip,
}

/// An opened dump: its uncompressed bytes, mapped read-only (or held in memory).
pub struct DumpSource {
    path: PathBuf,
    map: Option<std::sync::Arc<Mmap>>,
    owned: Vec<u8>,
    file_len: u64,
    compression: Compression,
    damage: Option<ParseError>,
}

/// Options for [`DumpSource::open`].
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// Directory for the decompressed copy of a gzip dump (default: the system's temp dir).
    /// The file is created unlinked, so it disappears when the program exits.
    pub temp_dir: Option<PathBuf>,
    /// Largest decompressed size accepted for a gzip dump, in bytes (`None`: no limit).
    /// Checked up front against the gzip trailer's size and again while inflating.
    pub max_uncompressed: Option<u64>,
    /// Free bytes in a directory (a `statvfs` in the CLI; this crate stays portable). When
    /// given, the decompressed size is compared with the temp directory's free space up front
    /// and every [`SPACE_CHECK_EVERY`] bytes while inflating, so a gzip bomb stops with
    /// [`ParseError::TempDirFull`] instead of filling the disk.
    pub free_space: Option<fn(&Path) -> Option<u64>>,
}

/// Bytes inflated between two checks of the temp directory's free space.
pub const SPACE_CHECK_EVERY: u64 = 64 << 20;

/// Free bytes left in the temp directory below which inflating stops.
pub const SPACE_RESERVE: u64 = 64 << 20;

/// The uncompressed size the gzip trailers promise at least: the last member's ISIZE (its
/// size modulo 2^32; a multi-member file holds at least that much more). 0 when unknown.
fn gzip_size_hint(file: &mut File, file_len: u64) -> u64 {
    use io::Seek;
    if file_len < 18 {
        return 0;
    }
    let mut t = [0u8; 4];
    let ok =
        file.seek(io::SeekFrom::Start(file_len - 4)).is_ok() && file.read_exact(&mut t).is_ok();
    // Deflate cannot expand more than about 1032:1; a larger "size" is not a trailer (a cut
    // file ends in the middle of a member) and promises nothing.
    let size = u32::from_le_bytes(t) as u64;
    if ok && size <= file_len.saturating_mul(1032) {
        size
    } else {
        0
    }
}

/// Counts the compressed bytes the decoder has consumed, to name where a gzip stream broke.
struct CountingReader<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

fn io_err(path: &Path, source: io::Error) -> ParseError {
    ParseError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl DumpSource {
    /// Opens `path`, decompressing it first when it is gzip.
    ///
    /// A damaged or truncated gzip stream does not fail the open: the bytes decompressed before
    /// the damage are kept and [`DumpSource::damage`] names the problem, so that callers can
    /// refuse the dump or analyse what precedes the damage (`--partial`).
    ///
    /// Anything but a regular file (a FIFO, a character or block device, a directory, a
    /// socket) is refused with [`ParseError::NotRegularFile`] before it is opened: opening a
    /// FIFO without a writer would block for ever, and `/dev/zero` would never end.
    pub fn open(path: &Path, opts: &OpenOptions) -> Result<DumpSource> {
        // stat, not open: open() on a FIFO blocks until a writer appears.
        let meta = std::fs::metadata(path).map_err(|e| io_err(path, e))?;
        check_regular(path, &meta)?;
        let file = File::open(path).map_err(|e| io_err(path, e))?;
        // The path may have been replaced between the stat and the open: check what was opened.
        let meta = file.metadata().map_err(|e| io_err(path, e))?;
        check_regular(path, &meta)?;
        let file_len = meta.len();
        let mut magic = [0u8; 2];
        let n = (&file)
            .take(2)
            .read(&mut magic)
            .map_err(|e| io_err(path, e))?;
        if n == 2 && magic == [0x1f, 0x8b] {
            return Self::open_gzip(path, file, file_len, opts);
        }
        let map = map_file(&file, file_len).map_err(|e| io_err(path, e))?;
        Ok(DumpSource {
            path: path.to_path_buf(),
            map,
            owned: Vec::new(),
            file_len,
            compression: Compression::None,
            damage: None,
        })
    }

    /// A dump held in memory (for tests and tools); `label` stands in for the path.
    pub fn from_vec(label: &Path, bytes: Vec<u8>) -> DumpSource {
        DumpSource {
            path: label.to_path_buf(),
            map: None,
            file_len: bytes.len() as u64,
            owned: bytes,
            compression: Compression::None,
            damage: None,
        }
    }

    fn open_gzip(path: &Path, file: File, file_len: u64, opts: &OpenOptions) -> Result<DumpSource> {
        let temp_dir = opts.temp_dir.clone().unwrap_or_else(std::env::temp_dir);
        let file = {
            let mut f = file;
            let hint = gzip_size_hint(&mut f, file_len);
            check_budget(path, &temp_dir, opts, hint, 0)?;
            io::Seek::seek(&mut f, io::SeekFrom::Start(0)).map_err(|e| io_err(path, e))?;
            f
        };
        let mut out = tempfile::tempfile_in(&temp_dir).map_err(|e| io_err(&temp_dir, e))?;
        let mut next_space_check = SPACE_CHECK_EVERY;
        let counting = CountingReader {
            inner: io::BufReader::with_capacity(1 << 20, file),
            count: 0,
        };
        let mut decoder = flate2::read::MultiGzDecoder::new(counting);
        let mut buf = vec![0u8; 1 << 20];
        let mut written: u64 = 0;
        let mut damage = None;
        let mut writer = io::BufWriter::with_capacity(1 << 20, &mut out);
        loop {
            match decoder.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if written == 0 {
                        starts_as_hprof(&buf[..n])?;
                    }
                    within_limit(path, opts, written + n as u64)?;
                    if written + n as u64 >= next_space_check {
                        writer
                            .flush()
                            .map_err(|e| space_err(&temp_dir, written, e))?;
                        check_budget(path, &temp_dir, opts, SPACE_CHECK_EVERY, written)?;
                        next_space_check = written + SPACE_CHECK_EVERY;
                    }
                    writer
                        .write_all(&buf[..n])
                        .map_err(|e| space_err(&temp_dir, written, e))?;
                    written += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let message = if e.kind() == io::ErrorKind::UnexpectedEof {
                        "the gzip member is truncated".to_string()
                    } else {
                        e.to_string()
                    };
                    damage = Some(ParseError::Gzip {
                        compressed_offset: decoder.get_ref().count,
                        uncompressed: written,
                        message,
                    });
                    break;
                }
            }
        }
        writer
            .flush()
            .map_err(|e| space_err(&temp_dir, written, e))?;
        drop(writer);
        let map = map_file(&out, written).map_err(|e| io_err(&temp_dir, e))?;
        Ok(DumpSource {
            path: path.to_path_buf(),
            map,
            owned: Vec::new(),
            file_len,
            compression: Compression::Gzip,
            damage,
        })
    }

    /// The dump's (uncompressed) bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.map {
            Some(m) => &m[..],
            None => &self.owned,
        }
    }

    /// The read-only mapping of the dump (of the file, or of the decompressed copy), when it
    /// is mapped: for a caller that releases its resident pages when memory is short (as
    /// [`DumpSource::release`] does), also from another thread while the source is in use.
    pub fn mapping(&self) -> Option<std::sync::Arc<Mmap>> {
        self.map.clone()
    }

    /// The path the dump was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Size of the file on disk.
    pub fn file_len(&self) -> u64 {
        self.file_len
    }

    /// Whether the file was compressed.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Damage found while decompressing, if any.
    pub fn damage(&self) -> Option<&ParseError> {
        self.damage.as_ref()
    }

    /// Takes the decompression damage out of the source.
    pub fn take_damage(&mut self) -> Option<ParseError> {
        self.damage.take()
    }

    /// Tells the kernel that the pages of `range` (byte offsets into [`DumpSource::bytes`])
    /// are no longer needed, so that a scan over a large dump does not keep it all resident.
    /// Later reads of the range still see the same bytes: the kernel reads them again.
    pub fn release(&self, start: usize, end: usize) {
        let Some(map) = &self.map else { return };
        const PAGE: usize = 4096;
        let start = start.div_ceil(PAGE) * PAGE;
        let end = (end.min(map.len()) / PAGE) * PAGE;
        if end <= start {
            return;
        }
        // SAFETY: the mapping is a read-only file mapping (of the dump, or of our own unlinked
        // temporary file, which nothing else writes). MADV_DONTNEED on such a mapping drops the
        // resident pages; any later access, including through slices still borrowed by other
        // threads, faults the same file contents back in, so no borrowed data changes. The
        // advice is a hint: an error leaves the mapping as it was, so it is ignored.
        unsafe {
            let _ = map.unchecked_advise_range(UncheckedAdvice::DontNeed, start, end - start);
        }
    }
}

/// Refuses to inflate `more` bytes (beyond `written`) when that passes the limit or the temp
/// directory's free space (less [`SPACE_RESERVE`]).
fn check_budget(
    path: &Path,
    temp_dir: &Path,
    opts: &OpenOptions,
    more: u64,
    written: u64,
) -> Result<()> {
    let need = written.saturating_add(more);
    if let Some(limit) = opts.max_uncompressed {
        if need > limit {
            return Err(ParseError::UncompressedTooLarge {
                path: path.to_path_buf(),
                limit,
                at_least: need,
            });
        }
    }
    if let Some(free) = opts.free_space.and_then(|f| f(temp_dir)) {
        if more.saturating_add(SPACE_RESERVE) > free {
            return Err(ParseError::TempDirFull {
                dir: temp_dir.to_path_buf(),
                free,
                needed: need,
                written,
            });
        }
    }
    Ok(())
}

/// A failed write of the decompressed copy: a full disk is [`ParseError::TempDirFull`], not
/// damage.
fn space_err(temp_dir: &Path, written: u64, e: io::Error) -> ParseError {
    if e.kind() == io::ErrorKind::StorageFull || e.raw_os_error() == Some(28) {
        ParseError::TempDirFull {
            dir: temp_dir.to_path_buf(),
            free: 0,
            needed: written,
            written,
        }
    } else {
        io_err(temp_dir, e)
    }
}

/// What kind of file `meta` describes, when it is not a regular file.
pub fn non_regular_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

fn check_regular(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    match non_regular_kind(meta) {
        None => Ok(()),
        Some(kind) => Err(ParseError::NotRegularFile {
            path: path.to_path_buf(),
            kind,
        }),
    }
}

/// Maps `len` bytes of `file` read-only; `None` for an empty file (which cannot be mapped).
fn map_file(file: &File, len: u64) -> io::Result<Option<std::sync::Arc<Mmap>>> {
    if len == 0 {
        return Ok(None);
    }
    // SAFETY: the mapping is read-only. If another process truncates the file while it is
    // mapped, reading the lost pages raises SIGBUS; that risk comes with every mapped-file
    // reader and is documented in the README. Nothing in this program writes to the file.
    let map = unsafe { memmap2::MmapOptions::new().len(len as usize).map(file)? };
    Ok(Some(std::sync::Arc::new(map)))
}

/// Refuses inflated bytes that do not start as HPROF: a gzip file of something else (a gzip
/// bomb of zeros) is refused from its first bytes, not after inflating all of it.
fn starts_as_hprof(first: &[u8]) -> Result<()> {
    let k = first.len().min(crate::header::MAGIC.len());
    if first[..k] != crate::header::MAGIC[..k] {
        return Err(ParseError::NotHprof {
            found: crate::header::prefix_text(first),
        });
    }
    Ok(())
}

/// Refuses to inflate past `--max-uncompressed`.
fn within_limit(path: &Path, opts: &OpenOptions, at_least: u64) -> Result<()> {
    match opts.max_uncompressed {
        Some(limit) if at_least > limit => Err(ParseError::UncompressedTooLarge {
            path: path.to_path_buf(),
            limit,
            at_least,
        }),
        _ => Ok(()),
    }
}
