// hprofscan-dump: name=val135-leak-hospicecare jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val135-leak-hospicecare-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 135 (written blind), LEAK: the clinical service of a hospice (in-patient unit and
 * community palliative-care teams). Formulary reference data, the patient register, a cache of
 * rendered care-plan letters at its cap, a pool of label-printer buffers, a ring of recent
 * syringe-driver checks, the pharmacy order queue with its normal backlog, and a compatibility
 * checker for two-drug syringe-driver mixtures that memoises its results in a
 * {@code ConcurrentHashMap<QueryKey, CompatibilityResult>} with {@code computeIfAbsent}. The key is a
 * record built from the whole check request, and so (by mistake) includes the request's timestamp:
 * every lookup misses and every check adds an entry, although the real query space (two of 40
 * syringe-driver drugs and one of 2 diluents) has fewer than 1,600 keys. See VALIDATION135.md.
 */
public final class Val135LeakHospiceCare {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int FORMULARY = 800, PATIENTS = 20_000, LETTER_CAP = 2_000, POOL = 8, RING = 8_192, CHECKS = 36_000, HOURS = 10, DRIVER_DRUGS = 40;
    static boolean FIXED;

    static final String[] DRIVER_DRUG_NAMES = {"morphine sulfate", "diamorphine", "oxycodone", "alfentanil", "hydromorphone", "midazolam", "levomepromazine",
            "haloperidol", "cyclizine", "metoclopramide", "hyoscine butylbromide", "hyoscine hydrobromide", "glycopyrronium", "octreotide", "dexamethasone",
            "ketamine", "ondansetron", "ranitidine", "phenobarbital", "clonazepam", "furosemide", "ketorolac", "methadone", "fentanyl", "diclofenac",
            "granisetron", "promethazine", "tramadol", "buprenorphine", "lacosamide", "levetiracetam", "esomeprazole", "parecoxib", "dimenhydrinate",
            "droperidol", "chlorpromazine", "clonidine", "lidocaine", "sodium valproate", "methotrimeprazine"};
    static final String[] DILUENTS = {"water for injections", "sodium chloride 0.9%"};
    static final String[] VERDICTS = {"COMPATIBLE", "COMPATIBLE_WITH_CAUTION", "LIMITED_DATA", "INCOMPATIBLE_AT_HIGH_DOSE"};
    static final String[] TEAMS = {"IPU", "COMMUNITY-N", "COMMUNITY-S", "COMMUNITY-E", "COMMUNITY-W", "HOSPICE-AT-HOME", "DAY-HOSPICE"};

    record FormularyItem(String code, String name, String form, double[] stabilityByHour) {}
    record Patient(String patientId, String nhsNumber, String name, String team, byte[] carePlan, long admittedAt) {}
    record CarePlanLetter(String key, byte[] pdf, long renderedAt) {}
    record DriverCheck(long checkId, String patientId, String drugA, String drugB, String diluent, String verdict, long at) {}
    record PharmacyOrder(String patientId, String drugA, String drugB, long orderedAt) {}

    /** The memo key: built from the whole check request, {@code requestedAt} included (BUG; the fix passes 0). */
    record QueryKey(String drugA, String drugB, String diluent, long requestedAt) {}

    static final class CompatibilityResult {
        final String verdict; final float[] stableHoursByConcentration; final String notes; final long computedAt;
        CompatibilityResult(String verdict, float[] stable, String notes, long computedAt) { this.verdict = verdict; this.stableHoursByConcentration = stable; this.notes = notes; this.computedAt = computedAt; }
    }

    static final class CompatibilityChecker {
        final ConcurrentHashMap<QueryKey, CompatibilityResult> memo = new ConcurrentHashMap<>();
        long lookups, computed;

