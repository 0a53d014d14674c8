// hprofscan-dump: name=svc-leak-streams jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-streams-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Leak (tuning set, resources): a mail gateway that scans attachments.
 *
 * <p>Every attachment body is read through an {@link AttachmentStream}, an application
 * {@code InputStream} subclass that inflates the compressed body with a {@link Inflater} (native
 * zlib memory, freed by {@code end()} in {@code close()}). Streams register in the static
 * {@code BodyStreams.OPEN} so that an admin endpoint can list them. The clean path closes and
 * unregisters the stream; the quarantine path (every 5th attachment) reads the stream to the end
 * and returns without closing it: 600 streams stay open, at end of stream, never read again, with
 * their inflater's native memory. No JDK file or socket is involved: the rules that know JDK
 * resources do not see them.
 *
 * <p>Legitimate open resources beside it: the access log ({@code BufferedOutputStream} over a
 * {@code FileOutputStream}, open for the life of the process), a keep-alive pool of 128 connected
 * {@code Socket}s to the scanning backend (more than a hundred, idle, all returned), the
 * backend's stand-in {@code ServerSocket}, and 8 attachment streams being read right now by
 * requests in flight. Also: a signature database (reference data, 20,000), a verdict LRU at its
 * capacity (5,000), metrics. See testdata/SERVICES.md.
 */
public final class SvcLeakStreams {
    static final int SIGNATURES = 20_000;
    static final int ATTACHMENTS = 3_000;
    static final int QUARANTINE_EVERY = 5;
    static final int IN_FLIGHT = 8;
    static final int KEEP_ALIVE = 128;
    static final int VERDICT_CAP = 5_000;
    static final long SIM_MILLIS = 9L * 3600_000L;

    static MailGateway RUNNING;

    static final class Signature {
        final String name; final byte[] sha256; final int severity; final long loadedAt;
        Signature(String name, byte[] sha256, int severity, long loadedAt) { this.name = name; this.sha256 = sha256; this.severity = severity; this.loadedAt = loadedAt; }
    }

    /** Reference data, loaded at startup. */
    static final class SignatureDb {
        static final Map<String, Signature> BY_NAME = new HashMap<>();
    }

