// hprofscan-dump: name=val8-healthy-claims jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val8-healthy-claims-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 8 (written blind), HEALTHY: an insurance claims-handling service that has run for
 * 3 simulated days. Looks suspicious, is legitimate: the policy directory, filled lazily (a policy
 * is loaded from the policy-admin system the first time a claim or quote touches it) and now at
 * the size of the whole book (40,000 policies), and the open-claims ledger (14,000 open claims,
 * filed up to 2 years ago: liability claims stay open for a long time; closed claims go to the
 * archive). Also: the adjuster directory and the loss-cause code table loaded at startup, a pool
 * of 12 document parsers with 256 KB buffers, a fraud-score LRU at capacity and the config.
 * See testdata/VALIDATION8.md.
 */
public final class Val8HealthyClaims {
    static final int POLICIES = 40_000;
    static final int ADJUSTERS = 1_500;
    static final int LOSS_CODES = 2_000;
    static final int PARSERS = 12;
    static final int FRAUD_CAP = 10_000;
    static final int OPEN_AT_START = 13_000;
    static final int NEW_CLAIMS = 9_000;
    static final int CLOSED = 8_000;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 3 * DAY;

    static ClaimsService RUNNING;

    static final class Coverage {
        final String code; final long limitCents; final long deductibleCents;
        Coverage(String code, long limitCents, long deductibleCents) { this.code = code; this.limitCents = limitCents; this.deductibleCents = deductibleCents; }
    }

    static final class Policy {
        final String policyNumber; final String holderName; final String product; final String postalCode; final List<Coverage> coverages; final long inceptionAt; final long expiresAt; final long premiumCents;
        Policy(String policyNumber, String holderName, String product, String postalCode, List<Coverage> coverages, long inceptionAt, long expiresAt, long premiumCents) {
            this.policyNumber = policyNumber; this.holderName = holderName; this.product = product; this.postalCode = postalCode; this.coverages = coverages; this.inceptionAt = inceptionAt; this.expiresAt = expiresAt; this.premiumCents = premiumCents;
        }
    }

    /** Policies are loaded from the policy-admin system on first use and kept (the book is 40,000 policies). */
    static final class PolicyDirectory {
        final Map<String, Policy> byNumber = new ConcurrentHashMap<>();
        long loads;
    }

    static final class Adjuster {
        final String employeeId; final String name; final String region; final String[] licensedStates; final int maxCaseload;
        Adjuster(String employeeId, String name, String region, String[] licensedStates, int maxCaseload) { this.employeeId = employeeId; this.name = name; this.region = region; this.licensedStates = licensedStates; this.maxCaseload = maxCaseload; }
    }

    /** Reference data loaded at startup. */
    static final class ReferenceData {
        static final Map<String, Adjuster> ADJUSTERS_BY_ID = new HashMap<>();
        static Map<String, String> LOSS_CAUSES;
    }

    static final class ClaimNote {
        final String author; final String text; final long writtenAt;
        ClaimNote(String author, String text, long writtenAt) { this.author = author; this.text = text; this.writtenAt = writtenAt; }
    }

    static final class Claim {
        final long claimId; final String policyNumber; final String lossCause; final long lossAt; final long filedAt; final String adjusterId; long reserveCents; long paidCents; String status; final List<ClaimNote> notes = new ArrayList<>(); long lastActivityAt;
        Claim(long claimId, String policyNumber, String lossCause, long lossAt, long filedAt, String adjusterId) { this.claimId = claimId; this.policyNumber = policyNumber; this.lossCause = lossCause; this.lossAt = lossAt; this.filedAt = filedAt; this.adjusterId = adjusterId; this.status = "OPEN"; this.lastActivityAt = filedAt; }
    }

    /** Open claims by id; a claim leaves the ledger when it is closed (and goes to the archive). */
    static final class ClaimLedger {
        final Map<Long, Claim> open = new HashMap<>();
        long closed;
    }

    static final class DocumentParser { final byte[] buffer = new byte[256 * 1024]; final int slot; long parsed; DocumentParser(int slot) { this.slot = slot; } }

    /** 12 PDF/TIFF parsers with big buffers, borrowed per uploaded document. */
    static final class ParserPool {
        final ArrayBlockingQueue<DocumentParser> idle = new ArrayBlockingQueue<>(PARSERS);
        DocumentParser borrow() { return idle.poll(); }
        void giveBack(DocumentParser p) { idle.offer(p); }
    }

