// hprofscan-dump: name=val21-leak-votingtally jvm="-Xmx256m --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean
// hprofscan-dump: name=val21-leak-votingtally-serial jvm="-Xmx256m -XX:+UseSerialGC --add-opens java.base/java.io=ALL-UNNAMED" variants=jcmd
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 21 (written blind), LEAK: the results-tally service of an election authority.
 * Every scanned ballot batch is tallied and a {@code BatchReport} is replicated to the standby
 * tally site over one {@code ObjectOutputStream} opened at startup and kept for the life of the
 * service. The bug: the stream is never {@code reset()}, so its handle table keeps every report
 * ever written (and everything they reference). The sink is a counting stream that discards the
 * bytes (the wire). Beside it: the precinct and contest reference data, the voter roll, a tally
 * snapshot cache at its cap, a pool of scanner decoders, an audit ring.
 * See testdata/VALIDATION21.md.
 */
public final class Val21LeakVotingTally {
    static final long HOUR = 3_600_000L;
    static final int PRECINCTS = 12_000, CONTESTS = 3_000, VOTERS = 80_000, SNAPSHOT_CAP = 2_000, DECODERS = 8, RING = 8_192;
    static final int HOURS = 6, BATCHES_PER_HOUR = 2_000, RESET_EVERY = 100;

    record Precinct(String code, String county, int[] ballotStyleCounts) {}
    record Contest(String id, String title, String[] choices) {}
    record Voter(long id, String precinct, String name, long registeredAt) {}
    record TallySnapshot(String contestId, long[] votes, long takenAt) {}
    record AuditEntry(String batchId, String action, String operator, long at) {}

    static final class BatchReport implements Serializable {
        private static final long serialVersionUID = 1L;
        final String batchId, precinct, scannerId, operator; final long scannedAt; final int[] tallies; final byte[] imageDigest;
        BatchReport(String batchId, String precinct, String scannerId, String operator, long scannedAt, int[] tallies, byte[] imageDigest) {
            this.batchId = batchId; this.precinct = precinct; this.scannerId = scannerId; this.operator = operator; this.scannedAt = scannedAt; this.tallies = tallies; this.imageDigest = imageDigest;
        }
    }

    /** The wire to the standby site: counts the bytes, keeps none. */
    static final class CountingSink extends OutputStream {
        long bytes;
        @Override public void write(int b) { bytes++; }
        @Override public void write(byte[] b, int off, int len) { bytes += len; }
    }

    static final class ReplicationLink {
        final CountingSink wire = new CountingSink();
        final ObjectOutputStream out;
        long sent, resets;
        ReplicationLink() throws IOException { out = new ObjectOutputStream(wire); }
        void send(BatchReport r, boolean resetPeriodically) throws IOException {
            out.writeObject(r);
            out.flush();
            sent++;
            if (resetPeriodically && sent % RESET_EVERY == 0) { out.reset(); resets++; } // the leak run never resets
        }
    }

    static final class Decoder { final byte[] imageBuffer = new byte[16 * 1024]; boolean busy; }

