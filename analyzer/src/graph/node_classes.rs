//! The class of every graph node, in 2 bytes per node when the dump has fewer than 65535
//! classes (nearly always), else in 4.

use rayon::prelude::*;

use crate::base::arrays::Arrays;
use crate::base::store::Store;
use crate::AnalyzeError;

use crate::graph::ids::NONE;
use crate::load::classes::ClassIdx;

/// What stands for [`NONE`] ("class not in the dump") in the narrow form.
const NARROW_NONE: u16 = u16::MAX;

/// The class of each node, indexed by node. [`NONE`] means the node's class is not in the
/// dump.
#[derive(Clone, Debug)]
pub enum NodeClasses {
    /// Fewer than 65535 classes: each class index as `u16`, with `u16::MAX` for [`NONE`].
    Narrow(Store<u16>),
    /// 65535 classes or more: each class index as is.
    Wide(Store<ClassIdx>),
}

impl NodeClasses {
    /// The compact form of `classes` (one entry per node, each below `class_count` or
    /// [`NONE`]), narrowed in parallel when `class_count` allows it, into an array from
    /// `arrays`.
    pub fn new(
        classes: Store<ClassIdx>,
        class_count: usize,
        arrays: &Arrays,
    ) -> Result<NodeClasses, AnalyzeError> {
        Self::new_keeping(classes, class_count, arrays).map(|(c, _)| c)
    }

    /// [`NodeClasses::new`], and `classes` back when it was narrowed (a per-node buffer whose
    /// pages are resident, for the caller to reuse).
    pub fn new_keeping(
        classes: Store<ClassIdx>,
        class_count: usize,
        arrays: &Arrays,
    ) -> Result<(NodeClasses, Option<Store<ClassIdx>>), AnalyzeError> {
        if class_count >= NARROW_NONE as usize {
            return Ok((NodeClasses::Wide(classes), None));
        }
        let mut narrow = arrays.try_filled(classes.len(), 0u16)?;
        narrow
            .par_iter_mut()
            .zip(classes.par_iter())
            .with_min_len(1 << 16)
            .for_each(|(n, &c)| {
                debug_assert!(c == NONE || (c as usize) < class_count, "class {c}");
                *n = if c < NARROW_NONE as u32 {
                    c as u16
                } else {
                    NARROW_NONE
                };
            });
        Ok((NodeClasses::Narrow(narrow), Some(classes)))
    }

    /// The class of node `v` ([`NONE`] if not in the dump). Panics if `v` is out of range.
    #[inline]
    pub fn get(&self, v: u32) -> ClassIdx {
        match self {
            NodeClasses::Narrow(c) => widen(c[v as usize]),
            NodeClasses::Wide(c) => c[v as usize],
        }
    }

    /// Number of nodes.
    #[inline]
    pub fn len(&self) -> usize {
        match self {
            NodeClasses::Narrow(c) => c.len(),
            NodeClasses::Wide(c) => c.len(),
        }
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The class of every node, in node order.
    pub fn iter(&self) -> Iter<'_> {
        match self {
            NodeClasses::Narrow(c) => Iter::Narrow(c.iter()),
            NodeClasses::Wide(c) => Iter::Wide(c.iter()),
        }
    }

    /// Bytes held.
    pub fn memory_bytes(&self) -> usize {
        match self {
            NodeClasses::Narrow(c) => c.memory_bytes(),
            NodeClasses::Wide(c) => c.memory_bytes(),
        }
    }
}

#[inline]
fn widen(c: u16) -> ClassIdx {
    if c == NARROW_NONE {
        NONE
    } else {
        c as ClassIdx
    }
}

/// Iterator over the class of every node ([`NodeClasses::iter`]).
#[derive(Clone, Debug)]
pub enum Iter<'a> {
    /// Over the narrow form.
    Narrow(std::slice::Iter<'a, u16>),
    /// Over the wide form.
    Wide(std::slice::Iter<'a, ClassIdx>),
}

impl Iterator for Iter<'_> {
    type Item = ClassIdx;

    #[inline]
    fn next(&mut self) -> Option<ClassIdx> {
        match self {
            Iter::Narrow(it) => it.next().map(|&c| widen(c)),
            Iter::Wide(it) => it.next().copied(),
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Narrow(it) => it.size_hint(),
            Iter::Wide(it) => it.size_hint(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a NodeClasses {
    type Item = ClassIdx;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(classes: Vec<ClassIdx>, class_count: usize, narrow: bool) {
        let c = NodeClasses::new(
            Store::from_vec(classes.clone()),
            class_count,
            &Arrays::in_memory(),
        )
        .unwrap();
        assert_eq!(matches!(c, NodeClasses::Narrow(_)), narrow);
        assert_eq!(c.len(), classes.len());
        assert_eq!(c.is_empty(), classes.is_empty());
        for (v, &k) in classes.iter().enumerate() {
            assert_eq!(c.get(v as u32), k);
        }
        assert_eq!(c.iter().len(), classes.len());
        assert_eq!(c.iter().collect::<Vec<_>>(), classes);
        assert_eq!((&c).into_iter().collect::<Vec<_>>(), classes);
        let per_node = if narrow { 2 } else { 4 };
        assert!(c.memory_bytes() >= per_node * classes.len());
        // The same in a temp file.
        let dir = tempfile::tempdir().unwrap();
        let arrays = Arrays::new(Some(0), Some(dir.path().to_path_buf()));
        arrays.plan(1);
        let mut wide = arrays.try_filled(classes.len(), 0).unwrap();
        wide.copy_from_slice(&classes);
        let d = NodeClasses::new(wide, class_count, &arrays).unwrap();
        assert_eq!(d.iter().collect::<Vec<_>>(), classes);
        assert_eq!(d.memory_bytes(), 0);
    }

    #[test]
    fn few_classes_are_narrow_and_keep_none() {
        check(vec![0, 5, NONE, 65533, 1, NONE, 0], 65534, true);
        check(vec![NONE; 3], 0, true);
        check(Vec::new(), 10, true);
    }

    #[test]
    fn many_classes_fall_back_to_u32() {
        // From 65535 classes on, the wide form is used.
        check(vec![0, 65534, NONE, 65533, 12], 65535, false);
        let n = 70_000u32;
        let classes: Vec<ClassIdx> = (0..3 * n)
            .map(|v| if v.is_multiple_of(11) { NONE } else { v % n })
            .collect();
        check(classes, n as usize, false);
    }

    #[test]
    fn the_narrow_form_covers_every_index_below_the_sentinel() {
        let classes: Vec<ClassIdx> = (0..65534u32).chain([NONE]).collect();
        check(classes, 65534, true);
    }
}
