// hprofscan-dump: name=val39-healthy-clockmakers-1 jvm="-Xmx266m" variants=mxbean args="stage=1"
// hprofscan-dump: name=val39-healthy-clockmakers-2 jvm="-Xmx266m" variants=mxbean args="stage=2"
// hprofscan-dump: name=val39-healthy-clockmakers jvm="-Xmx266m" variants=mxbean args="stage=3"
// hprofscan-dump: name=val39-healthy-clockmakers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="stage=3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 39 (written blind), HEALTHY (series): the workshop service of a clock and watch
 * repairer. Movement-caliber reference data, a parts catalogue of the 4,000-part line filled lazily
 * on each part's first request (plus a prefetch of the popular parts in the first hour), an LRU of
 * rendered service sheets at its cap, a ring of timegrapher readings, a pool of acoustic capture
 * buffers, the repair tickets on the bench (removed when the repair is done), and customer
 * status-page sessions evicted after 20 idle minutes. Stage 1 / 2 / 3 simulate 1 / 4 / 8 hours
 * (program argument stage=N): the service warms up, and from stage 2 every structure is at its cap,
 * full size or steady state. No leak. See VALIDATION39.md.
 */
public final class Val39HealthyClockmakers {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, SESSION_IDLE = 20 * MINUTE;
    static final int CALIBERS = 1_000, PART_LINE = 4_000, PREFETCH = PART_LINE, SHEET_CAP = 2_000, POOL = 8, RING = 8_192, WATCHES = 30_000;
    static final int EVENTS_PER_HOUR = 3_000, TICKETS_PER_HOUR = 60, SESSIONS_PER_HOUR = 240;
    static final long[] STAGE_HOURS = {1, 4, 8};

    record Caliber(String code, String maker, double[] beatErrorByPosition) {}
    record Part(String partNo, String caliberCode, String description, byte[] drawing, int stock, long introducedAt) {}
    record ServiceSheet(String key, byte[] rendered, long at) {}
    record TimingReading(String watchSerial, float rateSecPerDay, short amplitudeDeg, float beatErrorMs, long at) {}
    record RepairTicket(String ticketNo, String watchSerial, String caliberCode, byte[] intakeNotes, long receivedAt, long dueAt) {}

    static final class StatusSession {
        final String sessionId, ticketNo;
        final long createdAt;
        long lastAccessAt;
        StatusSession(String sessionId, String ticketNo, long createdAt) { this.sessionId = sessionId; this.ticketNo = ticketNo; this.createdAt = createdAt; this.lastAccessAt = createdAt; }
    }

    static final class SheetCache extends LinkedHashMap<String, ServiceSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ServiceSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Caliber> CALIBERS_BY_CODE = new HashMap<>();

    static final class WorkshopService {
        final Map<String, Part> parts = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final TimingReading[] readings = new TimingReading[RING];
        final ArrayDeque<byte[]> captureBuffers = new ArrayDeque<>();
        final Map<String, RepairTicket> bench = new HashMap<>();
        final Map<String, StatusSession> sessions = new HashMap<>();
        long readingsWritten, ticketsDone, sessionsEvicted;
        Part part(String[] caliberCodes, int p, long t) {
            String partNo = "PT-" + (70_000 + p * 3);
            Part part = parts.get(partNo);
            if (part == null) {
                Random r = new Random(39_050_100L + p); // the part's catalogue record, independent of when it is loaded
                part = new Part(partNo, caliberCodes[r.nextInt(caliberCodes.length)], "part " + p, new byte[150 + r.nextInt(150)], r.nextInt(40), t - (long) (30 + r.nextInt(9_000)) * DAY);
                parts.put(partNo, part);
            }
            return part;
        }
        void evictIdle(long now) {
            for (Iterator<StatusSession> it = sessions.values().iterator(); it.hasNext(); ) {
                if (now - it.next().lastAccessAt >= SESSION_IDLE) { it.remove(); sessionsEvicted++; }
            }
        }
    }

    static WorkshopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record Done(String ticketNo, long at) {}

