// hprofscan-dump: name=val35-healthy-planetarium-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val35-healthy-planetarium-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val35-healthy-planetarium jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val35-healthy-planetarium-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Validation set 35 (written blind), HEALTHY: the booking and operations service of a network of
 * 10 planetarium venues. Show reference data, the membership directory, the venues (a map keyed
 * by venue id, each with settings, a staff directory and an activity feed capped at 250 when it is
 * written), a payment-gateway client whose pending calls (CompletableFutures with dependent stages,
 * keyed by a sequential correlation id) complete or are timed out after 30 s, a unit of work for
 * the gate-scan sync that is flushed and cleared every 275 rows, per projector a rolling window of
 * the last 600 lamp readings trimmed in place, a cache of rendered seat maps at its cap, a ring of
 * gate scans and a pool of ticket-printer buffers. Warms up, then plateaus. See VALIDATION35.md.
 */
public final class Val35HealthyPlanetarium {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SECOND = 1_000L;
    static final int SHOWS = 1_200, MEMBERS = 25_000, VENUES = 10, STAFF = 200, FEED_CAP = 250, PROJECTORS = 8, WINDOW = 600,
            SEATMAP_CAP = 2_000, POOL = 8, RING = 16_384, EVENTS_PER_HOUR = 6_000, FLUSH_EVERY = 275, LAG = 5;
    static final long PAYMENT_TIMEOUT = 30 * SECOND;

    record Show(String code, String title, double[] audienceByWeek) {}
    record Membership(String memberNo, String tier, String holder, byte[] preferences, long joinedAt) {}
    record VenueSettings(String timeZone, int feedCap, boolean laserShows, int domeSeats) {}
    record StaffMember(String staffId, String role, byte[] badge) {}
    record FeedEvent(long id, String kind, String detail, long at, byte[] body) {}
    record PaymentRequest(long correlationId, String bookingRef, String memberNo, int amountCents, long at) {}
    record PaymentReply(long correlationId, boolean approved, String authCode) {}
    record Receipt(String bookingRef, String authCode, int amountCents, long at) {}
    record LampReading(String projectorId, long at, double lampHours, double colourTempK, double fanRpm) {}
    record SeatMap(String key, byte[] rendered, long at) {}
    record GateScan(String ticket, String venueId, long at) {}
    record EntityKey(String entity, Object id) {}

    static final class Venue {
        final String venueId; final VenueSettings settings; final Map<String, StaffMember> staff = new HashMap<>();
        final ArrayDeque<FeedEvent> feed = new ArrayDeque<>();
        long posted;
        Venue(String venueId, VenueSettings settings) { this.venueId = venueId; this.settings = settings; }
        void post(FeedEvent e) { feed.addLast(e); posted++; while (feed.size() > settings.feedCap()) feed.removeFirst(); }
    }

    static final class PaymentClient {
        final Map<Long, CompletableFuture<PaymentReply>> inFlight = new HashMap<>();
        final Map<Long, Long> sentAt = new HashMap<>();
        long nextCorrelationId = 1, sent, completed, timedOut;
        CompletableFuture<PaymentReply> call(PaymentRequest req) {
            CompletableFuture<PaymentReply> f = new CompletableFuture<>();
            inFlight.put(req.correlationId(), f);
            sentAt.put(req.correlationId(), req.at());
            sent++;
            return f;
        }
        void reply(PaymentReply r) {
            CompletableFuture<PaymentReply> f = inFlight.remove(r.correlationId());
            sentAt.remove(r.correlationId());
            if (f != null) { completed++; f.complete(r); }
        }
        /** Times out calls older than 30 s (run every 10 s). */
        void sweep(long now) {
            for (Iterator<Map.Entry<Long, Long>> it = sentAt.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Long> e = it.next();
                if (now - e.getValue() > PAYMENT_TIMEOUT) {
                    it.remove();
                    timedOut++;
                    inFlight.remove(e.getKey()).completeExceptionally(new TimeoutException("payment gateway: no reply in 30 s"));
                }
            }
        }
    }

    /** Unit of work of the gate-scan sync: flushed and cleared every FLUSH_EVERY rows. */
    static final class Session {
        final Map<EntityKey, Object> identityMap = new HashMap<>();
        final Map<EntityKey, Object[]> snapshots = new HashMap<>();
        long flushes, written, clears;
        void persist(String id, GateScan s) { EntityKey k = new EntityKey("GateScan", id); identityMap.put(k, s); snapshots.put(k, new Object[] {s.ticket(), s.venueId(), Long.valueOf(s.at())}); }
        void flush() { written += identityMap.size(); flushes++; }
        void clear() { identityMap.clear(); snapshots.clear(); clears++; }
    }

