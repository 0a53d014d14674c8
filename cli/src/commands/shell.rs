//! `hprofscan completions` and `hprofscan man`: generated from the flag definitions, no dump
//! read.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;

use crate::args::Cli;
use crate::escape;
use crate::exit;

/// `hprofscan completions SHELL`: the completion script on stdout.
pub(crate) fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "hprofscan", &mut out);
    write_stdout(&out)
}

/// `hprofscan man [--dir DIR]`: the man page on stdout, or a page per command in DIR.
pub(crate) fn man(dir: Option<&Path>) -> ExitCode {
    let cmd = Cli::command();
    match dir {
        Some(dir) => match clap_mangen::generate_to(cmd, dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!(
                    "hprofscan: cannot write the man pages to {}: {}",
                    escape::name(&dir.display().to_string()),
                    escape::name(&e.to_string())
                );
                ExitCode::from(exit::OUTPUT)
            }
        },
        None => {
            let mut out = Vec::new();
            if let Err(e) = clap_mangen::Man::new(cmd).render(&mut out) {
                return exit::fail(&e.to_string(), exit::OUTPUT);
            }
            write_stdout(&out)
        }
    }
}

/// Writes bytes to stdout; a closed pipe is not an error.
fn write_stdout(bytes: &[u8]) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => exit::fail(&format!("cannot write: {e}"), exit::OUTPUT),
    }
}
