//! Record and sub-record tags of the HPROF format, as newtypes with named constants.

use std::fmt;

/// The tag byte of a top-level record.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordTag(pub u8);

impl RecordTag {
    /// A string in modified UTF-8, referenced by id from other records.
    pub const UTF8: RecordTag = RecordTag(0x01);
    /// A class's serial number, object id and name.
    pub const LOAD_CLASS: RecordTag = RecordTag(0x02);
    /// A class unloaded before the dump.
    pub const UNLOAD_CLASS: RecordTag = RecordTag(0x03);
    /// A stack frame.
    pub const FRAME: RecordTag = RecordTag(0x04);
    /// A stack trace: a list of frame ids.
    pub const TRACE: RecordTag = RecordTag(0x05);
    /// Allocation sites (from old profilers).
    pub const ALLOC_SITES: RecordTag = RecordTag(0x06);
    /// Totals of live and allocated bytes and instances.
    pub const HEAP_SUMMARY: RecordTag = RecordTag(0x07);
    /// A thread started.
    pub const START_THREAD: RecordTag = RecordTag(0x0A);
    /// A thread ended.
    pub const END_THREAD: RecordTag = RecordTag(0x0B);
    /// A whole heap dump in one record (old style and Android).
    pub const HEAP_DUMP: RecordTag = RecordTag(0x0C);
    /// CPU samples.
    pub const CPU_SAMPLES: RecordTag = RecordTag(0x0D);
    /// Profiler control settings.
    pub const CONTROL_SETTINGS: RecordTag = RecordTag(0x0E);
    /// One segment of a heap dump (HotSpot cuts at about 1 MiB).
    pub const HEAP_DUMP_SEGMENT: RecordTag = RecordTag(0x1C);
    /// Marks the end of the heap dump segments.
    pub const HEAP_DUMP_END: RecordTag = RecordTag(0x2C);

    /// Every tag this parser knows, in tag order.
    pub const ALL: [RecordTag; 14] = [
        Self::UTF8,
        Self::LOAD_CLASS,
        Self::UNLOAD_CLASS,
        Self::FRAME,
        Self::TRACE,
        Self::ALLOC_SITES,
        Self::HEAP_SUMMARY,
        Self::START_THREAD,
        Self::END_THREAD,
        Self::HEAP_DUMP,
        Self::CPU_SAMPLES,
        Self::CONTROL_SETTINGS,
        Self::HEAP_DUMP_SEGMENT,
        Self::HEAP_DUMP_END,
    ];

    /// The record's name as in the HPROF specification, or `None` for an unknown tag.
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::UTF8 => "UTF8",
            Self::LOAD_CLASS => "LOAD_CLASS",
            Self::UNLOAD_CLASS => "UNLOAD_CLASS",
            Self::FRAME => "FRAME",
            Self::TRACE => "TRACE",
            Self::ALLOC_SITES => "ALLOC_SITES",
            Self::HEAP_SUMMARY => "HEAP_SUMMARY",
            Self::START_THREAD => "START_THREAD",
            Self::END_THREAD => "END_THREAD",
            Self::HEAP_DUMP => "HEAP_DUMP",
            Self::CPU_SAMPLES => "CPU_SAMPLES",
            Self::CONTROL_SETTINGS => "CONTROL_SETTINGS",
            Self::HEAP_DUMP_SEGMENT => "HEAP_DUMP_SEGMENT",
            Self::HEAP_DUMP_END => "HEAP_DUMP_END",
            _ => return None,
        })
    }

    /// Whether this tag is known to the parser.
    pub fn is_known(self) -> bool {
        self.name().is_some()
    }
}

impl fmt::Display for RecordTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "unknown record tag 0x{:02x}", self.0),
        }
    }
}

impl fmt::Debug for RecordTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordTag({self})")
    }
}

/// The tag byte of a sub-record inside HEAP_DUMP / HEAP_DUMP_SEGMENT.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubTag(pub u8);

