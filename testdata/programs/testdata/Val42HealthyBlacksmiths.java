// hprofscan-dump: name=val42-healthy-blacksmiths-1 jvm="-Xmx266m" variants=mxbean args="stage=1"
// hprofscan-dump: name=val42-healthy-blacksmiths-2 jvm="-Xmx266m" variants=mxbean args="stage=2"
// hprofscan-dump: name=val42-healthy-blacksmiths jvm="-Xmx266m" variants=mxbean args="stage=3"
// hprofscan-dump: name=val42-healthy-blacksmiths-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="stage=3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 42 (written blind), HEALTHY (series): the commission service of an architectural
 * blacksmiths' forge (gates, railings, balustrades, farrier stock). Steel-grade reference data, the
 * customer directory (19,000 accounts loaded at startup, new customers signing up during the day:
 * 20,000 / 21,000 / 22,050 accounts after 2 / 4 / 6 hours, +5% per stage, bounded by the population
 * of customers), a lazily warmed catalogue of 1,800 ironwork patterns (complete after 180 minutes), an
 * LRU of rendered drawings at its cap, a pool of plasma-cutter buffers, a ring of invoices, the
 * commissions in progress. No leak. No thread besides main. See VALIDATION42.md.
 */
public final class Val42HealthyBlacksmiths {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int GRADES = 700, BASE_CUSTOMERS = 19_000, PATTERNS = 1_800, DRAWING_CAP = 600, POOL = 8, RING = 1_024;
    static final String[] PIECES = {"gate", "railing", "balustrade", "fire-basket", "weathervane", "horseshoe-stock", "hinge-set"};

    record SteelGrade(String grade, String name, double[] forgingCurve) {}
    record Customer(String id, String name, byte[] siteNotes, long since) {}
    record IronworkPattern(String code, int scrolls, byte[] cutProfile, long drawnAt) {}
    record Drawing(String key, byte[] rendered, long at) {}
    record Invoice(String commissionId, String customerId, int amountCents, long issuedAt) {}
    record Commission(String commissionId, String customerId, String patternCode, String grade, int priceCents, long orderedAt, long dueAt) {}

