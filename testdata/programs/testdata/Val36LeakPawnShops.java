// hprofscan-dump: name=val36-leak-pawnshops jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val36-leak-pawnshops-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 36 (written blind), LEAK: the pledge-intake service of a pawn-shop chain. Shop
 * reference data, the loan directory, a cache of rendered appraisal sheets at its cap, a pool of
 * tag-printer buffers, a ring of register transactions, and an HTTP client that keeps one small
 * connection pool (2 pre-opened connections with read / write buffers) per route. Every intake
 * checks the item against the police stolen-property registry with a GET whose URL carries the
 * serial number and a request id. The route was meant to be scheme://host:port, but a refactoring
 * ("normalise URLs") made routeOf() return the whole request URL, so every registry check creates
 * a new pool that is never reused nor closed. The price-guide POST has a constant URL and shares one
 * pool even with the bug. See VALIDATION36.md.
 */
public final class Val36LeakPawnShops {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SECOND = 1_000L;
    static final int SHOPS = 1_100, LOANS = 26_000, SHEET_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, MIN_IDLE = 2, MAX_PER_ROUTE = 4;
    static final long INTAKE_EVERY = 20 * SECOND, TXN_EVERY = 2 * SECOND;
    static final String REGISTRY = "https://api.stolen-property.police.example:443/v1/items/check";
    static final String PRICE_GUIDE = "https://quotes.pawn-price-guide.example:443/v2/quote";
    static boolean FIXED;

    record Shop(String code, String town, double[] weeklyFootfall) {}
    record Loan(String ticket, String shopCode, String category, byte[] itemDescription, long pledgedAt, long dueAt) {}
    record AppraisalSheet(String key, byte[] rendered, long at) {}
    record RegisterTxn(String ticket, String kind, int amountCents, long at) {}

    static final class PooledConnection {
        final long id;
        final String route;
        final long openedAt;
        long lastUsedAt;
        int requests;
        final byte[] readBuffer = new byte[1_024];
        final byte[] writeBuffer = new byte[512];
        PooledConnection(long id, String route, long openedAt) { this.id = id; this.route = route; this.openedAt = openedAt; this.lastUsedAt = openedAt; }
    }

    static final class ConnectionPool {
        final String route;
        final long createdAt;
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        int open;
        long leases, lastUsedAt;
        ConnectionPool(String route, long createdAt, HttpClient client) {
            this.route = route;
            this.createdAt = createdAt;
            for (int i = 0; i < MIN_IDLE; i++) { idle.add(new PooledConnection(client.connectionIds++, route, createdAt)); open++; }
        }
        PooledConnection lease(HttpClient client, long at) {
            PooledConnection c = idle.poll();
            if (c == null) {
                if (open >= MAX_PER_ROUTE) throw new IllegalStateException("pool exhausted: " + route);
                c = new PooledConnection(client.connectionIds++, route, at);
                open++;
            }
            leases++;
            return c;
        }
        void release(PooledConnection c, long at) { c.lastUsedAt = at; lastUsedAt = at; idle.addFirst(c); }
    }

    static final class HttpClient {
        final Map<String, ConnectionPool> pools = new HashMap<>();
        long requests, connectionIds;

        /** The pool key: meant to be scheme://host:port. */
        static String routeOf(URI uri) {
            if (FIXED) return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
            return uri.toString(); // BUG (URL-normalising refactoring): the whole request URL, query string included
        }

        int execute(String method, String url, byte[] body, long at) {
            URI uri = URI.create(url);
            String route = routeOf(uri);
            ConnectionPool pool = pools.get(route);
            if (pool == null) { pool = new ConnectionPool(route, at, this); pools.put(route, pool); }
            PooledConnection c = pool.lease(this, at);
            try {
                int n = Math.min(body.length, c.writeBuffer.length);
                System.arraycopy(body, 0, c.writeBuffer, 0, n);
                c.readBuffer[(int) (requests % c.readBuffer.length)] = (byte) method.length();
                c.requests++;
                requests++;
                return 200;
            } finally {
                pool.release(c, at);
            }
        }
    }

    static final class SheetCache extends LinkedHashMap<String, AppraisalSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AppraisalSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Shop> SHOPS_BY_CODE = new HashMap<>();

    static final class IntakeService {
        final Map<String, Loan> loans = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> tagBuffers = new ArrayDeque<>();
        final RegisterTxn[] register = new RegisterTxn[RING];
        long txns, intakes, flagged;
        final HttpClient http = new HttpClient();
    }

