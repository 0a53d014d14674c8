// hprofscan-dump: name=val59-leak-bingohalls-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val59-leak-bingohalls-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val59-leak-bingohalls jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val59-leak-bingohalls-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Validation set 59 (written blind), LEAK: the session-and-ticket service of a chain of licensed
 * bingo halls. Hall reference data, the player-card directory, a cache of rendered game sheets at
 * its cap, a pool of ticket-printer buffers, a ring of recent ticket sales, and the regulatory audit
 * trail: every request appends an AuditRecord to the static CopyOnWriteArrayList
 * AuditTrail.OUTBOX, which the audit-shipping job was meant to drain to the regulator's archive
 * every 5 minutes. The job is registered in the job table but disabled by the default
 * configuration (audit.ship.enabled=false after a config refactor), so nothing ever drains the
 * outbox: it grows with traffic for as long as the process lives. See VALIDATION59.md.
 */
public final class Val59LeakBingoHalls {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SHIP_EVERY = 5 * MINUTE;
    static final int HALLS = 1_200, PLAYERS = 26_000, SHEET_CAP = 2_000, POOL = 8, RING = 4_096, REQUESTS_PER_HOUR = 5_000;
    static boolean FIXED;

    record Hall(String code, String town, double[] attendanceByWeek) {}
    record PlayerCard(String cardNo, String homeHall, String tier, byte[] kycRecord, long issuedAt) {}
    record GameSheet(String key, byte[] rendered, long at) {}
    record TicketSale(String cardNo, String hallCode, int books, long at) {}
    record AuditRecord(long id, String action, String hallCode, String cardNo, String terminal, long at, byte[] detail) {}

    /** The regulatory audit trail. */
    static final class AuditTrail {
        static final List<AuditRecord> OUTBOX = new CopyOnWriteArrayList<>();
        static long appended, shipped, shipRuns;
        static void append(AuditRecord r) { OUTBOX.add(r); appended++; }
    }

    /** The audit-shipping job: drains the outbox into the regulator's archive. */
    static final class AuditShipper {
        final boolean enabled; // BUG: audit.ship.enabled defaults to false since the config refactor
        AuditShipper(boolean enabled) { this.enabled = enabled; }
        void runIfDue() {
            if (!enabled) return;
            int n = AuditTrail.OUTBOX.size();
            // (would send OUTBOX[0..n) to the archive here)
            AuditTrail.OUTBOX.subList(0, n).clear();
            AuditTrail.shipped += n;
            AuditTrail.shipRuns++;
        }
    }

    static final class SheetCache extends LinkedHashMap<String, GameSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GameSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hall> HALLS_BY_CODE = new HashMap<>();

    static final class SessionService {
        final Map<String, PlayerCard> players = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final TicketSale[] recentSales = new TicketSale[RING];
        long sales;
        AuditShipper shipper;
    }

    static SessionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val59.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(59_010_001);
        String[] hallCodes = new String[HALLS];
        for (int h = 0; h < HALLS; h++) {
            double[] att = new double[64];
            for (int k = 0; k < att.length; k++) att[k] = rnd.nextDouble() * 400;
            hallCodes[h] = "BH-" + (3_000 + h);
            HALLS_BY_CODE.put(hallCodes[h], new Hall(hallCodes[h], "Town " + (h % 250), att));
        }
        SessionService svc = new SessionService();
        SERVICE = svc;
        svc.shipper = new AuditShipper(FIXED);
        String[] cards = new String[PLAYERS];
        String[] tiers = {"STANDARD", "SILVER", "GOLD", "VIP"};
        for (int p = 0; p < PLAYERS; p++) {
            cards[p] = "PC" + (40_000_000 + p * 3);
            svc.players.put(cards[p], new PlayerCard(cards[p], hallCodes[rnd.nextInt(HALLS)], tiers[p % tiers.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        Random traffic = new Random(59_010_002);
        String[] actions = {"SELL_BOOK", "CLAIM_LINE", "CLAIM_HOUSE", "PAYOUT", "VOID_TICKET", "CARD_LOOKUP"};
        long nextShip = start + SHIP_EVERY;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextShip <= t) { svc.shipper.runIfDue(); nextShip += SHIP_EVERY; }
            String card = cards[traffic.nextInt(PLAYERS)];
            String hall = hallCodes[traffic.nextInt(HALLS)];
            String action = actions[traffic.nextInt(actions.length)];
            String terminal = "T" + (100_000 + traffic.nextInt(50_000));
            AuditTrail.append(new AuditRecord(77_000_000L + i, action, hall, card, terminal, t, new byte[40 + traffic.nextInt(40)]));
            if (i % 2 == 0) {
                svc.recentSales[(int) (svc.sales++ % RING)] = new TicketSale(card, hall, 1 + traffic.nextInt(6), t);
                String key = "sheet-" + traffic.nextInt(5_000);
                if (svc.sheets.get(key) == null) svc.sheets.put(key, new GameSheet(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.printerBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.printerBuffers.add(buf);
            }
        }
        int outbox = AuditTrail.OUTBOX.size();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " halls " + HALLS_BY_CODE.size() + " players " + svc.players.size() + " audit outbox " + outbox + " (appended " + AuditTrail.appended
                + ", shipped " + AuditTrail.shipped + " in " + AuditTrail.shipRuns + " runs) sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.printerBuffers.size() + " sales " + svc.sales);
        check(HALLS_BY_CODE.size() == HALLS && svc.players.size() == PLAYERS, "reference data / directory");
        check(AuditTrail.appended == requests, "audit traffic");
        if (FIXED) check(AuditTrail.shipRuns == hours * 12 - 1 && outbox == requests - AuditTrail.shipped && outbox < REQUESTS_PER_HOUR / 10, "drained outbox: " + outbox);
        else check(outbox == requests && AuditTrail.shipped == 0, "outbox keeps everything: " + outbox);
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        check(svc.sales == requests / 2 && svc.recentSales[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
