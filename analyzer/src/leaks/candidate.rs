//! A candidate: one structure the detectors found, with everything the evidence modules read
//! and the evidence they add (like an object reporter: detectors fill it, evidence modules
//! each add what they know, the verdict reads it).

use crate::base::id::ObjectId;
use crate::dom::analysis::Analysis;
use crate::query::collections::CollectionSpec;
use crate::query::holders::Holding;

use super::model::{Evidence, LeakKind, ObjectRef, Strength, Supports, SuspectGrowth};

/// What a collection detector knows of a collection.
#[derive(Clone, Debug)]
pub(crate) struct CollectionFacts {
    /// Its spec (how it stores elements).
    pub spec: &'static CollectionSpec,
    /// An access-ordered `LinkedHashMap`.
    pub access_order: bool,
    /// Its class is an application subclass of the JDK collection (e.g. a `LinkedHashMap`
    /// overriding `removeEldestEntry`).
    pub app_subclass: bool,
    /// An immutable collection (`List.of`, `Collections.unmodifiable*`).
    pub immutable: bool,
    /// Its backing array when the collection does not dominate it (an iterator on a thread's
    /// stack pointed at it too when the dump was written).
    pub backing: Option<u32>,
}

/// What a specialised analysis (ThreadLocals, class loaders, resources, threads) found.
#[derive(Clone, Debug, Default)]
pub(crate) struct FindingFacts {
    /// Thread names, as patterns.
    pub threads: Vec<String>,
    /// Stale ThreadLocal entries or unused class loaders.
    pub stale_entries: Option<u64>,
    /// The ThreadLocal value class.
    pub value_class: Option<String>,
    /// The analysis' own explanation.
    pub explanation: String,
}

/// One structure under judgement.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    /// What kind of structure.
    pub kind: LeakKind,
    /// The object a path is shown to (the collection); None for findings without one.
    pub node: Option<u32>,
    /// The application field that holds it.
    pub holding: Option<Holding>,
    /// The collection's (or holding object's) class.
    pub class: String,
    /// Dominant element class.
    pub element_class: String,
    /// Element classes in the sample, most frequent first.
    pub element_classes: Vec<(String, u64)>,
    /// Entries.
    pub entries: u64,
    /// Retained bytes.
    pub retained: u64,
    /// Native memory of the direct buffers it keeps alive, outside the Java heap.
    pub native: u64,
    /// A sample of the entries' values (map values, list elements).
    pub values: Vec<u32>,
    /// Lengths of the consecutive runs of `values` that are each in the order their
    /// collection's entries were added (a list, a queue; one run per collection when a field's
    /// collections in many objects add up); empty when `values` are in no such order.
    pub ordered_runs: Vec<u32>,
    /// The sampled entries themselves when they are collections whose elements `values`
    /// samples instead (a map of per-tenant maps); empty otherwise.
    pub entry_collections: Vec<u32>,
    /// When the entries are the elements of many collections (a field's lists in many
    /// objects, a map of small sets): how many elements each of those collections holds.
    pub inner_sizes: Vec<u64>,
    /// A sample of the keys (maps).
    pub keys: Vec<u32>,
    /// When `keys` are the inner maps' keys of a map of maps: a sample of the outer map's own
    /// keys (what each inner collection is kept under); empty otherwise.
    pub outer_keys: Vec<u32>,
    /// Sampled (key, value) pairs (hash maps).
    pub pairs: Vec<(u32, u32)>,
    /// Sampled values paired with the value of the entry their hash bucket chains after them
    /// (added later, or earlier for the tables that prepend): an order no collector changes.
    pub chained: Vec<(u32, u32)>,
    /// The keys of chained entries, paired the same way: keys of one hash.
    pub chained_keys: Vec<(u32, u32)>,
    /// For collections.
    pub collection: Option<CollectionFacts>,
    /// For findings of the specialised analyses.
    pub finding: FindingFacts,
    /// Evidence gathered so far.
    pub evidence: Vec<Evidence>,
    /// Growth across a series, when given.
    pub growth: Option<SuspectGrowth>,
    /// Whether the series measured that growth on another collection than this one under the
    /// same holder (the holder's outer map of maps, whose entries stay while an inner map grows).
    pub growth_elsewhere: bool,
    /// What one entry retains.
    pub per_entry: Option<super::model::PerEntry>,
    /// How many objects hold one such collection each in the holder field (a cache per
    /// connection): 1 for a single collection.
    pub instances: u64,
    /// The collections counted in `entries` when a field's collections in many objects add
    /// up (the node alone otherwise).
    pub members: Vec<u32>,
    /// Of the sampled entries an evidence module judged one by one, how many it found left
    /// behind (finished, expired, idle): how, left behind, judged.
    pub left_in_sample: Option<(super::model::LeftBy, u64, u64)>,
    /// For the collections of one field of another collection's entries: that collection.
    pub inside: Option<u32>,
    /// Whether the sampled entries are the calls the stages of pending futures capture (the
    /// entries themselves are futures not completed).
    pub pending_calls: bool,
    /// Whether a `bound` was given because the entries sit in one array of a fixed number of
    /// slots: a field may still be given a bigger array, so growth measured across a series
    /// overrides it.
    pub fixed_slots: bool,
    /// Whether the entries are the links of a chain, each holding the next (a decorator
    /// wrapped again on every reload), not the entries of a collection.
    pub linked: bool,
    /// For the nodes of a tree (each node keeps its children in a collection): the node
    /// class's field holding that collection. A series measures the tree's growth by it.
    pub tree_link: Option<String>,
}

