//! Shared helpers of the parser's integration tests: a visitor that records every decoded
//! sub-record as an owned [`Event`], and synthetic dumps with their expected contents.
#![allow(dead_code)]

use hprof_parser::heap::walk_heap;
use hprof_parser::writer::{ClassDef, HprofWriter, Value};
use hprof_parser::{
    BasicType, ClassDump, HeapRange, HeapVisitor, Instance, LoadClass, ObjectArray, PrimitiveArray,
    Root, RootKind,
};

/// One decoded sub-record, owned.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Root(Root),
    Class {
        offset: u64,
        stack_serial: u32,
        def: ClassDef,
    },
    Instance {
        offset: u64,
        id: u64,
        stack_serial: u32,
        class_id: u64,
        fields: Vec<u8>,
    },
    ObjArray {
        offset: u64,
        id: u64,
        stack_serial: u32,
        len: u32,
        class_id: u64,
        elements: Vec<u64>,
    },
    PrimArray {
        offset: u64,
        id: u64,
        stack_serial: u32,
        len: u32,
        elem: BasicType,
        data: Option<Vec<u8>>,
    },
    Unreachable {
        offset: u64,
        id: u64,
    },
    HeapInfo {
        offset: u64,
        heap_type: u32,
        name_id: u64,
    },
}

impl Event {
    pub fn offset(&self) -> u64 {
        match self {
            Event::Root(r) => r.offset,
            Event::Class { offset, .. }
            | Event::Instance { offset, .. }
            | Event::ObjArray { offset, .. }
            | Event::PrimArray { offset, .. }
            | Event::Unreachable { offset, .. }
            | Event::HeapInfo { offset, .. } => *offset,
        }
    }
}

/// Records every sub-record it is handed, decoding class dump entries fully.
pub struct Recorder {
    pub id_size: u8,
    pub events: Vec<Event>,
}

impl Recorder {
    pub fn new(id_size: u8) -> Self {
        Recorder {
            id_size,
            events: Vec::new(),
        }
    }
}

fn decode(ty: BasicType, bytes: &[u8], id_size: u8) -> Value {
    assert_eq!(
        bytes.len(),
        ty.size_in_dump(id_size) as usize,
        "{ty:?} value size"
    );
    Value::decode(ty, bytes, id_size).expect("value decodes")
}

impl HeapVisitor for Recorder {
    fn root(&mut self, root: Root) {
        self.events.push(Event::Root(root));
    }

    fn class_dump(&mut self, c: &ClassDump<'_>) {
        let ids = self.id_size;
        assert_eq!(c.constants.len(), c.constants.constants().count());
        assert_eq!(c.statics.len(), c.statics.statics().count());
        assert_eq!(c.fields.len(), c.fields.fields().count());
        self.events.push(Event::Class {
            offset: c.offset,
            stack_serial: c.stack_serial,
            def: ClassDef {
                id: c.id,
                super_id: c.super_id,
                loader_id: c.loader_id,
                signers_id: c.signers_id,
                protection_domain_id: c.protection_domain_id,
                instance_size: c.instance_size,
                constants: c
                    .constants
                    .constants()
                    .map(|k| (k.index, decode(k.ty, k.value, ids)))
                    .collect(),
                statics: c
                    .statics
                    .statics()
                    .map(|s| (s.name_id, decode(s.ty, s.value, ids)))
                    .collect(),
                fields: c.fields.fields().map(|f| (f.name_id, f.ty)).collect(),
            },
        });
    }

    fn instance(&mut self, o: &Instance<'_>) {
        self.events.push(Event::Instance {
            offset: o.offset,
            id: o.id,
            stack_serial: o.stack_serial,
            class_id: o.class_id,
            fields: o.fields.to_vec(),
        });
    }

    fn object_array(&mut self, a: &ObjectArray<'_>) {
        assert_eq!(a.elements.len(), a.len as usize * self.id_size as usize);
        self.events.push(Event::ObjArray {
            offset: a.offset,
            id: a.id,
            stack_serial: a.stack_serial,
            len: a.len,
            class_id: a.class_id,
            elements: a.element_ids(self.id_size).collect(),
        });
    }

    fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
        self.events.push(Event::PrimArray {
            offset: a.offset,
            id: a.id,
            stack_serial: a.stack_serial,
            len: a.len,
            elem: a.elem,
            data: a.data.map(<[u8]>::to_vec),
        });
    }

    fn unreachable(&mut self, offset: u64, id: u64) {
        self.events.push(Event::Unreachable { offset, id });
    }

    fn heap_info(&mut self, offset: u64, heap_type: u32, name_id: u64) {
        self.events.push(Event::HeapInfo {
            offset,
            heap_type,
            name_id,
        });
    }
}

/// Walks `range` of `data`, returning the events and the walk's result.
pub fn walk_range(
    data: &[u8],
    range: &HeapRange,
    id_size: u8,
) -> (Vec<Event>, hprof_parser::Result<()>) {
    let mut rec = Recorder::new(id_size);
    let res = walk_heap(
        &data[range.start as usize..range.end as usize],
        range.start,
        id_size,
        &mut rec,
    );
    (rec.events, res)
}

/// Touches every decoded field of every sub-record (for robustness tests): sums them so the
/// optimiser keeps the reads.
#[derive(Default)]
pub struct TouchAll {
    pub id_size: u8,
    pub sum: u64,
    pub count: u64,
}

impl HeapVisitor for TouchAll {
    fn root(&mut self, r: Root) {
        self.count += 1;
        self.sum = self
            .sum
            .wrapping_add(r.offset ^ r.id)
            .wrapping_add(r.thread_serial.unwrap_or(0) as u64)
            .wrapping_add(r.frame.unwrap_or(0) as u64)
            .wrapping_add(r.kind as u64);
    }

    fn class_dump(&mut self, c: &ClassDump<'_>) {
        self.count += 1;
        let mut s = c.offset
            ^ c.id
            ^ c.super_id
            ^ c.loader_id
            ^ c.signers_id
            ^ c.protection_domain_id
            ^ c.instance_size as u64
            ^ c.stack_serial as u64;
        for k in c.constants.constants() {
            assert_eq!(k.value.len(), k.ty.size_in_dump(self.id_size) as usize);
            s = s.wrapping_add(k.index as u64 + k.ty.code() as u64);
            s = s.wrapping_add(k.value.iter().map(|&b| b as u64).sum::<u64>());
        }
        for st in c.statics.statics() {
            assert_eq!(st.value.len(), st.ty.size_in_dump(self.id_size) as usize);
            s = s.wrapping_add(st.name_id ^ st.ty.code() as u64);
            s = s.wrapping_add(st.value.iter().map(|&b| b as u64).sum::<u64>());
        }
        for f in c.fields.fields() {
            s = s.wrapping_add(f.name_id ^ f.ty.code() as u64);
        }
        assert_eq!(c.constants.constants().count(), c.constants.len());
        assert_eq!(c.statics.statics().count(), c.statics.len());
        assert_eq!(c.fields.fields().count(), c.fields.len());
        self.sum = self.sum.wrapping_add(s);
    }

    fn instance(&mut self, o: &Instance<'_>) {
        self.count += 1;
        self.sum = self
            .sum
            .wrapping_add(o.offset ^ o.id ^ o.class_id ^ o.stack_serial as u64)
            .wrapping_add(o.fields.iter().map(|&b| b as u64).sum::<u64>());
    }

    fn object_array(&mut self, a: &ObjectArray<'_>) {
        self.count += 1;
        assert_eq!(a.elements.len(), a.len as usize * self.id_size as usize);
        self.sum = self
            .sum
            .wrapping_add(a.offset ^ a.id ^ a.class_id ^ a.len as u64 ^ a.stack_serial as u64);
        for e in a.element_ids(self.id_size) {
            self.sum = self.sum.wrapping_add(e);
        }
    }

    fn primitive_array(&mut self, a: &PrimitiveArray<'_>) {
        self.count += 1;
        assert_ne!(a.elem, BasicType::Object);
        if let Some(d) = a.data {
            assert_eq!(
                d.len() as u64,
                a.len as u64 * a.elem.size_in_dump(self.id_size) as u64
            );
            self.sum = self
                .sum
                .wrapping_add(d.iter().map(|&b| b as u64).sum::<u64>());
        }
        self.sum = self
            .sum
            .wrapping_add(a.offset ^ a.id ^ a.len as u64 ^ a.stack_serial as u64);
    }

