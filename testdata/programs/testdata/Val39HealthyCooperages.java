// hprofscan-dump: name=val39-healthy-cooperages jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val39-healthy-cooperages-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 39 (written blind), HEALTHY: the cask-warehouse service of a cooperage that also
 * stores filled casks for distilleries. Spirit reference data, the client directory, an LRU of
 * rendered cask certificates at its cap, a pool of label-printer buffers, a ring of cask movements,
 * and, biggest by far, the rack map: one RackSlot per physical rack position of the bonded
 * warehouses (10 warehouses x 36 rows x 6 tiers x 50 positions = 108,000), keyed by position code,
 * each with the cask in it (or none), its fill date and the time it was last moved. The map is built
 * from the warehouse layout at startup; moves, fills and disgorgements change slots, never the set of
 * positions, so it stays at exactly 108,000. No leak. See VALIDATION39.md.
 */
public final class Val39HealthyCooperages {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int WAREHOUSES = 10, ROWS = 36, TIERS = 6, POSITIONS = 50, SLOTS = WAREHOUSES * ROWS * TIERS * POSITIONS;
    static final int SPIRITS = 400, CLIENTS = 8_000, CERT_CAP = 2_000, POOL = 8, RING = 8_192, INITIAL_CASKS = 94_000, HOURS = 10;
    static final int MOVES_PER_HOUR = 1_200, FILLS_PER_HOUR = 150, DISGORGES_PER_HOUR = 150;

    record Spirit(String code, String name, double[] angelsShareByYear) {}
    record Client(String id, String name, String bondNo, byte[] contract, long since) {}
    record CaskCertificate(String key, byte[] rendered, long at) {}
    record CaskMove(long caskNo, String from, String to, String reason, long at) {}

    /** One physical rack position. caskNo == 0 means empty. */
    static final class RackSlot {
        final String position;
        long caskNo, filledAt, lastMovedAt;
        String spiritCode;
        float litres;
        RackSlot(String position) { this.position = position; }
    }

    static final class CertificateCache extends LinkedHashMap<String, CaskCertificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CaskCertificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Spirit> SPIRITS_BY_CODE = new HashMap<>();

    static final class WarehouseService {
        final Map<String, RackSlot> rackMap = new HashMap<>(262_144);
        final Map<String, Client> clients = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final CaskMove[] movements = new CaskMove[RING];
        long movementsWritten, fills, disgorged, moves;
        void log(CaskMove m) { movements[(int) (movementsWritten++ % RING)] = m; }
    }

