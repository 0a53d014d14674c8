//! ThreadLocal retention, class-loader leaks and open resources on the scenario dumps of
//! testdata/SCENARIOS.md (sections 7, 8 and 9): exact counts, holders and retained bytes, and
//! no decoy flagged.

use crate::common::analyse;
use analyzer::base::id::ObjectId;
use std::sync::OnceLock;

use analyzer::dom::analysis::Analysis;
use analyzer::query::holders::Holder;
use analyzer::report::classloaders::{classloader_report, ClassLoaderOptions, ClassLoaderReport};
use analyzer::report::finding::{FindingKind, LeakFinding};
use analyzer::report::resources::{
    resource_report, ResourceGroup, ResourceKind, ResourceOptions, ResourceReport,
};
use analyzer::report::threadlocals::{
    threadlocal_report, MapField, ThreadLocalGroup, ThreadLocalOptions, ThreadLocalReport,
    ThreadLocals,
};
use analyzer::report::{classloaders, resources, threadlocals};

fn threadlocal_dump() -> &'static Analysis {
    static A: OnceLock<Analysis> = OnceLock::new();
    A.get_or_init(|| analyse("threadlocal-leak.hprof"))
}

fn plugin_dump() -> &'static Analysis {
    static A: OnceLock<Analysis> = OnceLock::new();
    A.get_or_init(|| analyse("plugin-host.hprof"))
}

fn resources_dump() -> &'static Analysis {
    static A: OnceLock<Analysis> = OnceLock::new();
    A.get_or_init(|| analyse("open-resources.hprof"))
}

/// The default leak threshold: 10% of the reachable heap.
fn threshold(a: &Analysis) -> u64 {
    (0.10 * a.dom.reachable_bytes as f64) as u64
}

fn holder(class: &str, field: &str, is_static: bool) -> Holder {
    Holder {
        class: class.into(),
        field: field.into(),
        is_static,
    }
}

fn workers() -> Vec<String> {
    (1..=8).map(|i| format!("ingest-worker-{i}")).collect()
}

fn node_of(a: &Analysis, id: ObjectId) -> u32 {
    a.graph.ids.get(id.0).unwrap()
}

// ---- threadlocal-leak.hprof ------------------------------------------------------------

fn tl_report() -> &'static ThreadLocalReport {
    static R: OnceLock<ThreadLocalReport> = OnceLock::new();
    R.get_or_init(|| threadlocal_report(threadlocal_dump(), &ThreadLocalOptions::default()))
}

fn thread<'r>(r: &'r ThreadLocalReport, name: &str) -> &'r ThreadLocals {
    r.threads
        .iter()
        .find(|t| t.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no thread {name}"))
}

fn declared<'r>(r: &'r ThreadLocalReport, class: &str, field: &str) -> &'r ThreadLocalGroup {
    r.groups
        .iter()
        .find(|g| g.declared_by == Some(holder(class, field, true)))
        .unwrap_or_else(|| panic!("no group declared by {class}.{field}"))
}

