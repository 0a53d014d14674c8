// hprofscan-dump: name=val100-leak-escrowdesk jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val100-leak-escrowdesk-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 100 (written blind), LEAK: the disbursement desk of a property escrow (title)
 * company. Escrow-office reference data, the directory of open escrow files, a cache of rendered
 * settlement statements at its cap, a pool of cheque-printer buffers, a ring of recent wire
 * confirmations, and a regulatory audit channel: one java.io.ObjectOutputStream, open for the life
 * of the service, over an in-memory ByteArrayOutputStream that a shipper drains every 30 s (the
 * bytes are shipped to the compliance archive; the last 16 batches are kept for re-sends). Every
 * disbursement, wire release, ledger posting and holdback is written as an AuditEntry. The drain
 * resets the ByteArrayOutputStream (buffer.reset()) but never the ObjectOutputStream (out.reset()),
 * so the stream's handle table keeps a reference to every entry (and its memo) ever written. See
 * VALIDATION100.md.
 */
public final class Val100LeakEscrowDesk {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DRAIN_EVERY = 30_000L;
    static final int OFFICES = 1_100, FILES = 25_000, STATEMENT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, ENTRIES_PER_HOUR = 5_000, KEEP_BATCHES = 16, OFFICERS = 60;
    static boolean FIXED;

    record Office(String code, String county, double[] dailyClosings) {}
    record EscrowFile(String fileNumber, String officeCode, String property, byte[] closingInstructions, long openedAt) {}
    record Statement(String key, byte[] rendered, long at) {}
    record WireConfirmation(String fileNumber, String fedReference, long amountCents, long at) {}
    record AuditEntry(long seq, String kind, String fileNumber, String officer, long amountCents, long at, byte[] memo) implements Serializable {}

    /** The audit channel: one object stream for the life of the service, drained every 30 s. */
    static final class AuditChannel {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
        final ObjectOutputStream out;
        final ArrayDeque<byte[]> shipped = new ArrayDeque<>();
        long written, drains, resets, bytesShipped;
        AuditChannel() throws IOException { out = new ObjectOutputStream(buffer); }
        void write(AuditEntry e) throws IOException { out.writeObject(e); written++; }
        void drain() throws IOException {
            out.flush();
            byte[] batch = buffer.toByteArray();
            buffer.reset(); // the bytes are shipped; the byte buffer starts over
            bytesShipped += batch.length;
            shipped.addLast(batch);
            if (shipped.size() > KEEP_BATCHES) shipped.removeFirst();
            drains++;
            if (FIXED) { out.reset(); resets++; } // forget the objects written so far
            // BUG: out.reset() is never called: the stream's handle table keeps every entry ever written
        }
    }

