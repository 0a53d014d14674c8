//! The synthetic dump generator (`tools/gendump`) against the analyzer: a small generated
//! dump parses, `info` counts exactly what the generator wrote, and `leaks` names the planted
//! leak first with its exact entry count. Needs no real dump.

use crate::common::json as run_json;

fn generate(
    dir: &std::path::Path,
    objects: u64,
    seed: u64,
    gzip: bool,
    mix: gendump::Mix,
) -> (std::path::PathBuf, gendump::Stats) {
    let cfg = gendump::Config {
        objects,
        seed,
        // Small segments: many pieces even in a small dump.
        segment_bytes: 64 << 10,
        mix,
    };
    let path = dir.join(if gzip { "gen.hprof.gz" } else { "gen.hprof" });
    let file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let stats = if gzip {
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        let st = gendump::generate(&cfg, &mut gz).unwrap();
        gz.finish().unwrap();
        st
    } else {
        gendump::generate(&cfg, file).unwrap()
    };
    (path, stats)
}

#[test]
fn info_counts_what_the_generator_wrote_and_leaks_names_the_planted_leak() {
    check_counts_and_leak(gendump::Mix::Default);
}

#[test]
fn the_lean_mix_counts_and_names_its_leak_the_same_way_in_fewer_bytes_per_object() {
    let st = check_counts_and_leak(gendump::Mix::Lean);
    // The lean mix's point: at most 60 bytes of dump per object (the default writes ~74).
    let per_object = st.bytes as f64 / st.objects() as f64;
    assert!((50.0..60.0).contains(&per_object), "{per_object}");
}

/// Writes 300,000 objects of `mix`, checks `info`'s counts and `leaks`' first suspect
/// against the generator's, and returns what it wrote.
fn check_counts_and_leak(mix: gendump::Mix) -> gendump::Stats {
    let dir = tempfile::tempdir().unwrap();
    let (path, st) = generate(dir.path(), 300_000, 3, false, mix);
    let p = path.to_str().unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().len(), st.bytes);

    let info = run_json(&["info", p]);
    let t = &info["totals"];
    assert_eq!(t["objects"], st.objects());
    assert_eq!(t["instances"], st.instances);
    assert_eq!(t["object_arrays"], st.object_arrays);
    assert_eq!(t["primitive_arrays"], st.primitive_arrays);
    assert_eq!(t["classes"], st.classes);
    assert_eq!(t["gc_roots"], st.gc_roots());
    assert_eq!(t["duplicate_ids_dropped"], 0);
    // The generator lays objects out as HotSpot does with compressed oops; the analyzer's
    // size model infers that layout (it packs a few classes' fields a little differently).
    let shallow = t["shallow_bytes"].as_u64().unwrap();
    assert!(
        shallow.abs_diff(st.heap_bytes) * 1000 < st.heap_bytes,
        "{shallow} vs {}",
        st.heap_bytes
    );
    let k = &info["gc_roots_by_kind"];
    assert_eq!(k["thread_object"], st.roots_thread_object);
    assert_eq!(k["java_frame"], st.roots_java_frame);
    assert_eq!(k["jni_local"], st.roots_jni_local);
    assert_eq!(k["jni_global"], st.roots_jni_global);
    assert_eq!(k["sticky_class"], st.roots_sticky_class);
    assert_eq!(info["records"]["HEAP_DUMP_SEGMENT"], st.segments);
    assert!(st.segments > 10, "{}", st.segments);
    assert_eq!(info["records"]["UTF8"], st.utf8);
    assert_eq!(info["records"]["FRAME"], st.frames);
    assert_eq!(info["records"]["TRACE"], st.traces);
    assert_eq!(info["heap_dump_end"], true);
    assert_eq!(info["dump"]["complete"], true);
    assert_eq!(info["dump"]["id_size"], 8);
    assert_eq!(info["size_model"]["compressed_oops"], true);

    let leaks = run_json(&["leaks", p]);
    assert_eq!(leaks["outcome"], "leak");
    let s = &leaks["suspects"][0];
    assert_eq!(s["rank"], 1);
    assert_eq!(s["verdict"], "leak");
    assert_eq!(s["confidence"], "high");
    assert_eq!(s["holder"]["class"], "com.acme.shop.web.RequestTracker");
    assert_eq!(s["holder"]["field"], "ACTIVE");
    assert_eq!(s["holder"]["static"], true);
    assert_eq!(s["collection_class"], "java.util.HashMap");
    assert_eq!(s["element_class"], "com.acme.shop.web.RequestContext");
    assert_eq!(s["entries"], st.leak_entries);
    assert_eq!(
        leaks["suspects"].as_array().unwrap().len(),
        1,
        "only the planted leak is a suspect: {}",
        leaks["suspects"]
    );
    // No reference points outside the dump.
    assert_eq!(leaks["heap"]["dangling_references"], 0);
    assert_eq!(leaks["heap"]["objects"], st.objects() + st.classes);
    st
}

#[test]
fn a_gzip_dump_of_another_seed_gives_the_same_counts_as_its_stats() {
    let dir = tempfile::tempdir().unwrap();
    let (path, st) = generate(dir.path(), 60_000, 11, true, gendump::Mix::Default);
    let info = run_json(&["info", path.to_str().unwrap()]);
    assert_eq!(info["dump"]["gzip"], true);
    assert_eq!(info["dump"]["uncompressed_bytes"], st.bytes);
    assert_eq!(info["totals"]["objects"], st.objects());
    assert_eq!(info["totals"]["gc_roots"], st.gc_roots());
}