#[test]
fn threadlocals_every_worker_has_62_entries_60_of_them_stale() {
    let r = tl_report();
    assert_eq!(r.schema, "hprofscan/threadlocals/2");
    for name in workers() {
        let t = thread(r, &name);
        assert_eq!(t.class, "java.lang.Thread");
        assert_eq!(t.entries, 62, "{name}");
        assert_eq!(t.stale_entries, 60, "{name}");
        // The map's retained set is 1,667,960 bytes: the entries retain all of it but the
        // Entry[128] (528) and the ThreadLocalMap (24).
        assert_eq!(t.entries_retained_bytes, 1_667_960 - 528 - 24, "{name}");
        assert_eq!(t.values.len(), 3, "{name}: {:?}", t.values);
        assert!(t.values.iter().all(|v| v.map == MapField::ThreadLocals));
        assert!(t.values.iter().all(|v| v.shared_values == 0));

        let buffers = &t.values[0];
        assert_eq!(
            buffers.declared_by,
            Some(holder("testdata.ThreadLocalLeak$Renderer", "BUFFERS", true))
        );
        assert!(!buffers.stale);
        assert_eq!(buffers.value_class, "byte[]");
        assert_eq!(
            (
                buffers.entries,
                buffers.retained_bytes,
                buffers.entries_retained_bytes
            ),
            (1, 1_048_592, 1_048_592 + 32)
        );

        let stale = &t.values[1];
        assert!(stale.stale && stale.key.is_none() && stale.declared_by.is_none());
        assert_eq!(stale.value_class, "testdata.ThreadLocalLeak$ParserScratch");
        assert_eq!(stale.entries, 60);
        assert_eq!(stale.entries_retained_bytes, 60 * (32 + 24 + 10_256));
        assert_eq!(stale.retained_bytes, 60 * (24 + 10_256));

        let counts = &t.values[2];
        assert_eq!(
            counts.declared_by,
            Some(holder("testdata.ThreadLocalLeak$Counter", "COUNTS", true))
        );
        assert_eq!(counts.value_class, "int[]");
        assert_eq!(
            (counts.retained_bytes, counts.entries_retained_bytes),
            (32, 64)
        );
    }
}

#[test]
fn threadlocals_main_has_two_jdk_entries_and_no_other_thread_has_any() {
    let r = tl_report();
    let main = thread(r, "main");
    assert_eq!((main.entries, main.stale_entries), (2, 0));
    let mut declared: Vec<String> = main
        .values
        .iter()
        .map(|v| v.declared_by.as_ref().expect("declared").display())
        .collect();
    declared.sort();
    assert_eq!(
        declared,
        [
            "jdk.internal.misc.TerminatingThreadLocal.REGISTRY (static)",
            "sun.nio.fs.NativeBuffers.threadLocal (static)"
        ]
    );
    assert!(main.values.iter().all(|v| !v.stale && v.key.is_some()));
    let with_entries: Vec<&str> = r
        .threads
        .iter()
        .filter(|t| t.entries > 0)
        .filter_map(|t| t.name.as_deref())
        .collect();
    assert_eq!(with_entries.len(), 9, "{with_entries:?}");
    assert_eq!(r.totals.threads_with_entries, 9);
    assert_eq!(r.totals.entries, 8 * 62 + 2);
    assert_eq!(r.totals.stale_entries, 480);
    // The 4 ThreadLocal instances of the heap are the keys of the 4 live groups.
    assert_eq!(r.groups.iter().filter(|g| !g.stale).count(), 4);
    assert_eq!(r.groups.len(), 5);
}

#[test]
fn threadlocals_groups_by_declaring_field_and_stale_value_class() {
    let r = tl_report();
    let buffers = declared(r, "testdata.ThreadLocalLeak$Renderer", "BUFFERS");
    assert!(!buffers.stale);
    assert_eq!(buffers.threads, 8);
    assert_eq!(buffers.thread_names, workers());
    assert_eq!(buffers.thread_pattern, "ingest-worker-1..8");
    assert_eq!(buffers.entries, 8);
    assert_eq!(buffers.value_class, "byte[]");
    assert_eq!(buffers.retained_bytes, 8 * 1_048_592);
    assert_eq!(buffers.entries_retained_bytes, 8 * (1_048_592 + 32));
    assert_eq!(buffers.key.as_ref().unwrap().class, "java.lang.ThreadLocal");
    assert_eq!(r.groups[0], *buffers, "the largest group comes first");

    let stale: Vec<&ThreadLocalGroup> = r.groups.iter().filter(|g| g.stale).collect();
    assert_eq!(stale.len(), 1);
    let stale = stale[0];
    assert_eq!(stale.entries, 480);
    assert_eq!(stale.threads, 8);
    assert_eq!(stale.thread_names, workers());
    assert_eq!(stale.thread_pattern, "ingest-worker-1..8");
    assert_eq!(stale.value_class, "testdata.ThreadLocalLeak$ParserScratch");
    assert_eq!(stale.value_classes.len(), 1);
    assert_eq!(stale.entries_retained_bytes, 4_949_760);
    assert_eq!(stale.retained_bytes, 480 * (24 + 10_256));
    assert!(stale.key.is_none() && stale.declared_by.is_none());

    let counts = declared(r, "testdata.ThreadLocalLeak$Counter", "COUNTS");
    assert_eq!((counts.threads, counts.entries), (8, 8));
    assert_eq!(counts.value_class, "int[]");
    assert_eq!(counts.retained_bytes, 8 * 32);
}

