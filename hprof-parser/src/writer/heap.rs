//! The heap sub-records of [`HprofWriter`]: GC roots, class dumps, instances, arrays, and the
//! Android records (HEAP_DUMP_INFO, UNREACHABLE), appended to the open heap record.

use super::{encode_values, put_id, ClassDef, HprofWriter, Value};
use super::{JNI_GLOBAL_REF_ID, ROOT_FRAME, ROOT_THREAD_SERIAL, ROOT_THREAD_STACK_SERIAL};
use crate::tag::{BasicType, RootKind, SubTag};

impl HprofWriter {
    /// A GC root of any kind, with the extra fields its kind has: [`JNI_GLOBAL_REF_ID`] for
    /// JNI_GLOBAL, thread serial [`ROOT_THREAD_SERIAL`] and frame [`ROOT_FRAME`] for
    /// JNI_LOCAL, JAVA_FRAME and JNI_MONITOR, thread serial [`ROOT_THREAD_SERIAL`] for
    /// NATIVE_STACK and THREAD_BLOCK, thread serial [`ROOT_THREAD_SERIAL`] and stack serial
    /// [`ROOT_THREAD_STACK_SERIAL`] for THREAD_OBJECT.
    pub fn root(&mut self, kind: RootKind, id: u64) -> &mut Self {
        let frame = if kind == RootKind::ThreadObject {
            ROOT_THREAD_STACK_SERIAL
        } else {
            ROOT_FRAME
        };
        self.root_with(kind, id, ROOT_THREAD_SERIAL, frame)
    }

    /// A root of `kind` with the given thread serial and frame (or stack serial), each written
    /// only if the kind has that field.
    fn root_with(&mut self, kind: RootKind, id: u64, thread_serial: u32, frame: u32) -> &mut Self {
        self.sub(|ids, b| {
            b.push(root_tag(kind).0);
            put_id(b, ids, id);
            match kind {
                RootKind::JniGlobal => put_id(b, ids, JNI_GLOBAL_REF_ID),
                RootKind::JniLocal
                | RootKind::JavaFrame
                | RootKind::JniMonitor
                | RootKind::ThreadObject => {
                    b.extend_from_slice(&thread_serial.to_be_bytes());
                    b.extend_from_slice(&frame.to_be_bytes());
                }
                RootKind::NativeStack | RootKind::ThreadBlock => {
                    b.extend_from_slice(&thread_serial.to_be_bytes());
                }
                RootKind::Unknown
                | RootKind::StickyClass
                | RootKind::MonitorUsed
                | RootKind::InternedString
                | RootKind::Finalizing
                | RootKind::Debugger
                | RootKind::ReferenceCleanup
                | RootKind::VmInternal => {}
            }
        })
    }

    /// A ROOT_JAVA_FRAME: a local variable of frame `frame` of the thread's stack.
    pub fn root_java_frame(&mut self, id: u64, thread_serial: u32, frame: u32) -> &mut Self {
        self.root_with(RootKind::JavaFrame, id, thread_serial, frame)
    }

    /// A ROOT_THREAD_OBJECT: the thread object of `thread_serial`, with its stack serial.
    pub fn root_thread_object(
        &mut self,
        id: u64,
        thread_serial: u32,
        stack_serial: u32,
    ) -> &mut Self {
        self.root_with(RootKind::ThreadObject, id, thread_serial, stack_serial)
    }

    /// A CLASS_DUMP (reserved ids written as 0; the writer's current stack serial).
    pub fn class_dump(&mut self, c: &ClassDef) -> &mut Self {
        let stack_serial = self.stack_serial;
        self.sub(|ids, b| {
            b.push(SubTag::CLASS_DUMP.0);
            put_id(b, ids, c.id);
            b.extend_from_slice(&stack_serial.to_be_bytes());
            put_id(b, ids, c.super_id);
            put_id(b, ids, c.loader_id);
            put_id(b, ids, c.signers_id);
            put_id(b, ids, c.protection_domain_id);
            put_id(b, ids, 0); // reserved
            put_id(b, ids, 0); // reserved
            b.extend_from_slice(&c.instance_size.to_be_bytes());
            b.extend_from_slice(&(c.constants.len() as u16).to_be_bytes());
            for (index, v) in &c.constants {
                b.extend_from_slice(&index.to_be_bytes());
                b.push(v.ty().code());
                v.encode(ids, b);
            }
            b.extend_from_slice(&(c.statics.len() as u16).to_be_bytes());
            for (name, v) in &c.statics {
                put_id(b, ids, *name);
                b.push(v.ty().code());
                v.encode(ids, b);
            }
            b.extend_from_slice(&(c.fields.len() as u16).to_be_bytes());
            for (name, ty) in &c.fields {
                put_id(b, ids, *name);
                b.push(ty.code());
            }
        })
    }

    /// An INSTANCE_DUMP whose field bytes encode `values` in order (this class's fields
    /// first, then its superclass's, and so on).
    pub fn instance(&mut self, id: u64, class_id: u64, values: &[Value]) -> &mut Self {
        let bytes = encode_values(self.id_size, values);
        self.instance_raw(id, class_id, &bytes)
    }

    /// An INSTANCE_DUMP with these field bytes (and their true length).
    pub fn instance_raw(&mut self, id: u64, class_id: u64, bytes: &[u8]) -> &mut Self {
        let stack_serial = self.stack_serial;
        self.sub(|ids, b| {
            b.push(SubTag::INSTANCE_DUMP.0);
            put_id(b, ids, id);
            b.extend_from_slice(&stack_serial.to_be_bytes());
            put_id(b, ids, class_id);
            b.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
            b.extend_from_slice(bytes);
        })
    }

