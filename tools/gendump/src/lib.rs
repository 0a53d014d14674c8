//! A generator of synthetic, JVM-like HPROF heap dumps of any size, written as a stream.
//!
//! The dump looks like one that JDK 17 HotSpot writes with `jcmd GC.heap_dump` for a 64-bit
//! JVM with compressed oops: identifiers of 8 bytes, UTF8 and LOAD_CLASS records, stack traces
//! (FRAME and TRACE) of a few dozen threads, then HEAP_DUMP_SEGMENT records of about 1 MiB
//! (class dumps, thread and stack roots, JNI globals, the objects in address order, sticky
//! class roots) and a HEAP_DUMP_END. Object ids are addresses: each object takes the size
//! HotSpot gives it with compressed oops (12-byte header, 4-byte references, 8-byte
//! alignment), so the gaps between ids are those of a real heap.
//!
//! The heap is a small web shop: the JDK classes it uses with their JDK 17 field layouts
//! (`String`, `HashMap` and its nodes, `ArrayList`, boxed numbers, threads, thread groups,
//! thread-local maps with weak entries, class loaders), a few dozen application classes in
//! packages, a catalog, customers with orders in sharded maps, sessions, doubly linked event
//! logs, buffer pools of primitive arrays, samplers of boxed longs, metrics, and one leak:
//! the static map `com.acme.shop.web.RequestTracker.ACTIVE`, which keeps every request
//! context it is given; the requests' `startedAt` times spread over six hours that end an
//! hour before the dump's timestamp, in allocation order. How the objects are shared among
//! these structures is the [`Mix`]: the default one (about 74 bytes of dump per object) or
//! a lean one with more small objects (about 57 bytes per object).
//!
//! Memory stays small whatever the size: objects are written as they are made, into a heap
//! segment buffer that is flushed at about 1 MiB. What is kept is a few ids per structure
//! (hash table buckets until the table is written, product ids, one id per customer).
//! References to objects written later (a class's static fields, a customer's order list, a
//! thread group's thread array, the roots) come from a first pass that runs the same
//! deterministic code without writing anything; the second pass writes.
//!
//! The same configuration always gives the same bytes.

use std::collections::HashMap;
use std::io::{self, Write};

mod mix;
pub use mix::Mix;
use mix::Shares;

/// The identifier size written in the header.
pub const ID_SIZE: u32 = 8;
/// The header's timestamp, "now" for every time field (2023-11-14T22:13:20Z, in ms).
pub const DUMP_TIMESTAMP_MS: i64 = 1_700_000_000_000;
/// The address of the first object (a compressed-oops heap reserved at 24 GiB).
const HEAP_BASE: u64 = 0x6_0000_0000;
/// The stack trace serial of the empty trace every object names (as HotSpot writes).
const ALLOC_TRACE: u32 = 1;
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Config {
    /// About how many objects (instances and arrays) the heap should hold.
    pub objects: u64,
    /// Seed of every random choice.
    pub seed: u64,
    /// Heap dump segments are closed once their body reaches this many bytes.
    pub segment_bytes: usize,
    /// How the objects are shared among the structures (the default keeps the bytes of
    /// the dumps benchmarked before `--mix` existed).
    pub mix: Mix,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            objects: 1_000_000,
            seed: 1,
            segment_bytes: 1 << 20,
            mix: Mix::Default,
        }
    }
}

/// What was written: the counts a parser should find.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// INSTANCE_DUMP sub-records.
    pub instances: u64,
    /// OBJ_ARRAY_DUMP sub-records.
    pub object_arrays: u64,
    /// PRIM_ARRAY_DUMP sub-records.
    pub primitive_arrays: u64,
    /// CLASS_DUMP sub-records (and LOAD_CLASS records).
    pub classes: u64,
    /// ROOT_THREAD_OBJECT sub-records.
    pub roots_thread_object: u64,
    /// ROOT_JAVA_FRAME sub-records.
    pub roots_java_frame: u64,
    /// ROOT_JNI_LOCAL sub-records.
    pub roots_jni_local: u64,
    /// ROOT_JNI_GLOBAL sub-records.
    pub roots_jni_global: u64,
    /// ROOT_STICKY_CLASS sub-records.
    pub roots_sticky_class: u64,
    /// UTF8 records.
    pub utf8: u64,
    /// FRAME records.
    pub frames: u64,
    /// TRACE records.
    pub traces: u64,
    /// HEAP_DUMP_SEGMENT records.
    pub segments: u64,
    /// Entries of the leaking map `com.acme.shop.web.RequestTracker.ACTIVE`.
    pub leak_entries: u64,
    /// Bytes of the dump (uncompressed).
    pub bytes: u64,
    /// Sum of the objects' sizes in the modelled heap (compressed oops), in bytes.
    pub heap_bytes: u64,
}

impl Stats {
    /// Instances and arrays: what `hprofscan info` counts as objects.
    pub fn objects(&self) -> u64 {
        self.instances + self.object_arrays + self.primitive_arrays
    }

    /// GC roots of every kind.
    pub fn gc_roots(&self) -> u64 {
        self.roots_thread_object
            + self.roots_java_frame
            + self.roots_jni_local
            + self.roots_jni_global
            + self.roots_sticky_class
    }

    /// The counts as one JSON object.
    pub fn to_json(&self) -> String {
        format!(
            concat!(
                "{{\"objects\":{},\"instances\":{},\"object_arrays\":{},\"primitive_arrays\":{},",
                "\"classes\":{},\"gc_roots\":{},\"gc_roots_by_kind\":{{\"java_frame\":{},",
                "\"jni_global\":{},\"jni_local\":{},\"sticky_class\":{},\"thread_object\":{}}},",
                "\"utf8\":{},\"frames\":{},\"traces\":{},\"segments\":{},",
                "\"leak\":{{\"class\":\"com.acme.shop.web.RequestTracker\",\"field\":\"ACTIVE\",",
                "\"entries\":{}}},\"bytes\":{},\"heap_bytes\":{}}}"
            ),
            self.objects(),
            self.instances,
            self.object_arrays,
            self.primitive_arrays,
            self.classes,
            self.gc_roots(),
            self.roots_java_frame,
            self.roots_jni_global,
            self.roots_jni_local,
            self.roots_sticky_class,
            self.roots_thread_object,
            self.utf8,
            self.frames,
            self.traces,
            self.segments,
            self.leak_entries,
            self.bytes,
            self.heap_bytes,
        )
    }
}

/// Writes the dump to `out` (which should be buffered) and returns what it holds.
pub fn generate<W: Write>(cfg: &Config, out: W) -> io::Result<Stats> {
    // Pass 1: the same code, nothing written; it records the ids that pass 2 needs before
    // the objects they name are written.
    let mut sink = io::sink();
    let mut plan_gen = Gen::new(cfg, false, &mut sink, Plan::default());
    plan_gen.heap();
    let plan = plan_gen.into_plan();
    // Pass 2.
    let mut counted = Counted { inner: out, n: 0 };
    let mut g = Gen::new(cfg, true, &mut counted, plan);
    g.write_preamble();
    g.write_heap_start();
    g.heap();
    g.write_heap_end();
    if let Some(e) = g.err.take() {
        return Err(e);
    }
    let mut st = g.st.clone();
    drop(g);
    counted.flush()?;
    st.bytes = counted.n;
    Ok(st)
}

/// A writer that counts the bytes through it.
struct Counted<W> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.n += k as u64;
        Ok(k)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

// ---- types and classes ------------------------------------------------------------------

/// HPROF basic types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum T {
    O = 2,
    Z = 4,
    C = 5,
    F = 6,
    D = 7,
    B = 8,
    S = 9,
    I = 10,
    J = 11,
}

impl T {
    /// Bytes of a value in the dump (ids of 8 bytes).
    fn dump_size(self) -> u32 {
        match self {
            T::O | T::D | T::J => 8,
            T::Z | T::B => 1,
            T::C | T::S => 2,
            T::F | T::I => 4,
        }
    }
    /// Bytes of a field in the heap (compressed oops: references take 4).
    fn heap_size(self) -> u32 {
        match self {
            T::O => 4,
            t => t.dump_size(),
        }
    }
}

/// A class: name, super class, instance fields (this class's only, in declaration order)
/// and static fields.
struct Spec {
    name: &'static str,
    sup: &'static str,
    fields: &'static [(&'static str, T)],
    statics: &'static [(&'static str, T)],
}

const fn sp(
    name: &'static str,
    sup: &'static str,
    fields: &'static [(&'static str, T)],
    statics: &'static [(&'static str, T)],
) -> Spec {
    Spec {
        name,
        sup,
        fields,
        statics,
    }
}

const OBJ: &str = "java/lang/Object";

// Indices into SPECS of the classes the generator makes instances of (checked by a test).
const C_STRING: usize = 2;
const C_INTEGER: usize = 4;
const C_LONG: usize = 5;
const C_HASHMAP: usize = 7;
const C_NODE: usize = 8;
const C_ARRAYLIST: usize = 11;
const C_TL: usize = 14;
const C_TLMAP: usize = 15;
const C_TLENTRY: usize = 16;
const C_THREAD: usize = 17;
const C_GROUP: usize = 18;
const C_PLATFORM_LOADER: usize = 22;
const C_APP_LOADER: usize = 23;
const C_APP: usize = 24;
const C_CATALOG: usize = 25;
const C_CATEGORY: usize = 26;
const C_PRODUCT: usize = 27;
const C_MONEY: usize = 28;
const C_REPO: usize = 29;
const C_CUSTOMER: usize = 30;
const C_ADDRESS: usize = 31;
const C_ORDER: usize = 32;
const C_LINE: usize = 33;
const C_REGISTRY: usize = 34;
const C_SESSION: usize = 35;
const C_BUS: usize = 36;
const C_LOG: usize = 37;
const C_EVENT: usize = 38;
const C_POOL: usize = 39;
const C_METRICS: usize = 40;
const C_COUNTER: usize = 41;
const C_HISTOGRAM: usize = 42;
const C_SAMPLER: usize = 43;
const C_TRACKER: usize = 44;
const C_REQUEST: usize = 45;
const C_WORKER: usize = 46;

