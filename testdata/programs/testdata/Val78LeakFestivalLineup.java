// hprofscan-dump: name=val78-leak-festivallineup jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val78-leak-festivallineup-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 78 (written blind), LEAK: the lineup API of a music-festival organiser. Stage
 * reference data, the act directory, a cache of rendered schedule pages at its cap, a pool of image
 * buffers, a ring of access-log entries, and a small JSON mapper library: every JsonMapper registers
 * itself and its serializer cache in the static MapperMetrics.REGISTERED list (read by the metrics
 * endpoint for cache-hit counts). The partner-feed endpoint creates a new JsonMapper for every
 * request instead of sharing one, so the list keeps every mapper ever created, each with its own
 * serializer cache and write buffer. See VALIDATION78.md.
 */
public final class Val78LeakFestivalLineup {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STAGES = 1_000, ACTS = 22_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, REQUESTS_PER_HOUR = 6_000, FEED_EVERY = 25, HOURS = 10;
    static boolean FIXED;

    record Stage(String code, String site, double[] soundLimits) {}
    record Act(String actId, String name, String genre, byte[] rider, long bookedAt) {}
    record SchedulePage(String key, byte[] rendered, long at) {}
    record AccessLogEntry(String path, int status, int bytes, long at) {}

    // Response DTO types of the partner feed (serialized by the mapper).
    record StageDto(String code, String site) {}
    record SlotDto(String stageCode, long startsAt, long endsAt) {}
    record ActDto(String actId, String name, String genre) {}
    record ArtistDto(String name, String country) {}
    record TicketTierDto(String tier, int priceCents) {}
    record LinkDto(String rel, String href) {}
    record PageDto(int page, int size) {}
    record ErrorDto(int code, String message) {}

    static final class PropertyWriter {
        final String name;
        final byte[] quotedName;
        final int index;
        PropertyWriter(String name, int index) { this.name = name; this.index = index; this.quotedName = ("\"" + name + "\":").getBytes(StandardCharsets.UTF_8); }
    }

    static final class BeanSerializer {
        final Class<?> type;
        final PropertyWriter[] writers;
        long uses;
        BeanSerializer(Class<?> type) {
            this.type = type;
            var comps = type.getRecordComponents();
            writers = new PropertyWriter[comps.length];
            for (int k = 0; k < comps.length; k++) writers[k] = new PropertyWriter(comps[k].getName(), k);
        }
    }

    static final class MapperRegistration {
        final JsonMapper mapper;
        final Map<Class<?>, BeanSerializer> serializerCache;
        MapperRegistration(JsonMapper mapper, Map<Class<?>, BeanSerializer> cache) { this.mapper = mapper; this.serializerCache = cache; }
    }

    /** Metrics of every mapper, for /metrics (serializer-cache hits and misses). */
    static final class MapperMetrics {
        static final List<MapperRegistration> REGISTERED = new ArrayList<>();
    }

    static final class JsonMapper {
        final Map<Class<?>, BeanSerializer> serializerCache = new HashMap<>();
        final byte[] writeBuffer = new byte[1_024];
        long hits, misses, written;
        JsonMapper() { MapperMetrics.REGISTERED.add(new MapperRegistration(this, serializerCache)); }
        int write(Record value) {
            BeanSerializer s = serializerCache.get(value.getClass());
            if (s == null) { s = new BeanSerializer(value.getClass()); serializerCache.put(value.getClass(), s); misses++; } else hits++;
            s.uses++;
            int n = 2;
            for (PropertyWriter w : s.writers) { n += w.quotedName.length + 8; writeBuffer[(int) (written++ % writeBuffer.length)] = (byte) w.index; }
            return n;
        }
    }

    static final class PageCache extends LinkedHashMap<String, SchedulePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SchedulePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Stage> STAGES_BY_CODE = new HashMap<>();

    static final class LineupService {
        final Map<String, Act> acts = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final AccessLogEntry[] accessLog = new AccessLogEntry[RING];
        long requests, feedRequests;
        final JsonMapper shared = FIXED ? new JsonMapper() : null;
        JsonMapper mapperForRequest() { return FIXED ? shared : new JsonMapper(); } // BUG: a new mapper per request
    }

