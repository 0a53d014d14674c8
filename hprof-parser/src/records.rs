//! Top-level records: a tag, a time offset and a length-prefixed body.

use crate::error::{ParseError, Result};
use crate::reader::{read_u32, Reader};
use crate::tag::RecordTag;

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
