// hprofscan-dump: name=val30-leak-airportdisplays jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val30-leak-airportdisplays-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 30 (written blind), LEAK: the flight-information display system of an airport.
 * Airport reference data, the flight schedule directory, a cache of rendered display pages at its
 * cap, a pool of frame buffers, a ring of PA announcements, and the status log: every flight status
 * update is appended to StatusLog.entries, which 40 display subscribers read from their own offset;
 * the log is trimmed up to the slowest subscriber's offset. One gate display was unplugged an hour
 * in and never unsubscribed, so its offset pins every update after it. See VALIDATION30.md.
 */
public final class Val30LeakAirportDisplays {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int AIRPORTS = 1_500, FLIGHTS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, DISPLAYS = 40, UPDATES_PER_HOUR = 4_000, HOURS = 10;
    static final long POLL_EVERY = 15 * SECOND, TRIM_EVERY = 30 * SECOND, UNPLUGGED_AFTER = HOUR, STALE_AFTER = 5 * MINUTE;
    static boolean FIXED;

    record Airport(String iata, String city, double[] delayByHour) {}
    record Flight(String flightId, String carrier, String destination, byte[] scheduleDetails, long scheduledAt) {}
    record DisplayPage(String key, byte[] rendered, long at) {}
    record Announcement(String flightId, String text, long at) {}
    record StatusUpdate(long offset, String flightId, String status, String gate, long at, byte[] payload) {}

    static final class Subscriber {
        final String displayId, location;
        long readOffset, lastPollAt, polls;
        Subscriber(String displayId, String location, long subscribedAt) { this.displayId = displayId; this.location = location; this.lastPollAt = subscribedAt; }
    }

    /** Append log read by subscribers at their own offsets, trimmed to the slowest one. */
    static final class StatusLog {
        final ArrayList<StatusUpdate> entries = new ArrayList<>();
        final List<Subscriber> subscribers = new ArrayList<>();
        long baseOffset; // offset of entries.get(0)
        long appended, trims, trimmed, reaped;
        long head() { return baseOffset + entries.size(); }
        void append(String flightId, String status, String gate, long at, byte[] payload) { entries.add(new StatusUpdate(head(), flightId, status, gate, at, payload)); appended++; }
        int poll(Subscriber s, long at) {
            int n = (int) (head() - s.readOffset); // the display renders entries [readOffset, head)
            s.readOffset = head(); s.lastPollAt = at; s.polls++;
            return n;
        }
        void trim(long at) {
            trims++;
            if (FIXED) { // unsubscribe displays that stopped polling
                int before = subscribers.size();
                subscribers.removeIf(s -> at - s.lastPollAt > STALE_AFTER);
                reaped += before - subscribers.size();
            }
            // BUG: a subscriber that stopped polling keeps its offset forever
            long min = head();
            for (Subscriber s : subscribers) min = Math.min(min, s.readOffset);
            int n = (int) (min - baseOffset);
            if (n > 0) { entries.subList(0, n).clear(); baseOffset = min; trimmed += n; }
        }
    }

    static final class PageCache extends LinkedHashMap<String, DisplayPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DisplayPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Airport> AIRPORTS_BY_IATA = new HashMap<>();

    static final class DisplayService {
        final Map<String, Flight> flights = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Announcement[] announcements = new Announcement[RING];
        final StatusLog statusLog = new StatusLog();
        long announced, rendered;
    }

