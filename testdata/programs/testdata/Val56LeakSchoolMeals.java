// hprofscan-dump: name=val56-leak-schoolmeals jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val56-leak-schoolmeals-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 56 (written blind), LEAK: the cashless-catering hub of a school district. School
 * reference data, the pupil account directory, a cache of rendered menu pages at its cap, a pool of
 * receipt buffers, a ring of recent till transactions, and a quarantine (dead-letter) store: a till
 * message whose processing fails (pupil not yet synced from the school information system, unknown
 * till, stale price list) is parked there with its failure, and an operator endpoint is meant to
 * replay the store. Nobody calls it (the scheduled replay job was never deployed): every failed
 * message since start stays in the store. See VALIDATION56.md.
 */
public final class Val56LeakSchoolMeals {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SCHOOLS = 1_100, PUPILS = 30_000, MENU_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, MESSAGES = 200_000;
    static boolean FIXED;
    static final String[] REASONS = {"PUPIL_NOT_SYNCED", "UNKNOWN_TILL", "STALE_PRICE_LIST", "BALANCE_LOCKED"};

    record School(String urn, String name, double[] mealsByWeek) {}
    record PupilAccount(String upn, String schoolUrn, String yearGroup, byte[] dietaryProfile, long enrolledAt) {}
    record MenuPage(String key, byte[] rendered, long at) {}
    record TillTransaction(String messageId, String upn, int amountCents, long at) {}
    record TillMessage(String messageId, String tillId, String upn, String kind, int amountCents, long at, byte[] body) {}
    record Failure(String reason, String detail, int attempts, long failedAt) {}

    static final class Quarantined {
        final TillMessage message; final Failure failure;
        Quarantined(TillMessage message, Failure failure) { this.message = message; this.failure = failure; }
    }

    /** Dead-letter store for failed till messages; replay() is the operator endpoint. */
    static final class QuarantineStore {
        final Map<String, Quarantined> byMessageId = new LinkedHashMap<>();
        final long[] byReason = new long[REASONS.length];
        long quarantined, replayed, replayRuns, replayFailures, lastQuarantinedAt;
        void park(TillMessage m, Failure f) {
            byMessageId.put(m.messageId(), new Quarantined(m, f));
            quarantined++;
            for (int r = 0; r < REASONS.length; r++) if (REASONS[r].equals(f.reason())) byReason[r]++;
            lastQuarantinedAt = f.failedAt();
        }
        /** Operator endpoint: re-processes everything parked (the causes are transient sync lags). */
        int replay(CateringHub hub) {
            replayRuns++;
            int n = 0;
            for (Iterator<Quarantined> it = byMessageId.values().iterator(); it.hasNext(); ) {
                Quarantined q = it.next();
                hub.book(q.message);
                it.remove();
                replayed++; n++;
            }
            return n;
        }
    }

    static final class MenuCache extends LinkedHashMap<String, MenuPage> {
        long evicted;
        MenuCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MenuPage> e) { if (size() > MENU_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, School> SCHOOLS_BY_URN = new HashMap<>();

    static final class CateringHub {
        final Map<String, PupilAccount> pupils = new HashMap<>();
        final MenuCache menus = new MenuCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final TillTransaction[] recent = new TillTransaction[RING];
        long booked;
        final QuarantineStore quarantine = new QuarantineStore();
        void book(TillMessage m) {
            recent[(int) (booked++ % RING)] = new TillTransaction(m.messageId(), m.upn(), m.amountCents(), m.at());
            byte[] buf = receiptBuffers.poll();
            buf[(int) (booked % buf.length)] = (byte) m.amountCents();
            receiptBuffers.add(buf);
        }
    }

    static CateringHub SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val56.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(56_020_001);
        String[] urns = new String[SCHOOLS];
        for (int s = 0; s < SCHOOLS; s++) {
            double[] meals = new double[64];
            for (int k = 0; k < meals.length; k++) meals[k] = rnd.nextDouble() * 900;
            urns[s] = Integer.toString(100_000 + s * 17);
            SCHOOLS_BY_URN.put(urns[s], new School(urns[s], "School " + s, meals));
        }
        CateringHub hub = new CateringHub();
        SERVICE = hub;
        String[] upns = new String[PUPILS];
        for (int p = 0; p < PUPILS; p++) {
            upns[p] = "A" + (820_000_000_000L + p * 31L);
            hub.pupils.put(upns[p], new PupilAccount(upns[p], urns[rnd.nextInt(SCHOOLS)], "Y" + (1 + rnd.nextInt(13)), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) hub.receiptBuffers.add(new byte[32_768]);
        Random traffic = new Random(56_020_002);
        String[] kinds = {"MEAL", "MEAL", "MEAL", "SNACK", "TOP_UP"};
        long nextReplay = start + 15 * MINUTE;
        int failed = 0;
        for (int i = 0; i < MESSAGES; i++) {
            long t = start + (end - MINUTE - start) * i / MESSAGES;
            if (FIXED) while (nextReplay <= t) { hub.quarantine.replay(hub); nextReplay += 15 * MINUTE; }
            String upn = upns[traffic.nextInt(PUPILS)];
            String kind = kinds[traffic.nextInt(kinds.length)];
            TillMessage m = new TillMessage("TM-" + Long.toHexString(0x5c_0000_0000L + i), "TILL-" + traffic.nextInt(4_000), upn, kind, 150 + traffic.nextInt(400), t, new byte[300 + traffic.nextInt(300)]);
            if (traffic.nextInt(1_000) < 25) {
                int r = traffic.nextInt(REASONS.length);
                hub.quarantine.park(m, new Failure(REASONS[r], REASONS[r].toLowerCase() + ": till " + m.tillId() + " pupil " + upn + " at school sync cursor " + traffic.nextInt(1_000_000), 1, t));
                failed++;
            } else {
                hub.book(m);
            }
            String key = "menu-" + traffic.nextInt(5_000);
            if (hub.menus.get(key) == null) hub.menus.put(key, new MenuPage(key, new byte[500 + traffic.nextInt(500)], t));
        }
        QuarantineStore q = hub.quarantine;
        System.out.println((FIXED ? "FIXED " : "") + "schools " + SCHOOLS_BY_URN.size() + " pupils " + hub.pupils.size() + " messages " + MESSAGES + " failed " + failed + " quarantined now " + q.byMessageId.size()
                + " (replayed " + q.replayed + " in " + q.replayRuns + " runs) byReason " + java.util.Arrays.toString(q.byReason) + " booked " + hub.booked + " menus " + hub.menus.size() + " (evicted " + hub.menus.evicted + ") pool " + hub.receiptBuffers.size());
        check(SCHOOLS_BY_URN.size() == SCHOOLS && hub.pupils.size() == PUPILS, "reference data / directory");
        check(q.quarantined == failed && hub.booked + q.byMessageId.size() == MESSAGES, "traffic");
        if (FIXED) check(q.replayRuns == HOURS * 4 - 1 && q.byMessageId.size() < 200, "replayed store: " + q.byMessageId.size());
        else check(q.replayRuns == 0 && q.byMessageId.size() == failed, "store keeps every failure");
        check(hub.menus.size() == MENU_CAP && hub.menus.evicted > 0, "menu cache at cap");
        check(hub.receiptBuffers.size() == POOL, "pool");
        check(hub.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
