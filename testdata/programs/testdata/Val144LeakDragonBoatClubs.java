// hprofscan-dump: name=val144-leak-dragonboatclubs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val144-leak-dragonboatclubs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 144 (written blind), LEAK: the club-management platform of a dragon boat
 * federation, multi-tenant (one tenant per club). Onboarding a club creates
 * {@code Executors.newSingleThreadScheduledExecutor()} for the club's periodic sync with the
 * federation's membership and race-entry registry and stores it in
 * {@code TenantRuntime.schedulers} by tenant id. A club admin saving new settings (API key, crew
 * mapping, sync window) re-onboards the club: a new executor replaces the old one in the map and
 * the old one is never shut down, so its thread keeps waiting for the next run of its periodic
 * sync, which still captures the old configuration. Beside it: race-venue reference data, the
 * paddler directory, a crew-sheet cache at its cap, a pool of export buffers, a ring of training
 * check-ins, the reminder outbox with its normal backlog and the platform's own housekeeping
 * scheduler. See VALIDATION144.md.
 */
public final class Val144LeakDragonBoatClubs {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int VENUES = 400, CLUBS_AT_START = 24, PADDLERS = 24_000, SHEET_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10,
            CHECKINS_PER_MINUTE = 60, SHEET_VIEWS_PER_MINUTE = 12;
    static final long REMINDER_DELAY = 5 * MINUTE;
    static final String[] BOAT_CLASSES = {"standard-20", "small-10", "mixed", "open", "women", "premier", "senior-b", "para", "breast-cancer-survivors", "junior"};
    static boolean FIXED;

    record RaceVenue(String code, String water, int lanes, double[] entriesByWeek) {}
    record Paddler(String memberNo, String name, String clubId, String side, byte[] waiver, long joinedAt) {}
    record CrewSheet(String key, byte[] pdf, long renderedAt) {}
    record CheckIn(String memberNo, String clubId, String session, long at) {}
    record Reminder(String memberNo, String text, long at) {}
    record TenantConfig(String tenantId, String clubName, int version, String federationApiKey, String webhookUrl,
                        Map<String, String> settings, byte[] crewMapping, long savedAt) {}

    /** The club's periodic sync with the federation registry; captures the configuration it was scheduled with. */
    static final class FederationSync implements Runnable {
        final TenantConfig config;
        final byte[] lastRoster; // the roster pulled at onboarding; each run diffs the registry's roster against it
        final StringBuilder lastCursor = new StringBuilder(64);
        long runs;
        FederationSync(TenantConfig config, byte[] lastRoster) { this.config = config; this.lastRoster = lastRoster; lastCursor.append("cursor-0"); }
        @Override public void run() {
            runs++;
            lastCursor.setLength(0);
            lastCursor.append("cursor-").append(config.tenantId()).append('-').append(runs);
        }
    }

    static final class TenantRuntime {
        final Map<String, TenantConfig> configs = new ConcurrentHashMap<>();
        final Map<String, ScheduledExecutorService> schedulers = new ConcurrentHashMap<>();
        long onboarded, reonboarded, executorsCreated, shutDown;

