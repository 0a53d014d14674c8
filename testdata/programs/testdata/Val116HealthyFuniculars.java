// hprofscan-dump: name=val116-healthy-funiculars jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val116-healthy-funiculars-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 116 (written blind), HEALTHY: the ticketing and operations service of a mountain
 * funicular and rack-railway operator. Station reference data, the season-pass directory, an LRU
 * of rendered timetable pages at its cap, a pool of ticket-printer buffers, a ring of gate
 * validations, one haul-rope tension history array, and four bounded look-alikes: a WeakHashMap of
 * fare decisions keyed by the gate session of a ride in progress (the decision does not reference
 * the session), a LinkedBlockingQueue of failed card settlements drained for every failure kind
 * (timeouts retried, declines handed to debt recovery), a static CopyOnWriteArrayList of car and
 * station controller callbacks removed when a connection closes, and per-rider journey feeds
 * trimmed to their newest 50 events. See VALIDATION116.md.
 */
public final class Val116HealthyFuniculars {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int STATIONS = 600, PASSES = 22_000, PAGE_CAP = 2_000, POOL = 10, RING = 16_384, RIDERS = 2_000, CONTROLLERS = 36, FEED_LIMIT = 50, MAX_ATTEMPTS = 4, DEBT_RING = 512;
    static final int HOURS = 10, TAPS = 60_000, TENSION_SAMPLES = 200_000;
    static final String[] LINES = {"Glacier Funicular", "Pine Ridge Rack", "Old Town Incline", "Summit Express", "Lakeside Funicular", "Cog Line 2"};

    enum FailureKind { TIMEOUT, DECLINED }
    enum RiderEventKind { TAP_IN, TAP_OUT, TOP_UP, SERVICE_ALERT }

    record Station(String code, String line, double[] boardingsByQuarterHour) {}
    record SeasonPass(String number, String holder, String zone, byte[] photoMeta, long validFrom) {}
    record TimetablePage(String key, byte[] rendered, long at) {}
    record GateValidation(String passNumber, String station, boolean entry, long at) {}
    record RiderEvent(long at, RiderEventKind kind, String station, int cents) {}
    record Debt(String settlementId, long riderId, int cents, long at) {}

    /** A ride in progress, from tap-in to tap-out (identity equality). */
    static final class GateSession {
        final String sessionId, station; final long riderId, tappedInAt, tapsOutAt;
        GateSession(String sessionId, String station, long riderId, long tappedInAt, long tapsOutAt) {
            this.sessionId = sessionId; this.station = station; this.riderId = riderId; this.tappedInAt = tappedInAt; this.tapsOutAt = tapsOutAt;
        }
    }

    /** The fare worked out at tap-in; keeps the session id, not the session. */
    record FareDecision(String sessionId, int cents, String zone, boolean capApplied, byte[] ruleTrace) {}

    static final class FareEngine {
        final WeakHashMap<GateSession, FareDecision> decisions = new WeakHashMap<>();
        FareDecision decide(GateSession s, Random r) {
            FareDecision d = new FareDecision(s.sessionId, 350 + r.nextInt(900), "Z" + (1 + r.nextInt(4)), r.nextInt(10) == 0, new byte[200 + r.nextInt(200)]);
            decisions.put(s, d);
            return d;
        }
    }

    static final class FailedSettlement {
        final String settlementId; final long riderId; final int cents; final byte[] payload; final FailureKind kind;
        int attempts = 1; long retryAt;
        FailedSettlement(String settlementId, long riderId, int cents, byte[] payload, FailureKind kind, long retryAt) {
            this.settlementId = settlementId; this.riderId = riderId; this.cents = cents; this.payload = payload; this.kind = kind; this.retryAt = retryAt;
        }
    }