    static final class StatementCache extends LinkedHashMap<String, Statement> {
        long evicted;
        StatementCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Statement> e) { if (size() > STATEMENT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Office> OFFICES_BY_CODE = new HashMap<>();

    static final class DisbursementDesk {
        final Map<String, EscrowFile> files = new HashMap<>();
        final StatementCache statements = new StatementCache();
        final ArrayDeque<byte[]> chequeBuffers = new ArrayDeque<>();
        final WireConfirmation[] wires = new WireConfirmation[RING];
        long wiresWritten;
        final AuditChannel audit;
        DisbursementDesk() throws IOException { audit = new AuditChannel(); }
    }

    static DisbursementDesk SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Number of objects in the stream's handle table (only with --add-opens java.base/java.io=ALL-UNNAMED). */
    static int handleCount(ObjectOutputStream out) {
        try {
            java.lang.reflect.Field hf = ObjectOutputStream.class.getDeclaredField("handles");
            hf.setAccessible(true);
            Object handles = hf.get(out);
            java.lang.reflect.Method size = handles.getClass().getDeclaredMethod("size");
            size.setAccessible(true);
            return (Integer) size.invoke(handles);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /** Builds the service; leaves nothing referenced from main's frame. */
    static void build() throws IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(100_030_001);
        String[] officeCodes = new String[OFFICES];
        for (int k = 0; k < OFFICES; k++) {
            double[] closings = new double[72];
            for (int d = 0; d < closings.length; d++) closings[d] = rnd.nextDouble() * 30;
            officeCodes[k] = "EO-" + (400 + k);
            OFFICES_BY_CODE.put(officeCodes[k], new Office(officeCodes[k], "County " + (k % 90), closings));
        }
        DisbursementDesk desk = new DisbursementDesk();
        SERVICE = desk;
        String[] fileNumbers = new String[FILES];
        for (int f = 0; f < FILES; f++) {
            fileNumbers[f] = "ESC-" + (2_400_000 + f * 7);
            desk.files.put(fileNumbers[f], new EscrowFile(fileNumbers[f], officeCodes[rnd.nextInt(OFFICES)], (100 + rnd.nextInt(9_800)) + " Elm Street", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        String[] officers = new String[OFFICERS];
        for (int o = 0; o < OFFICERS; o++) officers[o] = "officer-" + (o + 1);
        for (int b = 0; b < POOL; b++) desk.chequeBuffers.add(new byte[32_768]);
        Random traffic = new Random(100_030_002);
        String[] kinds = {"DISBURSEMENT", "WIRE_RELEASE", "LEDGER_POSTING", "HOLDBACK"};
        int entries = ENTRIES_PER_HOUR * HOURS;
        BitSet filesUsed = new BitSet(FILES), officersUsed = new BitSet(OFFICERS);
        long nextDrain = start + DRAIN_EVERY;
        for (int i = 0; i < entries; i++) {
            long t = start + (end - MINUTE - start) * i / entries;
            while (nextDrain <= t) { desk.audit.drain(); nextDrain += DRAIN_EVERY; }
            int f = traffic.nextInt(FILES), o = traffic.nextInt(OFFICERS);
            String kind = kinds[traffic.nextInt(kinds.length)];
            long amount = 5_000 + traffic.nextInt(90_000_000);
            filesUsed.set(f);
            officersUsed.set(o);
            desk.audit.write(new AuditEntry(80_000_000L + i, kind, fileNumbers[f], officers[o], amount, t, new byte[60 + traffic.nextInt(60)]));
            if (kind.equals("WIRE_RELEASE")) desk.wires[(int) (desk.wiresWritten++ % RING)] = new WireConfirmation(fileNumbers[f], "FED" + (30_000_000 + i), amount, t);
            String key = "STMT-" + traffic.nextInt(5_000);
            if (desk.statements.get(key) == null) desk.statements.put(key, new Statement(key, new byte[600 + traffic.nextInt(600)], t));
            if (kind.equals("DISBURSEMENT")) {
                byte[] buf = desk.chequeBuffers.poll();
                buf[i % buf.length] = (byte) i;
                desk.chequeBuffers.add(buf);
            }
        }
        AuditChannel a = desk.audit;
        int handles = handleCount(a.out);
        // Objects the handle table holds: 2 class descriptors (AuditEntry, byte[]) and 2 field type strings
        // ("Ljava/lang/String;", "[B"), the 4 kind strings, every file number and officer name used, and
        // every entry with its memo.
        long expectedHandles = FIXED ? -1 : 4 + kinds.length + filesUsed.cardinality() + officersUsed.cardinality() + 2L * entries;
        System.out.println((FIXED ? "FIXED " : "") + "offices " + OFFICES_BY_CODE.size() + " files " + desk.files.size() + " audit written " + a.written + " drains " + a.drains + " resets " + a.resets
                + " shipped " + a.bytesShipped + " bytes (kept " + a.shipped.size() + " batches) pending " + a.buffer.size() + " bytes; files used " + filesUsed.cardinality() + " officers used " + officersUsed.cardinality()
                + " handle table " + handles + " (expected " + expectedHandles + ") wires " + desk.wiresWritten + " statements " + desk.statements.size() + " (evicted " + desk.statements.evicted + ") pool " + desk.chequeBuffers.size());
        check(OFFICES_BY_CODE.size() == OFFICES && desk.files.size() == FILES, "reference data / directory");
        check(a.written == entries && a.drains == HOURS * 3600_000L / DRAIN_EVERY - 3 && a.shipped.size() == KEEP_BATCHES, "audit traffic: " + a.drains);
        check(a.resets == (FIXED ? a.drains : 0), "resets");
        if (handles >= 0 && !FIXED) check(handles == expectedHandles, "handle table keeps everything: " + handles);
        check(desk.statements.size() == STATEMENT_CAP && desk.statements.evicted > 0, "statement cache at cap");
        check(desk.chequeBuffers.size() == POOL, "pool");
        check(desk.wiresWritten > RING && desk.wires[RING - 1] != null, "wire ring wraps");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val100.fixed");
        build();
        LeakCheck.histogram(" [I ", " [B ", " [J ", " [Ljava.lang.Object; ", " java.lang.String ", " java.lang.Thread ", "ThreadLocal", "LinkedBlockingQueue", "HandleTable", "ConcurrentHashMap", "HashMap$Node ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
