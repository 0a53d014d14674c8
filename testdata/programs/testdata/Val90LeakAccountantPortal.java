// hprofscan-dump: name=val90-leak-accountantportal jvm="-Xmx266m --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean
// hprofscan-dump: name=val90-leak-accountantportal-serial jvm="-Xmx266m -XX:+UseSerialGC --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean
package testdata;

import java.io.File;
import java.lang.reflect.Field;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 90 (written blind), LEAK: the export service of a client portal run by an
 * accounting practice network: clients and their accountants download trial balances, general
 * ledgers and VAT returns as CSV / PDF files. Chart-of-accounts templates (reference data), the
 * client directory, a cache of rendered ledger pages at its cap, a pool of render buffers, a ring
 * of export receipts, the exports in flight, and the temporary export files: each export is
 * written to a temporary file under a per-firm, per-day directory, uploaded to the portal's object
 * store and deleted; as a "safety net" every file was also registered with File.deleteOnExit(),
 * and in a service that never exits the JDK keeps every such path in its delete-on-exit set
 * (java.io.DeleteOnExitHook.files) until the JVM stops. See VALIDATION90.md.
 */
public final class Val90LeakAccountantPortal {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TEMPLATES = 1_000, CLIENTS = 24_000, FIRMS = 350, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, IN_FLIGHT = 6,
            EXPORTS_PER_HOUR = 3_600, HOURS = 10;
    static final File EXPORT_ROOT = new File(System.getProperty("java.io.tmpdir"), "val90-portal-exports-never-created");
    static boolean FIXED;

    record AccountTemplate(String code, String sector, double[] defaultRatios) {}
    record Client(String clientId, String firmCode, String legalName, byte[] engagementLetter, long onboardedAt) {}
    record LedgerPage(String key, byte[] rendered, long at) {}
    record ExportReceipt(long exportNo, String clientId, String kind, long bytes, long at) {}
    record ExportJob(long exportNo, String clientId, String kind, File file, long startedAt) {}

    static final class PageCache extends LinkedHashMap<String, LedgerPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LedgerPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, AccountTemplate> TEMPLATES_BY_CODE = new HashMap<>();

    static final class ExportService {
        final Map<String, Client> clients = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final ExportReceipt[] receipts = new ExportReceipt[RING];
        final LinkedHashMap<Long, ExportJob> inFlight = new LinkedHashMap<>();
        long exports, finished, deletedAfterUpload, registeredOnExit;

        void start(ExportJob job) {
            if (!FIXED) { job.file().deleteOnExit(); registeredOnExit++; } // BUG: a "safety net" in a process that never exits
            inFlight.put(job.exportNo(), job);
            exports++;
        }

        void finish(ExportJob job, long at, Random r) {
            long bytes = 4_096 + r.nextInt(600_000);
            // upload to the object store, then remove the local file (it does not exist in this simulation)
            job.file().delete();
            deletedAfterUpload++;
            inFlight.remove(job.exportNo());
            receipts[(int) (finished++ % RING)] = new ExportReceipt(job.exportNo(), job.clientId(), job.kind(), bytes, at);
        }
    }

    static ExportService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Size of the JDK's delete-on-exit set (0 if the JDK class was never initialised). */
    static int deleteOnExitPaths() throws Exception {
        Class<?> c = Class.forName("java.io.DeleteOnExitHook");
        Field f = c.getDeclaredField("files");
        f.setAccessible(true);
        Object files = f.get(null);
        synchronized (c) { return files == null ? 0 : ((Collection<?>) files).size(); }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val90.fixed");
        int exports = EXPORTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(90_040_001);
        String[] sectors = {"Retail", "Construction", "Hospitality", "Agriculture", "Professional services", "Charity", "Manufacturing"};
        String[] templateCodes = new String[TEMPLATES];
        for (int k = 0; k < TEMPLATES; k++) {
            double[] ratios = new double[64];
            for (int j = 0; j < ratios.length; j++) ratios[j] = rnd.nextDouble();
            templateCodes[k] = "COA-" + (1_000 + k);
            TEMPLATES_BY_CODE.put(templateCodes[k], new AccountTemplate(templateCodes[k], sectors[k % sectors.length], ratios));
        }
        ExportService svc = new ExportService();
        SERVICE = svc;
        String[] firmCodes = new String[FIRMS];
        for (int f = 0; f < FIRMS; f++) firmCodes[f] = "firm-" + (10_000 + f * 13);
        String[] clientIds = new String[CLIENTS];
        String[] clientFirm = new String[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            clientIds[c] = "CL-" + (2_000_000 + c * 7);
            clientFirm[c] = firmCodes[rnd.nextInt(FIRMS)];
            svc.clients.put(clientIds[c], new Client(clientIds[c], clientFirm[c], "Client company " + c + " Ltd", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(90_040_002);
        String[] kinds = {"trial-balance", "general-ledger", "vat-return", "aged-debtors", "payroll-journal", "cash-flow"};
        for (int i = 0; i < exports; i++) {
            long t = start + (end - MINUTE - start) * i / exports;
            int c = traffic.nextInt(CLIENTS);
            String kind = kinds[traffic.nextInt(kinds.length)];
            long exportNo = 700_000_000L + i;
            LocalDate day = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC).toLocalDate();
            File dir = new File(new File(EXPORT_ROOT, clientFirm[c]), day.toString());
            File file = new File(dir, clientIds[c] + "-" + kind + "-" + exportNo + (traffic.nextInt(3) == 0 ? ".pdf" : ".csv"));
            svc.start(new ExportJob(exportNo, clientIds[c], kind, file, t));
            if (svc.inFlight.size() > IN_FLIGHT) svc.finish(svc.inFlight.values().iterator().next(), t, traffic);
            String key = clientIds[c] + "/" + kind + "/p" + traffic.nextInt(2);
            if (svc.pages.get(key) == null) svc.pages.put(key, new LedgerPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
        }
        int paths = deleteOnExitPaths();
        System.out.println((FIXED ? "FIXED " : "") + "templates " + TEMPLATES_BY_CODE.size() + " clients " + svc.clients.size() + " exports " + svc.exports + " finished " + svc.finished + " in flight " + svc.inFlight.size()
                + " delete-on-exit paths " + paths + " (registered " + svc.registeredOnExit + ", deleted after upload " + svc.deletedAfterUpload + ")"
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.renderBuffers.size());
        check(TEMPLATES_BY_CODE.size() == TEMPLATES && svc.clients.size() == CLIENTS, "reference data / directory");
        check(svc.exports == exports && svc.finished == exports - IN_FLIGHT && svc.inFlight.size() == IN_FLIGHT && svc.deletedAfterUpload == svc.finished, "export traffic");
        if (FIXED) check(paths == 0 && svc.registeredOnExit == 0, "no delete-on-exit paths: " + paths);
        else check(paths == exports && svc.registeredOnExit == exports, "a delete-on-exit path per export ever written: " + paths);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.receipts[RING - 1] != null, "receipt ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
