//! Time windows: an owner that keeps its entries for a set time says so in a field
//! (`windowMillis`, `retentionMs`, `ttlSeconds`, `lookbackHours`, a `java.time.Duration`
//! `retention`). Entries all younger than
//! that window were made within it: a window still filling (a daily quota's calls after eight
//! hours), not entries left behind, whatever their ages. The value is read only to compare it
//! with the entries' ages.

use hprof_parser::BasicType;

use crate::dom::analysis::Analysis;
use crate::query::find::ref_node;
use crate::query::objects::{node_class, FieldValue, ObjectView};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::ages::{duration, words};
use super::Reads;

/// Words of a field's name that say it holds how long entries are kept.
const WINDOW_WORDS: [&str; 6] = [
    "window",
    "retention",
    "ttl",
    "horizon",
    "lookback",
    "retain",
];
/// Shortest and longest window believed (a minute; 400 days).
const WINDOWS: (u64, u64) = (60_000, 400 * 24 * 3_600_000);

/// A window the holder's owner keeps its entries for.
pub(crate) struct Window {
    /// The field that holds it.
    pub field: String,
    /// Its length in milliseconds.
    pub ms: u64,
}

/// The window in the first field of the holder's owner named for one: an `int` or `long` in
/// the unit its name says, else seconds for an `int` and milliseconds for a `long`; or a
/// `java.time.Duration`.
pub(crate) fn of_owner(a: &Analysis, c: &Candidate, reads: &Reads) -> Option<Window> {
    let owner = reads.views.get(&c.holding.as_ref()?.owner)?;
    owner.fields.iter().find_map(|f| {
        let ws = name_words(&f.name);
        if !ws.iter().any(|w| WINDOW_WORDS.contains(&w.as_str())) {
            return None;
        }
        let ms = field_ms(a, owner, f, reads)?;
        (WINDOWS.0..=WINDOWS.1).contains(&ms).then(|| Window {
            field: f.name.clone(),
            ms,
        })
    })
}

/// The length field `f` of `view` holds, in milliseconds: an `int` or `long` in the unit its
/// name says, or a `java.time.Duration` that was read.
pub(super) fn field_ms(
    a: &Analysis,
    view: &ObjectView,
    f: &FieldValue,
    reads: &Reads,
) -> Option<u64> {
    let raw = match f.ty {
        BasicType::Int => f.raw as i32 as i64,
        BasicType::Long => f.raw as i64,
        BasicType::Object if f.raw != 0 => return duration_object_ms(a, view, &f.name, reads),
        _ => return None,
    };
    duration_ms(u64::try_from(raw).ok()?, &f.name, f.ty)
}

/// The length of the `java.time.Duration` in field `name` of `view`, in milliseconds, if it
/// was read (a negative one is none).
fn duration_object_ms(a: &Analysis, view: &ObjectView, name: &str, reads: &Reads) -> Option<u64> {
    let node = ref_node(a, view, name)?;
    if node_class(a, node) != DURATION {
        return None;
    }
    let d = reads.nested.get(&node)?;
    let seconds = u64::try_from(d.field("seconds")?.raw as i64).ok()?;
    let nanos = d.field("nanos").map_or(0, |f| u64::from(f.raw as u32));
    seconds.checked_mul(1000)?.checked_add(nanos / 1_000_000)
}

/// The class of a length of time, read where an owner or an entry holds one.
pub(crate) const DURATION: &str = "java.time.Duration";

/// Whether the entries, the oldest made at `lo`, are all younger than the owner's `window`:
/// then their ages are a window still filling, which it adds as a moderate bound.
pub(crate) fn within(c: &mut Candidate, window: Option<&Window>, lo: u64, now: u64) -> bool {
    let Some(w) = window.filter(|w| now.saturating_sub(lo) <= w.ms) else {
        return false;
    };
    c.add(evidence(
        EvidenceName::Bound,
        Supports::MemoryHungry,
        Strength::Moderate,
        format!(
            "its owner keeps entries for a window of {} (field {}) and the oldest was made {} before the dump, within it: a window still filling, not entries left behind (a dump after the window has passed tells)",
            duration(w.ms),
            w.field,
            duration(now.saturating_sub(lo)),
        ),
    ));
    true
}

/// The words of a field's name: of a constant's (`RETENTION_HOURS`) split at underscores.
fn name_words(name: &str) -> Vec<String> {
    if name.chars().any(|ch| ch.is_ascii_lowercase()) {
        return words(name);
    }
    name.split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// A duration field's value `raw` in milliseconds, in the unit the words of its `name` say
/// (`Millis`, `Seconds`, `Minutes`, `Hours`, `Days`, `Nanos`; else seconds for an `int`,
/// milliseconds for a `long`).
pub(super) fn duration_ms(raw: u64, name: &str, ty: BasicType) -> Option<u64> {
    let ws = name_words(name);
    let has = |units: &[&str]| ws.iter().any(|w| units.contains(&w.as_str()));
    if has(&["nanos", "ns"]) {
        return Some(raw / 1_000_000);
    }
    let unit = if has(&["millis", "ms"]) {
        1
    } else if has(&["seconds", "secs", "sec"]) {
        1_000
    } else if has(&["minutes", "mins"]) {
        60_000
    } else if has(&["hours"]) {
        3_600_000
    } else if has(&["days"]) {
        86_400_000
    } else if ty == BasicType::Int {
        1_000
    } else {
        1
    };
    raw.checked_mul(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_units_by_name() {
        let ms = |name: &str, raw: u64, ty| duration_ms(raw, name, ty);
        assert_eq!(
            ms("windowMillis", 3_600_000, BasicType::Long),
            Some(3_600_000)
        );
        assert_eq!(ms("retentionSeconds", 60, BasicType::Long), Some(60_000));
        assert_eq!(ms("ttl", 600, BasicType::Int), Some(600_000));
        assert_eq!(ms("ttl", 600_000, BasicType::Long), Some(600_000));
        assert_eq!(ms("RETENTION_HOURS", 24, BasicType::Int), Some(86_400_000));
        assert_eq!(
            ms("lookbackNanos", 5_000_000_000, BasicType::Long),
            Some(5_000)
        );
        assert_eq!(name_words("RETENTION_HOURS"), ["retention", "hours"]);
    }
}
