//! `gendump`: writes a synthetic, JVM-like HPROF heap dump of about `--objects` objects (see
//! the library's documentation for what it holds), streaming, and prints what it wrote as
//! JSON on stdout.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;

/// Write a synthetic JDK 17-like heap dump (id size 8, compressed-oops addresses, HEAP_DUMP
/// segments) with a planted leak: `com.acme.shop.web.RequestTracker.ACTIVE`.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// About how many objects (instances and arrays) to write.
    #[arg(long, default_value_t = 1_000_000)]
    objects: u64,
    /// Seed of every random choice: the same seed and size give the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Compress the output with gzip (fastest level).
    #[arg(long)]
    gzip: bool,
    /// Object mix: `default` (about 74 bytes of dump per object; the dumps benchmarked
    /// before this option) or `lean` (the same structures with more small objects: boxed
    /// numbers, linked events, short strings, small primitive arrays; about 57 bytes per
    /// object).
    #[arg(long, default_value = "default")]
    mix: gendump::Mix,
    /// Close a heap dump segment once its body reaches this many bytes.
    #[arg(long, default_value_t = 1 << 20)]
    segment_bytes: usize,
    /// Where to write the dump.
    #[arg(short, long)]
    output: PathBuf,
}

fn main() {
    let a = Args::parse();
    let cfg = gendump::Config {
        objects: a.objects,
        seed: a.seed,
        segment_bytes: a.segment_bytes,
        mix: a.mix,
    };
    let t0 = Instant::now();
    let file = match File::create(&a.output) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("gendump: cannot create {}: {e}", a.output.display());
            std::process::exit(1);
        }
    };
    let buf = BufWriter::with_capacity(4 << 20, file);
    let result = if a.gzip {
        let mut gz = flate2::write::GzEncoder::new(buf, flate2::Compression::fast());
        gendump::generate(&cfg, &mut gz).and_then(|st| {
            gz.finish()?.flush()?;
            Ok(st)
        })
    } else {
        let mut buf = buf;
        gendump::generate(&cfg, &mut buf).and_then(|st| {
            buf.flush()?;
            Ok(st)
        })
    };
    match result {
        Ok(st) => {
            let secs = t0.elapsed().as_secs_f64();
            eprintln!(
                "gendump: {} objects, {} bytes in {:.2} s ({:.0} MB/s) -> {}",
                st.objects(),
                st.bytes,
                secs,
                st.bytes as f64 / secs / 1e6,
                a.output.display()
            );
            println!("{}", st.to_json());
        }
        Err(e) => {
            eprintln!("gendump: writing {}: {e}", a.output.display());
            std::process::exit(1);
        }
    }
}
