//! Damaged input never panics: thousands of random mutations of synthetic dumps (bit flips,
//! huge length fields, cuts, random byte runs) are scanned strictly and partially, and every
//! heap range is walked (whole and split) with a visitor that reads every decoded field.
//! Every error must point at an offset inside the data.

use crate::common::{full_dump, many_subrecords, Recorder, TouchAll};
use hprof_parser::heap::walk_heap;
use hprof_parser::records::Records;
use hprof_parser::split::split_heap;
use hprof_parser::{DumpIndex, ParseError};
use proptest::prelude::*;

/// xorshift64*: a small deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn byte(&mut self) -> u8 {
        self.next() as u8
    }
}

fn check_error(e: &ParseError, data: &[u8], what: &str) {
    let o = e
        .offset()
        .unwrap_or_else(|| panic!("{what}: error without an offset: {e}"));
    assert!(
        o <= data.len() as u64,
        "{what}: offset {o} past {}: {e}",
        data.len()
    );
    assert!(!e.to_string().is_empty());
}

/// A short name of an error's variant, for coverage counts.
fn kind(e: &ParseError) -> String {
    let dbg = format!("{e:?}");
    dbg.split([' ', '{', '('])
        .next()
        .unwrap_or_default()
        .to_string()
}

thread_local! {
    /// How often each outcome was seen: `scan:<variant>` and `walk:<variant>`.
    static SEEN: std::cell::RefCell<std::collections::BTreeMap<String, u64>> =
        Default::default();
}

fn seen(what: String) {
    SEEN.with(|s| *s.borrow_mut().entry(what).or_default() += 1);
}

fn walk_checked(data: &[u8], start: u64, end: u64, ids: u8, what: &str) -> u64 {
    let mut v = TouchAll {
        id_size: ids,
        ..TouchAll::default()
    };
    if let Err(e) = walk_heap(&data[start as usize..end as usize], start, ids, &mut v) {
        seen(format!("walk:{}", kind(&e)));
        check_error(&e, data, what);
        let o = e.offset().unwrap();
        assert!(
            start <= o && o <= end,
            "{what}: walk error at {o} outside {start}..{end}: {e}"
        );
    }
    v.count ^ v.sum
}

fn check_index(data: &[u8], idx: &DumpIndex, what: &str) {
    let len = data.len() as u64;
    let ids = idx.header.id_size;
    assert!(ids == 4 || ids == 8);
    assert!(idx.valid_up_to <= len, "{what}");
    for r in &idx.heap_ranges {
        assert!(r.start <= r.end && r.end <= len, "{what}: {r:?}");
        walk_checked(data, r.start, r.end, ids, what);
    }
    for target in [1, 97] {
        let pieces = split_heap(data, &idx.heap_ranges, ids, target);
        for p in &pieces {
            assert!(p.start < p.end && p.end <= len, "{what}: {p:?}");
            walk_checked(data, p.start, p.end, ids, what);
        }
    }
    for l in &idx.load_classes {
        let _ = idx.string(data, l.name_id);
    }
    for id in 0..40 {
        if let Some(s) = idx.string(data, id) {
            assert!(s.len() <= data.len());
        }
    }
    let _ = idx.heap_bytes();
}

/// Scans `data` strictly and partially and walks whatever was found.
fn check(data: &[u8], what: &str) {
    let strict = DumpIndex::scan(data, false);
    let partial = DumpIndex::scan(data, true);
    seen(match &strict {
        Ok(_) => "scan:Ok".to_string(),
        Err(e) => format!("scan:{}", kind(e)),
    });
    match (&strict, &partial) {
        (Ok(s), Ok(p)) => {
            assert!(s.damage.is_none() && p.damage.is_none(), "{what}");
            assert_eq!(s.heap_ranges, p.heap_ranges, "{what}");
            check_index(data, s, what);
        }
        (Err(e), Ok(p)) => {
            check_error(e, data, what);
            assert!(e.is_salvageable(), "{what}: {e}");
            let d = p.damage.as_ref().expect("partial scan records the damage");
            assert_eq!(d.to_string(), e.to_string(), "{what}");
            check_error(d, data, what);
            check_index(data, p, what);
        }
        (Err(e), Err(f)) => {
            check_error(e, data, what);
            check_error(f, data, what);
            assert!(!f.is_salvageable(), "{what}: partial scan failed on {f}");
            assert_eq!(e.to_string(), f.to_string());
        }
        (Ok(_), Err(f)) => panic!("{what}: only the partial scan failed: {f}"),
    }
}