    static LineupService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val78.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(78_040_001);
        String[] stageCodes = new String[STAGES];
        for (int s = 0; s < STAGES; s++) {
            double[] limits = new double[80];
            for (int k = 0; k < limits.length; k++) limits[k] = 85 + rnd.nextDouble() * 20;
            String code = "ST-" + (1_000 + s);
            stageCodes[s] = code;
            STAGES_BY_CODE.put(code, new Stage(code, "Site " + (s % 60), limits));
        }
        LineupService svc = new LineupService();
        SERVICE = svc;
        String[] genres = {"Indie", "Techno", "Folk", "Hip-hop", "Jazz", "Metal", "Pop", "Ambient"};
        String[] actIds = new String[ACTS];
        for (int a = 0; a < ACTS; a++) {
            String id = "ACT" + (300_000 + a);
            actIds[a] = id;
            svc.acts.put(id, new Act(id, "Act " + a, genres[a % genres.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        Random traffic = new Random(78_040_002);
        int requests = REQUESTS_PER_HOUR * HOURS;
        String[] tiers = {"Day", "Weekend", "VIP", "Camping"};
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            svc.requests++;
            int bytes;
            String path;
            if (i % FEED_EVERY == 0) { // partner feed: JSON
                svc.feedRequests++;
                JsonMapper m = svc.mapperForRequest();
                String stage = stageCodes[traffic.nextInt(STAGES)];
                Act act = svc.acts.get(actIds[traffic.nextInt(ACTS)]);
                bytes = m.write(new StageDto(stage, STAGES_BY_CODE.get(stage).site()));
                bytes += m.write(new SlotDto(stage, t + HOUR, t + 2 * HOUR));
                bytes += m.write(new ActDto(act.actId(), act.name(), act.genre()));
                bytes += m.write(new PageDto(1, 50));
                if (traffic.nextInt(3) == 0) bytes += m.write(new TicketTierDto(tiers[traffic.nextInt(tiers.length)], 5_000 + traffic.nextInt(20_000)));
                if (traffic.nextInt(4) == 0) bytes += m.write(new ArtistDto(act.name(), "GB"));
                if (traffic.nextInt(5) == 0) bytes += m.write(new LinkDto("self", "/partner/lineup/" + stage));
                if (traffic.nextInt(40) == 0) bytes += m.write(new ErrorDto(404, "slot not found"));
                path = "/partner/lineup.json";
            } else { // HTML schedule pages from the page cache
                String key = stageCodes[traffic.nextInt(STAGES)] + "/day" + traffic.nextInt(4);
                SchedulePage page = svc.pages.get(key);
                if (page == null) { page = new SchedulePage(key, new byte[500 + traffic.nextInt(500)], t); svc.pages.put(key, page); }
                bytes = page.rendered().length;
                byte[] buf = svc.imageBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.imageBuffers.add(buf);
                path = "/schedule";
            }
            svc.accessLog[(int) (i % RING)] = new AccessLogEntry(path, 200, bytes, t);
        }
        List<MapperRegistration> reg = MapperMetrics.REGISTERED;
        long serializers = 0;
        for (MapperRegistration r : reg) serializers += r.serializerCache.size();
        System.out.println((FIXED ? "FIXED " : "") + "stages " + STAGES_BY_CODE.size() + " acts " + svc.acts.size() + " requests " + svc.requests + " feed " + svc.feedRequests
                + " registered mappers " + reg.size() + " serializers " + serializers + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.imageBuffers.size());
        check(STAGES_BY_CODE.size() == STAGES && svc.acts.size() == ACTS, "reference data / directory");
        check(svc.requests == requests && svc.feedRequests == requests / FEED_EVERY, "traffic");
        if (FIXED) check(reg.size() == 1 && serializers == 8, "one shared mapper: " + reg.size() + " / " + serializers);
        else check(reg.size() == svc.feedRequests && serializers >= 4L * reg.size(), "a mapper per feed request: " + reg.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.imageBuffers.size() == POOL, "pool");
        check(svc.accessLog[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
