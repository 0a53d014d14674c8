// hprofscan-dump: name=val57-leak-windowcleaners jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val57-leak-windowcleaners-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
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
 * Validation set 57 (written blind), LEAK: the job-tracking service of a commercial window-cleaning
 * contractor. Round reference data, the building directory, a cache of rendered job sheets at its
 * cap, a pool of rope-access permit buffers, a ring of completed drops, and an audit replication
 * stream: one long-lived java.io.ObjectOutputStream over a socket stand-in, written to for every
 * job event and flushed every minute but never reset(), so its handle table keeps every object
 * ever written. See VALIDATION57.md.
 */
public final class Val57LeakWindowCleaners {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ROUNDS = 1_000, BUILDINGS = 22_000, SHEET_CAP = 2_000, POOL = 8, RING = 16_384, RECORDS_PER_HOUR = 4_000, HOURS = 10;
    static boolean FIXED;

    record Round(String code, String area, double[] weeklyLoad) {}
    record Building(String id, String address, byte[] accessNotes, long contractSince) {}
    record JobSheet(String key, byte[] rendered, long at) {}
    record Drop(String buildingId, int elevation, int panes, long at) {}

    /** One audit record shipped to the replica. */
    static final class AuditRecord implements Serializable {
        private static final long serialVersionUID = 1L;
        final long id; final String kind, buildingId, crewRef; final long at; final int panes; final byte[] note;
        AuditRecord(long id, String kind, String buildingId, String crewRef, long at, int panes, byte[] note) {
            this.id = id; this.kind = kind; this.buildingId = buildingId; this.crewRef = crewRef; this.at = at; this.panes = panes; this.note = note;
        }
    }

    /** Socket stand-in: counts and discards the bytes. */
    static final class ReplicaSocket extends OutputStream {
        long bytes;
        @Override public void write(int b) { bytes++; }
        @Override public void write(byte[] b, int off, int len) { bytes += len; }
    }

    static final class AuditReplicator {
        final ReplicaSocket socket = new ReplicaSocket();
        final ObjectOutputStream out;
        long records, flushes, resets;
        AuditReplicator() throws IOException { out = new ObjectOutputStream(socket); }
        void write(AuditRecord r) throws IOException { out.writeObject(r); records++; }
        void flush() throws IOException {
            out.flush(); flushes++;
            if (FIXED) { out.reset(); resets++; } // the fix: forget the written objects after each flush
        }
    }

    static final class SheetCache extends LinkedHashMap<String, JobSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, JobSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Round> ROUNDS_BY_CODE = new HashMap<>();

    static final class JobService {
        final Map<String, Building> buildings = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> permitBuffers = new ArrayDeque<>();
        final Drop[] drops = new Drop[RING];
        long dropsWritten;
        AuditReplicator replicator;
    }

    static JobService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val57.fixed");
        int records = RECORDS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(57_020_001);
        for (int r = 0; r < ROUNDS; r++) {
            double[] load = new double[80];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble() * 40;
            String code = "RND-" + (1_000 + r);
            ROUNDS_BY_CODE.put(code, new Round(code, "Area " + (r % 120), load));
        }
        JobService svc = new JobService();
        SERVICE = svc;
        String[] ids = new String[BUILDINGS];
        for (int b = 0; b < BUILDINGS; b++) {
            ids[b] = "BLD-" + (200_000 + b * 7);
            svc.buildings.put(ids[b], new Building(ids[b], (1 + rnd.nextInt(400)) + " High Street " + (b % 900), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.permitBuffers.add(new byte[32_768]);
        svc.replicator = new AuditReplicator();
        Random traffic = new Random(57_020_002);
        String[] kinds = {"DROP_STARTED", "DROP_FINISHED", "PANE_DAMAGED", "ACCESS_REFUSED", "SIGNED_OFF"};
        long nextFlush = start + MINUTE;
        java.util.Set<String> written = new java.util.HashSet<>(); // self-check only: distinct building ids written
        for (int i = 0; i < records; i++) {
            long t = start + (end - MINUTE - start) * i / records;
            while (nextFlush <= t) { svc.replicator.flush(); nextFlush += MINUTE; }
            String building = ids[traffic.nextInt(BUILDINGS)];
            written.add(building);
            int panes = 4 + traffic.nextInt(120);
            svc.replicator.write(new AuditRecord(50_000_000L + i, kinds[traffic.nextInt(kinds.length)], building, "crew-" + traffic.nextInt(90) + "-" + (i / 500), t, panes, new byte[40 + traffic.nextInt(40)]));
            svc.drops[(int) (svc.dropsWritten++ % RING)] = new Drop(building, 1 + traffic.nextInt(40), panes, t);
            String key = "sheet-" + traffic.nextInt(4_500);
            if (svc.sheets.get(key) == null) svc.sheets.put(key, new JobSheet(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.permitBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.permitBuffers.add(buf);
        }
        svc.replicator.flush();
        AuditReplicator rep = svc.replicator;
        System.out.println((FIXED ? "FIXED " : "") + "rounds " + ROUNDS_BY_CODE.size() + " buildings " + svc.buildings.size() + " records " + rep.records + " flushes " + rep.flushes + " resets " + rep.resets
                + " bytes " + rep.socket.bytes + " distinct buildings " + written.size() + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.permitBuffers.size() + " drops " + svc.dropsWritten);
        check(ROUNDS_BY_CODE.size() == ROUNDS && svc.buildings.size() == BUILDINGS, "reference data / directory");
        check(rep.records == records && rep.flushes == HOURS * 60 - 1, "replication traffic: " + rep.flushes);
        check(rep.resets == (FIXED ? HOURS * 60 - 1 : 0), "resets");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.permitBuffers.size() == POOL, "pool");
        check(svc.dropsWritten == records && svc.drops[RING - 1] != null, "ring");
        written = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
