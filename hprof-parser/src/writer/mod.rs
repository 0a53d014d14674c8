//! A writer of synthetic HPROF dumps, for tests (feature `test-util`).
//!
//! [`HprofWriter`] writes the header and every top-level record and heap sub-record the
//! parser knows, with the layouts of the HPROF format (big-endian, identifiers of the
//! writer's id size). It checks nothing: tests of damaged dumps can give it lying lengths,
//! bad type codes (through the raw methods) or identifier sizes other than 4 and 8.
//!
//! Heap sub-records accumulate in an open heap record (HEAP_DUMP_SEGMENT or HEAP_DUMP) that is
//! written, with its length, when it is closed: by [`HprofWriter::end_segment`],
//! [`HprofWriter::heap_dump_end`], [`HprofWriter::finish`], or any top-level record method.
//!
//! ```
//! use hprof_parser::writer::{ClassDef, HprofWriter, Value};
//! use hprof_parser::{BasicType, DumpIndex, RootKind};
//!
//! let mut w = HprofWriter::new(8);
//! w.utf8(1, "com/acme/Point").utf8(2, "x").load_class(1, 0x100, 1);
//! let mut point = ClassDef::new(0x100, 0);
//! point.fields = vec![(2, BasicType::Int)];
//! point.instance_size = 4;
//! w.begin_segment()
//!     .class_dump(&point)
//!     .instance(0x200, 0x100, &[Value::Int(7)])
//!     .root(RootKind::StickyClass, 0x100)
//!     .heap_dump_end();
//! let bytes = w.finish();
//! let index = DumpIndex::scan(&bytes, false).unwrap();
//! assert_eq!(index.heap_ranges.len(), 1);
//! ```

mod heap;

pub use heap::root_tag;

use crate::tag::{BasicType, RecordTag};

/// The timestamp [`HprofWriter::new`] writes in the header (2023-11-14, in milliseconds).
pub const DEFAULT_TIMESTAMP_MS: u64 = 1_700_000_000_000;

/// The thread serial number [`HprofWriter::root`] writes for the root kinds that name a
/// thread (JNI_LOCAL, JAVA_FRAME, NATIVE_STACK, THREAD_BLOCK, THREAD_OBJECT, JNI_MONITOR).
pub const ROOT_THREAD_SERIAL: u32 = 1;

/// The frame number [`HprofWriter::root`] writes for JNI_LOCAL, JAVA_FRAME and JNI_MONITOR
/// roots: -1, "no frame".
pub const ROOT_FRAME: u32 = 0xFFFF_FFFF;

/// The stack trace serial number [`HprofWriter::root`] writes for THREAD_OBJECT roots.
pub const ROOT_THREAD_STACK_SERIAL: u32 = 1;

/// The JNI global reference id [`HprofWriter::root`] writes after the object id of a
/// JNI_GLOBAL root.
pub const JNI_GLOBAL_REF_ID: u64 = 0x7777;

/// A value of one of the basic types: a field value, a static, a constant or an array
/// element.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// An object reference (0 for null), written with the dump's id size.
    Object(u64),
    /// A boolean, one byte (0 or 1).
    Boolean(bool),
    /// A UTF-16 code unit.
    Char(u16),
    /// A float, as its IEEE bits.
    Float(f32),
    /// A double, as its IEEE bits.
    Double(f64),
    /// A byte.
    Byte(i8),
    /// A short.
    Short(i16),
    /// An int.
    Int(i32),
    /// A long.
    Long(i64),
}

impl Value {
    /// The value's type.
    pub fn ty(&self) -> BasicType {
        match self {
            Value::Object(_) => BasicType::Object,
            Value::Boolean(_) => BasicType::Boolean,
            Value::Char(_) => BasicType::Char,
            Value::Float(_) => BasicType::Float,
            Value::Double(_) => BasicType::Double,
            Value::Byte(_) => BasicType::Byte,
            Value::Short(_) => BasicType::Short,
            Value::Int(_) => BasicType::Int,
            Value::Long(_) => BasicType::Long,
        }
    }

