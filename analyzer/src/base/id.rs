//! Object ids as the reports carry them: [`ObjectId`], a `u64` printed and serialised as the
//! hex text (`0x7f3a10`) the reports have always shown.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};

/// An object's id in the dump. Printed (`{}`) and serialised as lowercase hex with `0x` and no
/// leading zeros (`0x7f3a10`), as the reports and their JSON always were. Ordered as that text
/// is ([`ObjectId::text_cmp`]: `0x10` before `0x9`), not by value, so that rows tied on
/// everything else keep the order they always had.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectId(pub u64);

impl ObjectId {
    /// Parses `0x7f3a10` (or `7f3a10`); None when it is not hex.
    pub fn parse(text: &str) -> Option<ObjectId> {
        u64::from_str_radix(text.trim_start_matches("0x"), 16)
            .ok()
            .map(ObjectId)
    }

    /// Orders two ids as their hex text orders (`0x10` before `0x9`), the order ties between
    /// report rows have always been broken in.
    pub fn text_cmp(&self, other: &ObjectId) -> Ordering {
        let digits = |x: u64| (64 - x.leading_zeros()).div_ceil(4).max(1);
        let (na, nb) = (digits(self.0), digits(other.0));
        let m = na.min(nb);
        let a = self.0 >> (4 * (na - m));
        let b = other.0 >> (4 * (nb - m));
        a.cmp(&b).then(na.cmp(&nb))
    }
}

impl Ord for ObjectId {
    fn cmp(&self, other: &ObjectId) -> Ordering {
        self.text_cmp(other)
    }
}

impl PartialOrd for ObjectId {
    fn partial_cmp(&self, other: &ObjectId) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:x}", self.0)
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for ObjectId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::ObjectId;

    #[test]
    fn prints_and_orders_as_hex_text() {
        let ids = [0u64, 1, 9, 0x10, 0xa, 0xff, 0x100, u64::MAX, 0x7f3a10];
        for &x in &ids {
            let id = ObjectId(x);
            assert_eq!(id.to_string(), format!("0x{x:x}"));
            assert_eq!(ObjectId::parse(&id.to_string()), Some(id));
            for &y in &ids {
                let (a, b) = (ObjectId(x), ObjectId(y));
                assert_eq!(a.text_cmp(&b), a.to_string().cmp(&b.to_string()), "{a} {b}");
            }
        }
    }
}
