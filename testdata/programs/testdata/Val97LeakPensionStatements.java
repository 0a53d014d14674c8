// hprofscan-dump: name=val97-leak-pensionstatements jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val97-leak-pensionstatements-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Validation set 97 (written blind), LEAK: the member portal of a pension fund, where members
 * download their annual benefit statements (pre-rendered files on disk, served in 8 KiB chunks
 * through a resumable download API). Fund reference data, the member directory, a cache of rendered
 * portal pages at its cap, a pool of PDF-stamping buffers, a ring of recent logins, the statement
 * file index, and a registry of open downloads. BUG: every download opens a RandomAccessFile on the
 * statement file and registers a DownloadSession (the file, the read position and an 8 KiB chunk
 * buffer) in openDownloads; the session is removed and the file closed only when the client has
 * read to the end. About a fifth of the clients abandon the download after the first chunk, and
 * nothing ever closes or removes their sessions: the files stay open (real file descriptors) and
 * the sessions stay in the map for as long as the process lives. See VALIDATION97.md.
 */
public final class Val97LeakPensionStatements {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_LIMIT = 15 * MINUTE;
    static final int FUNDS = 1_000, MEMBERS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, STATEMENT_FILES = 300,
            DOWNLOADS_PER_HOUR = 300, CHUNK = 8_192, HOURS = 10;
    static boolean FIXED;

    record Fund(String code, String name, double[] unitPriceByWeek) {}
    record Member(String memberNo, String fundCode, String employer, byte[] profile, long joinedAt) {}
    record Page(String key, byte[] rendered, long at) {}
    record Login(String memberNo, String channel, long at) {}
    record StatementFile(String statementId, String path, long length) {}

    /** One resumable download in progress. */
    static final class DownloadSession {
        final String token, memberNo, statementId;
        final RandomAccessFile file;
        final long length;
        final byte[] chunk = new byte[CHUNK];
        final long openedAt;
        long position, lastReadAt;
        DownloadSession(String token, String memberNo, String statementId, RandomAccessFile file, long length, long openedAt) {
            this.token = token; this.memberNo = memberNo; this.statementId = statementId; this.file = file; this.length = length;
            this.openedAt = openedAt; this.lastReadAt = openedAt;
        }
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Fund> FUNDS_BY_CODE = new HashMap<>();

    static final class PortalService {
        final Map<String, Member> members = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> stampBuffers = new ArrayDeque<>();
        final Login[] recentLogins = new Login[RING];
        long logins;
        final Map<String, StatementFile> statements = new HashMap<>();
        final Map<String, DownloadSession> openDownloads = new HashMap<>();
        long started, completed, abandoned, reaped, bytesServed;
        Path statementDir;

        String open(String token, String memberNo, StatementFile sf, long at) throws IOException {
            RandomAccessFile raf = new RandomAccessFile(sf.path(), "r");
            openDownloads.put(token, new DownloadSession(token, memberNo, sf.statementId(), raf, raf.length(), at));
            started++;
            return token;
        }

        /** Serves the next chunk; returns false when the download is complete (session removed, file closed). */
        boolean readChunk(String token, long at) throws IOException {
            DownloadSession s = openDownloads.get(token);
            s.file.seek(s.position);
            int n = s.file.read(s.chunk, 0, (int) Math.min(CHUNK, s.length - s.position));
            s.position += n;
            s.lastReadAt = at;
            bytesServed += n;
            if (s.position < s.length) return true;
            openDownloads.remove(token);
            s.file.close();
            completed++;
            return false;
        }

        /** The fix: closes and removes sessions idle for longer than IDLE_LIMIT (runs every minute). */
        void reapIdle(long now) throws IOException {
            for (Iterator<DownloadSession> it = openDownloads.values().iterator(); it.hasNext(); ) {
                DownloadSession s = it.next();
                if (now - s.lastReadAt > IDLE_LIMIT) { s.file.close(); it.remove(); reaped++; }
            }
        }
    }

