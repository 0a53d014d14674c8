//! The parser against synthetic dumps from the writer: every record and sub-record kind
//! decodes to what was written, every kind of damage gives its own error with the right
//! offset, and split heap ranges walk to the same sub-records as whole ones.

use crate::common::{full_dump, many_subrecords, oid, walk_range, Event, FullDump, Recorder};
use hprof_parser::heap::walk_heap;
use hprof_parser::split::split_heap;
use hprof_parser::writer::{ClassDef, HprofWriter, Value};
use hprof_parser::{
    BasicType, DumpIndex, HeapRange, ParseError, RecordTag, RootKind, SubTag, Version,
};

fn strict_err(data: &[u8]) -> ParseError {
    match DumpIndex::scan(data, false) {
        Ok(_) => panic!("strict scan accepted a damaged dump"),
        Err(e) => e,
    }
}

fn partial(data: &[u8]) -> DumpIndex {
    DumpIndex::scan(data, true).expect("partial scan keeps what precedes the damage")
}

/// Walks every heap range of `idx`, expecting no damage.
fn walk_all(data: &[u8], idx: &DumpIndex) -> Vec<Vec<Event>> {
    idx.heap_ranges
        .iter()
        .map(|r| {
            let (events, res) = walk_range(data, r, idx.header.id_size);
            res.unwrap_or_else(|e| panic!("walking {r:?}: {e}"));
            events
        })
        .collect()
}

fn expected_counts(d: &FullDump) -> Vec<(RecordTag, u64)> {
    let (dump, segments, end) = if d.segmented { (0, 3, 1) } else { (1, 0, 0) };
    vec![
        (RecordTag::UTF8, d.strings.len() as u64),
        (RecordTag::LOAD_CLASS, 3),
        (RecordTag::UNLOAD_CLASS, 1),
        (RecordTag::FRAME, 2),
        (RecordTag::TRACE, 2),
        (RecordTag::ALLOC_SITES, 1),
        (RecordTag::HEAP_SUMMARY, 1),
        (RecordTag::START_THREAD, 1),
        (RecordTag::END_THREAD, 1),
        (RecordTag::HEAP_DUMP, dump),
        (RecordTag::CPU_SAMPLES, 1),
        (RecordTag::CONTROL_SETTINGS, 1),
        (RecordTag::HEAP_DUMP_SEGMENT, segments),
        (RecordTag::HEAP_DUMP_END, end),
    ]
}

fn check_full_dump(d: &FullDump) {
    let data = &d.bytes[..];
    let ids = d.id_size;
    for partial in [false, true] {
        let idx = DumpIndex::scan(data, partial).unwrap();
        let what = format!(
            "id size {ids}, segmented {}, partial {partial}",
            d.segmented
        );
        assert_eq!(
            idx.header.version,
            if d.segmented {
                Version::V1_0_2
            } else {
                Version::V1_0_1
            },
            "{what}"
        );
        assert_eq!(idx.header.id_size, ids);
        assert_eq!(idx.header.timestamp_ms, 1_712_345_678_901);
        assert_eq!(idx.header.len, 31);
        assert!(idx.damage.is_none(), "{what}: {:?}", idx.damage);
        assert!(idx.is_complete());
        assert_eq!(idx.valid_up_to, data.len() as u64);
        assert_eq!(idx.heap_dump_end, d.segmented);

        // Record counts, tag by tag; every other tag is zero.
        let mut counts = vec![0u64; 256];
        for (tag, n) in expected_counts(d) {
            counts[tag.0 as usize] = n;
        }
        assert_eq!(idx.record_counts, counts, "{what}");

        // Strings, including an empty one and non-ASCII text.
        assert_eq!(idx.string_count(), d.strings.len());
        for (id, text) in &d.strings {
            assert_eq!(idx.string(data, *id), Some(&text[..]), "string {id}");
        }
        assert_eq!(idx.string(data, 0xDEAD), None);
        assert_eq!(idx.string(data, 0), None);

        assert_eq!(idx.load_classes, d.load_classes);
        assert_eq!(idx.frames, d.frames);
        assert_eq!(idx.traces, d.traces);
        for &f in &idx.frames {
            assert_eq!(data[f as usize], RecordTag::FRAME.0);
        }
        for &t in &idx.traces {
            assert_eq!(data[t as usize], RecordTag::TRACE.0);
        }

        // Heap ranges: each the body of a HEAP_DUMP(_SEGMENT) record.
        assert_eq!(idx.heap_ranges.len(), d.ranges.len(), "{what}");
        let heap_tag = if d.segmented {
            RecordTag::HEAP_DUMP_SEGMENT
        } else {
            RecordTag::HEAP_DUMP
        };
        for r in &idx.heap_ranges {
            assert!(!r.truncated);
            let head = r.start as usize - 9;
            assert_eq!(data[head], heap_tag.0);
            let len = u32::from_be_bytes(data[head + 5..head + 9].try_into().unwrap());
            assert_eq!(len as u64, r.end - r.start);
        }
        assert_eq!(
            idx.heap_bytes(),
            idx.heap_ranges.iter().map(|r| r.end - r.start).sum::<u64>()
        );

        let walked = walk_all(data, &idx);
        for (i, (got, want)) in walked.iter().zip(&d.ranges).enumerate() {
            assert_eq!(got.len(), want.len(), "{what}: range {i}");
            for (g, w) in got.iter().zip(want) {
                assert_eq!(g, w, "{what}: range {i}");
            }
        }
    }
}

