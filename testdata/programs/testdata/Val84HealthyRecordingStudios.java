// hprofscan-dump: name=val84-healthy-recordingstudios jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val84-healthy-recordingstudios-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Validation set 84 (written blind), HEALTHY: the booking and session service of a chain of
 * recording studios. Studio reference data, the booking directory, a cache of rendered mix previews
 * at its cap (keyed by a value record), a ring of loudness-meter readings, a pool of audio buffers
 * (free deque + inUse identity set) released in finally even when decoding fails, a topic broker
 * whose per-session topics are removed with their last subscriber, and a call-sheet reminder index
 * keyed by due time whose firing loop removes every fired reminder, failed ones included
 * (dead-lettered). See VALIDATION84.md.
 */
public final class Val84HealthyRecordingStudios {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STUDIOS = 1_100, BOOKINGS = 26_000, PREVIEW_CAP = 2_000, RING = 16_384, HOURS = 10;
    static final int SESSIONS_PER_HOUR = 100, PREVIEWS_PER_HOUR = 4_000, READINGS_PER_PREVIEW = 2;
    static final int AUDIO_BUFFER = 32_768, PREALLOCATED = 10, MAX_IN_FLIGHT = 2;

    record Studio(String code, String city, double[] roomSchedule) {}
    record Booking(String code, String studioCode, String artist, byte[] rider, long bookedAt, long sessionAt) {}
    record PreviewKey(String trackId, int mixVersion, String format) {}
    record Preview(PreviewKey key, byte[] rendered, long at) {}
    record MeterReading(String studioCode, float lufs, float truePeak, long at) {}

    interface Subscriber { void onMessage(String topic, String event, long at); }

    static final class Broker {
        final Map<String, Set<Subscriber>> topics = new HashMap<>();
        long published, removedTopics;
        void subscribe(String topic, Subscriber s) { topics.computeIfAbsent(topic, k -> new HashSet<>()).add(s); }
        void unsubscribe(String topic, Subscriber s) {
            Set<Subscriber> set = topics.get(topic);
            if (set == null) return;
            set.remove(s);
            if (set.isEmpty()) { topics.remove(topic); removedTopics++; }
        }
        void publish(String topic, String event, long at) {
            published++;
            Set<Subscriber> set = topics.get(topic);
            if (set != null) for (Subscriber s : new ArrayList<>(set)) s.onMessage(topic, event, at);
        }
    }

    /** The engineer's console or the artist's app, following one session. */
    static final class SessionFollower implements Subscriber {
        final Broker broker; final String topic, role; int takes; String last;
        SessionFollower(Broker broker, String topic, String role) { this.broker = broker; this.topic = topic; this.role = role; }
        @Override public void onMessage(String t, String event, long at) {
            last = event;
            if (event.startsWith("TAKE")) takes++;
            if (event.equals("WRAPPED")) broker.unsubscribe(topic, this);
        }
    }

    static final class CallReminder {
        final String bookingCode, phone; final byte[] message; long dueAt; int attempts;
        CallReminder(String bookingCode, String phone, byte[] message) { this.bookingCode = bookingCode; this.phone = phone; this.message = message; }
    }

    /** Call-sheet reminders by due time; every fired reminder leaves the index. */
    static final class CallSheetIndex {
        final ConcurrentSkipListMap<Long, CallReminder> byDue = new ConcurrentSkipListMap<>();
        long scheduled, sent, deadLettered;
        void schedule(CallReminder r, long due) {
            while (byDue.putIfAbsent(due, r) != null) due++;
            r.dueAt = due; scheduled++;
        }
        void fire(long now, Random r) {
            for (Iterator<CallReminder> it = byDue.headMap(now, true).values().iterator(); it.hasNext(); ) {
                CallReminder c = it.next();
                c.attempts++;
                if (r.nextInt(100) < 6) deadLettered++; else sent++;
                it.remove();
            }
        }
    }

    static final class PooledBuffer {
        final byte[] pcm = new byte[AUDIO_BUFFER]; String leasedBy; long leasedAt;
    }

