//! Heap dump sub-records: GC roots, class dumps, instances and arrays.
//!
//! [`walk_heap`] walks the body of a HEAP_DUMP or HEAP_DUMP_SEGMENT record and hands each
//! sub-record to a [`HeapVisitor`] as a view borrowing the dump's bytes. Nothing is allocated
//! per sub-record, and every declared length is checked against the bytes that remain before
//! it is used.

use crate::error::{ParseError, Result};
use crate::reader::{read_id, Reader};
use crate::tag::{BasicType, RootKind, SubTag};

/// A GC root sub-record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Root {
    /// Absolute offset of the sub-record's tag.
    pub offset: u64,
    /// Which kind of root.
    pub kind: RootKind,
    /// The rooted object.
    pub id: u64,
    /// The thread serial number, for the kinds that name a thread.
    pub thread_serial: Option<u32>,
    /// The frame number in the thread's stack trace (-1 for none), for JAVA_FRAME,
    /// JNI_LOCAL and JNI_MONITOR; the stack trace serial for THREAD_OBJECT.
    pub frame: Option<u32>,
}

/// An INSTANCE_DUMP: an object with its instance field values.
#[derive(Clone, Copy, Debug)]
pub struct Instance<'a> {
    /// Absolute offset of the sub-record's tag.
    pub offset: u64,
    /// The object's id.
    pub id: u64,
    /// The stack trace serial number of its allocation site.
    pub stack_serial: u32,
    /// The id of its class.
    pub class_id: u64,
    /// Field values, this class's fields first, then its superclass's, and so on.
    pub fields: &'a [u8],
}

/// An OBJ_ARRAY_DUMP: an array of references.
#[derive(Clone, Copy, Debug)]
pub struct ObjectArray<'a> {
    /// Absolute offset of the sub-record's tag.
    pub offset: u64,
    /// The array's id.
    pub id: u64,
    /// The stack trace serial number of its allocation site.
    pub stack_serial: u32,
    /// Number of elements.
    pub len: u32,
    /// The id of the array class (for example `[Ljava/lang/String;`).
    pub class_id: u64,
    /// The elements as raw identifiers (`len * id_size` bytes).
    pub elements: &'a [u8],
}

impl ObjectArray<'_> {
    /// The element ids, 0 for null.
    pub fn element_ids(&self, id_size: u8) -> impl Iterator<Item = u64> + '_ {
        self.elements
            .chunks_exact(id_size as usize)
            .map(move |c| read_id(c, id_size))
    }
}

/// A PRIM_ARRAY_DUMP (or Android's PRIMITIVE_ARRAY_NODATA).
#[derive(Clone, Copy, Debug)]
pub struct PrimitiveArray<'a> {
    /// Absolute offset of the sub-record's tag.
    pub offset: u64,
    /// The array's id.
    pub id: u64,
    /// The stack trace serial number of its allocation site.
    pub stack_serial: u32,
    /// Number of elements.
    pub len: u32,
    /// The element type (never [`BasicType::Object`]).
    pub elem: BasicType,
    /// The elements, big-endian; `None` for PRIMITIVE_ARRAY_NODATA.
    pub data: Option<&'a [u8]>,
}

/// A table of entries inside a CLASS_DUMP (constant pool, statics or instance fields),
/// kept as raw bytes and decoded on demand. Its type codes were validated by the walker.
#[derive(Clone, Copy, Debug)]
pub struct Entries<'a> {
    raw: &'a [u8],
    count: u16,
    id_size: u8,
}

impl<'a> Entries<'a> {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// A constant pool entry of a class dump.
#[derive(Clone, Copy, Debug)]
pub struct Constant<'a> {
    /// The constant pool index.
    pub index: u16,
    /// The type of the value.
    pub ty: BasicType,
    /// The raw big-endian value.
    pub value: &'a [u8],
}

/// A static field of a class dump, with its value.
#[derive(Clone, Copy, Debug)]
pub struct StaticField<'a> {
    /// The UTF8 string id of the field's name.
    pub name_id: u64,
    /// The field's type.
    pub ty: BasicType,
    /// The raw big-endian value.
    pub value: &'a [u8],
}

/// An instance field declaration of a class dump.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldDecl {
    /// The UTF8 string id of the field's name.
    pub name_id: u64,
    /// The field's type.
    pub ty: BasicType,
}