    static PortalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Builds the service and runs the simulated period; no local of this method survives it. */
    static int build() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(97_040_001);
        String[] fundCodes = new String[FUNDS];
        for (int f = 0; f < FUNDS; f++) {
            double[] prices = new double[64];
            for (int k = 0; k < prices.length; k++) prices[k] = 1 + rnd.nextDouble() * 4;
            fundCodes[f] = "FND-" + (2_000 + f);
            FUNDS_BY_CODE.put(fundCodes[f], new Fund(fundCodes[f], "Fund " + (f % 120), prices));
        }
        PortalService svc = new PortalService();
        SERVICE = svc;
        String[] memberNos = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberNos[m] = "M" + (31_000_000 + m * 13);
            svc.members.put(memberNos[m], new Member(memberNos[m], fundCodes[rnd.nextInt(FUNDS)], "Employer " + (m % 700), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(9_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.stampBuffers.add(new byte[32_768]);
        // The pre-rendered statement files: small real files in a temporary directory.
        svc.statementDir = Files.createTempDirectory("val97-pension-statements-");
        svc.statementDir.toFile().deleteOnExit();
        String[] statementIds = new String[STATEMENT_FILES];
        for (int s = 0; s < STATEMENT_FILES; s++) {
            statementIds[s] = "ST-" + (2024_000 + s);
            File f = svc.statementDir.resolve(statementIds[s] + ".pdf").toFile();
            f.deleteOnExit();
            byte[] content = new byte[16_384 + rnd.nextInt(24_576)];
            rnd.nextBytes(content);
            Files.write(f.toPath(), content);
            svc.statements.put(statementIds[s], new StatementFile(statementIds[s], f.getPath(), content.length));
        }
        Random traffic = new Random(97_040_002);
        String[] channels = {"web", "ios", "android"};
        int downloads = DOWNLOADS_PER_HOUR * HOURS;
        long nextReap = start + MINUTE;
        for (int i = 0; i < downloads; i++) {
            long t = start + (end - MINUTE - start) * i / downloads;
            if (FIXED) while (nextReap <= t) { svc.reapIdle(nextReap); nextReap += MINUTE; }
            String member = memberNos[traffic.nextInt(MEMBERS)];
            for (int l = 0; l < 6; l++) {
                svc.recentLogins[(int) (svc.logins++ % RING)] = new Login(l == 0 ? member : memberNos[traffic.nextInt(MEMBERS)], channels[traffic.nextInt(3)], t);
            }
            String token = svc.open("DL-" + Long.toHexString(0x5e_0000_0000L + i * 7919L), member, svc.statements.get(statementIds[traffic.nextInt(STATEMENT_FILES)]), t);
            boolean abandons = traffic.nextInt(5) == 0;
            long at = t;
            boolean more = svc.readChunk(token, at);
            if (abandons) svc.abandoned++; // the client goes away after the first chunk: nobody reads to the end
            else while (more) { at += 200 + traffic.nextInt(800); more = svc.readChunk(token, at); }
            for (int k = 0; k < 8; k++) {
                String key = "page-" + traffic.nextInt(4_500);
                if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.stampBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.stampBuffers.add(buf);
        }
        if (FIXED) while (nextReap <= end) { svc.reapIdle(nextReap); nextReap += MINUTE; }
        return downloads;
    }

    /** Open file descriptors of this process on the statement files (Linux /proc), or -1 if unknown. */
    static int openStatementFds() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) return -1;
        String dir = SERVICE.statementDir.toString();
        int n = 0;
        try (Stream<Path> s = Files.list(fds)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    if (Files.readSymbolicLink(p).toString().startsWith(dir)) n++;
                } catch (IOException e) {
                    // the descriptor of the listing itself may be gone already
                }
            }
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val97.fixed");
        int downloads = build();
        PortalService svc = SERVICE;
        int fds = openStatementFds();
        System.out.println((FIXED ? "FIXED " : "") + "funds " + FUNDS_BY_CODE.size() + " members " + svc.members.size() + " statements " + svc.statements.size()
                + " downloads " + svc.started + " (completed " + svc.completed + ", abandoned " + svc.abandoned + ", reaped " + svc.reaped + ") open " + svc.openDownloads.size()
                + " open fds " + fds + " served " + svc.bytesServed + " logins " + svc.logins + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.stampBuffers.size());
        check(FUNDS_BY_CODE.size() == FUNDS && svc.members.size() == MEMBERS && svc.statements.size() == STATEMENT_FILES, "reference data / directories");
        check(svc.started == downloads && svc.completed + svc.abandoned == downloads, "download traffic");
        if (FIXED) check(svc.openDownloads.size() == svc.abandoned - svc.reaped && svc.openDownloads.size() < 30, "fixed: only recently abandoned sessions open");
        else check(svc.openDownloads.size() == svc.abandoned && svc.reaped == 0, "every abandoned download stays open: " + svc.openDownloads.size());
        check(fds == -1 || fds == svc.openDownloads.size(), "open file descriptors: " + fds);
        check(svc.logins == 6L * downloads && svc.recentLogins[RING - 1] != null, "login ring");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.stampBuffers.size() == POOL, "pool");
        svc = null;
        LeakCheck.histogram("java.io.RandomAccessFile", "java.io.FileDescriptor", " [B ", " [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
