//! `leaks` verdicts on the service corpus (testdata/SERVICES.md): applications written as a
//! Java engineer writes a service, each leak beside legitimate structures, dumped with G1 (the
//! JVM's default) and with Parallel or Serial GC. Healthy services give no suspect; each leak
//! is suspect #1 with its exact holder, kind and entries. The validation set
//! (testdata/VALIDATION.md) is checked too, with the outcome measured once after tuning; its
//! known misses are asserted as misses, so an improvement shows up as a failing test to update.

use crate::common::{analyse, dump};

use analyzer::dom::analysis::Analysis;
use analyzer::leaks::{
    leak_report, EvidenceName, LeakKind, LeakOptions, LeakReport, Outcome, Series, Strength,
    Supports, Verdict,
};
use analyzer::report::growth::{growth_report, summarize, summarize_file};
use analyzer::{LoadOptions, NoProgress};

pub(crate) fn leaks(a: &Analysis) -> LeakReport {
    leak_report(a, &LeakOptions::default(), None)
}

/// The last dump judged against the earlier ones.
pub(crate) fn series(names: &[&str]) -> LeakReport {
    let (last, earlier) = names.split_last().unwrap();
    let mut sums: Vec<_> = earlier
        .iter()
        .map(|n| summarize_file(&dump(n), &LoadOptions::default(), &NoProgress).unwrap())
        .collect();
    let a = analyse(last);
    let s = summarize(&a);
    sums.push(s.clone());
    let order: Vec<String> = sums.iter().map(|s| s.meta.path.clone()).collect();
    let series = Series {
        growth: growth_report(sums, &order),
        last: s,
    };
    leak_report(&a, &LeakOptions::default(), Some(&series))
}

pub(crate) fn holders(r: &LeakReport) -> Vec<String> {
    r.suspects.iter().map(|s| s.holder.display()).collect()
}

/// The report of dump `name`, which has no suspect: for the checks of its retainers.
pub(crate) fn unflagged(name: &str) -> LeakReport {
    let r = leaks(&crate::common::analyse(name));
    assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
    r
}

/// No dump of `names`, each analysed on its own, gives a suspect.
pub(crate) fn no_suspects(names: &[&str]) {
    for name in names {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
    }
}

/// Dump `name`, a leak missed as first measured, gives no suspect or only the leak's `holder`:
/// for first stages whose leak is at the edge of the evidence (a timestamp field holds a
/// plausible time in about 80% of the sampled entries, a share that moves with where the
/// collector left the objects), found in some generations of the dump and not in others,
/// never a legitimate structure instead.
pub(crate) fn missed_or_only(name: &str, holder: &str) {
    let r = leaks(&analyse(name));
    let found = holders(&r);
    assert!(
        found.is_empty() || found == [holder],
        "{name}: {found:?}, expected nothing or {holder}"
    );
}

/// The series `names` (the last judged against the earlier ones) gives no suspect; its report.
pub(crate) fn no_suspects_in_series(names: &[&str]) -> LeakReport {
    let r = series(names);
    assert!(r.suspects.is_empty(), "{names:?}: {:?}", holders(&r));
    r
}

/// The big retainer held by `class.field`.
pub(crate) fn retainer<'r>(
    r: &'r LeakReport,
    class: &str,
    field: &str,
) -> &'r analyzer::leaks::Retainer {
    r.top_retainers
        .iter()
        .find(|t| {
            t.holder
                .as_ref()
                .is_some_and(|h| h.class == class && h.field == field)
        })
        .unwrap_or_else(|| panic!("no retainer held by {class}.{field}"))
}

/// Suspect #1 of `dump` is `holder` with this verdict, kind and entries.
pub(crate) fn first(r: &LeakReport, holder: &str, verdict: Verdict, kind: LeakKind, entries: u64) {
    let s = r
        .suspects
        .first()
        .unwrap_or_else(|| panic!("{}: no suspect, expected {holder}", r.dump.path));
    assert_eq!(
        s.holder.display(),
        holder,
        "{}: {:?}",
        r.dump.path,
        holders(r)
    );
    assert_eq!(s.verdict, verdict, "{}: {:?}", r.dump.path, s.evidence);
    assert_eq!(s.kind, kind, "{}", r.dump.path);
    assert_eq!(s.entries, entries, "{}", r.dump.path);
    assert!(!s.gc_root_path.is_empty(), "{}", r.dump.path);
    assert!(
        s.evidence.iter().any(|e| e.supports == Supports::Leak),
        "{}: a suspect needs leak evidence",
        r.dump.path
    );
}