    static final class ProjectorMonitor {
        final String projectorId; final List<LampReading> window = new ArrayList<>(); long readings;
        ProjectorMonitor(String projectorId) { this.projectorId = projectorId; }
        void add(LampReading r) { window.add(r); readings++; int n = window.size(); if (n > WINDOW) window.subList(0, n - WINDOW).clear(); }
    }

    static final class SeatMapCache extends LinkedHashMap<String, SeatMap> {
        long evicted;
        SeatMapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SeatMap> e) { if (size() > SEATMAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Show> SHOWS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Membership> members = new HashMap<>();
        final Map<String, Venue> venues = new HashMap<>();
        final PaymentClient payments = new PaymentClient();
        final Session scanSync = new Session();
        final ProjectorMonitor[] projectors = new ProjectorMonitor[PROJECTORS];
        final SeatMapCache seatMaps = new SeatMapCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final GateScan[] scans = new GateScan[RING];
        final Receipt[] receipts = new Receipt[1_024];
        long scanCount, receiptCount, declined, paymentErrors;
        void pay(PaymentRequest req) {
            payments.call(req)
                    .thenApply(reply -> reply.approved() ? new Receipt(req.bookingRef(), reply.authCode(), req.amountCents(), req.at()) : null)
                    .whenComplete((receipt, err) -> {
                        if (err != null) paymentErrors++;
                        else if (receipt == null) declined++;
                        else receipts[(int) (receiptCount++ % receipts.length)] = receipt;
                    });
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(35_050_001);
        for (int s = 0; s < SHOWS; s++) {
            double[] audience = new double[64];
            for (int k = 0; k < audience.length; k++) audience[k] = rnd.nextDouble() * 300;
            String code = "SHOW-" + (9_000 + s);
            SHOWS_BY_CODE.put(code, new Show(code, "Programme " + s, audience));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] tiers = {"Explorer", "Navigator", "Astronomer", "Family"};
        String[] memberNos = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberNos[m] = "PM" + (3_000_000 + m * 13);
            svc.members.put(memberNos[m], new Membership(memberNos[m], tiers[rnd.nextInt(tiers.length)], "Member " + rnd.nextInt(1_000_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        Venue[] venueArr = new Venue[VENUES];
        String[] roles = {"usher", "presenter", "technician", "box-office", "educator"};
        for (int v = 0; v < VENUES; v++) {
            Venue venue = new Venue("venue-" + (11 + v * 7), new VenueSettings("Europe/Berlin", FEED_CAP, v % 2 == 0, 120 + v * 20));
            for (int s = 0; s < STAFF; s++) {
                String sid = venue.venueId + "-s" + s;
                venue.staff.put(sid, new StaffMember(sid, roles[rnd.nextInt(roles.length)], new byte[64 + rnd.nextInt(64)]));
            }
            venueArr[v] = venue;
            svc.venues.put(venue.venueId, venue);
        }
        for (int p = 0; p < PROJECTORS; p++) svc.projectors[p] = new ProjectorMonitor("PRJ-" + (p + 1));
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        int[] weights = {3, 1, 2, 2, 3, 1, 2, 3, 1, 2};
        int[] pick = new int[20];
        for (int v = 0, p = 0; v < VENUES; v++) for (int w = 0; w < weights[v]; w++) pick[p++] = v;
        Random traffic = new Random(35_050_002);
        Random gateway = new Random(35_050_003);
        Random lamps = new Random(35_050_004);
        String[] kinds = {"SHOW_SOLD_OUT", "SCHOOL_GROUP", "DOME_MAINTENANCE", "GUEST_TALK", "FEEDBACK"};
        ArrayDeque<PaymentReply> gatewayReplies = new ArrayDeque<>(); // replies on the wire, delivered LAG calls later
        long nextSweep = start + 10 * SECOND, nextLamp = start;
        int maxInFlight = 0, maxSession = 0;
        long lost = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextLamp <= t) {
                for (ProjectorMonitor pm : svc.projectors) pm.add(new LampReading(pm.projectorId, nextLamp, 1_000 + lamps.nextDouble() * 2_000, 6_000 + lamps.nextDouble() * 600, 2_000 + lamps.nextDouble() * 400));
                nextLamp += 5 * SECOND;
            }
            while (nextSweep <= t) { svc.payments.sweep(nextSweep); nextSweep += 10 * SECOND; }
            Venue venue = venueArr[pick[traffic.nextInt(pick.length)]];
            String ticket = "TK" + (500_000_000L + i);
            svc.scans[(int) (svc.scanCount++ % RING)] = new GateScan(ticket, venue.venueId, t);
            svc.scanSync.persist(ticket, new GateScan(ticket, venue.venueId, t));
            maxSession = Math.max(maxSession, svc.scanSync.identityMap.size());
            if (svc.scanSync.identityMap.size() == FLUSH_EVERY) { svc.scanSync.flush(); svc.scanSync.clear(); }
            String kind = kinds[traffic.nextInt(kinds.length)];
            venue.post(new FeedEvent(60_000_000L + i, kind, kind.toLowerCase() + " at " + venue.venueId + " #" + traffic.nextInt(10_000), t, new byte[30 + traffic.nextInt(50)]));
            if (i % 2 == 0) {
                while (gatewayReplies.size() > LAG) svc.payments.reply(gatewayReplies.pollFirst());
                long id = svc.payments.nextCorrelationId++;
                svc.pay(new PaymentRequest(id, "BK-" + (id + 70_000), memberNos[traffic.nextInt(MEMBERS)], 900 + traffic.nextInt(4_000), t));
                if (gateway.nextInt(100) < 2) lost++; // lost on the network: timed out by the sweep
                else gatewayReplies.addLast(new PaymentReply(id, gateway.nextInt(50) != 0, "A" + gateway.nextInt(1_000_000)));
                maxInFlight = Math.max(maxInFlight, svc.payments.inFlight.size());
                String key = "seats-" + traffic.nextInt(4_000);
                if (svc.seatMaps.get(key) == null) svc.seatMaps.put(key, new SeatMap(key, new byte[600 + traffic.nextInt(600)], t));
                byte[] buf = svc.printerBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.printerBuffers.add(buf);
            }
        }
        // The replies still on the wire at the dump are delivered with the next reads (not part of the heap being checked).
        int onWire = gatewayReplies.size();
        gatewayReplies = null;
        PaymentClient pc = svc.payments;
        long feedTotal = 0; StringBuilder per = new StringBuilder();
        for (Venue v : venueArr) { feedTotal += v.feed.size(); per.append(' ').append(v.feed.size()); check(v.feed.size() == Math.min(v.posted, FEED_CAP) && v.staff.size() == STAFF, "venue " + v.venueId); }
        for (ProjectorMonitor pm : svc.projectors) check(pm.window.size() == WINDOW, "lamp window " + pm.projectorId);
        System.out.println("stage " + stage + " shows " + SHOWS_BY_CODE.size() + " members " + svc.members.size() + " venues " + svc.venues.size() + " feeds" + per + " (" + feedTotal + ") payments sent " + pc.sent + " completed " + pc.completed
                + " timedOut " + pc.timedOut + " lost " + lost + " inFlight " + pc.inFlight.size() + " (max " + maxInFlight + ", on wire " + onWire + ") receipts " + svc.receiptCount + " declined " + svc.declined + " errors " + svc.paymentErrors
                + " session " + svc.scanSync.identityMap.size() + " (max " + maxSession + ", flushes " + svc.scanSync.flushes + ") lamp readings " + svc.projectors[0].readings + " seatMaps " + svc.seatMaps.size() + " (evicted " + svc.seatMaps.evicted
                + ") pool " + svc.printerBuffers.size() + " scans " + svc.scanCount);
        check(SHOWS_BY_CODE.size() == SHOWS && svc.members.size() == MEMBERS && svc.venues.size() == VENUES, "reference data / directories");
        check(pc.inFlight.size() == pc.sentAt.size() && pc.inFlight.size() <= maxInFlight && maxInFlight < 40 && pc.completed + pc.timedOut + pc.inFlight.size() == pc.sent, "payments bounded: " + pc.inFlight.size());
        check(svc.scanSync.identityMap.size() == events % FLUSH_EVERY && maxSession == FLUSH_EVERY, "scan session cleared");
        check(svc.seatMaps.size() == SEATMAP_CAP && svc.seatMaps.evicted > 0, "seat-map cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        check(svc.scanCount == events && (events < RING ? svc.scans[events - 1] != null : svc.scans[RING - 1] != null), "scan ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
