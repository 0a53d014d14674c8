// hprofscan-dump: name=val133-healthy-airshiptours jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val133-healthy-airshiptours-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * Validation set 133 (written blind), HEALTHY: the flight-operations service of an airship
 * sightseeing operator. A large read-only table of the landmarks the tours fly over (with their
 * commentary), the booking directory, a cache of rendered route maps at its cap, a pool of
 * boarding-pass print buffers, a ring of gate scans and a refund queue with a normal backlog. The
 * flight-status stream is a SubmissionPublisher: every passenger-app and ground-crew session
 * subscribes and cancels its subscription when the session ends (a few dozen live at the dump).
 * Waiver checks are cached in a WeakHashMap keyed by the signed waiver document; the check result
 * does not reference its document, so the entries go when the flight has landed and the waiver
 * directory drops the documents. See VALIDATION133.md.
 */
public final class Val133HealthyAirshipTours {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int HOURS = 10, LANDMARKS = 30_000, BOOKINGS = 18_000, MAP_CAP = 2_000, POOL = 12, RING = 1_024;
    static final int AIRSHIPS = 8, SEATS = 20, SESSIONS = 1_800, FLIGHT_EVERY_MIN = 10, FLIGHT_MIN = 45;
    static final long REFUND_DELAY = 30 * MINUTE;
    static final String[] WORDS = {"river", "bridge", "cathedral", "harbour", "castle", "vineyard", "lake", "tower", "market", "abbey", "meadow", "lighthouse", "quarry", "viaduct", "mill", "forest"};

    record Landmark(String code, String name, double lat, double lon, String commentary) {}
    record Booking(String ref, String passenger, String email, byte[] notes, long bookedAt) {}
    record RouteMap(String key, byte[] png, long renderedAt) {}
    record GateScan(String bookingRef, String flightNo, int gate, long at) {}
    record RefundRequest(String bookingRef, int amountCents, String reason, long requestedAt) {}
    record FlightStatus(String airship, String flightNo, double lat, double lon, int altitudeFt, String phase, long at) {}

    /** A signed liability waiver (the scanned signature page is the bulk of it). */
    static final class WaiverDocument {
        final String waiverId; final String bookingRef; final String flightNo; final byte[] signaturePage; final long signedAt;
        WaiverDocument(String waiverId, String bookingRef, String flightNo, byte[] signaturePage, long signedAt) { this.waiverId = waiverId; this.bookingRef = bookingRef; this.flightNo = flightNo; this.signaturePage = signaturePage; this.signedAt = signedAt; }
    }
    /** The result of checking a waiver: no reference to the document. */
    record WaiverCheck(int pages, int signatureScore, boolean guardianRequired, long checkedAt) {}

    /** A passenger-app or ground-crew session; its subscriber renders status cards into its buffer. */
    static final class ClientSession {
        final long id; final String user; final String device; final long openedAt; final long closesAt;
        StatusSubscriber subscriber; boolean open = true;
        ClientSession(long id, String user, String device, long openedAt, long closesAt) { this.id = id; this.user = user; this.device = device; this.openedAt = openedAt; this.closesAt = closesAt; }
    }

    static final class StatusSubscriber implements Flow.Subscriber<FlightStatus> {
        final ClientSession session; final byte[] renderBuffer; Flow.Subscription subscription; long rendered; int pos;
        StatusSubscriber(ClientSession session, byte[] renderBuffer) { this.session = session; this.renderBuffer = renderBuffer; }
        @Override public void onSubscribe(Flow.Subscription s) { subscription = s; s.request(Long.MAX_VALUE); }
        @Override public void onNext(FlightStatus st) {
            byte[] card = (st.flightNo() + " " + st.phase() + " " + st.altitudeFt() + "ft").getBytes(StandardCharsets.US_ASCII);
            if (pos + card.length > renderBuffer.length) pos = 0;
            System.arraycopy(card, 0, renderBuffer, pos, card.length);
            pos += card.length;
            rendered++;
        }
        @Override public void onError(Throwable t) { throw new IllegalStateException(t); }
        @Override public void onComplete() {}
    }

    static final class MapCache extends LinkedHashMap<String, RouteMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static Map<String, Landmark> LANDMARKS_BY_CODE;