fn basic(code: u8) -> BasicType {
    // The walker validated every code before handing the entries out.
    BasicType::from_code(code).unwrap_or(BasicType::Byte)
}

impl<'a> Entries<'a> {
    /// Decodes the entries as constant pool entries.
    pub fn constants(&self) -> impl Iterator<Item = Constant<'a>> + 'a {
        let id_size = self.id_size;
        let mut raw = self.raw;
        (0..self.count).map(move |_| {
            let index = u16::from_be_bytes([raw[0], raw[1]]);
            let ty = basic(raw[2]);
            let n = ty.size_in_dump(id_size) as usize;
            let value = &raw[3..3 + n];
            raw = &raw[3 + n..];
            Constant { index, ty, value }
        })
    }

    /// Decodes the entries as static fields.
    pub fn statics(&self) -> impl Iterator<Item = StaticField<'a>> + 'a {
        let id_size = self.id_size;
        let ids = id_size as usize;
        let mut raw = self.raw;
        (0..self.count).map(move |_| {
            let name_id = read_id(raw, id_size);
            let ty = basic(raw[ids]);
            let n = ty.size_in_dump(id_size) as usize;
            let value = &raw[ids + 1..ids + 1 + n];
            raw = &raw[ids + 1 + n..];
            StaticField { name_id, ty, value }
        })
    }

    /// Decodes the entries as instance field declarations.
    pub fn fields(&self) -> impl Iterator<Item = FieldDecl> + 'a {
        let id_size = self.id_size;
        let ids = id_size as usize;
        let mut raw = self.raw;
        (0..self.count).map(move |_| {
            let name_id = read_id(raw, id_size);
            let ty = basic(raw[ids]);
            raw = &raw[ids + 1..];
            FieldDecl { name_id, ty }
        })
    }
}

/// A CLASS_DUMP: a class object with its super class, loader, statics and field layout.
#[derive(Clone, Copy, Debug)]
pub struct ClassDump<'a> {
    /// Absolute offset of the sub-record's tag.
    pub offset: u64,
    /// The class object's id.
    pub id: u64,
    /// The stack trace serial number.
    pub stack_serial: u32,
    /// The super class's id, 0 for none.
    pub super_id: u64,
    /// The defining class loader's id, 0 for the boot loader.
    pub loader_id: u64,
    /// The signers object's id, 0 for none.
    pub signers_id: u64,
    /// The protection domain's id, 0 for none.
    pub protection_domain_id: u64,
    /// The instance size the writer declares (field bytes in the dump's encoding).
    pub instance_size: u32,
    /// Constant pool entries.
    pub constants: Entries<'a>,
    /// Static fields with their values.
    pub statics: Entries<'a>,
    /// Instance field declarations of this class only (not its supers).
    pub fields: Entries<'a>,
}