    static final class SnapshotCache extends LinkedHashMap<String, TallySnapshot> {
        long evicted;
        SnapshotCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TallySnapshot> e) { if (size() > SNAPSHOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Precinct> PRECINCTS_BY_CODE = new HashMap<>();
    static final Map<String, Contest> CONTESTS_BY_ID = new HashMap<>();

    static final class TallyService {
        final Map<Long, Voter> voterRoll = new HashMap<>();
        final SnapshotCache snapshots = new SnapshotCache();
        final ArrayDeque<Decoder> idleDecoders = new ArrayDeque<>();
        final AuditEntry[] audit = new AuditEntry[RING];
        long auditWritten, batches;
        ReplicationLink standby;
    }

    static TallyService TALLY;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int handles(ObjectOutputStream out) throws Exception {
        Field h = ObjectOutputStream.class.getDeclaredField("handles");
        h.setAccessible(true);
        Object table = h.get(out);
        Field size = table.getClass().getDeclaredField("size");
        size.setAccessible(true);
        return size.getInt(table);
    }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val21.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - HOURS * HOUR;
        Random rnd = new Random(21_030_001);
        for (int p = 0; p < PRECINCTS; p++) {
            int[] styles = new int[40];
            for (int k = 0; k < styles.length; k++) styles[k] = rnd.nextInt(2_000);
            String code = "P-" + (10_000 + p);
            PRECINCTS_BY_CODE.put(code, new Precinct(code, "County " + (p % 58), styles));
        }
        for (int c = 0; c < CONTESTS; c++) {
            String[] choices = new String[2 + rnd.nextInt(6)];
            for (int k = 0; k < choices.length; k++) choices[k] = "Candidate " + c + "-" + k;
            String id = "C-" + (500 + c);
            CONTESTS_BY_ID.put(id, new Contest(id, "Contest " + c + " (" + (c % 7 == 0 ? "measure" : "office") + ")", choices));
        }
        TallyService svc = new TallyService();
        TALLY = svc;
        for (int v = 0; v < VOTERS; v++) {
            long id = 900_000_000L + v * 3L;
            svc.voterRoll.put(id, new Voter(id, "P-" + (10_000 + rnd.nextInt(PRECINCTS)), "Voter " + v, now - (long) rnd.nextInt(20 * 365) * 24 * HOUR));
        }
        for (int d = 0; d < DECODERS; d++) svc.idleDecoders.add(new Decoder());
        svc.standby = new ReplicationLink();
        int total = HOURS * BATCHES_PER_HOUR;
        Random traffic = new Random(21_030_002);
        for (int i = 0; i < total; i++) {
            long t = start + (now - start) * i / total;
            Decoder dec = svc.idleDecoders.poll();
            dec.busy = true;
            traffic.nextBytes(dec.imageBuffer);
            int[] tallies = new int[24 + traffic.nextInt(40)];
            for (int k = 0; k < tallies.length; k++) tallies[k] = traffic.nextInt(300);
            byte[] digest = new byte[32];
            traffic.nextBytes(digest);
            String batchId = "B-" + Long.toHexString(0x5000000L + i);
            String precinct = "P-" + (10_000 + traffic.nextInt(PRECINCTS));
            String operator = "op-" + traffic.nextInt(400);
            svc.standby.send(new BatchReport(batchId, precinct, "SCN-" + (i % 64), operator, t, tallies, digest), fixed);
            dec.busy = false;
            svc.idleDecoders.push(dec);
            svc.batches++;
            String contest = "C-" + (500 + i % CONTESTS);
            long[] votes = new long[CONTESTS_BY_ID.get(contest).choices().length];
            for (int k = 0; k < votes.length; k++) votes[k] = traffic.nextInt(100_000);
            svc.snapshots.put(contest + "@" + i / CONTESTS, new TallySnapshot(contest, votes, t));
            svc.audit[(int) (svc.auditWritten++ % RING)] = new AuditEntry(batchId, "TALLIED", operator, t);
        }
        int handles = handles(svc.standby.out);
        System.out.println((fixed ? "FIXED " : "") + "precincts " + PRECINCTS_BY_CODE.size() + " contests " + CONTESTS_BY_ID.size() + " voters " + svc.voterRoll.size() + " batches " + svc.batches + " reports sent " + svc.standby.sent + " resets " + svc.standby.resets + " stream handles " + handles + " wire bytes " + svc.standby.wire.bytes + " snapshots " + svc.snapshots.size() + " (evicted " + svc.snapshots.evicted + ") audit written " + svc.auditWritten + " idle decoders " + svc.idleDecoders.size());
        check(PRECINCTS_BY_CODE.size() == PRECINCTS && CONTESTS_BY_ID.size() == CONTESTS && svc.voterRoll.size() == VOTERS, "reference data");
        check(svc.batches == total && svc.standby.sent == total && svc.standby.resets == (fixed ? total / RESET_EVERY : 0), "batches");
        // per report: the report, its 4 strings, 2 arrays = 7 handles (+ the class descriptors once per reset period)
        check(fixed ? handles == 0 : handles >= 7 * total && handles < 7 * total + 20, "stream handles " + handles);
        check(svc.snapshots.size() == SNAPSHOT_CAP && svc.snapshots.evicted == total - SNAPSHOT_CAP, "snapshot cache at its cap");
        check(svc.auditWritten == total && svc.audit[RING - 1] != null && svc.idleDecoders.size() == DECODERS, "audit ring and decoder pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
