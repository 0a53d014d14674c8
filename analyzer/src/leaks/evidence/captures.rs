//! Captures: entries that are lambdas or inner classes each capturing their own object
//! (`arg$1`, `val$request`, `this$0`) were registered one per call, and keep what they
//! captured alive. Periodic tasks that keep capturing state are strong evidence; listeners and
//! other entries that each capture their own object are moderate.

use rustc_hash::FxHashSet;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::find::ref_node;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};
use super::Reads;

/// Sampled entries needed for a judgement.
const MIN_ENTRIES: usize = 20;
/// Share of sampled entries that must capture something.
const CAPTURING: f64 = 0.8;
/// Share of distinct captured objects among the capturing entries.
const DISTINCT: f64 = 0.5;

fn is_capture_field(name: &str) -> bool {
    name.starts_with("arg$") || name.starts_with("val$") || name == "this$0"
}

/// Adds the capture evidence.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    if c.values.len() < MIN_ENTRIES || c.collection.is_none() {
        return;
    }
    let mut capturing = 0usize;
    let mut distinct: FxHashSet<u32> = FxHashSet::default();
    let mut captured_class: Option<(String, String)> = None;
    for v in &c.values {
        let Some(view) = reads.views.get(v) else {
            continue;
        };
        let mut any = false;
        for f in view.fields.iter().filter(|f| is_capture_field(&f.name)) {
            let Some(w) = ref_node(a, view, &f.name) else {
                continue;
            };
            any = true;
            if distinct.insert(w) && captured_class.is_none() && f.name != "this$0" {
                captured_class = Some((crate::query::objects::node_class(a, w), f.name.clone()));
            }
        }
        capturing += any as usize;
    }
    let n = c.values.len();
    if (capturing as f64) < CAPTURING * n as f64
        || (distinct.len() as f64) < DISTINCT * capturing as f64
    {
        return;
    }
    let what = captured_class
        .map(|(class, field)| format!("its own {class} (through {field})"))
        .unwrap_or_else(|| "its own enclosing object (through this$0)".into());
    let strength = if c.kind == LeakKind::ScheduledTasks {
        Strength::Strong
    } else {
        Strength::Moderate
    };
    c.add(evidence(
        EvidenceName::Captures,
        Supports::Leak,
        strength,
        format!(
            "{capturing} of {n} sampled entries each capture {what}: {} distinct objects, so one entry was added per call and keeps that call's state alive",
            thousands(distinct.len() as u64)
        ),
    ));
}