fn check_threadlocal_findings(a: &Analysis, f: &[LeakFinding]) {
    assert_eq!(f.len(), 2, "{f:#?}");
    let buffers = &f[0];
    assert_eq!(buffers.kind, FindingKind::ThreadLocal);
    assert_eq!(
        buffers.holder,
        Some(holder("testdata.ThreadLocalLeak$Renderer", "BUFFERS", true))
    );
    assert_eq!(buffers.entries, 8);
    assert_eq!(buffers.stale_entries, 0);
    assert_eq!(buffers.threads, workers());
    assert_eq!(buffers.value_class.as_deref(), Some("byte[]"));
    assert_eq!(buffers.element_class, "byte[]");
    assert_eq!(buffers.retained_bytes, 8 * (1_048_592 + 32));
    assert!(buffers.explanation.contains("BUFFERS"));
    let node = buffers.node.expect("a value to show a path to");
    assert!(a.dom.is_reachable(node));
    assert_eq!(a.dom.retained.get(node), 1_048_592);

    let stale = &f[1];
    assert_eq!(stale.kind, FindingKind::ThreadLocal);
    assert_eq!(
        stale.holder,
        Some(holder("java.lang.Thread", "threadLocals", false))
    );
    assert_eq!((stale.entries, stale.stale_entries), (480, 480));
    assert_eq!(stale.threads, workers());
    assert_eq!(
        stale.value_class.as_deref(),
        Some("testdata.ThreadLocalLeak$ParserScratch")
    );
    assert_eq!(stale.retained_bytes, 4_949_760);
    assert!(stale
        .explanation
        .starts_with("480 stale entries on 8 threads (ingest-worker-1..8) retain 4.7 MiB"));
    assert!(stale.node.is_some_and(|v| a.dom.is_reachable(v)));
    // The decoy: one int[4] per thread is not a leak, whatever the threshold.
    assert!(f.iter().all(|x| x.value_class.as_deref() != Some("int[]")));
}

#[test]
fn threadlocal_findings_are_buffers_and_the_stale_entries_not_counts() {
    let a = threadlocal_dump();
    check_threadlocal_findings(a, &threadlocals::leak_findings(a, threshold(a)));
    // Even at a threshold of one byte: the COUNTS values are tiny, the JDK's too.
    check_threadlocal_findings(a, &threadlocals::findings_of(tl_report(), 1));
}

// ---- plugin-host.hprof -----------------------------------------------------------------

fn cl_report() -> &'static ClassLoaderReport {
    static R: OnceLock<ClassLoaderReport> = OnceLock::new();
    R.get_or_init(|| classloader_report(plugin_dump(), &ClassLoaderOptions::default()))
}

