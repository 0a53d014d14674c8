//! Stack traces: FRAME records (a method, its class's serial, a line) and TRACE records (a
//! thread's frames, innermost first). A JAVA_FRAME root names its thread's serial and a frame
//! number: with these, the method whose local variable holds the object.

use crate::error::{ParseError, Result};
use crate::reader::{read_id, read_u32};
use crate::records::Record;

/// A FRAME record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The frame's id (what TRACE records list).
    pub id: u64,
    /// The UTF8 string id of the method's name.
    pub method_name_id: u64,
    /// The UTF8 string id of the method's signature.
    pub signature_id: u64,
    /// The UTF8 string id of the source file's name.
    pub source_id: u64,
    /// The serial number of the method's class (LOAD_CLASS).
    pub class_serial: u32,
    /// The line number: positive, or 0 / -1 / -2 / -3 for none, unknown, compiled, native.
    pub line: i32,
}

/// A TRACE record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// The trace's serial number.
    pub serial: u32,
    /// The serial number of the thread it belongs to.
    pub thread_serial: u32,
    /// The frame ids, innermost first.
    pub frames: Vec<u64>,
}

/// The body of the record whose tag byte is at `offset`, checked against `data`.
fn body_at<'d>(data: &'d [u8], offset: u64, what: &'static str) -> Result<&'d [u8]> {
    let truncated = |needed: u64| ParseError::Truncated {
        record: what,
        offset,
        needed,
        remaining: (data.len() as u64).saturating_sub(offset),
    };
    let start = usize::try_from(offset).map_err(|_| truncated(Record::HEADER_LEN))?;
    let header = data
        .get(start..)
        .filter(|b| b.len() as u64 >= Record::HEADER_LEN)
        .ok_or_else(|| truncated(Record::HEADER_LEN))?;
    let len = read_u32(&header[5..]) as u64;
    let needed = Record::HEADER_LEN + len;
    if (header.len() as u64) < needed {
        return Err(truncated(needed));
    }
    Ok(&header[Record::HEADER_LEN as usize..needed as usize])
}

/// Decodes the FRAME record at `offset` (the tag byte's).
pub fn read_frame(data: &[u8], offset: u64, id_size: u8) -> Result<Frame> {
    let body = body_at(data, offset, "FRAME")?;
    let ids = id_size as usize;
    let need = 4 * ids + 8;
    if body.len() < need {
        return Err(ParseError::Truncated {
            record: "FRAME",
            offset,
            needed: need as u64,
            remaining: body.len() as u64,
        });
    }
    Ok(Frame {
        id: read_id(body, id_size),
        method_name_id: read_id(&body[ids..], id_size),
        signature_id: read_id(&body[2 * ids..], id_size),
        source_id: read_id(&body[3 * ids..], id_size),
        class_serial: read_u32(&body[4 * ids..]),
        line: read_u32(&body[4 * ids + 4..]) as i32,
    })
}

/// Decodes the TRACE record at `offset` (the tag byte's). Its frame count is checked against
/// the record's length before anything is allocated.
pub fn read_trace(data: &[u8], offset: u64, id_size: u8) -> Result<Trace> {
    let body = body_at(data, offset, "TRACE")?;
    let short = |needed: u64| ParseError::Truncated {
        record: "TRACE",
        offset,
        needed,
        remaining: body.len() as u64,
    };
    if body.len() < 12 {
        return Err(short(12));
    }
    let n = read_u32(&body[8..]) as u64;
    let need = 12 + n * id_size as u64;
    if (body.len() as u64) < need {
        return Err(short(need));
    }
    let frames = body[12..need as usize]
        .chunks_exact(id_size as usize)
        .map(|c| read_id(c, id_size))
        .collect();
    Ok(Trace {
        serial: read_u32(body),
        thread_serial: read_u32(&body[4..]),
        frames,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut r = vec![tag, 0, 0, 0, 0];
        r.extend((body.len() as u32).to_be_bytes());
        r.extend(body);
        r
    }

    #[test]
    fn frames_and_traces_decode() {
        let mut body = Vec::new();
        for id in [7u64, 100, 101, 102] {
            body.extend(id.to_be_bytes());
        }
        body.extend(3u32.to_be_bytes());
        body.extend(42i32.to_be_bytes());
        let data = record(0x04, &body);
        let f = read_frame(&data, 0, 8).unwrap();
        assert_eq!(
            (f.id, f.method_name_id, f.class_serial, f.line),
            (7, 100, 3, 42)
        );

        let mut body = Vec::new();
        body.extend(1u32.to_be_bytes());
        body.extend(5u32.to_be_bytes());
        body.extend(2u32.to_be_bytes());
        body.extend(7u32.to_be_bytes());
        body.extend(8u32.to_be_bytes());
        let data = record(0x05, &body);
        let t = read_trace(&data, 0, 4).unwrap();
        assert_eq!((t.serial, t.thread_serial, t.frames), (1, 5, vec![7, 8]));
    }

    #[test]
    fn lengths_are_checked() {
        // A frame count far beyond the record, a record beyond the data, a short frame.
        let mut body = Vec::new();
        body.extend(1u32.to_be_bytes());
        body.extend(5u32.to_be_bytes());
        body.extend(u32::MAX.to_be_bytes());
        let data = record(0x05, &body);
        assert!(read_trace(&data, 0, 8).is_err());
        assert!(read_trace(&data[..10], 0, 8).is_err());
        assert!(read_trace(&data, 1_000, 8).is_err());
        assert!(read_frame(&record(0x04, &[0; 20]), 0, 8).is_err());
    }
}
