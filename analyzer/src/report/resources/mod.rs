//! `hprofscan resources`: objects that stand for OS resources and are still open, grouped by the
//! application field that keeps them.
//!
//! The method:
//!
//! 1. **Candidates** are the strongly reachable instances of the resource classes and their
//!    subclasses, found in one scan of the class array: `java.net.Socket`,
//!    `java.net.ServerSocket`, `java.io.FileInputStream`, `java.io.FileOutputStream`,
//!    `java.io.RandomAccessFile`, `sun.nio.ch.FileChannelImpl`, `sun.nio.ch.SocketChannelImpl`,
//!    `sun.nio.ch.ServerSocketChannelImpl`, `sun.nio.ch.DatagramChannelImpl` and
//!    `sun.nio.ch.NioSocketImpl`; plus every `java.io.FileDescriptor`.
//! 2. **Open**: a resource's `java.io.FileDescriptor` is its `fd` field, or for a socket the
//!    `fd` of its `impl` (through `delegate` when the impl is a `SocksSocketImpl`). It is open
//!    when the descriptor's `fd` is at least 0 (or, on Windows, its `handle` is set) and the
//!    resource's own `closed` flag is false (for a `NioSocketImpl`, its `state` is before
//!    closing). A closed stream has `fd` = -1 and is not counted. Each descriptor is counted
//!    once, for the first owner in the order above (a stream's channel shares the stream's
//!    descriptor; a socket's impl is part of the socket). Descriptors 0, 1 and 2 (the JVM's
//!    stdin, stdout and stderr) are counted apart as standard streams.
//! 3. **Native zlib streams**: a `java.util.zip.Inflater` or `Deflater` (or subclass) whose
//!    `zsRef.address` is not 0 has not been ended: it holds native zlib memory (tens of KB)
//!    until `end()` or `close()` of the stream that owns it. A process keeps about one per
//!    stream in progress.
//! 4. **Pooled connections**: an application class with a boolean field named `borrowed`,
//!    `inUse`, `checkedOut`, `leased` or `acquired` (any case, with or without `is` and
//!    underscores) is taken as a pool's connection class; its instances with the flag set are
//!    borrowed and not returned. They are grouped by the field that holds the pool object
//!    (`OpenResources.POOL (static)`) rather than by the pool's own list, and the group's
//!    `total` is the number of live instances of the class.
//! 5. **Holders**: the application field found walking references backwards from each
//!    resource ([`crate::query::holders::find_holders`]); resources are grouped by holder and class.
//!    Resources no application field holds are listed with a null holder and never flagged.
//! 6. **Leaks** ([`leak_findings`]): a holder that keeps more than
//!    [`ResourceOptions::max_open`] (100) open resources, or whose resources retain at least the
//!    threshold, is an `open-resources` finding. Open resources are a problem by their number
//!    (each one is an OS descriptor or a connection), not by the few bytes they retain.

use crate::base::id::ObjectId;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::dom::analysis::Analysis;
use crate::load::dump::DumpMeta;
use crate::query::collections::is_jdk_class;
use crate::query::find::{flag, instances_of, object_id, ref_node, subclass_table, views};
use crate::query::holders::{find_holders, Holder, Holding};
use crate::query::objects::{node_class, ObjectView};

/// Resource classes (with their subclasses), in the order a shared descriptor is attributed.
const RESOURCE_CLASSES: [(&str, ResourceKind); 10] = [
    ("java.net.Socket", ResourceKind::Socket),
    ("java.net.ServerSocket", ResourceKind::ServerSocket),
    ("java.io.FileInputStream", ResourceKind::File),
    ("java.io.FileOutputStream", ResourceKind::File),
    ("java.io.RandomAccessFile", ResourceKind::File),
    ("sun.nio.ch.FileChannelImpl", ResourceKind::File),
    ("sun.nio.ch.SocketChannelImpl", ResourceKind::Socket),
    (
        "sun.nio.ch.ServerSocketChannelImpl",
        ResourceKind::ServerSocket,
    ),
    ("sun.nio.ch.DatagramChannelImpl", ResourceKind::Datagram),
    ("sun.nio.ch.NioSocketImpl", ResourceKind::Socket),
];

/// Native zlib stream classes (with their subclasses): open until `end()`.
const ZLIB_CLASSES: [&str; 2] = ["java.util.zip.Inflater", "java.util.zip.Deflater"];

