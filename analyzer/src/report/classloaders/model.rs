//! The class-loader report's document: loaders, duplicate class names, totals.

use crate::base::id::ObjectId;
use serde::Serialize;

use crate::load::dump::DumpMeta;
use crate::query::holders::Holder;

/// Options of the class-loader report.
#[derive(Clone, Debug)]
pub struct ClassLoaderOptions {
    /// Class names listed per loader (the count is always complete).
    pub max_class_names: usize,
}

impl Default for ClassLoaderOptions {
    fn default() -> Self {
        ClassLoaderOptions { max_class_names: 5 }
    }
}

/// One class loader.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LoaderInfo {
    /// The loader object's id.
    pub id: ObjectId,
    /// Its class.
    pub class: String,
    /// Its `name` field, if set (`plugin-gen-3`, `app`).
    pub name: Option<String>,
    /// Its parent loader's id (None: the boot loader).
    pub parent: Option<ObjectId>,
    /// Classes it defined (array classes not counted).
    pub classes: u64,
    /// Some of their names, sorted.
    pub class_names: Vec<String>,
    /// Strongly reachable instances of those classes.
    pub live_instances: u64,
    /// Bytes the loader retains.
    pub retained_bytes: u64,
    /// Whether the loader is stale (see the module documentation).
    pub stale: bool,
    /// The application field that holds it.
    pub holder: Option<Holder>,
    /// How the holder's field leads to the loader (`.elementData`, `[3]`).
    pub holder_via: Vec<String>,
    /// GC root kinds, when the loader is itself a GC root.
    pub gc_roots: Vec<String>,
    /// Names of the threads that use it as context class loader.
    pub context_class_loader_of: Vec<String>,
    /// Loaders that have it as parent.
    pub children: u64,
    /// How it is kept alive, one phrase each.
    pub kept_alive_by: Vec<String>,
    /// The node of the holder field's target (the holding collection).
    #[serde(skip)]
    pub(crate) holder_node: Option<u32>,
}

/// A class name defined by several loaders.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DuplicateClass {
    /// The class name.
    pub class: String,
    /// Number of class objects with this name (one per defining loader).
    pub copies: u64,
    /// Of those, copies defined by stale loaders.
    pub stale_copies: u64,
}

/// Totals.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ClassLoaderTotals {
    /// Strongly reachable class loaders.
    pub loaders: u64,
    /// Of those, stale ones.
    pub stale_loaders: u64,
    /// Class loaders in the dump that are not strongly reachable (garbage).
    pub unreachable_loaders: u64,
    /// Classes in the dump (array classes included).
    pub classes: u64,
    /// Classes defined by the boot loader.
    pub bootstrap_classes: u64,
    /// Class names defined by more than one loader.
    pub duplicate_class_names: u64,
}

/// `hprofscan/classloaders/1`.
#[derive(Clone, Debug, Serialize)]
pub struct ClassLoaderReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump.
    pub dump: DumpMeta,
    /// Totals.
    pub totals: ClassLoaderTotals,
    /// Reachable loaders, largest retained first.
    pub loaders: Vec<LoaderInfo>,
    /// Class names with more than one copy, most copies first.
    pub duplicate_classes: Vec<DuplicateClass>,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}
