//! Object mixes: how the heap's objects are shared among the shop's structures, and how big
//! its primitive arrays are.

/// Which object mix to write (`gendump --mix`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mix {
    /// The shop as benchmarked since issue #16's first sessions: about 74 bytes of dump per
    /// object (many customers with their orders, request bodies and byte buffers of up to
    /// 1 KiB).
    #[default]
    Default,
    /// The same structures with more small objects: a fifth of the objects are boxed `Long`s
    /// in samplers (the default: 7%), more linked events, counters and sessions (short strings,
    /// map nodes, boxed `Integer`s), fewer customers (26% instead of 40%), and small primitive
    /// arrays (byte buffers of 16 to 256 bytes, request bodies of 48 to 320): about 57.5 bytes
    /// of dump per object, for dumps with many objects on little disk.
    Lean,
}

impl Mix {
    /// The mix's name, as `--mix` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Mix::Default => "default",
            Mix::Lean => "lean",
        }
    }

    /// The shares and sizes of this mix.
    pub(crate) fn shares(self) -> Shares {
        match self {
            Mix::Default => Shares {
                catalog: 4,
                customers: 40,
                sessions: 10,
                events: 20,
                pools: 5,
                samplers: 7,
                counters: 3,
                leak: 8,
                bytes: (64, 1024),
                ints: (4, 64),
                longs: (4, 32),
                chars: (8, 48),
                body: (64, 512),
            },
            Mix::Lean => Shares {
                catalog: 3,
                customers: 26,
                sessions: 8,
                events: 22,
                pools: 6,
                samplers: 20,
                counters: 6,
                leak: 8,
                bytes: (16, 256),
                ints: (2, 24),
                longs: (1, 12),
                chars: (4, 32),
                body: (48, 320),
            },
        }
    }
}

impl std::str::FromStr for Mix {
    type Err = String;

    fn from_str(s: &str) -> Result<Mix, String> {
        match s {
            "default" => Ok(Mix::Default),
            "lean" => Ok(Mix::Lean),
            _ => Err(format!("unknown mix {s:?} (default, lean)")),
        }
    }
}

/// Percent of the objects that each structure gets, and the length ranges (`lo..hi`) of
/// the primitive arrays.
#[derive(Clone, Copy)]
pub(crate) struct Shares {
    /// Products with their names, SKUs, prices and tags; categories.
    pub catalog: u64,
    /// Customers with names, addresses and orders, in sharded maps keyed by boxed `Long`s.
    pub customers: u64,
    /// Sessions with attribute maps of boxed `Integer`s.
    pub sessions: u64,
    /// Doubly linked event logs.
    pub events: u64,
    /// Buffer pools of primitive arrays.
    pub pools: u64,
    /// Samplers: `Long[]` of boxed samples.
    pub samplers: u64,
    /// Counters in a map keyed by their names.
    pub counters: u64,
    /// The leak's request contexts.
    pub leak: u64,
    /// Buffer pools: `byte[]`, `int[]`, `long[]` and `char[]` lengths.
    pub bytes: (u64, u64),
    pub ints: (u64, u64),
    pub longs: (u64, u64),
    pub chars: (u64, u64),
    /// The leak's request bodies (`byte[]`).
    pub body: (u64, u64),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate, Config, Stats};

    #[test]
    fn names_parse_back_and_shares_leave_room_for_the_system_objects() {
        for m in [Mix::Default, Mix::Lean] {
            assert_eq!(m.name().parse::<Mix>(), Ok(m));
            let s = m.shares();
            let total = s.catalog
                + s.customers
                + s.sessions
                + s.events
                + s.pools
                + s.samplers
                + s.counters
                + s.leak;
            assert!((95..=100).contains(&total), "{m:?}: {total}");
        }
        assert!("big".parse::<Mix>().is_err());
    }

    #[test]
    fn the_lean_mix_writes_fewer_bytes_per_object_with_every_kind_of_object() {
        let cfg = Config {
            objects: 200_000,
            seed: 5,
            ..Config::default()
        };
        let mut a = Vec::new();
        let sa = generate(&cfg, &mut a).unwrap();
        let lean = Config {
            mix: Mix::Lean,
            ..cfg.clone()
        };
        let mut b = Vec::new();
        let sb = generate(&lean, &mut b).unwrap();
        let mut b2 = Vec::new();
        generate(&lean, &mut b2).unwrap();
        assert!(b == b2, "the lean mix is deterministic too");
        let per_object = |s: &Stats| s.bytes as f64 / s.objects() as f64;
        assert!(per_object(&sa) > 70.0, "{}", per_object(&sa));
        assert!(per_object(&sb) < 60.0, "{}", per_object(&sb));
        let n = sb.objects() as f64;
        assert!((180_000.0..220_000.0).contains(&n), "{n}");
        for count in [
            sb.instances,
            sb.object_arrays,
            sb.primitive_arrays,
            sb.leak_entries,
            sb.roots_thread_object,
            sb.roots_java_frame,
            sb.roots_jni_local,
            sb.roots_jni_global,
            sb.roots_sticky_class,
        ] {
            assert!(count > 0, "{sb:?}");
        }
        assert_eq!((sa.classes, sa.gc_roots()), (sb.classes, sb.gc_roots()));
    }
}