    /** Audio buffer pool; released in finally. */
    static final class AudioPool {
        final ArrayDeque<PooledBuffer> free = new ArrayDeque<>();
        final Set<PooledBuffer> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
        int created; long leases, releases;
        AudioPool() { for (int i = 0; i < PREALLOCATED; i++) { free.push(new PooledBuffer()); created++; } }
        PooledBuffer acquire(String who, long at) {
            PooledBuffer b = free.poll();
            if (b == null) { b = new PooledBuffer(); created++; }
            b.leasedBy = who; b.leasedAt = at; inUse.add(b); leases++;
            return b;
        }
        void release(PooledBuffer b) { if (inUse.remove(b)) { b.leasedBy = null; free.push(b); releases++; } }
    }

    static final class PreviewCache extends LinkedHashMap<PreviewKey, Preview> {
        long evicted, hits, misses;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<PreviewKey, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final class Session {
        final String bookingCode, topic; final long startAt, endAt; long nextAt; int takes;
        Session(String bookingCode, long startAt, long endAt) { this.bookingCode = bookingCode; this.topic = "session/" + bookingCode + "/events"; this.startAt = startAt; this.endAt = endAt; this.nextAt = startAt + 20 * MINUTE; }
    }

    static final Map<String, Studio> STUDIOS_BY_CODE = new HashMap<>();

    static final class StudioService {
        final Map<String, Booking> bookings = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final MeterReading[] meters = new MeterReading[RING];
        long metersWritten;
        final AudioPool audio = new AudioPool();
        final ArrayDeque<PooledBuffer> decoding = new ArrayDeque<>();
        long decodeErrors;
        final Broker broker = new Broker();
        final CallSheetIndex callSheets = new CallSheetIndex();
        final PriorityQueue<Session> live = new PriorityQueue<>(Comparator.comparingLong((Session s) -> s.nextAt));
        long sessionsWrapped;

        void decodeStep(Random r) {
            if (decoding.size() <= MAX_IN_FLIGHT) return;
            PooledBuffer b = decoding.poll();
            try {
                if (r.nextInt(1_000) < 15) throw new IllegalArgumentException("corrupt FLAC frame");
                b.pcm[r.nextInt(AUDIO_BUFFER)] = 1;
            } catch (IllegalArgumentException bad) {
                decodeErrors++;
            } finally {
                audio.release(b);
            }
        }
        void advance(long now) {
            while (!live.isEmpty() && live.peek().nextAt <= now) {
                Session s = live.poll();
                if (s.nextAt >= s.endAt) {
                    broker.publish(s.topic, "WRAPPED", s.endAt);
                    sessionsWrapped++;
                } else {
                    broker.publish(s.topic, "TAKE " + (++s.takes), s.nextAt);
                    s.nextAt = Math.min(s.endAt, s.nextAt + 20 * MINUTE);
                    live.add(s);
                }
            }
        }
    }

