// hprofscan-dump: name=val36-healthy-escaperooms jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val36-healthy-escaperooms-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Validation set 36 (written blind), HEALTHY: the booking and game-master service of a chain of
 * escape rooms. Room reference data, the booking directory, a cache of rendered hint sheets at its
 * cap, a pool of video-replay buffers, a ring of finished games, a confirmation-mail outbox
 * (ConcurrentLinkedQueue) drained every minute by the mail relay, which keeps up, and an HTTP
 * client whose connection pools are keyed by RouteKey(scheme, host, port): 2 pools for thousands of
 * payment and SMS requests whose URLs carry a per-request id. See VALIDATION36.md.
 */
public final class Val36HealthyEscapeRooms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ROOMS = 1_000, BOOKINGS = 26_000, SHEET_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, GAMES_PER_HOUR = 6_000, RELAY_PER_MINUTE = 50, MIN_IDLE = 2;

    record Room(String code, String venue, String theme, double[] completionMinutes) {}
    record Booking(String ref, String roomCode, String organiser, byte[] waiverDetails, long bookedAt, long playAt) {}
    record HintSheet(String key, byte[] rendered, long at) {}
    record FinishedGame(String bookingRef, String roomCode, int players, int secondsLeft, long at) {}
    record ConfirmationMail(long id, String bookingRef, String to, byte[] body, long queuedAt) {}
    record RouteKey(String scheme, String host, int port) {}

    static final class PooledConnection {
        final long id;
        long lastUsedAt;
        final byte[] readBuffer = new byte[1_024];
        final byte[] writeBuffer = new byte[512];
        PooledConnection(long id) { this.id = id; }
    }

    static final class ConnectionPool {
        final RouteKey route;
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        long leases;
        ConnectionPool(RouteKey route, HttpClient client) { this.route = route; for (int i = 0; i < MIN_IDLE; i++) idle.add(new PooledConnection(client.ids++)); }
    }

    static final class HttpClient {
        final Map<RouteKey, ConnectionPool> pools = new HashMap<>();
        long requests, ids;
        void send(String url, byte[] body, long at) {
            URI uri = URI.create(url);
            RouteKey key = new RouteKey(uri.getScheme(), uri.getHost(), uri.getPort());
            ConnectionPool p = pools.computeIfAbsent(key, k -> new ConnectionPool(k, this));
            PooledConnection c = p.idle.poll();
            System.arraycopy(body, 0, c.writeBuffer, 0, Math.min(body.length, c.writeBuffer.length));
            c.lastUsedAt = at;
            p.leases++;
            requests++;
            p.idle.addFirst(c);
        }
    }

    static final class SheetCache extends LinkedHashMap<String, HintSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HintSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Room> ROOMS_BY_CODE = new HashMap<>();

    static final class GameService {
        final Map<String, Booking> bookings = new HashMap<>();
        final SheetCache hintSheets = new SheetCache();
        final ArrayDeque<byte[]> replayBuffers = new ArrayDeque<>();
        final FinishedGame[] finished = new FinishedGame[RING];
        long games;
        final ConcurrentLinkedQueue<ConfirmationMail> outbox = new ConcurrentLinkedQueue<>();
        long mailsQueued, mailsSent;
        int maxOutbox;
        final HttpClient http = new HttpClient();

        /** The mail relay's turn: sends up to its per-minute capacity. */
        void relay(long at) {
            for (int k = 0; k < RELAY_PER_MINUTE; k++) {
                ConfirmationMail m = outbox.poll();
                if (m == null) return;
                mailsSent++;
            }
        }
    }

    static GameService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(36_060_001);
        String[] roomCodes = new String[ROOMS];
        String[] themes = {"Pharaoh's Tomb", "Submarine", "Haunted Manor", "Bank Heist", "Space Station", "Alchemist's Lab", "Prison Break"};
        for (int r = 0; r < ROOMS; r++) {
            double[] minutes = new double[64];
            for (int k = 0; k < minutes.length; k++) minutes[k] = 35 + rnd.nextDouble() * 25;
            roomCodes[r] = "ER-" + (100 + r / 5) + "-" + (char) ('A' + r % 5);
            ROOMS_BY_CODE.put(roomCodes[r], new Room(roomCodes[r], "Venue " + (100 + r / 5), themes[r % themes.length], minutes));
        }
        GameService svc = new GameService();
        SERVICE = svc;
        String[] refs = new String[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            refs[b] = "BK" + Long.toString(36_000_000L + b * 37L, 36).toUpperCase();
            long booked = now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR;
            svc.bookings.put(refs[b], new Booking(refs[b], roomCodes[rnd.nextInt(ROOMS)], "Organiser " + rnd.nextInt(20_000), new byte[150 + rnd.nextInt(150)], booked, booked + (long) rnd.nextInt(400) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.replayBuffers.add(new byte[32_768]);
        Random traffic = new Random(36_060_002);
        int games = GAMES_PER_HOUR * HOURS;
        int minutesSimulated = HOURS * 60;
        int g = 0;
        for (int m = 0; m < minutesSimulated; m++) {
            long minuteStart = start + m * MINUTE;
            svc.relay(minuteStart); // sends what was queued during the previous minute
            int upTo = (int) ((long) games * (m + 1) / minutesSimulated);
            for (; g < upTo; g++) {
                long t = minuteStart + (long) (g % 100) * (MINUTE / 100);
                String ref = refs[traffic.nextInt(BOOKINGS)];
                Booking b = svc.bookings.get(ref);
                svc.finished[(int) (svc.games++ % RING)] = new FinishedGame(ref, b.roomCode(), 2 + traffic.nextInt(7), traffic.nextInt(900), t);
                String key = b.roomCode() + "#" + traffic.nextInt(6);
                if (svc.hintSheets.get(key) == null) svc.hintSheets.put(key, new HintSheet(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.replayBuffers.poll();
                buf[g % buf.length] = (byte) g;
                svc.replayBuffers.add(buf);
                if (traffic.nextInt(10) == 0) { // a new booking paid online: card capture, SMS, confirmation mail
                    svc.http.send("https://api.payments.example:443/v1/captures?booking=" + ref + "&idempotencyKey=ik-" + Long.toHexString(t + g), new byte[100 + traffic.nextInt(100)], t);
                    svc.http.send("https://sms.gateway.example:443/v2/messages?to=%2B4477" + (10_000_000 + traffic.nextInt(89_999_999)) + "&ref=" + ref, new byte[60 + traffic.nextInt(60)], t);
                    svc.outbox.add(new ConfirmationMail(svc.mailsQueued++, ref, "player" + traffic.nextInt(50_000) + "@mail.example", new byte[800 + traffic.nextInt(800)], t));
                    svc.maxOutbox = Math.max(svc.maxOutbox, svc.outbox.size());
                }
            }
        }
        roomCodes = refs = null; // startup arrays dropped (keeps the main frame's roots the same whether main runs interpreted or compiled)
        rnd = traffic = null;
        System.out.println("rooms " + ROOMS_BY_CODE.size() + " bookings " + svc.bookings.size() + " games " + svc.games + " sheets " + svc.hintSheets.size() + " (evicted " + svc.hintSheets.evicted + ") mails queued " + svc.mailsQueued + " sent " + svc.mailsSent
                + " outbox " + svc.outbox.size() + " (max " + svc.maxOutbox + ") http requests " + svc.http.requests + " pools " + svc.http.pools.size() + " pool " + svc.replayBuffers.size());
        check(ROOMS_BY_CODE.size() == ROOMS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(svc.games == games && svc.finished[RING - 1] != null, "finished-game ring");
        check(svc.hintSheets.size() == SHEET_CAP && svc.hintSheets.evicted > 0, "hint-sheet cache at cap");
        check(svc.replayBuffers.size() == POOL, "pool");
        check(svc.mailsSent + svc.outbox.size() == svc.mailsQueued && svc.maxOutbox <= RELAY_PER_MINUTE && svc.outbox.size() <= RELAY_PER_MINUTE, "outbox drained every minute: " + svc.outbox.size());
        check(svc.http.pools.size() == 2 && svc.http.requests == 2 * svc.mailsQueued, "one pool per host");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
