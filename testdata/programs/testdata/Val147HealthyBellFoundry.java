// hprofscan-dump: name=val147-healthy-bellfoundry jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val147-healthy-bellfoundry-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Validation set 147 (written blind), HEALTHY: the production service of a bell foundry. Alloy
 * reference data, the directory of cast bells by serial, the castings in progress keyed by an
 * immutable MoldKey(pit, slot) record (removed when a casting is broken out of its mold), a casting
 * journal written to the off-site backup through one ObjectOutputStream that is reset() after every
 * batch, a cache of rendered tuning reports at its cap, a ring of furnace readings and a pool of
 * mold-scan buffers. See VALIDATION147.md.
 */
public final class Val147HealthyBellFoundry {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ALLOYS = 300, BELLS = 20_000, PITS = 24, SLOTS = 12, REPORT_CAP = 1_500, POOL = 10, RING = 8_192, HOURS = 10;
    static final int CASTINGS_PER_HOUR = 120, READINGS_PER_HOUR = 6_000, BATCH = 50;

    record Alloy(String code, String name, double[] coolingCurve) {}
    record Bell(String serial, String alloyCode, String note, byte[] partials, long castAt) {}
    record MoldKey(String pit, int slot) {}
    record TuningReport(String key, byte[] rendered, long at) {}
    record FurnaceReading(int furnace, double celsius, long at) {}

    static final class Casting {
        final long id; final MoldKey mold; final String alloyCode; final long pouredAt; long breakOutAt; final byte[] pourLog;
        Casting(long id, MoldKey mold, String alloyCode, long pouredAt, byte[] pourLog) { this.id = id; this.mold = mold; this.alloyCode = alloyCode; this.pouredAt = pouredAt; this.pourLog = pourLog; }
    }

    /** What the backup receives for each casting event. */
    static final class CastLog implements Serializable {
        private static final long serialVersionUID = 1L;
        final long castingId; final String pit; final int slot; final String event; final long at; final byte[] detail;
        CastLog(long castingId, String pit, int slot, String event, long at, byte[] detail) { this.castingId = castingId; this.pit = pit; this.slot = slot; this.event = event; this.at = at; this.detail = detail; }
    }

    static final class BackupLink extends OutputStream {
        final CRC32 crc = new CRC32();
        long bytes;
        @Override public void write(int b) { crc.update(b); bytes++; }
        @Override public void write(byte[] b, int off, int len) { crc.update(b, off, len); bytes += len; }
    }

    /** One ObjectOutputStream for the life of the service, reset after every batch. */
    static final class CastingJournal {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(32 * 1024);
        final ObjectOutputStream out;
        final BackupLink link = new BackupLink();
        long written, batches, unflushed;
        CastingJournal() throws IOException { out = new ObjectOutputStream(buffer); }
        void append(CastLog l) throws IOException { out.writeObject(l); written++; if (++unflushed >= BATCH) ship(); }
        void ship() throws IOException {
            if (unflushed == 0) return;
            out.reset();
            out.flush();
            buffer.writeTo(link);
            buffer.reset();
            unflushed = 0;
            batches++;
        }
    }

    static final class ReportCache extends LinkedHashMap<String, TuningReport> {
        long evicted;
        ReportCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TuningReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Alloy> ALLOYS_BY_CODE = new HashMap<>();

    static final class Foundry {
        final Map<String, Bell> bells = new HashMap<>();
        final Map<MoldKey, Casting> inMold = new HashMap<>();
        final CastingJournal journal;
        final ReportCache reports = new ReportCache();
        final FurnaceReading[] readings = new FurnaceReading[RING];
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        long poured, brokenOut, skippedBusyMold, readCount;
        Foundry() throws IOException { journal = new CastingJournal(); }
    }

    static Foundry SERVICE;
    static long END;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void breakOut(Foundry svc, Casting c, Random traffic) throws IOException {
        Casting removed = svc.inMold.remove(c.mold);
        check(removed == c, "mold removal");
        svc.brokenOut++;
        svc.journal.append(new CastLog(c.id, c.mold.pit(), c.mold.slot(), "BROKEN_OUT", c.breakOutAt, new byte[40 + traffic.nextInt(40)]));
    }

