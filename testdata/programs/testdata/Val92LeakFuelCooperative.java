// hprofscan-dump: name=val92-leak-fuelcooperative-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val92-leak-fuelcooperative-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val92-leak-fuelcooperative jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val92-leak-fuelcooperative-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 92 (written blind), LEAK: the member ledger of a farmers' fuel cooperative.
 * Depot reference data, the directory of registered farm vehicles, a cache of rendered member
 * statements at its cap, a pool of pump-terminal buffers, a ring of recent fuel draws, and the
 * event-sourced member accounts: a fixed directory of 1,400 {@code Aggregate}s, each keeping its
 * {@code List<DomainEvent>} appended per command (fuel drawn, payment received, rebate credited,
 * price adjusted). A snapshot job is meant to snapshot every account with at least 8 events every
 * 10 minutes and truncate its event list, but it was switched off ("ledger.snapshot-job.enabled"
 * left false after a migration): the event lists lengthen with traffic while the number of
 * accounts stays fixed. See VALIDATION92.md.
 */
public final class Val92LeakFuelCooperative {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 900, VEHICLES = 24_000, ACCOUNTS = 1_400, STATEMENT_CAP = 2_000, POOL = 8, RING = 4_096,
            COMMANDS_PER_HOUR = 6_000, SNAPSHOT_MIN_EVENTS = 8;
    static boolean FIXED;

    record Depot(String code, String region, double[] tankLevelModel) {}
    record Vehicle(String plate, String accountNo, String kind, byte[] registration, long registeredAt) {}
    record Statement(String key, byte[] rendered, long at) {}
    record FuelDraw(String plate, String depotCode, int litres, long at) {}
    record DomainEvent(long seq, String type, long amountCents, long at, byte[] payload) {}
    record Snapshot(long version, long balanceCents, long litresYtd, long at) {}

    /** One member account, rebuilt from its snapshot plus the events appended since. */
    static final class Aggregate {
        final String accountNo, member;
        final long joinedAt;
        long version, balanceCents, litresYtd;
        List<DomainEvent> events = new ArrayList<>();
        Snapshot snapshot;
        Aggregate(String accountNo, String member, long joinedAt) { this.accountNo = accountNo; this.member = member; this.joinedAt = joinedAt; }
        void apply(DomainEvent e, int litres) {
            events.add(e);
            version++;
            balanceCents += e.amountCents();
            litresYtd += litres;
        }
    }

    static final class AccountRepository {
        final Map<String, Aggregate> aggregates = new HashMap<>();
        long appended;
        void append(Aggregate a, DomainEvent e, int litres) { a.apply(e, litres); appended++; }
    }

    /** Snapshots every account with enough events and truncates its event list; runs every 10 minutes. */
    static final class SnapshotJob {
        final boolean enabled; // "ledger.snapshot-job.enabled"
        long runs, snapshots, truncatedEvents;
        SnapshotJob(boolean enabled) { this.enabled = enabled; }
        void run(AccountRepository repo, long at) {
            if (!enabled) return; // BUG (configuration): the job was switched off, nothing ever truncates
            runs++;
            for (Aggregate a : repo.aggregates.values()) {
                if (a.events.size() >= SNAPSHOT_MIN_EVENTS) {
                    a.snapshot = new Snapshot(a.version, a.balanceCents, a.litresYtd, at);
                    truncatedEvents += a.events.size();
                    a.events = new ArrayList<>();
                    snapshots++;
                }
            }
        }
    }

