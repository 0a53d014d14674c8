// hprofscan-dump: name=val53-leak-surfschools jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val53-leak-surfschools-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 53 (written blind), LEAK: the API front end of a surf-school booking platform.
 * Beach reference data, the lesson-booking directory, a cache of rendered lesson schedules at its
 * cap, a pool of response buffers, a ring of access-log entries, and a header canonicaliser: a
 * HashMap<String, String> that deduplicates the header values carried by each request (user agent,
 * accept-language, country) so that the access log shares one copy of each. The mobile SDK appends
 * a per-request correlation id to its User-Agent ("... cid/3f9a..."), so almost every request adds
 * a new entry that is never looked up again (only a retried request reuses its id); nothing bounds
 * the map. See VALIDATION53.md.
 */
public final class Val53LeakSurfSchools {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BEACHES = 1_300, BOOKINGS = 24_000, SCHEDULE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, REQUESTS_PER_HOUR = 6_000;
    static boolean FIXED;

    record Beach(String code, String region, double[] swellForecast) {}
    record LessonBooking(String reference, String beachCode, String level, byte[] waiver, long bookedAt) {}
    record Schedule(String key, byte[] rendered, long at) {}
    record AccessLogEntry(String method, String path, String userAgent, String language, String country, int status, long at) {}

    /** Canonicalises header values (one shared String per distinct value). Unbounded. */
    static final class HeaderCanonicalizer {
        final Map<String, String> pool = new HashMap<>();
        long lookups, hits;
        String canonical(String value) {
            lookups++;
            String c = pool.putIfAbsent(value, value);
            if (c != null) { hits++; return c; }
            return value;
        }
    }