    public static void main(String[] args) throws Exception {
        int stage = 3;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("stage=")) stage = Integer.parseInt(args[i].substring(6));
            else throw new IllegalArgumentException("unexpected argument " + args[i]);
        }
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long hours = STAGE_HOURS[stage - 1];
        long start = end - hours * HOUR;
        Random rnd = new Random(39_050_001);
        String[] caliberCodes = new String[CALIBERS];
        String[] makers = {"ETA", "Sellita", "Miyota", "Seiko", "Hermle", "Kieninger", "Urgos", "Smiths"};
        for (int c = 0; c < CALIBERS; c++) {
            double[] b = new double[64];
            for (int k = 0; k < b.length; k++) b[k] = rnd.nextDouble() * 1.2;
            caliberCodes[c] = "CAL-" + (2_800 + c);
            CALIBERS_BY_CODE.put(caliberCodes[c], new Caliber(caliberCodes[c], makers[rnd.nextInt(makers.length)], b));
        }
        WorkshopService svc = new WorkshopService();
        SERVICE = svc;
        for (int b = 0; b < POOL; b++) svc.captureBuffers.add(new byte[32_768]);

        Random traffic = new Random(39_050_002);
        int events = (int) (EVENTS_PER_HOUR * hours);
        int ticketsEvery = EVENTS_PER_HOUR / TICKETS_PER_HOUR, sessionsEvery = EVENTS_PER_HOUR / SESSIONS_PER_HOUR;
        PriorityQueue<Done> done = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        long nextSweep = start + MINUTE;
        int prefetched = 0, tickets = 0, sessionsOpened = 0;
        String[] openSessionIds = new String[64];
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextSweep <= t) { svc.evictIdle(nextSweep); nextSweep += MINUTE; }
            while (!done.isEmpty() && done.peek().at() <= t) { svc.bench.remove(done.poll().ticketNo()); svc.ticketsDone++; }
            if (prefetched < PREFETCH) svc.part(caliberCodes, prefetched++, t); // the catalogue warmer: one part per request slot, in part-number order, until the line is loaded
            svc.part(caliberCodes, traffic.nextInt(PART_LINE), t);
            String serial = "W" + (1_000_000 + traffic.nextInt(WATCHES));
            svc.readings[(int) (svc.readingsWritten++ % RING)] = new TimingReading(serial, -5 + traffic.nextFloat() * 15, (short) (220 + traffic.nextInt(90)), traffic.nextFloat(), t);
            if (traffic.nextInt(10) > 0) {
                String key = serial + "/sheet";
                if (svc.sheets.get(key) == null) svc.sheets.put(key, new ServiceSheet(key, new byte[400 + traffic.nextInt(400)], t));
            }
            byte[] buf = svc.captureBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.captureBuffers.add(buf);
            if (i % ticketsEvery == 0) {
                String ticketNo = "RT-" + (61_000 + tickets++);
                svc.bench.put(ticketNo, new RepairTicket(ticketNo, serial, caliberCodes[traffic.nextInt(CALIBERS)], new byte[300 + traffic.nextInt(300)], t, t + (3 + traffic.nextInt(10)) * DAY));
                done.add(new Done(ticketNo, t + (30 + traffic.nextInt(91)) * MINUTE));
            }
            if (i % sessionsEvery == 0) {
                String sid = "ss-" + Long.toHexString(0x39_0000_0000L + sessionsOpened);
                svc.sessions.put(sid, new StatusSession(sid, "RT-" + (61_000 + traffic.nextInt(Math.max(1, tickets))), t));
                openSessionIds[sessionsOpened++ % openSessionIds.length] = sid;
            }
            StatusSession s = svc.sessions.get(openSessionIds[traffic.nextInt(openSessionIds.length)] + "");
            if (s != null && traffic.nextInt(4) == 0) s.lastAccessAt = t; // the customer refreshes the status page
        }
        while (nextSweep <= end) { svc.evictIdle(nextSweep); nextSweep += MINUTE; }
        while (!done.isEmpty() && done.peek().at() <= end) { svc.bench.remove(done.poll().ticketNo()); svc.ticketsDone++; }
        done.clear();

        System.out.println("stage " + stage + " hours " + hours + " calibers " + CALIBERS_BY_CODE.size() + " parts " + svc.parts.size() + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") readings " + svc.readingsWritten
                + " bench " + svc.bench.size() + " tickets " + tickets + " done " + svc.ticketsDone + " sessions " + svc.sessions.size() + " opened " + sessionsOpened + " evicted " + svc.sessionsEvicted + " pool " + svc.captureBuffers.size());
        check(CALIBERS_BY_CODE.size() == CALIBERS, "reference data");
        check(svc.parts.size() == EXPECTED_PARTS[stage - 1], "parts catalogue");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted == EXPECTED_SHEETS_EVICTED[stage - 1], "sheet cache at cap");
        check(svc.readingsWritten == events, "readings");
        check(svc.bench.size() == EXPECTED_BENCH[stage - 1] && tickets == svc.bench.size() + svc.ticketsDone, "bench");
        check(svc.sessions.size() == EXPECTED_SESSIONS[stage - 1] && sessionsOpened == svc.sessions.size() + svc.sessionsEvicted, "sessions");
        check(svc.captureBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final int[] EXPECTED_PARTS = {3_512, 4_000, 4_000}, EXPECTED_BENCH = {52, 74, 72}, EXPECTED_SESSIONS = {125, 121, 123};
    static final long[] EXPECTED_SHEETS_EVICTED = {602, 8_177, 18_243};
}
