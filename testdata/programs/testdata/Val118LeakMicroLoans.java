// hprofscan-dump: name=val118-leak-microloans jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val118-leak-microloans-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 118 (written blind), LEAK: the credit-decision service of a micro-lending platform.
 * Field-office reference data, the borrower directory, a cache of rendered repayment schedules at
 * its cap, a pool of PDF buffers, a ring of recent decisions, a disbursement queue with its normal
 * backlog, and a rule engine that compiles every credit rule it is sent into a small class
 * (generated class file, defined by a fresh class loader) and caches the compiled rule. The risk
 * team's configuration service re-pushes the whole rule set every 20 minutes, and the engine's cache
 * key is the rule text with the push timestamp appended, so it never hits: every push compiles all
 * 180 rules again in 180 new loaders, and the cache keeps every one of them. See VALIDATION118.md.
 */
public final class Val118LeakMicroLoans {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, PUSH_EVERY = 20 * MINUTE;
    static final int OFFICES = 900, BORROWERS = 20_000, SCHEDULE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10,
            RULES = 180, APPLICATIONS = 30_000;
    static boolean FIXED;

    /** What a compiled rule implements: the generated class compares the amount with its threshold. */
    public interface CreditRule { int score(long amountCents); }

    record Office(String code, String district, double[] repaymentRateByMonth) {}
    record Borrower(String borrowerId, String officeCode, String name, byte[] kyc, long registeredAt) {}
    record Schedule(String key, byte[] rendered, long at) {}
    record Decision(long applicationId, String borrowerId, long amountCents, int score, boolean approved, long at) {}
    record Disbursement(long applicationId, String borrowerId, long amountCents, String mobileWallet, long approvedAt) {}
    record CompiledRule(String key, String ruleId, String text, Class<?> ruleClass, CreditRule rule, long compiledAt) {}

    /** One loader per compilation, as the engine's compiler does it. */
    static final class RuleClassLoader extends ClassLoader {
        RuleClassLoader(String name, ClassLoader parent) { super(name, parent); }
        Class<?> define(String binaryName, byte[] b) { return defineClass(binaryName, b, 0, b.length); }
    }