        void onboard(TenantConfig cfg, byte[] roster) throws InterruptedException {
            ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "club-sync-" + cfg.tenantId() + "-v" + cfg.version());
                t.setDaemon(true);
                return t;
            });
            long period = Long.parseLong(cfg.settings().get("sync.periodMinutes"));
            exec.scheduleAtFixedRate(new FederationSync(cfg, roster), period, period, TimeUnit.MINUTES);
            executorsCreated++;
            boolean again = configs.put(cfg.tenantId(), cfg) != null;
            ScheduledExecutorService previous = schedulers.put(cfg.tenantId(), exec);
            if (again) reonboarded++; else onboarded++;
            if (previous != null && FIXED) { // the fix
                previous.shutdown();
                if (!previous.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("old sync did not stop");
                shutDown++;
            }
        }
    }

    static final class SheetCache extends LinkedHashMap<String, CrewSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CrewSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, RaceVenue> VENUES_BY_CODE = new HashMap<>();

    static final class ClubPlatform {
        final TenantRuntime runtime = new TenantRuntime();
        final java.util.List<String> clubIds = new java.util.ArrayList<>();
        final Map<String, Paddler> paddlers = new HashMap<>();
        final String[] memberNos = new String[PADDLERS];
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final CheckIn[] checkIns = new CheckIn[RING];
        final ArrayDeque<Reminder> outbox = new ArrayDeque<>();
        final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "platform-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long checkInCount, sheetViews, remindersQueued, remindersSent, exports;

        void checkIn(Random r, long t) {
            Paddler p = paddlers.get(memberNos[r.nextInt(PADDLERS)]);
            String session = (r.nextBoolean() ? "water" : "land") + "-" + (r.nextInt(3) == 0 ? "am" : "pm");
            checkIns[(int) (checkInCount++ % RING)] = new CheckIn(p.memberNo(), p.clubId(), session, t);
            if (r.nextInt(4) == 0) {
                outbox.addLast(new Reminder(p.memberNo(), "Hi " + p.name() + ", seat " + (1 + r.nextInt(10)) + " " + p.side() + " is yours for Saturday's " + BOAT_CLASSES[r.nextInt(BOAT_CLASSES.length)] + " race", t));
                remindersQueued++;
            }
            while (!outbox.isEmpty() && outbox.peekFirst().at() <= t - REMINDER_DELAY) { outbox.pollFirst(); remindersSent++; }
        }

        void viewSheet(Random r, long t) {
            sheetViews++;
            String key = clubIds.get(r.nextInt(clubIds.size())) + "/crew/" + BOAT_CLASSES[r.nextInt(BOAT_CLASSES.length)] + "/" + r.nextInt(40);
            if (sheets.get(key) == null) sheets.put(key, new CrewSheet(key, new byte[400 + r.nextInt(400)], t));
            byte[] buf = exportBuffers.poll();
            buf[(int) (exports++ % buf.length)] = (byte) key.length();
            exportBuffers.add(buf);
        }
    }

    static ClubPlatform SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static TenantConfig config(Random r, String tenantId, int version, long at) {
        Map<String, String> s = new HashMap<>();
        s.put("sync.periodMinutes", Integer.toString(15 + 5 * r.nextInt(10)));
        s.put("sync.window", (r.nextInt(6) + 18) + ":00-" + (r.nextInt(5) + 1) + ":00");
        s.put("registry.region", "region-" + (1 + r.nextInt(9)));
        s.put("registry.endpoint", "https://registry.dragonboat-federation.example/api/v3/clubs/" + tenantId);
        s.put("raceEntry.defaultClass", BOAT_CLASSES[r.nextInt(BOAT_CLASSES.length)]);
        s.put("raceEntry.autoSubmit", Boolean.toString(r.nextBoolean()));
        s.put("crew.balanceTolerance.kg", Integer.toString(5 + r.nextInt(20)));
        s.put("crew.drummerRequired", "true");
        s.put("crew.steererPool", Integer.toString(2 + r.nextInt(5)));
        s.put("notify.from", "captain@" + tenantId.toLowerCase() + ".clubs.example");
        s.put("notify.smsSender", tenantId.substring(0, 6));
        s.put("safety.capsizeDrillMonths", Integer.toString(6 + r.nextInt(7)));
        s.put("membership.renewalMonth", Integer.toString(1 + r.nextInt(12)));
        s.put("branding.flag", "#" + Integer.toHexString(0x100000 + r.nextInt(0xEFFFFF)));
        return new TenantConfig(tenantId, "Dragon Boat Club " + tenantId.substring(4), version, "fed_" + Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()),
                "https://hooks." + tenantId.toLowerCase() + ".clubs.example/federation", s, new byte[4_096 + r.nextInt(4_096)], at);
    }

    /** The club's roster as the federation registry returns it at onboarding (200-399 paddlers, 320 bytes of JSON each). */
    static byte[] roster(Random r) {
        byte[] b = new byte[(200 + r.nextInt(200)) * 320];
        for (int i = 0; i < b.length; i += 64) b[i] = (byte) ('a' + r.nextInt(26));
        return b;
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(144_020_001);
        for (int v = 0; v < VENUES; v++) {
            double[] e = new double[52];
            for (int w = 0; w < e.length; w++) e[w] = rnd.nextDouble() * 60;
            String code = "RV-" + (500 + v * 3);
            VENUES_BY_CODE.put(code, new RaceVenue(code, "Water " + (v % 150), 4 + rnd.nextInt(6), e));
        }
        ClubPlatform svc = new ClubPlatform();
        SERVICE = svc;
        Random cfg = new Random(144_020_002);
        Map<String, Integer> versions = new HashMap<>();
        int clubSeq = 0;
        for (int c = 0; c < CLUBS_AT_START; c++) {
            String id = "DBC-" + Integer.toString(46_656 + clubSeq++ * 17, 36).toUpperCase();
            svc.clubIds.add(id);
            versions.put(id, 1);
            svc.runtime.onboard(config(cfg, id, 1, start - (long) (1 + cfg.nextInt(700)) * DAY), roster(cfg));
        }
        for (int p = 0; p < PADDLERS; p++) {
            svc.memberNos[p] = "DBF" + (2_400_000 + p * 7);
            svc.paddlers.put(svc.memberNos[p], new Paddler(svc.memberNos[p], "Paddler " + p, svc.clubIds.get(p % CLUBS_AT_START), p % 2 == 0 ? "left" : "right",
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[32_768]);
        svc.housekeeping.scheduleAtFixedRate(() -> { }, 30, 30, TimeUnit.MINUTES);

        Random traffic = new Random(144_020_003), views = new Random(144_020_004), admin = new Random(144_020_005);
        for (long t = start; t < end; t += MINUTE) {
            for (int i = 0; i < CHECKINS_PER_MINUTE; i++) svc.checkIn(traffic, t + i * SECOND);
            for (int i = 0; i < SHEET_VIEWS_PER_MINUTE; i++) svc.viewSheet(views, t + i * 5 * SECOND);
            int a = admin.nextInt(1_000);
            if (a < 5) { // a new club signs up
                String id = "DBC-" + Integer.toString(46_656 + clubSeq++ * 17, 36).toUpperCase();
                svc.clubIds.add(id);
                versions.put(id, 1);
                svc.runtime.onboard(config(admin, id, 1, t), roster(admin));
            }
            int changes = a >= 5 && a < 125 ? 1 : 0; // a club admin saves new settings (API key, crew mapping, sync window)
            for (int k = 0; k < changes; k++) {
                String id = svc.clubIds.get(admin.nextInt(svc.clubIds.size()));
                int v = versions.merge(id, 1, Integer::sum);
                svc.runtime.onboard(config(admin, id, v, t + (10 + k * 15) * SECOND), roster(admin));
            }
        }
    }

    static void report() {
        ClubPlatform svc = SERVICE;
        TenantRuntime rt = svc.runtime;
        int syncThreads = 0, housekeepingThreads = 0;
        for (int attempt = 0; attempt < 50; attempt++) { // with the fix, a terminated executor's thread may take a moment to end
            syncThreads = 0; housekeepingThreads = 0;
            for (Thread th : Thread.getAllStackTraces().keySet()) {
                if (th.getName().startsWith("club-sync-")) syncThreads++;
                if (th.getName().equals("platform-housekeeping")) housekeepingThreads++;
            }
            if (!FIXED || syncThreads == rt.onboarded) break;
            try { Thread.sleep(100); } catch (InterruptedException e) { throw new IllegalStateException(e); }
        }
        System.out.println((FIXED ? "FIXED " : "") + "venues " + VENUES_BY_CODE.size() + " paddlers " + svc.paddlers.size() + " clubs " + svc.clubIds.size()
                + " onboarded " + rt.onboarded + " re-onboarded " + rt.reonboarded + " executors created " + rt.executorsCreated + " shut down " + rt.shutDown
                + " schedulers in map " + rt.schedulers.size() + " sync threads alive " + syncThreads + " housekeeping " + housekeepingThreads
                + " check-ins " + svc.checkInCount + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.exportBuffers.size()
                + " outbox " + svc.outbox.size() + " (" + svc.remindersQueued + " / " + svc.remindersSent + ")");
        check(VENUES_BY_CODE.size() == VENUES && svc.paddlers.size() == PADDLERS, "reference data / directory");
        check(svc.clubIds.size() == EXPECTED[0] && rt.onboarded == svc.clubIds.size() && rt.schedulers.size() == svc.clubIds.size() && rt.configs.size() == svc.clubIds.size(), "clubs " + svc.clubIds.size());
        check(rt.reonboarded == EXPECTED[1] && rt.executorsCreated == rt.onboarded + rt.reonboarded, "re-onboarded " + rt.reonboarded);
        check(rt.shutDown == (FIXED ? rt.reonboarded : 0), "shut down");
        check(syncThreads == (FIXED ? rt.onboarded : rt.executorsCreated) && housekeepingThreads == 1, "sync threads " + syncThreads);
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted == EXPECTED[2], "sheet cache " + svc.sheets.evicted);
        check(svc.exportBuffers.size() == POOL && svc.checkIns[RING - 1] != null, "pool / ring");
        check(svc.outbox.size() == EXPECTED[3], "outbox " + svc.outbox.size());
    }

    /** Clubs, re-onboardings, crew sheets evicted, reminder backlog. */
    static final long[] EXPECTED = {31, 62, 4_144, 61};

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val144.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
