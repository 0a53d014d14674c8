//! A structure-aware generator of hostile heap dumps, shared by the fuzz target (`fuzz/`) and
//! the bounded stable-Rust test that runs it in every `cargo test`.
//!
//! [`generate`] reads its decisions from a byte string (a fuzzer's input, or a seeded random
//! stream): when the bytes run out, every decision takes its first choice, so any input gives a
//! dump. The dumps are mostly well-formed HPROF, so that the analysis gets past the parser, with
//! what hostile or damaged dumps hold: extreme ids (0, 1, 2^64-1, unaligned), duplicate ids,
//! classes whose super class is themselves, a cycle or missing, deep hierarchies, classes of
//! up to 65,535 fields, instances of missing classes, field data too short or too long,
//! arrays declaring huge counts, long names with control characters, references to nothing,
//! JDK class names (`java.util.HashMap`, `java.lang.Thread`, `java.lang.ref.Reference`...) so
//! the leak detectors' deeper paths run on nonsense, and cut or lying segments.
//!
//! Sizes stay small (a generated dump is at most a few megabytes), so thousands run quickly.

use crate::writer::{ClassDef, HprofWriter, Value};
use crate::{BasicType, RootKind};

/// Decisions read from bytes; past the end, every read returns 0.
struct Choices<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }
    fn u64(&mut self) -> u64 {
        (self.u32() as u64) | ((self.u32() as u64) << 32)
    }
    /// A number below `n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let x = if n <= 256 {
            self.byte() as usize
        } else {
            self.u32() as usize
        };
        x % n
    }
    /// True with probability about `k`/256 (false once the bytes run out).
    fn chance(&mut self, k: u8) -> bool {
        self.byte() > 255 - k
    }
}

/// Names of JDK classes (internal form) and fields the analysis looks for.
const JDK: [(&str, &[&str]); 10] = [
    ("java/lang/Object", &[]),
    ("java/lang/String", &["value", "coder"]),
    (
        "java/lang/Thread",
        &["name", "threadLocals", "contextClassLoader"],
    ),
    ("java/lang/ref/Reference", &["referent", "queue"]),
    ("java/util/HashMap", &["table", "size"]),
    ("java/util/ArrayList", &["elementData", "size"]),
    ("java/lang/ThreadLocal$ThreadLocalMap", &["table", "size"]),
    ("java/lang/ClassLoader", &["name", "classes", "parent"]),
    ("java/io/FileDescriptor", &["fd"]),
    ("java/lang/Class", &[]),
];

/// Ids a hostile dump likes: the extremes, unaligned ones, and ordinary aligned ones.
fn pick_id(c: &mut Choices<'_>, pool: &[u64]) -> u64 {
    match c.below(16) {
        11 => 0,
        12 => u64::MAX,
        13 => 1,
        14 => u64::MAX - 7,
        15 => c.u64(),
        6..=10 if !pool.is_empty() => pool[c.below(pool.len())],
        _ => 0x1000_0000 + 8 * c.below(1 << 20) as u64,
    }
}

/// A name: a JDK name, an ordinary one, or a long one full of control characters.
fn pick_name(c: &mut Choices<'_>, i: usize) -> Vec<u8> {
    match c.below(8) {
        7 => {
            let max = if c.chance(16) { 70_000 } else { 300 };
            let len = 1 + c.below(max);
            (0..len).map(|_| c.byte()).collect()
        }
        6 => format!("com/acme/Evil{i}\u{1b}[2J\n\u{202e}</style><script>").into_bytes(),
        3..=5 => JDK[c.below(JDK.len())].0.as_bytes().to_vec(),
        _ => format!("com/acme/C{i}").into_bytes(),
    }
}

const TYPES: [BasicType; 8] = [
    BasicType::Object,
    BasicType::Boolean,
    BasicType::Char,
    BasicType::Float,
    BasicType::Double,
    BasicType::Byte,
    BasicType::Short,
    BasicType::Int,
];

