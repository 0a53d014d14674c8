// hprofscan-dump: name=val132-leak-compostsites jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val132-leak-compostsites-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 132 (written blind), LEAK: the process-monitoring service of a green-waste
 * composting company. Site reference data, the weighbridge tickets of incoming loads, a cache of
 * rendered batch certificates at its cap, a pool of label buffers, a ring of recent LoRaWAN frames,
 * the windrow-turner job queue with its normal backlog, and the per-probe history of a fixed fleet
 * of 480 windrow temperature probes: a HashMap from probe id to an ArrayDeque of its readings,
 * meant to hold the last 48 (the sanitisation check looks at the last 48). The trim runs only on
 * the gateway backfill path (a batch of stored readings when a site gateway reconnects); the live
 * path (one uplink per reading, most of the traffic) appends without trimming, so every probe's
 * deque keeps growing. The map's entry count stays 480. See VALIDATION132.md.
 */
public final class Val132LeakCompostSites {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SITES = 24, PROBES_PER_SITE = 20, PROBES = SITES * PROBES_PER_SITE, KEEP = 48;
    static final int CUSTOMER_SITES = 260, TICKETS = 20_000, CERT_CAP = 2_000, POOL = 8, FRAME_RING = 8_192, HOURS = 10;
    static final long READ_EVERY = 60_000L, TURN_AFTER = 40 * MINUTE;
    static boolean FIXED;

    record Site(String code, String name, String permitNumber, double[] ambientTempByHourOfWeek) {}
    record WeighbridgeTicket(String ticket, String siteCode, String customer, String wasteCode, double tonnes, byte[] contaminationNotes, long weighedAt) {}
    /** One reading of a windrow probe: core and mid temperature, moisture, oxygen. */
    record Reading(String probeId, long at, long frameCounter, float coreTempC, float midTempC, float moisturePct, float oxygenPct, short batteryMv, byte rssi, byte spreadingFactor) {}
    record Certificate(String key, byte[] pdf, long issuedAt) {}
    record Frame(String devEui, String gateway, int fcnt, int rssi, long at) {}
    record TurnJob(String id, String siteCode, String windrow, String reason, long raisedAt) {}

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    /** The probes' recent readings: meant to keep the last 48 of each probe. */
    static final class ProbeHistory {
        final Map<String, ArrayDeque<Reading>> recent = new HashMap<>();
        long live, backfilled, backfills;
        /** Live path: one LoRaWAN uplink, one reading. */
        void onUplink(Reading r) {
            ArrayDeque<Reading> d = recent.get(r.probeId());
            d.addLast(r);
            // BUG: no trim on the live path (only the backfill path below trims)
            if (FIXED) trim(d);
            live++;
        }
        /** Backfill path: the readings a gateway stored while it was offline, in one batch. */
        void onGatewayBatch(String probeId, List<Reading> batch) {
            ArrayDeque<Reading> d = recent.get(probeId);
            d.addAll(batch);
            trim(d);
            backfilled += batch.size();
            backfills++;
        }
        static void trim(ArrayDeque<Reading> d) { while (d.size() > KEEP) d.pollFirst(); }
    }

