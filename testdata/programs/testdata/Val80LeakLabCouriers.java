// hprofscan-dump: name=val80-leak-labcouriers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val80-leak-labcouriers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 80 (written blind), LEAK: the specimen-tracking service of a medical lab courier
 * network. Clinic reference data, the specimen-kit directory, a cache of rendered manifests at its
 * cap, a pool of barcode-scan buffers, a ring of recent scans, and a messaging client that publishes
 * every scan event to the hospital broker and keeps it in BrokerClient.pendingAcks (a HashMap keyed
 * by the message sequence number) until the broker's ack arrives. The acks of 2% of the messages (1 in 50) are
 * lost (the broker's ack path drops them); the client has no ack timeout, so those entries (with
 * their payload and sentAt) stay forever. The fix expires a pending message after 30 s (counted,
 * handed to a bounded redelivery counter). See VALIDATION80.md.
 */
public final class Val80LeakLabCouriers {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CLINICS = 1_300, KITS = 24_000, MANIFEST_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, MESSAGES = 150_000, ACK_LAG = 4;
    static boolean FIXED;

    record Clinic(String code, String name, double[] pickupWindows) {}
    record Kit(String barcode, String clinicCode, String type, byte[] chainOfCustody, long issuedAt) {}
    record Manifest(String key, byte[] rendered, long at) {}
    record Scan(String barcode, String courierId, String station, long at) {}
    record PendingMessage(long seq, String topic, String barcode, long sentAt, byte[] payload) {}

    static final class BrokerClient {
        final HashMap<Long, PendingMessage> pendingAcks = new HashMap<>();
        long nextSeq = 1, published, acked, ackLost, expired;
        long publish(String topic, String barcode, long at, byte[] payload) {
            long seq = nextSeq++;
            pendingAcks.put(seq, new PendingMessage(seq, topic, barcode, at, payload));
            published++;
            return seq;
        }
        void onAck(long seq) { if (pendingAcks.remove(seq) != null) acked++; }
        void expire(long now) {
            if (!FIXED) return; // BUG: no ack timeout; a message whose ack is lost is pending forever
            for (Iterator<PendingMessage> it = pendingAcks.values().iterator(); it.hasNext(); ) {
                if (now - it.next().sentAt() > 30 * SECOND) { it.remove(); expired++; }
            }
        }
    }

    static final class ManifestCache extends LinkedHashMap<String, Manifest> {
        long evicted;
        ManifestCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Manifest> e) { if (size() > MANIFEST_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Clinic> CLINICS_BY_CODE = new HashMap<>();

    static final class TrackingService {
        final Map<String, Kit> kits = new HashMap<>();
        final ManifestCache manifests = new ManifestCache();
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final Scan[] recent = new Scan[RING];
        long scans;
        final BrokerClient broker = new BrokerClient();
    }

    static TrackingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val80.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(80_040_001);
        String[] clinicCodes = new String[CLINICS];
        for (int c = 0; c < CLINICS; c++) {
            double[] windows = new double[64];
            for (int k = 0; k < windows.length; k++) windows[k] = rnd.nextDouble() * 24;
            String code = "CL-" + (1_000 + c);
            clinicCodes[c] = code;
            CLINICS_BY_CODE.put(code, new Clinic(code, "Clinic " + c, windows));
        }
        TrackingService svc = new TrackingService();
        SERVICE = svc;
        String[] barcodes = new String[KITS];
        String[] types = {"blood", "urine", "swab", "tissue", "culture"};
        for (int k = 0; k < KITS; k++) {
            String bc = "KIT" + (30_000_000 + k);
            barcodes[k] = bc;
            svc.kits.put(bc, new Kit(bc, clinicCodes[rnd.nextInt(CLINICS)], types[k % types.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scanBuffers.add(new byte[32_768]);
        Random traffic = new Random(80_040_002);
        String[] topics = {"specimen.picked-up", "specimen.in-transit", "specimen.delivered", "specimen.temperature"};
        String[] stations = {"van", "hub-north", "hub-south", "lab-intake"};
        BrokerClient bc = svc.broker;
        long[] window = new long[ACK_LAG];
        boolean[] lost = new boolean[ACK_LAG];
        long nextExpiry = start + 10 * SECOND;
        for (int i = 0; i < MESSAGES; i++) {
            long t = start + (end - MINUTE - start) * i / MESSAGES;
            while (nextExpiry <= t) { bc.expire(nextExpiry); nextExpiry += 10 * SECOND; }
            String barcode = barcodes[traffic.nextInt(KITS)];
            long seq = bc.publish(topics[traffic.nextInt(topics.length)], barcode, t, new byte[300 + traffic.nextInt(300)]);
            boolean ackLost = traffic.nextInt(50) == 0;
            // the ack of message i arrives when message i + ACK_LAG is published, unless it was lost
            int slot = i % ACK_LAG;
            if (i >= ACK_LAG) { if (lost[slot]) bc.ackLost++; else bc.onAck(window[slot]); }
            window[slot] = seq; lost[slot] = ackLost;
            svc.recent[(int) (svc.scans++ % RING)] = new Scan(barcode, "CR" + traffic.nextInt(900), stations[traffic.nextInt(stations.length)], t);
            if (i % 3 == 0) {
                String key = "manifest-" + traffic.nextInt(5_000);
                if (svc.manifests.get(key) == null) svc.manifests.put(key, new Manifest(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.scanBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.scanBuffers.add(buf);
            }
        }
        long inFlight = 0;
        for (int s = 0; s < ACK_LAG; s++) if (!lost[s]) inFlight++;
        long lostInFlight = ACK_LAG - inFlight;
        System.out.println((FIXED ? "FIXED " : "") + "clinics " + CLINICS_BY_CODE.size() + " kits " + svc.kits.size() + " published " + bc.published + " acked " + bc.acked + " acks lost " + (bc.ackLost + lostInFlight)
                + " pending " + bc.pendingAcks.size() + " expired " + bc.expired + " manifests " + svc.manifests.size() + " (evicted " + svc.manifests.evicted + ") pool " + svc.scanBuffers.size() + " scans " + svc.scans);
        check(CLINICS_BY_CODE.size() == CLINICS && svc.kits.size() == KITS, "reference data / directory");
        check(bc.published == MESSAGES && bc.acked + bc.ackLost + ACK_LAG == MESSAGES, "ack traffic");
        if (FIXED) check(bc.pendingAcks.size() <= ACK_LAG + 200 && bc.expired > 0, "expired pending: " + bc.pendingAcks.size());
        else check(bc.pendingAcks.size() == bc.ackLost + ACK_LAG && bc.expired == 0, "pending keeps every lost ack: " + bc.pendingAcks.size());
        check(svc.manifests.size() == MANIFEST_CAP && svc.manifests.evicted > 0, "manifest cache at cap");
        check(svc.scanBuffers.size() == POOL, "pool");
        check(svc.scans == MESSAGES && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