    /// Appends the value's big-endian encoding (ids with `id_size` bytes) to `out`.
    pub fn encode(&self, id_size: u8, out: &mut Vec<u8>) {
        match *self {
            Value::Object(id) => put_id(out, id_size, id),
            Value::Boolean(b) => out.push(b as u8),
            Value::Char(c) => out.extend_from_slice(&c.to_be_bytes()),
            Value::Float(f) => out.extend_from_slice(&f.to_bits().to_be_bytes()),
            Value::Double(d) => out.extend_from_slice(&d.to_bits().to_be_bytes()),
            Value::Byte(b) => out.push(b as u8),
            Value::Short(s) => out.extend_from_slice(&s.to_be_bytes()),
            Value::Int(i) => out.extend_from_slice(&i.to_be_bytes()),
            Value::Long(l) => out.extend_from_slice(&l.to_be_bytes()),
        }
    }

    /// Decodes a value of type `ty` from the start of `bytes` (as found in a dump with
    /// identifiers of `id_size` bytes); `None` if `bytes` is too short.
    pub fn decode(ty: BasicType, bytes: &[u8], id_size: u8) -> Option<Value> {
        let n = ty.size_in_dump(id_size) as usize;
        let b = bytes.get(..n)?;
        Some(match ty {
            BasicType::Object => Value::Object(b.iter().fold(0u64, |acc, &x| acc << 8 | x as u64)),
            BasicType::Boolean => Value::Boolean(b[0] != 0),
            BasicType::Char => Value::Char(u16::from_be_bytes([b[0], b[1]])),
            BasicType::Float => {
                Value::Float(f32::from_bits(u32::from_be_bytes(b.try_into().ok()?)))
            }
            BasicType::Double => {
                Value::Double(f64::from_bits(u64::from_be_bytes(b.try_into().ok()?)))
            }
            BasicType::Byte => Value::Byte(b[0] as i8),
            BasicType::Short => Value::Short(i16::from_be_bytes([b[0], b[1]])),
            BasicType::Int => Value::Int(i32::from_be_bytes(b.try_into().ok()?)),
            BasicType::Long => Value::Long(i64::from_be_bytes(b.try_into().ok()?)),
        })
    }
}

/// Encodes `values` one after the other, as in an INSTANCE_DUMP's field bytes or a primitive
/// array's data.
pub fn encode_values(id_size: u8, values: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for v in values {
        v.encode(id_size, &mut out);
    }
    out
}

/// What [`HprofWriter::class_dump`] writes: a class object with its statics and field layout.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassDef {
    /// The class object's id.
    pub id: u64,
    /// The super class's id, 0 for none.
    pub super_id: u64,
    /// The defining class loader's id, 0 for the boot loader.
    pub loader_id: u64,
    /// The signers object's id.
    pub signers_id: u64,
    /// The protection domain's id.
    pub protection_domain_id: u64,
    /// The declared instance size.
    pub instance_size: u32,
    /// Constant pool entries: index and value.
    pub constants: Vec<(u16, Value)>,
    /// Static fields: name string id and value.
    pub statics: Vec<(u64, Value)>,
    /// Instance fields of this class only: name string id and type.
    pub fields: Vec<(u64, BasicType)>,
}

impl ClassDef {
    /// A class with this id and super class, the boot loader, no signers or protection
    /// domain, instance size 0, and no constants, statics or fields.
    pub fn new(id: u64, super_id: u64) -> Self {
        ClassDef {
            id,
            super_id,
            loader_id: 0,
            signers_id: 0,
            protection_domain_id: 0,
            instance_size: 0,
            constants: Vec::new(),
            statics: Vec::new(),
            fields: Vec::new(),
        }
    }

    /// Sets the instance fields and the instance size to the bytes those fields take in a
    /// dump with identifiers of `id_size` bytes (HotSpot declares this size).
    pub fn with_fields(mut self, id_size: u8, fields: Vec<(u64, BasicType)>) -> Self {
        self.instance_size = fields
            .iter()
            .map(|(_, t)| t.size_in_dump(id_size) as u32)
            .sum();
        self.fields = fields;
        self
    }
}

