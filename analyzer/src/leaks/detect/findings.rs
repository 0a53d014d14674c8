//! Candidates from the specialised analyses: ThreadLocal groups ([`crate::report::threadlocals`]),
//! class loaders ([`crate::report::classloaders`]) and open resources ([`crate::report::resources`]). Each
//! analysis measures its own evidence (stale entries, unused loaders, open descriptors); it is
//! attached here.

use crate::base::text::{bytes as fmt_bytes, thousands};
use crate::dom::analysis::Analysis;
use crate::query::holders::{Holder, Holding};
use crate::report::finding::LeakFinding;
use crate::report::resources::{ResourceFinding, ResourceKind};
use crate::report::runtime::RuntimeReports;

use super::super::candidate::{evidence, Candidate};
use super::super::evidence::held;
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};

/// ThreadLocal, class-loader and resource findings retaining at least `floor` (or, for
/// resources and loaders, counting enough of them), read from the reports built once per run.
/// Every ThreadLocal retaining `floor` is a candidate, however small its value per thread:
/// three hundred pool threads keeping 20 KiB each are judged, not dropped.
pub(crate) fn detect(a: &Analysis, floor: u64, runtime: &RuntimeReports) -> Vec<Candidate> {
    let mut out = Vec::new();
    let groups = &runtime.threadlocals.groups;
    for f in crate::report::threadlocals::findings_above(&runtime.threadlocals, floor, 0) {
        let values = groups
            .iter()
            .filter(|_| f.keys == 0)
            .find(|g| !g.stale && g.largest_node.is_some() && g.largest_node == f.node)
            .map(|g| g.value_nodes.as_slice())
            .unwrap_or_default();
        let mut c = threadlocal(a, f);
        if c.finding.stale_entries == Some(0) {
            super::thread_values::add_elements(a, &mut c, values);
        }
        out.push(c);
    }
    let loaders = &runtime.classloaders;
    for f in crate::report::classloaders::findings_of(loaders, floor * 10) {
        out.push(classloaders(a, f));
    }
    out.extend(super::generations::detect(a, loaders));
    let now = a.heap.dump.meta().timestamp_ms;
    let open = crate::report::resources::findings_of(
        &runtime.resources,
        floor * 10,
        &runtime.resource_options,
    );
    for f in open {
        out.push(resources(a, f, now));
    }
    out
}

fn base(a: &Analysis, kind: LeakKind, f: &LeakFinding) -> Candidate {
    let class = f
        .node
        .map(|v| crate::query::objects::node_class(a, v))
        .unwrap_or_else(|| f.element_class.clone());
    let mut c = Candidate::new(kind, f.node, class, f.retained_bytes);
    let holder = f.holder.clone().unwrap_or(Holder {
        class: "java.lang.Thread".into(),
        field: "threadLocals".into(),
        is_static: false,
    });
    c.holding = Some(Holding {
        holder,
        owner: f.node.unwrap_or(0),
        chain: f.node.into_iter().collect(),
        via: Vec::new(),
    });
    c.element_class = f.element_class.clone();
    c.element_classes = vec![(f.element_class.clone(), f.entries.max(1))];
    c.entries = f.entries;
    c.finding.threads = f.threads.clone();
    c.finding.value_class = f.value_class.clone();
    c.finding.explanation = f.explanation.clone();
    c
}

