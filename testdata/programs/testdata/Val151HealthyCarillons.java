// hprofscan-dump: name=val151-healthy-carillons jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val151-healthy-carillons-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Validation set 151 (written blind), HEALTHY: the recital and tower-visit service of a network of
 * carillon bell towers. Tower reference data, the visitor-pass directory, a cache of rendered recital
 * programmes at its cap, a pool of audio-encoder buffers, a ring of bell-strike telemetry, and an
 * in-process event bus whose subscribe() returns a Subscription handle: each short-lived
 * tower-visit booking session keeps the handle and closes it when the session ends, which removes the
 * very object that was added (only the open sessions are subscribed). See VALIDATION151.md.
 */
public final class Val151HealthyCarillons {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int TOWERS = 700, PASSES = 27_000, PROGRAMME_CAP = 2_000, POOL = 6, RING = 16_384, HOURS = 10,
            SESSIONS_PER_HOUR = 1_500, STRIKES_PER_HOUR = 9_000, RECITAL_CHANGES_PER_HOUR = 60;

    record Tower(String code, String city, int bells, double[] bellTuningCents) {}
    record VisitorPass(String passNo, String homeTower, byte[] accessNotes, long issuedAt) {}
    record Programme(String key, byte[] rendered, long at) {}
    record BellStrike(String tower, int bell, int velocity, long at) {}
    record ClimbSlot(String tower, long slotStart) {}
    record RecitalChanged(String tower, long recitalAt, long at) {}
    record VisitBooked(String passNo, String tower, long at) {}

    /** Handle returned by subscribe: closing it removes exactly the handler that was added. */
    static final class Subscription implements AutoCloseable {
        final EventBus bus; final Class<?> type; final Consumer<?> handler; boolean closed;
        Subscription(EventBus bus, Class<?> type, Consumer<?> handler) { this.bus = bus; this.type = type; this.handler = handler; }
        @Override public void close() { if (!closed) { closed = true; bus.remove(type, handler); } }
    }

    static final class EventBus {
        final Map<Class<?>, List<Consumer<?>>> handlers = new HashMap<>();
        long posted, delivered, removed;
        <T> Subscription subscribe(Class<T> type, Consumer<? super T> handler) {
            handlers.computeIfAbsent(type, k -> new ArrayList<>()).add(handler);
            return new Subscription(this, type, handler);
        }
        void remove(Class<?> type, Consumer<?> handler) {
            List<Consumer<?>> list = handlers.get(type);
            for (int i = 0; list != null && i < list.size(); i++) if (list.get(i) == handler) { list.remove(i); removed++; return; }
            throw new IllegalStateException("handler not subscribed");
        }
        @SuppressWarnings("unchecked")
        <T> void post(T event) {
            posted++;
            List<Consumer<?>> list = handlers.get(event.getClass());
            if (list == null) return;
            for (int i = 0; i < list.size(); i++) { ((Consumer<T>) list.get(i)).accept(event); delivered++; }
        }
        int count(Class<?> type) { List<Consumer<?>> l = handlers.get(type); return l == null ? 0 : l.size(); }
    }

    /** A visitor booking a tower climb: open for a few minutes. */
    static final class VisitSession {
        final String passNo; final byte[] draft; final List<ClimbSlot> slots = new ArrayList<>(); final long openedAt;
        int recitalChangesSeen;
        Subscription subscription;
        VisitSession(String passNo, byte[] draft, long openedAt) { this.passNo = passNo; this.draft = draft; this.openedAt = openedAt; }
        void onRecitalChanged(RecitalChanged e) { recitalChangesSeen++; }
        void open(EventBus bus) { subscription = bus.subscribe(RecitalChanged.class, this::onRecitalChanged); }
        void close() { subscription.close(); subscription = null; }
    }