#[test]
fn classloaders_twelve_plugin_loaders_eleven_stale() {
    let a = plugin_dump();
    let r = cl_report();
    assert_eq!(r.schema, "hprofscan/classloaders/1");
    let plugins: Vec<_> = r
        .loaders
        .iter()
        .filter(|l| l.class == "java.net.URLClassLoader")
        .collect();
    assert_eq!(plugins.len(), 12);
    for gen in 1..=12 {
        let name = format!("plugin-gen-{gen}");
        let l = plugins
            .iter()
            .find(|l| l.name.as_deref() == Some(name.as_str()))
            .unwrap_or_else(|| panic!("no loader {name}"));
        assert_eq!(l.classes, 2, "{name}");
        assert_eq!(
            l.class_names,
            [
                "testdata.redeploy.PluginCache",
                "testdata.redeploy.PluginImpl"
            ]
        );
        assert_eq!(
            l.holder,
            Some(holder("testdata.PluginHost", "DEPLOYED", true))
        );
        assert_eq!(
            l.holder_via,
            [".elementData".to_string(), format!("[{}]", gen - 1)]
        );
        assert_eq!(l.stale, gen < 12, "{name}");
        assert_eq!(l.live_instances, (gen == 12) as u64, "{name}");
        assert!(l.context_class_loader_of.is_empty() && l.gc_roots.is_empty());
        if gen < 12 {
            // Each stale loader retains its PluginCache.DATA (byte[100,000]: 100,016 bytes)
            // and its bookkeeping: about 103.5 to 103.8 KB without the class objects.
            assert!(
                (103_500..104_000).contains(&l.retained_bytes),
                "{name}: {}",
                l.retained_bytes
            );
        }
        let parent = node_of(a, l.parent.expect("a parent"));
        assert_eq!(
            analyzer::query::objects::node_class(a, parent),
            "jdk.internal.loader.ClassLoaders$AppClassLoader"
        );
    }
    assert_eq!(r.totals.stale_loaders, 11);
    assert_eq!(r.totals.loaders, 15, "12 plugins, app, platform and boot");
    let app = r
        .loaders
        .iter()
        .find(|l| l.class == "jdk.internal.loader.ClassLoaders$AppClassLoader")
        .unwrap();
    assert!(!app.stale);
    assert!(app.context_class_loader_of.contains(&"main".to_string()));
    assert!(app.children >= 12);

    let dup: Vec<(&str, u64, u64)> = r
        .duplicate_classes
        .iter()
        .map(|d| (d.class.as_str(), d.copies, d.stale_copies))
        .collect();
    assert_eq!(
        dup,
        [
            ("testdata.redeploy.PluginCache", 12, 11),
            ("testdata.redeploy.PluginImpl", 12, 11)
        ]
    );
}

#[test]
fn classloader_finding_is_plugin_host_deployed() {
    let a = plugin_dump();
    let f = classloaders::leak_findings(a, threshold(a));
    assert_eq!(f.len(), 1, "{f:#?}");
    let f = &f[0];
    assert_eq!(f.kind, FindingKind::ClassLoaders);
    assert_eq!(
        f.holder,
        Some(holder("testdata.PluginHost", "DEPLOYED", true))
    );
    // All 12 loaders in the list; 11 stale (plugin-gen-12 defined the live ACTIVE plugin).
    assert_eq!((f.entries, f.stale_entries), (12, 11));
    assert_eq!(f.element_class, "java.net.URLClassLoader");
    assert!(f.threads.is_empty() && f.value_class.is_none());
    // The stale loaders retain everything the list retains except the ArrayList and its
    // Object[15].
    let list = f.node.expect("the list");
    assert_eq!(
        analyzer::query::objects::node_class(a, list),
        "java.util.ArrayList"
    );
    let array = a.graph.refs(list)[0];
    assert_eq!(
        analyzer::query::objects::node_class(a, array),
        "java.lang.Object[]"
    );
    assert_eq!(a.graph.shallow(list) + a.graph.shallow(array), 24 + 80);
    assert_eq!(
        f.retained_bytes,
        a.dom.retained.get(list) - 24 - 80,
        "{}",
        f.explanation
    );
    let stale_sum: u64 = cl_report()
        .loaders
        .iter()
        .filter(|l| l.stale)
        .map(|l| l.retained_bytes)
        .sum();
    assert_eq!(f.retained_bytes, stale_sum);
    assert!(
        f.explanation.contains("plugin-gen-1..11"),
        "{}",
        f.explanation
    );
}

