// hprofscan-dump: name=val94-healthy-watertaxis-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val94-healthy-watertaxis-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val94-healthy-watertaxis jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val94-healthy-watertaxis-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 94 (written blind), HEALTHY: the booking and dispatch service of a city's water-taxi
 * operator. Pier reference data, the passenger-account directory, a cache of fare quotes at its
 * cap, a pool of ticket print buffers, a ring of recent trips (filling in stage 1, full and
 * wrapping from stage 2), a fixed pool of 6 database connections whose statement caches hold only
 * bound-parameter statements (8 per connection, every query binds its values), and 40 long-lived
 * radio-data links to the boats, each with a debug trace (StringBuilder) that is reset at the start
 * of every message, so it only ever holds the current exchange. See VALIDATION94.md.
 */
public final class Val94HealthyWaterTaxis {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PIERS = 1_200, ACCOUNTS = 25_000, QUOTE_CAP = 2_000, POOL = 8, RING = 16_384, CONNECTIONS = 6, BOATS = 40, TRIPS_PER_HOUR = 6_000;

    record Pier(String code, String name, double[] tideTable) {}
    record Account(String number, String holder, byte[] profile, long openedAt) {}
    record FareQuote(String key, byte[] rendered, long at) {}
    record Trip(String accountNumber, String fromPier, String toPier, String boatId, long at) {}

    static final class Statement {
        final String sql; final int[] paramTypes; final byte[] plan; final long preparedAt; long executions;
        Statement(String sql, int[] paramTypes, byte[] plan, long preparedAt) { this.sql = sql; this.paramTypes = paramTypes; this.plan = plan; this.preparedAt = preparedAt; }
    }

    static final class DbConnection {
        final int id; final long openedAt;
        final Map<String, Statement> statementCache = new HashMap<>();
        long prepares, hits;
        DbConnection(int id, long openedAt) { this.id = id; this.openedAt = openedAt; }
        void prepare(String sql, int params, long at) {
            Statement s = statementCache.get(sql);
            if (s == null) { statementCache.put(sql, s = new Statement(sql, new int[params], new byte[64 + 8 * params], at)); prepares++; } else hits++;
            s.executions++;
        }
    }

    static final String[] SQL = {
        "SELECT holder, balance_pence, status FROM accounts WHERE account_no = ?",
        "SELECT code, name, berth_count FROM piers WHERE code = ?",
        "INSERT INTO trips (account_no, from_pier, to_pier, boat_id, booked_at, fare_pence) VALUES (?, ?, ?, ?, ?, ?)",
        "UPDATE accounts SET balance_pence = balance_pence - ? WHERE account_no = ?",
        "SELECT boat_id, skipper, seats_free FROM boats WHERE pier_code = ? AND status = 'IDLE' ORDER BY seats_free DESC",
        "SELECT fare_pence FROM fares WHERE from_pier = ? AND to_pier = ? AND valid_from <= ?",
        "UPDATE boats SET status = ?, last_seen = ? WHERE boat_id = ?",
        "SELECT 1",
    };
    static final int[] PARAMS = {1, 1, 6, 2, 1, 3, 3, 0};

    /** A long-lived radio-data link to one boat; its trace is for the error log of the current message only. */
    static final class RadioLink {
        final String boatId; final long connectedAt;
        final StringBuilder trace = new StringBuilder(256);
        long messages;
        RadioLink(String boatId, long connectedAt) { this.boatId = boatId; this.connectedAt = connectedAt; }
        void onMessage(long at, String kind, String body) {
            trace.setLength(0); // reset per message
            trace.append(Instant.ofEpochMilli(at)).append(' ').append(boatId).append(' ').append(kind).append(' ').append(body);
            messages++;
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, FareQuote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FareQuote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Pier> PIERS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Account> accounts = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final Trip[] recentTrips = new Trip[RING];
        long trips;
        final DbConnection[] connections = new DbConnection[CONNECTIONS];
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        final RadioLink[] links = new RadioLink[BOATS];
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int trips = TRIPS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(94_050_001);
        String[] pierCodes = new String[PIERS];
        for (int p = 0; p < PIERS; p++) {
            double[] tide = new double[64];
            for (int k = 0; k < tide.length; k++) tide[k] = rnd.nextDouble() * 6;
            pierCodes[p] = "PR" + (4_000 + p);
            PIERS_BY_CODE.put(pierCodes[p], new Pier(pierCodes[p], "Pier " + p, tide));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] accountNos = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accountNos[a] = "WT" + (20_000_000 + a * 11);
            svc.accounts.put(accountNos[a], new Account(accountNos[a], "Holder " + a, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.ticketBuffers.add(new byte[32_768]);
        long opened = now - 3 * DAY; // the service (and its connections and radio links) started three days ago
        for (int c = 0; c < CONNECTIONS; c++) { svc.connections[c] = new DbConnection(c, opened + c * 1_000L); svc.idle.add(svc.connections[c]); }
        String[] boatIds = new String[BOATS];
        for (int b = 0; b < BOATS; b++) { boatIds[b] = "BOAT-" + (10 + b); svc.links[b] = new RadioLink(boatIds[b], opened + 60_000L + b * 500L); }
        Random traffic = new Random(94_050_002);
        for (int i = 0; i < trips; i++) {
            long t = start + (end - MINUTE - start) * i / trips;
            String account = accountNos[traffic.nextInt(ACCOUNTS)];
            String from = pierCodes[traffic.nextInt(PIERS)], to = pierCodes[traffic.nextInt(PIERS)];
            int boat = traffic.nextInt(BOATS);
            DbConnection c = svc.idle.poll();
            for (int q = 0; q < SQL.length; q++) if (q < 7 || i % 25 == 0) c.prepare(SQL[q], PARAMS[q], t);
            svc.idle.add(c);
            svc.recentTrips[(int) (svc.trips++ % RING)] = new Trip(account, from, to, boatIds[boat], t);
            svc.links[boat].onMessage(t, "DISPATCH", "trip=" + (900_000 + i) + " from=" + from + " to=" + to + " pax=" + (1 + traffic.nextInt(8)));
            svc.links[traffic.nextInt(BOATS)].onMessage(t + 500, "POSITION", "lat=51." + (100_000 + traffic.nextInt(800_000)) + " lon=-0." + (100_000 + traffic.nextInt(800_000)));
            String key = from + ">" + to.substring(0, 5);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new FareQuote(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.ticketBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.ticketBuffers.add(buf);
        }
        int statements = 0, maxTrace = 0;
        long hits = 0, messages = 0;
        for (DbConnection c : svc.connections) { statements += c.statementCache.size(); hits += c.hits; }
        for (RadioLink l : svc.links) { maxTrace = Math.max(maxTrace, l.trace.capacity()); messages += l.messages; }
        System.out.println("stage " + stage + " piers " + PIERS_BY_CODE.size() + " accounts " + svc.accounts.size() + " trips " + svc.trips + " statements " + statements + " (hits " + hits
                + ") radio messages " + messages + " (max trace capacity " + maxTrace + ") quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.ticketBuffers.size());
        check(PIERS_BY_CODE.size() == PIERS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(statements == CONNECTIONS * SQL.length && svc.idle.size() == CONNECTIONS, "bound statements only: " + statements);
        check(messages == 2L * trips && maxTrace == 256, "radio traces reset per message: " + maxTrace);
        check(svc.trips == trips && (trips < RING ? svc.recentTrips[trips - 1] != null && svc.recentTrips[trips] == null : svc.recentTrips[RING - 1] != null), "trip ring");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.ticketBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