/// Indices into [`RESOURCE_CLASSES`].
const SOCKET: usize = 0;
const SERVER_SOCKET: usize = 1;
const FILE_INPUT: usize = 2;
const FILE_OUTPUT: usize = 3;
const NIO_SOCKET_IMPL: usize = 9;

/// `NioSocketImpl.state` from which a socket is closing or closed (`ST_CLOSING`).
const NIO_SOCKET_CLOSING: i32 = 4;

/// Flag names (lower case, without `is` and `_`) that mark a borrowed pooled connection.
const BORROWED_FLAGS: [&str; 5] = ["borrowed", "inuse", "checkedout", "leased", "acquired"];

/// Options of the resource report.
#[derive(Clone, Debug)]
pub struct ResourceOptions {
    /// A holder keeping more open resources than this is a leak finding.
    pub max_open: u64,
}

impl Default for ResourceOptions {
    fn default() -> Self {
        ResourceOptions { max_open: 100 }
    }
}

/// What kind of OS resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    /// An open file (stream, random-access file, file channel).
    File,
    /// A socket (connected or not) or socket channel.
    Socket,
    /// A listening server socket or server socket channel.
    ServerSocket,
    /// A datagram channel.
    Datagram,
    /// A pooled connection borrowed and not returned.
    PooledConnection,
    /// A zlib `Inflater` or `Deflater` not ended: native memory.
    NativeStream,
}

/// Open resources of one class kept by one holder.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ResourceGroup {
    /// The application field that keeps them; None when no application field does.
    pub holder: Option<Holder>,
    /// The resources' class.
    pub class: String,
    /// What kind of resource.
    pub kind: ResourceKind,
    /// Open resources (for pooled connections: borrowed ones).
    pub open: u64,
    /// For sockets: how many are connected.
    pub connected: Option<u64>,
    /// For pooled connections: live instances of the class (borrowed or not); else `open`.
    pub total: u64,
    /// Bytes the open resources retain.
    pub retained_bytes: u64,
    /// The object the holder's field refers to (the collection, or the pool object).
    pub collection: Option<ObjectId>,
    /// One of the resources.
    pub example: ObjectId,
    /// The node of `collection`.
    #[serde(skip)]
    pub(crate) collection_node: Option<u32>,
    /// Up to [`MEMBER_SAMPLE`] of the open resources, for the leak evidence.
    #[serde(skip)]
    pub(crate) members: Vec<u32>,
}

/// Open resources of a group kept for the leak evidence.
const MEMBER_SAMPLE: usize = 256;

/// Totals.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ResourceTotals {
    /// Open resources counted (standard streams excluded, borrowed pooled connections
    /// included).
    pub open: u64,
    /// Open files.
    pub files: u64,
    /// Open sockets and socket channels.
    pub sockets: u64,
    /// Open server sockets.
    pub server_sockets: u64,
    /// Open datagram channels.
    pub datagrams: u64,
    /// Pooled connections borrowed and not returned.
    pub pooled_borrowed: u64,
    /// zlib `Inflater`s and `Deflater`s not ended (native memory).
    pub native_streams: u64,
    /// Resources found closed (not counted as open).
    pub closed: u64,
    /// The JVM's stdin, stdout and stderr streams (descriptors 0 to 2).
    pub standard_streams: u64,
    /// Strongly reachable `FileDescriptor`s that are open.
    pub open_descriptors: u64,
    /// Of those, descriptors with no known owner (neither counted nor a standard stream).
    pub descriptors_without_owner: u64,
}

/// `hprofscan/resources/2`.
#[derive(Clone, Debug, Serialize)]
pub struct ResourceReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump.
    pub dump: DumpMeta,
    /// Totals.
    pub totals: ResourceTotals,
    /// Open resources by holder and class, most first.
    pub groups: Vec<ResourceGroup>,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

/// A long field as i64.
fn long(view: &ObjectView, name: &str) -> Option<i64> {
    view.field(name)
        .filter(|f| f.ty == hprof_parser::BasicType::Long)
        .map(|f| f.raw as i64)
}

/// Whether a class has a boolean field that marks a borrowed connection.
fn borrowed_flag(a: &Analysis, ci: usize) -> Option<String> {
    let c = a.heap.classes.get(ci as u32);
    if is_jdk_class(&c.name) || c.is_array() {
        return None;
    }
    c.layout.iter().find_map(|f| {
        if f.ty != hprof_parser::BasicType::Boolean {
            return None;
        }
        let name = a.heap.classes.field_name(&a.heap.dump, f.name_id);
        let mut k = name.to_ascii_lowercase().replace('_', "");
        if let Some(rest) = k.strip_prefix("is") {
            k = rest.to_string();
        }
        BORROWED_FLAGS.contains(&k.as_str()).then_some(name)
    })
}