    static final class MonitoringService {
        final Map<String, WeighbridgeTicket> tickets = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Frame[] frames = new Frame[FRAME_RING];
        long framesWritten;
        final ArrayDeque<TurnJob> turnJobs = new ArrayDeque<>();
        long turnsRaised, turnsDone;
        final ProbeHistory probes = new ProbeHistory();
        long certificateRequests, labelsPrinted;
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();
    static MonitoringService SERVICE;
    static String SUMMARY;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(132_030_001);
        String[] siteCodes = new String[SITES];
        String[] places = {"Hollybank", "Greystone", "Marsh Lane", "Oakwell", "Fenby", "Cotswold Edge", "Riverside", "Whitmoor"};
        for (int s = 0; s < SITES; s++) {
            double[] ambient = new double[168];
            for (int k = 0; k < ambient.length; k++) ambient[k] = 2 + rnd.nextDouble() * 18;
            siteCodes[s] = "CS-" + (110 + s);
            SITES_BY_CODE.put(siteCodes[s], new Site(siteCodes[s], places[s % places.length] + " Composting " + (s / places.length + 1), "EPR/" + (char) ('A' + s % 26) + "B" + (3_000 + s * 17), ambient));
        }
        // customers' collection sites are reference data too (the weighbridge tickets refer to them)
        for (int c = 0; c < CUSTOMER_SITES; c++) {
            double[] profile = new double[168];
            for (int k = 0; k < profile.length; k++) profile[k] = rnd.nextDouble() * 30;
            String code = "HWRC-" + (500 + c);
            SITES_BY_CODE.put(code, new Site(code, "Household Waste Recycling Centre " + c, "EPR/HW" + (7_000 + c), profile));
        }
        MonitoringService svc = new MonitoringService();
        SERVICE = svc;
        String[] customers = {"Borough Council", "District Council", "Landscape Services", "Tree Surgeons Ltd", "Garden Centre", "Golf Club"};
        String[] wasteCodes = {"20 02 01", "02 01 03", "20 03 02", "19 05 03"};
        for (int t = 0; t < TICKETS; t++) {
            String ticket = "WB-" + (40_000_000 + t * 11);
            svc.tickets.put(ticket, new WeighbridgeTicket(ticket, siteCodes[rnd.nextInt(SITES)], customers[rnd.nextInt(customers.length)] + " " + rnd.nextInt(400),
                    wasteCodes[rnd.nextInt(wasteCodes.length)], 1 + rnd.nextInt(250) / 10.0, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(120)) * DAY));
        }
        String[] probeIds = new String[PROBES];
        for (int p = 0; p < PROBES; p++) {
            probeIds[p] = "WRP-" + siteCodes[p / PROBES_PER_SITE].substring(3) + "-" + (char) ('A' + (p % PROBES_PER_SITE) / 5) + (p % 5 + 1);
            svc.probes.recent.put(probeIds[p], new ArrayDeque<>());
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);