/// Suspect #1 as [`first`], found as one of `kinds`: for holders whose kind depends on the
/// generation of the dump (a local of `main` that still holds the entries' owners at the dump
/// makes a collection a class group of the same field, with the same count).
pub(crate) fn first_as_one_of(
    r: &LeakReport,
    holder: &str,
    verdict: Verdict,
    kinds: &[LeakKind],
    entries: u64,
) {
    let kind = r.suspects.first().map_or(kinds[0], |s| s.kind);
    assert!(kinds.contains(&kind), "{}: {kind:?}", r.dump.path);
    first(r, holder, verdict, kind, entries);
}

/// The one suspect of dump `name`: a `leak` of `kind` held by `holder` with `entries`.
pub(crate) fn only_leak(name: &str, holder: &str, kind: LeakKind, entries: u64) -> LeakReport {
    let r = leaks(&crate::common::analyse(name));
    first(&r, holder, Verdict::Leak, kind, entries);
    assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    r
}

/// The one suspect of dump `name`: a `possible-leak` of `kind` held by `holder` with `entries`.
pub(crate) fn only_possible_leak(name: &str, holder: &str, kind: LeakKind, entries: u64) {
    let r = leaks(&crate::common::analyse(name));
    first(&r, holder, Verdict::PossibleLeak, kind, entries);
    assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
}

/// The one suspect of the series `names` (the last judged against the earlier ones): a `leak`
/// of `kind` held by `holder` with `entries`.
pub(crate) fn only_leak_in_series(
    names: &[&str],
    holder: &str,
    kind: LeakKind,
    entries: u64,
) -> LeakReport {
    let r = series(names);
    first(&r, holder, Verdict::Leak, kind, entries);
    assert_eq!(r.suspects.len(), 1, "{names:?}: {:?}", holders(&r));
    r
}

/// Suspect #1 as [`first`], or no suspect at all: for leaks found in some generations of a
/// dump and not in others (the entry-age evidence needs the heap to keep allocation order,
/// which a parallel collector or G1's regions may not), never a legitimate structure instead.
pub(crate) fn first_or_none(
    r: &LeakReport,
    holder: &str,
    verdict: Verdict,
    kind: LeakKind,
    entries: u64,
) {
    if !r.suspects.is_empty() {
        first(r, holder, verdict, kind, entries);
    }
}

const HEALTHY: &[&str] = &[
    // Tuning set.
    "svc-healthy-payments-1.hprof",
    "svc-healthy-payments-2.hprof",
    "svc-healthy-payments.hprof",
    "svc-healthy-flights.hprof",
    "svc-healthy-flights-serial.jcmd.hprof",
    "svc-healthy-banking.hprof",
    "svc-healthy-banking-parallel.hprof",
    "svc-healthy-catalog.hprof",
    "svc-healthy-catalog-serial.hprof",
    "svc-healthy-inventory.hprof",
    "svc-healthy-inventory-serial.jcmd.hprof",
    "svc-healthy-resources.hprof",
    "svc-healthy-resources-serial.hprof",
    // Written in session 12 before its rule: 400 printer channels kept open, idle for hours,
    // opened over the morning; the set stopped growing while in use.
    "svc-healthy-printfarm.hprof",
    "svc-healthy-printfarm-parallel.jcmd.hprof",
    // Written first in session 13: a link per tenant kept open, most idle for hours, while
    // new tenants are onboarded (open and dropped flagged it `leak`/high before the live-keys
    // check).
    "svc-healthy-tenantlinks.hprof",
    "svc-healthy-tenantlinks-serial.jcmd.hprof",
    // Validation set (fleet-1: a ring buffer not yet wrapped, flagged until its fixed slots
    // became bound evidence; see SCENARIOS.md).
    "svc-healthy-fleet-1.hprof",
    "svc-healthy-fleet-2.hprof",
    "svc-healthy-fleet.hprof",
    "svc-healthy-messaging.hprof",
    "svc-healthy-messaging-parallel.jcmd.hprof",
];

