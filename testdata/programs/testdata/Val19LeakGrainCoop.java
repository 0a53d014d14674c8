// hprofscan-dump: name=val19-leak-graincoop-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val19-leak-graincoop-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val19-leak-graincoop jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val19-leak-graincoop-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 19 (written blind), LEAK: the settlement service of a grain cooperative. The
 * harvest settlement batch job runs for hours over the season's delivery tickets; it opens one
 * persistence session (a Hibernate-like unit of work with an identity map keyed by entity class
 * and id) when it starts and loads each ticket, its lab sample, the member and the contract
 * through it. The bug: the job never flushes and clears the session per chunk, so every entity
 * it ever loaded stays in the session's first-level cache while the job runs. Legitimate beside
 * it: the member portal's per-request sessions (opened and closed), the second-level cache at its
 * cap, the grade table, elevator sites and price history (reference data), a JDBC-like
 * connection pool and a fixed HTTP pool. Series: stage 1 the job has run 2 h, stage 2 4 h,
 * stage 3 8 h. See testdata/VALIDATION19.md.
 */
public final class Val19LeakGrainCoop {
    static final int MEMBERS = 7_000;
    static final int CONTRACTS_PER_MEMBER = 3;
    static final int GRADES = 3_000;
    static final int SITES = 400;
    static final int PRICE_SERIES = 3_000;
    static final int PARCELS = 60_000;
    static final int TICKETS_PER_HOUR = 1_100;
    static final int PORTAL_REQUESTS_PER_HOUR = 3_000;
    static final int L2_CAP = 10_000;
    static final int DB_CONNECTIONS = 20;
    static final int HTTP_THREADS = 12;
    static final int CHUNK = 250;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static SettlementService SETTLEMENT;

    /** Identity of an entity in a persistence context: its class and its id. */
    static final class EntityKey {
        final Class<?> type; final long id;
        EntityKey(Class<?> type, long id) { this.type = type; this.id = id; }
        @Override public boolean equals(Object o) { return o instanceof EntityKey && ((EntityKey) o).type == type && ((EntityKey) o).id == id; }
        @Override public int hashCode() { return Objects.hash(type.getName(), id); }
    }

    static final class Member { final long id; final String name; final String farm; final String iban; final long joinedAt; final int[] acreageByCrop;
        Member(long id, String name, String farm, String iban, long joinedAt, int[] acreageByCrop) { this.id = id; this.name = name; this.farm = farm; this.iban = iban; this.joinedAt = joinedAt; this.acreageByCrop = acreageByCrop; } }
    static final class Contract { final long id; final long memberId; final String crop; final long tonnes; final double pricePerTonne; final long signedAt;
        Contract(long id, long memberId, String crop, long tonnes, double pricePerTonne, long signedAt) { this.id = id; this.memberId = memberId; this.crop = crop; this.tonnes = tonnes; this.pricePerTonne = pricePerTonne; this.signedAt = signedAt; } }
    static final class DeliveryTicket { final long id; final long memberId; final long contractId; final int siteId; final long weighedAt; final int grossKg; final int tareKg; final String driverNote; long settledCents;
        DeliveryTicket(long id, long memberId, long contractId, int siteId, long weighedAt, int grossKg, int tareKg, String driverNote) { this.id = id; this.memberId = memberId; this.contractId = contractId; this.siteId = siteId; this.weighedAt = weighedAt; this.grossKg = grossKg; this.tareKg = tareKg; this.driverNote = driverNote; } }
    static final class LabSample { final long id; final long ticketId; final float moisture; final float protein; final float[] nirSpectrum; final String gradeCode; final long analysedAt;
        LabSample(long id, long ticketId, float moisture, float protein, float[] nirSpectrum, String gradeCode, long analysedAt) { this.id = id; this.ticketId = ticketId; this.moisture = moisture; this.protein = protein; this.nirSpectrum = nirSpectrum; this.gradeCode = gradeCode; this.analysedAt = analysedAt; } }

    static final class Grade { final String code; final String description; final double[] limits;
        Grade(String code, String description, double[] limits) { this.code = code; this.description = description; this.limits = limits; } }
    static final class ElevatorSite { final int id; final String name; final String county; final int capacityTonnes; final int[] binCapacities;
        ElevatorSite(int id, String name, String county, int capacityTonnes, int[] binCapacities) { this.id = id; this.name = name; this.county = county; this.capacityTonnes = capacityTonnes; this.binCapacities = binCapacities; } }

