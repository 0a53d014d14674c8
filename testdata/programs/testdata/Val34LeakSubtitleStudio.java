// hprofscan-dump: name=val34-leak-subtitlestudio-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val34-leak-subtitlestudio-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val34-leak-subtitlestudio jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val34-leak-subtitlestudio-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Validation set 34 (written blind), LEAK: the subtitle editor of a video-localisation studio.
 * Film-title reference data, the translator directory, a cache of rendered preview frames at its
 * cap, a pool of waveform buffers, a ring of recent autosaves, and 24 long-open subtitle documents,
 * each with its own undo history (an ArrayDeque of edits holding the cue text before and after).
 * The undo limit is configured (editor.undoLimit=100 in editor.properties) but the editor reads the
 * pre-3.2 key editor.undo.limit, whose default 0 means "unlimited": no history is ever trimmed.
 * See VALIDATION34.md.
 */
public final class Val34LeakSubtitleStudio {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TITLES = 1_200, TRANSLATORS = 20_000, DOCUMENTS = 24, CUES = 800, PREVIEW_CAP = 2_000, POOL = 8, RING = 4_096, OPS_PER_HOUR = 6_000;
    static boolean FIXED;

    record Title(String code, String name, long[] reelOffsets) {}
    record Translator(String id, String name, String languagePair, byte[] profile, long joinedAt) {}
    record Preview(String key, byte[] frame, long at) {}
    record Autosave(String documentId, long version, String author, long at) {}
    record Edit(long seq, int cue, String before, String after, String author, long at) {}

    /** Editor settings as shipped in editor.properties. */
    static final class EditorConfig {
        final Properties props = new Properties();
        EditorConfig() {
            props.setProperty("editor.autosaveEvery", "5");
            props.setProperty("editor.undoLimit", "100"); // key renamed in 3.2 (was editor.undo.limit)
            props.setProperty("editor.previewCache", Integer.toString(PREVIEW_CAP));
            props.setProperty("editor.font", "Tiresias Screenfont");
        }
        /** 0 = unlimited. */
        int undoLimit() {
            // BUG: reads the pre-3.2 key; it is absent, so the default "0" (unlimited) applies
            String key = FIXED ? "editor.undoLimit" : "editor.undo.limit";
            return Integer.parseInt(props.getProperty(key, "0"));
        }
    }

    static final class UndoHistory {
        final ArrayDeque<Edit> undo = new ArrayDeque<>();
        final ArrayDeque<Edit> redo = new ArrayDeque<>();
        final int limit;
        long recorded, undone, trimmed;
        UndoHistory(int limit) { this.limit = limit; }
        void record(Edit e) {
            undo.addLast(e);
            redo.clear();
            recorded++;
            if (limit > 0) while (undo.size() > limit) { undo.removeFirst(); trimmed++; }
        }
        Edit undoLast() {
            Edit e = undo.pollLast();
            if (e != null) { redo.addLast(e); undone++; }
            return e;
        }
    }

    static final class SubtitleDocument {
        final String id, titleCode, language;
        final String[] cues;
        final UndoHistory history;
        final long openedAt;
        long version;
        SubtitleDocument(String id, String titleCode, String language, String[] cues, int undoLimit, long openedAt) {
            this.id = id; this.titleCode = titleCode; this.language = language; this.cues = cues; this.history = new UndoHistory(undoLimit); this.openedAt = openedAt;
        }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Title> TITLES_BY_CODE = new HashMap<>();

    static final class EditorService {
        final EditorConfig config = new EditorConfig();
        final Map<String, Translator> translators = new HashMap<>();
        final Map<String, SubtitleDocument> documents = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> waveformBuffers = new ArrayDeque<>();
        final Autosave[] autosaves = new Autosave[RING];
        long saves, edits, undos;
    }

    static EditorService SERVICE;

    static final String[] WORDS = {"we", "have", "to", "leave", "now", "before", "the", "tide", "turns", "I", "never", "said", "that", "where", "were",
        "you", "last", "night", "listen", "to", "me", "it's", "not", "safe", "here", "anymore", "they", "know", "about", "the", "letter", "come",
        "back", "inside", "please", "don't", "tell", "anyone", "what", "you", "saw"};

