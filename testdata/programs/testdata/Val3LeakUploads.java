// hprofscan-dump: name=val3-leak-uploads jvm="-Xmx256m" variants=mxbean,jcmd
package testdata;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 3 (written blind), LEAKING: an object-storage upload gateway (multipart uploads).
 *
 * <p>Every multipart upload streams its parts through a {@link ChunkWriter}, an application
 * {@code OutputStream} over a {@code FileChannel} on a spool file, registered in
 * {@code ChunkWriterRegistry.open} so that the janitor can find them. {@code complete()} closes
 * the writer and unregisters it; {@code abort()} (client gave up) only drops the upload session
 * and forgets the writer: the writer, its open FileChannel and its 16 KiB staging buffer stay in
 * the registry forever. 4,500 uploads over 12 simulated hours (ending now), every 10th aborted:
 * 450 leaked writers, beside 24 uploads still in progress (legitimately open, opened within the
 * last minute).
 *
 * <p>Healthy beside it: a bucket directory (4,000 buckets), MIME types (reference data), a
 * chunk-manifest LRU at capacity, a pool of 64 KiB part buffers (all returned), metrics.
 * See testdata/VALIDATION3.md.
 */
public final class Val3LeakUploads {
    static final int BUCKETS = 4_000;
    static final int MIME_TYPES = 1_500;
    static final int UPLOADS = 4_500;
    static final int ABORT_EVERY = 10;
    static final int IN_PROGRESS = 24;
    static final int MANIFEST_CAP = 1_500;
    static final int PART_BUFFERS = 32;
    static final int STAGING_BYTES = 16 * 1024;
    static final long SIM_MILLIS = 12L * 3600_000L;

    static Val3LeakUploads.UploadService RUNNING;

    static final class Bucket {
        final String name; final String owner; final String region; final List<String> acl; final long createdAt;
        Bucket(String name, String owner, String region, List<String> acl, long createdAt) {
            this.name = name; this.owner = owner; this.region = region; this.acl = acl; this.createdAt = createdAt;
        }
    }

    static final class MimeType {
        final String extension; final String type; final boolean compressible;
        MimeType(String extension, String type, boolean compressible) { this.extension = extension; this.type = type; this.compressible = compressible; }
    }

    /** Reference data, loaded once at startup. */
    static final class MimeTypes {
        static final Map<String, MimeType> BY_EXTENSION = new HashMap<>();
        static void load() {
            String[] families = {"application", "image", "text", "video", "audio", "font"};
            for (int i = 0; i < MIME_TYPES; i++) {
                String ext = "x" + Integer.toString(46_656 + i, 36);
                BY_EXTENSION.put(ext, new MimeType(ext, families[i % families.length] + "/vnd.example-" + i, i % 3 == 0));
            }
        }
    }

    static final class BucketDirectory {
        final Map<String, Bucket> buckets = new HashMap<>();
    }

