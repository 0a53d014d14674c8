// hprofscan-dump: name=val143-healthy-badukanalysis jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val143-healthy-badukanalysis-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation set 143 (written blind), HEALTHY: the game-review service of an online baduk (go)
 * server. A large read-only joseki table keyed by Zobrist hash (loaded at startup), the player
 * directory, a fixed pool of twelve named review workers ("review-worker-A" ... "-L", idle in the
 * pool's queue at the dump), a bounded LRU of compiled search patterns built from what users type,
 * a pool of board-render buffers, a ring of finished reviews and a notification queue with a
 * normal backlog. Game-archive exports run on the same pool (no thread per export).
 * See VALIDATION143.md.
 */
public final class Val143HealthyBadukAnalysis {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int JOSEKI = 60_000, PLAYERS = 12_000, WORKERS = 12, PATTERN_CAP = 256, BUFFERS = 16, RING = 4_096, HOURS = 10;
    static final int REVIEWS_PER_MINUTE = 20, SEARCHES_PER_MINUTE = 8, EXPORT_EVERY_MINUTES = 6;
    static final String[] TERMS = {"ladder", "net", "snapback", "ko", "seki", "hane", "tesuji", "atari", "tenuki", "moyo", "invasion", "shoulder hit", "cap", "peep", "wedge", "clamp", "monkey jump", "double hane", "bamboo joint", "tiger mouth", "eye shape", "life and death", "sente", "gote", "overplay", "joseki", "fuseki", "3-3 invasion", "tsumego", "aji"};
    static final String[] NAME_PREFIX = {"lee", "park", "kim", "cho", "shin", "choi", "iyama", "ichiriki", "ke", "gu", "mi", "yang", "ding", "shibano", "seki", "otake", "takemiya", "kato", "sakata", "go"};
    static final Pattern SGF_MOVE = Pattern.compile(";([BW])\\[([a-s]{2})\\]");

    record JosekiEntry(long hash, String name, short[] continuations, int games, float blackWinRate) {}
    record PlayerAccount(String handle, String rank, String country, byte[] profile, long joinedAt) {}
    record ReviewSummary(long gameId, String black, String white, int moves, int josekiHits, int captures, long finishedAt) {}
    record ReviewReady(String handle, long gameId, long queuedAt) {}
    record ArchiveExport(String handle, int games, int bytes, long at) {}

    static final long[] ZOBRIST = new long[2 * 361];
    static final Map<Long, JosekiEntry> JOSEKI_BY_HASH = new HashMap<>();

    static final class PatternCache extends LinkedHashMap<String, Pattern> {
        long evicted, hits, compiled;
        PatternCache() { super(512, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Pattern> e) { if (size() > PATTERN_CAP) { evicted++; return true; } return false; }
    }

    static final class AnalysisService {
        final Map<String, PlayerAccount> players = new HashMap<>();
        final String[] handles = new String[PLAYERS];
        final ThreadPoolExecutor workers;
        final ArrayBlockingQueue<ByteBuffer> boardBuffers = new ArrayBlockingQueue<>(BUFFERS);
        final PatternCache patterns = new PatternCache();
        final ReviewSummary[] recentReviews = new ReviewSummary[RING];
        final ArrayDeque<ReviewReady> notifyQueue = new ArrayDeque<>();
        final ArrayDeque<ArchiveExport> exportLog = new ArrayDeque<>();
        final AtomicLong tasksRun = new AtomicLong(), buffersBorrowed = new AtomicLong();
        long reviews, searches, searchMatches, notified, exports, exportBytes;

        AnalysisService() {
            workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new java.util.concurrent.ThreadFactory() {
                int next;
                @Override public synchronized Thread newThread(Runnable r) {
                    Thread t = new Thread(r, "review-worker-" + (char) ('A' + next++));
                    t.setDaemon(true);
                    return t;
                }
            });
            workers.prestartAllCoreThreads();
        }

        /** Runs on a worker: replays the game record, looks up each opening position in the joseki table. */
        ReviewSummary review(long gameId, String black, String white, String sgf, long t) throws InterruptedException {
            ByteBuffer board = boardBuffers.take();
            buffersBorrowed.incrementAndGet();
            try {
                for (int k = 0; k < 361; k++) board.put(k, (byte) 0);
                long hash = 0;
                int moves = 0, hits = 0, captures = 0;
                Matcher m = SGF_MOVE.matcher(sgf);
                while (m.find()) {
                    int colour = m.group(1).charAt(0) == 'B' ? 0 : 1;
                    int point = (m.group(2).charAt(0) - 'a') * 19 + (m.group(2).charAt(1) - 'a');
                    byte before = board.get(point);
                    if (before != 0) captures++;
                    board.put(point, (byte) (colour + 1));
                    hash ^= ZOBRIST[colour * 361 + point];
                    if (moves < 40 && JOSEKI_BY_HASH.containsKey(hash)) hits++;
                    moves++;
                }
                tasksRun.incrementAndGet();
                return new ReviewSummary(gameId, black, white, moves, hits, captures, t);
            } finally {
                boardBuffers.put(board);
            }
        }

        /** Runs on a worker: writes a player's game archive (SGF zip) and returns its size. */
        int export(String handle, Random r) throws InterruptedException {
            ByteBuffer buf = boardBuffers.take();
            buffersBorrowed.incrementAndGet();
            try {
                buf.clear();
                int n = 20 + r.nextInt(200);
                for (int k = 0; k < n && buf.remaining() > 8; k++) buf.putLong(handle.hashCode() * 31L + k);
                tasksRun.incrementAndGet();
                return n * 900;
            } finally {
                boardBuffers.put(buf);
            }
        }

        Pattern pattern(String userText) {
            Pattern p = patterns.get(userText);
            if (p != null) { patterns.hits++; return p; }
            StringBuilder re = new StringBuilder("(?i)");
            for (String w : userText.split(" ")) {
                if (w.startsWith("player:")) re.append("(?=.*\\b").append(Pattern.quote(w.substring(7, w.length() - 1))).append("\\w*)");
                else re.append("(?=.*\\b").append(Pattern.quote(w.replace('_', ' '))).append("\\b)");
            }
            p = Pattern.compile(re.append(".*").toString());
            patterns.compiled++;
            patterns.put(userText, p);
            return p;
        }
    }

    static AnalysisService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String sgf(Random r, String black, String white) {
        int n = 120 + r.nextInt(180);
        StringBuilder sb = new StringBuilder(n * 6 + 64).append("(;GM[1]SZ[19]KM[6.5]PB[").append(black).append("]PW[").append(white).append("]");
        for (int k = 0; k < n; k++) sb.append(';').append((k & 1) == 0 ? 'B' : 'W').append('[').append((char) ('a' + r.nextInt(19))).append((char) ('a' + r.nextInt(19))).append(']');
        return sb.append(')').toString();
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE, today = now - now % DAY;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(143_060_001);
        for (int k = 0; k < ZOBRIST.length; k++) ZOBRIST[k] = rnd.nextLong();
        // the joseki dictionary: positions reached by the first 4-20 moves of 60,000 known sequences
        for (int j = 0; j < JOSEKI; j++) {
            long h = 0;
            int len = 4 + rnd.nextInt(17);
            for (int k = 0; k < len; k++) h ^= ZOBRIST[(k & 1) * 361 + rnd.nextInt(361)];
            short[] cont = new short[2 + rnd.nextInt(10)];
            for (int k = 0; k < cont.length; k++) cont[k] = (short) rnd.nextInt(361);
            JOSEKI_BY_HASH.put(h, new JosekiEntry(h, j % 10 == 0 ? "joseki-" + j : null, cont, 1 + rnd.nextInt(90_000), rnd.nextFloat()));
        }
        AnalysisService svc = new AnalysisService();
        SERVICE = svc;
        String[] ranks = {"30k", "20k", "15k", "10k", "5k", "3k", "1k", "1d", "2d", "3d", "4d", "5d", "6d", "7d", "9p"};
        for (int i = 0; i < PLAYERS; i++) {
            String h = NAME_PREFIX[i % NAME_PREFIX.length] + "_" + Integer.toString(46_656 + i * 37, 36);
            svc.handles[i] = h;
            svc.players.put(h, new PlayerAccount(h, ranks[rnd.nextInt(ranks.length)], i % 3 == 0 ? "KR" : i % 3 == 1 ? "JP" : "CN", new byte[100 + rnd.nextInt(100)], today - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < BUFFERS; b++) svc.boardBuffers.add(ByteBuffer.allocate(32_768));
        Random traffic = new Random(143_060_002), search = new Random(143_060_003);
        long gameSeq = 90_000_000L;
        for (int m = 0; m < HOURS * 60; m++) {
            long t = start + m * MINUTE;
            List<Future<ReviewSummary>> batch = new ArrayList<>(REVIEWS_PER_MINUTE);
            for (int k = 0; k < REVIEWS_PER_MINUTE; k++) {
                final long id = gameSeq++;
                final String black = svc.handles[traffic.nextInt(PLAYERS)], white = svc.handles[traffic.nextInt(PLAYERS)];
                final String record = sgf(traffic, black, white);
                batch.add(svc.workers.submit(() -> svc.review(id, black, white, record, t)));
            }
            Future<Integer> export = null;
            String who = null;
            if (m % EXPORT_EVERY_MINUTES == 0) {
                final String handle = svc.handles[traffic.nextInt(PLAYERS)];
                final Random er = new Random(143_060_100L + m);
                export = svc.workers.submit(() -> svc.export(handle, er));
                who = handle;
            }
            for (Future<ReviewSummary> f : batch) {
                ReviewSummary s = f.get();
                svc.recentReviews[(int) (svc.reviews++ % RING)] = s;
                if (traffic.nextInt(100) < 40) svc.notifyQueue.add(new ReviewReady(s.black(), s.gameId(), t));
            }
            if (export != null) {
                int bytes = export.get();
                svc.exportLog.addLast(new ArchiveExport(who, bytes / 900, bytes, t));
                if (svc.exportLog.size() > 64) svc.exportLog.removeFirst();
                svc.exports++; svc.exportBytes += bytes;
            }
            for (int q = 0; q < SEARCHES_PER_MINUTE; q++) {
                StringBuilder text = new StringBuilder();
                int words = 1 + search.nextInt(3);
                for (int w = 0; w < words; w++) text.append(w == 0 ? "" : " ").append(TERMS[search.nextInt(TERMS.length)].replace(' ', '_'));
                if (search.nextInt(3) == 0) text.append(" player:").append(NAME_PREFIX[search.nextInt(NAME_PREFIX.length)]).append('*');
                Pattern p = svc.pattern(text.toString());
                svc.searches++;
                ReviewSummary s = svc.recentReviews[search.nextInt((int) Math.min(svc.reviews, RING))];
                if (p.matcher(s.black() + " " + TERMS[(int) (s.gameId() % TERMS.length)]).matches()) svc.searchMatches++;
            }
            while (!svc.notifyQueue.isEmpty() && svc.notifyQueue.peek().queuedAt() + 3 * MINUTE <= t) { svc.notifyQueue.poll(); svc.notified++; }
        }
    }

    static final long[] EXPECT = {3_753, 3_497, 1_047, 37, 23, 10_788_300}; // compiled patterns, evicted, hits, search matches, notify backlog, export bytes

    static void report() throws Exception {
        AnalysisService svc = SERVICE;
        // every task has returned (futures read); the workers are idle in the queue
        int idle = 0;
        for (int tries = 0; tries < 500 && idle < WORKERS; tries++) {
            idle = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("review-worker-") && t.getState() == Thread.State.WAITING) idle++;
            if (idle < WORKERS) Thread.sleep(10);
        }
        long workerThreads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("review-worker-")).count();
        long[] got = {svc.patterns.compiled, svc.patterns.evicted, svc.patterns.hits, svc.searchMatches, svc.notifyQueue.size(), svc.exportBytes};
        System.out.println("joseki " + JOSEKI_BY_HASH.size() + " players " + svc.players.size() + " workers " + workerThreads + " (idle " + idle + ", pool " + svc.workers.getPoolSize() + ") tasks " + svc.tasksRun.get()
                + " reviews " + svc.reviews + " searches " + svc.searches + " patterns " + svc.patterns.size() + " (compiled " + got[0] + ", evicted " + got[1] + ", hits " + got[2] + ") matches " + got[3]
                + " notified " + svc.notified + " backlog " + got[4] + " exports " + svc.exports + " (" + got[5] + " bytes, log " + svc.exportLog.size() + ") buffers " + svc.boardBuffers.size() + " borrowed " + svc.buffersBorrowed.get());
        check(JOSEKI_BY_HASH.size() == JOSEKI && svc.players.size() == PLAYERS, "reference data / directory");
        check(workerThreads == WORKERS && idle == WORKERS && svc.workers.getPoolSize() == WORKERS, "twelve idle workers");
        check(svc.reviews == (long) REVIEWS_PER_MINUTE * 60 * HOURS && svc.exports == HOURS * 60 / EXPORT_EVERY_MINUTES && svc.tasksRun.get() == svc.reviews + svc.exports, "tasks");
        check(svc.buffersBorrowed.get() == svc.tasksRun.get() && svc.boardBuffers.size() == BUFFERS, "buffer pool");
        check(svc.patterns.size() == PATTERN_CAP && svc.patterns.evicted == svc.patterns.compiled - PATTERN_CAP, "pattern cache at cap");
        check(svc.exportLog.size() == 64 && svc.recentReviews[RING - 1] != null, "rings");
        for (int k = 0; k < EXPECT.length; k++) check(got[k] == EXPECT[k], "count #" + k + " is " + got[k] + ", expected " + EXPECT[k]);
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
}
