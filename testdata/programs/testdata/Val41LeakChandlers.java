// hprofscan-dump: name=val41-leak-chandlers-1 jvm="-Xmx266m" variants=mxbean args="stage=1"
// hprofscan-dump: name=val41-leak-chandlers-2 jvm="-Xmx266m" variants=mxbean args="stage=2"
// hprofscan-dump: name=val41-leak-chandlers jvm="-Xmx266m" variants=mxbean args="stage=3"
// hprofscan-dump: name=val41-leak-chandlers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="stage=3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Validation set 41 (written blind), LEAK, series: the stock service of a ship chandler that supplies
 * vessels in 24 ports. Each port's agent terminal sends numbered stock movements (one sequence per
 * port) over a link that may reorder them by a few seconds; the MovementSequencer applies each
 * port's movements strictly in sequence order and parks early arrivals in the port's TreeMap of
 * pendingByPort until the gap before them is filled. The feed has no re-send and the sequencer no gap
 * timeout: when the link of the six northern ports flapped 20 minutes into the run, each of them
 * lost one movement, and from then on every movement of those ports is parked forever. An outer map
 * with a bounded key set (the 24 ports) whose inner maps grow without bound. SKU reference data, the
 * vessel directory (warmed lazily), an LRU of rendered delivery notes, a pool of label-printer
 * buffers, a ring of applied movements, the on-hand stock per port and SKU. See VALIDATION41.md.
 */