    fn unreachable(&mut self, offset: u64, id: u64) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(offset ^ id);
    }

    fn heap_info(&mut self, offset: u64, heap_type: u32, name_id: u64) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(offset ^ heap_type as u64 ^ name_id);
    }
}

/// The root [`HprofWriter::root`] writes, as the walker should decode it.
pub fn default_root(kind: RootKind, id: u64, offset: u64) -> Root {
    let (thread_serial, frame) = match kind {
        RootKind::JniLocal | RootKind::JavaFrame | RootKind::JniMonitor => {
            (Some(1), Some(u32::MAX))
        }
        RootKind::ThreadObject => (Some(1), Some(1)),
        RootKind::NativeStack | RootKind::ThreadBlock => (Some(1), None),
        _ => (None, None),
    };
    Root {
        offset,
        kind,
        id,
        thread_serial,
        frame,
    }
}

/// An object id that needs the whole id size: above 2^32 for 8-byte ids.
pub fn oid(id_size: u8, n: u64) -> u64 {
    if id_size == 8 {
        0x7f12_3400_0000_0000 + n * 16
    } else {
        0x8000_0000 + n * 16
    }
}

/// The stack serial the full dump writes into its records.
pub const STACK_SERIAL: u32 = 7;

/// Named string ids of the full dump.
pub mod s {
    pub const OBJECT: u64 = 1;
    pub const THING: u64 = 2;
    pub const OBJ_ARRAY: u64 = 3;
    pub const MAIN: u64 = 4;
    pub const SIG: u64 = 5;
    pub const SOURCE: u64 = 6;
    pub const THREAD: u64 = 7;
    pub const GROUP: u64 = 8;
    pub const PARENT_GROUP: u64 = 9;
    pub const UNICODE: u64 = 10;
    pub const EMPTY: u64 = 11;
    pub const HEAP_NAME: u64 = 12;
    /// Field names: FIELD + i.
    pub const FIELD: u64 = 100;
}

/// A dump with every record kind and every sub-record kind, and what it should decode to.
pub struct FullDump {
    pub id_size: u8,
    pub segmented: bool,
    pub bytes: Vec<u8>,
    /// Expected events per heap range.
    pub ranges: Vec<Vec<Event>>,
    pub strings: Vec<(u64, Vec<u8>)>,
    pub load_classes: Vec<LoadClass>,
    /// Offsets of the FRAME and TRACE records.
    pub frames: Vec<u64>,
    pub traces: Vec<u64>,
}

pub const ALL_TYPES: [BasicType; 9] = [
    BasicType::Object,
    BasicType::Boolean,
    BasicType::Char,
    BasicType::Float,
    BasicType::Double,
    BasicType::Byte,
    BasicType::Short,
    BasicType::Int,
    BasicType::Long,
];

pub const PRIMITIVE_TYPES: [BasicType; 8] = [
    BasicType::Boolean,
    BasicType::Char,
    BasicType::Float,
    BasicType::Double,
    BasicType::Byte,
    BasicType::Short,
    BasicType::Int,
    BasicType::Long,
];

/// One sample value of each type (the `k`th variant, so that different entries differ).
pub fn sample(ty: BasicType, k: u64, id_size: u8) -> Value {
    match ty {
        BasicType::Object => Value::Object(oid(id_size, 500 + k)),
        BasicType::Boolean => Value::Boolean(k % 2 == 1),
        BasicType::Char => Value::Char(0x263A + k as u16),
        BasicType::Float => Value::Float(-1.5e10 + k as f32),
        BasicType::Double => Value::Double(std::f64::consts::PI * (k as f64 + 1.0)),
        BasicType::Byte => Value::Byte(-128 + k as i8),
        BasicType::Short => Value::Short(-30_000 + k as i16),
        BasicType::Int => Value::Int(i32::MIN + k as i32),
        BasicType::Long => Value::Long(i64::MIN + 12345 + k as i64),
    }
}

