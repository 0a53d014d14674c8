// hprofscan-dump: name=val33-healthy-skatingrinks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val33-healthy-skatingrinks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 33 (written blind), HEALTHY: the operations service of a city's public skating
 * rinks. Rink reference data, the member directory, a cache of rendered session schedules at its
 * cap, a ring of turnstile scans, a pool of ticket-printer buffers, a fixed crew of three
 * ice-resurfacing planner threads that wait for work on a queue (each with its own scratch buffer;
 * every job's latch is counted down, on failure too), and the rink settings with a
 * PropertyChangeSupport whose five listeners are components registered once at startup. See
 * VALIDATION33.md.
 */
public final class Val33HealthySkatingRinks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int RINKS = 900, MEMBERS = 30_000, SCHEDULE_CAP = 2_000, POOL = 8, RING = 16_384, SCANS = 60_000, HOURS = 10, PLANNERS = 3, PLAN_JOBS = 600;

    record Rink(String code, String park, double[] iceTemperatureByHalfHour) {}
    record Member(String memberNo, String name, String homeRink, byte[] waiverAndPasses, long joinedAt) {}
    record Schedule(String key, byte[] rendered, long at) {}
    record TurnstileScan(String memberNo, String rinkCode, long at) {}

    static final class RinkSettings {
        private final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        int iceTempDeciC = -45; String musicPolicy = "public"; long fired;
        void addPropertyChangeListener(PropertyChangeListener l) { changes.addPropertyChangeListener(l); }
        int listenerCount() { return changes.getPropertyChangeListeners().length; }
        void setIceTemp(int t) { int old = iceTempDeciC; iceTempDeciC = t; if (old != t) fired++; changes.firePropertyChange("iceTempDeciC", old, t); }
    }

    /** A component of the service that reacts to settings changes; registered once, lives as long as the service. */
    static final class SettingsSubscriber implements PropertyChangeListener {
        final String component; long seen;
        SettingsSubscriber(String component) { this.component = component; }
        @Override public void propertyChange(PropertyChangeEvent e) { seen++; }
    }

    /** A resurfacing plan request for one rink; the planner always counts the latch down. */
    static final class PlanJob {
        final String rinkCode; final long at; final CountDownLatch done = new CountDownLatch(1); String result;
        PlanJob(String rinkCode, long at) { this.rinkCode = rinkCode; this.at = at; }
    }

    /** Fixed crew of planner threads; idle ones wait in queue.take(). */
    static final class PlannerCrew {
        final BlockingQueue<PlanJob> queue = new LinkedBlockingQueue<>();
        final List<Thread> workers = new ArrayList<>();
        long planned, failed;
        void start() {
            for (int w = 0; w < PLANNERS; w++) {
                Thread t = new Thread(this::work, "resurfacing-planner-" + (w + 1));
                t.setDaemon(true);
                workers.add(t);
                t.start();
            }
        }
        void work() {
            byte[] scratch = new byte[16_384];
            while (true) {
                PlanJob job;
                try { job = queue.take(); } catch (InterruptedException e) { return; }
                try {
                    if (job.rinkCode.hashCode() % 13 == 0) throw new IllegalStateException("no ice sensor data for " + job.rinkCode);
                    scratch[(int) (job.at % scratch.length)]++;
                    job.result = "resurface " + job.rinkCode + " at +" + (job.at % 90) + "min";
                    synchronized (this) { planned++; }
                } catch (RuntimeException e) {
                    job.result = "FAILED: " + e.getMessage();
                    synchronized (this) { failed++; }
                } finally {
                    job.done.countDown();
                }
            }
        }
    }

    static final class ScheduleCache extends LinkedHashMap<String, Schedule> {
        long evicted;
        ScheduleCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Schedule> e) { if (size() > SCHEDULE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Rink> RINKS_BY_CODE = new HashMap<>();

    static final class RinkService {
        final Map<String, Member> members = new HashMap<>();
        final ScheduleCache schedules = new ScheduleCache();
        final TurnstileScan[] scans = new TurnstileScan[RING];
        long scanned;
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final PlannerCrew planners = new PlannerCrew();
        final RinkSettings settings = new RinkSettings();
    }

    static RinkService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(33_060_001);
        String[] rinkCodes = new String[RINKS];
        for (int r = 0; r < RINKS; r++) {
            double[] temps = new double[96];
            for (int k = 0; k < temps.length; k++) temps[k] = -7 + rnd.nextDouble() * 4;
            rinkCodes[r] = "RINK-" + (r / 30) + "-" + (r % 30);
            RINKS_BY_CODE.put(rinkCodes[r], new Rink(rinkCodes[r], "Park " + (r / 30), temps));
        }
        RinkService svc = new RinkService();
        SERVICE = svc;
        List<SettingsSubscriber> subscribers = new ArrayList<>();
        for (String c : new String[] {"scoreboards", "public-address", "lighting", "refrigeration", "audit"}) {
            SettingsSubscriber s = new SettingsSubscriber(c);
            subscribers.add(s);
            svc.settings.addPropertyChangeListener(s);
        }
        String[] memberNos = new String[MEMBERS];
        String[] first = {"Ada", "Bo", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivo", "June"};
        for (int m = 0; m < MEMBERS; m++) {
            memberNos[m] = "SK" + (3_000_000 + m * 17);
            svc.members.put(memberNos[m], new Member(memberNos[m], first[m % first.length] + " " + (m % 997), rinkCodes[rnd.nextInt(RINKS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.ticketBuffers.add(new byte[32_768]);
        svc.planners.start();
        Random traffic = new Random(33_060_002);
        long span = HOURS * HOUR - 2 * MINUTE;
        int jobs = 0, failedSeen = 0;
        for (int i = 0; i < SCANS; i++) {
            long at = start + span * i / SCANS;
            String member = memberNos[traffic.nextInt(MEMBERS)];
            String rink = rinkCodes[traffic.nextInt(RINKS)];
            svc.scans[(int) (svc.scanned++ % RING)] = new TurnstileScan(member, rink, at);
            String key = rink + "@" + traffic.nextInt(8);
            if (svc.schedules.get(key) == null) svc.schedules.put(key, new Schedule(key, new byte[600 + traffic.nextInt(600)], at));
            byte[] ticket = svc.ticketBuffers.poll();
            ticket[i % ticket.length] = (byte) i;
            svc.ticketBuffers.add(ticket);
            if (i % (SCANS / PLAN_JOBS) == 0) {
                PlanJob job = new PlanJob(rinkCodes[traffic.nextInt(RINKS)], at);
                svc.planners.queue.add(job);
                job.done.await();
                jobs++;
                if (job.result.startsWith("FAILED")) failedSeen++;
            }
            if (i % (SCANS / HOURS) == SCANS / HOURS / 2) svc.settings.setIceTemp(-45 - (i / (SCANS / HOURS)) % 3 * 5);
        }
        // The crew is idle: every worker waits in queue.take().
        long deadline = System.currentTimeMillis() + 30_000;
        for (Thread t : svc.planners.workers) {
            while (t.getState() != Thread.State.WAITING) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("planner not idle: " + t.getName() + " " + t.getState());
                Thread.sleep(1);
            }
        }
        PlannerCrew crew = svc.planners;
        long planned, failed;
        synchronized (crew) { planned = crew.planned; failed = crew.failed; }
        System.out.println("rinks " + RINKS_BY_CODE.size() + " members " + svc.members.size() + " scans " + svc.scanned + " schedules " + svc.schedules.size() + " (evicted " + svc.schedules.evicted + ") pool " + svc.ticketBuffers.size()
                + " planner jobs " + jobs + " (planned " + planned + ", failed " + failed + ", queue " + crew.queue.size() + ") settings listeners " + svc.settings.listenerCount() + " (changes " + svc.settings.fired + ")");
        check(RINKS_BY_CODE.size() == RINKS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.scanned == SCANS && svc.scans[RING - 1] != null, "scan ring wrapping");
        check(svc.schedules.size() == SCHEDULE_CAP && svc.schedules.evicted > 0, "schedule cache at cap");
        check(svc.ticketBuffers.size() == POOL, "pool");
        check(jobs == PLAN_JOBS && planned + failed == PLAN_JOBS && failed == failedSeen && failed > 0 && crew.queue.isEmpty() && crew.workers.size() == PLANNERS, "planner crew idle");
        check(svc.settings.listenerCount() == subscribers.size() && svc.settings.fired == HOURS - 1 && subscribers.get(0).seen == HOURS - 1, "settings listeners constant");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
