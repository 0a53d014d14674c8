//! Sizes under a layout that need the class table or the census: the shallow size of each
//! class's instances (packed, or per class as up to JDK 14), the size of many arrays at once,
//! and the inference of the layout from neighbour distances (the method is in
//! [`crate::load::layout`]).

use hprof_parser::BasicType;

use crate::load::census::{GapSample, Neighbour};
use crate::load::classes::ClassTable;
use crate::load::layout::align8;
pub use crate::load::layout::{FieldLayout, LayoutEvidence, SizeModel};

impl SizeModel {
    /// Shallow size of an instance of class `ci` under this layout.
    pub fn instance_of(&self, classes: &ClassTable, ci: crate::load::classes::ClassIdx) -> u64 {
        let c = classes.get(ci);
        match self.field_layout {
            // ART writes its object header as two fields of java.lang.Object: counted once.
            FieldLayout::Packed if self.art => align8(
                (self.object_header as u64
                    + c.primitive_bytes as u64
                    + c.reference_fields() as u64 * self.reference as u64)
                    .saturating_sub(c.art_header_fields as u64),
            ),
            FieldLayout::Packed => self.instance(c.primitive_bytes, c.reference_fields()),
            FieldLayout::PerClass => self.per_class_instance(classes, ci),
        }
    }

    /// The JDK 14 layout: each class's fields in a block starting at the header plus its
    /// super's field bytes rounded up to the reference size; 8-byte fields first (small fields filling the gap before
    /// them), then 4-, 2-, 1-byte fields, then references.
    fn per_class_instance(&self, classes: &ClassTable, ci: crate::load::classes::ClassIdx) -> u64 {
        let oop = self.reference as u64;
        let mut chain = Vec::new();
        let mut cur = Some(ci);
        while let Some(i) = cur {
            // The class table has cut every cycle; a crafted hierarchy thousands of levels
            // deep is cut here, so the walk costs at most 257 steps per class.
            if chain.len() > 256 {
                break;
            }
            chain.push(i);
            cur = classes.get(i).super_idx;
        }
        let align = |x: u64, a: u64| x.div_ceil(a) * a;
        let mut end = self.object_header as u64;
        for &i in chain.iter().rev() {
            let fields = &classes.get(i).record.fields;
            if fields.is_empty() {
                continue;
            }
            let mut n = [0u64; 4]; // 8-, 4-, 2-, 1-byte primitives
            let mut refs = 0u64;
            for f in fields {
                match f.ty {
                    BasicType::Object => refs += 1,
                    t => match t.size_in_dump(8) {
                        8 => n[0] += 1,
                        4 => n[1] += 1,
                        2 => n[2] += 1,
                        _ => n[3] += 1,
                    },
                }
            }
            // The super class's fields take whole heapOopSize units after the header.
            let header = self.object_header as u64;
            let mut pos = header + align(end - header, oop);
            if n[0] > 0 && !pos.is_multiple_of(8) {
                // Fill the gap before the 8-byte fields with smaller ones.
                while !pos.is_multiple_of(8) {
                    if pos.is_multiple_of(4) && n[1] > 0 {
                        n[1] -= 1;
                        pos += 4;
                    } else if pos.is_multiple_of(4) && oop == 4 && refs > 0 {
                        refs -= 1;
                        pos += 4;
                    } else if pos.is_multiple_of(2) && n[2] > 0 {
                        n[2] -= 1;
                        pos += 2;
                    } else if n[3] > 0 {
                        n[3] -= 1;
                        pos += 1;
                    } else {
                        pos = align(pos, 8);
                    }
                }
            }
            pos = align(pos, if n[0] > 0 { 8 } else { 1 }) + 8 * n[0];
            pos = align(pos, if n[1] > 0 { 4 } else { 1 }) + 4 * n[1];
            pos = align(pos, if n[2] > 0 { 2 } else { 1 }) + 2 * n[2];
            pos += n[3];
            if refs > 0 {
                pos = align(pos, oop) + oop * refs;
            }
            end = pos;
        }
        align8(end)
    }

