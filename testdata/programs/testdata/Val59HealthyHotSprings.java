// hprofscan-dump: name=val59-healthy-hotsprings-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val59-healthy-hotsprings-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val59-healthy-hotsprings jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val59-healthy-hotsprings-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Validation set 59 (written blind), HEALTHY: the booking and turnstile service of a hot-spring
 * spa resort. Bathing-pool reference data, the booking directory, a cache of rendered locker
 * maps at its cap, a pool of wristband-encoder buffers, a ring of turnstile passes (filling in
 * stage 1, full and wrapping from stage 2), an audit outbox (a static CopyOnWriteArrayList) that
 * the shipping job drains every 2 minutes, and an idempotency-key store
 * (Collections.synchronizedMap(new HashMap<>())) for POST /bookings whose keys are forgotten after
 * 30 minutes by a pruning pass every 5 minutes. Warms up, then plateaus. See VALIDATION59.md.
 */
public final class Val59HealthyHotSprings {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SHIP_EVERY = 2 * MINUTE, PRUNE_EVERY = 5 * MINUTE, KEY_TTL = 30 * MINUTE;
    static final int POOLS = 1_200, BOOKINGS = 25_000, MAP_CAP = 2_000, ENCODERS = 8, PASS_RING = 8_192, PASSES_PER_HOUR = 6_000;

    record BathingPool(String code, String terrace, double[] temperatureByHour) {}
    record Booking(String bookingRef, String guest, String packageCode, byte[] healthDeclaration, long bookedAt) {}
    record LockerMap(String key, byte[] rendered, long at) {}
    record TurnstilePass(String bookingRef, String gate, boolean in, long at) {}
    record AuditRecord(long id, String action, String bookingRef, String gate, long at, byte[] detail) {}
    record StoredResponse(int status, String bookingRef, long storedAt, byte[] body) {}

    static final class AuditOutbox {
        static final List<AuditRecord> OUTBOX = new CopyOnWriteArrayList<>();
        static long appended, shipped, shipRuns;
        static int maxSize;
        static void append(AuditRecord r) { OUTBOX.add(r); appended++; maxSize = Math.max(maxSize, OUTBOX.size()); }
        static void ship() {
            int n = OUTBOX.size();
            OUTBOX.subList(0, n).clear();
            shipped += n; shipRuns++;
        }
    }

    /** Hand-rolled ring buffer of turnstile passes. */
    static final class PassRing {
        final TurnstilePass[] items = new TurnstilePass[PASS_RING];
        int head, size; long written;
        void add(TurnstilePass p) { items[(head + size) % items.length] = p; if (size < items.length) size++; else head = (head + 1) % items.length; written++; }
    }

    static final class MapCache extends LinkedHashMap<String, LockerMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LockerMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, BathingPool> POOLS_BY_CODE = new HashMap<>();

    static final class SpaService {
        final Map<String, Booking> bookings = new HashMap<>();
        final MapCache lockerMaps = new MapCache();
        final ArrayDeque<byte[]> encoderBuffers = new ArrayDeque<>();
        final PassRing passes = new PassRing();
        final Map<String, StoredResponse> idempotency = Collections.synchronizedMap(new HashMap<>());
        long requests, replays, pruned, pruneRuns;
        int maxKeys;
        void pruneExpired(long now) {
            synchronized (idempotency) {
                for (Iterator<StoredResponse> it = idempotency.values().iterator(); it.hasNext(); ) {
                    if (it.next().storedAt < now - KEY_TTL) { it.remove(); pruned++; }
                }
            }
            pruneRuns++;
        }
    }