    static final class StatementCache extends LinkedHashMap<String, Statement> {
        long evicted;
        StatementCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Statement> e) { if (size() > STATEMENT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class LedgerService {
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final AccountRepository accounts = new AccountRepository();
        final SnapshotJob snapshotJob;
        final StatementCache statements = new StatementCache();
        final ArrayDeque<byte[]> pumpBuffers = new ArrayDeque<>();
        final FuelDraw[] recentDraws = new FuelDraw[RING];
        long draws;
        LedgerService(boolean snapshotsEnabled) { snapshotJob = new SnapshotJob(snapshotsEnabled); }
    }

    static LedgerService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val92.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int commands = COMMANDS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(92_010_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] model = new double[80];
            for (int k = 0; k < model.length; k++) model[k] = rnd.nextDouble() * 40_000;
            depotCodes[d] = "DEP-" + (300 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "Region " + (d % 40), model));
        }
        LedgerService svc = new LedgerService(FIXED);
        SERVICE = svc;
        Aggregate[] accounts = new Aggregate[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            String no = "FC-" + (40_000 + a * 3);
            accounts[a] = new Aggregate(no, "Member farm " + a, now - (long) (30 + rnd.nextInt(5_000)) * 24 * HOUR);
            svc.accounts.aggregates.put(no, accounts[a]);
        }
        String[] plates = new String[VEHICLES];
        String[] kinds = {"Tractor", "Combine", "Sprayer", "Pickup", "Telehandler", "Grain truck"};
        for (int v = 0; v < VEHICLES; v++) {
            plates[v] = "AG" + (2_000_000 + v * 7);
            svc.vehicles.put(plates[v], new Vehicle(plates[v], accounts[rnd.nextInt(ACCOUNTS)].accountNo, kinds[v % kinds.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pumpBuffers.add(new byte[32_768]);
        Random traffic = new Random(92_010_002);
        String[] types = {"FuelDrawn", "FuelDrawn", "FuelDrawn", "FuelDrawn", "FuelDrawn", "FuelDrawn", "PaymentReceived", "PaymentReceived", "RebateCredited", "PriceAdjusted"};
        long nextJob = start + 10 * MINUTE;
        for (int i = 0; i < commands; i++) {
            long t = start + (end - MINUTE - start) * i / commands;
            while (nextJob <= t) { svc.snapshotJob.run(svc.accounts, nextJob); nextJob += 10 * MINUTE; }
            Aggregate acc = accounts[traffic.nextInt(ACCOUNTS)];
            String type = types[traffic.nextInt(types.length)];
            int litres = 0;
            long amount;
            if (type.equals("FuelDrawn")) {
                litres = 20 + traffic.nextInt(400);
                amount = -litres * 142L;
                String plate = plates[traffic.nextInt(VEHICLES)];
                svc.recentDraws[(int) (svc.draws++ % RING)] = new FuelDraw(plate, depotCodes[traffic.nextInt(DEPOTS)], litres, t);
                byte[] buf = svc.pumpBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.pumpBuffers.add(buf);
            } else if (type.equals("PaymentReceived")) {
                amount = 10_000L + traffic.nextInt(200_000);
            } else if (type.equals("RebateCredited")) {
                amount = 500L + traffic.nextInt(5_000);
            } else {
                amount = -traffic.nextInt(3_000);
            }
            svc.accounts.append(acc, new DomainEvent(5_000_000L + i, type, amount, t, new byte[32 + traffic.nextInt(64)]), litres);
            if (i % 3 == 0) {
                String key = "stmt-" + acc.accountNo + "-" + traffic.nextInt(4);
                if (svc.statements.get(key) == null) svc.statements.put(key, new Statement(key, new byte[400 + traffic.nextInt(400)], t));
            }
        }
        long kept = 0, maxPerAccount = 0;
        for (Aggregate a : accounts) { kept += a.events.size(); maxPerAccount = Math.max(maxPerAccount, a.events.size()); }
        depotCodes = null; accounts = null; plates = null; kinds = null; types = null; // only the service's structures stay reachable
        SnapshotJob job = svc.snapshotJob;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " depots " + DEPOTS_BY_CODE.size() + " vehicles " + svc.vehicles.size() + " accounts " + svc.accounts.aggregates.size()
                + " events kept " + kept + " (max per account " + maxPerAccount + ", appended " + svc.accounts.appended + ", job runs " + job.runs + ", snapshots " + job.snapshots + ", truncated " + job.truncatedEvents
                + ") statements " + svc.statements.size() + " (evicted " + svc.statements.evicted + ") pool " + svc.pumpBuffers.size() + " draws " + svc.draws);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.vehicles.size() == VEHICLES && svc.accounts.aggregates.size() == ACCOUNTS, "reference data / directories");
        check(svc.accounts.appended == commands, "commands");
        if (FIXED) check(job.runs == hours * 6 - 1 && kept == commands - job.truncatedEvents && job.snapshots > 0, "snapshotted event lists: " + kept);
        else check(job.runs == 0 && kept == commands, "event lists keep everything: " + kept);
        check(svc.statements.size() == STATEMENT_CAP && svc.statements.evicted > 0, "statement cache at cap");
        check(svc.pumpBuffers.size() == POOL, "pool");
        check(svc.draws > RING && svc.recentDraws[RING - 1] != null, "draw ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
