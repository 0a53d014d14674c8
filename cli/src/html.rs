//! The self-contained HTML report (`hprofscan report`): one file with inline CSS, JS and SVG,
//! no network access and no external assets. Every string from a report is escaped with
//! [`escape`]; the reports are also embedded once as JSON in `<script id="data">`.

use std::fmt::Write as _;

use crate::render::plural;
use analyzer::classloaders::ClassLoaderReport;
use analyzer::domtree::{DomNode, DominatorReport};
use analyzer::growth::GrowthReport;
use analyzer::histogram::Histogram;
use analyzer::holders::Holder;
use analyzer::leaks::{LeakReport, Suspect};
use analyzer::resources::ResourceReport;
use analyzer::text::{bytes, thousands};
use analyzer::threadlocals::ThreadLocalReport;
use serde::Serialize;

/// Everything one dump contributes to the HTML report.
#[derive(Clone, Debug, Serialize)]
pub struct DumpReports {
    /// Leak suspects and big retainers.
    pub leaks: LeakReport,
    /// The dominator tree's biggest retainers.
    pub dominators: DominatorReport,
    /// The class histogram.
    pub histogram: Histogram,
    /// ThreadLocal values.
    pub threadlocals: ThreadLocalReport,
    /// Class loaders.
    pub classloaders: ClassLoaderReport,
    /// Open resources.
    pub resources: ResourceReport,
    /// Waste and the native memory referenced from the heap.
    pub waste: analyzer::waste::WasteReport,
}

/// The options of the dominator report the page draws: the default depth, plus the levels of
/// class-loader plumbing the page collapses (see [`crate::render::collapse_loader_plumbing`]).
pub fn dominator_options() -> analyzer::domtree::DominatorOptions {
    let d = analyzer::domtree::DominatorOptions::default();
    analyzer::domtree::DominatorOptions {
        depth: d.depth + crate::render::LOADER_PLUMBING_LEVELS,
        ..d
    }
}

/// What is embedded as JSON.
#[derive(Serialize)]
struct Embedded<'a> {
    schema: &'static str,
    dumps: &'a [DumpReports],
    growth: Option<&'a GrowthReport>,
}

/// Escapes text for HTML content and quoted attribute values.
pub fn escape(s: &str) -> String {
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
fn script_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
}

fn pct(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn kebab<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) fn holder(h: &Holder) -> String {
    escape(&h.display())
}

