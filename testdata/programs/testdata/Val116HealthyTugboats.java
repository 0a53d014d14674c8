// hprofscan-dump: name=val116-healthy-tugboats-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val116-healthy-tugboats-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val116-healthy-tugboats jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val116-healthy-tugboats-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Validation set 116 (written blind), HEALTHY: the dispatch service of a harbour towage company.
 * Berth reference data, the vessel directory, an LRU of rendered tide and pilotage pages (fills in
 * stage 2), a pool of AIS decode buffers, a ring of AIS position reports, the tow jobs in progress,
 * and four bounded look-alikes: a WeakHashMap of per-job winch telemetry whose values do not
 * reference their keys (entries go with the finished jobs), a retry queue of port-authority
 * notices drained for every failure kind (timeouts retried, rejections dead-lettered into a ring of
 * summaries), a static CopyOnWriteArrayList of tug radio-link callbacks removed when a link closes,
 * and per-crew-member activity feeds trimmed to their newest 50 items. A growth series
 * (1 / 4 / 8 h) that warms up and plateaus. See VALIDATION116.md.
 */
public final class Val116HealthyTugboats {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int BERTHS = 800, VESSELS = 20_000, PAGE_CAP = 1_500, POOL = 8, RING = 8_192, TUGS = 48, CREW = 1_200, FEED_LIMIT = 50, DEAD_RING = 256, MAX_ATTEMPTS = 4;
    static final int ACTIONS_PER_HOUR = 25_000, AIS_PER_MINUTE = 50;
    static final int[] STAGE_HOURS = {0, 1, 4, 8};
    static final String[] TUG_NAMES = {"Svitzer", "Kestrel", "Bollard", "Warrior", "Osprey", "Brent", "Fury", "Hercules"};
    static final String[] CREW_ACTIONS = {"checklist", "logbook", "message", "position", "fuel", "handover"};

    enum FailureKind { TIMEOUT, REJECTED }

    record Berth(String code, String quay, double[] depthByHalfHour) {}
    record Vessel(String imo, String name, int grossTonnage, byte[] particulars, long registeredAt) {}
    record TidePage(String key, byte[] rendered, long at) {}
    record AisReport(String imo, double lat, double lon, short speedTenths, long at) {}
    record DeadLetter(String noticeId, int status, long at) {}
    record FeedItem(long at, String action, String ref, short value) {}

    /** One tow job, from order to completion (identity equality). */
    static final class TowJob {
        final String jobId, vesselImo, berth;
        final String[] tugs;
        final long startedAt, endsAt;
        TowJob(String jobId, String vesselImo, String berth, String[] tugs, long startedAt, long endsAt) {
            this.jobId = jobId; this.vesselImo = vesselImo; this.berth = berth; this.tugs = tugs; this.startedAt = startedAt; this.endsAt = endsAt;
        }
    }

    /** Winch-load telemetry of one job; holds the job id, not the job. */
    record JobTelemetry(String jobId, byte[] winchLoadSamples, int maxBollardPullTonnes) {}

    static final class TelemetryIndex {
        final WeakHashMap<TowJob, JobTelemetry> byJob = new WeakHashMap<>();
        void attach(TowJob job, Random r) { byJob.put(job, new JobTelemetry(job.jobId, new byte[4_096], 20 + r.nextInt(60))); }
    }

    static final class FailedNotice {
        final String noticeId; final byte[] payload; final FailureKind kind; final int status;
        int attempts = 1; long retryAt;
        FailedNotice(String noticeId, byte[] payload, FailureKind kind, int status, long retryAt) {
            this.noticeId = noticeId; this.payload = payload; this.kind = kind; this.status = status; this.retryAt = retryAt;
        }
    }

