// hprofscan-dump: name=val61-leak-paddlecourts jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val61-leak-paddlecourts-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 61 (written blind), LEAK: the court-booking API of a chain of padel clubs. Club
 * reference data, the player directory, a cache of rendered slot pages at its cap, a pool of
 * response buffers, a ring of recent bookings, and a latency monitor with one sliding window per
 * endpoint (16 endpoints) meant to keep the samples of the last 60 seconds for the p50 / p99 health
 * page. Each sample is stamped with the monotonic clock (nanoseconds since the host booted) and
 * its wall-clock time, but the trim compares the monotonic stamp with a wall-clock cutoff
 * (epoch milliseconds minus 60 s): the monotonic values are always larger, so no sample is ever
 * dropped. See VALIDATION61.md.
 */
public final class Val61LeakPaddleCourts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, WINDOW_MS = 60_000L, WINDOW_NANOS = WINDOW_MS * 1_000_000L;
    static final int CLUBS = 1_000, PLAYERS = 25_000, SLOT_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, REQUESTS = 72_000;
    static final String[] ENDPOINTS = {
        "GET /clubs/{club}/courts", "GET /clubs/{club}/slots", "POST /bookings", "GET /bookings/{id}", "DELETE /bookings/{id}",
        "POST /bookings/{id}/split-payment", "GET /players/{id}", "PUT /players/{id}/level", "GET /players/{id}/matches",
        "POST /matches/{id}/score", "GET /leagues/{league}/table", "POST /waitlist", "GET /coaches/{club}", "POST /lessons",
        "GET /promotions", "POST /checkin/{booking}"};
    static boolean FIXED;

    record Club(String code, String city, double[] courtUseByHour) {}
    record Player(String playerId, String homeClub, String level, byte[] profile, long joinedAt) {}
    record SlotPage(String key, byte[] rendered, long at) {}
    record Booking(String bookingId, String playerId, String clubCode, long slotStart) {}
    record Sample(long monoNanos, long wallMs, int micros, String requestId) {}

    /** Sliding window of one endpoint's latencies, meant to hold the last 60 seconds. */
    static final class LatencyWindow {
        final String endpoint;
        final ArrayDeque<Sample> samples = new ArrayDeque<>();
        long recorded, trimmed;
        LatencyWindow(String endpoint) { this.endpoint = endpoint; }
        void record(Sample s) {
            samples.addLast(s);
            recorded++;
            trim(s.wallMs(), s.monoNanos());
        }
        void trim(long nowWallMs, long nowMonoNanos) {
            if (FIXED) {
                while (!samples.isEmpty() && samples.peekFirst().monoNanos() < nowMonoNanos - WINDOW_NANOS) { samples.pollFirst(); trimmed++; }
            } else {
                // BUG: a monotonic nanosecond stamp compared with a wall-clock millisecond cutoff
                long cutoff = nowWallMs - WINDOW_MS;
                while (!samples.isEmpty() && samples.peekFirst().monoNanos() < cutoff) { samples.pollFirst(); trimmed++; }
            }
        }
    }

    static final class LatencyMonitor {
        final Map<String, LatencyWindow> windows = new LinkedHashMap<>();
        LatencyMonitor() { for (String e : ENDPOINTS) windows.put(e, new LatencyWindow(e)); }
        int held() { int n = 0; for (LatencyWindow w : windows.values()) n += w.samples.size(); return n; }
    }

    static final class SlotCache extends LinkedHashMap<String, SlotPage> {
        long evicted;
        SlotCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SlotPage> e) { if (size() > SLOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class CourtService {
        final Map<String, Player> players = new HashMap<>();
        final SlotCache slots = new SlotCache();
        final ArrayDeque<byte[]> responseBuffers = new ArrayDeque<>();
        final Booking[] recent = new Booking[RING];
        long bookings;
        final LatencyMonitor latency = new LatencyMonitor();
    }

    static CourtService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val61.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        // the host booted 9 days, 3 h 17 min before the simulated period: the monotonic clock counts from there
        long bootWallMs = start - 9 * DAY - 197 * MINUTE;
        Random rnd = new Random(61_020_001);
        String[] clubCodes = new String[CLUBS];
        for (int c = 0; c < CLUBS; c++) {
            double[] use = new double[72];
            for (int k = 0; k < use.length; k++) use[k] = rnd.nextDouble();
            clubCodes[c] = "PDL-" + (1_000 + c);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], "City " + (c % 250), use));
        }
        CourtService svc = new CourtService();
        SERVICE = svc;
        String[] playerIds = new String[PLAYERS];
        String[] levels = {"1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0"};
        for (int p = 0; p < PLAYERS; p++) {
            playerIds[p] = "PL" + (8_000_000 + p * 11);
            svc.players.put(playerIds[p], new Player(playerIds[p], clubCodes[rnd.nextInt(CLUBS)], levels[rnd.nextInt(levels.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.responseBuffers.add(new byte[32_768]);
        Random traffic = new Random(61_020_002);
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - start) * i / REQUESTS;
            long mono = (t - bootWallMs) * 1_000_000L + traffic.nextInt(1_000_000);
            String endpoint = ENDPOINTS[traffic.nextInt(ENDPOINTS.length)];
            svc.latency.windows.get(endpoint).record(new Sample(mono, t, 800 + traffic.nextInt(90_000), Long.toHexString(0x5a00_0000_0000L + i * 7L)));
            if (i % 3 == 0) {
                String player = playerIds[traffic.nextInt(PLAYERS)];
                String club = clubCodes[traffic.nextInt(CLUBS)];
                svc.recent[(int) (svc.bookings++ % RING)] = new Booking("BK" + (60_000_000 + i), player, club, t + HOUR * (2 + traffic.nextInt(160)));
            }
            String key = "slots-" + traffic.nextInt(4_500);
            if (svc.slots.get(key) == null) svc.slots.put(key, new SlotPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.responseBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.responseBuffers.add(buf);
        }
        // the health page trims every window at "now" before rendering
        long monoEnd = (end - bootWallMs) * 1_000_000L;
        for (LatencyWindow w : svc.latency.windows.values()) w.trim(end, monoEnd);
        int held = svc.latency.held();
        long trimmed = 0;
        for (LatencyWindow w : svc.latency.windows.values()) trimmed += w.trimmed;
        System.out.println((FIXED ? "FIXED " : "") + "clubs " + CLUBS_BY_CODE.size() + " players " + svc.players.size() + " samples held " + held + " (recorded " + REQUESTS + ", trimmed " + trimmed + ") slots " + svc.slots.size()
                + " (evicted " + svc.slots.evicted + ") pool " + svc.responseBuffers.size() + " bookings " + svc.bookings + " mono/wall at end " + monoEnd + "/" + end);
        check(CLUBS_BY_CODE.size() == CLUBS && svc.players.size() == PLAYERS, "reference data / directory");
        check(svc.latency.windows.size() == 16, "16 endpoints");
        if (FIXED) check(held > 0 && held < 200 && held + trimmed == REQUESTS, "windows hold the last 60 s: " + held);
        else check(held == REQUESTS && trimmed == 0, "nothing is ever trimmed: " + held);
        check(svc.slots.size() == SLOT_CAP && svc.slots.evicted > 0, "slot cache at cap");
        check(svc.responseBuffers.size() == POOL, "pool");
        check(svc.bookings == REQUESTS / 3 && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
