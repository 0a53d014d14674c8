// hprofscan-dump: name=val105-healthy-meadbreweries jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val105-healthy-meadbreweries-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedTransferQueue;

/**
 * Validation set 105 (written blind), HEALTHY: the production service of a group of mead
 * breweries. Recipe reference data, the batch directory, a cache of rendered bottle labels at its
 * cap, a pool of bottling-line buffers, a ring of tank readings, a reorder buffer of the tank
 * telemetry (ConcurrentSkipListMap by sequence number, a gap older than 60 s is skipped and a
 * retransmit requested), and a retry queue (LinkedTransferQueue) of excise-duty postings that
 * gives a posting up after 6 attempts (logged in a bounded list of the last 256). See
 * VALIDATION105.md.
 */
public final class Val105HealthyMeadBreweries {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, GAP_TIMEOUT = 60_000L;
    static final int RECIPES = 1_200, BATCHES = 26_000, LABEL_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, READINGS_PER_HOUR = 4_000, POSTINGS_PER_HOUR = 600, MAX_ATTEMPTS = 6, GIVEN_UP_CAP = 256;

    record Recipe(String code, String style, double[] fermentationCurve) {}
    record Batch(String batchCode, String recipeCode, String tank, byte[] brewLog, long brewedAt) {}
    record Label(String key, byte[] rendered, long at) {}
    record TankReading(long seq, String tank, float gravity, float tempC, long receivedAt, byte[] raw) {}
    record DutyPosting(long id, String batchCode, long litres, long dutyCents, long at) {}
    record Attempt(int status, String error, long at) {}

    static final class FailedPosting {
        final DutyPosting posting; final List<Attempt> attempts = new ArrayList<>();
        FailedPosting(DutyPosting posting) { this.posting = posting; }
    }

    static final class TelemetryReorderBuffer {
        final ConcurrentSkipListMap<Long, TankReading> pending = new ConcurrentSkipListMap<>();
        long nextExpected, delivered, skipped, maxPending, waitingSince = -1;
        void receive(TankReading r, BreweryService svc) {
            if (r.seq() < nextExpected) return;
            pending.put(r.seq(), r);
            maxPending = Math.max(maxPending, pending.size());
            drain(svc);
            if (pending.isEmpty()) waitingSince = -1;
            else if (waitingSince < 0) waitingSince = r.receivedAt();
            if (waitingSince >= 0 && r.receivedAt() - waitingSince > GAP_TIMEOUT) {
                skipped += pending.firstKey() - nextExpected; // retransmit requested, go on
                nextExpected = pending.firstKey();
                drain(svc);
                waitingSince = pending.isEmpty() ? -1 : r.receivedAt();
            }
        }
        private void drain(BreweryService svc) {
            TankReading head;
            while ((head = pending.remove(nextExpected)) != null) { svc.readings[(int) (delivered++ % RING)] = head; nextExpected++; }
        }
    }

    static final class DutyRetryQueue {
        final LinkedTransferQueue<FailedPosting> queue = new LinkedTransferQueue<>();
        final ArrayDeque<Long> givenUp = new ArrayDeque<>();
        final Set<String> unregisteredBatches = new HashSet<>(); // the revenue service rejects their postings (400) every time
        long rounds, retries, recovered, givenUpTotal;
        void retryRound(Random revenueService, long now) {
            rounds++;
            for (int n = queue.size(); n > 0; n--) {
                FailedPosting f = queue.poll();
                retries++;
                int status = unregisteredBatches.contains(f.posting.batchCode()) ? 400 : revenueService.nextInt(10) < 8 ? 200 : 503;
                if (status == 200) { recovered++; continue; }
                f.attempts.add(new Attempt(status, status + " duty posting rejected (trace " + Long.toHexString(now ^ f.posting.id()) + ")", now));
                if (f.attempts.size() >= MAX_ATTEMPTS) {
                    givenUp.add(f.posting.id());
                    if (givenUp.size() > GIVEN_UP_CAP) givenUp.poll();
                    givenUpTotal++;
                    continue;
                }
                queue.add(f);
            }
        }
    }

    static final class LabelCache extends LinkedHashMap<String, Label> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Label> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Recipe> RECIPES_BY_CODE = new HashMap<>();

    static final class BreweryService {
        final Map<String, Batch> batches = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> bottlingBuffers = new ArrayDeque<>();
        final TankReading[] readings = new TankReading[RING];
        final TelemetryReorderBuffer telemetry = new TelemetryReorderBuffer();
        final DutyRetryQueue dutyRetries = new DutyRetryQueue();
    }