    /// Total size of many arrays from their [`crate::load::census::ArraySums`].
    pub fn arrays(&self, s: &crate::load::census::ArraySums, is_reference: bool) -> u64 {
        let h = self.array_header as u64;
        if is_reference && self.reference == 8 {
            return s.count * h + s.wide;
        }
        if h.is_multiple_of(8) {
            s.count * h + s.aligned
        } else {
            // h = 12: align8(12 + x) = 8 + align8(4 + x)
            s.count * (h - 4) + s.aligned_plus4
        }
    }

    /// Infers the layout from neighbour distances (see the module documentation), unless
    /// `forced` (`--layout`) or the dump is Android's.
    pub fn infer(
        id_size: u8,
        android: bool,
        forced: Option<SizeModel>,
        gaps: &[GapSample],
        classes: &ClassTable,
    ) -> (SizeModel, LayoutEvidence) {
        let mut candidates: Vec<SizeModel> = Vec::new();
        let how = if let Some(m) = forced {
            candidates.push(m);
            "override"
        } else if android {
            candidates.push(SizeModel::ART);
            "android"
        } else {
            let bases: &[SizeModel] = if id_size == 4 {
                &[
                    SizeModel::BITS32,
                    SizeModel::COMPRESSED,
                    SizeModel::WIDE_OOPS,
                    SizeModel::UNCOMPRESSED,
                ]
            } else {
                &[
                    SizeModel::COMPRESSED,
                    SizeModel::WIDE_OOPS,
                    SizeModel::UNCOMPRESSED,
                ]
            };
            for b in bases {
                for fl in [FieldLayout::Packed, FieldLayout::PerClass] {
                    candidates.push(SizeModel {
                        field_layout: fl,
                        ..*b
                    });
                }
            }
            "inferred"
        };
        let hits = hits(&candidates, gaps, classes);
        let mut best = 0;
        for i in 1..candidates.len() {
            if hits[i] > hits[best] {
                best = i;
            }
        }
        let model = SizeModel {
            evidence: [hits[best], gaps.len() as u64],
            ..candidates[best]
        };
        let evidence = LayoutEvidence {
            chosen: model.name(),
            how,
            samples: gaps.len() as u64,
            candidates: candidates
                .iter()
                .zip(hits)
                .map(|(m, h)| (m.name(), h))
                .collect(),
        };
        (model, evidence)
    }
}

/// How many of the sampled neighbour distances each candidate model predicts exactly.
fn hits(candidates: &[SizeModel], gaps: &[GapSample], classes: &ClassTable) -> Vec<u64> {
    let mut hits = vec![0u64; candidates.len()];
    // Each candidate's instance size per class, computed at the class's first sample (a
    // piece keeps hundreds of samples, mostly of a few classes).
    let mut memo = vec![u64::MAX; candidates.len() * classes.len()];
    for &(n, gap) in gaps {
        let ci = match n {
            Neighbour::Instance(cid) => match classes.index_of(cid) {
                Some(ci) => Some(ci),
                None => continue,
            },
            _ => None,
        };
        for (k, (m, hit)) in candidates.iter().zip(hits.iter_mut()).enumerate() {
            let predicted = match (n, ci) {
                (_, Some(ci)) => {
                    let slot = &mut memo[k * classes.len() + ci as usize];
                    if *slot == u64::MAX {
                        *slot = m.instance_of(classes, ci);
                    }
                    *slot
                }
                (Neighbour::PrimitiveArray(t, len), None) => m.array(len, t.size_in_dump(8) as u64),
                (Neighbour::ObjectArray(len), None) => m.array(len, 0),
                // Instances of classes not in the dump were skipped above.
                (Neighbour::Instance(_), None) => continue,
            };
            if predicted == gap {
                *hit += 1;
            }
        }
    }
    hits
}
