// hprofscan-dump: name=val6-leak-authzcache jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=val6-leak-authzcache-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean args="--series=1"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 6 (written blind), LEAKING, series of three dumps: a multi-tenant document
 * sharing API whose authorization service memoizes every decision per (tenant, user, document)
 * in a {@code ConcurrentHashMap} without any eviction ("decisions are cheap to keep"). Every
 * document access by a user who never opened that document before adds an entry; documents are
 * ever-new (ULID-like ids), so the map only grows: 8,000 -> 16,000 -> 32,000 decisions. Three
 * traffic segments always run (6 simulated hours, then two ~1 s bursts); the dumps are taken
 * after the last {@code --series} segments. Beside it: the tenant directory, the user directory
 * loaded at startup, the compiled policies (static), a document-metadata LRU at capacity and the
 * per-tenant rate limiters. See testdata/VALIDATION6.md.
 */
public final class Val6LeakAuthzCache {
    static final int TENANTS = 400;
    static final int USERS = 20_000;
    static final int POLICIES = 1_500;
    static final int METADATA_CAP = 10_000;
    static final int[] NEW_PAIRS_IN_SEGMENT = {8_000, 8_000, 16_000};
    static final int[] REPEATS_IN_SEGMENT = {12_000, 4_000, 8_000};
    static final long SIM_MILLIS = 6L * 3600_000L;

    static DocumentApi RUNNING;

    static final class Tenant {
        final int tenantId; final String slug; final String plan; final Map<String, String> settings = new HashMap<>(); final long createdAt;
        Tenant(int tenantId, String slug, String plan, long createdAt) { this.tenantId = tenantId; this.slug = slug; this.plan = plan; this.createdAt = createdAt; }
    }

    static final class User {
        final String userId; final int tenantId; final String email; final List<String> roles = new ArrayList<>(3); final long createdAt;
        User(String userId, int tenantId, String email, long createdAt) { this.userId = userId; this.tenantId = tenantId; this.email = email; this.createdAt = createdAt; }
    }

    static final class Policy {
        final String policyId; final String resourceType; final String[] actions; final String[] conditions; final int version;
        Policy(String policyId, String resourceType, String[] actions, String[] conditions, int version) { this.policyId = policyId; this.resourceType = resourceType; this.actions = actions; this.conditions = conditions; this.version = version; }
    }

    static final class PolicyStore {
        static final List<Policy> POLICIES_COMPILED = new ArrayList<>();
    }

    static final class Decision {
        final boolean allowed; final String[] grantedScopes; final String policyVersion; final long evaluatedAt; final int evalMicros;
        Decision(boolean allowed, String[] grantedScopes, String policyVersion, long evaluatedAt, int evalMicros) { this.allowed = allowed; this.grantedScopes = grantedScopes; this.policyVersion = policyVersion; this.evaluatedAt = evaluatedAt; this.evalMicros = evalMicros; }
    }

    static final class AuthorizationService {
        /** Memoized decisions, key "t_<tenant>/<userId>/<documentId>". BUG: never evicted, never invalidated. */
        final Map<String, Decision> decisions = new ConcurrentHashMap<>();
        long evaluations, hits;
        Decision check(User u, String documentId, Random rnd, long now) {
            String key = "t_" + u.tenantId + "/" + u.userId + "/" + documentId;
            Decision d = decisions.get(key);
            if (d != null) { hits++; return d; }
            evaluations++;
            String[] scopes = rnd.nextInt(4) == 0 ? new String[] {"read"} : new String[] {"read", "comment", "edit"};
            d = new Decision(true, scopes, "pv-" + (1 + rnd.nextInt(3)), now, 150 + rnd.nextInt(2_000));
            decisions.put(key, d);
            return d;
        }
    }

    static final class DocumentMeta {
        final String documentId; final int tenantId; final String ownerId; final String title; final long sizeBytes; final long modifiedAt;
        DocumentMeta(String documentId, int tenantId, String ownerId, String title, long sizeBytes, long modifiedAt) { this.documentId = documentId; this.tenantId = tenantId; this.ownerId = ownerId; this.title = title; this.sizeBytes = sizeBytes; this.modifiedAt = modifiedAt; }
    }

