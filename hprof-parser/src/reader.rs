//! A bounds-checked big-endian reader over a byte slice that knows its absolute offset.

use crate::error::{ParseError, Result};

/// Reads big-endian values from `data`; every read checks the bytes that remain and fails
/// with the absolute offset of the structure being read.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: u64,
}

impl<'a> Reader<'a> {
    /// A reader over `data`, whose first byte sits at absolute offset `base` in the dump.
    pub fn new(data: &'a [u8], base: u64) -> Self {
        Reader { data, pos: 0, base }
    }

    /// Absolute offset of the next byte.
    #[inline]
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Position relative to the start of the slice.
    #[inline]
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes not yet read.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Whether every byte has been read.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Takes `n` bytes, or fails naming `record` that starts at `start`.
    #[inline]
    pub fn take(&mut self, n: usize, record: &'static str, start: u64) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(ParseError::Truncated {
                record,
                offset: start,
                needed: (self.pos as u64 - (start - self.base)) + n as u64,
                remaining: self.data.len() as u64 - (start - self.base),
            });
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Takes a length-declared body: like [`Reader::take`], but a length larger than what
    /// remains is reported as [`ParseError::LengthBeyondEof`].
    #[inline]
    pub fn take_declared(&mut self, n: u64, record: &'static str, start: u64) -> Result<&'a [u8]> {
        if n > self.remaining() as u64 {
            return Err(ParseError::LengthBeyondEof {
                record,
                offset: start,
                declared: n,
                remaining: self.remaining() as u64,
            });
        }
        self.take(n as usize, record, start)
    }

    /// Reads one byte.
    #[inline]
    pub fn u8(&mut self, record: &'static str, start: u64) -> Result<u8> {
        Ok(self.take(1, record, start)?[0])
    }

    /// Reads a big-endian u16.
    #[inline]
    pub fn u16(&mut self, record: &'static str, start: u64) -> Result<u16> {
        let b = self.take(2, record, start)?;
        Ok(u16::from_be_bytes(array(b)))
    }

    /// Reads a big-endian u32.
    #[inline]
    pub fn u32(&mut self, record: &'static str, start: u64) -> Result<u32> {
        let b = self.take(4, record, start)?;
        Ok(read_u32(b))
    }

    /// Reads a big-endian u64.
    #[inline]
    pub fn u64(&mut self, record: &'static str, start: u64) -> Result<u64> {
        let b = self.take(8, record, start)?;
        Ok(read_u64(b))
    }

    /// Reads an identifier of `id_size` bytes (4 or 8).
    #[inline]
    pub fn id(&mut self, id_size: u8, record: &'static str, start: u64) -> Result<u64> {
        let b = self.take(id_size as usize, record, start)?;
        Ok(read_id(b, id_size))
    }
}

/// Decodes a big-endian u64 from the first 8 bytes of `b` (caller checked the length).
#[inline]
pub fn read_u64(b: &[u8]) -> u64 {
    u64::from_be_bytes(array(b))
}

/// Decodes a big-endian u32 from the first 4 bytes of `b` (caller checked the length).
#[inline]
pub fn read_u32(b: &[u8]) -> u32 {
    u32::from_be_bytes(array(b))
}

/// The first `N` bytes of `b` (caller checked the length) with one bounds check: indexing
/// each byte checks each (a panic path per byte), which kept the readers too big to inline,
/// so every id the walks read cost a call and eight compares.
#[inline(always)]
fn array<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&b[..N]);
    a
}

/// Decodes an identifier of `id_size` bytes (4 or 8) from the start of `b`.
#[inline]
pub fn read_id(b: &[u8], id_size: u8) -> u64 {
    if id_size == 8 {
        read_u64(b)
    } else {
        read_u32(b) as u64
    }
}
