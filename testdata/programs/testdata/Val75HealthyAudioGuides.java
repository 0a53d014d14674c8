// hprofscan-dump: name=val75-healthy-audioguides jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val75-healthy-audioguides-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 75 (written blind), HEALTHY: the audio-guide service of a large museum. Exhibit
 * reference data, the directory of rental handsets, a last-seen map keyed by handset serial
 * (bounded by the fleet), a hand-written LRU of rendered transcripts whose capacity comes from
 * configuration (set: 2,000), a ring of listening events, a pool of audio decode buffers, an event
 * bus on which each tour handler registers and unregisters when the tour ends, and one shared
 * scheduler whose per-gallery tasks are cancelled and rescheduled on a config reload.
 * See VALIDATION75.md.
 */
public final class Val75HealthyAudioGuides {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int EXHIBITS = 1_400, HANDSETS = 26_000, POOL = 10, LISTEN_RING = 16_384, HOURS = 10, EVENTS = 60_000, GALLERIES = 12;

    record Exhibit(String code, String gallery, double[] acousticProfile) {}
    record Handset(String serial, String model, byte[] loanRecord, long commissionedAt) {}
    record Transcript(String key, byte[] text, long at) {}
    record Listen(String serial, String exhibit, int seconds, long at) {}
    record Tour(String tourId, String serial, String language, long startedAt, byte[] itinerary) {}

    static final class HandsetSeen { final String serial; long lastSeenAt; String lastExhibit; int pings; HandsetSeen(String serial) { this.serial = serial; } }

    interface BusListener { void onEvent(Object e); }

    static final class EventBus {
        final Map<String, List<BusListener>> listenersByTopic = new HashMap<>();
        long posted, maxListeners;
        void register(String topic, BusListener l) { List<BusListener> ls = listenersByTopic.computeIfAbsent(topic, k -> new ArrayList<>()); ls.add(l); maxListeners = Math.max(maxListeners, ls.size()); }
        void unregister(String topic, BusListener l) { List<BusListener> ls = listenersByTopic.get(topic); if (ls != null) ls.remove(l); }
        void post(String topic, Object e) { posted++; for (BusListener l : new ArrayList<>(listenersByTopic.getOrDefault(topic, List.of()))) l.onEvent(e); }
    }

    static final class Subscriber implements BusListener { final String name; long seen; Subscriber(String n) { name = n; } public void onEvent(Object e) { seen++; } }

    /** One per guided tour; registered while the tour runs, unregistered when it ends. */
    static final class TourHandler implements BusListener {
        final EventBus bus; final Tour tour; int closures;
        TourHandler(EventBus bus, Tour tour) { this.bus = bus; this.tour = tour; bus.register("gallery.closed", this); }
        public void onEvent(Object e) { closures++; }
        void end() { bus.unregister("gallery.closed", this); }
    }

    static final class ConfiguredLru<K, V> extends LinkedHashMap<K, V> {
        final int capacity; long evicted;
        ConfiguredLru(int capacity) { super(1_024, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            if (capacity <= 0) return false; // "0 = eviction disabled"
            if (size() > capacity) { evicted++; return true; }
            return false;
        }
    }

    static final class CrowdCheck implements Runnable { final String gallery; final int version; volatile long runs; CrowdCheck(String g, int v) { gallery = g; version = v; } public void run() { runs++; } }

    static final Map<String, Exhibit> EXHIBITS_BY_CODE = new HashMap<>();

    static final class GuideService {
        final Properties config = new Properties();
        final Map<String, Handset> handsets = new HashMap<>();
        final Map<String, HandsetSeen> lastSeenBySerial = new HashMap<>();
        ConfiguredLru<String, Transcript> transcripts;
        final Listen[] listens = new Listen[LISTEN_RING];
        long listensWritten;
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final EventBus bus = new EventBus();
        final List<Subscriber> subscribers = new ArrayList<>();
        final List<TourHandler> activeTours = new ArrayList<>();
        ScheduledThreadPoolExecutor scheduler;
        final Map<String, ScheduledFuture<?>> crowdChecks = new LinkedHashMap<>();
        long reloads, cancelled;

        void reload(String[] galleries, int version) {
            for (String g : galleries) {
                ScheduledFuture<?> old = crowdChecks.put(g, scheduler.scheduleAtFixedRate(new CrowdCheck(g, version), 2, 2, TimeUnit.MINUTES));
                if (old != null && old.cancel(false)) cancelled++;
            }
            reloads++;
        }
    }