/// Builds the full dump: `segmented` writes JAVA PROFILE 1.0.2 with three HEAP_DUMP_SEGMENTs
/// and a HEAP_DUMP_END; otherwise JAVA PROFILE 1.0.1 with a single HEAP_DUMP.
pub fn full_dump(id_size: u8, segmented: bool) -> FullDump {
    let version = if segmented {
        "JAVA PROFILE 1.0.2"
    } else {
        "JAVA PROFILE 1.0.1"
    };
    let mut w = HprofWriter::with_header(version, id_size, 1_712_345_678_901);
    w.set_stack_serial(STACK_SERIAL);
    let object_class = oid(id_size, 1);
    let thing_class = oid(id_size, 2);
    let array_class = oid(id_size, 3);
    let thread_obj = oid(id_size, 4);
    let frame1 = oid(id_size, 5);
    let frame2 = oid(id_size, 6);

    let mut strings: Vec<(u64, Vec<u8>)> = vec![
        (s::OBJECT, b"java/lang/Object".to_vec()),
        (s::THING, b"com/acme/Thing".to_vec()),
        (s::OBJ_ARRAY, b"[Ljava/lang/Object;".to_vec()),
        (s::MAIN, b"main".to_vec()),
        (s::SIG, b"([Ljava/lang/String;)V".to_vec()),
        (s::SOURCE, b"Thing.java".to_vec()),
        (s::THREAD, b"main".to_vec()),
        (s::GROUP, b"main".to_vec()),
        (s::PARENT_GROUP, b"system".to_vec()),
        (
            s::UNICODE,
            "h\u{e9}llo \u{2603} \u{1F600}".as_bytes().to_vec(),
        ),
        (s::EMPTY, Vec::new()),
        (s::HEAP_NAME, b"app".to_vec()),
    ];
    for (i, ty) in ALL_TYPES.iter().enumerate() {
        strings.push((
            s::FIELD + i as u64,
            format!("f_{}", ty.java_name()).into_bytes(),
        ));
        strings.push((
            s::FIELD + 50 + i as u64,
            format!("S_{}", ty.java_name().to_uppercase()).into_bytes(),
        ));
    }
    // Written in an order other than by id, to exercise the index's sorting.
    for (id, text) in strings.iter().rev() {
        w.utf8_bytes(*id, text);
    }

    let load_classes = vec![
        LoadClass {
            serial: 1,
            class_id: object_class,
            stack_serial: STACK_SERIAL,
            name_id: s::OBJECT,
        },
        LoadClass {
            serial: 2,
            class_id: thing_class,
            stack_serial: STACK_SERIAL,
            name_id: s::THING,
        },
        LoadClass {
            serial: 3,
            class_id: array_class,
            stack_serial: STACK_SERIAL,
            name_id: s::OBJ_ARRAY,
        },
    ];
    for l in &load_classes {
        w.load_class(l.serial, l.class_id, l.name_id);
    }
    w.unload_class(99);
    let mut frames = vec![w.offset()];
    w.frame(frame1, s::MAIN, s::SIG, s::SOURCE, 2, 42);
    frames.push(w.offset());
    w.frame(frame2, s::MAIN, s::SIG, s::SOURCE, 2, -1);
    let mut traces = vec![w.offset()];
    w.trace(1, 1, &[frame1, frame2]);
    traces.push(w.offset());
    w.trace(2, 0, &[]);
    w.start_thread(1, thread_obj, 1, s::THREAD, s::GROUP, s::PARENT_GROUP);
    w.heap_summary(1_000_000, 2_000, 3_000_000_000_000, 4_000_000);
    w.alloc_sites();
    w.cpu_samples();
    w.control_settings(0x3, 16);

    let mut ranges: Vec<Vec<Event>> = Vec::new();
    let open = |w: &mut HprofWriter, ranges: &mut Vec<Vec<Event>>| {
        if segmented {
            w.begin_segment();
        } else if ranges.is_empty() {
            w.begin_heap_dump();
        } else {
            return;
        }
        ranges.push(Vec::new());
    };

    // Segment 1: every root kind.
    open(&mut w, &mut ranges);
    for (i, kind) in RootKind::ALL.iter().enumerate() {
        let id = oid(id_size, 1000 + i as u64);
        let offset = w.offset();
        w.root(*kind, id);
        ranges
            .last_mut()
            .unwrap()
            .push(Event::Root(default_root(*kind, id, offset)));
    }
    let offset = w.offset();
    w.root_java_frame(thread_obj, 3, 2);
    ranges.last_mut().unwrap().push(Event::Root(Root {
        offset,
        kind: RootKind::JavaFrame,
        id: thread_obj,
        thread_serial: Some(3),
        frame: Some(2),
    }));
    let offset = w.offset();
    w.root_thread_object(thread_obj, 1, 1);
    ranges.last_mut().unwrap().push(Event::Root(Root {
        offset,
        kind: RootKind::ThreadObject,
        id: thread_obj,
        thread_serial: Some(1),
        frame: Some(1),
    }));

    // Segment 2: class dumps and instances.
    open(&mut w, &mut ranges);
    let object_def = ClassDef::new(object_class, 0);
    let mut thing_def = ClassDef::new(thing_class, object_class).with_fields(
        id_size,
        ALL_TYPES
            .iter()
            .enumerate()
            .map(|(i, t)| (s::FIELD + i as u64, *t))
            .collect(),
    );
    thing_def.loader_id = oid(id_size, 7);
    thing_def.signers_id = oid(id_size, 8);
    thing_def.protection_domain_id = oid(id_size, 9);
    thing_def.constants = ALL_TYPES
        .iter()
        .enumerate()
        .map(|(i, t)| (i as u16 * 3 + 1, sample(*t, i as u64, id_size)))
        .collect();
    thing_def.statics = ALL_TYPES
        .iter()
        .enumerate()
        .map(|(i, t)| (s::FIELD + 50 + i as u64, sample(*t, 10 + i as u64, id_size)))
        .collect();
    let mut array_def = ClassDef::new(array_class, object_class);
    array_def.constants = vec![(0xFFFF, Value::Int(-1))];
    for def in [&object_def, &thing_def, &array_def] {
        let offset = w.offset();
        w.class_dump(def);
        ranges.last_mut().unwrap().push(Event::Class {
            offset,
            stack_serial: STACK_SERIAL,
            def: def.clone(),
        });
    }
    for k in 0..4u64 {
        let id = oid(id_size, 2000 + k);
        let values: Vec<Value> = ALL_TYPES
            .iter()
            .map(|t| sample(*t, 20 + k, id_size))
            .collect();
        let offset = w.offset();
        w.instance(id, thing_class, &values);
        ranges.last_mut().unwrap().push(Event::Instance {
            offset,
            id,
            stack_serial: STACK_SERIAL,
            class_id: thing_class,
            fields: hprof_parser::writer::encode_values(id_size, &values),
        });
    }
    let offset = w.offset();
    w.instance(oid(id_size, 2100), object_class, &[]);
    ranges.last_mut().unwrap().push(Event::Instance {
        offset,
        id: oid(id_size, 2100),
        stack_serial: STACK_SERIAL,
        class_id: object_class,
        fields: Vec::new(),
    });

    // Segment 3: arrays and Android's extras.
    open(&mut w, &mut ranges);
    w.set_stack_serial(STACK_SERIAL + 1);
    for (k, elements) in [
        vec![],
        vec![0],
        vec![
            oid(id_size, 2000),
            0,
            oid(id_size, 2001),
            u64::MAX >> (64 - 8 * id_size as u32),
        ],
    ]
    .into_iter()
    .enumerate()
    {
        let id = oid(id_size, 3000 + k as u64);
        let offset = w.offset();
        w.object_array(id, array_class, &elements);
        ranges.last_mut().unwrap().push(Event::ObjArray {
            offset,
            id,
            stack_serial: STACK_SERIAL + 1,
            len: elements.len() as u32,
            class_id: array_class,
            elements,
        });
    }
    for (k, ty) in PRIMITIVE_TYPES.iter().enumerate() {
        for n in [0u64, 1, 5] {
            let id = oid(id_size, 4000 + 10 * k as u64 + n);
            let values: Vec<Value> = (0..n).map(|i| sample(*ty, i, id_size)).collect();
            let data = hprof_parser::writer::encode_values(id_size, &values);
            let offset = w.offset();
            w.primitive_array_values(id, *ty, &values);
            ranges.last_mut().unwrap().push(Event::PrimArray {
                offset,
                id,
                stack_serial: STACK_SERIAL + 1,
                len: n as u32,
                elem: *ty,
                data: Some(data),
            });
        }
        let id = oid(id_size, 5000 + k as u64);
        let offset = w.offset();
        w.primitive_array_nodata(id, *ty, 1_000_000 + k as u32);
        ranges.last_mut().unwrap().push(Event::PrimArray {
            offset,
            id,
            stack_serial: STACK_SERIAL + 1,
            len: 1_000_000 + k as u32,
            elem: *ty,
            data: None,
        });
    }
    let offset = w.offset();
    w.heap_dump_info(0x41505020, s::HEAP_NAME);
    ranges.last_mut().unwrap().push(Event::HeapInfo {
        offset,
        heap_type: 0x41505020,
        name_id: s::HEAP_NAME,
    });
    let offset = w.offset();
    w.unreachable(oid(id_size, 6000));
    ranges.last_mut().unwrap().push(Event::Unreachable {
        offset,
        id: oid(id_size, 6000),
    });
    if segmented {
        w.heap_dump_end();
    } else {
        w.end_segment();
    }
    w.end_thread(1);
    FullDump {
        id_size,
        segmented,
        bytes: w.finish(),
        ranges,
        strings,
        load_classes,
        frames,
        traces,
    }
}

