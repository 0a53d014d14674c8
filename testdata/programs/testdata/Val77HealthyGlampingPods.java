// hprofscan-dump: name=val77-healthy-glampingpods jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val77-healthy-glampingpods-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Validation set 77 (written blind), HEALTHY: the booking service of a chain of glamping sites. Site
 * reference data, the booking directory, a cache of rendered availability pages at its cap, a ring of
 * arrival events, a pool of key-card encoder buffers, a fixed pool of 4 request workers (each with a
 * per-thread scratch buffer and a profiling span map that is removed at the end of every request), a
 * JSON field-name canonicalizer limited to the schema keys and the sites' declared amenity fields, and
 * a crash-recovery store keeping the latest snapshot of each live web session. Steady state, no leak.
 * See VALIDATION77.md.
 */
public final class Val77HealthyGlampingPods {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SESSION_TIMEOUT = 30 * MINUTE;
    static final int SITES = 1_300, BOOKINGS = 26_000, PAGE_CAP = 2_000, POOL = 10, RING = 16_384, WORKERS = 4, HOURS = 10, REQUESTS_PER_HOUR = 3_000;
    static final String[] STAGES = {"auth", "availability", "render"};
    static final String[] SCHEMA = {"bookingRef", "siteCode", "podType", "arrival", "nights", "adults", "children", "dogs", "hotTub", "breakfast",
        "email", "phone", "name", "notes", "voucher", "payment", "marketing", "source", "locale", "currency"};

    record Site(String code, String county, double[] occupancyByWeek, String[] amenityFields) {}
    record Booking(String ref, String siteCode, String guest, byte[] guestDetails, long bookedAt) {}
    record AvailabilityPage(String key, byte[] html, long at) {}
    record Arrival(String ref, String gate, long at) {}
    record Request(String requestId, String bookingRef, long at, int[] stageMicros) {}
    record ProfileSpan(String requestId, String stage, long startMs, long micros) {}

