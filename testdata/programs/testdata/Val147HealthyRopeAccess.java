// hprofscan-dump: name=val147-healthy-ropeaccess-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val147-healthy-ropeaccess-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val147-healthy-ropeaccess jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val147-healthy-ropeaccess-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 147 (written blind), HEALTHY: the safety desk of a rope-access (industrial
 * abseiling) contractor. Site reference data, the technician directory, per-crew check-in logs (a
 * map from crew id, a fixed set of 70, to an ArrayDeque trimmed to its last 100 on every append),
 * a Timer on which each descent schedules its permit expiry 24 hours ahead, cancelled when the
 * descent ends and purged every 10 minutes, a cache of rendered wind forecasts at its cap, a ring
 * of anchor inspections and a pool of harness-telemetry buffers. Warms up, then plateaus. See
 * VALIDATION147.md.
 */
public final class Val147HealthyRopeAccess {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, PERMIT_VALIDITY = 24 * HOUR, PURGE_EVERY = 10 * MINUTE;
    static final int SITES = 800, TECHNICIANS = 16_000, CREWS = 70, CREW_LOG_DEPTH = 100, FORECAST_CAP = 1_000, POOL = 8, RING = 4_096;
    static final int CHECKINS_PER_HOUR = 3_000, DESCENTS_PER_HOUR = 1_000;

    record Site(String code, String structure, double[] windProfile) {}
    record Technician(String certNo, String name, int level, byte[] certRecord, long certifiedAt) {}
    record CheckIn(String crewId, String certNo, String siteCode, String status, long at, byte[] note) {}
    record Forecast(String key, byte[] rendered, long at) {}
    record AnchorInspection(String siteCode, int anchor, boolean pass, long at) {}

    static final class Descent {
        final long id; final String certNo, siteCode; final long startedAt; long endedAt; final byte[] rescuePlan;
        PermitExpiry permit;
        Descent(long id, String certNo, String siteCode, long startedAt, byte[] rescuePlan) { this.id = id; this.certNo = certNo; this.siteCode = siteCode; this.startedAt = startedAt; this.rescuePlan = rescuePlan; }
    }

    static final class PermitExpiry extends TimerTask {
        final Descent descent;
        PermitExpiry(Descent d) { descent = d; }
        @Override public void run() { /* would escalate to the supervisor */ }
    }

    static final class WeatherBriefing extends TimerTask {
        @Override public void run() { /* would send the hourly briefing */ }
    }

