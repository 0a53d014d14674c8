// hprofscan-dump: name=val47-leak-scriveners jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val47-leak-scriveners-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 47 (written blind), LEAK: the deed-rendering service of a scriveners' office
 * (drafts and engrosses conveyances, wills and notarial deeds for law firms). Land-registry
 * reference data, the client directory, a cache of rendered standard clauses at its cap, a ring of
 * render-log entries, and a pool of page buffers that records every buffer it hands out in an
 * "issued" list (shown with its document id and age on the admin page, to spot buffers that are
 * held too long) and removes it from that list when the buffer is returned. Deeds on one of the three
 * retired templates fail during layout (their seal image was withdrawn); that error path skips the
 * release, so the issued list keeps every such buffer while the pool itself, topped up every
 * minute, stays at its normal 16 idle buffers. See VALIDATION47.md.
 */
public final class Val47LeakScriveners {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int REGISTRIES = 900, CLIENTS = 24_000, CLAUSE_CAP = 2_000, POOL = 16, BUFFER = 8_192, RING = 8_192, RENDERS_PER_HOUR = 6_000, HOURS = 10, TEMPLATES = 180;
    static boolean FIXED;

    record Registry(String code, String name, String jurisdiction, double[] feeSchedule) {}
    record Client(String clientNo, String firm, String registryCode, byte[] kycRecord, long onboardedAt) {}
    record Clause(String key, byte[] rendered, long at) {}
    record RenderLogEntry(String documentId, String clientNo, String template, boolean ok, int pages, long at) {}
    record IssuedBuffer(byte[] buffer, String documentId, String template, long issuedAt) {}

    static final class RenderException extends Exception {
        RenderException(String message) { super(message); }
    }

    /** Pool of page buffers; keeps POOL idle buffers ready and tracks every buffer handed out. */
    static final class PageBufferPool {
        final ArrayDeque<byte[]> idle = new ArrayDeque<>();
        final List<IssuedBuffer> issued = new ArrayList<>();
        long handedOut, returned, allocated, discarded;
        byte[] acquire(String documentId, String template, long at) {
            byte[] b = idle.pollFirst();
            if (b == null) { b = new byte[BUFFER]; allocated++; }
            issued.add(new IssuedBuffer(b, documentId, template, at));
            handedOut++;
            return b;
        }
        void release(byte[] b) {
            for (int k = issued.size() - 1; k >= 0; k--) {
                if (issued.get(k).buffer() == b) { issued.remove(k); break; }
            }
            returned++;
            if (idle.size() < POOL) idle.addFirst(b); else discarded++;
        }
        /** Maintenance tick (every minute): keep POOL buffers ready. */
        void topUp() { while (idle.size() < POOL) { idle.addLast(new byte[BUFFER]); allocated++; } }
    }

