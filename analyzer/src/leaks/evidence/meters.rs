//! Instruments made per request: meters used once, and loggers named by an id.
//!
//! A metrics registry keeps one meter (a timer, counter, histogram) per
//! combination of tag values, for the life of the JVM. Tags from a small set (the route
//! template, the status class) give a few hundred meters that count many events each. A tag
//! that carries a per-request value (the raw URI with its ids, a user id) makes a new meter for
//! every request, counting that request (and the few that repeat it) and never used again: most
//! meters at a count of one to three is the signature of that cardinality leak.
//!
//! A logging framework's registry keeps every logger it created by name, for good: loggers
//! are meant per class or component, a few hundred at most. Thousands of loggers whose names
//! carry an id (`audit.418233`, as a system property's name does: [`super::system_props`]) are a logger created per order or request. Only the counts and
//! the shape of the names are read, never shown.

use hprof_parser::BasicType;

use crate::base::text::{simple_name, thousands};
use crate::dom::analysis::Analysis;
use crate::query::find::ref_node;
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::words;
use super::Reads;

/// Entries from which a registry's meters are judged: a few hundred meters are the normal
/// product of bounded tags.
const MIN_ENTRIES: u64 = 1_000;
/// Sampled meters needed for a judgement.
const MIN_SAMPLED: usize = 50;
/// Share of the sampled meters with a count that must have counted [`FEW`] events at most.
const MOST: f64 = 0.9;
/// Events a meter of a per-request tag counts: the request, and the few that repeat it (a
/// retry, the next step on the same order).
const FEW: u64 = 3;
/// Endings of the simple names of meter classes (Micrometer's, Dropwizard's, hand-written),
/// and of circuit breakers, which count the calls of what they are keyed by.
const METER_ENDINGS: &[&str] = &["Timer", "Counter", "Histogram", "Summary", "Breaker"];
/// Simple names of meter classes matched whole (`WaterMeter` is no meter of a registry).
const METER_NAMES: &[&str] = &["Meter", "Gauge", "Metric"];

/// Whether a class name is a meter's: a library or application class (not a JDK class such
/// as `java.util.Timer`) named like a timer, counter, histogram, summary or circuit breaker.
pub(crate) fn is_meter_class(class: &str) -> bool {
    if class.starts_with("java.") || class.starts_with("jdk.") || class.starts_with("sun.") {
        return false;
    }
    let simple = simple_name(class);
    let simple = simple.rsplit('$').next().unwrap_or(simple);
    METER_ENDINGS.iter().any(|e| simple.ends_with(e)) || METER_NAMES.contains(&simple)
}

/// Words of a field that counts a meter's events (`count`, `eventCount`) or a breaker's calls.
const COUNT_WORDS: &[&str] = &["count", "calls"];
/// Adds the key-shape evidence of a registry whose meters counted a few events each, or whose
/// loggers are named by ids.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    if c.collection.is_none() || c.entries < MIN_ENTRIES {
        return;
    }
    if is_logger_class(&c.element_class) {
        loggers(c, reads);
    } else if is_meter_class(&c.element_class) {
        meters(a, c, reads);
    }
}

/// Whether a class name is a logger's (`java.util.logging.Logger`, a framework's or the
/// application's own).
fn is_logger_class(class: &str) -> bool {
    let simple = simple_name(class);
    simple
        .rsplit('$')
        .next()
        .unwrap_or(simple)
        .ends_with("Logger")
}

/// The evidence of loggers whose names (the String keys) carry an id.
fn loggers(c: &mut Candidate, reads: &Reads) {
    let (with_id, n) = super::system_props::names_with_ids(c, reads);
    if n < MIN_SAMPLED || (with_id as f64) < MOST * n as f64 {
        return;
    }
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{with_id} of {n} sampled logger names of {} carry an id: a logger created per order or request, which the registry keeps for good (loggers are meant per class or component)",
            thousands(c.entries)
        ),
    ));
}

/// The evidence of meters that counted a few events each.
fn meters(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let (mut counted, mut few) = (0usize, 0usize);
    for v in &c.values {
        let Some(n) = reads.views.get(v).and_then(|view| count(a, view, reads)) else {
            continue;
        };
        counted += 1;
        if n <= FEW {
            few += 1;
        }
    }
    if counted < MIN_SAMPLED || (few as f64) < MOST * counted as f64 {
        return;
    }
    let class = simple_name(&c.element_class).to_string();
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{few} of {counted} sampled instruments ({class}) of {} counted at most {FEW} events: they are keyed by a per-request value (an id in a URI tag, a user id), so every request makes meters that are never used again",
            thousands(c.entries)
        ),
    ));
}

/// The number of events a meter counted: its integer field named for a count (`count`,
/// `eventCount`), or the `AtomicLong` / `LongAdder` such a field holds.
fn count(a: &Analysis, view: &ObjectView, reads: &Reads) -> Option<u64> {
    let f = view.fields.iter().find(|f| {
        words(&f.name)
            .iter()
            .any(|w| COUNT_WORDS.contains(&w.as_str()))
    })?;
    match f.ty {
        BasicType::Int | BasicType::Short => Some(f.raw as u32 as i32 as i64 as u64),
        BasicType::Long => Some(f.raw),
        BasicType::Object => {
            let w = ref_node(a, view, &f.name)?;
            let inner = reads.linked.views.get(&w)?;
            boxed_count(inner)
        }
        _ => None,
    }
}

/// The value of an `AtomicLong`/`AtomicInteger` (`value`), or of a `LongAdder` that never
/// spread over cells (`base`, `cells` null).
fn boxed_count(view: &ObjectView) -> Option<u64> {
    if let Some(f) = view.field("value") {
        return matches!(f.ty, BasicType::Int | BasicType::Long).then_some(f.raw);
    }
    let cells = view.reference("cells").unwrap_or(0);
    let base = view.field("base")?;
    (cells == 0 && base.ty == BasicType::Long).then_some(base.raw)
}

#[cfg(test)]
mod tests {
    use super::{is_logger_class, is_meter_class};

    #[test]
    fn logger_classes_are_named_for_loggers() {
        assert!(is_logger_class("org.apache.logging.log4j.core.Logger"));
        assert!(is_logger_class("app.Audit$AuditLogger"));
        assert!(!is_logger_class("app.Audit$LoggerConfig"));
    }

    #[test]
    fn meter_classes_are_named_for_meters() {
        assert!(is_meter_class(
            "io.micrometer.core.instrument.cumulative.CumulativeTimer"
        ));
        assert!(is_meter_class("com.codahale.metrics.Histogram"));
        assert!(is_meter_class("app.Metrics$Counter"));
        assert!(is_meter_class("app.Registry$Meter"));
        assert!(is_meter_class("app.Resilience$CircuitBreaker"));
        assert!(!is_meter_class("java.util.Timer"));
        assert!(!is_meter_class("app.Utility$WaterMeter"));
        assert!(!is_meter_class("app.Shop$Order"));
    }
}
