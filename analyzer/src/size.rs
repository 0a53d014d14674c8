//! The shallow-size model: how many bytes an object takes in a HotSpot heap.
//!
//! HPROF records field values, not the JVM's layout: references are written with the
//! identifier size (8 on a 64-bit JVM) even when the JVM stores them in 4 bytes (compressed
//! oops), and object headers are not written at all. The model follows HotSpot:
//!
//! | JVM | object header | reference | array header |
//! |---|---|---|---|
//! | 64-bit, compressed oops and class pointers (heaps under 32 GB, the default) | 12 | 4 | 16 |
//! | 64-bit, compressed class pointers only (`-XX:-UseCompressedOops`, heaps of 32 GB+) | 12 | 8 | 16 |
//! | 64-bit, neither | 16 | 8 | 24 |
//! | 32-bit (identifier size 4) | 8 | 4 | 12 |
//!
//! An instance takes `align8(header + primitive field bytes + references × reference size)`,
//! an array `align8(array header + length × element size)`, and a class object the size of a
//! `java.lang.Class` instance plus its static fields, aligned to 8.
//!
//! Which 64-bit layout a dump comes from is inferred: objects allocated one after another sit
//! next to each other in the heap, so the distance between the addresses (ids) of neighbours
//! in the dump is often exactly the first one's size. Each layout predicts those distances;
//! the one that predicts the most wins (ties go to the default layout). The distances are
//! sampled across each piece of the dump (see `Census::neighbour`), not only at its start,
//! where the JDK's own start-up objects mostly have the same size under every field layout.
//!
//! Field layout: JDK 15 and later pack the fields of a class and its super classes together
//! ([`FieldLayout::Packed`], modelled as header + field bytes, aligned to 8). Up to JDK 14
//! each class's own fields form a block that starts after the header and its super classes'
//! field bytes rounded up to the reference size (heapOopSize), and within a block the 8-byte fields come
//! first, then 4-, 2- and 1-byte fields, then references; small fields fill the gap before
//! the first 8-byte field ([`FieldLayout::PerClass`]). Both are candidates of the inference:
//! a class with a byte field whose super and super-super have one byte field each takes 24
//! bytes packed and 40 per class without compressed oops.
//!
//! Identifier size 4 is a 32-bit JVM, or a 64-bit JVM written by the `-agentlib:hprof`
//! agent (whose ids are serials, not addresses, so neighbour distances tell nothing): the
//! 32-bit layout wins ties; `--layout` overrides the inference.
//!
//! Android (`JAVA PROFILE 1.0.3`) uses ART's layout: 8-byte object headers (class and lock
//! words), 4-byte references, 12-byte array headers, objects aligned to 8, fields packed
//! across the hierarchy ([`SizeModel::ART`]). ART's `java.lang.Object` declares its header as
//! two fields (`shadow$_klass_`, `shadow$_monitor_`) that ART's dumps write with every
//! instance: they are the 8 header bytes, not counted again. ART aligns the data of long and
//! double arrays to 8 (a 16-byte header); that is not modelled (4 bytes less per such array).

use serde::Serialize;

use hprof_parser::BasicType;

use crate::census::{GapSample, Neighbour};
use crate::classes::ClassTable;

/// How a JVM lays out the instance fields of a class hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldLayout {
    /// JDK 15 and later (and ART): fields packed across the class hierarchy.
    Packed,
    /// JDK 14 and earlier: each class's fields in a block of their own.
    PerClass,
}

/// Object layout parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SizeModel {
    /// Bytes of an object header.
    pub object_header: u32,
    /// Bytes of a reference field or array slot.
    pub reference: u32,
    /// Bytes of an array header (including the length).
    pub array_header: u32,
    /// Whether references are compressed (4 bytes on a 64-bit JVM).
    pub compressed_oops: bool,
    /// Whether class pointers are compressed (12-byte headers on a 64-bit JVM).
    pub compressed_class_pointers: bool,
    /// How many neighbour distances the chosen layout predicted, of how many sampled.
    pub evidence: [u64; 2],
    /// How instance fields are laid out (reported by `info` under `layout`).
    #[serde(skip)]
    pub field_layout: FieldLayout,
    /// Whether this is Android ART's layout.
    #[serde(skip)]
    pub art: bool,
}

/// How the layout was chosen: every candidate with the neighbour distances it predicted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LayoutEvidence {
    /// The layout used, by name (see [`SizeModel::name`]).
    pub chosen: String,
    /// How it was chosen: `inferred`, `override` (`--layout`), `android` or `32-bit`
    /// (nothing to infer from).
    pub how: &'static str,
    /// Neighbour distances sampled.
    pub samples: u64,
    /// Each candidate layout and how many distances it predicted.
    pub candidates: Vec<(String, u64)>,
}

#[inline]
fn align8(x: u64) -> u64 {
    (x + 7) & !7
}

