// hprofscan-dump: name=val121-leak-infusionpumps jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val121-leak-infusionpumps-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 121 (written blind), LEAK: the telemetry service of a hospital group's fleet of
 * infusion pumps. Every pump keeps its most recent events (rate changes, boluses, alarms) for the
 * bedside dashboard in a deque that should hold the last {@link #RECENT_EVENTS}. Pumps with a
 * network module publish each event live and that path trims the deque; pumps on the older
 * store-and-forward firmware (3.x, no live link) upload their event log when they are docked, and
 * that path appends the whole log without trimming. So the deques of the live pumps sit at the cap
 * while those of the docked pumps hold every event since start.
 * Ordinary components beside it: ward reference data, the drug library, a cache of rendered ward
 * reports at its cap, a pool of HL7 message buffers, a ring of the fleet's recent events, the
 * backlog of alarm pages waiting for a nurse's acknowledgement. See VALIDATION121.md.
 */
public final class Val121LeakInfusionPumps {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int HOSPITALS = 30, WARDS_PER_HOSPITAL = 30, DRUG_ENTRIES = 20_000, PUMPS = 3_000, RECENT_EVENTS = 32, REPORT_CAP = 2_000,
            POOL = 8, RING = 8_192, HOURS = 10, REPORTS_PER_MINUTE = 8, PAGE_ACK_MINUTES = 6;
    static final String[] EVENT_TYPES = {"INFUSION_START", "RATE_CHANGE", "RATE_CHANGE", "BOLUS", "VTBI_COMPLETE", "KVO", "PAUSE", "RESUME",
            "SYRINGE_CHANGE", "BATTERY_LOW"};
    static final String[] ALARMS = {"OCCLUSION_DOWNSTREAM", "OCCLUSION_UPSTREAM", "AIR_IN_LINE", "DOOR_OPEN", "NEAR_EMPTY"};
    static final String[] MODELS = {"Volumat MC", "Syramed S4", "Alaris GP", "Agilia SP"};
    static final String[] REPORT_KINDS = {"shift-handover", "alarm-summary", "titration", "library-compliance", "battery", "utilisation"};
    static final String[] DRUGS = {"heparin", "insulin", "morphine", "noradrenaline", "propofol", "vancomycin", "potassium chloride", "oxytocin",
            "dobutamine", "fentanyl", "midazolam", "amiodarone", "paracetamol", "meropenem", "furosemide", "magnesium sulfate"};
    static boolean FIXED;

    record Ward(String code, String hospital, String name, int beds, double[] occupancyByHalfHour) {}
    record DrugEntry(String entryId, String drug, String concentration, byte[] limits, long revisedAt) {}
    record PumpEvent(long seq, long at, String type, String drugEntry, float rateMlH, float vtbiMl, int alarmCode) {}
    record RenderedReport(String key, byte[] pdf, long renderedAt) {}
    record AlarmPage(String pumpSerial, String ward, String alarm, String text, long raisedAt) {}

    static final Map<String, Ward> WARDS_BY_CODE = new HashMap<>();

    static final class Pump {
        final String serial, model, firmware;
        final boolean liveLink;
        String ward;
        final ArrayDeque<PumpEvent> recent = new ArrayDeque<>();
        long lastSeenAt, eventsReceived, uploads;

        Pump(String serial, String model, String firmware, boolean liveLink, String ward) {
            this.serial = serial; this.model = model; this.firmware = firmware; this.liveLink = liveLink; this.ward = ward;
        }
    }

    static final class ReportCache extends LinkedHashMap<String, RenderedReport> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final class PumpTelemetryService {
        final Map<String, DrugEntry> drugLibrary = new HashMap<>();
        final String[] drugEntryIds = new String[DRUG_ENTRIES];
        final Map<String, Pump> pumps = new HashMap<>();
        final List<Pump> roster = new ArrayList<>();
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> hl7Buffers = new ArrayDeque<>();
        final PumpEvent[] fleetRing = new PumpEvent[RING];
        final ArrayDeque<AlarmPage> pages = new ArrayDeque<>();
        long ringPos, liveEvents, uploadedEvents, uploads, pagesRaised, pagesAcked, reportsRequested;

        /** Live path: a pump with a network module publishes each event as it happens. */
        void onLiveEvent(Pump p, PumpEvent e, long receivedAt) {
            p.recent.addLast(e);
            while (p.recent.size() > RECENT_EVENTS) p.recent.removeFirst();
            liveEvents++;
            accept(p, e, receivedAt);
        }

        /** Docking-station path: a store-and-forward pump uploads the event log it kept since it was last docked. */
        void onDockUpload(Pump p, List<PumpEvent> log, long receivedAt) {
            p.recent.addAll(log); // BUG: the dashboard deque is only trimmed on the live path
            if (FIXED) while (p.recent.size() > RECENT_EVENTS) p.recent.removeFirst();
            p.uploads++;
            uploads++;
            uploadedEvents += log.size();
            for (PumpEvent e : log) accept(p, e, receivedAt);
        }

        void accept(Pump p, PumpEvent e, long receivedAt) {
            p.lastSeenAt = Math.max(p.lastSeenAt, e.at());
            p.eventsReceived++;
            fleetRing[(int) (ringPos++ % RING)] = e;
            if (e.alarmCode() != 0) {
                String alarm = ALARMS[e.alarmCode() - 1];
                byte[] buf = hl7Buffers.poll();
                String msg = "MSH|^~\\&|PUMPGW|" + p.ward + "|PAGER|NURSE|" + receivedAt + "||ORU^R40|" + e.seq() + "|P|2.6";
                for (int i = 0; i < msg.length(); i++) buf[i] = (byte) msg.charAt(i);
                hl7Buffers.add(buf);
                pages.addLast(new AlarmPage(p.serial, p.ward, alarm, alarm.replace('_', ' ').toLowerCase() + " on pump " + p.serial + " (" + p.model + ")", receivedAt));
                pagesRaised++;
            }
        }

        void ackPages(long t) {
            while (!pages.isEmpty() && pages.peekFirst().raisedAt() <= t - PAGE_ACK_MINUTES * MINUTE) { pages.pollFirst(); pagesAcked++; }
        }

        RenderedReport report(String ward, String kind, int shift, long t, Random r) {
            reportsRequested++;
            String key = ward + "/" + kind + "/shift-" + shift;
            RenderedReport rep = reports.get(key);
            if (rep == null) {
                rep = new RenderedReport(key, new byte[400 + r.nextInt(400)], t);
                reports.put(key, rep);
            }
            return rep;
        }
    }

    static PumpTelemetryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(121_010_001);
        String[] wards = new String[HOSPITALS * WARDS_PER_HOSPITAL];
        String[] wardNames = {"ICU", "HDU", "Theatres", "Recovery", "Oncology", "Cardiology", "Renal", "Maternity", "Paediatrics", "Acute Medicine"};
        for (int h = 0; h < HOSPITALS; h++) {
            for (int w = 0; w < WARDS_PER_HOSPITAL; w++) {
                String code = "RX" + (100 + h * 7) + "-W" + (w < 9 ? "0" : "") + (w + 1);
                double[] occ = new double[48];
                for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
                wards[h * WARDS_PER_HOSPITAL + w] = code;
                WARDS_BY_CODE.put(code, new Ward(code, "RX" + (100 + h * 7), wardNames[w % wardNames.length] + " " + (1 + w / 10), 12 + rnd.nextInt(20), occ));
            }
        }
        PumpTelemetryService svc = new PumpTelemetryService();
        SERVICE = svc;
        for (int d = 0; d < DRUG_ENTRIES; d++) {
            String drug = DRUGS[rnd.nextInt(DRUGS.length)];
            svc.drugEntryIds[d] = "DL-" + (40_000 + d * 3);
            svc.drugLibrary.put(svc.drugEntryIds[d], new DrugEntry(svc.drugEntryIds[d], drug, (1 + rnd.nextInt(50)) + " mg/" + (10 * (1 + rnd.nextInt(10))) + " mL",
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * DAY));
        }
        long[] nextDock = new long[PUMPS];
        List<List<PumpEvent>> deviceLogs = new ArrayList<>();
        for (int i = 0; i < PUMPS; i++) {
            boolean live = rnd.nextInt(100) >= 30;
            String serial = "IP" + (7_100_000 + i * 13);
            Pump p = new Pump(serial, MODELS[rnd.nextInt(MODELS.length)], live ? "5." + rnd.nextInt(4) + "." + rnd.nextInt(10) : "3.8." + rnd.nextInt(6), live,
                    wards[rnd.nextInt(wards.length)]);
            svc.pumps.put(serial, p);
            svc.roster.add(p);
            nextDock[i] = start + (20 + rnd.nextInt(21)) * MINUTE;
            deviceLogs.add(new ArrayList<>());
        }
        for (int b = 0; b < POOL; b++) svc.hl7Buffers.add(new byte[32_768]);

        Random events = new Random(121_010_002), reports = new Random(121_010_003), docks = new Random(121_010_004);
        long seq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int i = 0; i < PUMPS; i++) {
                Pump p = svc.roster.get(i);
                if (events.nextInt(3) == 0) {
                    int alarm = events.nextInt(50) == 0 ? 1 + events.nextInt(ALARMS.length) : 0;
                    PumpEvent e = new PumpEvent(++seq, t + events.nextInt(60) * SECOND, alarm != 0 ? "ALARM" : EVENT_TYPES[events.nextInt(EVENT_TYPES.length)],
                            svc.drugEntryIds[events.nextInt(DRUG_ENTRIES)], 0.5f + events.nextInt(2_000) / 10f, 5f * (1 + events.nextInt(200)), alarm);
                    if (p.liveLink) svc.onLiveEvent(p, e, t);
                    else deviceLogs.get(i).add(e);
                }
                if (!p.liveLink && t >= nextDock[i]) {
                    List<PumpEvent> log = deviceLogs.get(i);
                    if (!log.isEmpty()) {
                        svc.onDockUpload(p, log, t);
                        deviceLogs.set(i, new ArrayList<>());
                    }
                    nextDock[i] = t + (20 + docks.nextInt(21)) * MINUTE;
                }
            }
            for (int k = 0; k < REPORTS_PER_MINUTE; k++) {
                svc.report(wards[reports.nextInt(wards.length)], REPORT_KINDS[reports.nextInt(REPORT_KINDS.length)], reports.nextInt(3), t, reports);
            }
            svc.ackPages(t);
        }
    }

    static void report() {
        PumpTelemetryService svc = SERVICE;
        int live = 0, stored = 0, liveHeld = 0, storedHeld = 0, beyondCap = 0, liveAtCap = 0, storedMax = 0, storedOverCap = 0;
        for (Pump p : svc.roster) {
            if (p.liveLink) { live++; liveHeld += p.recent.size(); if (p.recent.size() == RECENT_EVENTS) liveAtCap++; }
            else {
                stored++; storedHeld += p.recent.size(); storedMax = Math.max(storedMax, p.recent.size());
                if (p.recent.size() > RECENT_EVENTS) { storedOverCap++; beyondCap += p.recent.size() - RECENT_EVENTS; }
            }
        }
        System.out.println((FIXED ? "FIXED " : "") + "wards " + WARDS_BY_CODE.size() + " drug library " + svc.drugLibrary.size() + " pumps " + svc.pumps.size()
                + " (live " + live + ", store-and-forward " + stored + ") events live " + svc.liveEvents + " uploaded " + svc.uploadedEvents + " in " + svc.uploads + " uploads"
                + " deque entries live " + liveHeld + " (at cap " + liveAtCap + ") store-and-forward " + storedHeld + " (over cap " + storedOverCap + ", beyond cap " + beyondCap
                + ", max " + storedMax + ") reports " + svc.reports.size() + " (requested " + svc.reportsRequested + ", evicted " + svc.reports.evicted + ") pool " + svc.hl7Buffers.size()
                + " pages backlog " + svc.pages.size() + " (raised " + svc.pagesRaised + ", acked " + svc.pagesAcked + ")");
        check(WARDS_BY_CODE.size() == HOSPITALS * WARDS_PER_HOSPITAL && svc.drugLibrary.size() == DRUG_ENTRIES, "reference data / drug library");
        check(svc.pumps.size() == PUMPS && svc.roster.size() == PUMPS && live == 2_122 && stored == 878, "pump fleet");
        check(svc.liveEvents == 424_627 && svc.uploadedEvents == 171_312 && svc.uploads == 17_127, "events");
        check(liveHeld == 67_904 && liveAtCap == 2_122, "live deques at cap");
        check(FIXED ? storedHeld == 28_096 && storedOverCap == 0 : storedHeld == 171_312 && storedOverCap == 878 && beyondCap == 143_216 && storedMax == 231,
                "store-and-forward deques");
        check(svc.fleetRing[RING - 1] != null && svc.ringPos == svc.liveEvents + svc.uploadedEvents, "fleet ring");
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted == 2_310 && svc.reportsRequested == (long) REPORTS_PER_MINUTE * HOURS * 60, "report cache at cap");
        check(svc.hl7Buffers.size() == POOL, "hl7 buffer pool");
        check(svc.pagesRaised == 11_843 && svc.pages.size() == 126 && svc.pagesRaised == svc.pagesAcked + svc.pages.size(), "alarm pages");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val121.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
