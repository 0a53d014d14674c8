//! The resource tuning apps (testdata/SERVICES.md, "Resource tuning apps"): exact instance
//! counts of the classes that make their leaks and their legitimate open resources, which hold
//! on every fresh dump of every collector variant (the programs check them before dumping). They
//! guard the documented truths the leak rules are tuned against; they assert nothing about the
//! rules.

use crate::common::analyse;

use analyzer::report::histogram::class_rows;

/// Instances of `class` in the dump (0 if the class has none).
fn count(rows: &[analyzer::report::histogram::ClassRow], class: &str) -> u64 {
    rows.iter()
        .filter(|r| r.class == class)
        .map(|r| r.instances)
        .sum()
}

#[test]
fn leaking_streams_app_has_600_unclosed_streams_beside_8_in_flight_and_128_sockets() {
    for name in ["svc-leak-streams.hprof", "svc-leak-streams-serial.hprof"] {
        let a = analyse(name);
        let (rows, _) = class_rows(&a.heap);
        // 600 quarantined streams never closed + 8 being read by requests in flight.
        assert_eq!(
            count(&rows, "testdata.SvcLeakStreams$AttachmentStream"),
            608,
            "{name}"
        );
        assert!(count(&rows, "java.util.zip.Inflater") >= 608, "{name}");
        assert_eq!(
            count(&rows, "testdata.SvcLeakStreams$Signature"),
            20_000,
            "{name}"
        );
        assert_eq!(
            count(&rows, "testdata.SvcLeakStreams$Verdict"),
            5_000,
            "{name}"
        );
        // The keep-alive pool's sockets and the backend's listener.
        assert_eq!(count(&rows, "java.net.Socket"), 128, "{name}");
        assert_eq!(count(&rows, "java.net.ServerSocket"), 1, "{name}");
    }
}

#[test]
fn leaking_leases_app_has_416_order_connections_and_160_reporting_connections() {
    for name in ["svc-leak-leases.hprof", "svc-leak-leases-parallel.hprof"] {
        let a = analyse(name);
        let (rows, _) = class_rows(&a.heap);
        // ordersDb: 400 leaked + 16 idle; warehouseDb: 160 (120 borrowed by running exports).
        assert_eq!(
            count(&rows, "testdata.SvcLeakLeases$PooledConnection"),
            576,
            "{name}"
        );
        assert_eq!(
            count(&rows, "testdata.SvcLeakLeases$ExportTask"),
            120,
            "{name}"
        );
        assert_eq!(
            count(&rows, "testdata.SvcLeakLeases$ConnectionPool"),
            2,
            "{name}"
        );
        assert_eq!(
            count(&rows, "testdata.SvcLeakLeases$Order"),
            3_000,
            "{name}"
        );
    }
}

#[test]
fn healthy_twin_has_only_streams_and_connections_in_use() {
    for name in [
        "svc-healthy-resources.hprof",
        "svc-healthy-resources-serial.hprof",
    ] {
        let a = analyse(name);
        let (rows, _) = class_rows(&a.heap);
        assert_eq!(
            count(&rows, "testdata.SvcHealthyResources$AttachmentStream"),
            8,
            "{name}"
        );
        assert_eq!(
            count(&rows, "testdata.SvcHealthyResources$PooledConnection"),
            176,
            "{name}"
        );
        assert_eq!(
            count(&rows, "testdata.SvcHealthyResources$ExportTask"),
            120,
            "{name}"
        );
        assert_eq!(
            count(&rows, "testdata.SvcHealthyResources$RequestInFlight"),
            4,
            "{name}"
        );
        assert_eq!(count(&rows, "java.net.Socket"), 128, "{name}");
    }
}
