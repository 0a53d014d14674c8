// hprofscan-dump: name=val92-healthy-cropsprayers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val92-healthy-cropsprayers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val92-healthy-cropsprayers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val92-healthy-cropsprayers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 92 (written blind), HEALTHY: the job service of a drone crop-spraying contractor.
 * Field reference data, the drone directory, event-sourced farm accounts whose snapshot job runs
 * every 10 minutes and truncates the event lists, a de-duplicator of spray-quote requests that
 * removes its entry on every outcome ({@code whenComplete}), an LRU of operator profiles capped at
 * 3,000 whose e-mail index is kept in step on eviction, a ring of flight records, and a pool of
 * nozzle-controller buffers. Warms up, then plateaus. See VALIDATION92.md.
 */
public final class Val92HealthyCropSprayers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TIMEOUT_MS = 10_000L;
    static final int FIELDS = 1_400, DRONES = 22_000, ACCOUNTS = 1_200, OPERATOR_CAP = 3_000, POOL = 8, FLIGHT_RING = 8_192, COMMANDS_PER_HOUR = 6_000,
            SNAPSHOT_MIN_EVENTS = 8, OPERATORS_BEFORE = 20_000;
    static final String[] DOMAINS = {"agri.example", "farmmail.example", "coop.example", "fields.example"};

    record Field(String code, String crop, double[] sprayWindows) {}
    record Drone(String tail, String model, byte[] airworthiness, long certifiedAt) {}
    record AccountEvent(long seq, String type, long amountCents, long at, byte[] payload) {}
    record Snapshot(long version, long balanceCents, long hectares, long at) {}
    record SprayRequest(long requestId, String farmRef, String fieldCode, String product, int hectares, long at, byte[] mapPolygon) {}
    record SprayQuote(String fingerprint, long priceCents, long issuedAt, long validUntil, byte[] conditions) {}
    record Operator(String id, String email, String name, String licence, byte[] profile, long since) {}
    record Flight(String tail, String fieldCode, int hectares, long at) {}
    record PendingCall(long dueAt, long seq, int outcome, String fingerprint, SprayRequest request, CompletableFuture<SprayQuote> future) {}

    static final class FarmAccount {
        final String accountNo; long version, balanceCents, hectares;
        List<AccountEvent> events = new ArrayList<>();
        Snapshot snapshot;
        FarmAccount(String accountNo) { this.accountNo = accountNo; }
    }

    static final class AccountRepository {
        final Map<String, FarmAccount> aggregates = new HashMap<>();
        long appended, jobRuns, snapshots, truncated;
        void append(FarmAccount a, AccountEvent e, int ha) { a.events.add(e); a.version++; a.balanceCents += e.amountCents(); a.hectares += ha; appended++; }
        /** The snapshot job: every 10 minutes. */
        void snapshotJob(long at) {
            jobRuns++;
            for (FarmAccount a : aggregates.values()) {
                if (a.events.size() >= SNAPSHOT_MIN_EVENTS) {
                    a.snapshot = new Snapshot(a.version, a.balanceCents, a.hectares, at);
                    truncated += a.events.size();
                    a.events = new ArrayList<>();
                    snapshots++;
                }
            }
        }
    }

    static final class QuoteDeduplicator {
        final ConcurrentHashMap<String, CompletableFuture<SprayQuote>> inFlight = new ConcurrentHashMap<>();
        long started, joined;
        CompletableFuture<SprayQuote> begin(String fp) {
            CompletableFuture<SprayQuote> running = inFlight.get(fp);
            if (running != null && !running.isDone()) { joined++; return running; }
            CompletableFuture<SprayQuote> f = new CompletableFuture<>();
            inFlight.put(fp, f);
            started++;
            f.whenComplete((q, ex) -> inFlight.remove(fp, f)); // on every outcome
            return f;
        }
    }

    static final class OperatorLru extends LinkedHashMap<String, Operator> {
        final Map<String, String> index; long evicted;
        OperatorLru(Map<String, String> index) { super(4_096, 0.75f, true); this.index = index; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Operator> eldest) {
            if (size() <= OPERATOR_CAP) return false;
            evicted++;
            index.remove(eldest.getValue().email());
            return true;
        }
    }

    static final class OperatorCache {
        final Map<String, String> idByEmail = new HashMap<>();
        final OperatorLru byId = new OperatorLru(idByEmail);
        long hits, loads;
        Operator byEmail(long no, long now) {
            String id = idByEmail.get(email(no));
            Operator o = id == null ? null : byId.get(id);
            if (o != null) { hits++; return o; }
            Random r = new Random(92_050_100L + no);
            o = new Operator("OP" + (3_000_000 + no), email(no), "Operator " + no, "UAS-" + (10_000 + no % 9_000), new byte[160 + r.nextInt(160)], now - (long) (1 + r.nextInt(1_500)) * 24 * HOUR);
            byId.put(o.id(), o);
            idByEmail.put(o.email(), o.id());
            loads++;
            return o;
        }
    }

    static String email(long n) { return "pilot" + (7_000_000 + n * 11) + "@" + DOMAINS[(int) (n % DOMAINS.length)]; }

    static final Map<String, Field> FIELDS_BY_CODE = new HashMap<>();

    static final class SprayService {
        final Map<String, Drone> drones = new HashMap<>();
        final AccountRepository accounts = new AccountRepository();
        final QuoteDeduplicator quotes = new QuoteDeduplicator();
        final PriorityQueue<PendingCall> pricingCalls = new PriorityQueue<>((a, b) -> a.dueAt() != b.dueAt() ? Long.compare(a.dueAt(), b.dueAt()) : Long.compare(a.seq(), b.seq()));
        final OperatorCache operators = new OperatorCache();
        final Flight[] flightLog = new Flight[FLIGHT_RING];
        final ArrayDeque<byte[]> nozzleBuffers = new ArrayDeque<>();
        long flights, issued, declined, timedOut;
        void completeDue(long upTo, Random r) {
            while (!pricingCalls.isEmpty() && pricingCalls.peek().dueAt() <= upTo) {
                PendingCall c = pricingCalls.poll();
                if (c.outcome() == 0) { issued++; c.future().complete(new SprayQuote(c.fingerprint(), 4_000L * c.request().hectares(), c.dueAt(), c.dueAt() + 48 * HOUR, new byte[80 + r.nextInt(80)])); }
                else if (c.outcome() == 1) { declined++; c.future().completeExceptionally(new IllegalStateException("no drone with a free slot")); }
                else { timedOut++; c.future().completeExceptionally(new java.util.concurrent.TimeoutException("pricing timed out")); }
            }
        }
    }

    static SprayService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int commands = COMMANDS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(92_050_001);
        String[] fieldCodes = new String[FIELDS];
        String[] crops = {"Wheat", "Barley", "Oilseed rape", "Maize", "Sugar beet", "Potatoes", "Vines"};
        for (int f = 0; f < FIELDS; f++) {
            double[] windows = new double[72];
            for (int k = 0; k < windows.length; k++) windows[k] = rnd.nextDouble();
            fieldCodes[f] = "FLD-" + (12_000 + f);
            FIELDS_BY_CODE.put(fieldCodes[f], new Field(fieldCodes[f], crops[f % crops.length], windows));
        }
        SprayService svc = new SprayService();
        SERVICE = svc;
        String[] tails = new String[DRONES];
        String[] models = {"AG-30", "AG-40", "T20P", "T40", "Spray-X"};
        for (int d = 0; d < DRONES; d++) {
            tails[d] = "CS-" + (500_000 + d * 3);
            svc.drones.put(tails[d], new Drone(tails[d], models[d % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_200)) * 24 * HOUR));
        }
        FarmAccount[] accounts = new FarmAccount[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accounts[a] = new FarmAccount("FARM-" + (20_000 + a * 7));
            svc.accounts.aggregates.put(accounts[a].accountNo, accounts[a]);
        }
        for (int b = 0; b < POOL; b++) svc.nozzleBuffers.add(new byte[32_768]);
        String[] types = {"SprayApplied", "SprayApplied", "SprayApplied", "SprayApplied", "SprayApplied", "InvoicePaid", "InvoicePaid", "JobBooked", "JobCancelled", "RateChanged"};
        String[] products = {"Fungicide A", "Herbicide B", "Insecticide C", "Foliar feed", "Growth regulator"};
        Random traffic = new Random(92_050_002);
        Random pricing = new Random(92_050_003);
        long nextJob = start + 10 * MINUTE, nextOperator = OPERATORS_BEFORE, seq = 0, retries = 0;
        int maxEvents = 0;
        for (int i = 0; i < commands; i++) {
            long t = start + (end - MINUTE - start) * i / commands;
            while (nextJob <= t) { svc.accounts.snapshotJob(nextJob); nextJob += 10 * MINUTE; }
            svc.completeDue(t, pricing);
            FarmAccount acc = accounts[traffic.nextInt(ACCOUNTS)];
            String type = types[traffic.nextInt(types.length)];
            int ha = 0;
            if (type.equals("SprayApplied")) {
                ha = 2 + traffic.nextInt(60);
                svc.flightLog[(int) (svc.flights++ % FLIGHT_RING)] = new Flight(tails[traffic.nextInt(DRONES)], fieldCodes[traffic.nextInt(FIELDS)], ha, t);
                byte[] buf = svc.nozzleBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.nozzleBuffers.add(buf);
            }
            svc.accounts.append(acc, new AccountEvent(9_100_000L + i, type, type.equals("InvoicePaid") ? 50_000L + traffic.nextInt(400_000) : -4_000L * ha, t, new byte[32 + traffic.nextInt(64)]), ha);
            maxEvents = Math.max(maxEvents, acc.events.size());
            if (i % 3 == 0) {
                SprayRequest req = new SprayRequest(72_000_000L + i, "FR-" + (72_000_000L + i), fieldCodes[traffic.nextInt(FIELDS)], products[traffic.nextInt(products.length)], 5 + traffic.nextInt(200), t, new byte[60 + traffic.nextInt(80)]);
                String fp = Long.toHexString(0x5A5A_0000_0000_0000L ^ (req.requestId() * 0x9E3779B97F4A7C15L)) + Integer.toHexString(req.fieldCode().hashCode());
                CompletableFuture<SprayQuote> f = svc.quotes.begin(fp);
                int roll = traffic.nextInt(100);
                int outcome = roll < 90 ? 0 : roll < 96 ? 1 : 2;
                long due = outcome == 0 ? t + 200 + traffic.nextInt(1_800) : outcome == 1 ? t + 300 + traffic.nextInt(1_200) : t + TIMEOUT_MS;
                svc.pricingCalls.add(new PendingCall(due, seq++, outcome, fp, req, f));
                if (traffic.nextInt(100) < 12) { check(svc.quotes.begin(fp) == f, "retry joins"); retries++; }
            }
            if (i % 3 != 2) {
                long no = traffic.nextInt(100) < 55 ? nextOperator++ : traffic.nextInt((int) nextOperator);
                svc.operators.byEmail(no, now);
            }
        }
        long kept = 0;
        for (FarmAccount a : accounts) kept += a.events.size();
        fieldCodes = null; crops = null; tails = null; models = null; accounts = null; types = null; products = null; // only the service's structures stay reachable
        AccountRepository repo = svc.accounts;
        OperatorCache oc = svc.operators;
        long pending = svc.pricingCalls.size();
        System.out.println("stage " + stage + " fields " + FIELDS_BY_CODE.size() + " drones " + svc.drones.size() + " accounts " + repo.aggregates.size() + " events kept " + kept + " (appended " + repo.appended
                + ", job runs " + repo.jobRuns + ", snapshots " + repo.snapshots + ", truncated " + repo.truncated + ", max per account " + maxEvents + ") quotes started " + svc.quotes.started + " joined " + svc.quotes.joined
                + " issued " + svc.issued + " declined " + svc.declined + " timed out " + svc.timedOut + " pending " + pending + " inFlight " + svc.quotes.inFlight.size()
                + " operators " + oc.byId.size() + " (evicted " + oc.byId.evicted + ", loads " + oc.loads + ", hits " + oc.hits + ") idByEmail " + oc.idByEmail.size()
                + " flights " + svc.flights + " pool " + svc.nozzleBuffers.size());
        check(FIELDS_BY_CODE.size() == FIELDS && svc.drones.size() == DRONES && repo.aggregates.size() == ACCOUNTS, "reference data / directories");
        check(repo.appended == commands && repo.jobRuns == hours * 6 - 1 && kept == commands - repo.truncated, "snapshotted accounts: " + kept);
        check(svc.quotes.joined == retries && svc.issued + svc.declined + svc.timedOut + pending == svc.quotes.started && svc.quotes.inFlight.size() == pending, "quote de-duplicator holds only running calls");
        check(oc.byId.size() == OPERATOR_CAP && oc.byId.evicted > 0 && oc.idByEmail.size() == OPERATOR_CAP, "operator LRU at cap, index in step");
        check(svc.flightLog[(int) Math.min(svc.flights, FLIGHT_RING) - 1] != null, "flight ring: " + svc.flights);
        check(svc.nozzleBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
