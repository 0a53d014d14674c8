//! Entry ages: timestamp-like fields of the entries (epoch milli-, micro-, nanoseconds or
//! seconds near the dump's own timestamp, directly or through an `Instant` or `Date`) tell when
//! each entry was created and last touched. Entries created over a long time and idle long
//! before the dump are a leak; entries created together are data loaded once; entries touched
//! recently are a working set. Values are read only to compute these durations.

use hprof_parser::BasicType;

use crate::query::find::ref_node;
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::scope::Scope;
use super::touched::{idle_times, Idle};
use super::Reads;

const MINUTE: u64 = 60_000;
const HOUR: u64 = 60 * MINUTE;
/// Entries idle at least this long count as idle.
pub(crate) const IDLE: u64 = HOUR;
/// Entries added over less than this can be a time window's (the last two hours).
const WINDOW: u64 = 2 * HOUR;
/// Timestamped entries needed for a judgement.
pub(crate) const MIN_ENTRIES: usize = 20;
/// Share of entries a field must hold a plausible time in to be a timestamp field.
pub(super) const FIELD_SHARE: f64 = 0.8;
/// How far before the dump an in-process timestamp may lie (thirty days): older values are
/// business dates (an account opened years ago), not times this process made an entry.
const PAST: u64 = 30 * 24 * HOUR;
/// How far after the dump a timestamp may lie (expiry times: one day).
const FUTURE: u64 = 24 * HOUR;

/// A value in milliseconds since the epoch if it is a plausible time near `now`, trying
/// milliseconds, seconds, microseconds and nanoseconds.
pub(crate) fn as_millis(raw: i64, now: u64) -> Option<u64> {
    as_millis_in(raw, now.saturating_sub(PAST), now + FUTURE)
}

/// A value in milliseconds since the epoch if it is a time from `lo` to `hi` (ms), trying
/// milliseconds, seconds, microseconds and nanoseconds.
pub(crate) fn as_millis_in(raw: i64, lo: u64, hi: u64) -> Option<u64> {
    if raw <= 0 {
        return None;
    }
    let raw = raw as u64;
    [
        Some(raw),
        raw.checked_mul(1000),
        Some(raw / 1000),
        Some(raw / 1_000_000),
    ]
    .into_iter()
    .flatten()
    .find(|&ms| ms >= lo && ms <= hi)
}

/// The times (ms) an entry's fields hold, by field name.
pub(crate) fn entry_times(
    view: &ObjectView,
    reads: &Reads,
    a: &crate::dom::analysis::Analysis,
    now: u64,
) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for f in &view.fields {
        let raw = match f.ty {
            BasicType::Long => f.raw as i64,
            BasicType::Int => f.raw as u32 as i32 as i64,
            BasicType::Object if f.raw != 0 => match time_object(a, view, &f.name, reads) {
                Some(ms) => ms,
                None => continue,
            },
            _ => continue,
        };
        // Int fields only as epoch seconds (a count or an id is no time).
        let ms = if f.ty == BasicType::Int {
            (raw as u64)
                .checked_mul(1000)
                .filter(|&m| as_millis(m as i64, now) == Some(m))
        } else {
            as_millis(raw, now)
        };
        if let Some(ms) = ms {
            out.push((f.name.clone(), ms));
        }
    }
    out
}

/// The epoch milliseconds of the `Instant` or `Date` in field `name` of `view`, if it was read.
pub(crate) fn time_object(
    a: &crate::dom::analysis::Analysis,
    view: &ObjectView,
    name: &str,
    reads: &Reads,
) -> Option<i64> {
    let t = reads.nested.get(&ref_node(a, view, name)?)?;
    match (t.field("seconds"), t.field("fastTime")) {
        (Some(s), _) => Some((s.raw as i64).saturating_mul(1000)),
        (None, Some(ms)) => Some(ms.raw as i64),
        _ => None,
    }
}

