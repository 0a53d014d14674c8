//! Open and dropped: entries that are resources still open — an object holding a `java.io`
//! stream, a channel, a socket or a zlib codec, whose own `closed` flag (or its stream's) is
//! not set, or an application class named for a stream or channel with its own flag not set — that nothing but this collection keeps (the collection dominates them) and that
//! nobody has touched for an hour or more (the collection's own arrays count as the
//! collection: a thread iterating it at the dump points into its table too). The code that
//! used them let go without `close()`,
//! and the registry that was to clean them up keeps them all: an unclosed-resource leak.
//! Open resources in use are still held by their user (an export in flight, a request on a
//! thread's stack), or were touched within the hour; resources all opened within an hour (one
//! per printer, per tenant) are a set kept open on purpose, not an accumulation; a pool keeps idle open resources that
//! nobody else holds on purpose, so a holder named for a pool is not judged. Entries without a
//! time are not judged either: a registry of live sessions looks the same; nor entries whose own
//! state says their work is over (the finished evidence judges them). Dropped entries kept
//! under the keys of a directory the application still uses (a link per tenant of the tenant
//! directory) were not let go of: one per member, bounded by it ([`super::live_keys`]). Values
//! are read only to count and compare.

use hprof_parser::BasicType;

use crate::base::text::{simple_name, thousands};
use crate::dom::analysis::Analysis;
use crate::graph::ids::{NONE, SUPER_ROOT};
use crate::query::objects::{node_class, ObjectView};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, LeftBy, Strength, Supports};
use super::ages::{duration, entry_times, words, IDLE};
use super::domain::Structure;
use super::live_keys;
use super::Reads;

/// Open sampled entries needed for a judgement.
const MIN_OPEN: usize = 20;
/// Share of the open sampled entries that must be dropped.
const MOST: f64 = 0.8;
/// Estimated dropped entries from which the evidence is strong (fewer: moderate).
const MANY: u64 = 100;
/// Dominator steps climbed from an entry to its collection, at most.
const CLIMB: usize = 64;
/// Words of a holder's field or class that name a pool (idle resources kept for reuse).
const POOL_WORDS: [&str; 5] = ["pool", "idle", "free", "available", "spare"];

/// Adds the open-and-dropped evidence of a collection's entries.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64, others: &[Structure]) {
    let (Some(node), Some(h)) = (c.node, &c.holding) else {
        return;
    };
    // Entries whose own state says their work is over are judged by the finished evidence.
    let finished = c.evidence.iter().any(|e| e.name == EvidenceName::Finished);
    if c.collection.is_none() || c.instances != 1 || finished {
        return;
    }
    let mut names = words(&h.holder.field)
        .into_iter()
        .chain(words(simple_name(&h.holder.class)));
    if names.any(|w| POOL_WORDS.contains(&w.as_str())) {
        return;
    }
    let Some((idle_ms, span, entries)) = dropped_idle(a, c, node, reads, now) else {
        return;
    };
    // Kept under the keys of a directory the application still uses: one per member, bounded
    // by it (a link per tenant, opened on its first use and kept open), not let go of.
    if let Some((holder, members)) = live_keys::directory_of(a, c, &entries, reads, others) {
        c.add(evidence(
            EvidenceName::Bound,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "{} of {} sampled entries are resources still open and idle for an hour or more, kept under keys of {holder} ({} entries): one per member of a directory the application still uses, kept open on purpose and bounded by it (a second dump shows whether that directory grows)",
                entries.len(),
                c.values.len(),
                thousands(members)
            ),
        ));
        return;
    }
    let dropped = idle_ms.len();
    let n = c.values.len() as u64;
    let estimate = c.entries * dropped as u64 / n.max(1);
    let median = idle_ms[idle_ms.len() / 2];
    c.left_in_sample
        .get_or_insert((LeftBy::Idle, dropped as u64, n));
    // What accumulates are open resources, whatever collection holds them.
    if matches!(
        c.kind,
        LeakKind::Collection | LeakKind::UnboundedMap | LeakKind::StaticCollection
    ) {
        c.kind = LeakKind::OpenResources;
    }
    c.add(evidence(
        EvidenceName::OpenResources,
        Supports::Leak,
        if estimate >= MANY {
            Strength::Strong
        } else {
            Strength::Moderate
        },
        format!(
            "{dropped} of {n} sampled entries are resources still open (holding a stream, channel or socket, not closed) that nothing but this collection keeps, opened over {} and untouched for an hour or more (median {}): their users let go without close()",
            duration(span),
            duration(median)
        ),
    ));
}

