//! Flag values that need parsing or a meaning of their own: sizes (`64G`), the mapping file,
//! the array types `redact` keeps.

use clap::ValueEnum;

/// Reads and parses a `--mapping` file once, before any dump is opened.
pub(super) fn parse_mapping(
    s: &str,
) -> Result<std::sync::Arc<analyzer::load::mapping::Mapping>, String> {
    analyzer::load::mapping::Mapping::load(std::path::Path::new(s))
        .map(std::sync::Arc::new)
        .map_err(|e| e.to_string())
}

/// What `redact` replaces array contents with (`--filler`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FillerKind {
    /// A keyed permutation of the contents: equal stays equal, distinct stays distinct.
    Keyed,
    /// Zeros, and each text character's class: distinct values of one shape become equal.
    Shape,
}

/// A primitive array element type, for `redact --keep-arrays`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ArrayType {
    /// boolean[]
    Boolean,
    /// char[] (String contents on old JDKs)
    Char,
    /// float[]
    Float,
    /// double[]
    Double,
    /// byte[] (String contents on JDK 9 and later)
    Byte,
    /// short[]
    Short,
    /// int[]
    Int,
    /// long[]
    Long,
}

impl ArrayType {
    /// The parser's element type.
    pub(crate) fn basic_type(self) -> hprof_parser::BasicType {
        use hprof_parser::BasicType as B;
        match self {
            ArrayType::Boolean => B::Boolean,
            ArrayType::Char => B::Char,
            ArrayType::Float => B::Float,
            ArrayType::Double => B::Double,
            ArrayType::Byte => B::Byte,
            ArrayType::Short => B::Short,
            ArrayType::Int => B::Int,
            ArrayType::Long => B::Long,
        }
    }
}

/// A byte limit, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limit(pub Option<u64>);

/// Parses `64G`, `512M`, `1.5T`-free forms: a whole number with an optional binary suffix
/// (`K`, `M`, `G`, `T`, with or without `iB`/`B`), or `none`.
pub(crate) fn parse_size(s: &str) -> Result<Limit, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("none") {
        return Ok(Limit(None));
    }
    let lower = t.to_ascii_lowercase();
    let body = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (digits, shift) = match body.chars().last() {
        Some('k') => (&body[..body.len() - 1], 10),
        Some('m') => (&body[..body.len() - 1], 20),
        Some('g') => (&body[..body.len() - 1], 30),
        Some('t') => (&body[..body.len() - 1], 40),
        _ => (body, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a size (use e.g. 64G, 512M, 1T or none)"))?;
    n.checked_mul(1u64 << shift)
        .map(|b| Limit(Some(b)))
        .ok_or_else(|| format!("{s:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("64G"), Ok(Limit(Some(64 << 30))));
        assert_eq!(parse_size("512MiB"), Ok(Limit(Some(512 << 20))));
        assert_eq!(parse_size("1t"), Ok(Limit(Some(1 << 40))));
        assert_eq!(parse_size("1000"), Ok(Limit(Some(1000))));
        assert_eq!(parse_size("none"), Ok(Limit(None)));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999T").is_err());
    }
}
