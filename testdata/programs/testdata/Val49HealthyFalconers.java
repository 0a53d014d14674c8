// hprofscan-dump: name=val49-healthy-falconers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val49-healthy-falconers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val49-healthy-falconers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val49-healthy-falconers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Validation set 49 (written blind), HEALTHY: the dispatch service of a falconry bird-control
 * company (hawks and falcons flown at airfields, landfills and ports). Site reference data, the
 * contract directory, a cache of rendered bird-risk maps at its cap, a pool of tablet-sync
 * buffers, a ring of bird sightings, the falconers' tablet sessions (each registers a per-session
 * statistics MBean with the platform MBeanServer at login and unregisters it at logout: only open
 * sessions are registered), and the half-hourly patrol-report jobs (each adds a java.util.logging
 * Handler to the shared logger to collect its own lines and removes it in a finally block; a
 * long-lived handler keeps the last 2,048 log lines). Warms up, then flat. See VALIDATION49.md.
 */
public final class Val49HealthyFalconers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SITES = 1_400, CONTRACTS = 24_000, MAP_CAP = 2_000, POOL = 8, RING = 16_384, LOG_RING = 2_048,
            SIGHTINGS_PER_HOUR = 6_000, SESSIONS_PER_HOUR = 360, RECENT = 8, REPORT_GROUPS = 20;
    static final String DOMAIN = "com.hawkwatch.dispatch";
    static final Logger LOG = Logger.getLogger("com.hawkwatch.patrols");

    record Site(String code, String kind, double[] strikeRiskByWeek) {}
    record Contract(String contractNo, String siteCode, String client, byte[] terms, long signedAt) {}
    record RiskMap(String key, byte[] rendered, long at) {}
    record Sighting(String siteCode, String species, int count, long at) {}
    record SyncRecord(String kind, int items, long at) {}

    public interface TabletSessionMBean {
        String getSessionId();
        String getFalconer();
        long getLoggedInAt();
        long getSyncs();
        long getSightingsReported();
    }

    public static final class TabletSession implements TabletSessionMBean {
        final String sessionId, falconer;
        final long loggedInAt;
        long syncs, sightingsReported;
        final ArrayDeque<SyncRecord> recent = new ArrayDeque<>(RECENT);
        TabletSession(String sessionId, String falconer, long loggedInAt) { this.sessionId = sessionId; this.falconer = falconer; this.loggedInAt = loggedInAt; }
        void record(SyncRecord r) { syncs++; sightingsReported += r.items(); if (recent.size() == RECENT) recent.removeFirst(); recent.addLast(r); }
        @Override public String getSessionId() { return sessionId; }
        @Override public String getFalconer() { return falconer; }
        @Override public long getLoggedInAt() { return loggedInAt; }
        @Override public long getSyncs() { return syncs; }
        @Override public long getSightingsReported() { return sightingsReported; }
    }

    record Login(TabletSession stats, ObjectName name, long logoutAt) {}

    /** The ops console's tail of the log (legitimately long-lived, bounded). */
    static final class RecentLogHandler extends Handler {
        final String[] lines = new String[LOG_RING];
        long published;
        @Override public void publish(LogRecord r) { lines[(int) (published++ % LOG_RING)] = r.getMessage(); }
        @Override public void flush() {}
        @Override public void close() {}
    }

    /** Collects one report job's own lines; removed from the logger when the job ends. */
    static final class PatrolReportHandler extends Handler {
        final String jobId;
        final List<String> lines = new ArrayList<>();
        PatrolReportHandler(String jobId) { this.jobId = jobId; }
        @Override public void publish(LogRecord r) {
            Object[] p = r.getParameters();
            if (p != null && p.length > 0 && jobId.equals(p[0])) lines.add(r.getLevel().getName() + " " + r.getMessage());
        }
        @Override public void flush() {}
        @Override public void close() {}
    }

    static final class RiskMapCache extends LinkedHashMap<String, RiskMap> {
        long evicted;
        RiskMapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RiskMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Contract> contracts = new HashMap<>();
        final RiskMapCache riskMaps = new RiskMapCache();
        final ArrayDeque<byte[]> tabletBuffers = new ArrayDeque<>();
        final Sighting[] sightings = new Sighting[RING];
        long sighted;
        final Map<String, Login> loggedIn = new HashMap<>();
        final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        long logins, logouts, reportJobs, reportLines;
        final RecentLogHandler recentLog = new RecentLogHandler();

        Login login(String id, String falconer, long at, long logoutAt) throws Exception {
            TabletSession s = new TabletSession(id, falconer, at);
            ObjectName name = new ObjectName(DOMAIN + ":type=TabletSession,session=" + id);
            mbs.registerMBean(s, name);
            Login l = new Login(s, name, logoutAt);
            loggedIn.put(id, l);
            logins++;
            return l;
        }

        void logout(Login l) throws Exception {
            loggedIn.remove(l.stats().sessionId);
            mbs.unregisterMBean(l.name());
            logouts++;
        }

        void reportJob(int group, long at, String[] siteCodes, Random r) {
            String jobId = "PR-" + group + "-" + Long.toString(at / MINUTE, 36);
            PatrolReportHandler h = new PatrolReportHandler(jobId);
            LOG.addHandler(h);
            try {
                int n = 10 + r.nextInt(20);
                for (int k = 0; k < n; k++) {
                    String site = siteCodes[r.nextInt(siteCodes.length)];
                    LOG.log(Level.INFO, "patrol " + site + ": " + (1 + r.nextInt(60)) + " gulls dispersed, " + r.nextInt(12) + " min flight, bird " + "HW-" + r.nextInt(80), jobId);
                }
                reportLines += h.lines.size();
            } finally {
                LOG.removeHandler(h);
            }
            reportJobs++;
        }
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int sightings = SIGHTINGS_PER_HOUR * hours;
        int sessions = SESSIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(49_050_001);
        String[] kinds = {"Airfield", "Landfill", "Port", "Reservoir", "Stadium", "Food plant"};
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] risk = new double[64];
            for (int k = 0; k < risk.length; k++) risk[k] = rnd.nextDouble();
            siteCodes[s] = "ST-" + (20_000 + s);
            SITES_BY_CODE.put(siteCodes[s], new Site(siteCodes[s], kinds[s % kinds.length], risk));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        LOG.setUseParentHandlers(false);
        LOG.addHandler(svc.recentLog);
        for (int c = 0; c < CONTRACTS; c++) {
            String no = "CT" + (5_000_000 + c * 13);
            svc.contracts.put(no, new Contract(no, siteCodes[rnd.nextInt(SITES)], "Client " + (c % 3_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.tabletBuffers.add(new byte[32_768]);
        String[] species = {"Herring gull", "Feral pigeon", "Starling", "Canada goose", "Rook", "Lapwing", "Black-headed gull", "Jackdaw"};
        Random traffic = new Random(49_050_002);
        Random tablets = new Random(49_050_003);
        Random reports = new Random(49_050_004);
        PriorityQueue<Login> logoutQueue = new PriorityQueue<>((a, b) -> Long.compare(a.logoutAt(), b.logoutAt())); // simulation driver
        int nextSession = 0;
        long nextReport = start + 30 * MINUTE;
        int maxOpen = 0;
        for (int i = 0; i < sightings; i++) {
            long t = start + (end - MINUTE - start) * i / sightings;
            while (!logoutQueue.isEmpty() && logoutQueue.peek().logoutAt() <= t) svc.logout(logoutQueue.poll());
            while (nextSession < sessions && start + (end - MINUTE - start) * nextSession / sessions <= t) {
                String id = "tab-" + Long.toHexString(0x7ab_0000L + nextSession * 13L);
                logoutQueue.add(svc.login(id, "F" + (100 + tablets.nextInt(90)), t, t + (20 + tablets.nextInt(41)) * MINUTE));
                nextSession++;
                maxOpen = Math.max(maxOpen, svc.loggedIn.size());
            }
            while (nextReport <= t) { for (int g = 0; g < REPORT_GROUPS; g++) svc.reportJob(g, nextReport, siteCodes, reports); nextReport += 30 * MINUTE; }
            String site = siteCodes[traffic.nextInt(SITES)];
            svc.sightings[(int) (svc.sighted++ % RING)] = new Sighting(site, species[traffic.nextInt(species.length)], 1 + traffic.nextInt(200), t);
            if (!svc.loggedIn.isEmpty() && i % 4 == 0) {
                Login l = logoutQueue.peek();
                l.stats().record(new SyncRecord("sightings", 1 + traffic.nextInt(6), t));
            }
            String key = "risk-" + traffic.nextInt(3_000);
            if (svc.riskMaps.get(key) == null) svc.riskMaps.put(key, new RiskMap(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.tabletBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.tabletBuffers.add(buf);
        }
        while (!logoutQueue.isEmpty() && logoutQueue.peek().logoutAt() <= end) svc.logout(logoutQueue.poll());
        int open = logoutQueue.size();
        logoutQueue.clear();
        logoutQueue = null;
        int beans = svc.mbs.queryNames(new ObjectName(DOMAIN + ":type=TabletSession,*"), null).size();
        int handlers = LOG.getHandlers().length;
        System.out.println("stage " + stage + " sites " + SITES_BY_CODE.size() + " contracts " + svc.contracts.size() + " sightings " + svc.sighted + " logins " + svc.logins + " logouts " + svc.logouts
                + " logged in " + svc.loggedIn.size() + " (max " + maxOpen + ") session MBeans " + beans + " report jobs " + svc.reportJobs + " report lines " + svc.reportLines + " handlers " + handlers
                + " log lines " + svc.recentLog.published + " risk maps " + svc.riskMaps.size() + " (evicted " + svc.riskMaps.evicted + ") pool " + svc.tabletBuffers.size());
        check(SITES_BY_CODE.size() == SITES && svc.contracts.size() == CONTRACTS, "reference data / directory");
        check(svc.sighted == sightings && svc.sightings[Math.min(sightings, RING) - 1] != null, "sighting ring");
        check(svc.logins == sessions && svc.logouts + open == sessions && svc.loggedIn.size() == open && beans == open, "only logged-in tablets registered: " + beans);
        check(svc.reportJobs == (long) (2 * hours - 1) * REPORT_GROUPS && handlers == 1 && svc.reportLines == svc.recentLog.published, "report handlers removed: " + handlers);
        check(svc.riskMaps.size() == MAP_CAP && svc.riskMaps.evicted > 0, "risk map cache at cap");
        check(svc.tabletBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