    static SpaService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = PASSES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(59_050_001);
        String[] poolCodes = new String[POOLS];
        for (int p = 0; p < POOLS; p++) {
            double[] temp = new double[64];
            for (int k = 0; k < temp.length; k++) temp[k] = 36 + rnd.nextDouble() * 8;
            poolCodes[p] = "ONSEN-" + (p / 40) + "-" + (p % 40);
            POOLS_BY_CODE.put(poolCodes[p], new BathingPool(poolCodes[p], "Terrace " + (p / 40), temp));
        }
        SpaService svc = new SpaService();
        SERVICE = svc;
        String[] refs = new String[BOOKINGS];
        String[] packages = {"DAY", "EVENING", "RITUAL", "FAMILY", "OVERNIGHT"};
        for (int b = 0; b < BOOKINGS; b++) {
            refs[b] = "HS" + (70_000_000 + b * 11);
            svc.bookings.put(refs[b], new Booking(refs[b], "Guest " + rnd.nextInt(90_000), packages[b % packages.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR));
        }
        for (int b = 0; b < ENCODERS; b++) svc.encoderBuffers.add(new byte[32_768]);
        Random traffic = new Random(59_050_002);
        long nextShip = start + SHIP_EVERY, nextPrune = start + PRUNE_EVERY;
        String[] recentKeys = new String[32];
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextShip <= t) { AuditOutbox.ship(); nextShip += SHIP_EVERY; }
            while (nextPrune <= t) { svc.pruneExpired(nextPrune); nextPrune += PRUNE_EVERY; }
            String ref = refs[traffic.nextInt(BOOKINGS)];
            String gate = "Gate " + (char) ('A' + traffic.nextInt(6));
            boolean in = traffic.nextBoolean();
            svc.passes.add(new TurnstilePass(ref, gate, in, t));
            AuditOutbox.append(new AuditRecord(91_000_000L + i, in ? "ENTER" : "EXIT", ref, gate, t, new byte[40 + traffic.nextInt(40)]));
            if (i % 3 == 0) { // a POST /bookings (add-on: massage, sauna slot) with an Idempotency-Key
                if (i >= 96 && traffic.nextInt(25) == 0) {
                    if (svc.idempotency.get(recentKeys[traffic.nextInt(recentKeys.length)]) == null) throw new IllegalStateException("retry of a fresh key not found");
                    svc.replays++;
                }
                String key = new UUID(traffic.nextLong(), traffic.nextLong()).toString();
                recentKeys[(i / 3) % recentKeys.length] = key;
                svc.idempotency.put(key, new StoredResponse(201, ref, t, new byte[120 + traffic.nextInt(120)]));
                svc.requests++;
                svc.maxKeys = Math.max(svc.maxKeys, svc.idempotency.size());
            }
            String key = "locker-" + traffic.nextInt(4_000);
            if (svc.lockerMaps.get(key) == null) svc.lockerMaps.put(key, new LockerMap(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.encoderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.encoderBuffers.add(buf);
        }
        int outbox = AuditOutbox.OUTBOX.size();
        int keys = svc.idempotency.size();
        System.out.println("stage " + stage + " pools " + POOLS_BY_CODE.size() + " bookings " + svc.bookings.size() + " passes " + svc.passes.size + " (written " + svc.passes.written + ", head " + svc.passes.head + ") audit outbox " + outbox
                + " (appended " + AuditOutbox.appended + ", shipped " + AuditOutbox.shipped + " in " + AuditOutbox.shipRuns + " runs, max " + AuditOutbox.maxSize + ") idempotency keys " + keys + " (requests " + svc.requests + ", pruned " + svc.pruned
                + " in " + svc.pruneRuns + " runs, max " + svc.maxKeys + ", replays " + svc.replays + ") locker maps " + svc.lockerMaps.size() + " (evicted " + svc.lockerMaps.evicted + ") encoders " + svc.encoderBuffers.size());
        check(POOLS_BY_CODE.size() == POOLS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(svc.passes.written == events && svc.passes.size == Math.min(events, PASS_RING), "pass ring");
        check(AuditOutbox.shipRuns == hours * 30 - 1 && AuditOutbox.appended == events && outbox == events - AuditOutbox.shipped && outbox <= AuditOutbox.maxSize && AuditOutbox.maxSize < 300, "audit outbox drained: " + outbox);
        check(svc.pruneRuns == hours * 12 - 1 && keys == svc.requests - svc.pruned && keys <= svc.maxKeys && svc.maxKeys < 1_200, "idempotency store pruned: " + keys);
        check(svc.lockerMaps.size() == MAP_CAP && svc.lockerMaps.evicted > 0, "locker map cache at cap");
        check(svc.encoderBuffers.size() == ENCODERS, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
