// hprofscan-dump: name=val57-leak-movingcompany-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val57-leak-movingcompany-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val57-leak-movingcompany jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val57-leak-movingcompany-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 57 (written blind), LEAK: the job-planning service of a removals (moving) company.
 * Depot reference data, the customer directory, a cache of rendered moving quotes at its cap, a pool
 * of crate-label buffers, a ring of recent move events, and 4 request workers. Each worker opens one
 * unit of work (a persistence context with an identity map of loaded entities) when it starts and
 * never closes or clears it, so every move job and crew member any request loads through it stays
 * in its identity map. See VALIDATION57.md.
 */
public final class Val57LeakMovingCompany {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 1_100, CUSTOMERS = 24_000, QUOTE_CAP = 2_000, POOL = 8, RING = 4_096, WORKERS = 4, CREW = 300,
            REQUESTS_PER_HOUR = 5_000;
    static boolean FIXED;

    record Depot(String code, String city, double[] truckAvailability) {}
    record Customer(String account, String name, byte[] profile, long since) {}
    record Quote(String key, byte[] rendered, long at) {}
    record MoveEvent(long jobId, String account, String status, long at) {}
    record EntityKey(String type, long id) {}

    /** An entity loaded from the jobs table. */
    static final class MoveJob {
        final long id; final String account, fromPostcode, toPostcode; final long scheduledAt; int crates; final byte[] inventory;
        MoveJob(long id, String account, String fromPostcode, String toPostcode, long scheduledAt, int crates, byte[] inventory) {
            this.id = id; this.account = account; this.fromPostcode = fromPostcode; this.toPostcode = toPostcode;
            this.scheduledAt = scheduledAt; this.crates = crates; this.inventory = inventory;
        }
    }

    /** An entity loaded from the crew table. */
    static final class CrewMember {
        final long id; final String name, licence;
        CrewMember(long id, String name, String licence) { this.id = id; this.name = name; this.licence = licence; }
    }

    /** Stand-in for the database: materialises a row as a new entity instance on every load. */
    static final class Database {
        final String[] accounts; final long epoch;
        long rowsRead;
        Database(String[] accounts, long epoch) { this.accounts = accounts; this.epoch = epoch; }
        MoveJob loadJob(long id) {
            rowsRead++;
            Random r = new Random(id);
            return new MoveJob(id, accounts[r.nextInt(accounts.length)], "PC" + (10_000 + r.nextInt(80_000)), "PC" + (10_000 + r.nextInt(80_000)),
                    epoch + (long) r.nextInt(30 * 24) * HOUR, 5 + r.nextInt(60), new byte[60 + r.nextInt(60)]);
        }
        CrewMember loadCrew(long id) { rowsRead++; return new CrewMember(id, "Crew " + id, "LIC-" + (400_000 + id)); }
    }

    /** Persistence context: every entity loaded through it is kept in the identity map until clear() / close(). */
    static final class UnitOfWork {
        final Map<EntityKey, Object> identityMap = new HashMap<>();
        final Database db; final long openedAt;
        long loads, hits, clears;
        UnitOfWork(Database db, long openedAt) { this.db = db; this.openedAt = openedAt; }
        MoveJob findJob(long id) {
            EntityKey k = new EntityKey("MoveJob", id);
            Object e = identityMap.get(k);
            if (e != null) { hits++; return (MoveJob) e; }
            MoveJob j = db.loadJob(id); identityMap.put(k, j); loads++; return j;
        }
        CrewMember findCrew(long id) {
            EntityKey k = new EntityKey("CrewMember", id);
            Object e = identityMap.get(k);
            if (e != null) { hits++; return (CrewMember) e; }
            CrewMember c = db.loadCrew(id); identityMap.put(k, c); loads++; return c;
        }
        void clear() { identityMap.clear(); clears++; }
    }

    static final class Worker {
        final int id; final UnitOfWork uow; long requests;
        Worker(int id, UnitOfWork uow) { this.id = id; this.uow = uow; }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class PlanningService {
        final Map<String, Customer> customers = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final MoveEvent[] recent = new MoveEvent[RING];
        long events;
        Worker[] workers;
        Database db;
    }

    static PlanningService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val57.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(57_010_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] avail = new double[64];
            for (int k = 0; k < avail.length; k++) avail[k] = rnd.nextDouble() * 12;
            depotCodes[d] = "DEP-" + (3_000 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "City " + (d % 250), avail));
        }
        PlanningService svc = new PlanningService();
        SERVICE = svc;
        String[] accounts = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            accounts[c] = "MV" + (60_000_000 + c * 3);
            svc.customers.put(accounts[c], new Customer(accounts[c], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        svc.db = new Database(accounts, start);
        svc.workers = new Worker[WORKERS];
        for (int w = 0; w < WORKERS; w++) svc.workers[w] = new Worker(w, new UnitOfWork(svc.db, start)); // opened once per worker
        Random traffic = new Random(57_010_002);
        String[] statuses = {"QUOTED", "BOOKED", "PACKED", "IN_TRANSIT", "DELIVERED"};
        long nextJobId = 8_000_000L;
        Set<EntityKey>[] distinct = new Set[WORKERS]; // what each worker's requests loaded (for the self-check)
        for (int w = 0; w < WORKERS; w++) distinct[w] = new HashSet<>();
        int maxPerRequest = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            Worker w = svc.workers[i % WORKERS];
            w.requests++;
            long jobId = traffic.nextInt(100) < 55 || nextJobId == 8_000_000L ? nextJobId++ : nextJobId - 1 - traffic.nextInt((int) Math.min(3_000, nextJobId - 8_000_000L));
            MoveJob job = w.uow.findJob(jobId);
            CrewMember crew = w.uow.findCrew(traffic.nextInt(CREW));
            if (!FIXED) { distinct[w.id].add(new EntityKey("MoveJob", jobId)); distinct[w.id].add(new EntityKey("CrewMember", crew.id)); }
            job.crates++;
            svc.recent[(int) (svc.events++ % RING)] = new MoveEvent(job.id, job.account, statuses[traffic.nextInt(statuses.length)], t);
            String key = "quote-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
            maxPerRequest = Math.max(maxPerRequest, w.uow.identityMap.size());
            if (FIXED) w.uow.clear(); // the fix: the unit of work is cleared (closed) at the end of every request
        }
        long mapped = 0, loads = 0;
        for (Worker w : svc.workers) { mapped += w.uow.identityMap.size(); loads += w.uow.loads; }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " depots " + DEPOTS_BY_CODE.size() + " customers " + svc.customers.size() + " jobs created " + (nextJobId - 8_000_000L)
                + " identity maps " + svc.workers[0].uow.identityMap.size() + "/" + svc.workers[1].uow.identityMap.size() + "/" + svc.workers[2].uow.identityMap.size() + "/" + svc.workers[3].uow.identityMap.size()
                + " total " + mapped + " loads " + loads + " rows " + svc.db.rowsRead + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.labelBuffers.size() + " events " + svc.events);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        if (FIXED) check(mapped == 0 && maxPerRequest <= 2, "cleared units of work");
        else for (Worker w : svc.workers) check(w.uow.identityMap.size() == distinct[w.id].size() && w.uow.loads == distinct[w.id].size(), "identity map keeps every loaded entity");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.events == requests && svc.recent[RING - 1] != null, "ring");
        distinct = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
