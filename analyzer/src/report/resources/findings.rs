//! A holder's open resources as a leak finding: holders keeping more than
//! [`ResourceOptions::max_open`] open resources, or resources retaining the threshold.

use super::{resource_report, ResourceGroup, ResourceKind, ResourceOptions, ResourceReport};
use crate::dom::analysis::Analysis;
use crate::query::holders::Holder;
use crate::report::finding::{fmt_bytes, thousands, FindingKind, LeakFinding};

/// A holder's open resources as a leak finding, with what the leak evidence reads.
#[derive(Clone, Debug)]
pub struct ResourceFinding {
    /// The finding.
    pub finding: LeakFinding,
    /// The kind of its main (most numerous) resources.
    pub kind: ResourceKind,
    /// A sample of the open resources (up to 256 per class).
    pub members: Vec<u32>,
}

/// Holders that keep more than 100 open resources, or whose open resources retain at least
/// `threshold_bytes`.
pub fn leak_findings(a: &Analysis, threshold_bytes: u64) -> Vec<ResourceFinding> {
    let opts = ResourceOptions::default();
    findings_of(&resource_report(a, &opts), threshold_bytes, &opts)
}

/// The findings of a report already built.
pub fn findings_of(
    report: &ResourceReport,
    threshold_bytes: u64,
    opts: &ResourceOptions,
) -> Vec<ResourceFinding> {
    let mut by_holder: Vec<(&Holder, Vec<&ResourceGroup>)> = Vec::new();
    for g in &report.groups {
        let Some(h) = &g.holder else {
            continue;
        };
        match by_holder.iter_mut().find(|(x, _)| *x == h) {
            Some((_, v)) => v.push(g),
            None => by_holder.push((h, vec![g])),
        }
    }
    let mut out = Vec::new();
    for (holder, gs) in by_holder {
        let open: u64 = gs.iter().map(|g| g.open).sum();
        let retained: u64 = gs.iter().map(|g| g.retained_bytes).sum();
        if open <= opts.max_open && retained < threshold_bytes.max(1) {
            continue;
        }
        let main = gs[0];
        out.push(ResourceFinding {
            finding: LeakFinding {
                kind: FindingKind::OpenResources,
                holder: Some(holder.clone()),
                node: main.collection_node,
                entries: open,
                element_class: main.class.clone(),
                retained_bytes: retained,
                explanation: explanation(holder, main, open, retained),
                threads: Vec::new(),
                stale_entries: 0,
                value_class: None,
                keys: 0,
            },
            kind: main.kind,
            members: gs.iter().flat_map(|g| g.members.iter().copied()).collect(),
        });
    }
    out.sort_by(|x, y| {
        (y.finding.entries, y.finding.retained_bytes)
            .cmp(&(x.finding.entries, x.finding.retained_bytes))
    });
    out
}

/// What a holder's open resources are and how to fix them.
fn explanation(holder: &Holder, main: &ResourceGroup, open: u64, retained: u64) -> String {
    let what = match main.kind {
        ResourceKind::File => "open files: each holds an OS file descriptor",
        ResourceKind::Socket => "open sockets: each holds an OS socket descriptor",
        ResourceKind::ServerSocket => "listening server sockets: each holds a port",
        ResourceKind::Datagram => "open datagram channels: each holds an OS descriptor",
        ResourceKind::PooledConnection => "pooled connections borrowed and not returned",
        ResourceKind::NativeStream => {
            "zlib streams not ended: each holds native memory outside the Java heap"
        }
    };
    let (why, fix) = match main.kind {
        ResourceKind::PooledConnection => (
            "Other requests wait for or fail to get a connection".to_string(),
            "Return every borrowed connection in a finally block.",
        ),
        ResourceKind::NativeStream => (
            format!(
                "Their native buffers are not in the heap's {} they retain",
                fmt_bytes(retained)
            ),
            "Close the streams that own them (try-with-resources), or call end().",
        ),
        _ => (
            format!(
                "The process runs out of descriptors long before it runs out of memory, so \
                 they matter by their number even though they retain only {}",
                fmt_bytes(retained)
            ),
            "Close them (try-with-resources) and drop them from the collection.",
        ),
    };
    format!(
        "{} {} keeps {} {} ({}). {why}. {fix}",
        if holder.is_static { "static" } else { "field" },
        holder.display().trim_end_matches(" (static)"),
        thousands(open),
        main.class,
        what,
    )
}
