// hprofscan-dump: name=val29-healthy-campgrounds-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val29-healthy-campgrounds-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val29-healthy-campgrounds jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val29-healthy-campgrounds-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 29 (written blind), HEALTHY: the reservation and gate service of a national
 * park's campgrounds. Campsite reference data, the reservation directory, a cache of rendered site
 * maps at its cap, a pool of permit-printer buffers, a hand-rolled ring of gate events
 * (Object[] items; int head, size) full and wrapping, a hand-rolled growable check-in journal that
 * is exported and compacted every 10 minutes (steady, partly filled), and a tracer whose
 * availability-sync poller finishes one trace per pass; finished traces are exported and only the
 * last 1,024 are kept for the debug page. See VALIDATION29.md.
 */
public final class Val29HealthyCampgrounds {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, PASS_EVERY = 10_000L;
    static final int SITES = 1_500, RESERVATIONS = 25_000, MAP_CAP = 2_000, POOL = 8, GATE_RING = 8_192, EXPORTED_CAP = 1_024, EVENTS_PER_HOUR = 6_000;

    record Campsite(String code, String loop, double[] occupancyByWeek) {}
    record Reservation(String confirmation, String siteCode, String party, byte[] permitDetails, long bookedAt) {}
    record SiteMap(String key, byte[] rendered, long at) {}
    record GateEvent(String confirmation, String gate, boolean entering, long at) {}
    record CheckIn(long id, String confirmation, String ranger, long at, byte[] notes) {}

    /** Hand-rolled ring buffer: keeps the newest items.length events. */
    static final class GateLog {
        final Object[] items = new Object[GATE_RING];
        int head, size; long written;
        void add(Object e) { items[(head + size) % items.length] = e; if (size < items.length) size++; else head = (head + 1) % items.length; written++; }
    }

    /** Hand-rolled growable array, compacted after every export. */
    static final class CheckInJournal {
        CheckIn[] items = new CheckIn[512];
        int size; long appended, exported, exports;
        void append(CheckIn c) {
            if (size == items.length) items = Arrays.copyOf(items, items.length * 2);
            items[size++] = c; appended++;
        }
        void exportAndCompact() {
            exported += size; exports++;
            Arrays.fill(items, 0, size, null);
            size = 0;
            if (items.length > 2_048) items = new CheckIn[2_048]; // trim after a burst
        }
    }

    static final class Span {
        final String spanId, name; final long startMs; long endMs;
        final Map<String, String> tags = new HashMap<>(); final List<Span> children = new ArrayList<>();
        Span(String spanId, String name, long startMs) { this.spanId = spanId; this.name = name; this.startMs = startMs; }
    }

    static final class Tracer {
        final ArrayDeque<Span> recentFinished = new ArrayDeque<>();
        long ids, exported, dropped;
        Span start(String name, Span parent, long at) { Span s = new Span(Long.toHexString(0x7c00_0000_0000L + ids++), name, at); if (parent != null) parent.children.add(s); return s; }
        void finishRoot(Span root, long at) {
            root.endMs = at; exported++;
            recentFinished.addLast(root);
            if (recentFinished.size() > EXPORTED_CAP) { recentFinished.removeFirst(); dropped++; }
        }
    }

    static final class MapCache extends LinkedHashMap<String, SiteMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SiteMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Campsite> SITES_BY_CODE = new HashMap<>();

    static final class ParkService {
        final Map<String, Reservation> reservations = new HashMap<>();
        final MapCache maps = new MapCache();
        final ArrayDeque<byte[]> permitBuffers = new ArrayDeque<>();
        final GateLog gateLog = new GateLog();
        final CheckInJournal checkIns = new CheckInJournal();
        final Tracer tracer = new Tracer();
        long passes;
        void syncPass(Random r, long at) {
            passes++;
            Span root = tracer.start("availability-sync", null, at);
            long t = at;
            for (String step : new String[] {"fetch-cancellations", "merge-holds", "publish-availability"}) {
                Span s = tracer.start(step, root, t);
                s.tags.put("loop", "L-" + r.nextInt(30));
                s.tags.put("sites", Integer.toString(20 + r.nextInt(200)));
                t += 5 + r.nextInt(40);
                s.endMs = t;
            }
            tracer.finishRoot(root, t);
        }
    }

    static ParkService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(29_050_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            siteCodes[s] = "SITE-" + (s / 100) + "-" + (s % 100);
            SITES_BY_CODE.put(siteCodes[s], new Campsite(siteCodes[s], "Loop " + (s / 100), occ));
        }
        ParkService svc = new ParkService();
        SERVICE = svc;
        String[] confirmations = new String[RESERVATIONS];
        for (int r = 0; r < RESERVATIONS; r++) {
            confirmations[r] = "NPS" + (50_000_000 + r * 7);
            svc.reservations.put(confirmations[r], new Reservation(confirmations[r], siteCodes[rnd.nextInt(SITES)], "Party of " + (1 + rnd.nextInt(8)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(300)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.permitBuffers.add(new byte[32_768]);
        Random traffic = new Random(29_050_002);
        Random poller = new Random(29_050_003);
        long nextPass = start, nextExport = start + 10 * MINUTE;
        int maxJournal = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextPass <= t) { svc.syncPass(poller, nextPass); nextPass += PASS_EVERY; }
            while (nextExport <= t) { svc.checkIns.exportAndCompact(); nextExport += 10 * MINUTE; }
            String conf = confirmations[traffic.nextInt(RESERVATIONS)];
            svc.gateLog.add(new GateEvent(conf, "Gate " + (char) ('A' + traffic.nextInt(4)), traffic.nextBoolean(), t));
            if (i % 3 == 0) {
                svc.checkIns.append(new CheckIn(70_000_000L + i, conf, "Ranger " + traffic.nextInt(60), t, new byte[40 + traffic.nextInt(40)]));
                maxJournal = Math.max(maxJournal, svc.checkIns.size);
            }
            String key = "map-" + traffic.nextInt(4_000);
            if (svc.maps.get(key) == null) svc.maps.put(key, new SiteMap(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.permitBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.permitBuffers.add(buf);
        }
        CheckInJournal j = svc.checkIns;
        System.out.println("stage " + stage + " sites " + SITES_BY_CODE.size() + " reservations " + svc.reservations.size() + " gate log " + svc.gateLog.size + " (written " + svc.gateLog.written + ", head " + svc.gateLog.head + ") journal " + j.size + "/" + j.items.length
                + " (appended " + j.appended + ", exported " + j.exported + " in " + j.exports + " exports, max " + maxJournal + ") passes " + svc.passes + " traces kept " + svc.tracer.recentFinished.size() + " (exported " + svc.tracer.exported + ", dropped " + svc.tracer.dropped
                + ") maps " + svc.maps.size() + " (evicted " + svc.maps.evicted + ") pool " + svc.permitBuffers.size());
        check(SITES_BY_CODE.size() == SITES && svc.reservations.size() == RESERVATIONS, "reference data / directory");
        check(svc.gateLog.written == events && svc.gateLog.size == Math.min(events, GATE_RING), "gate ring");
        check(j.exports == hours * 6 - 1 && j.exported + j.size == j.appended && j.size <= maxJournal && maxJournal < j.items.length, "journal compacted: " + j.size);
        check(svc.tracer.recentFinished.size() == Math.min(EXPORTED_CAP, (int) svc.passes) && svc.tracer.exported == svc.passes, "exported traces bounded");
        check(svc.maps.size() == MAP_CAP && svc.maps.evicted > 0, "map cache at cap");
        check(svc.permitBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
