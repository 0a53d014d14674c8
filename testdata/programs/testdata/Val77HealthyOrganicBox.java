// hprofscan-dump: name=val77-healthy-organicbox-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val77-healthy-organicbox-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val77-healthy-organicbox jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val77-healthy-organicbox-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 77 (written blind), HEALTHY: the web shop of an organic vegetable-box subscription.
 * Produce reference data, the subscriber directory, a suggestion index built at startup (one entry per
 * normalized query, linked to related queries) with a per-token result cache capped at 2,000 (LRU), a
 * crash-recovery store holding the latest snapshot of each live web session (removed when the session
 * times out), a JSON field-name canonicalizer limited to the schema keys, a request profiler whose
 * per-thread span map is removed at the end of every request (the last 256 request profiles are kept
 * in a ring), a ring of packed boxes and a pool of label-printer buffers. Warms up, then plateaus.
 * See VALIDATION77.md.
 */
public final class Val77HealthyOrganicBox {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SESSION_TIMEOUT = 30 * MINUTE;
    static final int PRODUCE = 1_200, SUBSCRIBERS = 25_000, VOCAB = 3_000, RESULT_CAP = 2_000, POOL = 8, BOX_RING = 8_192, PROFILE_RING = 256, REQUESTS_PER_HOUR = 6_000, SESSIONS_PER_HOUR = 16;
    static final String[] SCHEMA = {"subscriberId", "boxSize", "deliveryDay", "postcode", "swaps", "exclusions", "extras", "paused", "note", "voucher",
        "email", "phone", "address1", "address2", "town", "frequency", "startDate", "payment", "marketing", "referral"};
    static final String[] STAGES = {"auth", "load-basket", "render"};

    record Produce(String code, String name, double[] priceByWeek) {}
    record Subscriber(String id, String postcode, byte[] deliveryProfile, long joinedAt) {}
    record PackedBox(String subscriberId, String boxSize, long packedAt) {}
    record Span(String stage, long micros) {}
    record RequestProfile(String requestId, long at, List<Span> spans) {}

    /** Built once from the produce catalogue: one entry per normalized query, linked to related queries. */
    static final class SuggestionEntry {
        final String query; final String[] suggestions; final List<SuggestionEntry> related = new ArrayList<>(3);
        SuggestionEntry(String query, String[] suggestions) { this.query = query; this.suggestions = suggestions; }
    }
    record TokenResult(String token, SuggestionEntry entry, long at) {}

