//! Exact numbers from real JVM dumps made by testdata/generate.sh (see testdata/README.md for
//! what each program builds).

use crate::common::dump;

use analyzer::dom::analysis::Analysis;
use analyzer::query::objects::{locate, read_object};
use analyzer::report::histogram::{histogram, HistogramOptions};
use analyzer::{Heap, LoadOptions, NoProgress};

fn load(name: &str) -> Heap {
    Heap::load(&dump(name), &LoadOptions::default(), &NoProgress).expect("dump loads")
}

fn analyse(name: &str) -> Analysis {
    Analysis::build(load(name), &NoProgress).expect("graph builds")
}

fn counts(heap: &Heap) -> Vec<(String, u64, u64, u32)> {
    let h = histogram(heap, &HistogramOptions::default());
    h.classes
        .into_iter()
        .map(|r| (r.class, r.instances, r.shallow_bytes, r.loaders))
        .collect()
}

fn row(rows: &[(String, u64, u64, u32)], class: &str) -> (u64, u64, u32) {
    rows.iter()
        .find(|r| r.0 == class)
        .map(|r| (r.1, r.2, r.3))
        .unwrap_or((0, 0, 0))
}

#[test]
fn basic_histogram_counts_are_exact_in_every_dump_variant() {
    for name in ["basic.hprof", "basic.jcmd.hprof", "basic.jcmd.hprof.gz"] {
        let heap = load(name);
        let m = heap.model;
        assert!(
            m.compressed_oops && m.compressed_class_pointers,
            "{name}: {m:?}"
        );
        assert!(
            m.evidence[0] * 2 > m.evidence[1],
            "{name}: weak layout evidence {m:?}"
        );
        let rows = counts(&heap);
        // Foo: int + long + 2 references.
        let foo = m.instance(12, 2);
        assert_eq!(
            row(&rows, "testdata.Basic$Foo"),
            (12_345, 12_345 * foo, 1),
            "{name}"
        );
        assert_eq!(
            row(&rows, "testdata.Basic$Foo[]"),
            (1, m.array(12_345, 0), 1),
            "{name}"
        );
        // Bar extends Base: Base has a reference and an int; Bar adds a double and a byte.
        let bar = m.instance(4 + 8 + 1, 1);
        assert_eq!(
            row(&rows, "testdata.Basic$Bar"),
            (777, 777 * bar, 1),
            "{name}"
        );
        assert_eq!(row(&rows, "testdata.Basic$Grid").0, 3, "{name}");
        assert_eq!(
            row(&rows, "testdata.Basic$Cell[][]"),
            (3, 3 * m.array(4, 0), 1)
        );
        assert_eq!(
            row(&rows, "testdata.Basic$Cell[]"),
            (12, 12 * m.array(5, 0), 1)
        );
        assert_eq!(row(&rows, "testdata.Basic$Cell").0, 60, "{name}");
        assert_eq!(row(&rows, "testdata.Basic$Unused").0, 0, "{name}");
        assert_eq!(row(&rows, "testdata.Basic$Base").0, 0, "{name}");
        // Defined by two loaders: 2 + 3 instances, one row.
        let plugin = row(&rows, "testdata.plugin.Plugin");
        assert_eq!((plugin.0, plugin.2), (5, 2), "{name}");
        // Totals add up.
        let h = histogram(&heap, &HistogramOptions::default());
        let t = &h.totals;
        assert_eq!(
            t.objects,
            t.instances + t.object_arrays + t.primitive_arrays
        );
        assert_eq!(
            t.shallow_bytes,
            h.classes.iter().map(|r| r.shallow_bytes).sum::<u64>()
        );
        assert!(heap.dump.is_complete());
    }
}

#[test]
fn one_thread_gives_identical_results() {
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let single = one.install(|| {
        let a = analyse("basic.hprof");
        (counts(&a.heap), a.dom.retained.clone(), a.dom.idom.clone())
    });
    let a = analyse("basic.hprof");
    assert_eq!(single.0, counts(&a.heap));
    assert_eq!(single.1, a.dom.retained);
    assert_eq!(single.2, a.dom.idom);
}

/// The node a static field of `class` references.
fn static_target(a: &Analysis, class: &str, field: &str) -> u32 {
    let ci = a
        .heap
        .classes
        .by_name(class)
        .unwrap_or_else(|| panic!("class {class}"));
    let node = a.graph.class_node[ci as usize];
    let offs = locate(a, &[node]);
    let view = read_object(a, offs[&node], false).expect("class dump readable");
    let id = view
        .reference(field)
        .unwrap_or_else(|| panic!("{class}.{field} is null"));
    a.graph.ids.get(id).expect("target in dump")
}

fn instance_field_target(a: &Analysis, v: u32, field: &str) -> u32 {
    let offs = locate(a, &[v]);
    let view = read_object(a, offs[&v], false).expect("object readable");
    a.graph
        .ids
        .get(view.reference(field).expect("field set"))
        .expect("target in dump")
}