    static final class FlightOps {
        final Map<String, Booking> bookings = new HashMap<>();
        final String[] bookingRefs = new String[BOOKINGS];
        final MapCache maps = new MapCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final GateScan[] scans = new GateScan[RING];
        final ArrayDeque<RefundRequest> refunds = new ArrayDeque<>();
        final SubmissionPublisher<FlightStatus> status = new SubmissionPublisher<>(Runnable::run, 64);
        final Map<Long, ClientSession> sessions = new HashMap<>();
        /** Waivers of flights that have not landed yet, by flight number. */
        final Map<String, java.util.List<WaiverDocument>> waiversByFlight = new HashMap<>();
        final Map<WaiverDocument, WaiverCheck> waiverChecks = new WeakHashMap<>();
        long scanCount, refundsRequested, refundsPaid, statusUpdates, sessionsOpened, sessionsClosed, waiversSigned, flightsLanded, mapRenders;

        void openSession(long id, Random r, long t) {
            ClientSession s = new ClientSession(id, r.nextBoolean() ? "pax-" + (100_000 + r.nextInt(900_000)) : "crew-" + (10 + r.nextInt(80)), r.nextInt(4) == 0 ? "ios-17" : "android-14", t, t + (5 + r.nextInt(16)) * MINUTE);
            s.subscriber = new StatusSubscriber(s, new byte[2_048 + r.nextInt(2_048)]);
            status.subscribe(s.subscriber);
            sessions.put(id, s);
            sessionsOpened++;
        }

        void closeExpiredSessions(long t) {
            var it = sessions.values().iterator();
            while (it.hasNext()) {
                ClientSession s = it.next();
                if (s.closesAt <= t) {
                    s.open = false;
                    s.subscriber.subscription.cancel();
                    it.remove();
                    sessionsClosed++;
                }
            }
        }

        void boardFlight(String flightNo, Random r, long t) {
            java.util.List<WaiverDocument> docs = new java.util.ArrayList<>();
            for (int p = 0; p < SEATS; p++) {
                String ref = bookingRefs[r.nextInt(BOOKINGS)];
                WaiverDocument w = new WaiverDocument("WV-" + (500_000 + waiversSigned), ref, flightNo, new byte[2_000 + r.nextInt(2_000)], t - (30 + r.nextInt(60)) * MINUTE);
                waiversSigned++;
                docs.add(w);
                waiverChecks.put(w, new WaiverCheck(1 + r.nextInt(3), 60 + r.nextInt(40), r.nextInt(12) == 0, t));
                scans[(int) (scanCount++ % RING)] = new GateScan(ref, flightNo, 1 + r.nextInt(4), t);
                byte[] buf = printBuffers.poll();
                buf[(int) (scanCount % buf.length)] = (byte) ref.charAt(2);
                printBuffers.add(buf);
            }
            waiversByFlight.put(flightNo, docs);
        }

        void land(String flightNo) {
            if (waiversByFlight.remove(flightNo) != null) flightsLanded++;
        }

        void routeMap(Random r, long t) {
            String key = "route/" + (r.nextInt(40)) + "/z" + (9 + r.nextInt(4)) + "/" + r.nextInt(120);
            if (maps.get(key) == null) { maps.put(key, new RouteMap(key, new byte[500 + r.nextInt(500)], t)); mapRenders++; }
        }

        void refunds(Random r, long t) {
            if (r.nextInt(2) == 0) { refunds.addLast(new RefundRequest(bookingRefs[r.nextInt(BOOKINGS)], 5_000 + r.nextInt(20_000), r.nextBoolean() ? "weather cancellation" : "missed boarding", t)); refundsRequested++; }
            while (!refunds.isEmpty() && refunds.peekFirst().requestedAt() <= t - REFUND_DELAY) { refunds.pollFirst(); refundsPaid++; }
        }
    }

