//! `hprofscan report`: every report of each dump (one loaded at a time), the last dump's
//! suspects judged against the series, drawn as one HTML page.

use std::io::Write;
use std::path::PathBuf;

use analyzer::dom::analysis::Analysis;
use analyzer::leaks::Series;
use analyzer::report::histogram::{HistogramOptions, SortBy};

use crate::exit::Failure;
use crate::html;

use super::Ctx;

/// The reports of one analysed dump that the page shows.
fn dump_reports(ctx: &Ctx<'_>, a: &Analysis, series: Option<&Series>) -> html::DumpReports {
    let histogram = HistogramOptions {
        top: Some(30),
        sort: SortBy::Shallow,
    };
    // The ThreadLocal, class-loader and resource reports: built once, read by `leaks` and shown.
    let runtime = analyzer::report::runtime::RuntimeReports::build(a);
    html::DumpReports {
        leaks: analyzer::leaks::leak_report_with(
            a,
            &Default::default(),
            series,
            &runtime,
            &ctx.reporter,
        ),
        dominators: analyzer::report::domtree::dominator_report(a, &html::dominator_options()),
        histogram: analyzer::report::histogram::histogram(&a.heap, &histogram),
        threadlocals: runtime.threadlocals,
        classloaders: runtime.classloaders,
        resources: runtime.resources,
        waste: analyzer::report::waste::waste_report(a, &Default::default(), &ctx.reporter),
    }
}

/// Runs `report` on the dumps (oldest first) and writes the page.
pub(crate) fn run(ctx: &Ctx<'_>, dumps: &[PathBuf]) -> Result<u8, Failure> {
    let mut pages = Vec::with_capacity(dumps.len());
    let mut summaries = Vec::new();
    let mut growth = None;
    for (i, d) in dumps.iter().enumerate() {
        let a = ctx.analysis(d)?;
        let mut series = None;
        if dumps.len() > 1 {
            // The last dump's suspects are judged against the series.
            if i + 1 == dumps.len() {
                series = super::leaks::series_of(std::mem::take(&mut summaries), &a);
                growth = series.as_ref().map(|s| s.growth.clone());
            } else {
                summaries.push(analyzer::report::growth::summarize(&a));
            }
        }
        pages.push(dump_reports(ctx, &a, series.as_ref()));
        drop(a);
        analyzer::Progress::finish(&ctx.reporter);
    }
    let page = html::render_html(&pages, growth.as_ref());
    let mut out = ctx.output.writer()?;
    out.write_all(page.as_bytes())?;
    out.flush()?;
    Ok(0)
}