#[rustfmt::skip]
static SPECS: &[Spec] = &[
    sp(OBJ, "", &[], &[]),
    sp("java/lang/Class", OBJ, &[("cachedConstructor", T::O), ("name", T::O), ("module", T::O),
        ("classLoader", T::O), ("classData", T::O), ("packageName", T::O), ("componentType", T::O),
        ("reflectionData", T::O), ("classRedefinedCount", T::I), ("genericInfo", T::O),
        ("enumConstants", T::O), ("enumConstantDirectory", T::O), ("annotationData", T::O),
        ("annotationType", T::O), ("classValueMap", T::O)], &[]),
    sp("java/lang/String", OBJ, &[("value", T::O), ("coder", T::B), ("hash", T::I), ("hashIsZero", T::Z)],
        &[("serialVersionUID", T::J), ("COMPACT_STRINGS", T::Z), ("serialPersistentFields", T::O),
          ("CASE_INSENSITIVE_ORDER", T::O), ("LATIN1", T::B), ("UTF16", T::B)]),
    sp("java/lang/Number", OBJ, &[], &[("serialVersionUID", T::J)]),
    sp("java/lang/Integer", "java/lang/Number", &[("value", T::I)],
        &[("MIN_VALUE", T::I), ("MAX_VALUE", T::I), ("TYPE", T::O), ("digits", T::O),
          ("DigitTens", T::O), ("DigitOnes", T::O), ("sizeTable", T::O), ("serialVersionUID", T::J)]),
    sp("java/lang/Long", "java/lang/Number", &[("value", T::J)],
        &[("MIN_VALUE", T::J), ("MAX_VALUE", T::J), ("TYPE", T::O), ("serialVersionUID", T::J)]),
    sp("java/util/AbstractMap", OBJ, &[("keySet", T::O), ("values", T::O)], &[]),
    sp("java/util/HashMap", "java/util/AbstractMap", &[("table", T::O), ("entrySet", T::O), ("size", T::I),
        ("modCount", T::I), ("threshold", T::I), ("loadFactor", T::F)],
        &[("serialVersionUID", T::J), ("DEFAULT_INITIAL_CAPACITY", T::I), ("MAXIMUM_CAPACITY", T::I),
          ("DEFAULT_LOAD_FACTOR", T::F), ("TREEIFY_THRESHOLD", T::I), ("UNTREEIFY_THRESHOLD", T::I),
          ("MIN_TREEIFY_CAPACITY", T::I)]),
    sp("java/util/HashMap$Node", OBJ, &[("hash", T::I), ("key", T::O), ("value", T::O), ("next", T::O)], &[]),
    sp("java/util/AbstractCollection", OBJ, &[], &[("MAX_ARRAY_SIZE", T::I)]),
    sp("java/util/AbstractList", "java/util/AbstractCollection", &[("modCount", T::I)], &[]),
    sp("java/util/ArrayList", "java/util/AbstractList", &[("elementData", T::O), ("size", T::I)],
        &[("serialVersionUID", T::J), ("DEFAULT_CAPACITY", T::I), ("EMPTY_ELEMENTDATA", T::O),
          ("DEFAULTCAPACITY_EMPTY_ELEMENTDATA", T::O)]),
    sp("java/lang/ref/Reference", OBJ, &[("referent", T::O), ("queue", T::O), ("next", T::O),
        ("discovered", T::O)], &[("processPendingLock", T::O), ("processPendingActive", T::Z)]),
    sp("java/lang/ref/WeakReference", "java/lang/ref/Reference", &[], &[]),
    sp("java/lang/ThreadLocal", OBJ, &[("threadLocalHashCode", T::I)],
        &[("nextHashCode", T::O), ("HASH_INCREMENT", T::I)]),
    sp("java/lang/ThreadLocal$ThreadLocalMap", OBJ, &[("table", T::O), ("size", T::I), ("threshold", T::I)],
        &[("INITIAL_CAPACITY", T::I)]),
    sp("java/lang/ThreadLocal$ThreadLocalMap$Entry", "java/lang/ref/WeakReference", &[("value", T::O)], &[]),
    sp("java/lang/Thread", OBJ, &[("name", T::O), ("priority", T::I), ("daemon", T::Z),
        ("interrupted", T::Z), ("stillborn", T::Z), ("eetop", T::J), ("target", T::O), ("group", T::O),
        ("contextClassLoader", T::O), ("inheritedAccessControlContext", T::O), ("threadLocals", T::O),
        ("inheritableThreadLocals", T::O), ("stackSize", T::J), ("tid", T::J), ("threadStatus", T::I),
        ("parkBlocker", T::O), ("blocker", T::O), ("blockerLock", T::O),
        ("uncaughtExceptionHandler", T::O), ("threadLocalRandomSeed", T::J),
        ("threadLocalRandomProbe", T::I), ("threadLocalRandomSecondarySeed", T::I)],
        &[("threadInitNumber", T::I), ("threadSeqNumber", T::J), ("MIN_PRIORITY", T::I),
          ("NORM_PRIORITY", T::I), ("MAX_PRIORITY", T::I)]),
    sp("java/lang/ThreadGroup", OBJ, &[("parent", T::O), ("name", T::O), ("maxPriority", T::I),
        ("destroyed", T::Z), ("daemon", T::Z), ("nUnstartedThreads", T::I), ("nthreads", T::I),
        ("threads", T::O), ("ngroups", T::I), ("groups", T::O)], &[]),
    sp("java/lang/ClassLoader", OBJ, &[("parent", T::O), ("name", T::O), ("unnamedModule", T::O),
        ("nameAndId", T::O), ("parallelLockMap", T::O), ("package2certs", T::O), ("classes", T::O),
        ("defaultAssertionStatus", T::Z), ("packageAssertionStatus", T::O),
        ("classAssertionStatus", T::O), ("packages", T::O)], &[("scl", T::O)]),
    sp("java/security/SecureClassLoader", "java/lang/ClassLoader", &[("pdcache", T::O)], &[]),
    sp("jdk/internal/loader/BuiltinClassLoader", "java/security/SecureClassLoader", &[("parent", T::O),
        ("nameToModule", T::O), ("moduleToReader", T::O), ("ucp", T::O)], &[("packageToModule", T::O)]),
    sp("jdk/internal/loader/ClassLoaders$PlatformClassLoader", "jdk/internal/loader/BuiltinClassLoader", &[], &[]),
    sp("jdk/internal/loader/ClassLoaders$AppClassLoader", "jdk/internal/loader/BuiltinClassLoader", &[], &[]),
    // The application (defined by the app class loader).
    sp("com/acme/shop/ShopApplication", OBJ, &[],
        &[("CATALOG", T::O), ("CUSTOMERS", T::O), ("SESSIONS", T::O), ("EVENTS", T::O), ("METRICS", T::O),
          ("BUFFERS", T::O), ("SAMPLERS", T::O), ("STARTED_AT", T::J), ("VERSION", T::O)]),
    sp("com/acme/shop/catalog/Catalog", OBJ, &[("products", T::O), ("categories", T::O), ("loadedAt", T::J)], &[]),
    sp("com/acme/shop/catalog/Category", OBJ, &[("name", T::O), ("parent", T::O), ("products", T::O)], &[]),
    sp("com/acme/shop/catalog/Product", OBJ, &[("sku", T::O), ("name", T::O), ("category", T::O),
        ("price", T::O), ("stock", T::I), ("tags", T::O), ("weightGrams", T::I), ("active", T::Z)], &[]),
    sp("com/acme/shop/pricing/Money", OBJ, &[("amountCents", T::J), ("currency", T::O)], &[("ZERO", T::O)]),
    sp("com/acme/shop/customer/CustomerRepository", OBJ, &[("shards", T::O), ("count", T::I)], &[]),
    sp("com/acme/shop/customer/Customer", OBJ, &[("id", T::J), ("name", T::O), ("email", T::O),
        ("address", T::O), ("orders", T::O), ("vip", T::Z), ("loyaltyPoints", T::I),
        ("registeredOn", T::J)], &[]),
    sp("com/acme/shop/customer/Address", OBJ, &[("street", T::O), ("city", T::O), ("zip", T::O),
        ("country", T::O)], &[]),
    sp("com/acme/shop/order/Order", OBJ, &[("id", T::J), ("customer", T::O), ("lines", T::O),
        ("total", T::O), ("status", T::I), ("placedOn", T::J)], &[]),
    sp("com/acme/shop/order/OrderLine", OBJ, &[("product", T::O), ("quantity", T::I), ("unitPrice", T::O)], &[]),
    sp("com/acme/shop/session/SessionRegistry", OBJ, &[("sessions", T::O), ("maxIdleMillis", T::J)], &[]),
    sp("com/acme/shop/session/Session", OBJ, &[("id", T::O), ("customer", T::O), ("attributes", T::O),
        ("createdAt", T::J), ("lastAccess", T::J)], &[]),
    sp("com/acme/shop/event/EventBus", OBJ, &[("logs", T::O), ("published", T::J)], &[]),
    sp("com/acme/shop/event/EventLog", OBJ, &[("topic", T::O), ("head", T::O), ("tail", T::O),
        ("size", T::I), ("capacity", T::I)], &[]),
    sp("com/acme/shop/event/Event", OBJ, &[("prev", T::O), ("next", T::O), ("sequence", T::J),
        ("kind", T::I), ("message", T::O)], &[]),
    sp("com/acme/shop/io/BufferPool", OBJ, &[("buffers", T::O), ("bufferSize", T::I), ("free", T::I),
        ("checksums", T::O), ("offsets", T::O)], &[]),
    sp("com/acme/shop/metrics/MetricsRegistry", OBJ, &[("counters", T::O), ("histograms", T::O)], &[]),
    sp("com/acme/shop/metrics/Counter", OBJ, &[("name", T::O), ("count", T::J)], &[]),
    sp("com/acme/shop/metrics/Histogram", OBJ, &[("name", T::O), ("bounds", T::O), ("counts", T::O),
        ("label", T::O)], &[]),
    sp("com/acme/shop/metrics/Sampler", OBJ, &[("name", T::O), ("samples", T::O), ("cursor", T::I)], &[]),
    sp("com/acme/shop/web/RequestTracker", OBJ, &[], &[("ACTIVE", T::O), ("completed", T::J)]),
    sp("com/acme/shop/web/RequestContext", OBJ, &[("requestId", T::J), ("path", T::O), ("method", T::O),
        ("startedAt", T::J), ("durationNanos", T::J), ("status", T::I), ("body", T::O), ("user", T::O)], &[]),
    sp("com/acme/shop/web/HttpWorker", "java/lang/Thread", &[("requests", T::J), ("current", T::O)],
        &[("BUFFER", T::O), ("DEPTH", T::O)]),
    // Loaded, without instances in this heap (as most classes of a real application).
    sp("com/acme/shop/web/Router", OBJ, &[("routes", T::O)], &[("DEFAULT", T::O)]),
    sp("com/acme/shop/web/OrderController", OBJ, &[("orders", T::O), ("payments", T::O)], &[]),
    sp("com/acme/shop/web/CustomerController", OBJ, &[("customers", T::O)], &[]),
    sp("com/acme/shop/web/CatalogController", OBJ, &[("catalog", T::O), ("pageSize", T::I)], &[]),
    sp("com/acme/shop/payment/PaymentGateway", OBJ, &[("endpoint", T::O), ("timeoutMillis", T::I)], &[]),
    sp("com/acme/shop/payment/CardTokenizer", OBJ, &[("key", T::O)], &[]),
    sp("com/acme/shop/mail/Mailer", OBJ, &[("host", T::O), ("port", T::I), ("queue", T::O)], &[]),
    sp("com/acme/shop/config/Settings", OBJ, &[("values", T::O)], &[("INSTANCE", T::O)]),
    sp("com/acme/shop/inventory/Warehouse", OBJ, &[("name", T::O), ("levels", T::O)], &[]),
    sp("com/acme/shop/inventory/StockLevel", OBJ, &[("product", T::O), ("onHand", T::I), ("reserved", T::I)], &[]),
    sp("com/acme/shop/util/Strings", OBJ, &[], &[("EMPTY", T::O)]),
    sp("com/acme/shop/util/Ids", OBJ, &[], &[("NEXT", T::J)]),
    sp("com/acme/shop/ShopApplication$ShutdownHook", "java/lang/Thread", &[], &[]),
    // JDK classes named by stack frames.
    sp("java/lang/ref/Reference$ReferenceHandler", "java/lang/Thread", &[], &[]),
    sp("java/lang/ref/Finalizer$FinalizerThread", "java/lang/Thread", &[("running", T::Z)], &[]),
    sp("java/util/concurrent/ThreadPoolExecutor", OBJ, &[("ctl", T::O), ("workQueue", T::O),
        ("mainLock", T::O), ("workers", T::O), ("corePoolSize", T::I), ("maximumPoolSize", T::I)], &[]),
    sp("java/util/concurrent/ThreadPoolExecutor$Worker", OBJ, &[("thread", T::O), ("firstTask", T::O),
        ("completedTasks", T::J)], &[]),
    sp("java/util/concurrent/LinkedBlockingQueue", OBJ, &[("capacity", T::I), ("count", T::O),
        ("head", T::O), ("last", T::O)], &[]),
    sp("jdk/internal/misc/Unsafe", OBJ, &[], &[("theUnsafe", T::O)]),
    sp("java/lang/System", OBJ, &[], &[("in", T::O), ("out", T::O), ("err", T::O), ("props", T::O)]),
];

