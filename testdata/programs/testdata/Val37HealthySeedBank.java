// hprofscan-dump: name=val37-healthy-seedbank jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val37-healthy-seedbank-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 37 (written blind), HEALTHY: the collection service of a seed bank (a
 * cold-storage gene bank). Species reference data, the accession directory, an LRU of rendered
 * germination-test pages at its cap, a ring of the last 16,384 vault-door events, a pool of barcode
 * decode buffers, a pre-allocated 12 MiB staging array for seed-sample X-ray scans, a manifest
 * ByteArrayOutputStream that is written to the partner bank and reset after every shipment, a
 * request loop whose diagnostic scopes are popped in a finally block (empty between requests, also
 * after rejected requests), and a maintenance-window future with one callback registered at
 * startup. No leak. See VALIDATION37.md.
 */
public final class Val37HealthySeedBank {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SPECIES = 1_200, ACCESSIONS = 26_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, EVENTS_PER_HOUR = 6_000, HOURS = 10, SCAN_BYTES = 12 * 1_024 * 1_024;

    record Species(String code, String name, double[] germinationCurve) {}
    record Accession(String number, String speciesCode, String donor, byte[] passport, long storedAt) {}
    record GerminationPage(String key, byte[] rendered, long at) {}
    record VaultEvent(String number, String vault, boolean withdrawal, long at) {}

    static final class PageCache extends LinkedHashMap<String, GerminationPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GerminationPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final class Scope {
        final String requestId, accession; final long at; final byte[] body;
        Scope(String requestId, String accession, long at, byte[] body) { this.requestId = requestId; this.accession = accession; this.at = at; this.body = body; }
    }

    static final Map<String, Species> SPECIES_BY_CODE = new HashMap<>();

    static final class SeedBankService {
        final Map<String, Accession> accessions = new HashMap<>();
        final PageCache pages = new PageCache();
        final VaultEvent[] vaultEvents = new VaultEvent[RING];
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final byte[] scanStaging = new byte[SCAN_BYTES];
        final ByteArrayOutputStream manifest = new ByteArrayOutputStream(256 * 1_024);
        final OutputStream partnerBank = OutputStream.nullOutputStream();
        final Deque<Scope> scopes = new ArrayDeque<>();
        final CompletableFuture<Void> maintenanceWindow = new CompletableFuture<>();
        long events, shipments, shippedBytes, rejected, maxDepth;
        boolean readOnly;
        SeedBankService() { maintenanceWindow.thenRun(() -> readOnly = true); }

        void serve(String requestId, String number, boolean withdrawal, long t, byte[] body) {
            scopes.push(new Scope(requestId, number, t, body));
            maxDepth = Math.max(maxDepth, scopes.size());
            try {
                if (withdrawal && body.length > 590) throw new IllegalArgumentException("withdrawal over the sample limit");
                vaultEvents[(int) (events++ % RING)] = new VaultEvent(number, "V" + (number.hashCode() & 7), withdrawal, t);
                manifest.write(number.getBytes(StandardCharsets.US_ASCII), 0, number.length());
                manifest.write(withdrawal ? '-' : '+');
                manifest.write('\n');
            } catch (IllegalArgumentException e) {
                rejected++;
            } finally {
                scopes.pop();
            }
        }

        void ship() throws IOException {
            shippedBytes += manifest.size();
            manifest.writeTo(partnerBank);
            manifest.reset();
            shipments++;
        }
    }

    static SeedBankService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(37_060_001);
        String[] speciesCodes = new String[SPECIES];
        for (int s = 0; s < SPECIES; s++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble();
            String code = "SP-" + (10_000 + s);
            speciesCodes[s] = code;
            SPECIES_BY_CODE.put(code, new Species(code, "Species " + s, curve));
        }
        SeedBankService svc = new SeedBankService();
        SERVICE = svc;
        String[] numbers = new String[ACCESSIONS];
        for (int a = 0; a < ACCESSIONS; a++) {
            String number = "ACC-" + (3_300_000 + a * 17);
            numbers[a] = number;
            svc.accessions.put(number, new Accession(number, speciesCodes[rnd.nextInt(SPECIES)], "Donor " + rnd.nextInt(5_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(12_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[65_536]);
        Random traffic = new Random(37_060_002);
        int events = EVENTS_PER_HOUR * HOURS;
        long nextShip = start + 10 * MINUTE;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextShip <= t) { svc.ship(); nextShip += 10 * MINUTE; }
            String number = numbers[traffic.nextInt(ACCESSIONS)];
            svc.serve("rq-" + (50_000_000L + i), number, traffic.nextInt(4) == 0, t, new byte[300 + traffic.nextInt(300)]);
            svc.scanStaging[(i * 8_191) % SCAN_BYTES] = (byte) i;
            String key = numbers[traffic.nextInt(6_000)] + "/germination";
            if (svc.pages.get(key) == null) svc.pages.put(key, new GerminationPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
        }
        System.out.println("species " + SPECIES_BY_CODE.size() + " accessions " + svc.accessions.size() + " requests " + events + " vault events " + svc.events + " rejected " + svc.rejected
                + " scope depth " + svc.scopes.size() + " max depth " + svc.maxDepth + " shipments " + svc.shipments + " manifest size " + svc.manifest.size() + " shipped " + svc.shippedBytes
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") maintenance dependents " + svc.maintenanceWindow.getNumberOfDependents() + " pool " + svc.decodeBuffers.size());
        check(SPECIES_BY_CODE.size() == SPECIES && svc.accessions.size() == ACCESSIONS, "reference data / directory");
        check(svc.events + svc.rejected == events && svc.rejected > 0 && svc.scopes.isEmpty() && svc.maxDepth == 1, "balanced scopes");
        check(svc.shipments == HOURS * 6 - 1 && svc.manifest.size() < 20_000, "manifest reset after each shipment");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.decodeBuffers.size() == POOL && svc.scanStaging.length == SCAN_BYTES, "pool / staging");
        check(svc.vaultEvents[RING - 1] != null && svc.maintenanceWindow.getNumberOfDependents() == 1, "ring / maintenance window");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
