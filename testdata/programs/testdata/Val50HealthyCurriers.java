// hprofscan-dump: name=val50-healthy-curriers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val50-healthy-curriers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val50-healthy-curriers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val50-healthy-curriers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 50 (written blind), HEALTHY: the trade portal of a leather currier (finishing
 * works). Hide-grade reference data, the hide-lot directory, a cache of swatch pages at its cap, a
 * pool of print buffers, a ring of shop-floor events, an event-sourced projection of the trade
 * accounts that truncates each account's events after every snapshot, and a header canonicalizer
 * fed only bounded values (user agents, referrers without their query string). Warms up, then
 * plateaus. See VALIDATION50.md.
 */
public final class Val50HealthyCurriers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int GRADES = 1_000, LOTS = 24_000, ACCOUNTS = 1_000, SWATCH_CAP = 2_000, POOL = 8, RING = 16_384,
            EVENTS_PER_HOUR = 6_000, SNAPSHOT_EVERY = 10;

    record Grade(String code, String tannage, double[] thicknessProfile) {}
    record HideLot(String lotId, String gradeCode, int hides, byte[] inspection, long receivedAt) {}
    record Swatch(String key, byte[] html, long at) {}
    record FloorEvent(String lotId, String station, long at) {}
    record AccountEvent(long seq, String type, String accountId, long amountCents, long at, byte[] payload) {}
    record Snapshot(String accountId, long version, long balanceCents, long at) {}

    static final class AccountStream {
        final String accountId;
        List<AccountEvent> events = new ArrayList<>();
        Snapshot snapshot;
        long version, balanceCents;
        AccountStream(String accountId) { this.accountId = accountId; }
    }

    /** Event-sourced projection: events since the last snapshot only. */
    static final class Projection {
        final Map<String, AccountStream> streams = new HashMap<>();
        long applied, snapshots;
        void apply(AccountEvent e) {
            AccountStream s = streams.computeIfAbsent(e.accountId(), AccountStream::new);
            s.events.add(e);
            s.version++;
            s.balanceCents += e.type().equals("PAYMENT") ? -e.amountCents() : e.amountCents();
            applied++;
            if (s.version % SNAPSHOT_EVERY == 0) {
                s.snapshot = new Snapshot(s.accountId, s.version, s.balanceCents, e.at());
                s.events = new ArrayList<>(); // truncated: the snapshot covers them
                snapshots++;
            }
        }
    }

    /** Canonicalizer of header values; callers strip per-request parts first. */
    static final class HeaderCanonicalizer {
        final HashMap<String, String> pool = new HashMap<>();
        long lookups;
        String canonical(String s) { lookups++; String c = pool.putIfAbsent(s, s); return c != null ? c : s; }
    }

    static final class SwatchCache extends LinkedHashMap<String, Swatch> {
        long evicted;
        SwatchCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Swatch> e) { if (size() > SWATCH_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Grade> GRADES_BY_CODE = new HashMap<>();

    static final class TradePortal {
        final Map<String, HideLot> lots = new HashMap<>();
        final SwatchCache swatches = new SwatchCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final FloorEvent[] floor = new FloorEvent[RING];
        long floorEvents;
        final Projection accounts = new Projection();
        final HeaderCanonicalizer headers = new HeaderCanonicalizer();
    }

    static TradePortal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(50_050_001);
        String[] grades = new String[GRADES];
        for (int g = 0; g < GRADES; g++) {
            double[] profile = new double[64];
            for (int k = 0; k < profile.length; k++) profile[k] = 0.8 + rnd.nextDouble() * 2;
            grades[g] = "GR-" + (200 + g);
            GRADES_BY_CODE.put(grades[g], new Grade(grades[g], g % 3 == 0 ? "vegetable" : "chrome", profile));
        }
        TradePortal svc = new TradePortal();
        SERVICE = svc;
        String[] lotIds = new String[LOTS];
        for (int l = 0; l < LOTS; l++) {
            lotIds[l] = "HL" + (3_300_000 + l);
            svc.lots.put(lotIds[l], new HideLot(lotIds[l], grades[rnd.nextInt(GRADES)], 20 + rnd.nextInt(200), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        String[] accounts = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) accounts[a] = "TA" + (40_000 + a);
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        String[] agents = new String[40];
        for (int a = 0; a < agents.length; a++) agents[a] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/" + (90 + a) + ".0";
        String[] pages = {"/swatches", "/lots/search", "/orders", "/invoices", "/account", "/samples", "/finishes", "/contact"};
        String[] stations = {"shaving", "dyeing", "setting-out", "staking", "buffing", "finishing"};
        String[] types = {"ORDER", "ORDER", "SAMPLE_CHARGE", "PAYMENT", "CREDIT_NOTE"};
        Random traffic = new Random(50_050_002);
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            String account = accounts[traffic.nextInt(ACCOUNTS)];
            svc.accounts.apply(new AccountEvent(2_000_000L + i, types[traffic.nextInt(types.length)], account, 500 + traffic.nextInt(300_000), t, new byte[48 + traffic.nextInt(64)]));
            String lot = lotIds[traffic.nextInt(LOTS)];
            svc.floor[(int) (svc.floorEvents++ % RING)] = new FloorEvent(lot, stations[traffic.nextInt(stations.length)], t);
            svc.headers.canonical(new String(agents[traffic.nextInt(agents.length)].toCharArray()));
            String referrer = "https://portal.example-currier.com" + pages[traffic.nextInt(pages.length)] + "?rid=" + Long.toHexString(0x7a00_0000L + i);
            svc.headers.canonical(referrer.substring(0, referrer.indexOf('?'))); // query string stripped before canonicalizing
            String key = "sw-" + traffic.nextInt(3_000);
            if (svc.swatches.get(key) == null) svc.swatches.put(key, new Swatch(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.printBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.printBuffers.add(buf);
        }
        Projection p = svc.accounts;
        long kept = 0, covered = 0, maxKept = 0;
        for (AccountStream s : p.streams.values()) {
            kept += s.events.size();
            maxKept = Math.max(maxKept, s.events.size());
            if (s.snapshot != null) covered += s.snapshot.version();
        }
        System.out.println("stage " + stage + " grades " + GRADES_BY_CODE.size() + " lots " + svc.lots.size() + " aggregates " + p.streams.size() + " applied " + p.applied + " snapshots " + p.snapshots
                + " events kept " + kept + " canonical " + svc.headers.pool.size() + " swatches " + svc.swatches.size() + " (evicted " + svc.swatches.evicted + ") pool " + svc.printBuffers.size() + " floor " + svc.floorEvents);
        check(GRADES_BY_CODE.size() == GRADES && svc.lots.size() == LOTS, "reference data / directory");
        check(p.streams.size() == ACCOUNTS && p.applied == events && kept == events - covered && maxKept < SNAPSHOT_EVERY, "projection truncated: " + kept);
        check(svc.headers.pool.size() == agents.length + pages.length && svc.headers.lookups == 2L * events, "canonicalizer bounded: " + svc.headers.pool.size());
        check(svc.swatches.size() == SWATCH_CAP && svc.swatches.evicted > 0, "swatch cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.floorEvents == events && (stage == 1 || svc.floor[RING - 1] != null), "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