    static final class Settlements {
        final LinkedBlockingQueue<FailedSettlement> retries = new LinkedBlockingQueue<>();
        final Debt[] debtRecovery = new Debt[DEBT_RING];
        long charged, timeouts, declined, recovered, gaveUp, debts, seq;
        void charge(long riderId, int cents, long t, Random r) {
            charged++;
            String id = "ST-" + (77_000_000 + seq++);
            int roll = r.nextInt(100);
            if (roll < 5) { timeouts++; retries.add(new FailedSettlement(id, riderId, cents, new byte[800 + r.nextInt(800)], FailureKind.TIMEOUT, t + 3 * MINUTE)); }
            else if (roll < 7) { declined++; retries.add(new FailedSettlement(id, riderId, cents, new byte[800 + r.nextInt(800)], FailureKind.DECLINED, t)); }
        }
        /** Every minute: declines go to debt recovery (payload dropped), due timeouts are retried. */
        void drain(long t, Random r) {
            List<FailedSettlement> batch = new ArrayList<>();
            retries.drainTo(batch);
            for (FailedSettlement f : batch) {
                if (f.kind == FailureKind.DECLINED) { debtRecovery[(int) (debts++ % DEBT_RING)] = new Debt(f.settlementId, f.riderId, f.cents, t); continue; }
                if (f.retryAt > t) { retries.add(f); continue; }
                if (r.nextInt(100) < 80) { recovered++; continue; }
                if (++f.attempts >= MAX_ATTEMPTS) { gaveUp++; continue; }
                f.retryAt = t + (2L << f.attempts) * MINUTE;
                retries.add(f);
            }
        }
    }

    interface ControllerCallback { void onCommand(byte[] command); }

    static final class CarControl {
        static final CopyOnWriteArrayList<ControllerCallback> CALLBACKS = new CopyOnWriteArrayList<>();
        static long commands;
    }

    static final class ControllerConnection {
        final String controllerId; final ByteBuffer in = ByteBuffer.allocate(4_096), out = ByteBuffer.allocate(2_048); final long closesAt;
        ControllerCallback callback;
        ControllerConnection(String controllerId, long closesAt) { this.controllerId = controllerId; this.closesAt = closesAt; }
    }

    static final class RiderFeeds {
        final HashMap<Long, ArrayDeque<RiderEvent>> byRider = new HashMap<>();
        void append(long riderId, RiderEvent e) {
            ArrayDeque<RiderEvent> q = byRider.computeIfAbsent(riderId, k -> new ArrayDeque<>());
            q.addLast(e);
            while (q.size() > FEED_LIMIT) q.pollFirst();
        }
    }

    static final class PageCache extends LinkedHashMap<String, TimetablePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TimetablePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class TicketService {
        final Map<String, SeasonPass> passes = new HashMap<>();
        final String[] passNumbers = new String[PASSES];
        final String[] stationCodes = new String[STATIONS];
        final PageCache timetablePages = new PageCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final GateValidation[] validations = new GateValidation[RING];
        final int[] ropeTension = new int[TENSION_SAMPLES];
        final LinkedHashMap<String, GateSession> inTransit = new LinkedHashMap<>();
        final FareEngine fares = new FareEngine();
        final Settlements settlements = new Settlements();
        final Map<String, ControllerConnection> connections = new HashMap<>();
        final String[] controllerIds = new String[CONTROLLERS];
        final RiderFeeds feeds = new RiderFeeds();
        long validationCount, tapIns, tapOuts, pageHits, opened, closed, tensionSamples, alerts;

        void openController(String id, long t, Random r) {
            ControllerConnection c = new ControllerConnection(id, t + (30 + r.nextInt(90)) * MINUTE);
            ByteBuffer in = c.in, out = c.out;
            c.callback = cmd -> { out.clear(); out.put(cmd); in.clear(); };
            CarControl.CALLBACKS.add(c.callback);
            connections.put(id, c);
            opened++;
        }

        void closeController(ControllerConnection c) {
            connections.remove(c.controllerId);
            CarControl.CALLBACKS.remove(c.callback); // removed on close
            closed++;
        }