/// The generator's state: the decisions, the dump being written, and the ids so far.
struct Gen<'a> {
    c: Choices<'a>,
    w: HprofWriter,
    id_size: u8,
    /// Masks ids to `id_size` bytes.
    mask: u64,
    /// How many field names there are (string ids 1..).
    nfield_names: usize,
    class_ids: Vec<u64>,
    /// Own field count of each class.
    field_counts: Vec<usize>,
    /// Ids to refer to: the classes', then the objects'.
    pool: Vec<u64>,
}

/// Builds a hostile dump from `decisions` (any bytes).
pub fn generate(decisions: &[u8]) -> Vec<u8> {
    let mut c = Choices {
        data: decisions,
        pos: 0,
    };
    let id_size = if c.chance(32) { 4 } else { 8 };
    let mask = if id_size == 4 {
        u32::MAX as u64
    } else {
        u64::MAX
    };
    let mut g = Gen {
        c,
        w: HprofWriter::new(id_size),
        id_size,
        mask,
        nfield_names: 0,
        class_ids: Vec::new(),
        field_counts: Vec::new(),
        pool: Vec::new(),
    };
    g.strings();
    g.pool = g.class_ids.clone();
    g.w.begin_segment();
    g.class_dumps();
    g.objects();
    g.end()
}

