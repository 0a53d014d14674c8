// hprofscan-dump: name=val31-healthy-aquarium-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val31-healthy-aquarium-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val31-healthy-aquarium jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val31-healthy-aquarium-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Validation set 31 (written blind), HEALTHY: the visitor and husbandry service of a public
 * aquarium. Tank reference data, the membership directory, a cache of species sheets at its cap
 * fed by a request-coalescing ("single flight") loader that removes its in-flight entry on the
 * answer and on the timeout path (a few loads in flight at the dump), an error tracker keyed by the
 * normalised message (ids masked: a handful of keys), a ring of tank sensor readings, and a pool
 * of ticket-printer buffers. Warms up, then plateaus. See VALIDATION31.md.
 */
public final class Val31HealthyAquarium {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TIMEOUT_MS = 5_000L;
    static final int TANKS = 1_400, MEMBERS = 25_000, SHEET_CAP = 2_000, POOL = 8, SENSOR_RING = 8_192, SPECIES = 3_500,
            LOOKUPS_PER_HOUR = 30_000, READINGS_PER_HOUR = 6_000, SCANS_PER_HOUR = 5_000, MAX_FRAMES = 32;

    record Tank(String code, String gallery, double[] chemistryByHour) {}
    record Membership(String card, String holder, byte[] visitHistory, long joinedAt) {}
    record SpeciesSheet(String speciesId, String commonName, byte[] body, long fetchedAt) {}
    record SensorReading(String tankCode, double ph, double tempC, double salinity, long at) {}
    record Outstanding(String speciesId, CompletableFuture<SpeciesSheet> future, long due, boolean willTimeOut, int size) {}

    static final class ServiceException extends RuntimeException {
        ServiceException(String message) { super(message); }
    }

    static final class SheetCache extends LinkedHashMap<String, SpeciesSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SpeciesSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    /** Request coalescing; the in-flight entry leaves the map on both outcomes. */
    static final class SheetLoader {
        final ConcurrentHashMap<String, CompletableFuture<SpeciesSheet>> inFlight = new ConcurrentHashMap<>();
        final PriorityQueue<Outstanding> outstanding = new PriorityQueue<>(Comparator.comparingLong(Outstanding::due));
        final SheetCache cache;
        final ErrorTracker errors;
        long fetches, coalesced, answered, timedOut;
        int maxInFlight;
        SheetLoader(SheetCache cache, ErrorTracker errors) { this.cache = cache; this.errors = errors; }

        CompletableFuture<SpeciesSheet> load(String speciesId, long at, Random feed) {
            CompletableFuture<SpeciesSheet> running = inFlight.get(speciesId);
            if (running != null) { coalesced++; return running; }
            CompletableFuture<SpeciesSheet> f = new CompletableFuture<>();
            inFlight.put(speciesId, f);
            fetches++;
            maxInFlight = Math.max(maxInFlight, inFlight.size());
            boolean willTimeOut = feed.nextInt(100) < 3;
            outstanding.add(new Outstanding(speciesId, f, at + (willTimeOut ? TIMEOUT_MS : 200 + feed.nextInt(1_300)), willTimeOut, 600 + feed.nextInt(600)));
            return f;
        }

        void completeDue(long upTo) {
            while (!outstanding.isEmpty() && outstanding.peek().due() <= upTo) {
                Outstanding o = outstanding.poll();
                if (o.willTimeOut()) {
                    timedOut++;
                    TimeoutException e = new TimeoutException("Species sheet fetch for " + o.speciesId() + " timed out after " + TIMEOUT_MS + " ms");
                    inFlight.remove(o.speciesId(), o.future());
                    o.future().completeExceptionally(e);
                    errors.record(e, o.due());
                } else {
                    SpeciesSheet s = new SpeciesSheet(o.speciesId(), "Species " + o.speciesId().substring(3), new byte[o.size()], o.due());
                    cache.put(o.speciesId(), s);
                    inFlight.remove(o.speciesId(), o.future());
                    o.future().complete(s);
                    answered++;
                }
            }
        }
    }

    /** De-duplicates errors by their normalised message: ids and numbers masked. */
    static final class ErrorTracker {
        static final class ErrorRecord {
            final String key, exceptionClass; final long firstSeen; long lastSeen, count; final String lastMessage; final StackTraceElement[] stack;
            ErrorRecord(String key, String exceptionClass, String message, long at, StackTraceElement[] stack) { this.key = key; this.exceptionClass = exceptionClass; this.lastMessage = message; this.firstSeen = at; this.lastSeen = at; this.stack = stack; }
        }
        final Map<String, ErrorRecord> byFingerprint = new HashMap<>();
        long recorded;
        static String normalise(String message) { return message.replaceAll("[0-9]+", "#"); }
        void record(Throwable e, long at) {
            recorded++;
            String key = normalise(e.getMessage());
            ErrorRecord r = byFingerprint.get(key);
            if (r == null) {
                StackTraceElement[] trace = e.getStackTrace();
                r = new ErrorRecord(key, e.getClass().getName(), e.getMessage(), at, Arrays.copyOf(trace, Math.min(trace.length, MAX_FRAMES)));
                byFingerprint.put(key, r);
            }
            r.count++;
            r.lastSeen = at;
        }
    }

