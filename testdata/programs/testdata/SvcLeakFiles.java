// hprofscan-dump: name=svc-leak-files jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-files-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Leak #5: a document download service opens a FileInputStream per download and keeps the Download
 * (with its open stream) in an instance map until the client acknowledges completion; 700 of
 * 3,000 downloads are never acknowledged (the client went away), so 700 open streams stay in the
 * map. Beside it: static MIME type table, a document metadata LRU at capacity, a user directory by
 * user id, and a pool of 64 copy buffers that are all returned. The 40 files are temp files in a
 * private directory under java.io.tmpdir, deleted after the dump. See testdata/SERVICES.md.
 */
public final class SvcLeakFiles {
    static final int MIME_TYPES = 1_200;
    static final int FILES = 40;
    static final int DOWNLOADS = 3_000;
    static final int ABANDON_EVERY = 30;
    static final int ABANDONED_PER_30 = 7;
    static final int EXPECTED_OPEN = 700;
    static final int METADATA_CAPACITY = 2_000;
    static final int USERS = 8_000;
    static final int BUFFERS = 64;
    static final int BUFFER_BYTES = 16 * 1024;
    static final long SIM_HOURS = 14;

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class MimeType {
        final String extension;
        final String type;
        final boolean compressible;

        MimeType(String extension, String type, boolean compressible) {
            this.extension = extension;
            this.type = type;
            this.compressible = compressible;
        }
    }

    static final class MimeTypes {
        static final Map<String, MimeType> BY_EXTENSION = new HashMap<>();

        static void load() {
            for (int i = 0; i < MIME_TYPES; i++) {
                String ext = "x" + (1000 + i);
                BY_EXTENSION.put(ext, new MimeType(ext, "application/vnd.example-" + (1000 + i), i % 2 == 0));
            }
        }
    }

    static final class DocumentMetadata {
        final long documentId;
        final String title;
        final String owner;
        final long sizeBytes;
        final MimeType mimeType;
        final long fetchedAt;

        DocumentMetadata(long documentId, MimeType mimeType, long fetchedAt) {
            this.documentId = documentId;
            this.title = "Contract " + documentId;
            this.owner = "owner" + (documentId % 977);
            this.sizeBytes = 4_096 + documentId % 100_000;
            this.mimeType = mimeType;
            this.fetchedAt = fetchedAt;
        }
    }

    static final class MetadataCache extends LinkedHashMap<Long, DocumentMetadata> {
        final int maxEntries;

        MetadataCache(int maxEntries) {
            super(128, 0.75f, true);
            this.maxEntries = maxEntries;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, DocumentMetadata> eldest) {
            return size() > maxEntries;
        }
    }

    static final class User {
        final long id;
        final String name;
        final String email;
        final long createdAt;

        User(long id, long createdAt) {
            this.id = id;
            this.name = "User " + id;
            this.email = "u" + id + "@docs.example";
            this.createdAt = createdAt;
        }
    }

    static final class UserDirectory {
        final Map<Long, User> byId = new ConcurrentHashMap<>();

        User get(long id) {
            return byId.computeIfAbsent(id, k -> new User(k, 1_500_000_000_000L + k));
        }
    }

    static final class BufferPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        final int size;

        BufferPool(int count, int size) {
            this.size = size;
            for (int i = 0; i < count; i++) {
                free.add(new byte[size]);
            }
        }
    }

    static final class Download {
        final String downloadId;
        final User user;
        final FileInputStream in;
        long offset;

        Download(String downloadId, User user, FileInputStream in) {
            this.downloadId = downloadId;
            this.user = user;
            this.in = in;
        }
    }

    static final class DownloadService {
        final SimClock clock;
        final File storage;
        final Map<String, Download> active = new HashMap<>();
        final MetadataCache metadata = new MetadataCache(METADATA_CAPACITY);
        final UserDirectory users = new UserDirectory();
        final BufferPool buffers = new BufferPool(BUFFERS, BUFFER_BYTES);
        long completed;

        DownloadService(SimClock clock, File storage) {
            this.clock = clock;
            this.storage = storage;
        }

        void download(int n) throws IOException {
            long now = clock.getAsLong();
            long docId = 9_000_000L + (n * 13L) % 20_000;
            DocumentMetadata md = metadata.get(docId);
            if (md == null) {
                md = new DocumentMetadata(docId, MimeTypes.BY_EXTENSION.get("x" + (1000 + n % MIME_TYPES)), now);
                metadata.put(docId, md);
            }
            User u = users.get(6_000_000L + (n * 7L) % USERS);
            String id = "dl-" + (40_000_000 + n);
            Download d = new Download(id, u, new FileInputStream(new File(storage, "doc-" + (n % FILES) + ".bin")));
            active.put(id, d);
            byte[] buf = buffers.free.poll();
            try {
                d.offset += d.in.read(buf);
            } finally {
                buffers.free.push(buf);
            }
            // The client acknowledges completion, which closes and forgets the download ...
            // ... except when it disconnected: then nothing ever closes the stream.
            if (n % ABANDON_EVERY >= ABANDONED_PER_30) {
                acknowledge(id);
            }
        }

        void acknowledge(String id) throws IOException {
            Download d = active.remove(id);
            d.in.close();
            completed++;
        }
    }

    static DownloadService RUNNING;
    static File STORAGE;

    static void build() throws IOException {
        File tmp = new File(System.getProperty("java.io.tmpdir"));
        STORAGE = new File(tmp, "hprofscan-svc-files-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        if (!STORAGE.mkdir()) {
            throw new IOException("cannot create " + STORAGE);
        }
        for (int i = 0; i < FILES; i++) {
            try (FileOutputStream out = new FileOutputStream(new File(STORAGE, "doc-" + i + ".bin"))) {
                out.write(new byte[32 * 1024]);
            }
        }
        long end = System.currentTimeMillis();
        long start = end - SIM_HOURS * 3_600_000L;
        MimeTypes.load();
        SimClock clock = new SimClock(start);
        DownloadService s = new DownloadService(clock, STORAGE);
        for (int n = 0; n < DOWNLOADS; n++) {
            clock.now = start + (end - start) * (n + 1) / DOWNLOADS;
            s.download(n);
        }
        if (s.active.size() != EXPECTED_OPEN || s.metadata.size() != METADATA_CAPACITY
                || s.users.byId.size() != DOWNLOADS || s.buffers.free.size() != BUFFERS) {
            throw new IllegalStateException("unexpected sizes " + s.users.byId.size());
        }
        RUNNING = s;
    }

    static void cleanup() {
        for (Download d : RUNNING.active.values()) {
            try {
                d.in.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        File[] files = STORAGE.listFiles();
        if (files != null) {
            for (File f : files) {
                f.delete();
            }
        }
        STORAGE.delete();
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        try {
            build();
            System.gc();
            DumpUtil.dump(variant, out);
            System.out.println("dumped " + out);
        } finally {
            if (RUNNING != null || STORAGE != null) {
                if (RUNNING != null) {
                    cleanup();
                } else {
                    File[] files = STORAGE.listFiles();
                    if (files != null) {
                        for (File f : files) {
                            f.delete();
                        }
                    }
                    STORAGE.delete();
                }
            }
        }
        System.exit(0);
    }
}
