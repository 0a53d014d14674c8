//! Opening dumps from files: plain files are mapped, gzip files (one or more members) are
//! decompressed into an unlinked temporary file in the requested directory.

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
    crate::common::many_subrecords(8, 20_000).0
}

#[test]
fn gzip_with_two_members_decompresses_into_temp_dir() {
    let data = crate::common::full_dump(8, true).bytes;
    let input_dir = tempfile::tempdir().unwrap();
    let temp_dir = tempfile::tempdir().unwrap();
    // Named without .gz: gzip is recognised by its magic bytes.
    let path = input_dir.path().join("heap.hprof");
    std::fs::write(&path, two_members(&data, data.len() / 2)).unwrap();
    let opts = OpenOptions {
        temp_dir: Some(temp_dir.path().to_path_buf()),
        ..Default::default()
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
    let data = crate::common::full_dump(4, false).bytes;
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
    std::fs::write(&path, gzip(&crate::common::full_dump(4, true).bytes)).unwrap();
    let missing = dir.path().join("no-such-dir");
    let opts = OpenOptions {
        temp_dir: Some(missing.clone()),
        ..Default::default()
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
        ..Default::default()
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
    let data = crate::common::full_dump(4, true).bytes;
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
fn missing_file_is_an_io_error_and_a_directory_is_not_a_regular_file() {
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
    assert!(
        matches!(
            e,
            ParseError::NotRegularFile {
                kind: "a directory",
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(e.offset(), None);
}

/// Issue #14 item 4: the limit is checked up front from the gzip trailer (ISIZE) and again
/// while inflating, and nothing stays in the temp directory.
#[test]
fn gzip_past_the_uncompressed_limit_stops_with_the_limit_named() {
    let data = big_dump();
    let dir = tempfile::tempdir().unwrap();
    let temp = tempfile::tempdir().unwrap();
    let limit = data.len() as u64 / 2;
    let opts = OpenOptions {
        temp_dir: Some(temp.path().to_path_buf()),
        max_uncompressed: Some(limit),
        ..Default::default()
    };
    // One member: its trailer says how big it is, so it is refused before inflating.
    let one = dir.path().join("one.hprof.gz");
    std::fs::write(&one, gzip(&data)).unwrap();
    let Err(e) = DumpSource::open(&one, &opts) else {
        panic!("over the limit")
    };
    let ParseError::UncompressedTooLarge { at_least, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!(*at_least, data.len() as u64, "the trailer's size, up front");
    assert!(e.is_resource_limit() && !e.is_salvageable());
    let text = e.to_string();
    assert!(text.contains(&format!("limit of {limit} bytes")), "{text}");
    assert!(text.contains("--max-uncompressed"), "{text}");
    // Two members, the last one small: found while inflating, stopped near the limit.
    let two = dir.path().join("two.hprof.gz");
    std::fs::write(&two, two_members(&data, data.len() - 10)).unwrap();
    let Err(ParseError::UncompressedTooLarge { at_least, .. }) = DumpSource::open(&two, &opts)
    else {
        panic!("over the limit while inflating")
    };
    assert!(
        at_least > limit && at_least <= limit + (1 << 20),
        "{at_least}"
    );
    assert!(entries(temp.path()).is_empty());
    // Under the limit it opens.
    let opts = OpenOptions {
        max_uncompressed: Some(data.len() as u64),
        ..opts
    };
    assert_eq!(DumpSource::open(&two, &opts).unwrap().bytes(), &data[..]);
}

#[test]
fn a_full_temp_dir_is_its_own_error_not_damage() {
    // The free space is faked: 64 MiB reserve + 100 bytes. Up front, a trailer promising more
    // is refused; while inflating, the check after 64 MiB stops a stream whose trailer lied.
    fn tiny(_: &Path) -> Option<u64> {
        Some(hprof_parser::source::SPACE_RESERVE + 100)
    }
    let dir = tempfile::tempdir().unwrap();
    let temp = tempfile::tempdir().unwrap();
    let opts = OpenOptions {
        temp_dir: Some(temp.path().to_path_buf()),
        free_space: Some(tiny),
        ..Default::default()
    };
    let p = dir.path().join("a.hprof.gz");
    std::fs::write(&p, gzip(&big_dump())).unwrap();
    let Err(e) = DumpSource::open(&p, &opts) else {
        panic!("no room")
    };
    assert!(
        matches!(e, ParseError::TempDirFull { written: 0, .. }),
        "{e}"
    );
    assert!(e.is_resource_limit() && !e.is_salvageable());
    assert!(e.to_string().contains("--temp-dir"), "{e}");

    // An HPROF header and 70 MiB of zeros, then a one-byte member: the trailer promises 1
    // byte.
    let mut bomb = {
        let mut enc = GzEncoder::new(Vec::new(), Level::fast());
        enc.write_all(b"JAVA PROFILE 1.0.2\0").unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..70 {
            enc.write_all(&zeros).unwrap();
        }
        enc.finish().unwrap()
    };
    bomb.extend(gzip(b"x"));
    std::fs::write(&p, &bomb).unwrap();
    let Err(ParseError::TempDirFull { written, .. }) = DumpSource::open(&p, &opts) else {
        panic!("stopped while inflating")
    };
    assert!((63 << 20..=64 << 20).contains(&written), "{written}");
    assert!(entries(temp.path()).is_empty());
}

#[test]
fn a_gzip_file_that_is_not_hprof_is_refused_from_its_first_bytes() {
    // 200 MiB of zeros without an HPROF header: refused after the first inflated block, not
    // after writing it all to the temp directory.
    let dir = tempfile::tempdir().unwrap();
    let temp = tempfile::tempdir().unwrap();
    let p = dir.path().join("zeros.hprof.gz");
    let mut enc = GzEncoder::new(Vec::new(), Level::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..200 {
        enc.write_all(&zeros).unwrap();
    }
    std::fs::write(&p, enc.finish().unwrap()).unwrap();
    let opts = OpenOptions {
        temp_dir: Some(temp.path().to_path_buf()),
        ..Default::default()
    };
    let start = std::time::Instant::now();
    let Err(e) = DumpSource::open(&p, &opts) else {
        panic!("refused")
    };
    assert!(matches!(e, ParseError::NotHprof { .. }), "{e}");
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    assert!(entries(temp.path()).is_empty());
}
