//! Pseudonyms as a keyed hash of the name: the same name gets the same pseudonym in every dump
//! redacted with the same key, so a series of dumps of one application stays comparable.
//!
//! The hash is SipHash-2-4 (Aumasson and Bernstein's keyed pseudo-random function, the
//! reference variant with published test vectors), written out here because its output must
//! never change: `std`'s `DefaultHasher` is SipHash too but documents that its algorithm may
//! change between Rust releases, and a pseudonym that changed with the compiler would break
//! the comparison of dumps redacted at different times. A keyed PRF rather than a plain hash
//! (FNV, ...) because without the key nobody can confirm a guess: with the public default key
//! anyone can hash candidate names (`CustomerService`, `password`) and look for the result.
//!
//! A pseudonym is the prefix, `_` and the hash in 6 characters of an alphabet of digits and
//! consonants without `l` and `y` (about 29 bits), so that it can never spell a word the
//! analyses read in names (`Map`, `max`, `ttl`, `cache`). When two names of one kind share their
//! 6 characters in one dump, both get 8, then 10, then 14 characters (the whole 64-bit hash);
//! names whose whole hashes are equal are numbered (`_2`, `_3`) in sorted order. Which names
//! collide depends on the dump, so a lengthened pseudonym is only stable across dumps that hold
//! the same colliding names; with a few thousand names per kind this is rare (among 3,000 names
//! the chance that any two collide is below 1%).

use std::collections::{BTreeMap, BTreeSet};

/// The characters of a pseudonym's hash: digits and consonants but `l` and `y`.
const ALPHABET: &[u8; 29] = b"0123456789bcdfghjkmnpqrstvwxz";

/// Hash lengths in characters, shortest first; the last covers all 64 bits.
const LENGTHS: [usize; 4] = [6, 8, 10, 14];

/// The key of the default pseudonyms, when none is given. Public: see the module documentation.
pub const DEFAULT_NAMES_KEY: &str = "hprofscan pseudonyms";

/// The 128-bit key of the pseudonyms, derived from a user's secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameKey {
    k0: u64,
    k1: u64,
}

impl Default for NameKey {
    fn default() -> Self {
        NameKey::new(DEFAULT_NAMES_KEY.as_bytes())
    }
}

impl NameKey {
    /// The key derived from a secret of any length: two SipHash-2-4 values of the secret under
    /// a fixed key (the bytes of `hprofscan names.`), one tagged `0`, one `1`.
    pub fn new(secret: &[u8]) -> NameKey {
        let fixed = b"hprofscan names.";
        let k0 = u64::from_le_bytes(fixed[..8].try_into().unwrap_or_default());
        let k1 = u64::from_le_bytes(fixed[8..].try_into().unwrap_or_default());
        let tagged = |t: u8| {
            let mut m = Vec::with_capacity(secret.len() + 1);
            m.push(t);
            m.extend_from_slice(secret);
            siphash24(k0, k1, &m)
        };
        NameKey {
            k0: tagged(0),
            k1: tagged(1),
        }
    }

    /// The hash of a name of one kind (`prefix`: `Class`, `field`, ...): the same name of two
    /// kinds gets unrelated pseudonyms.
    fn hash(&self, prefix: &str, name: &str) -> u64 {
        let mut m = Vec::with_capacity(prefix.len() + name.len() + 1);
        m.extend_from_slice(prefix.as_bytes());
        m.push(0);
        m.extend_from_slice(name.as_bytes());
        siphash24(self.k0, self.k1, &m)
    }
}

