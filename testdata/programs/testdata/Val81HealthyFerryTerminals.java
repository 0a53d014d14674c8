// hprofscan-dump: name=val81-healthy-ferryterminals jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val81-healthy-ferryterminals-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 81 (written blind), HEALTHY: the check-in backend of a ferry operator's
 * terminals. Vessel reference data, a booking directory, a cache of rendered boarding passes at
 * its cap, a ring of gate scans, a pool of ticket-printer buffers, and per-gate-device health
 * checks on a shared ScheduledThreadPoolExecutor with removeOnCancel on (cancelled checks leave
 * the queue at once; look-alike of the posterminals leak). See VALIDATION81.md.
 */
public final class Val81HealthyFerryTerminals {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int VESSELS = 800, BOOKINGS = 30_000, PASS_CAP = 2_000, POOL = 10, RING = 16_384, SCANS = 70_000, DEVICE_SESSIONS = 20_000, HOURS = 10;

    record Vessel(String imo, String name, double[] deckPlan) {}
    record Booking(String reference, String vesselImo, String lead, byte[] manifest, long bookedAt, long sailsAt) {}
    record Pass(String key, byte[] rendered, long at) {}
    record GateScan(String reference, String gate, long at) {}

    static final class DeviceSession {
        final long id; final String gate; final long openedAt; final byte[] tlsState; ScheduledFuture<?> check;
        DeviceSession(long id, String gate, long openedAt, byte[] tlsState) { this.id = id; this.gate = gate; this.openedAt = openedAt; this.tlsState = tlsState; }
    }
    static final class DeviceCheck implements Runnable {
        final DeviceSession session;
        DeviceCheck(DeviceSession session) { this.session = session; }
        @Override public void run() { }
    }

    static final class PassCache extends LinkedHashMap<String, Pass> {
        long evicted;
        PassCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Pass> e) { if (size() > PASS_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Vessel> VESSELS_BY_IMO = new HashMap<>();

    static final class CheckInService {
        final Map<String, Booking> bookings = new HashMap<>();
        final Map<Long, DeviceSession> devices = new HashMap<>();
        final ScheduledThreadPoolExecutor health;
        final PassCache passes = new PassCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final GateScan[] scans = new GateScan[RING];
        long scanCount;
        CheckInService() {
            health = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "gate-health"); t.setDaemon(true); return t; });
            health.setRemoveOnCancelPolicy(true);
        }
    }

    static CheckInService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(81_060_001);
        String[] imos = new String[VESSELS];
        for (int v = 0; v < VESSELS; v++) {
            double[] plan = new double[96];
            for (int k = 0; k < plan.length; k++) plan[k] = rnd.nextDouble() * 60;
            imos[v] = "IMO" + (9_100_000 + v);
            VESSELS_BY_IMO.put(imos[v], new Vessel(imos[v], "MV Vessel " + v, plan));
        }
        CheckInService svc = new CheckInService();
        SERVICE = svc;
        String[] refs = new String[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            refs[b] = "FB" + (40_000_000 + b * 13);
            long booked = now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR;
            svc.bookings.put(refs[b], new Booking(refs[b], imos[rnd.nextInt(VESSELS)], "Lead " + b, new byte[150 + rnd.nextInt(150)], booked, end + (long) rnd.nextInt(30 * 24) * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(81_060_002);
        ArrayDeque<DeviceSession> byOpen = new ArrayDeque<>();
        int nextSession = 0;
        long closed = 0;
        for (int i = 0; i < SCANS; i++) {
            long t = start + (end - MINUTE - start) * i / SCANS;
            while (nextSession < DEVICE_SESSIONS && start + (end - MINUTE - start) * nextSession / DEVICE_SESSIONS <= t) {
                while (!byOpen.isEmpty() && byOpen.peekFirst().openedAt + 15 * MINUTE <= t) {
                    DeviceSession d = byOpen.pollFirst();
                    d.check.cancel(false);
                    svc.devices.remove(d.id);
                    closed++;
                }
                DeviceSession d = new DeviceSession(nextSession++, "GATE-" + traffic.nextInt(120), t, new byte[200 + traffic.nextInt(200)]);
                d.check = svc.health.scheduleAtFixedRate(new DeviceCheck(d), 24, 24, TimeUnit.HOURS);
                svc.devices.put(d.id, d);
                byOpen.addLast(d);
            }
            String ref = refs[traffic.nextInt(BOOKINGS)];
            svc.scans[(int) (svc.scanCount++ % RING)] = new GateScan(ref, "GATE-" + traffic.nextInt(120), t);
            if (i % 2 == 0) {
                String key = "pass-" + ref;
                if (svc.passes.get(key) == null) svc.passes.put(key, new Pass(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.printBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.printBuffers.add(buf);
            }
        }
        int queued = svc.health.getQueue().size();
        System.out.println("vessels " + VESSELS_BY_IMO.size() + " bookings " + svc.bookings.size() + " scans " + svc.scanCount + " device sessions " + nextSession + " closed " + closed + " open " + svc.devices.size()
                + " queued checks " + queued + " passes " + svc.passes.size() + " (evicted " + svc.passes.evicted + ") pool " + svc.printBuffers.size());
        check(VESSELS_BY_IMO.size() == VESSELS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(svc.scanCount == SCANS && nextSession == DEVICE_SESSIONS, "traffic");
        check(queued == svc.devices.size() && closed + svc.devices.size() == DEVICE_SESSIONS, "only open devices' checks queued: " + queued);
        check(svc.passes.size() == PASS_CAP && svc.passes.evicted > 0, "pass cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.scans[RING - 1] != null, "ring");
        LeakCheck.histogram("ScheduledFutureTask");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