/// A field name and, per entry that holds a time in it, (entry node, time in ms).
pub(crate) type TimeField = (String, Vec<(u32, u64)>);

/// Adds entry `v`'s time `t` to the field (or path) `name` of `fields`.
pub(crate) fn add_time(fields: &mut Vec<TimeField>, name: String, v: u32, t: u64) {
    match fields.iter_mut().find(|f| f.0 == name) {
        Some(f) => f.1.push((v, t)),
        None => fields.push((name, vec![(v, t)])),
    }
}

/// (idle, judged) over every entry of a candidate, where they can all be read.
type Every<'a> = dyn Fn(&Candidate) -> Option<(u64, u64)> + 'a;

/// The timestamp fields of the sampled entries: per field, (node, time) of every entry that
/// holds a plausible in-process time in it. Fields present in fewer than most entries are
/// dropped; those of them unset (zero or null) in the others ([`super::touched::split`])
/// come second.
fn time_fields(
    a: &crate::dom::analysis::Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
) -> (usize, Vec<TimeField>, Vec<TimeField>) {
    let mut fields: Vec<TimeField> = Vec::new();
    let mut zeros: Vec<(String, usize)> = Vec::new();
    let mut n = 0;
    for &v in &c.values {
        let Some(view) = reads.views.get(&v) else {
            continue;
        };
        n += 1;
        for (name, t) in entry_times(view, reads, a, now) {
            add_time(&mut fields, name, v, t);
        }
        super::touched::count_unset(view, &mut zeros);
    }
    let (mut fields, unset_times) = super::touched::split(fields, &zeros, n);
    if fields.is_empty() {
        fields = key_times(a, c, reads, now, n);
    }
    if fields.is_empty() {
        fields = super::wrapped::linked_times(a, c, reads, now, n);
    }
    if fields.is_empty() {
        fields = super::list_times::list_times(a, c, reads, now, n);
    }
    (n, fields, unset_times)
}

/// For a map whose values carry no time (a `Throwable` recorded per lease), the times its
/// keys carry, by the value they map to: the key is the record of when the entry was made.
fn key_times(
    a: &crate::dom::analysis::Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
    n: usize,
) -> Vec<TimeField> {
    let mut fields: Vec<TimeField> = Vec::new();
    for &(k, v) in &c.pairs {
        let Some(view) = reads.views.get(&k) else {
            continue;
        };
        for (name, t) in entry_times(view, reads, a, now) {
            add_time(&mut fields, name, v, t);
        }
    }
    fields.retain(|f| f.1.len() as f64 >= FIELD_SHARE * n as f64);
    fields
}

/// Whether `c`'s entries are held by an instance field of a `java.util.TimerTask`: a task
/// waiting in a Timer's queue for its time keeps what it is about until then, so when that was
/// made says nothing of a leak (the queue itself is judged as scheduled tasks).
fn held_by_timer_task(a: &crate::dom::analysis::Analysis, c: &Candidate) -> bool {
    c.holding.as_ref().is_some_and(|h| {
        !h.holder.is_static
            && crate::query::find::extends(a, a.graph.class_of(h.owner), "java.util.TimerTask")
    })
}

/// A duration as text: `45 s`, `12 min`, `3.5 h`, `2.0 days`.
pub(crate) fn duration(ms: u64) -> String {
    if ms < MINUTE {
        format!("{} s", ms / 1000)
    } else if ms < HOUR {
        format!("{} min", ms / MINUTE)
    } else if ms < 48 * HOUR {
        format!("{:.1} h", ms as f64 / HOUR as f64)
    } else {
        format!("{:.1} days", ms as f64 / (24 * HOUR) as f64)
    }
}

