// hprofscan-dump: name=val113-leak-crashreports jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val113-leak-crashreports-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Validation set 113 (written blind), LEAK: the ingest service of a mobile crash-reporting
 * backend. Device-model reference data, the app-release directory, a symbol-map cache at its cap, a
 * pool of JSON buffers, a ring of recent crash summaries, the issue index (one entry per crash
 * fingerprint), an alert queue with a normal backlog, and a dedup window. SDKs upload
 * deflate-compressed reports; ReportDecoder.open creates a DecodeSession (a java.util.zip.Inflater
 * plus the compressed payload) and registers it in openSessions (the "open decoders" gauge and the
 * shutdown cleanup); close() ends the Inflater and deregisters. The ingest path closes the session
 * after a parse and on a corrupt payload, but the duplicate path (same fingerprint within the dedup
 * window: a crash storm) returns early without closing. See VALIDATION113.md.
 */
public final class Val113LeakCrashReports {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DEVICE_MODELS = 1_000, RELEASES = 20_000, FINGERPRINTS = 600, HOT = 12, SYMBOL_CAP = 2_000, POOL = 8, RING = 8_192,
            UPLOADS_PER_HOUR = 3_000, HOURS = 10, DEDUP_WINDOW_MIN = 2, ALERT_AFTER_MIN = 15;
    static final String[] EXCEPTIONS = {"java.lang.NullPointerException", "java.lang.IllegalStateException", "java.lang.IndexOutOfBoundsException",
        "kotlin.UninitializedPropertyAccessException", "android.view.WindowManager$BadTokenException", "java.util.ConcurrentModificationException",
        "java.lang.OutOfMemoryError", "android.database.sqlite.SQLiteDatabaseLockedException", "java.net.SocketTimeoutException"};
    static final String[] PACKAGES = {"com.example.shop.checkout", "com.example.shop.cart", "com.example.shop.catalog.ui", "com.example.shop.sync",
        "com.example.shop.payments", "androidx.recyclerview.widget", "okhttp3.internal.connection", "com.example.shop.push", "kotlinx.coroutines.internal"};
    static boolean FIXED;

    record DeviceModel(String code, String marketingName, double[] crashFreeByWeek) {}
    record AppRelease(String key, String bundleId, String version, int build, byte[] buildMetadata, long releasedAt) {}
    record SymbolMap(String key, byte[] mapping, long loadedAt) {}
    record CrashSummary(String reportId, String fingerprint, String releaseKey, String deviceModel, String topFrame, long at) {}
    record Alert(long id, String fingerprint, String kind, long raisedAt) {}
    /** An upload as received: headers and the deflate-compressed body. */
    record Upload(String reportId, String fingerprint, String releaseKey, String deviceModel, byte[] body, long at) {}

    static final class Issue {
        final String fingerprint; final String title; long events, firstSeen, lastSeen;
        Issue(String fingerprint, String title, long firstSeen) { this.fingerprint = fingerprint; this.title = title; this.firstSeen = firstSeen; }
    }