/// How long each dropped sampled entry has been idle (sorted) and over how long they were
/// opened, when 80% of 20 or more open sampled entries are dropped, they were opened over an
/// hour or more and one (sampled, or chained after a sampled one) was opened within the last
/// hour: a leak accumulates until the dump, while resources opened once each (per printer,
/// per tenant) are a set kept on purpose that stopped growing.
fn dropped_idle(
    a: &Analysis,
    c: &Candidate,
    node: u32,
    reads: &Reads,
    now: u64,
) -> Option<(Vec<u64>, u64, Vec<u32>)> {
    let mut open = 0usize;
    let mut idle_ms: Vec<u64> = Vec::new();
    let mut entries: Vec<u32> = Vec::new();
    let (mut first, mut last, mut latest) = (u64::MAX, 0u64, 0u64);
    // The collection and its own arrays (a map's table): an iterator on a thread's stack at
    // the dump points into the table too, so the collection need not dominate it.
    let mut tops: Vec<u32> = own_arrays(a, node);
    tops.push(node);
    for &v in &c.values {
        let Some(view) = reads.views.get(&v).filter(|w| is_open(a, v, w, reads)) else {
            continue;
        };
        open += 1;
        let times: Vec<u64> = entry_times(view, reads, a, now)
            .into_iter()
            .map(|t| t.1)
            .collect();
        let (Some(&oldest), Some(&newest)) = (times.iter().min(), times.iter().max()) else {
            continue;
        };
        latest = latest.max(oldest);
        let idle = now.saturating_sub(newest);
        if idle >= IDLE && dominated_by(a, v, &tops) {
            idle_ms.push(idle);
            entries.push(v);
            (first, last) = (first.min(oldest), last.max(oldest));
        }
    }
    let most = idle_ms.len() as f64 >= MOST * open as f64;
    let span = last.saturating_sub(first);
    idle_ms.sort_unstable();
    // The sample reads the first entry of each bucket, the oldest where keys share buckets:
    // the entries chained after them say whether entries are still being added.
    let latest = latest.max(newest_chained(a, c, reads, now));
    let still_opening = now.saturating_sub(latest) < IDLE;
    (open >= MIN_OPEN && most && span >= IDLE && still_opening).then_some((idle_ms, span, entries))
}

/// When the newest of the entries chained after the sampled ones was added (the oldest time
/// each holds), 0 without any.
fn newest_chained(a: &Analysis, c: &Candidate, reads: &Reads, now: u64) -> u64 {
    c.chained
        .iter()
        .filter_map(|p| reads.views.get(&p.1))
        .filter_map(|view| {
            entry_times(view, reads, a, now)
                .into_iter()
                .map(|t| t.1)
                .min()
        })
        .max()
        .unwrap_or(0)
}