#[test]
fn healthy_services_give_no_suspect() {
    for name in HEALTHY {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
        assert_eq!(r.outcome, Outcome::NoLeak, "{name}");
        // Their big structures are listed with a verdict, never dropped.
        assert!(!r.top_retainers.is_empty(), "{name}");
        assert!(r
            .top_retainers
            .iter()
            .all(|t| t.verdict == Verdict::MemoryHungry || t.verdict == Verdict::Undetermined));
    }
}

#[test]
fn healthy_series_give_no_suspect_and_say_what_warmed() {
    let r = no_suspects_in_series(&[
        "svc-healthy-payments-1.hprof",
        "svc-healthy-payments-2.hprof",
        "svc-healthy-payments.hprof",
    ]);
    let merchants = r
        .verdicts
        .iter()
        .find(|v| v.holder == "testdata.SvcHealthyPayments$MerchantDirectory.merchants")
        .expect("the merchant directory is judged");
    assert_eq!(merchants.verdict, Verdict::MemoryHungry);
    assert_eq!(
        merchants.growth,
        Some(analyzer::report::growth::Verdict::Warming)
    );
    no_suspects_in_series(&[
        "svc-healthy-fleet-1.hprof",
        "svc-healthy-fleet-2.hprof",
        "svc-healthy-fleet.hprof",
    ]);
}

