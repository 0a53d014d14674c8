// hprofscan-dump: name=val35-leak-parkingfines jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val35-leak-parkingfines-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 35 (written blind), LEAK: the citation service of a city's parking enforcement.
 * Zone tariff reference data, the residents' permit directory, a cache of rendered penalty
 * notices at its cap, a ring of issued notices, a pool of OCR buffers, and a client of the
 * national vehicle registry: every citation looks up the plate's keeper with an RPC whose pending
 * calls are kept in a map keyed by a sequential correlation id, each a CompletableFuture with a
 * thenApply (draft the notice) and a whenComplete (book it) stage capturing the lookup request.
 * The registry answers unknown plates (foreign, misread) with status 404, which the client's
 * decoder does not know: those replies are dropped, their futures never complete, and nothing
 * times them out. See VALIDATION35.md.
 */
public final class Val35LeakParkingFines {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ZONES = 1_000, PERMITS = 24_000, NOTICE_CAP = 2_000, POOL = 8, RING = 16_384, LOOKUPS = 100_000, HOURS = 10, LAG = 6;
    static boolean FIXED;

    record Zone(String code, String district, double[] tariffByQuarterHour) {}
    record Permit(String plate, String zoneCode, String holder, byte[] evidence, long issuedAt) {}
    record PlateLookup(long correlationId, String plate, String citationId, String zoneCode, long at, byte[] ocrCrop) {}
    record ReplyFrame(long correlationId, int status, String keeperName, String keeperPostcode, byte[] body) {}
    record OwnerReply(long correlationId, boolean found, String keeperName, String keeperPostcode) {}
    record Notice(String citationId, String plate, String keeperName, int amountPence, long at) {}
    record RenderedNotice(String key, byte[] pdf, long at) {}

