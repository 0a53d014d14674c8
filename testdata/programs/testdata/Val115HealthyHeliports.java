// hprofscan-dump: name=val115-healthy-heliports jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val115-healthy-heliports-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 115 (written blind), HEALTHY: the operations service of a heliport group (a city
 * heliport, hospital pads, offshore helidecks). Landing-site reference data, the pilot directory
 * keyed by licence number, a briefing LRU at its cap, a pool of briefing buffers, a ring of
 * movements, the fuel-bowser backlog, a large constant obstacle-height grid, and look-alikes of the
 * set's leaks done right: landing-fee calculator plugins reloaded in fresh class loaders, each
 * generation with its own invoice codecs (dropped with the generation: nothing static holds a
 * plugin class); a crew-portal session store keyed by UUID strings whose sweeper drops sessions
 * idle for 30 minutes; flight-plan imports on one shared, bounded two-thread pool started at boot
 * (its threads inherit no import context); position requests to the flight-following gateway in a
 * pending table whose entries time out after 30 s (1 in 12 is never answered). 10 hours.
 * See VALIDATION115.md.
 */
public final class Val115HealthyHeliports {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int HOURS = 10, SITES = 1_000, PILOTS = 20_000, BRIEFING_CAP = 2_000, POOL = 8, RING = 16_384, MOVEMENTS_PER_MINUTE = 30,
            SESSIONS_PER_MINUTE = 12, POSITION_REQUESTS_PER_MINUTE = 90, IMPORT_EVERY_MINUTES = 20, RELOAD_EVERY_MINUTES = 50, FUEL_LAG_MINUTES = 12;
    static final long IDLE_TIMEOUT = 30 * MINUTE, POSITION_TIMEOUT = 30 * SECOND;
    static final String PLUGIN_PREFIX = "testdata.Val115HeliportPlugin";
    static final String[] AUTHORITIES = {"city-heliport", "nhs-trust-pads", "north-sea-helidecks", "private-estates"};
    static final String[] TYPES = {"AW139", "AW169", "H145", "H160", "S-92", "EC135", "Bell 429"};

    /** Host API of the landing-fee plugins. */
    public interface FeeCalculator {
        void configure(String authority, int generation, long seed);
        Object fee(String registration, String type, int mtowKg, long at);
    }

    record LandingSite(String code, String name, double[] windLimitByHeading) {}
    record Pilot(String licence, String name, String[] typeRatings, byte[] currency, long medicalExpiry) {}
    record Movement(String registration, String site, String kind, long at, String feeJson) {}
    record Briefing(String key, byte[] pdf, long renderedAt) {}
    record FuelRequest(String registration, String site, int litres, long at) {}
    record FlightPlan(String callsign, String from, String to, long eobt) {}

    static final Map<String, LandingSite> SITES_BY_CODE = new HashMap<>();

