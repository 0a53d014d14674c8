// hprofscan-dump: name=val47-healthy-feltmakers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val47-healthy-feltmakers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val47-healthy-feltmakers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val47-healthy-feltmakers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 47 (written blind), HEALTHY: the production and trade portal of a felt mill
 * (industrial, craft and piano felts). Fibre-lot reference data, the customer directory, a cache of
 * rendered swatch cards at its cap, a ring of loom/needling-machine events that fills during the
 * first hours and then wraps, a session store whose sweeper expires idle sessions correctly (the
 * timeout is configured in seconds and compared in milliseconds on both sides), the registry of
 * production batches in progress keyed by an immutable record (line, batch number) and emptied on
 * completion, and a pool of label-printer buffers that tracks the buffers it hands out and is
 * always given them back (release in a finally block, also when the printer is offline).
 * See VALIDATION47.md.
 */
public final class Val47HealthyFeltmakers {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FIBRES = 1_200, CUSTOMERS = 25_000, SWATCH_CAP = 2_000, POOL = 8, LOOM_RING = 8_192, EVENTS_PER_HOUR = 6_000, SESSIONS_PER_HOUR = 1_200, BATCHES_PER_HOUR = 300, LINES = 14;
    /** portal.properties: session.idle-timeout=1800 (seconds). */
    static final long IDLE_TIMEOUT_SECONDS = 1_800;

    record FibreLot(String code, String breed, String origin, double[] micronDistribution) {}
    record Customer(String account, String company, String country, byte[] profile, long since) {}
    record SwatchCard(String key, byte[] rendered, long at) {}
    record LoomEvent(String line, String kind, int value, byte[] trace, long at) {}
    record BatchKey(String line, long batchNo) {}
    record IssuedBuffer(byte[] buffer, String labelFor, long issuedAt) {}

    static final class Session {
        final String id, account;
        final long createdAt;
        long lastAccessAt;
        final Map<String, Object> attributes = new HashMap<>();
        Session(String id, String account, long at) { this.id = id; this.account = account; this.createdAt = at; this.lastAccessAt = at; }
    }

