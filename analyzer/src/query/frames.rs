//! Locals of live threads: an object that a JAVA_FRAME root holds is in a local variable of
//! the method on that frame (the root names its thread's serial and the frame's depth; the
//! thread's TRACE lists its frames, each FRAME names a method and its class). A collection
//! that only such a local holds (a worker's `run()` loop keeping a map for as long as it runs)
//! has no field, but it has an owner the code can be changed at.

use hprof_parser::stacks::{read_frame, read_trace};
use hprof_parser::RootKind;

use crate::dom::analysis::Analysis;

use super::holders::{Holder, Holding};

/// A local variable of a live thread's method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameLocal {
    /// The thread object's node.
    pub thread: u32,
    /// The method's class (Java name).
    pub class: String,
    /// The method's name.
    pub method: String,
}

/// The local of a live thread that holds node `v`, when a JAVA_FRAME root holds it and the
/// dump's stack traces name the frame's method: the innermost such frame.
pub fn frame_local(a: &Analysis, v: u32) -> Option<FrameLocal> {
    let roots = &a.heap.census.roots;
    let mut frames: Vec<(u32, u32)> = a
        .graph
        .roots
        .iter()
        .filter(|&&(n, _)| n == v)
        .filter_map(|&(_, i)| roots.get(i as usize))
        .filter(|r| r.kind == RootKind::JavaFrame)
        .filter_map(|r| Some((r.thread_serial?, r.frame?)))
        .collect();
    frames.sort_unstable_by_key(|&(t, f)| (f, t));
    frames
        .into_iter()
        .find_map(|(serial, depth)| method_at(a, serial, depth))
}

/// The method on frame `depth` of thread `serial`'s stack, when the thread is alive (its
/// THREAD_OBJECT root is in the dump).
fn method_at(a: &Analysis, serial: u32, depth: u32) -> Option<FrameLocal> {
    let thread = a.heap.census.roots.iter().find_map(|r| {
        (r.kind == RootKind::ThreadObject && r.thread_serial == Some(serial))
            .then(|| a.graph.ids.get(r.id))?
    })?;
    let dump = &a.heap.dump;
    let (data, ids) = (dump.data(), dump.id_size());
    let trace = dump
        .index
        .traces
        .iter()
        .filter_map(|&off| read_trace(data, off, ids).ok())
        .find(|t| t.thread_serial == serial)?;
    let frame_id = *trace.frames.get(depth as usize)?;
    let frame = dump
        .index
        .frames
        .iter()
        .filter_map(|&off| read_frame(data, off, ids).ok())
        .find(|f| f.id == frame_id)?;
    let text = |id: u64| {
        let b = dump.index.string(data, id)?;
        Some(String::from_utf8_lossy(b).into_owned())
    };
    let class = dump
        .index
        .load_classes
        .iter()
        .find(|l| l.serial == frame.class_serial)?;
    Some(FrameLocal {
        thread,
        class: text(class.name_id)?.replace('/', "."),
        method: text(frame.method_name_id)?,
    })
}

/// The holding of node `v` by a local variable of a live thread's method: the holder is
/// `Class.method() local variable`, its owner the thread.
pub fn local_holding(a: &Analysis, v: u32) -> Option<Holding> {
    let l = frame_local(a, v)?;
    Some(Holding {
        holder: Holder {
            class: l.class,
            field: format!("{}() local variable", l.method),
            is_static: false,
        },
        owner: l.thread,
        chain: vec![v],
        via: Vec::new(),
    })
}