/// Writes an identifier of `id_size` bytes, big-endian: the low bytes of `id`, with zero
/// bytes in front when `id_size` is larger than 8.
fn put_id(out: &mut Vec<u8>, id_size: u8, id: u64) {
    for i in (0..id_size as u32).rev() {
        out.push(if i < 8 { (id >> (8 * i)) as u8 } else { 0 });
    }
}

/// Builds a synthetic HPROF dump in memory. Methods chain (`&mut Self`).
#[derive(Clone, Debug)]
pub struct HprofWriter {
    out: Vec<u8>,
    id_size: u8,
    version: String,
    stack_serial: u32,
    time_us: u32,
    heap: Option<(RecordTag, Vec<u8>)>,
}

impl HprofWriter {
    /// A writer of a `JAVA PROFILE 1.0.2` dump with identifiers of `id_size` bytes and the
    /// timestamp [`DEFAULT_TIMESTAMP_MS`].
    pub fn new(id_size: u8) -> Self {
        Self::with_header("JAVA PROFILE 1.0.2", id_size, DEFAULT_TIMESTAMP_MS)
    }

    /// A writer with any header: `version` is written followed by a NUL byte, then
    /// `id_size` as a u32 and the timestamp. Identifiers are written with `id_size` bytes,
    /// whatever it is.
    pub fn with_header(version: &str, id_size: u8, timestamp_ms: u64) -> Self {
        let mut out = Vec::with_capacity(4096);
        out.extend_from_slice(version.as_bytes());
        out.push(0);
        out.extend_from_slice(&(id_size as u32).to_be_bytes());
        out.extend_from_slice(&timestamp_ms.to_be_bytes());
        HprofWriter {
            out,
            id_size,
            version: version.to_string(),
            stack_serial: 0,
            time_us: 0,
            heap: None,
        }
    }

    /// The identifier size.
    pub fn id_size(&self) -> u8 {
        self.id_size
    }

    /// Sets the stack trace serial number written into the following LOAD_CLASS records and
    /// CLASS_DUMP, INSTANCE_DUMP and array sub-records (default 0).
    pub fn set_stack_serial(&mut self, serial: u32) -> &mut Self {
        self.stack_serial = serial;
        self
    }

    /// The stack trace serial number written into records (see
    /// [`HprofWriter::set_stack_serial`]).
    pub fn stack_serial(&self) -> u32 {
        self.stack_serial
    }

    /// Sets the time field (microseconds since the header's timestamp) of the following
    /// top-level records (default 0).
    pub fn set_time_us(&mut self, time_us: u32) -> &mut Self {
        self.time_us = time_us;
        self
    }

    /// The absolute offset where the next byte goes: with a heap record open, the offset at
    /// which the next sub-record will start once the record is written; otherwise the offset
    /// of the next top-level record.
    pub fn offset(&self) -> u64 {
        match &self.heap {
            Some((_, body)) => (self.out.len() + 9 + body.len()) as u64,
            None => self.out.len() as u64,
        }
    }

    /// Whether a heap record (HEAP_DUMP or HEAP_DUMP_SEGMENT) is open.
    pub fn heap_open(&self) -> bool {
        self.heap.is_some()
    }

    fn id(&self, buf: &mut Vec<u8>, id: u64) {
        put_id(buf, self.id_size, id);
    }

    /// Writes a top-level record with the given tag and body, closing an open heap record
    /// first.
    fn top(&mut self, tag: RecordTag, build: impl FnOnce(&Self, &mut Vec<u8>)) -> &mut Self {
        let mut body = Vec::new();
        build(self, &mut body);
        self.record(tag.0, &body)
    }

    /// A UTF8 record: the string `id` and its text.
    pub fn utf8(&mut self, id: u64, text: &str) -> &mut Self {
        self.utf8_bytes(id, text.as_bytes())
    }

