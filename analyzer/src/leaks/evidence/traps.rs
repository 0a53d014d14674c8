//! Known traps of JDK classes that grow only when misused: an `ObjectOutputStream` never
//! `reset()` keeps every object it wrote in its handle table, and shutdown hooks registered per
//! job (`Runtime.addShutdownHook`) keep their threads and all they capture until the JVM exits;
//! `File.deleteOnExit` called per file keeps every path until then, deleted or not.
//! Each is a leak by the class's own contract, whatever the entries look like. And an ORM's
//! unit of work (Hibernate's `StatefulPersistenceContext`, or an application's own identity
//! map) keeps every entity loaded through it until `clear()`: one kept across batches grows
//! with each batch.

use crate::base::text::{simple_name, thousands};
use crate::dom::analysis::Analysis;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};

/// Objects in a handle table from which a stream that is never reset is a leak.
const HANDLES: u64 = 1000;
/// Entities in one unit of work from which it outlived its transaction: a transaction loads
/// hundreds or thousands.
const ENTITIES: u64 = 10_000;
/// Holder fields of an ORM's identity map (compared in lower case).
const IDENTITY_MAPS: [&str; 4] = [
    "identitymap",
    "entitiesbykey",
    "entitymap",
    "managedentities",
];
/// Words of the simple class names of a unit of work (lower case).
const UNIT_NAMES: [&str; 5] = [
    "unitofwork",
    "persistencecontext",
    "session",
    "entitymanager",
    "objectcontext",
];

/// Shutdown hooks from which hooks are registered per job, not once at startup.
const HOOKS: u64 = 100;

/// Paths registered with `File.deleteOnExit` from which it is called per file, not for a
/// few files at startup.
const DELETE_ON_EXIT: u64 = 1000;

/// Whether `c` is held by the JDK registry `class`'s static field `field`.
fn registry(c: &Candidate, class: &str, field: &str) -> bool {
    c.holding
        .as_ref()
        .is_some_and(|h| h.holder.class == class && h.holder.field == field)
}

/// Adds the evidence of the traps a candidate fell into.
pub(crate) fn add(a: &Analysis, c: &mut Candidate) {
    let n = thousands(c.entries);
    if registry(c, "java.io.DeleteOnExitHook", "files") && c.entries >= DELETE_ON_EXIT {
        strong(c, EvidenceName::Finished, format!(
            "{n} paths are registered with File.deleteOnExit: each stays in the JVM's list until it exits, even after its file was deleted; called per file in a long-running service, the list only grows (delete the file when done instead)"
        ));
    }
    if c.class == "java.io.ObjectOutputStream$HandleTable" && c.entries >= HANDLES {
        strong(c, EvidenceName::Finished, format!(
            "an ObjectOutputStream's handle table holds {n} objects: the stream keeps every object it wrote since it was created or last reset(), so each message stays (reset() after each message frees them)"
        ));
    }
    unit_of_work(a, c);
    if registry(c, "java.lang.ApplicationShutdownHooks", "hooks") && c.entries >= HOOKS {
        strong(c, EvidenceName::Threads, format!(
            "{n} shutdown hooks are registered (Runtime.addShutdownHook): a service registers a few at startup; hooks added per job or request and never removed keep their threads, and all they capture, until the JVM exits"
        ));
    }
}

/// Adds strong leak evidence `name` with `detail`.
fn strong(c: &mut Candidate, name: EvidenceName, detail: String) {
    c.add(evidence(name, Supports::Leak, Strength::Strong, detail));
}

/// Whether `c` is the identity map of a unit of work holding at least [`ENTITIES`] entities.
pub(super) fn is_unit_of_work(c: &Candidate) -> bool {
    let Some(h) = c.holding.as_ref() else {
        return false;
    };
    let field = h.holder.field.to_ascii_lowercase();
    let simple = h.holder.class.rsplit(['.', '$']).next().unwrap_or_default();
    let simple = simple.to_ascii_lowercase();
    let unit = UNIT_NAMES.iter().any(|u| simple.ends_with(u));
    unit && IDENTITY_MAPS.contains(&field.as_str()) && c.entries >= ENTITIES
}