    static final class MetadataCache extends LinkedHashMap<String, DocumentMeta> {
        final int capacity;
        MetadataCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DocumentMeta> e) { return size() > capacity; }
    }

    static final class TokenBucket {
        final int tenantId; final int ratePerSecond; double tokens; long refilledAt;
        TokenBucket(int tenantId, int ratePerSecond, long now) { this.tenantId = tenantId; this.ratePerSecond = ratePerSecond; this.tokens = ratePerSecond; this.refilledAt = now; }
    }

    static final class DocumentApi {
        final Map<Integer, Tenant> tenants = new HashMap<>();
        final Map<String, User> usersById = new HashMap<>();
        final AuthorizationService authz = new AuthorizationService();
        final MetadataCache metadata = new MetadataCache(METADATA_CAP);
        final Map<Integer, TokenBucket> rateLimits = new ConcurrentHashMap<>();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    static String ulid(long t, Random rnd) {
        StringBuilder sb = new StringBuilder(30).append("doc_");
        for (int i = 9; i >= 0; i--) sb.append(CROCKFORD.charAt((int) ((t >>> (5 * i)) & 31)));
        for (int i = 0; i < 16; i++) sb.append(CROCKFORD.charAt(rnd.nextInt(32)));
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        Object[] series = LeakCheck.seriesArgs(args, 3);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        int segments = NEW_PAIRS_IN_SEGMENT.length;
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(6_040_001);
        DocumentApi api = new DocumentApi();
        RUNNING = api;
        String[] plans = {"free", "team", "business", "enterprise"};
        for (int t = 0; t < TENANTS; t++) {
            Tenant tn = new Tenant(1_000 + t, "acme-" + Integer.toString(t * 7_919, 36), plans[t % 4], start - 86_400_000L * (30 + t % 700));
            for (int k = 0; k < 6; k++) tn.settings.put("feature." + k, Boolean.toString((t + k) % 3 == 0));
            api.tenants.put(tn.tenantId, tn);
            api.rateLimits.put(tn.tenantId, new TokenBucket(tn.tenantId, 50 + 50 * (t % 4), start));
        }
        User[] users = new User[USERS];
        for (int u = 0; u < USERS; u++) {
            String id = "usr_" + Long.toString(0x10_0000_0000L + u * 104_729L, 16);
            users[u] = new User(id, 1_000 + u % TENANTS, "user" + u + "@tenant" + (u % TENANTS) + ".example.com", start - 3_600_000L * (u % 5_000));
            users[u].roles.add("member"); if (u % 10 == 0) users[u].roles.add("admin");
            api.usersById.put(id, users[u]);
        }
        String[] resourceTypes = {"document", "folder", "comment", "share-link", "workspace"};
        for (int p = 0; p < POLICIES; p++) {
            String[] conds = new String[2 + p % 4];
            for (int k = 0; k < conds.length; k++) conds[k] = "principal.tenant == resource.tenant && principal.role in ['r" + ((p + k) % 9) + "'] && resource.label != 'l" + k + "'";
            PolicyStore.POLICIES_COMPILED.add(new Policy("pol-" + p, resourceTypes[p % 5], new String[] {"read", "comment", "edit", "share"}, conds, 1 + p % 3));
        }
        List<String[]> seen = new ArrayList<>(); // (userIndex, documentId) pairs used for repeat accesses
        long from = start;
        int expected = 0;
        for (int s = 0; s < segments; s++) {
            long to = System.currentTimeMillis();
            int nNew = NEW_PAIRS_IN_SEGMENT[s], nRep = REPEATS_IN_SEGMENT[s], n = nNew + nRep;
            int newDone = 0;
            for (int i = 0; i < n; i++) {
                long t = from + (to - from) * i / n - 200;
                boolean fresh = (long) (i + 1) * nNew / n > newDone || seen.isEmpty();
                User u; String doc;
                if (fresh) {
                    newDone++;
                    u = users[rnd.nextInt(USERS)];
                    doc = ulid(t - rnd.nextInt(86_400_000), rnd);
                    seen.add(new String[] {u.userId, doc});
                    DocumentMeta m = new DocumentMeta(doc, u.tenantId, u.userId, "Quarterly report " + rnd.nextInt(10_000) + ".docx", 10_000 + rnd.nextInt(5_000_000), t);
                    api.metadata.put(doc, m);
                } else {
                    String[] p = seen.get(seen.size() - 1 - rnd.nextInt(Math.min(seen.size(), 2_000)));
                    u = api.usersById.get(p[0]); doc = p[1];
                    api.metadata.get(doc);
                }
                TokenBucket b = api.rateLimits.get(u.tenantId);
                b.tokens = Math.min(b.ratePerSecond, b.tokens + 1); b.refilledAt = t;
                api.authz.check(u, doc, rnd, t);
            }
            expected += nNew;
            seen.subList(0, Math.max(0, seen.size() - 2_000)).clear();
            int size = api.authz.decisions.size();
            System.out.println("segment " + (s + 1) + ": decisions " + size + " evaluations " + api.authz.evaluations + " hits " + api.authz.hits
                    + " metadata " + api.metadata.size() + " users " + api.usersById.size() + " tenants " + api.tenants.size());
            check(size == expected && api.authz.evaluations == expected, "decisions " + size);
            check(api.metadata.size() == Math.min(METADATA_CAP, expected), "metadata");
            check(api.usersById.size() == USERS && api.tenants.size() == TENANTS && PolicyStore.POLICIES_COMPILED.size() == POLICIES, "directories");
            int index = s - (segments - count);
            if (index >= 0) {
                String path = LeakCheck.seriesPath(args[1], index + 1, count, dir);
                System.gc();
                DumpUtil.dump(args[0], path);
                System.out.println("dumped " + path);
            }
            if (s + 1 < segments) {
                if (index >= 0) Thread.sleep(1_100);
                from = System.currentTimeMillis() - 1_000;
            }
        }
        System.exit(0);
    }
}