        void tapIn(int seq, long t, Random r) {
            long rider = 8_800_000L + r.nextInt(RIDERS) * 3L;
            String pass = passNumbers[r.nextInt(PASSES)];
            String station = stationCodes[r.nextInt(STATIONS)];
            GateSession s = new GateSession("GS-" + (12_000_000 + seq), station, rider, t, t + (8 + r.nextInt(18)) * MINUTE);
            FareDecision d = fares.decide(s, r);
            inTransit.put(s.sessionId, s);
            validations[(int) (validationCount++ % RING)] = new GateValidation(pass, station, true, t);
            feeds.append(rider, new RiderEvent(t, RiderEventKind.TAP_IN, station, d.cents()));
            tapIns++;
            if (r.nextInt(8) == 0) feeds.append(rider, new RiderEvent(t, RiderEventKind.TOP_UP, station, 1_000 + 500 * r.nextInt(8)));
            if (r.nextInt(4) == 0) {
                String key = station + "/" + LINES[r.nextInt(LINES.length)] + "/" + r.nextInt(4);
                if (timetablePages.get(key) == null) {
                    byte[] buf = printBuffers.poll();
                    buf[seq % buf.length] = 1;
                    printBuffers.add(buf);
                    timetablePages.put(key, new TimetablePage(key, new byte[400 + r.nextInt(400)], t));
                } else pageHits++;
            }
        }

        void minute(long t, Random r) {
            for (Iterator<GateSession> it = inTransit.values().iterator(); it.hasNext(); ) {
                GateSession s = it.next();
                if (s.tapsOutAt > t) continue;
                it.remove();
                FareDecision d = fares.decisions.get(s);
                settlements.charge(s.riderId, d.cents(), t, r);
                feeds.append(s.riderId, new RiderEvent(t, RiderEventKind.TAP_OUT, stationCodes[r.nextInt(STATIONS)], d.cents()));
                tapOuts++;
            }
            settlements.drain(t, r);
            for (int k = 0; k < 60; k++) ropeTension[(int) (tensionSamples++ % TENSION_SAMPLES)] = 180_000 + r.nextInt(40_000);
            for (String id : controllerIds) {
                ControllerConnection c = connections.get(id);
                if (c != null && c.closesAt <= t) closeController(c);
                else if (c == null && r.nextInt(2) == 0) openController(id, t, r);
            }
            if (r.nextInt(10) == 0) {
                byte[] cmd = ("SPEED " + (6 + r.nextInt(6)) + " m/s").getBytes(StandardCharsets.US_ASCII);
                for (ControllerCallback cb : CarControl.CALLBACKS) { cb.onCommand(cmd); CarControl.commands++; }
            }
            if (r.nextInt(30) == 0) { // a service alert to a handful of riders of one line
                alerts++;
                for (int k = 0; k < 40; k++) feeds.append(8_800_000L + r.nextInt(RIDERS) * 3L, new RiderEvent(t, RiderEventKind.SERVICE_ALERT, stationCodes[r.nextInt(STATIONS)], 0));
            }
        }
    }

