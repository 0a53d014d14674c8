// hprofscan-dump: name=val22-leak-clinicaltrials-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val22-leak-clinicaltrials-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val22-leak-clinicaltrials jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val22-leak-clinicaltrials-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 22 (written blind), LEAK: the randomisation service of a clinical-trials platform.
 * Every randomisation request must be replicated to the standby once this node is the elected
 * leader, so the handler attaches {@code leaderElected.thenRun(() -> replicate(request))}. The bug:
 * the election callback never completes {@code leaderElected} (the node has been leader since
 * startup, but the future is never completed), so every request's dependent completion, with the
 * request it captures, stays stacked on the future. Beside it: per-request allocation futures that
 * do complete, a config future completed at startup, trial sites, protocols, the participant
 * directory, an allocation-block cache at its cap, an audit ring.
 * Series: stage 1 simulates 2 h, stage 2 4 h, stage 3 8 h. See testdata/VALIDATION22.md.
 */
public final class Val22LeakClinicalTrials {
    static final long HOUR = 3_600_000L;
    static final int SITES = 3_000, PROTOCOLS = 1_500, PARTICIPANTS = 60_000, BLOCK_CAP = 2_500, AUDIT_RING = 2_048, REQUESTS_PER_HOUR = 1_500;

    record TrialSite(String code, String country, String investigator, int[] enrolmentCalendar) {}
    record Protocol(String id, String title, String synopsis, double[] doseSchedule) {}
    record Participant(long id, String siteCode, String arm, long consentedAt) {}
    record AllocationBlock(String key, int[] sequence, long generatedAt) {}
    record AuditEntry(String requestId, long participantId, String arm, long at) {}

    static final class RandomizationRequest {
        final String requestId, siteCode; final long participantId, receivedAt; final byte[] ecrfPayload;
        RandomizationRequest(String requestId, String siteCode, long participantId, long receivedAt, byte[] ecrfPayload) { this.requestId = requestId; this.siteCode = siteCode; this.participantId = participantId; this.receivedAt = receivedAt; this.ecrfPayload = ecrfPayload; }
    }