    static final Map<String, Tank> TANKS_BY_CODE = new HashMap<>();

    static final class AquariumService {
        final Map<String, Membership> members = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ErrorTracker errors = new ErrorTracker();
        final SheetLoader loader = new SheetLoader(sheets, errors);
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final SensorReading[] sensorRing = new SensorReading[SENSOR_RING];
        long readings, scans, lookups, hits;
        void scan(String ticket, String gate, Random r) {
            scans++;
            if (r.nextInt(100) < 2) throw new ServiceException("Ticket " + ticket + " already used at gate " + gate);
            if (r.nextInt(100) < 1) throw new ServiceException("Ticket " + ticket + " is for another day");
        }
        void reading(Tank tank, Random r, long at) {
            double ph = 7.6 + r.nextDouble() * 0.9;
            sensorRing[(int) (readings++ % SENSOR_RING)] = new SensorReading(tank.code(), ph, 18 + r.nextDouble() * 8, 30 + r.nextDouble() * 6, at);
            if (ph > 8.45) throw new ServiceException("Tank " + tank.code() + " pH reading " + String.format(java.util.Locale.ROOT, "%.2f", ph) + " out of range");
        }
    }

    static AquariumService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int lookups = LOOKUPS_PER_HOUR * hours, readingsEvery = LOOKUPS_PER_HOUR / READINGS_PER_HOUR, scansEvery = LOOKUPS_PER_HOUR / SCANS_PER_HOUR;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(31_050_001);
        String[] tankCodes = new String[TANKS];
        for (int k = 0; k < TANKS; k++) {
            double[] chem = new double[64];
            for (int i = 0; i < chem.length; i++) chem[i] = 7.8 + rnd.nextDouble() * 0.6;
            tankCodes[k] = "T-" + (1_000 + k);
            TANKS_BY_CODE.put(tankCodes[k], new Tank(tankCodes[k], "Gallery " + (k % 14), chem));
        }
        AquariumService svc = new AquariumService();
        SERVICE = svc;
        for (int m = 0; m < MEMBERS; m++) {
            String card = "AQM" + (6_000_000 + m * 17);
            svc.members.put(card, new Membership(card, "Member " + m, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.ticketBuffers.add(new byte[32_768]);
        Random traffic = new Random(31_050_002);
        Random feed = new Random(31_050_003);
        Random gates = new Random(31_050_004);
        for (int i = 0; i < lookups; i++) {
            long t = start + (end - MINUTE - start) * i / lookups;
            svc.loader.completeDue(t);
            String speciesId = "SP-" + (10_000 + traffic.nextInt(SPECIES)); // from the visitor app: a fresh String
            svc.lookups++;
            if (svc.sheets.get(speciesId) != null) svc.hits++;
            else svc.loader.load(speciesId, t, feed);
            if (i % readingsEvery == 0) {
                try { svc.reading(TANKS_BY_CODE.get(tankCodes[gates.nextInt(TANKS)]), gates, t); } catch (ServiceException e) { svc.errors.record(e, t); }
            }
            if (i % scansEvery == 0) {
                String ticket = "AQ-" + (70_000_000 + i);
                try { svc.scan(ticket, Integer.toString(1 + gates.nextInt(6)), gates); } catch (ServiceException e) { svc.errors.record(e, t); }
                byte[] buf = svc.ticketBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.ticketBuffers.add(buf);
            }
        }
        SheetLoader l = svc.loader;
        int open = l.outstanding.size();
        System.out.println("stage " + stage + " tanks " + TANKS_BY_CODE.size() + " members " + svc.members.size() + " lookups " + svc.lookups + " hits " + svc.hits + " fetches " + l.fetches + " coalesced " + l.coalesced
                + " answered " + l.answered + " timedOut " + l.timedOut + " inFlight " + l.inFlight.size() + " (max " + l.maxInFlight + ") errors " + svc.errors.recorded + " keys " + svc.errors.byFingerprint.size()
                + " readings " + svc.readings + " scans " + svc.scans + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.ticketBuffers.size());
        svc.errors.byFingerprint.values().forEach(r -> System.out.println("  " + r.count + " x " + r.key + " (" + r.stack.length + " frames)"));
        check(TANKS_BY_CODE.size() == TANKS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.lookups == lookups && l.fetches == l.answered + l.timedOut + open, "feed traffic");
        check(l.inFlight.size() == open && open > 0 && open < 30, "a few loads in flight: " + open);
        check(svc.errors.byFingerprint.size() == 4, "one key per kind of error: " + svc.errors.byFingerprint.size());
        check(svc.readings == (lookups + readingsEvery - 1) / readingsEvery && svc.sensorRing[(int) Math.min(svc.readings, SENSOR_RING) - 1] != null, "sensor ring");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.ticketBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
