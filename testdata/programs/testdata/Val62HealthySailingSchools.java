// hprofscan-dump: name=val62-healthy-sailingschools-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val62-healthy-sailingschools-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val62-healthy-sailingschools jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val62-healthy-sailingschools-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 62 (written blind), HEALTHY: the fleet and booking service of a network of
 * sailing schools. School reference data, the student directory, an event-sourced repository of
 * the 1,500 training boats that keeps each boat's last 4 snapshots (older ones are dropped), the
 * read buffers of the boats' GPS trackers keyed by channel (released when a channel closes), the
 * logging framework's static registry with one "audit.bookings" logger (the booking id goes into
 * the message, not the logger name), a pool of 8 line buffers for the shore AIS receivers (reset
 * on release), and a ring of lesson check-ins. Warms up in the first hours, then plateaus.
 * See VALIDATION62.md.
 */
public final class Val62HealthySailingSchools {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SCHOOLS = 1_000, STUDENTS = 25_000, BOATS = 1_500, KEEP_VERSIONS = 4, TRACKERS = 40, READ_BUFFER = 16_384, POOL = 8, RING = 8_192;
    static final int BOAT_EVENTS_PER_HOUR = 6_000, CHECKINS_PER_HOUR = 3_000;

    record School(String code, String harbour, double[] tideTable) {}
    record Student(String memberId, String name, String level, byte[] logbook, long joinedAt) {}
    record BoatSnapshot(String boatId, long version, long at, String status, double engineHours, double hullWearPct, int[] sailHours) {}
    record CheckIn(String memberId, String boatId, String instructor, long at) {}

    /** Event-sourced repository that keeps the last KEEP_VERSIONS snapshots of each boat. */
    static final class BoatRepository {
        final Map<String, ArrayList<BoatSnapshot>> versions = new HashMap<>();
        long events, dropped;
        void load(BoatSnapshot s) { ArrayList<BoatSnapshot> l = new ArrayList<>(KEEP_VERSIONS + 1); l.add(s); versions.put(s.boatId(), l); }
        BoatSnapshot current(String id) { ArrayList<BoatSnapshot> l = versions.get(id); return l.get(l.size() - 1); }
        void save(BoatSnapshot s) {
            ArrayList<BoatSnapshot> l = versions.get(s.boatId());
            l.add(s); events++;
            if (l.size() > KEEP_VERSIONS) { l.remove(0); dropped++; }
        }
    }

    static final class Channel {
        final long id; final String tracker; final long openedAt; boolean closed; long closedAt, bytesRead;
        Channel(long id, String tracker, long openedAt) { this.id = id; this.tracker = tracker; this.openedAt = openedAt; }
    }

    static final class ReadBufferRegistry {
        final Map<Channel, ByteBuffer> buffers = new HashMap<>();
        ByteBuffer bufferFor(Channel ch) { return buffers.computeIfAbsent(ch, c -> ByteBuffer.allocate(READ_BUFFER)); }
        void release(Channel ch) { buffers.remove(ch); }
    }

    static final class Formatter { final StringBuilder buffer = new StringBuilder(512); }
    static final class Handler { final String target; final Formatter formatter = new Formatter(); long written; Handler(String target) { this.target = target; } }
    static final class Logger {
        final String name; final Handler handler; long records;
        Logger(String name) { this.name = name; this.handler = new Handler("archive://logs/" + name); }
        void info(String msg, long at) {
            records++;
            StringBuilder b = handler.formatter.buffer;
            b.setLength(0);
            b.append(at).append(' ').append(name).append(" - ").append(msg);
            AUDIT_LINES[(int) (auditWritten++ % AUDIT_LINES.length)] = b.toString();
            handler.written++;
        }
    }
    static final class LoggerRegistry {
        static final Map<String, Logger> LOGGERS = new ConcurrentHashMap<>();
        static Logger getLogger(String name) { return LOGGERS.computeIfAbsent(name, Logger::new); }
    }
    static final String[] AUDIT_LINES = new String[4_096];
    static long auditWritten;

    static final class LineBufferPool {
        final StringBuilder[] all = new StringBuilder[POOL];
        final ArrayDeque<StringBuilder> free = new ArrayDeque<>();
        LineBufferPool() { for (int i = 0; i < POOL; i++) { all[i] = new StringBuilder(256); free.add(all[i]); } }
        StringBuilder borrow() { return free.poll(); }
        void release(StringBuilder sb) { sb.setLength(0); free.add(sb); }
    }

    static final Map<String, School> SCHOOLS_BY_CODE = new HashMap<>();

    static final class FleetService {
        final Map<String, Student> students = new HashMap<>();
        final BoatRepository boats = new BoatRepository();
        final ReadBufferRegistry trackerBuffers = new ReadBufferRegistry();
        final Map<String, Channel> openByTracker = new HashMap<>();
        final LineBufferPool aisLines = new LineBufferPool();
        final CheckIn[] checkIns = new CheckIn[RING];
        long checkInsWritten, channelsOpened, channelsClosed, aisSentences;
        Channel open(String tracker, long at) { Channel ch = new Channel(++channelsOpened, tracker, at); openByTracker.put(tracker, ch); trackerBuffers.bufferFor(ch); return ch; }
        void close(Channel ch, long at) { ch.closed = true; ch.closedAt = at; openByTracker.remove(ch.tracker); trackerBuffers.release(ch); channelsClosed++; }
    }

