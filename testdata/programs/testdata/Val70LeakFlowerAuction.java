// hprofscan-dump: name=val70-leak-flowerauction jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val70-leak-flowerauction-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 70 (written blind), LEAK: the bidding gateway of a cut-flower clock auction.
 * Grower reference data, the lot directory, a cache of rendered catalogue pages at its cap, a pool
 * of JSON buffers, a ring of access-log entries, a bidder session store with a 30-minute TTL, and a
 * header-value canonicalising map (value -> canonical String) meant to save memory on repeated
 * header values. It is fed every request header, including cookies, request ids and trace ids, and
 * is never cleared. See VALIDATION70.md.
 */
public final class Val70LeakFlowerAuction {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SESSION_TTL = 30 * MINUTE;
    static final int GROWERS = 1_000, LOTS = 26_000, PAGE_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, REQUESTS_PER_HOUR = 4_000;
    static final Set<String> LOW_CARDINALITY = Set.of("Host", "Accept", "Accept-Language", "Accept-Encoding", "User-Agent", "Content-Type");
    static boolean FIXED;

    record Grower(String code, String name, double[] weeklySupply) {}
    record Lot(String lotNo, String growerCode, String variety, byte[] qualityReport, long listedAt) {}
    record Page(String key, byte[] rendered, long at) {}
    record Access(String requestId, String method, String path, int status, long at) {}

    static final class BidderSession {
        final String sessionId, bidderId; final long createdAt; long lastSeen; int bids;
        BidderSession(String sessionId, String bidderId, long at) { this.sessionId = sessionId; this.bidderId = bidderId; createdAt = at; lastSeen = at; }
    }

    /** value -> canonical instance, like String.intern() but on the heap. */
    static final class HeaderCanonicalizer {
        final Map<String, String> canonical = new HashMap<>();
        long lookups, hits;
        String canon(String name, String value) {
            lookups++;
            if (FIXED && !LOW_CARDINALITY.contains(name)) return value; // the fix: only intern headers with few distinct values
            String c = canonical.putIfAbsent(value, value); // BUG: cookies, request ids and trace ids are interned too
            if (c != null) { hits++; return c; }
            return value;
        }
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Grower> GROWERS_BY_CODE = new HashMap<>();

    static final class BidGateway {
        final Map<String, Lot> lots = new HashMap<>();
        final HeaderCanonicalizer headers = new HeaderCanonicalizer();
        final Map<String, BidderSession> sessions = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> jsonBuffers = new ArrayDeque<>();
        final Access[] accessLog = new Access[RING];
        long logged, sessionsCreated, sessionsExpired;
        void expireSessions(long at) {
            for (Iterator<BidderSession> it = sessions.values().iterator(); it.hasNext(); ) if (at - it.next().lastSeen > SESSION_TTL) { it.remove(); sessionsExpired++; }
        }
    }

