// hprofscan-dump: name=val77-leak-leadcapture jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val77-leak-leadcapture-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 77 (written blind), LEAK: the ingest API of a lead-capture forms platform (web forms
 * embedded by customer businesses; every submission arrives as a JSON payload). Campaign template
 * reference data, the customer account directory, a cache of rendered thank-you pages at its cap, a
 * pool of gzip buffers, a ring of recent leads, and a JSON field-name canonicalizer: to save memory
 * the decoder maps every object key it reads to one canonical String (a HashMap from name to name).
 * It is fed every key of every payload, including the user-defined attribute names of the forms
 * (per-customer custom fields and per-request tracking / answer keys such as "utm_x7f3a9" or
 * "answer_q5c21e8"), and it is never cleared. The fix canonicalizes only the platform's schema keys
 * and each customer's declared custom fields; other names pass through as decoded. See
 * VALIDATION77.md.
 */
public final class Val77LeakLeadCapture {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TEMPLATES = 1_100, CUSTOMERS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, PAYLOADS_PER_HOUR = 6_000;
    static final String[] SCHEMA = {"email", "firstName", "lastName", "phone", "company", "jobTitle", "country", "postcode", "consent", "consentText",
        "formId", "campaignId", "submittedAt", "pageUrl", "referrer", "userAgent", "locale", "timezone", "ipHash", "source",
        "medium", "landingPage", "score", "tags", "notes", "budget", "employees", "industry", "website", "callbackTime"};
    static boolean FIXED;

    record CampaignTemplate(String code, String title, double[] conversionByWeek) {}
    record Customer(String accountCode, String name, String[] customFields, byte[] branding, long since) {}
    record ThankYouPage(String key, byte[] html, long at) {}
    record Lead(String leadId, String accountCode, long at, Map<String, String> fields) {}

    /** Maps every decoded object key to one canonical String instance. */
    static final class FieldNameCanonicalizer {
        final Map<String, String> canonical = new HashMap<>();
        final Set<String> allowed = new HashSet<>(); // fixed version: schema keys and declared custom fields
        long calls, passedThrough;
        String canonicalize(String name) {
            calls++;
            if (FIXED && !allowed.contains(name)) { passedThrough++; return name; }
            String c = canonical.putIfAbsent(name, name); // BUG: fed every key, including per-request names
            return c != null ? c : name;
        }
    }

    static final class PageCache extends LinkedHashMap<String, ThankYouPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ThankYouPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CampaignTemplate> TEMPLATES_BY_CODE = new HashMap<>();

    static final class IngestApi {
        final Map<String, Customer> customers = new HashMap<>();
        final PageCache thankYouPages = new PageCache();
        final ArrayDeque<byte[]> gzipBuffers = new ArrayDeque<>();
        final Lead[] recentLeads = new Lead[RING];
        long leads;
        final FieldNameCanonicalizer names = new FieldNameCanonicalizer();
    }

    static IngestApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** A key as the JSON decoder produces it: a fresh String per occurrence. */
    static String decoded(String s) { return new String(s.toCharArray()); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val77.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        int payloads = PAYLOADS_PER_HOUR * HOURS;
        Random rnd = new Random(77_040_001);
        for (int t = 0; t < TEMPLATES; t++) {
            double[] conv = new double[52];
            for (int k = 0; k < conv.length; k++) conv[k] = rnd.nextDouble() * 0.2;
            String code = "TPL-" + (20_000 + t);
            TEMPLATES_BY_CODE.put(code, new CampaignTemplate(code, "Template " + t, conv));
        }
        IngestApi svc = new IngestApi();
        SERVICE = svc;
        for (String k : SCHEMA) svc.names.allowed.add(k);
        String[] accounts = new String[CUSTOMERS];
        int declared = 0;
        for (int c = 0; c < CUSTOMERS; c++) {
            accounts[c] = "ACC" + (900_000 + c);
            String[] custom = new String[c < 600 ? 2 + rnd.nextInt(5) : 0]; // 600 customers declare custom fields
            for (int f = 0; f < custom.length; f++) { custom[f] = "cf_" + (c % 97) + "_" + Integer.toHexString(rnd.nextInt(1 << 16)); svc.names.allowed.add(custom[f]); }
            declared += custom.length;
            svc.customers.put(accounts[c], new Customer(accounts[c], "Business " + c, custom, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.gzipBuffers.add(new byte[32_768]);
        Random traffic = new Random(77_040_002);
        int perRequestNames = 0;
        for (int i = 0; i < payloads; i++) {
            long t = start + (end - MINUTE - start) * i / payloads;
            int c = traffic.nextInt(10) < 6 ? traffic.nextInt(600) : 600 + traffic.nextInt(CUSTOMERS - 600);
            Customer cu = svc.customers.get(accounts[c]);
            Map<String, String> fields = new HashMap<>();
            int nSchema = 8 + traffic.nextInt(10);
            for (int k = 0; k < nSchema; k++) fields.put(svc.names.canonicalize(decoded(SCHEMA[(k * 3 + i) % SCHEMA.length])), "v" + traffic.nextInt(1_000));
            for (String cf : cu.customFields()) fields.put(svc.names.canonicalize(decoded(cf)), "a" + traffic.nextInt(100));
            int nUser = 2 + traffic.nextInt(3); // user-defined tracking / answer keys that differ per request
            for (int k = 0; k < nUser; k++) {
                String name = (k % 2 == 0 ? "utm_" : "answer_q") + Integer.toHexString(0x100000 + traffic.nextInt(0xeffffff));
                fields.put(svc.names.canonicalize(name), "x" + traffic.nextInt(50));
                perRequestNames++;
            }
            if (i % 2 == 0) svc.recentLeads[(int) (svc.leads++ % RING)] = new Lead("LD" + (40_000_000 + i), accounts[c], t, fields);
            String key = "ty-" + traffic.nextInt(5_000);
            if (svc.thankYouPages.get(key) == null) svc.thankYouPages.put(key, new ThankYouPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.gzipBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.gzipBuffers.add(buf);
        }
        FieldNameCanonicalizer n = svc.names;
        System.out.println((FIXED ? "FIXED " : "") + "templates " + TEMPLATES_BY_CODE.size() + " customers " + svc.customers.size() + " declared custom fields " + declared + " payloads " + payloads + " canonical names " + n.canonical.size()
                + " (calls " + n.calls + ", passed through " + n.passedThrough + ", per-request names " + perRequestNames + ") pages " + svc.thankYouPages.size() + " (evicted " + svc.thankYouPages.evicted + ") pool " + svc.gzipBuffers.size() + " leads " + svc.leads);
        check(TEMPLATES_BY_CODE.size() == TEMPLATES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        if (FIXED) check(n.canonical.size() <= SCHEMA.length + declared && n.passedThrough == perRequestNames, "fixed canonicalizer bounded: " + n.canonical.size());
        else check(n.canonical.size() > perRequestNames * 9 / 10, "canonicalizer keeps every name: " + n.canonical.size());
        check(svc.thankYouPages.size() == PAGE_CAP && svc.thankYouPages.evicted > 0, "page cache at cap");
        check(svc.gzipBuffers.size() == POOL, "pool");
        check(svc.leads == payloads / 2 && svc.recentLeads[RING - 1] != null, "lead ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
