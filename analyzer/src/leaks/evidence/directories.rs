//! The directories of members: the maps an owner keeps (and the application objects it holds
//! keep) that may list the members something else names (a subscription, a tenant, an item),
//! and what one such map holds, read by value as it is asked for: objects by class, Strings
//! by text, boxed integers by value. Values are read only to compare, never shown.

use rustc_hash::{FxHashMap, FxHashSet};

use hprof_parser::BasicType;

use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::find::{ref_node, views};
use crate::query::holders::is_application;
use crate::query::objects::{node_class, node_kind, NodeKind, ObjectView};
use crate::query::strings::strings_never_shown;
use crate::query::table_keys::table_keys;

use super::super::candidate::Candidate;
use super::live_keys::BOXED;

/// Keys of one map read at most (the memory bound of a comparison).
const MAX_KEYS: usize = 1_000_000;
/// Maps compared at most.
const MAX_MAPS: usize = 16;

/// What a task's field says its member is.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) enum Ident {
    /// An object (a `Subscription`).
    Node(u32),
    /// The text of a `String` id.
    Text(String),
    /// An integer id, primitive or boxed.
    Int(i64),
}

/// A map that may be the directory of the members: its display name and node.
pub(crate) struct Directory {
    /// `Class.field` as displayed.
    pub(crate) name: String,
    /// The map.
    pub(crate) node: u32,
}

/// An integer field's value, sign-extended: an `int` 7 and a `long` 7 compare equal.
pub(crate) fn int_of(f: &crate::query::objects::FieldValue) -> Option<i64> {
    match f.ty {
        BasicType::Short => Some(f.raw as u16 as i16 as i64),
        _ => f.integer(),
    }
}

/// The values of boxed integers, read in one pass.
pub(crate) fn boxed_values(a: &Analysis, nodes: &[u32]) -> FxHashMap<u32, i64> {
    let mut nodes = nodes.to_vec();
    nodes.sort_unstable();
    nodes.dedup();
    views(a, &nodes)
        .into_iter()
        .filter_map(|(w, v)| Some((w, int_of(v.field("value")?)?)))
        .collect()
}

/// The maps that may be the members' directory: those the holder's owner references, and
/// those the application objects it references do (a registry it keeps); at most
/// [`MAX_MAPS`], none on the path to the candidate.
pub(crate) fn directories(a: &Analysis, owner: u32, c: &Candidate) -> Vec<Directory> {
    let on_path: FxHashSet<u32> = c
        .holding
        .iter()
        .flat_map(|h| h.chain.iter().copied())
        .chain(c.node)
        .collect();
    let first = views(a, &[owner]);
    let Some(owner_view) = first.get(&owner) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut apps = Vec::new();
    for (name, w) in targets(a, owner, owner_view) {
        if on_path.contains(&w) {
            continue;
        }
        if is_application(a, w) && node_kind(a, w) == NodeKind::Instance {
            apps.push(w);
        } else {
            out.push(Directory { name, node: w });
        }
    }
    let second = views(a, &apps);
    for &p in &apps {
        if let Some(view) = second.get(&p) {
            out.extend(
                targets(a, p, view)
                    .filter(|(_, w)| !on_path.contains(w) && !is_application(a, *w))
                    .map(|(name, node)| Directory { name, node }),
            );
        }
    }
    out.truncate(MAX_MAPS);
    out
}

/// The objects the reference fields of `parent` hold, each with `Class.field` as displayed.
fn targets<'v>(
    a: &'v Analysis,
    parent: u32,
    view: &'v ObjectView,
) -> impl Iterator<Item = (String, u32)> + 'v {
    let class = match a.graph.class_object(parent) {
        Some(ci) => a.heap.classes.get(ci).name.clone(),
        None => crate::query::collections::normalise_class(&node_class(a, parent)),
    };
    view.fields
        .iter()
        .filter(|f| f.ty == BasicType::Object && f.raw != 0)
        .filter_map(move |f| Some((format!("{class}.{}", f.name), ref_node(a, view, &f.name)?)))
}

/// The members one map holds, read as they are asked for: objects by class, Strings by text,
/// boxed integers by value.
pub(crate) struct Members {
    node: u32,
    objects: FxHashMap<u32, FxHashSet<u32>>,
    texts: Option<FxHashSet<String>>,
    ints: Option<FxHashSet<i64>>,
}

impl Members {
    /// The members of map `node`, none read yet.
    pub(crate) fn new(node: u32) -> Members {
        Members {
            node,
            objects: FxHashMap::default(),
            texts: None,
            ints: None,
        }
    }

    /// The keys and values of class `class` of the map (empty when it is no hash table).
    fn of_class(&self, a: &Analysis, class: &str) -> Vec<u32> {
        let Some(k) = a.heap.classes.by_name(class) else {
            return Vec::new();
        };
        table_keys(a, self.node, k, MAX_KEYS).unwrap_or_default()
    }

    /// Whether the map holds `ident` (a key or value of its class, by value).
    pub(crate) fn holds(&mut self, a: &Analysis, ident: &Ident) -> bool {
        match ident {
            Ident::Node(w) => {
                let k = a.graph.class_of(*w);
                if k == NONE {
                    return false;
                }
                let node = self.node;
                self.objects
                    .entry(k)
                    .or_insert_with(|| {
                        table_keys(a, node, k, MAX_KEYS)
                            .unwrap_or_default()
                            .into_iter()
                            .collect()
                    })
                    .contains(w)
            }
            Ident::Text(t) => {
                if self.texts.is_none() {
                    let nodes = self.of_class(a, "java.lang.String");
                    self.texts = Some(strings_never_shown(a, &nodes).into_values().collect());
                }
                self.texts.as_ref().is_some_and(|s| s.contains(t))
            }
            Ident::Int(i) => {
                if self.ints.is_none() {
                    let nodes: Vec<u32> = BOXED.iter().flat_map(|b| self.of_class(a, b)).collect();
                    self.ints = Some(boxed_values(a, &nodes).into_values().collect());
                }
                self.ints.as_ref().is_some_and(|s| s.contains(i))
            }
        }
    }
}