    static final class ForecastCache extends LinkedHashMap<String, Forecast> {
        long evicted;
        ForecastCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Forecast> e) { if (size() > FORECAST_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();

    static final class SafetyDesk {
        final Map<String, Technician> technicians = new HashMap<>();
        final Map<String, ArrayDeque<CheckIn>> crewLogs = new HashMap<>();
        final Map<Long, Descent> activeDescents = new HashMap<>();
        final Timer permits = new Timer("permit-expiry", true);
        final ForecastCache forecasts = new ForecastCache();
        final AnchorInspection[] inspections = new AnchorInspection[RING];
        final ArrayDeque<byte[]> telemetryBuffers = new ArrayDeque<>();
        long checkIns, trimmedCheckIns, descents, descentsEnded, purges, purgedTasks, cancelledSincePurge, inspected;

        void checkIn(CheckIn c) {
            ArrayDeque<CheckIn> log = crewLogs.computeIfAbsent(c.crewId(), k -> new ArrayDeque<>());
            log.addLast(c);
            while (log.size() > CREW_LOG_DEPTH) { log.pollFirst(); trimmedCheckIns++; }
            checkIns++;
        }
        void startDescent(Descent d) {
            activeDescents.put(d.id, d);
            d.permit = new PermitExpiry(d);
            permits.schedule(d.permit, new Date(d.startedAt + PERMIT_VALIDITY));
            descents++;
        }
        void endDescent(Descent d) {
            activeDescents.remove(d.id);
            d.permit.cancel();
            cancelledSincePurge++;
            descentsEnded++;
        }
        void housekeeping() { purgedTasks += permits.purge(); purges++; cancelledSincePurge = 0; }
    }

    static SafetyDesk SERVICE;
    static int HOURS;
    static long END;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build(int stage) {
        HOURS = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        END = end;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(147_050_001);
        String[] structures = {"wind turbine", "bridge pier", "office facade", "dam wall", "chimney stack", "stadium roof"};
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] wind = new double[64];
            for (int k = 0; k < wind.length; k++) wind[k] = rnd.nextDouble() * 25;
            String code = "RA-" + (6_000 + s);
            siteCodes[s] = code;
            SITES_BY_CODE.put(code, new Site(code, structures[s % structures.length], wind));
        }
        SafetyDesk svc = new SafetyDesk();
        SERVICE = svc;
        svc.permits.scheduleAtFixedRate(new WeatherBriefing(), new Date(end - end % HOUR + HOUR), HOUR);
        String[] certs = new String[TECHNICIANS];
        for (int t = 0; t < TECHNICIANS; t++) {
            String cert = "IR" + (300_000 + t);
            certs[t] = cert;
            svc.technicians.put(cert, new Technician(cert, "Tech " + (t % 12_000), 1 + rnd.nextInt(3), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        String[] crews = new String[CREWS];
        for (int c = 0; c < CREWS; c++) crews[c] = "crew-" + (10 + c);
        for (int i = 0; i < POOL; i++) svc.telemetryBuffers.add(new byte[32_768]);
        Random traffic = new Random(147_050_002);
        String[] statuses = {"ON_ROPE", "OFF_ROPE", "BREAK", "RESCUE_DRILL", "SIGNED_OFF"};
        int checkIns = CHECKINS_PER_HOUR * HOURS;
        PriorityQueue<Descent> endings = new PriorityQueue<>((a, b) -> a.endedAt != b.endedAt ? Long.compare(a.endedAt, b.endedAt) : Long.compare(a.id, b.id));
        long nextPurge = start + PURGE_EVERY;
        for (int i = 0; i < checkIns; i++) {
            long t = start + (end - MINUTE - start) * i / checkIns;
            while (!endings.isEmpty() && endings.peek().endedAt <= t) svc.endDescent(endings.poll());
            while (nextPurge <= t) { svc.housekeeping(); nextPurge += PURGE_EVERY; }
            int crew = traffic.nextInt(5) == 0 ? traffic.nextInt(10) : traffic.nextInt(CREWS);
            String cert = certs[traffic.nextInt(TECHNICIANS)];
            String site = siteCodes[traffic.nextInt(SITES)];
            svc.checkIn(new CheckIn(crews[crew], cert, site, statuses[traffic.nextInt(statuses.length)], t, new byte[40 + traffic.nextInt(60)]));
            if (i % 3 == 0) { // one descent per three check-ins
                Descent d = new Descent(90_000_000L + i, cert, site, t, new byte[200 + traffic.nextInt(200)]);
                svc.startDescent(d);
                d.endedAt = t + (20 + traffic.nextInt(101)) * MINUTE;
                endings.add(d);
            }
            svc.inspections[(int) (svc.inspected++ % RING)] = new AnchorInspection(site, traffic.nextInt(24), traffic.nextInt(40) != 0, t);
            String key = "wind-" + traffic.nextInt(2_500);
            if (svc.forecasts.get(key) == null) svc.forecasts.put(key, new Forecast(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.telemetryBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.telemetryBuffers.add(buf);
        }
        while (!endings.isEmpty() && endings.peek().endedAt <= end) svc.endDescent(endings.poll());
        for (Descent d : endings) d.endedAt = 0; // still on rope
    }

    static void verify(int stage) {
        SafetyDesk svc = SERVICE;
        int held = 0, minDepth = Integer.MAX_VALUE, maxDepth = 0;
        for (ArrayDeque<CheckIn> log : svc.crewLogs.values()) { held += log.size(); minDepth = Math.min(minDepth, log.size()); maxDepth = Math.max(maxDepth, log.size()); }
        int active = svc.activeDescents.size();
        System.out.println("stage " + stage + " hours " + HOURS + " sites " + SITES_BY_CODE.size() + " technicians " + svc.technicians.size() + " crews " + svc.crewLogs.size()
                + " check-ins " + svc.checkIns + " held " + held + " (depth " + minDepth + ".." + maxDepth + ") trimmed " + svc.trimmedCheckIns
                + " descents " + svc.descents + " ended " + svc.descentsEnded + " active " + active + " purges " + svc.purges + " purged tasks " + svc.purgedTasks
                + " cancelled since last purge " + svc.cancelledSincePurge + " timer tasks expected " + (active + svc.cancelledSincePurge + 1)
                + " forecasts " + svc.forecasts.size() + " (evicted " + svc.forecasts.evicted + ") inspected " + svc.inspected + " pool " + svc.telemetryBuffers.size());
        check(SITES_BY_CODE.size() == SITES && svc.technicians.size() == TECHNICIANS, "reference data / directory");
        check(svc.crewLogs.size() == CREWS && maxDepth <= CREW_LOG_DEPTH && held + svc.trimmedCheckIns == svc.checkIns, "crew logs trimmed");
        check(svc.checkIns == (long) CHECKINS_PER_HOUR * HOURS, "check-in traffic");
        check(svc.descents == svc.descentsEnded + active && svc.purgedTasks + svc.cancelledSincePurge == svc.descentsEnded, "permits purged");
        check(svc.purges == HOURS * 6 - 1, "purge runs");
        check(svc.forecasts.size() == FORECAST_CAP && svc.forecasts.evicted > 0, "forecast cache at cap");
        check(svc.telemetryBuffers.size() == POOL, "pool");
        check(svc.inspected == svc.checkIns, "ring");
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        build(stage);
        verify(stage);
        LeakCheck.histogram("java.util.TimerTask", "java.util.TaskQueue");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
