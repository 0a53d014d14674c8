//! The keyed filler: each array's contents replaced by a keyed, format-preserving permutation of
//! them, so that equal contents get equal filler and distinct contents distinct filler.
//!
//! # What is kept
//!
//! - The length of every array, always.
//! - Printable ASCII text (a `byte[]` of Latin-1, a `byte[]` or `char[]` of UTF-16 in either byte
//!   order, every character printable ASCII): each character stays in its class, a digit a
//!   digit, a hex letter `a-f` a hex letter `a-f`, another lower-case letter another (`g-z`), the
//!   same for upper case, a space or other punctuation another of those; the separators
//!   `- _ . / :` stay as they are. So every predicate the leak analysis asks of a map key (a UUID,
//!   a hex or base64 token, a numbered id, a short code: `analyzer::leaks::evidence::keys`)
//!   answers the same on the copy. And runs of digits are the only thing the letters do not
//!   depend on: two texts that differ only in their digits (`pool-1-thread-7`,
//!   `pool-1-thread-12`) keep the same letters in the copy, so threads grouped by their name with
//!   the digits left out are grouped alike.
//! - Any other contents (binary `byte[]`, non-ASCII text, `int[]`, `long[]`, ...) become other
//!   bytes of the same length; a `byte[]` or `char[]` that is not text never becomes text.
//!
//! # How
//!
//! Each array is one block of a format-preserving cipher: its contents are a vector of digits,
//! each of its own radix (256 for a byte, 10 for a decimal digit, 6 for a hex letter, ...), and
//! an unbalanced Feistel network of [`ROUNDS`] rounds over the two halves `L`, `R` of the vector
//! adds to each digit of one half, modulo its radix, a keystream derived from the other half:
//! `L += F(round, R)`, then `R += F(round, L)`. Each step is undone by subtracting the same
//! keystream, so the map is a permutation of the vectors of that radix pattern: injective by
//! construction. `F` is SipHash-2-4 under the 128-bit [`ContentKey`] of everything that defines
//! the block (the array kind, its length and character classes, the round, the other half),
//! expanded by a counter. A vector of one digit is permuted by a keyed shuffle of its radix's
//! values. Text is two such blocks in turn: its non-digit characters under a tweak of the text's
//! shape with each run of digits as one mark, then its digits under a tweak of the whole text
//! with the digits masked. Binary `byte[]` and `char[]` contents whose image would look like
//! text are encrypted again until it does not ("cycle walking"), which keeps the map a
//! permutation of the non-text contents.
//!
//! The key is fresh and random for each copy unless one is derived from a user's secret
//! ([`ContentKey::from_secret`]), which makes a series of dumps redacted with one secret
//! comparable. Without the key nobody can compute the filler of a guessed value; what the copy
//! does show is which arrays hold equal contents and each text's shape.

use std::hash::Hasher;

use siphasher::sip::SipHasher24;

use crate::tag::BasicType;

/// Feistel rounds per block.
pub const ROUNDS: u8 = 8;

/// The 128-bit key of the keyed filler. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ContentKey {
    k0: u64,
    k1: u64,
}

impl std::fmt::Debug for ContentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContentKey(..)")
    }
}

impl ContentKey {
    /// A fresh key from the operating system's random source.
    pub fn random() -> std::io::Result<ContentKey> {
        let mut b = [0u8; 16];
        getrandom::fill(&mut b).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(ContentKey::from_bytes(b))
    }

    /// The key derived from a user's secret: two SipHash-2-4 values of the secret under a fixed
    /// key (the bytes of `hprofscan filler`), tagged `0` and `1`. The fixed key differs from the
    /// pseudonyms' ([`crate::pseudonym::NameKey`]), so one secret gives unrelated keys for names
    /// and for contents.
    pub fn from_secret(secret: &[u8]) -> ContentKey {
        let fixed = SipHasher24::new_with_key(b"hprofscan filler");
        let tagged = |t: u8| {
            let mut h = fixed;
            h.write(&[t]);
            h.write(secret);
            h.finish()
        };
        ContentKey {
            k0: tagged(0),
            k1: tagged(1),
        }
    }