    static final class ClauseCache extends LinkedHashMap<String, Clause> {
        long evicted;
        ClauseCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Clause> e) { if (size() > CLAUSE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Registry> REGISTRIES_BY_CODE = new HashMap<>();

    static final class DeedRenderer {
        final Map<String, Client> clients = new HashMap<>();
        final ClauseCache clauses = new ClauseCache();
        final PageBufferPool pages = new PageBufferPool();
        final RenderLogEntry[] renderLog = new RenderLogEntry[RING];
        final Set<String> retiredTemplates = Set.of("TPL-CONVEYANCE-1987", "TPL-WILL-LEGACY-A", "TPL-NOTARIAL-SEAL-II");
        long renders, failures, logged;

        void render(String documentId, String template, int pageCount, long at) throws RenderException {
            byte[] buf = pages.acquire(documentId, template, at);
            if (FIXED) {
                try { layout(buf, template, pageCount); } finally { pages.release(buf); }
            } else {
                layout(buf, template, pageCount);
                pages.release(buf); // BUG: skipped when layout throws
            }
        }
        void layout(byte[] buf, String template, int pageCount) throws RenderException {
            if (retiredTemplates.contains(template)) throw new RenderException("seal image of " + template + " was withdrawn");
            for (int p = 0; p < pageCount; p++) buf[(p * 1_021) % buf.length] ^= (byte) (p + 1);
        }
        void log(RenderLogEntry e) { renderLog[(int) (logged++ % RING)] = e; }
    }

    static DeedRenderer SERVICE;

    static final String[] JURISDICTIONS = {"England", "Wales", "Scotland", "Northern Ireland", "Jersey", "Guernsey", "Isle of Man"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val47.fixed");
        int rendersTotal = RENDERS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(47_030_001);
        String[] registryCodes = new String[REGISTRIES];
        for (int r = 0; r < REGISTRIES; r++) {
            double[] fees = new double[64];
            for (int k = 0; k < fees.length; k++) fees[k] = 20 + rnd.nextDouble() * 400;
            registryCodes[r] = "LR-" + (7_000 + r);
            REGISTRIES_BY_CODE.put(registryCodes[r], new Registry(registryCodes[r], "District registry " + r, JURISDICTIONS[r % JURISDICTIONS.length], fees));
        }
        DeedRenderer svc = new DeedRenderer();
        SERVICE = svc;
        String[] clientNos = new String[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            clientNos[c] = "CL" + (4_400_000 + c * 11);
            svc.clients.put(clientNos[c], new Client(clientNos[c], "Firm " + (c % 2_500), registryCodes[rnd.nextInt(REGISTRIES)], new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(3_600)) * 24 * HOUR));
        }
        String[] templates = new String[TEMPLATES];
        for (int k = 0; k < TEMPLATES; k++) templates[k] = "TPL-" + (k % 3 == 0 ? "CONVEYANCE-" : k % 3 == 1 ? "WILL-" : "NOTARIAL-") + (2_000 + k);
        templates[17] = "TPL-CONVEYANCE-1987";
        templates[88] = "TPL-WILL-LEGACY-A";
        templates[143] = "TPL-NOTARIAL-SEAL-II";
        svc.pages.topUp();

        Random traffic = new Random(47_030_002);
        long nextTick = start + MINUTE;
        for (int i = 0; i < rendersTotal; i++) {
            long t = start + (end - MINUTE - start) * i / rendersTotal;
            while (nextTick <= t) { svc.pages.topUp(); nextTick += MINUTE; }
            String client = clientNos[traffic.nextInt(CLIENTS)];
            String documentId = "DEED-" + (90_000_000 + i);
            String template = templates[traffic.nextInt(TEMPLATES)];
            int pageCount = 2 + traffic.nextInt(30);
            String clauseKey = "clause-" + traffic.nextInt(4_500);
            if (svc.clauses.get(clauseKey) == null) svc.clauses.put(clauseKey, new Clause(clauseKey, new byte[500 + traffic.nextInt(500)], t));
            svc.renders++;
            boolean ok = true;
            try {
                svc.render(documentId, template, pageCount, t);
            } catch (RenderException e) {
                ok = false;
                svc.failures++; // reported to the caller as HTTP 422, logged below
            }
            svc.log(new RenderLogEntry(documentId, client, template, ok, pageCount, t));
        }
        svc.pages.topUp(); // the tick at the start of the current minute
        PageBufferPool p = svc.pages;
        System.out.println((FIXED ? "FIXED " : "") + "registries " + REGISTRIES_BY_CODE.size() + " clients " + svc.clients.size() + " renders " + svc.renders + " failures " + svc.failures + " issued " + p.issued.size()
                + " idle " + p.idle.size() + " (handed out " + p.handedOut + ", returned " + p.returned + ", allocated " + p.allocated + ", discarded " + p.discarded + ") clauses " + svc.clauses.size()
                + " (evicted " + svc.clauses.evicted + ") render log " + svc.logged);
        check(REGISTRIES_BY_CODE.size() == REGISTRIES && svc.clients.size() == CLIENTS, "reference data / directory");
        check(svc.renders == rendersTotal && p.handedOut == rendersTotal && svc.failures > 0, "render traffic");
        if (FIXED) check(p.issued.isEmpty() && p.returned == rendersTotal, "every buffer returned");
        else check(p.issued.size() == svc.failures && p.returned == rendersTotal - svc.failures && p.allocated == POOL + svc.failures, "failed renders keep their buffers: " + p.issued.size());
        check(p.idle.size() == POOL, "pool at its normal size");
        check(svc.clauses.size() == CLAUSE_CAP && svc.clauses.evicted > 0, "clause cache at cap");
        check(svc.logged == rendersTotal && svc.renderLog[RING - 1] != null, "render log ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
