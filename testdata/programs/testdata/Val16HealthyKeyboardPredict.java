// hprofscan-dump: name=val16-healthy-keyboard jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val16-healthy-keyboard-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 16 (written blind), HEALTHY: the cloud prediction service of a mobile keyboard.
 * Every keystroke burst of a typing session asks for the next-word candidates of its context.
 * Legitimate, all of it: the vocabulary (a fixed table of 150,000 interned words with their ids,
 * loaded once: the biggest structure), the unigram model, the suggestion LRU at its cap, the
 * typing sessions (a TTL store: idle sessions are swept after 20 minutes, so every session left
 * was touched in the last 20 minutes, many of them opened hours ago), the bounded queue of
 * personalisation updates waiting for the trainer (a backlog, drained every 10 minutes), the latency
 * histograms and a fixed pool of scorer threads whose per-thread beam buffer is reset on every
 * task. 6 simulated hours. See testdata/VALIDATION16.md.
 */
public final class Val16HealthyKeyboardPredict {
    static final int WORDS = 150_000;
    static final int SUGGEST_CAP = 6_000;
    static final int CANDIDATES = 16;
    static final int SESSION_RING = 256;
    static final long SESSION_TTL = 20 * 60_000L;
    static final int UPDATE_QUEUE = 4_000;
    static final int TRAIN_EVERY_MINUTES = 10;
    static final int SCORERS = 6;
    static final int BEAM = 32 * 1024;
    static final int ENDPOINTS = 8;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static PredictService PREDICT;

    /** Per-thread beam-search scores, zeroed at the start of every scoring task. */
    static final ThreadLocal<float[]> BEAM_SCORES = ThreadLocal.withInitial(() -> new float[BEAM]);

    /** Reference data: the fixed vocabulary, loaded once (the words are interned). */
    static final class Vocabulary {
        static final String[] WORDS_BY_ID = new String[WORDS];
        static final Map<String, Integer> ID_BY_WORD = new HashMap<>();
    }

    static final class Suggestion { final String context; final int[] wordIds; final float[] scores; final long computedAt;
        Suggestion(String context, int[] wordIds, float[] scores, long computedAt) { this.context = context; this.wordIds = wordIds; this.scores = scores; this.computedAt = computedAt; } }