/// The evidence of structures whose times read otherwise than the general rules say: a unit
/// of work's entities are recent while it loads them, however long it stays open; lists filled
/// at once inside finished records have their owners' ages; members of a directory of
/// long-lived records are used at their own pace. `fields` with `nanos`: whether they are
/// `System.nanoTime` values.
fn special_case(
    a: &crate::dom::analysis::Analysis,
    c: &Candidate,
    reads: &Reads,
    (fields, nanos): (&[TimeField], bool),
    now: u64,
) -> Option<super::super::model::Evidence> {
    if let Some(e) = super::traps::unit_open_across(c, fields, now).filter(|_| !nanos) {
        return Some(e);
    }
    if let Some(e) = super::inner_spans::check(c, fields) {
        return Some(e);
    }
    let (name, _) = named_field(fields, &USE_WORDS).filter(|_| !nanos)?;
    super::dates::directory_members(a, c, reads, now, name)
}

/// Adds the entry-age evidence.
pub(crate) fn add(a: &crate::dom::analysis::Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    let Some((fields, unset_times, nanos)) = judged_fields(a, c, reads, now) else {
        return;
    };
    if let Some(e) = special_case(a, c, reads, (&fields, nanos), now) {
        c.add(e);
        return;
    }
    let scope = Scope::of(a, c, reads);
    let touched = super::touched::touch_fields(&fields, &unset_times, nanos);
    let idle = idle_times(&touched, now);
    let every = |c: &Candidate| {
        (!nanos)
            .then(|| every_idle(a, c, reads, &touched, now))
            .flatten()
    };
    let judge = |c: &mut Candidate,
                 how: &dyn Fn(&str) -> String,
                 (vals, made): (&[(u32, u64)], bool),
                 thinned| {
        added_and_left(
            c,
            (how, &every),
            (vals, made),
            (&idle, thinned, &scope),
            now,
        )
    };
    let shown = |name: &str| {
        if nanos {
            format!("{name} (System.nanoTime values, timed from the newest entry)")
        } else {
            name.to_string()
        }
    };
    if let Some((name, vals)) = super::added_order::creation_field(a, c, reads, now, &fields) {
        let how = |span: &str| {
            format!(
                "entries were added over {span} (field {} follows the order they were added in)",
                shown(name)
            )
        };
        let thinned = super::thinned::check(a, c, reads, vals);
        if judge(c, &how, (vals, true), thinned) {
            return;
        }
    }
    if let Some((name, vals)) = named_field(&fields, &ACQUIRE_WORDS) {
        let how = |span: &str| {
            format!("entries were added over {span} (field {} records when each was opened or registered)", shown(name))
        };
        if judge(c, &how, (vals, false), None) {
            return;
        }
    }
    if let Some((name, vals)) = named_field(&fields, &USE_WORDS) {
        let how = |span: &str| {
            format!("entries were last used over {span} (field {} records when each was used or lent out)", shown(name))
        };
        if judge(c, &how, (vals, false), None) {
            return;
        }
    }
    if let Some((name, vals)) = per_request_field(c, &fields) {
        let how = |span: &str| {
            format!("entries under per-request keys were made over {span} (field {}, in any heap order)", shown(name))
        };
        if judge(c, &how, (vals, true), None) {
            return;
        }
    }
    if nanos || super::once::add(c, &fields, idle.m, now) {
        return;
    }
    loaded_once_or_used(c, &fields, &idle, now);
}

/// The candidate's time fields to judge its entries by, the entries without a time, and
/// whether the times are `System.nanoTime` values; None when its entries are not judged by
/// their ages or too few carry a time.
fn judged_fields(
    a: &crate::dom::analysis::Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
) -> Option<(Vec<TimeField>, Vec<TimeField>, bool)> {
    // A task's times are when it runs next; a trimmed deque's, how long the trimming keeps;
    // what a timer task holds waits for the task to run (a parcel's hold expiry).
    if now == 0
        || c.kind == super::super::model::LeakKind::ScheduledTasks
        || held_by_timer_task(a, c)
        || super::trimmed::trimmed_front(a, c, reads)
    {
        return None;
    }
    let (n, mut fields, unset_times) = time_fields(a, c, reads, now);
    // Without a time on the dump's clock, System.nanoTime values timed from the newest entry
    // can still say entries were left: never that they are in use.
    let nanos = fields.is_empty();
    if nanos {
        fields = super::nanos::nano_fields(c, reads, now);
        fields.retain(|f| f.1.len() as f64 >= FIELD_SHARE * n as f64);
    }
    (n >= MIN_ENTRIES && !fields.is_empty()).then_some((fields, unset_times, nanos))
}

