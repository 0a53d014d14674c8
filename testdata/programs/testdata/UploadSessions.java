// hprofscan-dump: name=upload-sessions jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=upload-sessions-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=upload-sessions-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=upload-sessions-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="leak"
package testdata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resumable-upload endpoint of a document service: an upload opens a spool file
 * ({@code FileChannel}) and registers an {@code UploadSession} in {@code Uploads.open} (a
 * {@code ConcurrentHashMap<Long, UploadSession>}) so that later chunks find it; each session
 * keeps a reference back to that map ({@code UploadSession.registry}) to unregister itself
 * when it completes. Beside it: 8,000 user accounts, 600 document types, an LRU of 1,500
 * thumbnails at its cap, a ring of recent uploads and a pool of chunk buffers. 3,000 uploads
 * over 10 hours.
 * <ul>
 * <li>{@code healthy}: an upload whose client goes away is aborted after 10 minutes without a
 * chunk: its spool file is closed and the session unregistered. A few dozen uploads in
 * progress. No leak.
 * <li>{@code leak}: nothing aborts them: the 600 abandoned uploads stay registered with their
 * spool files open. The leak is {@code Uploads.open}, not the sessions' back-reference to it.
 * </ul>
 * Fixed numbers (printed).
 */
public final class UploadSessions {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int UPLOADS = 3_000, ACCOUNTS = 8_000, THUMB_CAP = 1_500, RING = 4_096;

    record Account(long id, String name, String email, long createdAt, byte[] settings) {}

    record DocType(String code, String label, byte[] schema) {}

    record Recent(long upload, long account, long bytes, long at) {}

    static final class UploadSession {
        final long id;
        final long account;
        final Path spool;
        final FileChannel channel;
        final Map<Long, UploadSession> registry;
        final long startedAt;
        long lastChunkAt;
        long received;

        UploadSession(long id, long account, Path spool, long at, Map<Long, UploadSession> registry) throws IOException {
            this.id = id;
            this.account = account;
            this.spool = spool;
            this.channel = FileChannel.open(spool, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            this.registry = registry;
            this.startedAt = at;
            this.lastChunkAt = at;
            registry.put(id, this);
        }

        void chunk(ByteBuffer b, long at) throws IOException {
            received += channel.write(b);
            lastChunkAt = at;
        }

        void close() throws IOException {
            registry.remove(id);
            channel.close();
            Files.deleteIfExists(spool);
        }
    }

    static final class Uploads {
        final Map<Long, UploadSession> open = new ConcurrentHashMap<>();
        final Map<Long, Account> accounts = new HashMap<>();
        final Map<String, DocType> types = new HashMap<>();
        final Map<Long, byte[]> thumbnails = new LinkedHashMap<>(THUMB_CAP, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) {
                return size() > THUMB_CAP;
            }
        };
        final Recent[] recent = new Recent[RING];
        int done;
        final ArrayDeque<byte[]> buffers = new ArrayDeque<>();
    }

    static Uploads UPLOADS_SERVICE;

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - 10 * HOUR;
        Random rnd = new Random(17_293);
        Path dir = Files.createTempDirectory("upload-spool");
        Uploads u = new Uploads();
        UPLOADS_SERVICE = u;
        for (int i = 0; i < 16; i++) u.buffers.add(new byte[64 * 1024]);
        for (long k = 1; k <= ACCOUNTS; k++) {
            u.accounts.put(3_000_000 + k * 7, new Account(3_000_000 + k * 7, "User " + k, "u" + k + "@example.com",
                    start - (30 + rnd.nextInt(2_000)) * 24 * HOUR, new byte[200 + rnd.nextInt(300)]));
        }
        for (int i = 0; i < 600; i++) u.types.put("DT" + (100 + i), new DocType("DT" + (100 + i), "Type " + i, new byte[300 + rnd.nextInt(500)]));
        ByteBuffer chunk = ByteBuffer.allocate(64);
        int abandoned = 0;
        for (int k = 0; k < UPLOADS; k++) {
            long t = start + (end - start - 20 * MINUTE) * k / UPLOADS;
            for (UploadSession s : u.open.values().toArray(new UploadSession[0])) {
                if (!leak && s.lastChunkAt + 10 * MINUTE <= t) s.close();
            }
            long account = 3_000_000 + (1 + rnd.nextInt(ACCOUNTS)) * 7L;
            UploadSession s = new UploadSession(k + 1, account, dir.resolve("spool-" + (k + 1)), t, u.open);
            chunk.clear();
            s.chunk(chunk, t);
            if (rnd.nextInt(5) == 0) {
                abandoned++;
                continue;
            }
            s.chunk(chunk.clear(), t + MINUTE);
            s.close();
            u.recent[u.done++ % RING] = new Recent(s.id, account, s.received, t);
            if (k % 2 == 0) u.thumbnails.put((long) k, new byte[500 + rnd.nextInt(500)]);
        }
        System.out.println((leak ? "leak" : "healthy") + " uploads " + UPLOADS + " abandoned " + abandoned + " open " + u.open.size()
                + " thumbnails " + u.thumbnails.size() + " accounts " + u.accounts.size());
        if (leak ? u.open.size() != abandoned : u.open.size() > 60) throw new IllegalStateException("unexpected open " + u.open.size());
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        for (UploadSession s : u.open.values().toArray(new UploadSession[0])) s.close();
        Files.deleteIfExists(dir);
        System.exit(0);
    }
}