    /// The key of 16 bytes (little-endian halves).
    pub fn from_bytes(b: [u8; 16]) -> ContentKey {
        let half = |s: &[u8]| u64::from_le_bytes(s.try_into().unwrap_or_default());
        ContentKey {
            k0: half(&b[..8]),
            k1: half(&b[8..]),
        }
    }

    fn sip(&self) -> SipHasher24 {
        SipHasher24::new_with_keys(self.k0, self.k1)
    }
}

/// The keyed filler: replaces array contents in place (see the module documentation).
#[derive(Clone, Debug)]
pub struct KeyedFiller {
    key: ContentKey,
    /// Scratch vectors of one text's digits and radices, and of its tweak.
    digits: Vec<u8>,
    radices: Vec<u8>,
    tweak: Vec<u8>,
    units: Vec<u8>,
}

/// Domain tags of the blocks: every tweak starts with one.
const TAG_BINARY: u8 = 1;
const TAG_LETTERS: u8 = 2;
const TAG_DIGITS: u8 = 3;

/// How a text's characters are laid out in its array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// One byte per character (Latin-1 `byte[]`).
    Latin1,
    /// Two bytes per character, the character in the first (UTF-16LE `byte[]`).
    Utf16Le,
    /// Two bytes per character, the character in the second (UTF-16BE `byte[]`, any `char[]`).
    Utf16Be,
}

fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// Whether the contents of an array of `elem` are printable ASCII text, and how it is laid out.
fn text_layout(elem: BasicType, data: &[u8]) -> Option<Layout> {
    let utf16 = |le: bool| {
        data.len().is_multiple_of(2)
            && data.chunks_exact(2).all(|c| {
                let (ch, high) = if le { (c[0], c[1]) } else { (c[1], c[0]) };
                printable(ch) && high == 0
            })
    };
    match elem {
        BasicType::Byte if data.iter().all(|&b| printable(b)) => Some(Layout::Latin1),
        BasicType::Byte if utf16(true) => Some(Layout::Utf16Le),
        BasicType::Byte | BasicType::Char if utf16(false) => Some(Layout::Utf16Be),
        _ => None,
    }
}

/// The characters other than letters and digits that change, within their class: every
/// printable ASCII character but the separators `- _ . / :`.
const PUNCT: &[u8; 28] = b" !\"#$%&'()*+,;<=>?@[\\]^`{|}~";

/// A text character's class: its code (1..=6; 0 for a kept character), its radix and its index
/// in the class.
fn class_of(c: u8) -> (u8, u8, u8) {
    match c {
        b'0'..=b'9' => (1, 10, c - b'0'),
        b'a'..=b'f' => (2, 6, c - b'a'),
        b'g'..=b'z' => (3, 20, c - b'g'),
        b'A'..=b'F' => (4, 6, c - b'A'),
        b'G'..=b'Z' => (5, 20, c - b'G'),
        _ => match PUNCT.iter().position(|&p| p == c) {
            Some(i) => (6, PUNCT.len() as u8, i as u8),
            None => (0, 1, 0),
        },
    }
}

/// The character of index `i` in class `class`.
fn char_of(class: u8, i: u8) -> u8 {
    match class {
        1 => b'0' + i,
        2 => b'a' + i,
        3 => b'g' + i,
        4 => b'A' + i,
        5 => b'G' + i,
        _ => PUNCT[i as usize],
    }
}

/// A keystream: SipHash-2-4 of a seed and a counter, 8 bytes at a time.
struct Stream {
    sip: SipHasher24,
    seed: u64,
    counter: u64,
    word: u64,
    left: u32,
}

impl Stream {
    fn new(sip: SipHasher24, seed: u64) -> Stream {
        Stream {
            sip,
            seed,
            counter: 0,
            word: 0,
            left: 0,
        }
    }

    fn refill(&mut self) {
        let mut h = self.sip;
        h.write(&self.seed.to_le_bytes());
        h.write(&self.counter.to_le_bytes());
        self.word = h.finish();
        self.counter += 1;
        self.left = 64;
    }

    fn byte(&mut self) -> u8 {
        if self.left < 8 {
            self.refill();
        }
        let b = self.word as u8;
        self.word >>= 8;
        self.left -= 8;
        b
    }

