// hprofscan-dump: name=val154-healthy-tollbridges jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val154-healthy-tollbridges-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 154 (written blind), HEALTHY: the toll-collection back office of a group of toll
 * bridges. Plaza reference data, the transponder-account directory, a cache of rendered account
 * statements at its cap, a ring of crossings, a pool of ANPR image buffers, a tariff-script cache
 * keyed by the normalised tariff template (a bounded set: plaza class x vehicle class), and lane
 * feeds (subjects with an identity set of observers) whose per-request observers are removed with
 * the very object that was added. See VALIDATION154.md.
 */
public final class Val154HealthyTollBridges {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PLAZAS = 1_000, ACCOUNTS = 26_000, STATEMENT_CAP = 2_000, POOL = 10, RING = 16_384, CROSSINGS_PER_HOUR = 6_000, PLAZA_CLASSES = 6, VEHICLE_CLASSES = 8, FEEDS = 10;

    record Plaza(String code, String bridge, double[] trafficByQuarterHour) {}
    record Account(String tag, String holder, byte[] vehicles, long openedAt) {}
    record Statement(String key, byte[] rendered, long at) {}
    record Crossing(String tag, String plazaCode, int vehicleClass, int cents, long at) {}

    static final class CompiledTariff {
        final String template; final byte[] code; final Object[] constants; final long compiledAt; long runs;
        CompiledTariff(String template, byte[] code, Object[] constants, long compiledAt) { this.template = template; this.code = code; this.constants = constants; this.compiledAt = compiledAt; }
    }

    /** Tariff scripts compiled once per normalised template; the crossing's values are bound at run time. */
    static final class TariffEngine {
        final Map<String, CompiledTariff> compiled = new HashMap<>();
        final Random r = new Random(154_060_003);
        long compiles, hits;
        CompiledTariff forTemplate(String template, long at) {
            CompiledTariff c = compiled.get(template);
            if (c != null) { hits++; return c; }
            compiles++;
            Object[] consts = new Object[6 + r.nextInt(4)];
            for (int k = 0; k < consts.length; k++) consts[k] = k % 2 == 0 ? (Object) Long.valueOf(100 + r.nextInt(2_000)) : "rate" + r.nextInt(1_000);
            c = new CompiledTariff(template, new byte[1_024 + r.nextInt(1_024)], consts, at);
            compiled.put(template, c);
            return c;
        }
    }

    interface LaneObserver { void onLaneStatus(String lane, boolean open); }
    static final class StatusRequest implements LaneObserver {
        final String requestId; final byte[] response; int updates;
        StatusRequest(String requestId, byte[] response) { this.requestId = requestId; this.response = response; }
        @Override public void onLaneStatus(String lane, boolean open) { updates++; }
    }
    static final class ControlRoom implements LaneObserver {
        final String desk; long updates;
        ControlRoom(String desk) { this.desk = desk; }
        @Override public void onLaneStatus(String lane, boolean open) { updates++; }
    }

    /** A long-lived subject; observers kept by identity and removed with the same object. */
    static final class LaneFeed {
        final String plaza;
        final Set<LaneObserver> observers = Collections.newSetFromMap(new IdentityHashMap<>());
        long removed;
        LaneFeed(String plaza) { this.plaza = plaza; }
        void add(LaneObserver o) { observers.add(o); }
        void remove(LaneObserver o) { if (observers.remove(o)) removed++; }
        void publish(String lane, boolean open) { for (LaneObserver o : observers) o.onLaneStatus(lane, open); }
    }

