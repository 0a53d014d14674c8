//! Text of `hprofscan path`, and the lines of a suspect's path from a GC root.

use std::io::{self, Write};

use crate::escape::name;
use crate::fmt::{bytes, thousands};
use analyzer::report::path::{PathReport, PathStep, Shown};

use super::common::{dump_lines, node_name, warnings};
use super::plumbing::{
    collapse_path_plumbing, collapse_root_path_plumbing, root_is_collapsed_loader,
};

/// Renders `path`.
pub(crate) fn path(w: &mut dyn Write, r: &PathReport) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    writeln!(
        w,
        "object    {} {} (shallow {}, retains {})",
        node_name(r.target.kind, &r.target.class),
        r.target.id,
        thousands(r.target.shallow_bytes),
        bytes(r.target.retained_bytes)
    )?;
    if !r.strongly_reachable {
        writeln!(w, "path      none: not strongly reachable")?;
        return warnings(w, &r.warnings);
    }
    writeln!(w)?;
    let its_loader = if root_is_collapsed_loader(&r.path) {
        " (its loader)"
    } else {
        ""
    };
    root_line(w, r, its_loader)?;
    // The class-loader plumbing is one step, and a long run of one class (a deep linked list)
    // shows its ends; the JSON has every step.
    let steps = collapse_path_plumbing(&r.path);
    let cut = step_lines(w, &steps)?;
    writeln!(w)?;
    if !cut {
        writeln!(w, "{}", name(&chain(r, &steps, its_loader)))?;
    }
    warnings(w, &r.warnings)
}

/// The GC root's line: its kinds and thread.
fn root_line(w: &mut dyn Write, r: &PathReport, its_loader: &str) -> io::Result<()> {
    if let Some(root) = &r.root {
        match &root.thread {
            Some(t) => writeln!(
                w,
                "  gc root ({}) of thread \"{}\"{its_loader}",
                root.kinds.join(", "),
                name(t)
            )?,
            None => writeln!(w, "  gc root ({}){its_loader}", root.kinds.join(", "))?,
        }
    }
    Ok(())
}

/// One line per step, a long run of one class cut to its ends; true when a run was cut.
fn step_lines(w: &mut dyn Write, steps: &[PathStep]) -> io::Result<bool> {
    let shown = analyzer::report::path::shown_steps(steps.len(), |i, j| {
        steps[i].class == steps[j].class && steps[i].kind == steps[j].kind
    });
    let mut class = "";
    for line in &shown {
        let i = match *line {
            Shown::Step(i) => i,
            Shown::Cut(n) => {
                writeln!(
                    w,
                    "     {}",
                    name(&analyzer::report::path::cut_line(n, class))
                )?;
                continue;
            }
        };
        let s = &steps[i];
        class = &s.class;
        let via = s
            .via
            .as_deref()
            .map(|v| format!("{} ", name(v)))
            .unwrap_or_default();
        writeln!(
            w,
            "  -> {via}{} {}  (retains {})",
            node_name(s.kind, &s.class),
            s.id,
            bytes(s.retained_bytes)
        )?;
    }
    Ok(shown.iter().any(|l| matches!(l, Shown::Cut(_))))
}

/// The path on one line (`root -> A.field -> B`), the plumbing folded as in the steps.
fn chain(r: &PathReport, steps: &[PathStep], its_loader: &str) -> String {
    if steps.len() == r.path.len() {
        r.chain.clone()
    } else {
        let root = r.root.as_ref().map(|root| {
            format!(
                "{}{its_loader} -> ",
                analyzer::report::path::chain_text(Some(root), &[])
            )
        });
        format!(
            "{}{}",
            root.unwrap_or_default(),
            analyzer::report::path::chain_text(None, steps)
        )
    }
}

/// The lines of a typed GC-root path: the root, then one line a step or cut run; the
/// class-loader plumbing is one step.
pub(crate) fn root_path_lines(path: &[analyzer::leaks::RootPathStep]) -> Vec<String> {
    use analyzer::leaks::RootPathStep;
    let first: Vec<analyzer::report::path::PathStep> = path
        .iter()
        .skip(1)
        .take(4)
        .filter_map(|p| match p {
            RootPathStep::Step(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    let its_loader = if matches!(path.first(), Some(RootPathStep::Root(_)))
        && first.len() == 4
        && root_is_collapsed_loader(&first)
    {
        " (its loader)"
    } else {
        ""
    };
    collapse_root_path_plumbing(path)
        .iter()
        .map(|p| match p {
            RootPathStep::Root(r) => {
                format!(
                    "{}{its_loader}",
                    analyzer::report::path::chain_text(Some(r), &[])
                )
            }
            RootPathStep::Step(s) => {
                analyzer::report::path::chain_text(None, std::slice::from_ref(s))
            }
            RootPathStep::Cut { left_out, class } => {
                analyzer::report::path::cut_line(*left_out, class)
            }
        })
        .collect()
}