    /** Session store; the sweeper runs every minute. */
    static final class SessionStore {
        final Map<String, Session> sessions = new HashMap<>();
        final long idleTimeoutMillis;
        long created, expired, sweeps, peak;
        SessionStore(long idleTimeoutSeconds) { this.idleTimeoutMillis = idleTimeoutSeconds * SECOND; }
        void sweep(long now) {
            sweeps++;
            for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
                if (now - it.next().lastAccessAt > idleTimeoutMillis) { it.remove(); expired++; } // both in milliseconds
            }
        }
    }

    static final class Batch {
        final BatchKey key;
        final String felt;
        final long startedAt;
        String stage = "CARDING";
        long finishedAt;
        final byte[] qcSheet;
        Batch(BatchKey key, String felt, long startedAt, byte[] qcSheet) { this.key = key; this.felt = felt; this.startedAt = startedAt; this.qcSheet = qcSheet; }
    }

    /** Hand-rolled ring buffer of the newest LOOM_RING machine events. */
    static final class LoomLog {
        final LoomEvent[] items = new LoomEvent[LOOM_RING];
        int head, size; long written;
        void add(LoomEvent e) { items[(head + size) % items.length] = e; if (size < items.length) size++; else head = (head + 1) % items.length; written++; }
    }

    static final class PrinterOfflineException extends Exception {
        PrinterOfflineException(String m) { super(m); }
    }

    /** Label-buffer pool; the issued list backs the "buffers in use" gauge of the admin page. */
    static final class LabelBufferPool {
        final ArrayDeque<byte[]> idle = new ArrayDeque<>();
        final List<IssuedBuffer> issued = new ArrayList<>();
        long handedOut, returned, maxIssued;
        byte[] acquire(String labelFor, long at) {
            byte[] b = idle.poll();
            if (b == null) b = new byte[32_768];
            issued.add(new IssuedBuffer(b, labelFor, at));
            maxIssued = Math.max(maxIssued, issued.size());
            handedOut++;
            return b;
        }
        void release(byte[] b) {
            for (int k = issued.size() - 1; k >= 0; k--) if (issued.get(k).buffer() == b) { issued.remove(k); break; }
            returned++;
            if (idle.size() < POOL) idle.add(b);
        }
    }

    static final class SwatchCache extends LinkedHashMap<String, SwatchCard> {
        long evicted;
        SwatchCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SwatchCard> e) { if (size() > SWATCH_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, FibreLot> FIBRES_BY_CODE = new HashMap<>();

    static final class Mill {
        final Map<String, Customer> customers = new HashMap<>();
        final SwatchCache swatches = new SwatchCache();
        final LoomLog loomEvents = new LoomLog();
        final SessionStore sessions = new SessionStore(IDLE_TIMEOUT_SECONDS);
        final Map<BatchKey, Batch> batches = new HashMap<>();
        final LabelBufferPool labelBuffers = new LabelBufferPool();
        long batchesStarted, batchesFinished, labelsPrinted, printerErrors, visits;

        void printLabel(String labelFor, long at, boolean printerOffline) {
            byte[] buf = labelBuffers.acquire(labelFor, at);
            try {
                buf[(int) (labelsPrinted % buf.length)] = (byte) at;
                if (printerOffline) throw new PrinterOfflineException("label printer " + labelFor.length() % 4 + " offline");
                labelsPrinted++;
            } catch (PrinterOfflineException e) {
                printerErrors++; // re-queued by the operator; the buffer goes back below
            } finally {
                labelBuffers.release(buf);
            }
        }
    }

    static final int SWEEP = 0, LOOM = 1, VISIT = 2, BATCH_START = 3, BATCH_FULLING = 4, BATCH_DONE = 5;

    static final class Event implements Comparable<Event> {
        final long at, seq; final int kind; final Object subject; final int remaining;
        Event(long at, long seq, int kind, Object subject, int remaining) { this.at = at; this.seq = seq; this.kind = kind; this.subject = subject; this.remaining = remaining; }
        @Override public int compareTo(Event o) { return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq); }
    }

    static Mill SERVICE;

    static final String[] BREEDS = {"Merino", "Corriedale", "Romney", "Shetland", "Blue-faced Leicester", "Alpaca", "Mohair"};
    static final String[] FELTS = {"Piano hammer", "Industrial 10mm", "Craft 1mm", "Polishing", "Gasket", "Acoustic panel", "Hat body"};
    static final String[] LOOM_KINDS = {"NEEDLE_BREAK", "SPEED", "TENSION", "TEMP", "DOFF"};
    static final String[] PAGES = {"/swatches", "/orders", "/stock", "/certificates", "/invoices"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(47_050_001);
        for (int f = 0; f < FIBRES; f++) {
            double[] microns = new double[64];
            for (int k = 0; k < microns.length; k++) microns[k] = 14 + rnd.nextDouble() * 20;
            String code = "LOT-" + (60_000 + f);
            FIBRES_BY_CODE.put(code, new FibreLot(code, BREEDS[f % BREEDS.length], "Farm " + (f % 210), microns));
        }
        Mill svc = new Mill();
        SERVICE = svc;
        String[] accounts = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            accounts[c] = "FA" + (2_000_000 + c * 3);
            svc.customers.put(accounts[c], new Customer(accounts[c], "Company " + c, c % 5 == 0 ? "DE" : "GB", new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.idle.add(new byte[32_768]);
        simulate(svc, hours, start, end, accounts);

        SessionStore st = svc.sessions;
        long oldest = Long.MAX_VALUE;
        for (Session s : st.sessions.values()) oldest = Math.min(oldest, s.lastAccessAt);
        LoomLog log = svc.loomEvents;
        System.out.println("stage " + stage + " fibres " + FIBRES_BY_CODE.size() + " customers " + svc.customers.size() + " sessions " + st.sessions.size() + " (created " + st.created + ", expired " + st.expired + ", peak " + st.peak
                + ", sweeps " + st.sweeps + ") batches in progress " + svc.batches.size() + " (started " + svc.batchesStarted + ", finished " + svc.batchesFinished + ") loom ring " + log.size + " (written " + log.written
                + ", head " + log.head + ") swatches " + svc.swatches.size() + " (evicted " + svc.swatches.evicted + ") labels " + svc.labelsPrinted + " printer errors " + svc.printerErrors + " issued " + svc.labelBuffers.issued.size()
                + " (max " + svc.labelBuffers.maxIssued + ") idle " + svc.labelBuffers.idle.size() + " visits " + svc.visits);
        check(FIBRES_BY_CODE.size() == FIBRES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(st.created == (long) SESSIONS_PER_HOUR * hours && st.sweeps == hours * 60L && st.sessions.size() + st.expired == st.created && end - oldest <= st.idleTimeoutMillis, "sessions expire");
        check(svc.batchesStarted == (long) BATCHES_PER_HOUR * hours && svc.batches.size() == svc.batchesStarted - svc.batchesFinished, "batch registry holds batches in progress");
        check(log.written == (long) EVENTS_PER_HOUR * hours && log.size == Math.min(log.written, LOOM_RING), "loom ring");
        check(svc.swatches.size() == SWATCH_CAP && svc.swatches.evicted > 0, "swatch cache at cap");
        check(svc.labelBuffers.issued.isEmpty() && svc.labelBuffers.idle.size() == POOL && svc.printerErrors > 0 && svc.labelBuffers.returned == svc.labelBuffers.handedOut, "label pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /**
     * Loom events and batch starts are evenly spaced, portal sessions arrive evenly and make 1-8
     * requests 20 s to 7 min apart; a batch is carded and fulled (10-25 min later) and finished 10-30
     * min after that; the session sweeper runs every minute. Nothing happens at or after the dump.
     */
    static void simulate(Mill svc, int hours, long start, long end, String[] accounts) {
        Random traffic = new Random(47_050_002);
        PriorityQueue<Event> queue = new PriorityQueue<>();
        long seq = 0;
        long span = end - MINUTE - start;
        int events = EVENTS_PER_HOUR * hours, sessions = SESSIONS_PER_HOUR * hours, batches = BATCHES_PER_HOUR * hours;
        for (int i = 0; i < events; i++) queue.add(new Event(start + span * i / events, seq++, LOOM, null, 0));
        for (int i = 0; i < sessions; i++) queue.add(new Event(start + span * i / sessions, seq++, VISIT, null, 1 + traffic.nextInt(8)));
        for (int i = 0; i < batches; i++) queue.add(new Event(start + span * i / batches, seq++, BATCH_START, null, 0));
        for (long t = start + MINUTE; t <= end; t += MINUTE) queue.add(new Event(t, seq++, SWEEP, null, 0));
        long batchNo = 880_000;
        while (!queue.isEmpty()) {
            Event e = queue.poll();
            switch (e.kind) {
                case SWEEP -> svc.sessions.sweep(e.at);
                case LOOM -> svc.loomEvents.add(new LoomEvent("LINE-" + (1 + traffic.nextInt(LINES)), LOOM_KINDS[traffic.nextInt(LOOM_KINDS.length)], traffic.nextInt(1_000), new byte[100 + traffic.nextInt(100)], e.at));
                case VISIT -> {
                    svc.visits++;
                    Session s;
                    if (e.subject == null) {
                        String id = Long.toHexString(traffic.nextLong() | (1L << 62));
                        String account = accounts[traffic.nextInt(accounts.length)];
                        s = new Session(id, account, e.at);
                        svc.sessions.sessions.put(id, s);
                        svc.sessions.created++;
                        svc.sessions.peak = Math.max(svc.sessions.peak, svc.sessions.sessions.size());
                        s.attributes.put("account", account);
                        s.attributes.put("basket", new byte[100 + traffic.nextInt(200)]);
                        s.attributes.put("csrf", Long.toHexString(traffic.nextLong()));
                    } else {
                        s = svc.sessions.sessions.get((String) e.subject);
                        if (s == null) throw new IllegalStateException("session expired while in use");
                        s.lastAccessAt = e.at;
                    }
                    s.attributes.put("lastPage", PAGES[traffic.nextInt(PAGES.length)]);
                    String key = "swatch-" + traffic.nextInt(4_000);
                    if (svc.swatches.get(key) == null) svc.swatches.put(key, new SwatchCard(key, new byte[500 + traffic.nextInt(500)], e.at));
                    if (e.remaining > 1) {
                        long at = e.at + 20 * SECOND + traffic.nextInt(400) * SECOND;
                        if (at < end) queue.add(new Event(at, seq++, VISIT, s.id, e.remaining - 1));
                    }
                }
                case BATCH_START -> {
                    BatchKey key = new BatchKey("LINE-" + (1 + traffic.nextInt(LINES)), batchNo++);
                    svc.batches.put(key, new Batch(key, FELTS[traffic.nextInt(FELTS.length)], e.at, new byte[120 + traffic.nextInt(160)]));
                    svc.batchesStarted++;
                    long at = e.at + (10 + traffic.nextInt(16)) * MINUTE;
                    if (at < end) queue.add(new Event(at, seq++, BATCH_FULLING, key, 0));
                }
                case BATCH_FULLING -> {
                    svc.batches.get((BatchKey) e.subject).stage = "FULLING"; // the key is immutable; the stage lives on the batch
                    long at = e.at + (10 + traffic.nextInt(21)) * MINUTE;
                    if (at < end) queue.add(new Event(at, seq++, BATCH_DONE, e.subject, 0));
                }
                case BATCH_DONE -> {
                    Batch b = svc.batches.remove((BatchKey) e.subject);
                    if (b == null) throw new IllegalStateException("batch " + e.subject + " not found");
                    b.stage = "DONE";
                    b.finishedAt = e.at;
                    svc.batchesFinished++;
                    svc.printLabel(b.key.line() + "/" + b.key.batchNo(), e.at, traffic.nextInt(40) == 0);
                }
                default -> throw new IllegalStateException("kind " + e.kind);
            }
        }
    }
}
