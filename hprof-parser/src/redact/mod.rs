//! A copy of a dump with the contents of primitive arrays replaced by filler of the same
//! length, streaming over the records.
//!
//! The text of `java.lang.String`s lives in `char[]` (old JDKs) or `byte[]` (compact strings)
//! arrays, so replacing primitive array contents removes the strings' text, along with every
//! other array payload (keys, buffers, tokens). Two fillers ([`Filler`]):
//!
//! - [`Filler::Keyed`] (what `hprofscan redact` writes by default): a keyed, format-preserving
//!   permutation of each array's contents ([`keyed`]). Equal contents get equal filler and
//!   distinct contents distinct filler, printable ASCII text keeps each character's class
//!   (`user-1042` may become `kbqe-7315`), so every analysis, duplicate strings and arrays
//!   included, finds in the copy what it finds in the original. The copy shows which arrays are
//!   equal; without the key, not what they hold.
//! - [`Filler::Shape`]: arrays of numbers and binary `byte[]` become zeros, arrays holding
//!   printable ASCII text (Latin-1 or UTF-16) keep only the character class of each character
//!   ([`shape_filler`]: `user-1042` becomes `xxax-0000`), and a `char[]` with other characters
//!   becomes `'x'`s. The copy shows less (not even which values are equal), but distinct values
//!   of one shape become equal: duplicate strings and arrays are not those of the original.
//!
//! The UTF8 records given in [`RedactOptions::names`] change too: HotSpot writes its whole
//! symbol table, string literals of the code included, so the strings no record refers to
//! become filler of their shape ([`crate::pseudonym::Pseudonyms::symbols_only`]); with
//! [`crate::pseudonym::Pseudonyms::plan`] the application's class, field and method names also
//! become pseudonyms. Nothing else changes: the header, every other top-level record (the
//! names of classes and fields included, unless pseudonymised), every heap record and
//! sub-record length, every id, reference and instance field, so sizes, counts, references and
//! dominators of the copy are those of the original.
//!
//! The copy is written as the dump is read, record by record; nothing is buffered beyond the
//! writer's own buffer and, for the keyed filler, one array's contents.

use std::io::{self, Write};

use crate::error::ParseError;
use crate::header::parse_header;
use crate::heap::{walk_heap, HeapVisitor, PrimitiveArray};
use crate::pseudonym::Pseudonyms;
use crate::records::Records;
use crate::source::DumpSource;
use crate::tag::{BasicType, RecordTag};

pub mod keyed;

pub use keyed::{ContentKey, KeyedFiller};

/// What array contents are replaced by (see the module documentation).
#[derive(Clone, Debug, Default)]
pub enum Filler {
    /// A keyed permutation of the contents: equal stays equal, distinct stays distinct.
    Keyed(ContentKey),
    /// Zeros, and the character classes of text: distinct values of one shape become equal.
    #[default]
    Shape,
}

impl Filler {
    /// The keyed filler's state, for [`Filler::Keyed`].
    fn keyed(&self) -> Option<KeyedFiller> {
        match self {
            Filler::Keyed(key) => Some(KeyedFiller::new(key.clone())),
            Filler::Shape => None,
        }
    }
}

/// Hands the pages of the dump read so far back to the OS once a window of them has been
/// copied; returns where the released part now ends.
fn release(src: &DumpSource, released_to: u64, end: u64) -> u64 {
    if end - released_to >= crate::index::RELEASE_WINDOW {
        src.release(released_to as usize, end as usize);
        return end;
    }
    released_to
}

/// What [`redact`] keeps.
#[derive(Clone, Debug, Default)]
pub struct RedactOptions {
    /// Element types whose primitive arrays are copied unchanged.
    pub keep: Vec<BasicType>,
    /// The UTF8 strings to rewrite: unreferenced symbols ([`Pseudonyms::symbols_only`]), and
    /// application names too ([`Pseudonyms::plan`]); every string is copied when `None`.
    pub names: Option<Pseudonyms>,
    /// What array contents become ([`Filler::Shape`] unless chosen).
    pub filler: Filler,
}

/// What [`redact`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RedactStats {
    /// Bytes written (the dump's uncompressed length).
    pub bytes: u64,
    /// Primitive arrays whose contents were replaced.
    pub arrays_replaced: u64,
    /// Primitive arrays copied unchanged (their type was kept).
    pub arrays_kept: u64,
    /// Array content bytes replaced.
    pub bytes_replaced: u64,
    /// UTF8 names replaced by pseudonyms.
    pub names_replaced: u64,
    /// UTF8 strings no record refers to, replaced by filler.
    pub symbols_filled: u64,
}

