// hprofscan-dump: name=val57-healthy-campervans-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val57-healthy-campervans-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val57-healthy-campervans jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val57-healthy-campervans-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 57 (written blind), HEALTHY: the rental service of a campervan hire company. Depot
 * reference data, the van directory, a cache of rendered rental quotes at its cap, a pool of
 * contract-printer buffers, a ring of telematics pings (filling in stage 1, full from stage 2), and
 * the look-alikes done right: request workers whose unit of work is cleared at the end of every
 * request, a replication ObjectOutputStream that is reset() after every flush, per-connection
 * statement caches holding only bound-parameter SQL, and a canonicalisation pool fed only from a
 * fixed vocabulary. Warms up, then plateaus. See VALIDATION57.md.
 */
public final class Val57HealthyCampervans {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 900, VANS = 18_000, QUOTE_CAP = 2_000, POOL = 8, RING = 16_384, WORKERS = 4, CONNECTIONS = 6, REQUESTS_PER_HOUR = 6_000;

    static final String[] TEMPLATES = {
        "SELECT reg, model, berths, mileage FROM van WHERE depot = ? AND available_from <= ?",
        "SELECT rental_id, starts_at, ends_at FROM rental WHERE reg = ? AND ends_at > ?",
        "INSERT INTO rental (rental_id, reg, customer, starts_at, ends_at) VALUES (?, ?, ?, ?, ?)",
        "UPDATE van SET mileage = ?, fuel = ? WHERE reg = ?",
        "SELECT extra_code, price FROM extra WHERE depot = ?",
        "UPDATE rental SET status = ? WHERE rental_id = ?",
        "SELECT COUNT(*) FROM rental WHERE depot = ? AND starts_at BETWEEN ? AND ?",
        "SELECT rental_id, reg, customer FROM rental WHERE rental_id = ?",
        "INSERT INTO ping (reg, lat, lon, at) VALUES (?, ?, ?, ?)",
    };
    static final String[] MODELS = {"VW California", "Ford Nugget", "Mercedes Marco Polo", "Fiat Ducato 2-berth", "Fiat Ducato 4-berth", "Renault Trafic", "Toyota Proace", "Citroen Relay"};
    static final String[] EXTRAS = {"Bike rack", "Awning", "Camping chairs", "Kitchen kit", "Bedding", "Dog pack", "Satnav", "Child seat", "Heater", "Solar panel"};

    record Depot(String code, String town, double[] fleetByWeek) {}
    record Van(String reg, String model, String depot, byte[] maintenanceLog, long inServiceSince) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Ping(String reg, double lat, double lon, long at) {}
    record EntityKey(String type, long id) {}

    static final class Rental { final long id; final String reg; final String customer; final long startsAt, endsAt; final byte[] terms;
        Rental(long id, String reg, String customer, long startsAt, long endsAt, byte[] terms) { this.id = id; this.reg = reg; this.customer = customer; this.startsAt = startsAt; this.endsAt = endsAt; this.terms = terms; } }

    /** Persistence context, cleared at the end of every request. */
    static final class UnitOfWork {
        final Map<EntityKey, Object> identityMap = new HashMap<>();
        long loads, hits, clears;
        Rental findRental(long id, String[] regs) {
            EntityKey k = new EntityKey("Rental", id);
            Object e = identityMap.get(k);
            if (e != null) { hits++; return (Rental) e; }
            Random r = new Random(id);
            Rental x = new Rental(id, regs[r.nextInt(regs.length)], "CUST-" + r.nextInt(90_000), EPOCH + (id - 1_700_000L) * MINUTE / 10, EPOCH + (id - 1_700_000L) * MINUTE / 10 + (2 + r.nextInt(12)) * 24 * HOUR, new byte[60 + r.nextInt(60)]);
            identityMap.put(k, x); loads++; return x;
        }
        void clear() { identityMap.clear(); clears++; }
    }

    static final class Worker { final int id; final UnitOfWork uow = new UnitOfWork(); long requests; Worker(int id) { this.id = id; } }

    static final class RentalEvent implements Serializable {
        private static final long serialVersionUID = 1L;
        final long rentalId; final String kind, reg; final long at; final byte[] payload;
        RentalEvent(long rentalId, String kind, String reg, long at, byte[] payload) { this.rentalId = rentalId; this.kind = kind; this.reg = reg; this.at = at; this.payload = payload; }
    }

    static final class ReplicaSocket extends OutputStream {
        long bytes;
        @Override public void write(int b) { bytes++; }
        @Override public void write(byte[] b, int off, int len) { bytes += len; }
    }

    /** Replication stream, reset after every flush so that written objects are not remembered. */
    static final class Replicator {
        final ReplicaSocket socket = new ReplicaSocket();
        final ObjectOutputStream out;
        long records, flushes;
        Replicator() throws IOException { out = new ObjectOutputStream(socket); }
        void write(RentalEvent e) throws IOException { out.writeObject(e); records++; }
        void flush() throws IOException { out.flush(); out.reset(); flushes++; }
    }

    static final class Stmt { final String sql; final byte[] plan; long uses; Stmt(String sql, byte[] plan) { this.sql = sql; this.plan = plan; } }

    static final class Connection {
        final int id; final Map<String, Stmt> statementCache = new HashMap<>(); long prepares;
        Connection(int id) { this.id = id; }
        Stmt prepare(String sql, Random r) { Stmt s = statementCache.get(sql); if (s == null) { s = new Stmt(sql, new byte[60 + r.nextInt(60)]); statementCache.put(sql, s); prepares++; } s.uses++; return s; }
    }

