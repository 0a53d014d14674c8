//! `hprofscan redact`: the flags handed to the writer of the redacted copy (`crate::redact`).

use std::process::ExitCode;

use crate::args::{Command, Common};

/// Runs `redact` when it is the command; None for any other command.
pub(crate) fn redact(command: &Command, common: &Common) -> Option<ExitCode> {
    let Command::Redact {
        dump,
        out,
        keep_arrays,
        allow_next_to_input,
        filler,
        pseudonymize_names,
        names_map,
        names_key,
    } = command
    else {
        return None;
    };
    let request = crate::redact::Request {
        dump,
        out,
        keep: keep_arrays,
        allow_next_to_input: *allow_next_to_input,
        filler: *filler,
        pseudonymize: *pseudonymize_names,
        names_map: names_map.as_deref(),
        names_key: names_key.as_deref(),
    };
    Some(ExitCode::from(crate::redact::main(
        &request,
        common,
        crate::sys::free_space,
    )))
}