impl SubTag {
    /// GC root of unknown kind.
    pub const ROOT_UNKNOWN: SubTag = SubTag(0xFF);
    /// GC root: JNI global reference.
    pub const ROOT_JNI_GLOBAL: SubTag = SubTag(0x01);
    /// GC root: JNI local reference.
    pub const ROOT_JNI_LOCAL: SubTag = SubTag(0x02);
    /// GC root: local variable of a Java frame.
    pub const ROOT_JAVA_FRAME: SubTag = SubTag(0x03);
    /// GC root: native stack.
    pub const ROOT_NATIVE_STACK: SubTag = SubTag(0x04);
    /// GC root: system class.
    pub const ROOT_STICKY_CLASS: SubTag = SubTag(0x05);
    /// GC root: thread block.
    pub const ROOT_THREAD_BLOCK: SubTag = SubTag(0x06);
    /// GC root: busy monitor.
    pub const ROOT_MONITOR_USED: SubTag = SubTag(0x07);
    /// GC root: a thread object.
    pub const ROOT_THREAD_OBJECT: SubTag = SubTag(0x08);
    /// Android: interned string.
    pub const ROOT_INTERNED_STRING: SubTag = SubTag(0x89);
    /// Android: object awaiting finalization.
    pub const ROOT_FINALIZING: SubTag = SubTag(0x8A);
    /// Android: held by the debugger.
    pub const ROOT_DEBUGGER: SubTag = SubTag(0x8B);
    /// Android: reference cleanup.
    pub const ROOT_REFERENCE_CLEANUP: SubTag = SubTag(0x8C);
    /// Android: VM internal.
    pub const ROOT_VM_INTERNAL: SubTag = SubTag(0x8D);
    /// Android: JNI monitor.
    pub const ROOT_JNI_MONITOR: SubTag = SubTag(0x8E);
    /// Android: an unreachable object (listed, not a root).
    pub const UNREACHABLE: SubTag = SubTag(0x90);
    /// A class object with its statics and field layout.
    pub const CLASS_DUMP: SubTag = SubTag(0x20);
    /// An instance with its field values.
    pub const INSTANCE_DUMP: SubTag = SubTag(0x21);
    /// An array of references.
    pub const OBJ_ARRAY_DUMP: SubTag = SubTag(0x22);
    /// An array of primitives.
    pub const PRIM_ARRAY_DUMP: SubTag = SubTag(0x23);
    /// Android: a primitive array whose contents were left out.
    pub const PRIM_ARRAY_NODATA: SubTag = SubTag(0xC3);
    /// Android: which heap the following sub-records belong to.
    pub const HEAP_DUMP_INFO: SubTag = SubTag(0xFE);

    /// The sub-record's name, or `None` for an unknown tag.
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::ROOT_UNKNOWN => "ROOT_UNKNOWN",
            Self::ROOT_JNI_GLOBAL => "ROOT_JNI_GLOBAL",
            Self::ROOT_JNI_LOCAL => "ROOT_JNI_LOCAL",
            Self::ROOT_JAVA_FRAME => "ROOT_JAVA_FRAME",
            Self::ROOT_NATIVE_STACK => "ROOT_NATIVE_STACK",
            Self::ROOT_STICKY_CLASS => "ROOT_STICKY_CLASS",
            Self::ROOT_THREAD_BLOCK => "ROOT_THREAD_BLOCK",
            Self::ROOT_MONITOR_USED => "ROOT_MONITOR_USED",
            Self::ROOT_THREAD_OBJECT => "ROOT_THREAD_OBJECT",
            Self::ROOT_INTERNED_STRING => "ROOT_INTERNED_STRING",
            Self::ROOT_FINALIZING => "ROOT_FINALIZING",
            Self::ROOT_DEBUGGER => "ROOT_DEBUGGER",
            Self::ROOT_REFERENCE_CLEANUP => "ROOT_REFERENCE_CLEANUP",
            Self::ROOT_VM_INTERNAL => "ROOT_VM_INTERNAL",
            Self::ROOT_JNI_MONITOR => "ROOT_JNI_MONITOR",
            Self::UNREACHABLE => "UNREACHABLE",
            Self::CLASS_DUMP => "CLASS_DUMP",
            Self::INSTANCE_DUMP => "INSTANCE_DUMP",
            Self::OBJ_ARRAY_DUMP => "OBJ_ARRAY_DUMP",
            Self::PRIM_ARRAY_DUMP => "PRIM_ARRAY_DUMP",
            Self::PRIM_ARRAY_NODATA => "PRIM_ARRAY_NODATA",
            Self::HEAP_DUMP_INFO => "HEAP_DUMP_INFO",
            _ => return None,
        })
    }
}