    /// A UTF8 record with arbitrary bytes as its text (for example invalid UTF-8).
    pub fn utf8_bytes(&mut self, id: u64, text: &[u8]) -> &mut Self {
        self.top(RecordTag::UTF8, |w, b| {
            w.id(b, id);
            b.extend_from_slice(text);
        })
    }

    /// A LOAD_CLASS record (with the writer's current stack serial).
    pub fn load_class(&mut self, serial: u32, class_id: u64, name_id: u64) -> &mut Self {
        self.top(RecordTag::LOAD_CLASS, |w, b| {
            b.extend_from_slice(&serial.to_be_bytes());
            w.id(b, class_id);
            b.extend_from_slice(&w.stack_serial.to_be_bytes());
            w.id(b, name_id);
        })
    }

    /// An UNLOAD_CLASS record.
    pub fn unload_class(&mut self, serial: u32) -> &mut Self {
        self.top(RecordTag::UNLOAD_CLASS, |_, b| {
            b.extend_from_slice(&serial.to_be_bytes())
        })
    }

    /// A FRAME record.
    pub fn frame(
        &mut self,
        frame_id: u64,
        method_name_id: u64,
        signature_id: u64,
        source_file_id: u64,
        class_serial: u32,
        line: i32,
    ) -> &mut Self {
        self.top(RecordTag::FRAME, |w, b| {
            w.id(b, frame_id);
            w.id(b, method_name_id);
            w.id(b, signature_id);
            w.id(b, source_file_id);
            b.extend_from_slice(&class_serial.to_be_bytes());
            b.extend_from_slice(&line.to_be_bytes());
        })
    }

    /// A TRACE record.
    pub fn trace(&mut self, serial: u32, thread_serial: u32, frame_ids: &[u64]) -> &mut Self {
        self.top(RecordTag::TRACE, |w, b| {
            b.extend_from_slice(&serial.to_be_bytes());
            b.extend_from_slice(&thread_serial.to_be_bytes());
            b.extend_from_slice(&(frame_ids.len() as u32).to_be_bytes());
            for &f in frame_ids {
                w.id(b, f);
            }
        })
    }

    /// A START_THREAD record.
    pub fn start_thread(
        &mut self,
        thread_serial: u32,
        thread_id: u64,
        stack_serial: u32,
        name_id: u64,
        group_name_id: u64,
        parent_group_name_id: u64,
    ) -> &mut Self {
        self.top(RecordTag::START_THREAD, |w, b| {
            b.extend_from_slice(&thread_serial.to_be_bytes());
            w.id(b, thread_id);
            b.extend_from_slice(&stack_serial.to_be_bytes());
            w.id(b, name_id);
            w.id(b, group_name_id);
            w.id(b, parent_group_name_id);
        })
    }

    /// An END_THREAD record.
    pub fn end_thread(&mut self, thread_serial: u32) -> &mut Self {
        self.top(RecordTag::END_THREAD, |_, b| {
            b.extend_from_slice(&thread_serial.to_be_bytes())
        })
    }

    /// A HEAP_SUMMARY record.
    pub fn heap_summary(
        &mut self,
        live_bytes: u32,
        live_instances: u32,
        alloc_bytes: u64,
        alloc_instances: u64,
    ) -> &mut Self {
        self.top(RecordTag::HEAP_SUMMARY, |_, b| {
            b.extend_from_slice(&live_bytes.to_be_bytes());
            b.extend_from_slice(&live_instances.to_be_bytes());
            b.extend_from_slice(&alloc_bytes.to_be_bytes());
            b.extend_from_slice(&alloc_instances.to_be_bytes());
        })
    }

    /// An ALLOC_SITES record with zero sites (flags 0, cutoff ratio 0.0, zero totals).
    pub fn alloc_sites(&mut self) -> &mut Self {
        self.top(RecordTag::ALLOC_SITES, |_, b| {
            b.extend_from_slice(&0u16.to_be_bytes()); // flags
            b.extend_from_slice(&0f32.to_bits().to_be_bytes()); // cutoff ratio
            b.extend_from_slice(&0u32.to_be_bytes()); // total live bytes
            b.extend_from_slice(&0u32.to_be_bytes()); // total live instances
            b.extend_from_slice(&0u64.to_be_bytes()); // total bytes allocated
            b.extend_from_slice(&0u64.to_be_bytes()); // total instances allocated
            b.extend_from_slice(&0u32.to_be_bytes()); // number of sites
        })
    }

