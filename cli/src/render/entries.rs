//! What a suspect's entries hold, as labelled facts shared by the text and HTML renderings:
//! the average an entry retains, what inner collections hold in all, the outer object of
//! inner-class entries, the field that makes most of an entry, one object that makes most of
//! the suspect.

use analyzer::leaks::Suspect;

use crate::fmt::{bytes, thousands};

/// The entries line: `6,000 x java.util.ArrayList, ~2.3 KiB each, holding ~24,000 byte[512] in
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

/// Facts below the entries line, as (label, text): `mostly` (unless the entries are
/// collections, whose backing array is always most of them), `outer`, `one object`.
pub(crate) fn facts(s: &Suspect) -> Vec<(&'static str, String)> {
    let Some(p) = &s.per_entry else {
        return Vec::new();
    };
    let mut out = Vec::new();
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