impl fmt::Display for SubTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "unknown sub-record tag 0x{:02x}", self.0),
        }
    }
}

impl fmt::Debug for SubTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SubTag({self})")
    }
}

/// The kind of a GC root sub-record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RootKind {
    /// ROOT_UNKNOWN
    Unknown,
    /// ROOT_JNI_GLOBAL
    JniGlobal,
    /// ROOT_JNI_LOCAL
    JniLocal,
    /// ROOT_JAVA_FRAME
    JavaFrame,
    /// ROOT_NATIVE_STACK
    NativeStack,
    /// ROOT_STICKY_CLASS (system class)
    StickyClass,
    /// ROOT_THREAD_BLOCK
    ThreadBlock,
    /// ROOT_MONITOR_USED
    MonitorUsed,
    /// ROOT_THREAD_OBJECT
    ThreadObject,
    /// ROOT_INTERNED_STRING (Android)
    InternedString,
    /// ROOT_FINALIZING (Android)
    Finalizing,
    /// ROOT_DEBUGGER (Android)
    Debugger,
    /// ROOT_REFERENCE_CLEANUP (Android)
    ReferenceCleanup,
    /// ROOT_VM_INTERNAL (Android)
    VmInternal,
    /// ROOT_JNI_MONITOR (Android)
    JniMonitor,
}

impl RootKind {
    /// Every root kind, in a stable order used for reports.
    pub const ALL: [RootKind; 15] = [
        RootKind::Unknown,
        RootKind::JniGlobal,
        RootKind::JniLocal,
        RootKind::JavaFrame,
        RootKind::NativeStack,
        RootKind::StickyClass,
        RootKind::ThreadBlock,
        RootKind::MonitorUsed,
        RootKind::ThreadObject,
        RootKind::InternedString,
        RootKind::Finalizing,
        RootKind::Debugger,
        RootKind::ReferenceCleanup,
        RootKind::VmInternal,
        RootKind::JniMonitor,
    ];

    /// The root kind of a sub-record tag, if it is a root tag.
    pub fn from_tag(tag: SubTag) -> Option<RootKind> {
        Some(match tag {
            SubTag::ROOT_UNKNOWN => RootKind::Unknown,
            SubTag::ROOT_JNI_GLOBAL => RootKind::JniGlobal,
            SubTag::ROOT_JNI_LOCAL => RootKind::JniLocal,
            SubTag::ROOT_JAVA_FRAME => RootKind::JavaFrame,
            SubTag::ROOT_NATIVE_STACK => RootKind::NativeStack,
            SubTag::ROOT_STICKY_CLASS => RootKind::StickyClass,
            SubTag::ROOT_THREAD_BLOCK => RootKind::ThreadBlock,
            SubTag::ROOT_MONITOR_USED => RootKind::MonitorUsed,
            SubTag::ROOT_THREAD_OBJECT => RootKind::ThreadObject,
            SubTag::ROOT_INTERNED_STRING => RootKind::InternedString,
            SubTag::ROOT_FINALIZING => RootKind::Finalizing,
            SubTag::ROOT_DEBUGGER => RootKind::Debugger,
            SubTag::ROOT_REFERENCE_CLEANUP => RootKind::ReferenceCleanup,
            SubTag::ROOT_VM_INTERNAL => RootKind::VmInternal,
            SubTag::ROOT_JNI_MONITOR => RootKind::JniMonitor,
            _ => return None,
        })
    }