/// The zlib streams among `nodes` (`is_zlib`) that have not been ended: their `zsRef`'s
/// native `address` is set.
fn native_streams(a: &Analysis, nodes: &[u32], is_zlib: impl Fn(u32) -> bool) -> Vec<Open> {
    let zlib: Vec<u32> = nodes.iter().copied().filter(|&v| is_zlib(v)).collect();
    let read = views(a, &zlib);
    let refs: Vec<(u32, u32)> = zlib
        .iter()
        .filter_map(|&v| Some((v, ref_node(a, read.get(&v)?, "zsRef")?)))
        .collect();
    let ref_nodes: Vec<u32> = refs.iter().map(|r| r.1).collect();
    let ref_views = views(a, &ref_nodes);
    refs.into_iter()
        .filter(|(_, r)| {
            ref_views
                .get(r)
                .and_then(|z| long(z, "address"))
                .is_some_and(|address| address != 0)
        })
        .map(|(node, _)| Open {
            node,
            kind: ResourceKind::NativeStream,
            connected: None,
        })
        .collect()
}

/// One open resource before grouping.
struct Open {
    node: u32,
    kind: ResourceKind,
    connected: Option<bool>,
}

/// Builds the report.
pub fn resource_report(a: &Analysis, _opts: &ResourceOptions) -> ResourceReport {
    let c = Candidates::find(a);
    let mut totals = ResourceTotals::default();
    let (mut open, claimed) = owned_open(a, &c, &mut totals);
    unowned_descriptors(a, &c, &claimed, &mut totals);
    // Claimed open descriptors count as open descriptors too.
    totals.open_descriptors += open.len() as u64 + totals.standard_streams;
    open.extend(native_streams(a, &c.nodes, |v| {
        c.cat(a, v).is_some_and(|k| k > c.fd_cat)
    }));
    let pool_total = borrowed(a, &c, &mut open);
    let holdings = holdings(a, &open);
    let groups = groups(a, &open, &holdings, &pool_total, &mut totals);
    ResourceReport {
        schema: "hprofscan/resources/2",
        dump: a.heap.dump.meta(),
        totals,
        groups,
        warnings: a.warnings(),
    }
}

/// The strongly reachable instances of the resource classes, of `java.io.FileDescriptor` and
/// of pooled-connection classes, re-read.
struct Candidates {
    /// Per class: the index in `RESOURCE_CLASSES` it is or extends, or `fd_cat` for
    /// FileDescriptor.
    table: Vec<Option<usize>>,
    /// Per class: its borrowed-connection flag field, for pooled connections.
    pooled: Vec<Option<String>>,
    fd_cat: usize,
    nodes: Vec<u32>,
    read: FxHashMap<u32, ObjectView>,
}

impl Candidates {
    fn find(a: &Analysis) -> Candidates {
        let mut names: Vec<&str> = RESOURCE_CLASSES.iter().map(|r| r.0).collect();
        names.push("java.io.FileDescriptor");
        names.extend(ZLIB_CLASSES);
        let fd_cat = RESOURCE_CLASSES.len();
        let table = subclass_table(a, &names);
        let pooled: Vec<Option<String>> = (0..a.heap.classes.len())
            .map(|ci| borrowed_flag(a, ci))
            .collect();
        let wanted: Vec<bool> = table
            .iter()
            .zip(&pooled)
            .map(|(t, p)| t.is_some() || p.is_some())
            .collect();
        let mut nodes = instances_of(a, &wanted);
        nodes.retain(|&v| a.dom.is_reachable(v));
        let read = views(a, &nodes);
        Candidates {
            table,
            pooled,
            fd_cat,
            nodes,
            read,
        }
    }

    /// The resource category of a node.
    fn cat(&self, a: &Analysis, v: u32) -> Option<usize> {
        self.table[a.graph.class_of(v) as usize]
    }

    /// Whether a FileDescriptor is open, and its number.
    fn fd_open(&self, fd: u32) -> Option<(bool, i32)> {
        let view = self.read.get(&fd)?;
        let n = view.int("fd").unwrap_or(-1);
        let handle = long(view, "handle").unwrap_or(-1);
        Some((n >= 0 || handle != -1, n))
    }
}