    static final class SuggestionLru extends LinkedHashMap<String, Suggestion> {
        long evicted;
        SuggestionLru() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Suggestion> e) { if (size() > SUGGEST_CAP) { evicted++; return true; } return false; }
    }

    static final class TypingSession { final String sessionId; final String userId; final String locale; final long openedAt; long lastSeenAt; final int[] recentWordIds = new int[SESSION_RING]; int cursor; final long plannedEnd;
        TypingSession(String sessionId, String userId, String locale, long openedAt, long plannedEnd) { this.sessionId = sessionId; this.userId = userId; this.locale = locale; this.openedAt = openedAt; this.lastSeenAt = openedAt; this.plannedEnd = plannedEnd; } }

    static final class ModelUpdate { final String userId; final int[] acceptedWordIds; final long at;
        ModelUpdate(String userId, int[] acceptedWordIds, long at) { this.userId = userId; this.acceptedWordIds = acceptedWordIds; this.at = at; } }

    static final class PredictService {
        final float[] unigramLogProb = new float[WORDS];
        final SuggestionLru suggestions = new SuggestionLru();
        final Map<String, TypingSession> sessions = new ConcurrentHashMap<>();
        long sessionsExpired;
        final ArrayBlockingQueue<ModelUpdate> updates = new ArrayBlockingQueue<>(UPDATE_QUEUE);
        long updatesTrained;
        final long[][] latencyHistograms = new long[ENDPOINTS][4_096];
        final AtomicInteger scorerSeq = new AtomicInteger();
        final ThreadPoolExecutor scorers = new ThreadPoolExecutor(SCORERS, SCORERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "predict-scorer-" + scorerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();

        Suggestion suggest(String context, long t, Random rnd) {
            Suggestion s = suggestions.get(context);
            if (s != null) return s;
            int[] ids = new int[CANDIDATES];
            float[] sc = new float[CANDIDATES];
            for (int k = 0; k < CANDIDATES; k++) { ids[k] = rnd.nextInt(WORDS); sc[k] = unigramLogProb[ids[k]]; }
            s = new Suggestion(context, ids, sc, t);
            suggestions.put(context, s);
            return s;
        }

        void sweep(long t) {
            for (Iterator<TypingSession> it = sessions.values().iterator(); it.hasNext();) {
                if (it.next().lastSeenAt < t - SESSION_TTL) { it.remove(); sessionsExpired++; }
            }
        }
    }

    static String word(int i) {
        String[] syl = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "an", "er", "in", "do", "pe", "ga", "zu", "bri", "cle", "fo", "ha", "jo", "qui", "sa", "te", "ul", "wy", "xe", "yo", "be", "co", "di", "fu", "gi", "ho", "ja", "ku", "le", "ma", "no", "po", "re"};
        StringBuilder sb = new StringBuilder();
        int n = i;
        do { sb.append(syl[n % 40]); n /= 40; } while (n > 0);
        return sb.toString();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long minutes = 6 * 60;
        long start = now - minutes * MINUTE;
        Random rnd = new Random(16_050_005);
        PredictService svc = new PredictService();
        PREDICT = svc;
        for (int i = 0; i < 35; i++) svc.config.setProperty("predict.locale.model." + i, "lm-v" + (7 + i % 3));
        for (int i = 0; i < WORDS; i++) {
            String w = word(i).intern();
            Vocabulary.WORDS_BY_ID[i] = w;
            Vocabulary.ID_BY_WORD.put(w, i);
            svc.unigramLogProb[i] = -3 - rnd.nextFloat() * 12;
        }
        CyclicBarrier ready = new CyclicBarrier(SCORERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < SCORERS; w++) warm.add(svc.scorers.submit(() -> { BEAM_SCORES.get(); ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        String[] locales = {"en-GB", "en-US", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "pt-BR"};
        // Minute by minute: 12-20 new sessions (a few minutes to 3 hours of typing); every session
        // still typing sends a burst (lastSeenAt = t); the sweep drops sessions idle for 20 minutes;
        // the trainer drains the whole queue every 10 minutes (at minute 7, 17, ...), so the dump
        // sees the updates of the last 3 minutes.
        int opened = 0, expectedLive = 0;
        long requests = 0;
        List<long[]> plans = new ArrayList<>();
        for (long m = 0; m <= minutes; m++) {
            long t = start + m * MINUTE;
            int arrivals = 12 + rnd.nextInt(9);
            for (int a = 0; a < arrivals; a++) {
                long len = (3 + rnd.nextInt(178)) * MINUTE;
                String sid = "ks-" + (1_000_000 + opened);
                String user = "u" + (5_000_000 + rnd.nextInt(2_000_000));
                svc.sessions.put(sid, new TypingSession(sid, user, locales[rnd.nextInt(locales.length)], t, t + len));
                plans.add(new long[] {t, t + len});
                opened++;
            }
            for (TypingSession s : svc.sessions.values()) {
                if (s.plannedEnd < t) continue;
                s.lastSeenAt = t;
                String w1 = Vocabulary.WORDS_BY_ID[rnd.nextInt(2_000)], w2 = Vocabulary.WORDS_BY_ID[rnd.nextInt(2_000)];
                Suggestion sg = svc.suggest(s.locale + "|" + w1 + " " + w2, t, rnd);
                s.recentWordIds[s.cursor] = sg.wordIds[0];
                s.cursor = (s.cursor + 1) % SESSION_RING;
                svc.latencyHistograms[(int) (requests % ENDPOINTS)][rnd.nextInt(4_096)]++;
                requests++;
                if (rnd.nextInt(8) == 0) {
                    int[] acc = new int[64];
                    for (int k = 0; k < acc.length; k++) acc[k] = rnd.nextInt(WORDS);
                    if (!svc.updates.offer(new ModelUpdate(s.userId, acc, t))) throw new IllegalStateException("update queue full");
                }
            }
            svc.sweep(t);
            if (m % TRAIN_EVERY_MINUTES == 7) { while (svc.updates.poll() != null) svc.updatesTrained++; }
        }
        // A session is live iff its last burst (min(plannedEnd, now) rounded down to the minute
        // loop) is within the TTL of the last sweep.
        for (long[] p : plans) {
            long lastSeen = p[0] + ((Math.min(p[1], now) - p[0]) / MINUTE) * MINUTE;
            if (lastSeen >= now - SESSION_TTL) expectedLive++;
        }
        int longLived = 0;
        for (TypingSession s : svc.sessions.values()) {
            if (s.lastSeenAt < now - SESSION_TTL) throw new IllegalStateException("stale session " + s.sessionId);
            if (s.openedAt < now - 2 * HOUR) longLived++;
        }
        List<Future<Integer>> scored = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            final int seed = i;
            scored.add(svc.scorers.submit(() -> { float[] b = BEAM_SCORES.get(); Arrays.fill(b, 0f); b[seed] = 1f; return seed; }));
        }
        for (Future<Integer> f : scored) f.get();
        System.out.println("words " + Vocabulary.ID_BY_WORD.size() + " suggestions " + svc.suggestions.size() + " (evicted " + svc.suggestions.evicted + ") sessions " + svc.sessions.size() + " of " + opened + " opened (expired " + svc.sessionsExpired + ", opened >2h ago " + longLived + ") updates queued " + svc.updates.size() + " (trained " + svc.updatesTrained + ") requests " + requests);
        check(Vocabulary.ID_BY_WORD.size() == WORDS, "vocabulary");
        check(svc.suggestions.size() == SUGGEST_CAP && svc.suggestions.evicted > 0, "suggestion lru");
        check(svc.sessions.size() == expectedLive && svc.sessionsExpired == opened - expectedLive, "sessions");
        check(svc.updates.size() > 0 && svc.updates.size() < UPDATE_QUEUE, "update backlog");
        check(svc.scorers.getPoolSize() == SCORERS, "pool");
        plans = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
