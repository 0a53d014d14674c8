//! `hprofscan waste`: memory the heap holds for nothing, attributed to the application field
//! that holds it.
//!
//! One pass over the dump (`scan.rs`) hashes every reachable primitive array and reads every
//! String and known collection; the kinds of waste are then worked out from what it found and
//! from the object graph, each in its own module:
//!
//! - [`duplicates`]: Strings with equal contents, and primitive arrays with equal contents;
//! - [`collections`]: empty and under-filled collections;
//! - [`boxed`]: boxed primitives in object arrays and as map keys and values.
//!
//! The holder of an object is found by climbing the dominator tree to the first application
//! object (`attribute.rs`). Contents are never shown: only counts, lengths and sizes.

mod attribute;
pub mod boxed;
pub mod collections;
pub mod duplicates;
mod scan;

use serde::Serialize;

use crate::base::progress::Progress;
use crate::dom::analysis::Analysis;
use crate::load::dump::DumpMeta;

pub use boxed::{BoxedRole, BoxedWaste};
pub use collections::CollectionWaste;
pub use duplicates::{DuplicateArrays, DuplicateStrings, DuplicateValue};

/// Options of the waste report.
#[derive(Clone, Debug)]
pub struct WasteOptions {
    /// How many of the most duplicated String values to list.
    pub top_values: usize,
}

impl Default for WasteOptions {
    fn default() -> Self {
        WasteOptions { top_values: 20 }
    }
}

/// What could be saved, by kind.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct WasteTotals {
    /// Strongly reachable bytes of the heap.
    pub reachable_bytes: u64,
    /// Strings whose value another String also has (every copy, the one kept included).
    pub duplicate_strings: u64,
    /// Bytes interning them would save.
    pub duplicate_string_bytes: u64,
    /// Primitive arrays whose contents another array also has (every copy).
    pub duplicate_arrays: u64,
    /// Bytes sharing them would save.
    pub duplicate_array_bytes: u64,
    /// Empty collections.
    pub empty_collections: u64,
    /// Bytes creating them lazily would save.
    pub empty_collection_bytes: u64,
    /// Under-filled collections.
    pub under_filled_collections: u64,
    /// Bytes right-sizing them would save.
    pub under_filled_collection_bytes: u64,
    /// Boxed primitives in object arrays and as map keys and values.
    pub boxed_elements: u64,
    /// Bytes primitive arrays or collections would save.
    pub boxed_bytes: u64,
    /// The sum of the savings above.
    pub could_be_saved: u64,
}

/// `hprofscan/waste/2` (version 1 had no boxed map keys and values: its `boxed` rows had
/// `arrays` where version 2 has `role` and `containers`).
#[derive(Clone, Debug, Serialize)]
pub struct WasteReport {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump.
    pub dump: DumpMeta,
    /// Totals.
    pub totals: WasteTotals,
    /// Duplicate Strings by holder, most bytes saved first.
    pub duplicate_strings: Vec<DuplicateStrings>,
    /// The most duplicated String values (count and length only), most copies first.
    pub top_duplicate_values: Vec<DuplicateValue>,
    /// Duplicate primitive arrays by holder and class, most bytes saved first.
    pub duplicate_arrays: Vec<DuplicateArrays>,
    /// Empty and under-filled collections by class and holder, most bytes saved first.
    pub collections: Vec<CollectionWaste>,
    /// Boxed primitives in arrays and maps by holder, box class and role, most bytes saved
    /// first.
    pub boxed: Vec<BoxedWaste>,
    /// Native memory referenced from the heap (direct and mapped buffers); not waste, shown
    /// beside it so that "heap or non-heap?" is answered.
    pub off_heap: crate::report::offheap::OffHeap,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

/// The waste report of an analysed heap.
pub fn waste_report(a: &Analysis, opts: &WasteOptions, progress: &dyn Progress) -> WasteReport {
    let found = scan::scan(a, progress);
    let (duplicate_strings, top_duplicate_values) =
        duplicates::duplicate_strings(a, &found, opts.top_values);
    let duplicate_arrays = duplicates::duplicate_arrays(a, &found);
    let collections = collections::collection_waste(a, &found);
    let boxed = boxed::boxed_waste(a, &found);
    drop(found);
    let mut t = WasteTotals {
        reachable_bytes: a.dom.reachable_bytes,
        ..Default::default()
    };
    t.duplicate_strings = duplicate_strings.iter().map(|g| g.strings).sum();
    t.duplicate_string_bytes = duplicate_strings.iter().map(|g| g.bytes_saved).sum();
    t.duplicate_arrays = duplicate_arrays.iter().map(|g| g.arrays).sum();
    t.duplicate_array_bytes = duplicate_arrays.iter().map(|g| g.bytes_saved).sum();
    t.empty_collections = collections.iter().map(|g| g.empty).sum();
    t.empty_collection_bytes = collections.iter().map(|g| g.empty_bytes_saved).sum();
    t.under_filled_collections = collections.iter().map(|g| g.under_filled).sum();
    t.under_filled_collection_bytes = collections.iter().map(|g| g.under_filled_bytes_saved).sum();
    t.boxed_elements = boxed.iter().map(|g| g.elements).sum();
    t.boxed_bytes = boxed.iter().map(|g| g.bytes_saved).sum();
    t.could_be_saved = t.duplicate_string_bytes
        + t.duplicate_array_bytes
        + t.empty_collection_bytes
        + t.under_filled_collection_bytes
        + t.boxed_bytes;
    WasteReport {
        schema: "hprofscan/waste/2",
        dump: a.heap.dump.meta(),
        totals: t,
        duplicate_strings,
        top_duplicate_values,
        duplicate_arrays,
        collections,
        boxed,
        off_heap: crate::report::offheap::off_heap(a),
        warnings: a.warnings(),
    }
}
