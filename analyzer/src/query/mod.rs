//! Stage 4, what every analysis asks of the analysed heap: objects re-read from the dump and
//! their fields (`objects.rs`), batched finds (instances of classes, referrers: `find.rs`),
//! Java strings (`strings.rs`, the one decoder), collections and their entries
//! (`collections.rs`, the nodes of linked and tree ones: `nodes.rs`, the sizes they record: `sizes.rs`) and every key of a hash table (`table_keys.rs`), the collections a ThreadLocal keeps on each thread (`elements.rs`), Cleaner registrations (`cleanables.rs`), the application field that holds an object (`holders.rs`) and the method whose local holds a root (`frames.rs`). Imports
//! the stages below it, never a report.

pub(crate) mod buffers;
pub(crate) mod chained;
pub(crate) mod chains;
pub(crate) mod cleanables;
pub mod collections;
pub(crate) mod elements;
pub(crate) mod find;
pub mod frames;
pub mod holders;
pub(crate) mod jdk;
mod nodes;
pub mod objects;
pub(crate) mod set_retained;
pub(crate) mod sizes;
pub mod strings;
pub(crate) mod table_keys;
mod tables;
pub(crate) mod wrappers;