    /** Application stream over a compressed attachment body. */
    static final class AttachmentStream extends InputStream {
        final long attachmentId; final String messageId; final byte[] compressed; final Inflater inflater = new Inflater();
        final byte[] window = new byte[4_096]; int windowPos, windowLen;
        final long openedAt; long lastReadAt; long bytesRead; boolean eof; boolean closed;
        AttachmentStream(long attachmentId, String messageId, byte[] compressed, long now) {
            this.attachmentId = attachmentId; this.messageId = messageId; this.compressed = compressed; openedAt = lastReadAt = now;
            inflater.setInput(compressed);
            BodyStreams.OPEN.put(attachmentId, this);
        }
        @Override public int read() throws IOException {
            if (windowPos == windowLen && !fill()) return -1;
            bytesRead++;
            return window[windowPos++] & 0xff;
        }
        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (windowPos == windowLen && !fill()) return -1;
            int n = Math.min(len, windowLen - windowPos);
            System.arraycopy(window, windowPos, b, off, n);
            windowPos += n; bytesRead += n;
            return n;
        }
        private boolean fill() throws IOException {
            if (eof) return false;
            try {
                windowLen = inflater.inflate(window);
            } catch (DataFormatException e) {
                throw new IOException(e);
            }
            windowPos = 0;
            if (windowLen == 0 && inflater.finished()) { eof = true; return false; }
            return true;
        }
        void touch(long now) { lastReadAt = now; }
        @Override public void close() {
            if (closed) return;
            closed = true;
            inflater.end();
            BodyStreams.OPEN.remove(attachmentId);
        }
    }

    static final class BodyStreams {
        static final Map<Long, AttachmentStream> OPEN = new ConcurrentHashMap<>();
    }

    static final class AccessLog {
        final File file; final BufferedOutputStream out;
        AccessLog(File file) throws IOException { this.file = file; out = new BufferedOutputStream(new FileOutputStream(file, true), 8_192); }
        void line(String s) throws IOException { out.write(s.getBytes(StandardCharsets.US_ASCII)); out.write('\n'); }
    }

    /** The scanning backend's listener (a stand-in for the remote cluster, in-process for the test). */
    static final class BackendStub {
        static ServerSocket LISTENER;
    }

    /** Keep-alive connections to the scanning backend, borrowed per scan and returned. */
    static final class KeepAlivePool {
        final ArrayDeque<Socket> idle = new ArrayDeque<>();
        int leased;
        Socket lease() { leased++; return idle.pop(); }
        void release(Socket s) { leased--; idle.push(s); }
    }

    static final class Verdict {
        final String sha256Hex; final boolean clean; final String signature; final long scannedAt;
        Verdict(String sha256Hex, boolean clean, String signature, long scannedAt) { this.sha256Hex = sha256Hex; this.clean = clean; this.signature = signature; this.scannedAt = scannedAt; }
    }

    static final class VerdictCache extends LinkedHashMap<String, Verdict> {
        final int capacity;
        VerdictCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Verdict> e) { return size() > capacity; }
    }

    static final class MailGateway {
        final AccessLog accessLog;
        final KeepAlivePool backend = new KeepAlivePool();
        final VerdictCache verdicts = new VerdictCache(VERDICT_CAP);
        final Map<Long, AttachmentStream> inFlight = new HashMap<>();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        MailGateway(File log) throws IOException { accessLog = new AccessLog(log); }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void scan(long id, byte[] body, long now, boolean quarantine) throws IOException {
            AttachmentStream in = new AttachmentStream(id, "<msg-" + id + "@mail.example>", body.clone(), now);
            Socket s = backend.lease();
            try {
                byte[] buf = new byte[1_024];
                long sum = 0;
                int n;
                while ((n = in.read(buf, 0, buf.length)) > 0) sum += buf[0] + n;
                in.touch(now);
                String hex = Long.toHexString(id * 0x9E3779B97F4A7C15L) + Long.toHexString(sum);
                verdicts.put(hex, new Verdict(hex, !quarantine, quarantine ? "Eicar-Test-" + (id % 50) : null, now));
                accessLog.line("SCAN " + id + (quarantine ? " QUARANTINED" : " CLEAN"));
                if (quarantine) {
                    count("scan.quarantined");
                    return; // BUG: the attachment stream is never closed
                }
                in.close();
                count("scan.clean");
            } finally {
                backend.release(s);
            }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static byte[] compressedBody(Random rnd) {
        byte[] plain = new byte[12_000];
        for (int i = 0; i < plain.length; i++) plain[i] = (byte) ('a' + (i * 7 + rnd.nextInt(3)) % 26);
        Deflater d = new Deflater();
        d.setInput(plain);
        d.finish();
        byte[] out = new byte[16_384];
        int n = d.deflate(out);
        d.end();
        return java.util.Arrays.copyOf(out, n);
    }

    static MailGateway build() throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        // (not File.createTempFile: it initialises SecureRandom, which keeps /dev/urandom open)
        File log = new File(System.getProperty("java.io.tmpdir"), "hprofscan-svc-streams-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
        Runtime.getRuntime().addShutdownHook(new Thread(log::delete));
        MailGateway gw = new MailGateway(log);
        Random rnd = new Random(1_0101);
        for (int i = 0; i < SIGNATURES; i++) {
            byte[] h = new byte[32];
            rnd.nextBytes(h);
            String name = "Sig." + (i % 40) + ".Family-" + (100_000 + i);
            SignatureDb.BY_NAME.put(name, new Signature(name, h, 1 + i % 5, start));
        }
        BackendStub.LISTENER = new ServerSocket(0, KEEP_ALIVE * 2, InetAddress.getLoopbackAddress());
        for (int i = 0; i < KEEP_ALIVE; i++) {
            Socket s = new Socket();
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), BackendStub.LISTENER.getLocalPort()));
            gw.backend.idle.add(s);
        }
        byte[] body = compressedBody(rnd);
        for (int a = 0; a < ATTACHMENTS; a++) {
            long t = start + SIM_MILLIS * a / ATTACHMENTS;
            gw.scan(60_000_000L + a, body, t, a % QUARANTINE_EVERY == QUARANTINE_EVERY - 1);
            // more verdicts than fit: a few thousand lookups of earlier messages' parts
            for (int k = 0; k < 2; k++) {
                String hex = "part-" + a + "-" + k;
                gw.verdicts.put(hex, new Verdict(hex, true, null, t));
            }
        }
        for (int i = 0; i < IN_FLIGHT; i++) {
            long id = 60_000_000L + ATTACHMENTS + i;
            AttachmentStream in = new AttachmentStream(id, "<msg-" + id + "@mail.example>", body.clone(), now - 500 + i * 50);
            in.read(new byte[512], 0, 512);
            gw.inFlight.put(id, in);
        }
        gw.accessLog.out.flush();
        int leaked = 0, open = 0;
        for (AttachmentStream s : BodyStreams.OPEN.values()) {
            if (!s.closed) open++;
            if (s.eof && !s.closed) leaked++;
        }
        check(leaked == ATTACHMENTS / QUARANTINE_EVERY && open == leaked + IN_FLIGHT && BodyStreams.OPEN.size() == open, "open streams " + open + " leaked " + leaked);
        check(gw.backend.idle.size() == KEEP_ALIVE && gw.backend.leased == 0, "keep-alive pool");
        check(gw.verdicts.size() == VERDICT_CAP, "verdicts " + gw.verdicts.size());
        check(SignatureDb.BY_NAME.size() == SIGNATURES, "signatures");
        return gw;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