#[test]
fn every_record_and_sub_record_round_trips() {
    for ids in [4, 8] {
        for segmented in [true, false] {
            let d = full_dump(ids, segmented);
            // The dump really holds every kind.
            let all: Vec<&Event> = d.ranges.iter().flatten().collect();
            for kind in RootKind::ALL {
                assert!(all
                    .iter()
                    .any(|e| matches!(e, Event::Root(r) if r.kind == kind)));
            }
            for ty in crate::common::PRIMITIVE_TYPES {
                assert!(all.iter().any(
                    |e| matches!(e, Event::PrimArray { elem, data: Some(d), .. } if *elem == ty && !d.is_empty())
                ));
                assert!(all.iter().any(
                    |e| matches!(e, Event::PrimArray { elem, data: None, .. } if *elem == ty)
                ));
            }
            check_full_dump(&d);
        }
    }
}

#[test]
fn id_sizes_change_the_layout() {
    // The same content is bigger with 8-byte ids, and ids above 2^32 survive.
    let four = full_dump(4, true);
    let eight = full_dump(8, true);
    assert!(eight.bytes.len() > four.bytes.len());
    let idx = DumpIndex::scan(&eight.bytes, false).unwrap();
    assert!(idx
        .load_classes
        .iter()
        .all(|l| l.class_id > u32::MAX as u64));
}