    /// A CPU_SAMPLES record with zero samples and zero traces.
    pub fn cpu_samples(&mut self) -> &mut Self {
        self.top(RecordTag::CPU_SAMPLES, |_, b| {
            b.extend_from_slice(&0u32.to_be_bytes()); // total samples
            b.extend_from_slice(&0u32.to_be_bytes()); // number of traces
        })
    }

    /// A CONTROL_SETTINGS record.
    pub fn control_settings(&mut self, flags: u32, depth: u16) -> &mut Self {
        self.top(RecordTag::CONTROL_SETTINGS, |_, b| {
            b.extend_from_slice(&flags.to_be_bytes());
            b.extend_from_slice(&depth.to_be_bytes());
        })
    }

    /// A raw top-level record with any tag and its true length, closing an open heap record
    /// first.
    pub fn record(&mut self, tag: u8, body: &[u8]) -> &mut Self {
        self.record_with_len(tag, body.len() as u32, body)
    }

    /// A raw top-level record declaring `declared_len` whatever the body's length (for
    /// damage tests), closing an open heap record first.
    pub fn record_with_len(&mut self, tag: u8, declared_len: u32, body: &[u8]) -> &mut Self {
        self.close_heap();
        self.put_record(tag, declared_len, body);
        self
    }

    fn put_record(&mut self, tag: u8, declared_len: u32, body: &[u8]) {
        self.out.push(tag);
        self.out.extend_from_slice(&self.time_us.to_be_bytes());
        self.out.extend_from_slice(&declared_len.to_be_bytes());
        self.out.extend_from_slice(body);
    }

    fn close_heap(&mut self) {
        if let Some((tag, body)) = self.heap.take() {
            self.put_record(tag.0, body.len() as u32, &body);
        }
    }

    fn open_heap(&mut self, tag: RecordTag) -> &mut Self {
        self.close_heap();
        self.heap = Some((tag, Vec::new()));
        self
    }

    /// Opens a HEAP_DUMP_SEGMENT record (closing an open heap record first).
    pub fn begin_segment(&mut self) -> &mut Self {
        self.open_heap(RecordTag::HEAP_DUMP_SEGMENT)
    }

    /// Opens an old-style HEAP_DUMP record (closing an open heap record first).
    pub fn begin_heap_dump(&mut self) -> &mut Self {
        self.open_heap(RecordTag::HEAP_DUMP)
    }

    /// Closes the open heap record, writing it with its length (nothing if none is open).
    pub fn end_segment(&mut self) -> &mut Self {
        self.close_heap();
        self
    }

    /// Closes an open heap record, then writes a HEAP_DUMP_END record.
    pub fn heap_dump_end(&mut self) -> &mut Self {
        self.record(RecordTag::HEAP_DUMP_END.0, &[])
    }

    /// Appends to the open heap record; with none open, opens a HEAP_DUMP_SEGMENT (or a
    /// HEAP_DUMP if the header says `JAVA PROFILE 1.0.1`).
    fn sub(&mut self, build: impl FnOnce(u8, &mut Vec<u8>)) -> &mut Self {
        if self.heap.is_none() {
            let tag = if self.version == "JAVA PROFILE 1.0.1" {
                RecordTag::HEAP_DUMP
            } else {
                RecordTag::HEAP_DUMP_SEGMENT
            };
            self.heap = Some((tag, Vec::new()));
        }
        let id_size = self.id_size;
        if let Some((_, body)) = &mut self.heap {
            build(id_size, body);
        }
        self
    }

    /// Closes an open heap record (without adding HEAP_DUMP_END) and returns the bytes written
    /// so far. The writer stays usable: later records are appended after these bytes.
    pub fn finish(&mut self) -> Vec<u8> {
        self.close_heap();
        self.out.clone()
    }
}
