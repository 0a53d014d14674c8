// hprofscan-dump: name=val87-healthy-guidebooks-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val87-healthy-guidebooks-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val87-healthy-guidebooks jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val87-healthy-guidebooks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 87 (written blind), HEALTHY: the reader back end of a travel-guidebook publisher's
 * app. Guidebook reference data, the points-of-interest directory, a place-name suggestion trie
 * built once from the gazetteer (typed queries only count existing names; nothing typed is
 * inserted), a cache of rendered page images keyed by (ISBN, page, zoom level) with the client's
 * zoom snapped to the renderer's seven levels and capped, reader sessions that carry one CSRF
 * token each and expire after 30 idle minutes, a ring of reading events and a pool of render
 * buffers. Warms up, then stays flat. See VALIDATION87.md.
 */
public final class Val87HealthyGuidebooks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_TIMEOUT = 30 * MINUTE;
    static final int GUIDES = 600, POIS = 20_000, PLACES = 8_000, PAGE_CAP = 3_000, POOL = 8, RING = 8_192, VIEWS_PER_HOUR = 6_000;
    static final int[] ZOOM_LEVELS = {50, 75, 100, 125, 150, 200, 300};
    static final String[] SYLLABLES = {"san", "ta", "mar", "vel", "do", "ri", "ca", "po", "len", "bra", "mo", "sel", "ka", "tor", "ne", "li",
        "ber", "go", "ra", "vi", "sto", "lan", "dur", "mi", "ha", "cor", "fi", "nos", "te", "al", "bo", "gre", "un", "pel", "za", "or"};
    static final String[] SUFFIXES = {"", "", "", " old town", " bay", " castle", " harbour", " market", " cathedral", " beach"};

    record Guide(String isbn, String title, String region, int pages, double[] weeklySales) {}
    record Poi(String id, String name, String isbn, byte[] description, long updatedAt) {}
    record PageKey(String isbn, int page, int zoomPercent) {}
    record PageImage(PageKey key, byte[] webp, long renderedAt) {}
    record ReadingEvent(String sessionId, String isbn, int page, long at) {}

    static final class TrieNode {
        final Map<Character, TrieNode> children = new HashMap<>(4);
        int count; long lastTypedAt;
    }

    /** Place-name suggestions: built from the gazetteer; typed queries never add nodes. */
    static final class PlaceTrie {
        final TrieNode root = new TrieNode();
        long nodes = 1, names, counted, ignored;
        void addName(String name) {
            TrieNode n = root;
            for (int i = 0; i < name.length(); i++) {
                Character c = name.charAt(i);
                TrieNode next = n.children.get(c);
                if (next == null) { next = new TrieNode(); n.children.put(c, next); nodes++; }
                n = next;
            }
            if (n.count == 0) names++;
            n.count = Math.max(n.count, 1);
        }
        void typed(String q, long at) {
            TrieNode n = root;
            for (int i = 0; i < q.length() && n != null; i++) n = n.children.get(q.charAt(i));
            if (n != null && n.count > 0) { n.count++; n.lastTypedAt = at; counted++; } else ignored++;
        }
        long countNodes() {
            long c = 0; ArrayDeque<TrieNode> stack = new ArrayDeque<>(); stack.push(root);
            while (!stack.isEmpty()) { TrieNode n = stack.pop(); c++; n.children.forEach((ch, k) -> stack.push(k)); }
            return c;
        }
    }

    static final class PageCache extends LinkedHashMap<PageKey, PageImage> {
        long hits, misses, evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<PageKey, PageImage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
        static int snap(float clientZoom) {
            int pct = Math.round(clientZoom * 100), best = ZOOM_LEVELS[0];
            for (int z : ZOOM_LEVELS) if (Math.abs(z - pct) < Math.abs(best - pct)) best = z;
            return best;
        }
    }

    static final class ReaderSession {
        final String id, csrfToken; final long startedAt; long lastSeen; int pagesRead;
        final byte[] preferences;
        ReaderSession(String id, String csrfToken, long startedAt, byte[] preferences) { this.id = id; this.csrfToken = csrfToken; this.startedAt = startedAt; this.lastSeen = startedAt; this.preferences = preferences; }
    }

    static final class SessionStore {
        final Map<String, ReaderSession> byId = new HashMap<>();
        long created, expired;
        void sweep(long now) {
            for (Iterator<ReaderSession> it = byId.values().iterator(); it.hasNext(); ) if (now - it.next().lastSeen > IDLE_TIMEOUT) { it.remove(); expired++; }
        }
    }

    static final Map<String, Guide> GUIDES_BY_ISBN = new HashMap<>();

    static final class ReaderService {
        final Map<String, Poi> pois = new HashMap<>();
        final PlaceTrie placeTrie = new PlaceTrie();
        final PageCache pageImages = new PageCache();
        final SessionStore sessions = new SessionStore();
        final ReadingEvent[] readingLog = new ReadingEvent[RING];
        long events;
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();

        void view(ReaderSession s, String isbn, int page, float clientZoom, Random r, long at) {
            int size = 300 + r.nextInt(300);
            PageKey key = new PageKey(isbn, page, PageCache.snap(clientZoom));
            if (pageImages.get(key) != null) pageImages.hits++;
            else { pageImages.misses++; pageImages.put(key, new PageImage(key, new byte[size], at)); }
            readingLog[(int) (events++ % RING)] = new ReadingEvent(s.id, isbn, page, at);
            s.lastSeen = at; s.pagesRead++;
            byte[] buf = renderBuffers.poll();
            buf[(int) (events % buf.length)] = (byte) page;
            renderBuffers.add(buf);
        }
    }

    static ReaderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final class Reading { final ReaderSession s; int left; final String isbn; int page; Reading(ReaderSession s, int left, String isbn, int page) { this.s = s; this.left = left; this.isbn = isbn; this.page = page; } }

    static ReaderService build(int hours, long now, long start, long end) {
        Random rnd = new Random(87_050_001);
        String[] isbns = new String[GUIDES];
        for (int g = 0; g < GUIDES; g++) {
            double[] sales = new double[64];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextDouble() * 300;
            isbns[g] = "978184" + (1_000_000 + g * 37);
            GUIDES_BY_ISBN.put(isbns[g], new Guide(isbns[g], "Guide " + g, "Region " + (g % 80), 200 + rnd.nextInt(300), sales));
        }
        ReaderService svc = new ReaderService();
        Set<String> seen = new HashSet<>();
        List<String> places = new ArrayList<>();
        while (places.size() < PLACES) {
            StringBuilder b = new StringBuilder();
            for (int k = 2 + rnd.nextInt(3); k > 0; k--) b.append(SYLLABLES[rnd.nextInt(SYLLABLES.length)]);
            b.append(SUFFIXES[rnd.nextInt(SUFFIXES.length)]);
            if (seen.add(b.toString())) { places.add(b.toString()); svc.placeTrie.addName(b.toString()); }
        }
        for (int p = 0; p < POIS; p++) {
            String id = "POI-" + (400_000 + p);
            svc.pois.put(id, new Poi(id, places.get(rnd.nextInt(PLACES)), isbns[rnd.nextInt(GUIDES)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[65_536]);
        Random traffic = new Random(87_050_002);
        List<Reading> reading = new ArrayList<>();
        int total = VIEWS_PER_HOUR * hours;
        long nextSweep = start + MINUTE;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            while (nextSweep <= t) { svc.sessions.sweep(nextSweep); nextSweep += MINUTE; }
            Reading rd;
            if (reading.isEmpty() || traffic.nextInt(100) < 8) { // a reader opens the app
                String id = Long.toHexString(traffic.nextLong() | Long.MIN_VALUE);
                String token = Long.toHexString(traffic.nextLong() | Long.MIN_VALUE);
                ReaderSession s = new ReaderSession(id, token, t, new byte[64 + traffic.nextInt(64)]);
                svc.sessions.byId.put(id, s); svc.sessions.created++;
                double u = traffic.nextDouble();
                rd = new Reading(s, 1 + traffic.nextInt(20), isbns[(int) (GUIDES * u * u * u)], 1 + traffic.nextInt(200));
                reading.add(rd);
            } else {
                int k = traffic.nextInt(reading.size());
                rd = reading.get(k);
                if (--rd.left <= 0) { reading.set(k, reading.get(reading.size() - 1)); reading.remove(reading.size() - 1); }
                rd.page += traffic.nextInt(3) == 0 ? -1 : 1;
            }
            float zoom = traffic.nextInt(3) == 0 ? 0.5f + traffic.nextFloat() * 2.5f : 1.0f;
            svc.view(rd.s, rd.isbn, Math.max(1, rd.page), zoom, traffic, t);
            if (i % 2 == 0) { // the search box: place names (often prefixes), misspellings and POI ids
                int kind = traffic.nextInt(10);
                String name = places.get(traffic.nextInt(PLACES));
                String q = kind < 6 ? name : kind < 8 ? name.substring(0, Math.max(1, name.length() - 1 - traffic.nextInt(3))) + "x" : "poi-" + (400_000 + traffic.nextInt(POIS));
                svc.placeTrie.typed(q, t);
            }
        }
        return svc;
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        ReaderService svc = build(hours, now, start, end);
        SERVICE = svc;
        PlaceTrie trie = svc.placeTrie;
        long nodes = trie.countNodes();
        PageCache pc = svc.pageImages;
        System.out.println("stage " + stage + " guides " + GUIDES_BY_ISBN.size() + " pois " + svc.pois.size() + " trie nodes " + nodes + " names " + trie.names + " (typed counted " + trie.counted
                + ", ignored " + trie.ignored + ") page images " + pc.size() + " (hits " + pc.hits + ", misses " + pc.misses + ", evicted " + pc.evicted + ") sessions " + svc.sessions.byId.size()
                + " (created " + svc.sessions.created + ", expired " + svc.sessions.expired + ") reading events " + svc.events + " pool " + svc.renderBuffers.size());
        check(GUIDES_BY_ISBN.size() == GUIDES && svc.pois.size() == POIS, "reference data / directory");
        check(trie.names == PLACES && nodes == trie.nodes && trie.counted + trie.ignored == (long) VIEWS_PER_HOUR * hours / 2, "gazetteer trie fixed: " + nodes);
        check(pc.size() == PAGE_CAP && pc.evicted > 0 && pc.hits + pc.misses == (long) VIEWS_PER_HOUR * hours, "page cache at cap");
        check(svc.sessions.byId.size() < 1_500 && svc.sessions.expired > 0, "sessions expire: " + svc.sessions.byId.size());
        check(svc.events == (long) VIEWS_PER_HOUR * hours && svc.readingLog[(int) Math.min(svc.events, RING) - 1] != null, "ring");
        check(svc.renderBuffers.size() == POOL, "pool");
        LeakCheck.histogram(" [I (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
