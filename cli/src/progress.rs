//! The progress bar on standard error (indicatif), and per-phase timings for `--verbose`.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Instant;

use analyzer::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::ProgressMode;

/// How progress is shown.
enum Display {
    /// Nothing.
    Off,
    /// A bar redrawn in place (standard error is a terminal), made anew for each phase.
    Bar(Mutex<Option<ProgressBar>>),
    /// Plain lines, one at a phase's start, at a tenth of a phase (bytes, or the objects or
    /// references it counts) reached a second or more after the last line, and at its end
    /// (`--progress always` into a pipe or a file).
    Lines(Mutex<LineState>),
}

/// What the plain-line display knows about the phase in progress.
#[derive(Default)]
struct LineState {
    total: u64,
    /// What the phase counts ("objects"), empty for bytes.
    unit: String,
    done: u64,
    /// Tenths of `total` already reached.
    tenths: u64,
    /// When the last line was printed (a tenth is printed a second after it at the earliest).
    printed: Option<Instant>,
}

/// Shows a bar per phase when enabled (plain lines when standard error is not a terminal and
/// progress is forced), and with `verbose` prints each phase's wall time and the process's
/// peak memory when it ends.
pub(crate) struct Reporter {
    display: Display,
    verbose: bool,
    phase: Mutex<(String, Instant)>,
}

/// The bar of a phase that reads bytes.
fn byte_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{msg:>12} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} {elapsed}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ")
}

/// The bar of a phase that counts things: done and total, then what they are.
fn counted_style() -> ProgressStyle {
    ProgressStyle::with_template("{msg:>12} [{bar:30}] {human_pos}/{human_len} {prefix} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// The spinner of a phase that reports nothing as it goes: its name and what it works on.
fn count_style() -> ProgressStyle {
    ProgressStyle::with_template("{msg:>12} {spinner} {prefix} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl Reporter {
    /// A reporter for the given mode.
    pub(crate) fn new(mode: ProgressMode, verbose: bool) -> Reporter {
        let terminal = std::io::stderr().is_terminal();
        let display = match mode {
            ProgressMode::Never => Display::Off,
            ProgressMode::Auto if !terminal => Display::Off,
            ProgressMode::Always if !terminal => Display::Lines(Mutex::default()),
            ProgressMode::Auto | ProgressMode::Always => Display::Bar(Mutex::new(None)),
        };
        Reporter {
            display,
            verbose,
            phase: Mutex::new((String::new(), Instant::now())),
        }
    }

    /// Prints a phase that did not go through the progress interface (verbose only).
    pub(crate) fn note(&self, phase: &str, since: Instant) {
        if self.verbose {
            eprintln!(
                "[phase] {phase:<12} {:>8.3} s   peak RSS {}",
                since.elapsed().as_secs_f64(),
                peak_rss()
            );
        }
    }

    fn begin(&self, phase: &str) {
        if let Ok(mut p) = self.phase.lock() {
            *p = (phase.to_string(), Instant::now());
        }
    }

    fn phase_name(&self) -> String {
        self.phase.lock().map(|p| p.0.clone()).unwrap_or_default()
    }
}

impl Progress for Reporter {
    fn start(&self, phase: &str, total: u64) {
        if total == 0 {
            // Nothing to count in bytes: no "0 B/0 B".
            return self.start_count(phase, 0, "");
        }
        self.begin(phase);
        match &self.display {
            Display::Off => {}
            Display::Bar(slot) => {
                let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
                    .with_style(byte_style())
                    .with_message(phase.to_string());
                replace_bar(slot, b);
            }
            Display::Lines(state) => {
                if let Ok(mut s) = state.lock() {
                    *s = LineState {
                        total,
                        printed: Some(Instant::now()),
                        ..LineState::default()
                    };
                }
                eprintln!("[progress] {phase}: {}", crate::fmt::bytes(total));
            }
        }
    }

    fn start_count(&self, phase: &str, count: u64, unit: &str) {
        self.begin(phase);
        let counted = count > 0 && !unit.is_empty();
        let what = if unit.is_empty() {
            String::new()
        } else {
            format!("{} {unit}", crate::fmt::thousands(count))
        };
        match &self.display {
            Display::Off => {}
            Display::Bar(slot) if counted => {
                let b = ProgressBar::with_draw_target(Some(count), ProgressDrawTarget::stderr())
                    .with_style(counted_style())
                    .with_prefix(unit.to_string())
                    .with_message(phase.to_string());
                b.enable_steady_tick(std::time::Duration::from_millis(200));
                replace_bar(slot, b);
            }
            Display::Bar(slot) => {
                let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                    .with_style(count_style())
                    .with_prefix(what)
                    .with_message(phase.to_string());
                b.enable_steady_tick(std::time::Duration::from_millis(200));
                replace_bar(slot, b);
            }
            Display::Lines(state) => {
                if let Ok(mut s) = state.lock() {
                    *s = if counted {
                        LineState {
                            total: count,
                            unit: unit.to_string(),
                            printed: Some(Instant::now()),
                            ..LineState::default()
                        }
                    } else {
                        LineState::default()
                    };
                }
                if what.is_empty() {
                    eprintln!("[progress] {phase}");
                } else {
                    eprintln!("[progress] {phase}: {what}");
                }
            }
        }
    }

    fn detail(&self, line: &str) {
        if self.verbose {
            eprintln!("[detail] {line}; RSS peak {}", peak_rss());
        }
    }

    fn advance(&self, n: u64) {
        match &self.display {
            Display::Off => {}
            Display::Bar(slot) => {
                if let Ok(b) = slot.lock() {
                    if let Some(b) = b.as_ref() {
                        b.inc(n);
                    }
                }
            }
            Display::Lines(state) => {
                let Ok(mut s) = state.lock() else { return };
                if s.total == 0 {
                    return;
                }
                s.done = (s.done + n).min(s.total);
                let tenths = s.done.saturating_mul(10) / s.total;
                // A tenth at most once a second; the end is the "done" line.
                let due = s.printed.is_none_or(|t| t.elapsed().as_secs() >= 1);
                if tenths > s.tenths && tenths < 10 && due {
                    s.tenths = tenths;
                    s.printed = Some(Instant::now());
                    let line = if s.unit.is_empty() {
                        format!("{}% of {}", tenths * 10, crate::fmt::bytes(s.total))
                    } else {
                        format!(
                            "{} of {} {}",
                            crate::fmt::thousands(s.done),
                            crate::fmt::thousands(s.total),
                            s.unit
                        )
                    };
                    drop(s);
                    eprintln!("[progress] {}: {line}", self.phase_name());
                }
            }
        }
    }

    fn finish(&self) {
        match &self.display {
            Display::Off => {}
            Display::Bar(slot) => {
                if let Ok(mut b) = slot.lock() {
                    if let Some(b) = b.take() {
                        b.finish_and_clear();
                    }
                }
            }
            Display::Lines(_) => {
                if let Ok(p) = self.phase.lock() {
                    if !p.0.is_empty() {
                        eprintln!(
                            "[progress] {}: done in {:.2} s",
                            p.0,
                            p.1.elapsed().as_secs_f64()
                        );
                    }
                }
            }
        }
        release_free_memory();
        if let Ok(p) = self.phase.lock() {
            self.note(&p.0, p.1);
        }
    }
}

/// Clears the bar of the phase before, if any, and shows `b`.
fn replace_bar(slot: &Mutex<Option<ProgressBar>>, b: ProgressBar) {
    if let Ok(mut s) = slot.lock() {
        if let Some(old) = s.replace(b) {
            old.finish_and_clear();
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
pub(crate) fn peak_rss() -> String {
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
