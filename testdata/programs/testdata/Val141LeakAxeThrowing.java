// hprofscan-dump: name=val141-leak-axethrowing-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val141-leak-axethrowing-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val141-leak-axethrowing jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val141-leak-axethrowing-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 141 (written blind), LEAK (growth series): the lane booking and scoring service of
 * a chain of axe-throwing venues. A closed lane session is kept for 10 minutes in
 * {@code LaneService.closed} (the lane tablet's "last game" screen, the receipt page and the card
 * terminal's late acknowledgements look it up there), and a periodic task scheduled with
 * {@code scheduleAtFixedRate} on a single-thread {@code ScheduledExecutorService} trims the map.
 * Sessions voided by a venue manager from the back office are stored without a close time
 * ({@code Long closedAt} is null); 25 minutes into the run the trim meets the first one, the
 * unboxing throws a NullPointerException, and the executor silently cancels every later run (its
 * thread lives on, idle). The map is never trimmed again. Ordinary components beside it: venue
 * reference data, the member directory, a scorecard cache at its cap, a pool of target-camera
 * buffers, a ring of recent throws, the open lane sessions and the receipt mail backlog.
 * Stage 1/2/3 simulate 2/4/8 hours. See VALIDATION141.md.
 */
public final class Val141LeakAxeThrowing {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int VENUES = 600, MEMBERS = 18_000, SCORECARD_CAP = 2_000, POOL = 8, RING = 8_192, OPENS_PER_MINUTE = 25,
            THROWS_PER_MINUTE = 200, SCORECARDS_PER_MINUTE = 30, SLOTS = 4_096, RECEIPT_LAG_MINUTES = 3;
    static final long TRIM_EVERY = 5 * MINUTE, RETENTION = 10 * MINUTE;
    static final String[] FIRST = {"Aoife", "Bram", "Chidi", "Dagny", "Emeka", "Freya", "Gustav", "Hana", "Ivo", "Jolene", "Kofi", "Lena", "Magnus", "Nia", "Oskar",
            "Priya", "Quentin", "Rosa", "Sven", "Tamsin", "Ulla", "Viktor", "Wren", "Yusuf", "Zara"};
    static final String[] LAST = {"Ahlberg", "Brennan", "Castillo", "Dunmore", "Eriksen", "Fairweather", "Gallagher", "Holm", "Iversen", "Jankowski", "Kowalczyk",
            "Lindqvist", "McAllister", "Nakamura", "Okonkwo", "Petrov", "Quigley", "Rasmussen", "Sandoval", "Thorsen", "Underwood", "Vasquez", "Whitlock"};
    static final String[] TARGETS = {"standard", "standard", "standard", "zombie", "duel", "around-the-world", "cricket", "21"};
    static boolean FIXED;

    record Venue(String code, String city, int lanes, double[] utilisationByHalfHour) {}
    record Member(String memberNo, String name, long bornAt, String homeVenue, byte[] waiver, long joinedAt) {}
    record ThrowEvent(String sessionId, String memberNo, int round, int points, long at) {}
    record Scorecard(String memberNo, byte[] rendered, long renderedAt) {}
    record ReceiptMail(String sessionId, String to, String subject, long queuedAt) {}

    /** A lane session while the lane is booked. */
    static final class LaneSession {
        final String sessionId, laneId, venueCode, target;
        final String[] players;
        final int[] points;
        final long openedAt, endsAt;
        int slot, throwsMade, bullseyes;
        LaneSession(String sessionId, String laneId, String venueCode, String target, String[] players, long openedAt, long endsAt) {
            this.sessionId = sessionId; this.laneId = laneId; this.venueCode = venueCode; this.target = target; this.players = players;
            this.points = new int[players.length * 10]; this.openedAt = openedAt; this.endsAt = endsAt;
        }
    }

    record SessionSummary(String[] players, int[] pointsByRound, int throwsMade, int bullseyes, long billCents, String receiptText) {}

    /** What a closed session leaves for 10 minutes. closedAt is null for sessions voided from the back office. */
    static final class ClosedSession {
        final String sessionId, laneId, venueCode;
        final Long closedAt;
        final SessionSummary summary;
        ClosedSession(String sessionId, String laneId, String venueCode, Long closedAt, SessionSummary summary) {
            this.sessionId = sessionId; this.laneId = laneId; this.venueCode = venueCode; this.closedAt = closedAt; this.summary = summary;
        }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    /** The service's clock (the simulation moves it; the trimmer reads it). */
    static final class ServiceClock extends Clock {
        volatile long millis;
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis); }
        @Override public long millis() { return millis; }
    }

    static final class ScorecardCache extends LinkedHashMap<String, Scorecard> {
        long evicted;
        ScorecardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Scorecard> e) { if (size() > SCORECARD_CAP) { evicted++; return true; } return false; }
    }

    /** Trims the closed sessions older than RETENTION. Scheduled at a fixed rate (the simulation compresses time: it ticks every ms, trims every 5 clock minutes). */
    static final class ClosedSessionTrimmer implements Runnable {
        final Map<String, ClosedSession> closed;
        final Clock clock;
        volatile long lastTrim;
        volatile long trims, malformedDropped, removed, sizeBefore;
        ClosedSessionTrimmer(Map<String, ClosedSession> closed, Clock clock, long startedAt) { this.closed = closed; this.clock = clock; this.lastTrim = startedAt; }

        @Override public void run() {
            long now = clock.millis();
            if (now - lastTrim < TRIM_EVERY) return;
            sizeBefore = closed.size();
            List<String> expired = new ArrayList<>();
            for (Map.Entry<String, ClosedSession> e : closed.entrySet()) {
                ClosedSession c = e.getValue();
                if (FIXED && c.closedAt == null) { malformedDropped++; expired.add(e.getKey()); continue; }
                if (now - c.closedAt > RETENTION) expired.add(e.getKey()); // BUG: closedAt is a Long, null for voided sessions: the NPE cancels the periodic task
            }
            closed.keySet().removeAll(expired);
            removed += sizeBefore - closed.size();
            trims++;
            lastTrim = now;
        }
    }

    static final class LaneService {
        final ServiceClock clock = new ServiceClock();
        final Map<String, Member> members = new HashMap<>();
        final String[] memberNos = new String[MEMBERS];
        final ScorecardCache scorecards = new ScorecardCache();
        final ArrayDeque<byte[]> targetBuffers = new ArrayDeque<>();
        final ThrowEvent[] recentThrows = new ThrowEvent[RING];
        final Map<String, LaneSession> open = new HashMap<>();
        final LaneSession[] slots = new LaneSession[SLOTS];
        final Map<String, ClosedSession> closed = new ConcurrentHashMap<>();
        final ArrayDeque<ReceiptMail> receipts = new ArrayDeque<>();
        final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "closed-session-trim");
            th.setDaemon(true);
            return th;
        });
        ClosedSessionTrimmer trimmer;
        ScheduledFuture<?> trimTask;
        long throwCount, opened, closedCount, voided, receiptsSent, scorecardRenders, scorecardHits, bufferUses, startedAt, firstVoidAt, diedAt;
        int sizeAtDeath = -1;
        int freeSlot;

        void startHousekeeping(long startedAt) {
            this.startedAt = startedAt;
            clock.millis = startedAt;
            trimmer = new ClosedSessionTrimmer(closed, clock, startedAt);
            trimTask = housekeeping.scheduleAtFixedRate(trimmer, 1, 1, TimeUnit.MILLISECONDS);
        }

        /** Moves the clock to a trim boundary and lets the trimmer run (if it still runs). */
        void advanceTo(long t) {
            clock.millis = t;
            if (t > startedAt && (t - startedAt) % TRIM_EVERY == 0) {
                while (trimmer.lastTrim != t && !trimTask.isDone()) LockSupport.parkNanos(50_000);
                if (trimTask.isDone() && sizeAtDeath < 0) { sizeAtDeath = closed.size(); diedAt = t; }
            }
        }

        void open(LaneSession s) {
            open.put(s.sessionId, s);
            while (slots[freeSlot] != null) freeSlot = (freeSlot + 1) % SLOTS;
            s.slot = freeSlot;
            slots[freeSlot] = s;
            opened++;
        }

        /** Closes a session; voidedByManager: the venue manager voided it from the back office (refunded test or no-show bookings). */
        void close(LaneSession s, long t, boolean voidedByManager) {
            open.remove(s.sessionId);
            slots[s.slot] = null;
            long bill = 2_400L * s.players.length + (s.target.equals("standard") ? 0 : 600);
            StringBuilder receipt = new StringBuilder(256);
            receipt.append("Lane ").append(s.laneId).append(" @ ").append(s.venueCode).append(", game: ").append(s.target).append(", players: ").append(s.players.length)
                    .append(", throws ").append(s.throwsMade).append(", bullseyes ").append(s.bullseyes).append(", total GBP ").append(bill / 100).append('.')
                    .append(String.format("%02d", bill % 100)).append(", incl. VAT 20%; thanks for throwing with us, book again at axe.example/").append(s.venueCode);
            SessionSummary summary = new SessionSummary(s.players, s.points, s.throwsMade, s.bullseyes, bill, receipt.toString());
            if (voidedByManager) {
                closed.put(s.sessionId, new ClosedSession(s.sessionId, s.laneId, s.venueCode, null, summary)); // back-office void: no close time
                if (voided++ == 0) firstVoidAt = t;
            } else {
                closed.put(s.sessionId, new ClosedSession(s.sessionId, s.laneId, s.venueCode, t, summary));
            }
            receipts.addLast(new ReceiptMail(s.sessionId, s.players[0] + "@members.axe.example", "Your game at " + s.venueCode + " (" + s.laneId + ")", t));
            closedCount++;
        }

        void recordThrow(LaneSession s, Random r, long t) {
            int round = (s.throwsMade / s.players.length) % 10;
            int player = s.throwsMade % s.players.length;
            int points = r.nextInt(10) == 0 ? 6 : r.nextInt(6);
            if (points == 6) s.bullseyes++;
            s.points[player * 10 + round] += points;
            s.throwsMade++;
            recentThrows[(int) (throwCount++ % RING)] = new ThrowEvent(s.sessionId, s.players[player], round, points, t);
        }

        void scorecard(String memberNo, Random r, long t) {
            Scorecard c = scorecards.get(memberNo);
            if (c != null) { scorecardHits++; return; }
            byte[] buf = targetBuffers.poll();
            buf[(int) (t % buf.length)] = (byte) memberNo.length();
            targetBuffers.add(buf);
            bufferUses++;
            scorecards.put(memberNo, new Scorecard(memberNo, new byte[400 + r.nextInt(400)], t));
            scorecardRenders++;
        }
    }

    static LaneService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static LaneSession newSession(LaneService svc, Random r, long openedAt, int seq) {
        Venue v = VENUES_BY_CODE.get("AXV-" + (100 + r.nextInt(VENUES)));
        int n = 2 + r.nextInt(5);
        String[] players = new String[n];
        for (int k = 0; k < n; k++) players[k] = svc.memberNos[r.nextInt(MEMBERS)];
        long endsAt = openedAt + (45 + r.nextInt(46)) * MINUTE;
        return new LaneSession("LS-" + Long.toString(openedAt / SECOND, 36) + "-" + (700_000 + seq), v.code() + "/L" + (1 + r.nextInt(v.lanes())), v.code(),
                TARGETS[r.nextInt(TARGETS.length)], players, openedAt, endsAt);
    }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(141_010_001);
        String[] cities = {"Leeds", "Bristol", "Glasgow", "Cardiff", "Belfast", "Norwich", "Derby", "Exeter", "Dundee", "York", "Hull", "Bath"};
        for (int v = 0; v < VENUES; v++) {
            double[] u = new double[48];
            for (int j = 0; j < u.length; j++) u[j] = rnd.nextDouble();
            String code = "AXV-" + (100 + v);
            VENUES_BY_CODE.put(code, new Venue(code, cities[v % cities.length], 4 + rnd.nextInt(9), u));
        }
        LaneService svc = new LaneService();
        SERVICE = svc;
        for (int m = 0; m < MEMBERS; m++) {
            svc.memberNos[m] = "AXM-" + (300_000 + m * 7);
            svc.members.put(svc.memberNos[m], new Member(svc.memberNos[m], FIRST[rnd.nextInt(FIRST.length)] + " " + LAST[rnd.nextInt(LAST.length)],
                    now - (long) (6_600 + rnd.nextInt(18_000)) * DAY, "AXV-" + (100 + rnd.nextInt(VENUES)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_400)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.targetBuffers.add(new byte[32_768]);

        Random traffic = new Random(141_010_002), throwsRnd = new Random(141_010_003), cards = new Random(141_010_004), voids = new Random(141_010_074);
        PriorityQueue<LaneSession> ends = new PriorityQueue<>((a, b) -> Long.compare(a.endsAt, b.endsAt));
        int seq = 0;
        // The venues were busy before the period starts: the sessions opened in the 90 minutes before it that are still on.
        for (long t = start - 90 * MINUTE; t < start; t += MINUTE) {
            for (int k = 0; k < OPENS_PER_MINUTE; k++) {
                LaneSession s = newSession(svc, traffic, t + k * 2 * SECOND, seq++);
                if (s.endsAt > start) { svc.open(s); ends.add(s); }
            }
        }
        svc.startHousekeeping(start);
        for (long t = start; t < end; t += MINUTE) {
            svc.advanceTo(t);
            while (!ends.isEmpty() && ends.peek().endsAt <= t) svc.close(ends.poll(), t, voids.nextInt(300) == 0);
            for (int k = 0; k < OPENS_PER_MINUTE; k++) {
                LaneSession s = newSession(svc, traffic, t + k * 2 * SECOND, seq++);
                svc.open(s);
                ends.add(s);
            }
            for (int k = 0; k < THROWS_PER_MINUTE; k++) {
                LaneSession s = svc.slots[throwsRnd.nextInt(SLOTS)];
                if (s != null) svc.recordThrow(s, throwsRnd, t + k * 600L);
            }
            for (int k = 0; k < SCORECARDS_PER_MINUTE; k++) svc.scorecard(svc.memberNos[cards.nextInt(MEMBERS)], cards, t + k * SECOND);
            while (!svc.receipts.isEmpty() && svc.receipts.peekFirst().queuedAt() <= t - RECEIPT_LAG_MINUTES * MINUTE) {
                svc.receipts.pollFirst();
                svc.receiptsSent++;
            }
        }
    }

    static int liveThreads(String name) {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().equals(name) && th.isAlive()) n++;
        return n;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val141.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) {
        LaneService svc = SERVICE;
        ClosedSessionTrimmer tr = svc.trimmer;
        long voidedInMap = 0, oldest = Long.MAX_VALUE, older = 0, older15 = 0;
        for (ClosedSession c : svc.closed.values()) {
            if (c.closedAt == null) voidedInMap++;
            else {
                oldest = Math.min(oldest, c.closedAt);
                if (svc.clock.millis() - c.closedAt > RETENTION) older++;
                if (svc.clock.millis() - c.closedAt > RETENTION + TRIM_EVERY) older15++;
            }
        }
        String died = svc.trimTask.isDone() ? "died at " + (svc.diedAt - svc.startedAt) / MINUTE + " min after " + tr.trims + " trims (first void closed at " + (svc.firstVoidAt - svc.startedAt) / MINUTE
                + " min; removed " + tr.removed + " before, " + (tr.sizeBefore - svc.sizeAtDeath) + " in the failing run)" : "running, " + tr.trims + " trims, removed " + tr.removed + ", malformed dropped " + tr.malformedDropped;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " venues " + VENUES_BY_CODE.size() + " members " + svc.members.size() + " opened " + svc.opened + " closed " + svc.closedCount
                + " (voided " + svc.voided + ") open " + svc.open.size() + " closed-map " + svc.closed.size() + " (voided " + voidedInMap + ", older than 10 min " + older
                + ", oldest " + (oldest == Long.MAX_VALUE ? 0 : (svc.clock.millis() - oldest) / MINUTE) + " min) trimmer " + died + " throws " + svc.throwCount
                + " scorecards " + svc.scorecards.size() + " (renders " + svc.scorecardRenders + ", hits " + svc.scorecardHits + ", evicted " + svc.scorecards.evicted + ") pool " + svc.targetBuffers.size()
                + " receipts backlog " + svc.receipts.size() + " (sent " + svc.receiptsSent + ") trim threads " + liveThreads("closed-session-trim"));
        check(VENUES_BY_CODE.size() == VENUES && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.scorecards.size() == SCORECARD_CAP && svc.scorecards.evicted > 0 && svc.targetBuffers.size() == POOL, "scorecard cache at cap / pool");
        check(svc.recentThrows[RING - 1] != null, "throw ring full");
        check(svc.closedCount == svc.receiptsSent + svc.receipts.size() && svc.receipts.size() > 0, "receipt backlog");
        check(liveThreads("closed-session-trim") == 1, "trim thread alive");
        if (FIXED) {
            check(!svc.trimTask.isDone() && older15 == 0 && voidedInMap <= svc.voided, "fixed trimmer keeps running");
        } else {
            check(svc.trimTask.isDone() && tr.trims == 4 && tr.removed == 230 && svc.diedAt - svc.startedAt == 25 * MINUTE && svc.firstVoidAt - svc.startedAt == 23 * MINUTE, "trimmer died at its 5th run (25 minutes in)");
            long[][] expected = {{2_953, 2_723, 1_730}, {5_959, 5_729, 1_724}, {11_988, 11_758, 1_695}}; // closed, closed-map entries, open
            check(svc.closedCount == expected[stage - 1][0] && svc.closed.size() == expected[stage - 1][1] && svc.open.size() == expected[stage - 1][2],
                    "closed " + svc.closedCount + " / map " + svc.closed.size() + " / open " + svc.open.size());
        }
    }
}