/// Loading times of a unit of work's entities spread over at least this long: it stayed open
/// across batches (a transaction's unit of work lives for its transaction).
const UNIT_SPAN: u64 = 10 * 60 * 1000;
/// Times older than this before the dump do not record this process loading an entity (a
/// parcel's registration date).
const LOADED_WITHIN: u64 = 24 * 60 * 60 * 1000;

/// Strong leak evidence when a unit of work's entities ([`is_unit_of_work`]) carry a time
/// field whose values all lie within [`LOADED_WITHIN`] of the dump and spread over at least
/// [`UNIT_SPAN`]: the entities were loaded into one unit of work over that long, so recent
/// times are no sign of a working set. Values are read only to measure the spread.
pub(super) fn unit_open_across(
    c: &Candidate,
    fields: &[super::ages::TimeField],
    now: u64,
) -> Option<super::super::model::Evidence> {
    if !is_unit_of_work(c) {
        return None;
    }
    let (name, span) = fields
        .iter()
        .filter_map(|(name, vals)| {
            let lo = vals.iter().map(|v| v.1).min()?;
            let hi = vals.iter().map(|v| v.1).max()?;
            (now.saturating_sub(lo) <= LOADED_WITHIN).then_some((name, hi - lo))
        })
        .max_by_key(|x| x.1)?;
    (span >= UNIT_SPAN).then(|| {
        evidence(
            EvidenceName::EntryAges,
            Supports::Leak,
            Strength::Strong,
            format!(
                "the {} entities of this unit of work were loaded over {} (field {name}): it stayed open across batches instead of ending with its transaction, and keeps every entity it loaded until clear() or close()",
                thousands(c.entries),
                super::ages::duration(span)
            ),
        )
    })
}

/// When a unit of work's identity map ([`is_unit_of_work`]) shares its entities with the
/// unit's other fields (pending inserts, a dirty list), the map alone retains little of them:
/// the unit's own retained size is what clear() frees, and what the candidate is judged by.
/// Called before the size evidence, which then reads that size.
pub(crate) fn widen_unit(a: &Analysis, c: &mut Candidate) {
    let Some(h) = c.holding.as_ref().filter(|_| is_unit_of_work(c)) else {
        return;
    };
    let unit = a.dom.retained.get(h.owner);
    if !h.holder.is_static && unit > c.retained {
        c.retained = unit;
    }
}

/// An ORM identity map of at least [`ENTITIES`] entities: moderate (a long bulk transaction
/// looks the same in one dump).
fn unit_of_work(a: &Analysis, c: &mut Candidate) {
    let Some(h) = c.holding.as_ref().filter(|_| is_unit_of_work(c)) else {
        return;
    };
    let own = c.node.map_or(0, |v| a.dom.retained.get(v));
    let whole = if !h.holder.is_static && c.retained > own {
        format!(
            "; with what it keeps in its other fields (pending changes, snapshots), the unit of work ({}) retains {}",
            simple_name(&h.holder.class),
            crate::base::text::bytes(c.retained)
        )
    } else {
        String::new()
    };
    let detail = format!(
        "a unit of work's identity map ({}.{}) holds {} entities: it keeps every entity loaded through it until clear() or close(), so one kept open across batches or requests grows with each (a transaction loads hundreds){whole}",
        h.holder.class,
        h.holder.field,
        thousands(c.entries)
    );
    c.add(evidence(
        EvidenceName::Finished,
        Supports::Leak,
        Strength::Moderate,
        detail,
    ));
    if c.finding.explanation.is_empty() {
        c.finding.explanation = "In a batch, call clear() after each flush() (flush writes the changes but keeps every entity managed, with its snapshot), or give each batch a unit of work of its own.".into();
    }
}