    /// A short snake_case name used in reports and JSON (`java_frame`, `sticky_class`, ...).
    pub fn key(self) -> &'static str {
        match self {
            RootKind::Unknown => "unknown",
            RootKind::JniGlobal => "jni_global",
            RootKind::JniLocal => "jni_local",
            RootKind::JavaFrame => "java_frame",
            RootKind::NativeStack => "native_stack",
            RootKind::StickyClass => "sticky_class",
            RootKind::ThreadBlock => "thread_block",
            RootKind::MonitorUsed => "monitor_used",
            RootKind::ThreadObject => "thread_object",
            RootKind::InternedString => "interned_string",
            RootKind::Finalizing => "finalizing",
            RootKind::Debugger => "debugger",
            RootKind::ReferenceCleanup => "reference_cleanup",
            RootKind::VmInternal => "vm_internal",
            RootKind::JniMonitor => "jni_monitor",
        }
    }
}

/// The type code of a field, static, constant or array element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BasicType {
    /// An object reference (code 2).
    Object,
    /// boolean (code 4)
    Boolean,
    /// char (code 5)
    Char,
    /// float (code 6)
    Float,
    /// double (code 7)
    Double,
    /// byte (code 8)
    Byte,
    /// short (code 9)
    Short,
    /// int (code 10)
    Int,
    /// long (code 11)
    Long,
}

impl BasicType {
    /// The eight primitive types, in type-code order.
    pub const PRIMITIVES: [BasicType; 8] = [
        BasicType::Boolean,
        BasicType::Char,
        BasicType::Float,
        BasicType::Double,
        BasicType::Byte,
        BasicType::Short,
        BasicType::Int,
        BasicType::Long,
    ];

    /// Decodes a type code; `None` for codes the format does not define.
    pub fn from_code(code: u8) -> Option<BasicType> {
        Some(match code {
            2 => BasicType::Object,
            4 => BasicType::Boolean,
            5 => BasicType::Char,
            6 => BasicType::Float,
            7 => BasicType::Double,
            8 => BasicType::Byte,
            9 => BasicType::Short,
            10 => BasicType::Int,
            11 => BasicType::Long,
            _ => return None,
        })
    }

    /// The type code as written in the dump.
    pub fn code(self) -> u8 {
        match self {
            BasicType::Object => 2,
            BasicType::Boolean => 4,
            BasicType::Char => 5,
            BasicType::Float => 6,
            BasicType::Double => 7,
            BasicType::Byte => 8,
            BasicType::Short => 9,
            BasicType::Int => 10,
            BasicType::Long => 11,
        }
    }

    /// Size of a value of this type in the dump, given the dump's identifier size.
    pub fn size_in_dump(self, id_size: u8) -> u8 {
        match self {
            BasicType::Object => id_size,
            BasicType::Boolean | BasicType::Byte => 1,
            BasicType::Char | BasicType::Short => 2,
            BasicType::Float | BasicType::Int => 4,
            BasicType::Double | BasicType::Long => 8,
        }
    }

    /// The Java source name of the type (`int`, `byte`, ...; `Object` for references).
    pub fn java_name(self) -> &'static str {
        match self {
            BasicType::Object => "Object",
            BasicType::Boolean => "boolean",
            BasicType::Char => "char",
            BasicType::Float => "float",
            BasicType::Double => "double",
            BasicType::Byte => "byte",
            BasicType::Short => "short",
            BasicType::Int => "int",
            BasicType::Long => "long",
        }
    }
}
