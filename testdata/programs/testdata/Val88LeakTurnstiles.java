// hprofscan-dump: name=val88-leak-turnstiles jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val88-leak-turnstiles-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 88 (written blind), LEAK: the access-control service of a stadium and arena
 * operator. Gate reference data, the ticket directory, a cache of rendered seat maps at its cap, a
 * pool of barcode-decode buffers, a ring of recent admissions, and a standby replicator: every
 * turnstile scan is written as one ScanEvent object to a long-lived ObjectOutputStream over a
 * rotating in-memory segment sink (sealed 256 KiB segments are shipped to the standby site; only
 * the last 4 are kept for retransmission). The stream is flushed every 10 seconds but never
 * reset(), so its handle table keeps every object ever written. See VALIDATION88.md.
 */
public final class Val88LeakTurnstiles {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, FLUSH_EVERY = 10_000L;
    static final int GATES = 1_000, TICKETS = 26_000, SEATMAP_CAP = 2_000, POOL = 8, RING = 16_384, SCANS_PER_HOUR = 5_000, HOURS = 10;
    static final int SEGMENT_BYTES = 256 * 1024, KEEP_SEALED = 4;
    static boolean FIXED;

    record Gate(String code, String venue, int lanes, double[] flowByQuarterHour) {}
    record Ticket(String barcode, String eventCode, String seat, byte[] holderProfile, long issuedAt) {}
    record SeatMap(String key, byte[] rendered, long at) {}
    record Admission(String barcode, String gateCode, boolean admitted, long at) {}
    record ScanEvent(long seq, String barcode, String gateCode, long at, boolean admitted, byte[] signature) implements Serializable {}

    /** Rotating in-memory sink: bytes go to the current segment; a full segment is sealed at the next flush. */
    static final class SegmentSink extends OutputStream {
        ByteArrayOutputStream current = new ByteArrayOutputStream(SEGMENT_BYTES + 16_384);
        final ArrayDeque<byte[]> sealed = new ArrayDeque<>();
        long bytes, segmentsSealed, segmentsDropped;
        @Override public void write(int b) { current.write(b); bytes++; }
        @Override public void write(byte[] b, int off, int len) { current.write(b, off, len); bytes += len; }
        @Override public void flush() {
            if (current.size() >= SEGMENT_BYTES) {
                sealed.addLast(current.toByteArray()); // shipped to the standby; kept for retransmission
                segmentsSealed++;
                current.reset();
                if (sealed.size() > KEEP_SEALED) { sealed.removeFirst(); segmentsDropped++; }
            }
        }
    }

    static final class StandbyReplicator {
        final SegmentSink sink = new SegmentSink();
        final ObjectOutputStream out;
        long written, flushes, resets;
        StandbyReplicator() throws IOException { out = new ObjectOutputStream(sink); }
        void replicate(ScanEvent e) throws IOException { out.writeObject(e); written++; }
        void flush() throws IOException {
            out.flush();
            flushes++;
            if (FIXED) { out.reset(); resets++; } // forget the objects already sent
            // BUG: never reset(): the stream's handle table keeps every ScanEvent (and its signature) ever written
        }
    }

