// hprofscan-dump: name=val129-healthy-funfairs-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val129-healthy-funfairs-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val129-healthy-funfairs jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val129-healthy-funfairs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 129 (written blind), HEALTHY (growth series that warms up and plateaus): the
 * ticketing service of a travelling funfair operator. Ride reference data, the family-pass
 * directory, a memo of fare quotes keyed by the NORMALISED query (fairground, ride group, ticket
 * type, age band, peak; the raw request's id and timestamp are not part of the key: a bounded
 * domain of 2,400 queries), a pool of JDBC-style connections whose statement caches hold
 * parameterised SQL only (a few dozen statements each), an LRU of ride photos (below its cap in
 * stage 1, at it from stage 2), a pool of ticket-print buffers, a ring of gate scans, the photo
 * print queue with its normal backlog. Stage 1/2/3 simulate 1/4/8 hours. See VALIDATION129.md.
 */
public final class Val129HealthyFunfairs {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int RIDES = 900, PASSES = 20_000, PHOTO_CAP = 1_200, POOL = 8, CONNECTIONS = 10, RING = 16_384,
            QUOTES_PER_MINUTE = 50, SCANS_PER_MINUTE = 100, PHOTOS_PER_MINUTE = 7, PRINT_LAG_MINUTES = 6;
    static final String[] FAIRGROUNDS = {"Hull Fair", "Nottingham Goose Fair", "Newcastle Hoppings", "Oxford St Giles", "Kings Lynn Mart",
            "Tavistock Goosey", "Stratford Mop", "Barnstaple Fair", "Abingdon Michaelmas", "Loughborough Fair"};
    static final String[] RIDE_GROUPS = {"waltzer", "dodgems", "big wheel", "ghost train", "helter skelter", "twister", "juvenile", "thrill"};
    static final String[] TICKET_TYPES = {"single", "book-of-5", "book-of-10", "wristband-2h", "wristband-day"};
    static final String[] AGE_BANDS = {"child", "teen", "adult"};
    /** 30 parameterised statements the service prepares; each connection caches the ones it ran. */
    static final String[] SQL = new String[30];
    static {
        String[] tables = {"ride", "fare_band", "family_pass", "gate_scan", "photo_order", "print_job", "cash_up", "staff_shift", "inspection", "lost_child"};
        for (int i = 0; i < tables.length; i++) {
            SQL[3 * i] = "SELECT * FROM " + tables[i] + " WHERE id = ?";
            SQL[3 * i + 1] = "UPDATE " + tables[i] + " SET status = ?, updated_at = ? WHERE id = ? AND version = ?";
            SQL[3 * i + 2] = "SELECT id, status, updated_at FROM " + tables[i] + " WHERE fairground = ? AND updated_at >= ? ORDER BY updated_at DESC LIMIT 50";
        }
    }

    record Ride(String code, String name, String group, int minHeightCm, double[] ridersByHalfHour) {}
    record FamilyPass(String passNo, String holder, String fairground, byte[] profile, long issuedAt) {}
    /** What the booking page sends: free text as typed, plus the request's own id and time. */
    record QuoteRequest(String requestId, long requestedAt, String fairground, String rideGroup, String ticketType, String ageBand, boolean peak) {}
    /** The memo key: the request normalised, without its id or time. */
    record QuoteKey(String fairground, String rideGroup, String ticketType, String ageBand, boolean peak) {}
    record Quote(QuoteKey key, int priceCents, int[] bundlePrices, String conditions, long computedAt) {}
    record GateScan(String passNo, String rideCode, long at, boolean accepted) {}
    record RidePhoto(String photoId, String rideCode, byte[] jpeg, long takenAt) {}
    record PrintJob(String photoId, String kiosk, long queuedAt) {}

    static final Map<String, Ride> RIDES_BY_CODE = new HashMap<>();

