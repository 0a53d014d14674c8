// hprofscan-dump: name=val153-leak-petmicrochips jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val153-leak-petmicrochips-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 153 (written blind), LEAK: the registration relay of a pet-microchip database.
 * Vet-practice reference data, the chip directory, a cache of rendered ownership certificates at
 * its cap, a pool of XML encoder buffers, a ring of scanner look-ups, and an outbox of registration
 * updates sent to the national registry (Map<Long, PendingMessage> keyed by message id, removed
 * when the registry acknowledges). A send that gets no answer in 30 s is retried under a new
 * attempt id, and the registry's acknowledgement carries that attempt id: the ack handler removes
 * outbox.get(attemptId), which never matches, so every retried message stays in the outbox
 * forever (about 4% of traffic). See VALIDATION153.md.
 */
public final class Val153LeakPetMicrochips {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, ACK_TIMEOUT = 30 * SECOND;
    static final int PRACTICES = 1_100, CHIPS = 26_000, CERT_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, MESSAGES = 60_000;

    record Practice(String code, String town, double[] weeklyImplants) {}
    record Chip(String chipNumber, String species, String ownerRef, byte[] ownerRecord, long implantedAt) {}
    record Certificate(String key, byte[] pdf, long at) {}
    record ScanLookup(String chipNumber, String practiceCode, boolean found, long at) {}

    static final class PendingMessage {
        final long messageId; long attemptId; int attempts;
        final String chipNumber, kind; final long firstSentAt; long lastSentAt; final byte[] payload;
        PendingMessage(long messageId, String chipNumber, String kind, long at, byte[] payload) {
            this.messageId = messageId; this.attemptId = messageId; this.attempts = 1; this.chipNumber = chipNumber; this.kind = kind; this.firstSentAt = at; this.lastSentAt = at; this.payload = payload;
        }
    }

    /** Outbox of updates sent to the national registry, removed on acknowledgement. */
    static final class RegistryOutbox {
        final Map<Long, PendingMessage> pending = new HashMap<>();
        final boolean fixed;
        long nextAttemptId = 900_000_000L, sent, retries, acks, unmatchedAcks;
        RegistryOutbox(boolean fixed) { this.fixed = fixed; }
        void send(PendingMessage m) { pending.put(m.messageId, m); sent++; }
        /** Re-sends a message that was not acknowledged in time; returns the id the registry will acknowledge. */
        long retry(PendingMessage m, long at) {
            m.attempts++; m.lastSentAt = at; retries++;
            m.attemptId = nextAttemptId++;
            return fixed ? m.messageId : m.attemptId; // the fix sends the original id as the correlation id
        }
        void onAck(long correlationId) {
            acks++;
            if (pending.remove(correlationId) == null) unmatchedAcks++; // BUG: a retry's ack carries the attempt id
        }
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Practice> PRACTICES_BY_CODE = new HashMap<>();

    static final class RelayService {
        final Map<String, Chip> chips = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> xmlBuffers = new ArrayDeque<>();
        final ScanLookup[] lookups = new ScanLookup[RING];
        long lookupsWritten;
        final RegistryOutbox outbox;
        RelayService(boolean fixed) { outbox = new RegistryOutbox(fixed); }
    }

    static RelayService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static RelayService run(boolean fixed) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(153_020_001);
        String[] practiceCodes = new String[PRACTICES];
        for (int p = 0; p < PRACTICES; p++) {
            double[] implants = new double[96];
            for (int k = 0; k < implants.length; k++) implants[k] = rnd.nextDouble() * 40;
            practiceCodes[p] = "VET-" + (30_000 + p);
            PRACTICES_BY_CODE.put(practiceCodes[p], new Practice(practiceCodes[p], "Town " + (p % 280), implants));
        }
        RelayService svc = new RelayService(fixed);
        String[] chipNumbers = new String[CHIPS];
        String[] species = {"dog", "cat", "rabbit", "ferret", "horse", "tortoise"};
        for (int c = 0; c < CHIPS; c++) {
            chipNumbers[c] = "985" + (112_000_000_000L + c * 37L);
            svc.chips.put(chipNumbers[c], new Chip(chipNumbers[c], species[c % species.length], "OWN" + (700_000 + rnd.nextInt(90_000)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.xmlBuffers.add(new byte[32_768]);
        Random traffic = new Random(153_020_002);
        String[] kinds = {"REGISTER", "TRANSFER_OWNER", "UPDATE_ADDRESS", "REPORT_LOST", "REPORT_FOUND"};
        int retriedMessages = 0, inFlight = 0;
        for (int i = 0; i < MESSAGES; i++) {
            long t = start + (end - start) * i / MESSAGES;
            String chip = chipNumbers[traffic.nextInt(CHIPS)];
            PendingMessage m = new PendingMessage(50_000_000L + i, chip, kinds[traffic.nextInt(kinds.length)], t, new byte[800 + traffic.nextInt(800)]);
            svc.outbox.send(m);
            boolean lost = traffic.nextInt(100) < 4; // no answer within 30 s: the registry's queue was full
            long ackAt = t + 200 + traffic.nextInt(2_800);
            long correlation = m.messageId;
            if (lost) {
                long retryAt = t + ACK_TIMEOUT;
                if (retryAt < end) { correlation = svc.outbox.retry(m, retryAt); retriedMessages++; }
                ackAt = retryAt + 200 + traffic.nextInt(2_800);
            }
            if (ackAt < end) svc.outbox.onAck(correlation);
            else inFlight++;
            svc.lookups[(int) (svc.lookupsWritten++ % RING)] = new ScanLookup(chipNumbers[traffic.nextInt(CHIPS)], practiceCodes[traffic.nextInt(PRACTICES)], traffic.nextInt(10) > 0, t);
            String certKey = "cert-" + traffic.nextInt(5_000);
            if (svc.certificates.get(certKey) == null) svc.certificates.put(certKey, new Certificate(certKey, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.xmlBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.xmlBuffers.add(buf);
        }
        RegistryOutbox ob = svc.outbox;
        int stuckRetried = 0;
        for (PendingMessage m : ob.pending.values()) if (m.attempts > 1) stuckRetried++;
        System.out.println((fixed ? "FIXED " : "") + "practices " + PRACTICES_BY_CODE.size() + " chips " + svc.chips.size() + " outbox " + ob.pending.size() + " (retried in it " + stuckRetried + ", in flight " + inFlight
                + ", sent " + ob.sent + ", retries " + ob.retries + ", acks " + ob.acks + ", unmatched " + ob.unmatchedAcks + ") certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted
                + ") pool " + svc.xmlBuffers.size() + " lookups " + svc.lookupsWritten);
        check(PRACTICES_BY_CODE.size() == PRACTICES && svc.chips.size() == CHIPS, "reference data / directory");
        check(ob.sent == MESSAGES && ob.retries == retriedMessages && ob.acks + inFlight == MESSAGES, "outbox traffic");
        if (fixed) check(ob.pending.size() == inFlight && ob.unmatchedAcks == 0, "fixed outbox holds only in-flight messages: " + ob.pending.size());
        else check(ob.unmatchedAcks > 0 && ob.pending.size() == inFlight + ob.unmatchedAcks, "retried messages stay: " + ob.pending.size());
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.xmlBuffers.size() == POOL, "pool");
        check(svc.lookupsWritten == MESSAGES && svc.lookups[RING - 1] != null, "ring wraps");
        return svc;
    }

    public static void main(String[] args) throws Exception {
        SERVICE = run(Boolean.getBoolean("val153.fixed"));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