#[test]
fn tuning_set_leaks_are_suspect_one() {
    use LeakKind::*;
    use Verdict::*;
    let cases: &[(&str, &str, Verdict, LeakKind, u64)] = &[
        (
            "svc-leak-audit.hprof",
            "testdata.SvcLeakAudit$AuditTrail.RECORDS (static)",
            Leak,
            StaticCollection,
            9000,
        ),
        (
            "svc-leak-audit-parallel.jcmd.hprof",
            "testdata.SvcLeakAudit$AuditTrail.RECORDS (static)",
            Leak,
            StaticCollection,
            9000,
        ),
        (
            "svc-leak-sessions.hprof",
            "testdata.SvcLeakSessions$SessionTokenCache.tokens",
            PossibleLeak,
            UnboundedMap,
            24_000,
        ),
        (
            "svc-leak-listeners.hprof",
            "testdata.SvcLeakListeners$EventBus.listeners",
            PossibleLeak,
            Listeners,
            4008,
        ),
        (
            "svc-leak-listeners-serial.hprof",
            "testdata.SvcLeakListeners$EventBus.listeners",
            PossibleLeak,
            Listeners,
            4008,
        ),
        (
            "svc-leak-files.hprof",
            "testdata.SvcLeakFiles$DownloadService.active",
            Leak,
            OpenResources,
            700,
        ),
        (
            "svc-leak-files-serial.jcmd.hprof",
            "testdata.SvcLeakFiles$DownloadService.active",
            Leak,
            OpenResources,
            700,
        ),
        (
            "svc-leak-threadlocal.hprof",
            "testdata.SvcLeakThreadLocal$Tracer.SPANS (static)",
            PossibleLeak,
            Threadlocal,
            // The spans in the six threads' lists (session 8; before, the 6 lists).
            24_000,
        ),
        (
            "svc-leak-threadlocal-parallel.hprof",
            "testdata.SvcLeakThreadLocal$Tracer.SPANS (static)",
            PossibleLeak,
            Threadlocal,
            // The spans in the six threads' lists (session 8; before, the 6 lists).
            24_000,
        ),
        (
            "svc-leak-plugins.hprof",
            "testdata.SvcLeakPlugins$RuleRegistry.HANDLERS (static)",
            Leak,
            Classloaders,
            16,
        ),
        (
            "svc-leak-threads.hprof",
            "testdata.SvcLeakThreads$WebhookService.<threads>",
            Leak,
            Threads,
            350,
        ),
        (
            "svc-leak-threads-serial.hprof",
            "testdata.SvcLeakThreads$WebhookService.<threads>",
            Leak,
            Threads,
            350,
        ),
        (
            "svc-leak-weakkeys.hprof",
            "testdata.SvcLeakWeakKeys$LayoutCache.layouts",
            Leak,
            UnboundedMap,
            5000,
        ),
        (
            "svc-leak-streams.hprof",
            "testdata.SvcLeakStreams$BodyStreams.OPEN (static)",
            Leak,
            OpenResources,
            608,
        ),
        (
            "svc-leak-streams-serial.hprof",
            "testdata.SvcLeakStreams$BodyStreams.OPEN (static)",
            Leak,
            OpenResources,
            608,
        ),
        (
            "svc-leak-leases.hprof",
            "testdata.SvcLeakLeases$OrderService.ordersDb",
            Leak,
            OpenResources,
            400,
        ),
        (
            "svc-leak-leases-parallel.hprof",
            "testdata.SvcLeakLeases$OrderService.ordersDb",
            Leak,
            OpenResources,
            400,
        ),
        (
            "svc-leak-weakkeys-parallel.hprof",
            "testdata.SvcLeakWeakKeys$LayoutCache.layouts",
            Leak,
            UnboundedMap,
            5000,
        ),
    ];
    for &(name, holder, verdict, kind, entries) in cases {
        let r = leaks(&analyse(name));
        first(&r, holder, verdict, kind, entries);
        // Nothing legitimate beside it.
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}

#[test]
fn unclosed_upload_sinks_are_found_by_the_chained_entries() {
    // Session 13: 1,500 aborted uploads' sinks left open in a cleanup registry (of 1,518),
    // dumped while a sampler iterates the registry, so its iterator points into the table.
    // The registry's own table counts as the registry (the sinks are dominated by it), but the
    // sample reads each bucket's first entry only: sequential upload ids put the sinks of the
    // last 2.5 hours behind older ones in their buckets, so no sampled sink was opened in the
    // last hour, and open-and-dropped needs one: missed in session 13. Since session 14 the
    // entries chained after the sampled ones (read for their order) say sinks are still being
    // opened.
    for name in [
        "svc-leak-uploadsinks.hprof",
        "svc-leak-uploadsinks-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.SvcLeakUploadSinks$SinkRegistry.OPEN (static)",
            Verdict::Leak,
            LeakKind::OpenResources,
            1_518,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}

#[test]
fn one_dump_of_the_replay_buffer_is_a_possible_leak_by_its_name_and_count() {
    // 20,000 request bodies keyed by sequential request ids, with no time in them, look like a
    // directory in one dump; but the field is named for requests in flight and the JVM has six
    // threads: far more requests than can be in flight at once. One dump cannot confirm it.
    for name in [
        "svc-leak-requests-1.hprof",
        "svc-leak-requests.hprof",
        "svc-leak-requests-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        let n = if name.ends_with("-1.hprof") {
            5_000
        } else {
            20_000
        };
        first(
            &r,
            "testdata.SvcLeakRequests$ReplayBuffer.inflight",
            Verdict::PossibleLeak,
            LeakKind::UnboundedMap,
            n,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        let e = &r.suspects[0].evidence;
        assert!(
            e.iter().any(|e| e.name == EvidenceName::InFlight
                && e.supports == Supports::Leak
                && e.strength == Strength::Moderate),
            "{name}: {e:?}"
        );
        assert!(r.advice.as_deref().unwrap_or("").contains("second dump"));
    }
}

#[test]
fn a_series_decides_growth() {
    let r = series(&[
        "svc-leak-requests-1.hprof",
        "svc-leak-requests-2.hprof",
        "svc-leak-requests.hprof",
    ]);
    first(
        &r,
        "testdata.SvcLeakRequests$ReplayBuffer.inflight",
        Verdict::Leak,
        LeakKind::UnboundedMap,
        20_000,
    );
    let g = r.suspects[0].growth.as_ref().unwrap();
    assert_eq!(g.entries, vec![Some(5000), Some(10_000), Some(20_000)]);
    assert!(r.suspects[0]
        .evidence
        .iter()
        .any(|e| e.name == EvidenceName::Growth && e.supports == Supports::Leak));
    let s = series(&[
        "svc-leak-sessions-1.hprof",
        "svc-leak-sessions-2.hprof",
        "svc-leak-sessions.hprof",
    ]);
    first(
        &s,
        "testdata.SvcLeakSessions$SessionTokenCache.tokens",
        Verdict::Leak,
        LeakKind::UnboundedMap,
        24_000,
    );
    assert_eq!(s.suspects.len(), 1, "{:?}", holders(&s));
    // What one entry retains, one level deeper than its class: the claims bytes.
    let p = s.suspects[0].per_entry.as_ref().expect("per entry");
    assert_eq!(p.average_bytes, s.suspects[0].retained_bytes / 24_000);
    assert_eq!(p.mostly_class.as_deref(), Some("byte[]"));
    assert_eq!(p.via.as_deref(), Some(".claims"));
    assert!(p.share.unwrap() >= 0.5);
}

#[test]
fn validation_set_as_measured() {
    use LeakKind::*;
    use Verdict::*;
    let found: &[(&str, &str, Verdict, LeakKind, u64)] = &[
        (
            "svc-leak-scheduled.hprof",
            "testdata.SvcLeakScheduled$ReportService.scheduler",
            Leak,
            ScheduledTasks,
            2403,
        ),
        (
            "svc-leak-executors.hprof",
            "testdata.SvcLeakExecutors$ExportService.<executors>",
            Leak,
            Executors,
            300,
        ),
        (
            "svc-leak-executors-parallel.jcmd.hprof",
            "testdata.SvcLeakExecutors$ExportService.<executors>",
            Leak,
            Executors,
            300,
        ),
    ];
    for &(name, holder, verdict, kind, entries) in found {
        let r = leaks(&analyse(name));
        first(&r, holder, verdict, kind, entries);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Found since session 6, whose tuning apps were written for the shapes of these misses (a
    // hand-written pool, a hand-made linked log), so these two apps are spent for those rules:
    // a class group is now sampled over all its instances, and a list's head found below the
    // service object holding it.
    let pool = "testdata.SvcLeakPool$ConnectionPool.borrowed";
    let changelog = "testdata.SvcLeakChangeLog$ChangeLog.head";
    // The Parallel dump's pool: its connections' `openedAt` says when each was opened in any
    // heap order (found in 4 of 4 fresh generations, session 7).
    for (name, holder, kind, entries) in [
        ("svc-leak-pool.hprof", pool, ClassGroup, 1250),
        ("svc-leak-pool-parallel.hprof", pool, ClassGroup, 1250),
        ("svc-leak-changelog.hprof", changelog, SingleObject, 25_000),
        (
            "svc-leak-changelog-serial.jcmd.hprof",
            changelog,
            SingleObject,
            25_000,
        ),
    ] {
        let r = leaks(&analyse(name));
        first(&r, holder, Leak, kind, entries);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // One dump of the history cannot tell (its series can, below), except the first: since
    // session 10 (spent: a map of lists is judged on a sample of the lists' elements, whose
    // customer-id keys bound the lists, not their lengths) its events' `at` follows their
    // order over 23.8 h, mostly idle.
    let r = leaks(&analyse("svc-leak-history.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
    let r = leaks(&analyse("svc-leak-history-1.hprof"));
    first(
        &r,
        "testdata.SvcLeakHistory$CustomerActivity.history",
        Leak,
        UnboundedMap,
        2_000,
    );
    let h = series(&[
        "svc-leak-history-1.hprof",
        "svc-leak-history-2.hprof",
        "svc-leak-history.hprof",
    ]);
    // A leak since growth in bytes counts when the entries stay (2,000 keys whose lists grow
    // 3.9x); it was a possible-leak before (SCENARIOS.md).
    first(
        &h,
        "testdata.SvcLeakHistory$CustomerActivity.history",
        Leak,
        UnboundedMap,
        2000,
    );
}

#[test]
fn a_linked_queue_counts_every_entry_not_its_sample() {
    // SvcHealthyPayments: FxRateCache.insertionOrder, a ConcurrentLinkedQueue at the cache's
    // cap of 2,000 (SERVICES.md); it was reported as 256 entries (the sample size).
    let a = analyse("svc-healthy-payments.hprof");
    let specs = analyzer::query::collections::collection_specs(&a);
    let class = a
        .heap
        .classes
        .by_name("java.util.concurrent.ConcurrentLinkedQueue")
        .expect("the class");
    let sizes: Vec<u64> = (0..a.graph.len() as u32)
        .filter(|&v| a.graph.class_of(v) == class && a.graph.class_object(v).is_none())
        .map(|v| {
            analyzer::query::collections::contents(&a, v, specs[class as usize].unwrap()).entries
        })
        .collect();
    assert!(sizes.contains(&2000), "{sizes:?}");
}

/// Validation set 2 (testdata/VALIDATION2.md), written blind: the results as measured
/// (SCENARIOS.md). `Val2LeakRpcGateway` is spent: the futures part of the `finished` evidence
/// was written after seeing it missed. `Val2LeakQuotes` is spent for session 8's reading of
/// the state of the objects entries reference (its listeners' requests are `done`).
#[test]
fn blind_validation_set_as_measured() {
    use LeakKind::*;
    use Verdict::*;
    no_suspects(&[
        "val2-healthy-tariffs-1.hprof",
        "val2-healthy-tariffs-2.hprof",
        "val2-healthy-tariffs.hprof",
        "val2-healthy-library.jcmd.hprof",
        "val2-healthy-shipping.hprof",
        "val2-healthy-shipping-serial.jcmd.hprof",
    ]);
    let alerts = "testdata.Val2LeakAlerts$AlertScheduler.timer";
    let quotes = "testdata.Val2LeakQuotes$QuoteBus.listeners";
    let reports = "testdata.Val2LeakReports$TemplateEngine.CONTEXT (static)";
    let rpc = "testdata.Val2LeakRpcGateway$CorrelationRegistry.PENDING (static)";
    let found: &[(&str, &str, Verdict, LeakKind, u64)] = &[
        (
            "val2-leak-alerts.jcmd.hprof",
            alerts,
            Leak,
            ScheduledTasks,
            8640,
        ),
        (
            "val2-leak-alerts-serial.hprof",
            alerts,
            Leak,
            ScheduledTasks,
            8640,
        ),
        // `PossibleLeak` (each listener captures its own request) as first measured; `Leak`
        // since session 8 (spent: the finished rule reads the state of the object each entry
        // references): the captured requests have `done = true`. -1 was missed before.
        ("val2-leak-quotes-1.hprof", quotes, Leak, Listeners, 2163),
        ("val2-leak-quotes-2.hprof", quotes, Leak, Listeners, 4323),
        ("val2-leak-quotes.hprof", quotes, Leak, Listeners, 8643),
        (
            "val2-leak-reports.hprof",
            reports,
            PossibleLeak,
            Threadlocal,
            11_520,
        ),
        (
            "val2-leak-reports-parallel.jcmd.hprof",
            reports,
            PossibleLeak,
            Threadlocal,
            11_520,
        ),
        ("val2-leak-rpc-1.hprof", rpc, Leak, StaticCollection, 1931),
        ("val2-leak-rpc-2.hprof", rpc, Leak, StaticCollection, 3713),
        ("val2-leak-rpc.hprof", rpc, Leak, StaticCollection, 7276),
        (
            "val2-leak-rpc.jcmd.hprof",
            rpc,
            Leak,
            StaticCollection,
            7276,
        ),
    ];
    for &(name, holder, verdict, kind, entries) in found {
        let r = leaks(&analyse(name));
        first(&r, holder, verdict, kind, entries);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Known miss: never a legitimate structure instead.
    let truth = "testdata.Val2LeakExport$ResourceTracker.open";
    let r = leaks(&analyse("val2-leak-export.jcmd.hprof"));
    assert!(holders(&r).iter().all(|h| h == truth), "{:?}", holders(&r));
    no_suspects_in_series(&[
        "val2-healthy-tariffs-1.hprof",
        "val2-healthy-tariffs-2.hprof",
        "val2-healthy-tariffs.hprof",
    ]);
    for (names, holder, kind, entries) in [
        (
            [
                "val2-leak-quotes-1",
                "val2-leak-quotes-2",
                "val2-leak-quotes",
            ],
            quotes,
            Listeners,
            8643,
        ),
        (
            ["val2-leak-rpc-1", "val2-leak-rpc-2", "val2-leak-rpc"],
            rpc,
            StaticCollection,
            7276,
        ),
    ] {
        let files: Vec<String> = names.iter().map(|n| format!("{n}.hprof")).collect();
        let refs: Vec<&str> = files.iter().map(String::as_str).collect();
        let r = series(&refs);
        first(&r, holder, Leak, kind, entries);
        assert_eq!(r.suspects.len(), 1, "{names:?}: {:?}", holders(&r));
    }
}

/// Validation set 3 (testdata/VALIDATION3.md), written blind and never tuned on, as measured:
/// the healthy dumps give no suspect, the leaks found are suspect #1 with their exact holder and
/// entries, and the misses give no suspect at all (the push-retry dump's directory of random
/// device tokens is a known false suspect #2: asserted, so a fix shows as a failing test).
#[test]
fn validation_set_3_as_measured() {
    use LeakKind::*;
    use Verdict::*;
    no_suspects(&[
        "val3-healthy-hotels-1.hprof",
        "val3-healthy-hotels-2.hprof",
        "val3-healthy-hotels.hprof",
        "val3-healthy-adserver.hprof",
        "val3-healthy-adserver-parallel.jcmd.hprof",
        "val3-healthy-ingest.hprof",
        "val3-healthy-ingest.jcmd.hprof",
        "val3-healthy-identity.hprof",
    ]);
    // Missed until session 14 (the parallel collector's copying left no order to read the
    // meters' times by); found since by the order their hash buckets chain them in.
    let r = leaks(&analyse("val3-leak-metrics-parallel.hprof"));
    first(
        &r,
        "testdata.Val3LeakMetrics$MeterRegistry.meters",
        Leak,
        UnboundedMap,
        9_048,
    );
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    let uploads = "testdata.Val3LeakUploads$ChunkWriterRegistry.open";
    let found: &[(&str, &str, Verdict, LeakKind, u64)] = &[
        ("val3-leak-uploads.hprof", uploads, Leak, OpenResources, 474),
        (
            "val3-leak-uploads.jcmd.hprof",
            uploads,
            Leak,
            OpenResources,
            474,
        ),
        (
            "val3-leak-dbpool.hprof",
            "testdata.Val3LeakDbPool$OrderHistoryService.pool",
            Leak,
            OpenResources,
            800,
        ),
        (
            "val3-leak-authaudit-1.hprof",
            "testdata.Val3LeakAuthAudit$AuditShipper.pending",
            Leak,
            Collection,
            12_000,
        ),
        // Found since session 6 (the consumer evidence; the dead-consumer tuning app was
        // written for this miss's shape, so authaudit is spent for it).
        (
            "val3-leak-authaudit-2.hprof",
            "testdata.Val3LeakAuthAudit$AuditShipper.pending",
            Leak,
            Collection,
            24_000,
        ),
        (
            "val3-leak-authaudit.hprof",
            "testdata.Val3LeakAuthAudit$AuditShipper.pending",
            Leak,
            Collection,
            48_000,
        ),
        (
            "val3-leak-pushretry.hprof",
            "testdata.Val3LeakPushRetry$RetryThread.<threads>",
            Leak,
            Threads,
            300,
        ),
        // Found since session 12 (spent): its keys `<userId>/<UUID>` are per-request tokens
        // in their second part, as the truth table expected.
        (
            "val3-leak-exports-serial.hprof",
            "testdata.Val3LeakExports$SessionExportStore.EXPORTS (static)",
            PossibleLeak,
            StaticCollection,
            1_260,
        ),
    ];
    for &(name, holder, verdict, kind, entries) in found {
        let r = leaks(&analyse(name));
        first(&r, holder, verdict, kind, entries);
        // The device-token directory beside the retry threads is no longer a false suspect
        // (the record-dates evidence).
        let expected = vec![holder.to_string()];
        assert_eq!(holders(&r), expected, "{name}");
    }
    let r = series(&[
        "val3-leak-authaudit-1.hprof",
        "val3-leak-authaudit-2.hprof",
        "val3-leak-authaudit.hprof",
    ]);
    first(
        &r,
        "testdata.Val3LeakAuthAudit$AuditShipper.pending",
        Leak,
        Collection,
        48_000,
    );
    no_suspects_in_series(&[
        "val3-healthy-hotels-1.hprof",
        "val3-healthy-hotels-2.hprof",
        "val3-healthy-hotels.hprof",
    ]);
}
