// hprofscan-dump: name=val105-healthy-fossildigs-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val105-healthy-fossildigs-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val105-healthy-fossildigs jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val105-healthy-fossildigs-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 105 (written blind), HEALTHY: the field-data service of a palaeontology dig
 * programme. Dig-site reference data, the specimen directory, a cache of rendered grid maps at its
 * cap, a pool of photogrammetry buffers, a ring of specimen scans (filling in stage 1, full and
 * wrapping afterwards), a long-poll hub where field tablets wait for lab results (a disconnect
 * handler removes the abandoned poll), and a catalogue mirror: one ObjectOutputStream to the
 * museum, shipped and reset after every batch. Warms up, then plateaus. See VALIDATION105.md.
 */
public final class Val105HealthyFossilDigs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SITES = 1_200, SPECIMENS = 25_000, MAP_CAP = 2_000, POOL = 8, RING = 8_192, SCANS_PER_HOUR = 4_000, BATCH = 40;
    static final int REQUESTS_PER_HOUR = 600;

    record DigSite(String code, String formation, double[] stratigraphy) {}
    record Specimen(String catalogueNo, String siteCode, String taxon, byte[] fieldNotes, long foundAt) {}
    record GridMap(String key, byte[] rendered, long at) {}
    record Scan(String catalogueNo, String operator, long at, int points) {}
    record LabResult(String sampleId, String method, double ageMa, long at) {}

    static final class TabletRequest {
        final String requestId, sampleId, tabletId; final long openedAt; final byte[] responseBuffer;
        int answered;
        TabletRequest(String requestId, String sampleId, String tabletId, long openedAt, byte[] responseBuffer) {
            this.requestId = requestId; this.sampleId = sampleId; this.tabletId = tabletId; this.openedAt = openedAt; this.responseBuffer = responseBuffer;
        }
        void respond(LabResult r) { responseBuffer[0] = (byte) r.method().length(); answered++; }
    }

    /** Long polls of the field tablets waiting for a lab result; a dropped connection removes its poll. */
    static final class ResultHub {
        final ConcurrentHashMap<String, CompletableFuture<LabResult>> parked = new ConcurrentHashMap<>();
        final Map<String, String> pollBySample = new HashMap<>();
        long opened, completed, disconnects;
        void open(TabletRequest r) {
            CompletableFuture<LabResult> f = new CompletableFuture<>();
            f.thenAccept(r::respond);
            parked.put(r.requestId, f);
            pollBySample.put(r.sampleId, r.requestId);
            opened++;
        }
        void onDisconnect(String requestId) {
            disconnects++;
            CompletableFuture<LabResult> f = parked.remove(requestId);
            if (f != null) f.cancel(false);
        }
        void publish(LabResult r) {
            String id = pollBySample.remove(r.sampleId());
            CompletableFuture<LabResult> f = id == null ? null : parked.remove(id);
            if (f != null) { f.complete(r); completed++; }
        }
    }

    static final class CatalogueChange implements Serializable {
        private static final long serialVersionUID = 1L;
        final long changeId; final String catalogueNo, field, value; final long at;
        CatalogueChange(long changeId, String catalogueNo, String field, String value, long at) { this.changeId = changeId; this.catalogueNo = catalogueNo; this.field = field; this.value = value; this.at = at; }
    }

    /** Mirror of catalogue changes to the museum: one stream, reset after every shipped batch. */
    static final class MuseumMirror {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(16_384);
        final ObjectOutputStream out;
        long written, flushes, bytesShipped; int unflushed;
        MuseumMirror() throws IOException { out = new ObjectOutputStream(buffer); }
        void write(CatalogueChange c) throws IOException {
            out.writeObject(c); written++;
            if (++unflushed == BATCH) { out.reset(); out.flush(); bytesShipped += buffer.size(); buffer.reset(); flushes++; unflushed = 0; }
        }
    }

    static final class MapCache extends LinkedHashMap<String, GridMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GridMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, DigSite> SITES_BY_CODE = new HashMap<>();

    static final class DigService {
        final Map<String, Specimen> specimens = new HashMap<>();
        final MapCache maps = new MapCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Scan[] scans = new Scan[RING];
        long scanned;
        final ResultHub results = new ResultHub();
        MuseumMirror mirror;
    }

    static DigService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(int stage) throws IOException {
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int scans = SCANS_PER_HOUR * hours, requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(105_050_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] strata = new double[64];
            for (int k = 0; k < strata.length; k++) strata[k] = rnd.nextDouble() * 300;
            siteCodes[s] = "DIG-" + (4_000 + s);
            SITES_BY_CODE.put(siteCodes[s], new DigSite(siteCodes[s], "Formation " + (s % 25), strata));
        }
        DigService svc = new DigService();
        SERVICE = svc;
        svc.mirror = new MuseumMirror();
        String[] catalogue = new String[SPECIMENS];
        String[] taxa = {"Theropoda", "Ammonoidea", "Crinoidea", "Trilobita", "Ichthyosauria", "Sauropoda", "Brachiopoda"};
        for (int i = 0; i < SPECIMENS; i++) {
            catalogue[i] = "PAL-" + (900_000 + i);
            svc.specimens.put(catalogue[i], new Specimen(catalogue[i], siteCodes[rnd.nextInt(SITES)], taxa[i % taxa.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        Random traffic = new Random(105_050_002);
        String[] fields = {"taxon", "preparation", "storage", "condition"};
        for (int i = 0; i < scans; i++) {
            long t = start + (end - MINUTE - start) * i / scans;
            String no = catalogue[traffic.nextInt(SPECIMENS)];
            svc.scans[(int) (svc.scanned++ % RING)] = new Scan(no, "op-" + traffic.nextInt(60), t, 10_000 + traffic.nextInt(90_000));
            String key = "grid-" + traffic.nextInt(4_000);
            if (svc.maps.get(key) == null) svc.maps.put(key, new GridMap(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.photoBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.photoBuffers.add(buf);
            if (i % 2 == 0) svc.mirror.write(new CatalogueChange(i, no, fields[traffic.nextInt(fields.length)], "v" + Long.toString(traffic.nextLong() & 0xFFFFFFFFL, 36), t));
        }
        ResultHub hub = svc.results;
        long live = 0, abandoned = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String sample = "S-" + (300_000 + i), tablet = "tab-" + traffic.nextInt(120);
            long ready = t + (5 + traffic.nextInt(25)) * MINUTE;
            TabletRequest r = new TabletRequest(new UUID(traffic.nextLong(), traffic.nextLong()).toString(), sample, tablet, t, new byte[256 + traffic.nextInt(256)]);
            hub.open(r);
            long at = t;
            while (traffic.nextDouble() < 0.4) {
                long dropAt = at + (ready - at) / 2;
                if (dropAt >= end) break;
                hub.onDisconnect(r.requestId);
                abandoned++;
                r = new TabletRequest(new UUID(traffic.nextLong(), traffic.nextLong()).toString(), sample, tablet, dropAt, new byte[256 + traffic.nextInt(256)]);
                hub.open(r);
                at = dropAt;
            }
            if (ready < end) hub.publish(new LabResult(sample, traffic.nextBoolean() ? "U-Pb" : "Ar-Ar", traffic.nextDouble() * 400, ready));
            else live++;
        }
        MuseumMirror m = svc.mirror;
        System.out.println("stage " + stage + " sites " + SITES_BY_CODE.size() + " specimens " + svc.specimens.size() + " scans " + svc.scanned + " maps " + svc.maps.size() + " (evicted " + svc.maps.evicted + ") requests " + requests
                + " polls opened " + hub.opened + " completed " + hub.completed + " disconnects " + hub.disconnects + " parked " + hub.parked.size() + " mirror written " + m.written + " flushes " + m.flushes + " shipped " + m.bytesShipped + " buffered " + m.buffer.size());
        check(SITES_BY_CODE.size() == SITES && svc.specimens.size() == SPECIMENS, "reference data / directory");
        check(hub.parked.size() == live && hub.pollBySample.size() == live && hub.disconnects == abandoned && hub.completed == requests - live, "polls: " + hub.parked.size());
        check(m.written == scans / 2 && m.flushes == m.written / BATCH, "mirror");
        check(svc.maps.size() == MAP_CAP && svc.maps.evicted > 0, "map cache at cap");
        check(svc.photoBuffers.size() == POOL && svc.scanned == scans && svc.scans[(int) ((scans - 1) % RING)] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        run(Integer.parseInt(args[2]));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