/// Receives the sub-records of a heap dump. Every method has an empty default.
pub trait HeapVisitor {
    /// A GC root.
    #[inline]
    fn root(&mut self, _root: Root) {}
    /// A class dump.
    #[inline]
    fn class_dump(&mut self, _class: &ClassDump<'_>) {}
    /// An instance.
    #[inline]
    fn instance(&mut self, _obj: &Instance<'_>) {}
    /// An object array.
    #[inline]
    fn object_array(&mut self, _arr: &ObjectArray<'_>) {}
    /// A primitive array.
    #[inline]
    fn primitive_array(&mut self, _arr: &PrimitiveArray<'_>) {}
    /// An object listed as unreachable (Android's UNREACHABLE sub-record).
    #[inline]
    fn unreachable(&mut self, _offset: u64, _id: u64) {}
    /// Android's HEAP_DUMP_INFO: the heap the next sub-records belong to.
    #[inline]
    fn heap_info(&mut self, _offset: u64, _heap_type: u32, _name_id: u64) {}
}

fn sub_name(tag: SubTag) -> &'static str {
    tag.name().unwrap_or("sub-record")
}

fn type_code(r: &mut Reader<'_>, tag: SubTag, start: u64) -> Result<BasicType> {
    let code = r.u8(sub_name(tag), start)?;
    BasicType::from_code(code).ok_or(ParseError::BadTypeCode {
        record: tag,
        offset: start,
        code,
    })
}

fn class_dump<'a>(r: &mut Reader<'a>, id_size: u8, start: u64) -> Result<ClassDump<'a>> {
    const NAME: &str = "CLASS_DUMP";
    let tag = SubTag::CLASS_DUMP;
    let ids = id_size as usize;
    let head = r.take(7 * ids + 8, NAME, start)?;
    let id_at = |i: usize| -> u64 {
        let o = if i == 0 { 0 } else { 4 + i * ids };
        read_id(&head[o..], id_size)
    };
    let id = id_at(0);
    let stack_serial = crate::reader::read_u32(&head[ids..]);
    let super_id = id_at(1);
    let loader_id = id_at(2);
    let signers_id = id_at(3);
    let protection_domain_id = id_at(4);
    let instance_size = crate::reader::read_u32(&head[4 + 7 * ids..]);

    // Constant pool: u2 index, u1 type, value.
    let count = r.u16(NAME, start)?;
    let begin = r.pos();
    let mut probe = r.clone();
    for _ in 0..count {
        probe.take(2, NAME, start)?;
        let ty = type_code(&mut probe, tag, start)?;
        probe.take(ty.size_in_dump(id_size) as usize, NAME, start)?;
    }
    let constants = Entries {
        raw: r.take(probe.pos() - begin, NAME, start)?,
        count,
        id_size,
    };

    // Statics: name id, u1 type, value.
    let count = r.u16(NAME, start)?;
    let begin = r.pos();
    let mut probe = r.clone();
    for _ in 0..count {
        probe.take(ids, NAME, start)?;
        let ty = type_code(&mut probe, tag, start)?;
        probe.take(ty.size_in_dump(id_size) as usize, NAME, start)?;
    }
    let statics = Entries {
        raw: r.take(probe.pos() - begin, NAME, start)?,
        count,
        id_size,
    };

    // Instance fields: name id, u1 type.
    let count = r.u16(NAME, start)?;
    let begin = r.pos();
    let mut probe = r.clone();
    for _ in 0..count {
        probe.take(ids, NAME, start)?;
        type_code(&mut probe, tag, start)?;
    }
    let fields = Entries {
        raw: r.take(probe.pos() - begin, NAME, start)?,
        count,
        id_size,
    };

    Ok(ClassDump {
        offset: start,
        id,
        stack_serial,
        super_id,
        loader_id,
        signers_id,
        protection_domain_id,
        instance_size,
        constants,
        statics,
        fields,
    })
}

/// Walks the sub-records in `data` (a heap dump record body, or an aligned part of one) whose
/// first byte is at absolute offset `base`, handing each to `visitor`.
///
/// Stops at the first damaged sub-record and returns its error; everything before it has
/// been visited.
pub fn walk_heap<V: HeapVisitor + ?Sized>(
    data: &[u8],
    base: u64,
    id_size: u8,
    visitor: &mut V,
) -> Result<()> {
    let mut r = Reader::new(data, base);
    while !r.is_empty() {
        walk_one(&mut r, id_size, visitor)?;
    }
    Ok(())
}

/// Decodes the single sub-record at absolute offset `offset` of `data` (the whole dump) and
/// hands it to `visitor`. Used to re-read an object found earlier.
pub fn read_sub_record<V: HeapVisitor + ?Sized>(
    data: &[u8],
    offset: u64,
    id_size: u8,
    visitor: &mut V,
) -> Result<()> {
    let start = offset.min(data.len() as u64) as usize;
    let mut r = Reader::new(&data[start..], start as u64);
    walk_one(&mut r, id_size, visitor)
}

fn walk_one<V: HeapVisitor + ?Sized>(
    r: &mut Reader<'_>,
    id_size: u8,
    visitor: &mut V,
) -> Result<()> {
    let start = r.offset();
    let tag = SubTag(r.u8("sub-record", start)?);
    match tag {
        SubTag::INSTANCE_DUMP => visitor.instance(&instance(r, id_size, start)?),
        SubTag::OBJ_ARRAY_DUMP => visitor.object_array(&object_array(r, id_size, start)?),
        SubTag::PRIM_ARRAY_DUMP | SubTag::PRIM_ARRAY_NODATA => {
            visitor.primitive_array(&primitive_array(r, tag, id_size, start)?)
        }
        SubTag::CLASS_DUMP => {
            let c = class_dump(r, id_size, start)?;
            visitor.class_dump(&c);
        }
        SubTag::UNREACHABLE => {
            let id = r.id(id_size, "UNREACHABLE", start)?;
            visitor.unreachable(start, id);
        }
        SubTag::HEAP_DUMP_INFO => {
            let heap_type = r.u32("HEAP_DUMP_INFO", start)?;
            let name_id = r.id(id_size, "HEAP_DUMP_INFO", start)?;
            visitor.heap_info(start, heap_type, name_id);
        }
        _ => visitor.root(root(r, tag, id_size, start)?),
    }
    Ok(())
}

/// The body of an `INSTANCE_DUMP` at `start` (its tag read).
#[inline]
fn instance<'a>(r: &mut Reader<'a>, id_size: u8, start: u64) -> Result<Instance<'a>> {
    const N: &str = "INSTANCE_DUMP";
    let ids = id_size as usize;
    let head = r.take(2 * ids + 8, N, start)?;
    let id = read_id(head, id_size);
    let stack_serial = crate::reader::read_u32(&head[ids..]);
    let class_id = read_id(&head[ids + 4..], id_size);
    let len = crate::reader::read_u32(&head[2 * ids + 4..]);
    let fields = r.take_declared(len as u64, N, start)?;
    Ok(Instance {
        offset: start,
        id,
        stack_serial,
        class_id,
        fields,
    })
}