    static final class NoticeCache extends LinkedHashMap<String, RenderedNotice> {
        long evicted;
        NoticeCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedNotice> e) { if (size() > NOTICE_CAP) { evicted++; return true; } return false; }
    }

    /** The transport's receive side: reply frames not yet read from the socket. */
    static final class Transport {
        final ArrayDeque<ReplyFrame> received = new ArrayDeque<>();
        long framesRead;
    }

    /** Client of the vehicle registry: pending calls by correlation id. */
    static final class RegistryClient {
        final Map<Long, CompletableFuture<OwnerReply>> inFlight = new HashMap<>();
        final Transport transport = new Transport();
        long nextCorrelationId = 1, sent, completed, undecodable;
        CompletableFuture<OwnerReply> call(PlateLookup req) {
            CompletableFuture<OwnerReply> f = new CompletableFuture<>();
            inFlight.put(req.correlationId(), f);
            sent++;
            return f;
        }
        /** Decodes a reply frame; v2 of the registry answers unknown plates with 404. */
        OwnerReply decode(ReplyFrame frame) {
            switch (frame.status()) {
                case 200: return new OwnerReply(frame.correlationId(), true, frame.keeperName(), frame.keeperPostcode());
                case 204: return new OwnerReply(frame.correlationId(), false, null, null); // v1 "no match"
                case 404: if (FIXED) return new OwnerReply(frame.correlationId(), false, null, null); // the fix
                          // fall through: BUG, v2's "no match" is treated as an unknown status
                default: return null;
            }
        }
        void readFrame(ReplyFrame frame) {
            transport.framesRead++;
            OwnerReply reply = decode(frame);
            if (reply == null) { undecodable++; return; } // dropped: the pending call stays in inFlight
            CompletableFuture<OwnerReply> f = inFlight.remove(frame.correlationId());
            if (f != null) { completed++; f.complete(reply); }
        }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    static final class CitationService {
        final Map<String, Permit> permits = new HashMap<>();
        final NoticeCache notices = new NoticeCache();
        final ArrayDeque<byte[]> ocrBuffers = new ArrayDeque<>();
        final Notice[] issued = new Notice[RING];
        final RegistryClient registry = new RegistryClient();
        long issuedCount, unmatched, failures;

        Notice draft(PlateLookup req, OwnerReply reply) {
            if (!reply.found()) { unmatched++; return null; }
            Zone z = ZONES_BY_CODE.get(req.zoneCode());
            int amount = 3_500 + (int) z.tariffByQuarterHour()[(int) (req.correlationId() % 96)] * 10;
            return new Notice(req.citationId(), req.plate(), reply.keeperName(), amount, req.at());
        }
        void book(PlateLookup req, Notice n, Throwable err) {
            if (err != null) { failures++; return; }
            if (n != null) issued[(int) (issuedCount++ % RING)] = n;
        }
        void lookUpKeeper(PlateLookup req) {
            registry.call(req)
                    .thenApply(reply -> draft(req, reply))
                    .whenComplete((notice, err) -> book(req, notice, err));
        }
    }

    static CitationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val35.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(35_020_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] tariff = new double[96];
            for (int k = 0; k < tariff.length; k++) tariff[k] = rnd.nextDouble() * 400;
            zoneCodes[z] = "PZ-" + (z / 50) + "-" + (100 + z % 50);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "District " + (z / 50), tariff));
        }
        CitationService svc = new CitationService();
        SERVICE = svc;
        for (int p = 0; p < PERMITS; p++) {
            String plate = plate(rnd);
            svc.permits.put(plate, new Permit(plate, zoneCodes[rnd.nextInt(ZONES)], "Resident " + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.ocrBuffers.add(new byte[32_768]);
        Random traffic = new Random(35_020_002);
        Random registry = new Random(35_020_003);
        RegistryClient client = svc.registry;
        long notFoundSent = 0;
        for (int i = 0; i < LOOKUPS; i++) {
            long t = start + (end - MINUTE - start) * i / LOOKUPS;
            // Replies arrive LAG calls later: read every frame that has arrived by now.
            while (!client.transport.received.isEmpty() && client.transport.received.peekFirst().correlationId() <= client.nextCorrelationId - LAG) {
                client.readFrame(client.transport.received.pollFirst());
            }
            long id = client.nextCorrelationId++;
            String plate = plate(traffic);
            String zone = zoneCodes[traffic.nextInt(ZONES)];
            PlateLookup req = new PlateLookup(id, plate, "PCN" + (61_000_000 + i), zone, t, new byte[64 + traffic.nextInt(64)]);
            byte[] buf = svc.ocrBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.ocrBuffers.add(buf);
            svc.lookUpKeeper(req);
            // The registry's answer: 8% of plates are unknown to it (foreign, misread).
            boolean unknown = registry.nextInt(100) < 8;
            if (unknown) notFoundSent++;
            client.transport.received.addLast(unknown ? new ReplyFrame(id, 404, null, null, new byte[16])
                    : new ReplyFrame(id, 200, "Keeper " + registry.nextInt(900_000), "PC" + (10 + registry.nextInt(89)) + " " + registry.nextInt(10) + "XY", new byte[16 + registry.nextInt(32)]));
            if (i % 2 == 0) {
                String key = "pcn-" + traffic.nextInt(4_000);
                if (svc.notices.get(key) == null) svc.notices.put(key, new RenderedNotice(key, new byte[500 + traffic.nextInt(500)], t));
            }
        }
        int waiting = client.transport.received.size();
        System.out.println((FIXED ? "FIXED " : "") + "zones " + ZONES_BY_CODE.size() + " permits " + svc.permits.size() + " sent " + client.sent + " completed " + client.completed + " undecodable " + client.undecodable
                + " inFlight " + client.inFlight.size() + " frames waiting " + waiting + " notFound replies " + notFoundSent + " issued " + svc.issuedCount + " unmatched " + svc.unmatched
                + " notices " + svc.notices.size() + " (evicted " + svc.notices.evicted + ") pool " + svc.ocrBuffers.size());
        check(ZONES_BY_CODE.size() == ZONES && svc.permits.size() == PERMITS, "reference data / directory");
        check(client.sent == LOOKUPS && client.transport.framesRead + waiting == LOOKUPS, "calls");
        if (FIXED) check(client.undecodable == 0 && client.inFlight.size() == waiting, "only unanswered calls in flight: " + client.inFlight.size());
        else check(client.inFlight.size() == client.undecodable + waiting && client.undecodable > 0, "stuck calls: " + client.inFlight.size());
        check(svc.failures == 0 && svc.issuedCount + svc.unmatched == client.completed, "booked");
        check(svc.notices.size() == NOTICE_CAP && svc.notices.evicted > 0, "notice cache at cap");
        check(svc.ocrBuffers.size() == POOL, "pool");
        check(svc.issuedCount > RING, "issued ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static String plate(Random r) {
        return "" + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26)) + (10 + r.nextInt(90)) + " " + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26));
    }
}