fn threadlocal(a: &Analysis, f: LeakFinding) -> Candidate {
    let mut c = base(a, LeakKind::Threadlocal, &f);
    c.finding.stale_entries = Some(f.stale_entries);
    if f.stale_entries > 0 {
        c.add(evidence(
            EvidenceName::StaleThreadLocals,
            Supports::Leak,
            Strength::Strong,
            format!(
                "{} ThreadLocal entries whose key was garbage-collected still hold {} values ({}): no code can reach or remove them",
                thousands(f.stale_entries),
                f.element_class,
                fmt_bytes(f.retained_bytes)
            ),
        ));
        return c;
    }
    if f.keys > 0 {
        c.add(evidence(
            EvidenceName::PerThread,
            Supports::Leak,
            Strength::Strong,
            format!(
                "{} ThreadLocals of one instance field (a ThreadLocal per object) hold {} entries on {} threads: each set and never removed, one entry more per object and thread for as long as the pooled threads live",
                thousands(f.keys),
                thousands(f.entries),
                thousands(f.threads.len() as u64)
            ),
        ));
        return c;
    }
    // One entry per thread in a live group: the thread names listed are at most a few dozen.
    let threads = f.entries.max(f.threads.len() as u64).max(1);
    let value = f.value_class.clone().unwrap_or_default();
    if f.retained_bytes / threads < crate::report::threadlocals::SMALL_VALUE {
        c.add(evidence(
            EvidenceName::PerThread,
            Supports::MemoryHungry,
            Strength::Weak,
            format!(
                "one {value} per thread on {} threads ({} each on average): small values, bounded by the number of threads while the threads stay",
                thousands(threads),
                fmt_bytes(f.retained_bytes / threads)
            ),
        ));
    } else if value.ends_with("[]") && !value.ends_with("[][]") && is_primitive_array(&value) {
        c.add(evidence(
            EvidenceName::PerThread,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "one {value} per thread on {} threads ({} each on average): a reusable scratch buffer, bounded by the number of threads",
                thousands(threads),
                fmt_bytes(f.retained_bytes / threads)
            ),
        ));
    } else {
        c.add(evidence(
            EvidenceName::PerThread,
            Supports::Leak,
            Strength::Moderate,
            format!(
                "each of {} threads keeps a {value} ({} each on average) after its task: set and never removed, it stays as long as the pooled thread",
                thousands(threads),
                fmt_bytes(f.retained_bytes / threads)
            ),
        ));
    }
    c
}

fn is_primitive_array(name: &str) -> bool {
    matches!(
        name.trim_end_matches("[]"),
        "boolean" | "char" | "float" | "double" | "byte" | "short" | "int" | "long"
    )
}

fn classloaders(a: &Analysis, f: LeakFinding) -> Candidate {
    let mut c = base(a, LeakKind::Classloaders, &f);
    c.finding.stale_entries = Some(f.stale_entries);
    c.add(evidence(
        EvidenceName::StaleLoaders,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} of {} class loaders of class {} are stale: no instance of their classes is live and no thread uses them, yet they are held ({})",
            thousands(f.stale_entries),
            thousands(f.entries),
            f.element_class,
            fmt_bytes(f.retained_bytes)
        ),
    ));
    c
}

/// An open-resources candidate. Their number is strong evidence for files, native streams and
/// datagram or server sockets, which a process keeps few of; a server keeps many connected
/// sockets and pooled connections on purpose (keep-alive, pools), so for those the number is
/// moderate evidence and how long pooled connections have been out decides.
fn resources(a: &Analysis, r: ResourceFinding, now: u64) -> Candidate {
    let f = r.finding;
    let mut c = base(a, LeakKind::OpenResources, &f);
    let (strength, what) = match r.kind {
        ResourceKind::Socket => (
            Strength::Moderate,
            "each holds an OS descriptor; a server keeps sockets open on purpose (keep-alive, pools), so their number alone does not decide",
        ),
        ResourceKind::PooledConnection => (
            Strength::Moderate,
            "borrowed from a pool and not returned; pools lend connections on purpose, so their number alone does not decide",
        ),
        ResourceKind::NativeStream => (Strength::Strong, "each holds native memory outside the Java heap"),
        _ => (Strength::Strong, "each holds an OS descriptor"),
    };
    c.add(evidence(
        EvidenceName::OpenResources,
        Supports::Leak,
        strength,
        format!(
            "{} {} are still open and kept by the application: {what}",
            thousands(f.entries),
            f.element_class
        ),
    ));
    if r.kind == ResourceKind::PooledConnection {
        held::add(a, &mut c, &r.members, now);
    } else {
        c.values = r.members;
    }
    c
}