/// The body of an `OBJ_ARRAY_DUMP` at `start` (its tag read).
#[inline]
fn object_array<'a>(r: &mut Reader<'a>, id_size: u8, start: u64) -> Result<ObjectArray<'a>> {
    const N: &str = "OBJ_ARRAY_DUMP";
    let ids = id_size as usize;
    let head = r.take(2 * ids + 8, N, start)?;
    let id = read_id(head, id_size);
    let stack_serial = crate::reader::read_u32(&head[ids..]);
    let len = crate::reader::read_u32(&head[ids + 4..]);
    let class_id = read_id(&head[ids + 8..], id_size);
    let elements = r.take_declared(len as u64 * ids as u64, N, start)?;
    Ok(ObjectArray {
        offset: start,
        id,
        stack_serial,
        len,
        class_id,
        elements,
    })
}

/// The body of a `PRIM_ARRAY_DUMP` or `PRIM_ARRAY_NODATA` (`tag`) at `start`.
#[inline]
fn primitive_array<'a>(
    r: &mut Reader<'a>,
    tag: SubTag,
    id_size: u8,
    start: u64,
) -> Result<PrimitiveArray<'a>> {
    let ids = id_size as usize;
    let n = sub_name(tag);
    let head = r.take(ids + 8, n, start)?;
    let id = read_id(head, id_size);
    let stack_serial = crate::reader::read_u32(&head[ids..]);
    let len = crate::reader::read_u32(&head[ids + 4..]);
    let elem = type_code(r, tag, start)?;
    if elem == BasicType::Object {
        return Err(ParseError::BadTypeCode {
            record: tag,
            offset: start,
            code: elem.code(),
        });
    }
    let data = if tag == SubTag::PRIM_ARRAY_DUMP {
        let bytes = len as u64 * elem.size_in_dump(id_size) as u64;
        Some(r.take_declared(bytes, n, start)?)
    } else {
        None
    };
    Ok(PrimitiveArray {
        offset: start,
        id,
        stack_serial,
        len,
        elem,
        data,
    })
}

/// A GC root sub-record (`tag`) at `start`; any other tag is unknown.
#[inline]
fn root(r: &mut Reader<'_>, tag: SubTag, id_size: u8, start: u64) -> Result<Root> {
    let Some(kind) = RootKind::from_tag(tag) else {
        return Err(ParseError::UnknownSubTag {
            tag: tag.0,
            offset: start,
        });
    };
    let n = sub_name(tag);
    let id = r.id(id_size, n, start)?;
    let (thread_serial, frame) = match kind {
        RootKind::JniGlobal => {
            r.id(id_size, n, start)?;
            (None, None)
        }
        RootKind::JniLocal
        | RootKind::JavaFrame
        | RootKind::JniMonitor
        | RootKind::ThreadObject => {
            let t = r.u32(n, start)?;
            let f = r.u32(n, start)?;
            (Some(t), Some(f))
        }
        RootKind::NativeStack | RootKind::ThreadBlock => (Some(r.u32(n, start)?), None),
        _ => (None, None),
    };
    Ok(Root {
        offset: start,
        kind,
        id,
        thread_serial,
        frame,
    })
}
