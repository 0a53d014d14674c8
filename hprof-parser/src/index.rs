//! One sequential pass over the top-level records: the header, the strings, the loaded
//! classes, the stack frames and traces, and where the heap dump bytes are. Heap dump bodies
//! are not read here; [`crate::heap::walk_heap`] does that, in parallel, later.

use crate::error::{ParseError, Result};
use crate::header::{parse_header, Header};
use crate::reader::{read_id, read_u32};
use crate::records::{resync_point, Record, Records};
use crate::tag::RecordTag;

/// How many bytes a sequential reader reads between two calls of its `release` callback
/// ([`DumpIndex::scan_releasing`], [`crate::split::split_heap_releasing`]).
pub const RELEASE_WINDOW: u64 = 32 << 20;

/// A LOAD_CLASS record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadClass {
    /// The class serial number.
    pub serial: u32,
    /// The class object's id.
    pub class_id: u64,
    /// The stack trace serial number.
    pub stack_serial: u32,
    /// The UTF8 string id of the class's name (JVM internal form, `java/lang/String`).
    pub name_id: u64,
}

/// A run of heap dump bytes: the body of a HEAP_DUMP or HEAP_DUMP_SEGMENT record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeapRange {
    /// Absolute offset of the first body byte.
    pub start: u64,
    /// Absolute offset just past the last body byte.
    pub end: u64,
    /// Whether the record was cut off (only with `partial`).
    pub truncated: bool,
}

/// One heap snapshot: a HEAP_DUMP record, or a run of HEAP_DUMP_SEGMENT records closed by
/// HEAP_DUMP_END (or by the end of the file). A file may hold several (the `-agentlib:hprof`
/// agent writes one per dump request); their objects must never be counted together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// Index of its first range in [`DumpIndex::heap_ranges`].
    pub first_range: usize,
    /// Number of its ranges (heap dump records).
    pub ranges: usize,
    /// Absolute offset of its first heap dump record's header.
    pub start: u64,
    /// Absolute offset just past its last heap dump record.
    pub end: u64,
}

/// What the top-level scan found.
#[derive(Debug)]
pub struct DumpIndex {
    /// The header.
    pub header: Header,
    /// Number of records of each tag, indexed by tag byte.
    pub record_counts: Vec<u64>,
    /// Heap dump bodies in file order (of every snapshot).
    pub heap_ranges: Vec<HeapRange>,
    /// The heap snapshots in file order (usually one).
    pub snapshots: Vec<Snapshot>,
    /// Whether a snapshot of segments is open (no HEAP_DUMP_END yet).
    open_snapshot: bool,
    /// LOAD_CLASS records in file order (a class id may appear more than once).
    pub load_classes: Vec<LoadClass>,
    /// UTF8 records sorted by id: (id, absolute offset of the text, its length).
    strings: Vec<(u64, u64, u32)>,
    /// Absolute offsets of FRAME records.
    pub frames: Vec<u64>,
    /// Absolute offsets of TRACE records.
    pub traces: Vec<u64>,
    /// Whether a HEAP_DUMP_END record closed the segments.
    pub heap_dump_end: bool,
    /// Where the records end: the file size if intact.
    pub valid_up_to: u64,
    /// The damage that stopped the scan (only with `partial`; otherwise it is returned as
    /// the error).
    pub damage: Option<ParseError>,
    /// With `partial`, when reading resumed past damage: a [`ParseError::Skipped`] for each
    /// resumption, and any damage found after it, in file order.
    pub later_damage: Vec<ParseError>,
}

impl DumpIndex {
    /// Scans `data`, a whole uncompressed dump.
    ///
    /// With `partial = false` the first damage is returned as the error. With
    /// `partial = true` the scan keeps what precedes the damage (including the intact part of
    /// a cut-off heap dump record) and records the damage in [`DumpIndex::damage`]; only an
    /// unreadable header is still an error.
    pub fn scan(data: &[u8], partial: bool) -> Result<DumpIndex> {
        Self::scan_releasing(data, partial, &mut |_, _| {})
    }

