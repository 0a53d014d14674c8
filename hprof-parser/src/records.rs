//! Top-level records: a tag, a time offset and a length-prefixed body.

use crate::error::{ParseError, Result};
use crate::reader::{read_u32, Reader};
use crate::tag::{RecordTag, SubTag};

/// One top-level record as a view over the dump's bytes.
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    /// The record's tag.
    pub tag: RecordTag,
    /// Absolute offset of the tag byte.
    pub offset: u64,
    /// Microseconds since the header's timestamp.
    pub time_us: u32,
    /// The body (after the 9-byte record header).
    pub body: &'a [u8],
}

impl Record<'_> {
    /// Size of the record header (tag, time, length).
    pub const HEADER_LEN: u64 = 9;

    /// Absolute offset of the first body byte.
    pub fn body_offset(&self) -> u64 {
        self.offset + Self::HEADER_LEN
    }
}

/// Iterates over the top-level records that follow the header.
///
/// The iterator stops after the first error (which it yields); the error says what is wrong
/// and where, and [`Records::valid_up_to`] tells where the last intact record ended.
pub struct Records<'a> {
    reader: Reader<'a>,
    failed: bool,
    valid_up_to: u64,
}

impl<'a> Records<'a> {
    /// Records in `data` (the whole dump) starting at `start` (just after the header).
    pub fn new(data: &'a [u8], start: usize) -> Self {
        let start = start.min(data.len());
        Records {
            reader: Reader::new(&data[start..], start as u64),
            failed: false,
            valid_up_to: start as u64,
        }
    }

    /// Absolute offset just past the last record read successfully.
    pub fn valid_up_to(&self) -> u64 {
        self.valid_up_to
    }

    fn next_record(&mut self) -> Result<Record<'a>> {
        let offset = self.reader.offset();
        let head = self.reader.take(9, "record header", offset)?;
        let tag = RecordTag(head[0]);
        if !tag.is_known() {
            return Err(ParseError::UnknownRecordTag {
                tag: head[0],
                offset,
            });
        }
        let time_us = read_u32(&head[1..5]);
        let len = read_u32(&head[5..9]);
        let record = tag.name().unwrap_or("record");
        let body = self.reader.take_declared(len as u64, record, offset)?;
        Ok(Record {
            tag,
            offset,
            time_us,
            body,
        })
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.reader.is_empty() {
            return None;
        }
        match self.next_record() {
            Ok(r) => {
                self.valid_up_to = self.reader.offset();
                Some(Ok(r))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// With `--partial`, where reading can resume after damage at `from`: the first offset after it
/// where an intact heap dump segment (or the HEAP_DUMP_END record) starts, confirmed by the
/// records after it. `None` when there is none.
///
/// A link of the chain is a HEAP_DUMP_SEGMENT whose declared length fits the file and whose
/// body starts with a heap sub-record tag, or a HEAP_DUMP_END of length 0. A candidate is
/// accepted when it and the two records after it are such links, or when the links run exactly
/// to the end of the file. Random heap bytes pass that test about once in 10^11 positions,
/// and HotSpot writes a segment every megabyte or so. Records other than the heap dump's are
/// not searched for: they come before it.
pub fn resync_point(data: &[u8], from: u64) -> Option<u64> {
    const SEGMENT: u8 = RecordTag::HEAP_DUMP_SEGMENT.0;
    const END: u8 = RecordTag::HEAP_DUMP_END.0;
    // Where the link at `at` ends, if it is one.
    let link_end = |at: usize| -> Option<usize> {
        let head = data.get(at..at.checked_add(9)?)?;
        let len = read_u32(&head[5..9]) as usize;
        match head[0] {
            END if len == 0 => Some(at + 9),
            SEGMENT => {
                let end = (at + 9).checked_add(len)?;
                let body_ok = len > 0 && SubTag(*data.get(at + 9)?).name().is_some();
                (end <= data.len() && body_ok).then_some(end)
            }
            _ => None,
        }
    };
    let mut at = usize::try_from(from).ok()?.checked_add(1)?;
    while at < data.len() {
        // Jump to the next byte that could start a link.
        let skip = data[at..].iter().position(|&b| b == SEGMENT || b == END)?;
        at += skip;
        let mut next = link_end(at);
        let mut links = 0;
        while let Some(end) = next {
            links += 1;
            if end == data.len() || links == 3 {
                return Some(at as u64);
            }
            next = link_end(end);
        }
        at += 1;
    }
    None
}