    /** Reference data, loaded at startup. */
    static final class GradeTable { static final Map<String, Grade> BY_CODE = new HashMap<>(); static final List<String> CODES = new ArrayList<>(); }
    static final class Parcel { final String id; final long memberId; final double hectares; final String soilType; final float[] soilSamples;
        Parcel(String id, long memberId, double hectares, String soilType, float[] soilSamples) { this.id = id; this.memberId = memberId; this.hectares = hectares; this.soilType = soilType; this.soilSamples = soilSamples; } }
    static final class FieldRegistry { static final Map<String, Parcel> BY_PARCEL = new HashMap<>(); }
    static final class PriceHistory { static final Map<String, double[]> BY_CROP_AND_SITE = new HashMap<>(); }

    /** "The database": rows are materialised on every load (nothing of it lives in the heap). */
    static final class Database {
        long loads;
        Object load(Class<?> type, long id) {
            loads++;
            Random r = new Random(id * 31 + type.getSimpleName().length());
            if (type == Member.class) { int[] acres = new int[12]; for (int i = 0; i < acres.length; i++) acres[i] = r.nextInt(400); return new Member(id, "Member " + id, "Farm " + (id % 5_000) + " Holdings", "DE89" + (370_400_440_532_013_000L + id), 946_684_800_000L + (id % 7_000) * 86_400_000L, acres); }
            if (type == Contract.class) return new Contract(id, id / 10, r.nextBoolean() ? "wheat" : "barley", 50 + r.nextInt(900), 180 + r.nextDouble() * 60, 1_680_000_000_000L + r.nextInt(1_000) * 86_400_000L);
            throw new IllegalArgumentException(type.getName());
        }
    }

    /** A Hibernate-like session: the identity map is its first-level cache. */
    static final class PersistenceSession {
        final long openedAt; final String owner;
        final Map<EntityKey, Object> identityMap = new HashMap<>();
        final List<Object> actionQueue = new ArrayList<>();
        boolean closed;
        final SessionFactory factory;
        PersistenceSession(SessionFactory factory, String owner, long openedAt) { this.factory = factory; this.owner = owner; this.openedAt = openedAt; }

        <T> T get(Class<T> type, long id) {
            EntityKey k = new EntityKey(type, id);
            Object e = identityMap.get(k);
            if (e == null) {
                Object cached = factory.l2.get(k); // the second-level cache keeps its own copy (the "disassembled state")
                if (cached == null) { cached = factory.db.load(type, id); factory.l2.put(k, cached); } else factory.l2Hits++;
                e = copyOf(cached);
                identityMap.put(k, e);
            }
            return type.cast(e);
        }
        static Object copyOf(Object o) {
            if (o instanceof Member) { Member m = (Member) o; return new Member(m.id, m.name, m.farm, m.iban, m.joinedAt, m.acreageByCrop.clone()); }
            Contract c = (Contract) o;
            return new Contract(c.id, c.memberId, c.crop, c.tonnes, c.pricePerTonne, c.signedAt);
        }
        void attach(Object entity, Class<?> type, long id) { identityMap.put(new EntityKey(type, id), entity); }
        void update(Object entity) { actionQueue.add(entity); }
        void flush() { factory.flushedUpdates += actionQueue.size(); actionQueue.clear(); }
        void clear() { identityMap.clear(); }
        void close() { flush(); clear(); closed = true; factory.open.remove(this); }
    }