    static WarehouseService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String position(int w, int r, int t, int p) {
        return "W" + (w < 9 ? "0" : "") + (w + 1) + "-R" + (r < 9 ? "0" : "") + (r + 1) + "-T" + (t + 1) + "-P" + (p < 9 ? "0" : "") + (p + 1);
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(39_060_001);
        String[] spiritCodes = new String[SPIRITS];
        for (int s = 0; s < SPIRITS; s++) {
            double[] a = new double[64];
            for (int k = 0; k < a.length; k++) a[k] = 1 + rnd.nextDouble() * 3;
            spiritCodes[s] = "SP-" + (700 + s);
            SPIRITS_BY_CODE.put(spiritCodes[s], new Spirit(spiritCodes[s], "Spirit " + s, a));
        }
        WarehouseService svc = new WarehouseService();
        SERVICE = svc;
        for (int c = 0; c < CLIENTS; c++) {
            String id = "CL-" + (12_000 + c);
            svc.clients.put(id, new Client(id, "Client " + c, "GB" + (40_000_000 + c * 17), new byte[150 + rnd.nextInt(150)], now - (long) (100 + rnd.nextInt(9_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        // the rack map, from the warehouse layout; 94,000 positions hold a cask
        RackSlot[] slots = new RackSlot[SLOTS];
        int n = 0;
        for (int w = 0; w < WAREHOUSES; w++)
            for (int r = 0; r < ROWS; r++)
                for (int t = 0; t < TIERS; t++)
                    for (int p = 0; p < POSITIONS; p++) {
                        RackSlot slot = new RackSlot(position(w, r, t, p));
                        slots[n++] = slot;
                        svc.rackMap.put(slot.position, slot);
                    }
        long nextCaskNo = 5_000_000L;
        int[] empty = new int[SLOTS];
        int emptyCount = 0, toFill = INITIAL_CASKS;
        for (int i = 0; i < SLOTS; i++) {
            RackSlot s = slots[i];
            if (rnd.nextInt(SLOTS - i) < toFill) { // selection sampling: exactly INITIAL_CASKS filled positions
                toFill--;
                s.caskNo = nextCaskNo++;
                s.filledAt = now - (long) (30 + rnd.nextInt(6_000)) * DAY;
                s.lastMovedAt = s.filledAt + (long) rnd.nextInt(25) * DAY;
                s.spiritCode = spiritCodes[rnd.nextInt(SPIRITS)];
                s.litres = 180 + rnd.nextInt(320);
            } else {
                empty[emptyCount++] = i;
            }
        }

        Random traffic = new Random(39_060_002);
        int events = (MOVES_PER_HOUR + FILLS_PER_HOUR + DISGORGES_PER_HOUR) * HOURS;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            int kind = traffic.nextInt(MOVES_PER_HOUR + FILLS_PER_HOUR + DISGORGES_PER_HOUR);
            if (kind < MOVES_PER_HOUR) { // move a cask to an empty position (regauging, consolidation)
                RackSlot from = filledSlot(slots, traffic);
                int e = traffic.nextInt(emptyCount);
                RackSlot to = slots[empty[e]];
                to.caskNo = from.caskNo; to.filledAt = from.filledAt; to.spiritCode = from.spiritCode; to.litres = from.litres - traffic.nextFloat(); to.lastMovedAt = t;
                empty[e] = indexOf(slots, from);
                from.caskNo = 0; from.spiritCode = null; from.litres = 0; from.filledAt = 0; from.lastMovedAt = t;
                svc.moves++;
                svc.log(new CaskMove(to.caskNo, from.position, to.position, "regauge", t));
            } else if (kind < MOVES_PER_HOUR + FILLS_PER_HOUR) { // a new filled cask goes into an empty position
                int e = traffic.nextInt(emptyCount);
                RackSlot to = slots[empty[e]];
                empty[e] = empty[--emptyCount];
                to.caskNo = nextCaskNo++; to.filledAt = t; to.lastMovedAt = t; to.spiritCode = spiritCodes[traffic.nextInt(SPIRITS)]; to.litres = 190 + traffic.nextInt(300);
                svc.fills++;
                svc.log(new CaskMove(to.caskNo, "filling-store", to.position, "fill", t));
            } else { // a matured cask is disgorged: its position becomes empty
                RackSlot from = filledSlot(slots, traffic);
                svc.log(new CaskMove(from.caskNo, from.position, "disgorging-hall", "disgorge", t));
                from.caskNo = 0; from.spiritCode = null; from.litres = 0; from.filledAt = 0; from.lastMovedAt = t;
                empty[emptyCount++] = indexOf(slots, from);
                svc.disgorged++;
            }
            String key = "cask-" + (5_000_000L + traffic.nextInt((int) (nextCaskNo - 5_000_000L))) + "/cert";
            if (svc.certificates.get(key) == null) svc.certificates.put(key, new CaskCertificate(key, new byte[400 + traffic.nextInt(400)], t));
            String key2 = "cask-" + (5_000_000L + traffic.nextInt((int) (nextCaskNo - 5_000_000L))) + "/cert";
            if (svc.certificates.get(key2) == null) svc.certificates.put(key2, new CaskCertificate(key2, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        int filled = 0, movedToday = 0;
        for (RackSlot s : svc.rackMap.values()) { if (s.caskNo != 0) filled++; if (s.lastMovedAt >= start) movedToday++; }
        java.util.BitSet seen = new java.util.BitSet(SLOTS);
        for (int k = 0; k < emptyCount; k++) { check(slots[empty[k]].caskNo == 0 && !seen.get(empty[k]), "free list"); seen.set(empty[k]); }
        seen = null;
        slots = null;
        empty = null;
        System.out.println("spirits " + SPIRITS_BY_CODE.size() + " clients " + svc.clients.size() + " rack-slots " + svc.rackMap.size() + " filled " + filled + " empty " + emptyCount + " moved-today " + movedToday
                + " moves " + svc.moves + " fills " + svc.fills + " disgorged " + svc.disgorged + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") movements " + svc.movementsWritten + " pool " + svc.labelBuffers.size());
        check(SPIRITS_BY_CODE.size() == SPIRITS && svc.clients.size() == CLIENTS, "reference data / directory");
        check(svc.rackMap.size() == SLOTS && SLOTS == 108_000, "rack map = warehouse layout");
        check(filled + emptyCount == SLOTS && filled == INITIAL_CASKS + svc.fills - svc.disgorged, "cask accounting");
        check(svc.fills == EXPECTED_FILLS && svc.disgorged == EXPECTED_DISGORGED && movedToday == EXPECTED_MOVED_TODAY, "traffic");
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.movements[RING - 1] != null, "ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static RackSlot filledSlot(RackSlot[] slots, Random traffic) {
        while (true) {
            RackSlot s = slots[traffic.nextInt(slots.length)];
            if (s.caskNo != 0) return s;
        }
    }

    static int indexOf(RackSlot[] slots, RackSlot s) {
        // position code -> index in layout order
        String p = s.position;
        int w = Integer.parseInt(p.substring(1, 3)) - 1, r = Integer.parseInt(p.substring(5, 7)) - 1, t = p.charAt(9) - '1', q = Integer.parseInt(p.substring(12, 14)) - 1;
        return ((w * ROWS + r) * TIERS + t) * POSITIONS + q;
    }

    static final long EXPECTED_FILLS = 1_508, EXPECTED_DISGORGED = 1_509;
    static final int EXPECTED_MOVED_TODAY = 21_279;
}