public final class Val41LeakChandlers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SKUS = 900, VESSELS = 2_400, PORTS = 24, NOTE_CAP = 600, POOL = 8, RING = 2_048;
    static final long[] STAGE_MINUTES = {0, 120, 220, 420};
    static final String[] PORT_NAMES = {"Tromso", "Bodo", "Trondheim", "Bergen", "Stavanger", "Aberdeen", // the six northern ports (the link flaps)
            "Hull", "Felixstowe", "Rotterdam", "Antwerp", "Le-Havre", "Bilbao", "Vigo", "Lisbon", "Algeciras", "Valencia",
            "Barcelona", "Marseille", "Genoa", "Livorno", "Naples", "Piraeus", "Valletta", "Gibraltar"};
    static final int FLAPPING_PORTS = 6;
    static final long FLAP_AT_MINUTE = 20, GAP_TIMEOUT = 2 * MINUTE;
    static boolean FIXED;

    record Sku(String code, String description, double[] priceByQty) {}
    record Vessel(String imo, String name, byte[] provisioningProfile, long firstCalledAt) {}
    record DeliveryNote(String key, byte[] rendered, long at) {}
    record StockMovement(String port, long seq, String vesselImo, String skuCode, int qty, byte[] ediPayload, long sentAt, long receivedAt) {}

    /** Applies each port's movements in sequence order; parks early arrivals. */
    static final class MovementSequencer {
        final Map<String, TreeMap<Long, StockMovement>> pendingByPort = new HashMap<>();
        final Map<String, Long> nextExpected = new HashMap<>();
        final Map<String, Long> gapSince = new HashMap<>();
        long parkedTotal, skipped;

        /** Returns the movements now applicable, in order. */
        List<StockMovement> accept(StockMovement mv) {
            TreeMap<Long, StockMovement> pending = pendingByPort.computeIfAbsent(mv.port(), p -> new TreeMap<>());
            long expected = nextExpected.getOrDefault(mv.port(), 1L);
            List<StockMovement> ready = new ArrayList<>();
            if (mv.seq() < expected) return ready; // a duplicate
            if (mv.seq() > expected) {
                pending.put(mv.seq(), mv);
                parkedTotal++;
                gapSince.putIfAbsent(mv.port(), mv.receivedAt());
                return ready;
            }
            ready.add(mv);
            expected++;
            drain(pending, expected, ready, mv.port());
            return ready;
        }

        private void drain(TreeMap<Long, StockMovement> pending, long expected, List<StockMovement> ready, String port) {
            while (!pending.isEmpty() && pending.firstKey() == expected) {
                ready.add(pending.pollFirstEntry().getValue());
                expected++;
            }
            nextExpected.put(port, expected);
            if (pending.isEmpty()) gapSince.remove(port); else gapSince.put(port, pending.firstEntry().getValue().receivedAt());
        }

        /** The fix: a gap older than the timeout is skipped (the missing movement is reported for a re-send). */
        List<StockMovement> expireGaps(long now) {
            List<StockMovement> ready = new ArrayList<>();
            if (!FIXED) return ready;
            for (Map.Entry<String, TreeMap<Long, StockMovement>> e : pendingByPort.entrySet()) {
                Long since = gapSince.get(e.getKey());
                if (since == null || now - since < GAP_TIMEOUT || e.getValue().isEmpty()) continue;
                long first = e.getValue().firstKey();
                skipped += first - nextExpected.getOrDefault(e.getKey(), 1L);
                drain(e.getValue(), first, ready, e.getKey());
            }
            return ready;
        }
    }

    static final class NoteCache extends LinkedHashMap<String, DeliveryNote> {
        long evicted;
        NoteCache() { super(1_024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DeliveryNote> e) { if (size() > NOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Sku> SKUS_BY_CODE = new HashMap<>();

    static final class ChandleryService {
        final Map<String, Vessel> vessels = new HashMap<>();
        final MovementSequencer sequencer = new MovementSequencer();
        final Map<String, int[]> onHandByPort = new HashMap<>();
        final NoteCache deliveryNotes = new NoteCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final StockMovement[] applied = new StockMovement[RING];
        long appliedWritten;
    }

    static ChandleryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val41.fixed");
        int stage = 3;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("stage=")) stage = Integer.parseInt(args[i].substring(6)); else throw new IllegalArgumentException(args[i]);
        }
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - STAGE_MINUTES[stage] * MINUTE;
        Random rnd = new Random(41_030_001);
        String[] skuCodes = new String[SKUS];
        Map<String, Integer> skuIndex = new HashMap<>();
        for (int s = 0; s < SKUS; s++) {
            double[] p = new double[64];
            for (int k = 0; k < p.length; k++) p[k] = 1 + rnd.nextDouble() * 400;
            skuCodes[s] = "IMPA-" + (150_000 + s * 11);
            skuIndex.put(skuCodes[s], s);
            SKUS_BY_CODE.put(skuCodes[s], new Sku(skuCodes[s], "Ship store " + s, p));
        }
        ChandleryService svc = new ChandleryService();
        SERVICE = svc;
        String[] imos = new String[VESSELS];
        int[] profileLen = new int[VESSELS];
        long[] firstCall = new long[VESSELS];
        for (int v = 0; v < VESSELS; v++) {
            imos[v] = "IMO" + (9_100_000 + v * 13);
            profileLen[v] = 1_000 + rnd.nextInt(1_000);
            firstCall[v] = now - (long) (30 + rnd.nextInt(3_000)) * DAY;
        }
        for (String p : PORT_NAMES) svc.onHandByPort.put(p, new int[SKUS]);
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);

        Random traffic = new Random(41_030_002);
        long[] nextSeq = new long[PORTS];
        boolean[] lost = new boolean[PORTS];
        long sent = 0, lostCount = 0, appliedCount = 0, vesselLoads = 0;
        // in-transit movements, by arrival time
        java.util.PriorityQueue<StockMovement> transit = new java.util.PriorityQueue<>((a, b) -> a.receivedAt() != b.receivedAt() ? Long.compare(a.receivedAt(), b.receivedAt()) : a.port().compareTo(b.port()) != 0 ? a.port().compareTo(b.port()) : Long.compare(a.seq(), b.seq()));
        long m = 0;
        for (long minute = start; minute < end; minute += MINUTE, m++) {
            for (int p = 0; p < PORTS; p++) {
                int n = traffic.nextInt(5);
                for (int k = 0; k < n; k++) {
                    long at = minute + traffic.nextInt(60_000);
                    int v = traffic.nextInt(VESSELS);
                    StockMovement mv = new StockMovement(PORT_NAMES[p], ++nextSeq[p], imos[v], skuCodes[traffic.nextInt(SKUS)], 1 + traffic.nextInt(60), new byte[400 + traffic.nextInt(600)], at, at + 200 + traffic.nextInt(8_000));
                    sent++;
                    if (!svc.vessels.containsKey(imos[v])) { svc.vessels.put(imos[v], new Vessel(imos[v], "MV " + v, new byte[profileLen[v]], firstCall[v])); vesselLoads++; } // warmed on the vessel's first order
                    if (p < FLAPPING_PORTS && !lost[p] && m >= FLAP_AT_MINUTE) { lost[p] = true; lostCount++; continue; } // lost in the link flap
                    transit.add(mv);
                }
            }
            // deliver everything that arrives before the end of this minute
            while (!transit.isEmpty() && transit.peek().receivedAt() < minute + MINUTE) {
                StockMovement mv = transit.poll();
                for (StockMovement r : svc.sequencer.accept(mv)) appliedCount += apply(svc, r, skuIndex, imos, profileLen, firstCall, traffic);
            }
            for (StockMovement r : svc.sequencer.expireGaps(minute + MINUTE)) appliedCount += apply(svc, r, skuIndex, imos, profileLen, firstCall, traffic);
        }
        int inTransit = transit.size();
        transit = null;
        long parked = 0, parkedFlapping = 0, parkedOthers = 0, oldestParked = Long.MAX_VALUE;
        for (Map.Entry<String, TreeMap<Long, StockMovement>> e : svc.sequencer.pendingByPort.entrySet()) {
            parked += e.getValue().size();
            boolean flapping = false;
            for (int p = 0; p < FLAPPING_PORTS; p++) flapping |= PORT_NAMES[p].equals(e.getKey());
            if (flapping) parkedFlapping += e.getValue().size(); else parkedOthers += e.getValue().size();
            for (StockMovement mv : e.getValue().values()) oldestParked = Math.min(oldestParked, mv.receivedAt());
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " minutes " + STAGE_MINUTES[stage] + " skus " + SKUS_BY_CODE.size() + " vessels " + svc.vessels.size() + " sent " + sent + " lost " + lostCount
                + " in-transit " + inTransit + " applied " + appliedCount + " parked " + parked + " (flapping ports " + parkedFlapping + ", others " + parkedOthers + ") parked-ever " + svc.sequencer.parkedTotal
                + " skipped " + svc.sequencer.skipped + " oldest parked " + (end - oldestParked) / MINUTE + " min ago ports " + svc.sequencer.pendingByPort.size()
                + " notes " + svc.deliveryNotes.size() + " (evicted " + svc.deliveryNotes.evicted + ") ring " + svc.appliedWritten + " pool " + svc.printerBuffers.size());
        long[] exp = EXPECTED[stage - 1];
        check(SKUS_BY_CODE.size() == SKUS && svc.onHandByPort.size() == PORTS && svc.sequencer.pendingByPort.size() == PORTS, "reference data / ports");
        check(sent == exp[0] && lostCount == FLAPPING_PORTS && inTransit == exp[1], "movements sent");
        check(FIXED ? parked == exp[6] : (parkedFlapping == exp[2] && parkedOthers == exp[3]), "parked movements " + parkedFlapping + " / " + parkedOthers);
        check(appliedCount + parked + inTransit + lostCount == sent && svc.sequencer.skipped == (FIXED ? FLAPPING_PORTS : 0), "conservation");
        check(svc.vessels.size() == exp[4] && vesselLoads == exp[4], "vessel directory " + svc.vessels.size());
        check(svc.deliveryNotes.size() == NOTE_CAP && svc.deliveryNotes.evicted == exp[FIXED ? 7 : 5], "delivery-note LRU at cap");
        check(svc.printerBuffers.size() == POOL && svc.appliedWritten == appliedCount, "pool / ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static int apply(ChandleryService svc, StockMovement mv, Map<String, Integer> skuIndex, String[] imos, int[] profileLen, long[] firstCall, Random traffic) {
        svc.onHandByPort.get(mv.port())[skuIndex.get(mv.skuCode())] -= mv.qty();
        svc.applied[(int) (svc.appliedWritten++ % RING)] = mv;
        if (!svc.vessels.containsKey(mv.vesselImo())) throw new IllegalStateException("vessel not in the directory");
        String noteKey = mv.vesselImo() + "/" + mv.port() + "/" + (mv.seq() / 4);
        if (svc.deliveryNotes.get(noteKey) == null) {
            byte[] buf = svc.printerBuffers.poll();
            buf[(int) (mv.seq() % buf.length)] = (byte) mv.seq();
            svc.printerBuffers.add(buf);
            svc.deliveryNotes.put(noteKey, new DeliveryNote(noteKey, new byte[400 + (int) (mv.seq() % 400)], mv.receivedAt()));
        }
        return 1;
    }

    // per stage: sent, in transit, parked on the flapping ports, parked on the others, vessels, notes evicted, parked (fixed), notes evicted (fixed)
    static final long[][] EXPECTED = {
        {5_737, 6, 1_193, 5, 2_201, 3_925, 7, 5_116},
        {10_567, 2, 2_380, 3, 2_371, 7_573, 3, 9_953},
        {20_206, 1, 4_742, 0, 2_400, 14_854, 3, 19_591},
    };
}