    static final class FraudScore { final long claimId; final double score; final String[] signals; final long scoredAt; FraudScore(long claimId, double score, String[] signals, long scoredAt) { this.claimId = claimId; this.score = score; this.signals = signals; this.scoredAt = scoredAt; } }

    /** Model scores of the 10,000 most recently viewed claims. */
    static final class FraudScoreCache extends LinkedHashMap<Long, FraudScore> {
        final int maxEntries;
        FraudScoreCache(int maxEntries) { super(maxEntries * 2, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, FraudScore> e) { return size() > maxEntries; }
    }

    static final class ClaimsService {
        final PolicyDirectory policies = new PolicyDirectory();
        final ClaimLedger ledger = new ClaimLedger();
        final ParserPool parsers = new ParserPool();
        final FraudScoreCache fraud = new FraudScoreCache(FRAUD_CAP);
        final Properties config = new Properties();

        Policy policy(String number, Random rnd, long now) {
            Policy p = policies.byNumber.get(number);
            if (p == null) {
                List<Coverage> cs = new ArrayList<>();
                int n = 2 + (number.hashCode() & 3);
                for (int c = 0; c < n; c++) cs.add(new Coverage("COV-" + c, 1_000_000L * (10 + c * 15), 50_000L * (1 + c)));
                String[] products = {"HOME", "AUTO", "RENTERS", "UMBRELLA", "CONDO"};
                p = new Policy(number, "Policyholder " + number.substring(3), products[(number.hashCode() & 0x7fffffff) % products.length], String.format("%05d", 10_000 + rnd.nextInt(89_999)),
                        Collections.unmodifiableList(cs), now - DAY * rnd.nextInt(3_000), now + DAY * rnd.nextInt(365), 40_000L + rnd.nextInt(300_000));
                policies.byNumber.put(number, p);
                policies.loads++;
            }
            return p;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(8_060_001);
        ClaimsService svc = new ClaimsService();
        RUNNING = svc;
        for (int i = 0; i < 150; i++) svc.config.setProperty("claims.rule." + i + ".autoApproveBelowCents", Integer.toString(50_000 + 1_000 * i));
        String[] regions = {"NORTHEAST", "SOUTHEAST", "MIDWEST", "SOUTHWEST", "WEST", "NORTHWEST"};
        String[] states = {"NY", "NJ", "PA", "MA", "FL", "GA", "NC", "OH", "IL", "MI", "TX", "AZ", "CA", "WA", "OR", "CO"};
        String[] adjusterIds = new String[ADJUSTERS];
        for (int i = 0; i < ADJUSTERS; i++) {
            adjusterIds[i] = String.format("ADJ%05d", 10_000 + i);
            String[] lic = new String[1 + i % 6];
            for (int s = 0; s < lic.length; s++) lic[s] = states[(i + s * 3) % states.length];
            ReferenceData.ADJUSTERS_BY_ID.put(adjusterIds[i], new Adjuster(adjusterIds[i], "Adjuster " + i, regions[i % regions.length], lic, 60 + i % 90));
        }
        Map<String, String> causes = new HashMap<>();
        String[] causeCodes = new String[LOSS_CODES];
        for (int i = 0; i < LOSS_CODES; i++) { causeCodes[i] = String.format("LC-%04d", i); causes.put(causeCodes[i], "Loss cause " + i + ": " + (i % 3 == 0 ? "water damage, sudden and accidental" : i % 3 == 1 ? "collision with another vehicle" : "theft or burglary")); }
        ReferenceData.LOSS_CAUSES = Collections.unmodifiableMap(causes);
        for (int i = 0; i < PARSERS; i++) svc.parsers.giveBack(new DocumentParser(i));
        String[] policyNumbers = new String[POLICIES];
        for (int i = 0; i < POLICIES; i++) policyNumbers[i] = String.format("POL%08d", 20_000_000 + i * 3);
        long claimSeq = 5_000_000L;
        List<Long> openIds = new ArrayList<>();
        // Claims open when the service started: filed up to two years earlier, loaded with their policies.
        for (int i = 0; i < OPEN_AT_START; i++) {
            long filed = start - DAY * rnd.nextInt(730) - rnd.nextInt((int) DAY);
            Policy p = svc.policy(policyNumbers[rnd.nextInt(POLICIES)], rnd, start);
            Claim c = new Claim(claimSeq++, p.policyNumber, causeCodes[rnd.nextInt(LOSS_CODES)], filed - DAY * rnd.nextInt(20), filed, adjusterIds[rnd.nextInt(ADJUSTERS)]);
            c.reserveCents = 100_000L + rnd.nextInt(5_000_000);
            for (int n = 0; n < 1 + rnd.nextInt(5); n++) c.notes.add(new ClaimNote(c.adjusterId, "Called the claimant, documents requested; inspection scheduled for item " + n, filed + DAY * n));
            c.lastActivityAt = filed + DAY * c.notes.size();
            svc.ledger.open.put(c.claimId, c);
            openIds.add(c.claimId);
        }
        // Three days: new claims, quotes touching policies, documents parsed, claims closed.
        int events = 60_000, filedNew = 0, closed = 0;
        for (int i = 0; i < events; i++) {
            long t = start + SIM_MILLIS * i / events;
            svc.policy(policyNumbers[rnd.nextInt(POLICIES)], rnd, t);
            if ((long) (i + 1) * NEW_CLAIMS / events > filedNew) {
                filedNew++;
                Policy p = svc.policy(policyNumbers[rnd.nextInt(POLICIES)], rnd, t);
                Claim c = new Claim(claimSeq++, p.policyNumber, causeCodes[rnd.nextInt(LOSS_CODES)], t - DAY * rnd.nextInt(10), t, adjusterIds[rnd.nextInt(ADJUSTERS)]);
                c.reserveCents = 100_000L + rnd.nextInt(5_000_000);
                c.notes.add(new ClaimNote("FNOL", "First notice of loss received through the portal", t));
                svc.ledger.open.put(c.claimId, c);
                openIds.add(c.claimId);
                DocumentParser dp = svc.parsers.borrow();
                dp.buffer[0] = (byte) i; dp.parsed++;
                svc.parsers.giveBack(dp);
            }
            if ((long) (i + 1) * CLOSED / events > closed) {
                closed++;
                Claim c = svc.ledger.open.remove(openIds.remove(rnd.nextInt(openIds.size())));
                c.status = "CLOSED"; svc.ledger.closed++;
            }
            if (i % 3 == 0) {
                long id = openIds.get(rnd.nextInt(openIds.size()));
                if (svc.fraud.get(id) == null) svc.fraud.put(id, new FraudScore(id, rnd.nextDouble(), new String[] {"late-report", "prior-claims:" + rnd.nextInt(4), "geo:" + rnd.nextInt(50)}, t));
                Claim c = svc.ledger.open.get(id);
                c.lastActivityAt = t;
            }
        }
        // Touch every remaining policy once: the nightly renewal batch reads the whole book.
        for (String n : policyNumbers) svc.policy(n, rnd, now - HOUR);
        openIds = null;
        long filedYearAgo = 0, idleMonth = 0;
        for (Claim c : svc.ledger.open.values()) { if (now - c.filedAt > 365 * DAY) filedYearAgo++; if (now - c.lastActivityAt > 30 * DAY) idleMonth++; }
        System.out.println("policies " + svc.policies.byNumber.size() + " (loads " + svc.policies.loads + ") adjusters " + ReferenceData.ADJUSTERS_BY_ID.size() + " loss causes " + ReferenceData.LOSS_CAUSES.size()
                + " open claims " + svc.ledger.open.size() + " (closed " + svc.ledger.closed + ", filed > 1 year ago " + filedYearAgo + ", no activity for 30 days " + idleMonth + ") parsers " + svc.parsers.idle.size() + " fraud " + svc.fraud.size());
        check(svc.policies.byNumber.size() == POLICIES && svc.policies.loads == POLICIES, "policies");
        check(ReferenceData.ADJUSTERS_BY_ID.size() == ADJUSTERS && ReferenceData.LOSS_CAUSES.size() == LOSS_CODES, "reference data");
        check(svc.ledger.open.size() == OPEN_AT_START + NEW_CLAIMS - CLOSED, "open claims");
        check(svc.parsers.idle.size() == PARSERS, "parsers");
        check(svc.fraud.size() == FRAUD_CAP, "fraud scores");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