    static final class TokenResultCache extends LinkedHashMap<String, TokenResult> {
        long evicted;
        TokenResultCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TokenResult> e) { if (size() > RESULT_CAP) { evicted++; return true; } return false; }
    }

    static final class WebSession {
        final String id; long lastAccess; int version; final Map<String, Object> attributes = new HashMap<>();
        WebSession(String id, long at) { this.id = id; this.lastAccess = at; }
    }
    record SessionSnapshot(String sessionId, int version, long savedAt, Map<String, Object> attributes) {}

    static final class RecoveryStore {
        final Map<String, SessionSnapshot> latestBySession = new HashMap<>();
        long saved, discarded;
        void save(WebSession s, long at) { latestBySession.put(s.id, new SessionSnapshot(s.id, s.version, at, new HashMap<>(s.attributes))); saved++; }
        void sessionEnded(String id) { if (latestBySession.remove(id) != null) discarded++; }
    }

    static final class FieldNameCanonicalizer {
        final Map<String, String> canonical = new HashMap<>();
        final Set<String> schema = new HashSet<>();
        long calls, passedThrough;
        String canonicalize(String name) {
            calls++;
            if (!schema.contains(name)) { passedThrough++; return name; }
            String c = canonical.putIfAbsent(name, name);
            return c != null ? c : name;
        }
    }

    static final class Profiler {
        static final ThreadLocal<List<Span>> SPANS = ThreadLocal.withInitial(ArrayList::new);
        final RequestProfile[] recent = new RequestProfile[PROFILE_RING];
        long finished;
        void end(String requestId, long at) {
            recent[(int) (finished++ % PROFILE_RING)] = new RequestProfile(requestId, at, List.copyOf(SPANS.get()));
            SPANS.remove();
        }
    }

    static final Map<String, Produce> PRODUCE_BY_CODE = new HashMap<>();

    static final class BoxShop {
        final Map<String, Subscriber> subscribers = new HashMap<>();
        final Map<String, SuggestionEntry> suggestionIndex = new HashMap<>();
        final TokenResultCache tokenResults = new TokenResultCache();
        final Map<String, WebSession> sessions = new HashMap<>();
        final RecoveryStore recovery = new RecoveryStore();
        final FieldNameCanonicalizer names = new FieldNameCanonicalizer();
        final Profiler profiler = new Profiler();
        final PackedBox[] packed = new PackedBox[BOX_RING];
        long boxes;
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        long sessionsCreated, sessionsExpired;
        void expireIdle(long at) {
            for (Iterator<WebSession> it = sessions.values().iterator(); it.hasNext(); ) {
                WebSession s = it.next();
                if (s.lastAccess + SESSION_TIMEOUT <= at) { it.remove(); sessionsExpired++; recovery.sessionEnded(s.id); }
            }
        }
    }

    static BoxShop SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(77_050_001);
        String[] produceNames = new String[PRODUCE];
        String[] veg = {"carrot", "kale", "beetroot", "leek", "parsnip", "chard", "squash", "onion", "potato", "celeriac", "apple", "pear"};
        for (int p = 0; p < PRODUCE; p++) {
            double[] prices = new double[52];
            for (int k = 0; k < prices.length; k++) prices[k] = 0.5 + rnd.nextDouble() * 3;
            produceNames[p] = veg[p % veg.length] + " " + (p / veg.length);
            String code = "PR-" + (1_000 + p);
            PRODUCE_BY_CODE.put(code, new Produce(code, produceNames[p], prices));
        }
        BoxShop svc = new BoxShop();
        SERVICE = svc;
        for (String k : SCHEMA) svc.names.schema.add(k);
        String[] subIds = new String[SUBSCRIBERS];
        for (int s = 0; s < SUBSCRIBERS; s++) {
            subIds[s] = "SUB" + (3_000_000 + s * 11);
            svc.subscribers.put(subIds[s], new Subscriber(subIds[s], "PC" + rnd.nextInt(4_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        String[] vocab = new String[VOCAB];
        for (int v = 0; v < VOCAB; v++) {
            vocab[v] = veg[v % veg.length].substring(0, 2 + (v / veg.length) % 3) + " " + (v / veg.length);
            String[] sug = new String[5];
            for (int k = 0; k < 5; k++) sug[k] = produceNames[(v * 7 + k * 11) % PRODUCE];
            svc.suggestionIndex.put(vocab[v], new SuggestionEntry(vocab[v], sug));
        }
        for (int v = 0; v < VOCAB; v++) { // fixed graph of related queries
            SuggestionEntry e = svc.suggestionIndex.get(vocab[v]);
            e.related.add(svc.suggestionIndex.get(vocab[(v + 1) % VOCAB]));
            e.related.add(svc.suggestionIndex.get(vocab[(v + veg.length) % VOCAB]));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(77_050_002);
        String[] boxSizes = {"small", "medium", "large", "family"};
        int sessions = SESSIONS_PER_HOUR * hours;
        int requestsPerSession = requests / sessions;
        WebSession current = null;
        int maxRecovery = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            if (i % requestsPerSession == 0) { // a new visitor session (earlier ones idle out)
                svc.expireIdle(t);
                current = new WebSession(Long.toHexString(0x0b0c_0000_0000L + traffic.nextInt(1 << 30)) + "-" + i, t);
                svc.sessions.put(current.id, current);
                svc.sessionsCreated++;
            }
            String requestId = "r-" + Long.toHexString(0x7700_0000L + i);
            // profiled request handling
            for (String st : STAGES) Profiler.SPANS.get().add(new Span(st, 100 + traffic.nextInt(5_000)));
            // search-as-you-type: token from the browser, result taken from the fixed index
            String token = Long.toHexString(traffic.nextLong() | 0x1000_0000_0000_0000L);
            svc.tokenResults.put(token, new TokenResult(token, svc.suggestionIndex.get(vocab[traffic.nextInt(VOCAB)]), t));
            // JSON body of the request
            int nKeys = 4 + traffic.nextInt(6);
            for (int k = 0; k < nKeys; k++) svc.names.canonicalize(new String(SCHEMA[(i + k * 7) % SCHEMA.length].toCharArray()));
            svc.names.canonicalize("utm_" + Integer.toHexString(0x100000 + traffic.nextInt(0xeffffff)));
            // session change every 40th request of the session; a fresh box plan (~200 KiB) every 160th
            if (i % 40 == 0) {
                current.attributes.put("step", "basket-" + (i % 7));
                current.attributes.put("boxSize", boxSizes[traffic.nextInt(boxSizes.length)]);
                if (i % 160 == 0) current.attributes.put("boxPlanReport", new byte[190_000 + traffic.nextInt(25_000)]);
                current.version++;
                svc.recovery.save(current, t);
                maxRecovery = Math.max(maxRecovery, svc.recovery.latestBySession.size());
            }
            current.lastAccess = t;
            svc.profiler.end(requestId, t);
            if (i % 2 == 0) {
                svc.packed[(int) (svc.boxes++ % BOX_RING)] = new PackedBox(subIds[traffic.nextInt(SUBSCRIBERS)], boxSizes[traffic.nextInt(boxSizes.length)], t);
                byte[] buf = svc.labelBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.labelBuffers.add(buf);
            }
        }
        svc.expireIdle(end);
        System.out.println("stage " + stage + " produce " + PRODUCE_BY_CODE.size() + " subscribers " + svc.subscribers.size() + " index " + svc.suggestionIndex.size() + " token results " + svc.tokenResults.size() + " (evicted " + svc.tokenResults.evicted
                + ") sessions live " + svc.sessions.size() + " (created " + svc.sessionsCreated + ", expired " + svc.sessionsExpired + ") recovery " + svc.recovery.latestBySession.size() + " (saved " + svc.recovery.saved + ", discarded " + svc.recovery.discarded + ", max " + maxRecovery
                + ") canonical " + svc.names.canonical.size() + " (calls " + svc.names.calls + ", passed " + svc.names.passedThrough + ") profiles " + Math.min(svc.profiler.finished, PROFILE_RING) + " (finished " + svc.profiler.finished + ") boxes " + svc.boxes + " pool " + svc.labelBuffers.size());
        check(PRODUCE_BY_CODE.size() == PRODUCE && svc.subscribers.size() == SUBSCRIBERS && svc.suggestionIndex.size() == VOCAB, "reference data / directory / index");
        check(svc.tokenResults.size() == RESULT_CAP && svc.tokenResults.evicted == requests - RESULT_CAP, "token results at cap");
        check(svc.sessionsCreated == sessions && svc.sessions.size() >= 5 && svc.sessions.size() <= 12, "sessions: " + svc.sessions.size());
        check(svc.recovery.latestBySession.size() == svc.sessions.size() && maxRecovery <= 12, "recovery store: one snapshot per live session");
        check(svc.names.canonical.size() == SCHEMA.length && svc.names.passedThrough == requests, "canonicalizer holds only schema keys");
        check(svc.profiler.finished == requests && Profiler.SPANS.get().isEmpty(), "profiler");
        check(svc.boxes == requests / 2 && svc.labelBuffers.size() == POOL, "box ring / pool");
        Profiler.SPANS.remove();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