impl Gen<'_> {
    /// Strings: field names (ids 1..) and class names (ids 1000..), with the classes' ids and
    /// `LOAD CLASS` records.
    fn strings(&mut self) {
        let c = &mut self.c;
        let field_names: Vec<&str> = JDK.iter().flat_map(|(_, f)| f.iter().copied()).collect();
        for (i, f) in field_names.iter().enumerate() {
            self.w.utf8(1 + i as u64, f);
        }
        self.nfield_names = field_names.len();
        let max = if c.chance(8) { 3_000 } else { 40 };
        let nclasses = c.below(max);
        let class_ids = &mut self.class_ids;
        class_ids.reserve(nclasses);
        for i in 0..nclasses {
            let id = if c.chance(24) {
                pick_id(c, class_ids) & self.mask
            } else {
                0x100_0000 + 0x10 * i as u64
            };
            class_ids.push(id);
            let name = pick_name(c, i);
            self.w.utf8_bytes(1000 + i as u64, &name);
            if !c.chance(8) {
                self.w.load_class(i as u32 + 1, id, 1000 + i as u64);
            }
        }
    }

    /// The class dumps: super classes that are themselves, in a cycle, missing or deep; up to
    /// 65,535 fields; static references; some dumped twice.
    fn class_dumps(&mut self) {
        let (c, mask) = (&mut self.c, self.mask);
        let class_ids = &self.class_ids;
        let nclasses = class_ids.len();
        self.field_counts = vec![0usize; nclasses];
        for (i, &id) in class_ids.iter().enumerate() {
            let super_id = match c.below(8) {
                0 => 0,
                1 => id,                                            // its own super class
                2 => class_ids[c.below(nclasses)],                  // anything: cycles
                3 => c.u64() & mask,                                // missing
                _ if i > 0 => class_ids[i - 1 - c.below(i.min(4))], // a deep chain
                _ => 0,
            };
            let nfields = match c.below(32) {
                31 => 65_535,
                28..=30 => c.below(2_000),
                _ => c.below(6),
            };
            let nfields = if nfields == 65_535 && c.chance(200) {
                3
            } else {
                nfields
            };
            self.field_counts[i] = nfields;
            let fields: Vec<(u64, BasicType)> = (0..nfields)
                .map(|_| {
                    (
                        1 + c.below(self.nfield_names + 2) as u64,
                        TYPES[c.below(TYPES.len())],
                    )
                })
                .collect();
            let mut def = ClassDef::new(id, super_id).with_fields(self.id_size, fields);
            def.loader_id = if c.chance(32) {
                pick_id(c, &self.pool) & mask
            } else {
                0
            };
            for _ in 0..c.below(3) {
                def.statics.push((
                    1 + c.below(self.nfield_names) as u64,
                    Value::Object(pick_id(c, &self.pool) & mask),
                ));
            }
            self.w.class_dump(&def);
            if c.chance(16) {
                // The same class dumped twice.
                self.w.class_dump(&def);
            }
        }
    }

    /// The objects, with GC roots and new segments now and then.
    fn objects(&mut self) {
        let max = if self.c.chance(16) { 20_000 } else { 400 };
        let nobjects = self.c.below(max);
        for _ in 0..nobjects {
            let id = pick_id(&mut self.c, &self.pool) & self.mask;
            self.object(id);
            if self.pool.len() < 100_000 {
                self.pool.push(id);
            }
            if self.c.chance(40) {
                let kinds = [
                    RootKind::JniGlobal,
                    RootKind::StickyClass,
                    RootKind::JavaFrame,
                    RootKind::ThreadObject,
                    RootKind::JniLocal,
                ];
                let kind = kinds[self.c.below(kinds.len())];
                let target = pick_id(&mut self.c, &self.pool) & self.mask;
                self.w.root(kind, target);
            }
            if self.c.chance(4) {
                // A new segment now and then.
                self.w.begin_segment();
            }
        }
    }

    /// One object `id`: an instance, an object array, a primitive array, or an array declaring
    /// a huge count.
    fn object(&mut self, id: u64) {
        let (c, mask, id_size) = (&mut self.c, self.mask, self.id_size);
        let (class_ids, pool) = (&self.class_ids, &self.pool);
        let nclasses = class_ids.len();
        match c.below(10) {
            0..=5 => {
                let k = c.below(nclasses.max(1));
                let class = if nclasses == 0 || c.chance(16) {
                    c.u64() & mask // a class that is not in the dump
                } else {
                    class_ids[k]
                };
                // Field data: a guess from this class's own fields (deeper layouts find it
                // short), sometimes much longer, sometimes empty; references into the pool.
                let own = self.field_counts.get(k).copied().unwrap_or(0).min(64);
                let refs = own + c.below(8);
                let mut bytes = Vec::with_capacity(refs * id_size as usize);
                for _ in 0..refs {
                    let r = pick_id(c, pool) & mask;
                    let be = r.to_be_bytes();
                    bytes.extend_from_slice(&be[8 - id_size as usize..]);
                }
                self.w.instance_raw(id, class, &bytes);
            }
            6 | 7 => {
                let max = if c.chance(8) { 5_000 } else { 16 };
                let len = c.below(max);
                let elems: Vec<u64> = (0..len).map(|_| pick_id(c, pool) & mask).collect();
                let class = if nclasses > 0 {
                    class_ids[c.below(nclasses)]
                } else {
                    0
                };
                self.w.object_array(id, class, &elems);
            }
            8 => {
                let t = TYPES[1 + c.below(TYPES.len() - 1)];
                let len = c.below(64) as u32;
                let data = vec![c.byte(); len as usize * t.size_in_dump(id_size) as usize];
                self.w.primitive_array(id, t, len, &data);
            }
            _ => {
                // A huge declared count with little data behind it.
                let t = TYPES[1 + c.below(TYPES.len() - 1)];
                let len = [0xFFFF_FFF0u32, 0x7FFF_FFFF, 1 << 24][c.below(3)];
                let data = vec![0u8; c.below(32)];
                self.w.primitive_array(id, t, len, &data);
            }
        }
    }

    /// Roots for some classes, then the end: a proper `HEAP_DUMP_END`, none, or a segment
    /// that declares more than it holds; sometimes cut short.
    fn end(mut self) -> Vec<u8> {
        let c = &mut self.c;
        let nclasses = self.class_ids.len();
        for &id in self.class_ids.iter().take(c.below(nclasses + 1)) {
            self.w.root(RootKind::StickyClass, id);
        }
        match c.below(8) {
            6 => {
                // No HEAP_DUMP_END.
                self.w.end_segment();
            }
            7 => {
                // A segment that declares more than it holds.
                self.w.end_segment();
                self.w.record_with_len(0x1C, 1 << 20, &[0x21, 0, 0]);
            }
            _ => {
                self.w.heap_dump_end();
            }
        }
        let mut out = self.w.finish();
        if c.chance(24) {
            let cut = 31 + c.below(out.len().saturating_sub(31).max(1));
            out.truncate(cut);
        }
        out
    }
}
