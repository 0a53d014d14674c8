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

/// Per capture field: its name, the class of the first object it holds, and the distinct
/// objects it holds over the sampled entries.
type Captured = Vec<(String, String, FxHashSet<u32>)>;

/// How many sampled entries capture something, and what each capture field holds.
fn captured(a: &Analysis, c: &Candidate, reads: &Reads) -> (usize, Captured) {
    let mut capturing = 0usize;
    let mut fields: Captured = Vec::new();
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
            match fields.iter_mut().find(|x| x.0 == f.name) {
                Some(x) => {
                    x.2.insert(w);
                }
                None => fields.push((
                    f.name.clone(),
                    crate::query::objects::node_class(a, w),
                    FxHashSet::from_iter([w]),
                )),
            }
        }
        capturing += any as usize;
    }
    (capturing, fields)
}

/// Adds the capture evidence: the capture field with the most distinct objects, when each
/// entry holds its own (a shared service captured by every entry says nothing).
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    if c.values.len() < MIN_ENTRIES || c.collection.is_none() {
        return;
    }
    let (capturing, fields) = captured(a, c, reads);
    let n = c.values.len();
    let Some((field, class, distinct)) = fields.iter().max_by_key(|x| x.2.len()) else {
        return;
    };
    if (capturing as f64) < CAPTURING * n as f64
        || (distinct.len() as f64) < DISTINCT * capturing as f64
    {
        return;
    }
    let what = if field == "this$0" {
        "its own enclosing object (through this$0)".to_string()
    } else {
        format!("its own {class} (through {field})")
    };
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