    static GuideService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(75_060_001);
        String[] galleries = new String[GALLERIES];
        for (int g = 0; g < GALLERIES; g++) galleries[g] = "Gallery " + (char) ('A' + g);
        String[] exhibitCodes = new String[EXHIBITS];
        for (int e = 0; e < EXHIBITS; e++) {
            double[] profile = new double[80];
            for (int k = 0; k < profile.length; k++) profile[k] = rnd.nextDouble();
            exhibitCodes[e] = "EX-" + (10_000 + e);
            EXHIBITS_BY_CODE.put(exhibitCodes[e], new Exhibit(exhibitCodes[e], galleries[e % GALLERIES], profile));
        }
        GuideService svc = new GuideService();
        SERVICE = svc;
        svc.config.setProperty("cache.transcripts.max-entries", "2000");
        svc.transcripts = new ConfiguredLru<>(Integer.parseInt(svc.config.getProperty("cache.transcripts.max-entries", "0")));
        String[] serials = new String[HANDSETS];
        for (int h = 0; h < HANDSETS; h++) {
            serials[h] = "AG" + (90_000_000 + h * 13);
            svc.handsets.put(serials[h], new Handset(serials[h], h % 3 == 0 ? "Guide-3" : "Guide-4", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        for (String[] s : new String[][] {{"gallery.closed", "signage"}, {"gallery.closed", "staff-radio"}, {"handset.lowbattery", "desk"}}) {
            Subscriber sub = new Subscriber(s[1]); svc.subscribers.add(sub); svc.bus.register(s[0], sub);
        }
        svc.scheduler = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1, r -> { Thread th = new Thread(r, "gallery-scheduler"); th.setDaemon(true); return th; });
        svc.scheduler.setRemoveOnCancelPolicy(true);
        int version = 1;
        svc.reload(galleries, version);
        Random traffic = new Random(75_060_002);
        String[] languages = {"en", "fr", "de", "es", "it", "ja", "zh", "nl"};
        long nextReload = start + 30 * MINUTE, nextClosure = start + 45 * MINUTE, tours = 0;
        int maxTours = 0;
        for (int i = 0; i < EVENTS; i++) {
            long t = start + (end - MINUTE - start) * i / EVENTS;
            while (nextReload <= t) { svc.reload(galleries, ++version); nextReload += 30 * MINUTE; }
            while (nextClosure <= t) { svc.bus.post("gallery.closed", galleries[(int) (nextClosure / MINUTE % GALLERIES)]); nextClosure += 45 * MINUTE; }
            String serial = serials[traffic.nextInt(HANDSETS)];
            String exhibit = exhibitCodes[traffic.nextInt(EXHIBITS)];
            HandsetSeen seen = svc.lastSeenBySerial.computeIfAbsent(serial, HandsetSeen::new);
            seen.lastSeenAt = t; seen.lastExhibit = exhibit; seen.pings++;
            svc.listens[(int) (svc.listensWritten++ % LISTEN_RING)] = new Listen(serial, exhibit, 10 + traffic.nextInt(300), t);
            String key = exhibit + "/" + languages[traffic.nextInt(languages.length)];
            if (svc.transcripts.get(key) == null) svc.transcripts.put(key, new Transcript(key, new byte[600 + traffic.nextInt(600)], t));
            if (i % 20 == 0) { // a tour starts; at most 8 run at once, the oldest ends
                tours++;
                svc.activeTours.add(new TourHandler(svc.bus, new Tour("TOUR-" + (700_000 + i), serial, languages[traffic.nextInt(languages.length)], t, new byte[200 + traffic.nextInt(200)])));
                if (svc.activeTours.size() > 8) svc.activeTours.remove(0).end();
                maxTours = Math.max(maxTours, svc.activeTours.size());
            }
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
        }
        int schedulerThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().equals("gallery-scheduler")) schedulerThreads++;
        System.out.println("exhibits " + EXHIBITS_BY_CODE.size() + " handsets " + svc.handsets.size() + " lastSeen " + svc.lastSeenBySerial.size() + " transcripts " + svc.transcripts.size() + " (evicted " + svc.transcripts.evicted + ") listens " + svc.listensWritten
                + " pool " + svc.decodeBuffers.size() + " tours " + tours + " active " + svc.activeTours.size() + " gallery.closed listeners " + svc.bus.listenersByTopic.get("gallery.closed").size() + " (max " + svc.bus.maxListeners + ", posted " + svc.bus.posted + ") reloads " + svc.reloads
                + " cancelled " + svc.cancelled + " queued " + svc.scheduler.getQueue().size() + " scheduler threads " + schedulerThreads);
        check(EXHIBITS_BY_CODE.size() == EXHIBITS && svc.handsets.size() == HANDSETS, "reference data / directory");
        check(svc.lastSeenBySerial.size() <= HANDSETS && svc.handsets.keySet().containsAll(svc.lastSeenBySerial.keySet()), "last-seen bounded by the fleet");
        check(svc.transcripts.size() == 2_000 && svc.transcripts.evicted > 0, "transcript cache at cap");
        check(svc.listensWritten == EVENTS && svc.listens[LISTEN_RING - 1] != null, "listen ring");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.activeTours.size() == 8 && svc.bus.listenersByTopic.get("gallery.closed").size() == 2 + 8 && svc.bus.maxListeners == 2 + 9, "tour handlers unregistered");
        check(svc.reloads == HOURS * 2 && svc.cancelled == (long) GALLERIES * (HOURS * 2 - 1) && svc.scheduler.getQueue().size() == GALLERIES && schedulerThreads == 1, "scheduler tasks replaced");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