    /// A value below `radix` (at most 256): 16 bits modulo the radix (a bias below 0.4%).
    fn below(&mut self, radix: u16) -> u8 {
        if radix == 256 {
            return self.byte();
        }
        if self.left < 16 {
            self.refill();
        }
        let v = (self.word & 0xffff) as u16;
        self.word >>= 16;
        self.left -= 16;
        (v % radix) as u8
    }
}

/// The radix of each position of a block: all bytes, or one radix per digit.
#[derive(Clone, Copy)]
enum Radices<'r> {
    Bytes,
    Each(&'r [u8]),
}

impl Radices<'_> {
    fn at(&self, i: usize) -> u16 {
        match self {
            Radices::Bytes => 256,
            Radices::Each(r) => r[i] as u16,
        }
    }
}

/// Direction of a block permutation: the filler, or (in tests) its inverse.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Direction {
    Encrypt,
    #[cfg_attr(not(test), allow(dead_code))]
    Decrypt,
}

impl KeyedFiller {
    /// The filler under `key`.
    pub fn new(key: ContentKey) -> KeyedFiller {
        KeyedFiller {
            key,
            digits: Vec::new(),
            radices: Vec::new(),
            tweak: Vec::new(),
            units: Vec::new(),
        }
    }

    /// Replaces `data`, the contents of an array of `elem`, by its filler.
    pub fn fill(&mut self, elem: BasicType, data: &mut [u8]) {
        self.apply(elem, data, Direction::Encrypt);
    }

    /// The filler (or its inverse) of an array's contents, in place.
    pub(crate) fn apply(&mut self, elem: BasicType, data: &mut [u8], dir: Direction) {
        if data.is_empty() {
            return;
        }
        match text_layout(elem, data) {
            Some(layout) => self.text(layout, data, dir),
            None => {
                let tweak = self.tweak_hash(&[TAG_BINARY, elem.code()], data.len() as u64);
                // A byte[] or char[] that is not text must not become text.
                let walks = matches!(elem, BasicType::Byte | BasicType::Char);
                loop {
                    block(&self.key, tweak, data, Radices::Bytes, dir);
                    if !walks || text_layout(elem, data).is_none() {
                        break;
                    }
                }
            }
        }
    }

    /// The hash of a tweak (tag bytes, a length) that starts each block's PRF input.
    fn tweak_hash(&self, tag: &[u8], len: u64) -> u64 {
        let mut h = self.key.sip();
        h.write(tag);
        h.write(&len.to_le_bytes());
        h.finish()
    }

    /// Text: its characters taken out of their layout, permuted, put back.
    fn text(&mut self, layout: Layout, data: &mut [u8], dir: Direction) {
        let mut units = std::mem::take(&mut self.units);
        units.clear();
        match layout {
            Layout::Latin1 => units.extend_from_slice(data),
            Layout::Utf16Le => units.extend(data.iter().step_by(2)),
            Layout::Utf16Be => units.extend(data.iter().skip(1).step_by(2)),
        }
        match dir {
            Direction::Encrypt => {
                self.letters(&mut units, dir);
                self.digits_of(&mut units, dir);
            }
            Direction::Decrypt => {
                self.digits_of(&mut units, dir);
                self.letters(&mut units, dir);
            }
        }
        match layout {
            Layout::Latin1 => data.copy_from_slice(&units),
            Layout::Utf16Le => data
                .iter_mut()
                .step_by(2)
                .zip(&units)
                .for_each(|(d, u)| *d = *u),
            Layout::Utf16Be => data
                .iter_mut()
                .skip(1)
                .step_by(2)
                .zip(&units)
                .for_each(|(d, u)| *d = *u),
        }
        self.units = units;
    }