    /// [`DumpIndex::scan`] that hands each byte range it has finished reading, in windows
    /// of [`RELEASE_WINDOW`] bytes, to `release(start, end)`. A caller reading through a
    /// memory map drops those pages there: the scan reads one header per record, but the
    /// kernel maps whole (large) page-cache folios around each header, and a scan of a
    /// multi-gigabyte dump would otherwise leave most of it resident.
    pub fn scan_releasing(
        data: &[u8],
        partial: bool,
        release: &mut dyn FnMut(u64, u64),
    ) -> Result<DumpIndex> {
        let header = parse_header(data)?;
        let id_size = header.id_size;
        let mut idx = DumpIndex {
            header,
            record_counts: vec![0; 256],
            heap_ranges: Vec::new(),
            snapshots: Vec::new(),
            open_snapshot: false,
            load_classes: Vec::new(),
            strings: Vec::new(),
            frames: Vec::new(),
            traces: Vec::new(),
            heap_dump_end: false,
            valid_up_to: header.len as u64,
            damage: None,
            later_damage: Vec::new(),
        };
        let mut records = Records::new(data, header.len);
        let mut saw_segments = false;
        let mut released_to = 0u64;
        while let Some(rec) = records.next() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    if !partial {
                        return Err(e);
                    }
                    // Resume at the next intact heap dump segment, if there is one.
                    let at = e.offset().unwrap_or(records.valid_up_to());
                    let resume = resync_point(data, at);
                    idx.salvage_cut_heap_record(data, &e, resume);
                    idx.note_damage(e);
                    let Some(resumed_at) = resume else { break };
                    idx.later_damage.push(ParseError::Skipped {
                        offset: at,
                        resumed_at,
                    });
                    records = Records::new(data, resumed_at as usize);
                    continue;
                }
            };
            if rec.offset - released_to >= RELEASE_WINDOW {
                release(released_to, rec.offset);
                released_to = rec.offset;
            }
            idx.record_counts[rec.tag.0 as usize] += 1;
            if let Err(e) = idx.add(&rec, id_size) {
                if !partial {
                    return Err(e);
                }
                idx.note_damage(e);
                break;
            }
            if rec.tag == RecordTag::HEAP_DUMP_SEGMENT {
                saw_segments = true;
            }
        }
        idx.valid_up_to = records.valid_up_to();
        release(released_to, data.len() as u64);
        if saw_segments && !idx.heap_dump_end && idx.damage.is_none() {
            let e = ParseError::MissingHeapDumpEnd {
                offset: idx.valid_up_to,
            };
            if !partial {
                return Err(e);
            }
            idx.damage = Some(e);
        }
        idx.strings.sort_unstable_by_key(|s| s.0);
        Ok(idx)
    }

    /// Keeps the first damage in `damage`, and any later one in `later_damage`.
    fn note_damage(&mut self, e: ParseError) {
        if self.damage.is_none() {
            self.damage = Some(e);
        } else {
            self.later_damage.push(e);
        }
    }

    /// When a heap dump record's declared length runs past the end of the file (or past the
    /// point where reading resumes, `resume`), its intact part is still worth walking.
    fn salvage_cut_heap_record(&mut self, data: &[u8], e: &ParseError, resume: Option<u64>) {
        if let ParseError::LengthBeyondEof { record, offset, .. } = e {
            if *record == "HEAP_DUMP_SEGMENT" || *record == "HEAP_DUMP" {
                let start = offset + Record::HEADER_LEN;
                let end = resume.unwrap_or(data.len() as u64);
                if start < end {
                    let tag = if *record == "HEAP_DUMP" {
                        RecordTag::HEAP_DUMP
                    } else {
                        RecordTag::HEAP_DUMP_SEGMENT
                    };
                    self.record_counts[tag.0 as usize] += 1;
                    self.push_range(
                        tag,
                        HeapRange {
                            start,
                            end,
                            truncated: true,
                        },
                    );
                }
            }
        }
    }

    fn add(&mut self, rec: &Record<'_>, id_size: u8) -> Result<()> {
        let ids = id_size as usize;
        let body_offset = rec.body_offset();
        let short = |needed: usize| ParseError::Truncated {
            record: rec.tag.name().unwrap_or("record"),
            offset: rec.offset,
            needed: needed as u64,
            remaining: rec.body.len() as u64,
        };
        match rec.tag {
            RecordTag::UTF8 => {
                if rec.body.len() < ids {
                    return Err(short(ids));
                }
                let id = read_id(rec.body, id_size);
                self.strings
                    .push((id, body_offset + ids as u64, (rec.body.len() - ids) as u32));
            }
            RecordTag::LOAD_CLASS => {
                let need = 8 + 2 * ids;
                if rec.body.len() < need {
                    return Err(short(need));
                }
                let b = rec.body;
                self.load_classes.push(LoadClass {
                    serial: read_u32(b),
                    class_id: read_id(&b[4..], id_size),
                    stack_serial: read_u32(&b[4 + ids..]),
                    name_id: read_id(&b[8 + ids..], id_size),
                });
            }
            RecordTag::FRAME => self.frames.push(rec.offset),
            RecordTag::TRACE => self.traces.push(rec.offset),
            RecordTag::HEAP_DUMP | RecordTag::HEAP_DUMP_SEGMENT => {
                self.push_range(
                    rec.tag,
                    HeapRange {
                        start: body_offset,
                        end: body_offset + rec.body.len() as u64,
                        truncated: false,
                    },
                );
            }
            RecordTag::HEAP_DUMP_END => {
                self.heap_dump_end = true;
                self.open_snapshot = false;
            }
            _ => {}
        }
        Ok(())
    }

    /// Adds a heap dump body to the snapshot it belongs to: a HEAP_DUMP record is a snapshot
    /// of its own; segments join the open snapshot until HEAP_DUMP_END closes it.
    fn push_range(&mut self, tag: RecordTag, r: HeapRange) {
        let i = self.heap_ranges.len();
        self.heap_ranges.push(r);
        let header = r.start - Record::HEADER_LEN;
        let joins = tag == RecordTag::HEAP_DUMP_SEGMENT && self.open_snapshot;
        match self.snapshots.last_mut() {
            Some(s) if joins => {
                s.ranges += 1;
                s.end = r.end;
            }
            _ => self.snapshots.push(Snapshot {
                first_range: i,
                ranges: 1,
                start: header,
                end: r.end,
            }),
        }
        self.open_snapshot = tag == RecordTag::HEAP_DUMP_SEGMENT;
    }

    /// The heap dump bodies of snapshot `n` (0-based; all of them if there is no such
    /// snapshot, which only happens for a file without heap records).
    pub fn snapshot_ranges(&self, n: usize) -> &[HeapRange] {
        match self.snapshots.get(n) {
            Some(s) => &self.heap_ranges[s.first_range..s.first_range + s.ranges],
            None => &self.heap_ranges,
        }
    }

    /// The text of the UTF8 record with this id, if there is one.
    pub fn string<'d>(&self, data: &'d [u8], id: u64) -> Option<&'d [u8]> {
        let i = self.strings.binary_search_by_key(&id, |s| s.0).ok()?;
        let (_, off, len) = self.strings[i];
        data.get(off as usize..off as usize + len as usize)
    }

    /// Number of UTF8 records.
    pub fn string_count(&self) -> usize {
        self.strings.len()
    }

    /// The largest UTF8 string id (`None` when the dump has no strings): ids above it name no
    /// string of the dump.
    pub fn max_string_id(&self) -> Option<u64> {
        self.strings.last().map(|s| s.0)
    }

    /// Total bytes of heap dump bodies.
    pub fn heap_bytes(&self) -> u64 {
        self.heap_ranges.iter().map(|r| r.end - r.start).sum()
    }

    /// Whether nothing was found damaged.
    pub fn is_complete(&self) -> bool {
        self.damage.is_none() && self.later_damage.is_empty()
    }
}
