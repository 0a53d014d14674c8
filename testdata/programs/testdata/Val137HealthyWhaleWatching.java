// hprofscan-dump: name=val137-healthy-whalewatching-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val137-healthy-whalewatching-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val137-healthy-whalewatching jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val137-healthy-whalewatching-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 137 (written blind), HEALTHY (growth series): the boarding service of a
 * whale-watching operator (60 boats from 14 harbours). Trip reference data (sighting probability by
 * half hour), the customer directory, a cache of rendered trip sheets (filling in stage 1, at its cap
 * from stage 2), a pool of boarding-pass printer buffers, a ring of recent boardings, a queue of
 * sighting-photo packages with a normal backlog, and look-alikes of the set's leaks done right: the
 * harbour-authority manifest export writes every boarding as an XML record into one long-lived
 * ByteArrayOutputStream, ships toByteArray() every 15 minutes and reset()s it (the array stays at
 * its high-water capacity, 1 MiB); the validation of resellers' vouchers is coalesced in a
 * single-flight map whose entry is removed in whenComplete (success or failure), so it holds only
 * the lookups in flight. See VALIDATION137.md.
 */
public final class Val137HealthyWhaleWatching {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, EXPORT_EVERY = 15 * MINUTE, PHOTOS_AFTER = 20 * MINUTE, TIMEOUT = 20 * SECOND;
    static final int TRIPS = 1_000, CUSTOMERS = 20_000, SHEET_CAP = 1_500, POOL = 8, RING = 4_096, BOARDINGS_PER_HOUR = 2_000;
    static final int EXPORT_INITIAL = 65_536, EXPORT_HIGH_WATER = 1 << 20;

    record Trip(String code, String name, String harbour, int minutes, double[] sightingsByHalfHour) {}
    record Customer(String customerNo, String name, String country, byte[] bookingHistory, long registeredAt) {}
    record TripSheet(String key, byte[] rendered, long at) {}
    record Boarding(long boardingId, String customerNo, String trip, String boat, String reseller, long at) {}
    record PhotoPackage(String customerNo, String trip, long due) {}
    record VoucherStatus(String code, String reseller, boolean valid, long checkedAt) {}

    static final class ResellerApiException extends RuntimeException {
        final int status;
        ResellerApiException(String message, int status) { super(message); this.status = status; }
    }

    /** The resellers' voucher-validation API; answers arrive later in simulated time. */
    static final class ResellerClient {
        record PendingCall(long dueAt, long seq, String code, CompletableFuture<VoucherStatus> future, int outcome) {}
        final PriorityQueue<PendingCall> pending = new PriorityQueue<>((a, b) -> a.dueAt() != b.dueAt() ? Long.compare(a.dueAt(), b.dueAt()) : Long.compare(a.seq(), b.seq()));
        final Random outcomes = new Random(137_050_004);
        long calls, ok, timeouts, errors;
        CompletableFuture<VoucherStatus> validate(String code, long t) {
            CompletableFuture<VoucherStatus> f = new CompletableFuture<>();
            int roll = outcomes.nextInt(100);
            int outcome = roll < 2 ? 1 : roll < 3 ? 2 : 0; // 2% time out, 1% 503
            long due = outcome == 1 ? t + TIMEOUT : t + 2_000 + outcomes.nextInt(16_000);
            pending.add(new PendingCall(due, calls++, code, f, outcome));
            return f;
        }
        void advance(long t) {
            while (!pending.isEmpty() && pending.peek().dueAt() <= t) {
                PendingCall c = pending.poll();
                if (c.outcome() == 0) { ok++; c.future().complete(new VoucherStatus(c.code(), c.code().substring(0, 3), c.seq() % 50 != 7, c.dueAt())); }
                else if (c.outcome() == 1) { timeouts++; c.future().completeExceptionally(new ResellerApiException("GET /v1/vouchers/" + c.code() + " timed out after 20000 ms", 0)); }
                else { errors++; c.future().completeExceptionally(new ResellerApiException("GET /v1/vouchers/" + c.code() + ": 503 Service Unavailable", 503)); }
            }
        }
    }

