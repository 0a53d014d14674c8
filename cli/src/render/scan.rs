//! Text of `hprofscan scan`: a line per dump as it is done, then the leaks the dumps share.

use std::io::{self, Write};

use analyzer::run::scan::{ScanRecord, ScanSummary};

use crate::escape::name;
use crate::fmt::{bytes, thousands, utc};

use super::common::plural;

/// One dump's line: its path, time and suspects, or its error.
pub(crate) fn scan_line(w: &mut dyn Write, r: &ScanRecord) -> io::Result<()> {
    if let Some(e) = &r.error {
        return writeln!(w, "{}  ERROR  {}", name(&r.path), name(e));
    }
    let when = r.timestamp_ms.map(utc).unwrap_or_default();
    let partial = if r.complete { "" } else { "  (incomplete)" };
    if r.suspects.is_empty() {
        return writeln!(w, "{}  {when}  no suspects{partial}", name(&r.path));
    }
    let list: Vec<String> = r
        .suspects
        .iter()
        .map(|s| {
            format!(
                "{} {} ({})",
                name(&s.holder.display()),
                bytes(s.retained_bytes),
                thousands(s.entries)
            )
        })
        .collect();
    writeln!(w, "{}  {when}  {}{partial}", name(&r.path), list.join("; "))
}

/// The totals of a scan, then the leaks the dumps share.
pub(crate) fn scan_summary(w: &mut dyn Write, s: &ScanSummary) -> io::Result<()> {
    writeln!(w)?;
    writeln!(
        w,
        "{}, {} could not be analysed, {} incomplete",
        plural(s.dumps as u64, "dump", "dumps"),
        thousands(s.failed as u64),
        thousands(s.incomplete as u64)
    )?;
    for l in &s.leaks {
        writeln!(
            w,
            "{}: {}, first {} ({}), last {} ({}), retained {} -> {}",
            name(&l.holder.display()),
            plural(l.dumps as u64, "dump", "dumps"),
            name(&l.first),
            utc(l.first_timestamp_ms),
            name(&l.last),
            utc(l.last_timestamp_ms),
            bytes(l.retained_bytes[0]),
            bytes(l.retained_bytes[1])
        )?;
    }
    Ok(())
}