    static final class StatementCache extends LinkedHashMap<String, Statement> {
        long evicted;
        StatementCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Statement> e) { if (size() > STATEMENT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Plaza> PLAZAS_BY_CODE = new HashMap<>();

    static final class TollService {
        final Map<String, Account> accounts = new HashMap<>();
        final StatementCache statements = new StatementCache();
        final Crossing[] crossings = new Crossing[RING];
        long crossingCount;
        final ArrayDeque<byte[]> anprBuffers = new ArrayDeque<>();
        final TariffEngine tariffs = new TariffEngine();
        final LaneFeed[] feeds = new LaneFeed[FEEDS];
    }

    static TollService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        run(10); // every local holding data dies with run's frame
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Builds the service's heap (reference data, directory, traffic) and checks its sizes. */
    static void run(int hours) {
        int crossings = CROSSINGS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(154_060_001);
        String[] plazaCodes = new String[PLAZAS];
        for (int p = 0; p < PLAZAS; p++) {
            double[] q = new double[96];
            for (int k = 0; k < q.length; k++) q[k] = rnd.nextDouble() * 900;
            plazaCodes[p] = "PLZ-" + (p / 50) + "-" + (p % 50);
            PLAZAS_BY_CODE.put(plazaCodes[p], new Plaza(plazaCodes[p], "Bridge " + (p / 50), q));
        }
        TollService svc = new TollService();
        SERVICE = svc;
        String[] tags = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            tags[a] = "TAG" + (80_000_000 + a * 3);
            svc.accounts.put(tags[a], new Account(tags[a], "Holder " + a, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.anprBuffers.add(new byte[32_768]);
        for (int f = 0; f < FEEDS; f++) {
            svc.feeds[f] = new LaneFeed(plazaCodes[f]);
            svc.feeds[f].add(new ControlRoom("control room " + f));
            svc.feeds[f].add(new ControlRoom("highways agency " + f));
        }
        Random traffic = new Random(154_060_002);
        int statusRequests = 0;
        for (int i = 0; i < crossings; i++) {
            long t = start + (end - MINUTE - start) * i / crossings;
            String tag = tags[traffic.nextInt(ACCOUNTS)];
            int plaza = traffic.nextInt(PLAZAS), vclass = traffic.nextInt(VEHICLE_CLASSES);
            String template = "tariff/plaza-class-" + (plaza % PLAZA_CLASSES) + "/vehicle-class-" + vclass;
            CompiledTariff ct = svc.tariffs.forTemplate(template, t);
            ct.runs++;
            svc.crossings[(int) (svc.crossingCount++ % RING)] = new Crossing(tag, plazaCodes[plaza], vclass, 150 + traffic.nextInt(900), t);
            String key = "stmt-" + traffic.nextInt(5_000);
            if (svc.statements.get(key) == null) svc.statements.put(key, new Statement(key, new byte[500 + traffic.nextInt(500)], t));
            if (i % 3 == 0) { // a lane-status poll from the app: observe, receive one update, stop observing
                LaneFeed feed = svc.feeds[traffic.nextInt(FEEDS)];
                StatusRequest req = new StatusRequest("ls-" + i, new byte[256 + traffic.nextInt(256)]);
                feed.add(req);
                feed.publish("lane-" + traffic.nextInt(12), traffic.nextBoolean());
                feed.remove(req);
                statusRequests++;
            }
            byte[] buf = svc.anprBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.anprBuffers.add(buf);
        }
        int observers = 0; long removed = 0;
        for (LaneFeed f : svc.feeds) { observers += f.observers.size(); removed += f.removed; }
        System.out.println("plazas " + PLAZAS_BY_CODE.size() + " accounts " + svc.accounts.size() + " tariffs " + svc.tariffs.compiled.size() + " (compiles " + svc.tariffs.compiles + ", hits " + svc.tariffs.hits
                + ") observers " + observers + " removed " + removed + " statements " + svc.statements.size() + " (evicted " + svc.statements.evicted + ") pool " + svc.anprBuffers.size() + " crossings " + svc.crossingCount);
        check(PLAZAS_BY_CODE.size() == PLAZAS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(svc.tariffs.compiled.size() == PLAZA_CLASSES * VEHICLE_CLASSES && svc.tariffs.compiles == PLAZA_CLASSES * VEHICLE_CLASSES, "one script per template");
        check(observers == 2 * FEEDS && removed == statusRequests, "observers removed");
        check(svc.statements.size() == STATEMENT_CAP && svc.statements.evicted > 0, "statement cache at cap");
        check(svc.anprBuffers.size() == POOL, "pool");
        check(svc.crossingCount == crossings && svc.crossings[RING - 1] != null, "ring");
    }
}
