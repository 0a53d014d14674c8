//! The file header: `JAVA PROFILE 1.0.x\0`, identifier size, timestamp.

use nom::bytes::complete::{tag, take_until};
use nom::number::complete::{be_u32, be_u64};
use nom::IResult;
use nom::Parser;

use crate::error::{ParseError, Result};

/// The format version named in the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `JAVA PROFILE 1.0.1`
    V1_0_1,
    /// `JAVA PROFILE 1.0.2` (heap dump segments)
    V1_0_2,
    /// `JAVA PROFILE 1.0.3`: Android (Dalvik and ART). The records are those of 1.0.2 plus
    /// Android's heap sub-records (HEAP_DUMP_INFO, the extra root kinds,
    /// PRIMITIVE_ARRAY_NODATA), which the parser reads in any version.
    V1_0_3,
}

impl Version {
    /// The version as written in the header.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1_0_1 => "JAVA PROFILE 1.0.1",
            Version::V1_0_2 => "JAVA PROFILE 1.0.2",
            Version::V1_0_3 => "JAVA PROFILE 1.0.3",
        }
    }
}

/// The decoded file header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Format version.
    pub version: Version,
    /// Size of object and string identifiers: 4 or 8.
    pub id_size: u8,
    /// Milliseconds since the epoch when the dump was written.
    pub timestamp_ms: u64,
    /// Bytes the header takes; the first record starts here.
    pub len: usize,
}

pub(crate) const MAGIC: &[u8] = b"JAVA PROFILE 1.0.";

fn raw_header(input: &[u8]) -> IResult<&[u8], (&[u8], u32, u64)> {
    let (rest, version) = take_until(&b"\0"[..]).parse(input)?;
    let (rest, _) = tag(&b"\0"[..]).parse(rest)?;
    let (rest, id_size) = be_u32(rest)?;
    let (rest, ts) = be_u64(rest)?;
    Ok((rest, (version, id_size, ts)))
}

/// Parses the header at the start of `data`.
pub fn parse_header(data: &[u8]) -> Result<Header> {
    if data.is_empty() {
        return Err(ParseError::Empty);
    }
    let prefix_len = data.len().min(MAGIC.len());
    if data[..prefix_len] != MAGIC[..prefix_len] || data.len() < MAGIC.len() + 1 {
        if data[..prefix_len] == MAGIC[..prefix_len] {
            return Err(ParseError::Truncated {
                record: "header",
                offset: 0,
                needed: MAGIC.len() as u64 + 14,
                remaining: data.len() as u64,
            });
        }
        return Err(ParseError::NotHprof {
            found: prefix_text(data),
        });
    }
    // The version string is at most a few dozen bytes; look for its NUL there only.
    let window = &data[..data.len().min(64)];
    let (_, (version, id_size, ts)) = match raw_header(window) {
        Ok(v) => v,
        Err(_) => {
            if window.contains(&0) || data.len() < 64 {
                return Err(ParseError::Truncated {
                    record: "header",
                    offset: 0,
                    needed: window.iter().position(|&b| b == 0).unwrap_or(18) as u64 + 13,
                    remaining: data.len() as u64,
                });
            }
            return Err(ParseError::NotHprof {
                found: prefix_text(data),
            });
        }
    };
    let version = match version {
        b"JAVA PROFILE 1.0.1" => Version::V1_0_1,
        b"JAVA PROFILE 1.0.2" => Version::V1_0_2,
        b"JAVA PROFILE 1.0.3" => Version::V1_0_3,
        other => {
            return Err(ParseError::UnsupportedVersion {
                version: String::from_utf8_lossy(other).into_owned(),
            })
        }
    };
    let name_len = version.as_str().len() + 1;
    if id_size != 4 && id_size != 8 {
        return Err(ParseError::BadIdSize {
            size: id_size,
            offset: name_len as u64,
        });
    }
    Ok(Header {
        version,
        id_size: id_size as u8,
        timestamp_ms: ts,
        len: name_len + 12,
    })
}

/// The first bytes as text (lossy UTF-8), not escaped: the message's reader escapes it once.
pub(crate) fn prefix_text(data: &[u8]) -> String {
    String::from_utf8_lossy(&data[..data.len().min(20)]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(version: &str, id: u32) -> Vec<u8> {
        let mut v = version.as_bytes().to_vec();
        v.push(0);
        v.extend_from_slice(&id.to_be_bytes());
        v.extend_from_slice(&1_700_000_000_123u64.to_be_bytes());
        v
    }

    #[test]
    fn parses_both_versions_and_id_sizes() {
        for (v, ver) in [
            ("JAVA PROFILE 1.0.1", Version::V1_0_1),
            ("JAVA PROFILE 1.0.2", Version::V1_0_2),
            ("JAVA PROFILE 1.0.3", Version::V1_0_3),
        ] {
            for id in [4u32, 8] {
                let h = parse_header(&header(v, id)).unwrap();
                assert_eq!(h.version, ver);
                assert_eq!(h.id_size as u32, id);
                assert_eq!(h.timestamp_ms, 1_700_000_000_123);
                assert_eq!(h.len, 31);
            }
        }
    }

    #[test]
    fn rejects_bad_inputs() {
        assert!(matches!(parse_header(b""), Err(ParseError::Empty)));
        assert!(matches!(
            parse_header(b"PK\x03\x04 zip file here"),
            Err(ParseError::NotHprof { .. })
        ));
        assert!(matches!(
            parse_header(&header("JAVA PROFILE 1.0.4", 8)),
            Err(ParseError::UnsupportedVersion { .. })
        ));
        assert!(matches!(
            parse_header(&header("JAVA PROFILE 1.0.2", 5)),
            Err(ParseError::BadIdSize {
                size: 5,
                offset: 19
            })
        ));
        let h = header("JAVA PROFILE 1.0.2", 8);
        for cut in 1..h.len() {
            let e = parse_header(&h[..cut]).unwrap_err();
            assert!(matches!(e, ParseError::Truncated { .. }), "cut {cut}: {e}");
        }
    }
}
