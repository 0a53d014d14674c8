//! Orphaned tasks: the periodic tasks of a scheduler that each belong to a member (a
//! subscription, a meter, a tenant), most of them still in the directory the application
//! keeps of its members (a map of the object that holds the scheduler, or of an application
//! object it holds), many of them no longer. A member removed without cancelling its task
//! leaves the task queued for ever, running for nobody; a task per member still in the
//! directory is one per member, bounded by it. A task's member is what one of its fields
//! holds, the same in no two sampled tasks: an object (found among the map's keys or values),
//! a `String` (by text) or an integer (by value, and only when the field and the map share a
//! word, `subscriptionId` and `subscriptions`: small integers meet by chance). A member object
//! or id that another hash table still keeps (a tenant directory elsewhere, when the map holds
//! only a subset of the members, those with open sessions) is not counted as orphaned: the
//! member lives on there. Values are read only to compare, never shown.

use rustc_hash::{FxHashMap, FxHashSet};

use hprof_parser::BasicType;

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::find::{ref_node, views};
use crate::query::holders::is_application;
use crate::query::objects::{node_class, node_kind, NodeKind, ObjectView};
use crate::query::strings::strings_never_shown;
use crate::query::table_keys::is_chain_node;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, LeftBy, Strength, Supports};
use super::ages::words;
use super::directories::{boxed_values, directories, int_of, Directory, Ident, Members};
use super::live_keys::BOXED;
use super::Reads;

/// Sampled tasks with a member needed for a judgement.
const MIN_TASKS: usize = 20;
/// Share of those tasks whose members must be distinct (an id, not a category).
const DISTINCT: f64 = 0.9;
/// Share of the tasks whose member the directory must still hold: the tie is real.
const LIVE: f64 = 0.05;
/// Share of the tasks whose member it no longer holds, for orphaned tasks.
const ORPHANED: f64 = 0.3;
/// Share of the tasks whose member it holds, for one task per live member.
const ALL_LIVE: f64 = 0.98;
/// Estimated orphaned tasks from which the evidence is strong (fewer: moderate).
const MANY: u64 = 100;

/// One field of the sampled tasks and the member each task names in it, with the object
/// that names it (none for a primitive integer).
struct MemberField {
    name: String,
    idents: Vec<Ident>,
    nodes: Vec<Option<u32>>,
}

/// Adds the orphaned-tasks evidence to a queue of periodic scheduled tasks.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    if c.kind != LeakKind::ScheduledTasks || c.values.len() < MIN_TASKS {
        return;
    }
    let Some(owner) = c.holding.as_ref().map(|h| h.owner) else {
        return;
    };
    if !super::captures::mostly_periodic(a, c) {
        return;
    }
    let fields = member_fields(a, &user_tasks(a, c, reads));
    if fields.is_empty() {
        return;
    }
    let dirs = directories(a, owner, c);
    let Some((field, dir, held)) = best_match(a, &fields, &dirs) else {
        return;
    };
    let hits = held.iter().filter(|&&h| h).count();
    let n = held.len();
    // The scan of every reference for other maps only when the tasks left out could be orphans.
    let orphaned = if (n - hits) as f64 >= ORPHANED * n as f64 && hits as f64 >= LIVE * n as f64 {
        let elsewhere = in_other_maps(a, c, &field.nodes, &held);
        held.iter()
            .zip(&field.nodes)
            .filter(|(&h, w)| !h && w.is_none_or(|w| !elsewhere.contains(&w)))
            .count()
    } else {
        0
    };
    judge(c, field, dir, (hits, orphaned));
}

/// The member objects (or id objects) of the tasks whose member `held` says the directory does
/// not hold that a hash table outside the queue still keeps: members of another directory (the
/// map was a subset, tenants with open sessions), not orphans. One scan of the references.
fn in_other_maps(
    a: &Analysis,
    c: &Candidate,
    nodes: &[Option<u32>],
    held: &[bool],
) -> FxHashSet<u32> {
    let missing = held
        .iter()
        .zip(nodes)
        .filter_map(|(&h, w)| if h { None } else { *w });
    let mut tops = c
        .node
        .map(|q| super::dropped::own_arrays(a, q))
        .unwrap_or_default();
    tops.extend(c.node);
    crate::query::find::referrers(a, missing)
        .into_iter()
        .filter(|&(r, _)| is_chain_node(a, r) && !super::dropped::dominated_by(a, r, &tops))
        .map(|(_, w)| w)
        .collect()
}