    static final class PortAuthorityNotifier {
        final ConcurrentLinkedQueue<FailedNotice> retries = new ConcurrentLinkedQueue<>();
        final DeadLetter[] deadLetters = new DeadLetter[DEAD_RING];
        long sent, timeouts, rejected, recovered, gaveUp, deadLettered, seq;
        void send(byte[] payload, long t, Random r) {
            sent++;
            String id = "PA-" + (3_000_000 + seq++);
            int roll = r.nextInt(100);
            if (roll < 6) { timeouts++; retries.add(new FailedNotice(id, payload, FailureKind.TIMEOUT, 504, t + 5 * MINUTE)); }
            else if (roll < 8) { rejected++; retries.add(new FailedNotice(id, payload, FailureKind.REJECTED, 422, t)); }
        }
        /** Every minute: every failure kind is handled. */
        void drain(long t, Random r) {
            int n = retries.size();
            for (Iterator<FailedNotice> it = retries.iterator(); it.hasNext() && n-- > 0; ) {
                FailedNotice f = it.next();
                if (f.kind == FailureKind.REJECTED) { it.remove(); deadLetters[(int) (deadLettered++ % DEAD_RING)] = new DeadLetter(f.noticeId, f.status, t); continue; }
                if (f.retryAt > t) continue;
                it.remove();
                if (r.nextInt(100) < 75) { recovered++; continue; }
                if (++f.attempts >= MAX_ATTEMPTS) { gaveUp++; continue; }
                f.retryAt = t + (2L << f.attempts) * MINUTE;
                retries.add(f);
            }
        }
    }

    interface LinkCallback { void onTasking(byte[] frame); }

    /** Radio/data links of the tugs; the dispatcher's taskings go to every open link. */
    static final class RadioLinks {
        static final CopyOnWriteArrayList<LinkCallback> CALLBACKS = new CopyOnWriteArrayList<>();
        static long taskings;
    }

    static final class TugLink {
        final String tug; final ByteBuffer rx = ByteBuffer.allocate(2_048), tx = ByteBuffer.allocate(1_024); final long closesAt;
        LinkCallback callback;
        TugLink(String tug, long closesAt) { this.tug = tug; this.closesAt = closesAt; }
    }

    static final class CrewFeeds {
        final HashMap<Long, ArrayList<FeedItem>> byCrew = new HashMap<>();
        void append(long crewId, FeedItem item) {
            ArrayList<FeedItem> l = byCrew.computeIfAbsent(crewId, k -> new ArrayList<>());
            l.add(item);
            if (l.size() > FEED_LIMIT) l.subList(0, l.size() - FEED_LIMIT).clear();
        }
    }

    static final class PageCache extends LinkedHashMap<String, TidePage> {
        long evicted;
        PageCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TidePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Berth> BERTHS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Vessel> vessels = new HashMap<>();
        final String[] imos = new String[VESSELS];
        final String[] berthCodes = new String[BERTHS];
        final String[] tugNames = new String[TUGS];
        final PageCache tidePages = new PageCache();
        final ArrayDeque<byte[]> aisBuffers = new ArrayDeque<>();
        final AisReport[] ais = new AisReport[RING];
        final Map<String, TowJob> activeJobs = new HashMap<>();
        final TelemetryIndex telemetry = new TelemetryIndex();
        final PortAuthorityNotifier notifier = new PortAuthorityNotifier();
        final Map<String, TugLink> links = new HashMap<>();
        final CrewFeeds feeds = new CrewFeeds();
        long aisCount, jobsStarted, jobsDone, linksOpened, linksClosed, pageHits, actions;

        void openLink(String tug, long t, Random r) {
            TugLink l = new TugLink(tug, t + (20 + r.nextInt(70)) * MINUTE);
            ByteBuffer tx = l.tx, rx = l.rx;
            l.callback = frame -> { tx.clear(); tx.put(frame); rx.clear(); };
            RadioLinks.CALLBACKS.add(l.callback);
            links.put(tug, l);
            linksOpened++;
        }

        void closeLink(TugLink l) {
            links.remove(l.tug);
            RadioLinks.CALLBACKS.remove(l.callback); // unsubscribed on close
            linksClosed++;
        }