    static BidGateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String hex(Random r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int k = 0; k < n; k++) sb.append("0123456789abcdef".charAt(r.nextInt(16)));
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val70.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(70_040_001);
        String[] growerCodes = new String[GROWERS];
        for (int g = 0; g < GROWERS; g++) {
            double[] supply = new double[96];
            for (int k = 0; k < supply.length; k++) supply[k] = rnd.nextDouble() * 5_000;
            growerCodes[g] = "GR-" + (60_000 + g);
            GROWERS_BY_CODE.put(growerCodes[g], new Grower(growerCodes[g], "Kwekerij " + g, supply));
        }
        BidGateway svc = new BidGateway();
        SERVICE = svc;
        String[] varieties = {"Rosa Avalanche", "Tulipa Strong Gold", "Chrysanthemum Baltica", "Gerbera Pink Lady", "Lilium Siberia", "Alstroemeria Virginia", "Dianthus Moonlight", "Freesia Yellow River"};
        String[] lotNos = new String[LOTS];
        for (int l = 0; l < LOTS; l++) {
            lotNos[l] = "L" + (880_000 + l);
            svc.lots.put(lotNos[l], new Lot(lotNos[l], growerCodes[rnd.nextInt(GROWERS)], varieties[l % varieties.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.jsonBuffers.add(new byte[32_768]);
        String[] hosts = {"bid.flora-clock.example", "api.flora-clock.example", "m.flora-clock.example"};
        String[] accepts = {"application/json", "application/json, text/plain, */*", "*/*", "text/html,application/xhtml+xml", "application/cbor"};
        String[] langs = {"nl-NL,nl;q=0.9", "en-GB,en;q=0.8", "de-DE,de;q=0.9", "en-US", "fr-FR,fr;q=0.9", "es-ES", "it-IT", "pl-PL", "ja-JP", "zh-CN", "da-DK", "sv-SE"};
        String[] agents = new String[40];
        for (int a = 0; a < agents.length; a++) agents[a] = "FloraBid/" + (3 + a / 10) + "." + (a % 10) + " (" + (a % 2 == 0 ? "Android" : "iOS") + ")";
        Random traffic = new Random(70_040_002);
        String[] methods = {"GET", "POST"};
        String[] paths = {"/clock/state", "/bids", "/lots", "/catalogue"};
        BidderSession current = null;
        long nextExpiry = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextExpiry <= t) { svc.expireSessions(nextExpiry); nextExpiry += MINUTE; }
            if (current == null || traffic.nextInt(6) == 0) { // a bidder logs in (about 6 requests per session)
                String sid = hex(traffic, 32);
                current = new BidderSession(sid, "B" + (10_000 + traffic.nextInt(4_000)), t);
                svc.sessions.put(sid, current);
                svc.sessionsCreated++;
            }
            current.lastSeen = t;
            String requestId = hex(traffic, 8) + "-" + hex(traffic, 4) + "-" + hex(traffic, 4) + "-" + hex(traffic, 12);
            HeaderCanonicalizer h = svc.headers;
            h.canon("Host", hosts[traffic.nextInt(hosts.length)]);
            h.canon("Accept", accepts[traffic.nextInt(accepts.length)]);
            h.canon("Accept-Language", langs[traffic.nextInt(langs.length)]);
            h.canon("Accept-Encoding", "gzip, br");
            h.canon("User-Agent", agents[traffic.nextInt(agents.length)]);
            h.canon("Content-Type", "application/json");
            h.canon("Cookie", "FCSESSION=" + current.sessionId + "; bidder=" + current.bidderId + "; consent=1");
            String rid = h.canon("X-Request-Id", requestId);
            h.canon("traceparent", "00-" + hex(traffic, 32) + "-" + hex(traffic, 16) + "-01");
            String path = paths[traffic.nextInt(paths.length)];
            svc.accessLog[(int) (svc.logged++ % RING)] = new Access(rid, methods[path.equals("/bids") ? 1 : 0], path, 200, t);
            if (path.equals("/bids")) current.bids++;
            String key = "page-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.jsonBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.jsonBuffers.add(buf);
        }
        HeaderCanonicalizer h = svc.headers;
        System.out.println((FIXED ? "FIXED " : "") + "growers " + GROWERS_BY_CODE.size() + " lots " + svc.lots.size() + " canonical " + h.canonical.size() + " (lookups " + h.lookups + ", hits " + h.hits + ") sessions " + svc.sessions.size()
                + " (created " + svc.sessionsCreated + ", expired " + svc.sessionsExpired + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.jsonBuffers.size() + " logged " + svc.logged);
        check(GROWERS_BY_CODE.size() == GROWERS && svc.lots.size() == LOTS, "reference data / directory");
        check(h.lookups == 9L * requests, "header traffic");
        java.util.Set<String> distinct = new java.util.HashSet<>(java.util.List.of(hosts));
        distinct.addAll(java.util.List.of(accepts)); distinct.addAll(java.util.List.of(langs)); distinct.addAll(java.util.List.of(agents));
        distinct.add("gzip, br"); distinct.add("application/json");
        int lowCardinality = distinct.size(); // 61: "application/json" is both an Accept and the Content-Type value
        if (FIXED) check(h.canonical.size() == lowCardinality, "only low-cardinality headers interned: " + h.canonical.size());
        else check(h.canonical.size() == lowCardinality + svc.sessionsCreated + 2L * requests, "every cookie, request id and trace id interned: " + h.canonical.size());
        check(svc.sessions.size() < 600 && svc.sessionsExpired > 0, "session TTL");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.jsonBuffers.size() == POOL, "pool");
        check(svc.logged == requests && svc.accessLog[RING - 1] != null, "access ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