    static BreweryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        int readings = READINGS_PER_HOUR * HOURS, postings = POSTINGS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(105_060_001);
        String[] recipeCodes = new String[RECIPES];
        for (int r = 0; r < RECIPES; r++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = 1.1 - rnd.nextDouble() * 0.1;
            recipeCodes[r] = "RCP-" + (10_000 + r);
            RECIPES_BY_CODE.put(recipeCodes[r], new Recipe(recipeCodes[r], r % 3 == 0 ? "Melomel" : r % 3 == 1 ? "Metheglin" : "Traditional", curve));
        }
        BreweryService svc = new BreweryService();
        SERVICE = svc;
        String[] batchCodes = new String[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            batchCodes[b] = "MB" + (6_000_000 + b * 13);
            if (b % 250 == 0) svc.dutyRetries.unregisteredBatches.add(batchCodes[b]);
            svc.batches.put(batchCodes[b], new Batch(batchCodes[b], recipeCodes[rnd.nextInt(RECIPES)], "T" + rnd.nextInt(90), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.bottlingBuffers.add(new byte[32_768]);
        Random traffic = new Random(105_060_002), revenue = new Random(105_060_003);
        TankReading held = null;
        long lost = 0, nextRound = start + MINUTE;
        int posted = 0, failedFirst = 0;
        for (int i = 0; i < readings; i++) {
            long t = start + (end - MINUTE - start) * i / readings;
            while (nextRound <= t) { svc.dutyRetries.retryRound(revenue, nextRound); nextRound += MINUTE; }
            while (posted < (long) postings * i / readings) {
                DutyPosting p = new DutyPosting(40_000_000L + posted, batchCodes[traffic.nextInt(BATCHES)], 100 + traffic.nextInt(3_900), 1_000 + traffic.nextInt(400_000), t);
                posted++;
                boolean rejected = svc.dutyRetries.unregisteredBatches.contains(p.batchCode());
                if (traffic.nextInt(20) == 0 || rejected) { FailedPosting f = new FailedPosting(p); f.attempts.add(new Attempt(rejected ? 400 : 503, (rejected ? 400 : 503) + " first posting failed", t)); svc.dutyRetries.queue.add(f); failedFirst++; }
            }
            TankReading r = new TankReading(i, "T" + traffic.nextInt(90), 1.0f + traffic.nextFloat() * 0.1f, 14 + traffic.nextFloat() * 8, t + 1_000 + traffic.nextInt(2_000), new byte[48]);
            String key = "lbl-" + traffic.nextInt(5_000);
            if (svc.labels.get(key) == null) svc.labels.put(key, new Label(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.bottlingBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.bottlingBuffers.add(buf);
            if (i % 3_000 == 1_234) { lost++; continue; } // dropped by the tank gateway; a retransmit is requested
            if (held == null && i + 1 < readings && traffic.nextInt(40) == 0) { held = r; continue; }
            svc.telemetry.receive(r, svc);
            if (held != null) { svc.telemetry.receive(held, svc); held = null; }
        }
        while (nextRound < end) { svc.dutyRetries.retryRound(revenue, nextRound); nextRound += MINUTE; }
        TelemetryReorderBuffer tel = svc.telemetry;
        DutyRetryQueue dq = svc.dutyRetries;
        System.out.println("recipes " + RECIPES_BY_CODE.size() + " batches " + svc.batches.size() + " readings " + readings + " lost " + lost + " delivered " + tel.delivered + " skipped " + tel.skipped + " pending " + tel.pending.size() + " maxPending " + tel.maxPending
                + " postings " + posted + " failed " + failedFirst + " rounds " + dq.rounds + " retries " + dq.retries + " recovered " + dq.recovered + " givenUp " + dq.givenUpTotal + " (log " + dq.givenUp.size() + ") queued " + dq.queue.size()
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ")");
        check(RECIPES_BY_CODE.size() == RECIPES && svc.batches.size() == BATCHES, "reference data / directory");
        check(tel.skipped == lost && tel.pending.size() < 40 && tel.delivered + tel.pending.size() == readings - lost, "telemetry");
        check(dq.recovered + dq.givenUpTotal + dq.queue.size() == failedFirst && dq.queue.size() < 20 && dq.givenUpTotal > 0 && dq.givenUp.size() <= GIVEN_UP_CAP, "duty retries");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.bottlingBuffers.size() == POOL && svc.readings[RING - 1] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
