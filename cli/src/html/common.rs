//! What every section of the page shares: escaping, embedded JSON, percentages, holders,
//! summary cards, warnings and timestamps.

use std::fmt::Write as _;

use analyzer::query::holders::Holder;
use serde::Serialize;

/// Escapes text for HTML content and quoted attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside `<script type="application/json">`: every `<` (so `</script>`
/// and `<!--` too) becomes `\u003c`, which can only occur inside JSON strings.
pub(super) fn script_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
}

/// `12.5%`: a share as a percentage with one decimal.
pub(super) fn pct(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// The serde name of an enum value (`high`, `static-collection`).
pub(super) fn kebab<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A holder field (`Class.FIELD (static)`), escaped.
pub(crate) fn holder(h: &Holder) -> String {
    escape(&h.display())
}

/// The last component of a path (`/` or `\` separated).
pub(super) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A summary card: a big value over its label.
pub(super) fn card(h: &mut String, value: &str, label: &str) {
    let _ = write!(
        h,
        "<div class=\"card\"><b>{}</b><span>{}</span></div>",
        escape(value),
        escape(label)
    );
}

/// The report's warnings as a list, nothing when there are none.
pub(crate) fn warnings(h: &mut String, ws: &[String]) {
    if ws.is_empty() {
        return;
    }
    h.push_str("<div class=\"warn\"><b>Warnings</b><ul>");
    for w in ws {
        let _ = write!(h, "<li>{}</li>", escape(w));
    }
    h.push_str("</ul></div>\n");
}

/// Milliseconds since the epoch as `2026-11-24 14:15:16 UTC` (0: unknown).
pub(crate) fn utc(ms: u64) -> String {
    if ms == 0 {
        return "unknown".into();
    }
    crate::fmt::utc(ms)
}