/// Turns the best (field, directory) match, with the tasks whose member it holds and those
/// whose member only the queue keeps, into evidence: orphaned tasks for a leak, or one task
/// per live member against one.
fn judge(c: &mut Candidate, field: &MemberField, dir: &Directory, (hits, missing): (usize, usize)) {
    let n = field.idents.len();
    if (hits as f64) < LIVE * n as f64 {
        return;
    }
    if missing as f64 >= ORPHANED * n as f64 {
        let estimate = (c.entries * missing as u64 + n as u64 / 2) / n as u64;
        let strength = if estimate >= MANY {
            Strength::Strong
        } else {
            Strength::Moderate
        };
        // A count another module made over every entry (finished work) is closer.
        c.left_in_sample
            .get_or_insert((LeftBy::State, missing as u64, n as u64));
        c.add(evidence(
            EvidenceName::OrphanedTasks,
            Supports::Leak,
            strength,
            format!(
                "{missing} of {n} sampled periodic tasks belong (by {}) to a member no longer in {}, nor in any other map, beside {hits} whose member it holds: removed without cancelling its task, which stays queued and runs for nobody (about {} such tasks in all)",
                field.name,
                dir.name,
                thousands(estimate)
            ),
        ));
    } else if hits as f64 >= ALL_LIVE * n as f64 {
        c.add(evidence(
            EvidenceName::OrphanedTasks,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "{hits} of {n} sampled periodic tasks belong (by {}) to a member still in {}: one task per live member, bounded by that directory",
                field.name, dir.name
            ),
        ));
    }
}

/// The application objects the sampled tasks of `c` run: a `ScheduledFutureTask`'s callable,
/// or the `Runnable` a `RunnableAdapter` wraps; a `TimerTask` entry itself.
fn user_tasks(a: &Analysis, c: &Candidate, reads: &Reads) -> Vec<u32> {
    let mut out = Vec::new();
    for &v in &c.values {
        if !super::cancelled::is_task(&node_class(a, v)) {
            out.extend(is_application(a, v).then_some(v));
            continue;
        }
        let Some(callable) = reads.views.get(&v).and_then(|t| ref_node(a, t, "callable")) else {
            continue;
        };
        let inner = if node_class(a, callable) == "java.util.concurrent.Executors$RunnableAdapter" {
            reads
                .linked
                .views
                .get(&callable)
                .and_then(|w| ref_node(a, w, "task"))
        } else {
            Some(callable)
        };
        out.extend(inner.filter(|&t| is_application(a, t)));
    }
    out
}

/// The fields of the tasks that name a member each: present in [`MIN_TASKS`] or more tasks,
/// with a value in no two of them (90% distinct).
fn member_fields(a: &Analysis, tasks: &[u32]) -> Vec<MemberField> {
    let task_views = views(a, tasks);
    let mut raw: FxHashMap<String, Vec<Raw>> = FxHashMap::default();
    let mut boxed: Vec<u32> = Vec::new();
    for view in task_views.values() {
        for f in &view.fields {
            let Some(r) = raw_of(a, view, f) else {
                continue;
            };
            if let Raw::Boxed(w) = r {
                boxed.push(w);
            }
            raw.entry(f.name.clone()).or_default().push(r);
        }
    }
    let texts = strings_never_shown(a, &string_nodes(&raw));
    let box_values = boxed_values(a, &boxed);
    let mut out: Vec<MemberField> = raw
        .into_iter()
        .filter_map(|(name, rs)| {
            let (idents, nodes): (Vec<Ident>, Vec<Option<u32>>) = rs
                .into_iter()
                .filter_map(|r| {
                    let node = r.node();
                    Some((r.ident(&texts, &box_values)?, node))
                })
                .unzip();
            let distinct: FxHashSet<&Ident> = idents.iter().collect();
            (idents.len() >= MIN_TASKS && distinct.len() as f64 >= DISTINCT * idents.len() as f64)
                .then_some(MemberField {
                    name,
                    idents,
                    nodes,
                })
        })
        .collect();
    out.sort_by(|x, y| x.name.cmp(&y.name));
    out
}