    /** Writes the class file of a rule: public final class NAME implements CreditRule { SOURCE; score(a) = Long.compare(a, threshold) }. */
    static byte[] classFile(String internalName, String iface, String source, long threshold) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(512 + source.length());
            DataOutputStream o = new DataOutputStream(bos);
            o.writeInt(0xCAFEBABE); o.writeShort(0); o.writeShort(61);
            o.writeShort(21);
            o.writeByte(1); o.writeUTF(internalName);            // 1
            o.writeByte(7); o.writeShort(1);                      // 2 this
            o.writeByte(1); o.writeUTF("java/lang/Object");       // 3
            o.writeByte(7); o.writeShort(3);                      // 4 super
            o.writeByte(1); o.writeUTF(iface);                    // 5
            o.writeByte(7); o.writeShort(5);                      // 6 interface
            o.writeByte(1); o.writeUTF("<init>");                 // 7
            o.writeByte(1); o.writeUTF("()V");                    // 8
            o.writeByte(12); o.writeShort(7); o.writeShort(8);    // 9
            o.writeByte(10); o.writeShort(4); o.writeShort(9);    // 10 Object.<init>
            o.writeByte(1); o.writeUTF("Code");                   // 11
            o.writeByte(1); o.writeUTF("score");                  // 12
            o.writeByte(1); o.writeUTF("(J)I");                   // 13
            o.writeByte(5); o.writeLong(threshold);               // 14, 15
            o.writeByte(1); o.writeUTF("SOURCE");                 // 16
            o.writeByte(1); o.writeUTF("Ljava/lang/String;");     // 17
            o.writeByte(1); o.writeUTF("ConstantValue");          // 18
            o.writeByte(8); o.writeShort(20);                     // 19
            o.writeByte(1); o.writeUTF(source);                   // 20
            o.writeShort(0x0031); o.writeShort(2); o.writeShort(4);
            o.writeShort(1); o.writeShort(6);
            o.writeShort(1); o.writeShort(0x0019); o.writeShort(16); o.writeShort(17); o.writeShort(1); o.writeShort(18); o.writeInt(2); o.writeShort(19);
            o.writeShort(2);
            o.writeShort(0x0001); o.writeShort(7); o.writeShort(8); o.writeShort(1);
            o.writeShort(11); o.writeInt(17); o.writeShort(1); o.writeShort(1); o.writeInt(5);
            o.writeByte(0x2a); o.writeByte(0xb7); o.writeShort(10); o.writeByte(0xb1); o.writeShort(0); o.writeShort(0);
            o.writeShort(0x0001); o.writeShort(12); o.writeShort(13); o.writeShort(1);
            o.writeShort(11); o.writeInt(18); o.writeShort(4); o.writeShort(3); o.writeInt(6);
            o.writeByte(0x1f); o.writeByte(0x14); o.writeShort(14); o.writeByte(0x94); o.writeByte(0xac); o.writeShort(0); o.writeShort(0);
            o.writeShort(0);
            o.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class RuleEngine {
        /** Compiled rules by cache key. BUG: the key is the rule text plus the push timestamp. */
        final Map<String, CompiledRule> compiled = new HashMap<>();
        /** The rule set in force: rule id -> compiled rule (always the 180 rules). */
        final Map<String, CompiledRule> active = new LinkedHashMap<>();
        long pushes, submitted, compilations, cacheHits, evaluations;

        CompiledRule compile(String key, String ruleId, String text, long threshold, long t) {
            long seq = compilations++;
            String simple = "Rule_" + ruleId.replace('-', '_') + "_" + seq;
            String binary = "rules.credit." + simple;
            RuleClassLoader loader = new RuleClassLoader("rule-" + ruleId + "-" + seq, Val118LeakMicroLoans.class.getClassLoader());
            Class<?> cls = loader.define(binary, classFile(binary.replace('.', '/'), CreditRule.class.getName().replace('.', '/'), text, threshold));
            try {
                CreditRule rule = (CreditRule) cls.getDeclaredConstructor().newInstance();
                return new CompiledRule(key, ruleId, text, cls, rule, t);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        void submit(String ruleId, String text, long threshold, long pushedAt) {
            submitted++;
            String key = FIXED ? text : text + " @push=" + pushedAt;
            CompiledRule c = compiled.get(key);
            if (c == null) {
                c = compile(key, ruleId, text, threshold, pushedAt);
                compiled.put(key, c);
            } else {
                cacheHits++;
            }
            CompiledRule previous = active.put(ruleId, c);
            if (FIXED && previous != null && previous != c) compiled.remove(previous.key());
        }

        int score(long amountCents) {
            int s = 0;
            for (CompiledRule c : active.values()) { s += c.rule().score(amountCents); evaluations++; }
            return s;
        }
    }

    static final class ScheduleCache extends LinkedHashMap<String, Schedule> {
        long evicted;
        ScheduleCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Schedule> e) { if (size() > SCHEDULE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Office> OFFICES_BY_CODE = new HashMap<>();

    static final class LoanService {
        final Map<String, Borrower> borrowers = new HashMap<>();
        final String[] borrowerIds = new String[BORROWERS];
        final ScheduleCache schedules = new ScheduleCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Decision[] decisions = new Decision[RING];
        final ArrayDeque<Disbursement> disbursements = new ArrayDeque<>();
        final RuleEngine engine = new RuleEngine();
        long applications, approved, disbursed;

        void apply(Random r, long t) {
            String borrowerId = borrowerIds[r.nextInt(BORROWERS)];
            Borrower b = borrowers.get(borrowerId);
            long amount = 2_500 + r.nextInt(60_000);
            int score = engine.score(amount);
            boolean ok = score < 40 && b.kyc().length > 160;
            long id = 5_000_000L + applications;
            decisions[(int) (applications++ % RING)] = new Decision(id, borrowerId, amount, score, ok, t);
            if (ok) {
                approved++;
                disbursements.addLast(new Disbursement(id, borrowerId, amount, "+2547" + (10_000_000 + r.nextInt(89_999_999)), t));
                byte[] buf = pdfBuffers.poll();
                buf[(int) (id % buf.length)] = (byte) score;
                pdfBuffers.add(buf);
                String key = "sched-" + (amount / 100) + "-" + (3 + r.nextInt(10)) + "m";
                if (schedules.get(key) == null) schedules.put(key, new Schedule(key, new byte[400 + r.nextInt(400)], t));
            }
        }

        void payOut(long t) {
            int n = 0;
            while (n < 450 && !disbursements.isEmpty() && disbursements.peekFirst().approvedAt() <= t - 10 * MINUTE) { disbursements.pollFirst(); disbursed++; n++; }
        }
    }

    static LoanService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] FACTORS = {"monthly_income_kes", "group_savings_balance", "days_past_due_max", "loans_repaid", "mpesa_turnover_90d", "household_size", "business_age_months", "guarantor_count"};

    static String ruleText(int i, long threshold, int edit) {
        String f = FACTORS[i % FACTORS.length];
        return "rule \"" + "CR-" + (1_000 + i) + "\" when application.amount_cents > " + threshold + " and borrower." + f + (i % 3 == 0 ? " < " : " >= ") + (50 + (i * 37) % 900)
                + " and office.region in (\"" + (i % 2 == 0 ? "Nyanza" : "Rift Valley") + "\", \"Coast\") then score += " + (1 + i % 7) + " // owner risk-team rev " + edit;
    }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(118_010_001);
        String[] officeCodes = new String[OFFICES];
        for (int g = 0; g < OFFICES; g++) {
            double[] rates = new double[60];
            for (int k = 0; k < rates.length; k++) rates[k] = 0.85 + rnd.nextDouble() * 0.15;
            officeCodes[g] = "FO-" + (4_000 + g);
            OFFICES_BY_CODE.put(officeCodes[g], new Office(officeCodes[g], "District " + (g % 47), rates));
        }
        LoanService svc = new LoanService();
        SERVICE = svc;
        for (int i = 0; i < BORROWERS; i++) {
            svc.borrowerIds[i] = "MB" + (3_200_000 + i * 7);
            svc.borrowers.put(svc.borrowerIds[i], new Borrower(svc.borrowerIds[i], officeCodes[rnd.nextInt(OFFICES)], "Borrower " + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        long[] thresholds = new long[RULES];
        int[] edits = new int[RULES];
        for (int i = 0; i < RULES; i++) thresholds[i] = 5_000 + rnd.nextInt(55_000);
        Random push = new Random(118_010_003);
        Random traffic = new Random(118_010_002);
        long nextPush = start;
        for (int i = 0; i < APPLICATIONS; i++) {
            long t = start + (end - MINUTE - start) * i / APPLICATIONS;
            while (nextPush <= t) {
                svc.engine.pushes++;
                // each push re-sends the whole rule set; the risk team edits a few thresholds between pushes
                for (int e = 0; e < 3 && svc.engine.pushes > 1; e++) { int k = push.nextInt(RULES); thresholds[k] = 5_000 + push.nextInt(55_000); edits[k]++; }
                for (int k = 0; k < RULES; k++) svc.engine.submit("CR-" + (1_000 + k), ruleText(k, thresholds[k], edits[k]), thresholds[k], nextPush);
                svc.payOut(nextPush);
                nextPush += PUSH_EVERY;
            }
            svc.apply(traffic, t);
            if (i % 100 == 99) svc.payOut(t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val118.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        LoanService svc = SERVICE;
        RuleEngine eng = svc.engine;
        System.out.println((FIXED ? "FIXED " : "") + "offices " + OFFICES_BY_CODE.size() + " borrowers " + svc.borrowers.size() + " applications " + svc.applications + " approved " + svc.approved
                + " disbursed " + svc.disbursed + " backlog " + svc.disbursements.size() + " schedules " + svc.schedules.size() + " (evicted " + svc.schedules.evicted + ") pool " + svc.pdfBuffers.size()
                + " pushes " + eng.pushes + " submitted " + eng.submitted + " compilations " + eng.compilations + " cache hits " + eng.cacheHits + " cached " + eng.compiled.size() + " active " + eng.active.size());
        check(OFFICES_BY_CODE.size() == OFFICES && svc.borrowers.size() == BORROWERS, "reference data / directory");
        check(svc.applications == APPLICATIONS && svc.approved == svc.disbursed + svc.disbursements.size(), "traffic");
        check(eng.pushes == HOURS * HOUR / PUSH_EVERY && eng.submitted == eng.pushes * RULES && eng.active.size() == RULES, "pushes");
        if (FIXED) check(eng.compiled.size() == RULES && eng.compilations < 2 * RULES + eng.pushes * 3, "fixed: one compiled rule per rule");
        else check(eng.compiled.size() == eng.submitted && eng.compilations == eng.submitted && eng.cacheHits == 0, "compiled rules: " + eng.compiled.size());
        check(svc.schedules.size() == SCHEDULE_CAP && svc.schedules.evicted > 0, "schedule cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.decisions[RING - 1] != null, "ring");
        check(!svc.disbursements.isEmpty(), "backlog");
    }

}