    static final class DrawingCache extends LinkedHashMap<String, Drawing> {
        long evicted;
        DrawingCache() { super(1_024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Drawing> e) { if (size() > DRAWING_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, SteelGrade> GRADES_BY_CODE = new HashMap<>();

    static final class ForgeService {
        final Map<String, Customer> customers = new HashMap<>();
        final List<String> customerIds = new ArrayList<>();
        final Map<String, IronworkPattern> patterns = new HashMap<>();
        final DrawingCache drawings = new DrawingCache();
        final ArrayDeque<byte[]> plasmaBuffers = new ArrayDeque<>();
        final Invoice[] invoices = new Invoice[RING];
        final Map<String, Commission> openCommissions = new HashMap<>();
        long invoicesWritten;

        void signUp(int n, long at, Random r) {
            String id = "BS-" + (100_000 + n * 13);
            customers.put(id, new Customer(id, "Customer " + n, new byte[200 + r.nextInt(200)], at));
            customerIds.add(id);
        }

        IronworkPattern pattern(int p, long at) {
            String code = "IP-" + (5_000 + p);
            IronworkPattern ip = patterns.get(code);
            if (ip == null) {
                Random r = new Random(42_050_100L + p);
                ip = new IronworkPattern(code, 2 + r.nextInt(30), new byte[1_000 + r.nextInt(1_000)], at - (long) (10 + r.nextInt(8_000)) * DAY);
                patterns.put(code, ip);
            }
            return ip;
        }
    }

    static ForgeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Cumulative sign-ups after minute m (0-based) of the day: 1,000 per 2 h for 4 h, then 1,050 per 2 h. */
    static int signUpsAfter(int m) { return m < 240 ? (m + 1) * 1_000 / 120 : 2_000 + (m - 239) * 1_050 / 120; }

    public static void main(String[] args) throws Exception {
        int stage = 3;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("stage=")) stage = Integer.parseInt(args[i].substring(6));
            else throw new IllegalArgumentException("unexpected argument " + args[i]);
        }
        check(stage >= 1 && stage <= 3, "stage " + stage);
        int minutes = 120 * stage;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - minutes * MINUTE;
        Random rnd = new Random(42_050_001);
        String[] grades = new String[GRADES];
        for (int g = 0; g < GRADES; g++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = 700 + rnd.nextDouble() * 600;
            grades[g] = "SG-" + (300 + g);
            GRADES_BY_CODE.put(grades[g], new SteelGrade(grades[g], "Steel " + g, c));
        }
        ForgeService svc = new ForgeService();
        SERVICE = svc;
        Random signUps = new Random(42_050_003);
        for (int c = 0; c < BASE_CUSTOMERS; c++) svc.signUp(c, start - (long) (1 + rnd.nextInt(7_000)) * DAY, signUps);
        for (int b = 0; b < POOL; b++) svc.plasmaBuffers.add(new byte[32_768]);

        Random traffic = new Random(42_050_002);
        Map<Long, List<Commission>> due = new HashMap<>();
        long ordered = 0, completed = 0, warmed = 0;
        int m = 0;
        for (long minute = start; minute < end; minute += MINUTE, m++) {
            List<Commission> done = due.remove(minute);
            if (done != null) for (Commission c : done) {
                svc.openCommissions.remove(c.commissionId());
                svc.invoices[(int) (svc.invoicesWritten++ % RING)] = new Invoice(c.commissionId(), c.customerId(), c.priceCents(), minute);
                completed++;
            }
            while (svc.customers.size() < BASE_CUSTOMERS + signUpsAfter(m)) svc.signUp(svc.customers.size(), minute + 30_000, signUps);
            for (int w = 0; w < 10 && svc.patterns.size() < PATTERNS; w++) svc.pattern((int) (warmed++ % PATTERNS), minute);
            int orders = 5 + traffic.nextInt(8);
            for (int k = 0; k < orders; k++) {
                long at = minute + traffic.nextInt(60_000);
                String cust = svc.customerIds.get(traffic.nextInt(svc.customerIds.size()));
                IronworkPattern p = svc.pattern(traffic.nextInt(PATTERNS), at);
                String grade = grades[traffic.nextInt(GRADES)];
                Commission c = new Commission("CM-" + (80_000 + ordered), cust, p.code(), grade, 20_000 + traffic.nextInt(400_000), at, minute + (long) (20 + traffic.nextInt(100)) * MINUTE);
                svc.openCommissions.put(c.commissionId(), c);
                due.computeIfAbsent(c.dueAt(), x -> new ArrayList<>()).add(c);
                ordered++;
                String key = p.code() + "/" + PIECES[traffic.nextInt(PIECES.length)] + "/" + grade;
                if (svc.drawings.get(key) == null) svc.drawings.put(key, new Drawing(key, new byte[600 + traffic.nextInt(600)], at));
                byte[] buf = svc.plasmaBuffers.poll();
                buf[(int) (ordered % buf.length)] = (byte) ordered;
                svc.plasmaBuffers.add(buf);
            }
        }
        due = null;
        System.gc();
        System.out.println("stage " + stage + " (" + minutes + " min) grades " + GRADES_BY_CODE.size() + " customers " + svc.customers.size() + " patterns " + svc.patterns.size()
                + " ordered " + ordered + " completed " + completed + " open " + svc.openCommissions.size() + " drawings " + svc.drawings.size() + " (evicted " + svc.drawings.evicted
                + ") invoices " + svc.invoicesWritten + " pool " + svc.plasmaBuffers.size());
        check(GRADES_BY_CODE.size() == GRADES && svc.customers.size() == EXPECTED_CUSTOMERS[stage - 1] && svc.customerIds.size() == svc.customers.size(), "customers " + svc.customers.size());
        check(svc.patterns.size() == EXPECTED_PATTERNS[stage - 1], "patterns " + svc.patterns.size());
        check(ordered == EXPECTED_ORDERED[stage - 1] && completed == EXPECTED_COMPLETED[stage - 1] && svc.openCommissions.size() == ordered - completed, "commissions");
        check(svc.drawings.size() == DRAWING_CAP && svc.drawings.evicted == EXPECTED_DRAWINGS_EVICTED[stage - 1], "drawing LRU at cap");
        check(svc.plasmaBuffers.size() == POOL && svc.invoicesWritten == completed && (stage == 1 || svc.invoices[RING - 1] != null), "pool / invoices");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long[] EXPECTED_CUSTOMERS = {20_000, 21_000, 22_050}, EXPECTED_PATTERNS = {1_460, 1_800, 1_800}, EXPECTED_ORDERED = {1_021, 2_031, 3_062}, EXPECTED_COMPLETED = {449, 1_430, 2_485}, EXPECTED_DRAWINGS_EVICTED = {421, 1_431, 2_462};
}