const STYLE: &str = r#"
:root{--fg:#1d2430;--muted:#5b6575;--bg:#fff;--panel:#f5f7fa;--line:#dde2ea;--accent:#1f5fbf;--bad:#b42318;--ok:#157f3b}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#1d2430;color:#fff;padding:14px 28px}
header h1{margin:0;font-size:20px}
header p{margin:2px 0 0;color:#c8d0dc;font-size:13px}
nav{padding:8px 28px;border-bottom:1px solid var(--line);background:var(--panel);position:sticky;top:0;z-index:2}
nav a{margin-right:14px;color:var(--accent);text-decoration:none;font-size:14px;white-space:nowrap}
nav a:hover{text-decoration:underline}
nav details{display:inline-block;font-size:14px}
nav details[open]{display:block;margin-top:4px}
nav summary{cursor:pointer;color:var(--accent)}
nav details div{margin:2px 0 0 12px}
.chart .tick{font-size:10px}
main{padding:8px 28px 40px;max-width:1400px}
h2{font-size:19px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:18px 0 6px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.muted{color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:150px}
.card b{display:block;font-size:18px}
.card span{color:var(--muted);font-size:12px}
.suspect{border:1px solid var(--line);border-left:5px solid var(--bad);border-radius:6px;padding:10px 14px;margin:12px 0;background:#fff}
.suspect h3{margin:0 0 4px;overflow-wrap:anywhere}
.kind{display:inline-block;background:#fde7e5;color:var(--bad);border-radius:10px;padding:0 8px;font-size:12px;margin-right:6px;vertical-align:middle}
.ok{color:var(--ok)}
.bad{color:var(--bad);font-weight:600}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}
dl.kv dt{color:var(--muted)}
dl.kv dd{margin:0;word-break:break-word}
ol.path{margin:2px 0;padding-left:20px}
ol.path li{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13.5px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);position:sticky;top:38px;cursor:pointer;user-select:none;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.c{word-break:break-all;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
tr:hover td{background:#f0f5ff}
input.filter{padding:4px 8px;border:1px solid var(--line);border-radius:4px;width:320px;font:inherit}
.warn{background:#fff8e6;border:1px solid #f0d58c;border-radius:6px;padding:6px 12px;font-size:13px}
svg{display:block;max-width:100%;height:auto}
svg.treemap{width:100%}
svg.treemap a:hover rect{stroke:#1d2430;stroke-width:3}
td.loader{overflow-wrap:anywhere;word-break:normal}
svg.treemap text{font:11px system-ui,sans-serif;fill:#111;pointer-events:none}
svg.chart text{font:11px system-ui,sans-serif;fill:#5b6575}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.chartbox{border:1px solid var(--line);border-radius:6px;padding:8px 12px;width:560px}
.chartbox h3{margin:0 0 4px;font-size:14px;overflow-wrap:anywhere}
#js-errors{background:#fde7e5;color:var(--bad);padding:8px 28px;white-space:pre-wrap;font-family:monospace}
#js-errors:empty{display:none}
"#;

/// Records script errors into the page (the browser test reads them from the DOM).
const ERROR_SCRIPT: &str = r#"
(function(){
  function report(msg){
    var d=document.getElementById('js-errors');
    if(!d){d=document.createElement('div');d.id='js-errors';(document.body||document.documentElement).appendChild(d);}
    d.appendChild(document.createTextNode(String(msg)+'\n'));
  }
  window.onerror=function(msg,src,line,col){report('error: '+msg+' (line '+line+':'+col+')');};
  window.addEventListener('unhandledrejection',function(e){report('unhandled rejection: '+e.reason);});
  document.addEventListener('securitypolicyviolation',function(e){report('blocked: '+e.violatedDirective+' '+e.blockedURI);});
  var ce=console.error;console.error=function(){report('console.error: '+Array.prototype.join.call(arguments,' '));return ce.apply(console,arguments);};
})();
"#;

/// Sortable tables, the histogram filter, and the ready flag.
const MAIN_SCRIPT: &str = r#"
(function(){
  var data=JSON.parse(document.getElementById('data').textContent);
  document.body.dataset.dumps=String(data.dumps.length);
  function key(td){var v=td.getAttribute('data-v');return v!==null?parseFloat(v):td.textContent.toLowerCase();}
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(t){
    Array.prototype.forEach.call(t.querySelectorAll('thead th'),function(th,i){
      th.title='Click to sort';
      th.addEventListener('click',function(){
        var tb=t.tBodies[0];var rows=Array.prototype.slice.call(tb.rows);
        var asc=th.dataset.dir!=='asc';
        Array.prototype.forEach.call(t.querySelectorAll('thead th'),function(o){delete o.dataset.dir;});
        th.dataset.dir=asc?'asc':'desc';
        rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);return (x<y?-1:x>y?1:0)*(asc?1:-1);});
        rows.forEach(function(r){tb.appendChild(r);});
      });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('input.filter'),function(inp){
    var t=document.getElementById(inp.getAttribute('data-table'));
    inp.addEventListener('input',function(){
      var q=inp.value.toLowerCase();
      Array.prototype.forEach.call(t.tBodies[0].rows,function(r){r.style.display=r.cells[0].textContent.toLowerCase().indexOf(q)>=0?'':'none';});
    });
  });
  document.body.dataset.ready='1';
})();
"#;

/// Renders the self-contained page.
pub fn render_html(dumps: &[DumpReports], growth: Option<&GrowthReport>) -> String {
    let mut h = String::with_capacity(256 * 1024);
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

    nav(&mut h, dumps, growth.is_some());
    h.push_str("<main>\n");

    if dumps.is_empty() {
        h.push_str("<p>No dumps.</p>\n");
    }
    if let Some(g) = growth {
        crate::charts::growth_section(&mut h, g);
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
        crate::html_waste::waste_section(&mut h, &p, &d.waste);
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

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn card(h: &mut String, value: &str, label: &str) {
    let _ = write!(
        h,
        "<div class=\"card\"><b>{}</b><span>{}</span></div>",
        escape(value),
        escape(label)
    );
}

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

fn summary_section(h: &mut String, p: &str, d: &DumpReports) {
    let m = &d.leaks.dump;
    let heap = &d.leaks.heap;
    let _ = writeln!(h, "<section id=\"{p}summary\"><h2>Heap summary</h2>");
    let _ = write!(
        h,
        "<dl class=\"kv\"><dt>Dump</dt><dd class=\"mono\">{}</dd><dt>Format</dt><dd>{}, {}-byte ids{}</dd><dt>File</dt><dd>{}{}</dd><dt>Taken</dt><dd>{}</dd></dl>",
        escape(&m.path),
        escape(&m.format),
        m.id_size,
        if m.complete { "" } else { ", <span class=\"bad\">incomplete</span>" },
        escape(&bytes(m.bytes)),
        if m.gzip {
            format!(" (gzip, {} uncompressed)", escape(&bytes(m.uncompressed_bytes)))
        } else {
            String::new()
        },
        escape(&utc(m.timestamp_ms)),
    );
    h.push_str("<div class=\"cards\">");
    card(h, &bytes(heap.reachable_bytes), "reachable heap");
    card(h, &thousands(heap.reachable_objects), "reachable objects");
    card(h, &thousands(heap.objects), "objects in dump");
    card(h, &bytes(heap.shallow_bytes), "all objects (shallow)");
    card(h, &thousands(heap.classes), "classes");
    card(h, &thousands(heap.gc_roots), "GC roots");
    card(h, &bytes(heap.unreachable_bytes), "unreachable (garbage)");
    card(h, &bytes(heap.weakly_reachable_bytes), "weakly reachable");
    card(
        h,
        &thousands(d.leaks.suspects.len() as u64),
        "leak suspects",
    );
    h.push_str("</div>\n");
    warnings(h, &d.leaks.warnings);
    h.push_str("</section>\n");
}

fn series_text(v: &[Option<u64>], f: fn(u64) -> String) -> String {
    v.iter()
        .map(|x| x.map_or("–".to_owned(), f))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The anchor of a suspect's box in the page.
fn suspect_anchor(p: &str, s: &Suspect) -> String {
    format!("{p}suspect-{}", s.rank)
}

fn suspect(h: &mut String, p: &str, s: &Suspect) {
    let _ = write!(
        h,
        "<div class=\"suspect\" id=\"{}\"><h3>",
        suspect_anchor(p, s)
    );
    let _ = write!(
        h,
        "#{} <span class=\"kind\">{} · {} confidence</span> <span class=\"kind\">{}</span><span class=\"holder\">{}</span></h3>",
        s.rank,
        escape(s.verdict.as_str()),
        escape(&kebab(&s.confidence)),
        escape(&kebab(&s.kind)),
        holder(&s.holder)
    );
    let _ = write!(
        h,
        "<div>retains <b>{}</b> ({} of the reachable heap)</div><dl class=\"kv\">",
        escape(&bytes(s.retained_bytes)),
        pct(s.share)
    );
    if !s.holder_via.is_empty() {
        let _ = write!(
            h,
            "<dt>via</dt><dd class=\"mono\">{}</dd>",
            escape(&s.holder_via.join(" "))
        );
    }
    let _ = write!(
        h,
        "<dt>collection</dt><dd class=\"mono\">{} <span class=\"muted\">{}</span></dd>",
        escape(&s.collection_class),
        escape(&s.collection.id)
    );
    if s.entries > 0 || !s.element_class.is_empty() {
        let _ = write!(
            h,
            "<dt>entries</dt><dd class=\"mono\">{}",
            escape(&crate::entries::entries_line(s))
        );
        if s.element_classes.len() > 1 {
            let list: Vec<String> = s
                .element_classes
                .iter()
                .take(5)
                .map(|c| format!("{} {}", escape(&c.class), thousands(c.count)))
                .collect();
            let _ = write!(
                h,
                " <span class=\"muted\">(sample: {})</span>",
                list.join(", ")
            );
        }
        h.push_str("</dd>");
    }
    for (label, text) in crate::entries::facts(s) {
        let _ = write!(
            h,
            "<dt>{label}</dt><dd class=\"mono\">{}</dd>",
            escape(&text)
        );
    }
    if let Some(v) = &s.value_class {
        let _ = write!(h, "<dt>values</dt><dd class=\"mono\">{}</dd>", escape(v));
    }
    if let Some(n) = s.stale_entries {
        let _ = write!(h, "<dt>stale entries</dt><dd>{}</dd>", thousands(n));
    }
    if !s.threads.is_empty() {
        let _ = write!(
            h,
            "<dt>threads</dt><dd>{}</dd>",
            escape(&s.threads.join(", "))
        );
    }
    if let Some(g) = &s.growth {
        let _ = write!(
            h,
            "<dt>growth</dt><dd>{} entries, {} retained <b>{}</b></dd>",
            escape(&series_text(&g.entries, thousands)),
            escape(&series_text(&g.retained_bytes, bytes)),
            escape(g.verdict.as_str())
        );
    }
    if !s.evidence.is_empty() {
        h.push_str("<dt>evidence</dt><dd><ul class=\"evidence\">");
        for e in &s.evidence {
            let _ = write!(
                h,
                "<li>{} <b>{}</b> {}: {}</li>",
                if e.supports == analyzer::leaks::Supports::Leak {
                    "▲"
                } else {
                    "▼"
                },
                escape(&kebab(&e.strength)),
                escape(&kebab(&e.name)),
                escape(&e.detail)
            );
        }
        h.push_str("</ul></dd>");
    }
    if !s.gc_root_path.is_empty() {
        h.push_str("<dt>path</dt><dd><ol class=\"path\">");
        for step in crate::render::root_path_lines(&s.gc_root_path) {
            let _ = write!(h, "<li>{}</li>", escape(&step));
        }
        h.push_str("</ol></dd>");
    }
    let _ = writeln!(
        h,
        "<dt>why</dt><dd>{}</dd></dl></div>",
        escape(&s.explanation)
    );
}

fn suspects_section(h: &mut String, p: &str, r: &LeakReport) {
    let _ = writeln!(h, "<section id=\"{p}suspects\"><h2>Leak suspects</h2>");
    if r.suspects.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"ok\">No leak suspects (threshold {} of the reachable heap).</p>",
            pct(r.threshold)
        );
    }
    for s in &r.suspects {
        suspect(h, p, s);
    }
    if !r.top_retainers.is_empty() {
        let _ = writeln!(h, "<h3>Big retainers that are not suspects</h3><table class=\"sortable\"><thead><tr><th>Object</th><th>Holder</th><th class=\"n\">Retained</th><th class=\"n\">Share</th><th>Why not a leak</th></tr></thead><tbody>");
        for t in &r.top_retainers {
            let _ = writeln!(
                h,
                "<tr><td class=\"c\">{} {}</td><td class=\"c\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td>{}</td></tr>",
                escape(&t.class),
                escape(&t.id),
                t.holder.as_ref().map(holder).unwrap_or_default(),
                t.retained_bytes,
                escape(&bytes(t.retained_bytes)),
                t.share,
                pct(t.share),
                escape(&t.reason)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

// ---------------------------------------------------------------------------------------------
// Treemap of the dominator tree.

#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// Squarified treemap layout (Bruls, Huizing, van Wijk) of `values` (sorted largest first)
/// into `r`; values are scaled to fill `r` in proportion to their sum.
fn squarify(values: &[f64], r: Rect) -> Vec<Rect> {
    let total: f64 = values.iter().sum();
    let mut out = Vec::with_capacity(values.len());
    if total <= 0.0 || r.w <= 0.0 || r.h <= 0.0 {
        return values
            .iter()
            .map(|_| Rect {
                w: 0.0,
                h: 0.0,
                ..r
            })
            .collect();
    }
    let scale = r.w * r.h / total;
    let areas: Vec<f64> = values.iter().map(|v| v * scale).collect();
    let mut free = r;
    let mut i = 0;
    while i < areas.len() {
        let side = free.w.min(free.h);
        // Grow the row while the worst aspect ratio does not get worse.
        let mut j = i + 1;
        let worst = |row: &[f64]| -> f64 {
            let s: f64 = row.iter().sum();
            let (mx, mn) = row
                .iter()
                .fold((0.0f64, f64::MAX), |(a, b), &v| (a.max(v), b.min(v)));
            if s <= 0.0 || mn <= 0.0 {
                return f64::MAX;
            }
            let s2 = s * s;
            let w2 = side * side;
            (w2 * mx / s2).max(s2 / (w2 * mn))
        };
        while j < areas.len() && worst(&areas[i..=j]) <= worst(&areas[i..j]) {
            j += 1;
        }
        let row = &areas[i..j];
        let sum: f64 = row.iter().sum();
        if free.w >= free.h {
            // Column on the left.
            let cw = if free.h > 0.0 { sum / free.h } else { 0.0 };
            let mut y = free.y;
            for a in row {
                let hh = if cw > 0.0 { a / cw } else { 0.0 };
                out.push(Rect {
                    x: free.x,
                    y,
                    w: cw,
                    h: hh,
                });
                y += hh;
            }
            free = Rect {
                x: free.x + cw,
                w: (free.w - cw).max(0.0),
                ..free
            };
        } else {
            // Row on top.
            let rh = if free.w > 0.0 { sum / free.w } else { 0.0 };
            let mut x = free.x;
            for a in row {
                let ww = if rh > 0.0 { a / rh } else { 0.0 };
                out.push(Rect {
                    x,
                    y: free.y,
                    w: ww,
                    h: rh,
                });
                x += ww;
            }
            free = Rect {
                y: free.y + rh,
                h: (free.h - rh).max(0.0),
                ..free
            };
        }
        i = j;
    }
    out
}

const PALETTE: [(u16, u8); 8] = [
    (212, 55),
    (28, 70),
    (145, 45),
    (350, 55),
    (265, 40),
    (48, 75),
    (185, 50),
    (0, 0),
];

fn truncate_label(s: &str, width: f64) -> Option<String> {
    let max = ((width - 6.0) / 6.2).floor();
    if max < 4.0 {
        return None;
    }
    let max = max as usize;
    let n = s.chars().count();
    if n <= max {
        return Some(s.to_owned());
    }
    // Keep the end: the simple class name is the informative part.
    let tail: String = s.chars().skip(n - (max - 1)).collect();
    Some(format!("…{tail}"))
}

fn node_label(n: &DomNode) -> String {
    match &n.via {
        Some(v) if !v.starts_with("gc root") => format!("{} {}", v, n.class),
        _ => n.class.clone(),
    }
}

/// Objects of the treemap that are a suspect's collection or accumulation point: their anchor and
/// rank.
type SuspectLinks = std::collections::HashMap<String, (String, usize)>;

/// What every box of one treemap shares.
struct Treemap<'a> {
    /// The suspects' objects and their anchors.
    links: &'a SuspectLinks,
    /// The reachable heap: the denominator of each box's share.
    total: u64,
}

fn treemap_nodes(
    h: &mut String,
    t: &Treemap,
    nodes: &[&DomNode],
    rest: u64,
    r: Rect,
    depth: usize,
    hue: Option<(u16, u8)>,
) {
    let (links, total) = (t.links, t.total);
    let mut values: Vec<f64> = nodes.iter().map(|n| n.retained_bytes as f64).collect();
    if rest > 0 {
        values.push(rest as f64);
    }
    let rects = squarify(&values, r);
    for (k, rect) in rects.iter().enumerate() {
        if rect.w < 1.0 || rect.h < 1.0 {
            continue;
        }
        let Some(n) = nodes.get(k) else {
            // The part of the parent not in any shown child.
            if depth == 0 {
                let _ = write!(
                    h,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#e9ecf1\" stroke=\"#fff\"><title>other objects: {}</title></rect>",
                    rect.x, rect.y, rect.w, rect.h, escape(&bytes(rest))
                );
                if let Some(l) = truncate_label("other objects", rect.w) {
                    if rect.h > 16.0 {
                        let _ = write!(
                            h,
                            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                            rect.x + 4.0,
                            rect.y + 13.0,
                            escape(&l)
                        );
                    }
                }
            }
            continue;
        };
        let (hue_v, sat) = hue.unwrap_or(PALETTE[k % PALETTE.len()]);
        let light = (88 - 10 * depth as i32).max(50);
        let link = links.get(&n.id);
        if let Some((anchor, _)) = link {
            let _ = write!(h, "<a href=\"#{}\">", escape(anchor));
        }
        let _ = write!(
            h,
            "<g><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"hsl({},{}%,{}%)\" stroke=\"#fff\" stroke-width=\"{}\"><title>{}{}\n{}  retained {} ({}), shallow {}</title></rect>",
            rect.x,
            rect.y,
            rect.w,
            rect.h,
            hue_v,
            sat,
            light,
            if depth == 0 { 2 } else { 1 },
            link.map(|(_, rank)| format!("leak suspect #{rank}: "))
                .unwrap_or_default(),
            escape(&node_label(n)),
            escape(&n.id),
            escape(&bytes(n.retained_bytes)),
            pct(if total > 0 { n.retained_bytes as f64 / total as f64 } else { n.share }),
            escape(&bytes(n.shallow_bytes)),
        );
        let mut header: f64 = 0.0;
        if rect.h > 16.0 {
            // A collapsed class-loader step is labelled with its class; the title has the loader.
            let class = n.class.split(", defined by ").next().unwrap_or(&n.class);
            let mark = link
                .map(|(_, rank)| format!("#{rank} "))
                .unwrap_or_default();
            if let Some(l) = truncate_label(
                &format!("{mark}{class} {}", bytes(n.retained_bytes)),
                rect.w,
            ) {
                let _ = write!(
                    h,
                    "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    rect.x + 4.0,
                    rect.y + 13.0,
                    escape(&l)
                );
                header = 17.0;
            }
        }
        h.push_str("</g>");
        if link.is_some() {
            h.push_str("</a>");
        }
        // Children nested inside, below the label.
        let inner = Rect {
            x: rect.x + 3.0,
            y: rect.y + header.max(3.0),
            w: rect.w - 6.0,
            h: rect.h - header.max(3.0) - 3.0,
        };
        if depth < 3 && !n.children.is_empty() && inner.w > 24.0 && inner.h > 20.0 {
            let kids: Vec<&DomNode> = n.children.iter().collect();
            let shown: u64 = kids.iter().map(|c| c.retained_bytes).sum();
            treemap_nodes(
                h,
                t,
                &kids,
                n.retained_bytes.saturating_sub(shown),
                inner,
                depth + 1,
                Some((hue_v, sat)),
            );
        }
    }
}

fn dominators_section(h: &mut String, p: &str, r: &DominatorReport, leaks: &LeakReport) {
    // The class-loader plumbing is one step here too; the embedded JSON keeps every step.
    let mut collapsed = r.clone();
    crate::render::collapse_loader_plumbing(
        &mut collapsed,
        analyzer::domtree::DominatorOptions::default().depth,
    );
    let r = &collapsed;
    let mut links = SuspectLinks::new();
    for s in &leaks.suspects {
        for id in [&s.accumulation_point.id, &s.collection.id] {
            links.insert(id.clone(), (suspect_anchor(p, s), s.rank));
        }
    }
    let _ = writeln!(
        h,
        "<section id=\"{p}dominators\"><h2>Biggest retainers (dominator tree)</h2>"
    );
    let total = r.heap.reachable_bytes;
    let roots: Vec<&DomNode> = r.tree.iter().collect();
    let shown: u64 = roots.iter().map(|n| n.retained_bytes).sum();
    let _ = writeln!(
        h,
        "<p class=\"muted\">Each box is an object; its area is what it retains, boxes inside it are what it dominates. The whole area is the reachable heap ({}). Hover for details.</p>",
        escape(&bytes(total))
    );
    let (w, hh) = (1200.0, 560.0);
    let _ = write!(
        h,
        "<svg class=\"treemap\" viewBox=\"0 0 {w} {hh}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"Treemap of the biggest retainers; the boxes of leak suspects link to them\">"
    );
    treemap_nodes(
        h,
        &Treemap {
            links: &links,
            total,
        },
        &roots,
        total.saturating_sub(shown),
        Rect {
            x: 0.0,
            y: 0.0,
            w,
            h: hh,
        },
        0,
        None,
    );
    h.push_str("</svg>\n");
    // The same as an indented table.
    h.push_str("<table><thead><tr><th>Object</th><th>Held by</th><th class=\"n\">Retained</th><th class=\"n\">Share</th><th class=\"n\">Shallow</th></tr></thead><tbody>\n");
    fn rows(h: &mut String, n: &DomNode, depth: usize) {
        let _ = writeln!(
            h,
            "<tr><td class=\"c\" style=\"padding-left:{}px\">{} <span class=\"muted\">{}</span></td><td class=\"c\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            8 + 18 * depth,
            escape(&n.class),
            escape(&n.id),
            escape(n.via.as_deref().unwrap_or("")),
            escape(&bytes(n.retained_bytes)),
            pct(n.share),
            escape(&bytes(n.shallow_bytes))
        );
        for c in &n.children {
            rows(h, c, depth + 1);
        }
    }
    for n in &r.tree {
        rows(h, n, 0);
    }
    h.push_str("</tbody></table>\n");
    if r.roots_omitted > 0 {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{} smaller top-level retainers not shown.</p>",
            thousands(r.roots_omitted)
        );
    }
    warnings(h, &r.warnings);
    h.push_str("</section>\n");
}

fn histogram_section(h: &mut String, p: &str, r: &Histogram) {
    let _ = writeln!(h, "<section id=\"{p}histogram\"><h2>Class histogram</h2>");
    let t = &r.totals;
    let _ = writeln!(
        h,
        "<p>{} ({} instances, {} object arrays, {} primitive arrays), {}, {} shallow.</p>",
        plural(t.objects, "object", "objects"),
        thousands(t.instances),
        thousands(t.object_arrays),
        thousands(t.primitive_arrays),
        plural(t.classes, "class", "classes"),
        escape(&bytes(t.shallow_bytes))
    );
    let retained = r.classes.iter().any(|c| c.retained_bytes.is_some());
    let _ = writeln!(
        h,
        "<input class=\"filter\" type=\"search\" placeholder=\"Filter classes\" data-table=\"{p}histogram-table\" aria-label=\"Filter classes\">"
    );
    let _ = writeln!(
        h,
        "<table class=\"sortable\" id=\"{p}histogram-table\"><thead><tr><th>Class</th><th class=\"n\">Instances</th><th class=\"n\">Shallow</th><th class=\"n\">Share</th><th class=\"n\">Loaders</th>{}</tr></thead><tbody>",
        if retained { "<th class=\"n\">Retained</th>" } else { "" }
    );
    for c in &r.classes {
        let share = if t.shallow_bytes > 0 {
            c.shallow_bytes as f64 / t.shallow_bytes as f64
        } else {
            0.0
        };
        let _ = write!(
            h,
            "<tr><td class=\"c\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{share}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td>",
            escape(&c.class),
            c.instances,
            thousands(c.instances),
            c.shallow_bytes,
            escape(&bytes(c.shallow_bytes)),
            pct(share),
            c.loaders,
            c.loaders
        );
        if retained {
            let v = c.retained_bytes.unwrap_or(0);
            let _ = write!(
                h,
                "<td class=\"n\" data-v=\"{v}\">{}</td>",
                escape(&bytes(v))
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    if r.rows_omitted > 0 {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{} smaller classes not shown.</p>",
            thousands(r.rows_omitted as u64)
        );
    }
    h.push_str("</section>\n");
}

fn threadlocals_section(h: &mut String, p: &str, r: &ThreadLocalReport) {
    let _ = writeln!(h, "<section id=\"{p}threadlocals\"><h2>ThreadLocals</h2>");
    let t = &r.totals;
    let _ = writeln!(
        h,
        "<p>{} ({} with ThreadLocal values); {}, {} stale; values retain {}.</p>",
        plural(t.threads, "thread", "threads"),
        thousands(t.threads_with_entries),
        plural(t.entries, "entry", "entries"),
        thousands(t.stale_entries),
        escape(&bytes(t.entries_retained_bytes))
    );
    if !r.groups.is_empty() {
        h.push_str("<table class=\"sortable\"><thead><tr><th>ThreadLocal</th><th class=\"n\">Entries</th><th>Values</th><th class=\"n\">Threads</th><th>Thread names</th><th class=\"n\">Retained</th></tr></thead><tbody>\n");
        for g in &r.groups {
            let name = if g.stale {
                "<span class=\"bad\">stale entries</span>".to_owned()
            } else if let Some(d) = &g.declared_by {
                holder(d)
            } else if let Some(k) = &g.key {
                format!("{} {}", escape(&k.class), escape(&k.id))
            } else {
                "?".to_owned()
            };
            let _ = writeln!(
                h,
                "<tr><td class=\"c\">{name}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"c\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td>{}</td><td class=\"n\" data-v=\"{}\">{}</td></tr>",
                g.entries,
                thousands(g.entries),
                escape(&g.value_class),
                g.threads,
                thousands(g.threads),
                escape(&g.thread_pattern),
                g.entries_retained_bytes,
                escape(&bytes(g.entries_retained_bytes))
            );
        }
        h.push_str("</tbody></table>\n");
    }
    warnings(h, &r.warnings);
    h.push_str("</section>\n");
}

fn classloaders_section(h: &mut String, p: &str, r: &ClassLoaderReport) {
    let _ = writeln!(h, "<section id=\"{p}classloaders\"><h2>Class loaders</h2>");
    let t = &r.totals;
    let _ = writeln!(
        h,
        "<p>{} ({} stale), {} defined ({} by the bootstrap loader), {} defined more than once.</p>",
        plural(t.loaders, "loader", "loaders"),
        thousands(t.stale_loaders),
        plural(t.classes, "class", "classes"),
        thousands(t.bootstrap_classes),
        plural(t.duplicate_class_names, "class name", "class names")
    );
    if !r.loaders.is_empty() {
        h.push_str("<table class=\"sortable\"><thead><tr><th>Loader</th><th class=\"n\">Classes</th><th class=\"n\">Live instances</th><th class=\"n\">Retained</th><th>State</th><th>Kept alive by</th></tr></thead><tbody>\n");
        for l in &r.loaders {
            let kept = match &l.holder {
                Some(hd) => format!("field {}", holder(hd)),
                None => escape(&l.kept_alive_by.join(", ")),
            };
            let _ = writeln!(
                h,
                "<tr><td class=\"c loader\">{}{} <span class=\"muted\">{}</span></td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td>{}</td><td class=\"c loader\">{}</td></tr>",
                escape(&l.class),
                l.name.as_ref().map(|n| format!(" &quot;{}&quot;", escape(n))).unwrap_or_default(),
                escape(&l.id),
                l.classes,
                thousands(l.classes),
                l.live_instances,
                thousands(l.live_instances),
                l.retained_bytes,
                escape(&bytes(l.retained_bytes)),
                if l.stale { "<span class=\"bad\">stale</span>" } else { "live" },
                kept
            );
        }
        h.push_str("</tbody></table>\n");
    }
    if !r.duplicate_classes.is_empty() {
        h.push_str("<h3>Classes defined by more than one loader</h3><table class=\"sortable\"><thead><tr><th>Class</th><th class=\"n\">Copies</th><th class=\"n\">Stale copies</th></tr></thead><tbody>\n");
        for d in &r.duplicate_classes {
            let _ = writeln!(
                h,
                "<tr><td class=\"c\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td></tr>",
                escape(&d.class),
                d.copies,
                thousands(d.copies),
                d.stale_copies,
                thousands(d.stale_copies)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    warnings(h, &r.warnings);
    h.push_str("</section>\n");
}

fn resources_section(h: &mut String, p: &str, r: &ResourceReport) {
    let _ = writeln!(h, "<section id=\"{p}resources\"><h2>Open resources</h2>");
    let t = &r.totals;
    let _ = writeln!(
        h,
        "<p>{} open: {} files, {} sockets, {} server sockets, {} datagram sockets, {} pooled connections borrowed; {} closed, {} standard streams.</p>",
        thousands(t.open),
        thousands(t.files),
        thousands(t.sockets),
        thousands(t.server_sockets),
        thousands(t.datagrams),
        thousands(t.pooled_borrowed),
        thousands(t.closed),
        thousands(t.standard_streams)
    );
    if !r.groups.is_empty() {
        h.push_str("<table class=\"sortable\"><thead><tr><th>Held by</th><th>Kind</th><th>Class</th><th class=\"n\">Open</th><th class=\"n\">Total</th><th class=\"n\">Retained</th><th>Example</th></tr></thead><tbody>\n");
        for g in &r.groups {
            let _ = writeln!(
                h,
                "<tr><td class=\"c\">{}</td><td>{}</td><td class=\"c\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"c\">{}</td></tr>",
                g.holder.as_ref().map(holder).unwrap_or_else(|| "<span class=\"muted\">no application field</span>".into()),
                escape(&kebab(&g.kind)),
                escape(&g.class),
                g.open,
                thousands(g.open),
                g.total,
                thousands(g.total),
                g.retained_bytes,
                escape(&bytes(g.retained_bytes)),
                escape(&g.example)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    warnings(h, &r.warnings);
    h.push_str("</section>\n");
}

/// Milliseconds since the epoch as `2026-11-24 14:15:16 UTC` (0: unknown).
pub(crate) fn utc(ms: u64) -> String {
    if ms == 0 {
        return "unknown".into();
    }
    crate::fmt::utc(ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::OnceLock;

    fn sample_path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/sample/service-audit.hprof.gz")
    }

    fn reports_of(path: &std::path::Path) -> (DumpReports, analyzer::growth::DumpSummary) {
        let a =
            analyzer::analysis::Analysis::load(path, &Default::default(), &analyzer::NoProgress)
                .expect("load the sample dump");
        let r = DumpReports {
            leaks: analyzer::leaks::leak_report(&a, &Default::default(), None),
            dominators: analyzer::domtree::dominator_report(&a, &dominator_options()),
            histogram: analyzer::histogram::histogram(
                &a.heap,
                &analyzer::histogram::HistogramOptions {
                    top: Some(30),
                    ..Default::default()
                },
            ),
            threadlocals: analyzer::threadlocals::threadlocal_report(&a, &Default::default()),
            classloaders: analyzer::classloaders::classloader_report(&a, &Default::default()),
            resources: analyzer::resources::resource_report(&a, &Default::default()),
            waste: analyzer::waste::waste_report(&a, &Default::default(), &analyzer::NoProgress),
        };
        (r, analyzer::growth::summarize(&a))
    }

    fn sample() -> &'static (DumpReports, analyzer::growth::DumpSummary) {
        static S: OnceLock<(DumpReports, analyzer::growth::DumpSummary)> = OnceLock::new();
        S.get_or_init(|| reports_of(&sample_path()))
    }

    #[test]
    fn page_shows_the_top_suspect_and_every_section() {
        let page = render_html(std::slice::from_ref(&sample().0), None);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.trim_end().ends_with("</html>"));
        assert!(
            page.contains("testdata.SvcLeakAudit$AuditTrail.RECORDS (static)"),
            "top suspect missing"
        );
        for id in [
            "summary",
            "suspects",
            "dominators",
            "histogram",
            "threadlocals",
            "classloaders",
            "resources",
            "waste",
        ] {
            assert!(
                page.contains(&format!("id=\"d0-{id}\"")),
                "section {id} missing"
            );
        }
        assert!(page.contains("<svg class=\"treemap\""));
        assert!(page.contains("<rect "));
        assert!(page.contains("testdata.SvcLeakAudit$AuditRecord"));
        assert_eq!(page.matches("id=\"data\"").count(), 1);
    }

    /// The treemap scales with the window (a viewBox and width 100%, no fixed pixel width), the
    /// boxes of a suspect's collection link to the suspect, the class-loader plumbing is one
    /// box (the embedded JSON keeps every step), and class-loader names may wrap anywhere.
    #[test]
    fn treemap_scales_links_suspects_and_collapses_the_loader_plumbing() {
        let page = render_html(std::slice::from_ref(&sample().0), None);
        let start = page.find("<svg class=\"treemap\"").expect("treemap");
        let tag = &page[start..start + page[start..].find('>').unwrap()];
        assert!(tag.contains(" viewBox=\"0 0 "), "{tag}");
        assert!(tag.contains(" width=\"100%\""), "{tag}");
        assert!(!tag.contains(" height="), "{tag}");
        assert_eq!(tag.matches(" width=").count(), 1, "{tag}");
        let svg = &page[start..start + page[start..].find("</svg>").unwrap()];
        let s = &sample().0.leaks.suspects[0];
        assert!(page.contains(&format!(
            "<div class=\"suspect\" id=\"d0-suspect-{}\">",
            s.rank
        )));
        assert!(
            svg.contains(&format!("<a href=\"#d0-suspect-{}\"><g><rect", s.rank)),
            "no treemap box links to suspect #{}",
            s.rank
        );
        assert!(svg.contains("leak suspect #1: .RECORDS (static) java.util.ArrayList"));
        assert!(
            svg.contains("testdata.SvcLeakAudit$AuditTrail, defined by the system class loader"),
            "the treemap does not collapse the loader plumbing"
        );
        assert!(!svg.contains(".classes java.util.ArrayList"));
        let table = &page[start..page.find("id=\"d0-histogram\"").unwrap()];
        assert!(table.contains("gc root: jni_global (its loader)"));
        assert!(!table.contains("<td class=\"c\">.classes</td>"));
        // The embedded JSON keeps the plumbing.
        let data = &page[page.find("id=\"data\"").unwrap()..];
        assert!(data.contains("\".classes\""));
        assert!(page.contains("td.loader{overflow-wrap:anywhere"));
        assert!(page.contains("<td class=\"c loader\">"));
    }

    #[test]
    fn page_loads_nothing_from_outside() {
        let page = render_html(std::slice::from_ref(&sample().0), None);
        let lower = page.to_ascii_lowercase();
        for bad in [
            "http://",
            "https://",
            "src=",
            "href=\"//",
            "@import",
            "url(",
            "<link",
            "<iframe",
            "<img",
        ] {
            assert!(!lower.contains(bad), "page contains {bad:?}");
        }
        // Every link is to an anchor of the page.
        for part in lower.split("href=\"").skip(1) {
            assert!(
                part.starts_with('#'),
                "non-local link: {}",
                &part[..part.len().min(40)]
            );
        }
        assert!(page.contains("Content-Security-Policy"));
    }

    #[test]
    fn strings_are_escaped() {
        let mut d = sample().0.clone();
        let evil = "Evil<script>alert(1)</script>&\"'$";
        d.leaks.suspects[0].holder.class = evil.into();
        d.leaks.suspects[0].explanation = "</script><b>x</b>".into();
        d.histogram.classes[0].class = evil.into();
        d.dominators.tree[0].class = evil.into();
        d.leaks.dump.path = "/tmp/a<b>&c.hprof".into();
        let w = &mut d.waste;
        w.duplicate_strings[0]
            .holder
            .as_mut()
            .expect("a holder")
            .class = evil.into();
        w.collections[0].class = evil.into();
        let page = render_html(&[d], None);
        let waste = &page[page.find("id=\"d0-waste\"").unwrap()..page.find("id=\"data\"").unwrap()];
        assert!(waste.contains("Evil&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;$"));
        assert!(!page.contains("<script>alert"), "unescaped class name");
        assert!(!page.contains("<b>x</b>"));
        assert!(!page.contains("a<b>&c"));
        assert!(page.contains("Evil&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;$"));
        // The JSON block holds the names with `<` escaped, and is still valid JSON.
        let start = page.find("id=\"data\">").unwrap() + "id=\"data\">".len();
        let end = start + page[start..].find("</script>").unwrap();
        let json = &page[start..end];
        assert!(!json.contains('<'));
        let v: serde_json::Value = serde_json::from_str(json).expect("embedded JSON parses");
        assert_eq!(
            v["dumps"][0]["leaks"]["suspects"][0]["holder"]["class"],
            serde_json::Value::String(evil.into())
        );
        // Only the page's own three script elements.
        assert_eq!(page.matches("<script").count(), 3);
    }

    #[test]
    fn escape_escapes_the_five_characters() {
        assert_eq!(escape(r#"a<b>&"'c"#), "a&lt;b&gt;&amp;&quot;&#39;c");
        assert_eq!(
            escape("java.util.HashMap$Node[]"),
            "java.util.HashMap$Node[]"
        );
    }

    #[test]
    fn growth_charts_for_growing_holders() {
        let s = &sample().1;
        let mut g = analyzer::growth::growth_report(vec![s.clone(), s.clone(), s.clone()], &[]);
        let mut h = g.holders[0].clone();
        h.holder.class = "app.Cache<K>".into();
        h.entries = vec![Some(100), None, Some(400)];
        h.retained_bytes = vec![Some(1_000), Some(2_000), Some(4_000)];
        h.verdict = analyzer::growth::Verdict::Growing;
        g.holders.insert(0, h);
        let page = render_html(std::slice::from_ref(&sample().0), Some(&g));
        assert!(page.contains("id=\"growth\""));
        assert!(page.contains("app.Cache&lt;K&gt;"));
        assert!(page.contains("<polyline"));
        assert!(!page.contains("app.Cache<K>\""));
    }

    #[test]
    fn squarify_fills_the_rectangle() {
        let r = Rect {
            x: 0.0,
            y: 0.0,
            w: 300.0,
            h: 200.0,
        };
        let rects = squarify(&[50.0, 25.0, 12.5, 12.5], r);
        assert_eq!(rects.len(), 4);
        let area: f64 = rects.iter().map(|q| q.w * q.h).sum();
        assert!((area - 60_000.0).abs() < 1e-6);
        assert!((rects[0].w * rects[0].h - 30_000.0).abs() < 1e-6);
        for q in &rects {
            assert!(
                q.x >= 0.0 && q.y >= 0.0 && q.x + q.w <= 300.0 + 1e-9 && q.y + q.h <= 200.0 + 1e-9
            );
        }
    }
}