    static final class SeatMapCache extends LinkedHashMap<String, SeatMap> {
        long evicted;
        SeatMapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SeatMap> e) { if (size() > SEATMAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Gate> GATES_BY_CODE = new HashMap<>();

    static final class AccessService {
        final Map<String, Ticket> tickets = new HashMap<>();
        final SeatMapCache seatMaps = new SeatMapCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Admission[] admissions = new Admission[RING];
        long scans, denied;
        final StandbyReplicator replicator;
        AccessService() throws IOException { replicator = new StandbyReplicator(); }
    }

    static AccessService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val88.fixed");
        int scans = SCANS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(88_020_001);
        String[] venues = {"North Stadium", "River Arena", "Harbour Dome", "Park Velodrome", "City Hall Arena", "East Ballpark"};
        String[] gateCodes = new String[GATES];
        for (int g = 0; g < GATES; g++) {
            double[] flow = new double[96];
            for (int k = 0; k < flow.length; k++) flow[k] = rnd.nextDouble() * 400;
            gateCodes[g] = "GT-" + (g / 100) + "-" + (100 + g % 100);
            GATES_BY_CODE.put(gateCodes[g], new Gate(gateCodes[g], venues[g % venues.length], 2 + rnd.nextInt(10), flow));
        }
        AccessService svc = new AccessService();
        SERVICE = svc;
        String[] barcodes = new String[TICKETS];
        for (int t = 0; t < TICKETS; t++) {
            barcodes[t] = "TK" + Long.toString(4_100_000_000L + t * 37L, 36).toUpperCase();
            svc.tickets.put(barcodes[t], new Ticket(barcodes[t], "EV-" + (t % 300), "S" + (t % 40) + "-R" + (t % 30) + "-" + (t % 25), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(88_020_002);
        StandbyReplicator rep = svc.replicator;
        long nextFlush = start + FLUSH_EVERY;
        boolean[] ticketSeen = new boolean[TICKETS], gateSeen = new boolean[GATES];
        int distinctTickets = 0, distinctGates = 0;
        for (int i = 0; i < scans; i++) {
            long t = start + (end - MINUTE - start) * i / scans;
            while (nextFlush <= t) { rep.flush(); nextFlush += FLUSH_EVERY; }
            int ti = traffic.nextInt(TICKETS), gi = traffic.nextInt(GATES);
            String barcode = barcodes[ti];
            String gate = gateCodes[gi];
            if (!ticketSeen[ti]) { ticketSeen[ti] = true; distinctTickets++; }
            if (!gateSeen[gi]) { gateSeen[gi] = true; distinctGates++; }
            boolean admitted = traffic.nextInt(25) != 0;
            if (!admitted) svc.denied++;
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
            svc.admissions[(int) (svc.scans++ % RING)] = new Admission(barcode, gate, admitted, t);
            rep.replicate(new ScanEvent(6_600_000_000L + i, barcode, gate, t, admitted, new byte[32 + traffic.nextInt(32)]));
            String key = "map-" + traffic.nextInt(5_000);
            if (svc.seatMaps.get(key) == null) svc.seatMaps.put(key, new SeatMap(key, new byte[600 + traffic.nextInt(600)], t));
        }
        while (nextFlush <= end) { rep.flush(); nextFlush += FLUSH_EVERY; }
        ticketSeen = null;
        gateSeen = null;
        SegmentSink sink = rep.sink;
        long flushesExpected = HOURS * HOUR / FLUSH_EVERY;
        System.out.println((FIXED ? "FIXED " : "") + "gates " + GATES_BY_CODE.size() + " tickets " + svc.tickets.size() + " scans " + svc.scans + " (denied " + svc.denied + ") replicated " + rep.written
                + " (distinct barcodes " + distinctTickets + ", gates " + distinctGates + ") flushes " + rep.flushes + " resets " + rep.resets + " bytes " + sink.bytes + " segments sealed " + sink.segmentsSealed + " kept " + sink.sealed.size() + " current " + sink.current.size()
                + " seat maps " + svc.seatMaps.size() + " (evicted " + svc.seatMaps.evicted + ") pool " + svc.decodeBuffers.size());
        check(GATES_BY_CODE.size() == GATES && svc.tickets.size() == TICKETS, "reference data / directory");
        check(svc.scans == scans && rep.written == scans && rep.flushes == flushesExpected, "replication traffic: " + rep.flushes);
        check(rep.resets == (FIXED ? flushesExpected : 0), "resets");
        check(sink.sealed.size() == KEEP_SEALED && sink.segmentsDropped > 0 && sink.current.size() < SEGMENT_BYTES, "sink keeps 4 sealed segments");
        check(svc.seatMaps.size() == SEATMAP_CAP && svc.seatMaps.evicted > 0, "seat-map cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.admissions[RING - 1] != null, "admission ring");
        LeakCheck.histogram("java.io.ObjectOutputStream", "java.io.ObjectStreamClass ", "[I (", "[B (", "[Ljava.lang.Object; (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