        void minute(long t, Random r) {
            for (Iterator<TowJob> it = activeJobs.values().iterator(); it.hasNext(); ) {
                TowJob j = it.next();
                if (j.endsAt <= t) { it.remove(); jobsDone++; notifier.send(new byte[600 + r.nextInt(600)], t, r); }
            }
            if (r.nextInt(3) < 2) {
                String[] tugs = new String[1 + r.nextInt(3)];
                for (int k = 0; k < tugs.length; k++) tugs[k] = tugNames[r.nextInt(TUGS)];
                TowJob j = new TowJob("TJ-" + (90_000 + jobsStarted++), imos[r.nextInt(VESSELS)], berthCodes[r.nextInt(BERTHS)], tugs, t, t + (40 + r.nextInt(80)) * MINUTE);
                activeJobs.put(j.jobId, j);
                telemetry.attach(j, r);
                notifier.send(new byte[600 + r.nextInt(600)], t, r);
                byte[] frame = ("TASK " + j.jobId + " " + j.berth).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                for (LinkCallback cb : RadioLinks.CALLBACKS) { cb.onTasking(frame); RadioLinks.taskings++; }
            }
            for (int k = 0; k < AIS_PER_MINUTE; k++) {
                byte[] buf = aisBuffers.poll();
                buf[k] = (byte) k;
                aisBuffers.add(buf);
                AisReport rep = new AisReport(imos[r.nextInt(VESSELS)], 51.9 + r.nextDouble() * 0.1, 1.2 + r.nextDouble() * 0.2, (short) r.nextInt(150), t);
                ais[(int) (aisCount++ % RING)] = rep;
                notifier.send(new byte[1_000 + r.nextInt(2_000)], t, r);
            }
            notifier.drain(t, r);
            for (String tug : tugNames) {
                TugLink l = links.get(tug);
                if (l != null && l.closesAt <= t) closeLink(l);
                else if (l == null && r.nextInt(2) == 0) openLink(tug, t, r);
            }
        }

        void crewAction(long t, Random r) {
            long crew = 610_000L + r.nextInt(CREW);
            String ref = r.nextInt(4) == 0 ? imos[r.nextInt(VESSELS)] : tugNames[r.nextInt(TUGS)];
            feeds.append(crew, new FeedItem(t, CREW_ACTIONS[r.nextInt(CREW_ACTIONS.length)], ref, (short) r.nextInt(1_000)));
            actions++;
            if (r.nextInt(25) == 0) {
                String key = berthCodes[r.nextInt(BERTHS)] + "/" + r.nextInt(6);
                if (tidePages.get(key) == null) tidePages.put(key, new TidePage(key, new byte[800 + r.nextInt(800)], t));
                else pageHits++;
            }
        }
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(int stage) {
        int hours = STAGE_HOURS[stage], n = ACTIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(116_050_001);
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        for (int b = 0; b < BERTHS; b++) {
            double[] depth = new double[48];
            for (int k = 0; k < depth.length; k++) depth[k] = 8 + rnd.nextDouble() * 9;
            String code = "BTH-" + (100 + b);
            svc.berthCodes[b] = code;
            BERTHS_BY_CODE.put(code, new Berth(code, "Quay " + (b / 20), depth));
        }
        for (int v = 0; v < VESSELS; v++) {
            String imo = "IMO" + (9_100_000 + v * 37);
            svc.imos[v] = imo;
            svc.vessels.put(imo, new Vessel(imo, "MV Vessel " + v, 2_000 + rnd.nextInt(180_000), new byte[150 + rnd.nextInt(150)], now - (long) (100 + rnd.nextInt(9_000)) * DAY));
        }
        for (int k = 0; k < TUGS; k++) svc.tugNames[k] = TUG_NAMES[k % TUG_NAMES.length] + " " + (k / TUG_NAMES.length + 1);
        for (int b = 0; b < POOL; b++) svc.aisBuffers.add(new byte[32_768]);
        Random traffic = new Random(116_050_002);
        for (String tug : svc.tugNames) svc.openLink(tug, start, traffic);
        long nextMinute = start + MINUTE;
        for (int i = 0; i < n; i++) {
            long t = start + (end - MINUTE - start) * i / n;
            while (nextMinute <= t) { svc.minute(nextMinute, traffic); nextMinute += MINUTE; }
            svc.crewAction(t, traffic);
        }
    }

