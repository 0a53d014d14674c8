//! Primitive arrays (`int[]`, `long[]`, `byte[]`...) that an application field references
//! directly: a counter table or bitmap indexed by an id or a sequence number, a hand-grown
//! buffer. One array is one object, so no collection or class group finds it. Its size alone
//! does not tell a table sized for its id space from one grown (by `Arrays.copyOf`) with every
//! new sequence number: a series of dumps does.

use crate::dom::analysis::Analysis;
use crate::query::holders::Holding;
use crate::query::objects::{locate, node_class, node_kind, read_object, NodeKind};

use super::super::candidate::Candidate;
use super::super::model::LeakKind;

/// The candidate of big array `v` when it is a primitive array an application field
/// references directly (`holding`'s chain is the array alone); its entries are its slots.
pub(crate) fn candidate(a: &Analysis, v: u32, holding: Option<&Holding>) -> Option<Candidate> {
    if node_kind(a, v) != NodeKind::PrimitiveArray {
        return None;
    }
    let h = holding.filter(|h| h.chain == [v] && !h.holder.field.starts_with('<'))?;
    let len = read_object(a, *locate(a, &[v]).get(&v)?, false)?.len;
    let class = node_class(a, v);
    let mut c = Candidate::new(
        LeakKind::PrimitiveArray,
        Some(v),
        class.clone(),
        a.dom.retained.get(v),
    );
    c.entries = len;
    c.element_class = class.trim_end_matches("[]").to_string();
    c.element_classes = vec![(c.element_class.clone(), len)];
    c.holding = Some(h.clone());
    Some(c)
}
