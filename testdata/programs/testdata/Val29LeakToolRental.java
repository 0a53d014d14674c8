// hprofscan-dump: name=val29-leak-toolrental-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val29-leak-toolrental-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val29-leak-toolrental jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val29-leak-toolrental-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 29 (written blind), LEAK: the rental desk service of a tool-hire chain. Branch
 * reference data, the tool directory, a cache of rendered rental agreements at its cap, a pool of
 * label-printer buffers, a ring of recent rentals, and an audit journal: a hand-rolled growable
 * array (JournalEvent[] items; int size) appended to for every checkout / return / damage report and
 * grown with Arrays.copyOf when full. An exporter ships the journal to the audit warehouse every 10
 * minutes and advances exportedUpTo, but the journal is never compacted: shipped events stay in the
 * array forever. See VALIDATION29.md.
 */
public final class Val29LeakToolRental {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BRANCHES = 1_200, TOOLS = 26_000, AGREEMENT_CAP = 2_000, POOL = 8, RING = 4_096, EVENTS_PER_HOUR = 6_000;
    static boolean FIXED;

    record Branch(String code, String city, double[] weeklyDemand) {}
    record Tool(String assetTag, String branchCode, String model, byte[] serviceRecord, long acquiredAt) {}
    record Agreement(String key, byte[] rendered, long at) {}
    record Rental(String assetTag, String customerId, long from, long until) {}
    record JournalEvent(long id, String kind, String assetTag, String customerId, long at, byte[] details) {}

    /** Hand-rolled growable array. */
    static final class AuditJournal {
        JournalEvent[] items = new JournalEvent[1_024];
        int size;
        long appended, exportedUpTo, exports, compactions;
        void append(JournalEvent e) {
            if (size == items.length) items = Arrays.copyOf(items, items.length + (items.length >> 1));
            items[size++] = e;
            appended++;
        }
        /** Ships everything appended so far; exportedUpTo counts events ever shipped. */
        void export() {
            exportedUpTo = appended;
            exports++;
            if (FIXED) { // compact: drop the shipped prefix (all of it) and trim the backing array
                Arrays.fill(items, 0, size, null);
                size = 0;
                if (items.length > 4_096) items = new JournalEvent[4_096];
                compactions++;
            }
            // BUG: nothing is removed; the shipped events stay in items[0..size)
        }
    }

    static final class AgreementCache extends LinkedHashMap<String, Agreement> {
        long evicted;
        AgreementCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Agreement> e) { if (size() > AGREEMENT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Branch> BRANCHES_BY_CODE = new HashMap<>();

    static final class RentalDesk {
        final Map<String, Tool> tools = new HashMap<>();
        final AgreementCache agreements = new AgreementCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Rental[] recent = new Rental[RING];
        long rentals;
        final AuditJournal journal = new AuditJournal();
    }

    static RentalDesk SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val29.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(29_010_001);
        String[] branchCodes = new String[BRANCHES];
        for (int b = 0; b < BRANCHES; b++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 90;
            String code = "BR-" + (5_000 + b);
            branchCodes[b] = code;
            BRANCHES_BY_CODE.put(code, new Branch(code, "Town " + (b % 300), demand));
        }
        RentalDesk svc = new RentalDesk();
        SERVICE = svc;
        String[] tags = new String[TOOLS];
        String[] models = {"SDS drill", "Floor sander", "Mini digger", "Scaffold tower", "Tile cutter", "Pressure washer", "Cement mixer", "Chainsaw"};
        for (int t = 0; t < TOOLS; t++) {
            String tag = "TL" + (7_000_000 + t);
            tags[t] = tag;
            svc.tools.put(tag, new Tool(tag, branchCodes[rnd.nextInt(BRANCHES)], models[t % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(29_010_002);
        String[] kinds = {"CHECKOUT", "RETURN", "DAMAGE_REPORT", "EXTENSION"};
        long nextExport = start + 10 * MINUTE;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextExport <= t) { svc.journal.export(); nextExport += 10 * MINUTE; }
            String tag = tags[traffic.nextInt(TOOLS)];
            String customer = "C" + (100_000 + traffic.nextInt(60_000));
            svc.journal.append(new JournalEvent(9_000_000L + i, kinds[traffic.nextInt(kinds.length)], tag, customer, t, new byte[40 + traffic.nextInt(40)]));
            if (i % 2 == 0) {
                svc.recent[(int) (svc.rentals++ % RING)] = new Rental(tag, customer, t, t + (1 + traffic.nextInt(7)) * 24 * HOUR);
                String key = "agr-" + traffic.nextInt(5_000);
                if (svc.agreements.get(key) == null) svc.agreements.put(key, new Agreement(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.labelBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.labelBuffers.add(buf);
            }
        }
        AuditJournal j = svc.journal;
        int exportsExpected = hours * 6 - 1;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " branches " + BRANCHES_BY_CODE.size() + " tools " + svc.tools.size() + " journal size " + j.size + " capacity " + j.items.length
                + " appended " + j.appended + " exportedUpTo " + j.exportedUpTo + " exports " + j.exports + " agreements " + svc.agreements.size() + " (evicted " + svc.agreements.evicted + ") pool " + svc.labelBuffers.size() + " rentals " + svc.rentals);
        check(BRANCHES_BY_CODE.size() == BRANCHES && svc.tools.size() == TOOLS, "reference data / directory");
        check(j.appended == events && j.exports == exportsExpected, "journal traffic: " + j.exports);
        if (FIXED) check(j.size == events - j.exportedUpTo, "compacted journal");
        else check(j.size == events && j.items[events - 1] != null, "journal keeps everything: " + j.size);
        check(svc.agreements.size() == AGREEMENT_CAP && svc.agreements.evicted > 0, "agreement cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.rentals == events / 2 && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
