// hprofscan-dump: name=val117-healthy-vetlabs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val117-healthy-vetlabs-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 117 (written blind), HEALTHY: the sample-tracking and results service of a
 * veterinary diagnostic laboratory. Test panels (reference data), the sample directory, a cache of
 * rendered result PDFs at its cap, a pool of analyser buffers, a ring of analyser runs, a table of
 * species reference ranges (one large int array); and bounded look-alikes of the set's leaks: a
 * static ThreadLocal decoder scratch on 6 analyser lanes removed in a finally, a rate limiter per
 * clinic API key and per client IP that evicts buckets idle for 15 minutes, per-connection
 * statement caches over a fixed set of parameterised queries, and a report work queue whose one
 * consumer keeps up (a backlog of ~3 minutes). See VALIDATION117.md.
 */
public final class Val117HealthyVetLabs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PANELS = 1_000, SAMPLES = 22_000, PDF_CAP = 2_000, POOL = 8, RING = 8_192, LANES = 6, CONNECTIONS = 5, CLINICS = 700, HOURS = 10, SAMPLES_PER_MINUTE = 40;

    record Panel(String code, String name, double[] turnaroundByHour) {}
    record Sample(String barcode, String clinicKey, String species, String panelCode, byte[] history, long receivedAt) {}
    record ResultPdf(String key, byte[] rendered, long at) {}
    record AnalyserRun(String barcode, String analyser, long value, long at) {}
    record ResultReport(String barcode, String clinicKey, byte[] hl7, long at) {}

    static final class DecodeScratch { final int[] channels = new int[64]; final StringBuilder flags = new StringBuilder(32); }
    static final ThreadLocal<DecodeScratch> SCRATCH = new ThreadLocal<>();
    static final AtomicLong SCRATCH_SETS = new AtomicLong(), SCRATCH_REMOVES = new AtomicLong();

    static final class Bucket { double tokens; long lastSeenAt; long calls; Bucket(double tokens, long t) { this.tokens = tokens; this.lastSeenAt = t; } }

    static final class RateLimiter {
        final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
        long created, evicted, rejected;
        boolean allow(String client, long t) {
            Bucket b = buckets.computeIfAbsent(client, k -> { created++; return new Bucket(60, t); });
            b.tokens = Math.min(60, b.tokens + (t - b.lastSeenAt) * 30.0 / MINUTE);
            b.lastSeenAt = t; b.calls++;
            if (b.tokens < 1) { rejected++; return false; }
            b.tokens -= 1;
            return true;
        }
        void evictIdle(long t) {
            var it = buckets.values().iterator();
            while (it.hasNext()) if (it.next().lastSeenAt < t - 15 * MINUTE) { it.remove(); evicted++; }
        }
    }

    static final class PreparedStmt {
        final String sql; final int[] paramTypes; final byte[] plan; long executions;
        PreparedStmt(String sql, int params, byte[] plan) { this.sql = sql; this.paramTypes = new int[params]; this.plan = plan; }
    }

    static final class Connection {
        final Map<String, PreparedStmt> statementCache = new HashMap<>();
        final byte[] socketBuffer = new byte[16_384];
        long executions;
        void execute(String sql) {
            PreparedStmt ps = statementCache.get(sql);
            if (ps == null) {
                int params = 0;
                for (int i = 0; i < sql.length(); i++) if (sql.charAt(i) == '?') params++;
                ps = new PreparedStmt(sql, params, new byte[60 + sql.length() % 60]);
                statementCache.put(sql, ps);
            }
            ps.executions++;
            socketBuffer[(int) (executions++ % socketBuffer.length)]++;
        }
    }

    static final String[] SQL = {
        "SELECT barcode, clinic_key, species, panel_code FROM sample WHERE barcode = ?",
        "INSERT INTO sample (barcode, clinic_key, species, panel_code, received_at) VALUES (?, ?, ?, ?, ?)",
        "SELECT code, analyser, tests FROM panel WHERE code = ?",
        "INSERT INTO result (barcode, test, value, unit, flag, measured_at) VALUES (?, ?, ?, ?, ?, ?)",
        "UPDATE sample SET status = ?, reported_at = ? WHERE barcode = ?",
        "SELECT low, high FROM reference_range WHERE species = ? AND test = ?",
        "SELECT barcode, status FROM sample WHERE clinic_key = ? AND received_at >= ? ORDER BY received_at DESC LIMIT 50",
        "INSERT INTO audit (barcode, actor, action, at) VALUES (?, ?, ?, ?)",
        "SELECT name, email FROM clinic WHERE api_key = ?",
        "SELECT COUNT(*) FROM sample WHERE status = 'PENDING' AND panel_code = ?",
        "UPDATE analyser SET last_run_at = ?, runs = runs + 1 WHERE id = ?",
        "SELECT id FROM qc_lot WHERE analyser = ? AND expires_at > ?",
        "INSERT INTO invoice_line (clinic_key, barcode, panel_code, price_pence) VALUES (?, ?, ?, ?)",
        "SELECT barcode FROM sample WHERE status = 'RECEIVED' AND received_at < ? LIMIT 100",
    };

    static final class PdfCache extends LinkedHashMap<String, ResultPdf> {
        long evicted;
        PdfCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultPdf> e) { if (size() > PDF_CAP) { evicted++; return true; } return false; }
    }

    /** Result reports go to the clinics' systems through one sender thread; it keeps up with a lag of ~3 minutes. */
    static final class ReportSender {
        final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> { Thread t = new Thread(r, "hl7-sender"); t.setDaemon(true); return t; });
        final Semaphore lineTime = new Semaphore(0);
        final AtomicLong submitted = new AtomicLong(), sent = new AtomicLong(), bytes = new AtomicLong();
        final long[] perMinute = new long[HOURS * 60 + 3];
        long permits;
        ReportSender() { sender.prestartAllCoreThreads(); }
        void submit(ResultReport rep, int minute) {
            submitted.incrementAndGet(); perMinute[minute]++;
            sender.execute(() -> { lineTime.acquireUninterruptibly(); bytes.addAndGet(rep.hl7().length); sent.incrementAndGet(); });
        }
        void tick(int minute) {
            if (minute >= 3) { permits += perMinute[minute - 3]; lineTime.release((int) perMinute[minute - 3]); }
            while (sent.get() < permits) LockSupport.parkNanos(20_000);
        }
        int waitQuiet() {
            long open = submitted.get() - sent.get();
            long expected = open - Math.min(1, open);
            while (sender.getQueue().size() != expected) LockSupport.parkNanos(200_000);
            return (int) expected;
        }
    }

    static final Map<String, Panel> PANELS_BY_CODE = new HashMap<>();

    static final class LabService {
        final Map<String, Sample> samples = new HashMap<>();
        final String[] barcodes = new String[SAMPLES];
        final String[] clinicKeys = new String[CLINICS];
        final PdfCache pdfs = new PdfCache();
        final ArrayDeque<byte[]> analyserBuffers = new ArrayDeque<>();
        final AnalyserRun[] runs = new AnalyserRun[RING];
        final int[] referenceRanges = new int[700_000];
        final RateLimiter limiter = new RateLimiter();
        final Connection[] connections = new Connection[CONNECTIONS];
        final ExecutorService[] lanes = new ExecutorService[LANES];
        final ReportSender reports = new ReportSender();
        long requests, analysed, rejected;

        LabService() {
            for (int c = 0; c < CONNECTIONS; c++) connections[c] = new Connection();
            for (int l = 0; l < LANES; l++) { String name = "analyser-lane-" + l; lanes[l] = Executors.newSingleThreadExecutor(r -> { Thread t = new Thread(r, name); t.setDaemon(true); return t; }); }
        }

        /** Runs on an analyser lane: decodes one analyser frame. */
        static long decode(byte[] frame, int rangeLow) {
            DecodeScratch s = SCRATCH.get();
            if (s == null) { s = new DecodeScratch(); SCRATCH.set(s); SCRATCH_SETS.incrementAndGet(); }
            try {
                long v = 0;
                for (int k = 0; k < s.channels.length; k++) { s.channels[k] = frame[(k * 5) % frame.length] & 0xff; v += s.channels[k]; }
                s.flags.setLength(0);
                if (v < rangeLow) s.flags.append('L');
                return v;
            } finally {
                SCRATCH.remove();
                SCRATCH_REMOVES.incrementAndGet();
            }
        }
    }

    static LabService SERVICE;
    static final String[] SPECIES_NAMES = {"canine", "feline", "equine", "bovine", "ovine", "rabbit", "avian", "porcine"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(117_060_001);
        LabService svc = new LabService();
        SERVICE = svc;
        String[] codes = new String[PANELS];
        for (int p = 0; p < PANELS; p++) {
            double[] ta = new double[48];
            for (int k = 0; k < ta.length; k++) ta[k] = 2 + rnd.nextDouble() * 30;
            codes[p] = "PNL-" + (2_000 + p);
            PANELS_BY_CODE.put(codes[p], new Panel(codes[p], "Panel " + p, ta));
        }
        for (int c = 0; c < CLINICS; c++) svc.clinicKeys[c] = "vk_" + Long.toHexString(0x51c0_0000L + c * 977L);
        for (int i = 0; i < SAMPLES; i++) {
            svc.barcodes[i] = "VX" + (8_800_000 + i * 3);
            svc.samples.put(svc.barcodes[i], new Sample(svc.barcodes[i], svc.clinicKeys[rnd.nextInt(CLINICS)], SPECIES_NAMES[rnd.nextInt(SPECIES_NAMES.length)], codes[rnd.nextInt(PANELS)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(60)) * DAY));
        }
        for (int k = 0; k < svc.referenceRanges.length; k++) svc.referenceRanges[k] = rnd.nextInt(5_000);
        for (int b = 0; b < POOL; b++) svc.analyserBuffers.add(new byte[32_768]);
        Random traffic = new Random(117_060_002);
        List<Future<Long>> pending = new ArrayList<>();
        List<Object[]> meta = new ArrayList<>();
        for (int m = 0; m < HOURS * 60; m++) {
            long t0 = start + m * MINUTE;
            for (int q = 0; q < SAMPLES_PER_MINUTE; q++) {
                long t = t0 + q * MINUTE / SAMPLES_PER_MINUTE;
                svc.requests++;
                // clinics call with their API key; the public result-lookup page by client IP
                String client = traffic.nextInt(4) == 0 ? "ip:" + (90 + traffic.nextInt(4)) + "." + traffic.nextInt(256) + "." + traffic.nextInt(256) + "." + (1 + traffic.nextInt(254))
                        : svc.clinicKeys[traffic.nextInt(CLINICS)];
                if (!svc.limiter.allow(client, t)) { svc.rejected++; continue; }
                Connection c = svc.connections[(int) (svc.requests % CONNECTIONS)];
                String barcode = svc.barcodes[traffic.nextInt(SAMPLES)];
                Sample s = svc.samples.get(barcode);
                c.execute(SQL[8]); c.execute(SQL[0]); c.execute(SQL[6 + traffic.nextInt(8)]);
                if (traffic.nextInt(2) == 0) {
                    c.execute(SQL[2]); c.execute(SQL[3]); c.execute(SQL[5]);
                    byte[] frame = new byte[64 + traffic.nextInt(64)];
                    traffic.nextBytes(frame);
                    int low = svc.referenceRanges[traffic.nextInt(svc.referenceRanges.length)];
                    pending.add(svc.lanes[Math.floorMod(barcode.hashCode(), LANES)].submit(() -> LabService.decode(frame, low)));
                    meta.add(new Object[] {s, t, m, 300 + traffic.nextInt(500)});
                } else {
                    c.execute(SQL[1 + traffic.nextInt(3) * 5 % 13]);
                    String key = barcode + ".pdf";
                    if (svc.pdfs.get(key) == null) svc.pdfs.put(key, new ResultPdf(key, new byte[400 + traffic.nextInt(400)], t));
                }
            }
            flush(svc, pending, meta);
            svc.limiter.evictIdle(t0 + MINUTE);
            svc.reports.tick(m);
        }
    }

    static void flush(LabService svc, List<Future<Long>> pending, List<Object[]> meta) throws Exception {
        for (int k = 0; k < pending.size(); k++) {
            Object[] x = meta.get(k);
            Sample s = (Sample) x[0];
            long v = pending.get(k).get();
            svc.runs[(int) (svc.analysed++ % RING)] = new AnalyserRun(s.barcode(), "AN-" + (v % 12), v, (Long) x[1]);
            byte[] buf = svc.analyserBuffers.poll();
            buf[(int) (v % buf.length)]++;
            svc.analyserBuffers.add(buf);
            svc.reports.submit(new ResultReport(s.barcode(), s.clinicKey(), new byte[(Integer) x[3]], (Long) x[1]), (Integer) x[2]);
        }
        pending.clear();
        meta.clear();
    }

    public static void main(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        LabService svc = SERVICE;
        int queued = svc.reports.waitQuiet();
        int statements = 0;
        for (Connection c : svc.connections) statements += c.statementCache.size();
        System.out.println("panels " + PANELS_BY_CODE.size() + " samples " + svc.samples.size() + " requests " + svc.requests + " rejected " + svc.rejected + " analysed " + svc.analysed
                + " buckets " + svc.limiter.buckets.size() + " (created " + svc.limiter.created + ", evicted " + svc.limiter.evicted + ") statements " + statements
                + " scratch sets " + SCRATCH_SETS.get() + " removes " + SCRATCH_REMOVES.get() + " reports submitted " + svc.reports.submitted.get() + " sent " + svc.reports.sent.get() + " queued " + queued
                + " pdfs " + svc.pdfs.size() + " (evicted " + svc.pdfs.evicted + ") pool " + svc.analyserBuffers.size());
        check(PANELS_BY_CODE.size() == PANELS && svc.samples.size() == SAMPLES, "reference data / directory");
        check(svc.requests == (long) HOURS * 60 * SAMPLES_PER_MINUTE, "requests");
        check(SCRATCH_SETS.get() == svc.analysed && SCRATCH_REMOVES.get() == svc.analysed, "scratch removed");
        check(statements <= CONNECTIONS * SQL.length, "statements " + statements);
        check(svc.reports.submitted.get() == svc.analysed && queued < 200, "report backlog " + queued);
        check(svc.limiter.buckets.size() < 1_500, "buckets " + svc.limiter.buckets.size());
        check(svc.pdfs.size() == PDF_CAP && svc.pdfs.evicted > 0, "pdf cache at cap");
        check(svc.analyserBuffers.size() == POOL, "pool");
        check(svc.runs[RING - 1] != null, "ring");
    }
}