    static final class ScheduleCache extends LinkedHashMap<String, Schedule> {
        long evicted;
        ScheduleCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Schedule> e) { if (size() > SCHEDULE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Beach> BEACHES_BY_CODE = new HashMap<>();

    static final class ApiFrontEnd {
        final Map<String, LessonBooking> bookings = new HashMap<>();
        final ScheduleCache schedules = new ScheduleCache();
        final ArrayDeque<byte[]> responseBuffers = new ArrayDeque<>();
        final AccessLogEntry[] accessLog = new AccessLogEntry[RING];
        final HeaderCanonicalizer headers = new HeaderCanonicalizer();
        long requests;

        void handle(String method, String path, String rawUserAgent, String language, String country, int status, long at) {
            String ua;
            if (FIXED) {
                int cid = rawUserAgent.indexOf(" cid/");
                ua = headers.canonical(cid < 0 ? rawUserAgent : rawUserAgent.substring(0, cid)); // the id goes to the request context only
            } else {
                ua = headers.canonical(rawUserAgent); // BUG: the value carries the per-request correlation id
            }
            accessLog[(int) (requests++ % RING)] = new AccessLogEntry(method, path, ua, headers.canonical(language), headers.canonical(country), status, at);
            byte[] buf = responseBuffers.poll();
            buf[(int) (requests % buf.length)] = (byte) status;
            responseBuffers.add(buf);
        }
    }

    static ApiFrontEnd SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val53.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(53_040_001);
        String[] beachCodes = new String[BEACHES];
        for (int b = 0; b < BEACHES; b++) {
            double[] swell = new double[64];
            for (int k = 0; k < swell.length; k++) swell[k] = rnd.nextDouble() * 4;
            beachCodes[b] = "BCH-" + (900 + b);
            BEACHES_BY_CODE.put(beachCodes[b], new Beach(beachCodes[b], "Region " + (b % 40), swell));
        }
        ApiFrontEnd svc = new ApiFrontEnd();
        SERVICE = svc;
        String[] refs = new String[BOOKINGS];
        String[] levels = {"beginner", "improver", "intermediate", "advanced"};
        for (int r = 0; r < BOOKINGS; r++) {
            refs[r] = "SRF-" + Integer.toString(1_500_000 + r * 13, 36).toUpperCase();
            svc.bookings.put(refs[r], new LessonBooking(refs[r], beachCodes[rnd.nextInt(BEACHES)], levels[r % levels.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.responseBuffers.add(new byte[32_768]);
        // User-agent stems: app version x device x OS version.
        String[] appVersions = {"5.2.1", "5.2.0", "5.1.4", "5.1.3", "5.0.9", "4.9.2"};
        String[] devices = {"iPhone14,3; iOS", "iPhone15,2; iOS", "iPhone13,1; iOS", "Pixel 7; Android", "SM-G991B; Android", "SM-A536B; Android"};
        String[] osVersions = {"17.2", "17.1", "16.6", "14", "13"};
        String[] stems = new String[appVersions.length * devices.length * osVersions.length];
        int n = 0;
        for (String a : appVersions) for (String d : devices) for (String o : osVersions) stems[n++] = "SurfBook/" + a + " (" + d + " " + o + "; Scale/3.00) okhttp/4.12.0";
        String[] languages = {"en-AU", "en-GB", "en-US", "pt-BR", "pt-PT", "es-ES", "fr-FR", "de-DE", "ja-JP", "id-ID", "nl-NL", "it-IT"};
        String[] countries = new String[30];
        for (int c = 0; c < countries.length; c++) countries[c] = "" + (char) ('A' + c % 26) + (char) ('A' + (c * 7) % 26);
        String[] paths = {"/v2/lessons/search", "/v2/bookings", "/v2/bookings/{ref}", "/v2/beaches/{code}/conditions", "/v2/instructors/{id}/availability"};
        Random traffic = new Random(53_040_002);
        int requests = REQUESTS_PER_HOUR * HOURS;
        String[] recentUserAgents = new String[64];
        int retries = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String ua;
            if (i >= 64 && traffic.nextInt(100) < 3) { ua = recentUserAgents[traffic.nextInt(64)]; retries++; } // a retried request keeps its correlation id
            else ua = stems[traffic.nextInt(stems.length)] + " cid/" + Long.toHexString(0x1000_0000_0000_0000L | traffic.nextLong() >>> 4);
            recentUserAgents[i % 64] = ua;
            String path = paths[traffic.nextInt(paths.length)];
            svc.handle(path.equals("/v2/bookings") ? "POST" : "GET", path, new String(ua), languages[traffic.nextInt(languages.length)], countries[traffic.nextInt(countries.length)], traffic.nextInt(50) == 0 ? 404 : 200, t);
            String key = beachCodes[traffic.nextInt(BEACHES)] + "/" + levels[traffic.nextInt(levels.length)];
            if (svc.schedules.get(key) == null) svc.schedules.put(key, new Schedule(key, new byte[500 + traffic.nextInt(500)], t));
        }
        int withCid = 0;
        for (String k : svc.headers.pool.keySet()) if (k.contains(" cid/")) withCid++;
        System.out.println((FIXED ? "FIXED " : "") + "beaches " + BEACHES_BY_CODE.size() + " bookings " + svc.bookings.size() + " requests " + svc.requests + " (retries " + retries + ") canonical pool " + svc.headers.pool.size() + " (with correlation id " + withCid + ", lookups " + svc.headers.lookups + ", hits " + svc.headers.hits
                + ") schedules " + svc.schedules.size() + " (evicted " + svc.schedules.evicted + ") pool " + svc.responseBuffers.size());
        check(BEACHES_BY_CODE.size() == BEACHES && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(svc.requests == requests && svc.accessLog[RING - 1] != null, "traffic / ring");
        if (FIXED) check(withCid == 0 && svc.headers.pool.size() <= stems.length + languages.length + countries.length, "canonical pool bounded: " + svc.headers.pool.size());
        else check(withCid == requests - retries, "one entry per request: " + withCid);
        check(svc.schedules.size() == SCHEDULE_CAP && svc.schedules.evicted > 0, "schedule cache at cap");
        check(svc.responseBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