    static final class PluginLoader extends ClassLoader {
        final Map<String, byte[]> classBytes = new HashMap<>();
        PluginLoader(Map<String, byte[]> bytes, String name) { super(name, Val115HealthyHeliports.class.getClassLoader()); classBytes.putAll(bytes); }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && classBytes.containsKey(name)) { byte[] b = classBytes.get(name); c = defineClass(name, b, 0, b.length); }
                return c != null ? c : super.loadClass(name, resolve);
            }
        }
    }

    /** One loaded generation of an authority's fee plugin, with its own codecs. */
    static final class PluginGeneration {
        record Codec(Method[] accessors, String[] names) {}
        final String authority;
        final int generation;
        final PluginLoader loader;
        final FeeCalculator calculator;
        final Map<Class<?>, Codec> codecs = new HashMap<>();
        PluginGeneration(String authority, int generation, PluginLoader loader, FeeCalculator calculator) { this.authority = authority; this.generation = generation; this.loader = loader; this.calculator = calculator; }

        String toJson(Object o) throws Exception {
            Codec c = codecs.get(o.getClass());
            if (c == null) {
                RecordComponent[] rc = o.getClass().getRecordComponents();
                Method[] acc = new Method[rc.length];
                String[] names = new String[rc.length];
                for (int i = 0; i < rc.length; i++) { acc[i] = rc[i].getAccessor(); acc[i].setAccessible(true); names[i] = rc[i].getName(); }
                codecs.put(o.getClass(), c = new Codec(acc, names));
            }
            StringBuilder sb = new StringBuilder(96).append('{');
            for (int i = 0; i < c.accessors().length; i++) sb.append(i > 0 ? "," : "").append('"').append(c.names()[i]).append("\":").append(c.accessors()[i].invoke(o));
            return sb.append('}').toString();
        }
    }

    static final class FeePlugins {
        final Map<String, byte[]> bundle;
        final Map<String, PluginGeneration> current = new HashMap<>();
        final ArrayDeque<String> deployLog = new ArrayDeque<>();
        long loads, retired;
        FeePlugins(Map<String, byte[]> bundle) { this.bundle = bundle; }
        void deploy(String authority, long t) throws Exception {
            PluginGeneration old = current.get(authority);
            int gen = old == null ? 1 : old.generation + 1;
            PluginLoader loader = new PluginLoader(bundle, "fees-" + authority + "-g" + gen);
            var ctor = loader.loadClass(PLUGIN_PREFIX + "Fees").getDeclaredConstructor();
            ctor.setAccessible(true);
            FeeCalculator calc = (FeeCalculator) ctor.newInstance();
            calc.configure(authority, gen, 115_060_100L + loads);
            current.put(authority, new PluginGeneration(authority, gen, loader, calc));
            loads++;
            if (old != null) retired++;
            deployLog.addLast(authority + " g" + gen + " at " + t);
            if (deployLog.size() > 32) deployLog.removeFirst();
        }
    }

    static final class CrewSession {
        final String token;
        final String licence;
        long lastAccessedAt;
        byte[] rosterView;
        final List<String> acknowledgedNotams = new ArrayList<>();
        CrewSession(String token, String licence, long now) { this.token = token; this.licence = licence; this.lastAccessedAt = now; }
    }

    static final class CrewPortal {
        final Map<String, CrewSession> sessions = new ConcurrentHashMap<>();
        long opened, expired, signedOut;
        void sweep(long now) {
            for (Iterator<CrewSession> it = sessions.values().iterator(); it.hasNext(); ) {
                if (now - it.next().lastAccessedAt >= IDLE_TIMEOUT) { it.remove(); expired++; }
            }
        }
    }

    static final class PositionRequest {
        final String correlationId, registration;
        final byte[] request;
        final long sentAt;
        final CompletableFuture<double[]> position = new CompletableFuture<>();
        PositionRequest(String correlationId, String registration, byte[] request, long sentAt) { this.correlationId = correlationId; this.registration = registration; this.request = request; this.sentAt = sentAt; }
    }

    static final class FlightFollowing {
        final Map<String, PositionRequest> pending = new ConcurrentHashMap<>();
        long sent, answered, timedOut, seq;
        PositionRequest request(String registration, byte[] payload, long t) {
            PositionRequest p = new PositionRequest("FF" + Long.toHexString(0xC0_0000_0000L + seq++), registration, payload, t);
            pending.put(p.correlationId, p);
            sent++;
            return p;
        }
        void onPosition(String id, double[] latLon) { PositionRequest p = pending.remove(id); if (p != null) { answered++; p.position.complete(latLon); } }
        void timeouts(long now) {
            for (Iterator<PositionRequest> it = pending.values().iterator(); it.hasNext(); ) {
                PositionRequest p = it.next();
                if (now - p.sentAt >= POSITION_TIMEOUT) { it.remove(); timedOut++; p.position.completeExceptionally(new TimeoutException(p.correlationId)); }
            }
        }
    }

    static final class BriefingCache extends LinkedHashMap<String, Briefing> {
        long evicted;
        BriefingCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Briefing> e) { if (size() > BRIEFING_CAP) { evicted++; return true; } return false; }
    }

    static final class OpsService {
        final Map<String, Pilot> pilots = new HashMap<>();
        final String[] licences = new String[PILOTS];
        final String[] siteCodes = new String[SITES];
        final String[] registrations = new String[400];
        final FeePlugins fees;
        final CrewPortal portal = new CrewPortal();
        final FlightFollowing following = new FlightFollowing();
        final ThreadPoolExecutor planImports;
        final BriefingCache briefings = new BriefingCache();
        final ArrayDeque<byte[]> briefingBuffers = new ArrayDeque<>();
        final Movement[] movements = new Movement[RING];
        final ArrayDeque<FuelRequest> fuelQueue = new ArrayDeque<>();
        /** Obstacle heights (decimetres) on a 1,250 x 1,200 grid around the sites; constant. */
        final short[] obstacleGrid = new short[1_500_000];
        long movementCount, fuelled, fuelRequests, imports, plans, briefingViews, positionFixes;

        OpsService(FeePlugins fees) {
            this.fees = fees;
            AtomicInteger n = new AtomicInteger();
            planImports = new ThreadPoolExecutor(2, 2, 0L, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(16), r -> new Thread(r, "plan-import-" + n.incrementAndGet()));
            planImports.prestartAllCoreThreads();
        }

        void movement(Random r, long t) throws Exception {
            String reg = registrations[r.nextInt(registrations.length)];
            String site = siteCodes[r.nextInt(SITES)];
            PluginGeneration g = fees.current.get(AUTHORITIES[r.nextInt(AUTHORITIES.length)]);
            Object fee = g.calculator.fee(reg, TYPES[r.nextInt(TYPES.length)], 2_500 + r.nextInt(9_000), t);
            movements[(int) (movementCount++ % RING)] = new Movement(reg, site, r.nextBoolean() ? "LDG" : "TKOF", t, g.toJson(fee));
            if (r.nextInt(6) == 0) { fuelQueue.addLast(new FuelRequest(reg, site, 200 + r.nextInt(1_800), t)); fuelRequests++; }
        }

        void briefing(Random r, long t) {
            briefingViews++;
            String key = siteCodes[r.nextInt(SITES)] + "/" + (r.nextInt(24)) + "h/" + (r.nextBoolean() ? "VFR" : "IFR");
            if (briefings.get(key) == null) {
                briefings.put(key, new Briefing(key, new byte[400 + r.nextInt(400)], t));
                byte[] buf = briefingBuffers.poll();
                buf[(int) (t % buf.length)] = 1;
                briefingBuffers.add(buf);
            }
        }

        void importPlans(Random r, long t) throws Exception {
            byte[] adexp = new byte[12_000 + r.nextInt(18_000)];
            r.nextBytes(adexp);
            List<Future<List<FlightPlan>>> parts = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                int from = k * adexp.length / 3, to = (k + 1) * adexp.length / 3;
                parts.add(planImports.submit(() -> parsePlans(adexp, from, to, t)));
            }
            for (Future<List<FlightPlan>> f : parts) plans += f.get().size();
            imports++;
        }

        List<FlightPlan> parsePlans(byte[] adexp, int from, int to, long t) {
            List<FlightPlan> out = new ArrayList<>();
            for (int i = from; i + 1 < to; i += 120) out.add(new FlightPlan("HLE" + (adexp[i] & 0x7F), siteCodes[(adexp[i + 1] & 0xFF) % SITES], siteCodes[(adexp[i] & 0xFF) % SITES], t + (adexp[i] & 0x3F) * MINUTE));
            return out;
        }

        void fuel(long t) { while (!fuelQueue.isEmpty() && fuelQueue.peekFirst().at() <= t - FUEL_LAG_MINUTES * MINUTE) { fuelQueue.pollFirst(); fuelled++; } }
    }

    record PortalVisit(long at, String token, int remaining) {}
    record PositionReply(long at, String id) {}

    static OpsService SERVICE;
    static long SIM_END;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** The plugin bundle: written to a scratch directory at start, read back as the deployable unit. */
    static Map<String, byte[]> pluginBundle() throws IOException {
        Path dir = Files.createTempDirectory("val115-heliport-fees");
        Map<String, byte[]> out = new HashMap<>();
        for (String cls : new String[] {PLUGIN_PREFIX + "Fees", PLUGIN_PREFIX + "Fees$LandingFee"}) {
            Path f = dir.resolve(cls + ".class");
            try (InputStream in = Val115HealthyHeliports.class.getClassLoader().getResourceAsStream(cls.replace('.', '/') + ".class")) {
                Files.copy(in, f);
            }
            out.put(cls, Files.readAllBytes(f));
        }
        try (var s = Files.walk(dir)) { s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); }
        return out;
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        SIM_END = end;
        Random rnd = new Random(115_060_001);
        for (int s = 0; s < SITES; s++) {
            double[] wind = new double[48];
            for (int j = 0; j < wind.length; j++) wind[j] = 15 + rnd.nextDouble() * 35;
            String code = (s % 10 == 0 ? "EG" : s % 10 < 4 ? "HP" : "HD") + (1_000 + s);
            SITES_BY_CODE.put(code, new LandingSite(code, (s % 10 == 0 ? "Heliport " : s % 10 < 4 ? "Hospital pad " : "Helideck ") + s, wind));
        }
        FeePlugins fees = new FeePlugins(pluginBundle());
        OpsService svc = new OpsService(fees);
        SERVICE = svc;
        int i = 0;
        for (String code : SITES_BY_CODE.keySet()) svc.siteCodes[i++] = code;
        java.util.Arrays.sort(svc.siteCodes);
        for (int r = 0; r < svc.registrations.length; r++) svc.registrations[r] = "G-" + (char) ('A' + r % 26) + (char) ('A' + (r / 26) % 26) + (char) ('H' + r / 676) + "X";
        for (int p = 0; p < PILOTS; p++) {
            svc.licences[p] = "UK.FCL.H." + (200_000 + p * 11);
            String[] ratings = new String[1 + rnd.nextInt(3)];
            for (int k = 0; k < ratings.length; k++) ratings[k] = TYPES[rnd.nextInt(TYPES.length)];
            svc.pilots.put(svc.licences[p], new Pilot(svc.licences[p], "Pilot " + p, ratings, new byte[150 + rnd.nextInt(150)], now + (long) (10 + rnd.nextInt(700)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.briefingBuffers.add(new byte[32_768]);
        for (int k = 0; k < svc.obstacleGrid.length; k++) svc.obstacleGrid[k] = (short) ((k * 31) % 1_200);
        for (String a : AUTHORITIES) fees.deploy(a, start);

        Random ops = new Random(115_060_002), portal = new Random(115_060_003), link = new Random(115_060_004), imports = new Random(115_060_005), deploys = new Random(115_060_006);
        PriorityQueue<PortalVisit> visits = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.token().compareTo(b.token()));
        PriorityQueue<PositionReply> replies = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.id().compareTo(b.id()));
        int minutes = HOURS * 60;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            if (m > 0 && m % RELOAD_EVERY_MINUTES == 0) fees.deploy(AUTHORITIES[deploys.nextInt(AUTHORITIES.length)], t);
            for (int k = 0; k < MOVEMENTS_PER_MINUTE; k++) svc.movement(ops, t + k * 2 * SECOND);
            for (int k = 0; k < 5; k++) svc.briefing(ops, t + k * 12 * SECOND);
            for (int k = 0; k < POSITION_REQUESTS_PER_MINUTE; k++) {
                long at = t + k * 666L;
                while (!replies.isEmpty() && replies.peek().at() <= at) { PositionReply rp = replies.poll(); svc.following.onPosition(rp.id(), new double[] {57.2, -2.2}); svc.positionFixes++; }
                PositionRequest p = svc.following.request(svc.registrations[link.nextInt(svc.registrations.length)], new byte[300 + link.nextInt(400)], at);
                if (link.nextInt(12) != 0) replies.add(new PositionReply(at + 200 + link.nextInt(4_000), p.correlationId));
                if (k % 15 == 14) svc.following.timeouts(at);
            }
            for (int k = 0; k < SESSIONS_PER_MINUTE; k++) {
                long at = t + portal.nextInt(60) * SECOND;
                CrewSession s = new CrewSession(new UUID((portal.nextLong() & ~0xF000L) | 0x4000L, (portal.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L).toString(),
                        svc.licences[portal.nextInt(PILOTS)], at);
                s.rosterView = new byte[300 + portal.nextInt(500)];
                svc.portal.sessions.put(s.token, s);
                svc.portal.opened++;
                int views = 1 + portal.nextInt(12);
                if (views > 1) visits.add(new PortalVisit(at + (30 + portal.nextInt(400)) * SECOND, s.token, views - 1));
            }
            long minuteEnd = t + MINUTE;
            while (!visits.isEmpty() && visits.peek().at() < minuteEnd) {
                PortalVisit v = visits.poll();
                CrewSession s = svc.portal.sessions.get(v.token());
                if (s == null) continue;
                s.lastAccessedAt = v.at();
                if (s.acknowledgedNotams.size() < 8) s.acknowledgedNotams.add("A" + (1_000 + portal.nextInt(9_000)) + "/24");
                if (v.remaining() > 1) visits.add(new PortalVisit(v.at() + (30 + portal.nextInt(400)) * SECOND, v.token(), v.remaining() - 1));
                else if (portal.nextInt(4) == 0) { svc.portal.sessions.remove(v.token()); svc.portal.signedOut++; }
            }
            if (m % IMPORT_EVERY_MINUTES == 11) svc.importPlans(imports, t);
            svc.portal.sweep(minuteEnd);
            svc.fuel(minuteEnd);
        }
    }

    /**
     * Waits until the JIT compilers are idle (nothing being compiled, both queues empty, three
     * checks in a row): a compilation in progress keeps the classes it looks at (an unloaded plugin
     * generation among them) alive through the next GC, and the heap dump would show them.
     */
    static void waitForCompilerIdle() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName dcmd = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
        for (int i = 0, idle = 0; i < 600 && idle < 3; i++) {
            String queue = (String) server.invoke(dcmd, "compilerQueue", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            idle = queue.replaceAll("\\s+", "").endsWith("Currentcompiles:C1compilequeue:EmptyC2compilequeue:Empty") ? idle + 1 : 0;
            Thread.sleep(100);
        }
    }

    static int liveThreads(String prefix) {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith(prefix)) n++;
        return n;
    }

    public static void main(String[] args) {
        try {
            simulate();
            report();
            waitForCompilerIdle();
            LeakCheck.histogram();
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
            System.exit(0);
        } catch (Throwable t) { // the pool's threads would keep a failed JVM alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void report() {
        OpsService svc = SERVICE;
        int minutes = HOURS * 60;
        int idle = 0;
        for (CrewSession s : svc.portal.sessions.values()) if (SIM_END - s.lastAccessedAt >= IDLE_TIMEOUT) idle++;
        System.out.println("sites " + SITES_BY_CODE.size() + " pilots " + svc.pilots.size() + " movements " + svc.movementCount + " fee plugin loads " + svc.fees.loads + " (retired "
                + svc.fees.retired + ", current " + svc.fees.current.size() + ") briefings " + svc.briefings.size() + " (evicted " + svc.briefings.evicted + ", views " + svc.briefingViews
                + ") portal sessions " + svc.portal.sessions.size() + " (opened " + svc.portal.opened + ", signed out " + svc.portal.signedOut + ", expired " + svc.portal.expired + ", idle " + idle
                + ") position requests " + svc.following.sent + " answered " + svc.following.answered + " timed out " + svc.following.timedOut + " pending " + svc.following.pending.size()
                + " plan imports " + svc.imports + " (plans " + svc.plans + ") pool threads " + liveThreads("plan-import-") + " fuel backlog " + svc.fuelQueue.size() + " (requests "
                + svc.fuelRequests + ", fuelled " + svc.fuelled + ") buffers " + svc.briefingBuffers.size());
        check(SITES_BY_CODE.size() == SITES && svc.pilots.size() == PILOTS, "reference data / directory");
        check(svc.movementCount == (long) MOVEMENTS_PER_MINUTE * minutes && svc.movements[RING - 1] != null, "movements ring");
        check(svc.fees.current.size() == AUTHORITIES.length && svc.fees.loads == AUTHORITIES.length + (minutes - 1) / RELOAD_EVERY_MINUTES && svc.fees.retired == (minutes - 1) / RELOAD_EVERY_MINUTES, "fee plugins");
        check(svc.briefings.size() == BRIEFING_CAP && svc.briefings.evicted > 0, "briefing cache at cap");
        check(idle == 0 && svc.portal.opened == (long) SESSIONS_PER_MINUTE * minutes && svc.portal.opened == svc.portal.sessions.size() + svc.portal.signedOut + svc.portal.expired, "portal sessions");
        check(svc.following.sent == (long) POSITION_REQUESTS_PER_MINUTE * minutes && svc.following.sent == svc.following.answered + svc.following.timedOut + svc.following.pending.size()
                && svc.following.pending.size() < 24, "flight following");
        check(liveThreads("plan-import-") == 2 && svc.planImports.getQueue().isEmpty() && svc.imports == minutes / IMPORT_EVERY_MINUTES, "shared import pool");
        check(svc.briefingBuffers.size() == POOL && svc.fuelQueue.size() > 0 && svc.fuelled + svc.fuelQueue.size() == svc.fuelRequests, "pool / fuel backlog");
    }
}

/** Landing-fee plugin (loaded only by the fee host's plugin loaders). */
final class Val115HeliportPluginFees implements Val115HealthyHeliports.FeeCalculator {
    /** Fee bands by MTOW (per 100 kg) for 24 operator classes, built at configure. */
    static final double[][] BANDS = new double[24][];
    static String authority;
    static int generation;

    record LandingFee(String authority, int generation, String registration, int mtowKg, long pence, long at) {}

    @Override public void configure(String a, int gen, long seed) {
        authority = a;
        generation = gen;
        java.util.Random r = new java.util.Random(seed);
        for (int h = 0; h < BANDS.length; h++) {
            BANDS[h] = new double[128];
            for (int k = 0; k < BANDS[h].length; k++) BANDS[h][k] = 4 + r.nextDouble() * 9;
        }
    }

    @Override public Object fee(String registration, String type, int mtowKg, long at) {
        double perTonne = BANDS[Math.floorMod(registration.hashCode(), 24)][(mtowKg / 100) % 128];
        return new LandingFee(authority, generation, registration, mtowKg, Math.round(perTonne * mtowKg / 10.0), at);
    }
}
