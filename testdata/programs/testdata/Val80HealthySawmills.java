// hprofscan-dump: name=val80-healthy-sawmills-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val80-healthy-sawmills-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val80-healthy-sawmills jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val80-healthy-sawmills-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 80 (written blind), HEALTHY: the grading and dispatch service of a group of
 * sawmills. Species reference data, the log-batch directory, a ring of grading events, a pool of
 * scanner buffers, and look-alikes of the set's leaks done right: an outbox whose sent messages are
 * deleted by the relay, per-worker statistics keyed by the name of one of 8 fixed grading lines,
 * a board-photo thumbnail cache keyed by SHA-256 but capped (LRU, 1,500), and a broker client whose
 * pending acks expire after 30 s. Series: 1 h / 4 h / 8 h; warms up, then plateaus. See
 * VALIDATION80.md.
 */
public final class Val80HealthySawmills {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SPECIES = 1_400, BATCHES = 26_000, THUMB_CAP = 1_500, POOL = 8, RING = 16_384, EVENTS_PER_HOUR = 6_000, LINES = 8, PHOTOS_PER_HOUR = 1_000;

    record Species(String code, String latinName, double[] moistureCurve) {}
    record LogBatch(String id, String speciesCode, String yard, byte[] certificate, long receivedAt) {}
    record GradingEvent(String batchId, String line, String grade, int boardFeet, long at) {}
    record Thumbnail(String sha256, String batchId, byte[] jpeg, long at) {}
    record PendingMessage(long seq, String topic, long sentAt, byte[] payload) {}

    static final class OutboxMessage {
        final long id; final String kind; final String recipient; final long createdAt; final byte[] body;
        boolean sent; long sentAt;
        OutboxMessage(long id, String kind, String recipient, long createdAt, byte[] body) { this.id = id; this.kind = kind; this.recipient = recipient; this.createdAt = createdAt; this.body = body; }
    }

    static final class Outbox {
        final LinkedHashMap<Long, OutboxMessage> messages = new LinkedHashMap<>();
        long written, sent;
        void relay(long now) {
            for (Iterator<OutboxMessage> it = messages.values().iterator(); it.hasNext(); ) {
                OutboxMessage m = it.next();
                m.sent = true; m.sentAt = now; sent++;
                it.remove(); // deleted once sent
            }
        }
    }

    static final class LineStats { final String line; long boards, rejects, lastAt; final long[] gradeCounts = new long[96]; LineStats(String line) { this.line = line; } }

    static final class ThumbCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final class BrokerClient {
        final HashMap<Long, PendingMessage> pendingAcks = new HashMap<>();
        long nextSeq = 1, acked, expired;
        void expire(long now) { pendingAcks.values().removeIf(p -> { boolean old = now - p.sentAt() > 30 * SECOND; if (old) expired++; return old; }); }
    }

    static final Map<String, Species> SPECIES_BY_CODE = new HashMap<>();

    static final class MillService {
        final Map<String, LogBatch> batches = new HashMap<>();
        final GradingEvent[] events = new GradingEvent[RING];
        long graded;
        final ArrayDeque<byte[]> scannerBuffers = new ArrayDeque<>();
        final Outbox outbox = new Outbox();
        final Map<String, LineStats> statsByLine = new HashMap<>();
        final ThumbCache thumbnails = new ThumbCache();
        final BrokerClient broker = new BrokerClient();
    }