/// Offsets worth aiming at: record length fields and sub-record starts.
struct Targets {
    record_heads: Vec<usize>,
    sub_starts: Vec<usize>,
}

fn targets(data: &[u8]) -> Targets {
    let idx = DumpIndex::scan(data, false).unwrap();
    let record_heads = Records::new(data, idx.header.len)
        .map(|r| r.unwrap().offset as usize)
        .collect();
    let mut sub_starts = Vec::new();
    for r in &idx.heap_ranges {
        let mut rec = Recorder::new(idx.header.id_size);
        walk_heap(
            &data[r.start as usize..r.end as usize],
            r.start,
            idx.header.id_size,
            &mut rec,
        )
        .unwrap();
        sub_starts.extend(rec.events.iter().map(|e| e.offset() as usize));
    }
    Targets {
        record_heads,
        sub_starts,
    }
}

const HUGE: [u32; 8] = [
    0xFFFF_FFF0,
    0xFFFF_FFFF,
    0x8000_0000,
    0x7FFF_FFFF,
    0x0100_0000,
    0xFFFF,
    1,
    0,
];

fn put_u32(data: &mut [u8], at: usize, v: u32) {
    for (i, b) in v.to_be_bytes().into_iter().enumerate() {
        if let Some(slot) = data.get_mut(at + i) {
            *slot = b;
        }
    }
}

fn mutate(rng: &mut Rng, base: &[u8], t: &Targets, ids: usize) -> Vec<u8> {
    let mut d = base.to_vec();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        if d.is_empty() {
            break;
        }
        let len = d.len();
        match rng.below(10) {
            // Bit flips anywhere.
            0 => {
                for _ in 0..1 + rng.below(8) {
                    let at = rng.below(len);
                    d[at] ^= 1 << rng.below(8);
                }
            }
            // A huge value in a random u32.
            1 => {
                let at = rng.below(len);
                put_u32(&mut d, at, HUGE[rng.below(HUGE.len())]);
            }
            // A record's length field.
            2 => {
                let head = t.record_heads[rng.below(t.record_heads.len())];
                let v = if rng.below(2) == 0 {
                    HUGE[rng.below(HUGE.len())]
                } else {
                    rng.next() as u32 % 64
                };
                put_u32(&mut d, head + 5, v);
            }
            // A record's tag.
            3 => {
                let head = t.record_heads[rng.below(t.record_heads.len())];
                if head < len {
                    d[head] = rng.byte();
                }
            }
            // A sub-record's tag, or a length / type field just after its ids.
            4 if !t.sub_starts.is_empty() => {
                let s = t.sub_starts[rng.below(t.sub_starts.len())];
                match rng.below(4) {
                    0 if s < len => d[s] = rng.byte(),
                    1 => put_u32(&mut d, s + 1 + ids + 4, HUGE[rng.below(HUGE.len())]),
                    2 => put_u32(&mut d, s + 1 + 2 * ids + 4, HUGE[rng.below(HUGE.len())]),
                    _ => {
                        // Type codes and counts of class dumps and arrays sit here.
                        let at = s + 1 + ids + 8 + rng.below(7 * ids + 12);
                        if at < len {
                            d[at] = if rng.below(2) == 0 { rng.byte() } else { 0xFF };
                        }
                    }
                }
            }
            // A random cut.
            5 => d.truncate(rng.below(len)),
            // A run of random bytes.
            6 => {
                let at = rng.below(len);
                let n = 1 + rng.below(32);
                for b in &mut d[at..(at + n).min(len)] {
                    *b = rng.byte();
                }
            }
            // Random bytes inserted.
            7 => {
                let at = rng.below(len);
                let n = 1 + rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.byte()).collect();
                d.splice(at..at, bytes);
            }
            // A range deleted.
            8 => {
                let at = rng.below(len);
                let n = 1 + rng.below(64);
                d.drain(at..(at + n).min(len));
            }
            // A range duplicated (records or sub-records appear twice, or overlap).
            _ => {
                let at = rng.below(len);
                let n = 1 + rng.below(128);
                let chunk = d[at..(at + n).min(len)].to_vec();
                let to = rng.below(len);
                d.splice(to..to, chunk);
            }
        }
    }
    d
}

