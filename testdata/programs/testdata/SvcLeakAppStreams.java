// hprofscan-dump: name=svc-leak-appstreams jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-appstreams-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6): an upload service that spools each upload to a temp file through
 * an application stream, {@link SpoolOutputStream} (an {@code OutputStream} subclass over a
 * {@code FileOutputStream} and its {@code FileChannel}, with an 8 KB write buffer, the request id
 * and {@code openedAt}). Streams are tracked in {@code SpoolRegistry.open} (an {@code ArrayList});
 * the upload path closes and unregisters its stream, the client-abort path does neither: 450
 * open streams (450 open file descriptors) from aborted uploads over 6 hours stay in
 * {@code UploadService.spools.open}. Healthy counterpart: the export service's registry
 * ({@code ExportService.spools.open}, the same classes), which closes every stream: 6 open,
 * opened within the last second by exports in progress. The temp files are unlinked right after
 * they are opened. Also: a MIME/extension table (reference data), a user quota directory
 * (10,000), a checksum LRU at capacity (3,000), metrics.
 * See testdata/SCENARIOS.md, "Tuning set, session 6".
 */
public final class SvcLeakAppStreams {
    static final int USERS = 10_000;
    static final int CHECKSUMS = 3_000;
    static final int UPLOADS = 18_000;
    static final int ABORT_EVERY = 40;
    static final int EXPORTS_RUNNING = 6;
    static final long SIM_MILLIS = 6L * 3600_000L;

    static Service RUNNING;

    static final class SpoolOutputStream extends OutputStream {
        final String requestId; final String path; final FileOutputStream out; final FileChannel channel; final long openedAt;
        final byte[] buffer = new byte[8_192]; int count; long written; boolean closed;
        SpoolOutputStream(String requestId, File file, long openedAt) throws IOException {
            this.requestId = requestId; this.path = file.getPath(); this.openedAt = openedAt;
            this.out = new FileOutputStream(file);
            this.channel = out.getChannel();
        }
        @Override public void write(int b) throws IOException { if (count == buffer.length) flush(); buffer[count++] = (byte) b; }
        @Override public void write(byte[] b, int off, int len) throws IOException {
            if (len > buffer.length - count) flush();
            if (len >= buffer.length) { channel.write(ByteBuffer.wrap(b, off, len)); written += len; return; }
            System.arraycopy(b, off, buffer, count, len); count += len;
        }
        @Override public void flush() throws IOException { if (count > 0) { channel.write(ByteBuffer.wrap(buffer, 0, count)); written += count; count = 0; } }
        @Override public void close() throws IOException { if (!closed) { flush(); channel.close(); out.close(); closed = true; } }
    }

    static final class SpoolRegistry {
        final File dir; final String prefix;
        final List<SpoolOutputStream> open = new ArrayList<>();
        int seq;
        SpoolRegistry(File dir, String prefix) { this.dir = dir; this.prefix = prefix; }
        SpoolOutputStream create(String requestId, long now) throws IOException {
            File f = new File(dir, prefix + "-" + (++seq) + ".part");
            SpoolOutputStream s = new SpoolOutputStream(requestId, f, now);
            if (!f.delete()) throw new IOException("cannot unlink " + f);
            open.add(s);
            return s;
        }
        void finish(SpoolOutputStream s) throws IOException { s.close(); open.remove(s); }
    }

    static final class UploadService { final SpoolRegistry spools; UploadService(File dir) { spools = new SpoolRegistry(dir, "upload"); } }
    static final class ExportService { final SpoolRegistry spools; ExportService(File dir) { spools = new SpoolRegistry(dir, "export"); } }

    static final class Quota {
        final long userId; final long limitBytes; long usedBytes;
        Quota(long userId, long limitBytes) { this.userId = userId; this.limitBytes = limitBytes; }
    }

    static final class MimeTypes { static final Map<String, String> BY_EXTENSION = new HashMap<>(); }

    static final class ChecksumCache extends LinkedHashMap<String, byte[]> {
        final int capacity;
        ChecksumCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > capacity; }
    }

    static final class Service {
        final UploadService uploads; final ExportService exports;
        final Map<Long, Quota> quotas = new HashMap<>();
        final ChecksumCache checksums = new ChecksumCache(CHECKSUMS);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        Service(File dir) { uploads = new UploadService(dir); exports = new ExportService(dir); }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Service build(File dir) throws IOException {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(60_608);
        Service s = new Service(dir);
        String[] ext = {"jpg", "png", "gif", "pdf", "docx", "xlsx", "zip", "mp4", "mov", "txt", "csv", "json"};
        for (String e : ext) MimeTypes.BY_EXTENSION.put(e, "application/x-" + e);
        for (int i = 0; i < USERS; i++) s.quotas.put(3_000_000L + i, new Quota(3_000_000L + i, 5L << 30));
        byte[] chunk = new byte[3_000];
        for (int u = 0; u < UPLOADS; u++) {
            long t = start + (SIM_MILLIS - 10_000) * u / UPLOADS;
            String req = "upload-" + (50_000_000 + u);
            SpoolOutputStream out = s.uploads.spools.create(req, t);
            rnd.nextBytes(chunk);
            out.write(chunk, 0, 1_000 + rnd.nextInt(2_000));
            s.checksums.put(req, new byte[32]);
            if (u % ABORT_EVERY == ABORT_EVERY - 1) { s.count("upload.aborted"); continue; } // BUG: stream neither closed nor unregistered
            s.uploads.spools.finish(out);
            s.quotas.get(3_000_000L + rnd.nextInt(USERS)).usedBytes += out.written;
            if (u % 9 == 0) { SpoolOutputStream x = s.exports.spools.create("export-" + u, t); x.write(chunk, 0, 500); s.exports.spools.finish(x); }
            s.count("upload.ok");
        }
        for (int i = 0; i < EXPORTS_RUNNING; i++) {
            SpoolOutputStream x = s.exports.spools.create("export-running-" + i, now - 1_000 + i * 150L);
            x.write(chunk, 0, 700);
        }
        int leaked = UPLOADS / ABORT_EVERY;
        check(s.uploads.spools.open.size() == leaked, "upload spools " + s.uploads.spools.open.size());
        for (SpoolOutputStream o : s.uploads.spools.open) check(!o.closed && o.channel.isOpen(), "leaked stream state");
        check(s.exports.spools.open.size() == EXPORTS_RUNNING, "export spools");
        check(s.checksums.size() == CHECKSUMS && s.quotas.size() == USERS, "others");
        return s;
    }

    public static void main(String[] args) throws Exception {
        File dir = new File(System.getProperty("java.io.tmpdir"), "hprofscan-spool-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        if (!dir.mkdirs()) throw new IOException("cannot create " + dir);
        RUNNING = build(dir);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        if (!dir.delete()) System.err.println("could not delete " + dir);
        System.exit(0);
    }
}