/// Why [`redact`] failed.
#[derive(Debug, thiserror::Error)]
pub enum RedactError {
    /// The dump is damaged or truncated; the error names the offset.
    #[error("{0}")]
    Input(#[from] ParseError),
    /// Writing the copy failed.
    #[error("cannot write the redacted copy: {0}")]
    Output(#[from] io::Error),
}

/// The filler of letters in text, and of each non-ASCII `char[]` element.
pub const FILLER: u8 = b'x';

/// The largest array buffer kept between arrays (the keyed filler's), in bytes.
const KEEP_BUFFER: usize = 16 << 20;

/// Hands the bytes of a heap record to the writer, replacing array contents on the way.
struct Rewriter<'a, 'w> {
    body: &'a [u8],
    base: u64,
    id_size: u8,
    copied_to: usize,
    keep: &'a [BasicType],
    out: &'w mut dyn Write,
    error: Option<io::Error>,
    stats: RedactStats,
    /// The dump, whose pages behind the walk are released (one HEAP_DUMP record may hold the
    /// whole heap).
    src: &'a DumpSource,
    /// Absolute offset up to which pages were released.
    released_to: u64,
    /// The keyed filler, when it is the filler, and its buffer of one array's contents.
    keyed: Option<&'a mut KeyedFiller>,
    buffer: &'a mut Vec<u8>,
}

impl Rewriter<'_, '_> {
    /// Writes the body bytes up to `to` (relative) unchanged.
    fn copy_to(&mut self, to: usize) {
        if self.error.is_none() && to > self.copied_to {
            if let Err(e) = self.out.write_all(&self.body[self.copied_to..to]) {
                self.error = Some(e);
            }
            self.copied_to = to;
        }
    }

    /// Writes the filler for the contents `data` of an array of `elem`.
    fn fill(&mut self, elem: BasicType, data: &[u8]) {
        if let Some(keyed) = self.keyed.as_deref_mut() {
            self.buffer.clear();
            self.buffer.extend_from_slice(data);
            keyed.fill(elem, self.buffer);
            if self.error.is_none() {
                if let Err(e) = self.out.write_all(self.buffer) {
                    self.error = Some(e);
                }
            }
            // One huge array's buffer is not kept for the rest of the dump.
            if self.buffer.capacity() > KEEP_BUFFER {
                *self.buffer = Vec::new();
            }
            return;
        }
        self.fill_shape(elem, data);
    }

    /// Writes the shape filler for the contents `data` of an array of `elem`.
    fn fill_shape(&mut self, elem: BasicType, data: &[u8]) {
        const CHUNK: usize = 8192;
        static ZEROS: [u8; CHUNK] = [0; CHUNK];
        let mut scratch = [0u8; CHUNK];
        let text = match elem {
            BasicType::Byte => text_kind_bytes(data),
            BasicType::Char => Some(text_kind_chars(data)),
            _ => None,
        };
        // CHUNK is even, so char elements stay aligned.
        for part in data.chunks(CHUNK) {
            if self.error.is_some() {
                return;
            }
            let out = &mut scratch[..part.len()];
            let bytes: &[u8] = match text {
                None => &ZEROS[..part.len()],
                Some(Text::Ascii) => {
                    for (o, &b) in out.iter_mut().zip(part) {
                        *o = shape_filler(b);
                    }
                    out
                }
                Some(Text::Flat) => {
                    for (i, o) in out.iter_mut().enumerate() {
                        *o = if i % 2 == 1 { FILLER } else { 0 };
                    }
                    out
                }
            };
            if let Err(e) = self.out.write_all(bytes) {
                self.error = Some(e);
            }
        }
    }
}

/// How the contents of a `byte[]` or `char[]` that holds text are replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Text {
    /// Printable ASCII (with NUL high bytes, for UTF-16): each byte keeps its character class
    /// ([`shape_filler`]).
    Ascii,
    /// A `char[]` with other characters: every element becomes `'x'`.
    Flat,
}

/// Whether a `byte[]` holds text: Latin-1 or UTF-16 (either byte order) made of printable
/// ASCII. Other contents (binary data, non-ASCII text) become zeros.
fn text_kind_bytes(data: &[u8]) -> Option<Text> {
    let printable = |b: u8| (0x20..0x7f).contains(&b);
    if data.iter().all(|&b| printable(b)) {
        return Some(Text::Ascii);
    }
    let utf16 = data.len().is_multiple_of(2)
        && (data.chunks_exact(2).all(|c| printable(c[0]) && c[1] == 0)
            || data.chunks_exact(2).all(|c| c[0] == 0 && printable(c[1])));
    utf16.then_some(Text::Ascii)
}

/// Whether a `char[]` (big-endian UTF-16) holds only printable ASCII.
fn text_kind_chars(data: &[u8]) -> Text {
    if data
        .chunks_exact(2)
        .all(|c| c[0] == 0 && (0x20..0x7f).contains(&c[1]))
    {
        Text::Ascii
    } else {
        Text::Flat
    }
}

/// The filler of one byte of ASCII text: its character class stays, its value goes. Digits
/// become `0`, the hex letters `a`, other letters `x`, the separators `- _ . / :` stay (so the
/// shape of a key, a UUID, a numbered id or a short code, is the same), any other printable
/// character becomes `*` and NUL (the high byte of UTF-16) stays NUL.
pub fn shape_filler(b: u8) -> u8 {
    match b {
        0 => 0,
        b'0'..=b'9' => b'0',
        b'a'..=b'f' | b'A'..=b'F' => b'a',
        b'g'..=b'z' | b'G'..=b'Z' => FILLER,
        b'-' | b'_' | b'.' | b'/' | b':' => b,
        _ => b'*',
    }
}

impl HeapVisitor for Rewriter<'_, '_> {
    fn primitive_array(&mut self, arr: &PrimitiveArray<'_>) {
        let Some(data) = arr.data else { return };
        if self.keep.contains(&arr.elem) {
            self.stats.arrays_kept += 1;
            return;
        }
        // Tag, id, stack serial, length, element type, then the elements.
        let start = (arr.offset - self.base) as usize + 1 + self.id_size as usize + 9;
        self.copy_to(start);
        self.fill(arr.elem, data);
        self.copied_to = start + data.len();
        self.stats.arrays_replaced += 1;
        self.stats.bytes_replaced += data.len() as u64;
        if arr.offset - self.released_to >= crate::index::RELEASE_WINDOW {
            self.src
                .release(self.released_to as usize, arr.offset as usize);
            self.released_to = arr.offset;
        }
    }
}

/// Writes a redacted copy of `src` to `out` (see the module documentation).
///
/// Fails on the first damaged or truncated structure, naming it and its offset, and on
/// damage found while decompressing a gzip dump; `out` then holds an incomplete copy, which
/// the caller must discard. A dump whose heap dump segments are not closed by HEAP_DUMP_END is
/// refused as truncated.
pub fn redact(
    src: &DumpSource,
    out: &mut dyn Write,
    opts: &RedactOptions,
) -> Result<RedactStats, RedactError> {
    if let Some(e) = src.damage() {
        return Err(RedactError::Input(clone_gzip_damage(e)));
    }
    let data = src.bytes();
    let header = parse_header(data)?;
    out.write_all(&data[..header.len])?;
    let mut stats = RedactStats::default();
    let mut keyed = opts.filler.keyed();
    let mut buffer = Vec::new();
    let mut open_segments = false;
    let mut released_to = 0u64;
    // Bytes the pseudonyms add (or remove, when negative) to the copy.
    let mut grown = 0i64;
    let mut records = Records::new(data, header.len);
    for record in records.by_ref() {
        let record = record?;
        let (head_start, ids) = (record.offset as usize, header.id_size);
        let body_start = head_start + 9;
        if let Some(g) = rename_utf8(out, &data[head_start..], &record, ids, opts, &mut stats)? {
            grown += g;
            continue;
        }
        out.write_all(&data[head_start..body_start])?;
        match record.tag {
            RecordTag::HEAP_DUMP | RecordTag::HEAP_DUMP_SEGMENT => {
                open_segments |= record.tag == RecordTag::HEAP_DUMP_SEGMENT;
                let mut w = Rewriter {
                    body: record.body,
                    base: record.body_offset(),
                    id_size: header.id_size,
                    copied_to: 0,
                    keep: &opts.keep,
                    out: &mut *out,
                    error: None,
                    stats,
                    src,
                    released_to,
                    keyed: keyed.as_mut(),
                    buffer: &mut buffer,
                };
                walk_heap(record.body, record.body_offset(), header.id_size, &mut w)?;
                w.copy_to(record.body.len());
                if let Some(e) = w.error {
                    return Err(e.into());
                }
                stats = w.stats;
                released_to = w.released_to;
            }
            RecordTag::HEAP_DUMP_END => {
                open_segments = false;
                out.write_all(record.body)?;
            }
            _ => out.write_all(record.body)?,
        }
        let end = record.body_offset() + record.body.len() as u64;
        released_to = release(src, released_to, end);
    }
    if open_segments {
        return Err(ParseError::MissingHeapDumpEnd {
            offset: records.valid_up_to(),
        }
        .into());
    }
    stats.bytes = (data.len() as i64 + grown) as u64;
    Ok(stats)
}

/// Writes a UTF8 record whose string changes (a pseudonym or filler) with its new length:
/// tag and time (the first 5 bytes of `at`), the new length, the string id, the new string.
/// Returns the bytes the copy grew by, or None when the record is not renamed.
fn rename_utf8(
    out: &mut dyn Write,
    at: &[u8],
    record: &crate::records::Record<'_>,
    id_size: u8,
    opts: &RedactOptions,
    stats: &mut RedactStats,
) -> io::Result<Option<i64>> {
    if record.tag != RecordTag::UTF8 {
        return Ok(None);
    }
    let Some(new) = opts
        .names
        .as_ref()
        .and_then(|n| renamed(n, record, id_size))
    else {
        return Ok(None);
    };
    let ids = id_size as usize;
    out.write_all(&at[..5])?;
    let len = u32::try_from(ids + new.len()).unwrap_or(u32::MAX);
    out.write_all(&len.to_be_bytes())?;
    out.write_all(&record.body[..ids])?;
    out.write_all(&new)?;
    match new {
        std::borrow::Cow::Borrowed(_) => stats.names_replaced += 1,
        std::borrow::Cow::Owned(_) => stats.symbols_filled += 1,
    }
    Ok(Some(new.len() as i64 - (record.body.len() - ids) as i64))
}

/// What a UTF8 record's string becomes ([`Pseudonyms::rewrite`]), if it changes.
fn renamed<'n>(
    names: &'n Pseudonyms,
    record: &crate::records::Record<'_>,
    id_size: u8,
) -> Option<std::borrow::Cow<'n, [u8]>> {
    let ids = id_size as usize;
    if record.body.len() < ids {
        return None;
    }
    names.rewrite(
        crate::reader::read_id(record.body, id_size),
        &record.body[ids..],
    )
}