    /// The non-digit characters of a text, under a tweak of its shape in which each run of
    /// digits is one mark (so the digits' values and count do not change them).
    fn letters(&mut self, text: &mut [u8], dir: Direction) {
        self.digits.clear();
        self.radices.clear();
        self.tweak.clear();
        self.tweak.push(TAG_LETTERS);
        let mut in_digits = false;
        for &c in text.iter() {
            let (class, radix, i) = class_of(c);
            match class {
                1 => {
                    if !in_digits {
                        self.tweak.push(1);
                    }
                    in_digits = true;
                    continue;
                }
                0 => self.tweak.push(c),
                _ => {
                    self.tweak.push(class);
                    self.digits.push(i);
                    self.radices.push(radix);
                }
            }
            in_digits = false;
        }
        if self.digits.is_empty() {
            return;
        }
        let tweak = self.tweak_hash(&self.tweak, self.digits.len() as u64);
        block(
            &self.key,
            tweak,
            &mut self.digits,
            Radices::Each(&self.radices),
            dir,
        );
        let mut next = self.digits.iter();
        for c in text.iter_mut() {
            let (class, _, _) = class_of(*c);
            if class > 1 {
                if let Some(&i) = next.next() {
                    *c = char_of(class, i);
                }
            }
        }
    }

    /// The digits of a text, under a tweak of the whole text with its digits masked.
    fn digits_of(&mut self, text: &mut [u8], dir: Direction) {
        self.digits.clear();
        self.radices.clear();
        self.tweak.clear();
        self.tweak.push(TAG_DIGITS);
        for &c in text.iter() {
            if c.is_ascii_digit() {
                self.tweak.push(1);
                self.digits.push(c - b'0');
                self.radices.push(10);
            } else {
                self.tweak.push(c);
            }
        }
        if self.digits.is_empty() {
            return;
        }
        let tweak = self.tweak_hash(&self.tweak, self.digits.len() as u64);
        block(
            &self.key,
            tweak,
            &mut self.digits,
            Radices::Each(&self.radices),
            dir,
        );
        let mut next = self.digits.iter();
        for c in text.iter_mut().filter(|c| c.is_ascii_digit()) {
            if let Some(&d) = next.next() {
                *c = b'0' + d;
            }
        }
    }
}

/// The seed of one round's keystream: the PRF of the tweak, the round and the other half.
fn round_seed(key: &ContentKey, tweak: u64, round: u8, other: &[u8]) -> u64 {
    let mut h = key.sip();
    h.write(&tweak.to_le_bytes());
    h.write(&[round]);
    h.write(other);
    h.finish()
}

/// Permutes one block of digits (`d[i] < radices.at(i)`) in place: a Feistel network for two
/// digits or more, a keyed shuffle for one.
fn block(key: &ContentKey, tweak: u64, d: &mut [u8], radices: Radices<'_>, dir: Direction) {
    let n = d.len();
    if n == 0 {
        return;
    }
    if n == 1 {
        let r = radices.at(0);
        let table = shuffle(key, tweak, r);
        d[0] = match dir {
            Direction::Encrypt => table[d[0] as usize],
            Direction::Decrypt => table.iter().position(|&v| v == d[0]).unwrap_or(0) as u8,
        };
        return;
    }
    let u = n / 2;
    for step in 0..ROUNDS {
        let round = match dir {
            Direction::Encrypt => step,
            Direction::Decrypt => ROUNDS - 1 - step,
        };
        let (l, r) = d.split_at_mut(u);
        // Even rounds change L from R, odd rounds R from L.
        let (target, other, base) = if round % 2 == 0 {
            (l, &*r, 0)
        } else {
            (r, &*l, u)
        };
        let mut ks = Stream::new(key.sip(), round_seed(key, tweak, round, other));
        match radices {
            Radices::Bytes => {
                for t in target.iter_mut() {
                    let k = ks.byte();
                    *t = match dir {
                        Direction::Encrypt => t.wrapping_add(k),
                        Direction::Decrypt => t.wrapping_sub(k),
                    };
                }
            }
            Radices::Each(rs) => {
                for (j, t) in target.iter_mut().enumerate() {
                    let radix = rs[base + j] as u16;
                    let k = ks.below(radix) as u16;
                    let v = *t as u16;
                    *t = match dir {
                        Direction::Encrypt => ((v + k) % radix) as u8,
                        Direction::Decrypt => ((v + radix - k) % radix) as u8,
                    };
                }
            }
        }
    }
}

