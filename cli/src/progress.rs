//! The progress bar on standard error (indicatif), and per-phase timings for `--verbose`.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Instant;

use analyzer::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::ProgressMode;

/// Shows a bar per phase when enabled, and with `verbose` prints each phase's wall time and
/// the process's peak memory when it ends.
pub struct Reporter {
    bar: Option<ProgressBar>,
    verbose: bool,
    phase: Mutex<(String, Instant)>,
}

impl Reporter {
    /// A reporter for the given mode.
    pub fn new(mode: ProgressMode, verbose: bool) -> Reporter {
        let show = match mode {
            ProgressMode::Always => true,
            ProgressMode::Never => false,
            ProgressMode::Auto => std::io::stderr().is_terminal(),
        };
        let bar = show.then(|| {
            let b = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template(
                    "{msg:>10} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} {elapsed}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b
        });
        Reporter {
            bar,
            verbose,
            phase: Mutex::new((String::new(), Instant::now())),
        }
    }

    /// Prints a phase that did not go through the progress interface (verbose only).
    pub fn note(&self, phase: &str, since: Instant) {
        if self.verbose {
            eprintln!(
                "[phase] {phase:<12} {:>8.3} s   peak RSS {}",
                since.elapsed().as_secs_f64(),
                peak_rss()
            );
        }
    }
}

impl Progress for Reporter {
    fn start(&self, phase: &str, total: u64) {
        if let Ok(mut p) = self.phase.lock() {
            *p = (phase.to_string(), Instant::now());
        }
        if let Some(b) = &self.bar {
            b.reset();
            b.set_length(total);
            b.set_position(0);
            b.set_message(phase.to_string());
        }
    }

    fn advance(&self, bytes: u64) {
        if let Some(b) = &self.bar {
            b.inc(bytes);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        if let Ok(p) = self.phase.lock() {
            self.note(&p.0, p.1);
        }
    }
}

/// The process's peak resident memory, from /proc/self/status (Linux), as text.
pub fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| crate::fmt::bytes(kb * 1024))
        .unwrap_or_else(|| "?".into())
}
