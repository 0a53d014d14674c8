// hprofscan-dump: name=signage-studio jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=signage-studio-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=signage-studio-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=signage-studio-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A digital-signage design studio. 1,500 screen layouts are open for editing, each with its own
 * undo history ({@code Layout.undo}, an {@code ArrayList<Edit>}), newest last: an edit is
 * appended and, past {@code UNDO_DEPTH = 40}, the oldest is removed. Edits arrive over 10
 * simulated hours, skewed over the layouts: busy ones sit at the depth, quiet ones below, and a
 * quiet layout's 40 edits span hours, most made long before the dump. Leak: the trim is gone:
 * every edit of the day stays. Healthy: trimmed on every edit.
 *
 * <p>Beside it: a player directory (6,000 screens by serial, loaded at start), the layouts
 * themselves (widgets, a 4 KiB preview each), an LRU of 800 rendered media thumbnails, and a
 * ring of the last 4,096 playback reports.
 */
public final class SignageStudio {
    static final int LAYOUTS = 1_500;
    static final int UNDO_DEPTH = 40;
    static final int EDITS = 60_000;
    static final int THUMB_CAP = 800;
    static final long HOUR = 3_600_000L;

    record Screen(String serial, String venue, int width, int height, byte[] calibration) {}

    record Edit(long seq, String widget, String property, byte[] before, byte[] after, long at) {}

    record Report(String serial, String layout, long playedAt, int seconds) {}

    static final class Layout {
        final String id;
        final String title;
        final List<String> widgets = new ArrayList<>();
        final byte[] preview = new byte[4_096];
        final List<Edit> undo = new ArrayList<>();
        long edits;

        Layout(String id, String title) {
            this.id = id;
            this.title = title;
        }

        void apply(Edit e, boolean leak) {
            undo.add(e);
            edits++;
            if (!leak && undo.size() > UNDO_DEPTH) undo.remove(0);
        }
    }

    static final class Studio {
        final Map<String, Screen> screens = new HashMap<>();
        final Map<String, Layout> layouts = new HashMap<>();
        final Map<String, byte[]> thumbnails = new LinkedHashMap<>(1_024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > THUMB_CAP;
            }
        };
        final Report[] reports = new Report[4_096];
        long reportCount;
    }

    static final Studio STUDIO = new Studio();

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected count: " + what);
    }

    static void load(Studio s, Random rnd) {
        for (int i = 0; i < 6_000; i++) {
            String serial = "SCR-" + (700_000 + i * 13);
            s.screens.put(serial, new Screen(serial, "Venue " + (i % 500), 1_920, 1_080, new byte[64 + rnd.nextInt(64)]));
        }
        for (int i = 0; i < LAYOUTS; i++) {
            Layout l = new Layout("LAY-" + (20_000 + i), "Layout " + i);
            for (int w = 0; w < 12; w++) l.widgets.add("widget-" + w);
            s.layouts.put(l.id, l);
        }
    }

    static void traffic(Studio s, boolean leak, long now) {
        Random rnd = new Random(46_201);
        long end = now - now % 60_000L;
        long start = end - 10 * HOUR;
        String[] props = {"x", "y", "width", "height", "font", "colour", "source", "duration"};
        for (int i = 0; i < EDITS; i++) {
            long t = start + (end - 60_000L - start) * i / EDITS;
            double u = rnd.nextDouble();
            Layout l = s.layouts.get("LAY-" + (20_000 + (int) (u * u * u * LAYOUTS)));
            int size = 24 + rnd.nextInt(48);
            l.apply(new Edit(i, l.widgets.get(rnd.nextInt(12)), props[rnd.nextInt(props.length)], new byte[size], new byte[size], t), leak);
            if (i % 5 == 0) {
                String key = "thumb-" + rnd.nextInt(3_000);
                if (s.thumbnails.get(key) == null) s.thumbnails.put(key, new byte[900 + rnd.nextInt(400)]);
            }
            if (i % 2 == 0) {
                String serial = "SCR-" + (700_000 + rnd.nextInt(6_000) * 13);
                s.reports[(int) (s.reportCount++ % s.reports.length)] = new Report(serial, l.id, t, 10 + rnd.nextInt(50));
            }
        }
    }

    static void report(Studio s, boolean leak) {
        long held = 0, atDepth = 0, over = 0;
        for (Layout l : s.layouts.values()) {
            held += l.undo.size();
            if (l.undo.size() == UNDO_DEPTH) atDepth++;
            if (l.undo.size() > UNDO_DEPTH) over++;
        }
        System.out.println((leak ? "leak" : "healthy") + " layouts " + LAYOUTS + " edits held " + held + " (at depth " + atDepth + ", over " + over
                + ") screens " + s.screens.size() + " thumbnails " + s.thumbnails.size() + " reports " + s.reportCount);
        check(leak ? held == EDITS : over == 0 && atDepth > 0, "undo histories: " + held + " " + atDepth);
        check(s.screens.size() == 6_000 && s.thumbnails.size() == THUMB_CAP, "components");
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        load(STUDIO, new Random(46_200));
        traffic(STUDIO, leak, System.currentTimeMillis());
        report(STUDIO, leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
    }
}