    static final class L2Cache extends LinkedHashMap<EntityKey, Object> {
        long evicted;
        L2Cache() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<EntityKey, Object> e) { if (size() > L2_CAP) { evicted++; return true; } return false; }
    }

    static final class SessionFactory {
        final Database db = new Database();
        final L2Cache l2 = new L2Cache();
        final Set<PersistenceSession> open = ConcurrentHashMap.newKeySet();
        long opened, flushedUpdates, l2Hits;
        PersistenceSession openSession(String owner, long t) { PersistenceSession s = new PersistenceSession(this, owner, t); open.add(s); opened++; return s; }
    }

    static final class DbConnection { final int id; final byte[] socketBuffer = new byte[16 * 1024]; final Map<String, String> statementCache = new HashMap<>();
        DbConnection(int id) { this.id = id; for (int i = 0; i < 24; i++) statementCache.put("stmt-" + i, "SELECT t.* FROM settlement_" + i + " t WHERE t.member_id = ? AND t.season = ?"); } }

    /** The harvest settlement job: runs for hours, one session for the whole run. */
    static final class SettlementJob {
        final String jobId; final long startedAt; final PersistenceSession session; final boolean fixed;
        long ticketsSettled; long totalCents;
        SettlementJob(String jobId, long startedAt, PersistenceSession session, boolean fixed) { this.jobId = jobId; this.startedAt = startedAt; this.session = session; this.fixed = fixed; }

        void settle(long ticketId, long t, Random rnd) {
            long memberId = 10_000 + rnd.nextInt(MEMBERS);
            long contractId = memberId * 10 + rnd.nextInt(CONTRACTS_PER_MEMBER);
            DeliveryTicket ticket = new DeliveryTicket(ticketId, memberId, contractId, rnd.nextInt(SITES), t - rnd.nextInt(30) * 86_400_000L, 18_000 + rnd.nextInt(22_000), 12_000 + rnd.nextInt(3_000), "Driver note: trailer " + rnd.nextInt(900) + ", bay " + rnd.nextInt(12) + ", sample taken at intake");
            session.attach(ticket, DeliveryTicket.class, ticketId);
            float[] nir = new float[140];
            for (int i = 0; i < nir.length; i++) nir[i] = rnd.nextFloat();
            LabSample sample = new LabSample(ticketId + 500_000_000L, ticketId, 10 + rnd.nextFloat() * 8, 9 + rnd.nextFloat() * 6, nir, GradeTable.CODES.get(rnd.nextInt(GRADES)), ticket.weighedAt + 20 * MINUTE);
            session.attach(sample, LabSample.class, sample.id);
            Member m = session.get(Member.class, memberId);
            Contract c = session.get(Contract.class, contractId);
            ticket.settledCents = Math.round((ticket.grossKg - ticket.tareKg) / 1000.0 * c.pricePerTonne * 100) + m.acreageByCrop[0];
            totalCents += ticket.settledCents;
            session.update(ticket);
            ticketsSettled++;
            if (ticketsSettled % CHUNK == 0) {
                session.flush();
                if (fixed) session.clear(); // BUG in the leak run: the identity map is never cleared
            }
        }
    }

    static final class SettlementService {
        final SessionFactory factory = new SessionFactory();
        final Map<String, ElevatorSite> sites = new HashMap<>();
        final Map<String, SettlementJob> runningJobs = new ConcurrentHashMap<>();
        final ArrayDeque<DbConnection> idleConnections = new ArrayDeque<>();
        final AtomicInteger httpSeq = new AtomicInteger();
        final ThreadPoolExecutor http = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "coop-portal-" + httpSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        long portalRequests;

        /** Member portal: a request-scoped session, closed at the end of the request (healthy). */
        long memberStatement(long memberId, long t) {
            DbConnection conn = idleConnections.poll();
            PersistenceSession s = factory.openSession("portal-request", t);
            try {
                Member m = s.get(Member.class, memberId);
                long sum = 0;
                for (int k = 0; k < CONTRACTS_PER_MEMBER; k++) sum += s.get(Contract.class, memberId * 10 + k).tonnes;
                portalRequests++;
                return sum + m.acreageByCrop[1];
            } finally {
                s.close();
                idleConnections.push(conn);
            }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val19.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(19_030_001);
        SettlementService svc = new SettlementService();
        SETTLEMENT = svc;
        for (int i = 0; i < 40; i++) svc.config.setProperty("settlement.deduction.rule" + i, Double.toString(0.5 + i * 0.1));
        for (int g = 0; g < GRADES; g++) {
            double[] limits = new double[12];
            for (int k = 0; k < limits.length; k++) limits[k] = rnd.nextDouble() * 20;
            String code = (g % 2 == 0 ? "WHT-" : "BAR-") + (1_000 + g);
            GradeTable.BY_CODE.put(code, new Grade(code, "Grade " + code + ": max moisture " + (12 + g % 5) + "%, min protein " + (9 + g % 6) + "%, test weight " + (70 + g % 9) + " kg/hl", limits));
            GradeTable.CODES.add(code);
        }
        for (int s = 0; s < SITES; s++) {
            int[] bins = new int[24];
            for (int k = 0; k < bins.length; k++) bins[k] = 500 + rnd.nextInt(4_000);
            svc.sites.put("ELV-" + (100 + s), new ElevatorSite(s, "Elevator " + s, "County " + (s % 40), 20_000 + rnd.nextInt(80_000), bins));
        }
        String[] crops = {"wheat", "barley", "rapeseed", "oats"};
        for (int p = 0; p < PRICE_SERIES; p++) {
            double[] daily = new double[365];
            for (int k = 0; k < daily.length; k++) daily[k] = 150 + rnd.nextDouble() * 120;
            PriceHistory.BY_CROP_AND_SITE.put(crops[p % crops.length] + "@ELV-" + (100 + p / crops.length), daily);
        }
        String[] soils = {"loam", "clay loam", "sandy loam", "silt", "chalk"};
        for (int f = 0; f < PARCELS; f++) {
            float[] samples = new float[32];
            for (int k = 0; k < samples.length; k++) samples[k] = rnd.nextFloat() * 9;
            String id = "PCL-" + (2_000_000 + f);
            FieldRegistry.BY_PARCEL.put(id, new Parcel(id, 10_000 + rnd.nextInt(MEMBERS), 1 + rnd.nextDouble() * 60, soils[f % soils.length], samples));
        }
        for (int c = 0; c < DB_CONNECTIONS; c++) svc.idleConnections.push(new DbConnection(c));
        CyclicBarrier ready = new CyclicBarrier(HTTP_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < HTTP_THREADS; w++) warm.add(svc.http.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        PersistenceSession jobSession = svc.factory.openSession("harvest-settlement-2026", start);
        SettlementJob job = new SettlementJob("harvest-settlement-2026", start, jobSession, fixed);
        svc.runningJobs.put(job.jobId, job);
        int tickets = (int) (TICKETS_PER_HOUR * hours);
        int portal = (int) (PORTAL_REQUESTS_PER_HOUR * hours);
        Set<Long> membersSeen = new HashSet<>();
        Set<Long> contractsSeen = new HashSet<>();
        Random portalRnd = new Random(19_030_002);
        int p = 0;
        for (int i = 0; i < tickets; i++) {
            long t = start + (now - start) * i / tickets;
            while (p < (long) portal * (i + 1) / tickets) { svc.memberStatement(10_000 + portalRnd.nextInt(MEMBERS), t); p++; }
            long before = job.session.identityMap.size();
            job.settle(90_000_000L + i, t, rnd);
            if (!fixed) check(job.session.identityMap.size() - before >= 2, "identity map grows");
        }
        // the members and contracts the job touched (identity map dedups them)
        for (Object e : job.session.identityMap.values()) {
            if (e instanceof Member) membersSeen.add(((Member) e).id);
            if (e instanceof Contract) contractsSeen.add(((Contract) e).id);
        }
        int entries = job.session.identityMap.size();
        System.out.println((fixed ? "FIXED " : "") + "stage " + stage + " grades " + GradeTable.BY_CODE.size() + " sites " + svc.sites.size() + " price series " + PriceHistory.BY_CROP_AND_SITE.size() + " parcels " + FieldRegistry.BY_PARCEL.size() + " tickets settled " + job.ticketsSettled + " job identity map " + entries + " (members " + membersSeen.size() + ", contracts " + contractsSeen.size() + ") pending updates " + job.session.actionQueue.size() + " portal requests " + svc.portalRequests + " sessions opened " + svc.factory.opened + " open " + svc.factory.open.size() + " l2 " + svc.factory.l2.size() + " (evicted " + svc.factory.l2.evicted + ", hits " + svc.factory.l2Hits + ") db loads " + svc.factory.db.loads);
        check(GradeTable.BY_CODE.size() == GRADES && svc.sites.size() == SITES && PriceHistory.BY_CROP_AND_SITE.size() == PRICE_SERIES && FieldRegistry.BY_PARCEL.size() == PARCELS, "reference data");
        check(job.ticketsSettled == tickets && svc.portalRequests == portal, "traffic");
        if (fixed) check(entries <= 2 * CHUNK + 2 * CHUNK, "fixed job clears per chunk");
        else check(entries == 2 * tickets + membersSeen.size() + contractsSeen.size(), "job identity map");
        check(svc.factory.open.size() == 1 && svc.factory.open.contains(jobSession) && svc.factory.opened == portal + 1, "only the job's session is open");
        check(svc.factory.l2.size() == L2_CAP && svc.factory.l2.evicted > 0, "second-level cache at its cap");
        check(svc.idleConnections.size() == DB_CONNECTIONS && svc.http.getPoolSize() == HTTP_THREADS, "pools");
        membersSeen = null;
        contractsSeen = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