/// Object array classes (HotSpot dumps them as classes with no fields).
static OBJ_ARRAYS: &[&str] = &[
    "[Ljava/lang/Object;",
    "[Ljava/lang/String;",
    "[Ljava/util/HashMap$Node;",
    "[Ljava/lang/Thread;",
    "[Ljava/lang/ThreadGroup;",
    "[Ljava/lang/ThreadLocal$ThreadLocalMap$Entry;",
    "[Ljava/lang/Long;",
    "[Lcom/acme/shop/event/EventLog;",
];
const A_OBJECT: usize = 0;
const A_STRING: usize = 1;
const A_NODE: usize = 2;
const A_THREAD: usize = 3;
const A_GROUP: usize = 4;
const A_TLENTRY: usize = 5;
const A_LONG: usize = 6;
const A_LOG: usize = 7;

/// Primitive array classes, with their element types.
static PRIM_ARRAYS: &[(&str, T)] = &[
    ("[Z", T::Z),
    ("[C", T::C),
    ("[F", T::F),
    ("[D", T::D),
    ("[B", T::B),
    ("[S", T::S),
    ("[I", T::I),
    ("[J", T::J),
];

/// First application class in SPECS (those from here on are defined by the app loader,
/// except the JDK ones at the end).
fn is_app(name: &str) -> bool {
    name.starts_with("com/acme/")
}

struct Class {
    id: u64,
    name_id: u64,
    sup: u64,
    /// Field bytes of an instance in the dump (this class and its supers).
    dump_bytes: u32,
    /// Instance size in the modelled heap.
    heap_size: u32,
    /// Where this class's fields end in an instance (header included), before alignment.
    field_end: u32,
    fields: Vec<(u64, T)>,
    statics: Vec<(u64, T)>,
    app: bool,
}

// ---- the plan (pass 1's findings) -------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Root {
    /// Thread object, thread serial, stack trace serial.
    Thread(u64, u32, u32),
    /// Object, thread serial, frame depth.
    Frame(u64, u32, u32),
    /// Object, thread serial, frame depth.
    JniLocal(u64, u32, u32),
    /// Object, JNI global reference id.
    JniGlobal(u64, u64),
}

#[derive(Default)]
struct Plan {
    /// Values of the object statics, by (class index, static index).
    statics: HashMap<(usize, usize), u64>,
    /// Ids of objects referenced before they are written, in the order they are asked for.
    slots: Vec<u64>,
    roots: Vec<Root>,
    app_loader: u64,
}

// ---- helpers ----------------------------------------------------------------------------

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }
}

#[inline]
fn put_u64(s: &mut Vec<u8>, v: u64) {
    s.extend_from_slice(&v.to_be_bytes());
}
#[inline]
fn put_u32(s: &mut Vec<u8>, v: u32) {
    s.extend_from_slice(&v.to_be_bytes());
}
#[inline]
fn put_i32(s: &mut Vec<u8>, v: i32) {
    s.extend_from_slice(&v.to_be_bytes());
}
#[inline]
fn put_i64(s: &mut Vec<u8>, v: i64) {
    s.extend_from_slice(&v.to_be_bytes());
}

fn align8(n: u64) -> u64 {
    (n + 7) & !7
}

/// `String.hashCode` of Latin-1 text.
fn java_hash(text: &[u8]) -> i32 {
    text.iter()
        .fold(0i32, |h, &b| h.wrapping_mul(31).wrapping_add(b as i32))
}

/// `HashMap.hash`: the high bits spread into the low ones.
fn spread(h: i32) -> i32 {
    h ^ ((h as u32) >> 16) as i32
}

/// `HashMap`'s table length for `n` entries (grown by doubling from 16).
fn table_len(n: u64) -> u64 {
    let mut cap = 16;
    while n > cap * 3 / 4 {
        cap *= 2;
    }
    cap
}

/// `ArrayList`'s capacity after `n` adds (10, then 1.5x).
fn list_capacity(n: u64) -> u64 {
    let mut cap = 10;
    while cap < n {
        cap += cap >> 1;
    }
    cap
}

/// A hash map being filled: the bucket heads, written as the table when it is finished.
struct MapB {
    heads: Vec<u64>,
    size: u64,
}

static FIRST: &[&str] = &[
    "Anna", "Ben", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kaito",
    "Lena", "Marek", "Nora", "Omar", "Paula", "Quentin", "Rosa", "Sven", "Tariq",
];
static LAST: &[&str] = &[
    "Novak", "Schmidt", "Rossi", "Garcia", "Dubois", "Jansen", "Kowalski", "Silva", "Berg",
    "Okafor", "Tanaka", "Moreau", "Fischer", "Costa", "Larsen", "Weber",
];
static CITIES: &[&str] = &[
    "Berlin", "Lyon", "Porto", "Gdansk", "Utrecht", "Turin", "Graz", "Malmo", "Ghent", "Brno",
];
static COUNTRIES: &[&str] = &["DE", "FR", "PT", "PL", "NL", "IT", "AT", "SE", "BE", "CZ"];
static TAGS: &[&str] = &[
    "new",
    "sale",
    "eco",
    "bestseller",
    "limited",
    "outdoor",
    "kids",
    "home",
    "garden",
    "tools",
    "kitchen",
    "sport",
    "office",
    "gift",
    "bundle",
    "refurbished",
];
static PATHS: &[&str] = &[
    "/api/cart",
    "/api/checkout",
    "/api/orders",
    "/api/products",
    "/api/search",
    "/api/login",
    "/api/customers/me",
    "/api/recommendations",
];
static METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE"];
static ATTRS: &[&str] = &["locale", "cart", "csrf", "theme", "currency", "lastPage"];
static TOPICS: &[&str] = &[
    "orders",
    "payments",
    "shipping",
    "inventory",
    "audit",
    "email",
    "pricing",
    "search",
];
static MESSAGES: &[&str] = &[
    "order placed",
    "payment captured",
    "parcel shipped",
    "stock reserved",
    "mail queued",
];

/// A thread of the modelled JVM: name, its class, and its stack (class, method, signature,
/// source file, line; innermost first).
struct ThreadSpec {
    name: String,
    class: usize,
    daemon: bool,
    frames: Vec<(&'static str, &'static str, &'static str, &'static str, i32)>,
}

fn threads() -> Vec<ThreadSpec> {
    let c = |n: &str| SPECS.iter().position(|s| s.name == n).unwrap();
    let mut v = vec![
        ThreadSpec {
            name: "main".into(),
            class: C_THREAD,
            daemon: false,
            frames: vec![
                ("java/lang/Object", "wait", "(J)V", "Object.java", -2),
                (
                    "com/acme/shop/ShopApplication",
                    "awaitShutdown",
                    "()V",
                    "ShopApplication.java",
                    131,
                ),
                (
                    "com/acme/shop/ShopApplication",
                    "main",
                    "([Ljava/lang/String;)V",
                    "ShopApplication.java",
                    58,
                ),
            ],
        },
        ThreadSpec {
            name: "Reference Handler".into(),
            class: c("java/lang/ref/Reference$ReferenceHandler"),
            daemon: true,
            frames: vec![
                (
                    "java/lang/ref/Reference",
                    "waitForReferencePendingList",
                    "()V",
                    "Reference.java",
                    -2,
                ),
                (
                    "java/lang/ref/Reference",
                    "processPendingReferences",
                    "()V",
                    "Reference.java",
                    253,
                ),
                (
                    "java/lang/ref/Reference$ReferenceHandler",
                    "run",
                    "()V",
                    "Reference.java",
                    215,
                ),
            ],
        },
        ThreadSpec {
            name: "Finalizer".into(),
            class: c("java/lang/ref/Finalizer$FinalizerThread"),
            daemon: true,
            frames: vec![
                ("java/lang/Object", "wait", "(J)V", "Object.java", -2),
                (
                    "java/lang/ref/Finalizer$FinalizerThread",
                    "run",
                    "()V",
                    "Finalizer.java",
                    172,
                ),
            ],
        },
        ThreadSpec {
            name: "Signal Dispatcher".into(),
            class: C_THREAD,
            daemon: true,
            frames: vec![],
        },
        ThreadSpec {
            name: "Common-Cleaner".into(),
            class: C_THREAD,
            daemon: true,
            frames: vec![
                ("java/lang/Object", "wait", "(J)V", "Object.java", -2),
                ("java/lang/Thread", "run", "()V", "Thread.java", 833),
            ],
        },
    ];
    for i in 1..=16 {
        v.push(ThreadSpec {
            name: format!("http-nio-8080-exec-{i}"),
            class: C_WORKER,
            daemon: true,
            frames: vec![
                ("java/lang/Object", "wait", "(J)V", "Object.java", -2),
                (
                    "java/util/concurrent/LinkedBlockingQueue",
                    "take",
                    "()Ljava/lang/Object;",
                    "LinkedBlockingQueue.java",
                    435,
                ),
                (
                    "java/util/concurrent/ThreadPoolExecutor",
                    "getTask",
                    "()Ljava/lang/Runnable;",
                    "ThreadPoolExecutor.java",
                    1062,
                ),
                (
                    "java/util/concurrent/ThreadPoolExecutor",
                    "runWorker",
                    "(Ljava/util/concurrent/ThreadPoolExecutor$Worker;)V",
                    "ThreadPoolExecutor.java",
                    1122,
                ),
                (
                    "java/util/concurrent/ThreadPoolExecutor$Worker",
                    "run",
                    "()V",
                    "ThreadPoolExecutor.java",
                    635,
                ),
                ("java/lang/Thread", "run", "()V", "Thread.java", 833),
            ],
        });
    }
    v
}