    static DisplayService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val30.fixed");
        int updates = UPDATES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(30_040_001);
        String[] iatas = new String[AIRPORTS];
        for (int a = 0; a < AIRPORTS; a++) {
            double[] delay = new double[64];
            for (int k = 0; k < delay.length; k++) delay[k] = rnd.nextDouble() * 40;
            iatas[a] = "" + (char) ('A' + (a / 676) % 26) + (char) ('A' + (a / 26) % 26) + (char) ('A' + a % 26);
            AIRPORTS_BY_IATA.put(iatas[a], new Airport(iatas[a], "City " + a, delay));
        }
        DisplayService svc = new DisplayService();
        SERVICE = svc;
        String[] carriers = {"BA", "LH", "AF", "KL", "IB", "AZ", "SK", "LX", "OS", "EI", "TP", "AY"};
        String[] flightIds = new String[FLIGHTS];
        for (int f = 0; f < FLIGHTS; f++) {
            String carrier = carriers[f % carriers.length];
            flightIds[f] = carrier + (100 + f / carriers.length) + "/" + (f % 7);
            svc.flights.put(flightIds[f], new Flight(flightIds[f], carrier, iatas[rnd.nextInt(AIRPORTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(180)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        StatusLog log = svc.statusLog;
        String[] halls = {"Pier A", "Pier B", "Pier C", "Check-in hall", "Baggage reclaim"};
        Subscriber unplugged = null;
        for (int d = 0; d < DISPLAYS; d++) {
            String id = d < 30 ? "GATE-" + (char) ('A' + d / 10) + (11 + d % 10) : "FIDS-" + (d - 29);
            Subscriber s = new Subscriber(id, halls[d % halls.length], start);
            log.subscribers.add(s);
            if (id.equals("GATE-B17")) unplugged = s;
        }
        Random traffic = new Random(30_040_002);
        String[] statuses = {"SCHEDULED", "CHECK-IN OPEN", "BOARDING", "FINAL CALL", "GATE CLOSED", "DEPARTED", "DELAYED", "GATE CHANGE", "CANCELLED"};
        long nextPoll = start + POLL_EVERY, nextTrim = start + TRIM_EVERY;
        long unplugAt = start + UNPLUGGED_AFTER;
        for (int i = 0; i < updates; i++) {
            long t = start + (end - MINUTE - start) * i / updates;
            while (nextPoll <= t || nextTrim <= t) {
                if (nextPoll <= nextTrim) {
                    for (Subscriber s : log.subscribers) {
                        if (s == unplugged && nextPoll >= unplugAt) continue; // the display is dark
                        svc.rendered += log.poll(s, nextPoll);
                    }
                    nextPoll += POLL_EVERY;
                } else {
                    log.trim(nextTrim);
                    nextTrim += TRIM_EVERY;
                }
            }
            String flight = flightIds[traffic.nextInt(FLIGHTS)];
            String status = statuses[traffic.nextInt(statuses.length)];
            String gate = "G" + (1 + traffic.nextInt(60));
            log.append(flight, status, gate, t, new byte[60 + traffic.nextInt(60)]);
            if (i % 4 == 0) svc.announcements[(int) (svc.announced++ % RING)] = new Announcement(flight, status, t);
            String key = "page-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new DisplayPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.frameBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.frameBuffers.add(buf);
        }
        long slowest = Long.MAX_VALUE, slowestLive = Long.MAX_VALUE;
        for (Subscriber s : log.subscribers) { slowest = Math.min(slowest, s.readOffset); if (s != unplugged) slowestLive = Math.min(slowestLive, s.readOffset); }
        System.out.println((FIXED ? "FIXED " : "") + "airports " + AIRPORTS_BY_IATA.size() + " flights " + svc.flights.size() + " updates " + log.appended + " log entries " + log.entries.size() + " (base offset " + log.baseOffset
                + ", trimmed " + log.trimmed + " in " + log.trims + " trims, reaped " + log.reaped + ") subscribers " + log.subscribers.size() + " slowest offset " + slowest + " (live displays " + slowestLive + ") unplugged offset " + unplugged.readOffset
                + " polls " + unplugged.polls + " announcements " + svc.announced + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.frameBuffers.size());
        check(AIRPORTS_BY_IATA.size() == AIRPORTS && svc.flights.size() == FLIGHTS, "reference data / directory");
        check(log.appended == updates && log.baseOffset + log.entries.size() == updates, "log traffic");
        if (FIXED) check(log.subscribers.size() == DISPLAYS - 1 && log.reaped == 1 && log.entries.size() < 2 * UPDATES_PER_HOUR / 60, "trimmed to the live displays: " + log.entries.size());
        else check(log.subscribers.size() == DISPLAYS && log.baseOffset == unplugged.readOffset && log.entries.size() == updates - unplugged.readOffset, "pinned by the dark display: " + log.entries.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.announced > RING && svc.announcements[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
