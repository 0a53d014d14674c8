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

    fn detail(&self, line: &str) {
        if self.verbose {
            eprintln!("[detail] {line}; RSS peak {}", peak_rss());
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
        release_free_memory();
        if let Ok(p) = self.phase.lock() {
            self.note(&p.0, p.1);
        }
    }
}

/// Hands memory freed by the phase that just ended back to the system. A parallel pass keeps
/// one buffer per heap piece in the allocator's per-thread arenas; glibc keeps such freed
/// memory resident unless asked, and the next phases are the ones that need the room.
pub(crate) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The process's peak resident memory, and the current anonymous and file-backed parts,
/// from /proc/self/status (Linux), as text.
pub fn peak_rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map(|kb| crate::fmt::bytes(kb * 1024))
            .unwrap_or_else(|| "?".into())
    };
    format!(
        "{} (now anon {}, file {})",
        field("VmHWM:"),
        field("RssAnon:"),
        field("RssFile:")
    )
}