        CompatibilityResult check(String drugA, String drugB, String diluent, long requestedAt) {
            lookups++;
            String a = drugA.compareTo(drugB) <= 0 ? drugA : drugB, b = a == drugA ? drugB : drugA;
            QueryKey key = new QueryKey(a, b, diluent, FIXED ? 0L : requestedAt);
            return memo.computeIfAbsent(key, k -> compute(k, requestedAt));
        }

        private CompatibilityResult compute(QueryKey k, long now) {
            computed++;
            Random r = new Random((k.drugA() + "+" + k.drugB() + "/" + k.diluent()).hashCode());
            float[] stable = new float[24];
            for (int i = 0; i < stable.length; i++) stable[i] = 24f - r.nextFloat() * i;
            String verdict = VERDICTS[r.nextInt(VERDICTS.length)];
            return new CompatibilityResult(verdict, stable, k.drugA() + " with " + k.drugB() + " in " + k.diluent() + ": " + verdict.toLowerCase().replace('_', ' ')
                    + "; observed 24 h at 25 C, max concentration " + (5 + r.nextInt(60)) + " mg/ml; source ref PCF-" + (1_000 + r.nextInt(9_000)), now);
        }
    }

    static final class LetterCache extends LinkedHashMap<String, CarePlanLetter> {
        long evicted;
        LetterCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CarePlanLetter> e) { if (size() > LETTER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, FormularyItem> FORMULARY_BY_CODE = new HashMap<>();

    static final class CareService {
        final Map<String, Patient> patients = new HashMap<>();
        final String[] patientIds = new String[PATIENTS];
        final CompatibilityChecker checker = new CompatibilityChecker();
        final LetterCache letters = new LetterCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final DriverCheck[] recentChecks = new DriverCheck[RING];
        final ArrayDeque<PharmacyOrder> pharmacyOrders = new ArrayDeque<>();
        Set<QueryKey> distinctQueries = new HashSet<>(); // for the printed counts only (a, b, diluent); dropped before the dump
        long checks, letterRequests, letterRenders, ordersPlaced, ordersDispatched;

        void syringeDriverCheck(Random r, long t) {
            Patient p = patients.get(patientIds[r.nextInt(PATIENTS)]);
            // a few combinations are far more common (opioid + midazolam / levomepromazine / hyoscine / haloperidol)
            int a = r.nextInt(3) == 0 ? r.nextInt(5) : r.nextInt(DRIVER_DRUGS);
            int b = r.nextInt(3) == 0 ? 5 + r.nextInt(8) : r.nextInt(DRIVER_DRUGS);
            if (a == b) b = (b + 1) % DRIVER_DRUGS;
            String drugA = DRIVER_DRUG_NAMES[a], drugB = DRIVER_DRUG_NAMES[b], diluent = DILUENTS[r.nextInt(5) == 0 ? 1 : 0];
            CompatibilityResult res = checker.check(drugA, drugB, diluent, t);
            String x = drugA.compareTo(drugB) <= 0 ? drugA : drugB, y = x == drugA ? drugB : drugA;
            distinctQueries.add(new QueryKey(x, y, diluent, 0L));
            recentChecks[(int) (checks % RING)] = new DriverCheck(checks, p.patientId(), drugA, drugB, diluent, res.verdict, t);
            checks++;
            // one check in ten sets up a new driver, which the pharmacy makes up
            if (r.nextInt(10) == 0 && !res.verdict.startsWith("INCOMPATIBLE")) { pharmacyOrders.addLast(new PharmacyOrder(p.patientId(), drugA, drugB, t)); ordersPlaced++; }
            if (r.nextInt(2) == 0) letter(p, r, t);
        }

        void letter(Patient p, Random r, long t) {
            letterRequests++;
            String key = p.patientId() + "/care-plan/v" + (1 + r.nextInt(3));
            if (letters.get(key) == null) {
                byte[] buf = labelBuffers.poll();
                buf[(int) (letterRenders % buf.length)] = (byte) key.length();
                labelBuffers.add(buf);
                letters.put(key, new CarePlanLetter(key, new byte[400 + r.nextInt(400)], t));
                letterRenders++;
            }
        }

        /** The pharmacy van leaves every 30 minutes with the orders made up (at least 40 minutes old). */
        void dispatch(long t) {
            while (!pharmacyOrders.isEmpty() && pharmacyOrders.peekFirst().orderedAt() <= t - 40 * MINUTE) { pharmacyOrders.pollFirst(); ordersDispatched++; }
        }
    }

    static CareService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(135_050_001);
        for (int f = 0; f < FORMULARY; f++) {
            double[] stab = new double[72];
            for (int k = 0; k < stab.length; k++) stab[k] = 100 - rnd.nextDouble() * k;
            String code = "BNF-" + (40_000 + f * 13);
            String name = f < DRIVER_DRUGS ? DRIVER_DRUG_NAMES[f] : "formulary item " + f;
            FORMULARY_BY_CODE.put(code, new FormularyItem(code, name, f % 3 == 0 ? "injection" : f % 3 == 1 ? "oral solution" : "tablet", stab));
        }
        CareService svc = new CareService();
        SERVICE = svc;
        for (int i = 0; i < PATIENTS; i++) {
            svc.patientIds[i] = "HSP" + (600_000 + i * 7);
            svc.patients.put(svc.patientIds[i], new Patient(svc.patientIds[i], String.valueOf(4_000_000_000L + i * 37L), "Patient " + i, TEAMS[rnd.nextInt(TEAMS.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(135_050_002);
        long nextVan = start + 30 * MINUTE;
        for (int i = 0; i < CHECKS; i++) {
            long t = start + (end - MINUTE - start) * i / CHECKS;
            while (nextVan <= t) { svc.dispatch(nextVan); nextVan += 30 * MINUTE; }
            svc.syringeDriverCheck(traffic, t);
        }
    }

    static final int EXPECTED_DISTINCT = 1_556, EXPECTED_BACKLOG = 330;

    static void report() {
        CareService svc = SERVICE;
        CompatibilityChecker c = svc.checker;
        System.out.println((FIXED ? "FIXED " : "") + "formulary " + FORMULARY_BY_CODE.size() + " patients " + svc.patients.size() + " checks " + svc.checks + " memo " + c.memo.size() + " (lookups " + c.lookups + ", computed " + c.computed + ", hits " + (c.lookups - c.computed)
                + ") distinct (drug, drug, diluent) " + svc.distinctQueries.size());
        System.out.println("  letters " + svc.letters.size() + " (requests " + svc.letterRequests + ", rendered " + svc.letterRenders + ", evicted " + svc.letters.evicted + ") pool " + svc.labelBuffers.size() + " pharmacy " + svc.ordersPlaced + " placed " + svc.ordersDispatched + " dispatched backlog " + svc.pharmacyOrders.size());
        check(FORMULARY_BY_CODE.size() == FORMULARY && svc.patients.size() == PATIENTS, "reference data / directory");
        check(svc.checks == CHECKS && c.lookups == CHECKS, "checks");
        check(EXPECTED_DISTINCT < 0 || svc.distinctQueries.size() == EXPECTED_DISTINCT, "distinct queries " + svc.distinctQueries.size());
        if (FIXED) check(c.memo.size() == svc.distinctQueries.size() && c.computed == c.memo.size(), "memo = distinct queries");
        else check(c.memo.size() == CHECKS && c.computed == CHECKS, "one memo entry per check");
        check(svc.letters.size() == LETTER_CAP && svc.letters.evicted > 0, "letter cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.recentChecks[RING - 1] != null, "ring");
        check(EXPECTED_BACKLOG < 0 || svc.pharmacyOrders.size() == EXPECTED_BACKLOG, "pharmacy backlog " + svc.pharmacyOrders.size());
        svc.distinctQueries = null;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val135.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