/// A keyed permutation of `0..radix` (Fisher-Yates driven by the keystream of the tweak).
fn shuffle(key: &ContentKey, tweak: u64, radix: u16) -> Vec<u8> {
    let mut table: Vec<u8> = (0..radix).map(|v| v as u8).collect();
    let mut ks = Stream::new(key.sip(), round_seed(key, tweak, ROUNDS, &[]));
    for i in (1..table.len()).rev() {
        let j = if i + 1 == 256 {
            ks.byte() as usize
        } else {
            ks.below(i as u16 + 1) as usize
        };
        table.swap(i, j);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn filler(seed: u8) -> KeyedFiller {
        KeyedFiller::new(ContentKey::from_bytes([seed; 16]))
    }

    fn enc(f: &mut KeyedFiller, elem: BasicType, data: &[u8]) -> Vec<u8> {
        let mut d = data.to_vec();
        f.apply(elem, &mut d, Direction::Encrypt);
        d
    }

    fn dec(f: &mut KeyedFiller, elem: BasicType, data: &[u8]) -> Vec<u8> {
        let mut d = data.to_vec();
        f.apply(elem, &mut d, Direction::Decrypt);
        d
    }

    /// What the filler must keep of each character of text.
    fn class(c: u8) -> (bool, bool, bool, bool, bool, Option<u8>) {
        let kept = matches!(c, b'-' | b'_' | b'.' | b'/' | b':' | 0).then_some(c);
        (
            c.is_ascii_digit(),
            c.is_ascii_hexdigit(),
            c.is_ascii_lowercase(),
            c.is_ascii_uppercase(),
            c.is_ascii_alphanumeric(),
            kept,
        )
    }

    /// Printable ASCII text, mostly of the classes keys are made of.
    fn text() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(
            prop_oneof![
                4 => b'0'..=b'9',
                4 => b'a'..=b'z',
                2 => b'A'..=b'Z',
                1 => prop::sample::select(b"-_./: @#~".to_vec()),
                1 => 0x20u8..0x7f,
            ],
            0..40,
        )
    }

    fn utf16(t: &[u8], le: bool) -> Vec<u8> {
        t.iter()
            .flat_map(|&c| if le { [c, 0] } else { [0, c] })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn the_inverse_undoes_the_filler_of_any_array(
            elem in prop::sample::select(BasicType::PRIMITIVES.to_vec()),
            data in prop::collection::vec(any::<u8>(), 0..300),
            seed in any::<u8>(),
        ) {
            let mut f = filler(seed);
            let e = enc(&mut f, elem, &data);
            prop_assert_eq!(e.len(), data.len());
            prop_assert_eq!(dec(&mut f, elem, &e), data.clone());
            // Not text stays not text; the filler is a function of the contents.
            prop_assert_eq!(text_layout(elem, &e).is_some(), text_layout(elem, &data).is_some());
            prop_assert_eq!(enc(&mut filler(seed), elem, &data), e);
        }

        #[test]
        fn text_keeps_its_length_and_each_characters_class(t in text(), seed in any::<u8>()) {
            let mut f = filler(seed);
            for (elem, data) in [
                (BasicType::Byte, t.clone()),
                (BasicType::Byte, utf16(&t, true)),
                (BasicType::Byte, utf16(&t, false)),
                (BasicType::Char, utf16(&t, false)),
            ] {
                let e = enc(&mut f, elem, &data);
                prop_assert_eq!(e.len(), data.len());
                prop_assert_eq!(text_layout(elem, &e), text_layout(elem, &data));
                for (a, b) in data.iter().zip(&e) {
                    prop_assert_eq!(class(*a), class(*b), "{} -> {}", *a as char, *b as char);
                }
                prop_assert_eq!(dec(&mut f, elem, &e), data);
            }
            // One text is one filler in every layout.
            let latin1 = enc(&mut f, BasicType::Byte, &t);
            prop_assert_eq!(enc(&mut f, BasicType::Char, &utf16(&t, false)), utf16(&latin1, false));
        }

        #[test]
        fn texts_that_differ_only_in_digits_keep_the_same_letters(
            prefix in "[a-z]{1,8}-",
            a in 0u32..100_000,
            b in 0u32..100_000,
        ) {
            let mut f = filler(7);
            let letters = |t: &str, f: &mut KeyedFiller| -> Vec<u8> {
                let e = enc(f, BasicType::Byte, t.as_bytes());
                // Runs of digits as one mark, as thread names are grouped.
                let mut out = Vec::new();
                for c in e {
                    if !c.is_ascii_digit() {
                        out.push(c);
                    } else if out.last() != Some(&b'#') {
                        out.push(b'#');
                    }
                }
                out
            };
            let x = format!("{prefix}{a}-thread-{b}");
            let y = format!("{prefix}{b}-thread-{a}7");
            prop_assert_eq!(letters(&x, &mut f), letters(&y, &mut f));
        }
    }

    #[test]
    fn equal_contents_get_equal_filler_and_distinct_contents_distinct_filler() {
        let mut f = KeyedFiller::new(ContentKey::random().expect("a random key"));
        // SplitMix64: reproducible inputs.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |below: u64| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) % below
        };
        let mut inputs: HashSet<(BasicType, Vec<u8>)> = HashSet::new();
        for _ in 0..40_000 {
            let elem = BasicType::PRIMITIVES[next(8) as usize];
            let len = next(6);
            let pick = next(3);
            let data: Vec<u8> = (0..len)
                .map(|_| match pick {
                    0 => next(256) as u8,
                    1 => b"0123456789abcdef-"[next(17) as usize],
                    _ => 0x20 + next(0x5f) as u8,
                })
                .collect();
            inputs.insert((elem, data));
        }
        let mut outputs = HashSet::new();
        for (elem, data) in &inputs {
            let e = enc(&mut f, *elem, data);
            assert_eq!(enc(&mut f, *elem, data), e, "equal in, equal out");
            assert!(outputs.insert((*elem, e)), "distinct in, distinct out");
        }
        assert!(inputs.len() > 20_000, "{}", inputs.len());
        // Every 2-digit number, every pair of bytes: a permutation of each whole domain.
        let numbers: HashSet<Vec<u8>> = (0..100)
            .map(|n| enc(&mut f, BasicType::Byte, format!("{n:02}").as_bytes()))
            .collect();
        assert_eq!(numbers.len(), 100);
        let pairs: HashSet<Vec<u8>> = (0..=u16::MAX)
            .map(|n| enc(&mut f, BasicType::Short, &n.to_be_bytes()))
            .collect();
        assert_eq!(pairs.len(), 65_536);
    }

    #[test]
    fn uuids_stay_uuids_and_the_key_changes_the_filler() {
        let uuid = b"3f2b8c1e-9a4d-4e6f-b7c2-0d1e2f3a4b5c";
        let is_uuid = |b: &[u8]| {
            b.len() == 36
                && b.iter().enumerate().all(|(i, c)| match i {
                    8 | 13 | 18 | 23 => *c == b'-',
                    _ => c.is_ascii_hexdigit(),
                })
        };
        let a = enc(&mut filler(1), BasicType::Byte, uuid);
        let b = enc(&mut filler(2), BasicType::Byte, uuid);
        assert!(is_uuid(&a) && is_uuid(&b));
        assert_ne!(a, uuid.to_vec());
        assert_ne!(a, b);
        let secret = ContentKey::from_secret(b"team secret");
        assert_eq!(secret, ContentKey::from_secret(b"team secret"));
        assert_ne!(secret, ContentKey::from_secret(b"other secret"));
        assert_eq!(format!("{secret:?}"), "ContentKey(..)");
    }

    #[test]
    fn the_prf_input_is_the_concatenation_of_its_parts() {
        // The round seeds hash their parts with several writes: the crate's hasher must hash
        // the concatenation (as SipHash's reference does), whatever the split.
        let key = ContentKey::from_bytes(*b"0123456789abcdef");
        let msg: Vec<u8> = (0..50).collect();
        let whole = key.sip().hash(&msg);
        for cut in [0, 1, 7, 8, 9, 30, 50] {
            let mut h = key.sip();
            h.write(&msg[..cut]);
            h.write(&msg[cut..]);
            assert_eq!(h.finish(), whole, "{cut}");
        }
        // SipHash-2-4's reference vector (key 00..0f, message 00..0e).
        let k = SipHasher24::new_with_keys(0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908);
        assert_eq!(k.hash(&msg[..15]), 0xa129_ca61_49be_45e5);
    }
}
