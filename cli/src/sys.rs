//! What the cli asks of the operating system, each behind one function with its `SAFETY`
//! note: free space in a directory, the terminal's width, the allocator's tuning.

use std::io;

/// Free bytes for an unprivileged user in the file system of `dir` (statvfs).
#[cfg(unix)]
pub(crate) fn free_space(dir: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `statvfs` is plain old data, so all-zero is a valid value; `path` is a valid
    // NUL-terminated string and `s` a valid, writable statvfs for the call to fill (it stays
    // all-zero if the call fails, and is then not used).
    let (r, s) = unsafe {
        let mut s: libc::statvfs = std::mem::zeroed();
        let r = libc::statvfs(path.as_ptr(), &mut s);
        (r, s)
    };
    // The field types differ between platforms (32-bit ones use 32-bit counts).
    #[allow(clippy::unnecessary_cast)]
    let free = (s.f_bavail as u64).saturating_mul(s.f_frsize as u64);
    (r == 0).then_some(free)
}

#[cfg(not(unix))]
/// Free bytes in the file system of `dir`: unknown off Unix.
pub(crate) fn free_space(_dir: &std::path::Path) -> Option<u64> {
    None
}

/// Share of the available memory (`MemAvailable` of `/proc/meminfo`) that `--max-memory`
/// defaults to, in percent.
pub(crate) const DEFAULT_MEMORY_SHARE: u64 = 70;

/// The default `--max-memory`: [`DEFAULT_MEMORY_SHARE`] percent of the memory available now
/// (`None`, no limit, where that is unknown).
pub(crate) fn default_max_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    mem_available(&meminfo).map(|b| b / 100 * DEFAULT_MEMORY_SHARE)
}

/// `MemAvailable` of a `/proc/meminfo` text, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// The width of the terminal standard output is, or None when it is not a terminal (text is
/// then wrapped to 100 columns).
#[cfg(unix)]
pub(crate) fn terminal_columns() -> Option<usize> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: `winsize` is plain old data, so all-zero is a valid value; TIOCGWINSZ only fills
    // the struct it is given, which lives for the call.
    let (r, ws) = unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        let r = libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws);
        (r, ws)
    };
    (r == 0 && ws.ws_col > 0).then_some(ws.ws_col as usize)
}

#[cfg(not(unix))]
/// The terminal's width: unknown off Unix (text is wrapped to 100 columns).
pub(crate) fn terminal_columns() -> Option<usize> {
    None
}

/// Makes glibc return large freed blocks to the system. Without this, glibc raises its mmap
/// threshold after the first large free, so the many-megabyte buffers of one pass are reused
/// from its arenas and freed memory stays resident through the later, larger phases.
pub(crate) fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; it is called before any other thread
    // exists and before any allocation this setting could affect.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn available_memory_is_read_from_meminfo() {
        let text =
            "MemTotal:       24576000 kB\nMemFree:         1000 kB\nMemAvailable:   23460860 kB\n";
        assert_eq!(mem_available(text), Some(23_460_860 * 1024));
        assert_eq!(mem_available("MemTotal: 5 kB\n"), None);
        assert_eq!(mem_available("MemAvailable: lots kB\n"), None);
        if std::path::Path::new("/proc/meminfo").exists() {
            assert!(default_max_memory().unwrap() > 0);
        }
    }
}
