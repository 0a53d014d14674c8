// hprofscan-dump: name=val41-leak-luthiers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val41-leak-luthiers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 41 (written blind), LEAK: the repair-ticket service of a network of luthier
 * workshops (violins, guitars, cellos). Tonewood reference data, the musician directory, an LRU of
 * rendered setup sheets at its cap, a pool of CNC jig buffers, a ring of collection receipts, and
 * the bench index: the open repair tickets keyed by ticket number in a hand-written open-addressing
 * hash table (RepairIndex: long[] keys, RepairTicket[] values, byte[] states, linear probing).
 * remove() only marks the slot DELETED and leaves the ticket in values[] ("cleared on the next
 * rehash"), but rehash() copies every slot that is not FREE, tombstones and their tickets included,
 * "to keep the probe chains intact". Every ticket ever opened stays in the table. See VALIDATION41.md.
 */
public final class Val41LeakLuthiers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int WOODS = 1_000, MUSICIANS = 25_000, SHEET_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10;
    static final String[] INSTRUMENTS = {"violin", "viola", "cello", "double-bass", "classical-guitar", "steel-string-guitar", "mandolin", "ukulele"};
    static final String[] JOBS = {"setup", "refret", "crack-repair", "neck-reset", "bridge-recut", "soundpost", "rehair", "varnish-touchup"};
    static boolean FIXED;

    record Tonewood(String code, String species, double[] stiffnessByGrain) {}
    record Musician(String id, String name, byte[] instrumentNotes, long since) {}
    record SetupSheet(String key, byte[] rendered, long at) {}
    record CollectionReceipt(long ticketNo, String musicianId, int priceCents, long collectedAt) {}
    record RepairTicket(long ticketNo, String musicianId, String instrument, String job, byte[] conditionReport, long receivedAt, long promisedAt) {}

    /** A hand-written open-addressing table (linear probing) from ticket number to ticket. */
    static final class RepairIndex {
        static final byte FREE = 0, FULL = 1, DELETED = 2;
        long[] keys = new long[1_024];
        RepairTicket[] values = new RepairTicket[1_024];
        byte[] states = new byte[1_024];
        int size, tombstones, rehashes;

        private static int mix(long k) { long h = k * 0x9E3779B97F4A7C15L; return (int) (h ^ (h >>> 32)); }

        RepairTicket get(long key) {
            int mask = keys.length - 1;
            for (int i = mix(key) & mask; states[i] != FREE; i = (i + 1) & mask) {
                if (states[i] == FULL && keys[i] == key) return values[i];
            }
            return null;
        }

        void put(long key, RepairTicket v) {
            if ((size + tombstones + 1) * 4 > keys.length * 3) rehash();
            int mask = keys.length - 1;
            int i = mix(key) & mask;
            while (states[i] != FREE) {
                if (states[i] == FULL && keys[i] == key) { values[i] = v; return; }
                i = (i + 1) & mask;
            }
            keys[i] = key; values[i] = v; states[i] = FULL; size++;
        }

        RepairTicket remove(long key) {
            int mask = keys.length - 1;
            for (int i = mix(key) & mask; states[i] != FREE; i = (i + 1) & mask) {
                if (states[i] == FULL && keys[i] == key) {
                    RepairTicket v = values[i];
                    states[i] = DELETED; // the slot's value is cleared on the next rehash
                    if (FIXED) values[i] = null;
                    size--; tombstones++;
                    return v;
                }
            }
            return null;
        }

        private void rehash() {
            rehashes++;
            long[] oldKeys = keys; RepairTicket[] oldValues = values; byte[] oldStates = states;
            int live = FIXED ? size : size + tombstones;
            int cap = 1_024;
            while (cap * 3 < (live + 1) * 8) cap <<= 1; // at most 3/8 full after a rehash
            keys = new long[cap]; values = new RepairTicket[cap]; states = new byte[cap];
            int mask = cap - 1, keptTombstones = 0;
            for (int j = 0; j < oldKeys.length; j++) {
                // BUG: copies every slot that is not FREE, "to keep the probe chains intact":
                // tombstones travel along with their tickets and are never dropped.
                if (oldStates[j] == FREE || (FIXED && oldStates[j] == DELETED)) continue;
                int i = mix(oldKeys[j]) & mask;
                while (states[i] != FREE) i = (i + 1) & mask;
                keys[i] = oldKeys[j]; values[i] = oldValues[j]; states[i] = oldStates[j];
                if (oldStates[j] == DELETED) keptTombstones++;
            }
            tombstones = keptTombstones;
        }

        int slotsHoldingTickets() { int n = 0; for (RepairTicket t : values) if (t != null) n++; return n; }
        int deletedHoldingTickets() { int n = 0; for (int i = 0; i < values.length; i++) if (states[i] == DELETED && values[i] != null) n++; return n; }
    }

    static final class SheetCache extends LinkedHashMap<String, SetupSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SetupSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Tonewood> WOODS_BY_CODE = new HashMap<>();

    static final class WorkshopService {
        final Map<String, Musician> musicians = new HashMap<>();
        final RepairIndex bench = new RepairIndex();
        final SheetCache setupSheets = new SheetCache();
        final ArrayDeque<byte[]> jigBuffers = new ArrayDeque<>();
        final CollectionReceipt[] receipts = new CollectionReceipt[RING];
        long receiptsWritten;
    }

    static WorkshopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val41.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(41_010_001);
        String[] woodCodes = new String[WOODS];
        for (int w = 0; w < WOODS; w++) {
            double[] s = new double[64];
            for (int k = 0; k < s.length; k++) s[k] = 8 + rnd.nextDouble() * 14;
            woodCodes[w] = "TW-" + (3_000 + w);
            WOODS_BY_CODE.put(woodCodes[w], new Tonewood(woodCodes[w], "Species " + (w % 70), s));
        }
        WorkshopService svc = new WorkshopService();
        SERVICE = svc;
        String[] musicianIds = new String[MUSICIANS];
        for (int m = 0; m < MUSICIANS; m++) {
            musicianIds[m] = "MU-" + (200_000 + m * 7);
            svc.musicians.put(musicianIds[m], new Musician(musicianIds[m], "Musician " + m, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(6_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.jigBuffers.add(new byte[32_768]);

        Random traffic = new Random(41_010_002);
        long nextTicket = 7_100_000, opened = 0, collected = 0;
        PriorityQueue<long[]> collections = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long lookups = 0, lookupHits = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            while (!collections.isEmpty() && collections.peek()[0] <= minute) {
                long[] c = collections.poll();
                RepairTicket t = svc.bench.remove(c[1]);
                check(t != null, "collected ticket on the bench");
                svc.receipts[(int) (svc.receiptsWritten++ % RING)] = new CollectionReceipt(t.ticketNo(), t.musicianId(), 4_000 + (int) (c[1] % 60_000), c[0]);
                collected++;
            }
            int arrivals = 11 + traffic.nextInt(9);
            for (int k = 0; k < arrivals; k++) {
                long at = minute + traffic.nextInt(60_000);
                String mu = musicianIds[traffic.nextInt(MUSICIANS)];
                String instrument = INSTRUMENTS[traffic.nextInt(INSTRUMENTS.length)];
                String job = JOBS[traffic.nextInt(JOBS.length)];
                byte[] jig = svc.jigBuffers.poll();
                jig[(int) (opened % jig.length)] = (byte) opened;
                svc.jigBuffers.add(jig);
                long ticketNo = nextTicket++;
                long promised = at + (long) (20 + traffic.nextInt(180)) * MINUTE;
                svc.bench.put(ticketNo, new RepairTicket(ticketNo, mu, instrument, job, new byte[300 + traffic.nextInt(400)], at, promised));
                opened++;
                long collectAt = promised + (long) traffic.nextInt(90) * MINUTE;
                collections.add(new long[] {collectAt - collectAt % MINUTE + MINUTE, ticketNo});
                String sheetKey = instrument + "/" + job + "/" + woodCodes[traffic.nextInt(WOODS)];
                if (svc.setupSheets.get(sheetKey) == null) svc.setupSheets.put(sheetKey, new SetupSheet(sheetKey, new byte[400 + traffic.nextInt(400)], at));
            }
            // the bench screen looks up a few tickets by number every minute
            for (int k = 0; k < 5; k++) {
                lookups++;
                if (svc.bench.get(nextTicket - 1 - traffic.nextInt(2_000)) != null) lookupHits++;
            }
        }
        int open = collections.size();
        collections = null;
        RepairIndex ix = svc.bench;
        int holding = ix.slotsHoldingTickets(), deadHolding = ix.deletedHoldingTickets();
        System.out.println((FIXED ? "FIXED " : "") + "woods " + WOODS_BY_CODE.size() + " musicians " + svc.musicians.size() + " opened " + opened + " collected " + collected + " open " + open
                + " index size " + ix.size + " tombstones " + ix.tombstones + " capacity " + ix.keys.length + " rehashes " + ix.rehashes + " slots-holding-tickets " + holding + " deleted-holding " + deadHolding
                + " lookups " + lookups + " hits " + lookupHits + " sheets " + svc.setupSheets.size() + " (evicted " + svc.setupSheets.evicted + ") receipts " + svc.receiptsWritten + " pool " + svc.jigBuffers.size());
        check(WOODS_BY_CODE.size() == WOODS && svc.musicians.size() == MUSICIANS, "reference data / directory");
        check(opened == EXPECTED_OPENED && collected == EXPECTED_COLLECTED && open == opened - collected && ix.size == open, "tickets");
        check(holding == (FIXED ? open : opened) && deadHolding == (FIXED ? 0 : collected), "tickets held by the index: " + holding);
        check(ix.keys.length == (FIXED ? EXPECTED_CAP_FIXED : EXPECTED_CAP), "index capacity " + ix.keys.length);
        check(svc.setupSheets.size() == SHEET_CAP && svc.setupSheets.evicted == EXPECTED_SHEETS_EVICTED, "sheet LRU at cap");
        check(svc.jigBuffers.size() == POOL && svc.receiptsWritten == collected && svc.receipts[RING - 1] != null, "pool / receipts");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_OPENED = 9_128, EXPECTED_COLLECTED = 6_782, EXPECTED_SHEETS_EVICTED = 6_864;
    static final int EXPECTED_CAP = 16_384, EXPECTED_CAP_FIXED = 8_192;
}