    static final class ProgrammeCache extends LinkedHashMap<String, Programme> {
        long evicted;
        ProgrammeCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Programme> e) { if (size() > PROGRAMME_CAP) { evicted++; return true; } return false; }
    }

    static final class Signage { long updates; void register(EventBus bus) { bus.subscribe(RecitalChanged.class, e -> updates++); } }
    static final class GuideRota { long visits; void register(EventBus bus) { bus.subscribe(VisitBooked.class, e -> visits++); } }

    static final Map<String, Tower> TOWERS_BY_CODE = new HashMap<>();

    static final class CarillonService {
        final Map<String, VisitorPass> passes = new HashMap<>();
        final ProgrammeCache programmes = new ProgrammeCache();
        final ArrayDeque<byte[]> encoderBuffers = new ArrayDeque<>();
        final BellStrike[] strikes = new BellStrike[RING];
        final EventBus bus = new EventBus();
        final Signage signage = new Signage();
        final GuideRota rota = new GuideRota();
        final ArrayDeque<VisitSession> open = new ArrayDeque<>();
        long struck, sessionsOpened, sessionsClosed;
    }

    static CarillonService SERVICE;

    /** A visitor opens the booking page (its own frame: main keeps no session). */
    static void openSession(CarillonService svc, String passNo, String[] towerCodes, Random traffic, long t) {
        VisitSession s = new VisitSession(passNo, new byte[200 + traffic.nextInt(200)], t);
        int n = 1 + traffic.nextInt(3);
        for (int k = 0; k < n; k++) s.slots.add(new ClimbSlot(towerCodes[traffic.nextInt(TOWERS)], t + (1 + traffic.nextInt(96)) * HOUR));
        s.open(svc.bus);
        svc.open.addLast(s);
        svc.sessionsOpened++;
        if (traffic.nextInt(2) == 0) svc.bus.post(new VisitBooked(passNo, s.slots.get(0).tower(), t));
        String key = "prog-" + traffic.nextInt(TOWERS) + "-" + traffic.nextInt(20);
        if (svc.programmes.get(key) == null) svc.programmes.put(key, new Programme(key, new byte[600 + traffic.nextInt(600)], t));
    }

    /** Bell-strike telemetry from a tower's keyboard sensors, encoded through a pooled buffer. */
    static void recordStrike(CarillonService svc, String[] towerCodes, Random traffic, long t, int i) {
        byte[] buf = svc.encoderBuffers.poll();
        buf[i % buf.length] = (byte) i;
        svc.encoderBuffers.add(buf);
        svc.strikes[(int) (svc.struck++ % RING)] = new BellStrike(towerCodes[traffic.nextInt(TOWERS)], traffic.nextInt(23), traffic.nextInt(128), t);
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(151_060_001);
        String[] towerCodes = new String[TOWERS];
        for (int t = 0; t < TOWERS; t++) {
            int bells = 23 + rnd.nextInt(55);
            double[] tuning = new double[bells];
            for (int k = 0; k < bells; k++) tuning[k] = rnd.nextGaussian() * 4;
            String code = "TWR-" + (100 + t);
            towerCodes[t] = code;
            TOWERS_BY_CODE.put(code, new Tower(code, "City " + (t % 200), bells, tuning));
        }
        CarillonService svc = new CarillonService();
        SERVICE = svc;
        String[] passNos = new String[PASSES];
        for (int p = 0; p < PASSES; p++) {
            String no = "VP" + (3_000_000 + p * 11);
            passNos[p] = no;
            svc.passes.put(no, new VisitorPass(no, towerCodes[rnd.nextInt(TOWERS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.encoderBuffers.add(new byte[65_536]);
        svc.signage.register(svc.bus);
        svc.rota.register(svc.bus);
        Random traffic = new Random(151_060_002);
        int sessions = SESSIONS_PER_HOUR * HOURS, strikes = STRIKES_PER_HOUR * HOURS, changes = RECITAL_CHANGES_PER_HOUR * HOURS;
        int total = sessions + strikes + changes;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            while (!svc.open.isEmpty() && svc.open.peekFirst().openedAt <= t - 4 * MINUTE) { svc.open.pollFirst().close(); svc.sessionsClosed++; }
            int kind = traffic.nextInt(total);
            if (kind < sessions) {
                openSession(svc, passNos[traffic.nextInt(PASSES)], towerCodes, traffic, t);
            } else if (kind < sessions + strikes) {
                recordStrike(svc, towerCodes, traffic, t, i);
            } else {
                svc.bus.post(new RecitalChanged(towerCodes[traffic.nextInt(TOWERS)], t + (2 + traffic.nextInt(48)) * HOUR, t));
            }
        }
        long opened = svc.sessionsOpened, closed = svc.sessionsClosed, stillOpen = svc.open.size();
        int subs = svc.bus.count(RecitalChanged.class);
        System.out.println("towers " + TOWERS_BY_CODE.size() + " passes " + svc.passes.size() + " sessions opened " + opened + " closed " + closed + " open " + stillOpen
                + " RecitalChanged subscribers " + subs + " VisitBooked subscribers " + svc.bus.count(VisitBooked.class) + " removed " + svc.bus.removed
                + " posted " + svc.bus.posted + " delivered " + svc.bus.delivered + " programmes " + svc.programmes.size() + " (evicted " + svc.programmes.evicted
                + ") pool " + svc.encoderBuffers.size() + " strikes " + svc.struck);
        check(TOWERS_BY_CODE.size() == TOWERS && svc.passes.size() == PASSES, "reference data / directory");
        check(opened == closed + stillOpen && stillOpen > 0 && stillOpen < 500, "sessions");
        check(subs == 1 + stillOpen && svc.bus.removed == closed && svc.bus.count(VisitBooked.class) == 1, "only open sessions subscribed: " + subs);
        check(svc.programmes.size() == PROGRAMME_CAP && svc.programmes.evicted > 0, "programme cache at cap");
        check(svc.encoderBuffers.size() == POOL, "pool");
        check(svc.strikes[RING - 1] != null && svc.struck > RING, "ring");
        svc = null; passNos = null; towerCodes = null; rnd = null; traffic = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