    static final class Canonicalizer {
        final Map<String, String> pool = new HashMap<>();
        String canon(String s) { String c = pool.putIfAbsent(s, s); return c == null ? s : c; }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class RentalService {
        final Canonicalizer canon = new Canonicalizer();
        final Map<String, Van> vans = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> contractBuffers = new ArrayDeque<>();
        final Ping[] pings = new Ping[RING];
        long pingsWritten;
        final Worker[] workers = new Worker[WORKERS];
        final Connection[] connections = new Connection[CONNECTIONS];
        Replicator replicator;
    }

    static RentalService SERVICE;
    static long EPOCH; // start of the simulated period

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        EPOCH = start;
        Random rnd = new Random(57_050_001);
        RentalService svc = new RentalService();
        SERVICE = svc;
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] fleet = new double[64];
            for (int k = 0; k < fleet.length; k++) fleet[k] = rnd.nextDouble() * 30;
            depotCodes[d] = svc.canon.canon("CV-" + (100 + d));
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], svc.canon.canon("Town " + (d % 200)), fleet));
        }
        String[] regs = new String[VANS];
        for (int v = 0; v < VANS; v++) {
            regs[v] = "CV" + (10 + v / 1_000) + " " + (char) ('A' + v % 26) + (char) ('A' + (v / 26) % 26) + (char) ('A' + (v / 676) % 26) + v % 10;
            svc.vans.put(regs[v], new Van(regs[v], svc.canon.canon(new String(MODELS[v % MODELS.length])), depotCodes[rnd.nextInt(DEPOTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (String x : EXTRAS) svc.canon.canon(new String(x));
        int vocabulary = svc.canon.pool.size();
        for (int b = 0; b < POOL; b++) svc.contractBuffers.add(new byte[32_768]);
        for (int w = 0; w < WORKERS; w++) svc.workers[w] = new Worker(w);
        for (int c = 0; c < CONNECTIONS; c++) svc.connections[c] = new Connection(c);
        svc.replicator = new Replicator();
        Random traffic = new Random(57_050_002);
        Random plans = new Random(57_050_003);
        String[] kinds = {"PICKED_UP", "RETURNED", "EXTENDED", "DAMAGE_REPORTED"};
        long nextFlush = start + MINUTE;
        long nextRental = 1_700_000L;
        int maxIdentity = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextFlush <= t) { svc.replicator.flush(); nextFlush += MINUTE; }
            Worker w = svc.workers[i % WORKERS];
            w.requests++;
            long rid = traffic.nextInt(100) < 50 || nextRental == 1_700_000L ? nextRental++ : nextRental - 1 - traffic.nextInt((int) Math.min(2_000, nextRental - 1_700_000L));
            Rental r = w.uow.findRental(rid, regs);
            Connection c = svc.connections[i % CONNECTIONS];
            c.prepare(TEMPLATES[7], plans); // by rental id, bound
            c.prepare(TEMPLATES[traffic.nextInt(TEMPLATES.length)], plans);
            maxIdentity = Math.max(maxIdentity, w.uow.identityMap.size());
            w.uow.clear(); // end of request: the unit of work is cleared
            if (i % 2 == 0) svc.replicator.write(new RentalEvent(r.id, kinds[traffic.nextInt(kinds.length)], r.reg, t, new byte[40 + traffic.nextInt(40)]));
            svc.canon.canon(EXTRAS[traffic.nextInt(EXTRAS.length)]);
            svc.pings[(int) (svc.pingsWritten++ % RING)] = new Ping(regs[traffic.nextInt(VANS)], 50 + traffic.nextDouble() * 8, -5 + traffic.nextDouble() * 7, t);
            String key = "quote-" + traffic.nextInt(4_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.contractBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.contractBuffers.add(buf);
        }
        svc.replicator.flush();
        long cached = 0;
        for (Connection c : svc.connections) cached += c.statementCache.size();
        long mapped = 0;
        for (Worker w : svc.workers) mapped += w.uow.identityMap.size();
        System.out.println("stage " + stage + " depots " + DEPOTS_BY_CODE.size() + " vans " + svc.vans.size() + " canon " + svc.canon.pool.size() + " identity maps " + mapped + " (max " + maxIdentity + ", rentals " + (nextRental - 1_700_000L)
                + ") statements " + cached + " replicated " + svc.replicator.records + " in " + svc.replicator.flushes + " flushes (" + svc.replicator.socket.bytes + " bytes) quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted
                + ") pool " + svc.contractBuffers.size() + " pings " + svc.pingsWritten);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.vans.size() == VANS, "reference data / directory");
        check(svc.canon.pool.size() == vocabulary && vocabulary == DEPOTS + 200 + MODELS.length + EXTRAS.length, "canon vocabulary " + vocabulary);
        check(mapped == 0 && maxIdentity == 1, "units of work cleared");
        check(cached == (long) CONNECTIONS * TEMPLATES.length, "bound statements only: " + cached);
        check(svc.replicator.records == requests / 2 && svc.replicator.flushes == hours * 60L - 1, "replication: " + svc.replicator.flushes);
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.contractBuffers.size() == POOL, "pool");
        check(svc.pingsWritten == requests && (requests < RING ? svc.pings[requests - 1] != null && svc.pings[requests] == null : svc.pings[RING - 1] != null), "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
