//! The resource tuning apps (testdata/SERVICES.md, "Resource tuning apps"): exact instance
//! counts of the classes that make their leaks and their legitimate open resources, which hold
//! on every fresh dump of every collector variant (the programs check them before dumping). They
//! guard the documented truths the leak rules are tuned against; they assert nothing about the
//! rules.

use crate::common::analyse;

use analyzer::report::histogram::class_rows;

/// Asserts the exact instance count of each class in every dump named (0 if the class has
/// none), and returns each dump's rows for further checks.
fn assert_counts(
    names: &[&str],
    counts: &[(&str, u64)],
) -> Vec<Vec<analyzer::report::histogram::ClassRow>> {
    names
        .iter()
        .map(|name| {
            let (rows, _) = class_rows(&analyse(name).heap);
            for &(class, n) in counts {
                assert_eq!(count(&rows, class), n, "{name}: {class}");
            }
            rows
        })
        .collect()
}

/// Instances of `class` in the dump (0 if the class has none).
fn count(rows: &[analyzer::report::histogram::ClassRow], class: &str) -> u64 {
    rows.iter()
        .filter(|r| r.class == class)
        .map(|r| r.instances)
        .sum()
}

#[test]
fn leaking_streams_app_has_600_unclosed_streams_beside_8_in_flight_and_128_sockets() {
    let names = ["svc-leak-streams.hprof", "svc-leak-streams-serial.hprof"];
    let all = assert_counts(
        &names,
        &[
            // 600 quarantined streams never closed + 8 being read by requests in flight.
            ("testdata.SvcLeakStreams$AttachmentStream", 608),
            ("testdata.SvcLeakStreams$Signature", 20_000),
            ("testdata.SvcLeakStreams$Verdict", 5_000),
            // The keep-alive pool's sockets and the backend's listener.
            ("java.net.Socket", 128),
            ("java.net.ServerSocket", 1),
        ],
    );
    for (rows, name) in all.iter().zip(names) {
        assert!(count(rows, "java.util.zip.Inflater") >= 608, "{name}");
    }
}

#[test]
fn leaking_leases_app_has_416_order_connections_and_160_reporting_connections() {
    assert_counts(
        &["svc-leak-leases.hprof", "svc-leak-leases-parallel.hprof"],
        &[
            // ordersDb: 400 leaked + 16 idle; warehouseDb: 160 (120 borrowed by running exports).
            ("testdata.SvcLeakLeases$PooledConnection", 576),
            ("testdata.SvcLeakLeases$ExportTask", 120),
            ("testdata.SvcLeakLeases$ConnectionPool", 2),
            ("testdata.SvcLeakLeases$Order", 3_000),
        ],
    );
}

#[test]
fn healthy_twin_has_only_streams_and_connections_in_use() {
    assert_counts(
        &[
            "svc-healthy-resources.hprof",
            "svc-healthy-resources-serial.hprof",
        ],
        &[
            ("testdata.SvcHealthyResources$AttachmentStream", 8),
            ("testdata.SvcHealthyResources$PooledConnection", 176),
            ("testdata.SvcHealthyResources$ExportTask", 120),
            ("testdata.SvcHealthyResources$RequestInFlight", 4),
            ("java.net.Socket", 128),
        ],
    );
}