/// Words of a field's name (camelCase or snake_case) that say it records when this process
/// last used, or lent out, its entry (`lastAccess`, `lastSeen`, `borrowedAt`, `leasedAt`...):
/// its times are this process's own, whatever order the collector left the entries in. Not
/// `last` alone (`lastAt`): a windowed aggregate's buckets record their last event too and are
/// half idle by design (tried in session 13: val5 billing's hourly buckets became a false leak).
pub(crate) const USE_WORDS: [&str; 10] = [
    "access", "accessed", "seen", "touched", "used", "borrow", "borrowed", "leased", "acquired",
    "checkout",
];

/// Words of a field's name that say it records when this process opened, registered or
/// queued its entry (`openedAt`, `connectedAt`, `registeredAt`, `subscribedAt`, `enqueuedAt`):
/// acquiring something that must be released again, so the time is this process's own whatever
/// order the collector left the entries in. Words of record-keeping (`createdAt`, `issuedAt`,
/// `firstSeen`) are not among them: a service's records carry those too (an invoice issued
/// today and kept for the billing run).
const ACQUIRE_WORDS: [&str; 6] = [
    "opened",
    "connected",
    "registered",
    "subscribed",
    "enqueued",
    "submitted",
];

/// The words of a field name (or of a path of them, `failure.failedAt`), lower case:
/// `lastAccessTime` -> `last`, `access`, `time`.
pub(crate) fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for ch in name.chars() {
        let separator = matches!(ch, '_' | '$' | '.');
        if separator || (ch.is_ascii_uppercase() && !cur.is_empty()) {
            out.extend((!cur.is_empty()).then(|| std::mem::take(&mut cur)));
        }
        if !separator {
            cur.push(ch.to_ascii_lowercase());
        }
    }
    out.extend((!cur.is_empty()).then_some(cur));
    out
}

/// The first time field with one of `vocabulary` among its name's words, if any.
fn named_field<'f>(
    fields: &'f [TimeField],
    vocabulary: &[&str],
) -> Option<(&'f String, &'f [(u32, u64)])> {
    fields
        .iter()
        .find(|(name, _)| words(name).iter().any(|w| vocabulary.contains(&w.as_str())))
        .map(|(name, vals)| (name, vals.as_slice()))
}

/// (idle, judged) over every entry of `c`, by their times in the sample's time `fields`, when
/// [`super::every::values`] finds them all and almost all ([`TIMED_SHARE`]) hold a time: a
/// count where the sample gives an estimate. Each entry is read once and only its newest time
/// kept (a time held in an `Instant` or `Date` is found for the sampled entries only).
fn every_idle(
    a: &crate::dom::analysis::Analysis,
    c: &Candidate,
    reads: &Reads,
    fields: &[TimeField],
    now: u64,
) -> Option<(u64, u64)> {
    let values = super::every::values(a, c, reads)?;
    let timed = |name: &str| fields.iter().any(|f| f.0 == name);
    let last = crate::query::find::read_each(a, &values, |view| {
        let times = entry_times(&view, reads, a, now).into_iter();
        times.filter(|(n, _)| timed(n)).map(|p| p.1).max()
    });
    let idle = last
        .values()
        .filter(|&&t| now.saturating_sub(t) >= IDLE)
        .count();
    // A few entries without a time (a registry's own MBeans beside the sessions' ones) are not
    // counted as idle: the count stays a lower bound.
    (last.len() as u64 * 100 >= c.entries * TIMED_SHARE).then_some((idle as u64, c.entries))
}