    /// An OBJ_ARRAY_DUMP of these element ids (0 for null).
    pub fn object_array(&mut self, id: u64, array_class_id: u64, elements: &[u64]) -> &mut Self {
        let stack_serial = self.stack_serial;
        self.sub(|ids, b| {
            b.push(SubTag::OBJ_ARRAY_DUMP.0);
            put_id(b, ids, id);
            b.extend_from_slice(&stack_serial.to_be_bytes());
            b.extend_from_slice(&(elements.len() as u32).to_be_bytes());
            put_id(b, ids, array_class_id);
            for &e in elements {
                put_id(b, ids, e);
            }
        })
    }

    /// A PRIM_ARRAY_DUMP declaring `len` elements of type `elem`, followed by `data` as given
    /// (it should be `len * size` bytes; this is not checked, so tests can lie).
    pub fn primitive_array(
        &mut self,
        id: u64,
        elem: BasicType,
        len: u32,
        data: &[u8],
    ) -> &mut Self {
        self.primitive_array_code(id, elem.code(), len, data)
    }

    /// A PRIM_ARRAY_DUMP with any element type code (for damage tests).
    pub fn primitive_array_code(&mut self, id: u64, code: u8, len: u32, data: &[u8]) -> &mut Self {
        let stack_serial = self.stack_serial;
        self.sub(|ids, b| {
            b.push(SubTag::PRIM_ARRAY_DUMP.0);
            put_id(b, ids, id);
            b.extend_from_slice(&stack_serial.to_be_bytes());
            b.extend_from_slice(&len.to_be_bytes());
            b.push(code);
            b.extend_from_slice(data);
        })
    }

    /// A PRIM_ARRAY_DUMP of these values (all of type `elem`; not checked).
    pub fn primitive_array_values(
        &mut self,
        id: u64,
        elem: BasicType,
        values: &[Value],
    ) -> &mut Self {
        let data = encode_values(self.id_size, values);
        self.primitive_array(id, elem, values.len() as u32, &data)
    }

    /// A `char[]` holding `text` as UTF-16 (how `java.lang.String` kept its value before
    /// Java 9).
    pub fn char_array(&mut self, id: u64, text: &str) -> &mut Self {
        let units: Vec<u16> = text.encode_utf16().collect();
        let data: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
        self.primitive_array(id, BasicType::Char, units.len() as u32, &data)
    }

    /// A `byte[]` holding `bytes` (how `java.lang.String` keeps its value since Java 9).
    pub fn byte_array(&mut self, id: u64, bytes: &[u8]) -> &mut Self {
        self.primitive_array(id, BasicType::Byte, bytes.len() as u32, bytes)
    }

    /// Android's PRIMITIVE_ARRAY_NODATA: a primitive array whose contents were left out.
    pub fn primitive_array_nodata(&mut self, id: u64, elem: BasicType, len: u32) -> &mut Self {
        let stack_serial = self.stack_serial;
        self.sub(|ids, b| {
            b.push(SubTag::PRIM_ARRAY_NODATA.0);
            put_id(b, ids, id);
            b.extend_from_slice(&stack_serial.to_be_bytes());
            b.extend_from_slice(&len.to_be_bytes());
            b.push(elem.code());
        })
    }

    /// Android's UNREACHABLE sub-record.
    pub fn unreachable(&mut self, id: u64) -> &mut Self {
        self.sub(|ids, b| {
            b.push(SubTag::UNREACHABLE.0);
            put_id(b, ids, id);
        })
    }

    /// Android's HEAP_DUMP_INFO: the heap type and its name's string id.
    pub fn heap_dump_info(&mut self, heap_type: u32, name_id: u64) -> &mut Self {
        self.sub(|ids, b| {
            b.push(SubTag::HEAP_DUMP_INFO.0);
            b.extend_from_slice(&heap_type.to_be_bytes());
            put_id(b, ids, name_id);
        })
    }

    /// Raw bytes appended to the open heap record (for unknown tags or hand-made damage).
    pub fn sub_raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.sub(|_, b| b.extend_from_slice(bytes))
    }
}

/// The sub-record tag of a root kind.
pub fn root_tag(kind: RootKind) -> SubTag {
    match kind {
        RootKind::Unknown => SubTag::ROOT_UNKNOWN,
        RootKind::JniGlobal => SubTag::ROOT_JNI_GLOBAL,
        RootKind::JniLocal => SubTag::ROOT_JNI_LOCAL,
        RootKind::JavaFrame => SubTag::ROOT_JAVA_FRAME,
        RootKind::NativeStack => SubTag::ROOT_NATIVE_STACK,
        RootKind::StickyClass => SubTag::ROOT_STICKY_CLASS,
        RootKind::ThreadBlock => SubTag::ROOT_THREAD_BLOCK,
        RootKind::MonitorUsed => SubTag::ROOT_MONITOR_USED,
        RootKind::ThreadObject => SubTag::ROOT_THREAD_OBJECT,
        RootKind::InternedString => SubTag::ROOT_INTERNED_STRING,
        RootKind::Finalizing => SubTag::ROOT_FINALIZING,
        RootKind::Debugger => SubTag::ROOT_DEBUGGER,
        RootKind::ReferenceCleanup => SubTag::ROOT_REFERENCE_CLEANUP,
        RootKind::VmInternal => SubTag::ROOT_VM_INTERNAL,
        RootKind::JniMonitor => SubTag::ROOT_JNI_MONITOR,
    }
}
