//! The class-loader leaks of a report: stale loaders of one class held by one field.

use super::model::{ClassLoaderOptions, ClassLoaderReport, LoaderInfo};
use super::report::classloader_report;
use crate::dom::analysis::Analysis;
use crate::query::holders::Holder;
use crate::report::finding::{
    fmt_bytes, name_pattern, sort_names, thousands, FindingKind, LeakFinding,
};

/// Stale loaders of one class held by one application field, at least two of them or
/// retaining at least `threshold_bytes`.
pub fn leak_findings(a: &Analysis, threshold_bytes: u64) -> Vec<LeakFinding> {
    let report = classloader_report(a, &ClassLoaderOptions::default());
    findings_of(&report, threshold_bytes)
}

/// The findings of a report already built.
pub fn findings_of(report: &ClassLoaderReport, threshold_bytes: u64) -> Vec<LeakFinding> {
    let groups = group_by_holder(report);
    let mut out = Vec::new();
    for g in groups {
        let retained: u64 = g.stale.iter().map(|l| l.retained_bytes).sum();
        let n = g.stale.len() as u64;
        if n == 0 || (n < 2 && retained < threshold_bytes.max(1)) {
            continue;
        }
        let explanation = explain(&g, n, retained);
        out.push(LeakFinding {
            kind: FindingKind::ClassLoaders,
            holder: Some(g.holder.clone()),
            node: g.stale.iter().find_map(|l| l.holder_node),
            entries: g.loaders,
            element_class: g.class.to_string(),
            retained_bytes: retained,
            explanation,
            threads: Vec::new(),
            stale_entries: n,
            value_class: None,
            keys: 0,
        });
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.retained_bytes));
    out
}

/// Loaders of one class held by one field, and the stale ones among them.
struct Group<'r> {
    holder: &'r Holder,
    class: &'r str,
    loaders: u64,
    stale: Vec<&'r LoaderInfo>,
}

/// The loaders grouped by (holder, loader class), in report order.
fn group_by_holder(report: &ClassLoaderReport) -> Vec<Group<'_>> {
    let mut groups: Vec<Group> = Vec::new();
    for l in &report.loaders {
        let Some(h) = &l.holder else {
            continue;
        };
        let i = match groups
            .iter()
            .position(|g| g.holder == h && g.class == l.class)
        {
            Some(i) => i,
            None => {
                groups.push(Group {
                    holder: h,
                    class: &l.class,
                    loaders: 0,
                    stale: Vec::new(),
                });
                groups.len() - 1
            }
        };
        groups[i].loaders += 1;
        if l.stale {
            groups[i].stale.push(l);
        }
    }
    groups
}

/// Why a group is a leak, in words.
fn explain(g: &Group<'_>, n: u64, retained: u64) -> String {
    // The class names the stale loaders define, for the explanation.
    let mut defined: Vec<&str> = g
        .stale
        .iter()
        .flat_map(|l| l.class_names.iter().map(String::as_str))
        .collect();
    defined.sort_unstable();
    defined.dedup();
    let same = g.stale.iter().all(|l| l.classes == g.stale[0].classes);
    let mut names: Vec<String> = g.stale.iter().filter_map(|l| l.name.clone()).collect();
    sort_names(&mut names);
    let named = if names.is_empty() {
        String::new()
    } else {
        format!(" ({})", name_pattern(&names))
    };
    let defines = if same && !defined.is_empty() {
        format!(
            ", each defining {} class{} ({})",
            g.stale[0].classes,
            if g.stale[0].classes == 1 { "" } else { "es" },
            defined.join(", ")
        )
    } else {
        String::new()
    };
    format!(
        "{} class loader{} of class {} {} held by {}; {} of them{named} are stale: no instance of their classes is \
         live and no thread uses them{defines}. They retain {} with their classes and \
         statics. Each redeploy leaves its loader behind: remove a loader from {} when it \
         is undeployed.",
        thousands(g.loaders),
        if g.loaders == 1 { "" } else { "s" },
        g.class,
        if g.loaders == 1 { "is" } else { "are" },
        g.holder.display(),
        thousands(n),
        fmt_bytes(retained),
        g.holder.field,
    )
}
