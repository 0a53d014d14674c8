//! The synthetic writer against hand-written bytes of the HPROF format, so that the parser's
//! round-trip tests do not merely check the writer and the parser against each other.

use hprof_parser::writer::{encode_values, ClassDef, HprofWriter, Value};
use hprof_parser::{BasicType, RootKind};

/// The header `HprofWriter::new(4)` writes.
fn header4() -> Vec<u8> {
    let mut h = b"JAVA PROFILE 1.0.2\0".to_vec();
    h.extend_from_slice(&[0, 0, 0, 4]);
    h.extend_from_slice(&[0x00, 0x00, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x00]); // 1_700_000_000_000
    h
}

/// A record: tag, time 0, length, body.
fn rec(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut r = vec![tag, 0, 0, 0, 0];
    r.extend_from_slice(&(body.len() as u32).to_be_bytes());
    r.extend_from_slice(body);
    r
}

/// The bytes after the header.
fn records(w: &mut HprofWriter) -> Vec<u8> {
    let all = w.finish();
    assert_eq!(all[..31], header4()[..]);
    all[31..].to_vec()
}

#[test]
fn header_layout() {
    assert_eq!(HprofWriter::new(4).finish(), header4());
    let h = HprofWriter::with_header("JAVA PROFILE 1.0.1", 8, 0x0102_0304_0506_0708).finish();
    let mut want = b"JAVA PROFILE 1.0.1\0".to_vec();
    want.extend_from_slice(&[0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(h, want);
    let odd = HprofWriter::with_header("X", 200, 0).finish();
    assert_eq!(odd, [b'X', 0, 0, 0, 0, 200, 0, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn top_level_record_layouts() {
    let mut w = HprofWriter::new(4);
    w.utf8(0x0A0B_0C0D, "h\u{e9}");
    let mut want = rec(0x01, &[0x0A, 0x0B, 0x0C, 0x0D, b'h', 0xC3, 0xA9]);

    w.set_stack_serial(0x55);
    w.load_class(3, 0x1122_3344, 9);
    want.extend(rec(
        0x02,
        &[
            0, 0, 0, 3, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0x55, 0, 0, 0, 9,
        ],
    ));

    w.unload_class(0x0102_0304);
    want.extend(rec(0x03, &[1, 2, 3, 4]));

    w.frame(1, 2, 3, 4, 5, -2);
    want.extend(rec(
        0x04,
        &[
            0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0xFF, 0xFF, 0xFF, 0xFE,
        ],
    ));

    w.trace(7, 8, &[0xA, 0xB]);
    want.extend(rec(
        0x05,
        &[
            0, 0, 0, 7, 0, 0, 0, 8, 0, 0, 0, 2, 0, 0, 0, 0xA, 0, 0, 0, 0xB,
        ],
    ));

    w.start_thread(1, 2, 3, 4, 5, 6);
    want.extend(rec(
        0x0A,
        &[
            0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6,
        ],
    ));

    w.end_thread(0x0102_0304);
    want.extend(rec(0x0B, &[1, 2, 3, 4]));

    w.heap_summary(1, 2, 3, 4);
    want.extend(rec(
        0x07,
        &[
            0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 4,
        ],
    ));

    w.alloc_sites();
    want.extend(rec(0x06, &[0; 34]));

    w.cpu_samples();
    want.extend(rec(0x0D, &[0; 8]));

    w.control_settings(0x0102_0304, 0x0506);
    want.extend(rec(0x0E, &[1, 2, 3, 4, 5, 6]));

    w.record(0x42, b"xyz");
    want.extend(rec(0x42, b"xyz"));

    w.record_with_len(0x1C, 1000, b"ab");
    want.extend([0x1C, 0, 0, 0, 0, 0, 0, 0x03, 0xE8, b'a', b'b']);

    w.heap_dump_end();
    want.extend(rec(0x2C, &[]));

    assert_eq!(records(&mut w), want);
}

#[test]
fn ids_take_the_id_size() {
    let mut w = HprofWriter::new(8);
    w.utf8(0x0102_0304_0506_0708, "");
    assert_eq!(w.finish()[31..], rec(1, &[1, 2, 3, 4, 5, 6, 7, 8])[..]);
    // With 4-byte ids, the low 4 bytes are written.
    let mut w = HprofWriter::new(4);
    w.utf8(0x0102_0304_0506_0708, "");
    assert_eq!(records(&mut w), rec(1, &[5, 6, 7, 8]));
}

#[test]
fn time_field() {
    let mut w = HprofWriter::new(4);
    w.set_time_us(0x0102_0304).end_thread(1);
    assert_eq!(records(&mut w), [0x0B, 1, 2, 3, 4, 0, 0, 0, 4, 0, 0, 0, 1]);
}

#[test]
fn root_layouts() {
    let cases: [(RootKind, Vec<u8>); 15] = [
        (RootKind::Unknown, vec![0xFF, 0, 0, 0, 9]),
        (
            RootKind::JniGlobal,
            vec![0x01, 0, 0, 0, 9, 0, 0, 0x77, 0x77],
        ),
        (
            RootKind::JniLocal,
            vec![0x02, 0, 0, 0, 9, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF],
        ),
        (
            RootKind::JavaFrame,
            vec![0x03, 0, 0, 0, 9, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF],
        ),
        (RootKind::NativeStack, vec![0x04, 0, 0, 0, 9, 0, 0, 0, 1]),
        (RootKind::StickyClass, vec![0x05, 0, 0, 0, 9]),
        (RootKind::ThreadBlock, vec![0x06, 0, 0, 0, 9, 0, 0, 0, 1]),
        (RootKind::MonitorUsed, vec![0x07, 0, 0, 0, 9]),
        (
            RootKind::ThreadObject,
            vec![0x08, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 1],
        ),
        (RootKind::InternedString, vec![0x89, 0, 0, 0, 9]),
        (RootKind::Finalizing, vec![0x8A, 0, 0, 0, 9]),
        (RootKind::Debugger, vec![0x8B, 0, 0, 0, 9]),
        (RootKind::ReferenceCleanup, vec![0x8C, 0, 0, 0, 9]),
        (RootKind::VmInternal, vec![0x8D, 0, 0, 0, 9]),
        (
            RootKind::JniMonitor,
            vec![0x8E, 0, 0, 0, 9, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF],
        ),
    ];
    for (kind, sub) in cases {
        let mut w = HprofWriter::new(4);
        w.begin_segment().root(kind, 9);
        assert_eq!(records(&mut w), rec(0x1C, &sub), "{kind:?}");
    }
    let mut w = HprofWriter::new(4);
    w.begin_segment()
        .root_java_frame(9, 2, 3)
        .root_thread_object(9, 4, 5);
    assert_eq!(
        records(&mut w),
        rec(
            0x1C,
            &[
                0x03, 0, 0, 0, 9, 0, 0, 0, 2, 0, 0, 0, 3, //
                0x08, 0, 0, 0, 9, 0, 0, 0, 4, 0, 0, 0, 5,
            ]
        )
    );
}

#[test]
fn class_dump_layout() {
    let mut c = ClassDef::new(0x10, 0x11);
    c.loader_id = 0x12;
    c.signers_id = 0x13;
    c.protection_domain_id = 0x14;
    c.instance_size = 0x0102;
    c.constants = vec![(0x0506, Value::Short(-2))];
    c.statics = vec![(0x20, Value::Object(0x21)), (0x22, Value::Boolean(true))];
    c.fields = vec![(0x30, BasicType::Long), (0x31, BasicType::Char)];
    let mut w = HprofWriter::new(4);
    w.set_stack_serial(6).begin_segment().class_dump(&c);
    #[rustfmt::skip]
    let sub = [
        0x20,
        0, 0, 0, 0x10, // id
        0, 0, 0, 6, // stack serial
        0, 0, 0, 0x11, // super
        0, 0, 0, 0x12, // loader
        0, 0, 0, 0x13, // signers
        0, 0, 0, 0x14, // protection domain
        0, 0, 0, 0, 0, 0, 0, 0, // reserved
        0, 0, 1, 2, // instance size
        0, 1, 5, 6, 9, 0xFF, 0xFE, // constants
        0, 2, 0, 0, 0, 0x20, 2, 0, 0, 0, 0x21, 0, 0, 0, 0x22, 4, 1, // statics
        0, 2, 0, 0, 0, 0x30, 11, 0, 0, 0, 0x31, 5, // fields
    ];
    assert_eq!(records(&mut w), rec(0x1C, &sub));
}

#[test]
fn object_layouts() {
    let mut w = HprofWriter::new(4);
    w.set_stack_serial(6)
        .begin_heap_dump()
        .instance(1, 2, &[Value::Int(-1), Value::Object(3), Value::Byte(4)])
        .object_array(5, 6, &[7, 0])
        .primitive_array_values(
            8,
            BasicType::Char,
            &[Value::Char(0x41), Value::Char(0x263A)],
        )
        .primitive_array_nodata(9, BasicType::Float, 0x0100)
        .unreachable(10)
        .heap_dump_info(0x41, 11);
    #[rustfmt::skip]
    let sub = [
        0x21, 0, 0, 0, 1, 0, 0, 0, 6, 0, 0, 0, 2, 0, 0, 0, 9,
        0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 3, 4,
        0x22, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 2, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 0,
        0x23, 0, 0, 0, 8, 0, 0, 0, 6, 0, 0, 0, 2, 5, 0, 0x41, 0x26, 0x3A,
        0xC3, 0, 0, 0, 9, 0, 0, 0, 6, 0, 0, 1, 0, 6,
        0x90, 0, 0, 0, 10,
        0xFE, 0, 0, 0, 0x41, 0, 0, 0, 11,
    ];
    assert_eq!(records(&mut w), rec(0x0C, &sub));
}

#[test]
fn value_encodings() {
    let values = [
        Value::Object(0x0102_0304),
        Value::Boolean(false),
        Value::Boolean(true),
        Value::Char(0xABCD),
        Value::Float(1.0),
        Value::Double(-2.0),
        Value::Byte(-1),
        Value::Short(0x0102),
        Value::Int(0x0102_0304),
        Value::Long(-2),
    ];
    #[rustfmt::skip]
    let want = [
        1, 2, 3, 4,
        0, 1,
        0xAB, 0xCD,
        0x3F, 0x80, 0, 0,
        0xC0, 0, 0, 0, 0, 0, 0, 0,
        0xFF,
        1, 2,
        1, 2, 3, 4,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
    ];
    assert_eq!(encode_values(4, &values), want);
    let mut at = 0;
    for v in values {
        let n = v.ty().size_in_dump(4) as usize;
        assert_eq!(Value::decode(v.ty(), &want[at..], 4), Some(v));
        at += n;
    }
    assert_eq!(Value::decode(BasicType::Long, &[0; 7], 4), None);
    assert_eq!(
        encode_values(8, &[Value::Object(0x0102_0304_0506_0708)]),
        [1, 2, 3, 4, 5, 6, 7, 8]
    );
}

#[test]
fn heap_records_open_and_close() {
    // A sub-record with no open heap record opens a segment (HEAP_DUMP under 1.0.1).
    let mut w = HprofWriter::new(4);
    w.unreachable(1);
    assert!(w.heap_open());
    assert_eq!(records(&mut w), rec(0x1C, &[0x90, 0, 0, 0, 1]));
    assert!(!w.heap_open());
    let mut w = HprofWriter::with_header("JAVA PROFILE 1.0.1", 4, 0);
    w.unreachable(1);
    assert_eq!(w.finish()[31..], rec(0x0C, &[0x90, 0, 0, 0, 1])[..]);

    // A top-level record closes the open heap record first; so does opening another.
    let mut w = HprofWriter::new(4);
    w.begin_segment().unreachable(1);
    assert_eq!(w.offset(), 31 + 9 + 5);
    w.end_thread(2)
        .begin_segment()
        .unreachable(3)
        .begin_heap_dump();
    w.unreachable(4).heap_dump_end();
    let mut want = rec(0x1C, &[0x90, 0, 0, 0, 1]);
    want.extend(rec(0x0B, &[0, 0, 0, 2]));
    want.extend(rec(0x1C, &[0x90, 0, 0, 0, 3]));
    want.extend(rec(0x0C, &[0x90, 0, 0, 0, 4]));
    want.extend(rec(0x2C, &[]));
    assert_eq!(records(&mut w), want);
    assert_eq!(w.offset(), 31 + want.len() as u64);

    // An empty segment is still written; end_segment with nothing open writes nothing.
    let mut w = HprofWriter::new(4);
    w.begin_segment().end_segment().end_segment();
    assert_eq!(records(&mut w), rec(0x1C, &[]));

    // finish leaves the writer usable.
    let mut w = HprofWriter::new(4);
    w.begin_segment().unreachable(1);
    let first = w.finish();
    w.unreachable(2);
    let second = w.finish();
    assert!(second.starts_with(&first));
    assert_eq!(second[first.len()..], rec(0x1C, &[0x90, 0, 0, 0, 2])[..]);
}

#[test]
fn raw_helpers() {
    let mut w = HprofWriter::new(4);
    w.begin_segment()
        .sub_raw(&[0x42, 1])
        .instance_raw(1, 2, &[9])
        .primitive_array(3, BasicType::Int, 10, &[1])
        .primitive_array_code(4, 3, 0, &[])
        .char_array(5, "A\u{1F600}")
        .byte_array(6, b"hi");
    #[rustfmt::skip]
    let sub = [
        0x42, 1,
        0x21, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 9,
        0x23, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 10, 10, 1,
        0x23, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 3,
        0x23, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 3, 5, 0, 0x41, 0xD8, 0x3D, 0xDE, 0x00,
        0x23, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 2, 8, b'h', b'i',
    ];
    assert_eq!(records(&mut w), rec(0x1C, &sub));
    assert_eq!(w.id_size(), 4);
    assert_eq!(
        ClassDef::new(1, 2)
            .with_fields(8, vec![(1, BasicType::Object), (2, BasicType::Int)])
            .instance_size,
        12
    );
}
