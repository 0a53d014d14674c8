// hprofscan-dump: name=val12-leak-crewsched-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val12-leak-crewsched-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val12-leak-crewsched jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val12-leak-crewsched-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 12 (written blind), LEAK, a series: the crew scheduling service of an airline.
 * Every roster query (a planner's what-if on a pairing) is a short-lived object that registers an
 * anonymous listener on the long-lived duty event bus, so that a disruption during the query
 * marks it stale; the query never unregisters it. The listener (an anonymous inner class) keeps
 * its query, with the candidate crew and the legality report. Stage 1 is the dump after 2
 * simulated hours (5,000 finished queries), stage 2 after 4 hours (10,000), stage 3 after 8 hours
 * (20,000); in every stage 12 service-wide listeners are legitimately registered. Beside it: the
 * crew directory and the airport directory (loaded at startup), the pairings of the published
 * month, a duty-event ring and a fixed pool of legality checkers with a scratch each. See
 * testdata/VALIDATION12.md.
 */
public final class Val12LeakCrewScheduling {
    static final int CREW = 30_000;
    static final int AIRPORTS = 2_500;
    static final int PAIRINGS = 12_000;
    static final int SERVICE_LISTENERS = 12;
    static final int EVENT_RING = 1_024;
    static final int CHECKERS = 3;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static RosterService RUNNING;

    static final class CrewMember {
        final int employeeId; final String name; final String base; final String rank; final String[] qualifications; final long hiredAt; final long medicalValidUntil;
        CrewMember(int employeeId, String name, String base, String rank, String[] qualifications, long hiredAt, long medicalValidUntil) { this.employeeId = employeeId; this.name = name; this.base = base; this.rank = rank; this.qualifications = qualifications; this.hiredAt = hiredAt; this.medicalValidUntil = medicalValidUntil; }
    }

    /** Reference data: every pilot and cabin crew member, loaded at startup. */
    static final class CrewDirectory {
        static final Map<Integer, CrewMember> BY_ID = new HashMap<>();
    }

    static final class Airport {
        final String iata; final String icao; final String name; final String timezone; final int minConnectMinutes; final double lat; final double lon;
        Airport(String iata, String icao, String name, String timezone, int minConnectMinutes, double lat, double lon) { this.iata = iata; this.icao = icao; this.name = name; this.timezone = timezone; this.minConnectMinutes = minConnectMinutes; this.lat = lat; this.lon = lon; }
    }

    /** Reference data: airports of the network, loaded at startup. */
    static final class AirportDirectory {
        static final Map<String, Airport> BY_IATA = new HashMap<>();
    }

    static final class Pairing {
        final String pairingId; final String base; final String[] legs; final long reportAt; final long releaseAt; final int creditMinutes;
        Pairing(String pairingId, String base, String[] legs, long reportAt, long releaseAt, int creditMinutes) { this.pairingId = pairingId; this.base = base; this.legs = legs; this.reportAt = reportAt; this.releaseAt = releaseAt; this.creditMinutes = creditMinutes; }
    }

    static final class DutyEvent { long at; String kind; String flight; int delayMinutes; }

    interface DutyListener { void onDutyEvent(DutyEvent e); }

    /** The long-lived duty event bus. */
    static final class DutyEventBus {
        /** THE LEAK: every roster query adds an anonymous listener here and never removes it. */
        final List<DutyListener> listeners = new ArrayList<>();
        void register(DutyListener l) { listeners.add(l); }
        void unregister(DutyListener l) { listeners.remove(l); }
        void publish(DutyEvent e) { for (DutyListener l : listeners) l.onDutyEvent(e); }
    }

    /** A service-wide listener (metrics, the ops dashboard), registered once at startup. */
    static final class OpsDashboardFeed implements DutyListener {
        final String channel; long seen;
        OpsDashboardFeed(String channel) { this.channel = channel; }
        public void onDutyEvent(DutyEvent e) { seen++; }
    }

    /** A planner's what-if on one pairing: short-lived, finished within seconds. */
    static final class RosterQuery {
        final String queryId; final String planner; final Pairing pairing; final int[] candidateCrew; final long startedAt;
        long finishedAt; boolean stale; String legalityReport; final byte[] solverState;
        RosterQuery(String queryId, String planner, Pairing pairing, int[] candidateCrew, long startedAt, byte[] solverState) { this.queryId = queryId; this.planner = planner; this.pairing = pairing; this.candidateCrew = candidateCrew; this.startedAt = startedAt; this.solverState = solverState; }
        void run(DutyEventBus bus, long t, Random rnd) {
            bus.register(new DutyListener() {
                public void onDutyEvent(DutyEvent e) { if (pairing.legs[0].equals(e.flight)) stale = true; }
            });
            legalityReport = "FDP ok; rest " + (10 + rnd.nextInt(6)) + "h; crew " + candidateCrew.length + "; " + pairing.pairingId;
            finishedAt = t + 200 + rnd.nextInt(3_000);
            // the fixed service: bus.unregister(listener) here
        }
    }

    static final class RosterService {
        final DutyEventBus bus = new DutyEventBus();
        final Map<String, Pairing> pairings = new HashMap<>();
        final DutyEvent[] eventRing = new DutyEvent[EVENT_RING];
        long events;
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor checkers = new ThreadPoolExecutor(CHECKERS, CHECKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "legality-check-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        static final ThreadLocal<long[]> SCRATCH = ThreadLocal.withInitial(() -> new long[8_192]);
        final Properties config = new Properties();
        RosterService() { for (int i = 0; i < EVENT_RING; i++) eventRing[i] = new DutyEvent(); }
        void event(long t, String kind, String flight, int delay) {
            DutyEvent e = eventRing[(int) (events++ % EVENT_RING)];
            e.at = t; e.kind = kind; e.flight = flight; e.delayMinutes = delay;
            bus.publish(e);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val12.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = 1L << stage; // 2, 4, 8
        int queries = 2_500 << stage; // 5,000, 10,000, 20,000
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(12_010_001);
        RosterService svc = new RosterService();
        RUNNING = svc;
        for (int i = 0; i < 90; i++) svc.config.setProperty("roster.rule." + i, "limit-" + (i * 13 % 97));
        for (int i = 0; i < AIRPORTS; i++) {
            String iata = "" + (char) ('A' + i / 676 % 26) + (char) ('A' + i / 26 % 26) + (char) ('A' + i % 26);
            AirportDirectory.BY_IATA.put(iata, new Airport(iata, "K" + iata, "Airport " + iata, "UTC" + (i % 24 - 11), 30 + i % 60, rnd.nextDouble() * 180 - 90, rnd.nextDouble() * 360 - 180));
        }
        String[] bases = {"AAA", "AAB", "AAC", "AAD", "AAE", "AAF"};
        String[] ranks = {"CPT", "FO", "SO", "PUR", "FA"};
        for (int i = 0; i < CREW; i++) {
            int id = 100_000 + i;
            CrewDirectory.BY_ID.put(id, new CrewMember(id, "Crew Member " + i, bases[i % bases.length], ranks[i % ranks.length], new String[] {"A320", i % 3 == 0 ? "A330" : "B737"}, now - DAY * (100 + rnd.nextInt(9_000)), now + DAY * (10 + rnd.nextInt(700))));
        }
        for (int i = 0; i < PAIRINGS; i++) {
            String id = "P" + (20_000 + i);
            String[] legs = new String[2 + rnd.nextInt(3)];
            for (int k = 0; k < legs.length; k++) legs[k] = "XY" + (100 + (i * 7 + k) % 8_900);
            long report = now - DAY * 5 + rnd.nextInt(30) * DAY;
            svc.pairings.put(id, new Pairing(id, bases[i % bases.length], legs, report, report + 10 * HOUR, 300 + rnd.nextInt(400)));
        }
        for (int i = 0; i < SERVICE_LISTENERS; i++) svc.bus.register(new OpsDashboardFeed("ops-" + i));
        CyclicBarrier warm = new CyclicBarrier(CHECKERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < CHECKERS; w++) fs.add(svc.checkers.submit(() -> { RosterService.SCRATCH.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        String[] pairingIds = svc.pairings.keySet().toArray(new String[0]);
        java.util.Arrays.sort(pairingIds);
        int finished = 0;
        for (int i = 0; i < queries; i++) {
            long t = start + (now - 2 * MINUTE - start) * i / queries;
            Pairing p = svc.pairings.get(pairingIds[rnd.nextInt(pairingIds.length)]);
            int[] crew = new int[8 + rnd.nextInt(17)];
            for (int k = 0; k < crew.length; k++) crew[k] = 100_000 + rnd.nextInt(CREW);
            byte[] state = new byte[256 + rnd.nextInt(512)];
            rnd.nextBytes(state);
            RosterQuery q = new RosterQuery(java.util.UUID.randomUUID().toString(), "planner" + rnd.nextInt(40), p, crew, t, state);
            int before = svc.bus.listeners.size();
            q.run(svc.bus, t, rnd);
            if (fixed) svc.bus.listeners.remove(before); // the fixed query unregisters its listener
            if (q.finishedAt > 0) finished++;
            if (i % 4 == 0) svc.event(t, rnd.nextBoolean() ? "DELAY" : "SWAP", p.legs[0], rnd.nextInt(120));
        }
        int anonymous = 0, ops = 0;
        for (DutyListener l : svc.bus.listeners) { if (l instanceof OpsDashboardFeed) ops++; else anonymous++; }
        int leaked = fixed ? 0 : queries;
        System.out.println("stage " + stage + " crew " + CrewDirectory.BY_ID.size() + " airports " + AirportDirectory.BY_IATA.size() + " pairings " + svc.pairings.size()
                + " listeners " + svc.bus.listeners.size() + " (query " + anonymous + ", ops " + ops + ") queries " + queries + " finished " + finished + " events " + svc.events);
        check(CrewDirectory.BY_ID.size() == CREW && AirportDirectory.BY_IATA.size() == AIRPORTS && svc.pairings.size() == PAIRINGS, "reference data");
        check(anonymous == leaked && ops == SERVICE_LISTENERS && finished == queries && svc.bus.listeners.size() == leaked + SERVICE_LISTENERS, "listeners");
        check(svc.events > EVENT_RING && svc.checkers.getPoolSize() == CHECKERS, "ring/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