/// A copy of the decompression damage (the source keeps its own).
fn clone_gzip_damage(e: &ParseError) -> ParseError {
    match e {
        ParseError::Gzip {
            compressed_offset,
            uncompressed,
            message,
        } => ParseError::Gzip {
            compressed_offset: *compressed_offset,
            uncompressed: *uncompressed,
            message: message.clone(),
        },
        other => ParseError::Gzip {
            compressed_offset: other.offset().unwrap_or(0),
            uncompressed: 0,
            message: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_dump(truncate: usize) -> Vec<u8> {
        let mut d = b"JAVA PROFILE 1.0.2\0".to_vec();
        d.extend_from_slice(&4u32.to_be_bytes());
        d.extend_from_slice(&0u64.to_be_bytes());
        // A segment with one byte[3] "abc" and one int[1] 7.
        let mut body = vec![0x23];
        body.extend_from_slice(&1u32.to_be_bytes());
        body.extend_from_slice(&0u32.to_be_bytes());
        body.extend_from_slice(&3u32.to_be_bytes());
        body.push(8);
        body.extend_from_slice(b"abc");
        body.push(0x23);
        body.extend_from_slice(&2u32.to_be_bytes());
        body.extend_from_slice(&0u32.to_be_bytes());
        body.extend_from_slice(&1u32.to_be_bytes());
        body.push(10);
        body.extend_from_slice(&7u32.to_be_bytes());
        d.push(0x1C);
        d.extend_from_slice(&0u32.to_be_bytes());
        d.extend_from_slice(&(body.len() as u32).to_be_bytes());
        d.extend_from_slice(&body);
        d.push(0x2C);
        d.extend_from_slice(&[0; 8]);
        d.truncate(d.len() - truncate);
        d
    }

    #[test]
    fn replaces_array_contents_and_keeps_everything_else() {
        let dump = tiny_dump(0);
        let src = DumpSource::from_vec("t".as_ref(), dump.clone());
        let mut out = Vec::new();
        let stats = redact(&src, &mut out, &RedactOptions::default()).unwrap();
        assert_eq!(out.len(), dump.len());
        assert_eq!(stats.arrays_replaced, 2);
        let mut expected = dump.clone();
        let abc = dump.windows(3).position(|w| w == b"abc").unwrap();
        expected[abc..abc + 3].copy_from_slice(b"aaa");
        let seven = abc + 3 + 14;
        expected[seven..seven + 4].copy_from_slice(&[0; 4]);
        assert_eq!(out, expected);

        let keep = RedactOptions {
            keep: vec![BasicType::Int],
            ..Default::default()
        };
        let mut out = Vec::new();
        redact(&src, &mut out, &keep).unwrap();
        assert_eq!(&out[seven..seven + 4], &7u32.to_be_bytes());
    }

    #[test]
    fn truncated_dumps_fail_with_the_offset() {
        for cut in [1, 9, 12, 20] {
            let src = DumpSource::from_vec("t".as_ref(), tiny_dump(cut));
            let err = redact(&src, &mut Vec::new(), &RedactOptions::default()).unwrap_err();
            let RedactError::Input(e) = &err else {
                panic!("{err}")
            };
            assert!(e.offset().is_some(), "{err}");
            assert!(err.to_string().contains("offset"), "{err}");
        }
    }
}