    static final class PhotoCache extends LinkedHashMap<String, RidePhoto> {
        long evicted;
        PhotoCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RidePhoto> e) { if (size() > PHOTO_CAP) { evicted++; return true; } return false; }
    }

    static final class PreparedStmt {
        final String sql;
        final String[] parameterTypes;
        final byte[] serverHandle = new byte[48];
        final long preparedAt;
        long executions;
        PreparedStmt(String sql, long preparedAt) {
            this.sql = sql;
            int n = 0;
            for (int i = 0; i < sql.length(); i++) if (sql.charAt(i) == '?') n++;
            this.parameterTypes = new String[n];
            for (int i = 0; i < n; i++) parameterTypes[i] = i % 2 == 0 ? "VARCHAR" : "TIMESTAMP";
            this.preparedAt = preparedAt;
        }
    }

    static final class DbConnection {
        final String id;
        final byte[] socketBuffer = new byte[8_192];
        final Map<String, PreparedStmt> statementCache = new HashMap<>();
        long prepares, cacheHits;
        DbConnection(String id) { this.id = id; }
        PreparedStmt prepare(String sql, long t) {
            PreparedStmt s = statementCache.get(sql);
            if (s == null) { statementCache.put(sql, s = new PreparedStmt(sql, t)); prepares++; } else cacheHits++;
            s.executions++;
            socketBuffer[(int) (s.executions % socketBuffer.length)] = (byte) sql.length();
            return s;
        }
    }

    static final class ConnectionPool {
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        final DbConnection[] all = new DbConnection[CONNECTIONS];
        long borrows;
        ConnectionPool() { for (int i = 0; i < CONNECTIONS; i++) idle.addLast(all[i] = new DbConnection("ff-db-" + (i + 1))); }
        DbConnection borrow() { borrows++; return idle.pollFirst(); }
        void release(DbConnection c) { idle.addLast(c); }
    }

    static final class QuoteEngine {
        final ConcurrentHashMap<QuoteKey, Quote> memo = new ConcurrentHashMap<>();
        final AtomicLong lookups = new AtomicLong(), hits = new AtomicLong();

        static QuoteKey normalise(QuoteRequest q) {
            return new QuoteKey(q.fairground().trim().toLowerCase(Locale.ROOT).intern(), q.rideGroup().trim().toLowerCase(Locale.ROOT).intern(),
                    q.ticketType().trim().toLowerCase(Locale.ROOT).intern(), q.ageBand().trim().toLowerCase(Locale.ROOT).intern(), q.peak());
        }

        Quote quote(QuoteRequest q) {
            lookups.incrementAndGet();
            QuoteKey key = normalise(q);
            Quote cached = memo.get(key);
            if (cached != null) { hits.incrementAndGet(); return cached; }
            Random r = new Random(key.hashCode());
            int[] bundle = new int[8];
            int base = 250 + r.nextInt(400) + (key.peak() ? 150 : 0);
            for (int i = 0; i < bundle.length; i++) bundle[i] = base * (i + 1) - i * 20;
            String cond = "Valid at " + key.fairground() + " on " + key.rideGroup() + " rides; " + key.ageBand() + " " + key.ticketType()
                    + (key.peak() ? ", peak evenings" : ", off-peak") + "; height limits apply, no refunds once the ride has started";
            Quote quote = new Quote(key, base, bundle, cond, q.requestedAt());
            memo.putIfAbsent(key, quote);
            return quote;
        }
    }

    static final class TicketService {
        final Map<String, FamilyPass> passes = new HashMap<>();
        final String[] passNos = new String[PASSES];
        final String[] rideCodes = new String[RIDES];
        final QuoteEngine quotes = new QuoteEngine();
        final ConnectionPool db = new ConnectionPool();
        final PhotoCache photos = new PhotoCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final GateScan[] scans = new GateScan[RING];
        final ArrayDeque<PrintJob> printQueue = new ArrayDeque<>();
        final AtomicLong scanCount = new AtomicLong(), rejected = new AtomicLong(), photosTaken = new AtomicLong(), printed = new AtomicLong(), photoViews = new AtomicLong();

        void runSql(Random r, long t, int statements) {
            DbConnection c = db.borrow();
            try {
                for (int k = 0; k < statements; k++) c.prepare(SQL[r.nextInt(SQL.length)], t);
            } finally {
                db.release(c);
            }
        }

        void scan(String passNo, String rideCode, long t) {
            boolean ok = passes.containsKey(passNo);
            if (!ok) rejected.incrementAndGet();
            scans[(int) (scanCount.getAndIncrement() % RING)] = new GateScan(passNo, rideCode, t, ok);
        }

        void photo(String photoId, String rideCode, Random r, long t) {
            RidePhoto p = photos.get(photoId);
            if (p == null) { photos.put(photoId, p = new RidePhoto(photoId, rideCode, new byte[1_500 + r.nextInt(1_000)], t)); photosTaken.incrementAndGet(); }
            else photoViews.incrementAndGet();
            if (r.nextInt(4) == 0) {
                byte[] buf = printBuffers.pollFirst();
                buf[(int) (t % buf.length)] = (byte) p.jpeg().length;
                printBuffers.addLast(buf);
                printQueue.addLast(new PrintJob(photoId, "K" + (1 + r.nextInt(40)), t));
            }
        }
    }

    static TicketService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String messy(String s, Random r) {
        switch (r.nextInt(4)) {
            case 0: return s;
            case 1: return s.toUpperCase(Locale.ROOT);
            case 2: return "  " + s + " ";
            default: return Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }
    }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(129_050_001);
        TicketService svc = new TicketService();
        SERVICE = svc;
        for (int i = 0; i < RIDES; i++) {
            double[] riders = new double[48];
            for (int j = 0; j < riders.length; j++) riders[j] = rnd.nextDouble() * 600;
            String code = "RD-" + (2_000 + i * 7);
            svc.rideCodes[i] = code;
            String group = RIDE_GROUPS[i % RIDE_GROUPS.length];
            RIDES_BY_CODE.put(code, new Ride(code, "Ride " + i + " (" + group + ", " + FAIRGROUNDS[i % FAIRGROUNDS.length] + ")", group, 90 + rnd.nextInt(50), riders));
        }
        for (int p = 0; p < PASSES; p++) {
            svc.passNos[p] = "FP-" + (7_300_000 + p * 13);
            svc.passes.put(svc.passNos[p], new FamilyPass(svc.passNos[p], "Family " + rnd.nextInt(900_000), FAIRGROUNDS[rnd.nextInt(FAIRGROUNDS.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(200)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.addLast(new byte[32_768]);

        Random quotes = new Random(129_050_002), scans = new Random(129_050_003), photos = new Random(129_050_004), sql = new Random(129_050_005);
        int photoSeq = 0;
        long reqSeq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < QUOTES_PER_MINUTE; k++) {
                long at = t + k * 1_200L;
                QuoteRequest q = new QuoteRequest("q-" + Long.toHexString(0x5f10_0000L + reqSeq++), at, messy(FAIRGROUNDS[quotes.nextInt(FAIRGROUNDS.length)], quotes),
                        messy(RIDE_GROUPS[quotes.nextInt(RIDE_GROUPS.length)], quotes), messy(TICKET_TYPES[quotes.nextInt(TICKET_TYPES.length)], quotes),
                        messy(AGE_BANDS[quotes.nextInt(AGE_BANDS.length)], quotes), quotes.nextBoolean());
                svc.quotes.quote(q);
                svc.runSql(sql, at, 2 + sql.nextInt(3));
            }
            for (int k = 0; k < SCANS_PER_MINUTE; k++) {
                String pass = scans.nextInt(40) == 0 ? "FP-VOID-" + scans.nextInt(500) : svc.passNos[scans.nextInt(PASSES)];
                svc.scan(pass, svc.rideCodes[scans.nextInt(RIDES)], t + k * 600L);
            }
            for (int k = 0; k < PHOTOS_PER_MINUTE; k++) {
                // a rider looks at their photo again at the kiosk (1 in 5), otherwise a new photo is taken
                String id = photoSeq > 0 && photos.nextInt(5) == 0 ? "PH" + (40_000_000 + photoSeq - 1 - photos.nextInt(Math.min(photoSeq, 300))) : "PH" + (40_000_000 + photoSeq++);
                svc.photo(id, svc.rideCodes[photos.nextInt(RIDES)], photos, t + k * 8_000L);
            }
            while (!svc.printQueue.isEmpty() && svc.printQueue.peekFirst().queuedAt() <= t - PRINT_LAG_MINUTES * MINUTE) {
                svc.printQueue.pollFirst();
                svc.printed.incrementAndGet();
            }
        }
    }

    static void report(int stage, int hours) {
        TicketService svc = SERVICE;
        int minutes = hours * 60;
        int statements = 0, minPerConn = Integer.MAX_VALUE, maxPerConn = 0;
        long prepares = 0;
        for (DbConnection c : svc.db.all) {
            statements += c.statementCache.size();
            minPerConn = Math.min(minPerConn, c.statementCache.size());
            maxPerConn = Math.max(maxPerConn, c.statementCache.size());
            prepares += c.prepares;
        }
        System.out.println("stage " + stage + " rides " + RIDES_BY_CODE.size() + " passes " + svc.passes.size() + " quotes " + svc.quotes.lookups.get() + " (hits " + svc.quotes.hits.get()
                + ") memo " + svc.quotes.memo.size() + " statements " + statements + " (" + minPerConn + ".." + maxPerConn + " per connection, prepares " + prepares + ", borrows " + svc.db.borrows
                + ") photos " + svc.photos.size() + " (taken " + svc.photosTaken.get() + ", views " + svc.photoViews.get() + ", evicted " + svc.photos.evicted + ") scans " + svc.scanCount.get()
                + " (rejected " + svc.rejected.get() + ") print queue " + svc.printQueue.size() + " (printed " + svc.printed.get() + ") pool " + svc.printBuffers.size() + "/" + svc.db.idle.size());
        check(RIDES_BY_CODE.size() == RIDES && svc.passes.size() == PASSES, "reference data / directory");
        check(svc.quotes.lookups.get() == (long) QUOTES_PER_MINUTE * minutes && svc.quotes.memo.size() == svc.quotes.lookups.get() - svc.quotes.hits.get(), "quote memo");
        int expectedMemo = stage == 1 ? 1_738 : stage == 2 ? 2_386 : 2_400;
        check(svc.quotes.memo.size() == expectedMemo, "quote memo entries " + svc.quotes.memo.size());
        check(statements == prepares && maxPerConn <= SQL.length && minPerConn == SQL.length, "statement caches " + statements);
        check(svc.db.borrows == (long) QUOTES_PER_MINUTE * minutes && svc.db.idle.size() == CONNECTIONS, "connection pool");
        check(stage == 1 ? svc.photos.evicted == 0 && svc.photos.size() < PHOTO_CAP : svc.photos.size() == PHOTO_CAP, "photo cache");
        check(svc.scanCount.get() == (long) SCANS_PER_MINUTE * minutes && svc.scans[(int) Math.min(RING, svc.scanCount.get()) - 1] != null, "scans");
        check(svc.printQueue.size() > 0 && svc.printQueue.size() < 100, "print backlog");
        check(svc.printBuffers.size() == POOL, "print buffer pool");
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
