// hprofscan-dump: name=val55-healthy-diveshops jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val55-healthy-diveshops-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 55 (written blind), HEALTHY: the booking and equipment service of a chain of
 * scuba dive shops. Dive-site reference data (with a depth/current profile), the certified-diver
 * directory keyed by certification number, a size-capped cache of rendered dive plans at its cap,
 * a ring of recent tank fills (full, wrapping), a pool of regulator-test buffers, a per-boat
 * manifest map bounded by the fleet (one manifest of the next departure per boat, replaced at each
 * departure) and an outbox of confirmation e-mails drained every minute. See VALIDATION55.md.
 */
public final class Val55HealthyDiveShops {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SITES = 1_300, DIVERS = 30_000, PLAN_CAP = 2_500, POOL = 10, RING = 32_768, BOATS = 120, HOURS = 10, FILLS = 90_000;

    record DiveSite(String code, String region, double[] depthProfile) {}
    record Diver(String certNo, String agency, byte[] logbookSummary, long certifiedAt) {}
    record DivePlan(String key, byte[] rendered, long at) {}
    record TankFill(long fillId, String certNo, String shopCode, int barPressure, double oxygenPct, long at) {}
    record Manifest(String boat, long departsAt, String[] certNos, byte[] briefing) {}
    record Confirmation(String certNo, long at, byte[] body) {}

    static final class PlanCache extends LinkedHashMap<String, DivePlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DivePlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, DiveSite> SITES_BY_CODE = new HashMap<>();

    static final class DiveService {
        final Map<String, Diver> divers = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> regulatorBuffers = new ArrayDeque<>();
        final TankFill[] fills = new TankFill[RING];
        long fillsWritten;
        final Map<String, Manifest> nextDeparture = new HashMap<>();
        long departures;
        final ArrayDeque<Confirmation> outbox = new ArrayDeque<>();
        long sent, outboxPeak;
    }

    static DiveService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(55_060_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] profile = new double[96];
            for (int k = 0; k < profile.length; k++) profile[k] = rnd.nextDouble() * 40;
            String code = "DS-" + (20_000 + s);
            siteCodes[s] = code;
            SITES_BY_CODE.put(code, new DiveSite(code, "Reef " + (s % 90), profile));
        }
        DiveService svc = new DiveService();
        SERVICE = svc;
        String[] certs = new String[DIVERS];
        String[] agencies = {"PADI", "SSI", "NAUI", "CMAS", "BSAC"};
        for (int d = 0; d < DIVERS; d++) {
            String cert = "CERT" + (11_000_000 + d);
            certs[d] = cert;
            svc.divers.put(cert, new Diver(cert, agencies[d % agencies.length], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.regulatorBuffers.add(new byte[32_768]);
        Random traffic = new Random(55_060_002);
        long nextSend = start + MINUTE;
        for (int i = 0; i < FILLS; i++) {
            long t = start + (end - MINUTE - start) * i / FILLS;
            while (nextSend <= t) { svc.sent += svc.outbox.size(); svc.outbox.clear(); nextSend += MINUTE; }
            String cert = certs[traffic.nextInt(DIVERS)];
            svc.fills[(int) (svc.fillsWritten++ % RING)] = new TankFill(70_000_000L + i, cert, "SHOP-" + (i % 40), 180 + traffic.nextInt(50), 21 + traffic.nextInt(20), t);
            if (i % 10 == 0) {
                String boat = "BOAT-" + traffic.nextInt(BOATS);
                String[] manifest = new String[8 + traffic.nextInt(8)];
                for (int m = 0; m < manifest.length; m++) manifest[m] = certs[traffic.nextInt(DIVERS)];
                svc.nextDeparture.put(boat, new Manifest(boat, t + 2 * HOUR, manifest, new byte[400 + traffic.nextInt(400)]));
                svc.departures++;
                svc.outbox.add(new Confirmation(cert, t, new byte[600 + traffic.nextInt(600)]));
                svc.outboxPeak = Math.max(svc.outboxPeak, svc.outbox.size());
            }
            String key = siteCodes[traffic.nextInt(SITES)] + "/plan-" + traffic.nextInt(5);
            if (svc.plans.get(key) == null) svc.plans.put(key, new DivePlan(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.regulatorBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.regulatorBuffers.add(buf);
        }
        System.out.println("sites " + SITES_BY_CODE.size() + " divers " + svc.divers.size() + " fills " + svc.fillsWritten + " boats " + svc.nextDeparture.size() + " departures " + svc.departures
                + " outbox " + svc.outbox.size() + " (peak " + svc.outboxPeak + ", sent " + svc.sent + ") plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.regulatorBuffers.size());
        check(SITES_BY_CODE.size() == SITES && svc.divers.size() == DIVERS, "reference data / directory");
        check(svc.fillsWritten == FILLS && svc.fills[RING - 1] != null, "fill ring wrapping");
        check(svc.nextDeparture.size() == BOATS && svc.departures == FILLS / 10, "one manifest per boat");
        check(svc.outbox.size() <= svc.outboxPeak && svc.outboxPeak < 40 && svc.sent + svc.outbox.size() == FILLS / 10, "outbox drained every minute");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.regulatorBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