    static FleetService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        for (String c : new String[] {"bookings", "fleet", "trackers", "payments", "weather", "instructors", "http", "ais", "notifications", "reports"}) LoggerRegistry.getLogger("sailing." + c);
        Logger audit = LoggerRegistry.getLogger("audit.bookings");
        Random rnd = new Random(62_050_001);
        String[] schoolCodes = new String[SCHOOLS];
        for (int s = 0; s < SCHOOLS; s++) {
            double[] tides = new double[64];
            for (int k = 0; k < tides.length; k++) tides[k] = rnd.nextDouble() * 6;
            schoolCodes[s] = "SS-" + (200 + s);
            SCHOOLS_BY_CODE.put(schoolCodes[s], new School(schoolCodes[s], "Harbour " + (s % 180), tides));
        }
        FleetService svc = new FleetService();
        SERVICE = svc;
        String[] levels = {"Competent Crew", "Day Skipper", "Coastal Skipper", "Yachtmaster", "Dinghy 1", "Dinghy 2"};
        String[] members = new String[STUDENTS];
        for (int m = 0; m < STUDENTS; m++) {
            members[m] = "SM" + (600_000 + m * 3);
            svc.students.put(members[m], new Student(members[m], "Student " + m, levels[m % levels.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        String[] boatIds = new String[BOATS];
        for (int b = 0; b < BOATS; b++) {
            boatIds[b] = schoolCodes[b % SCHOOLS] + "/B" + b;
            int[] sails = new int[16];
            for (int k = 0; k < sails.length; k++) sails[k] = rnd.nextInt(3_000);
            svc.boats.load(new BoatSnapshot(boatIds[b], 0, now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR, "MOORED", rnd.nextDouble() * 4_000, rnd.nextDouble() * 30, sails));
        }
        String[] trackers = new String[TRACKERS];
        for (int k = 0; k < TRACKERS; k++) trackers[k] = "TRK-" + (k + 1);
        Random traffic = new Random(62_050_002);
        Channel[] current = new Channel[TRACKERS];
        long[] closeAt = new long[TRACKERS];
        for (int k = 0; k < TRACKERS; k++) { current[k] = svc.open(trackers[k], start); closeAt[k] = start + (30 + traffic.nextInt(61)) * MINUTE; }
        String[] statuses = {"MOORED", "OUT", "RETURNED", "MAINTENANCE"};
        int events = BOAT_EVENTS_PER_HOUR * hours;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            for (int k = 0; k < TRACKERS; k++) {
                if (closeAt[k] <= t) { svc.close(current[k], closeAt[k]); current[k] = svc.open(trackers[k], t); closeAt[k] = t + (30 + traffic.nextInt(61)) * MINUTE; }
            }
            String boat = boatIds[traffic.nextInt(BOATS)];
            BoatSnapshot cur = svc.boats.current(boat);
            int[] sails = cur.sailHours().clone();
            sails[traffic.nextInt(sails.length)] += 1 + traffic.nextInt(4);
            svc.boats.save(new BoatSnapshot(boat, cur.version() + 1, t, statuses[traffic.nextInt(statuses.length)], cur.engineHours() + traffic.nextDouble(), cur.hullWearPct() + traffic.nextDouble() * 0.01, sails));
            Channel ch = current[traffic.nextInt(TRACKERS)];
            ByteBuffer rb = svc.trackerBuffers.bufferFor(ch);
            rb.put(i % READ_BUFFER, (byte) i);
            ch.bytesRead += 100 + traffic.nextInt(400);
            StringBuilder line = svc.aisLines.borrow();
            line.append("!AIVDM,1,1,,A,").append(Long.toString(traffic.nextLong() & 0xFFFF_FFFF_FFFFL, 36)).append(",0*").append(Integer.toHexString(traffic.nextInt(256)));
            svc.aisSentences++;
            svc.aisLines.release(line);
            if (i % 2 == 0) {
                String member = members[traffic.nextInt(STUDENTS)];
                svc.checkIns[(int) (svc.checkInsWritten++ % RING)] = new CheckIn(member, boat, "Instructor " + traffic.nextInt(90), t);
                audit.info("booking=SB-" + (9_000_000 + i) + " member=" + member + " boat=" + boat + " CHECKED_IN", t);
            }
        }
        long snapshots = 0;
        int longest = 0;
        for (ArrayList<BoatSnapshot> l : svc.boats.versions.values()) { snapshots += l.size(); longest = Math.max(longest, l.size()); }
        long lineCap = 0;
        for (StringBuilder sb : svc.aisLines.all) lineCap += sb.capacity();
        System.out.println("stage " + stage + " schools " + SCHOOLS_BY_CODE.size() + " students " + svc.students.size() + " boats " + svc.boats.versions.size() + " snapshots " + snapshots + " (longest " + longest + ", events " + svc.boats.events + ", dropped " + svc.boats.dropped
                + ") channels opened " + svc.channelsOpened + " closed " + svc.channelsClosed + " read buffers " + svc.trackerBuffers.buffers.size() + " loggers " + LoggerRegistry.LOGGERS.size() + " audit lines " + auditWritten
                + " line buffers free " + svc.aisLines.free.size() + " (capacity " + lineCap + ") check-ins " + svc.checkInsWritten);
        check(SCHOOLS_BY_CODE.size() == SCHOOLS && svc.students.size() == STUDENTS, "reference data / directory");
        check(svc.boats.versions.size() == BOATS && longest <= KEEP_VERSIONS && snapshots == BOATS + events - svc.boats.dropped, "boat versions bounded");
        check(svc.trackerBuffers.buffers.size() == TRACKERS && svc.openByTracker.size() == TRACKERS && svc.channelsOpened == svc.channelsClosed + TRACKERS, "read buffers of open channels");
        check(LoggerRegistry.LOGGERS.size() == 11 && auditWritten == svc.checkInsWritten, "loggers fixed");
        check(svc.aisLines.free.size() == POOL && lineCap < POOL * 1_024L, "line buffers reset");
        check(svc.checkInsWritten == events / 2, "check-in ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
