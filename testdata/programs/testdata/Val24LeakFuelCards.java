// hprofscan-dump: name=val24-leak-fuelcards jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val24-leak-fuelcards-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 24 (written blind), LEAK: the authorization service of a fleet fuel-card issuer.
 * Every authorization is registered in an in-flight registry ({@code AuthorizationRegistry.inFlight},
 * a {@code ConcurrentHashMap<String, Operation>}) while the card network is called. The bug: the
 * {@code remove()} is on the success path only, not in a {@code finally} block: every operation
 * that threw (network timeout, issuer declined with an exception) stays in the registry with its
 * status FAILED and its {@code finishedAt} set, beside the few really in flight. Beside it:
 * stations, the card directory, a velocity-limit cache at its cap, a message buffer pool, a
 * transaction ring. Simulated period: 10 h. See testdata/VALIDATION24.md.
 */
public final class Val24LeakFuelCards {
    static final long HOUR = 3_600_000L;
    static final int STATIONS = 3_000, CARDS = 50_000, LIMIT_CAP = 4_000, POOL = 8, RING = 16_384, AUTHS = 60_000, CONCURRENCY = 12;
    static boolean FIXED;

    enum Status { PENDING, APPROVED, FAILED }
    record Station(String id, String brand, double[] pumpPrices) {}
    record Card(String pan, String fleetId, String driver, long issuedAt, byte[] restrictions) {}
    record VelocityLimit(String pan, long[] spendPerHour) {}
    record Txn(String authId, String pan, long amountCents, long at) {}

    static final class Operation {
        final String id; final String pan; final String stationId; final long amountCents; final long startedAt; final byte[] isoRequest;
        volatile Status status = Status.PENDING; volatile long finishedAt; volatile String error;
        Operation(String id, String pan, String stationId, long amountCents, long startedAt, byte[] isoRequest) {
            this.id = id; this.pan = pan; this.stationId = stationId; this.amountCents = amountCents; this.startedAt = startedAt; this.isoRequest = isoRequest;
        }
    }

    static final class NetworkException extends RuntimeException { NetworkException(String m) { super(m, null, false, false); } }

    static final class AuthorizationRegistry {
        final ConcurrentHashMap<String, Operation> inFlight = new ConcurrentHashMap<>();
        long approved, failed;

        void begin(Operation op) { inFlight.put(op.id, op); }

        /** Completes an operation begun earlier; the network outcome is passed in (simulated call). */
        void complete(Operation op, boolean networkFails, long at) {
            try {
                if (networkFails) throw new NetworkException("card network timeout after 3000 ms for " + op.id);
                op.status = Status.APPROVED;
                op.finishedAt = at;
                approved++;
                inFlight.remove(op.id); // BUG: only here, not in finally
            } catch (NetworkException e) {
                op.status = Status.FAILED;
                op.finishedAt = at;
                op.error = e.getMessage();
                failed++;
            } finally {
                if (FIXED) inFlight.remove(op.id); // the fix
            }
        }
    }

    static final class LimitCache extends LinkedHashMap<String, VelocityLimit> {
        long evicted;
        LimitCache() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, VelocityLimit> e) { if (size() > LIMIT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_ID = new HashMap<>();

    static final class FleetService {
        final Map<String, Card> cards = new HashMap<>();
        final LimitCache limits = new LimitCache();
        final ArrayDeque<byte[]> messageBuffers = new ArrayDeque<>();
        final Txn[] txns = new Txn[RING];
        final AuthorizationRegistry registry = new AuthorizationRegistry();
        long txnCount;
    }

    static FleetService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val24.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(24_030_001);
        String[] brands = {"Shell", "BP", "Esso", "Total", "Q8", "Aral"};
        for (int s = 0; s < STATIONS; s++) {
            double[] prices = new double[48];
            for (int k = 0; k < prices.length; k++) prices[k] = 1.4 + rnd.nextDouble();
            String id = "ST-" + (40_000 + s);
            STATIONS_BY_ID.put(id, new Station(id, brands[s % brands.length], prices));
        }
        FleetService svc = new FleetService();
        SERVICE = svc;
        for (int c = 0; c < CARDS; c++) {
            String pan = "7083" + (100_000_000_000L + c);
            svc.cards.put(pan, new Card(pan, "FLT-" + rnd.nextInt(2_000), "driver-" + rnd.nextInt(80_000), now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR, new byte[100 + rnd.nextInt(100)]));
        }
        for (int i = 0; i < POOL; i++) svc.messageBuffers.add(new byte[16_384]);
        Random traffic = new Random(24_030_002);
        ArrayDeque<Operation> window = new ArrayDeque<>(); // the CONCURRENCY authorizations currently waiting on the network
        int expectedFailed = 0;
        for (int a = 0; a < AUTHS; a++) {
            long t = start + (now - start) * a / AUTHS;
            String pan = "7083" + (100_000_000_000L + traffic.nextInt(CARDS));
            Operation op = new Operation("AUTH-" + (300_000_000 + a), pan, "ST-" + (40_000 + traffic.nextInt(STATIONS)), 2_000 + traffic.nextInt(18_000), t, new byte[256 + traffic.nextInt(256)]);
            svc.registry.begin(op);
            window.add(op);
            if (svc.limits.get(pan) == null) svc.limits.put(pan, new VelocityLimit(pan, new long[32]));
            svc.txns[(int) (svc.txnCount++ % RING)] = new Txn(op.id, pan, op.amountCents, t);
            if (window.size() > CONCURRENCY) {
                boolean fails = traffic.nextInt(100) < 7;
                if (fails) expectedFailed++;
                svc.registry.complete(window.poll(), fails, t + 800);
            }
        }
        long failedInRegistry = svc.registry.inFlight.values().stream().filter(o -> o.status == Status.FAILED && o.finishedAt != 0).count();
        long pendingInRegistry = svc.registry.inFlight.values().stream().filter(o -> o.status == Status.PENDING).count();
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_ID.size() + " cards " + svc.cards.size() + " auths " + AUTHS + " approved " + svc.registry.approved
                + " failed " + svc.registry.failed + " registry " + svc.registry.inFlight.size() + " (failed " + failedInRegistry + ", pending " + pendingInRegistry + ") limits " + svc.limits.size()
                + " (evicted " + svc.limits.evicted + ") txns " + svc.txnCount + " pool " + svc.messageBuffers.size());
        check(STATIONS_BY_ID.size() == STATIONS && svc.cards.size() == CARDS, "reference data / directory");
        check(svc.registry.failed == expectedFailed && svc.registry.approved + svc.registry.failed == AUTHS - CONCURRENCY, "outcomes");
        check(pendingInRegistry == CONCURRENCY && failedInRegistry == (FIXED ? 0 : expectedFailed) && svc.registry.inFlight.size() == CONCURRENCY + failedInRegistry, "registry " + svc.registry.inFlight.size());
        check(svc.limits.size() == LIMIT_CAP && svc.limits.evicted > 0, "limit cache at its cap");
        check(svc.txnCount == AUTHS && svc.txns[RING - 1] != null, "txn ring");
        check(svc.messageBuffers.size() == POOL, "message buffer pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
