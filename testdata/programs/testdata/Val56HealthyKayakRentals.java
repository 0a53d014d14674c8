// hprofscan-dump: name=val56-healthy-kayakrentals-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val56-healthy-kayakrentals-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val56-healthy-kayakrentals jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val56-healthy-kayakrentals-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 56 (written blind), HEALTHY: the booking and launch service of a chain of kayak
 * and paddle-board rental docks. Launch-site reference data, the boat directory, a cache of rendered
 * waivers at its cap, a pool of tag-printer buffers, a ring of recent rentals (fills in stage 2),
 * card authorizations awaiting the acquirer's reply (removed on every reply, paid or declined: a
 * handful in flight), and a dead-letter store of failed booking-sync messages that a scheduled job
 * replays every 10 minutes (a few dozen parked at any time). Warms up, then plateaus. See
 * VALIDATION56.md.
 */
public final class Val56HealthyKayakRentals {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SITES = 1_200, BOATS = 22_000, WAIVER_CAP = 2_000, POOL = 8, RING = 8_192, RENTALS_PER_HOUR = 2_500;

    record LaunchSite(String code, String water, double[] tideWindows) {}
    record Boat(String hullId, String siteCode, String kind, byte[] maintenanceLog, long commissionedAt) {}
    record Waiver(String key, byte[] rendered, long at) {}
    record Rental(long rentalId, String hullId, String customerId, int priceCents, long from, long dueBack) {}
    record PendingAuth(long authRef, String hullId, String customerId, int amountCents, byte[] request, long sentAt) {}
    record SyncMessage(String messageId, String hullId, String op, long at, byte[] body) {}
    record DeadLetter(SyncMessage message, String reason, int attempts, long failedAt) {}

    static final class AcquirerLink {
        final Map<Long, PendingAuth> awaitingReply = new HashMap<>();
        long nextRef = 41_000_001L, sent, approved, declined;
        long send(String hull, String customer, int cents, long at, byte[] req) { long ref = nextRef++; awaitingReply.put(ref, new PendingAuth(ref, hull, customer, cents, req, at)); sent++; return ref; }
        PendingAuth onReply(long ref, boolean ok) { PendingAuth a = awaitingReply.remove(ref); if (ok) approved++; else declined++; return a; }
    }

    static final class DeadLetterStore {
        final Map<String, DeadLetter> parked = new LinkedHashMap<>();
        long parkedTotal, replayed, replayRuns;
        void park(SyncMessage m, String reason, long at) { parked.put(m.messageId(), new DeadLetter(m, reason, 1, at)); parkedTotal++; }
        int replayAll() {
            replayRuns++;
            int n = 0;
            for (Iterator<DeadLetter> it = parked.values().iterator(); it.hasNext(); ) { it.next(); it.remove(); replayed++; n++; }
            return n;
        }
    }