#[test]
fn class_dump_entries_decode_every_type() {
    for ids in [4, 8] {
        let d = full_dump(ids, true);
        let thing = d
            .ranges
            .iter()
            .flatten()
            .find_map(|e| match e {
                Event::Class { def, .. } if def.fields.len() == 9 => Some(def.clone()),
                _ => None,
            })
            .unwrap();
        let idx = DumpIndex::scan(&d.bytes, false).unwrap();
        let walked = walk_all(&d.bytes, &idx);
        let got = walked
            .iter()
            .flatten()
            .find_map(|e| match e {
                Event::Class { def, .. } if def.id == thing.id => Some(def.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(got, thing);
        assert_eq!(got.constants.len(), 9);
        assert_eq!(got.statics.len(), 9);
        let types: Vec<BasicType> = got.statics.iter().map(|(_, v)| v.ty()).collect();
        assert_eq!(types, crate::common::ALL_TYPES);
        assert_eq!(
            got.instance_size,
            crate::common::ALL_TYPES
                .iter()
                .map(|t| t.size_in_dump(ids) as u32)
                .sum::<u32>()
        );
    }
}

// ---------------------------------------------------------------------------------------
// Header damage.

#[test]
fn empty_input_is_empty() {
    for partial in [false, true] {
        let e = DumpIndex::scan(&[], partial).unwrap_err();
        assert!(matches!(e, ParseError::Empty), "{e}");
        assert_eq!(e.offset(), Some(0));
        assert!(!e.is_salvageable());
    }
}

#[test]
fn other_file_types_are_not_hprof() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0";
    let zip = b"PK\x03\x04\x14\0\0\0\x08\0\0\0!\0heap.hprof....................................................";
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
    for data in [
        &png[..],
        &zip[..],
        &elf[..],
        b"java profile 1.0.2\0",
        b"JAVA PROFILE 2",
    ] {
        for partial in [false, true] {
            let e = DumpIndex::scan(data, partial).unwrap_err();
            assert!(matches!(e, ParseError::NotHprof { .. }), "{e}");
            assert_eq!(e.offset(), Some(0));
            assert!(!e.is_salvageable());
        }
    }
    // A prefix of the magic is a cut-off header, not another file type.
    for data in [&b"J"[..], b"JAVA", b"JAVA PROFILE 1.0."] {
        let e = strict_err(data);
        assert!(
            matches!(
                e,
                ParseError::Truncated {
                    record: "header",
                    offset: 0,
                    ..
                }
            ),
            "{e}"
        );
    }
    let ParseError::NotHprof { found } = strict_err(png) else {
        unreachable!()
    };
    assert!(found.contains("PNG"), "{found}");
    let text = strict_err(zip).to_string();
    assert!(text.starts_with("not an HPROF heap dump"), "{text}");
    assert!(text.contains("PK"), "{text}");
}

#[test]
fn header_only_is_an_empty_valid_dump() {
    for ids in [4, 8] {
        for version in ["JAVA PROFILE 1.0.1", "JAVA PROFILE 1.0.2"] {
            let data = HprofWriter::with_header(version, ids, 42).finish();
            assert_eq!(data.len(), 31);
            for partial in [false, true] {
                let idx = DumpIndex::scan(&data, partial).unwrap();
                assert_eq!(idx.header.id_size, ids);
                assert_eq!(idx.header.timestamp_ms, 42);
                assert!(idx.record_counts.iter().all(|&n| n == 0));
                assert!(idx.heap_ranges.is_empty());
                assert!(idx.load_classes.is_empty());
                assert_eq!(idx.string_count(), 0);
                assert!(!idx.heap_dump_end);
                assert!(idx.damage.is_none());
                assert_eq!(idx.valid_up_to, 31);
            }
        }
    }
}

#[test]
fn bad_id_size_names_its_offset() {
    for size in [0u8, 1, 2, 3, 5, 7, 16, 255] {
        for version in ["JAVA PROFILE 1.0.1", "JAVA PROFILE 1.0.2"] {
            let mut w = HprofWriter::with_header(version, size, 0);
            w.utf8(1, "x");
            let data = w.finish();
            for partial in [false, true] {
                let e = DumpIndex::scan(&data, partial).unwrap_err();
                assert!(
                    matches!(e, ParseError::BadIdSize { size: s, offset: 19 } if s == size as u32),
                    "{e}"
                );
                assert_eq!(e.offset(), Some(19));
            }
        }
    }
}

#[test]
fn unsupported_version_is_named() {
    // 1.0.3 is Android's and is accepted (analyzer/tests/formats.rs).
    for v in [
        "JAVA PROFILE 1.0.4",
        "JAVA PROFILE 1.0.",
        "JAVA PROFILE 1.0.10",
    ] {
        let data = HprofWriter::with_header(v, 8, 0).finish();
        let e = strict_err(&data);
        assert!(
            matches!(&e, ParseError::UnsupportedVersion { version } if version == v),
            "{v}: {e}"
        );
    }
}

#[test]
fn cut_header_is_truncated() {
    let data = HprofWriter::new(8).finish();
    for cut in 17..data.len() {
        let e = strict_err(&data[..cut]);
        assert!(
            matches!(
                e,
                ParseError::Truncated {
                    record: "header",
                    offset: 0,
                    ..
                }
            ),
            "cut {cut}: {e}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Top-level record damage.

#[test]
fn unknown_record_tag() {
    for ids in [4, 8] {
        for tag in [0x00u8, 0x08, 0x0F, 0x1B, 0x2D, 0x42, 0xFF] {
            let mut w = HprofWriter::new(ids);
            w.utf8(1, "before");
            let at = w.offset();
            w.record(tag, b"abc").utf8(2, "after");
            let data = w.finish();
            let e = strict_err(&data);
            assert!(
                matches!(e, ParseError::UnknownRecordTag { tag: t, offset } if t == tag && offset == at),
                "{e}"
            );
            assert_eq!(
                e.to_string(),
                format!("unknown record tag 0x{tag:02x} at offset {at}")
            );
            let idx = partial(&data);
            assert!(matches!(
                idx.damage,
                Some(ParseError::UnknownRecordTag { offset, .. }) if offset == at
            ));
            assert_eq!(idx.record_counts[1], 1);
            assert_eq!(idx.valid_up_to, at);
            assert_eq!(idx.string(&data, 1), Some(&b"before"[..]));
            assert_eq!(idx.string(&data, 2), None);
        }
    }
}

/// `count` ROOT_UNKNOWN sub-records.
fn unknown_roots(ids: u8, count: usize) -> Vec<u8> {
    let mut w = HprofWriter::new(ids);
    w.begin_segment();
    for i in 0..count {
        w.root(RootKind::Unknown, oid(ids, i as u64));
    }
    let bytes = w.finish();
    bytes[31 + 9..].to_vec()
}

#[test]
fn segment_length_beyond_eof() {
    for ids in [4, 8] {
        let body = unknown_roots(ids, 20);
        let mut w = HprofWriter::new(ids);
        w.utf8(1, "x");
        let at = w.offset();
        w.record_with_len(RecordTag::HEAP_DUMP_SEGMENT.0, 100_000, &body);
        let data = w.finish();
        let e = strict_err(&data);
        match &e {
            ParseError::LengthBeyondEof {
                record,
                offset,
                declared,
                remaining,
            } => {
                assert_eq!(*record, "HEAP_DUMP_SEGMENT");
                assert_eq!(*offset, at);
                assert_eq!(*declared, 100_000);
                assert_eq!(*remaining, body.len() as u64);
            }
            other => panic!("{other}"),
        }
        assert_eq!(
            e.to_string(),
            format!(
                "record HEAP_DUMP_SEGMENT at offset {at} declares length 100000 but only {} bytes remain",
                body.len()
            )
        );
        assert!(e.is_salvageable());

        // Partial: the intact part of the segment is kept, and it walks.
        let idx = partial(&data);
        assert!(matches!(
            idx.damage,
            Some(ParseError::LengthBeyondEof { .. })
        ));
        assert_eq!(
            idx.heap_ranges,
            vec![HeapRange {
                start: at + 9,
                end: data.len() as u64,
                truncated: true
            }]
        );
        assert_eq!(idx.valid_up_to, at);
        let (events, res) = walk_range(&data, &idx.heap_ranges[0], ids);
        res.unwrap();
        assert_eq!(events.len(), 20);
    }
}

#[test]
fn other_record_length_beyond_eof_keeps_no_heap() {
    let mut w = HprofWriter::new(4);
    w.utf8(1, "x");
    let at = w.offset();
    w.record_with_len(RecordTag::UTF8.0, 0xFFFF_FFF0, &[0, 0, 0, 2, b'y']);
    let data = w.finish();
    let e = strict_err(&data);
    assert!(
        matches!(
            e,
            ParseError::LengthBeyondEof { record: "UTF8", offset, declared: 0xFFFF_FFF0, remaining: 5 }
                if offset == at
        ),
        "{e}"
    );
    assert!(e.to_string().starts_with("record UTF8 at offset"));
    let idx = partial(&data);
    assert!(idx.heap_ranges.is_empty());
    assert_eq!(idx.string_count(), 1);
}

#[test]
fn truncated_record_header() {
    for ids in [4, 8] {
        for extra in 1..9usize {
            let mut w = HprofWriter::new(ids);
            w.utf8(1, "x");
            let at = w.offset();
            let mut data = w.finish();
            data.extend(std::iter::repeat_n(RecordTag::UTF8.0, extra));
            let e = strict_err(&data);
            assert!(
                matches!(
                    e,
                    ParseError::Truncated { record: "record header", offset, needed: 9, remaining }
                        if offset == at && remaining == extra as u64
                ),
                "{e}"
            );
            let idx = partial(&data);
            assert!(matches!(idx.damage, Some(ParseError::Truncated { .. })));
            assert_eq!(idx.valid_up_to, at);
            assert_eq!(idx.string_count(), 1);
        }
    }
}

#[test]
fn records_too_short_for_their_fields() {
    for ids in [4u8, 8] {
        // UTF8 without a whole id; LOAD_CLASS without its name id.
        let cases: [(u8, usize, usize); 2] = [
            (RecordTag::UTF8.0, ids as usize - 1, ids as usize),
            (
                RecordTag::LOAD_CLASS.0,
                8 + ids as usize,
                8 + 2 * ids as usize,
            ),
        ];
        for (tag, len, needed) in cases {
            let mut w = HprofWriter::new(ids);
            let at = w.offset();
            w.record(tag, &vec![1; len]);
            let data = w.finish();
            let e = strict_err(&data);
            assert!(
                matches!(
                    e,
                    ParseError::Truncated { offset, needed: n, remaining: r, .. }
                        if offset == at && n == needed as u64 && r == len as u64
                ),
                "{e}"
            );
            assert!(partial(&data).damage.is_some());
        }
    }
}

#[test]
fn missing_heap_dump_end() {
    for ids in [4, 8] {
        let mut w = HprofWriter::new(ids);
        w.utf8(1, "x")
            .begin_segment()
            .root(RootKind::StickyClass, oid(ids, 1))
            .begin_segment()
            .unreachable(oid(ids, 2))
            .end_segment();
        let data = w.finish();
        let e = strict_err(&data);
        assert!(
            matches!(e, ParseError::MissingHeapDumpEnd { offset } if offset == data.len() as u64),
            "{e}"
        );
        assert_eq!(e.offset(), Some(data.len() as u64));
        let idx = partial(&data);
        assert!(matches!(
            idx.damage,
            Some(ParseError::MissingHeapDumpEnd { .. })
        ));
        assert!(!idx.is_complete());
        assert!(!idx.heap_dump_end);
        assert_eq!(idx.heap_ranges.len(), 2);
        assert!(idx.heap_ranges.iter().all(|r| !r.truncated));
        let walked = walk_all(&data, &idx);
        assert_eq!(walked.iter().map(Vec::len).sum::<usize>(), 2);

        // The same with an end is fine; a single HEAP_DUMP never needs one.
        w.heap_dump_end();
        assert!(DumpIndex::scan(&w.finish(), false).unwrap().heap_dump_end);
        let mut w = HprofWriter::with_header("JAVA PROFILE 1.0.1", ids, 0);
        w.begin_heap_dump().root(RootKind::StickyClass, 1);
        let idx = DumpIndex::scan(&w.finish(), false).unwrap();
        assert!(!idx.heap_dump_end);
        assert!(idx.damage.is_none());
    }
}

/// Where each expected event ends: the next one's offset, or the range's end.
fn event_ends(events: &[Event], range_end: u64) -> Vec<u64> {
    events
        .iter()
        .skip(1)
        .map(Event::offset)
        .chain([range_end])
        .collect()
}

#[test]
fn dump_cut_inside_a_heap_record() {
    for ids in [4, 8] {
        for segmented in [true, false] {
            let d = full_dump(ids, segmented);
            let idx = DumpIndex::scan(&d.bytes, false).unwrap();
            // The last heap range, whatever comes after it is cut off too.
            let r = *idx.heap_ranges.last().unwrap();
            let want = d.ranges.last().unwrap();
            let ends = event_ends(want, r.end);
            let record = if segmented {
                "HEAP_DUMP_SEGMENT"
            } else {
                "HEAP_DUMP"
            };
            let n_before = idx.heap_ranges.len() - 1;
            for cut in r.start - 8..r.end {
                let data = &d.bytes[..cut as usize];
                let e = strict_err(data);
                if cut < r.start {
                    assert!(
                        matches!(e, ParseError::Truncated { record: "record header", offset, .. } if offset == r.start - 9),
                        "cut {cut}: {e}"
                    );
                    continue;
                }
                match &e {
                    ParseError::LengthBeyondEof {
                        record: rec,
                        offset,
                        declared,
                        remaining,
                    } => {
                        assert_eq!(*rec, record);
                        assert_eq!(*offset, r.start - 9);
                        assert_eq!(*declared, r.end - r.start);
                        assert_eq!(*remaining, cut - r.start);
                    }
                    other => panic!("cut {cut}: {other}"),
                }
                let p = partial(data);
                assert!(matches!(p.damage, Some(ParseError::LengthBeyondEof { .. })));
                if cut == r.start {
                    // Nothing of the record's body is there.
                    assert_eq!(p.heap_ranges.len(), n_before);
                    continue;
                }
                assert_eq!(p.heap_ranges.len(), n_before + 1);
                let last = *p.heap_ranges.last().unwrap();
                assert_eq!(
                    last,
                    HeapRange {
                        start: r.start,
                        end: cut,
                        truncated: true
                    }
                );
                let (events, res) = walk_range(data, &last, ids);
                let complete = ends.iter().filter(|&&end| end <= cut).count();
                assert_eq!(events.len(), complete, "cut {cut}");
                assert_eq!(&events[..], &want[..complete]);
                if complete > 0 && ends[complete - 1] == cut {
                    res.unwrap();
                } else {
                    let e = res.unwrap_err();
                    assert_eq!(e.offset(), Some(want[complete].offset()), "cut {cut}: {e}");
                    assert!(
                        matches!(
                            e,
                            ParseError::Truncated { .. } | ParseError::LengthBeyondEof { .. }
                        ),
                        "cut {cut}: {e}"
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Sub-record damage (found by walk_heap).

/// A one-segment dump built by `f`, scanned and with its single range walked.
fn walk_one(
    ids: u8,
    f: impl FnOnce(&mut HprofWriter),
) -> (Vec<u8>, Vec<Event>, hprof_parser::Result<()>) {
    let mut w = HprofWriter::new(ids);
    w.begin_segment();
    f(&mut w);
    w.heap_dump_end();
    let data = w.finish();
    let idx = DumpIndex::scan(&data, false).unwrap();
    assert_eq!(idx.heap_ranges.len(), 1);
    let (events, res) = walk_range(&data, &idx.heap_ranges[0], ids);
    (data, events, res)
}

#[test]
fn unknown_sub_record_tag() {
    for ids in [4, 8] {
        for tag in [0x00u8, 0x09, 0x24, 0x80, 0x91, 0xC2, 0xC4, 0xFD] {
            let mut at = 0;
            let (_, events, res) = walk_one(ids, |w| {
                w.root(RootKind::JniGlobal, 1)
                    .class_dump(&ClassDef::new(2, 0));
                at = w.offset();
                w.sub_raw(&[tag, 1, 2, 3, 4, 5, 6, 7, 8])
                    .root(RootKind::Unknown, 3);
            });
            assert_eq!(events.len(), 2);
            let e = res.unwrap_err();
            assert!(
                matches!(e, ParseError::UnknownSubTag { tag: t, offset } if t == tag && offset == at),
                "{e}"
            );
            assert_eq!(
                e.to_string(),
                format!("unknown heap sub-record tag 0x{tag:02x} at offset {at}")
            );
        }
    }
}

fn patch(data: &mut [u8], at: u64, bytes: &[u8]) {
    data[at as usize..at as usize + bytes.len()].copy_from_slice(bytes);
}

/// Rewalks the single heap range of `data`.
fn rewalk(data: &[u8], ids: u8) -> (Vec<Event>, hprof_parser::Result<()>) {
    let idx = DumpIndex::scan(data, false).unwrap();
    walk_range(data, &idx.heap_ranges[0], ids)
}

#[test]
fn bad_type_code_in_class_dump() {
    for ids in [4u8, 8] {
        let i = ids as u64;
        let head = 1 + 7 * i + 8;
        let mut constant = ClassDef::new(10, 0);
        constant.constants = vec![(1, Value::Long(5))];
        let mut statik = ClassDef::new(11, 0);
        statik.statics = vec![(1, Value::Object(5))];
        let field = ClassDef::new(12, 0).with_fields(ids, vec![(1, BasicType::Int)]);
        // Where each table's (only) type code sits, from the sub-record's start.
        let cases = [
            (constant, head + 2 + 2),
            (statik, head + 2 + 2 + i),
            (field, head + 2 + 2 + 2 + i),
        ];
        for (def, code_at) in cases {
            for code in [0u8, 1, 3, 12, 0x20, 0xFF] {
                let mut at = 0;
                let (mut data, events, res) = walk_one(ids, |w| {
                    w.root(RootKind::Unknown, 1);
                    at = w.offset();
                    w.class_dump(&def).root(RootKind::Unknown, 2);
                });
                res.unwrap();
                assert_eq!(events.len(), 3);
                patch(&mut data, at + code_at, &[code]);
                let (events, res) = rewalk(&data, ids);
                assert_eq!(events.len(), 1);
                let e = res.unwrap_err();
                assert!(
                    matches!(e, ParseError::BadTypeCode { record: SubTag::CLASS_DUMP, offset, code: c } if offset == at && c == code),
                    "{e}"
                );
                assert_eq!(
                    e.to_string(),
                    format!("CLASS_DUMP at offset {at} has invalid type code {code}")
                );
            }
        }
    }
}

#[test]
fn bad_type_code_in_primitive_arrays() {
    for ids in [4u8, 8] {
        // Undefined codes, and OBJECT, which a primitive array cannot hold.
        for code in [0u8, 1, 2, 3, 12, 0xFF] {
            let mut at = 0;
            let (_, events, res) = walk_one(ids, |w| {
                w.unreachable(1);
                at = w.offset();
                w.primitive_array_code(2, code, 2, &[0; 16]);
            });
            assert_eq!(events.len(), 1);
            let e = res.unwrap_err();
            assert!(
                matches!(e, ParseError::BadTypeCode { record: SubTag::PRIM_ARRAY_DUMP, offset, code: c } if offset == at && c == code),
                "{e}"
            );

            let (mut data, _, res) = walk_one(ids, |w| {
                at = w.offset();
                w.primitive_array_nodata(2, BasicType::Int, 9);
            });
            res.unwrap();
            patch(&mut data, at + 1 + ids as u64 + 8, &[code]);
            let (events, res) = rewalk(&data, ids);
            assert!(events.is_empty());
            let e = res.unwrap_err();
            assert!(
                matches!(e, ParseError::BadTypeCode { record: SubTag::PRIM_ARRAY_NODATA, offset, code: c } if offset == at && c == code),
                "{e}"
            );
        }
    }
}

#[test]
fn instance_field_length_past_the_segment() {
    for ids in [4u8, 8] {
        let i = ids as u64;
        for declared in [5u32, 6, 1000, 0x7FFF_FFFF, 0xFFFF_FFF0, u32::MAX] {
            let mut at = 0;
            let (mut data, _, res) = walk_one(ids, |w| {
                w.root(RootKind::MonitorUsed, 1);
                at = w.offset();
                w.instance_raw(2, 3, &[1, 2, 3, 4]);
            });
            res.unwrap();
            patch(&mut data, at + 1 + 2 * i + 4, &declared.to_be_bytes());
            let (events, res) = rewalk(&data, ids);
            assert_eq!(events.len(), 1);
            let e = res.unwrap_err();
            assert!(
                matches!(
                    e,
                    ParseError::LengthBeyondEof { record: "INSTANCE_DUMP", offset, declared: d, remaining: 4 }
                        if offset == at && d == declared as u64
                ),
                "{e}"
            );
            assert_eq!(
                e.to_string(),
                format!(
                    "sub-record INSTANCE_DUMP at offset {at} declares length {declared} but only 4 bytes remain"
                )
            );
        }
    }
}

#[test]
fn array_lengths_past_the_segment() {
    for ids in [4u8, 8] {
        let i = ids as u64;
        let mut at = 0;
        let (mut data, _, res) = walk_one(ids, |w| {
            at = w.offset();
            w.object_array(1, 2, &[3, 4]);
        });
        res.unwrap();
        patch(&mut data, at + 1 + i + 4, &u32::MAX.to_be_bytes());
        let e = rewalk(&data, ids).1.unwrap_err();
        assert!(
            matches!(e, ParseError::LengthBeyondEof { record: "OBJ_ARRAY_DUMP", offset, declared, remaining }
                if offset == at && declared == u32::MAX as u64 * i && remaining == 2 * i),
            "{e}"
        );

        let (mut data, _, res) = walk_one(ids, |w| {
            at = w.offset();
            w.primitive_array_values(1, BasicType::Long, &[Value::Long(1)]);
        });
        res.unwrap();
        patch(&mut data, at + 1 + i + 4, &0xFFFF_FFF0u32.to_be_bytes());
        let e = rewalk(&data, ids).1.unwrap_err();
        assert!(
            matches!(e, ParseError::LengthBeyondEof { record: "PRIM_ARRAY_DUMP", offset, declared, remaining: 8 }
                if offset == at && declared == 0xFFFF_FFF0u64 * 8),
            "{e}"
        );

        // A class dump whose statics count runs past the segment.
        let mut def = ClassDef::new(1, 0);
        def.statics = vec![(1, Value::Int(1))];
        let (mut data, _, res) = walk_one(ids, |w| {
            at = w.offset();
            w.class_dump(&def);
        });
        res.unwrap();
        patch(&mut data, at + 1 + 7 * i + 8 + 2, &[0xFF, 0xFF]);
        let e = rewalk(&data, ids).1.unwrap_err();
        assert!(
            matches!(e, ParseError::Truncated { record: "CLASS_DUMP", offset, .. } if offset == at),
            "{e}"
        );
    }
}

#[test]
fn every_sub_record_cut_short_is_truncated() {
    // A sub-record whose fixed part runs past the end of the range.
    for ids in [4u8, 8] {
        let (data, events) = many_subrecords(ids, 16);
        let idx = DumpIndex::scan(&data, false).unwrap();
        let r = idx.heap_ranges[0];
        let ends = event_ends(&events, r.end);
        for (k, ev) in events.iter().enumerate() {
            for cut in ev.offset() + 1..ends[k] {
                let mut rec = Recorder::new(ids);
                let res = walk_heap(
                    &data[r.start as usize..cut as usize],
                    r.start,
                    ids,
                    &mut rec,
                );
                assert_eq!(rec.events, events[..k]);
                let e = res.unwrap_err();
                assert_eq!(e.offset(), Some(ev.offset()), "{e}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Splitting.

fn check_pieces(data: &[u8], ranges: &[HeapRange], ids: u8, target: u64, want: &[Event]) {
    let pieces = split_heap(data, ranges, ids, target);
    let offsets: std::collections::HashSet<u64> = want.iter().map(Event::offset).collect();
    // Pieces cover every range exactly, in order.
    let mut p = pieces.iter().peekable();
    for r in ranges {
        let mut at = r.start;
        while at < r.end {
            let piece = p.next().expect("a piece");
            assert_eq!(piece.start, at, "target {target}");
            assert!(piece.end > piece.start && piece.end <= r.end);
            assert!(
                offsets.contains(&piece.start),
                "piece starts inside a sub-record"
            );
            if piece.end < r.end {
                assert!(piece.end - piece.start >= target.max(1), "target {target}");
            }
            at = piece.end;
        }
        if r.end - r.start > 2 * target.max(1) {
            assert!(pieces.len() > 1);
        }
    }
    assert!(p.next().is_none());
    // Walking the pieces visits the same sub-records as walking the ranges.
    let mut rec = Recorder::new(ids);
    for piece in &pieces {
        walk_heap(
            &data[piece.start as usize..piece.end as usize],
            piece.start,
            ids,
            &mut rec,
        )
        .unwrap();
    }
    assert_eq!(rec.events, want, "target {target}");
}

#[test]
fn split_single_heap_dump_on_sub_record_boundaries() {
    for ids in [4u8, 8] {
        let (data, events) = many_subrecords(ids, 3000);
        let idx = DumpIndex::scan(&data, false).unwrap();
        assert_eq!(idx.heap_ranges.len(), 1);
        assert_eq!(idx.record_counts[RecordTag::HEAP_DUMP.0 as usize], 1);
        let (walked, res) = walk_range(&data, &idx.heap_ranges[0], ids);
        res.unwrap();
        assert_eq!(walked, events);
        for target in [0, 1, 7, 64, 100, 1000, 4096, 30_000, 1 << 20] {
            check_pieces(&data, &idx.heap_ranges, ids, target, &events);
        }
        let pieces = split_heap(&data, &idx.heap_ranges, ids, 4096);
        assert!(pieces.len() > 10, "{}", pieces.len());
        assert_eq!(split_heap(&data, &idx.heap_ranges, ids, 1 << 30).len(), 1);
        // A target too large to double means "do not split".
        assert_eq!(split_heap(&data, &idx.heap_ranges, ids, u64::MAX).len(), 1);
        assert_eq!(
            split_heap(&data, &idx.heap_ranges, ids, u64::MAX / 2 + 1).len(),
            1
        );
    }
}

#[test]
fn split_several_segments() {
    for ids in [4u8, 8] {
        let d = full_dump(ids, true);
        let idx = DumpIndex::scan(&d.bytes, false).unwrap();
        let want: Vec<Event> = d.ranges.iter().flatten().cloned().collect();
        for target in [1, 16, 50, 200, 1 << 20] {
            check_pieces(&d.bytes, &idx.heap_ranges, ids, target, &want);
        }
        assert_eq!(
            split_heap(&d.bytes, &idx.heap_ranges, ids, 1 << 20).len(),
            3
        );
    }
}

#[test]
fn split_damaged_range_ends_with_the_damage() {
    for ids in [4u8, 8] {
        let (data, events) = many_subrecords(ids, 500);
        let idx = DumpIndex::scan(&data, false).unwrap();
        let r = idx.heap_ranges[0];
        let ends = event_ends(&events, r.end);
        // Cut inside the 400th sub-record.
        let cut = events[400].offset() + 3;
        let data = &data[..cut as usize];
        let p = partial(data);
        let range = *p.heap_ranges.last().unwrap();
        assert!(range.truncated);
        assert_eq!(range.end, cut);
        for target in [64, 1000] {
            let pieces = split_heap(data, &p.heap_ranges, ids, target);
            assert_eq!(pieces.first().unwrap().start, range.start);
            assert_eq!(pieces.last().unwrap().end, cut);
            let mut rec = Recorder::new(ids);
            let mut errors = Vec::new();
            for (k, piece) in pieces.iter().enumerate() {
                if let Err(e) = walk_heap(
                    &data[piece.start as usize..piece.end as usize],
                    piece.start,
                    ids,
                    &mut rec,
                ) {
                    errors.push((k, e));
                }
            }
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].0, pieces.len() - 1);
            assert_eq!(errors[0].1.offset(), Some(events[400].offset()));
            assert_eq!(rec.events, events[..400]);
            assert!(ends[399] <= cut);
        }
    }
}

/// Five segments of `per` ROOT_UNKNOWN sub-records each, then HEAP_DUMP_END; returns the
/// bytes and each segment's offset.
fn five_segments(ids: u8, per: usize) -> (Vec<u8>, Vec<u64>) {
    let mut w = HprofWriter::new(ids);
    w.utf8(1, "x");
    let mut at = Vec::new();
    for s in 0..5 {
        w.end_segment();
        at.push(w.offset());
        w.begin_segment();
        for i in 0..per {
            w.root(RootKind::Unknown, oid(ids, (s * per + i) as u64));
        }
    }
    w.end_segment();
    w.heap_dump_end();
    (w.finish(), at)
}

/// Sub-records found walking every heap range (damage in a range ends its walk).
fn roots_walked(data: &[u8], idx: &DumpIndex) -> usize {
    idx.heap_ranges
        .iter()
        .map(|r| walk_range(data, r, idx.header.id_size).0.len())
        .sum()
}

#[test]
fn partial_scan_resumes_at_the_next_segment_after_a_damaged_header() {
    for ids in [4, 8] {
        let (clean, at) = five_segments(ids, 100);
        assert_eq!(roots_walked(&clean, &partial(&clean)), 500);

        // A damaged tag byte: the segment is lost, the three after it are read.
        let mut data = clean.clone();
        data[at[1] as usize] = 0x77;
        assert!(
            matches!(strict_err(&data), ParseError::UnknownRecordTag { offset, .. } if offset == at[1])
        );
        let idx = partial(&data);
        assert!(
            matches!(idx.damage, Some(ParseError::UnknownRecordTag { offset, .. }) if offset == at[1])
        );
        assert_eq!(idx.later_damage.len(), 1);
        assert!(matches!(
            idx.later_damage[0],
            ParseError::Skipped { offset, resumed_at } if offset == at[1] && resumed_at == at[2]
        ));
        assert!(!idx.is_complete());
        assert!(idx.heap_dump_end);
        assert_eq!(idx.heap_ranges.len(), 4);
        assert_eq!(roots_walked(&data, &idx), 400);
        assert!(idx.later_damage[0].to_string().contains(&format!(
            "resumed at the heap dump segment at offset {}",
            at[2]
        )));

        // A length beyond the end of the file: the segment's own bytes are still walked (up to
        // where reading resumes), so nothing is lost.
        let mut data = clean.clone();
        data[at[1] as usize + 5..at[1] as usize + 9].copy_from_slice(&u32::MAX.to_be_bytes());
        let idx = partial(&data);
        assert!(
            matches!(idx.damage, Some(ParseError::LengthBeyondEof { offset, .. }) if offset == at[1])
        );
        assert_eq!(
            idx.heap_ranges[1],
            HeapRange {
                start: at[1] + 9,
                end: at[2],
                truncated: true
            }
        );
        assert_eq!(idx.heap_ranges.len(), 5);
        assert_eq!(roots_walked(&data, &idx), 500);

        // A length too short: the segment is cut (its walk ends in damage), the misread
        // record after it is skipped, and reading resumes at the next segment.
        let mut data = clean.clone();
        let short = (at[2] - at[1] - 9) as u32 / 2;
        data[at[1] as usize + 5..at[1] as usize + 9].copy_from_slice(&short.to_be_bytes());
        let idx = partial(&data);
        assert!(matches!(
            idx.later_damage.last(),
            Some(ParseError::Skipped { resumed_at, .. }) if *resumed_at == at[2]
        ));
        assert_eq!(idx.heap_ranges.len(), 5);
        let walked = roots_walked(&data, &idx);
        assert!((400..500).contains(&walked), "{walked}");
    }
}

#[test]
fn no_resumption_without_an_intact_segment_after_the_damage() {
    let (clean, at) = five_segments(8, 50);
    // Damage in the last segment: nothing to resume at but HEAP_DUMP_END, which is read.
    let mut data = clean.clone();
    data[at[4] as usize] = 0x77;
    let idx = partial(&data);
    assert!(idx.heap_dump_end);
    assert_eq!(roots_walked(&data, &idx), 200);
    // Cut inside the last segment: no record follows, so nothing resumes.
    let cut = &clean[..at[4] as usize + 100];
    let idx = partial(cut);
    assert!(idx.later_damage.is_empty());
    assert!(matches!(
        idx.damage,
        Some(ParseError::LengthBeyondEof { .. })
    ));
}
