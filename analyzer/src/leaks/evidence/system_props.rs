//! System properties set per job: `System.setProperty` adds to the JVM-wide `System.props`,
//! which only `System.clearProperty` empties. The JVM sets about fifty properties at startup
//! and a service some more (`-D` flags, a configuration file), under fixed names; thousands
//! whose names carry an id (`job.AJ-0012345.state`, a request's token) are one or more per job
//! or request that nothing cleared. Key text is read only to find the ids and is never shown.

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::Reads;
use crate::base::text::thousands;

/// More properties than a JVM and its configuration set.
const MANY: u64 = 1000;
/// Share of the sampled names that must carry an id.
const ID_SHARE: f64 = 2.0 / 3.0;
/// Sampled names needed for a judgement.
const MIN_KEYS: usize = 20;
/// Digits in a part of a name that make it an id (`AJ-0012345`, `4711`; not `v2`, `ipv6`).
const ID_DIGITS: usize = 3;

/// Adds strong leak evidence to the JVM's system properties when they hold [`MANY`] entries
/// or more and most of the sampled names carry an id.
pub(crate) fn add(c: &mut Candidate, reads: &Reads) {
    let held = c
        .holding
        .as_ref()
        .is_some_and(|h| h.holder.class == "java.lang.System" && h.holder.field == "props");
    if !held || c.entries < MANY {
        return;
    }
    let (with_id, n) = names_with_ids(c, reads);
    if n < MIN_KEYS || (with_id as f64) < ID_SHARE * n as f64 {
        return;
    }
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} system properties are set (System.setProperty), where a JVM sets about fifty: {with_id} of {} sampled names carry an id (a number or token in the name), so properties are set per job or request, and only System.clearProperty removes them",
            thousands(c.entries),
            n
        ),
    ));
}

/// Of the sampled String keys of `c` whose text was read: how many carry an id, of how many.
pub(super) fn names_with_ids(c: &Candidate, reads: &Reads) -> (usize, usize) {
    let names: Vec<&String> = c
        .keys
        .iter()
        .filter_map(|k| reads.key_text.get(k))
        .collect();
    let with_id = names.iter().filter(|n| carries_id(n)).count();
    (with_id, names.len())
}

/// Whether a property name has a dot-separated part that is an id: [`ID_DIGITS`] digits or
/// more, or a per-request token.
fn carries_id(name: &str) -> bool {
    name.split('.').any(|part| {
        part.bytes().filter(u8::is_ascii_digit).count() >= ID_DIGITS
            || super::keys::shape(part) == super::keys::KeyShape::Token
    })
}

#[cfg(test)]
mod tests {
    use super::carries_id;

    #[test]
    fn names_with_ids() {
        assert!(carries_id("assay.AJ-0012345.state"));
        assert!(carries_id("job.4711.status"));
        assert!(carries_id(
            "session.3f2b8c1e-9a4d-4e7b-8f21-0c5d6e7f8a9b.user"
        ));
        assert!(!carries_id("java.vm.specification.version"));
        assert!(!carries_id("sun.arch.data.model"));
        assert!(!carries_id("server.http2.enabled"));
        assert!(!carries_id("plasterers.pool.size"));
    }
}