/// Percentage of all entries that must hold a time for idle entries to be counted over all.
const TIMED_SHARE: u64 = 99;

/// Under keys made per request (a UUID, a request id in the key) and no strong bound, the time
/// field spanning the longest (up to [`PER_REQUEST_SPAN`]): such an entry is never looked up again once its request is over, so entries
/// made over hours and idle since were kept past their request, whatever order the collector
/// left them in.
fn per_request_field<'f>(
    c: &Candidate,
    fields: &'f [TimeField],
) -> Option<(&'f String, &'f [(u32, u64)])> {
    let per_request = c
        .evidence
        .iter()
        .any(|e| e.name == EvidenceName::KeyShape && e.supports == Supports::Leak);
    // A bound (a cap reached, an LRU) already says why old entries are still there.
    if !per_request || c.strongest(Supports::MemoryHungry) == Some(Strength::Strong) {
        return None;
    }
    let span = |vals: &[(u32, u64)]| {
        let lo = vals.iter().map(|p| p.1).min().unwrap_or(0);
        vals.iter().map(|p| p.1).max().unwrap_or(0) - lo
    };
    fields
        .iter()
        .filter(|(_, vals)| span(vals) <= PER_REQUEST_SPAN)
        .max_by_key(|(_, vals)| span(vals))
        .map(|(name, vals)| (name, vals.as_slice()))
}

/// The longest a process keeps per-request entries in one dump's view: times spread over more
/// days are of records of long-lived things that merely have random ids (API keys).
const PER_REQUEST_SPAN: u64 = 48 * HOUR;

/// Entries added (or used) over at least [`IDLE`] by the times `vals` and mostly idle: a
/// leak, unless keyed by natural ids. `how` says what the times are, given their span; `every`
/// counts the idle entries over all of them, where it can; `made`: the times record when the
/// entries were made (not opened or used: a pool whose connections were all borrowed and never
/// returned lends nothing more, so its borrowing times stand still too, and that is the leak).
/// `thinned`: the keys are a sequence the map kept a thinned, even share of (numbers given as
/// the entries were made), which no directory of natural ids is. Whether the evidence was
/// added.
fn added_and_left(
    c: &mut Candidate,
    (how, every): (&dyn Fn(&str) -> String, &Every),
    (vals, made): (&[(u32, u64)], bool),
    (idle, thinned, scope): (&Idle, Option<super::thinned::Thinned>, &Scope),
    now: u64,
) -> bool {
    let lo = vals.iter().map(|p| p.1).min().unwrap_or(now);
    let hi = vals.iter().map(|p| p.1).max().unwrap_or(now);
    let Idle {
        m,
        median,
        idle: idle_count,
        ..
    } = *idle;
    // A cap reached or an LRU already says why old entries are still there; entries spread
    // over less than [`WINDOW`] are what a time window keeps (hourly buckets kept two hours).
    if hi - lo < WINDOW
        || idle_count * 2 < m
        || c.strongest(Supports::MemoryHungry) == Some(Strength::Strong)
    {
        return false;
    }
    if super::windowed::within(c, scope.window.as_ref(), lo, now) {
        return true;
    }
    if super::stopped::stopped_growing(c, how, (lo, hi), idle, now)
        || (made && super::stopped::still_since(c, how, (lo, hi), now))
        || (made && super::stopped::slowed_down(c, how, vals))
    {
        return true;
    }
    if c.left_in_sample.is_none() {
        let (k, n) = every(c).unwrap_or((idle_count as u64, m as u64));
        c.left_in_sample = Some((super::super::model::LeftBy::Idle, k, n));
    }
    let (strength, caveat) = super::scope::added_strength(c, thinned, scope);
    c.add(evidence(
        EvidenceName::EntryAges,
        Supports::Leak,
        strength,
        format!(
            "{}; {idle_count} of {m} sampled were last touched more than {} before the dump (median idle {}): added and never used again{caveat}",
            how(&duration(hi - lo)),
            duration(IDLE),
            duration(median)
        ),
    ));
    true
}

