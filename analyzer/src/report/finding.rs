//! The leak finding shared by the ThreadLocal, class-loader and open-resource analyses
//! ([`crate::report::threadlocals`], [`crate::report::classloaders`],
//! [`crate::report::resources`]), which the `leaks` report merges with its collection
//! suspects; and what those reports share in how they name things (class counts, name
//! patterns such as `ingest-worker-1..8`).

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::query::holders::Holder;

/// Which specialised analysis found a leak (serialised as `threadlocal`, `classloaders`,
/// `open-resources`).
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub enum FindingKind {
    /// Values left in the ThreadLocal maps of live threads.
    #[serde(rename = "threadlocal")]
    ThreadLocal,
    /// Class loaders kept alive after their application was undeployed.
    #[serde(rename = "classloaders")]
    ClassLoaders,
    /// Resources (streams, connections, sockets) opened and never closed.
    #[serde(rename = "open-resources")]
    OpenResources,
}

/// A leak found by one of the specialised analyses, in the shape the `leaks` report needs.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LeakFinding {
    /// Which analysis found it.
    pub kind: FindingKind,
    /// The application field that keeps the leak (for ThreadLocals: the field that declares
    /// the ThreadLocal, else `java.lang.Thread.threadLocals`).
    pub holder: Option<Holder>,
    /// The object to show a GC-root path to.
    pub node: Option<u32>,
    /// How many things leak: ThreadLocal entries, class loaders, open resources.
    pub entries: u64,
    /// Their class: the ThreadLocal value class, the loader class, the resource class.
    pub element_class: String,
    /// Bytes that would be freed if the leak were fixed.
    pub retained_bytes: u64,
    /// Why this is a leak, in a sentence or two.
    pub explanation: String,
    /// For ThreadLocals: the names of the threads that hold values.
    pub threads: Vec<String>,
    /// ThreadLocal entries whose key was collected; stale class loaders among `entries`.
    pub stale_entries: u64,
    /// For ThreadLocals: the class of the values.
    pub value_class: Option<String>,
    /// For ThreadLocals: how many ThreadLocal objects the entries belong to, when one
    /// instance field declares a ThreadLocal per object (0 otherwise).
    #[serde(skip)]
    pub keys: u64,
}

/// An element class with a count.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ClassCount {
    /// Class name in Java source form.
    pub class: String,
    /// How many.
    pub count: u64,
}

/// Splits `name` into a prefix and a numeric suffix (`ingest-worker-12` -> (`ingest-worker-`,
/// 12)).
fn split_number(name: &str) -> (&str, Option<u64>) {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 18 {
        return (name, None);
    }
    let (p, n) = name.split_at(name.len() - digits);
    (p, n.parse().ok())
}

/// Natural order of names: by prefix, then by numeric suffix (`w-2` before `w-10`).
pub(crate) fn natural_cmp(x: &str, y: &str) -> std::cmp::Ordering {
    let (px, nx) = split_number(x);
    let (py, ny) = split_number(y);
    px.cmp(py).then(nx.cmp(&ny)).then(x.cmp(y))
}

/// Sorts names in natural order.
pub(crate) fn sort_names(names: &mut [String]) {
    names.sort_by(|x, y| natural_cmp(x, y));
}

/// A compact pattern for a set of names: a common prefix with a numeric range
/// (`ingest-worker-1..8`, `w-1..3,5`), several patterns joined by `, `.
pub fn name_pattern(names: &[String]) -> String {
    let mut groups: Vec<(&str, Vec<u64>, Vec<&str>)> = Vec::new();
    for n in names {
        let (prefix, num) = split_number(n);
        let i = match groups.iter().position(|g| g.0 == prefix) {
            Some(i) => i,
            None => {
                groups.push((prefix, Vec::new(), Vec::new()));
                groups.len() - 1
            }
        };
        match num {
            Some(k) => groups[i].1.push(k),
            None => groups[i].2.push(n),
        }
    }
    groups.sort_by(|x, y| x.0.cmp(y.0));
    let mut parts: Vec<String> = Vec::new();
    for (prefix, mut nums, plain) in groups {
        nums.sort_unstable();
        nums.dedup();
        let mut ranges: Vec<String> = Vec::new();
        let mut i = 0;
        while i < nums.len() {
            let mut j = i;
            while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
                j += 1;
            }
            ranges.push(if j > i {
                format!("{}..{}", nums[i], nums[j])
            } else {
                nums[i].to_string()
            });
            i = j + 1;
        }
        if !ranges.is_empty() {
            parts.push(format!("{prefix}{}", ranges.join(",")));
        }
        let mut plain: Vec<&str> = plain;
        plain.dedup();
        parts.extend(plain.into_iter().map(str::to_string));
    }
    parts.join(", ")
}

pub(crate) use crate::base::text::{bytes as fmt_bytes, thousands};

/// Class counts, most frequent first, then by name.
pub(crate) fn counted(mut m: FxHashMap<String, u64>) -> Vec<ClassCount> {
    let mut v: Vec<ClassCount> = m
        .drain()
        .map(|(class, count)| ClassCount { class, count })
        .collect();
    v.sort_by(|x, y| y.count.cmp(&x.count).then(x.class.cmp(&y.class)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn patterns() {
        assert_eq!(
            name_pattern(&s(&[
                "w-3", "w-1", "w-2", "w-8", "w-4", "w-5", "w-6", "w-7"
            ])),
            "w-1..8"
        );
        assert_eq!(name_pattern(&s(&["w-1", "w-2", "w-3", "w-5"])), "w-1..3,5");
        assert_eq!(name_pattern(&s(&["main", "w-1", "w-2"])), "main, w-1..2");
        assert_eq!(name_pattern(&s(&["x-7"])), "x-7");
        assert_eq!(name_pattern(&[]), "");
        let mut n = s(&["w-10", "w-2", "a"]);
        sort_names(&mut n);
        assert_eq!(n, s(&["a", "w-2", "w-10"]));
        assert_eq!(thousands(4949760), "4,949,760");
        assert_eq!(fmt_bytes(1536), "1.5 KiB");
    }
}