// ---- open-resources.hprof --------------------------------------------------------------

fn rs_report() -> &'static ResourceReport {
    static R: OnceLock<ResourceReport> = OnceLock::new();
    R.get_or_init(|| resource_report(resources_dump(), &ResourceOptions::default()))
}

fn group<'r>(r: &'r ResourceReport, class: &str, field: &str) -> &'r ResourceGroup {
    r.groups
        .iter()
        .find(|g| {
            g.holder
                .as_ref()
                .is_some_and(|h| h.class == class && h.field == field)
        })
        .unwrap_or_else(|| panic!("no group held by {class}.{field}: {:#?}", r.groups))
}

/// holder, class, kind, open, connected, total, retained bytes.
type GroupRow<'r> = (String, &'r str, ResourceKind, u64, Option<u64>, u64, u64);

#[test]
fn resources_grouped_by_holder_with_exact_counts() {
    let r = rs_report();
    assert_eq!(r.schema, "hprofscan/resources/2");
    let rows: Vec<GroupRow> = r
        .groups
        .iter()
        .map(|g| {
            (
                g.holder.as_ref().map(Holder::display).unwrap_or_default(),
                g.class.as_str(),
                g.kind,
                g.open,
                g.connected,
                g.total,
                g.retained_bytes,
            )
        })
        .collect();
    let fr = "testdata.OpenResources$FileRegistry";
    let cx = "testdata.OpenResources$Connections";
    assert_eq!(
        rows,
        [
            // Retained: each stream 32 + its closeLock 16 + its FileDescriptor 40; the list
            // retains 37,440 with the ArrayList (24) and the Object[549] (2,216).
            (
                format!("{fr}.OPEN (static)"),
                "java.io.FileInputStream",
                ResourceKind::File,
                400,
                None,
                400,
                400 * 88
            ),
            (
                format!("{fr}.RAF (static)"),
                "java.io.RandomAccessFile",
                ResourceKind::File,
                50,
                None,
                50,
                4_736 - 24 - 312
            ),
            (
                format!("{cx}.CLIENTS (static)"),
                "java.net.Socket",
                ResourceKind::Socket,
                20,
                Some(20),
                20,
                6_368 - 24 - 104
            ),
            (
                format!("{cx}.ACCEPTED (static)"),
                "java.net.Socket",
                ResourceKind::Socket,
                20,
                Some(20),
                20,
                6_208 - 24 - 104
            ),
            // 12 of the pool's 30 connections are borrowed: each 32 + borrowedBy String 24
            // + its byte[16] 32.
            (
                "testdata.OpenResources.POOL (static)".to_string(),
                "testdata.OpenResources$PooledConnection",
                ResourceKind::PooledConnection,
                12,
                None,
                30,
                12 * 88
            ),
            (
                format!("{cx}.SERVER (static)"),
                "java.net.ServerSocket",
                ResourceKind::ServerSocket,
                1,
                None,
                1,
                rows_server_retained(r)
            ),
        ]
    );
    let t = &r.totals;
    assert_eq!(
        (
            t.open,
            t.files,
            t.sockets,
            t.server_sockets,
            t.pooled_borrowed
        ),
        (503, 450, 40, 1, 12)
    );
    // The 100 closed streams of FileRegistry.CLOSED (fd -1) are not counted as open.
    assert_eq!(t.closed, 100);
    assert!(r
        .groups
        .iter()
        .all(|g| g.holder.as_ref().is_none_or(|h| h.field != "CLOSED")));
    // stdin, stdout and stderr are apart; 594 descriptors, 100 closed, 494 open, all owned.
    assert_eq!(t.standard_streams, 3);
    assert_eq!(t.open_descriptors, 494);
    assert_eq!(t.descriptors_without_owner, 0);

    // The pool group points at the pool object; the file groups at their lists.
    let a = resources_dump();
    let pool = group(r, "testdata.OpenResources", "POOL");
    let pool_node = node_of(a, pool.collection.unwrap());
    assert_eq!(
        analyzer::query::objects::node_class(a, pool_node),
        "testdata.OpenResources$Pool"
    );
    let open = group(r, fr, "OPEN");
    let list = node_of(a, open.collection.unwrap());
    assert_eq!(
        analyzer::query::objects::node_class(a, list),
        "java.util.ArrayList"
    );
    assert_eq!(a.dom.retained.get(list), 37_440);
}

