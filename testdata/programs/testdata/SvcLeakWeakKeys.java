// hprofscan-dump: name=svc-leak-weakkeys jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-weakkeys-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leak (extra, WeakHashMap): a document rendering service attaches the computed layout to each
 * request's Document through a WeakHashMap<Document, Layout>, expecting the layout to disappear
 * with the document. But Layout keeps a strong reference to its Document, so the value keeps its
 * own key reachable and no entry is ever cleared: 5,000 entries after 5,000 requests, although no
 * request is active. Beside it: a WeakHashMap used correctly (per-session statistics whose values
 * do not reference the key; 300 live sessions), static font and dictionary reference data, a
 * session registry, a glyph LRU cache at capacity and metrics. See testdata/SERVICES.md.
 */
public final class SvcLeakWeakKeys {
    static final int FONTS = 2_000;
    static final int WORDS = 40_000;
    static final int SESSIONS = 300;
    static final int GLYPH_CAPACITY = 2_000;
    static final int REQUESTS = 5_000;

    static final class Font {
        final String family;
        final int weight;
        final float[] advanceWidths = new float[96];

        Font(String family, int weight) {
            this.family = family;
            this.weight = weight;
        }
    }

    static final class ReferenceData {
        static final Map<String, Font> FONTS = new HashMap<>();
        static final Set<String> DICTIONARY = new HashSet<>();

        static void load() {
            for (int i = 0; i < SvcLeakWeakKeys.FONTS; i++) {
                String family = "Family" + (10_000 + i);
                FONTS.put(family, new Font(family, 100 * (1 + i % 9)));
            }
            for (int i = 0; i < WORDS; i++) {
                DICTIONARY.add("word" + (1_000_000 + i));
            }
        }
    }

    static final class UserSession {
        final String sessionId;
        final String user;

        UserSession(String sessionId, String user) {
            this.sessionId = sessionId;
            this.user = user;
        }
    }

    static final class SessionStats {
        long documentsRendered;
        long pagesRendered;
    }

    /** Live editor sessions; the per-session statistics go away with the session (correct use). */
    static final class SessionRegistry {
        final Map<String, UserSession> active = new ConcurrentHashMap<>();
        final Map<UserSession, SessionStats> stats = new WeakHashMap<>();

        UserSession open(int k) {
            UserSession s = active.computeIfAbsent("sess-" + (50_000 + k), id -> new UserSession(id, "editor" + k));
            stats.computeIfAbsent(s, x -> new SessionStats());
            return s;
        }
    }

    static final class Document {
        final String documentId;
        final UserSession owner;
        final byte[] source;

        Document(String documentId, UserSession owner, int size) {
            this.documentId = documentId;
            this.owner = owner;
            this.source = new byte[size];
        }
    }

    static final class Layout {
        final Document document;
        final int pages;
        final int[] lineBreaks;

        Layout(Document document, int pages) {
            this.document = document;
            this.pages = pages;
            this.lineBreaks = new int[32];
        }
    }

    /** Layout per document "that vanishes with the document"; the value holds its key. */
    static final class LayoutCache {
        final Map<Document, Layout> layouts = new WeakHashMap<>();
    }

    static final class Glyph {
        final char ch;
        final Font font;
        final byte[] bitmap = new byte[128];

        Glyph(char ch, Font font) {
            this.ch = ch;
            this.font = font;
        }
    }

    static final class GlyphCache extends LinkedHashMap<String, Glyph> {
        final int capacity;

        GlyphCache(int capacity) {
            super(256, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Glyph> eldest) {
            return size() > capacity;
        }
    }

    static final class MetricsRegistry {
        final Map<String, long[]> counters = new ConcurrentHashMap<>();

        void inc(String name) {
            counters.computeIfAbsent(name, k -> new long[1])[0]++;
        }
    }

    static final class RenderService {
        final SessionRegistry sessions = new SessionRegistry();
        final LayoutCache layouts = new LayoutCache();
        final GlyphCache glyphs = new GlyphCache(GLYPH_CAPACITY);
        final MetricsRegistry metrics = new MetricsRegistry();
        final List<String> fontNames = new ArrayList<>(ReferenceData.FONTS.keySet());

        RenderService() {
            fontNames.sort(null);
        }

        void render(int n) {
            UserSession s = sessions.open(n % SESSIONS);
            Document doc = new Document("doc-" + (70_000_000 + n), s, 512);
            Layout layout = layouts.layouts.computeIfAbsent(doc, d -> new Layout(d, 1 + d.source.length / 256));
            Font f = ReferenceData.FONTS.get(fontNames.get(n % FONTS));
            for (int g = 0; g < 3; g++) {
                String key = f.family + "/" + (n * 3 + g);
                if (glyphs.get(key) == null) {
                    glyphs.put(key, new Glyph((char) ('a' + g), f));
                }
            }
            SessionStats st = sessions.stats.get(s);
            st.documentsRendered++;
            st.pagesRendered += layout.pages;
            metrics.inc("render.documents");
        }
    }

    static RenderService RUNNING;

    static void build() {
        ReferenceData.load();
        RenderService s = new RenderService();
        for (int n = 0; n < REQUESTS; n++) {
            s.render(n);
        }
        System.gc();
        if (s.layouts.layouts.size() != REQUESTS || s.sessions.stats.size() != SESSIONS
                || s.glyphs.size() != GLYPH_CAPACITY || s.sessions.active.size() != SESSIONS) {
            throw new IllegalStateException("unexpected sizes " + s.layouts.layouts.size() + " " + s.sessions.stats.size());
        }
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