    static void build() throws IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        END = end;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(147_060_001);
        String[] alloyNames = {"bell metal 78/22", "bell metal 80/20", "silicon bronze", "aluminium bronze", "phosphor bronze"};
        String[] alloyCodes = new String[ALLOYS];
        for (int a = 0; a < ALLOYS; a++) {
            double[] curve = new double[128];
            for (int k = 0; k < curve.length; k++) curve[k] = 1_100 - k * 8 + rnd.nextDouble() * 5;
            String code = "AL-" + (500 + a);
            alloyCodes[a] = code;
            ALLOYS_BY_CODE.put(code, new Alloy(code, alloyNames[a % alloyNames.length], curve));
        }
        Foundry svc = new Foundry();
        SERVICE = svc;
        String[] notes = {"C", "D", "E", "F", "G", "A", "B"};
        for (int b = 0; b < BELLS; b++) {
            String serial = "BF" + (1_200_000 + b);
            svc.bells.put(serial, new Bell(serial, alloyCodes[rnd.nextInt(ALLOYS)], notes[b % notes.length] + (3 + b % 3), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int i = 0; i < POOL; i++) svc.scanBuffers.add(new byte[32_768]);
        MoldKey[] molds = new MoldKey[PITS * SLOTS];
        for (int p = 0; p < PITS; p++) for (int s = 0; s < SLOTS; s++) molds[p * SLOTS + s] = new MoldKey("pit-" + (char) ('A' + p), s);
        Random traffic = new Random(147_060_002);
        int readings = READINGS_PER_HOUR * HOURS;
        int castEvery = READINGS_PER_HOUR / CASTINGS_PER_HOUR;
        PriorityQueue<Casting> cooling = new PriorityQueue<>((a, b) -> a.breakOutAt != b.breakOutAt ? Long.compare(a.breakOutAt, b.breakOutAt) : Long.compare(a.id, b.id));
        for (int i = 0; i < readings; i++) {
            long t = start + (end - MINUTE - start) * i / readings;
            while (!cooling.isEmpty() && cooling.peek().breakOutAt <= t) breakOut(svc, cooling.poll(), traffic);
            svc.readings[(int) (svc.readCount++ % RING)] = new FurnaceReading(traffic.nextInt(6), 1_050 + traffic.nextDouble() * 150, t);
            if (i % castEvery == 0) {
                // the first free mold from a random pit; a new MoldKey equal to the pooled one finds it (immutable record)
                int from = traffic.nextInt(molds.length);
                MoldKey key = null;
                for (int k = 0; k < molds.length && key == null; k++) {
                    MoldKey m = molds[(from + k) % molds.length];
                    MoldKey probe = new MoldKey(m.pit(), m.slot());
                    if (!svc.inMold.containsKey(probe)) key = probe;
                }
                if (key == null) { svc.skippedBusyMold++; }
                else {
                    Casting c = new Casting(40_000_000L + i, key, alloyCodes[traffic.nextInt(ALLOYS)], t, new byte[300 + traffic.nextInt(300)]);
                    c.breakOutAt = t + (30 + traffic.nextInt(121)) * MINUTE; // cools 30 minutes to 2.5 hours
                    svc.inMold.put(key, c);
                    svc.poured++;
                    cooling.add(c);
                    svc.journal.append(new CastLog(c.id, key.pit(), key.slot(), "POURED", t, new byte[40 + traffic.nextInt(40)]));
                }
            }
            if (i % 5 == 0) {
                String rk = "tuning-" + traffic.nextInt(4_000);
                if (svc.reports.get(rk) == null) svc.reports.put(rk, new TuningReport(rk, new byte[600 + traffic.nextInt(600)], t));
                byte[] buf = svc.scanBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.scanBuffers.add(buf);
            }
        }
        while (!cooling.isEmpty() && cooling.peek().breakOutAt <= end) breakOut(svc, cooling.poll(), traffic);
        svc.journal.ship();
        for (Casting c : cooling) c.breakOutAt = 0; // still in the mold
    }

    static void verify() {
        Foundry svc = SERVICE;
        CastingJournal j = svc.journal;
        System.out.println("alloys " + ALLOYS_BY_CODE.size() + " bells " + svc.bells.size() + " poured " + svc.poured + " broken out " + svc.brokenOut + " in mold " + svc.inMold.size()
                + " skipped (mold busy) " + svc.skippedBusyMold + " journal written " + j.written + " batches " + j.batches + " shipped bytes " + j.link.bytes
                + " reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") readings " + svc.readCount + " pool " + svc.scanBuffers.size());
        check(ALLOYS_BY_CODE.size() == ALLOYS && svc.bells.size() == BELLS, "reference data / directory");
        check(svc.inMold.size() == svc.poured - svc.brokenOut && svc.inMold.size() <= PITS * SLOTS && svc.skippedBusyMold == 0, "castings in mold");
        check(j.written == svc.poured + svc.brokenOut && j.unflushed == 0 && j.buffer.size() == 0, "journal shipped");
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.scanBuffers.size() == POOL, "pool");
        check(svc.readCount == (long) READINGS_PER_HOUR * HOURS && svc.readings[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        build();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