    static MillService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        int photos = PHOTOS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(80_050_001);
        String[] speciesCodes = new String[SPECIES];
        for (int s = 0; s < SPECIES; s++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 30;
            String code = "SP-" + (1_000 + s);
            speciesCodes[s] = code;
            SPECIES_BY_CODE.put(code, new Species(code, "Species " + s, curve));
        }
        MillService svc = new MillService();
        SERVICE = svc;
        String[] batchIds = new String[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            String id = "LB" + (6_000_000 + b);
            batchIds[b] = id;
            svc.batches.put(id, new LogBatch(id, speciesCodes[rnd.nextInt(SPECIES)], "Yard " + (b % 12), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scannerBuffers.add(new byte[32_768]);
        String[] lines = new String[LINES];
        for (int l = 0; l < LINES; l++) { lines[l] = "grading-line-" + (l + 1); svc.statsByLine.put(lines[l], new LineStats(lines[l])); }
        Random traffic = new Random(80_050_002);
        String[] grades = {"FAS", "SEL", "1COM", "2COM", "3COM"};
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        HexFormat hex = HexFormat.of();
        byte[] photo = new byte[2_048];
        long nextRelay = start + 30 * SECOND, nextExpiry = start + 10 * SECOND;
        int photoEvery = EVENTS_PER_HOUR / PHOTOS_PER_HOUR;
        int photosTaken = 0;
        long[] ackWindow = new long[4];
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextRelay <= t) { svc.outbox.relay(nextRelay); nextRelay += 30 * SECOND; }
            while (nextExpiry <= t) { svc.broker.expire(nextExpiry); nextExpiry += 10 * SECOND; }
            String batch = batchIds[traffic.nextInt(BATCHES)];
            String line = lines[traffic.nextInt(LINES)];
            String grade = grades[traffic.nextInt(grades.length)];
            svc.events[(int) (svc.graded++ % RING)] = new GradingEvent(batch, line, grade, 10 + traffic.nextInt(400), t);
            LineStats st = svc.statsByLine.get(line);
            st.boards++; st.lastAt = t; st.gradeCounts[traffic.nextInt(96)]++;
            OutboxMessage m = new OutboxMessage(50_000_000L + i, "GRADE_CERTIFICATE", "buyer-" + traffic.nextInt(3_000), t, new byte[120 + traffic.nextInt(120)]);
            svc.outbox.messages.put(m.id, m); svc.outbox.written++;
            long seq = svc.broker.nextSeq++;
            svc.broker.pendingAcks.put(seq, new PendingMessage(seq, "mill.graded", t, new byte[100 + traffic.nextInt(100)]));
            boolean lost = traffic.nextInt(50) == 0;
            int slot = i % 4;
            if (i >= 4 && ackWindow[slot] > 0) { svc.broker.pendingAcks.remove(ackWindow[slot]); svc.broker.acked++; }
            ackWindow[slot] = lost ? 0 : seq;
            if (i % photoEvery == 0) {
                traffic.nextBytes(photo);
                String digest = hex.formatHex(sha.digest(photo));
                if (svc.thumbnails.get(digest) == null) svc.thumbnails.put(digest, new Thumbnail(digest, batch, new byte[700 + traffic.nextInt(600)], t));
                photosTaken++;
            }
            byte[] buf = svc.scannerBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.scannerBuffers.add(buf);
        }
        int expectedRing = Math.min(events, RING);
        System.out.println("stage " + stage + " species " + SPECIES_BY_CODE.size() + " batches " + svc.batches.size() + " graded " + svc.graded + " outbox " + svc.outbox.messages.size() + " (written " + svc.outbox.written + ", sent " + svc.outbox.sent
                + ") lines " + svc.statsByLine.size() + " thumbnails " + svc.thumbnails.size() + " (photos " + photosTaken + ", evicted " + svc.thumbnails.evicted + ") pending acks " + svc.broker.pendingAcks.size() + " (acked " + svc.broker.acked + ", expired " + svc.broker.expired + ") pool " + svc.scannerBuffers.size());
        check(SPECIES_BY_CODE.size() == SPECIES && svc.batches.size() == BATCHES, "reference data / directory");
        check(svc.graded == events && (events >= RING) == (svc.events[RING - 1] != null), "ring, " + expectedRing + " filled");
        check(svc.outbox.messages.size() < 100 && svc.outbox.written == events, "outbox purged: " + svc.outbox.messages.size());
        check(svc.statsByLine.size() == LINES, "line stats");
        check(photosTaken == photos && svc.thumbnails.size() == Math.min(photos, THUMB_CAP), "thumbnail cache: " + svc.thumbnails.size());
        check(svc.broker.pendingAcks.size() < 200 && svc.broker.expired > 0, "pending acks expire: " + svc.broker.pendingAcks.size());
        check(svc.scannerBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