    static int settledSize(WeakHashMap<?, ?> map, int expected) throws InterruptedException {
        for (int k = 0; k < 300 && map.size() != expected; k++) { System.gc(); Thread.sleep(20); }
        return map.size();
    }

    static final int[] EXPECTED_ACTIVE = {0, 40, 52, 60}, EXPECTED_RETRY_BACKLOG = {0, 19, 25, 26}, EXPECTED_LINKS = {0, 46, 46, 44};

    static void report(int stage) throws InterruptedException {
        DispatchService svc = SERVICE;
        int weak = settledSize(svc.telemetry.byJob, svc.activeJobs.size());
        long feedItems = 0;
        int shortest = Integer.MAX_VALUE, longest = 0;
        for (ArrayList<FeedItem> l : svc.feeds.byCrew.values()) { feedItems += l.size(); shortest = Math.min(shortest, l.size()); longest = Math.max(longest, l.size()); }
        PortAuthorityNotifier pa = svc.notifier;
        long rejectedQueued = 0;
        for (FailedNotice f : pa.retries) if (f.kind == FailureKind.REJECTED) rejectedQueued++;
        System.out.println("stage " + stage + " berths " + BERTHS_BY_CODE.size() + " vessels " + svc.vessels.size() + " jobs started " + svc.jobsStarted + " done " + svc.jobsDone + " active " + svc.activeJobs.size()
                + " telemetry entries " + weak + " notices " + pa.sent + " (timeouts " + pa.timeouts + ", rejected " + pa.rejected + ", recovered " + pa.recovered + ", gave up " + pa.gaveUp + ", dead-lettered " + pa.deadLettered
                + ") retry queue " + pa.retries.size() + " (rejected " + rejectedQueued + ") links " + svc.links.size() + " callbacks " + RadioLinks.CALLBACKS.size() + " (opened " + svc.linksOpened + ", closed " + svc.linksClosed
                + ", taskings " + RadioLinks.taskings + ") crew feeds " + svc.feeds.byCrew.size() + " items " + feedItems + " (" + shortest + ".." + longest + ") actions " + svc.actions
                + " tide pages " + svc.tidePages.size() + " (evicted " + svc.tidePages.evicted + ", hits " + svc.pageHits + ") ais " + svc.aisCount + " pool " + svc.aisBuffers.size());
        check(BERTHS_BY_CODE.size() == BERTHS && svc.vessels.size() == VESSELS, "reference data / directory");
        check(svc.activeJobs.size() == EXPECTED_ACTIVE[stage] && pa.retries.size() == EXPECTED_RETRY_BACKLOG[stage] && svc.links.size() == EXPECTED_LINKS[stage], "active jobs / retry backlog / open links");
        check(weak == svc.activeJobs.size() && svc.jobsStarted - svc.jobsDone == svc.activeJobs.size(), "telemetry follows the active jobs: " + weak);
        check(rejectedQueued == 0 && pa.timeouts == pa.recovered + pa.gaveUp + pa.retries.size() && pa.rejected == pa.deadLettered, "retry queue drained for every kind");
        check(RadioLinks.CALLBACKS.size() == svc.links.size() && svc.linksOpened - svc.linksClosed == svc.links.size(), "callbacks follow the open links");
        check(svc.feeds.byCrew.size() == CREW && longest <= FEED_LIMIT && (stage == 1 || shortest == FEED_LIMIT), "crew feeds trimmed");
        check(stage == 1 ? svc.tidePages.size() < PAGE_CAP : svc.tidePages.size() == PAGE_CAP && svc.tidePages.evicted > 0, "tide pages");
        check(svc.aisBuffers.size() == POOL && svc.aisCount == (long) AIS_PER_MINUTE * (STAGE_HOURS[stage] * 60 - 2), "pool / ais");
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        run(stage);
        report(stage);
        LeakCheck.histogram("java.util.WeakHashMap$Entry ", "[B ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
