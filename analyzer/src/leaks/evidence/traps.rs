//! Known traps of JDK classes that grow only when misused: an `ObjectOutputStream` never
//! `reset()` keeps every object it wrote in its handle table, and shutdown hooks registered per
//! job (`Runtime.addShutdownHook`) keep their threads and all they capture until the JVM exits.
//! Each is a leak by the class's own contract, whatever the entries look like.

use crate::base::text::thousands;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};

/// Objects in a handle table from which a stream that is never reset is a leak.
const HANDLES: u64 = 1000;
/// Shutdown hooks from which hooks are registered per job, not once at startup.
const HOOKS: u64 = 100;

/// Adds the evidence of the traps a candidate fell into.
pub(crate) fn add(c: &mut Candidate) {
    if c.class == "java.io.ObjectOutputStream$HandleTable" && c.entries >= HANDLES {
        let detail = format!(
            "an ObjectOutputStream's handle table holds {} objects: the stream keeps every object it wrote since it was created or last reset(), so each message stays (reset() after each message frees them)",
            thousands(c.entries)
        );
        c.add(evidence(
            EvidenceName::Finished,
            Supports::Leak,
            Strength::Strong,
            detail,
        ));
    }
    let hooks = c.holding.as_ref().is_some_and(|h| {
        h.holder.class == "java.lang.ApplicationShutdownHooks" && h.holder.field == "hooks"
    });
    if hooks && c.entries >= HOOKS {
        let detail = format!(
            "{} shutdown hooks are registered (Runtime.addShutdownHook): a service registers a few at startup; hooks added per job or request and never removed keep their threads, and all they capture, until the JVM exits",
            thousands(c.entries)
        );
        c.add(evidence(
            EvidenceName::Threads,
            Supports::Leak,
            Strength::Strong,
            detail,
        ));
    }
}