/// A task field's value before Strings and boxes are read.
enum Raw {
    Node(u32),
    Text(u32),
    Boxed(u32),
    Int(i64),
}

impl Raw {
    /// The object that names the member (none for a primitive integer).
    fn node(&self) -> Option<u32> {
        match *self {
            Raw::Node(w) | Raw::Text(w) | Raw::Boxed(w) => Some(w),
            Raw::Int(_) => None,
        }
    }

    fn ident(self, texts: &FxHashMap<u32, String>, boxes: &FxHashMap<u32, i64>) -> Option<Ident> {
        match self {
            Raw::Node(w) => Some(Ident::Node(w)),
            Raw::Text(w) => texts.get(&w).cloned().map(Ident::Text),
            Raw::Boxed(w) => boxes.get(&w).copied().map(Ident::Int),
            Raw::Int(i) => Some(Ident::Int(i)),
        }
    }
}

/// What field `f` of `view` holds, as a member may be named: an application object, a String,
/// a boxed or primitive integer.
fn raw_of(a: &Analysis, view: &ObjectView, f: &crate::query::objects::FieldValue) -> Option<Raw> {
    if f.ty != BasicType::Object {
        return int_of(f).map(Raw::Int);
    }
    let w = ref_node(a, view, &f.name)?;
    let class = node_class(a, w);
    if class == "java.lang.String" {
        Some(Raw::Text(w))
    } else if BOXED.contains(&class.as_str()) {
        Some(Raw::Boxed(w))
    } else {
        (is_application(a, w) && node_kind(a, w) == NodeKind::Instance).then_some(Raw::Node(w))
    }
}

fn string_nodes(raw: &FxHashMap<String, Vec<Raw>>) -> Vec<u32> {
    let mut out: Vec<u32> = raw
        .values()
        .flatten()
        .filter_map(|r| match r {
            Raw::Text(w) => Some(*w),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The (field, directory) whose directory holds the members of the most tasks, with whether
/// it holds each task's member.
fn best_match<'f, 'd>(
    a: &Analysis,
    fields: &'f [MemberField],
    dirs: &'d [Directory],
) -> Option<(&'f MemberField, &'d Directory, Vec<bool>)> {
    let mut best: Option<(&MemberField, &Directory, Vec<bool>)> = None;
    let count = |held: &[bool]| held.iter().filter(|&&h| h).count();
    for d in dirs {
        let mut members = Members::new(d.node);
        for f in fields {
            if matches!(f.idents[0], Ident::Int(_)) && !share_a_word(&f.name, &d.name) {
                continue;
            }
            let held: Vec<bool> = f.idents.iter().map(|i| members.holds(a, i)).collect();
            if count(&held) > best.as_ref().map_or(0, |b| count(&b.2)) {
                best = Some((f, d, held));
            }
        }
    }
    best
}

/// Whether a task field and a directory's field share a word other than `id` (`subscriptionId`
/// and `subscriptions`, `meterNo` and `metersByNo`), plurals folded.
fn share_a_word(field: &str, dir: &str) -> bool {
    let dir_field = dir.rsplit('.').next().unwrap_or(dir);
    let stem = |w: &String| w.trim_end_matches('s').to_string();
    let theirs: FxHashSet<String> = words(dir_field).iter().map(stem).collect();
    words(field)
        .iter()
        .filter(|w| !matches!(w.as_str(), "id" | "by" | "key" | "no"))
        .any(|w| theirs.contains(&stem(w)))
}

#[cfg(test)]
mod tests {
    use super::share_a_word;

    #[test]
    fn integer_ids_need_a_word_of_the_directory() {
        assert!(share_a_word(
            "subscriptionId",
            "app.ReportService.subscriptions"
        ));
        assert!(share_a_word("meterNo", "app.Registry.metersByNo"));
        assert!(!share_a_word("slot", "app.ReportService.subscriptions"));
        assert!(!share_a_word("id", "app.Registry.byId"));
    }
}
