// hprofscan-dump: name=val93-leak-prescriptionrefills jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val93-leak-prescriptionrefills-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 93 (written blind), LEAK: the refill-request consumer of a pharmacy chain. Pharmacy
 * reference data, the drug directory, a cache of rendered prescription labels at its cap, a pool of
 * label-printer buffers, a ring of recent refills, and an idempotency guard that drops the broker's
 * redeliveries: a Set of the broker-assigned ids of processed messages, meant to keep only the last
 * hour (redeliveries come within minutes). The expiry was never implemented, so every message id
 * ever processed stays. See VALIDATION93.md.
 */
public final class Val93LeakPrescriptionRefills {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PHARMACIES = 1_100, DRUGS = 22_000, LABEL_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, MESSAGES_PER_HOUR = 6_000;
    static boolean FIXED;

    record Pharmacy(String code, String city, double[] hourlyFootfall) {}
    record Drug(String ndc, String name, String strength, byte[] monograph, long listedAt) {}
    record Label(String key, byte[] rendered, long at) {}
    record Refill(long rxNumber, String pharmacyCode, String ndc, int quantity, String channel, long at) {}
    /** A message as delivered by the broker (at-least-once: a few are delivered twice). */
    record Delivery(String messageId, long rxNumber, int pharmacy, int drug, int quantity, String channel, long dueAt) {}
    /** Fix only: arrival order of the ids, for the expiry. */
    record Seen(String messageId, long at) {}

    /** Drops broker redeliveries: remembers the ids of the messages already processed. */
    static final class IdempotencyGuard {
        final Set<String> processed = ConcurrentHashMap.newKeySet();
        final long retentionMs = HOUR; // redeliveries come within minutes; an hour is plenty
        final ArrayDeque<Seen> arrivals = FIXED ? new ArrayDeque<>() : null;
        long accepted, duplicates, expired;

        boolean firstTime(String messageId, long at) {
            expire(at);
            if (!processed.add(messageId)) {
                duplicates++;
                return false;
            }
            accepted++;
            if (FIXED) arrivals.addLast(new Seen(messageId, at));
            return true;
        }

        /** Forgets the ids older than the retention. */
        void expire(long now) {
            // BUG: never implemented ("TODO: drop ids older than retentionMs"): every id stays.
            if (!FIXED) return;
            while (!arrivals.isEmpty() && arrivals.peekFirst().at() < now - retentionMs) {
                processed.remove(arrivals.pollFirst().messageId());
                expired++;
            }
        }
    }

    static final class LabelCache extends LinkedHashMap<String, Label> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Label> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Pharmacy> PHARMACIES_BY_CODE = new HashMap<>();

    static final class RefillConsumer {
        final Map<String, Drug> drugs = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Refill[] recent = new Refill[RING];
        long refills;
        final IdempotencyGuard guard = new IdempotencyGuard();
    }

    static RefillConsumer SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val93.fixed");
        int messages = MESSAGES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(93_020_001);
        String[] pharmacyCodes = new String[PHARMACIES];
        for (int p = 0; p < PHARMACIES; p++) {
            double[] footfall = new double[72];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 120;
            pharmacyCodes[p] = "PH-" + (30_000 + p * 3);
            PHARMACIES_BY_CODE.put(pharmacyCodes[p], new Pharmacy(pharmacyCodes[p], "City " + (p % 250), footfall));
        }
        RefillConsumer svc = new RefillConsumer();
        SERVICE = svc;
        String[] ndcs = new String[DRUGS];
        String[] strengths = {"5 mg", "10 mg", "20 mg", "40 mg", "250 mg", "500 mg", "1 g", "100 mcg"};
        for (int d = 0; d < DRUGS; d++) {
            ndcs[d] = String.format("%05d-%04d-%02d", 10_000 + d / 40, d % 9_000, d % 97);
            svc.drugs.put(ndcs[d], new Drug(ndcs[d], "Drug " + d, strengths[d % strengths.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(93_020_002);
        String[] channels = {"APP", "PHONE", "E_PRESCRIPTION", "AUTO_REFILL", "WEB"};
        PriorityQueue<Delivery> redeliveries = new PriorityQueue<>(Comparator.comparingLong(Delivery::dueAt)); // the broker's side: due in 1-5 minutes
        long redelivered = 0, processedMessages = 0;
        for (int i = 0; i < messages; i++) {
            long t = start + (end - MINUTE - start) * i / messages + traffic.nextInt(400);
            while (!redeliveries.isEmpty() && redeliveries.peek().dueAt() <= t) {
                Delivery d = redeliveries.poll();
                redelivered++;
                if (svc.guard.firstTime(d.messageId(), d.dueAt())) throw new IllegalStateException("redelivery accepted");
            }
            Delivery d = new Delivery(new UUID(traffic.nextLong(), traffic.nextLong()).toString(), 70_000_000L + traffic.nextInt(20_000_000), traffic.nextInt(PHARMACIES), traffic.nextInt(DRUGS), 30 * (1 + traffic.nextInt(3)), channels[traffic.nextInt(channels.length)], t);
            if (traffic.nextInt(100) < 3 && t + 5 * MINUTE < end - MINUTE) redeliveries.add(new Delivery(d.messageId(), d.rxNumber(), d.pharmacy(), d.drug(), d.quantity(), d.channel(), t + 60 * SECOND + traffic.nextInt(240) * SECOND));
            if (!svc.guard.firstTime(d.messageId(), t)) throw new IllegalStateException("fresh message dropped");
            processedMessages++;
            Drug drug = svc.drugs.get(ndcs[d.drug()]);
            svc.recent[(int) (svc.refills++ % RING)] = new Refill(d.rxNumber(), pharmacyCodes[d.pharmacy()], drug.ndc(), d.quantity(), d.channel(), t);
            String key = "label-" + drug.ndc() + "-" + d.quantity();
            if (svc.labels.get(key) == null) svc.labels.put(key, new Label(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        pharmacyCodes = null; ndcs = null; // the id arrays of the simulation are not part of the service
        while (!redeliveries.isEmpty() && redeliveries.peek().dueAt() <= end - MINUTE) {
            Delivery d = redeliveries.poll();
            redelivered++;
            if (svc.guard.firstTime(d.messageId(), d.dueAt())) throw new IllegalStateException("redelivery accepted");
        }
        IdempotencyGuard g = svc.guard;
        System.out.println((FIXED ? "FIXED " : "") + "pharmacies " + PHARMACIES_BY_CODE.size() + " drugs " + svc.drugs.size() + " processed ids " + g.processed.size() + " (accepted " + g.accepted + ", duplicates " + g.duplicates
                + ", expired " + g.expired + ") redelivered " + redelivered + " pending redeliveries " + redeliveries.size() + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.labelBuffers.size() + " refills " + svc.refills);
        check(PHARMACIES_BY_CODE.size() == PHARMACIES && svc.drugs.size() == DRUGS, "reference data / directory");
        check(g.accepted == messages && processedMessages == messages && g.duplicates == redelivered && redelivered > 0 && redeliveries.isEmpty(), "consumer traffic");
        if (FIXED) check(g.processed.size() == g.accepted - g.expired && g.expired > 0 && g.processed.size() < MESSAGES_PER_HOUR + 200 && g.arrivals.size() == g.processed.size(), "guard keeps the last hour: " + g.processed.size());
        else check(g.processed.size() == messages && g.expired == 0, "guard keeps every id: " + g.processed.size());
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.refills == messages && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram("[I (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
