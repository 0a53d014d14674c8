//! What a suspect's entries hold, as labelled facts shared by the text and HTML renderings:
//! the average an entry retains, what inner collections hold in all, the outer object of
//! inner-class entries, the field that makes most of an entry, one object that makes most of
//! the suspect.

use analyzer::leaks::Suspect;

use crate::fmt::{bytes, thousands};

/// The entries line: `6,000 x java.util.ArrayList, ~2.3 KiB each, holding 24,000 byte[512] in
/// all`.
pub(crate) fn entries_line(s: &Suspect) -> String {
    let mut out = format!("{} x {}", thousands(s.entries), s.element_class);
    if let Some(p) = &s.per_entry {
        out.push_str(&format!(", ~{} each", bytes(p.average_bytes)));
        if let Some(i) = &p.inner {
            out.push_str(", ");
            out.push_str(&i.phrase());
        }
    }
    out
}

/// The left-behind line: `~6,135 of them were left behind (235 of 256 sampled)`, for idle
/// entries a lower bound, for twin keys an exact count; by their state or idleness, a count (no
/// `~`) when every one of the suspect's `entries` was judged.
fn left_line(l: &analyzer::leaks::LeftBehind, entries: u64) -> (&'static str, String) {
    let (n, k, m) = (
        thousands(l.estimate),
        thousands(l.in_sample),
        thousands(l.sampled),
    );
    let text = match l.by {
        analyzer::leaks::LeftBy::State if l.sampled == entries => {
            format!("{n} of them were left behind (all {m} judged by their state)")
        }
        analyzer::leaks::LeftBy::State => {
            format!("~{n} of them were left behind ({k} of {m} sampled, by their state)")
        }
        analyzer::leaks::LeftBy::Idle if l.sampled == entries => format!(
            "at least {n} of them were left behind (idle for an hour or more, of all {m} judged by their times)"
        ),
        analyzer::leaks::LeftBy::Idle => format!(
            "at least ~{n} of them were left behind ({k} of {m} sampled idle for an hour or more)"
        ),
        analyzer::leaks::LeftBy::TwinKeys => format!(
            "{n} of them can never be found again: their keys equal another key (all {m} keys compared)"
        ),
    };
    ("left", text)
}

/// Facts below the entries line, as (label, text): `left` (how many were left behind),
/// `mostly` (unless the entries are
/// collections, whose backing array is always most of them), `outer`, `one object`.
pub(crate) fn facts(s: &Suspect) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = s
        .left_behind
        .iter()
        .map(|l| left_line(l, s.entries))
        .collect();
    let Some(p) = &s.per_entry else {
        return out;
    };
    if let (Some(class), Some(via), Some(share), None) =
        (&p.mostly_class, &p.via, p.share, &p.inner)
    {
        out.push((
            "mostly",
            format!(
                "{class} via {via} ({:.0}% of what an entry retains)",
                share * 100.0
            ),
        ));
    }
    if let Some(o) = &p.outer {
        out.push(("outer", o.phrase()));
    }
    if let Some(o) = &p.one_object {
        out.push((
            "one object",
            format!("{}: not an accumulation of entries", o.phrase()),
        ));
    }
    out
}