/// The server socket's retained bytes, which SCENARIOS.md does not give: its own retained
/// size in the dominator tree.
fn rows_server_retained(r: &ResourceReport) -> u64 {
    let a = resources_dump();
    let g = group(r, "testdata.OpenResources$Connections", "SERVER");
    a.dom.retained.get(node_of(a, g.example))
}

#[test]
fn resource_findings_count_open_files_not_bytes() {
    let a = resources_dump();
    let f = resources::leak_findings(a, threshold(a));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].kind, resources::ResourceKind::File);
    assert_eq!(f[0].members.len(), 256, "a sample of the 400 open streams");
    let open = &f[0].finding;
    assert_eq!(open.kind, FindingKind::OpenResources);
    assert_eq!(
        open.holder,
        Some(holder("testdata.OpenResources$FileRegistry", "OPEN", true))
    );
    assert_eq!(open.entries, 400);
    assert_eq!(open.element_class, "java.io.FileInputStream");
    assert_eq!(open.retained_bytes, 35_200);
    assert!(
        a.share(open.retained_bytes) < 0.05,
        "small, yet a leak by count"
    );
    let list = open.node.unwrap();
    assert_eq!(
        analyzer::query::objects::node_class(a, list),
        "java.util.ArrayList"
    );

    // RAF (50 files, 4,400 bytes) is below the count threshold; it becomes a finding only
    // when its bytes reach the size threshold.
    let f = resources::findings_of(rs_report(), 4_400, &ResourceOptions::default());
    let held: Vec<String> = f
        .iter()
        .map(|x| x.finding.holder.as_ref().unwrap().display())
        .collect();
    assert!(held.contains(&"testdata.OpenResources$FileRegistry.RAF (static)".to_string()));
    assert!(held.iter().all(|h| !h.contains("CLOSED")));
    let f = resources::findings_of(rs_report(), 4_401, &ResourceOptions::default());
    assert!(f
        .iter()
        .all(|x| x.finding.holder.as_ref().unwrap().field != "RAF"));
}

// ---- no false alarms -------------------------------------------------------------------

#[test]
fn healthy_dumps_have_no_findings() {
    for name in ["healthy.hprof", "healthy.jcmd.hprof.gz"] {
        let a = analyse(name);
        let t = threshold(&a);
        assert!(threadlocals::leak_findings(&a, t).is_empty(), "{name}");
        assert!(classloaders::leak_findings(&a, t).is_empty(), "{name}");
        assert!(resources::leak_findings(&a, t).is_empty(), "{name}");
        let r = classloader_report(&a, &ClassLoaderOptions::default());
        assert_eq!(r.totals.stale_loaders, 0, "{name}");
        assert!(r.duplicate_classes.is_empty(), "{name}");
    }
    // And the other scenarios do not trip each other's analyses.
    let a = threadlocal_dump();
    assert!(classloaders::leak_findings(a, threshold(a)).is_empty());
    assert!(resources::leak_findings(a, threshold(a)).is_empty());
    let a = plugin_dump();
    assert!(threadlocals::leak_findings(a, threshold(a)).is_empty());
    assert!(resources::leak_findings(a, threshold(a)).is_empty());
    let a = resources_dump();
    assert!(threadlocals::leak_findings(a, threshold(a)).is_empty());
    assert!(classloaders::leak_findings(a, threshold(a)).is_empty());
}