    static IntakeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val36.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(36_020_001);
        String[] shopCodes = new String[SHOPS];
        for (int s = 0; s < SHOPS; s++) {
            double[] footfall = new double[64];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 120;
            shopCodes[s] = "PS-" + (2_000 + s);
            SHOPS_BY_CODE.put(shopCodes[s], new Shop(shopCodes[s], "Town " + (s % 400), footfall));
        }
        IntakeService svc = new IntakeService();
        SERVICE = svc;
        String[] categories = {"JEWELLERY", "WATCH", "LAPTOP", "PHONE", "GUITAR", "POWER_TOOL", "CAMERA", "CONSOLE"};
        String[] tickets = new String[LOANS];
        for (int l = 0; l < LOANS; l++) {
            tickets[l] = "PT" + (60_000_000 + l * 3);
            long pledged = now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR;
            svc.loans.put(tickets[l], new Loan(tickets[l], shopCodes[rnd.nextInt(SHOPS)], categories[l % categories.length], new byte[150 + rnd.nextInt(150)], pledged, pledged + 120L * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.tagBuffers.add(new byte[32_768]);
        Random traffic = new Random(36_020_002);
        String[] kinds = {"REDEMPTION", "INTEREST_PAYMENT", "SALE", "LAYAWAY"};
        long nextIntake = start;
        for (long t = start; t < end; t += TXN_EVERY) {
            String ticket = tickets[traffic.nextInt(LOANS)];
            Loan loan = svc.loans.get(ticket);
            svc.register[(int) (svc.txns++ % RING)] = new RegisterTxn(ticket, kinds[traffic.nextInt(kinds.length)], 500 + traffic.nextInt(90_000), t);
            String key = "sheet-" + loan.category() + "-" + traffic.nextInt(650);
            if (svc.sheets.get(key) == null) svc.sheets.put(key, new AppraisalSheet(key, new byte[400 + traffic.nextInt(400)], t));
            if (t >= nextIntake) { // a pledge intake at one of the shops
                nextIntake += INTAKE_EVERY;
                svc.intakes++;
                String serial = "SN" + Long.toString(0x5A00_0000_0000L + traffic.nextInt(1 << 30), 36).toUpperCase();
                String requestId = "rq-" + Long.toHexString(0x7e00_0000_0000L + svc.intakes * 7_919);
                String url = REGISTRY + "?serial=" + serial + "&category=" + loan.category() + "&shop=" + loan.shopCode() + "&requestId=" + requestId;
                svc.http.execute("GET", url, new byte[0], t);
                if (traffic.nextInt(250) == 0) svc.flagged++;
                byte[] quote = new byte[120 + traffic.nextInt(120)];
                svc.http.execute("POST", PRICE_GUIDE, quote, t);
                byte[] buf = svc.tagBuffers.poll();
                buf[(int) (svc.intakes % buf.length)] = (byte) svc.intakes;
                svc.tagBuffers.add(buf);
            }
        }
        shopCodes = tickets = null; // startup arrays dropped (keeps the main frame's roots the same whether main runs interpreted or compiled)
        rnd = traffic = null;
        HttpClient http = svc.http;
        int pooledConnections = 0;
        for (ConnectionPool p : http.pools.values()) pooledConnections += p.idle.size();
        System.out.println((FIXED ? "FIXED " : "") + "shops " + SHOPS_BY_CODE.size() + " loans " + svc.loans.size() + " intakes " + svc.intakes + " (flagged " + svc.flagged + ") http requests " + http.requests + " pools " + http.pools.size()
                + " idle connections " + pooledConnections + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") txns " + svc.txns + " pool " + svc.tagBuffers.size());
        long intakes = HOURS * HOUR / INTAKE_EVERY;
        check(SHOPS_BY_CODE.size() == SHOPS && svc.loans.size() == LOANS, "reference data / directory");
        check(svc.intakes == intakes && http.requests == 2 * intakes, "intake traffic");
        if (FIXED) check(http.pools.size() == 2 && pooledConnections == 2 * MIN_IDLE, "one pool per host: " + http.pools.size());
        else check(http.pools.size() == intakes + 1 && pooledConnections == (intakes + 1) * MIN_IDLE, "a pool per registry request: " + http.pools.size());
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.tagBuffers.size() == POOL, "pool");
        check(svc.txns == HOURS * HOUR / TXN_EVERY && svc.register[RING - 1] != null, "register ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