    static FlightOps SERVICE;
    static int EXPECTED_LIVE_WAIVERS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String text(Random r, int min, int max) {
        StringBuilder sb = new StringBuilder();
        int len = min + r.nextInt(max - min);
        while (sb.length() < len) sb.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
        return sb.toString();
    }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(133_020_001);
        Map<String, Landmark> landmarks = new HashMap<>();
        for (int i = 0; i < LANDMARKS; i++) {
            String code = "LM-" + (100_000 + i * 3);
            landmarks.put(code, new Landmark(code, "Landmark " + WORDS[i % WORDS.length] + " " + i, 46 + rnd.nextDouble() * 8, 5 + rnd.nextDouble() * 10, text(rnd, 150, 300)));
        }
        LANDMARKS_BY_CODE = Collections.unmodifiableMap(landmarks);
        FlightOps ops = new FlightOps();
        SERVICE = ops;
        for (int i = 0; i < BOOKINGS; i++) {
            ops.bookingRefs[i] = "AZ" + Integer.toString(1_500_000 + i * 37, 36).toUpperCase();
            ops.bookings.put(ops.bookingRefs[i], new Booking(ops.bookingRefs[i], "Passenger " + i, "p" + i + "@mail.example", new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(120)) * DAY));
        }
        for (int b = 0; b < POOL; b++) ops.printBuffers.add(new byte[65_536]);

        Random traffic = new Random(133_020_002), sessions = new Random(133_020_003), boarding = new Random(133_020_004);
        int minutes = HOURS * 60;
        int sessionIdx = 0, flight = 0;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            ops.closeExpiredSessions(t);
            while (sessionIdx < (long) SESSIONS * (m + 1) / minutes) ops.openSession(9_000_000L + sessionIdx++, sessions, t);
            if (m % FLIGHT_EVERY_MIN == 0) {
                // boarding opens an hour before departure; the flight lands 45 minutes after it
                String flightNo = "ZP" + (7_000 + flight++);
                ops.boardFlight(flightNo, boarding, t);
                int landedIdx = flight - 1 - (60 + FLIGHT_MIN) / FLIGHT_EVERY_MIN - 1;
                if (landedIdx >= 0) ops.land("ZP" + (7_000 + landedIdx));
            }
            for (int a = 0; a < AIRSHIPS; a++) {
                String phase = (m + a * 7) % 45 < 5 ? "boarding" : (m + a * 7) % 45 < 40 ? "airborne" : "landing";
                ops.status.submit(new FlightStatus("D-LZ" + (10 + a), "ZP" + (7_000 + Math.max(0, flight - 1 - a)), 47 + traffic.nextDouble(), 8 + traffic.nextDouble(), 900 + traffic.nextInt(1_200), phase, t));
                ops.statusUpdates++;
            }
            for (int k = 0; k < 6; k++) ops.routeMap(traffic, t);
            ops.refunds(traffic, t);
        }
        ops.closeExpiredSessions(end);
        int live = 0;
        for (java.util.List<WaiverDocument> docs : ops.waiversByFlight.values()) live += docs.size();
        EXPECTED_LIVE_WAIVERS = live;
    }

    /** Waits until the checks of dropped waivers are expunged (reference processing runs on its own thread). */
    static int settledWaiverChecks() throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            System.gc();
            if (SERVICE.waiverChecks.size() == EXPECTED_LIVE_WAIVERS) return EXPECTED_LIVE_WAIVERS;
            Thread.sleep(20);
        }
        return SERVICE.waiverChecks.size();
    }

    static String report() throws InterruptedException {
        FlightOps ops = SERVICE;
        int checks = settledWaiverChecks();
        int subscribers = ops.status.getNumberOfSubscribers();
        String line = "landmarks " + LANDMARKS_BY_CODE.size() + " bookings " + ops.bookings.size() + " sessions opened " + ops.sessionsOpened + " closed " + ops.sessionsClosed + " live " + ops.sessions.size()
                + " subscribers " + subscribers + " status updates " + ops.statusUpdates + " waivers signed " + ops.waiversSigned + " flights boarded " + (ops.flightsLanded + ops.waiversByFlight.size()) + " landed " + ops.flightsLanded
                + " live waivers " + EXPECTED_LIVE_WAIVERS + " waiver checks " + checks + " maps " + ops.maps.size() + " (evicted " + ops.maps.evicted + ") pool " + ops.printBuffers.size()
                + " scans " + ops.scanCount + " refunds " + ops.refundsRequested + " paid " + ops.refundsPaid + " backlog " + ops.refunds.size();
        check(LANDMARKS_BY_CODE.size() == LANDMARKS && ops.bookings.size() == BOOKINGS, "reference data / directory");
        check(ops.sessionsOpened == SESSIONS && ops.sessionsClosed + ops.sessions.size() == SESSIONS, "sessions");
        check(subscribers == ops.sessions.size() && subscribers >= 24 && subscribers <= 60, "live subscribers: " + subscribers);
        check(checks == EXPECTED_LIVE_WAIVERS && checks == ops.waiversByFlight.size() * SEATS, "waiver checks follow their documents: " + checks);
        check(ops.maps.size() == MAP_CAP && ops.maps.evicted > 0, "map cache at cap");
        check(ops.printBuffers.size() == POOL, "pool");
        check(ops.scans[RING - 1] != null, "ring");
        check(ops.refunds.size() > 0 && ops.refundsPaid + ops.refunds.size() == ops.refundsRequested, "refund queue");
        // the exact counts of VALIDATION133.md
        check(subscribers == 30 && checks == 220 && ops.flightsLanded == 49 && ops.refunds.size() == 12 && ops.maps.evicted == 1_326, "exact counts");
        return line;
    }

    public static void main(String[] args) throws Exception {
        simulate();
        System.out.println(report());
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