    /** An application output stream over a spool file's channel. */
    static final class ChunkWriter extends OutputStream {
        final String uploadId; final File file; final FileChannel channel; final ByteBuffer staging;
        final long openedAt; long bytesWritten; int partsWritten; boolean closed;
        ChunkWriter(String uploadId, File file, long openedAt) throws IOException {
            this.uploadId = uploadId; this.file = file; this.openedAt = openedAt;
            this.channel = FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            this.staging = ByteBuffer.allocate(STAGING_BYTES);
        }
        @Override public void write(int b) throws IOException {
            if (!staging.hasRemaining()) flush();
            staging.put((byte) b);
        }
        @Override public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (!staging.hasRemaining()) flush();
                int n = Math.min(len, staging.remaining());
                staging.put(b, off, n);
                off += n; len -= n;
            }
        }
        @Override public void flush() throws IOException {
            staging.flip();
            while (staging.hasRemaining()) bytesWritten += channel.write(staging);
            staging.clear();
        }
        @Override public void close() throws IOException {
            if (closed) return;
            flush();
            channel.close();
            closed = true;
        }
    }

    static final class ChunkWriterRegistry {
        final ConcurrentHashMap<String, ChunkWriter> open = new ConcurrentHashMap<>();
    }

    static final class UploadSession {
        final String uploadId; final Bucket bucket; final String key; final long startedAt; int parts;
        UploadSession(String uploadId, Bucket bucket, String key, long startedAt) { this.uploadId = uploadId; this.bucket = bucket; this.key = key; this.startedAt = startedAt; }
    }

    static final class ChunkManifest {
        final String uploadId; final int parts; final long size; final byte[] etags;
        ChunkManifest(String uploadId, int parts, long size, byte[] etags) { this.uploadId = uploadId; this.parts = parts; this.size = size; this.etags = etags; }
    }

    static final class ManifestCache extends LinkedHashMap<String, ChunkManifest> {
        final int capacity;
        ManifestCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ChunkManifest> eldest) { return size() > capacity; }
    }

    static final class PartBufferPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        int borrowed;
        PartBufferPool() { for (int i = 0; i < PART_BUFFERS; i++) free.add(new byte[64 * 1024]); }
        byte[] take() { borrowed++; return free.isEmpty() ? new byte[64 * 1024] : free.poll(); }
        void give(byte[] b) { borrowed--; if (free.size() < PART_BUFFERS) free.add(b); }
    }

    static final class UploadService {
        final BucketDirectory directory = new BucketDirectory();
        final ChunkWriterRegistry writers = new ChunkWriterRegistry();
        final Map<String, UploadSession> sessions = new HashMap<>();
        final ManifestCache manifests = new ManifestCache(MANIFEST_CAP);
        final PartBufferPool partBuffers = new PartBufferPool();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        final File spoolDir;
        UploadService(File spoolDir) { this.spoolDir = spoolDir; }

        void count(String name) { metrics.computeIfAbsent(name, k -> new LongAdder()).increment(); }

        UploadSession initiate(String uploadId, String bucketName, String key, long now) throws IOException {
            Bucket b = directory.buckets.get(bucketName);
            UploadSession s = new UploadSession(uploadId, b, key, now);
            sessions.put(uploadId, s);
            writers.open.put(uploadId, new ChunkWriter(uploadId, new File(spoolDir, uploadId + ".part"), now));
            count("upload.initiated");
            return s;
        }

        void uploadPart(UploadSession s, Random rnd) throws IOException {
            byte[] buf = partBuffers.take();
            try {
                int n = 512 + rnd.nextInt(1024);
                for (int i = 0; i < n; i++) buf[i] = (byte) (i * 31 + s.parts);
                writers.open.get(s.uploadId).write(buf, 0, n);
                s.parts++;
            } finally {
                partBuffers.give(buf);
            }
        }

        void complete(UploadSession s) throws IOException {
            ChunkWriter w = writers.open.remove(s.uploadId);
            w.close();
            w.file.delete(); // moved to the object store
            sessions.remove(s.uploadId);
            manifests.put(s.uploadId, new ChunkManifest(s.uploadId, s.parts, w.bytesWritten, new byte[16 * s.parts]));
            count("upload.completed");
        }

        void abort(UploadSession s) {
            sessions.remove(s.uploadId); // BUG: the writer stays open and registered
            count("upload.aborted");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void deleteDir(File dir) {
        File[] files = dir.listFiles();
        if (files != null) for (File f : files) f.delete();
        dir.delete();
    }

    static UploadService build() throws IOException {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        File spool = new File(System.getProperty("java.io.tmpdir"), "hprofscan-val3-uploads-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        if (!spool.mkdirs()) throw new IOException("cannot create " + spool);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteDir(spool)));
        UploadService svc = new UploadService(spool);
        MimeTypes.load();
        String[] regions = {"eu-central-1", "eu-west-1", "us-east-1", "us-west-2", "ap-southeast-1"};
        for (int i = 0; i < BUCKETS; i++) {
            String name = "bucket-" + (300_000 + i);
            svc.directory.buckets.put(name, new Bucket(name, "acct-" + (10_000 + i % 900), regions[i % regions.length],
                    List.of("owner:FULL_CONTROL", "acct-" + (10_000 + (i * 7) % 900) + ":READ"), start - 86_400_000L * (1 + i % 400)));
        }
        Random rnd = new Random(4242);
        long step = (SIM_MILLIS - 120_000L) / UPLOADS;
        for (int u = 0; u < UPLOADS; u++) {
            long t = start + u * step;
            UploadSession s = svc.initiate(String.format("mpu-%08d", 20_000_000 + u), "bucket-" + (300_000 + rnd.nextInt(BUCKETS)), "objects/" + u + ".bin", t);
            int parts = 1 + rnd.nextInt(4);
            for (int p = 0; p < parts; p++) svc.uploadPart(s, rnd);
            if (u % ABORT_EVERY == ABORT_EVERY - 1) svc.abort(s);
            else svc.complete(s);
        }
        // uploads in progress right now (started within the last minute)
        for (int u = 0; u < IN_PROGRESS; u++) {
            UploadSession s = svc.initiate(String.format("mpu-%08d", 20_000_000 + UPLOADS + u), "bucket-" + (300_000 + rnd.nextInt(BUCKETS)), "objects/live-" + u + ".bin", now - 60_000L + u * 2_000L);
            svc.uploadPart(s, rnd);
        }
        check(svc.writers.open.size() == UPLOADS / ABORT_EVERY + IN_PROGRESS, "open writers " + svc.writers.open.size());
        check(svc.sessions.size() == IN_PROGRESS, "sessions " + svc.sessions.size());
        check(svc.manifests.size() == MANIFEST_CAP, "manifests " + svc.manifests.size());
        check(svc.partBuffers.free.size() == PART_BUFFERS && svc.partBuffers.borrowed == 0, "part buffers");
        check(MimeTypes.BY_EXTENSION.size() == MIME_TYPES && svc.directory.buckets.size() == BUCKETS, "reference data");
        return svc;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