/// SipHash-2-4 of `msg` under the key (`k0`, `k1`) (little-endian words, as the reference).
fn siphash24(k0: u64, k1: u64, msg: &[u8]) -> u64 {
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }
    let compress = |m: u64, v: &mut [u64; 4]| {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    };
    let chunks = msg.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        compress(u64::from_le_bytes(w), &mut v);
    }
    let mut last = [0u8; 8];
    last[..tail.len()].copy_from_slice(tail);
    last[7] = msg.len() as u8;
    compress(u64::from_le_bytes(last), &mut v);
    v[2] ^= 0xff;
    for _ in 0..4 {
        round(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

/// The first `len` characters of a hash in [`ALPHABET`].
fn render(mut h: u64, len: usize) -> String {
    (0..len)
        .map(|_| {
            let c = ALPHABET[(h % ALPHABET.len() as u64) as usize] as char;
            h /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

/// The pseudonyms of a set of names of one kind: `prefix_` and the hash of each name, longer
/// where two collide (see the module documentation).
pub(super) fn hashed(
    names: BTreeSet<String>,
    prefix: &str,
    key: &NameKey,
) -> BTreeMap<String, String> {
    let names: Vec<(String, u64)> = names
        .into_iter()
        .map(|n| {
            let h = key.hash(prefix, &n);
            (n, h)
        })
        .collect();
    let mut level = vec![0usize; names.len()];
    for (l, &len) in LENGTHS.iter().enumerate().take(LENGTHS.len() - 1) {
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, (_, h)) in names.iter().enumerate().filter(|(i, _)| level[*i] == l) {
            groups.entry(render(*h, len)).or_default().push(i);
        }
        for i in groups.into_values().filter(|g| g.len() > 1).flatten() {
            level[i] = l + 1;
        }
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    names
        .into_iter()
        .zip(level)
        .map(|((n, h), l)| {
            let mut p = format!("{prefix}_{}", render(h, LENGTHS[l]));
            let k = seen.entry(p.clone()).or_default();
            *k += 1;
            if *k > 1 {
                p = format!("{p}_{k}");
            }
            (n, p)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siphash24_matches_the_reference_vectors() {
        // The paper's key 00..0f; messages 00..(n-1), from its appendix and the reference
        // implementation's vectors.h.
        let k0 = 0x0706_0504_0302_0100;
        let k1 = 0x0f0e_0d0c_0b0a_0908;
        let msg: Vec<u8> = (0..64).collect();
        assert_eq!(siphash24(k0, k1, &[]), 0x726f_db47_dd0e_0e31);
        assert_eq!(siphash24(k0, k1, &msg[..15]), 0xa129_ca61_49be_45e5);
        assert_eq!(siphash24(k0, k1, &msg[..8]), 0x93f5_f579_9a93_2462);
        assert_eq!(siphash24(k0, k1, &msg[..63]), 0x958a_324c_eb06_4572);
    }

    #[test]
    fn pseudonyms_are_a_function_of_the_name_and_key() {
        let set = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let key = NameKey::new(b"secret");
        let a = hashed(set(&["Billing", "Invoice"]), "Class", &key);
        let b = hashed(set(&["Invoice", "Zebra", "Aardvark"]), "Class", &key);
        assert_eq!(a["Invoice"], b["Invoice"]);
        assert_eq!(a["Invoice"].len(), "Class_".len() + 6);
        assert!(a["Invoice"].starts_with("Class_"));
        let other = hashed(set(&["Invoice"]), "Class", &NameKey::new(b"other"));
        assert_ne!(a["Invoice"], other["Invoice"]);
        let field = hashed(set(&["Invoice"]), "field", &key);
        assert_ne!(a["Invoice"][6..], field["Invoice"][6..]);
        assert_eq!(
            NameKey::default(),
            NameKey::new(DEFAULT_NAMES_KEY.as_bytes())
        );
    }

    #[test]
    fn collisions_lengthen_both_pseudonyms_deterministically() {
        // Many names: some share their first 6 characters; every pseudonym stays distinct.
        let names: BTreeSet<String> = (0..100_000).map(|i| format!("Name{i}")).collect();
        let key = NameKey::default();
        let p = hashed(names.clone(), "Class", &key);
        let distinct: BTreeSet<&String> = p.values().collect();
        assert_eq!(distinct.len(), names.len());
        let long: Vec<&String> = p
            .values()
            .filter(|v| v.len() > "Class_".len() + 6)
            .collect();
        assert!(long.len() >= 2, "{}", long.len());
        assert_eq!(p, hashed(names, "Class", &key));
        // Alone, a lengthened name gets its short pseudonym back.
        let (name, long_p) = p.iter().find(|(_, v)| v.len() > 12).expect("a collision");
        let alone = hashed(BTreeSet::from([name.clone()]), "Class", &key);
        assert!(long_p.starts_with(&alone[name]));
        // No pseudonym spells a word the analyses read.
        assert!(p
            .values()
            .all(|v| !v[6..].contains(['a', 'e', 'i', 'o', 'u', 'l', 'y'])));
    }
}