    static String line(Random r, int minChars) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < minChars) { if (sb.length() > 0) sb.append(' '); sb.append(WORDS[r.nextInt(WORDS.length)]); }
        sb.setCharAt(0, Character.toUpperCase(sb.charAt(0)));
        return sb.append(r.nextInt(4) == 0 ? "?" : ".").toString();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val34.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int ops = OPS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(34_010_001);
        String[] titleCodes = new String[TITLES];
        for (int t = 0; t < TITLES; t++) {
            long[] reels = new long[60];
            for (int k = 0; k < reels.length; k++) reels[k] = k * 1_200_000L + rnd.nextInt(90_000);
            titleCodes[t] = "TT" + (4_100_000 + t * 13);
            TITLES_BY_CODE.put(titleCodes[t], new Title(titleCodes[t], "Feature " + (t % 400) + " part " + (t / 400 + 1), reels));
        }
        EditorService svc = new EditorService();
        SERVICE = svc;
        String[] pairs = {"en>fr", "en>de", "en>es", "en>it", "en>pt-BR", "en>ja", "fr>en", "de>en"};
        String[] translatorIds = new String[TRANSLATORS];
        for (int i = 0; i < TRANSLATORS; i++) {
            translatorIds[i] = "TR-" + (200_000 + i);
            svc.translators.put(translatorIds[i], new Translator(translatorIds[i], "Translator " + (i % 5_000) + "/" + (i / 5_000), pairs[i % pairs.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        int undoLimit = svc.config.undoLimit();
        String[] docIds = new String[DOCUMENTS];
        for (int d = 0; d < DOCUMENTS; d++) {
            String[] cues = new String[CUES];
            for (int c = 0; c < CUES; c++) cues[c] = line(rnd, 20 + rnd.nextInt(50));
            docIds[d] = "SUB-" + titleCodes[d * 37] + "-" + pairs[d % pairs.length];
            svc.documents.put(docIds[d], new SubtitleDocument(docIds[d], titleCodes[d * 37], pairs[d % pairs.length], cues, undoLimit, start - (1 + rnd.nextInt(20)) * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.waveformBuffers.add(new byte[32_768]);
        Random traffic = new Random(34_010_002);
        for (int i = 0; i < ops; i++) {
            long t = start + (end - MINUTE - start) * i / ops;
            SubtitleDocument doc = svc.documents.get(docIds[traffic.nextInt(DOCUMENTS)]);
            String author = translatorIds[traffic.nextInt(TRANSLATORS)];
            if (traffic.nextInt(100) < 3) {
                Edit e = doc.history.undoLast();
                if (e != null) doc.cues[e.cue()] = e.before();
                svc.undos++;
            } else {
                int cue = traffic.nextInt(CUES);
                String after = line(traffic, 20 + traffic.nextInt(50));
                doc.history.record(new Edit(8_000_000L + i, cue, doc.cues[cue], after, author, t));
                doc.cues[cue] = after;
                svc.edits++;
            }
            doc.version++;
            if (i % 5 == 0) svc.autosaves[(int) (svc.saves++ % RING)] = new Autosave(doc.id, doc.version, author, t);
            String key = "pv-" + traffic.nextInt(5_000);
            if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.waveformBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.waveformBuffers.add(buf);
        }
        int undoEntries = 0, redoEntries = 0, minUndo = Integer.MAX_VALUE, maxUndo = 0;
        long recorded = 0;
        for (SubtitleDocument d : svc.documents.values()) {
            undoEntries += d.history.undo.size();
            redoEntries += d.history.redo.size();
            minUndo = Math.min(minUndo, d.history.undo.size());
            maxUndo = Math.max(maxUndo, d.history.undo.size());
            recorded += d.history.recorded;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " titles " + TITLES_BY_CODE.size() + " translators " + svc.translators.size() + " documents " + svc.documents.size()
                + " undoLimit " + undoLimit + " edits " + svc.edits + " undos " + svc.undos + " undo entries " + undoEntries + " (min " + minUndo + ", max " + maxUndo + ") redo entries " + redoEntries
                + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.waveformBuffers.size() + " saves " + svc.saves);
        check(TITLES_BY_CODE.size() == TITLES && svc.translators.size() == TRANSLATORS && svc.documents.size() == DOCUMENTS, "reference data / directory / documents");
        check(svc.edits + svc.undos == ops && recorded == svc.edits, "edit traffic");
        if (FIXED) check(undoLimit == 100 && maxUndo <= 100, "undo histories trimmed: " + maxUndo);
        else check(undoLimit == 0 && undoEntries > svc.edits * 9 / 10, "undo histories keep everything: " + undoEntries);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.waveformBuffers.size() == POOL, "pool");
        check(svc.saves == (ops + 4) / 5, "autosave ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
