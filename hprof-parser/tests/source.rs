//! Opening dumps from files: plain files are mapped, gzip files (one or more members) are
//! decompressed into an unlinked temporary file in the requested directory.

mod common;

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression as Level;
use hprof_parser::{Compression, DumpIndex, DumpSource, OpenOptions, ParseError};

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Level::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// The dump as two concatenated gzip members, cut at `split`.
fn two_members(data: &[u8], split: usize) -> Vec<u8> {
    let mut gz = gzip(&data[..split]);
    gz.extend(gzip(&data[split..]));
    gz
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A dump big enough for gzip to emit output before the end of its input.
fn big_dump() -> Vec<u8> {
    common::many_subrecords(8, 20_000).0
}

#[test]
fn gzip_with_two_members_decompresses_into_temp_dir() {
    let data = common::full_dump(8, true).bytes;
    let input_dir = tempfile::tempdir().unwrap();
    let temp_dir = tempfile::tempdir().unwrap();
    // Named without .gz: gzip is recognised by its magic bytes.
    let path = input_dir.path().join("heap.hprof");
    std::fs::write(&path, two_members(&data, data.len() / 2)).unwrap();
    let opts = OpenOptions {
        temp_dir: Some(temp_dir.path().to_path_buf()),
    };
    let src = DumpSource::open(&path, &opts).unwrap();
    assert_eq!(src.compression(), Compression::Gzip);
    assert!(src.damage().is_none());
    assert_eq!(src.bytes(), &data[..]);
    assert_eq!(src.path(), path);
    assert_eq!(src.file_len(), std::fs::metadata(&path).unwrap().len());
    // Nothing next to the input, and the decompressed copy is unlinked.
    assert_eq!(entries(input_dir.path()), ["heap.hprof"]);
    assert!(entries(temp_dir.path()).is_empty());
    let idx = DumpIndex::scan(src.bytes(), false).unwrap();
    assert_eq!(idx.heap_ranges.len(), 3);
    drop(src);
    assert_eq!(entries(input_dir.path()), ["heap.hprof"]);
}

#[test]
fn gzip_member_boundaries_anywhere() {
    let data = common::full_dump(4, false).bytes;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.hprof.gz");
    for split in [0, 1, 31, data.len() / 3, data.len() - 1, data.len()] {
        std::fs::write(&path, two_members(&data, split)).unwrap();
        let src = DumpSource::open(&path, &OpenOptions::default()).unwrap();
        assert!(src.damage().is_none(), "split {split}");
        assert_eq!(src.bytes(), &data[..], "split {split}");
    }
}

#[test]
fn temp_dir_option_is_used() {
    // A temp dir that does not exist makes the gzip open fail, naming that directory.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.hprof.gz");
    std::fs::write(&path, gzip(&common::full_dump(4, true).bytes)).unwrap();
    let missing = dir.path().join("no-such-dir");
    let opts = OpenOptions {
        temp_dir: Some(missing.clone()),
    };
    match DumpSource::open(&path, &opts) {
        Err(ParseError::Io { path, .. }) => assert_eq!(path, missing),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("opened with a missing temp dir"),
    }
    assert_eq!(entries(dir.path()), ["d.hprof.gz"]);
}

#[test]
fn truncated_gzip_keeps_a_prefix() {
    let data = big_dump();
    let gz = two_members(&data, data.len() / 2);
    let dir = tempfile::tempdir().unwrap();
    let temp = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.hprof.gz");
    let opts = OpenOptions {
        temp_dir: Some(temp.path().to_path_buf()),
    };
    for cut in [gz.len() / 4, gz.len() / 2, gz.len() * 3 / 4, gz.len() - 1] {
        std::fs::write(&path, &gz[..cut]).unwrap();
        let mut src = DumpSource::open(&path, &opts).unwrap();
        assert_eq!(src.compression(), Compression::Gzip);
        let bytes = src.bytes();
        // Without the last trailer byte, every byte of the dump may be there.
        assert!(
            bytes.len() < data.len() || cut == gz.len() - 1,
            "cut {cut}: {} bytes of {}, {:?}",
            bytes.len(),
            data.len(),
            src.damage()
        );
        assert!(bytes == &data[..bytes.len()], "cut {cut}");
        match src.damage() {
            Some(ParseError::Gzip {
                compressed_offset,
                uncompressed,
                message,
            }) => {
                assert!(*compressed_offset <= cut as u64, "cut {cut}");
                assert_eq!(*uncompressed, bytes.len() as u64);
                assert!(!message.is_empty());
            }
            other => panic!("cut {cut}: {other:?}"),
        }
        if cut >= gz.len() / 2 {
            assert!(!bytes.is_empty(), "cut {cut}");
        }
        // What was decompressed is analysable in partial mode.
        if bytes.len() >= 31 {
            let idx = DumpIndex::scan(bytes, true).unwrap();
            assert!(idx.damage.is_some() || bytes.len() == data.len());
        }
        assert!(src.take_damage().is_some());
        assert!(src.damage().is_none());
        assert_eq!(entries(dir.path()), ["cut.hprof.gz"]);
    }
}

#[test]
fn damaged_gzip_data_is_reported() {
    let data = big_dump();
    let mut gz = gzip(&data);
    // Corrupt the deflate stream in the middle.
    let mid = gz.len() / 2;
    for b in &mut gz[mid..mid + 64] {
        *b ^= 0x5A;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.gz");
    std::fs::write(&path, &gz).unwrap();
    let src = DumpSource::open(&path, &OpenOptions::default()).unwrap();
    assert!(matches!(src.damage(), Some(ParseError::Gzip { .. })));
    let bytes = src.bytes();
    // The output before the damaged compressed bytes is intact (deflate may emit some
    // garbage before it notices the damage, so only an early prefix is compared).
    let n = data.len() / 10;
    assert!(bytes.len() >= n, "{} bytes", bytes.len());
    assert!(bytes[..n] == data[..n]);
}

#[test]
fn plain_file_is_mapped() {
    let data = common::full_dump(4, true).bytes;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("heap.hprof");
    std::fs::write(&path, &data).unwrap();
    let src = DumpSource::open(&path, &OpenOptions::default()).unwrap();
    assert_eq!(src.compression(), Compression::None);
    assert!(src.damage().is_none());
    assert_eq!(src.bytes(), &data[..]);
    assert_eq!(src.file_len(), data.len() as u64);
    // Releasing pages does not change what is read.
    src.release(0, data.len());
    assert_eq!(src.bytes(), &data[..]);
    assert_eq!(entries(dir.path()), ["heap.hprof"]);
}

#[test]
fn one_byte_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one");
    // A lone 0x1f is not gzip.
    std::fs::write(&path, [0x1f]).unwrap();
    let src = DumpSource::open(&path, &OpenOptions::default()).unwrap();
    assert_eq!(src.compression(), Compression::None);
    assert_eq!(src.bytes(), [0x1f]);
    assert!(matches!(
        DumpIndex::scan(src.bytes(), false),
        Err(ParseError::NotHprof { .. })
    ));
}

#[test]
fn empty_file_maps_to_empty_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.hprof");
    std::fs::write(&path, []).unwrap();
    let src = DumpSource::open(&path, &OpenOptions::default()).unwrap();
    assert_eq!(src.compression(), Compression::None);
    assert!(src.bytes().is_empty());
    src.release(0, 100);
    assert!(matches!(
        DumpIndex::scan(src.bytes(), false),
        Err(ParseError::Empty)
    ));
    // An empty gzip stream decompresses to an empty dump.
    let gz_path = dir.path().join("empty.gz");
    std::fs::write(&gz_path, gzip(&[])).unwrap();
    let src = DumpSource::open(&gz_path, &OpenOptions::default()).unwrap();
    assert_eq!(src.compression(), Compression::Gzip);
    assert!(src.damage().is_none());
    assert!(src.bytes().is_empty());
}

#[test]
fn missing_file_and_directory_are_io_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.hprof");
    match DumpSource::open(&missing, &OpenOptions::default()) {
        Err(ParseError::Io { path, .. }) => assert_eq!(path, missing),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("opened a missing file"),
    }
    let e = DumpSource::open(dir.path(), &OpenOptions::default())
        .err()
        .expect("a directory is not a dump");
    assert!(matches!(e, ParseError::Io { .. }), "{e}");
    assert_eq!(e.offset(), None);
}
