//! `hprofscan leaks`: the leak report of the last dump, judged against the growth of the
//! earlier ones when a series is given (of those, only summaries are kept).

use std::path::PathBuf;
use std::time::Instant;

use analyzer::dom::analysis::Analysis;
use analyzer::leaks::Series;
use analyzer::report::growth::DumpSummary;

use crate::args::FailOn;
use crate::exit::{self, Failure};
use crate::render;

use super::Ctx;

/// The growth of a series whose last dump is `a`; None for one dump.
pub(crate) fn series_of(mut summaries: Vec<DumpSummary>, a: &Analysis) -> Option<Series> {
    (!summaries.is_empty()).then(|| {
        let last_summary = analyzer::report::growth::summarize(a);
        summaries.push(last_summary.clone());
        let order: Vec<String> = summaries.iter().map(|s| s.meta.path.clone()).collect();
        Series {
            growth: analyzer::report::growth::growth_report(summaries, &order),
            last: last_summary,
        }
    })
}

/// Runs `leaks` on one dump or a series (oldest first).
pub(crate) fn run(
    ctx: &Ctx<'_>,
    dumps: &[PathBuf],
    threshold: f64,
    fail_on_leak: Option<FailOn>,
) -> Result<u8, Failure> {
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(Failure::Usage(
            "--threshold must be above 0 and at most 1".into(),
        ));
    }
    // Earlier dumps of a series: only their summaries are kept.
    let Some((last, earlier)) = dumps.split_last() else {
        return Err(Failure::Usage("give a dump".into()));
    };
    let opts = crate::config::load_options(ctx.common);
    let mut summaries = Vec::new();
    for d in earlier {
        summaries.push(analyzer::report::growth::summarize_file(
            d,
            &opts,
            &ctx.reporter,
        )?);
        analyzer::Progress::finish(&ctx.reporter);
    }
    let a = ctx.analysis(last)?;
    let t = Instant::now();
    let leak_opts = analyzer::leaks::LeakOptions {
        threshold,
        ..Default::default()
    };
    let series = series_of(summaries, &a);
    let runtime = analyzer::report::runtime::RuntimeReports::build(&a);
    let mut report =
        analyzer::leaks::leak_report_with(&a, &leak_opts, series.as_ref(), &runtime, &ctx.reporter);
    if let Some(s) = &series {
        report.warnings.extend(s.growth.warnings.iter().cloned());
        analyzer::dom::analysis::merge_shared_archive(&mut report.warnings);
    }
    ctx.reporter.note("leaks", t);
    ctx.emit(&report, render::leaks)?;
    super::keep_until_exit(a);
    if let Some(gate) = fail_on_leak {
        if report.suspects.iter().any(|s| gate.fails(s.verdict)) {
            return Ok(exit::LEAK_FOUND);
        }
    }
    Ok(0)
}