    static final class WaiverCache extends LinkedHashMap<String, Waiver> {
        long evicted;
        WaiverCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Waiver> e) { if (size() > WAIVER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, LaunchSite> SITES_BY_CODE = new HashMap<>();

    static final class DockService {
        final Map<String, Boat> boats = new HashMap<>();
        final WaiverCache waivers = new WaiverCache();
        final ArrayDeque<byte[]> tagBuffers = new ArrayDeque<>();
        final Rental[] recent = new Rental[RING];
        long rentals;
        final AcquirerLink acquirer = new AcquirerLink();
        final DeadLetterStore deadLetters = new DeadLetterStore();
    }

    static DockService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int rentals = RENTALS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(56_050_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] tides = new double[64];
            for (int k = 0; k < tides.length; k++) tides[k] = rnd.nextDouble() * 4;
            siteCodes[s] = "DOCK-" + (s / 40) + "-" + (s % 40);
            SITES_BY_CODE.put(siteCodes[s], new LaunchSite(siteCodes[s], "Water " + (s / 40), tides));
        }
        DockService svc = new DockService();
        SERVICE = svc;
        String[] hulls = new String[BOATS];
        String[] kinds = {"Sit-on-top single", "Touring single", "Tandem", "SUP 10'6", "Canoe", "Pedal kayak"};
        for (int b = 0; b < BOATS; b++) {
            hulls[b] = "HIN-KYK" + (60_000 + b * 3);
            svc.boats.put(hulls[b], new Boat(hulls[b], siteCodes[rnd.nextInt(SITES)], kinds[b % kinds.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.tagBuffers.add(new byte[32_768]);
        Random traffic = new Random(56_050_002);
        PriorityQueue<long[]> inFlight = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        long nextReplay = start + 10 * MINUTE;
        int maxParked = 0, maxAwaiting = 0;
        for (int i = 0; i < rentals; i++) {
            long t = start + (end - start) * i / rentals;
            while (!inFlight.isEmpty() && inFlight.peek()[0] <= t) { long[] r = inFlight.poll(); svc.acquirer.onReply(r[1], r[2] == 1); }
            while (nextReplay <= t) { svc.deadLetters.replayAll(); nextReplay += 10 * MINUTE; }
            String hull = hulls[traffic.nextInt(BOATS)];
            String customer = "CU" + (400_000 + traffic.nextInt(90_000));
            int price = 2_500 + traffic.nextInt(9_000);
            long ref = svc.acquirer.send(hull, customer, price, t, new byte[150 + traffic.nextInt(150)]);
            inFlight.add(new long[] {t + 800 + traffic.nextInt(5_000), ref, traffic.nextInt(100) < 4 ? 0 : 1});
            maxAwaiting = Math.max(maxAwaiting, svc.acquirer.awaitingReply.size());
            svc.recent[(int) (svc.rentals++ % RING)] = new Rental(90_000_000L + i, hull, customer, price, t, t + (1 + traffic.nextInt(4)) * HOUR);
            if (traffic.nextInt(100) < 3) {
                SyncMessage m = new SyncMessage("SY-" + (7_000_000 + i), hull, "UPSERT_RENTAL", t, new byte[200 + traffic.nextInt(200)]);
                svc.deadLetters.park(m, "booking-engine 503", t);
                maxParked = Math.max(maxParked, svc.deadLetters.parked.size());
            }
            for (int k = 0; k < 3; k++) { // one waiver per paddler of the party
                String key = "waiver-" + traffic.nextInt(4_000);
                if (svc.waivers.get(key) == null) svc.waivers.put(key, new Waiver(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.tagBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.tagBuffers.add(buf);
        }
        while (!inFlight.isEmpty() && inFlight.peek()[0] <= end) { long[] r = inFlight.poll(); svc.acquirer.onReply(r[1], r[2] == 1); }
        AcquirerLink a = svc.acquirer;
        DeadLetterStore d = svc.deadLetters;
        System.out.println("stage " + stage + " sites " + SITES_BY_CODE.size() + " boats " + svc.boats.size() + " rentals " + svc.rentals + " ring " + Math.min(svc.rentals, RING) + " auths sent " + a.sent + " approved " + a.approved + " declined " + a.declined
                + " awaiting " + a.awaitingReply.size() + " (max " + maxAwaiting + ") dead letters " + d.parked.size() + " (parked " + d.parkedTotal + ", replayed " + d.replayed + " in " + d.replayRuns + " runs, max " + maxParked + ") waivers " + svc.waivers.size()
                + " (evicted " + svc.waivers.evicted + ") pool " + svc.tagBuffers.size());
        check(SITES_BY_CODE.size() == SITES && svc.boats.size() == BOATS, "reference data / directory");
        check(a.sent == rentals && a.approved + a.declined + a.awaitingReply.size() == rentals && a.awaitingReply.size() == inFlight.size() && inFlight.size() < 20, "auths: only in flight await");
        check(d.replayRuns == hours * 6 - 1 && d.parkedTotal == d.replayed + d.parked.size() && d.parked.size() <= maxParked && maxParked < 60, "dead letters replayed");
        check(svc.rentals == rentals && (rentals < RING || svc.recent[RING - 1] != null), "ring");
        check(svc.waivers.size() == WAIVER_CAP && svc.waivers.evicted > 0, "waiver cache at cap");
        check(svc.tagBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