/// Socket impls, and their delegates.
struct Sockets {
    impl_views: FxHashMap<u32, ObjectView>,
    delegate_views: FxHashMap<u32, ObjectView>,
}

impl Sockets {
    fn read(a: &Analysis, c: &Candidates) -> Sockets {
        let impls: Vec<u32> = c.nodes.iter().filter_map(|&v| impl_of(a, c, v)).collect();
        let impl_views = views(a, &impls);
        let delegates: Vec<u32> = impl_views
            .values()
            .filter_map(|view| ref_node(a, view, "delegate"))
            .collect();
        let delegate_views = views(a, &delegates);
        Sockets {
            impl_views,
            delegate_views,
        }
    }

    /// The view that has a socket's descriptor: its impl, or the impl's delegate.
    fn descriptor_view(&self, a: &Analysis, c: &Candidates, v: u32) -> Option<&ObjectView> {
        let i = impl_of(a, c, v)?;
        let iv = self.impl_views.get(&i)?;
        match ref_node(a, iv, "delegate") {
            Some(d) => self.delegate_views.get(&d),
            None => Some(iv),
        }
    }
}

/// The `impl` of a socket or server socket.
fn impl_of(a: &Analysis, c: &Candidates, v: u32) -> Option<u32> {
    matches!(c.cat(a, v), Some(SOCKET | SERVER_SOCKET))
        .then(|| c.read.get(&v).and_then(|view| ref_node(a, view, "impl")))
        .flatten()
}

/// The open resources that own a descriptor (closed ones and the standard streams counted in
/// `totals`), and the descriptors they claim.
fn owned_open(
    a: &Analysis,
    c: &Candidates,
    totals: &mut ResourceTotals,
) -> (Vec<Open>, FxHashSet<u32>) {
    let sockets = Sockets::read(a, c);
    let mut claimed: FxHashSet<u32> = FxHashSet::default();
    let mut open: Vec<Open> = Vec::new();
    let mut order: Vec<u32> = c
        .nodes
        .iter()
        .copied()
        .filter(|&v| c.cat(a, v).is_some_and(|k| k < c.fd_cat))
        .collect();
    order.sort_by_key(|&v| (c.cat(a, v), v));
    for v in order {
        let k = c.cat(a, v).unwrap_or(c.fd_cat);
        let Some(view) = c.read.get(&v) else {
            continue;
        };
        let holder_view = if matches!(k, SOCKET | SERVER_SOCKET) {
            sockets.descriptor_view(a, c, v)
        } else {
            Some(view)
        };
        let Some(hv) = holder_view else {
            continue;
        };
        let Some(fd) = ref_node(a, hv, "fd") else {
            continue;
        };
        if !claimed.insert(fd) {
            continue;
        }
        let Some((fd_is_open, n)) = c.fd_open(fd) else {
            continue;
        };
        // A NioSocketImpl (the socket's impl, or one on its own) that is closing or closed.
        let closing = matches!(k, SOCKET | SERVER_SOCKET | NIO_SOCKET_IMPL)
            && hv.int("state").is_some_and(|s| s >= NIO_SOCKET_CLOSING);
        if !fd_is_open || flag(view, "closed") || closing {
            totals.closed += 1;
            continue;
        }
        if (0..=2).contains(&n) && matches!(k, FILE_INPUT | FILE_OUTPUT) {
            totals.standard_streams += 1;
            continue;
        }
        open.push(Open {
            node: v,
            kind: RESOURCE_CLASSES[k].1,
            connected: (k == SOCKET).then(|| flag(view, "connected")),
        });
    }
    (open, claimed)
}

/// Open descriptors that no resource object claims.
fn unowned_descriptors(
    a: &Analysis,
    c: &Candidates,
    claimed: &FxHashSet<u32>,
    totals: &mut ResourceTotals,
) {
    for &v in &c.nodes {
        if c.cat(a, v) != Some(c.fd_cat) || claimed.contains(&v) {
            continue;
        }
        if let Some((true, n)) = c.fd_open(v) {
            totals.open_descriptors += 1;
            if !(0..=2).contains(&n) {
                totals.descriptors_without_owner += 1;
            }
        }
    }
}