#[test]
fn random_mutations_never_panic() {
    let mut bases: Vec<(String, Vec<u8>, u8)> = Vec::new();
    for ids in [4u8, 8] {
        for segmented in [true, false] {
            bases.push((
                format!("full dump, id size {ids}, segmented {segmented}"),
                full_dump(ids, segmented).bytes,
                ids,
            ));
        }
        bases.push((
            format!("many sub-records, id size {ids}"),
            many_subrecords(ids, 120).0,
            ids,
        ));
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut total = 0;
    for (name, base, ids) in &bases {
        check(base, name);
        let t = targets(base);
        for i in 0..4000 {
            let data = mutate(&mut rng, base, &t, *ids as usize);
            check(&data, &format!("{name}, mutation {i}"));
            total += 1;
        }
    }
    assert_eq!(total, 24_000);
    // The mutations reach every kind of damage.
    eprintln!("outcomes: {:?}", SEEN.with(|s| s.borrow().clone()));
    let seen = SEEN.with(|s| s.borrow().clone());
    for want in [
        "scan:Ok",
        "scan:Truncated",
        "scan:LengthBeyondEof",
        "scan:UnknownRecordTag",
        "scan:MissingHeapDumpEnd",
        "scan:BadIdSize",
        "scan:UnsupportedVersion",
        "scan:NotHprof",
        "walk:Truncated",
        "walk:LengthBeyondEof",
        "walk:UnknownSubTag",
        "walk:BadTypeCode",
    ] {
        assert!(
            seen.get(want).copied().unwrap_or(0) > 0,
            "never saw {want}: {seen:?}"
        );
    }
}

#[test]
fn every_prefix_of_a_dump() {
    for ids in [4u8, 8] {
        for segmented in [true, false] {
            let d = full_dump(ids, segmented).bytes;
            for cut in 0..=d.len() {
                check(
                    &d[..cut],
                    &format!("id size {ids}, segmented {segmented}, cut {cut}"),
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Arbitrary bytes after a valid header.
    #[test]
    fn arbitrary_records(ids in prop::sample::select(vec![4u8, 8]), tail in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut data = hprof_parser::writer::HprofWriter::new(ids).finish();
        data.extend_from_slice(&tail);
        check(&data, "arbitrary records");
    }

    /// A segment holding arbitrary sub-record bytes, led by a known tag so that the walker
    /// gets past the first byte more often.
    #[test]
    fn arbitrary_sub_records(
        ids in prop::sample::select(vec![4u8, 8]),
        lead in prop::sample::select(vec![0x01u8, 0x02, 0x03, 0x08, 0x20, 0x21, 0x22, 0x23, 0xC3, 0xFE, 0x90]),
        body in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let mut w = hprof_parser::writer::HprofWriter::new(ids);
        let mut sub = vec![lead];
        sub.extend_from_slice(&body);
        w.begin_segment().sub_raw(&sub).heap_dump_end();
        let data = w.finish();
        check(&data, "arbitrary sub-records");
    }

    /// Arbitrary bytes of any kind, header included.
    #[test]
    fn arbitrary_files(data in prop::collection::vec(any::<u8>(), 0..200)) {
        check(&data, "arbitrary file");
    }
}