    static StudioService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(84_060_001);
        String[] studioCodes = new String[STUDIOS];
        for (int s = 0; s < STUDIOS; s++) {
            double[] schedule = new double[96];
            for (int k = 0; k < schedule.length; k++) schedule[k] = rnd.nextDouble();
            studioCodes[s] = "ST-" + (4_000 + s);
            STUDIOS_BY_CODE.put(studioCodes[s], new Studio(studioCodes[s], "City " + (s % 150), schedule));
        }
        StudioService svc = new StudioService();
        SERVICE = svc;
        String[] bookingCodes = new String[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            bookingCodes[b] = "RB" + (3_000_000 + b * 7);
            long bookedAt = now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR;
            svc.bookings.put(bookingCodes[b], new Booking(bookingCodes[b], studioCodes[rnd.nextInt(STUDIOS)], "Artist " + (b % 5_000), new byte[150 + rnd.nextInt(150)], bookedAt, bookedAt + (long) (1 + rnd.nextInt(60)) * 24 * HOUR));
        }
        Random traffic = new Random(84_060_002);
        Random delivery = new Random(84_060_003);
        String[] formats = {"mp3-320", "wav-24", "aac-256"};
        int previews = PREVIEWS_PER_HOUR * HOURS, sessions = SESSIONS_PER_HOUR * HOURS;
        int sessionEvery = previews / sessions;
        long nextTick = start + MINUTE;
        int started = 0;
        for (int i = 0; i < previews; i++) {
            long t = start + (end - MINUTE - start) * i / previews;
            while (nextTick <= t) { svc.callSheets.fire(nextTick, delivery); nextTick += MINUTE; }
            svc.advance(t);
            if (i % sessionEvery == 0) {
                String code = bookingCodes[started * 23 % BOOKINGS];
                started++;
                Session s = new Session(code, t, t + (60 + traffic.nextInt(180)) * MINUTE);
                svc.broker.subscribe(s.topic, new SessionFollower(svc.broker, s.topic, "console"));
                svc.broker.subscribe(s.topic, new SessionFollower(svc.broker, s.topic, "artist-app"));
                svc.broker.publish(s.topic, "STARTED", t);
                svc.live.add(s);
                svc.callSheets.schedule(new CallReminder(code, "+44 7700 " + (900_000 + started), new byte[100 + traffic.nextInt(100)]), t + (30 + traffic.nextInt(300)) * MINUTE);
            }
            PreviewKey key = new PreviewKey("TRK-" + traffic.nextInt(1_500), 1 + traffic.nextInt(3), formats[traffic.nextInt(formats.length)]);
            if (svc.previews.get(key) == null) {
                svc.previews.misses++;
                PooledBuffer b = svc.audio.acquire(key.trackId(), t);
                svc.decoding.add(b);
                svc.decodeStep(traffic);
                svc.previews.put(key, new Preview(key, new byte[600 + traffic.nextInt(600)], t));
            } else svc.previews.hits++;
            for (int m = 0; m < READINGS_PER_PREVIEW; m++)
                svc.meters[(int) (svc.metersWritten++ % RING)] = new MeterReading(studioCodes[traffic.nextInt(STUDIOS)], -14f - traffic.nextFloat() * 10, -1f - traffic.nextFloat(), t);
        }
        while (nextTick <= end) { svc.callSheets.fire(nextTick, delivery); nextTick += MINUTE; }
        svc.advance(end);
        Broker br = svc.broker;
        CallSheetIndex cs = svc.callSheets;
        AudioPool pool = svc.audio;
        int empty = 0, pastDue = 0;
        for (Set<Subscriber> set : br.topics.values()) if (set.isEmpty()) empty++;
        for (long due : cs.byDue.keySet()) if (due <= end) pastDue++;
        System.out.println("studios " + STUDIOS_BY_CODE.size() + " bookings " + svc.bookings.size() + " previews " + svc.previews.size() + " (hits " + svc.previews.hits + ", misses " + svc.previews.misses + ", evicted " + svc.previews.evicted + ") meters " + svc.metersWritten
                + " audio pool created " + pool.created + " free " + pool.free.size() + " in use " + pool.inUse.size() + " (decode errors " + svc.decodeErrors + ") topics " + br.topics.size() + " (empty " + empty + ", removed " + br.removedTopics + ") sessions live " + svc.live.size() + " wrapped " + svc.sessionsWrapped
                + " call sheets " + cs.byDue.size() + " (past-due " + pastDue + ", sent " + cs.sent + ", dead-lettered " + cs.deadLettered + ")");
        check(STUDIOS_BY_CODE.size() == STUDIOS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0 && svc.previews.hits > 0, "preview cache at cap");
        check(svc.metersWritten == (long) READINGS_PER_PREVIEW * previews && svc.meters[RING - 1] != null, "meter ring");
        check(pool.created == PREALLOCATED && pool.inUse.size() == MAX_IN_FLIGHT && svc.decodeErrors > 0 && pool.releases == pool.leases - MAX_IN_FLIGHT, "audio pool");
        check(started == sessions && svc.live.size() + svc.sessionsWrapped == sessions && br.removedTopics == svc.sessionsWrapped && empty == 0 && br.topics.size() == svc.live.size(), "session topics");
        check(cs.scheduled == sessions && pastDue == 0 && cs.sent + cs.deadLettered + cs.byDue.size() == sessions, "call sheets: only future reminders");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
