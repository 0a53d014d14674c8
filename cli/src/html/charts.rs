//! The growth section of the HTML report: the dumps of a series and a chart per growing holder,
//! drawn as inline SVG on a time axis (the dumps' own timestamps, labelled with the time since
//! the first dump), so that uneven gaps between dumps show as such.

use std::fmt::Write as _;

use analyzer::base::text::{bytes, thousands};
use analyzer::report::growth::{GrowthReport, HolderGrowth};

use super::common::{escape, holder, utc, warnings};

/// Width and height of one chart, and its left, right, top and bottom margins.
const W: f64 = 260.0;
const H: f64 = 150.0;
const MARGIN: (f64, f64, f64, f64) = (62.0, 14.0, 18.0, 22.0);
/// Closest two x-axis labels may be, in pixels (a label is about 40 px wide).
const LABEL_GAP: f64 = 44.0;

/// The x axis shared by the charts of a series.
pub(crate) struct TimeAxis {
    /// Position of each dump (milliseconds since the first, or the dump's index).
    pub(crate) xs: Vec<f64>,
    /// Label of each dump under the axis ("0", "+2 s", "+1.5 h"; "#1" without timestamps).
    pub(crate) labels: Vec<String>,
    /// What each point is, for its tooltip ("dump 2, 2026-11-30 04:13:13 UTC").
    pub(crate) points: Vec<String>,
}

impl TimeAxis {
    /// The dumps placed by their timestamps when those differ, else by their order.
    pub(crate) fn of(g: &GrowthReport) -> TimeAxis {
        let t0 = g.dumps.first().map_or(0, |d| d.timestamp_ms);
        let by_time = g.elapsed_ms() > 0 && g.dumps.iter().all(|d| d.timestamp_ms > 0);
        let mut axis = TimeAxis {
            xs: Vec::new(),
            labels: Vec::new(),
            points: Vec::new(),
        };
        for (i, d) in g.dumps.iter().enumerate() {
            let dt = d.timestamp_ms.saturating_sub(t0);
            axis.xs.push(if by_time { dt as f64 } else { i as f64 });
            axis.labels.push(if by_time {
                elapsed(dt)
            } else {
                format!("#{}", i + 1)
            });
            axis.points
                .push(format!("dump {}, {}", i + 1, utc(d.timestamp_ms)));
        }
        axis
    }
}

/// Time since the first dump, short: `0`, `+1.2 s`, `+45 s`, `+12 min`, `+1.5 h`, `+3.2 d`.
pub(crate) fn elapsed(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        _ if ms == 0 => "0".into(),
        0..=9 => format!("+{:.1} s", ms as f64 / 1000.0),
        10..=119 => format!("+{s} s"),
        120..=7_199 => format!("+{} min", s / 60),
        7_200..=172_799 => format!("+{:.1} h", s as f64 / 3600.0),
        _ => format!("+{:.1} d", s as f64 / 86_400.0),
    }
}

/// Which labels to draw at positions `px` (ascending): the first and the last always, the ones
/// between when at least [`LABEL_GAP`] from the last drawn and from the last one.
fn shown_labels(px: &[f64]) -> Vec<bool> {
    let n = px.len();
    let mut shown = vec![false; n];
    let mut last = f64::MIN;
    for i in 0..n {
        let end = i + 1 == n;
        let fits = px[i] - last >= LABEL_GAP && (end || px[n - 1] - px[i] >= LABEL_GAP);
        if i == 0 || end || fits {
            shown[i] = true;
            last = px[i];
        }
    }
    shown
}

/// One line chart of a series (None: the holder was not in that dump) as inline SVG.
fn line_chart(
    h: &mut String,
    axis: &TimeAxis,
    ys: &[Option<u64>],
    label: &str,
    fmt: fn(u64) -> String,
    color: &str,
) {
    let (l, r, t, b) = MARGIN;
    let max = ys.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let xs = &axis.xs;
    let x0 = xs.iter().copied().fold(f64::MAX, f64::min);
    let x1 = xs.iter().copied().fold(f64::MIN, f64::max);
    let span = if x1 > x0 { x1 - x0 } else { 1.0 };
    let px = |x: f64| l + (x - x0) / span * (W - l - r);
    let py = |y: u64| t + (1.0 - y as f64 / max) * (H - t - b);
    let _ = write!(
        h,
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"{}\">",
        escape(label)
    );
    let _ = write!(
        h,
        "<text x=\"{l}\" y=\"12\" style=\"fill:#1d2430;font-weight:600\">{}</text>",
        escape(label)
    );
    // Axes and gridlines: 0 and max.
    let _ = write!(
        h,
        "<line x1=\"{l}\" y1=\"{t}\" x2=\"{}\" y2=\"{t}\" stroke=\"#eef0f4\"/><line x1=\"{l}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#aab2bf\"/><line x1=\"{l}\" y1=\"{t}\" x2=\"{l}\" y2=\"{}\" stroke=\"#aab2bf\"/>",
        W - r,
        H - b,
        W - r,
        H - b,
        H - b
    );
    let _ = write!(
        h,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        l - 4.0,
        t + 4.0,
        escape(&fmt(max as u64)),
        l - 4.0,
        H - b + 4.0
    );
    let pxs: Vec<f64> = xs.iter().map(|&x| px(x)).collect();
    for (i, show) in shown_labels(&pxs).into_iter().enumerate() {
        if show {
            let anchor = match i {
                0 => "start",
                _ if i + 1 == pxs.len() => "end",
                _ => "middle",
            };
            let _ = write!(
                h,
                "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                pxs[i],
                H - 6.0,
                escape(&axis.labels[i])
            );
        }
    }
    polylines(h, &pxs, ys, &py, color);
    for (i, y) in ys.iter().enumerate() {
        if let (Some(v), Some(x)) = (y, pxs.get(i)) {
            let _ = write!(
                h,
                "<circle cx=\"{x:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{color}\"><title>{} ({}): {}</title></circle>",
                py(*v),
                escape(&axis.points[i]),
                escape(&axis.labels[i]),
                escape(&fmt(*v))
            );
        }
    }
    h.push_str("</svg>");
}