impl SizeModel {
    /// 64-bit with compressed oops and class pointers (the default below 32 GB of heap).
    pub const COMPRESSED: SizeModel = SizeModel {
        object_header: 12,
        reference: 4,
        array_header: 16,
        compressed_oops: true,
        compressed_class_pointers: true,
        evidence: [0, 0],
        field_layout: FieldLayout::Packed,
        art: false,
    };
    /// 64-bit with compressed class pointers only.
    pub const WIDE_OOPS: SizeModel = SizeModel {
        object_header: 12,
        reference: 8,
        array_header: 16,
        compressed_oops: false,
        compressed_class_pointers: true,
        evidence: [0, 0],
        field_layout: FieldLayout::Packed,
        art: false,
    };
    /// 64-bit with nothing compressed.
    pub const UNCOMPRESSED: SizeModel = SizeModel {
        object_header: 16,
        reference: 8,
        array_header: 24,
        compressed_oops: false,
        compressed_class_pointers: false,
        evidence: [0, 0],
        field_layout: FieldLayout::Packed,
        art: false,
    };
    /// 32-bit JVM.
    pub const BITS32: SizeModel = SizeModel {
        object_header: 8,
        reference: 4,
        array_header: 12,
        compressed_oops: false,
        compressed_class_pointers: false,
        evidence: [0, 0],
        field_layout: FieldLayout::Packed,
        art: false,
    };

    /// Android ART: 8-byte headers, 4-byte references, 12-byte array headers, packed fields.
    pub const ART: SizeModel = SizeModel {
        art: true,
        ..SizeModel::BITS32
    };

    /// The layout's name as `--layout` takes it: `compressed`, `wide-oops`, `uncompressed`,
    /// `32-bit` or `art`, followed by `+per-class` for the JDK 14 field layout.
    pub fn name(&self) -> String {
        let base = if self.art {
            "art"
        } else if self.object_header == 8 {
            "32-bit"
        } else if self.compressed_oops {
            "compressed"
        } else if self.compressed_class_pointers {
            "wide-oops"
        } else {
            "uncompressed"
        };
        match self.field_layout {
            FieldLayout::Packed => base.to_string(),
            FieldLayout::PerClass => format!("{base}+per-class"),
        }
    }

    /// Parses a `--layout` value (see [`SizeModel::name`]; `+packed` is accepted too).
    pub fn parse(s: &str) -> Result<SizeModel, String> {
        let (base, fields) = match s.split_once('+') {
            Some((b, f)) => (b, Some(f)),
            None => (s, None),
        };
        let mut m = match base {
            "compressed" => SizeModel::COMPRESSED,
            "wide-oops" => SizeModel::WIDE_OOPS,
            "uncompressed" => SizeModel::UNCOMPRESSED,
            "32-bit" => SizeModel::BITS32,
            "art" => SizeModel::ART,
            other => return Err(format!("--layout {other:?}: use compressed, wide-oops, uncompressed, 32-bit or art, optionally +per-class")),
        };
        m.field_layout = match fields {
            None | Some("packed") => FieldLayout::Packed,
            Some("per-class") => FieldLayout::PerClass,
            Some(other) => return Err(format!("--layout ...+{other}: use +per-class or +packed")),
        };
        Ok(m)
    }

    /// Shallow size of an instance of class `ci` under this layout.
    pub fn instance_of(&self, classes: &ClassTable, ci: crate::classes::ClassIdx) -> u64 {
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
    fn per_class_instance(&self, classes: &ClassTable, ci: crate::classes::ClassIdx) -> u64 {
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

    /// Size of an instance with these primitive field bytes and reference fields.
    #[inline]
    pub fn instance(&self, primitive_bytes: u32, references: u32) -> u64 {
        align8(
            self.object_header as u64
                + primitive_bytes as u64
                + references as u64 * self.reference as u64,
        )
    }

    /// Size of an array of `len` elements of `elem` bytes each (pass 0 for references).
    #[inline]
    pub fn array(&self, len: u64, elem: u64) -> u64 {
        let elem = if elem == 0 {
            self.reference as u64
        } else {
            elem
        };
        align8(self.array_header as u64 + len * elem)
    }

    /// Total size of many arrays from their [`crate::census::ArraySums`].
    pub fn arrays(&self, s: &crate::census::ArraySums, is_reference: bool) -> u64 {
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
        let mut hits = vec![0u64; candidates.len()];
        for &(n, gap) in gaps {
            for (m, hit) in candidates.iter().zip(hits.iter_mut()) {
                let predicted = match n {
                    Neighbour::Instance(cid) => match classes.index_of(cid) {
                        Some(ci) => m.instance_of(classes, ci),
                        None => continue,
                    },
                    Neighbour::ObjectArray(len) => m.array(len, 0),
                    Neighbour::PrimitiveArray(t, len) => m.array(len, t.size_in_dump(8) as u64),
                };
                if predicted == gap {
                    *hit += 1;
                }
            }
        }
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