/// Whether entry `v` is an open resource: it holds an I/O object and its own close flag (or
/// else that object's) says open, or it is a stream of its own whose flag says open.
fn is_open(a: &Analysis, v: u32, view: &ObjectView, reads: &Reads) -> bool {
    let io: Vec<u32> = view
        .fields
        .iter()
        .filter(|f| f.ty == BasicType::Object && f.raw != 0)
        .filter_map(|f| a.graph.ids.get(f.raw))
        .filter(|&w| is_io_class(&node_class(a, w)))
        .collect();
    if io.is_empty() {
        // An application stream of its own (a spool stream over its own buffer): by its name,
        // and only with its own close flag.
        let own = node_class(a, v);
        return is_stream_name(simple_name(&own)) && open_flag(view) == Some(true);
    }
    open_flag(view).unwrap_or_else(|| {
        io.iter()
            .filter_map(|w| reads.linked.views.get(w))
            .any(|s| open_flag(s) == Some(true))
    })
}

/// What an object's close flag says: `closed` false or `open` true is open; None without one.
fn open_flag(view: &ObjectView) -> Option<bool> {
    view.fields
        .iter()
        .filter(|f| f.ty == BasicType::Boolean)
        .find_map(|f| match f.name.as_str() {
            "closed" | "isClosed" => Some(f.raw == 0),
            "open" | "isOpen" => Some(f.raw != 0),
            _ => None,
        })
}

/// A class named for a stream or a channel (`SpoolStream`, `ExportChannel`, `CsvWriter`); not
/// connections, which pools keep open and idle on purpose.
fn is_stream_name(simple: &str) -> bool {
    ["Stream", "Channel", "Writer", "Reader"]
        .iter()
        .any(|s| simple.ends_with(s))
}

/// Streams, channels, sockets and zlib codecs of the JDK: what `close()` releases.
fn is_io_class(name: &str) -> bool {
    let stream = name.starts_with("java.io.")
        && ["Stream", "Writer", "Reader", "RandomAccessFile"]
            .iter()
            .any(|s| name.ends_with(s));
    stream
        || name.starts_with("java.nio.channels.")
        || name.starts_with("sun.nio.ch.")
        || matches!(
            name,
            "java.net.Socket" | "java.net.ServerSocket" | "java.net.DatagramSocket"
        )
        || matches!(
            name,
            "java.util.zip.Deflater" | "java.util.zip.Inflater" | "java.util.zip.ZipFile"
        )
}

/// The arrays collection `c` references itself (a map's table, a list's element array).
pub(super) fn own_arrays(a: &Analysis, c: u32) -> Vec<u32> {
    a.graph
        .refs(c)
        .iter()
        .copied()
        .filter(|&w| node_class(a, w).ends_with("[]"))
        .collect()
}

/// Whether one of `tops` dominates `v` within [`CLIMB`] steps: nothing outside it keeps `v`.
pub(super) fn dominated_by(a: &Analysis, v: u32, tops: &[u32]) -> bool {
    let mut x = v;
    for _ in 0..CLIMB {
        x = a.dom.idom[x as usize];
        if tops.contains(&x) {
            return true;
        }
        if x == NONE || x == SUPER_ROOT {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{is_io_class, is_stream_name};

    #[test]
    fn application_streams_by_their_names() {
        for name in ["Val2LeakExport$SpoolStream", "ExportChannel", "CsvWriter"] {
            assert!(is_stream_name(name), "{name}");
        }
        for name in ["DbConnection", "StreamRegistry", "Session"] {
            assert!(!is_stream_name(name), "{name}");
        }
    }

    #[test]
    fn io_classes_are_what_close_releases() {
        for name in [
            "java.io.BufferedOutputStream",
            "java.io.FileInputStream",
            "java.io.OutputStreamWriter",
            "java.io.RandomAccessFile",
            "sun.nio.ch.SocketChannelImpl",
            "java.nio.channels.Pipe$SinkChannel",
            "java.net.Socket",
            "java.util.zip.Deflater",
        ] {
            assert!(is_io_class(name), "{name}");
        }
        for name in [
            "java.io.File",
            "java.util.zip.CRC32",
            "java.lang.String",
            "com.example.StreamRegistry",
            "java.io.ObjectStreamClass",
        ] {
            assert!(!is_io_class(name), "{name}");
        }
    }
}
