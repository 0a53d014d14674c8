//! Text of `hprofscan leaks`: the headline, each suspect, the big retainers that are not.

use std::io::{self, Write};

use crate::escape::name;
use crate::fmt::{bytes, thousands};
use analyzer::report::finding::name_pattern;

use super::common::{dump_lines, labelled, plural, series, summary_lines, warnings, width, wrap};
use super::path::root_path_lines;

/// The one-line outcome of a leak report: the first thing a reader sees.
pub(crate) fn leak_headline(r: &analyzer::leaks::LeakReport) -> String {
    use analyzer::leaks::Verdict;
    let leaks = r
        .suspects
        .iter()
        .filter(|s| s.verdict == Verdict::Leak)
        .count();
    let possible = r.suspects.len() - leaks;
    match (leaks, possible) {
        (0, 0) => format!(
            "No leak suspects: nothing big shows evidence of a leak (threshold {:.0}% of the reachable heap).",
            r.threshold * 100.0
        ),
        (l, 0) => format!("{} found.", plural(l as u64, "leak", "leaks")),
        (0, p) => format!(
            "{}: evidence of accumulation that one dump cannot confirm.",
            plural(p as u64, "possible leak", "possible leaks")
        ),
        (l, p) => format!(
            "{} and {} found.",
            plural(l as u64, "leak", "leaks"),
            plural(p as u64, "possible leak", "possible leaks")
        ),
    }
}

fn evidence_lines(w: &mut dyn Write, ev: &[analyzer::leaks::Evidence]) -> io::Result<()> {
    use analyzer::leaks::Supports;
    for (i, e) in ev.iter().enumerate() {
        let sign = match e.supports {
            Supports::Leak => "+",
            Supports::MemoryHungry => "-",
        };
        let text = format!("{sign} {:?}: {}", e.strength, e.detail).to_lowercase_first();
        labelled(w, if i == 0 { "evidence" } else { "" }, &text)?;
    }
    Ok(())
}

trait LowerFirst {
    fn to_lowercase_first(self) -> String;
}

impl LowerFirst for String {
    fn to_lowercase_first(self) -> String {
        // `+ Strong: ...` -> `+ strong: ...`
        let mut out = String::with_capacity(self.len());
        let mut done = false;
        for ch in self.chars() {
            if !done && ch.is_ascii_uppercase() {
                out.push(ch.to_ascii_lowercase());
                done = true;
            } else {
                out.push(ch);
            }
        }
        out
    }
}

fn suspect_lines(w: &mut dyn Write, s: &analyzer::leaks::Suspect) -> io::Result<()> {
    writeln!(
        w,
        "#{} {} ({} confidence)  {}  {}",
        s.rank,
        s.verdict.as_str(),
        serde_json::to_value(s.confidence)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        s.kind.as_str(),
        name(&s.holder.display()),
    )?;
    writeln!(
        w,
        "   retains     {} ({:.1}% of the reachable heap)",
        bytes(s.retained_bytes),
        s.share * 100.0
    )?;
    if let Some(n) = s.native_bytes {
        writeln!(w, "   native      {} outside the Java heap", bytes(n))?;
    }
    let via = if s.holder_via.is_empty() {
        String::new()
    } else {
        format!(" (via {})", name(&s.holder_via.join(" ")))
    };
    writeln!(w, "   collection  {}{via}", name(&s.collection_class))?;
    labelled(w, "entries", &crate::render::entries::entries_line(s))?;
    for (label, text) in crate::render::entries::facts(s) {
        labelled(w, label, &text)?;
    }
    if !s.threads.is_empty() {
        labelled(w, "threads", &name_pattern(&s.threads))?;
    }
    if let Some(g) = &s.growth {
        writeln!(
            w,
            "   growth      {} entries  {}  {}",
            series(&g.entries, thousands),
            series(&g.retained_bytes, bytes),
            g.verdict.as_str()
        )?;
    }
    evidence_lines(w, &s.evidence)?;
    for (i, step) in root_path_lines(&s.gc_root_path).iter().enumerate() {
        if i == 0 {
            writeln!(w, "   path        {}", name(step))?;
        } else {
            writeln!(w, "               -> {}", name(step))?;
        }
    }
    labelled(w, "why", &s.explanation)?;
    if let Some(a) = &s.advice {
        labelled(w, "next", a)?;
    }
    writeln!(w)
}

fn retainer_lines(w: &mut dyn Write, t: &analyzer::leaks::Retainer) -> io::Result<()> {
    writeln!(
        w,
        "  {:>10} {:>5.1}%  {} {}  [{}]",
        bytes(t.retained_bytes),
        t.share * 100.0,
        name(&t.class),
        t.id,
        t.verdict.as_str()
    )?;
    if let Some(h) = &t.holder {
        writeln!(w, "                      held by {}", name(&h.display()))?;
    }
    if let Some(n) = t.native_bytes {
        writeln!(w, "                      and {} of native memory", bytes(n))?;
    }
    for line in wrap(&name(&t.reason), width() - 22) {
        writeln!(w, "                      {line}")?;
    }
    Ok(())
}

/// Renders `leaks`: the outcome first, then the dump, each suspect with its evidence, the big
/// retainers that are not suspects, and the verdict table of a series.
pub(crate) fn leaks(w: &mut dyn Write, r: &analyzer::leaks::LeakReport) -> io::Result<()> {
    writeln!(w, "{}", leak_headline(r))?;
    writeln!(w)?;
    dump_lines(w, &r.dump)?;
    if !r.series.is_empty() {
        writeln!(
            w,
            "series    {} earlier: {}",
            plural(r.series.len() as u64, "dump", "dumps"),
            name(&r.series.join(", "))
        )?;
    }
    summary_lines(w, &r.heap)?;
    let o = &r.off_heap;
    writeln!(
        w,
        "native    {} direct ({}), {} mapped ({}) referenced from the heap",
        bytes(o.direct_bytes),
        plural(o.direct_buffers, "buffer", "buffers"),
        bytes(o.mapped_bytes),
        plural(o.mapped_buffers, "buffer", "buffers")
    )?;
    writeln!(w)?;
    for s in &r.suspects {
        suspect_lines(w, s)?;
    }
    writeln!(w, "Big retainers that are not suspects:")?;
    if r.top_retainers.is_empty() {
        writeln!(w, "  (none)")?;
    }
    for t in &r.top_retainers {
        retainer_lines(w, t)?;
    }
    if let Some(a) = &r.advice {
        writeln!(w)?;
        for line in wrap(&name(a), width()) {
            writeln!(w, "{line}")?;
        }
    }
    if !r.series.is_empty() && !r.verdicts.is_empty() {
        writeln!(w)?;
        writeln!(w, "Verdicts across the series:")?;
        for v in &r.verdicts {
            writeln!(
                w,
                "  {:<14} {:>10}  {:<12} {}",
                v.verdict.as_str(),
                bytes(v.retained_bytes),
                v.growth.map_or("-", |g| g.as_str()),
                name(&v.holder)
            )?;
        }
    }
    warnings(w, &r.warnings)
}