        Random traffic = new Random(132_030_002);
        Random radio = new Random(132_030_003);
        String[] reasons = {"core above 75C", "oxygen below 8%", "moisture below 40%", "scheduled turn", "odour complaint"};
        // a gateway that is offline stores its probes' readings and uploads them when it reconnects
        long[] offlineUntil = new long[SITES];
        boolean[] hadOutage = new boolean[SITES];
        List<List<Reading>> stored = new ArrayList<>();
        for (int p = 0; p < PROBES; p++) stored.add(new ArrayList<>());
        long slots = HOURS * HOUR / READ_EVERY;
        long[] frameCounter = new long[PROBES];
        for (long slot = 0; slot < slots; slot++) {
            long slotStart = start + slot * READ_EVERY;
            for (int s = 0; s < SITES; s++) {
                long t = slotStart + s * 1_000L;
                if (offlineUntil[s] != 0 && t >= offlineUntil[s]) {
                    offlineUntil[s] = 0;
                    for (int p = s * PROBES_PER_SITE; p < (s + 1) * PROBES_PER_SITE; p++) {
                        if (!stored.get(p).isEmpty()) { svc.probes.onGatewayBatch(probeIds[p], stored.get(p)); stored.set(p, new ArrayList<>()); }
                    }
                }
                if (offlineUntil[s] == 0 && radio.nextInt(900) == 0) { offlineUntil[s] = t + (15 + radio.nextInt(46)) * MINUTE; hadOutage[s] = true; }
                for (int p = s * PROBES_PER_SITE; p < (s + 1) * PROBES_PER_SITE; p++) {
                    long at = t + (p % PROBES_PER_SITE) * 2_000L;
                    Reading r = new Reading(probeIds[p], at, frameCounter[p]++, 45 + radio.nextFloat() * 30, 35 + radio.nextFloat() * 25, 35 + radio.nextFloat() * 30,
                            4 + radio.nextFloat() * 16, (short) (3_000 + radio.nextInt(600)), (byte) -(60 + radio.nextInt(60)), (byte) (7 + radio.nextInt(6)));
                    if (offlineUntil[s] != 0) {
                        stored.get(p).add(r);
                    } else {
                        svc.probes.onUplink(r);
                        svc.frames[(int) (svc.framesWritten++ % FRAME_RING)] = new Frame(probeIds[p], "GW-" + siteCodes[s], (int) r.frameCounter(), r.rssi(), at);
                    }
                }
            }
            long t = slotStart + 60_000L;
            if (traffic.nextInt(10) < 2) {
                int s = traffic.nextInt(SITES);
                svc.turnJobs.addLast(new TurnJob("TJ-" + (90_000 + svc.turnsRaised++), siteCodes[s], "W" + (1 + traffic.nextInt(12)), reasons[traffic.nextInt(reasons.length)], t));
            }
            while (!svc.turnJobs.isEmpty() && svc.turnJobs.peekFirst().raisedAt() <= t - TURN_AFTER) { svc.turnJobs.pollFirst(); svc.turnsDone++; }
            for (int q = 0; q < 6; q++) {
                String key = "PAS100-" + siteCodes[traffic.nextInt(SITES)] + "-B" + (2_000 + traffic.nextInt(300));
                svc.certificateRequests++;
                if (svc.certificates.get(key) == null) svc.certificates.put(key, new Certificate(key, new byte[400 + traffic.nextInt(400)], t));
            }
            if (slot % 6 == 0) {
                byte[] buf = svc.labelBuffers.poll();
                buf[(int) (slot % buf.length)] = (byte) slot;
                svc.labelBuffers.add(buf);
                svc.labelsPrinted++;
            }
        }
        int held = 0, minHeld = Integer.MAX_VALUE, maxHeld = 0, pending = 0, offline = 0, neverBackfilled = 0;
        for (ArrayDeque<Reading> d : svc.probes.recent.values()) { held += d.size(); minHeld = Math.min(minHeld, d.size()); maxHeld = Math.max(maxHeld, d.size()); }
        for (int p = 0; p < PROBES; p++) pending += stored.get(p).size();
        for (int s = 0; s < SITES; s++) { if (offlineUntil[s] != 0) offline++; if (!hadOutage[s]) neverBackfilled += PROBES_PER_SITE; }
        ProbeHistory ph = svc.probes;
        SUMMARY = (FIXED ? "FIXED " : "") + "sites " + SITES_BY_CODE.size() + " tickets " + svc.tickets.size() + " probes " + ph.recent.size() + " readings " + (slots * PROBES)
                + " live " + ph.live + " backfilled " + ph.backfilled + " in " + ph.backfills + " batches (probes at sites never offline: " + neverBackfilled + "), stored on " + offline + " offline gateways " + pending
                + " held " + held + " (min " + minHeld + " max " + maxHeld + ", beyond 48 each: " + (held - PROBES * KEEP) + ") frames " + svc.framesWritten
                + " turn jobs " + svc.turnsRaised + " done " + svc.turnsDone + " backlog " + svc.turnJobs.size() + " certificates " + svc.certificates.size()
                + " (requests " + svc.certificateRequests + " evicted " + svc.certificates.evicted + ") pool " + svc.labelBuffers.size() + " labels " + svc.labelsPrinted;
        check(SITES_BY_CODE.size() == SITES + CUSTOMER_SITES && svc.tickets.size() == TICKETS, "reference data / directory");
        check(ph.recent.size() == PROBES, "probe map has one entry per probe");
        check(ph.live + ph.backfilled + pending == slots * PROBES, "readings accounted");
        if (FIXED) check(held == PROBES * KEEP, "fixed: 48 per probe: " + held);
        else check(held > PROBES * KEEP * 4 && minHeld > KEEP, "every probe's deque grew: " + held);
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.turnsRaised == svc.turnsDone + svc.turnJobs.size() && svc.turnJobs.size() > 0, "turn-job backlog");
        check(svc.framesWritten > FRAME_RING, "frame ring wraps");
        // the exact counts of the truth table (VALIDATION132.md)
        long[] got = {held, ph.live, ph.backfilled, ph.backfills, pending, neverBackfilled, svc.turnJobs.size(), svc.certificates.evicted};
        long[] expect = {FIXED ? 23_040 : 184_720, 270_460, 16_540, 440, 1_000, 140, 10, 896};
        check(java.util.Arrays.equals(expect, got), "exact counts " + java.util.Arrays.toString(got));
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val132.fixed");
        simulate();
        System.out.println(SUMMARY);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
