// hprofscan-dump: name=val150-leak-propanedelivery jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val150-leak-propanedelivery-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 150 (written blind), LEAK: the dispatch service of a propane home-delivery
 * company. Depot reference data, the directory of customer tanks, a cache of rendered route sheets
 * at its cap, a pool of modem-frame buffers, a ring of recent deliveries, and a client of the
 * tank-monitor gateway that deduplicates in-flight level lookups: a ConcurrentHashMap from the
 * request key to the CompletableFuture of the call, so that the route planner and the dashboard
 * asking for the same tank share one call. The entry is removed by a thenAccept stage, which runs
 * only when the future completes normally: lookups that fail (gateway timeouts, 4%) stay in the map
 * forever with their future and exception. See VALIDATION150.md.
 */
public final class Val150LeakPropaneDelivery {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, WINDOW = 15 * MINUTE;
    static final int DEPOTS = 800, TANKS = 24_000, SHEET_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, POLLS = 80_000, MAX_OUTSTANDING = 12;
    static boolean FIXED;

    record Depot(String code, String county, double[] hourlyLoad) {}
    record Tank(String serial, String depotCode, String address, byte[] siteSurvey, long installedAt) {}
    record RouteSheet(String key, byte[] rendered, long at) {}
    record Delivery(String tankSerial, String driver, long at, int litres) {}
    record TankLevel(String tankSerial, long at, int percent, double litres) {}

    static final class GatewayTimeoutException extends Exception {
        final String tankSerial;
        final long at;
        final byte[] partialFrame;
        GatewayTimeoutException(String tankSerial, long at, byte[] partialFrame) {
            super("tank gateway timed out reading " + tankSerial + " (" + partialFrame.length + " bytes received)");
            this.tankSerial = tankSerial;
            this.at = at;
            this.partialFrame = partialFrame;
        }
    }

    record Call(String key, String tankSerial, long at, CompletableFuture<TankLevel> future) {}

    /** Client of the tank-monitor gateway; deduplicates lookups that are in flight. */
    static final class TankGatewayClient {
        final ConcurrentHashMap<String, CompletableFuture<TankLevel>> inflight = new ConcurrentHashMap<>();
        final ArrayDeque<Call> outstanding = new ArrayDeque<>(); // sent, answered in order
        long lookups, joined, calls, succeeded, failed;

        CompletableFuture<TankLevel> lookup(String tankSerial, long at) {
            lookups++;
            String key = "level/" + tankSerial + "/" + (at / WINDOW);
            CompletableFuture<TankLevel> existing = inflight.get(key);
            if (existing != null) { joined++; return existing; }
            CompletableFuture<TankLevel> f = new CompletableFuture<>();
            inflight.put(key, f);
            if (FIXED) {
                f.whenComplete((level, error) -> inflight.remove(key)); // whatever the outcome
            } else {
                f.thenAccept(level -> inflight.remove(key)); // BUG: runs only if f completes normally
            }
            outstanding.add(new Call(key, tankSerial, at, f));
            calls++;
            return f;
        }

        void answerOldest(Random r, long at) {
            Call c = outstanding.poll();
            if (r.nextInt(100) < 4) {
                failed++;
                c.future().completeExceptionally(new GatewayTimeoutException(c.tankSerial(), at, new byte[200 + r.nextInt(200)]));
            } else {
                succeeded++;
                int pct = 5 + r.nextInt(90);
                c.future().complete(new TankLevel(c.tankSerial(), at, pct, pct * 4.5));
            }
        }
    }

    static final class SheetCache extends LinkedHashMap<String, RouteSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Tank> tanks = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> modemBuffers = new ArrayDeque<>();
        final Delivery[] recentDeliveries = new Delivery[RING];
        final TankGatewayClient gateway = new TankGatewayClient();
        long deliveries;
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val150.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(150_020_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] load = new double[72];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble() * 300;
            depotCodes[d] = "DPT-" + (400 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "County " + (d % 60), load));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] serials = new String[TANKS];
        for (int k = 0; k < TANKS; k++) {
            serials[k] = "PT" + (8_100_000 + k * 11);
            svc.tanks.put(serials[k], new Tank(serials[k], depotCodes[rnd.nextInt(DEPOTS)], (10 + rnd.nextInt(990)) + " Farm Lane", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.modemBuffers.add(new byte[32_768]);
        Random traffic = new Random(150_020_002);
        Random gatewayOutcomes = new Random(150_020_003);
        TankGatewayClient gw = svc.gateway;
        long maxInflight = 0;
        for (int i = 0; i < POLLS; i++) {
            long t = start + (end - MINUTE - start) * i / POLLS;
            // the route planner polls every tank in rotation (each tank every 3 hours)
            String serial = serials[(int) ((i * 7_919L) % TANKS)];
            gw.lookup(serial, t);
            int dashboards = traffic.nextInt(10) < 3 ? 1 + traffic.nextInt(2) : 0; // the same tank opened on a dashboard meanwhile
            for (int d = 0; d < dashboards; d++) gw.lookup(serial, t + 1 + d);
            while (gw.outstanding.size() > MAX_OUTSTANDING) gw.answerOldest(gatewayOutcomes, t + 2);
            maxInflight = Math.max(maxInflight, gw.outstanding.size());
            if (i % 4 == 0) {
                svc.recentDeliveries[(int) (svc.deliveries++ % RING)] = new Delivery(serial, "Driver " + traffic.nextInt(90), t, 200 + traffic.nextInt(1_800));
                String key = "sheet-" + traffic.nextInt(4_500);
                if (svc.sheets.get(key) == null) svc.sheets.put(key, new RouteSheet(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.modemBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.modemBuffers.add(buf);
            }
        }
        while (!gw.outstanding.isEmpty()) gw.answerOldest(gatewayOutcomes, end - MINUTE); // a quiet last minute: every call answered
        long failedInMap = 0;
        for (CompletableFuture<TankLevel> f : gw.inflight.values()) if (f.isCompletedExceptionally()) failedInMap++;
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " tanks " + svc.tanks.size() + " lookups " + gw.lookups + " joined " + gw.joined + " calls " + gw.calls
                + " succeeded " + gw.succeeded + " failed " + gw.failed + " inflight map " + gw.inflight.size() + " (failed futures " + failedInMap + ", max outstanding " + maxInflight + ") sheets " + svc.sheets.size()
                + " (evicted " + svc.sheets.evicted + ") pool " + svc.modemBuffers.size() + " deliveries " + svc.deliveries);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.tanks.size() == TANKS, "reference data / directory");
        check(gw.calls == gw.succeeded + gw.failed && gw.lookups == gw.calls + gw.joined && gw.outstanding.isEmpty(), "gateway traffic");
        if (FIXED) check(gw.inflight.isEmpty(), "dedup map empty");
        else check(gw.inflight.size() == gw.failed && failedInMap == gw.failed, "dedup map keeps the failed lookups: " + gw.inflight.size());
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.modemBuffers.size() == POOL, "pool");
        check(svc.deliveries == POLLS / 4 && svc.recentDeliveries[RING - 1] != null, "delivery ring");
        depotCodes = null;
        serials = null;
        gw = null;
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