/// How strong evidence of entries added and never used is: strong, or `natural` with a caveat
/// when the keys are natural ids (a directory warming up lazily looks the same in one dump).
pub(crate) fn unless_natural(c: &Candidate, natural: Strength) -> (Strength, &'static str) {
    if c.keyed_naturally() {
        (
            natural,
            "; but a directory of natural keys warming up looks the same",
        )
    } else {
        (Strength::Strong, "")
    }
}

/// The field recording use whose times are mostly one pass (see [`super::touched::one_pass`]),
/// with how many of its sampled entries it touched, of how many, and how long before `now` it
/// ended.
fn one_pass_of_use(fields: &[TimeField], now: u64) -> Option<(&String, usize, usize, u64)> {
    let (name, vals) = named_field(fields, &USE_WORDS)?;
    let (k, age) = super::touched::one_pass(vals, now)?;
    Some((name, k, vals.len(), age))
}

/// Entries that all hold the same time in one field (loaded once), or mostly touched within
/// [`IDLE`] (a working set).
fn loaded_once_or_used(c: &mut Candidate, fields: &[TimeField], idle: &Idle, now: u64) {
    let m = idle.m;
    let recent = m - idle.idle;
    let spans: Vec<(&String, u64, u64)> = fields
        .iter()
        .map(|(name, vals)| {
            let lo = vals.iter().map(|p| p.1).min().unwrap_or(now);
            let hi = vals.iter().map(|p| p.1).max().unwrap_or(now);
            (name, lo, hi)
        })
        .collect();
    if let Some((name, lo, hi)) = spans.iter().find(|(_, lo, hi)| {
        let age = now.saturating_sub(*lo);
        hi - lo <= (age / 100).clamp(MINUTE, 5 * MINUTE) && age >= 10 * MINUTE
    }) {
        c.add(evidence(
            EvidenceName::EntryAges,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "all {m} sampled entries hold the same time in field {name} (within {}), {} before the dump: loaded once",
                duration(hi - lo),
                duration(now.saturating_sub(*lo))
            ),
        ));
    } else if let Some((name, k, n, age)) = one_pass_of_use(fields, now) {
        // One pass touched nearly every entry at once: their times say when it ran, not that
        // the entries are used; such a pass keeps every entry of a time-to-idle cache fresh.
        // (Entries made at once, a fan-out batch in flight, are not judged so: their field
        // records when they were made, not used.)
        c.add(evidence(
            EvidenceName::EntryAges,
            Supports::Leak,
            Strength::Weak,
            format!(
                "{k} of {n} sampled entries were last used (field {name}) within one second, {} before the dump: one pass over the whole structure touched them (a report or sweep reading every entry), not use; a pass that refreshes entries keeps them all from idling out",
                duration(age)
            ),
        ));
    } else if recent as f64 >= 0.9 * m as f64 && !super::queued::fifo_queue(c) {
        // Entries waiting in a FIFO queue were queued recently: not in use.
        c.add(evidence(
            EvidenceName::EntryAges,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "{recent} of {m} sampled entries were touched in the last {} before the dump (median {} ago): in active use, a working set",
                duration(IDLE),
                duration(idle.median)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn field_names_split_into_words() {
        assert_eq!(words("lastAccessTime"), ["last", "access", "time"]);
        assert_eq!(words("borrowed_at"), ["borrowed", "at"]);
        assert_eq!(words("releasedAt"), ["released", "at"]);
        assert_eq!(words("checkoutAt"), ["checkout", "at"]);
        assert_eq!(words("failure.failedAt"), ["failure", "failed", "at"]);
    }
}