    static final class Profiler {
        static final ThreadLocal<Map<String, ProfileSpan>> SPANS = ThreadLocal.withInitial(HashMap::new);
        static void record(Request r, int stage) { SPANS.get().put(r.requestId() + "/" + STAGES[stage], new ProfileSpan(r.requestId(), STAGES[stage], r.at(), r.stageMicros()[stage])); }
        static long endRequest(Request r) {
            long total = 0;
            for (ProfileSpan s : SPANS.get().values()) total += s.micros();
            SPANS.remove(); // done right: the request's spans go with the request
            return total;
        }
    }

    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);

    static final class Worker extends Thread {
        final int index; final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
        final CountDownLatch done; final AtomicIntegerArray leftover; long served, totalMicros;
        Worker(int index, CountDownLatch done, AtomicIntegerArray leftover) { super("glamping-worker-" + index); this.index = index; this.done = done; this.leftover = leftover; setDaemon(true); }
        @Override public void run() {
            try {
                while (true) {
                    Request r = queue.take();
                    byte[] scratch = SCRATCH.get();
                    for (int s = 0; s < STAGES.length; s++) { Profiler.record(r, s); scratch[(int) (served % scratch.length)] = (byte) s; }
                    totalMicros += Profiler.endRequest(r);
                    served++;
                    leftover.set(index, Profiler.SPANS.get().size());
                    Profiler.SPANS.remove();
                    done.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class FieldNameCanonicalizer {
        final Map<String, String> canonical = new HashMap<>();
        final Set<String> allowed = new HashSet<>();
        long calls, passedThrough;
        String canonicalize(String name) {
            calls++;
            if (!allowed.contains(name)) { passedThrough++; return name; }
            String c = canonical.putIfAbsent(name, name);
            return c != null ? c : name;
        }
    }

    static final class WebSession {
        final String id; long lastAccess; int version; final Map<String, Object> attributes = new HashMap<>();
        WebSession(String id, long at) { this.id = id; this.lastAccess = at; }
    }
    record SessionSnapshot(String sessionId, int version, long savedAt, Map<String, Object> attributes) {}

    static final class PageCache extends LinkedHashMap<String, AvailabilityPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AvailabilityPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Booking> bookings = new HashMap<>();
        final PageCache pages = new PageCache();
        final Arrival[] arrivals = new Arrival[RING];
        long arrivalsWritten;
        final ArrayDeque<byte[]> keyCardBuffers = new ArrayDeque<>();
        final FieldNameCanonicalizer names = new FieldNameCanonicalizer();
        final Map<String, WebSession> sessions = new HashMap<>();
        final Map<String, SessionSnapshot> recovery = new HashMap<>();
        long sessionsCreated, sessionsExpired, snapshotsSaved;
        Worker[] workers;
        void expireIdle(long at) {
            for (Iterator<WebSession> it = sessions.values().iterator(); it.hasNext(); ) {
                WebSession s = it.next();
                if (s.lastAccess + SESSION_TIMEOUT <= at) { it.remove(); sessionsExpired++; recovery.remove(s.id); }
            }
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        int requests = REQUESTS_PER_HOUR * HOURS;
        Random rnd = new Random(77_060_001);
        BookingService svc = new BookingService();
        SERVICE = svc;
        for (String k : SCHEMA) svc.names.allowed.add(k);
        String[] siteCodes = new String[SITES];
        String[] amenities = {"sauna", "firepit", "kayak", "stargazing", "pizzaOven", "ebike", "yoga", "petPack"};
        for (int s = 0; s < SITES; s++) {
            double[] occ = new double[80];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            siteCodes[s] = "GP-" + (2_000 + s);
            String[] fields = new String[1 + rnd.nextInt(3)];
            for (int f = 0; f < fields.length; f++) { fields[f] = "amenity_" + amenities[rnd.nextInt(amenities.length)] + "_" + (s % 50); svc.names.allowed.add(fields[f]); }
            SITES_BY_CODE.put(siteCodes[s], new Site(siteCodes[s], "County " + (s % 48), occ, fields));
        }
        String[] refs = new String[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            refs[b] = "GLP" + (6_000_000 + b * 17);
            svc.bookings.put(refs[b], new Booking(refs[b], siteCodes[rnd.nextInt(SITES)], "Guest " + rnd.nextInt(90_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.keyCardBuffers.add(new byte[32_768]);
        CountDownLatch done = new CountDownLatch(requests);
        AtomicIntegerArray leftover = new AtomicIntegerArray(WORKERS);
        svc.workers = new Worker[WORKERS];
        for (int w = 0; w < WORKERS; w++) { svc.workers[w] = new Worker(w, done, leftover); svc.workers[w].start(); }
        Random traffic = new Random(77_060_002);
        WebSession current = null;
        int perSession = 300, maxRecovery = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            int b = traffic.nextInt(BOOKINGS);
            svc.workers[b % WORKERS].queue.add(new Request("gr-" + Long.toHexString(0x9100_0000L + i), refs[b], t, new int[] {100 + traffic.nextInt(900), 800 + traffic.nextInt(4_000), 300 + traffic.nextInt(2_000)}));
            if (i % perSession == 0) {
                svc.expireIdle(t);
                current = new WebSession(Long.toHexString(0x6a0d_0000_0000L + traffic.nextInt(1 << 30)) + "-" + i, t);
                svc.sessions.put(current.id, current);
                svc.sessionsCreated++;
            }
            Site site = SITES_BY_CODE.get(siteCodes[traffic.nextInt(SITES)]);
            for (int k = 0; k < 5; k++) svc.names.canonicalize(new String(SCHEMA[(i + k * 3) % SCHEMA.length].toCharArray()));
            for (String f : site.amenityFields()) svc.names.canonicalize(new String(f.toCharArray()));
            svc.names.canonicalize("answer_q" + Integer.toHexString(0x100000 + traffic.nextInt(0xeffffff))); // per-request name: passed through
            if (i % 30 == 0) {
                current.attributes.put("site", site.code());
                current.attributes.put("nights", 1 + traffic.nextInt(6));
                if (i % 120 == 0) current.attributes.put("quotePdf", new byte[150_000 + traffic.nextInt(60_000)]);
                current.version++;
                svc.recovery.put(current.id, new SessionSnapshot(current.id, current.version, t, new HashMap<>(current.attributes)));
                svc.snapshotsSaved++;
                maxRecovery = Math.max(maxRecovery, svc.recovery.size());
            }
            current.lastAccess = t;
            String key = "avail-" + traffic.nextInt(4_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new AvailabilityPage(key, new byte[600 + traffic.nextInt(600)], t));
            if (i % 3 != 0) svc.arrivals[(int) (svc.arrivalsWritten++ % RING)] = new Arrival(refs[traffic.nextInt(BOOKINGS)], "Gate " + (char) ('A' + traffic.nextInt(3)), t);
            byte[] buf = svc.keyCardBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.keyCardBuffers.add(buf);
        }
        done.await();
        svc.expireIdle(end);
        long served = 0;
        for (Worker w : svc.workers) served += w.served;
        System.out.println("sites " + SITES_BY_CODE.size() + " bookings " + svc.bookings.size() + " requests served " + served + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") arrivals " + svc.arrivalsWritten
                + " pool " + svc.keyCardBuffers.size() + " canonical " + svc.names.canonical.size() + " (allowed " + svc.names.allowed.size() + ", calls " + svc.names.calls + ", passed " + svc.names.passedThrough + ") sessions live " + svc.sessions.size()
                + " (created " + svc.sessionsCreated + ", expired " + svc.sessionsExpired + ") recovery " + svc.recovery.size() + " (saved " + svc.snapshotsSaved + ", max " + maxRecovery + ")");
        check(SITES_BY_CODE.size() == SITES && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(served == requests, "requests served");
        for (int w = 0; w < WORKERS; w++) check(leftover.get(w) == 0, "span maps removed");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.arrivalsWritten == requests - (requests + 2) / 3 && svc.arrivals[RING - 1] != null, "arrival ring");
        check(svc.keyCardBuffers.size() == POOL, "pool");
        check(svc.names.canonical.size() <= svc.names.allowed.size() && svc.names.passedThrough == requests, "canonicalizer bounded");
        check(svc.recovery.size() == svc.sessions.size() && svc.sessions.size() >= 3 && svc.sessions.size() <= 12, "recovery store per live session: " + svc.sessions.size());
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
