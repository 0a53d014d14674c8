// hprofscan-dump: name=val81-leak-librarykiosks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val81-leak-librarykiosks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 81 (written blind), LEAK: the self-service kiosk backend of a public library
 * network. A singleton event source (HoldEvents.INSTANCE) notifies kiosk sessions of hold and
 * due-date events; subscribe() wraps each listener in a new ListenerWrapper, and unsubscribe()
 * removes a new wrapper of the same listener: the wrapper has no equals(), so the removal silently
 * fails and every session's listener (with its session state) stays subscribed. Beside it: branch
 * reference data, a catalogue directory, a cache of rendered record pages at its cap, a pool of
 * receipt-printer buffers and a ring of recent loans. See VALIDATION81.md.
 */
public final class Val81LeakLibraryKiosks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BRANCHES = 900, TITLES = 27_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, SESSIONS = 28_000, HOURS = 10;
    static boolean FIXED;

    record Branch(String code, String name, double[] weeklyFootfall) {}
    record Title(String isbn, String branchCode, String shelfMark, byte[] marcRecord, long catalogued) {}
    record Page(String key, byte[] rendered, long at) {}
    record Loan(String isbn, String patronId, long at, long due) {}
    record HoldEvent(String kind, String isbn, String patronId, long at) {}

    interface HoldListener { void onEvent(HoldEvent e); }

    static final class KioskSession implements HoldListener {
        final long id; final String kioskId, patronId; final long startedAt; final byte[] screenState; int notified;
        KioskSession(long id, String kioskId, String patronId, long startedAt, byte[] screenState) { this.id = id; this.kioskId = kioskId; this.patronId = patronId; this.startedAt = startedAt; this.screenState = screenState; }
        @Override public void onEvent(HoldEvent e) { if (e.patronId().equals(patronId)) notified++; }
    }

    /** Adds a per-listener failure counter; equals() only when the fix is on. */
    static class ListenerWrapper {
        final HoldListener delegate; int failures;
        ListenerWrapper(HoldListener delegate) { this.delegate = delegate; }
    }
    static final class EqualWrapper extends ListenerWrapper {
        EqualWrapper(HoldListener delegate) { super(delegate); }
        @Override public boolean equals(Object o) { return o instanceof ListenerWrapper w && w.delegate == delegate; }
        @Override public int hashCode() { return System.identityHashCode(delegate); }
    }

    static final class HoldEvents {
        static final HoldEvents INSTANCE = new HoldEvents();
        final List<ListenerWrapper> listeners = new ArrayList<>();
        long published;
        static ListenerWrapper wrap(HoldListener l) { return FIXED ? new EqualWrapper(l) : new ListenerWrapper(l); }
        void subscribe(HoldListener l) { listeners.add(wrap(l)); }
        boolean unsubscribe(HoldListener l) { return listeners.remove(wrap(l)); } // BUG: a new wrapper, identity equals: never found
        void publish(HoldEvent e) { published++; for (ListenerWrapper w : listeners) w.delegate.onEvent(e); }
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Branch> BRANCHES_BY_CODE = new HashMap<>();

    static final class KioskService {
        final Map<String, Title> catalogue = new HashMap<>();
        final Map<Long, KioskSession> active = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Loan[] recent = new Loan[RING];
        long loans, ended, failedUnsubscribes;
    }

    static KioskService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val81.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(81_040_001);
        String[] branchCodes = new String[BRANCHES];
        for (int b = 0; b < BRANCHES; b++) {
            double[] foot = new double[64];
            for (int k = 0; k < foot.length; k++) foot[k] = rnd.nextDouble() * 700;
            branchCodes[b] = "LIB-" + (100 + b);
            BRANCHES_BY_CODE.put(branchCodes[b], new Branch(branchCodes[b], "Branch " + b, foot));
        }
        KioskService svc = new KioskService();
        SERVICE = svc;
        String[] isbns = new String[TITLES];
        for (int t = 0; t < TITLES; t++) {
            isbns[t] = "978" + (1_000_000_000L + t * 37L);
            svc.catalogue.put(isbns[t], new Title(isbns[t], branchCodes[rnd.nextInt(BRANCHES)], "SM " + (t % 999), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(81_040_002);
        HoldEvents events = HoldEvents.INSTANCE;
        ArrayDeque<KioskSession> byStart = new ArrayDeque<>();
        String[] kinds = {"HOLD_READY", "DUE_SOON", "OVERDUE"};
        for (int i = 0; i < SESSIONS; i++) {
            long t = start + (end - MINUTE - start) * i / SESSIONS;
            while (!byStart.isEmpty() && byStart.peekFirst().startedAt + 8 * MINUTE <= t) {
                KioskSession done = byStart.pollFirst();
                svc.active.remove(done.id);
                if (!events.unsubscribe(done)) svc.failedUnsubscribes++;
                svc.ended++;
            }
            String patron = "P" + (2_000_000 + traffic.nextInt(80_000));
            KioskSession s = new KioskSession(i, "KSK-" + traffic.nextInt(600), patron, t, new byte[300 + traffic.nextInt(300)]);
            svc.active.put(s.id, s);
            events.subscribe(s);
            byStart.addLast(s);
            for (int l = 0; l < 2; l++) {
                String isbn = isbns[traffic.nextInt(TITLES)];
                svc.recent[(int) (svc.loans++ % RING)] = new Loan(isbn, patron, t, t + 21 * 24 * HOUR);
            }
            if (i % 20 == 0) events.publish(new HoldEvent(kinds[traffic.nextInt(kinds.length)], isbns[traffic.nextInt(TITLES)], patron, t));
            String key = "rec-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.printBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.printBuffers.add(buf);
        }
        int subscribed = events.listeners.size();
        System.out.println((FIXED ? "FIXED " : "") + "branches " + BRANCHES_BY_CODE.size() + " titles " + svc.catalogue.size() + " sessions " + SESSIONS + " ended " + svc.ended + " active " + svc.active.size()
                + " listeners " + subscribed + " failed unsubscribes " + svc.failedUnsubscribes + " published " + events.published + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.printBuffers.size() + " loans " + svc.loans);
        check(BRANCHES_BY_CODE.size() == BRANCHES && svc.catalogue.size() == TITLES, "reference data / directory");
        check(svc.ended + svc.active.size() == SESSIONS, "sessions");
        if (FIXED) check(subscribed == svc.active.size() && svc.failedUnsubscribes == 0, "only active sessions subscribed: " + subscribed);
        else check(subscribed == SESSIONS && svc.failedUnsubscribes == svc.ended, "every session still subscribed: " + subscribed);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