// ---- the generator ----------------------------------------------------------------------

struct Gen<'w> {
    writing: bool,
    out: &'w mut dyn Write,
    err: Option<io::Error>,
    seg: Vec<u8>,
    seg_limit: usize,
    addr: u64,
    st: Stats,
    rng: Rng,
    cfg: Config,
    classes: Vec<Class>,
    /// Object array classes, then primitive array classes.
    arrays: Vec<Class>,
    /// UTF8 records: id and text, in id order.
    utf8: Vec<(u64, String)>,
    utf8_ids: HashMap<String, u64>,
    /// Pass 1: what is found; pass 2: what pass 1 found.
    plan: Plan,
    slot_pos: usize,
    tb: Vec<u8>,
    scratch: Vec<u64>,
    /// A block of pseudo-random bytes that buffers are cut from.
    noise: Vec<u8>,
    threads: Vec<ThreadSpec>,
    /// The mix's shares and sizes.
    mix: Shares,
}

impl<'w> Gen<'w> {
    fn new(cfg: &Config, writing: bool, out: &'w mut dyn Write, plan: Plan) -> Gen<'w> {
        let mut g = Gen {
            writing,
            out,
            err: None,
            seg: Vec::with_capacity(cfg.segment_bytes + (1 << 16)),
            seg_limit: cfg.segment_bytes.max(1),
            addr: HEAP_BASE,
            st: Stats::default(),
            rng: Rng(cfg.seed ^ 0x005E_ED0F_D00D),
            cfg: cfg.clone(),
            classes: Vec::new(),
            arrays: Vec::new(),
            utf8: Vec::new(),
            utf8_ids: HashMap::new(),
            plan,
            slot_pos: 0,
            tb: Vec::with_capacity(64),
            scratch: Vec::new(),
            noise: Vec::new(),
            threads: threads(),
            mix: cfg.mix.shares(),
        };
        let mut nr = Rng(cfg.seed.wrapping_mul(31).wrapping_add(7));
        g.noise = (0..65536 + 8192).map(|_| nr.next() as u8).collect();
        g.define_classes();
        g
    }

    fn into_plan(self) -> Plan {
        let mut p = self.plan;
        p.slots.truncate(self.slot_pos);
        p
    }

    fn sym(&mut self, text: &str) -> u64 {
        if let Some(&id) = self.utf8_ids.get(text) {
            return id;
        }
        // Symbol addresses in the metaspace.
        let id = 0x7f3a_1000_0000 + 0x20 * self.utf8.len() as u64;
        self.utf8.push((id, text.to_string()));
        self.utf8_ids.insert(text.to_string(), id);
        id
    }

    /// Class objects first (HotSpot's mirrors live in the heap), then the array classes.
    fn define_classes(&mut self) {
        for s in SPECS {
            let name_id = self.sym(s.name);
            let sup = if s.sup.is_empty() {
                None
            } else {
                Some(
                    SPECS
                        .iter()
                        .position(|x| x.name == s.sup)
                        .expect("super class"),
                )
            };
            let (mut dump_bytes, mut heap) = (0u32, 12u32);
            if let Some(k) = sup {
                let c: &Class = &self.classes[k];
                dump_bytes = c.dump_bytes;
                heap = c.field_end;
            }
            let mut fields = Vec::new();
            for &(f, t) in s.fields {
                dump_bytes += t.dump_size();
                heap += t.heap_size();
                fields.push((self.sym(f), t));
            }
            let statics: Vec<(u64, T)> = s.statics.iter().map(|&(f, t)| (self.sym(f), t)).collect();
            // A mirror: java.lang.Class's fields plus the statics.
            let mirror = 96 + 8 * statics.len() as u64;
            let id = self.alloc(mirror);
            self.classes.push(Class {
                id,
                name_id,
                sup: sup.map_or(0, |k| self.classes[k].id),
                dump_bytes,
                heap_size: (heap as u64).max(16).next_multiple_of(8) as u32,
                field_end: heap,
                fields,
                statics,
                app: is_app(s.name),
            });
        }
        let object = self.classes[0].id;
        let names: Vec<&str> = OBJ_ARRAYS
            .iter()
            .copied()
            .chain(PRIM_ARRAYS.iter().map(|p| p.0))
            .collect();
        for n in names {
            let name_id = self.sym(n);
            let id = self.alloc(96);
            self.arrays.push(Class {
                id,
                name_id,
                sup: object,
                dump_bytes: 0,
                heap_size: 16,
                field_end: 16,
                fields: Vec::new(),
                statics: Vec::new(),
                app: false,
            });
        }
        // Names the stack frames use.
        let thr = std::mem::take(&mut self.threads);
        for t in &thr {
            for f in &t.frames {
                self.sym(f.1);
                self.sym(f.2);
                self.sym(f.3);
            }
        }
        self.threads = thr;
    }

    // ---- low-level output -----------------------------------------------------------

    fn put(&mut self, bytes: &[u8]) {
        if self.err.is_none() {
            if let Err(e) = self.out.write_all(bytes) {
                self.err = Some(e);
            }
        }
    }

    fn record(&mut self, tag: u8, body: &[u8]) {
        let mut h = [0u8; 9];
        h[0] = tag;
        h[5..9].copy_from_slice(&(body.len() as u32).to_be_bytes());
        self.put(&h);
        self.put(body);
    }

    /// Called after each heap sub-record: closes the segment once it is big enough.
    #[inline]
    fn sub_done(&mut self) {
        if self.seg.len() >= self.seg_limit {
            self.flush_segment();
        }
    }

    fn flush_segment(&mut self) {
        if self.seg.is_empty() {
            return;
        }
        let seg = std::mem::take(&mut self.seg);
        self.record(0x1C, &seg);
        self.st.segments += 1;
        self.seg = seg;
        self.seg.clear();
    }

    fn alloc(&mut self, heap_size: u64) -> u64 {
        let id = self.addr;
        let n = align8(heap_size.max(16));
        self.addr += n;
        id
    }

    /// An instance of class `c`; `f` writes its field bytes (this class's fields first, then
    /// the super classes').
    #[inline]
    fn instance(&mut self, c: usize, f: impl FnOnce(&mut Vec<u8>)) -> u64 {
        let (class_id, dump_bytes, size) = {
            let k = &self.classes[c];
            (k.id, k.dump_bytes, k.heap_size as u64)
        };
        let id = self.alloc(size);
        self.st.instances += 1;
        self.st.heap_bytes += size;
        if self.writing {
            let s = &mut self.seg;
            s.push(0x21);
            put_u64(s, id);
            put_u32(s, ALLOC_TRACE);
            put_u64(s, class_id);
            put_u32(s, dump_bytes);
            let at = s.len();
            f(s);
            debug_assert_eq!(
                s.len() - at,
                dump_bytes as usize,
                "fields of {}",
                SPECS[c].name
            );
            self.sub_done();
        }
        id
    }

    /// The id the next object will get if it takes `size` bytes.
    fn next_id(&self) -> u64 {
        self.addr
    }

    fn object_array(&mut self, a: usize, elems: &[u64]) -> u64 {
        self.object_array_cap(a, elems, elems.len() as u64)
    }

    /// An object array of length `len`: `elems`, then nulls.
    fn object_array_cap(&mut self, a: usize, elems: &[u64], len: u64) -> u64 {
        let size = 16 + 4 * len;
        let id = self.alloc(size);
        self.st.object_arrays += 1;
        self.st.heap_bytes += align8(size);
        if self.writing {
            let class_id = self.arrays[a].id;
            let s = &mut self.seg;
            s.push(0x22);
            put_u64(s, id);
            put_u32(s, ALLOC_TRACE);
            put_u32(s, len as u32);
            put_u64(s, class_id);
            for &e in elems {
                put_u64(s, e);
            }
            s.resize(s.len() + 8 * (len as usize - elems.len()), 0);
            self.sub_done();
        }
        id
    }

    /// A primitive array of `len` elements of `t`; `f` writes exactly `len` elements.
    fn prim_array(&mut self, t: T, len: u64, f: impl FnOnce(&mut Vec<u8>, &[u8])) -> u64 {
        let size = 16 + t.dump_size() as u64 * len;
        let id = self.alloc(size);
        self.st.primitive_arrays += 1;
        self.st.heap_bytes += align8(size);
        if self.writing {
            let s = &mut self.seg;
            s.push(0x23);
            put_u64(s, id);
            put_u32(s, ALLOC_TRACE);
            put_u32(s, len as u32);
            s.push(t as u8);
            let at = s.len();
            f(s, &self.noise);
            debug_assert_eq!(s.len() - at, (t.dump_size() as u64 * len) as usize);
            self.sub_done();
        }
        id
    }

    /// A primitive array of `len` elements cut from the noise block.
    fn noise_array(&mut self, t: T, len: u64) -> u64 {
        let bytes = (t.dump_size() as u64 * len) as usize;
        let off = self.rng.below(4096) as usize;
        self.prim_array(t, len, |s, noise| {
            let mut left = bytes;
            let mut at = off;
            while left > 0 {
                let n = left.min(65536);
                s.extend_from_slice(&noise[at..at + n]);
                left -= n;
                at = (at + 977) % 4096;
            }
        })
    }

    /// A Latin-1 `String` holding the text in `self.tb`: its `byte[]`, then the String.
    /// `hashed`: the String's hash field is set (it was used as a key). Returns the String's
    /// id and its hash code.
    fn string_tb(&mut self, hashed: bool) -> (u64, i32) {
        let tb = std::mem::take(&mut self.tb);
        let h = java_hash(&tb);
        let value = self.prim_array(T::B, tb.len() as u64, |s, _| s.extend_from_slice(&tb));
        let stored = if hashed { h } else { 0 };
        let id = self.instance(C_STRING, |s| {
            put_u64(s, value);
            s.push(0); // coder: LATIN1
            put_i32(s, stored);
            s.push((hashed && h == 0) as u8);
        });
        self.tb = tb;
        (id, h)
    }

    fn string(&mut self, text: &str, hashed: bool) -> (u64, i32) {
        self.tb.clear();
        self.tb.extend_from_slice(text.as_bytes());
        self.string_tb(hashed)
    }

    /// Sets `self.tb` to `prefix` followed by `n` in decimal.
    fn text_num(&mut self, prefix: &str, n: u64) {
        self.tb.clear();
        self.tb.extend_from_slice(prefix.as_bytes());
        let mut d = [0u8; 20];
        let mut i = 20;
        let mut v = n;
        loop {
            i -= 1;
            d[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.tb.extend_from_slice(&d[i..]);
    }

    fn boxed_long(&mut self, v: i64) -> u64 {
        self.instance(C_LONG, |s| put_i64(s, v))
    }

    fn boxed_int(&mut self, v: i32) -> u64 {
        self.instance(C_INTEGER, |s| put_i32(s, v))
    }

    /// An `ArrayList` of `elems`: its `Object[]` (capacity grown as `ArrayList` grows it),
    /// then the list.
    fn array_list(&mut self, elems: &[u64]) -> u64 {
        let n = elems.len() as u64;
        let data = self.object_array_cap(A_OBJECT, elems, list_capacity(n));
        self.instance(C_ARRAYLIST, |s| {
            put_u64(s, data);
            put_i32(s, n as i32);
            put_i32(s, n as i32); // AbstractList.modCount
        })
    }

    fn map_new(&self, expected: u64) -> MapB {
        MapB {
            heads: vec![0; table_len(expected) as usize],
            size: 0,
        }
    }

    /// Adds an entry: writes its `HashMap$Node` (chained in front of its bucket).
    fn map_put(&mut self, m: &mut MapB, key_hash: i32, key: u64, value: u64) {
        let h = spread(key_hash);
        let b = (h as u32 as usize) & (m.heads.len() - 1);
        let next = m.heads[b];
        let node = self.instance(C_NODE, |s| {
            put_i32(s, h);
            put_u64(s, key);
            put_u64(s, value);
            put_u64(s, next);
        });
        m.heads[b] = node;
        m.size += 1;
    }

    /// Writes the table and the `HashMap`.
    fn map_finish(&mut self, m: MapB) -> u64 {
        let cap = m.heads.len() as u64;
        let table = self.object_array(A_NODE, &m.heads);
        let size = m.size as i32;
        self.instance(C_HASHMAP, |s| {
            put_u64(s, table);
            put_u64(s, 0); // entrySet
            put_i32(s, size);
            put_i32(s, size); // modCount
            put_i32(s, (cap * 3 / 4) as i32);
            s.extend_from_slice(&0.75f32.to_bits().to_be_bytes());
            put_u64(s, 0); // AbstractMap.keySet
            put_u64(s, 0); // AbstractMap.values
        })
    }

    // ---- forward references -------------------------------------------------------

    /// A reference to an object written later: pass 1 returns 0 and remembers the slot;
    /// pass 2 returns what pass 1 filled in.
    fn future(&mut self) -> (usize, u64) {
        let i = self.slot_pos;
        self.slot_pos += 1;
        if self.writing {
            (i, self.plan.slots[i])
        } else {
            self.plan.slots.push(0);
            (i, 0)
        }
    }

    fn resolve(&mut self, slot: usize, id: u64) {
        if self.writing {
            debug_assert_eq!(self.plan.slots[slot], id);
        } else {
            self.plan.slots[slot] = id;
        }
    }

    fn set_static(&mut self, c: usize, name: &str, id: u64) {
        let i = SPECS[c]
            .statics
            .iter()
            .position(|s| s.0 == name)
            .expect("static field");
        if self.writing {
            debug_assert_eq!(self.plan.statics.get(&(c, i)), Some(&id));
        } else {
            self.plan.statics.insert((c, i), id);
        }
    }

    fn root(&mut self, r: Root) {
        if !self.writing {
            self.plan.roots.push(r);
        }
    }

    // ---- the records around the heap ----------------------------------------------

    /// Header, UTF8 and LOAD_CLASS records, stack traces.
    fn write_preamble(&mut self) {
        let mut h = Vec::new();
        h.extend_from_slice(b"JAVA PROFILE 1.0.2\0");
        put_u32(&mut h, ID_SIZE);
        put_u64(&mut h, DUMP_TIMESTAMP_MS as u64);
        self.put(&h);
        let utf8 = std::mem::take(&mut self.utf8);
        let mut body = Vec::new();
        for (id, text) in &utf8 {
            body.clear();
            put_u64(&mut body, *id);
            body.extend_from_slice(text.as_bytes());
            self.record(0x01, &body);
            self.st.utf8 += 1;
        }
        self.utf8 = utf8;
        let all: Vec<(u64, u64)> = self
            .classes
            .iter()
            .chain(&self.arrays)
            .map(|c| (c.id, c.name_id))
            .collect();
        for (serial, (id, name)) in all.iter().enumerate() {
            body.clear();
            put_u32(&mut body, serial as u32 + 1);
            put_u64(&mut body, *id);
            put_u32(&mut body, ALLOC_TRACE);
            put_u64(&mut body, *name);
            self.record(0x02, &body);
        }
        self.st.classes = all.len() as u64;
        // The empty trace that objects name, then one trace per thread.
        body.clear();
        put_u32(&mut body, ALLOC_TRACE);
        put_u32(&mut body, 0);
        put_u32(&mut body, 0);
        self.record(0x05, &body);
        self.st.traces += 1;
        let thr = std::mem::take(&mut self.threads);
        let mut frame_id = 0x7f3b_0000_0000u64;
        for (i, t) in thr.iter().enumerate() {
            let mut ids = Vec::new();
            for &(class, method, sig, file, line) in &t.frames {
                let serial = SPECS
                    .iter()
                    .position(|s| s.name == class)
                    .expect("frame class")
                    + 1;
                body.clear();
                put_u64(&mut body, frame_id);
                put_u64(&mut body, self.utf8_ids[method]);
                put_u64(&mut body, self.utf8_ids[sig]);
                put_u64(&mut body, self.utf8_ids[file]);
                put_u32(&mut body, serial as u32);
                put_i32(&mut body, line);
                self.record(0x04, &body);
                self.st.frames += 1;
                ids.push(frame_id);
                frame_id += 0x40;
            }
            body.clear();
            put_u32(&mut body, ALLOC_TRACE + 1 + i as u32);
            put_u32(&mut body, i as u32 + 1);
            put_u32(&mut body, ids.len() as u32);
            for f in ids {
                put_u64(&mut body, f);
            }
            self.record(0x05, &body);
            self.st.traces += 1;
        }
        self.threads = thr;
    }

    /// Class dumps, thread and stack roots, JNI globals (the start of HotSpot's heap dump).
    fn write_heap_start(&mut self) {
        let loader = self.plan.app_loader;
        // By index: the loop writes through `self` while it reads the class.
        #[allow(clippy::needless_range_loop)]
        for ci in 0..self.classes.len() + self.arrays.len() {
            let mut s = std::mem::take(&mut self.seg);
            let is_class = ci < self.classes.len();
            let c = if is_class {
                &self.classes[ci]
            } else {
                &self.arrays[ci - self.classes.len()]
            };
            s.push(0x20);
            put_u64(&mut s, c.id);
            put_u32(&mut s, ALLOC_TRACE);
            put_u64(&mut s, c.sup);
            put_u64(&mut s, if c.app { loader } else { 0 });
            put_u64(&mut s, 0); // signers
            put_u64(&mut s, 0); // protection domain
            put_u64(&mut s, 0);
            put_u64(&mut s, 0);
            put_u32(&mut s, c.dump_bytes);
            s.extend_from_slice(&0u16.to_be_bytes()); // constant pool
            s.extend_from_slice(&(c.statics.len() as u16).to_be_bytes());
            for (si, &(name, t)) in c.statics.iter().enumerate() {
                put_u64(&mut s, name);
                s.push(t as u8);
                match t {
                    T::O => put_u64(&mut s, *self.plan.statics.get(&(ci, si)).unwrap_or(&0)),
                    T::J if SPECS[ci].statics[si].0 == "STARTED_AT" => {
                        put_i64(&mut s, DUMP_TIMESTAMP_MS - 3 * DAY)
                    }
                    t => s.resize(s.len() + t.dump_size() as usize, 0),
                }
            }
            s.extend_from_slice(&(c.fields.len() as u16).to_be_bytes());
            for &(name, t) in &c.fields {
                put_u64(&mut s, name);
                s.push(t as u8);
            }
            self.seg = s;
            self.sub_done();
        }
        let roots = std::mem::take(&mut self.plan.roots);
        for r in &roots {
            let s = &mut self.seg;
            match *r {
                Root::Thread(id, serial, trace) => {
                    s.push(0x08);
                    put_u64(s, id);
                    put_u32(s, serial);
                    put_u32(s, trace);
                    self.st.roots_thread_object += 1;
                }
                Root::Frame(id, serial, depth) => {
                    s.push(0x03);
                    put_u64(s, id);
                    put_u32(s, serial);
                    put_u32(s, depth);
                    self.st.roots_java_frame += 1;
                }
                Root::JniLocal(id, serial, depth) => {
                    s.push(0x02);
                    put_u64(s, id);
                    put_u32(s, serial);
                    put_u32(s, depth);
                    self.st.roots_jni_local += 1;
                }
                Root::JniGlobal(id, global) => {
                    s.push(0x01);
                    put_u64(s, id);
                    put_u64(s, global);
                    self.st.roots_jni_global += 1;
                }
            }
            self.sub_done();
        }
        self.plan.roots = roots;
    }

    /// Sticky class roots for the boot loader's classes, the last segment, HEAP_DUMP_END.
    fn write_heap_end(&mut self) {
        let ids: Vec<u64> = self
            .classes
            .iter()
            .chain(&self.arrays)
            .filter(|c| !c.app)
            .map(|c| c.id)
            .collect();
        for id in ids {
            self.seg.push(0x05);
            put_u64(&mut self.seg, id);
            self.st.roots_sticky_class += 1;
            self.sub_done();
        }
        self.flush_segment();
        self.record(0x2C, &[]);
    }

    // ---- the heap -----------------------------------------------------------------

    fn heap(&mut self) {
        let (n, m) = (self.cfg.objects.max(1000), self.mix);
        self.system();
        let (products, shared) = self.catalog(n * m.catalog / 100);
        // Every category gets its share of the objects in each round, so that the
        // structures interleave in the heap as they do in a long-running JVM.
        let rounds = (n / 200_000).clamp(4, 64);
        let customers_total = n * m.customers / 100 / 24;
        let sessions_total = n * m.sessions / 100 / 12;
        let leak_total = n * m.leak / 100 / 5;
        let counters_total = n * m.counters / 100 / 4;
        let mut sessions = self.map_new(sessions_total);
        let mut leak = self.map_new(leak_total);
        let mut counters = self.map_new(counters_total);
        let mut shards = Vec::new();
        let mut logs = Vec::new();
        let mut pools = Vec::new();
        let mut samplers = Vec::new();
        let mut recent: Vec<u64> = Vec::new();
        let mut next_customer = 1u64;
        let mut leak_done = 0u64;
        for r in 0..rounds {
            let share = |total: u64| total * (r + 1) / rounds - total * r / rounds;
            // Customers, in one shard map per round.
            let nc = share(customers_total);
            let mut shard = self.map_new(nc);
            for _ in 0..nc {
                let cid = next_customer;
                next_customer += 1;
                let c = self.customer(cid, &products, &shared);
                let key = self.boxed_long(cid as i64);
                let h = (cid ^ (cid >> 32)) as i32;
                self.map_put(&mut shard, h, key, c);
                if recent.len() < 4096 {
                    recent.push(c);
                } else {
                    let i = self.rng.below(4096) as usize;
                    recent[i] = c;
                }
            }
            shards.push(self.map_finish(shard));
            for _ in 0..share(sessions_total) {
                self.session(&mut sessions, &recent, &shared);
            }
            // Event logs: doubly linked, each written whole.
            let mut left = n * m.events / 100 / 15 * 10 / rounds;
            while left > 0 {
                let len = self.rng.range(2_000, 60_000).min(left);
                left -= len;
                let l = self.event_log(len, &shared);
                logs.push(l);
            }
            pools.push(self.buffer_pool(n * m.pools / 100 / rounds));
            let mut left = n * m.samplers / 100 / rounds;
            while left > 600 {
                let len = self.rng.range(500, 4000).min(left - 3);
                left -= len + 3;
                let s = self.sampler(len);
                samplers.push(s);
            }
            for _ in 0..share(counters_total) {
                let id = self.rng.next() >> 20;
                self.text_num("shop.requests.", id);
                let (name, h) = self.string_tb(true);
                let v = self.rng.below(1 << 40) as i64;
                let ctr = self.instance(C_COUNTER, |s| {
                    put_u64(s, name);
                    put_i64(s, v);
                });
                self.map_put(&mut counters, h, name, ctr);
            }
            // The leak: requests kept for ever.
            let nl = share(leak_total);
            for _ in 0..nl {
                self.request(&mut leak, leak_done, leak_total, &recent, &shared);
                leak_done += 1;
            }
        }
        self.st.leak_entries = leak.size;
        let map = self.map_finish(leak);
        self.set_static(C_TRACKER, "ACTIVE", map);

        let smap = self.map_finish(sessions);
        let registry = self.instance(C_REGISTRY, |s| {
            put_u64(s, smap);
            put_i64(s, 30 * MINUTE);
        });
        self.set_static(C_APP, "SESSIONS", registry);

        let shard_arr = self.object_array(A_OBJECT, &shards);
        let count = (next_customer - 1) as i32;
        let repo = self.instance(C_REPO, |s| {
            put_u64(s, shard_arr);
            put_i32(s, count);
        });
        self.set_static(C_APP, "CUSTOMERS", repo);

        let log_arr = self.object_array(A_LOG, &logs);
        let bus = self.instance(C_BUS, |s| {
            put_u64(s, log_arr);
            put_i64(s, 1_000_000);
        });
        self.set_static(C_APP, "EVENTS", bus);

        let pool_arr = self.object_array(A_OBJECT, &pools);
        self.set_static(C_APP, "BUFFERS", pool_arr);
        let sampler_list = self.array_list(&samplers);
        self.set_static(C_APP, "SAMPLERS", sampler_list);

        let cmap = self.map_finish(counters);
        let mut hist = Vec::new();
        for name in [
            "latency.checkout",
            "latency.search",
            "latency.login",
            "payload.size",
        ] {
            let (nm, _) = self.string(name, false);
            let bounds = self.prim_array(T::D, 20, |s, _| {
                for i in 0..20u32 {
                    s.extend_from_slice(&(f64::from(1u32 << (i / 2))).to_bits().to_be_bytes());
                }
            });
            let counts = self.noise_array(T::J, 20);
            let h = self.instance(C_HISTOGRAM, |s| {
                put_u64(s, nm);
                put_u64(s, bounds);
                put_u64(s, counts);
                put_u64(s, nm);
            });
            hist.push(h);
        }
        let hist_list = self.array_list(&hist);
        let metrics = self.instance(C_METRICS, |s| {
            put_u64(s, cmap);
            put_u64(s, hist_list);
        });
        self.set_static(C_APP, "METRICS", metrics);
        let (version, _) = self.string("4.12.0-SNAPSHOT", false);
        self.set_static(C_APP, "VERSION", version);
    }

    /// Class loaders, thread groups, threads with their names and thread-local maps, and
    /// the roots that name them.
    fn system(&mut self) {
        let (pname, _) = self.string("platform", false);
        let platform = self.instance(C_PLATFORM_LOADER, |s| {
            for _ in 0..5 {
                put_u64(s, 0); // BuiltinClassLoader, SecureClassLoader
            }
            put_u64(s, 0);
            put_u64(s, pname);
            s.resize(s.len() + 8 * 5, 0);
            s.push(0);
            s.resize(s.len() + 8 * 3, 0);
        });
        let app_classes: Vec<u64> = self
            .classes
            .iter()
            .filter(|c| c.app)
            .map(|c| c.id)
            .collect();
        let classes = self.array_list(&app_classes);
        let (aname, _) = self.string("app", false);
        let app = self.instance(C_APP_LOADER, |s| {
            put_u64(s, platform); // BuiltinClassLoader.parent
            s.resize(s.len() + 8 * 4, 0);
            put_u64(s, platform); // ClassLoader.parent
            put_u64(s, aname);
            s.resize(s.len() + 8 * 4, 0);
            put_u64(s, classes);
            s.push(0);
            s.resize(s.len() + 8 * 3, 0);
        });
        self.plan.app_loader = app;
        let cl = SPECS
            .iter()
            .position(|s| s.name == "java/lang/ClassLoader")
            .unwrap();
        self.set_static(cl, "scl", app);
        self.root(Root::JniGlobal(app, 0x7f3c_0000_0010));
        self.root(Root::JniGlobal(platform, 0x7f3c_0000_0020));

        // Thread groups "system" and its child "main"; their thread arrays come later.
        let (sys_name, _) = self.string("system", false);
        let (sys_threads, sys_threads_id) = self.future();
        let group = |s: &mut Vec<u8>, parent: u64, name: u64, n: i32, threads: u64, groups: u64| {
            put_u64(s, parent);
            put_u64(s, name);
            put_i32(s, 10);
            s.push(0);
            s.push(0);
            put_i32(s, 0);
            put_i32(s, n);
            put_u64(s, threads);
            put_i32(s, (groups != 0) as i32);
            put_u64(s, groups);
        };
        let thr = std::mem::take(&mut self.threads);
        let n_sys = thr
            .iter()
            .filter(|t| t.daemon && t.class != C_WORKER)
            .count();
        let n_main = thr.len() - n_sys;
        let (groups_arr_slot, groups_arr) = self.future();
        let system = self.instance(C_GROUP, |s| {
            group(s, 0, sys_name, n_sys as i32, sys_threads_id, groups_arr)
        });
        let (main_name, _) = self.string("main", false);
        let (main_threads, main_threads_id) = self.future();
        let main_group = self.instance(C_GROUP, |s| {
            group(s, system, main_name, n_main as i32, main_threads_id, 0)
        });
        let ga = self.object_array_cap(A_GROUP, &[main_group], 4);
        self.resolve(groups_arr_slot, ga);

        // Two thread locals every worker uses.
        let tl1 = self.instance(C_TL, |s| put_i32(s, 0x61c8_8647u32 as i32));
        let tl2 = self.instance(C_TL, |s| {
            put_i32(s, (0x61c8_8647u32.wrapping_mul(2)) as i32)
        });
        self.set_static(C_WORKER, "BUFFER", tl1);
        self.set_static(C_WORKER, "DEPTH", tl2);
        let (mut in_sys, mut in_main) = (Vec::new(), Vec::new());
        for (i, t) in thr.iter().enumerate() {
            let serial = i as u32 + 1;
            let (name, _) = self.string(&t.name, false);
            let mut locals = 0;
            let mut frame_locals = Vec::new();
            if t.class == C_WORKER {
                // A thread-local map with two weak entries: a buffer and a counter.
                let buf = self.noise_array(T::B, 8192);
                let cnt = self.boxed_int(i as i32);
                let e1 = self.instance(C_TLENTRY, |s| {
                    put_u64(s, buf);
                    put_u64(s, tl1);
                    s.resize(s.len() + 24, 0);
                });
                let e2 = self.instance(C_TLENTRY, |s| {
                    put_u64(s, cnt);
                    put_u64(s, tl2);
                    s.resize(s.len() + 24, 0);
                });
                let mut table = [0u64; 16];
                table[7] = e1;
                table[14] = e2;
                let tab = self.object_array(A_TLENTRY, &table);
                locals = self.instance(C_TLMAP, |s| {
                    put_u64(s, tab);
                    put_i32(s, 2);
                    put_i32(s, 10);
                });
                // The worker's current task list: a local of runWorker.
                let (k, _) = self.string(&format!("task-{i}"), false);
                frame_locals.push((self.array_list(&[k]), 3));
            }
            let g = if t.daemon && t.class != C_WORKER {
                system
            } else {
                main_group
            };
            let worker = t.class == C_WORKER;
            let daemon = t.daemon;
            let id = self.instance(t.class, |s| {
                if worker {
                    put_i64(s, 1000 + i as i64); // requests
                    put_u64(s, 0); // current
                }
                if SPECS[t.class].name == "java/lang/ref/Finalizer$FinalizerThread" {
                    s.push(1);
                }
                put_u64(s, name);
                put_i32(s, if daemon { 10 } else { 5 });
                s.push(daemon as u8);
                s.push(0);
                s.push(0);
                put_i64(s, 0x7f3d_0000_0000 + 0x1000 * i as i64); // eetop
                put_u64(s, 0);
                put_u64(s, g);
                put_u64(s, app);
                put_u64(s, 0);
                put_u64(s, locals);
                put_u64(s, 0);
                put_i64(s, 0);
                put_i64(s, serial as i64 + 1); // tid
                put_i32(s, 0x291); // WAITING
                s.resize(s.len() + 8 * 4, 0);
                put_i64(s, 0);
                put_i32(s, 0);
                put_i32(s, 0);
            });
            self.root(Root::Thread(id, serial, ALLOC_TRACE + serial));
            for (obj, depth) in frame_locals {
                self.root(Root::Frame(obj, serial, depth));
            }
            if i == 0 {
                // main(String[] args) and a JNI local of the launcher.
                let (a, _) = self.string("--server.port=8080", false);
                let args = self.object_array(A_STRING, &[a]);
                self.root(Root::Frame(args, serial, 2));
                self.root(Root::JniLocal(args, serial, 2));
            }
            if g == system {
                in_sys.push(id);
            } else {
                in_main.push(id);
            }
        }
        self.threads = thr;
        let sa = self.object_array_cap(A_THREAD, &in_sys, in_sys.len() as u64 + 2);
        self.resolve(sys_threads, sa);
        let ma = self.object_array_cap(A_THREAD, &in_main, in_main.len() as u64 + 4);
        self.resolve(main_threads, ma);
        self.root(Root::JniGlobal(system, 0x7f3c_0000_0030));
    }

    /// The catalog: categories, products (each in the catalog map by SKU), the per-category
    /// product lists. Returns the products (id, price) and the shared strings.
    fn catalog(&mut self, budget: u64) -> (Vec<(u64, u64)>, Shared) {
        let mut shared = Shared::default();
        for list in [
            TAGS, CITIES, COUNTRIES, PATHS, METHODS, ATTRS, TOPICS, MESSAGES,
        ] {
            let mut v = Vec::new();
            for t in list {
                let (id, h) = self.string(t, true);
                v.push((id, h));
            }
            shared.pools.push(v);
        }
        let (eur, _) = self.string("EUR", false);
        shared.currency = eur;
        let ncat = 40usize;
        let mut cats = Vec::new();
        let mut cat_slots = Vec::new();
        for i in 0..ncat {
            self.text_num("Category ", i as u64);
            let (name, _) = self.string_tb(false);
            let parent = if i >= 8 { cats[i % 8] } else { 0 };
            let (slot, list) = self.future();
            cats.push(self.instance(C_CATEGORY, |s| {
                put_u64(s, name);
                put_u64(s, parent);
                put_u64(s, list);
            }));
            cat_slots.push(slot);
        }
        let np = (budget / 8).max(20);
        let mut map = self.map_new(np);
        let mut products = Vec::with_capacity(np as usize);
        let mut by_cat: Vec<Vec<u64>> = vec![Vec::new(); ncat];
        for p in 0..np {
            self.text_num("SKU-", 1_000_000 + p);
            let (sku, h) = self.string_tb(true);
            let w = FIRST[self.rng.below(FIRST.len() as u64) as usize];
            self.text_num(w, p);
            self.tb.extend_from_slice(b" deluxe edition");
            let (name, _) = self.string_tb(false);
            let cents = self.rng.range(99, 99_999) as i64;
            let price = self.instance(C_MONEY, |s| {
                put_i64(s, cents);
                put_u64(s, eur);
            });
            let ntags = self.rng.below(4) as usize;
            let tags: Vec<u64> = (0..ntags)
                .map(|_| shared.pick(&mut self.rng, 0).0)
                .collect();
            let tags = self.object_array(A_STRING, &tags);
            let ci = self.rng.below(ncat as u64) as usize;
            let cat = cats[ci];
            let stock = self.rng.below(500) as i32;
            let weight = self.rng.range(50, 20_000) as i32;
            let prod = self.instance(C_PRODUCT, |s| {
                put_u64(s, sku);
                put_u64(s, name);
                put_u64(s, cat);
                put_u64(s, price);
                put_i32(s, stock);
                put_u64(s, tags);
                put_i32(s, weight);
                s.push(1);
            });
            by_cat[ci].push(prod);
            products.push((prod, price));
            self.map_put(&mut map, h, sku, prod);
        }
        for (ci, list) in by_cat.iter().enumerate() {
            let l = self.array_list(list);
            self.resolve(cat_slots[ci], l);
        }
        let m = self.map_finish(map);
        let cl = self.array_list(&cats);
        let catalog = self.instance(C_CATALOG, |s| {
            put_u64(s, m);
            put_u64(s, cl);
            put_i64(s, DUMP_TIMESTAMP_MS - 3 * DAY);
        });
        self.set_static(C_APP, "CATALOG", catalog);
        (products, shared)
    }

    /// A customer with address and orders (Order.customer points back).
    fn customer(&mut self, cid: u64, products: &[(u64, u64)], sh: &Shared) -> u64 {
        let first = FIRST[self.rng.below(FIRST.len() as u64) as usize];
        let last = LAST[self.rng.below(LAST.len() as u64) as usize];
        self.tb.clear();
        self.tb.extend_from_slice(first.as_bytes());
        self.tb.push(b' ');
        self.tb.extend_from_slice(last.as_bytes());
        let (name, _) = self.string_tb(false);
        self.text_num("", cid);
        let mut email = Vec::with_capacity(40);
        email.extend_from_slice(first.to_ascii_lowercase().as_bytes());
        email.push(b'.');
        email.extend_from_slice(&self.tb);
        email.extend_from_slice(b"@mail.example");
        self.tb = email;
        let (email, _) = self.string_tb(false);
        let street_no = self.rng.range(1, 240);
        self.text_num("Hauptstrasse ", street_no);
        let (street, _) = self.string_tb(false);
        let zip = self.rng.range(10_000, 99_999);
        self.text_num("", zip);
        let (zip, _) = self.string_tb(false);
        let ci = self.rng.below(CITIES.len() as u64) as usize;
        let city = sh.pools[1][ci].0;
        let country = sh.pools[2][ci].0;
        let address = self.instance(C_ADDRESS, |s| {
            put_u64(s, street);
            put_u64(s, city);
            put_u64(s, zip);
            put_u64(s, country);
        });
        let (orders_slot, orders_id) = self.future();
        let vip = self.rng.chance(1, 20);
        let points = self.rng.below(10_000) as i32;
        let registered = DUMP_TIMESTAMP_MS - self.rng.range(200, 3000) as i64 * DAY;
        let customer = self.instance(C_CUSTOMER, |s| {
            put_i64(s, cid as i64);
            put_u64(s, name);
            put_u64(s, email);
            put_u64(s, address);
            put_u64(s, orders_id);
            s.push(vip as u8);
            put_i32(s, points);
            put_i64(s, registered);
        });
        let norders = self.rng.below(4);
        let mut orders = Vec::new();
        for o in 0..norders {
            let nlines = self.rng.range(1, 4);
            let mut lines = Vec::new();
            let mut total = 0i64;
            for _ in 0..nlines {
                let (prod, price) = products[self.rng.below(products.len() as u64) as usize];
                let q = self.rng.range(1, 5) as i32;
                total += q as i64 * 1000;
                lines.push(self.instance(C_LINE, |s| {
                    put_u64(s, prod);
                    put_i32(s, q);
                    put_u64(s, price);
                }));
            }
            let lines = self.array_list(&lines);
            let cur = sh.currency;
            let money = self.instance(C_MONEY, |s| {
                put_i64(s, total);
                put_u64(s, cur);
            });
            let placed = DUMP_TIMESTAMP_MS - self.rng.range(45, 700) as i64 * DAY;
            orders.push(self.instance(C_ORDER, |s| {
                put_i64(s, (cid * 8 + o) as i64);
                put_u64(s, customer);
                put_u64(s, lines);
                put_u64(s, money);
                put_i32(s, 3);
                put_i64(s, placed);
            }));
        }
        let list = self.array_list(&orders);
        self.resolve(orders_slot, list);
        customer
    }

    /// A session (recently used: a working set) in the session registry's map.
    fn session(&mut self, m: &mut MapB, recent: &[u64], sh: &Shared) {
        let sid = self.rng.next();
        self.tb.clear();
        for i in 0..4 {
            let x = (sid >> (16 * i)) as u16;
            self.tb.extend_from_slice(format!("{x:04X}").as_bytes());
        }
        let (key, h) = self.string_tb(true);
        let customer = if recent.is_empty() {
            0
        } else {
            recent[self.rng.below(recent.len() as u64) as usize]
        };
        let nattr = self.rng.range(2, 4) as usize;
        let mut am = self.map_new(nattr as u64);
        let start = self.rng.below(ATTRS.len() as u64) as usize;
        for k in 0..nattr {
            let (name, ah) = sh.pools[5][(start + k) % ATTRS.len()];
            let v = self.rng.below(1000) as i32;
            let val = self.boxed_int(v);
            self.map_put(&mut am, ah, name, val);
        }
        let attrs = self.map_finish(am);
        let created = DUMP_TIMESTAMP_MS - self.rng.range(2, 30) as i64 * MINUTE;
        let last = DUMP_TIMESTAMP_MS - self.rng.range(1, 120_000) as i64;
        let session = self.instance(C_SESSION, |s| {
            put_u64(s, key);
            put_u64(s, customer);
            put_u64(s, attrs);
            put_i64(s, created);
            put_i64(s, last);
        });
        self.map_put(m, h, key, session);
    }

    /// An event log of `len` events, doubly linked, a quarter of them with their own message.
    fn event_log(&mut self, len: u64, sh: &Shared) -> u64 {
        let ev_size = self.classes[C_EVENT].heap_size as u64;
        // The size of the String + byte[] of a message of `n` bytes.
        let msg_size = |n: u64| align8(16 + n).max(16) + 24;
        let mut next_msg = self
            .rng
            .chance(1, 4)
            .then(|| self.rng.range(10_000, 99_999_999));
        let mut prev = 0u64;
        let mut head = 0u64;
        let seq0 = self.rng.below(1 << 30);
        for i in 0..len {
            let this_msg = next_msg;
            next_msg = if i + 1 < len {
                self.rng
                    .chance(1, 4)
                    .then(|| self.rng.range(10_000, 99_999_999))
            } else {
                None
            };
            let message = match this_msg {
                Some(x) => {
                    self.text_num("event #", x);
                    self.string_tb(false).0
                }
                None => sh.pools[7][(i % MESSAGES.len() as u64) as usize].0,
            };
            let me = self.next_id();
            let next = if i + 1 < len {
                let extra = next_msg.map_or(0, |x| msg_size(7 + digits(x)));
                me + ev_size + extra
            } else {
                0
            };
            let kind = (i % 7) as i32;
            let id = self.instance(C_EVENT, |s| {
                put_u64(s, prev);
                put_u64(s, next);
                put_i64(s, (seq0 + i) as i64);
                put_i32(s, kind);
                put_u64(s, message);
            });
            debug_assert_eq!(id, me);
            if i == 0 {
                head = id;
            }
            prev = id;
        }
        let topic = sh.pools[6][self.rng.below(TOPICS.len() as u64) as usize].0;
        let tail = prev;
        self.instance(C_LOG, |s| {
            put_u64(s, topic);
            put_u64(s, head);
            put_u64(s, tail);
            put_i32(s, len as i32);
            put_i32(s, len as i32);
        })
    }

    /// A pool of about `budget` primitive arrays: byte buffers, and int and long arrays.
    fn buffer_pool(&mut self, budget: u64) -> u64 {
        let n = budget.saturating_sub(3).max(1);
        let mut bufs = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let (t, (lo, hi)) = match self.rng.below(10) {
                0..=5 => (T::B, self.mix.bytes),
                6 | 7 => (T::I, self.mix.ints),
                8 => (T::J, self.mix.longs),
                _ => (T::C, self.mix.chars),
            };
            let len = self.rng.range(lo, hi);
            let id = self.noise_array(t, len);
            bufs.push(id);
        }
        let arr = self.object_array(A_OBJECT, &bufs);
        let sums = self.noise_array(T::J, 16);
        let offs = self.noise_array(T::I, 16);
        self.instance(C_POOL, |s| {
            put_u64(s, arr);
            put_i32(s, 1024);
            put_i32(s, n as i32 / 3);
            put_u64(s, sums);
            put_u64(s, offs);
        })
    }

    /// A sampler: a `Long[]` of `len` boxed samples (none from the box cache).
    fn sampler(&mut self, len: u64) -> u64 {
        let mut v = std::mem::take(&mut self.scratch);
        v.clear();
        for _ in 0..len {
            let x = 1000 + self.rng.below(1 << 40) as i64;
            v.push(self.boxed_long(x));
        }
        let arr = self.object_array(A_LONG, &v);
        self.scratch = v;
        let k = self.rng.below(TOPICS.len() as u64) as usize;
        let (name, _) = self.string(&format!("sampler.{}", TOPICS[k]), false);
        let cursor = self.rng.below(len) as i32;
        self.instance(C_SAMPLER, |s| {
            put_u64(s, name);
            put_u64(s, arr);
            put_i32(s, cursor);
        })
    }

    /// The leak: a request context put into `RequestTracker.ACTIVE` and never removed.
    /// Request `i` of `total` started at a time that grows with `i`, from 7 h to 1 h before
    /// the dump.
    fn request(&mut self, m: &mut MapB, i: u64, total: u64, recent: &[u64], sh: &Shared) {
        let rid = 5_000_000 + i * 7 + self.rng.below(7);
        // An X-Request-Id: a random UUID.
        let (hi, lo) = (self.rng.next(), self.rng.next());
        self.tb.clear();
        let uuid = format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xffff,
            hi & 0xfff,
            0x8000 | (lo >> 48) & 0x3fff,
            lo & 0xffff_ffff_ffff
        );
        self.tb.extend_from_slice(uuid.as_bytes());
        let (key, h) = self.string_tb(true);
        let (lo, hi) = self.mix.body;
        let len = self.rng.range(lo, hi);
        let body = self.noise_array(T::B, len);
        let span = 6 * HOUR;
        let jitter = self.rng.below(20_000) as i64;
        let started = DUMP_TIMESTAMP_MS - 7 * HOUR
            + (span as u128 * i as u128 / total.max(1) as u128) as i64
            + jitter;
        let path = sh.pools[3][self.rng.below(PATHS.len() as u64) as usize].0;
        let method = sh.pools[4][self.rng.below(METHODS.len() as u64) as usize].0;
        let user = if recent.is_empty() || self.rng.chance(1, 3) {
            0
        } else {
            recent[self.rng.below(recent.len() as u64) as usize]
        };
        let dur = self.rng.range(200_000, 900_000_000) as i64;
        let ctx = self.instance(C_REQUEST, |s| {
            put_i64(s, rid as i64);
            put_u64(s, path);
            put_u64(s, method);
            put_i64(s, started);
            put_i64(s, dur);
            put_i32(s, 200);
            put_u64(s, body);
            put_u64(s, user);
        });
        self.map_put(m, h, key, ctx);
    }
}

fn digits(mut x: u64) -> u64 {
    let mut d = 1;
    while x >= 10 {
        x /= 10;
        d += 1;
    }
    d
}

/// Strings shared by many objects (interned literals): tags, cities, countries, paths,
/// methods, attribute names, topics, messages; with their hash codes.
#[derive(Default)]
struct Shared {
    pools: Vec<Vec<(u64, i32)>>,
    currency: u64,
}

impl Shared {
    fn pick(&self, rng: &mut Rng, pool: usize) -> (u64, i32) {
        let p = &self.pools[pool];
        p[rng.below(p.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_indices_match_specs() {
        let want = [
            (C_STRING, "java/lang/String"),
            (C_INTEGER, "java/lang/Integer"),
            (C_LONG, "java/lang/Long"),
            (C_HASHMAP, "java/util/HashMap"),
            (C_NODE, "java/util/HashMap$Node"),
            (C_ARRAYLIST, "java/util/ArrayList"),
            (C_TL, "java/lang/ThreadLocal"),
            (C_TLMAP, "java/lang/ThreadLocal$ThreadLocalMap"),
            (C_TLENTRY, "java/lang/ThreadLocal$ThreadLocalMap$Entry"),
            (C_THREAD, "java/lang/Thread"),
            (C_GROUP, "java/lang/ThreadGroup"),
            (
                C_PLATFORM_LOADER,
                "jdk/internal/loader/ClassLoaders$PlatformClassLoader",
            ),
            (
                C_APP_LOADER,
                "jdk/internal/loader/ClassLoaders$AppClassLoader",
            ),
            (C_APP, "com/acme/shop/ShopApplication"),
            (C_CATALOG, "com/acme/shop/catalog/Catalog"),
            (C_CATEGORY, "com/acme/shop/catalog/Category"),
            (C_PRODUCT, "com/acme/shop/catalog/Product"),
            (C_MONEY, "com/acme/shop/pricing/Money"),
            (C_REPO, "com/acme/shop/customer/CustomerRepository"),
            (C_CUSTOMER, "com/acme/shop/customer/Customer"),
            (C_ADDRESS, "com/acme/shop/customer/Address"),
            (C_ORDER, "com/acme/shop/order/Order"),
            (C_LINE, "com/acme/shop/order/OrderLine"),
            (C_REGISTRY, "com/acme/shop/session/SessionRegistry"),
            (C_SESSION, "com/acme/shop/session/Session"),
            (C_BUS, "com/acme/shop/event/EventBus"),
            (C_LOG, "com/acme/shop/event/EventLog"),
            (C_EVENT, "com/acme/shop/event/Event"),
            (C_POOL, "com/acme/shop/io/BufferPool"),
            (C_METRICS, "com/acme/shop/metrics/MetricsRegistry"),
            (C_COUNTER, "com/acme/shop/metrics/Counter"),
            (C_HISTOGRAM, "com/acme/shop/metrics/Histogram"),
            (C_SAMPLER, "com/acme/shop/metrics/Sampler"),
            (C_TRACKER, "com/acme/shop/web/RequestTracker"),
            (C_REQUEST, "com/acme/shop/web/RequestContext"),
            (C_WORKER, "com/acme/shop/web/HttpWorker"),
        ];
        for (i, name) in want {
            assert_eq!(SPECS[i].name, name);
        }
        assert_eq!(OBJ_ARRAYS[A_NODE], "[Ljava/util/HashMap$Node;");
        assert_eq!(OBJ_ARRAYS[A_LOG], "[Lcom/acme/shop/event/EventLog;");
        assert_eq!(
            OBJ_ARRAYS[A_TLENTRY],
            "[Ljava/lang/ThreadLocal$ThreadLocalMap$Entry;"
        );
        assert_eq!(OBJ_ARRAYS[A_THREAD], "[Ljava/lang/Thread;");
        assert_eq!(OBJ_ARRAYS[A_GROUP], "[Ljava/lang/ThreadGroup;");
        assert_eq!(OBJ_ARRAYS[A_STRING], "[Ljava/lang/String;");
        assert_eq!(OBJ_ARRAYS[A_LONG], "[Ljava/lang/Long;");
        assert_eq!(OBJ_ARRAYS[A_OBJECT], "[Ljava/lang/Object;");
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let cfg = Config {
            objects: 30_000,
            seed: 7,
            ..Config::default()
        };
        let mut a = Vec::new();
        let sa = generate(&cfg, &mut a).unwrap();
        let mut b = Vec::new();
        let sb = generate(&cfg, &mut b).unwrap();
        assert_eq!(a, b);
        assert_eq!(sa, sb);
        assert_eq!(sa.bytes, a.len() as u64);
        let mut c = Vec::new();
        generate(&Config { seed: 8, ..cfg }, &mut c).unwrap();
        assert_ne!(a, c);
        // The object count is near the target.
        let n = sa.objects() as f64;
        assert!((20_000.0..45_000.0).contains(&n), "{n}");
    }

    #[test]
    fn java_hash_matches_string_hash_code() {
        assert_eq!(java_hash(b"hello"), 99_162_322);
        assert_eq!(java_hash(b""), 0);
        assert_eq!(table_len(12), 16);
        assert_eq!(table_len(13), 32);
        assert_eq!(list_capacity(11), 15);
    }
}
