// hprofscan-dump: name=trimmed-few jvm="-Xmx128m" variants=mxbean
// hprofscan-dump: name=trimmed-few-serial jvm="-Xmx128m -Xmn96m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * One alert inbox per operator ({@code Inbox.items}, an {@code ArrayDeque} each, in a directory
 * of 300 operators), meant to keep the latest 20 alerts; only the first 30 operators open theirs
 * (every 6,000 alerts), which trims it, so the other 270 keep every alert of the 8 hours
 * simulated. The first inbox in the heap is a trimmed one (with SerialGC and a young generation
 * that never fills, the heap keeps allocation order): a tool that judges the 300 deques by the
 * first one sees "trimmed from the front" and calls the leak a bounded history. Fixed numbers:
 * 40,000 alerts, spread by a seeded random over the inboxes; 36,935 are held (printed).
 */
public final class TrimmedFew {
    static final int OPERATORS = 300;
    static final int OPENERS = 30;
    static final int KEEP = 20;
    static final int ALERTS = 40_000;
    static final long HOUR = 3_600_000L;

    record Alert(long id, long at, byte[] body) {}

    static final class Inbox {
        final Deque<Alert> items = new ArrayDeque<>();

        void trim() {
            while (items.size() > KEEP) items.removeFirst();
        }
    }

    static final class Console {
        final Map<String, Inbox> inboxes = new HashMap<>();
    }

    static final Console CONSOLE = new Console();

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - 8 * HOUR;
        Inbox[] byIndex = new Inbox[OPERATORS];
        for (int o = 0; o < OPERATORS; o++) {
            byIndex[o] = new Inbox();
            CONSOLE.inboxes.put("op-" + (700 + o), byIndex[o]);
        }
        Random rnd = new Random(4_242);
        for (int i = 0; i < ALERTS; i++) {
            int o = rnd.nextInt(OPERATORS);
            byIndex[o].items.addLast(new Alert(i, start + 8 * HOUR * i / ALERTS, new byte[40 + rnd.nextInt(40)]));
            // Opening the inbox (each opener, every 6,000 alerts) trims it.
            if (i % 6_000 == 5_999) for (int k = 0; k < OPENERS; k++) byIndex[k].trim();
        }
        byIndex = null;
        long held = 0;
        for (Inbox in : CONSOLE.inboxes.values()) held += in.items.size();
        System.out.println("held " + held);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
