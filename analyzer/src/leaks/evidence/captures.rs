//! Captures: entries that are lambdas or inner classes each capturing their own object
//! (`arg$1`, `val$request`, `this$0`) were registered one per call, and keep what they
//! captured alive; so do entries that each hold one such object (a registration record and
//! its listener). Periodic tasks that keep capturing state are strong evidence (they run for
//! ever, keeping what they captured); listeners, one-shot tasks (they let go when they run) and
//! other entries that each capture their own object are moderate.

use rustc_hash::FxHashSet;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::find::ref_node;
use crate::query::objects::ObjectView;
use hprof_parser::BasicType;

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

/// The object of a sampled entry that captures: the entry itself when it has capture fields,
/// else the one object it references that has them (a registration record holding its
/// listener lambda), with that reference's field name.
fn capturer<'r>(
    a: &Analysis,
    view: &'r ObjectView,
    reads: &'r Reads,
) -> Option<(&'r ObjectView, Option<&'r str>)> {
    let captures = |v: &ObjectView| v.fields.iter().any(|f| is_capture_field(&f.name));
    if captures(view) {
        return Some((view, None));
    }
    let mut inner = view
        .fields
        .iter()
        .filter(|f| f.ty == BasicType::Object && f.raw != 0)
        .filter_map(|f| Some((reads.linked.views.get(&a.graph.ids.get(f.raw)?)?, f)))
        .filter(|(w, _)| captures(w));
    let (w, f) = inner.next()?;
    inner.next().is_none().then_some((w, Some(f.name.as_str())))
}

/// How many sampled entries capture something (themselves or through one object they hold),
/// and what each capture field holds.
fn captured(a: &Analysis, c: &Candidate, reads: &Reads) -> (usize, Captured) {
    let mut capturing = 0usize;
    let mut fields: Captured = Vec::new();
    for v in &c.values {
        let Some((view, via)) = reads.views.get(v).and_then(|e| capturer(a, e, reads)) else {
            continue;
        };
        let mut any = false;
        for f in view.fields.iter().filter(|f| is_capture_field(&f.name)) {
            let name = match via {
                Some(via) => format!("{via}.{}", f.name),
                None => f.name.clone(),
            };
            let Some(w) = ref_node(a, view, &f.name) else {
                continue;
            };
            any = true;
            match fields.iter_mut().find(|x| x.0 == name) {
                Some(x) => {
                    x.2.insert(w);
                }
                None => fields.push((
                    name,
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
    let what = if field == "this$0" || field.ends_with(".this$0") {
        "its own enclosing object (through this$0)".to_string()
    } else {
        format!("its own {class} (through {field})")
    };
    if is_listener_field(field) && matches!(c.kind, LeakKind::Collection | LeakKind::UnboundedMap) {
        // Records that each hold a capturing listener (a bus's registrations) are listeners.
        c.kind = LeakKind::Listeners;
    }
    let strength = if c.kind == LeakKind::ScheduledTasks && mostly_periodic(a, c) {
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

/// Queued tasks read to tell periodic ones from one-shot ones, at most.
const TASK_SAMPLE: usize = 64;

/// Whether most sampled tasks of a scheduled queue repeat (a non-zero `period`: a
/// `ScheduledFutureTask` or `TimerTask` scheduled at a fixed rate or delay). A periodic task
/// keeps what it captured for ever; a one-shot task lets go of it when it runs.
pub(crate) fn mostly_periodic(a: &Analysis, c: &Candidate) -> bool {
    let Some(queue) = c.node.and_then(|q| {
        a.graph
            .refs(q)
            .iter()
            .copied()
            .find(|&w| crate::query::objects::node_class(a, w).ends_with("[]"))
    }) else {
        return false;
    };
    let tasks = a.graph.refs(queue);
    let step = (tasks.len() / TASK_SAMPLE).max(1);
    let sample: Vec<u32> = tasks.iter().step_by(step).copied().collect();
    let views = crate::query::find::views(a, &sample);
    let periodic = views
        .values()
        .filter(|v| v.field("period").is_some_and(|f| f.raw != 0))
        .count();
    !views.is_empty() && periodic * 2 > views.len()
}

/// Whether a capture went through a wrapper field named for a listener (`listener.arg$2`).
fn is_listener_field(field: &str) -> bool {
    let Some((via, _)) = field.split_once('.') else {
        return false;
    };
    let via = via.to_ascii_lowercase();
    ["listener", "callback", "handler", "observer", "subscriber"]
        .iter()
        .any(|w| via.ends_with(w))
}

#[cfg(test)]
mod tests {
    use super::is_listener_field;

    #[test]
    fn listener_fields_are_wrappers_named_for_listeners() {
        assert!(is_listener_field("listener.arg$2"));
        assert!(is_listener_field("onBidCallback.val$bid"));
        assert!(!is_listener_field("arg$2"));
        assert!(!is_listener_field("task.arg$1"));
    }
}
