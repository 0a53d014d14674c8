// hprofscan-dump: name=val121-leak-podcastarchive jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val121-leak-podcastarchive-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Validation set 121 (written blind), LEAK: the archive search of a podcast network. The ingest
 * pipeline matches uploaded file names against a handful of globs ("*.mp3", "chapters-*.json")
 * through {@link GlobPatterns#of}, a small utility that memoises each glob's compiled
 * {@code Pattern} in a static {@code ConcurrentHashMap} keyed by the glob text: fine for six
 * fixed globs. The archive search later reused the same utility for what listeners type, where
 * {@code *} is a wildcard too ("interview * okafor", "sourdough * hydration"), so every distinct
 * search text is compiled into the utility's map and stays there for the life of the process.
 * Ordinary components beside it: show reference data, the episode directory and its index by
 * show, a cache of rendered episode pages at its cap, a pool of audio preview buffers, a ring of
 * the search log, the transcription backlog. See VALIDATION121.md.
 */
public final class Val121LeakPodcastArchive {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SHOWS = 1_000, EPISODES = 20_000, PAGE_CAP = 2_000, POOL = 8, LOG_RING = 4_096, HOURS = 10, SEARCHES_PER_MINUTE = 24,
            PAGES_PER_MINUTE = 10, UPLOADS_PER_MINUTE = 2, TRANSCRIBE_MINUTES = 25, RECENT_QUERIES = 64;
    static final String[] INGEST_GLOBS = {"*.mp3", "*.m4a", "*.wav", "*.vtt", "*.srt", "chapters-*.json"};
    static final String[] EXTENSIONS = {"mp3", "m4a", "wav", "vtt", "srt"};
    static final String[] TOPICS = {"climate", "summit", "sourdough", "starter", "hydration", "supply", "chain", "shipping", "election", "polling", "football",
            "transfer", "window", "mortgage", "rates", "inflation", "gardening", "compost", "tomatoes", "startup", "funding", "round", "vaccine", "trial",
            "history", "roman", "empire", "castle", "murder", "mystery", "jazz", "album", "review", "interview", "coffee", "brewing", "cycling", "tour",
            "marathon", "training", "parenting", "toddler", "sleep", "budget", "pension", "crypto", "wallet", "housing", "crisis", "river", "pollution",
            "wildlife", "owls", "astronomy", "eclipse", "comet", "chess", "opening", "poetry", "novel", "translation", "robotics", "battery", "recycling",
            "fashion", "vintage", "whisky", "distillery", "baking", "bread", "therapy", "anxiety", "running", "knee", "injury", "cricket", "ashes",
            "folk", "music", "festival", "tax", "return", "energy", "prices", "heat", "pumps", "solar", "panels", "railway", "strike", "union", "wages"};
    static final String[] GUESTS = {"okafor", "lindqvist", "moreau", "haddad", "nakamura", "oduya", "fitzgerald", "kowalski", "brennan", "achebe", "varga",
            "delacroix", "mensah", "okonkwo", "sorensen", "tanaka", "whitlock", "pereira", "ramsay", "abernathy", "iqbal", "castellano", "novak", "osei",
            "quinlan", "rahman", "svensson", "dlamini", "ferreira", "gallagher"};
    static boolean FIXED;

    record Show(String showId, String title, String network, double[] downloadsByWeek) {}
    record Episode(String episodeId, String showId, int number, String title, byte[] chapterIndex, long publishedAt) {}
    record RenderedPage(String key, byte[] html, long renderedAt) {}
    record SearchLogEntry(String query, long at, int hits, boolean cached) {}
    record TranscriptionJob(String episodeId, String fileName, int minutes, long queuedAt) {}

    static final Map<String, Show> SHOWS_BY_ID = new HashMap<>();

    /** Glob matching shared by the ingest pipeline and the archive search: {@code *} matches any run of characters. */
    static final class GlobPatterns {
        static final ConcurrentHashMap<String, Pattern> CACHE = new ConcurrentHashMap<>();
        static long lookups, compiled;

        static Pattern of(String glob) {
            lookups++;
            return CACHE.computeIfAbsent(glob, g -> { compiled++; return compile(g); });
        }

        static Pattern compile(String glob) {
            StringBuilder re = new StringBuilder();
            int from = 0;
            for (int star = glob.indexOf('*'); star >= 0; star = glob.indexOf('*', from)) {
                if (star > from) re.append(Pattern.quote(glob.substring(from, star)));
                re.append(".*?");
                from = star + 1;
            }
            if (from < glob.length()) re.append(Pattern.quote(glob.substring(from)));
            return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        }
    }

    static final class ArchiveSearch {
        long searches;

        static String normalise(String raw) { return raw.trim().toLowerCase(java.util.Locale.ROOT).replace("\"", "").replaceAll("\\s+", " "); }

        Pattern pattern(String text) {
            searches++;
            if (FIXED) return GlobPatterns.compile(text); // compiled per search: no shared memo for user text
            return GlobPatterns.of(text); // BUG: memoised forever, keyed by whatever the listener typed
        }
    }

    static final class PageCache extends LinkedHashMap<String, RenderedPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final class ArchiveService {
        final Map<String, Episode> episodes = new HashMap<>();
        final Map<String, List<Episode>> episodesByShow = new HashMap<>();
        final String[] episodeIds = new String[EPISODES];
        final ArchiveSearch search = new ArchiveSearch();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> previewBuffers = new ArrayDeque<>();
        final SearchLogEntry[] searchLog = new SearchLogEntry[LOG_RING];
        final ArrayDeque<TranscriptionJob> transcription = new ArrayDeque<>();
        final ArrayDeque<String> recentQueries = new ArrayDeque<>();
        long logged, hitsTotal, pagesRequested, uploads, transcribed, ingestRejected;

        int search(String raw, String showId, long t) {
            String text = ArchiveSearch.normalise(raw);
            boolean cached = GlobPatterns.CACHE.containsKey(text);
            Pattern p = search.pattern(text);
            int hits = 0;
            for (Episode e : episodesByShow.get(showId)) if (p.matcher(e.title()).find()) hits++;
            hitsTotal += hits;
            searchLog[(int) (logged++ % LOG_RING)] = new SearchLogEntry(text, t, hits, cached);
            recentQueries.addLast(raw);
            if (recentQueries.size() > RECENT_QUERIES) recentQueries.removeFirst();
            return hits;
        }

        RenderedPage page(String episodeId, long t, Random r) {
            pagesRequested++;
            RenderedPage p = pages.get(episodeId);
            if (p == null) {
                byte[] buf = previewBuffers.poll();
                buf[(int) (t % buf.length)] = (byte) r.nextInt(256);
                previewBuffers.add(buf);
                p = new RenderedPage(episodeId, new byte[400 + r.nextInt(400)], t);
                pages.put(episodeId, p);
            }
            return p;
        }

        boolean ingest(TranscriptionJob job) {
            for (String glob : INGEST_GLOBS) {
                if (GlobPatterns.of(glob).matcher(job.fileName()).matches()) { transcription.addLast(job); uploads++; return true; }
            }
            ingestRejected++;
            return false;
        }

        void transcribe(long t) {
            while (!transcription.isEmpty() && transcription.peekFirst().queuedAt() <= t - TRANSCRIBE_MINUTES * MINUTE) { transcription.pollFirst(); transcribed++; }
        }
    }

    static ArchiveService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String title(Random r) {
        StringBuilder sb = new StringBuilder();
        int words = 3 + r.nextInt(5);
        for (int i = 0; i < words; i++) {
            if (i > 0) sb.append(' ');
            String w = r.nextInt(6) == 0 ? GUESTS[r.nextInt(GUESTS.length)] : TOPICS[r.nextInt(TOPICS.length)];
            sb.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
        }
        return sb.toString();
    }

    static String query(Random r) {
        int form = r.nextInt(100);
        StringBuilder q = new StringBuilder();
        if (form < 45) {
            int words = 2 + r.nextInt(3);
            for (int i = 0; i < words; i++) q.append(i > 0 ? " " : "").append(TOPICS[r.nextInt(TOPICS.length)]);
        } else if (form < 65) {
            q.append(r.nextBoolean() ? "interview * " : TOPICS[r.nextInt(TOPICS.length)] + " ").append(GUESTS[r.nextInt(GUESTS.length)]);
            if (r.nextBoolean()) q.append(' ').append(TOPICS[r.nextInt(TOPICS.length)]);
        } else if (form < 80) {
            q.append('"').append(TOPICS[r.nextInt(TOPICS.length)]).append(' ').append(TOPICS[r.nextInt(TOPICS.length)]).append("\" ").append(TOPICS[r.nextInt(TOPICS.length)]);
        } else {
            q.append("episode ").append(1 + r.nextInt(400)).append(' ').append(TOPICS[r.nextInt(TOPICS.length)]);
        }
        return r.nextInt(5) == 0 ? " " + q.toString().toUpperCase(java.util.Locale.ROOT) + "  " : q.toString();
    }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(121_040_001);
        String[] showIds = new String[SHOWS];
        for (int s = 0; s < SHOWS; s++) {
            double[] dl = new double[52];
            for (int k = 0; k < dl.length; k++) dl[k] = rnd.nextDouble() * 50_000;
            showIds[s] = "pod-" + Integer.toString(70_000 + s * 37, 36);
            SHOWS_BY_ID.put(showIds[s], new Show(showIds[s], title(rnd), s % 4 == 0 ? "Harbourline Audio" : "Independent", dl));
        }
        ArchiveService svc = new ArchiveService();
        SERVICE = svc;
        for (int e = 0; e < EPISODES; e++) {
            String show = showIds[rnd.nextInt(SHOWS)];
            List<Episode> list = svc.episodesByShow.computeIfAbsent(show, k -> new ArrayList<>());
            svc.episodeIds[e] = "ep-" + Long.toHexString(0x1f40_0000L + e * 97L);
            Episode ep = new Episode(svc.episodeIds[e], show, list.size() + 1, title(rnd), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY);
            list.add(ep);
            svc.episodes.put(ep.episodeId(), ep);
        }
        for (String s : showIds) svc.episodesByShow.computeIfAbsent(s, k -> new ArrayList<>());
        for (int b = 0; b < POOL; b++) svc.previewBuffers.add(new byte[32_768]);

        Random searches = new Random(121_040_002), pages = new Random(121_040_003), uploads = new Random(121_040_004);
        long uploadSeq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < SEARCHES_PER_MINUTE; k++) {
                String raw;
                if (searches.nextInt(100) < 10 && !svc.recentQueries.isEmpty()) {
                    int pick = searches.nextInt(svc.recentQueries.size()), i = 0;
                    raw = null;
                    for (String q : svc.recentQueries) if (i++ == pick) { raw = q; break; }
                } else {
                    raw = query(searches);
                }
                svc.search(raw, showIds[searches.nextInt(SHOWS)], t + k * 4 * SECOND);
            }
            for (int k = 0; k < PAGES_PER_MINUTE; k++) svc.page(svc.episodeIds[pages.nextInt(EPISODES)], t, pages);
            for (int k = 0; k < UPLOADS_PER_MINUTE; k++) {
                long n = uploadSeq++;
                String file = uploads.nextInt(25) == 0 ? "cover-" + n + ".png" : uploads.nextInt(6) == 0 ? "chapters-" + n + ".json" : "ep-up-" + n + "." + EXTENSIONS[uploads.nextInt(EXTENSIONS.length)];
                svc.ingest(new TranscriptionJob("ep-up-" + n, file, 20 + uploads.nextInt(100), t + k * 30 * SECOND));
            }
            svc.transcribe(t);
        }
    }

    static void report() {
        ArchiveService svc = SERVICE;
        ArchiveSearch s = svc.search;
        long minutes = HOURS * 60L;
        int fixedGlobs = 0;
        for (String g : INGEST_GLOBS) if (GlobPatterns.CACHE.containsKey(g)) fixedGlobs++;
        System.out.println((FIXED ? "FIXED " : "") + "shows " + SHOWS_BY_ID.size() + " episodes " + svc.episodes.size() + " indexed shows " + svc.episodesByShow.size()
                + " searches " + s.searches + " glob lookups " + GlobPatterns.lookups + " compiled " + GlobPatterns.compiled + " cached patterns " + GlobPatterns.CACHE.size()
                + " (ingest globs " + fixedGlobs + ", search texts " + (GlobPatterns.CACHE.size() - fixedGlobs) + ") hits " + svc.hitsTotal + " pages " + svc.pages.size()
                + " (requested " + svc.pagesRequested + ", evicted " + svc.pages.evicted + ") pool " + svc.previewBuffers.size() + " transcription backlog "
                + svc.transcription.size() + " (uploads " + svc.uploads + ", rejected " + svc.ingestRejected + ", done " + svc.transcribed + ")");
        check(SHOWS_BY_ID.size() == SHOWS && svc.episodes.size() == EPISODES && svc.episodesByShow.size() == SHOWS, "reference data / directory");
        check(s.searches == SEARCHES_PER_MINUTE * minutes && svc.logged == s.searches, "searches");
        check(fixedGlobs == INGEST_GLOBS.length && GlobPatterns.CACHE.size() == (FIXED ? INGEST_GLOBS.length : INGEST_GLOBS.length + 11_824)
                && GlobPatterns.compiled == GlobPatterns.CACHE.size() && svc.hitsTotal == 28
                && GlobPatterns.lookups == (FIXED ? 4_369 : 18_769), "glob pattern memo");
        check(svc.searchLog[LOG_RING - 1] != null, "search log ring full");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted == 3_499 && svc.pagesRequested == PAGES_PER_MINUTE * minutes, "page cache at cap");
        check(svc.previewBuffers.size() == POOL, "preview buffer pool");
        check(svc.uploads + svc.ingestRejected == UPLOADS_PER_MINUTE * minutes && svc.transcription.size() == 50 && svc.ingestRejected == 37 && svc.uploads == svc.transcribed + svc.transcription.size(),
                "transcription backlog");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val121.fixed");
        simulate();
        report();
        LeakCheck.histogram("java.util.regex.");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