    /** Single flight: the dock scanner and the booking app asking about one voucher share one call; the entry goes when the call ends, however it ends. */
    static final class VoucherLookup {
        final ConcurrentHashMap<String, CompletableFuture<VoucherStatus>> inFlight = new ConcurrentHashMap<>();
        final ResellerClient client = new ResellerClient();
        long lookups, coalesced, failuresSeen;
        CompletableFuture<VoucherStatus> validate(String code, long t) {
            lookups++;
            CompletableFuture<VoucherStatus> existing = inFlight.get(code);
            if (existing != null) { coalesced++; return existing; }
            CompletableFuture<VoucherStatus> f = client.validate(code, t);
            inFlight.put(code, f);
            f.whenComplete((s, err) -> { inFlight.remove(code, f); if (err != null) failuresSeen++; });
            return f;
        }
    }

    static final class ManifestExportWriter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(EXPORT_INITIAL);
        long records, exports, bytesShipped, largestBatch, smallestBatch = Long.MAX_VALUE;
        void write(Boarding b, String party, String notes) {
            String rec = "<boarding id=\"" + b.boardingId() + "\" boat=\"" + b.boat() + "\" trip=\"" + b.trip() + "\" customer=\"" + b.customerNo() + "\" reseller=\"" + b.reseller()
                    + "\" at=\"" + b.at() + "\">" + party + "<notes>" + notes + "</notes></boarding>\n";
            byte[] bytes = rec.getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            records++;
        }
        void export() {
            byte[] payload = out.toByteArray();
            exports++; bytesShipped += payload.length;
            largestBatch = Math.max(largestBatch, payload.length);
            smallestBatch = Math.min(smallestBatch, payload.length);
            out.reset(); // the array keeps its capacity: the high-water mark of one batch
        }
        int capacity() { int cap = EXPORT_INITIAL; while (cap < largestBatch) cap <<= 1; return cap; }
    }

    static final class SheetCache extends LinkedHashMap<String, TripSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TripSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Trip> TRIPS_BY_CODE = new HashMap<>();
    static final String[] HARBOURS = {"Tobermory", "Oban", "Mallaig", "Ullapool", "Penzance", "Falmouth", "New Quay", "Whitby", "Scarborough", "Fishguard", "Dingle", "Kinsale", "Husavik", "Andenes"};
    static final String[] NOTES = {"minke whale", "humpback", "orca pod", "bottlenose dolphins", "common dolphins", "harbour porpoise", "basking shark", "grey seals",
        "sea sickness bands", "wheelchair user", "child under 5", "binoculars hired", "waterproofs hired", "photo package", "birthday", "late arrival"};
    static final String[] RESELLERS = {"GYG", "VTR", "KLK", "OWN", "TUI", "HBX"};
    static final String[] AGES = {"adult", "adult", "child", "senior", "infant", "student"};

    static final class BoardingService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] customerNos = new String[CUSTOMERS];
        final SheetCache tripSheets = new SheetCache();
        final ArrayDeque<byte[]> passBuffers = new ArrayDeque<>();
        final Boarding[] recent = new Boarding[RING];
        final ArrayDeque<PhotoPackage> photoPackages = new ArrayDeque<>();
        final ManifestExportWriter manifests = new ManifestExportWriter();
        final VoucherLookup vouchers = new VoucherLookup();
        final ArrayDeque<String> recentVoucherCodes = new ArrayDeque<>();
        long boardings, photosSent, passes, valid, manualChecks;
    }

    static BoardingService SERVICE;
    static int STAGE, HOURS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(137_050_001);
        String[] codes = new String[TRIPS];
        for (int i = 0; i < TRIPS; i++) {
            double[] sightings = new double[48];
            for (int k = 0; k < sightings.length; k++) sightings[k] = rnd.nextDouble();
            codes[i] = "TRP-" + (3_000 + i);
            TRIPS_BY_CODE.put(codes[i], new Trip(codes[i], NOTES[i % 8] + " cruise " + i, HARBOURS[i % HARBOURS.length], 90 + 30 * rnd.nextInt(6), sightings));
        }
        BoardingService svc = new BoardingService();
        SERVICE = svc;
        for (int i = 0; i < CUSTOMERS; i++) {
            svc.customerNos[i] = "WW" + (5_200_000 + i * 3);
            svc.customers.put(svc.customerNos[i], new Customer(svc.customerNos[i], "Customer " + i, HARBOURS[rnd.nextInt(HARBOURS.length)].substring(0, 2).toUpperCase(), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.passBuffers.add(new byte[32_768]);
        Random traffic = new Random(137_050_002), sheetsRnd = new Random(137_050_003);
        int total = BOARDINGS_PER_HOUR * HOURS;
        long nextExport = start + EXPORT_EVERY;
        StringBuilder notes = new StringBuilder(), party = new StringBuilder();
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            while (nextExport <= t) { svc.manifests.export(); nextExport += EXPORT_EVERY; }
            svc.vouchers.client.advance(t);
            while (!svc.photoPackages.isEmpty() && svc.photoPackages.peekFirst().due() <= t) { svc.photoPackages.pollFirst(); svc.photosSent++; }
            Customer c = svc.customers.get(svc.customerNos[traffic.nextInt(CUSTOMERS)]);
            String trip = codes[traffic.nextInt(TRIPS)];
            String reseller = RESELLERS[traffic.nextInt(RESELLERS.length)];
            Boarding b = new Boarding(61_000_000L + i, c.customerNo(), trip, "MV-" + (100 + traffic.nextInt(60)), reseller, t);
            svc.recent[(int) (svc.boardings++ % RING)] = b;
            if (!reseller.equals("OWN") || traffic.nextInt(3) == 0) { // a reseller's (or own gift) voucher: validate it
                String code;
                if (!svc.recentVoucherCodes.isEmpty() && traffic.nextInt(100) < 15) code = svc.recentVoucherCodes.peekLast(); // scanner and app at once
                else { code = reseller + "-" + Long.toString(0x3a00_0000L + traffic.nextInt(50_000_000), 36).toUpperCase(); svc.recentVoucherCodes.addLast(code); if (svc.recentVoucherCodes.size() > 8) svc.recentVoucherCodes.pollFirst(); }
                svc.vouchers.validate(code, t).whenComplete((s, err) -> { if (err == null) svc.valid++; else svc.manualChecks++; });
            }
            party.setLength(0);
            int people = 3 + traffic.nextInt(5);
            for (int k = 0; k < people; k++) {
                party.append("<passenger name=\"Passenger ").append(traffic.nextInt(100_000)).append("\" age=\"").append(AGES[traffic.nextInt(AGES.length)])
                        .append("\" nationality=\"").append(HARBOURS[traffic.nextInt(HARBOURS.length)].substring(0, 2).toUpperCase()).append("\" lifejacket=\"").append(1 + traffic.nextInt(4))
                        .append("\" emergency=\"07").append(700_000_000 + traffic.nextInt(299_999_999)).append("\" seat=\"").append(traffic.nextBoolean() ? "upper-deck-" : "cabin-").append(1 + traffic.nextInt(40))
                        .append("\" consent=\"photos:").append(traffic.nextBoolean() ? "yes" : "no").append(";marketing:").append(traffic.nextBoolean() ? "yes" : "no").append("\" medical=\"none declared\"/>");
            }
            party.append("<lead email=\"").append(c.customerNo().toLowerCase()).append("@mail.example\" phone=\"07").append(700_000_000 + traffic.nextInt(299_999_999)).append("\"/>")
                    .append("<sailing departs=\"").append(t + 30 * MINUTE).append("\" returns=\"").append(t + 30 * MINUTE + TRIPS_BY_CODE.get(trip).minutes() * MINUTE).append("\" skipper=\"SK-").append(100 + traffic.nextInt(80)).append("\"/>");
            notes.setLength(0);
            int n = 1 + traffic.nextInt(4);
            for (int w = 0; w < n; w++) { if (w > 0) notes.append(", "); notes.append(NOTES[traffic.nextInt(NOTES.length)]); }
            svc.manifests.write(b, party.toString(), notes.toString());
            svc.photoPackages.addLast(new PhotoPackage(c.customerNo(), trip, t + PHOTOS_AFTER));
            String key = trip + "/sheet/" + sheetsRnd.nextInt(4);
            if (sheetsRnd.nextInt(5) < 2 && svc.tripSheets.get(key) == null) svc.tripSheets.put(key, new TripSheet(key, new byte[800 + sheetsRnd.nextInt(800)], t));
            byte[] buf = svc.passBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.passBuffers.add(buf);
            svc.passes++;
        }
        svc.vouchers.client.advance(end - MINUTE);
    }

    static void report() {
        BoardingService svc = SERVICE;
        int total = BOARDINGS_PER_HOUR * HOURS;
        VoucherLookup v = svc.vouchers;
        ManifestExportWriter mx = svc.manifests;
        System.out.println("stage " + STAGE + " hours " + HOURS + " trips " + TRIPS_BY_CODE.size() + " customers " + svc.customers.size() + " boardings " + svc.boardings
                + " sheets " + svc.tripSheets.size() + " (evicted " + svc.tripSheets.evicted + ") photo packages backlog " + svc.photoPackages.size() + " sent " + svc.photosSent
                + " manifest records " + mx.records + " exports " + mx.exports + " batch " + mx.smallestBatch + ".." + mx.largestBatch + " buffer " + mx.out.size() + " capacity " + mx.capacity()
                + " voucher lookups " + v.lookups + " calls " + v.client.calls + " coalesced " + v.coalesced + " ok " + v.client.ok + " timeouts " + v.client.timeouts + " 503 " + v.client.errors
                + " in flight " + v.inFlight.size() + " pending " + v.client.pending.size() + " valid " + svc.valid + " manual " + svc.manualChecks);
        check(TRIPS_BY_CODE.size() == TRIPS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.boardings == total && mx.records == total && mx.exports == HOURS * 4L - 1, "boardings / exports");
        check(mx.smallestBatch > EXPORT_HIGH_WATER / 2 && mx.largestBatch < EXPORT_HIGH_WATER && mx.capacity() == EXPORT_HIGH_WATER && mx.out.size() < EXPORT_HIGH_WATER, "export buffer at its high-water capacity");
        check(v.inFlight.size() == v.client.pending.size() && v.inFlight.size() >= 1 && v.inFlight.size() <= 12, "only in-flight lookups: " + v.inFlight.size());
        check(v.client.ok + v.client.timeouts + v.client.errors + v.client.pending.size() == v.client.calls && v.failuresSeen == v.client.timeouts + v.client.errors, "voucher calls");
        if (STAGE == 1) check(svc.tripSheets.size() < SHEET_CAP && svc.tripSheets.evicted == 0, "trip-sheet cache warming");
        else check(svc.tripSheets.size() == SHEET_CAP && svc.tripSheets.evicted > 0, "trip-sheet cache at cap");
        check(svc.passBuffers.size() == POOL && svc.recent[Math.min(total, RING) - 1] != null, "pool / ring");
        check(svc.photoPackages.size() > 500 && svc.photoPackages.size() < 850, "photo-package backlog");
    }

    public static void main(String[] args) throws Exception {
        STAGE = Integer.parseInt(args[2]);
        HOURS = STAGE == 1 ? 1 : STAGE == 2 ? 4 : 8;
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