/// Borrowed pooled connections, added to `open`; the connections of each pooled class.
fn borrowed(a: &Analysis, c: &Candidates, open: &mut Vec<Open>) -> FxHashMap<u32, u64> {
    let mut pool_total: FxHashMap<u32, u64> = FxHashMap::default();
    for &v in &c.nodes {
        let k = a.graph.class_of(v);
        let Some(field) = &c.pooled[k as usize] else {
            continue;
        };
        *pool_total.entry(k).or_default() += 1;
        if c.read.get(&v).is_some_and(|view| flag(view, field)) {
            open.push(Open {
                node: v,
                kind: ResourceKind::PooledConnection,
                connected: None,
            });
        }
    }
    pool_total
}

/// The holders of the open resources; a pooled connection is held by whatever holds its pool.
fn holdings(a: &Analysis, open: &[Open]) -> Vec<Option<Holding>> {
    let targets: Vec<u32> = open.iter().map(|o| o.node).collect();
    let mut holdings: Vec<Option<Holding>> = find_holders(a, &targets, 8);
    let lift: Vec<usize> = (0..open.len())
        .filter(|&i| {
            open[i].kind == ResourceKind::PooledConnection
                && holdings[i]
                    .as_ref()
                    .is_some_and(|h| a.graph.class_object(h.owner).is_none())
        })
        .collect();
    if !lift.is_empty() {
        let mut owners: Vec<u32> = lift
            .iter()
            .filter_map(|&i| holdings[i].as_ref().map(|h| h.owner))
            .collect();
        owners.sort_unstable();
        owners.dedup();
        let lifted: FxHashMap<u32, Option<Holding>> = owners
            .iter()
            .copied()
            .zip(find_holders(a, &owners, 8))
            .collect();
        for i in lift {
            let owner = holdings[i].as_ref().map(|h| h.owner);
            if let Some(Some(h)) = owner.and_then(|o| lifted.get(&o)) {
                holdings[i] = Some(h.clone());
            }
        }
    }
    holdings
}

/// Groups by holder and class, largest first, with the totals by kind.
fn groups(
    a: &Analysis,
    open: &[Open],
    holdings: &[Option<Holding>],
    pool_total: &FxHashMap<u32, u64>,
    totals: &mut ResourceTotals,
) -> Vec<ResourceGroup> {
    let mut groups: FxHashMap<(Option<String>, u32), ResourceGroup> = FxHashMap::default();
    for (o, h) in open.iter().zip(holdings) {
        let k = a.graph.class_of(o.node);
        let key = (h.as_ref().map(|h| h.holder.display()), k);
        let g = groups.entry(key).or_insert_with(|| ResourceGroup {
            holder: h.as_ref().map(|h| h.holder.clone()),
            class: node_class(a, o.node),
            kind: o.kind,
            open: 0,
            connected: o.connected.map(|_| 0),
            total: 0,
            retained_bytes: 0,
            collection: h.as_ref().map(|h| object_id(a, h.chain[0])),
            example: object_id(a, o.node),
            collection_node: h.as_ref().map(|h| h.chain[0]),
            members: Vec::new(),
        });
        g.open += 1;
        if g.members.len() < MEMBER_SAMPLE {
            g.members.push(o.node);
        }
        if let (Some(c), Some(true)) = (g.connected.as_mut(), o.connected) {
            *c += 1;
        }
        g.retained_bytes += a.dom.retained.get(o.node);
        g.total = match o.kind {
            ResourceKind::PooledConnection => pool_total.get(&k).copied().unwrap_or(g.open),
            _ => g.open,
        };
        match o.kind {
            ResourceKind::File => totals.files += 1,
            ResourceKind::Socket => totals.sockets += 1,
            ResourceKind::ServerSocket => totals.server_sockets += 1,
            ResourceKind::Datagram => totals.datagrams += 1,
            ResourceKind::PooledConnection => totals.pooled_borrowed += 1,
            ResourceKind::NativeStream => totals.native_streams += 1,
        }
        totals.open += 1;
    }
    let mut groups: Vec<ResourceGroup> = groups.into_values().collect();
    groups.sort_by(|x, y| {
        y.open
            .cmp(&x.open)
            .then(y.retained_bytes.cmp(&x.retained_bytes))
            .then(
                x.holder
                    .as_ref()
                    .map(Holder::display)
                    .cmp(&y.holder.as_ref().map(Holder::display)),
            )
            .then(x.class.cmp(&y.class))
    });
    groups
}

mod findings;
pub use findings::{findings_of, leak_findings, ResourceFinding};
