//! The page skeleton: head, header, navigation, one block of sections per dump (newest
//! first), the embedded JSON and the scripts.

use std::fmt::Write as _;

use analyzer::report::growth::GrowthReport;
use serde::Serialize;

use super::assets::{ERROR_SCRIPT, MAIN_SCRIPT, STYLE};
use super::common::{escape, file_name, script_json};
use super::dominators::dominators_section;
use super::summary::summary_section;
use super::suspects::suspects_section;
use super::tables::{
    classloaders_section, histogram_section, resources_section, threadlocals_section,
};
use super::DumpReports;

/// What is embedded as JSON.
#[derive(Serialize)]
struct Embedded<'a> {
    schema: &'static str,
    dumps: &'a [DumpReports],
    growth: Option<&'a GrowthReport>,
}

/// Renders the self-contained page.
pub(crate) fn render_html(dumps: &[DumpReports], growth: Option<&GrowthReport>) -> String {
    let mut h = String::with_capacity(256 * 1024);
    head(&mut h, dumps);
    nav(&mut h, dumps, growth.is_some());
    h.push_str("<main>\n");

    if dumps.is_empty() {
        h.push_str("<p>No dumps.</p>\n");
    }
    if let Some(g) = growth {
        super::charts::growth_section(&mut h, g);
    }
    for (i, d) in dumps.iter().enumerate().rev() {
        let p = format!("d{i}-");
        if dumps.len() > 1 {
            let _ = writeln!(
                h,
                "<h2 style=\"font-size:22px\">Dump {}{}: {}</h2>",
                i + 1,
                if i + 1 == dumps.len() {
                    " (newest)"
                } else {
                    ""
                },
                escape(&d.leaks.dump.path)
            );
        }
        summary_section(&mut h, &p, d);
        suspects_section(&mut h, &p, &d.leaks);
        dominators_section(&mut h, &p, &d.dominators, &d.leaks);
        histogram_section(&mut h, &p, &d.histogram);
        threadlocals_section(&mut h, &p, &d.threadlocals);
        classloaders_section(&mut h, &p, &d.classloaders);
        resources_section(&mut h, &p, &d.resources);
        super::waste::waste_section(&mut h, &p, &d.waste);
    }
    h.push_str("</main>\n");
    let _ = writeln!(
        h,
        "<script type=\"application/json\" id=\"data\">{}</script>",
        script_json(&Embedded {
            schema: "hprofscan/report/1",
            dumps,
            growth
        })
    );
    let _ = writeln!(h, "<script>{MAIN_SCRIPT}</script>\n</body>\n</html>");
    h
}

/// The document head (title, CSP, style, error script) and the page header listing the dumps.
fn head(h: &mut String, dumps: &[DumpReports]) {
    let title = match dumps.last() {
        Some(d) => format!("hprofscan report: {}", d.leaks.dump.path),
        None => "hprofscan report".to_owned(),
    };
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing may be fetched: only the inline style and scripts run.
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
    let _ = writeln!(h, "<title>{}</title>", escape(&title));
    let _ = writeln!(h, "<style>{STYLE}</style>");
    let _ = writeln!(h, "<script>{ERROR_SCRIPT}</script>\n</head>\n<body>");
    h.push_str("<div id=\"js-errors\"></div>\n");
    // The newest dump (the last given) first.
    let _ = writeln!(
        h,
        "<header><h1>hprofscan report</h1><p>{} dump{}{}: {}</p></header>",
        dumps.len(),
        if dumps.len() == 1 { "" } else { "s" },
        if dumps.len() > 1 {
            ", newest first"
        } else {
            ""
        },
        dumps
            .iter()
            .rev()
            .map(|d| escape(&d.leaks.dump.path))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// The sections of one dump, as (anchor, label).
const SECTIONS: [(&str, &str); 8] = [
    ("summary", "Summary"),
    ("suspects", "Suspects"),
    ("dominators", "Biggest retainers"),
    ("histogram", "Histogram"),
    ("threadlocals", "ThreadLocals"),
    ("classloaders", "Class loaders"),
    ("resources", "Resources"),
    ("waste", "Waste"),
];

/// The navigation: the growth section and the newest dump's sections in one row; the earlier
/// dumps' sections folded into one `<details>`, a row per dump, newest first.
fn nav(h: &mut String, dumps: &[DumpReports], growth: bool) {
    let links = |h: &mut String, i: usize| {
        for (id, label) in SECTIONS {
            let _ = write!(h, "<a href=\"#d{i}-{id}\">{label}</a>");
        }
    };
    h.push_str("<nav>");
    if growth {
        h.push_str("<a href=\"#growth\">Growth</a>");
    }
    let n = dumps.len();
    if let Some(d) = dumps.last() {
        if n > 1 {
            let _ = write!(
                h,
                "<b class=\"muted\">newest, {}:</b> ",
                escape(file_name(&d.leaks.dump.path))
            );
        }
        links(h, n - 1);
    }
    if n > 1 {
        let _ = write!(h, "<details><summary>Earlier dumps ({})</summary>", n - 1);
        for i in (0..n - 1).rev() {
            let _ = write!(
                h,
                "<div><b class=\"muted\">{}:</b> ",
                escape(file_name(&dumps[i].leaks.dump.path))
            );
            links(h, i);
            h.push_str("</div>");
        }
        h.push_str("</details>");
    }
    h.push_str("</nav>\n");
}