#[test]
fn retained_sizes_follow_the_size_model_exactly() {
    let a = analyse("retention.hprof");
    let m = a.heap.model;
    // HOLDER exclusively retains itself, a byte[][] of 100 and 100 byte[1000].
    let holder = static_target(&a, "testdata.Retention", "HOLDER");
    let mut expected = m.instance(0, 1) + m.array(100, 0) + 100 * m.array(1000, 1);
    // Every object references its class object; array classes are not GC roots, so when this
    // is the only byte[][] in the heap it also retains the class object of byte[][] (as MAT).
    let arrays_class = a.heap.classes.by_name("byte[][]").unwrap();
    let arrays_class_node = a.graph.class_node[arrays_class as usize];
    let byte2d = counts(&a.heap)
        .iter()
        .find(|r| r.0 == "byte[][]")
        .map_or(0, |r| r.1);
    if byte2d == 1 {
        expected += a.graph.shallow(arrays_class_node);
        let arrays = instance_field_target(&a, holder, "arrays");
        assert_eq!(a.dom.idom[arrays_class_node as usize], arrays);
    }
    assert_eq!(a.dom.retained.get(holder), expected);
    // The Shared object is referenced from LEFT and RIGHT: neither retains it.
    for side in ["LEFT", "RIGHT"] {
        let s = static_target(&a, "testdata.Retention", side);
        assert_eq!(a.dom.retained.get(s), a.graph.shallow(s), "{side}");
    }
    // A million-node chain: the head retains every node (int + reference each).
    let head = static_target(&a, "testdata.Retention", "CHAIN");
    assert_eq!(a.dom.retained.get(head), 1_000_000 * m.instance(4, 1));
    let second = instance_field_target(&a, head, "next");
    assert_eq!(a.dom.retained.get(second), 999_999 * m.instance(4, 1));
    // A three-object cycle.
    let ring = static_target(&a, "testdata.Retention", "RING");
    assert_eq!(a.dom.retained.get(ring), 3 * a.graph.shallow(ring));
    // The super-root retains exactly the strongly reachable objects.
    let reachable: u64 = (0..a.graph.len() as u32)
        .filter(|&v| a.dom.is_reachable(v))
        .map(|v| a.graph.shallow(v))
        .sum();
    assert_eq!(a.dom.reachable_bytes, reachable);
    // Retained per class does not double count the chain.
    let per_class = analyzer::dom::retained_classes::retained_by_class(&a);
    let node_class = a.heap.classes.by_name("testdata.Retention$Node").unwrap();
    assert_eq!(per_class[node_class as usize], 1_000_000 * m.instance(4, 1));
}

#[test]
fn an_object_reachable_only_through_a_weak_reference_is_retained_by_nobody() {
    // Dumped with `jcmd GC.heap_dump -all`, so the weakly reachable object is still there.
    let a = analyse("retention.jcmd.hprof");
    let ci = a
        .heap
        .classes
        .by_name("testdata.Retention$WeakOnly")
        .unwrap();
    let weak_only: Vec<u32> = (0..a.graph.len() as u32)
        .filter(|&v| a.graph.class_of(v) == ci && a.graph.class_object(v).is_none())
        .collect();
    assert_eq!(weak_only.len(), 1);
    let v = weak_only[0];
    assert!(!a.dom.is_reachable(v));
    assert_eq!(a.dom.retained.get(v), 0);
    // The WeakReference itself retains only itself.
    let weak_ref = static_target(&a, "testdata.Retention", "WEAK");
    assert_eq!(a.dom.retained.get(weak_ref), a.graph.shallow(weak_ref));
    assert!(a.dom.weakly_reachable >= 2, "WeakOnly and its byte[3000]");
    assert!(a.dom.weakly_reachable_bytes >= a.graph.shallow(v) + a.heap.model.array(3000, 1));
}

/// Retained bytes per class by climbing the dominators (two bits per node) equal the child-list
/// walk's, with and without skipped subtrees; child lists built for some subtrees only walk
/// those subtrees in the same order as the full lists.
#[test]
fn climbing_the_dominators_matches_the_child_list_walk() {
    use analyzer::dom::climb::{retained_of_classes_outside, Memo};
    use analyzer::dom::retained_classes::{retained_by_class_outside, DomChildren};
    for name in [
        "leak-chain-nested.hprof",
        "leak-static-map.hprof",
        "plugin-host.hprof",
    ] {
        let a = analyse(name);
        let tree = DomChildren::build(&a);
        let all: Vec<u32> = (0..a.heap.classes.len() as u32).collect();
        let mut big: Vec<u32> = (0..a.graph.len() as u32)
            .filter(|&v| a.dom.is_reachable(v))
            .collect();
        big.sort_by_key(|&v| (std::cmp::Reverse(a.dom.retained.get(v)), v));
        big.truncate(40);
        let skips = [Vec::new(), big[10..15].to_vec(), big[20..].to_vec()];
        for skip in skips {
            let mut skip = skip;
            skip.sort_unstable();
            assert_eq!(
                retained_of_classes_outside(&a, &all, &skip),
                retained_by_class_outside(&a, &tree, &skip),
                "{name}, skip {skip:?}"
            );
        }
        let roots: Vec<u32> = big[5..12].to_vec();
        let mut sorted = roots.clone();
        sorted.sort_unstable();
        let memo = Memo::new(a.graph.len());
        memo.answer_all(&a, &|v| sorted.binary_search(&v).is_ok());
        let part = DomChildren::build_within(&a, |v| memo.yes(v));
        for &r in &roots {
            let (mut want, mut got) = (Vec::new(), Vec::new());
            tree.for_each_in_subtree(r, |x| want.push(x));
            part.for_each_in_subtree(r, |x| got.push(x));
            assert_eq!(got, want, "{name}: subtree of {r}");
        }
    }
}