    static TicketService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(116_060_001);
        TicketService svc = new TicketService();
        SERVICE = svc;
        for (int s = 0; s < STATIONS; s++) {
            double[] boardings = new double[64];
            for (int k = 0; k < boardings.length; k++) boardings[k] = rnd.nextDouble() * 400;
            String code = "FS-" + (1_000 + s);
            svc.stationCodes[s] = code;
            STATIONS_BY_CODE.put(code, new Station(code, LINES[s % LINES.length], boardings));
        }
        for (int p = 0; p < PASSES; p++) {
            String no = "FP" + (30_000_000 + p * 9);
            svc.passNumbers[p] = no;
            svc.passes.put(no, new SeasonPass(no, "holder " + p, "Z" + (1 + rnd.nextInt(4)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(300)) * DAY));
        }
        for (int k = 0; k < TENSION_SAMPLES; k++) svc.ropeTension[k] = 180_000 + rnd.nextInt(40_000); // the last 55 h, loaded from the drive controller at startup
        svc.tensionSamples = TENSION_SAMPLES;
        for (int c = 0; c < CONTROLLERS; c++) svc.controllerIds[c] = (c < 24 ? "CAR-" : "STN-CTL-") + (c + 1);
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(116_060_002);
        for (String id : svc.controllerIds) svc.openController(id, start, traffic);
        long nextMinute = start + MINUTE;
        for (int i = 0; i < TAPS; i++) {
            long t = start + (end - MINUTE - start) * i / TAPS;
            while (nextMinute <= t) { svc.minute(nextMinute, traffic); nextMinute += MINUTE; }
            svc.tapIn(i, t, traffic);
        }
    }

    static int settledSize(WeakHashMap<?, ?> map, int expected) throws InterruptedException {
        for (int k = 0; k < 300 && map.size() != expected; k++) { System.gc(); Thread.sleep(20); }
        return map.size();
    }

    static final int EXPECTED_IN_TRANSIT = 1_760, EXPECTED_RETRY_BACKLOG = 34, EXPECTED_OPEN = 35;

    static void report() throws InterruptedException {
        TicketService svc = SERVICE;
        int weak = settledSize(svc.fares.decisions, svc.inTransit.size());
        long feedItems = 0;
        int shortest = Integer.MAX_VALUE, longest = 0, atLimit = 0;
        for (ArrayDeque<RiderEvent> q : svc.feeds.byRider.values()) {
            feedItems += q.size();
            shortest = Math.min(shortest, q.size());
            longest = Math.max(longest, q.size());
            if (q.size() == FEED_LIMIT) atLimit++;
        }
        Settlements st = svc.settlements;
        long declinedQueued = 0;
        for (FailedSettlement f : st.retries) if (f.kind == FailureKind.DECLINED) declinedQueued++;
        System.out.println("stations " + STATIONS_BY_CODE.size() + " passes " + svc.passes.size() + " tap-ins " + svc.tapIns + " tap-outs " + svc.tapOuts + " in transit " + svc.inTransit.size()
                + " fare decisions " + weak + " settlements " + st.charged + " (timeouts " + st.timeouts + ", declined " + st.declined + ", recovered " + st.recovered + ", gave up " + st.gaveUp
                + ", debts " + st.debts + ") retry queue " + st.retries.size() + " (declined " + declinedQueued + ") controllers open " + svc.connections.size() + " callbacks " + CarControl.CALLBACKS.size()
                + " (opened " + svc.opened + ", closed " + svc.closed + ", commands " + CarControl.commands + ") rider feeds " + svc.feeds.byRider.size() + " items " + feedItems + " (" + shortest + ".." + longest
                + ", at limit " + atLimit + ", alerts " + svc.alerts + ") timetable pages " + svc.timetablePages.size() + " (evicted " + svc.timetablePages.evicted + ", hits " + svc.pageHits
                + ") validations " + svc.validationCount + " tension samples " + svc.tensionSamples + " pool " + svc.printBuffers.size());
        check(STATIONS_BY_CODE.size() == STATIONS && svc.passes.size() == PASSES, "reference data / directory");
        check(svc.tapIns == TAPS && svc.tapIns - svc.tapOuts == svc.inTransit.size() && svc.inTransit.size() == EXPECTED_IN_TRANSIT, "rides in transit");
        check(weak == svc.inTransit.size(), "fare decisions follow the rides in transit: " + weak);
        check(declinedQueued == 0 && st.declined == st.debts && st.timeouts == st.recovered + st.gaveUp + st.retries.size() && st.retries.size() == EXPECTED_RETRY_BACKLOG, "settlement retries");
        check(CarControl.CALLBACKS.size() == svc.connections.size() && svc.opened - svc.closed == svc.connections.size() && svc.connections.size() == EXPECTED_OPEN, "controller callbacks");
        check(svc.feeds.byRider.size() == RIDERS && longest == FEED_LIMIT, "rider feeds trimmed");
        check(svc.timetablePages.size() == PAGE_CAP && svc.timetablePages.evicted > 0, "timetable pages at cap");
        check(svc.printBuffers.size() == POOL && svc.validations[RING - 1] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        run();
        report();
        LeakCheck.histogram("java.util.WeakHashMap$Entry ", "[B ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