/// Polylines over the runs of present points.
fn polylines(
    h: &mut String,
    pxs: &[f64],
    ys: &[Option<u64>],
    py: &dyn Fn(u64) -> f64,
    color: &str,
) {
    let mut run: Vec<String> = Vec::new();
    let flush = |h: &mut String, run: &mut Vec<String>| {
        if run.len() > 1 {
            let _ = write!(
                h,
                "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{}\"/>",
                run.join(" ")
            );
        }
        run.clear();
    };
    for (x, y) in pxs.iter().zip(ys) {
        match y {
            Some(v) => run.push(format!("{x:.1},{:.1}", py(*v))),
            None => flush(h, &mut run),
        }
    }
    flush(h, &mut run);
}

fn holder_chart(h: &mut String, g: &HolderGrowth, axis: &TimeAxis) {
    let _ = write!(
        h,
        "<div class=\"chartbox\"><h3>{} <span class=\"kind\">{}</span></h3><div class=\"muted mono\">{} of {}{}</div><div style=\"display:flex;flex-wrap:wrap\">",
        holder(&g.holder),
        escape(g.verdict.as_str()),
        escape(&g.collection_class),
        escape(&g.element_class),
        g.bytes_per_hour
            .map(|b| format!(", {} per hour", escape(&bytes(b.max(0.0) as u64))))
            .unwrap_or_default()
    );
    line_chart(h, axis, &g.retained_bytes, "retained", bytes, "#b42318");
    line_chart(h, axis, &g.entries, "entries", thousands, "#1f5fbf");
    h.push_str("</div></div>\n");
}

/// The growth section: the dumps with their times, a chart per growing holder, the classes
/// that grew most.
pub(crate) fn growth_section(h: &mut String, g: &GrowthReport) {
    h.push_str("<section id=\"growth\"><h2>Growth across the dumps</h2>\n");
    h.push_str("<table><thead><tr><th class=\"n\">#</th><th>Dump</th><th>Taken</th><th class=\"n\">Objects</th><th class=\"n\">Reachable</th></tr></thead><tbody>\n");
    for (i, d) in g.dumps.iter().enumerate() {
        let _ = writeln!(
            h,
            "<tr><td class=\"n\">{}</td><td class=\"c\">{}{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            i + 1,
            escape(&d.path),
            if d.complete { "" } else { " <span class=\"bad\">incomplete</span>" },
            escape(&utc(d.timestamp_ms)),
            thousands(d.objects),
            escape(&bytes(d.reachable_bytes))
        );
    }
    h.push_str("</tbody></table>\n");
    let axis = TimeAxis::of(g);
    let by_time = g.elapsed_ms() > 0;
    let growing: Vec<&HolderGrowth> = g.growing().take(12).collect();
    if growing.is_empty() {
        h.push_str("<p class=\"ok\">No holder grew across the dumps.</p>\n");
    } else {
        let _ = writeln!(
            h,
            "<h3>Growing holders</h3><p class=\"muted\">{}</p><div class=\"charts\">",
            if by_time {
                format!(
                    "The x axis is the time since the first dump, taken {}; the points are the dumps.",
                    escape(&utc(g.dumps.first().map_or(0, |d| d.timestamp_ms)))
                )
            } else {
                "The dumps carry no distinct times: the points are the dumps in the order given (#1 is the first).".to_string()
            }
        );
        for hg in &growing {
            holder_chart(h, hg, &axis);
        }
        h.push_str("</div>\n");
    }
    if !g.classes.is_empty() {
        h.push_str("<h3>Classes that grew most</h3><table class=\"sortable\"><thead><tr><th>Class</th><th>Instances</th><th>Shallow bytes</th><th>Verdict</th></tr></thead><tbody>\n");
        for c in g.classes.iter().take(20) {
            let _ = writeln!(
                h,
                "<tr><td class=\"c\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&c.class),
                escape(
                    &c.instances
                        .iter()
                        .map(|&n| thousands(n))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
                escape(
                    &c.shallow_bytes
                        .iter()
                        .map(|&n| bytes(n))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
                escape(c.verdict.as_str())
            );
        }
        h.push_str("</tbody></table>\n");
    }
    warnings(h, &g.warnings);
    h.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_times_are_short() {
        assert_eq!(elapsed(0), "0");
        assert_eq!(elapsed(1_100), "+1.1 s");
        assert_eq!(elapsed(45_000), "+45 s");
        assert_eq!(elapsed(12 * 60_000), "+12 min");
        assert_eq!(elapsed(90 * 60_000 + 7_200_000), "+3.5 h");
        assert_eq!(elapsed(3 * 86_400_000), "+3.0 d");
    }

    #[test]
    fn labels_that_would_overlap_are_left_out_but_not_the_ends() {
        assert_eq!(shown_labels(&[62.0, 153.0, 246.0]), vec![true, true, true]);
        assert_eq!(
            shown_labels(&[62.0, 64.0, 70.0, 240.0, 246.0]),
            vec![true, false, false, false, true]
        );
        assert_eq!(shown_labels(&[62.0]), vec![true]);
    }
}
