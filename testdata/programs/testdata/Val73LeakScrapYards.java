// hprofscan-dump: name=val73-leak-scrapyards jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val73-leak-scrapyards-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 73 (written blind), LEAK: the weigh-bridge service of a chain of scrap-metal
 * yards. Yard reference data, the metal-grade directory, a cache of rendered price boards at its
 * cap, a pool of weigh-bridge decode buffers, a ring of recent weigh tickets, a per-thread
 * scratch buffer, and the seller check: a weigh-in by a seller not seen in the last 90 days must
 * be checked against the national stolen-metal register. Each such request builds its own
 * RegisterHttpClient (its own small connection pool and 64 KiB buffers), which registers itself in
 * the static ClientMetrics.CLIENTS list for metrics; close() does not remove it, so the list keeps
 * every client ever built. See VALIDATION73.md.
 */
public final class Val73LeakScrapYards {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int YARDS = 1_000, GRADES = 26_000, BOARD_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, REQUESTS_PER_HOUR = 6_000, NEW_SELLER_EVERY = 750;
    static boolean FIXED;

    record Yard(String code, String town, double[] intakeByHour) {}
    record MetalGrade(String code, String family, byte[] spec, long listedAt) {}
    record PriceBoard(String key, byte[] rendered, long at) {}
    record WeighTicket(long id, String yardCode, String gradeCode, int kilos, long at) {}

    /** Static list of every HTTP client, scraped by the metrics exporter. */
    static final class ClientMetrics {
        static final List<RegisterHttpClient> CLIENTS = new ArrayList<>();
        static long registered, unregistered;
    }

    static final class PooledConnection {
        final String host; final byte[] socketBuffer = new byte[65_536]; long lastUsed;
        PooledConnection(String host) { this.host = host; }
    }

    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>(2); final int max = 2; int opened;
        PooledConnection acquire(String host) { PooledConnection c = idle.poll(); if (c == null) { c = new PooledConnection(host); opened++; } return c; }
        void release(PooledConnection c) { if (idle.size() < max) idle.add(c); }
    }

    static final class RegisterHttpClient {
        final String baseUrl; final long createdAt;
        final ConnectionPool pool = new ConnectionPool();
        final byte[] responseBuffer = new byte[65_536];
        long requests, bytesIn; boolean closed;
        RegisterHttpClient(String baseUrl, long createdAt) {
            this.baseUrl = baseUrl; this.createdAt = createdAt;
            ClientMetrics.CLIENTS.add(this); ClientMetrics.registered++;
        }
        boolean checkSeller(String sellerId, long at, Random r) {
            PooledConnection c = pool.acquire("register.example.gov.uk");
            c.lastUsed = at;
            int n = 200 + r.nextInt(2_000);
            for (int k = 0; k < n; k += 64) responseBuffer[k] = (byte) k;
            bytesIn += n; requests++;
            pool.release(c);
            return r.nextInt(40) != 0;
        }
        void close() {
            closed = true;
            if (FIXED && ClientMetrics.CLIENTS.remove(this)) ClientMetrics.unregistered++;
            // BUG: the client stays in ClientMetrics.CLIENTS (with its pool and buffers)
        }
    }

    static final class BoardCache extends LinkedHashMap<String, PriceBoard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PriceBoard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Yard> YARDS_BY_CODE = new HashMap<>();

    static final class WeighBridgeService {
        final Map<String, MetalGrade> grades = new HashMap<>();
        final BoardCache boards = new BoardCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final WeighTicket[] tickets = new WeighTicket[RING];
        final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[8_192]);
        long ticketsWritten, sellerChecks, flagged;
        void sellerCheck(String sellerId, long at, Random r) {
            RegisterHttpClient client = new RegisterHttpClient("https://register.example.gov.uk/api/v2/sellers", at);
            try {
                if (!client.checkSeller(sellerId, at, r)) flagged++;
                sellerChecks++;
            } finally {
                client.close();
            }
        }
    }

    static WeighBridgeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val73.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(73_030_001);
        String[] yardCodes = new String[YARDS];
        for (int y = 0; y < YARDS; y++) {
            double[] intake = new double[80];
            for (int k = 0; k < intake.length; k++) intake[k] = rnd.nextDouble() * 40_000;
            yardCodes[y] = "YD-" + (600 + y);
            YARDS_BY_CODE.put(yardCodes[y], new Yard(yardCodes[y], "Town " + (y % 240), intake));
        }
        WeighBridgeService svc = new WeighBridgeService();
        SERVICE = svc;
        String[] gradeCodes = new String[GRADES];
        String[] families = {"Copper", "Brass", "Aluminium", "Lead", "Stainless", "Heavy steel", "Light iron", "Cable"};
        for (int g = 0; g < GRADES; g++) {
            gradeCodes[g] = "GR-" + (40_000 + g);
            svc.grades.put(gradeCodes[g], new MetalGrade(gradeCodes[g], families[g % families.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(73_030_002);
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String yard = yardCodes[traffic.nextInt(YARDS)];
            if (i % NEW_SELLER_EVERY == NEW_SELLER_EVERY - 1) svc.sellerCheck("S" + (5_000_000 + traffic.nextInt(900_000)), t, traffic);
            svc.tickets[(int) (svc.ticketsWritten++ % RING)] = new WeighTicket(60_000_000L + i, yard, gradeCodes[traffic.nextInt(GRADES)], 5 + traffic.nextInt(4_000), t);
            byte[] scratch = svc.scratch.get();
            scratch[i % scratch.length] = (byte) i;
            if (i % 2 == 0) {
                String key = "board-" + traffic.nextInt(5_000);
                if (svc.boards.get(key) == null) svc.boards.put(key, new PriceBoard(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
        }
        int expectedChecks = requests / NEW_SELLER_EVERY;
        System.out.println((FIXED ? "FIXED " : "") + "yards " + YARDS_BY_CODE.size() + " grades " + svc.grades.size() + " seller checks " + svc.sellerChecks + " (flagged " + svc.flagged + ") clients listed " + ClientMetrics.CLIENTS.size()
                + " (registered " + ClientMetrics.registered + ", unregistered " + ClientMetrics.unregistered + ") boards " + svc.boards.size() + " (evicted " + svc.boards.evicted + ") pool " + svc.decodeBuffers.size() + " tickets " + svc.ticketsWritten);
        check(YARDS_BY_CODE.size() == YARDS && svc.grades.size() == GRADES, "reference data / directory");
        check(svc.sellerChecks == expectedChecks && ClientMetrics.registered == expectedChecks, "seller checks");
        if (FIXED) check(ClientMetrics.CLIENTS.isEmpty(), "discarded clients unregistered");
        else check(ClientMetrics.CLIENTS.size() == expectedChecks && ClientMetrics.CLIENTS.get(0).closed, "list keeps every client ever built: " + ClientMetrics.CLIENTS.size());
        check(svc.boards.size() == BOARD_CAP && svc.boards.evicted > 0, "board cache at cap");
        check(svc.decodeBuffers.size() == POOL, "buffer pool");
        check(svc.ticketsWritten == requests && svc.tickets[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