/// A single HEAP_DUMP (1.0.1) of `n` sub-records of every kind, with their expected events.
pub fn many_subrecords(id_size: u8, n: usize) -> (Vec<u8>, Vec<Event>) {
    let mut w = HprofWriter::with_header("JAVA PROFILE 1.0.1", id_size, 0);
    w.utf8(1, "x").begin_heap_dump();
    let mut events = Vec::new();
    let class_id = oid(id_size, 1);
    for i in 0..n as u64 {
        let id = oid(id_size, 10 + i);
        let offset = w.offset();
        match i % 8 {
            0 => {
                let fields = vec![i as u8; (i % 37) as usize];
                w.instance_raw(id, class_id, &fields);
                events.push(Event::Instance {
                    offset,
                    id,
                    stack_serial: 0,
                    class_id,
                    fields,
                });
            }
            1 => {
                let elements: Vec<u64> = (0..i % 13).map(|k| oid(id_size, k)).collect();
                w.object_array(id, class_id, &elements);
                events.push(Event::ObjArray {
                    offset,
                    id,
                    stack_serial: 0,
                    len: elements.len() as u32,
                    class_id,
                    elements,
                });
            }
            2 => {
                let len = (i % 11) as u32;
                let data = vec![0xA5; len as usize * 4];
                w.primitive_array(id, BasicType::Int, len, &data);
                events.push(Event::PrimArray {
                    offset,
                    id,
                    stack_serial: 0,
                    len,
                    elem: BasicType::Int,
                    data: Some(data),
                });
            }
            3 => {
                let kind = RootKind::ALL[(i / 8) as usize % RootKind::ALL.len()];
                w.root(kind, id);
                events.push(Event::Root(default_root(kind, id, offset)));
            }
            4 => {
                let mut def = ClassDef::new(id, class_id)
                    .with_fields(id_size, vec![(1, BasicType::Object), (2, BasicType::Long)]);
                def.statics = vec![(3, Value::Int(i as i32))];
                w.class_dump(&def);
                events.push(Event::Class {
                    offset,
                    stack_serial: 0,
                    def,
                });
            }
            5 => {
                w.unreachable(id);
                events.push(Event::Unreachable { offset, id });
            }
            6 => {
                w.heap_dump_info(i as u32, 1);
                events.push(Event::HeapInfo {
                    offset,
                    heap_type: i as u32,
                    name_id: 1,
                });
            }
            _ => {
                w.primitive_array_nodata(id, BasicType::Double, i as u32);
                events.push(Event::PrimArray {
                    offset,
                    id,
                    stack_serial: 0,
                    len: i as u32,
                    elem: BasicType::Double,
                    data: None,
                });
            }
        }
    }
    (w.finish(), events)
}