impl Candidate {
    /// A candidate with nothing read yet.
    pub fn new(kind: LeakKind, node: Option<u32>, class: String, retained: u64) -> Candidate {
        Candidate {
            kind,
            node,
            holding: None,
            class,
            element_class: String::new(),
            element_classes: Vec::new(),
            entries: 0,
            retained,
            native: 0,
            values: Vec::new(),
            ordered_runs: Vec::new(),
            entry_collections: Vec::new(),
            inner_sizes: Vec::new(),
            keys: Vec::new(),
            outer_keys: Vec::new(),
            pairs: Vec::new(),
            chained: Vec::new(),
            chained_keys: Vec::new(),
            collection: None,
            finding: FindingFacts::default(),
            evidence: Vec::new(),
            growth: None,
            growth_elsewhere: false,
            fixed_slots: false,
            linked: false,
            tree_link: None,
            per_entry: None,
            instances: 1,
            members: node.into_iter().collect(),
            left_in_sample: None,
            inside: None,
            pending_calls: false,
        }
    }

    /// What it keeps alive, heap and native: what it is ranked and judged by.
    pub fn weight(&self) -> u64 {
        self.retained + self.native
    }

    /// Adds a piece of evidence.
    pub fn add(&mut self, e: Evidence) {
        self.evidence.push(e);
    }

    /// Whether its entries are keyed by natural ids (the key-shape evidence says so), so that
    /// a directory warming up looks like entries left behind. Never when the judged values
    /// are the elements of per-key collections: the keys bound how many collections there
    /// are, not how much each holds.
    pub fn keyed_naturally(&self) -> bool {
        self.entry_collections.is_empty()
            && self.evidence.iter().any(|e| {
                e.name == super::model::EvidenceName::KeyShape
                    && e.supports == Supports::MemoryHungry
            })
    }

    /// Whether its entries are counted in other things than its sample holds: class loaders
    /// pinned by a collection, whose sampled entries are the collection's (a class-keyed
    /// cache's metadata), so that nothing said per entry applies to a loader.
    pub fn entries_unsampled(&self) -> bool {
        self.kind == super::model::LeakKind::Classloaders && self.collection.is_some()
    }

    /// The strongest evidence pointing `way`, if any.
    pub fn strongest(&self, way: Supports) -> Option<Strength> {
        self.evidence
            .iter()
            .filter(|e| e.supports == way)
            .map(|e| e.strength)
            .max()
    }

    /// The holder as displayed, or the class.
    pub fn holder_display(&self) -> String {
        match &self.holding {
            Some(h) if self.instances > 1 => format!(
                "{} (in {} objects, one each)",
                h.holder.display(),
                crate::base::text::thousands(self.instances)
            ),
            Some(h) => h.holder.display(),
            None => self.class.clone(),
        }
    }

    /// The collection or object, by id and class.
    pub fn object_ref(&self, a: &Analysis) -> ObjectRef {
        match self.node {
            Some(v) => object_ref(a, v),
            None => ObjectRef {
                id: ObjectId(0),
                class: self.class.clone(),
            },
        }
    }
}

/// A node by id and class.
pub(crate) fn object_ref(a: &Analysis, v: u32) -> ObjectRef {
    ObjectRef {
        id: ObjectId(a.graph.ids.id(v)),
        class: crate::query::objects::node_class(a, v),
    }
}

/// A piece of evidence.
pub(crate) fn evidence(
    name: super::model::EvidenceName,
    supports: Supports,
    strength: Strength,
    detail: String,
) -> Evidence {
    Evidence {
        name,
        supports,
        strength,
        detail,
    }
}