    static final class BlockCache extends LinkedHashMap<String, AllocationBlock> {
        long evicted;
        BlockCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AllocationBlock> e) { if (size() > BLOCK_CAP) { evicted++; return true; } return false; }
    }

    static final class StandbyReplicator {
        long replicated, bytes;
        void replicate(RandomizationRequest r) { replicated++; bytes += r.ecrfPayload.length; }
    }

    static final Map<String, TrialSite> SITES_BY_CODE = new HashMap<>();
    static final Map<String, Protocol> PROTOCOLS_BY_ID = new HashMap<>();

    static final class RandomizationService {
        final Map<Long, Participant> participants = new HashMap<>();
        final BlockCache blocks = new BlockCache();
        final AuditEntry[] audit = new AuditEntry[AUDIT_RING];
        final CompletableFuture<Void> configLoaded = new CompletableFuture<>();
        final CompletableFuture<Void> leaderElected = new CompletableFuture<>();
        final StandbyReplicator standby = new StandbyReplicator();
        long audited, allocated, configCallbacks;
    }

    static RandomizationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val22.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(22_010_001);
        String[] countries = {"DE", "FR", "US", "JP", "BR", "PL", "ES", "CA"};
        for (int s = 0; s < SITES; s++) {
            int[] cal = new int[120];
            for (int k = 0; k < cal.length; k++) cal[k] = rnd.nextInt(6);
            String code = "SITE-" + (10_000 + s);
            SITES_BY_CODE.put(code, new TrialSite(code, countries[s % countries.length], "Dr. Investigator " + s, cal));
        }
        for (int p = 0; p < PROTOCOLS; p++) {
            StringBuilder sb = new StringBuilder();
            int len = 400 + rnd.nextInt(400);
            while (sb.length() < len) sb.append("randomised double-blind arm ").append(p).append(' ');
            double[] dose = new double[32];
            for (int k = 0; k < dose.length; k++) dose[k] = rnd.nextDouble() * 50;
            String id = "PRT-" + (5_000 + p);
            PROTOCOLS_BY_ID.put(id, new Protocol(id, "Protocol " + p + " phase " + (1 + p % 3), sb.toString(), dose));
        }
        RandomizationService svc = new RandomizationService();
        SERVICE = svc;
        String[] arms = {"PLACEBO", "LOW_DOSE", "HIGH_DOSE"};
        for (int i = 0; i < PARTICIPANTS; i++) {
            long id = 700_000_000L + i;
            svc.participants.put(id, new Participant(id, "SITE-" + (10_000 + rnd.nextInt(SITES)), arms[rnd.nextInt(arms.length)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        // startup: the configuration future completes and runs its 3 dependents (legitimate)
        svc.configLoaded.thenRun(() -> svc.configCallbacks++);
        svc.configLoaded.thenRun(() -> svc.configCallbacks++);
        svc.configLoaded.thenRun(() -> svc.configCallbacks++);
        svc.configLoaded.complete(null);
        if (fixed) svc.leaderElected.complete(null); // the fix: the election result is delivered; in the leak run it never is
        int total = (int) (REQUESTS_PER_HOUR * hours);
        Random traffic = new Random(22_010_002);
        for (int i = 0; i < total; i++) {
            long t = start + (now - start) * i / total;
            long pid = 700_000_000L + traffic.nextInt(PARTICIPANTS);
            Participant part = svc.participants.get(pid);
            RandomizationRequest req = new RandomizationRequest("RR-" + (90_000_000 + i), part.siteCode(), pid, t, new byte[300 + traffic.nextInt(600)]);
            // the allocation is answered through a future that completes at once (legitimate)
            CompletableFuture<String> allocation = new CompletableFuture<>();
            allocation.thenAccept(arm -> svc.allocated++);
            String arm = arms[traffic.nextInt(arms.length)];
            allocation.complete(arm);
            String blockKey = part.siteCode() + "/" + (i % 4_000);
            if (!svc.blocks.containsKey(blockKey)) {
                int[] seq = new int[64];
                for (int k = 0; k < seq.length; k++) seq[k] = traffic.nextInt(3);
                svc.blocks.put(blockKey, new AllocationBlock(blockKey, seq, t));
            } else {
                svc.blocks.get(blockKey);
            }
            svc.audit[(int) (svc.audited++ % AUDIT_RING)] = new AuditEntry(req.requestId, pid, arm, t);
            // BUG: replicate once leader; leaderElected never completes, so this stacks a completion per request
            svc.leaderElected.thenRun(() -> svc.standby.replicate(req));
        }
        int dependents = svc.leaderElected.getNumberOfDependents();
        System.out.println((fixed ? "FIXED " : "") + "stage " + stage + " sites " + SITES_BY_CODE.size() + " protocols " + PROTOCOLS_BY_ID.size() + " participants " + svc.participants.size() + " requests " + total + " allocated " + svc.allocated + " replicated " + svc.standby.replicated + " dependents on leaderElected " + dependents + " configLoaded dependents " + svc.configLoaded.getNumberOfDependents() + " blocks " + svc.blocks.size() + " (evicted " + svc.blocks.evicted + ") audited " + svc.audited);
        check(SITES_BY_CODE.size() == SITES && PROTOCOLS_BY_ID.size() == PROTOCOLS && svc.participants.size() == PARTICIPANTS, "reference data");
        check(svc.configCallbacks == 3 && svc.configLoaded.getNumberOfDependents() == 0 && svc.allocated == total, "completed futures");
        check(dependents == (fixed ? 0 : total) && svc.standby.replicated == (fixed ? total : 0) && svc.leaderElected.isDone() == fixed, "leaderElected dependents " + dependents);
        check(svc.blocks.size() == BLOCK_CAP && svc.blocks.evicted > 0, "block cache at its cap");
        check(svc.audited == total && svc.audit[AUDIT_RING - 1] != null, "audit ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