    /** A report being decoded: the Inflater (native zlib stream) and the compressed body. */
    static final class DecodeSession {
        final long id; final String reportId; final String fingerprint; final byte[] compressed; final long openedAt;
        final Inflater inflater = new Inflater();
        final ReportDecoder owner;
        boolean closed;
        DecodeSession(long id, Upload u, ReportDecoder owner) {
            this.id = id; reportId = u.reportId(); fingerprint = u.fingerprint(); compressed = u.body(); openedAt = u.at(); this.owner = owner;
        }
        String inflateAll(byte[] scratch) throws DataFormatException {
            inflater.setInput(compressed);
            StringBuilder sb = new StringBuilder(compressed.length * 4);
            while (!inflater.finished()) {
                int n = inflater.inflate(scratch);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) throw new DataFormatException("truncated report " + reportId);
                sb.append(new String(scratch, 0, n, StandardCharsets.UTF_8));
            }
            return sb.toString();
        }
        void close() {
            if (closed) return;
            closed = true;
            inflater.end();
            owner.openSessions.remove(this);
            owner.closed++;
        }
    }

    static final class ReportDecoder {
        final Set<DecodeSession> openSessions = ConcurrentHashMap.newKeySet();
        final Map<String, Long> lastSeen = new LinkedHashMap<>();
        long opened, closed;
        DecodeSession open(Upload u) {
            DecodeSession s = new DecodeSession(92_000_000L + opened++, u, this);
            openSessions.add(s);
            return s;
        }
        /** True if the fingerprint was ingested within the dedup window (a crash storm: count it, do not parse it again). */
        boolean isDuplicate(String fingerprint, long t) {
            for (Iterator<Long> it = lastSeen.values().iterator(); it.hasNext(); ) { if (it.next() + DEDUP_WINDOW_MIN * MINUTE <= t) it.remove(); else break; }
            Long seen = lastSeen.get(fingerprint);
            if (seen != null) return true;
            lastSeen.put(fingerprint, t);
            return false;
        }
    }

    static final class SymbolCache extends LinkedHashMap<String, SymbolMap> {
        long evicted;
        SymbolCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SymbolMap> e) { if (size() > SYMBOL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, DeviceModel> DEVICE_MODELS_BY_CODE = new HashMap<>();

    static final class IngestService {
        final Map<String, AppRelease> releases = new HashMap<>();
        final String[] releaseKeys = new String[RELEASES];
        final String[] modelCodes = new String[DEVICE_MODELS];
        final SymbolCache symbols = new SymbolCache();
        final ArrayDeque<byte[]> jsonBuffers = new ArrayDeque<>();
        final CrashSummary[] recent = new CrashSummary[RING];
        final Map<String, Issue> issues = new HashMap<>();
        final ArrayDeque<Alert> alerts = new ArrayDeque<>();
        final ReportDecoder decoder = new ReportDecoder();
        final byte[] scratch = new byte[16_384];
        long uploads, parsed, duplicates, corrupt, summaries, alertsRaised, newIssueAlerts, alertsSent, inflatedBytes;

        void ingest(Upload u, Random r, long t) {
            uploads++;
            DecodeSession s = decoder.open(u);
            if (decoder.isDuplicate(u.fingerprint(), t)) {
                duplicates++;
                Issue dup = issues.get(u.fingerprint());
                if (dup != null) { dup.events++; dup.lastSeen = t; }
                if (FIXED) s.close();
                return; // BUG: the session is never closed on this path
            }
            String text;
            try {
                text = s.inflateAll(scratch);
            } catch (DataFormatException e) {
                corrupt++;
                s.close();
                return;
            }
            s.close();
            parsed++;
            inflatedBytes += text.length();
            int at = text.indexOf("\n\tat ");
            String topFrame = text.substring(at + 5, text.indexOf('\n', at + 5));
            Issue issue = issues.get(u.fingerprint());
            if (issue == null) {
                issue = new Issue(u.fingerprint(), text.substring(0, text.indexOf('\n')), t);
                issues.put(u.fingerprint(), issue);
                alerts.addLast(new Alert(300_000L + alertsRaised++, u.fingerprint(), "new-issue", t));
                newIssueAlerts++;
            }
            issue.events++; issue.lastSeen = t;
            if (issue.events % 10 == 0) alerts.addLast(new Alert(300_000L + alertsRaised++, u.fingerprint(), "velocity", t));
            recent[(int) (summaries++ % RING)] = new CrashSummary(u.reportId(), u.fingerprint(), u.releaseKey(), u.deviceModel(), topFrame, t);
            String key = u.releaseKey() + "#" + r.nextInt(8);
            if (symbols.get(key) == null) {
                byte[] buf = jsonBuffers.poll();
                buf[(int) (summaries % buf.length)] = (byte) topFrame.length();
                jsonBuffers.add(buf);
                symbols.put(key, new SymbolMap(key, new byte[400 + r.nextInt(400)], t));
            }
        }

        void sendAlerts(long t) {
            while (!alerts.isEmpty() && alerts.peekFirst().raisedAt() + ALERT_AFTER_MIN * MINUTE <= t) { alerts.removeFirst(); alertsSent++; }
        }
    }

    static IngestService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** A stack trace of 40-110 frames, deflated: the body an SDK would upload for this fingerprint. */
    static byte[] compressedTrace(Random r, int f) {
        StringBuilder sb = new StringBuilder();
        sb.append(EXCEPTIONS[f % EXCEPTIONS.length]).append(": ").append("crash #").append(f).append(" in ").append(PACKAGES[f % PACKAGES.length]).append('\n');
        int frames = 40 + r.nextInt(70);
        for (int k = 0; k < frames; k++) {
            String pkg = PACKAGES[r.nextInt(PACKAGES.length)];
            sb.append("\tat ").append(pkg).append(".C").append(r.nextInt(400)).append(".m").append(r.nextInt(90)).append("(C").append(r.nextInt(400)).append(".kt:").append(1 + r.nextInt(900)).append(")\n");
        }
        byte[] plain = sb.toString().getBytes(StandardCharsets.UTF_8);
        Deflater d = new Deflater(6);
        try {
            d.setInput(plain);
            d.finish();
            byte[] out = new byte[plain.length + 64];
            int n = d.deflate(out);
            return Arrays.copyOf(out, n);
        } finally {
            d.end();
        }
    }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(113_040_001);
        IngestService svc = new IngestService();
        SERVICE = svc;
        for (int d = 0; d < DEVICE_MODELS; d++) {
            double[] crashFree = new double[48];
            for (int k = 0; k < crashFree.length; k++) crashFree[k] = 0.97 + rnd.nextDouble() * 0.03;
            svc.modelCodes[d] = (d % 3 == 0 ? "SM-" : d % 3 == 1 ? "Pixel-" : "iPhone") + (100 + d);
            DEVICE_MODELS_BY_CODE.put(svc.modelCodes[d], new DeviceModel(svc.modelCodes[d], "Model " + d, crashFree));
        }
        for (int i = 0; i < RELEASES; i++) {
            String bundle = "com.example.app" + (i % 200);
            String version = (4 + i / 5_000) + "." + (i / 100 % 50) + "." + (i % 100);
            svc.releaseKeys[i] = bundle + "@" + version;
            svc.releases.put(svc.releaseKeys[i], new AppRelease(svc.releaseKeys[i], bundle, version, 10_000 + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.jsonBuffers.add(new byte[32_768]);
        String[] fingerprints = new String[FINGERPRINTS];
        byte[][] bodies = new byte[FINGERPRINTS][];
        for (int f = 0; f < FINGERPRINTS; f++) {
            fingerprints[f] = Long.toHexString(0x5eed_0000_0000_0000L ^ (f * 0x9e37_79b9_7f4a_7c15L));
            bodies[f] = compressedTrace(rnd, f);
        }
        Random traffic = new Random(113_040_002), web = new Random(113_040_003);
        int minutes = HOURS * 60;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            int count = (int) (((long) (m + 1) * UPLOADS_PER_HOUR) / 60 - ((long) m * UPLOADS_PER_HOUR) / 60);
            for (int k = 0; k < count; k++) {
                int f = traffic.nextInt(100) < 30 ? traffic.nextInt(HOT) : traffic.nextInt(FINGERPRINTS);
                byte[] body = traffic.nextInt(100) == 0 ? Arrays.copyOf(bodies[f], bodies[f].length / 2) : bodies[f].clone();
                Upload u = new Upload("cr-" + Long.toHexString(0x1_0000_0000L + svc.uploads) + Integer.toHexString(traffic.nextInt(1 << 16)), new String(fingerprints[f]),
                        svc.releaseKeys[traffic.nextInt(RELEASES)], svc.modelCodes[traffic.nextInt(DEVICE_MODELS)], body, t + k * (MINUTE / count));
                svc.ingest(u, web, u.at());
            }
            svc.sendAlerts(t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val113.fixed");
        simulate();
        report();
        LeakCheck.histogram("java.util.zip.Inflater");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        IngestService svc = SERVICE;
        ReportDecoder d = svc.decoder;
        int open = d.openSessions.size();
        long openBytes = 0;
        for (DecodeSession s : d.openSessions) openBytes += s.compressed.length;
        System.out.println((FIXED ? "FIXED " : "") + "device models " + DEVICE_MODELS_BY_CODE.size() + " releases " + svc.releases.size() + " uploads " + svc.uploads + " parsed " + svc.parsed
                + " duplicates " + svc.duplicates + " corrupt " + svc.corrupt + " sessions opened " + d.opened + " closed " + d.closed + " open " + open + " (" + openBytes + " compressed bytes)"
                + " issues " + svc.issues.size() + " alerts " + svc.alertsRaised + " sent " + svc.alertsSent + " backlog " + svc.alerts.size() + " symbols " + svc.symbols.size() + " (evicted " + svc.symbols.evicted
                + ") pool " + svc.jsonBuffers.size() + " dedup window " + d.lastSeen.size() + " inflated " + svc.inflatedBytes);
        check(DEVICE_MODELS_BY_CODE.size() == DEVICE_MODELS && svc.releases.size() == RELEASES, "reference data / directory");
        check(svc.uploads == (long) UPLOADS_PER_HOUR * HOURS && svc.parsed + svc.duplicates + svc.corrupt == svc.uploads && d.opened == svc.uploads, "uploads");
        if (FIXED) check(open == 0 && d.closed == d.opened, "every session closed");
        else check(open == svc.duplicates && d.closed == svc.parsed + svc.corrupt, "open sessions = duplicates: " + open);
        check(svc.issues.size() <= FINGERPRINTS && svc.newIssueAlerts == svc.issues.size(), "issues");
        check(!svc.alerts.isEmpty() && svc.alertsSent > 0, "alert backlog");
        check(svc.symbols.size() == SYMBOL_CAP && svc.symbols.evicted > 0, "symbol cache at cap");
        check(svc.jsonBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        check(d.lastSeen.size() <= FINGERPRINTS, "dedup window");
    }
}
